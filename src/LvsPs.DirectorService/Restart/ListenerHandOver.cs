using System.Collections.Concurrent;
using System.Net.Sockets;

namespace LvsPs.DirectorService.Restart;

/// <summary>
/// The service's own listening sockets (control socket, HTTP endpoints) by name, for a hitless restart: in the old
/// process each listener is offered with the way to stop accepting on it; in the new process a listener handed over
/// under the same name is adopted instead of binding anew. The engine's listeners go through the engine
/// (ManagedDirectorOptions.InheritedListeners, ManagedDirector.HandOverListeners).
/// </summary>
internal static class ListenerHandOver
{
    public const string ControlKey = "control";

    private static readonly ConcurrentDictionary<string, SafeSocketHandle> s_inherited = new();
    private static readonly ConcurrentDictionary<string, (Socket Listener, Action StopAccepting)> s_offered = new();

    /// <summary>The name of an HTTP endpoint's listener.</summary>
    public static string HttpKey(System.Net.IPEndPoint endPoint) => "http:" + endPoint;

    /// <summary>A listener handed over under <paramref name="key"/>, taken once; null when there is none.</summary>
    public static Socket? TakeInherited(string key) => s_inherited.TryRemove(key, out var handle) ? new Socket(handle) : null;

    /// <summary>Listeners received from the old process, by name.</summary>
    public static void Inherit(string key, SafeSocketHandle handle) => s_inherited[key] = handle;

    /// <summary>The names of handed-over listeners nobody adopted (closed after the restore, without a shutdown).</summary>
    public static IReadOnlyList<string> CloseUnadopted()
    {
        var left = s_inherited.Keys.ToList();
        foreach (var key in left)
        {
            if (!s_inherited.TryRemove(key, out var handle)) continue;
            DescriptorPassing.CloseOnly((int)handle.DangerousGetHandle());
            handle.SetHandleAsInvalid();
        }
        return left;
    }

    /// <summary>Offers a listener of this process for a hand-over.</summary>
    public static void Offer(string key, Socket listener, Action stopAccepting) => s_offered[key] = (listener, stopAccepting);

    public static IReadOnlyList<(string Key, Socket Listener, Action StopAccepting)> Offered =>
        s_offered.Select(o => (o.Key, o.Value.Listener, o.Value.StopAccepting)).ToList();
}

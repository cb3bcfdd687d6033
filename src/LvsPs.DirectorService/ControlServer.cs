using System.Net.Sockets;
using LvsPs.Model;
using LvsPs.Remote;

namespace LvsPs.DirectorService;

/// <summary>
/// Listens on the control socket, open only to the service's own user: the socket file is created owner-only (0600) in
/// an owner-only folder, and each connection's peer uid is checked (root is let in), so another user gets a clear
/// permission error and no access.
/// </summary>
internal sealed class ControlServer : IDisposable
{
    private readonly string _path;
    private readonly ControlDispatcher _dispatcher;
    private readonly Action<string> _log;
    private readonly Socket _listener;
    private readonly uint _owner = PeerCredentials.EffectiveUserId;
    private volatile bool _stopped;

    public ControlServer(string path, ControlDispatcher dispatcher, Action<string> log)
    {
        _path = Path.GetFullPath(path);
        _dispatcher = dispatcher;
        _log = log;
        var dir = Path.GetDirectoryName(_path)!;
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (File.Exists(_path)) File.Delete(_path); // a stale socket from a killed service
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(_path));
        File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _listener.Listen(64);
    }

    public void Start() => _ = AcceptLoop.RunAsync(_listener, () => _stopped, client => _ = Task.Run(() => Serve(client)));

    private void Serve(Socket client)
    {
        using var channel = new ControlChannel(client);
        try
        {
            var peer = PeerCredentials.PeerUserId(client);
            if (peer is null || (peer != _owner && peer != 0))
            {
                _log($"refused a control connection from uid {peer?.ToString() ?? "unknown"}");
                channel.Write(new ControlResponse(Error: new ControlError(LvsErrorKind.PermissionDenied, "DirectorServiceAccessDenied",
                    $"Permission denied: this director service accepts only its own user (uid {_owner}) and root.")));
                return;
            }
            while (!_stopped && channel.Read<ControlRequest>() is { } request)
            {
                channel.Write(_dispatcher.Dispatch(request));
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or System.Text.Json.JsonException)
        {
            // the client went away or sent garbage: drop this connection only
        }
    }

    public void Dispose()
    {
        _stopped = true;
        _listener.Dispose();
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
        }
    }
}

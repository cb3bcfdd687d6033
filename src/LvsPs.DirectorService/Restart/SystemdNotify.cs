using System.Net.Sockets;
using System.Text;

namespace LvsPs.DirectorService.Restart;

/// <summary>
/// sd_notify(3) without libsystemd: a datagram to $NOTIFY_SOCKET (a leading '@' is the abstract namespace). The unit's
/// Type=notify with NotifyAccess=all lets the process that takes over after a reload become the unit's main process
/// ("MAINPID=pid"), so systemd does not stop the service when the old process exits.
/// </summary>
internal static class SystemdNotify
{
    public static void Send(string state)
    {
        var path = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(path)) return;
        if (path[0] == '@') path = "\0" + path[1..];
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.SendTo(Encoding.UTF8.GetBytes(state), new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            // not under systemd after all: nothing to tell
        }
    }
}

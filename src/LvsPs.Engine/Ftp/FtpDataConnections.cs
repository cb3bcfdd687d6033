using System.Net;
using System.Net.Sockets;
using LvsPs.Engine.Loop;
using LvsPs.Engine.Tcp;

namespace LvsPs.Engine.Ftp;

/// <summary>
/// Starts the relay of an FTP data connection the director accepted, as a connection of the same service and real
/// server as its control connection (IPVS creates the data connection's entry with the control connection's
/// destination, so it counts in the same Connections, ActiveConn/InActConn and byte counters).
/// </summary>
internal static class FtpDataConnections
{
    /// <summary>
    /// Passive mode: the client connected to the director; connect on to the real server's announced port. Returns a
    /// task that completes when that connect is over (connected or failed).
    /// </summary>
    public static Task StartPassive(TcpConnection control, Socket fromClient, int serverPort, EngineContext context)
    {
        if (!TryRemote(fromClient, out var client)) return Task.CompletedTask;
        var target = new IPEndPoint(control.RealServer.EndPoint.Address, serverPort);
        return Start(new TcpConnection(control.Service, control.RealServer, new TcpEnd(fromClient), PeerAddress.From(client), backendSide: null, target,
            connectClientSide: false, context));
    }

    /// <summary>
    /// Active mode: the real server connected to the director; connect on to the client's announced port, from the VIP
    /// (<paramref name="fromAddress"/>) so the client sees its data connection come from the address it used. Returns a
    /// task that completes when that connect is over (connected or failed).
    /// </summary>
    public static Task StartActive(TcpConnection control, Socket fromServer, IPEndPoint client, IPAddress? fromAddress, EngineContext context)
    {
        var toClient = TcpConnection.NewSocket(client.AddressFamily);
        if (fromAddress is not null)
        {
            try
            {
                toClient.Bind(new IPEndPoint(fromAddress, 0));
            }
            catch (SocketException)
            {
                // the kernel picks the source address instead
            }
        }
        return Start(new TcpConnection(control.Service, control.RealServer, new TcpEnd(toClient), PeerAddress.From(client), new TcpEnd(fromServer), client,
            connectClientSide: true, context));
    }

    private static Task Start(TcpConnection data)
    {
        var connectEnded = data.ConnectEnded(); // asked for before the relay starts, so the moment it connects is seen
        data.Start();
        return connectEnded;
    }

    private static bool TryRemote(Socket s, out IPEndPoint remote)
    {
        try
        {
            remote = (IPEndPoint)s.RemoteEndPoint!;
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidCastException)
        {
            remote = null!;
            s.Dispose();
            return false;
        }
    }
}

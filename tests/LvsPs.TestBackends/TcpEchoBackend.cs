using System.Net;
using System.Net.Sockets;

namespace LvsPs.TestBackends;

/// <summary>
/// A TCP real server that echoes every byte back and keeps each connection open until the client closes it: for tests
/// that hold established connections through the director while it is reconfigured.
/// </summary>
public sealed class TcpEchoBackend : TcpTestServer
{

    public TcpEchoBackend(IPEndPoint endPoint) : base(endPoint) => StartAccepting();

    public static TcpEchoBackend Start(string address = "127.0.0.1", int port = 0) => new(new IPEndPoint(IPAddress.Parse(address), port));


    protected override async Task ServeAsync(Socket s)
    {
        using (s)
        {
            var buffer = new byte[4096];
            try
            {
                int n;
                while ((n = await s.ReceiveAsync(buffer, SocketFlags.None, Stopping).ConfigureAwait(false)) > 0)
                {
                    await s.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, Stopping).ConfigureAwait(false);
                }
            }
            catch (Exception)
            {
                // the client or the test went away
            }
        }
    }
}

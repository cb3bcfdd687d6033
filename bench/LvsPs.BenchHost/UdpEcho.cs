using System.Net;
using System.Net.Sockets;

namespace LvsPs.BenchHost;

/// <summary>A DNS-like UDP backend: answers every datagram with the same bytes, one thread per port.</summary>
internal static class UdpEcho
{
    public static int Run(string[] args)
    {
        var threads = args.Select(Endpoints.Parse).Select(ep =>
        {
            var socket = new Socket(ep.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(ep);
            var thread = new Thread(() => Serve(socket)) { IsBackground = true };
            thread.Start();
            return thread;
        }).ToList();
        Console.WriteLine($"ready {Environment.ProcessId}");
        foreach (var t in threads) t.Join();
        return 0;
    }

    private static void Serve(Socket socket)
    {
        var buffer = new byte[2048];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            int n = socket.ReceiveFrom(buffer, ref from);
            socket.SendTo(buffer.AsSpan(0, n), SocketFlags.None, from);
        }
    }
}

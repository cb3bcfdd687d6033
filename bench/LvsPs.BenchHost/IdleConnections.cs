using System.Net.Sockets;

namespace LvsPs.BenchHost;

/// <summary>Opens COUNT TCP connections to TARGET, prints "ready N" and holds them, idle, until stdin closes.</summary>
internal static class IdleConnections
{
    public static int Run(string[] args)
    {
        var target = Endpoints.Parse(args[0]);
        int count = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        var sockets = new List<Socket>(count);
        int failed = 0;
        for (int i = 0; i < count; i++)
        {
            var s = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                s.Connect(target);
                sockets.Add(s);
            }
            catch (SocketException)
            {
                s.Dispose();
                failed++;
            }
        }
        Console.WriteLine($"ready {sockets.Count} failed {failed}");
        Console.In.ReadToEnd();
        foreach (var s in sockets) s.Dispose();
        return 0;
    }
}

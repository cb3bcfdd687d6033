using System.Diagnostics;
using System.Net.Sockets;

namespace LvsPs.BenchHost;

/// <summary>
/// DNS-like request/response load: CLIENTS sockets, each with one 48-byte query outstanding at a time, for SECONDS.
/// Prints "requests/s p50-ms p99-ms lost" on one line. A reply not back within 200 ms counts as lost.
/// </summary>
internal static class UdpLoad
{
    public static int Run(string[] args)
    {
        var target = Endpoints.Parse(args[0]);
        double seconds = double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        int clients = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
        var results = new List<double>[clients];
        var lost = new long[clients];
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var threads = Enumerable.Range(0, clients).Select(i => new Thread(() =>
        {
            var latencies = results[i] = new List<double>(1 << 16);
            using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 200 };
            socket.Connect(target);
            var query = new byte[48];
            var reply = new byte[2048];
            while (Stopwatch.GetTimestamp() < deadline)
            {
                long start = Stopwatch.GetTimestamp();
                socket.Send(query);
                try
                {
                    socket.Receive(reply);
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
                catch (SocketException)
                {
                    lost[i]++;
                }
            }
        })).ToList();
        var clock = Stopwatch.StartNew();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        var all = results.SelectMany(r => r).Order().ToArray();
        double Pct(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p * all.Length))];
        Console.WriteLine(FormattableString.Invariant($"{all.Length / clock.Elapsed.TotalSeconds:F0} {Pct(0.5):F3} {Pct(0.99):F3} {lost.Sum()}"));
        return 0;
    }
}

using System.Net;

namespace LvsPs.BenchHost;

/// <summary>Parses the harness's endpoints and refuses anything but loopback: the benchmarks never leave the machine.</summary>
internal static class Endpoints
{
    public static IPEndPoint Parse(string text)
    {
        var endPoint = IPEndPoint.Parse(text);
        if (!IPAddress.IsLoopback(endPoint.Address)) throw new ArgumentException($"{text} is not a loopback address.");
        return endPoint;
    }

    /// <summary>"VIP:PORT=RS:PORT,RS:PORT" to the virtual endpoint and its real servers.</summary>
    public static (IPEndPoint Virtual, IPEndPoint[] Real) ParseService(string text)
    {
        var parts = text.Split('=', 2);
        if (parts.Length != 2) throw new ArgumentException($"'{text}' is not VIP:PORT=RS:PORT,...");
        return (Parse(parts[0]), parts[1].Split(',').Select(Parse).ToArray());
    }
}

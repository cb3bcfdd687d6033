using System.Net;

namespace LvsPs.BenchHost;

/// <summary>
/// Parses the harness's endpoints and refuses any address the benchmarks must not reach: only loopback, or, in a
/// network namespace whose only interfaces are the veth ends that bench/lib/topology.sh makes for the "hosts"
/// topology, that topology's 10.250.0.0/16.
/// </summary>
internal static class Endpoints
{
    /// <summary>The veth ends bench/lib/topology.sh makes; a namespace with no other interface leads nowhere else.</summary>
    private static readonly string[] TopologyInterfaces = ["lo", "c0", "d0", "ds0", "s0"];

    private static readonly Lazy<bool> InOwnNamespace = new(() =>
        System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .All(i => TopologyInterfaces.Contains(i.Name, StringComparer.Ordinal)));

    public static IPEndPoint Parse(string text)
    {
        var endPoint = IPEndPoint.Parse(text);
        if (IPAddress.IsLoopback(endPoint.Address)) return endPoint;
        var bytes = endPoint.Address.GetAddressBytes();
        var inTopology = bytes.Length == 4 && bytes[0] == 10 && bytes[1] == 250;
        if (inTopology && InOwnNamespace.Value) return endPoint;
        throw new ArgumentException(
            $"{text} is not a loopback address (10.250.0.0/16 is allowed only inside the benchmark's network namespaces).");
    }

    /// <summary>"VIP:PORT=RS:PORT,RS:PORT" to the virtual endpoint and its real servers.</summary>
    public static (IPEndPoint Virtual, IPEndPoint[] Real) ParseService(string text)
    {
        var parts = text.Split('=', 2);
        if (parts.Length != 2) throw new ArgumentException($"'{text}' is not VIP:PORT=RS:PORT,...");
        return (Parse(parts[0]), parts[1].Split(',').Select(Parse).ToArray());
    }
}

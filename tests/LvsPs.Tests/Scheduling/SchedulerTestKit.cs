using System.Net;
using LvsPs.Model;
using LvsPs.Scheduling;

namespace LvsPs.Tests.Scheduling;

/// <summary>Builds destination sets and runs decisions without sockets.</summary>
internal static class SchedulerTestKit
{
    public static readonly SchedulingRequest AnyRequest = new(LvsProtocol.Tcp, NetAddress.FromIPv4(0x0A000001), 40000, NetAddress.FromIPv4(0xC0A80001), 80);

    public static RealServerSettings Rs(string address, int weight = 1, uint upper = 0, uint lower = 0) =>
        new() { Id = RealServerId.Create(IPAddress.Parse(address), 80), Weight = weight, UpperThreshold = upper, LowerThreshold = lower };

    /// <summary>Adds real servers in the given order (the kernel lists them in reverse).</summary>
    public static DestinationSet Set(string scheduler, params RealServerSettings[] servers)
    {
        var set = new DestinationSet(scheduler);
        foreach (var s in servers) set.Add(s);
        return set;
    }

    /// <summary>The last octet of each of <paramref name="count"/> decisions ("-" for none).</summary>
    public static string Picks(DestinationSet set, int count) =>
        string.Join(",", Enumerable.Range(0, count).Select(_ => set.Schedule(AnyRequest)?.Id.Address.GetAddressBytes()[3].ToString() ?? "-"));
}

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
    public static DestinationSet Set(string scheduler, params RealServerSettings[] servers) => Set(scheduler, ServiceFlags.None, null, servers);

    public static DestinationSet Set(string scheduler, ServiceFlags flags, SchedulerOptions? options, params RealServerSettings[] servers)
    {
        var set = new DestinationSet(scheduler, flags, options);
        foreach (var s in servers) set.Add(s);
        return set;
    }

    public static Destination D(DestinationSet set, string address) => set.Find(Rs(address).Id)!;

    /// <summary>A request from <paramref name="client"/> to <paramref name="destination"/> (the VIP).</summary>
    public static SchedulingRequest Req(string client, ushort clientPort = 40000, string destination = "192.168.0.1", long time = 0, LvsProtocol protocol = LvsProtocol.Tcp) =>
        new(protocol, NetAddress.FromIPAddress(IPAddress.Parse(client)), clientPort, NetAddress.FromIPAddress(IPAddress.Parse(destination)), 80, time);

    /// <summary>The last octet of the chosen destination, or "-".</summary>
    public static string Pick(DestinationSet set, in SchedulingRequest request) =>
        set.Schedule(request)?.Id.Address.GetAddressBytes()[^1].ToString() ?? "-";

    public static void Bind(DestinationSet set, string address, int active = 0, int inactive = 0)
    {
        var d = D(set, address);
        for (int i = 0; i < active; i++) d.BindConnection(active: true);
        for (int i = 0; i < inactive; i++) d.BindConnection(active: false);
    }

    /// <summary>The last octet of each of <paramref name="count"/> decisions ("-" for none).</summary>
    public static string Picks(DestinationSet set, int count) =>
        string.Join(",", Enumerable.Range(0, count).Select(_ => set.Schedule(AnyRequest)?.Id.Address.GetAddressBytes()[3].ToString() ?? "-"));
}

/// <summary>A clock the test moves by hand (ticks are seconds unless told otherwise).</summary>
internal sealed class ManualClock(long frequency = 1) : ISchedulingClock
{
    public long Now { get; set; }

    public long Frequency { get; } = frequency;
}

/// <summary>Hands out the given values in turn, as get_random_u32() would.</summary>
internal sealed class SequenceRandom(params uint[] values) : IRandomSource
{
    private int _next;

    public int Drawn => _next;

    public uint NextUInt32() => values[_next++];
}

using LvsPs.Model;
using LvsPs.Scheduling;
using LvsPs.Scheduling.Hashing;
using LvsPs.Scheduling.Schedulers;
using static LvsPs.Tests.Scheduling.SchedulerTestKit;

namespace LvsPs.Tests.Scheduling;

/// <summary>
/// mh, from ip_vs_mh.c. ip_vs_mh_populate fills the 4093 entries one per turn, destinations in list order, each taking
/// turns = (last_weight / gcd) &gt;&gt; rshift entries before the next; so the counts per destination follow from the
/// weights alone. The hash (hsiphash, checked against the kernel's vector in <see cref="KernelHashTests"/>) decides
/// where, and a lookup is entry h1(client) % 4093.
/// </summary>
public class MaglevHashingTests
{
    private static int Count(DestinationSet set, string address) =>
        ((MaglevHashingScheduler)set.Scheduler).Lookup.Count(d => d == D(set, address));

    [Fact]
    public void Equal_weights_alternate_so_the_first_in_list_order_gets_the_odd_entry()
    {
        var set = Set("mh", Rs("10.0.0.1", 1), Rs("10.0.0.2", 1)); // list 2, 1
        // one entry each per pass; 4093 = 2 * 2046 + 1: 2 gets 2047, 1 gets 2046
        Assert.Equal(2047, Count(set, "10.0.0.2"));
        Assert.Equal(2046, Count(set, "10.0.0.1"));
    }

    [Fact]
    public void Weights_set_the_turns_after_dividing_by_their_gcd()
    {
        var set = Set("mh", Rs("10.0.0.1", 4), Rs("10.0.0.2", 2)); // list 2(2), 1(4); gcd 2: turns 1 and 2
        // passes of 3: 4093 = 3 * 1364 + 1: 2 gets 1364 + 1, 1 gets 2 * 1364
        Assert.Equal(1365, Count(set, "10.0.0.2"));
        Assert.Equal(2728, Count(set, "10.0.0.1"));
    }

    [Fact]
    public void Large_weight_ratios_are_shifted_down_to_the_table_bits()
    {
        var set = Set("mh", Rs("10.0.0.1", 1), Rs("10.0.0.2", 128)); // list 2(128), 1(1)
        // gcd 1, max 128: fls(128) = 8, rshift = 8 - 6 = 2; turns 128 >> 2 = 32 and 1 >> 2 = 0 -> (lw != 0) = 1.
        // passes of 33: 4093 = 33 * 124 + 1: 2 gets 32 * 124 + 1 = 3969, 1 gets 124
        Assert.Equal(3969, Count(set, "10.0.0.2"));
        Assert.Equal(124, Count(set, "10.0.0.1"));
    }

    [Fact]
    public void The_first_destination_takes_its_offset_and_a_lookup_hashes_the_client()
    {
        var set = Set("mh", Rs("10.0.0.1", 1));
        var lookup = ((MaglevHashingScheduler)set.Scheduler).Lookup;
        Assert.All(lookup, d => Assert.Same(D(set, "10.0.0.1"), d));

        var two = Set("mh", Rs("10.0.0.1", 1), Rs("10.0.0.2", 1)); // list 2, 1: 2 places first, at its offset
        uint offset2 = HalfSipHash.Hash(80u + 0x0A000002u, MaglevHashingScheduler.Hash1Key, MaglevHashingScheduler.Hash1Key) % 4093;
        Assert.Same(D(two, "10.0.0.2"), ((MaglevHashingScheduler)two.Scheduler).Lookup[(int)offset2]);

        // a decision: entry hsiphash(0 + 0 + 172.16.0.9) % 4093, port 0 without mh-port
        uint entry = HalfSipHash.Hash(0xAC100009u, MaglevHashingScheduler.Hash1Key, MaglevHashingScheduler.Hash1Key) % 4093;
        var expected = ((MaglevHashingScheduler)two.Scheduler).Lookup[(int)entry]!;
        Assert.Same(expected, two.Schedule(Req("172.16.0.9", 1234)));
    }

    [Fact]
    public void Mh_port_hashes_the_client_port_too()
    {
        var set = Set("mh", ServiceFlags.Sched2, null, Rs("10.0.0.1", 1), Rs("10.0.0.2", 1), Rs("10.0.0.3", 1));
        var lookup = ((MaglevHashingScheduler)set.Scheduler).Lookup;
        for (ushort port = 1000; port < 1010; port++)
        {
            uint entry = HalfSipHash.Hash(port + 0xAC100009u, MaglevHashingScheduler.Hash1Key, MaglevHashingScheduler.Hash1Key) % 4093;
            Assert.Same(lookup[(int)entry], set.Schedule(Req("172.16.0.9", port)));
        }
    }

    [Fact]
    public void Weight_zero_keeps_the_table_from_last_weight_and_fails_or_falls_back()
    {
        var set = Set("mh", Rs("10.0.0.1", 1), Rs("10.0.0.2", 1));
        var before = ((MaglevHashingScheduler)set.Scheduler).Lookup.ToArray();
        set.Update(D(set, "10.0.0.2"), Rs("10.0.0.2", 0)); // last_weight stays 1: the same table
        Assert.Equal(before, ((MaglevHashingScheduler)set.Scheduler).Lookup);

        // a client that maps to 2: no fallback -> none; with mh-fallback -> 1 (the only other)
        string client = Enumerable.Range(1, 200).Select(i => $"172.16.1.{i}")
            .First(c => before[(int)(HalfSipHash.Hash(NetAddress.FromIPAddress(System.Net.IPAddress.Parse(c)).Fold, MaglevHashingScheduler.Hash1Key, MaglevHashingScheduler.Hash1Key) % 4093)] == D(set, "10.0.0.2"));
        Assert.Equal("-", Pick(set, Req(client)));
        set.SetFlags(ServiceFlags.Sched1);
        Assert.Equal("1", Pick(set, Req(client)));
    }

    [Fact]
    public void No_weight_ever_gives_an_empty_table()
    {
        var set = Set("mh", Rs("10.0.0.1", 0));
        Assert.All(((MaglevHashingScheduler)set.Scheduler).Lookup, d => Assert.Null(d));
        Assert.Equal("-", Pick(set, Req("172.16.0.9")));
    }
}

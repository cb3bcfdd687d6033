using LvsPs.Model;
using LvsPs.Scheduling;
using LvsPs.Scheduling.Schedulers;
using static LvsPs.Tests.Scheduling.SchedulerTestKit;

namespace LvsPs.Tests.Scheduling;

/// <summary>
/// lblc and lblcr, from ip_vs_lblc.c and ip_vs_lblcr.c: caches keyed by the packet's destination address, lblc's
/// overload rule (active &gt; weight while some server has active * 2 &lt; weight), lblcr's replica sets, and the
/// garbage-collection timer (every 60 s; every 30th run a full check drops entries unused for 24 h). Clock in seconds.
/// </summary>
public class LocalitySchedulersTests
{
    private const long Day = 24 * 60 * 60;

    [Fact]
    public void Lblc_keeps_a_destination_address_on_its_cached_server()
    {
        var clock = new ManualClock();
        var set = Set("lblc", ServiceFlags.None, new() { Clock = clock }, Rs("10.0.0.1"), Rs("10.0.0.2")); // list 2, 1
        Assert.Equal("2", Pick(set, Req("1.1.1.1", destination: "8.8.8.8"))); // wlc: tie, first
        Bind(set, "10.0.0.2", active: 1); // 1 > 1? no: not overloaded by lblc's rule
        Assert.Equal("2", Pick(set, Req("1.1.1.2", destination: "8.8.8.8"))); // cached, though wlc would say 1
        Assert.Equal("1", Pick(set, Req("1.1.1.1", destination: "8.8.4.4"))); // another address: wlc
        Bind(set, "10.0.0.2", active: 1); // 2 > 1, and 1 has 0 * 2 < 1: overloaded -> wlc -> 1, stored
        Assert.Equal("1", Pick(set, Req("1.1.1.1", destination: "8.8.8.8")));
        Bind(set, "10.0.0.1", active: 5);
        Assert.Equal("1", Pick(set, Req("1.1.1.1", destination: "8.8.8.8"))); // 5 > 1 but nobody is under half: kept
    }

    [Fact]
    public void Lblc_reschedules_when_the_cached_server_is_removed_or_quiesced()
    {
        var set = Set("lblc", Rs("10.0.0.1"), Rs("10.0.0.2"), Rs("10.0.0.3")); // list 3, 2, 1
        Assert.Equal("3", Pick(set, Req("1.1.1.1", destination: "8.8.8.8")));
        set.Remove(D(set, "10.0.0.3"));
        Assert.Equal("2", Pick(set, Req("1.1.1.1", destination: "8.8.8.8")));
        set.Update(D(set, "10.0.0.2"), Rs("10.0.0.2", 0));
        Assert.Equal("1", Pick(set, Req("1.1.1.1", destination: "8.8.8.8")));
    }

    [Fact]
    public void Lblc_entries_unused_for_a_day_go_at_the_next_full_check()
    {
        var clock = new ManualClock();
        var set = Set("lblc", ServiceFlags.None, new() { Clock = clock }, Rs("10.0.0.1"), Rs("10.0.0.2"));
        var table = ((LocalityBasedLeastConnectionScheduler)set.Scheduler).Table;
        Assert.Equal("2", Pick(set, Req("1.1.1.1", destination: "8.8.8.8", time: 0)));
        Bind(set, "10.0.0.2", active: 1);
        // timers at 60, 120, ...; the full check is every 30th run: 1800 s, 3600 s, ..., 86400 s = 48 * 1800
        Assert.Equal("1", Pick(set, Req("1.1.1.1", destination: "9.9.9.9", time: Day - 1)));
        Assert.Equal(2, table.Count); // the check at 84600 s kept it: 0 + 86400 > 84600
        Assert.Equal("1", Pick(set, Req("1.1.1.1", destination: "9.9.9.9", time: Day)));
        Assert.Equal(1, table.Count); // at 86400 s: now >= lastuse + expiration
        Assert.Equal("1", Pick(set, Req("1.1.1.1", destination: "8.8.8.8", time: Day))); // rescheduled by wlc
    }

    [Fact]
    public void Lblcr_adds_a_replica_when_the_set_minimum_is_overloaded_and_drops_the_busiest_after_expiration()
    {
        var clock = new ManualClock();
        var set = Set("lblcr", ServiceFlags.None, new() { Clock = clock }, Rs("10.0.0.1"), Rs("10.0.0.2")); // list 2, 1
        var table = ((LocalityBasedLeastConnectionReplicationScheduler)set.Scheduler).Table;
        var vip = NetAddress.FromIPAddress(System.Net.IPAddress.Parse("8.8.8.8"));
        Assert.Equal("2", Pick(set, Req("1.1.1.1", destination: "8.8.8.8", time: 0))); // new entry {2}
        Bind(set, "10.0.0.2", active: 2); // 2 > 1 and 1 has 0 * 2 < 1: overloaded
        Assert.Equal("1", Pick(set, Req("1.1.1.1", destination: "8.8.8.8", time: 10))); // wlc 1, inserted at the head
        Assert.Equal("1,2", string.Join(",", table.Entries[vip].Set.Select(d => d.Id.Address.GetAddressBytes()[3])));
        Assert.Equal(10, table.Entries[vip].LastMod);
        Assert.Equal("1", Pick(set, Req("1.1.1.1", destination: "8.8.8.8", time: 3600))); // set_min: 1 (0 vs 512)
        // more than one member and now > lastmod + 24 h (time_after, strict): set_max (2, 512 > 0) is dropped
        Assert.Equal("1", Pick(set, Req("1.1.1.1", destination: "8.8.8.8", time: 10 + Day)));
        Assert.Equal(2, table.Entries[vip].Set.Count);
        Assert.Equal("1", Pick(set, Req("1.1.1.1", destination: "8.8.8.8", time: 11 + Day)));
        Assert.Equal("1", string.Join(",", table.Entries[vip].Set.Select(d => d.Id.Address.GetAddressBytes()[3])));
        Assert.Equal(11 + Day, table.Entries[vip].LastMod);
    }

    [Fact]
    public void Lblcr_skips_removed_members()
    {
        var set = Set("lblcr", Rs("10.0.0.1"), Rs("10.0.0.2"));
        Assert.Equal("2", Pick(set, Req("1.1.1.1", destination: "8.8.8.8")));
        set.Remove(D(set, "10.0.0.2")); // no longer available: set_min finds none -> wlc -> 1 added
        Assert.Equal("1", Pick(set, Req("1.1.1.1", destination: "8.8.8.8")));
    }
}

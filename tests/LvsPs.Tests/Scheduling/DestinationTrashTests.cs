using LvsPs.Model;
using LvsPs.Scheduling;
using LvsPs.Scheduling.Schedulers;
using static LvsPs.Tests.Scheduling.SchedulerTestKit;

namespace LvsPs.Tests.Scheduling;

/// <summary>
/// The kernel's destination trash (ip_vs_ctl.c: __ip_vs_del_dest puts a removed destination in ipvs->dest_trash,
/// ip_vs_add_dest takes it back through ip_vs_trash_get_dest, ip_vs_dest_trash_expire frees it once nothing refers to
/// it and IP_VS_DEST_TRASH_PERIOD, 120 s, has passed). Clock in seconds.
/// </summary>
public class DestinationTrashTests
{
    [Fact]
    public void A_real_server_added_again_is_the_removed_destination_with_its_connections()
    {
        var set = Set("wlc", Rs("10.0.0.1"), Rs("10.0.0.2")); // list 2, 1
        var first = D(set, "10.0.0.2");
        Bind(set, "10.0.0.2", active: 5); // five connections stay open through the removal
        set.Remove(first);
        Assert.Null(set.Find(Rs("10.0.0.2").Id));
        Assert.Equal(1, set.TrashCount);

        var again = set.Add(Rs("10.0.0.2", weight: 3));
        Assert.Same(first, again);
        Assert.True(again.Available);
        Assert.Equal(3, again.Weight);
        Assert.Equal(5, again.ActiveConnections); // ipvsadm -L shows ActiveConn 5, not 0
        Assert.Equal(0, set.TrashCount);
        Assert.Equal(new[] { "10.0.0.2", "10.0.0.1" }, set.Items.Select(d => d.Id.Address.ToString())); // at the head again

        // wlc sees its open connections: 5 * 256 / 3 against 0 / 1 (a new destination would have been chosen: 0, head)
        Assert.Equal("1", Pick(set, Req("1.1.1.1")));
        again.UnbindConnection(active: true);
        Assert.Equal(4, D(set, "10.0.0.2").ActiveConnections);
    }

    [Fact]
    public void An_lblc_cache_entry_of_a_removed_server_is_valid_again_when_it_comes_back()
    {
        var set = Set("lblc", Rs("10.0.0.1"), Rs("10.0.0.2")); // list 2, 1
        var table = ((LocalityBasedLeastConnectionScheduler)set.Scheduler).Table;
        Assert.Equal("2", Pick(set, Req("1.1.1.1", destination: "8.8.8.8")));
        Bind(set, "10.0.0.1", active: 1);
        var cached = D(set, "10.0.0.2");
        set.Remove(cached);
        Assert.False(cached.Available);
        set.Add(Rs("10.0.0.2"));
        Assert.True(table.TryGet(NetAddress.FromIPAddress(System.Net.IPAddress.Parse("8.8.8.8")), out var entry));
        Assert.Same(D(set, "10.0.0.2"), entry!.Destination); // the entry points at the live destination again
        Assert.Equal("2", Pick(set, Req("1.1.1.2", destination: "8.8.8.8")));
    }

    [Fact]
    public void The_trash_frees_a_destination_120_s_after_its_last_connection_let_go()
    {
        var clock = new ManualClock();
        var set = Set("rr", ServiceFlags.None, new() { Clock = clock }, Rs("10.0.0.1"), Rs("10.0.0.2"));
        var busy = D(set, "10.0.0.2");
        Bind(set, "10.0.0.2", active: 1);
        set.Remove(busy);
        clock.Now = 1000; // referred to: kept however long
        Assert.Equal(1, set.TrashCount);
        busy.UnbindConnection(active: true); // idle from 1000
        clock.Now = 1119;
        Assert.Equal(1, set.TrashCount);
        clock.Now = 1120;
        Assert.Equal(0, set.TrashCount);
        var fresh = set.Add(Rs("10.0.0.2"));
        Assert.NotSame(busy, fresh);

        var idle = D(set, "10.0.0.1");
        set.Remove(idle); // nothing refers to it: idle from now
        clock.Now = 1239;
        Assert.Same(idle, set.Add(Rs("10.0.0.1")));
    }

    [Fact]
    public void Taking_back_a_destination_whose_dead_slot_is_in_the_current_block_keeps_every_count()
    {
        var set = Set("wlc", Rs("10.0.0.1"), Rs("10.0.0.2"), Rs("10.0.0.3"));
        for (int round = 0; round < 50; round++)
        {
            var d = D(set, "10.0.0.2");
            d.BindConnection(active: true);
            set.Remove(d);
            var back = set.Add(Rs("10.0.0.2"));
            Assert.Same(d, back);
            Assert.Equal(round + 1, back.ActiveConnections);
        }
        Assert.Equal(3, set.Count);
        Assert.Equal("3", Pick(set, Req("1.1.1.1"))); // list 2, 3, 1: 2 carries 50 connections, 3 and 1 tie at 0
    }
}

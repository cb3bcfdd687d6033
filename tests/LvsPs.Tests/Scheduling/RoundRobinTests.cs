using LvsPs.Scheduling;
using static LvsPs.Tests.Scheduling.SchedulerTestKit;

namespace LvsPs.Tests.Scheduling;

/// <summary>Expectations worked out by hand from net/netfilter/ipvs/ip_vs_rr.c and ip_vs_ctl.c (list_add_rcu at the head).</summary>
public class RoundRobinTests
{
    [Fact]
    public void Lists_and_schedules_in_reverse_order_of_adding()
    {
        var set = Set("rr", Rs("10.0.0.1"), Rs("10.0.0.2"), Rs("10.0.0.3"));
        Assert.Equal(new[] { "10.0.0.3:80", "10.0.0.2:80", "10.0.0.1:80" }, set.Items.Select(d => d.Id.ToString()));
        // cursor starts at the head, so the first pick is the first in list order: the last added
        Assert.Equal("3,2,1,3,2,1", Picks(set, 6));
    }

    [Fact]
    public void Skips_weight_zero_and_overloaded()
    {
        var set = Set("rr", Rs("10.0.0.1"), Rs("10.0.0.2"), Rs("10.0.0.3", upper: 1));
        set.Update(set.Find(Rs("10.0.0.2").Id)!, Rs("10.0.0.2", weight: 0));
        set.Find(Rs("10.0.0.3").Id)!.BindConnection(active: true); // reaches u_threshold 1: overloaded
        Assert.Equal("1,1,1", Picks(set, 3));
    }

    [Fact]
    public void Deleting_the_destination_under_the_cursor_moves_it_to_the_previous_one()
    {
        var set = Set("rr", Rs("10.0.0.1"), Rs("10.0.0.2"), Rs("10.0.0.3")); // list: 3,2,1
        Assert.Equal("3,2", Picks(set, 2)); // cursor on 2
        set.Remove(set.Find(Rs("10.0.0.2").Id)!); // cursor moves back to 3; next is the one after 3: 1
        Assert.Equal("1,3,1", Picks(set, 3));
    }

    [Fact]
    public void Adding_at_the_head_does_not_move_the_cursor_off_its_destination()
    {
        var set = Set("rr", Rs("10.0.0.1"), Rs("10.0.0.2")); // list: 2,1
        Assert.Equal("2", Picks(set, 1)); // cursor on 2
        set.Add(Rs("10.0.0.3")); // list: 3,2,1; cursor still on 2
        Assert.Equal("1,3,2", Picks(set, 3));
    }

    [Fact]
    public void No_destination_gives_null()
    {
        Assert.Null(Set("rr").Schedule(AnyRequest));
        var set = Set("rr", Rs("10.0.0.1", weight: 0));
        Assert.Null(set.Schedule(AnyRequest));
    }
}

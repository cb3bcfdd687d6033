using static LvsPs.Tests.Scheduling.SchedulerTestKit;

namespace LvsPs.Tests.Scheduling;

/// <summary>Expectations from net/netfilter/ipvs/ip_vs_wlc.c: overhead = active*256 + inactive, strict comparison.</summary>
public class WeightedLeastConnectionTests
{
    [Fact]
    public void Ties_go_to_the_first_in_list_order()
    {
        var set = Set("wlc", Rs("10.0.0.1"), Rs("10.0.0.2")); // list 2,1
        Assert.Equal("2", Picks(set, 1));
    }

    [Fact]
    public void Least_overhead_relative_to_weight_wins()
    {
        var set = Set("wlc", Rs("10.0.0.1", 1), Rs("10.0.0.2", 3)); // list 2,1
        var d1 = set.Find(Rs("10.0.0.1").Id)!;
        var d2 = set.Find(Rs("10.0.0.2").Id)!;
        d2.BindConnection(active: true); d2.BindConnection(active: true); d2.BindConnection(active: true); // 768/3 = 256
        d1.BindConnection(active: false); // 1/1
        Assert.Equal("1", Picks(set, 1));
        d1.SetConnectionActive(true); // 256/1 vs 768/3: equal, 2 is first in list order
        Assert.Equal("2", Picks(set, 1));
    }

    [Fact]
    public void Overloaded_and_zero_weight_are_skipped()
    {
        var set = Set("wlc", Rs("10.0.0.1"), Rs("10.0.0.2", 0), Rs("10.0.0.3", upper: 1));
        set.Find(Rs("10.0.0.3").Id)!.BindConnection(active: false);
        Assert.Equal("1,1", Picks(set, 2));
    }
}

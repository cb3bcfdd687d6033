using static LvsPs.Tests.Scheduling.SchedulerTestKit;

namespace LvsPs.Tests.Scheduling;

/// <summary>The overload flag as net/netfilter/ipvs/ip_vs_conn.c sets (bind) and clears (unbind) it.</summary>
public class DestinationThresholdTests
{
    [Fact]
    public void Upper_threshold_sets_and_three_quarters_clears_without_a_lower_one()
    {
        var d = Set("rr", Rs("10.0.0.1", upper: 4)).Items[0];
        for (int i = 0; i < 4; i++) d.BindConnection(active: true);
        Assert.True(d.Overloaded);
        d.UnbindConnection(active: true); // 3 * 4 = 12 < 4 * 3 = 12? no: stays overloaded
        Assert.True(d.Overloaded);
        d.UnbindConnection(active: true); // 2 * 4 = 8 < 12: cleared
        Assert.False(d.Overloaded);
    }

    [Fact]
    public void Lower_threshold_clears_below_it()
    {
        var d = Set("rr", Rs("10.0.0.1", upper: 3, lower: 2)).Items[0];
        for (int i = 0; i < 3; i++) d.BindConnection(active: false);
        Assert.True(d.Overloaded);
        d.UnbindConnection(active: false); // 2 < 2? no
        Assert.True(d.Overloaded);
        d.UnbindConnection(active: false); // 1 < 2
        Assert.False(d.Overloaded);
    }

    [Fact]
    public void Raising_the_upper_threshold_clears_overload_and_last_weight_keeps_non_zero()
    {
        var set = Set("rr", Rs("10.0.0.1", weight: 5, upper: 1));
        var d = set.Items[0];
        d.BindConnection(active: true);
        Assert.True(d.Overloaded);
        set.Update(d, Rs("10.0.0.1", weight: 0, upper: 2));
        Assert.False(d.Overloaded);
        Assert.Equal(0, d.Weight);
        Assert.Equal(5, d.LastWeight);
    }
}

using static LvsPs.Tests.Scheduling.SchedulerTestKit;

namespace LvsPs.Tests.Scheduling;

/// <summary>Expectations worked out by hand from net/netfilter/ipvs/ip_vs_wrr.c.</summary>
public class WeightedRoundRobinTests
{
    [Fact]
    public void Weights_4_3_2_follow_the_kernel_sequence()
    {
        // added A(4) B(3) C(2): list C,B,A. Adding A to the empty service makes di = 4, mw = 1 and cw = mw = 1;
        // adding B and C makes di = 1, mw = 4 and keeps cw = 1. So from the head: cw=1: C,B,A | cw=0 -> mw=4: A |
        // cw=3: B,A | cw=2: C,B,A | cw=1: C,B,A ...
        var set = Set("wrr", Rs("10.0.0.1", 4), Rs("10.0.0.2", 3), Rs("10.0.0.3", 2));
        Assert.Equal("3,2,1,1,2,1,3,2,1,3,2,1", Picks(set, 12));
    }

    [Fact]
    public void Gcd_steps_the_current_weight()
    {
        // A(4) then B(2): list B,A. Adding A: di = 4, mw = 1, cw = 1. Adding B: di = 2, mw = 4 - 1 = 3 and, as
        // di > 1, cw = (1 / 2) * 2 + 1 = 1. From the head: cw=1: B,A | cw=-1 -> 3: A | cw=1: B,A | -> 3: A
        var set = Set("wrr", Rs("10.0.0.1", 4), Rs("10.0.0.2", 2));
        Assert.Equal("2,1,1,2,1,1", Picks(set, 6));
    }

    [Fact]
    public void Editing_a_weight_restarts_from_the_head()
    {
        var set = Set("wrr", Rs("10.0.0.1", 1), Rs("10.0.0.2", 1)); // list 2,1; mw 1
        Assert.Equal("2", Picks(set, 1));
        set.Update(set.Find(Rs("10.0.0.1").Id)!, Rs("10.0.0.1", 2)); // cl = head, mw = 2, cw (1) kept
        // cw=1 from the head: 2,1 | cw=0 -> mw 2: 1 | cw=1: 2,1
        Assert.Equal("2,1,1,2,1", Picks(set, 5));
    }

    [Fact]
    public void All_weights_zero_gives_null()
    {
        var set = Set("wrr", Rs("10.0.0.1", 0), Rs("10.0.0.2", 0));
        Assert.Null(set.Schedule(AnyRequest));
    }
}

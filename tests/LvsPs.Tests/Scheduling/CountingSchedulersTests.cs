using LvsPs.Model;
using static LvsPs.Tests.Scheduling.SchedulerTestKit;

namespace LvsPs.Tests.Scheduling;

/// <summary>
/// lc, sed, nq, fo and ovf, with expectations worked out by hand from ip_vs_lc.c, ip_vs_sed.c, ip_vs_nq.c, ip_vs_fo.c
/// and ip_vs_ovf.c. Servers are added 1, 2, 3, so the kernel's list (and every walk) is 3, 2, 1.
/// </summary>
public class CountingSchedulersTests
{
    [Fact]
    public void Lc_takes_the_least_overhead_first_in_list_order_on_ties()
    {
        var set = Set("lc", Rs("10.0.0.1", 1), Rs("10.0.0.2", 5), Rs("10.0.0.3", 1));
        Assert.Equal("3", Pick(set, AnyRequest)); // all 0: the first, 3
        Bind(set, "10.0.0.3", active: 1); // 3: 256
        Assert.Equal("2", Pick(set, AnyRequest)); // 2 and 1 at 0: doh < loh is strict, 2 comes first
        Bind(set, "10.0.0.2", inactive: 1); // 2: 1; weight 5 does not matter to lc
        Assert.Equal("1", Pick(set, AnyRequest));
        Bind(set, "10.0.0.1", inactive: 2); // 1: 2 > 2's 1
        Assert.Equal("2", Pick(set, AnyRequest));
    }

    [Fact]
    public void Lc_skips_weight_zero_and_overloaded()
    {
        var set = Set("lc", Rs("10.0.0.1", 1), Rs("10.0.0.2", 0), Rs("10.0.0.3", 1, upper: 1));
        Bind(set, "10.0.0.1", active: 3);
        Bind(set, "10.0.0.3", inactive: 1); // reaches u_threshold 1
        Assert.Equal("1", Pick(set, AnyRequest));
    }

    [Fact]
    public void Sed_counts_active_plus_one_over_weight_and_ignores_inactive()
    {
        var set = Set("sed", Rs("10.0.0.1", 1), Rs("10.0.0.2", 3)); // list 2(w3), 1(w1)
        Assert.Equal("2", Pick(set, AnyRequest)); // 1/3 vs 1/1
        Bind(set, "10.0.0.2", active: 2); // 2: (2+1)/3 = 1, 1: 1/1: loh*dw 3*1 > doh*lw 1*3? no: tie stays with 2
        Assert.Equal("2", Pick(set, AnyRequest));
        Bind(set, "10.0.0.2", active: 1); // 2: 4/3 > 1/1: 4*1 > 1*3
        Assert.Equal("1", Pick(set, AnyRequest));
        Bind(set, "10.0.0.1", inactive: 50); // inactive does not count
        Assert.Equal("1", Pick(set, AnyRequest));
    }

    [Fact]
    public void Nq_sends_to_the_first_idle_server_else_shortest_expected_delay()
    {
        var set = Set("nq", Rs("10.0.0.1", 1), Rs("10.0.0.2", 3)); // list 2(w3), 1(w1)
        Assert.Equal("2", Pick(set, AnyRequest)); // 2 idle: at once
        Bind(set, "10.0.0.2", active: 1);
        Assert.Equal("1", Pick(set, AnyRequest)); // 1 idle, though 2's (1+1)/3 is lower than 1's 1/1
        Bind(set, "10.0.0.1", active: 1); // both busy: 2 = 2/3, 1 = 2/1: 2
        Assert.Equal("2", Pick(set, AnyRequest));
        Bind(set, "10.0.0.2", active: 4); // 2 = 6/3 = 2 vs 1 = 2/1 = 2: loh*dw = 6*1 > 2*3? no: stays 2
        Assert.Equal("2", Pick(set, AnyRequest));
        Bind(set, "10.0.0.2", active: 1); // 7/3 > 2: 7*1 > 2*3
        Assert.Equal("1", Pick(set, AnyRequest));
    }

    [Fact]
    public void Fo_takes_the_highest_weight_first_in_list_order()
    {
        var set = Set("fo", Rs("10.0.0.1", 5), Rs("10.0.0.2", 10), Rs("10.0.0.3", 10, upper: 1)); // list 3,2,1
        Assert.Equal("3", Pick(set, AnyRequest)); // 3 and 2 at 10: strict >, 3 first
        Bind(set, "10.0.0.3", active: 1); // overloaded
        Assert.Equal("2", Pick(set, AnyRequest));
        Bind(set, "10.0.0.2", active: 1000); // fo ignores connections
        Assert.Equal("2", Pick(set, AnyRequest));
        set.Update(D(set, "10.0.0.2"), Rs("10.0.0.2", 0));
        Assert.Equal("1", Pick(set, AnyRequest));
        set.Update(D(set, "10.0.0.1"), Rs("10.0.0.1", 0));
        Assert.Equal("-", Pick(set, AnyRequest));
    }

    [Fact]
    public void Ovf_takes_the_highest_weight_whose_active_connections_do_not_exceed_it()
    {
        var set = Set("ovf", Rs("10.0.0.1", 2), Rs("10.0.0.2", 3), Rs("10.0.0.3", 3)); // list 3(w3), 2(w3), 1(w2)
        Assert.Equal("3", Pick(set, AnyRequest)); // tie at 3: first
        Bind(set, "10.0.0.3", active: 3); // 3 > 3? no: still 3
        Assert.Equal("3", Pick(set, AnyRequest));
        Bind(set, "10.0.0.3", active: 1); // 4 > 3: overflows to 2
        Assert.Equal("2", Pick(set, AnyRequest));
        Bind(set, "10.0.0.2", active: 4, inactive: 9); // 2 overflows too; inactive does not count
        Bind(set, "10.0.0.1", inactive: 100);
        Assert.Equal("1", Pick(set, AnyRequest));
        Bind(set, "10.0.0.1", active: 3);
        Assert.Equal("-", Pick(set, AnyRequest));
    }

    [Fact]
    public void Twos_walks_two_weighted_random_points_and_keeps_the_less_loaded()
    {
        // list 3(w3), 2(w2), 1(w1): total 6, plus 1 -> get_random_u32_below(7)
        // 0x40000000 -> 1, 0x80000000 -> 3: walk 3: r1 = 1-3 <= 0 -> choice1 = 3; r2 = 3-3 = 0 <= 0 -> choice2 = 3
        var random = new SequenceRandom(0x40000000, 0x80000000, 0xFFFFFFFF, 0x40000000, 0xFFFFFFFF, 0x40000000);
        var set = Set("twos", ServiceFlags.None, new() { Random = random }, Rs("10.0.0.1", 1), Rs("10.0.0.2", 2), Rs("10.0.0.3", 3));
        Assert.Equal("3", Pick(set, AnyRequest));
        // 0xFFFFFFFF -> 6, 0x40000000 -> 1: at 3, r1 = 3 and r2 = -2 (choice2 = 3); at 2, r1 = 1; at 1, r1 = 0 -> choice1 = 1.
        // Both idle: weight2 * overhead1 = 0 > weight1 * overhead2 = 0? no: 1
        Assert.Equal("1", Pick(set, AnyRequest));
        // same draw with 1 loaded: 3 * 256 > 1 * 0: the second choice, 3
        Bind(set, "10.0.0.1", active: 1);
        Assert.Equal("3", Pick(set, AnyRequest));
        Assert.Equal(6, random.Drawn);
    }

    [Fact]
    public void Twos_leaves_out_overloaded_and_weight_zero_from_the_total()
    {
        // list 3(w0), 2(w4, overloaded), 1(w2): total 2, plus 1 -> below(3); 0xFFFFFFFF -> 2: r = 2 - 2 = 0 at 1
        var random = new SequenceRandom(0xFFFFFFFF, 0xFFFFFFFF);
        var set = Set("twos", ServiceFlags.None, new() { Random = random }, Rs("10.0.0.1", 2), Rs("10.0.0.2", 4, upper: 1), Rs("10.0.0.3", 0));
        Bind(set, "10.0.0.2", active: 1);
        Assert.Equal("1", Pick(set, AnyRequest));
    }
}

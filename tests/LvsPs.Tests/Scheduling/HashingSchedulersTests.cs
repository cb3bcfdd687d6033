using LvsPs.Model;
using LvsPs.Scheduling;
using LvsPs.Scheduling.Schedulers;
using static LvsPs.Tests.Scheduling.SchedulerTestKit;

namespace LvsPs.Tests.Scheduling;

/// <summary>
/// dh and sh, from ip_vs_dh.c and ip_vs_sh.c, with the hash_32 values of <see cref="KernelHashTests"/>:
/// hash_32(1, 8) = 97, hash_32(2, 8) = 195, hash_32(3, 8) = 37, hash_32(6, 8) = 74.
/// </summary>
public class HashingSchedulersTests
{
    [Fact]
    public void Dh_fills_buckets_round_robin_in_list_order_and_hashes_the_destination_address()
    {
        var set = Set("dh", Rs("10.0.0.1", 1), Rs("10.0.0.2", 7), Rs("10.0.0.3", 1)); // list 3,2,1; weights ignored
        // bucket i holds list[i % 3]: 97 % 3 = 1 -> 2; 195 % 3 = 0 -> 3; 74 % 3 = 2 -> 1
        Assert.Equal("2", Pick(set, Req("172.16.0.9", destination: "0.0.0.1")));
        Assert.Equal("3", Pick(set, Req("172.16.0.9", destination: "0.0.0.2")));
        Assert.Equal("1", Pick(set, Req("172.16.0.9", destination: "0.0.0.6")));
        // the client address does not matter
        Assert.Equal("1", Pick(set, Req("10.9.9.9", 1, destination: "0.0.0.6")));
    }

    [Fact]
    public void Dh_has_no_fallback()
    {
        var set = Set("dh", Rs("10.0.0.1", 1), Rs("10.0.0.2", 1), Rs("10.0.0.3", 1));
        set.Update(D(set, "10.0.0.1"), Rs("10.0.0.1", 0)); // an edit rebuilds the same table
        Assert.Equal("-", Pick(set, Req("172.16.0.9", destination: "0.0.0.6")));
        Assert.Equal("2", Pick(set, Req("172.16.0.9", destination: "0.0.0.1")));
    }

    [Fact]
    public void Sh_gives_each_destination_weight_buckets()
    {
        var set = Set("sh", Rs("10.0.0.1", 1), Rs("10.0.0.2", 2), Rs("10.0.0.3", 1)); // list 3(1), 2(2), 1(1)
        var buckets = ((SourceHashingScheduler)set.Scheduler).Buckets;
        // ip_vs_sh_reassign: 3, 2, 2, 1, then again from the head
        Assert.Equal("3,2,2,1,3,2,2,1", string.Join(",", buckets.Take(8).Select(d => d!.Id.Address.GetAddressBytes()[3])));
        // client 0.0.0.1 -> 97 % 4 = 1 -> 2; 0.0.0.2 -> 195 % 4 = 3 -> 1; 0.0.0.6 -> 74 % 4 = 2 -> 2
        Assert.Equal("2", Pick(set, Req("0.0.0.1")));
        Assert.Equal("1", Pick(set, Req("0.0.0.2")));
        Assert.Equal("2", Pick(set, Req("0.0.0.6")));
        // without sh-port the port does not matter; the VIP never does
        Assert.Equal("2", Pick(set, Req("0.0.0.1", 5555, destination: "192.168.7.7")));
    }

    [Fact]
    public void Sh_gives_a_weight_zero_destination_one_bucket_and_fails_on_it_without_fallback()
    {
        var set = Set("sh", Rs("10.0.0.1", 0), Rs("10.0.0.2", 1)); // list 2(1), 1(0): buckets 2,1,2,1,...
        var buckets = ((SourceHashingScheduler)set.Scheduler).Buckets;
        Assert.Equal(128, buckets.Count(d => d == D(set, "10.0.0.1")));
        Assert.Equal("-", Pick(set, Req("0.0.0.1"))); // 97 is odd: 1, weight 0
        Assert.Equal("2", Pick(set, Req("0.0.0.6"))); // 74 is even: 2
    }

    [Fact]
    public void Sh_fallback_walks_from_the_original_hash()
    {
        var set = Set("sh", ServiceFlags.Sched1, null, Rs("10.0.0.1", 0), Rs("10.0.0.2", 1)); // buckets: even 2, odd 1
        // ihash 97 -> 1 (weight 0); offset 0: roffset 97, (97 + 97) & 255 = 194, even -> 2
        Assert.Equal("2", Pick(set, Req("0.0.0.1")));
    }

    [Fact]
    public void Sh_port_adds_the_client_port_before_hashing()
    {
        var set = Set("sh", ServiceFlags.Sched2, null, Rs("10.0.0.1", 1), Rs("10.0.0.2", 2), Rs("10.0.0.3", 1)); // 3,2,2,1
        // hash_32(1 + 1) = 195, % 4 = 3 -> 1;  hash_32(1 + 5) = 74 -> 2 -> 2
        Assert.Equal("1", Pick(set, Req("0.0.0.1", 1)));
        Assert.Equal("2", Pick(set, Req("0.0.0.1", 5)));
        // only TCP, UDP and SCTP carry ports: port 0 for others -> hash_32(1) = 97 -> 2
        Assert.Equal("2", Pick(set, Req("0.0.0.1", 1, protocol: LvsProtocol.None)));
    }

    [Fact]
    public void Sh_fails_on_an_overloaded_destination()
    {
        var set = Set("sh", Rs("10.0.0.1", 1, upper: 1), Rs("10.0.0.2", 1)); // list 2,1: 97 odd -> 1
        Assert.Equal("1", Pick(set, Req("0.0.0.1")));
        Bind(set, "10.0.0.1", active: 1);
        Assert.Equal("-", Pick(set, Req("0.0.0.1")));
    }
}

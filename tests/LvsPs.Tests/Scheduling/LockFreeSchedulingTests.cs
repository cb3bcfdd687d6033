using System.Net;
using LvsPs.Model;
using LvsPs.Scheduling;
using static LvsPs.Tests.Scheduling.SchedulerTestKit;

namespace LvsPs.Tests.Scheduling;

/// <summary>
/// Read-only schedulers decide without the set's lock: decisions racing with table rebuilds must always see a whole
/// table (every pick a destination of the set, never a torn mix) and never fail.
/// </summary>
public class LockFreeSchedulingTests
{
    [Theory]
    [InlineData("dh")]
    [InlineData("sh")]
    [InlineData("mh")]
    [InlineData("wlc")]
    [InlineData("lc")]
    public async Task Decisions_race_with_changes_safely(string scheduler)
    {
        var set = Set(scheduler, Enumerable.Range(1, 20).Select(i => Rs($"10.0.0.{i}", weight: 1 + i % 3)).ToArray());
        Assert.True(set.Scheduler.IsReadOnly);
        var known = set.Items.Select(d => d.Id).ToHashSet();
        using var stop = new CancellationTokenSource();
        var failures = 0;
        var deciders = Enumerable.Range(0, 2).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < 200_000 && !stop.IsCancellationRequested; i++)
            {
                var request = new SchedulingRequest(LvsProtocol.Tcp, NetAddress.FromIPv4((uint)(0x0B000000 + i * 31 + t)), (ushort)i, NetAddress.FromIPv4((uint)(0xC0A80000 + i % 97)), 80);
                var d = set.Schedule(request);
                if (d is not null && !known.Contains(d.Id)) Interlocked.Increment(ref failures);
            }
        })).ToArray();
        // meanwhile: remove and re-add one destination, and change weights, over and over
        var rs = Rs("10.0.0.5", weight: 2);
        for (int round = 0; round < 300; round++)
        {
            var d = set.Find(rs.Id);
            if (d is not null) set.Remove(d);
            set.Add(rs with { Weight = 1 + round % 4 });
            var other = set.Items[round % set.Items.Length];
            set.Update(other, other.Settings with { Weight = 1 + round % 5 });
        }
        stop.Cancel();
        await Task.WhenAll(deciders);
        Assert.Equal(0, failures);
    }
}

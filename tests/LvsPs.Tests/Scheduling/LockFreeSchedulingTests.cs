using System.Net;
using LvsPs.Model;
using LvsPs.Scheduling;
using static LvsPs.Tests.Scheduling.SchedulerTestKit;

namespace LvsPs.Tests.Scheduling;

/// <summary>
/// Read-only schedulers decide without the set's lock: decisions racing with table rebuilds must always see a whole
/// table (every pick a destination of the set, never a torn mix) and never fail. The test counts the decisions that
/// really ran while the table changed, and keeps changing it until there were enough of them.
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
        using var started = new CountdownEvent(2);
        int failures = 0, decisions = 0, duringChanges = 0, changing = 0;
        string? firstFailure = null;
        // The hashing schedulers give no destination when the server their bucket names is unavailable, as the kernel's
        // do (is_unavailable in ip_vs_sh.c, ip_vs_dh.c, ip_vs_mh.c): between the removal of 10.0.0.5 and the rebuilt
        // table a decision may find none. The scanning ones (lc, wlc) always find one of the others (all weights >= 1).
        bool mayFindNone = scheduler is "dh" or "sh" or "mh";
        var deciders = Enumerable.Range(0, 2).Select(t => Task.Factory.StartNew(() =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                var request = new SchedulingRequest(LvsProtocol.Tcp, NetAddress.FromIPv4((uint)(0x0B000000 + i * 31 + t)), (ushort)i, NetAddress.FromIPv4((uint)(0xC0A80000 + i % 97)), 80);
                bool whileChanging = Volatile.Read(ref changing) == 1;
                var d = set.Schedule(request);
                // every real server has a weight of at least 1: no decision may come back empty, nor name a stranger
                if (d is null ? !mayFindNone : !known.Contains(d.Id))
                {
                    if (Interlocked.Increment(ref failures) == 1) firstFailure = d is null ? "no destination" : $"a stranger, {d.Id}";
                }
                Interlocked.Increment(ref decisions);
                if (whileChanging) Interlocked.Increment(ref duringChanges);
                if (i == 0) started.Signal();
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)), "the deciders did not start");
        // meanwhile: remove and re-add one destination, and change weights, over and over, until enough decisions
        // raced with the changes (bounded by a round count, not by time: a loaded machine only makes it take longer)
        Volatile.Write(ref changing, 1);
        var rs = Rs("10.0.0.5", weight: 2);
        for (int round = 0; round < 2_000_000 && (round < 300 || Volatile.Read(ref duringChanges) < 20_000); round++)
        {
            var d = set.Find(rs.Id);
            if (d is not null) set.Remove(d);
            set.Add(rs with { Weight = 1 + round % 4 });
            var other = set.Items[round % set.Items.Length];
            set.Update(other, other.Settings with { Weight = 1 + round % 5 });
        }
        Volatile.Write(ref changing, 0);
        stop.Cancel();
        await Task.WhenAll(deciders);
        Assert.True(failures == 0, $"{failures} of {decisions} decisions failed, the first: {firstFailure}");
        // the race was real: decisions were made while the table changed
        Assert.True(duringChanges > 0, $"no decision ran during the changes ({decisions} in all)");
    }
}

using LvsPs.Health.Probes;
using LvsPs.Model.Health;

namespace LvsPs.Health;

/// <summary>
/// Schedule: when each checked service's round of probes runs, and running it. A timer per service fires every
/// interval (the first round at once); a round probes every checked real server at once, each bounded by the check's
/// timeout, and hands the results to the monitor under its lock, unless the service stopped being checked meanwhile.
/// Rounds of one service never overlap (<see cref="ServiceHealth.Round"/>).
/// </summary>
internal sealed class ProbeSchedule
{
    private readonly object _gate;
    private readonly Func<HealthCheckType, IHealthProbe> _probes;
    private readonly TimeProvider _time;
    private readonly Func<ServiceHealth, bool> _isChecked;
    private readonly Action<ServiceHealth, ServerHealth[], ProbeResult[]> _record;

    /// <param name="gate">The monitor's lock, held while a round reads its servers and while it records results.</param>
    /// <param name="probes">The probe for each check type.</param>
    /// <param name="time">The clock of the timers and of the results' time stamps.</param>
    /// <param name="isChecked">Under the lock: whether the service is still checked (by this very check state).</param>
    /// <param name="record">Under the lock: what the round found, one result per server in the order given.</param>
    public ProbeSchedule(object gate, Func<HealthCheckType, IHealthProbe> probes, TimeProvider time, Func<ServiceHealth, bool> isChecked,
        Action<ServiceHealth, ServerHealth[], ProbeResult[]> record)
    {
        _gate = gate;
        _probes = probes;
        _time = time;
        _isChecked = isChecked;
        _record = record;
    }

    /// <summary>Now, on the schedule's clock.</summary>
    public DateTimeOffset Now => _time.GetLocalNow();

    /// <summary>(Re)starts the service's rounds at its check's interval, the first one at once.</summary>
    public void Start(ServiceHealth sh)
    {
        sh.Timer?.Dispose();
        var interval = TimeSpan.FromSeconds(sh.Check.IntervalSeconds);
        sh.Timer = _time.CreateTimer(_ => _ = RunTimedRoundAsync(sh), null, TimeSpan.Zero, interval);
    }

    /// <summary>Runs one round now, after any round under way.</summary>
    public async Task RunRoundAsync(ServiceHealth sh)
    {
        await sh.Round.WaitAsync().ConfigureAwait(false);
        await RunRoundLockedAsync(sh).ConfigureAwait(false);
    }

    /// <summary>
    /// The timer's round: skipped when the previous one is still running. The round is claimed at once (so a
    /// <see cref="RunRoundAsync"/> called after the timer fired runs after it) and run off the timer's thread (a manual
    /// clock fires timers on the thread that advances it, which may hold the monitor's lock).
    /// </summary>
    private async Task RunTimedRoundAsync(ServiceHealth sh)
    {
        if (!sh.Round.Wait(0)) return;
        await Task.Yield();
        await RunRoundLockedAsync(sh).ConfigureAwait(false);
    }

    private async Task RunRoundLockedAsync(ServiceHealth sh)
    {
        try
        {
            HealthCheckSettings check;
            ServerHealth[] servers;
            lock (_gate)
            {
                if (!_isChecked(sh)) return;
                check = sh.Check;
                servers = sh.Servers.ToArray();
            }
            var probe = _probes(check.Type);
            var results = await Task.WhenAll(servers.Select(async s =>
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(check.TimeoutSeconds));
                try
                {
                    return await probe.ProbeAsync(sh.Id, s.Desired.Id, check, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    return new ProbeResult(false, "check failed: " + e.Message);
                }
            })).ConfigureAwait(false);
            lock (_gate)
            {
                if (_isChecked(sh)) _record(sh, servers, results);
            }
        }
        finally
        {
            sh.Round.Release();
        }
    }
}

namespace LvsPs.Engine.Stats;

/// <summary>Runs the estimator step for every registered <see cref="StatsCounters"/> every two seconds, as IPVS does.</summary>
public sealed class RateEstimator : IDisposable
{
    /// <summary>The kernel's estimation interval (ip_vs_est.c: IPVS_EST_TICK is 2 s).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly object _gate = new();
    private readonly HashSet<StatsCounters> _counters = new();
    private readonly Timer? _timer;
    private readonly Action? _beforeTick;

    /// <param name="beforeTick">Runs before each step (the engine samples live TCP connections' segment counts there).</param>
    /// <param name="start">False for tests that drive <see cref="Tick"/> by hand.</param>
    public RateEstimator(Action? beforeTick = null, bool start = true)
    {
        _beforeTick = beforeTick;
        if (start) _timer = new Timer(_ => Tick(), null, Interval, Interval);
    }

    public void Register(StatsCounters counters)
    {
        lock (_gate) _counters.Add(counters);
    }

    public void Unregister(StatsCounters counters)
    {
        lock (_gate) _counters.Remove(counters);
    }

    public void Tick()
    {
        try
        {
            _beforeTick?.Invoke();
        }
        catch (ObjectDisposedException)
        {
            // a connection closed while it was sampled; its final counts were taken at close
        }
        StatsCounters[] all;
        lock (_gate) all = _counters.ToArray();
        foreach (var c in all) c.EstimateTick();
    }

    public void Dispose() => _timer?.Dispose();
}

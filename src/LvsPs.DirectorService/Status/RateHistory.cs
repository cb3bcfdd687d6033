using LvsPs.Model;

namespace LvsPs.DirectorService.Status;

/// <summary>
/// The last minutes of every service's and real server's rates (the estimator's CPS, InPPS, OutPPS, InBPS, OutBPS, as
/// ipvsadm --rate shows them), sampled every <see cref="Interval"/> (the estimator's own interval), for the status
/// page's charts. Bounded: <see cref="Samples"/> samples of at most <see cref="MaxSeries"/> series each.
/// </summary>
internal sealed class RateHistory : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    public const int Samples = 150; // five minutes
    public const int MaxSeries = 4096;

    private readonly Func<IReadOnlyList<VirtualService>> _services;
    private readonly Action<string> _log;
    private readonly Queue<Sample> _samples = new();
    private readonly Timer _timer;
    private bool _logged;

    public RateHistory(Func<IReadOnlyList<VirtualService>> services, Action<string> log)
    {
        _services = services;
        _log = log;
        _timer = new Timer(_ => Take(), null, TimeSpan.Zero, Interval);
    }

    /// <summary>A series' key: the service's name, or the service's and the real server's names.</summary>
    public static string Key(VirtualServiceId service, RealServerId? realServer = null) => realServer is null ? service.ToString() : service + " " + realServer;

    /// <summary>Every sample, oldest first: when it was taken (Unix milliseconds) and each series' rates then.</summary>
    public HistoryView View()
    {
        Sample[] samples;
        lock (_samples) samples = _samples.ToArray();
        var series = new Dictionary<string, ulong?[][]>(StringComparer.Ordinal);
        for (int i = 0; i < samples.Length; i++)
        {
            foreach (var (key, rates) in samples[i].Rates)
            {
                if (!series.TryGetValue(key, out var columns))
                {
                    columns = Enumerable.Range(0, 5).Select(_ => new ulong?[samples.Length]).ToArray();
                    series[key] = columns;
                }
                columns[0][i] = rates.ConnectionsPerSecond;
                columns[1][i] = rates.PacketsInPerSecond;
                columns[2][i] = rates.PacketsOutPerSecond;
                columns[3][i] = rates.BytesInPerSecond;
                columns[4][i] = rates.BytesOutPerSecond;
            }
        }
        return new HistoryView((int)Interval.TotalSeconds, samples.Select(s => s.UnixMilliseconds).ToArray(),
            series.ToDictionary(p => p.Key, p => new RateSeries(p.Value[0], p.Value[1], p.Value[2], p.Value[3], p.Value[4]), StringComparer.Ordinal));
    }

    private void Take()
    {
        try
        {
            var rates = new Dictionary<string, LvsStats>(StringComparer.Ordinal);
            foreach (var service in _services())
            {
                if (rates.Count < MaxSeries) rates[Key(service.Settings.Id)] = service.Stats;
                foreach (var rs in service.RealServers)
                {
                    if (rates.Count < MaxSeries) rates[Key(service.Settings.Id, rs.Settings.Id)] = rs.Stats;
                }
            }
            lock (_samples)
            {
                _samples.Enqueue(new Sample(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), rates));
                while (_samples.Count > Samples) _samples.Dequeue();
            }
            _logged = false;
        }
        catch (LvsException e)
        {
            if (!_logged) _log("status page: could not sample the rates: " + e.Message);
            _logged = true;
        }
    }

    public void Dispose() => _timer.Dispose();

    private sealed record Sample(long UnixMilliseconds, Dictionary<string, LvsStats> Rates);
}

/// <summary>The charts' data: sample times and, per series key, each rate over those times (null before the series existed).</summary>
internal sealed record HistoryView(int IntervalSeconds, long[] Times, Dictionary<string, RateSeries> Series);

internal sealed record RateSeries(ulong?[] Cps, ulong?[] InPps, ulong?[] OutPps, ulong?[] InBps, ulong?[] OutBps);

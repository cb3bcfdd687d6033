using System.Collections.Concurrent;
using LvsPs.Model;

namespace LvsPs.Engine.Connections;

/// <summary>
/// All live entries of the managed engine (its ip_vs_conn table). A sweep once a second expires entries that have been
/// idle longer than their state's timeout, as IPVS's per-connection timers do; an <see cref="ExpiryWheel{T}"/> hands it
/// only the entries due for a check.
/// </summary>
internal sealed class ConnectionTable : IDisposable
{
    private readonly ConcurrentDictionary<long, EngineConnection> _entries = new();
    private readonly Func<LvsTimeouts> _timeouts;
    private readonly Timer _sweeper;
    private readonly ExpiryWheel<EngineConnection> _wheel = new(Environment.TickCount64);

    public ConnectionTable(Func<LvsTimeouts> timeouts)
    {
        _timeouts = timeouts;
        _sweeper = new Timer(_ => Sweep(Environment.TickCount64), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public int Count => _entries.Count;

    public void Add(EngineConnection connection)
    {
        _entries[connection.Id] = connection;
        connection.Table = this;
        Reschedule(connection);
    }

    /// <summary>Checks the entry for expiry at its deadline under the present timeouts (earlier when its state shortened it).</summary>
    public void Reschedule(EngineConnection connection) =>
        _wheel.Schedule(connection, connection.LastActivity + (long)connection.IdleTimeout(_timeouts()).TotalMilliseconds);

    /// <summary>After the timeouts changed: every entry is checked by its new deadline.</summary>
    public void RescheduleAll()
    {
        foreach (var entry in _entries.Values) Reschedule(entry);
    }

    /// <summary>
    /// Expires and removes an entry; false when it was already gone. The entry leaves the table only after it has left
    /// its destination's counters, so an empty table never shows stale ActiveConn/InActConn (Expire is idempotent, so
    /// two sweeps racing on one entry are harmless).
    /// </summary>
    public bool Remove(EngineConnection connection)
    {
        if (!_entries.ContainsKey(connection.Id)) return false;
        connection.Expire();
        return _entries.TryRemove(connection.Id, out _);
    }

    /// <summary>Expires every entry due for a check that is idle past its timeout at <paramref name="now"/> (ms ticks).</summary>
    public void Sweep(long now)
    {
        var timeouts = _timeouts();
        foreach (var entry in _wheel.TakeDue(now))
        {
            if (!_entries.ContainsKey(entry.Id)) continue;
            long deadline = entry.LastActivity + (long)entry.IdleTimeout(timeouts).TotalMilliseconds;
            if (now >= deadline) Remove(entry);
            else _wheel.Schedule(entry, deadline);
        }
    }

    public void SampleAll()
    {
        foreach (var entry in _entries.Values) entry.Sample();
    }

    public IEnumerable<EngineConnection> Entries => _entries.Values;

    public IReadOnlyList<LvsConnection> Snapshot()
    {
        var timeouts = _timeouts();
        long now = Environment.TickCount64;
        return _entries.Values.OrderBy(e => e.Id).Select(e => e.ToModel(timeouts, now)).ToList();
    }

    public void Dispose()
    {
        _sweeper.Dispose();
        foreach (var entry in _entries.Values) Remove(entry);
    }
}

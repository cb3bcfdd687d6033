using System.Collections.Concurrent;
using LvsPs.Engine.Loop;
using LvsPs.Model;

namespace LvsPs.Engine.Connections;

/// <summary>
/// All live entries of the managed engine (its ip_vs_conn table). A sweep once a second expires entries that have been
/// idle longer than their state's timeout, as IPVS's per-connection timers do; an <see cref="ExpiryWheel"/> hands it
/// only the entries due for a check.
/// </summary>
internal sealed class ConnectionTable : IDisposable
{
    private readonly ConcurrentDictionary<long, EngineConnection> _entries = new();
    private readonly Func<LvsTimeouts> _timeouts;
    private readonly Timer _sweeper;
    private readonly ExpiryWheel _wheel = new(Environment.TickCount64);
    private readonly TimeWaitRecords _timeWait = new();

    public ConnectionTable(Func<LvsTimeouts> timeouts)
    {
        _timeouts = timeouts;
        _sweeper = new Timer(_ => Sweep(Environment.TickCount64), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public int Count => _entries.Count + _timeWait.Count;

    /// <summary>Connections still open (TIME_WAIT records not counted).</summary>
    public int OpenCount => _entries.Count;

    /// <summary>
    /// A TCP connection closed and entered TIME_WAIT: from now on the table keeps it as a compact record, which leaves
    /// the destination's counters when TIME_WAIT runs out, and lets go of the connection object.
    /// </summary>
    public void EnterTimeWait(EngineConnection connection)
    {
        if (!connection.TryHandOver()) return; // already expired and out of the counters
        if (!_entries.TryRemove(connection.Id, out _))
        {
            // removed meanwhile, but its expiry left the counters to us
            EngineConnection.Release(connection.Service, connection.RealServer, active: false, connection.Template);
            return;
        }
        _timeWait.Add(new TimeWaitRecords.Record(connection.Id, Environment.TickCount64, connection.Service, connection.RealServer,
            connection.Template, connection.Peer));
    }

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
        foreach (var record in _timeWait.TakeExpired(now)) record.Release();
        var timeouts = _timeouts();
        foreach (var (id, second) in _wheel.TakeDue(now))
        {
            if (!_entries.TryGetValue(id, out var entry) || !_wheel.Claim(entry, second)) continue;
            entry.CatchUp();
            long deadline = entry.LastActivity + (long)entry.IdleTimeout(timeouts).TotalMilliseconds;
            if (now >= deadline) Remove(entry);
            else _wheel.Schedule(entry, deadline);
        }
    }

    /// <summary>Brings every entry's activity (and, on the fast path, byte counters) up to date: <see cref="EngineConnection.CatchUp"/>.</summary>
    public void CatchUpAll()
    {
        foreach (var entry in _entries.Values) entry.CatchUp();
    }

    public void SampleAll()
    {
        foreach (var entry in _entries.Values) entry.Sample();
    }

    public IReadOnlyList<LvsConnection> Snapshot()
    {
        var timeouts = _timeouts();
        long now = Environment.TickCount64;
        var live = _entries.Values.Select(e => (e.Id, Model: e.ToModel(timeouts, now)));
        var closed = _timeWait.ToArray().Select(r => (r.Id, Model: r.ToModel(now)));
        return live.Concat(closed).OrderBy(e => e.Id).Select(e => e.Model).ToList();
    }

    public void Dispose()
    {
        _sweeper.Dispose();
        foreach (var entry in _entries.Values) Remove(entry);
        foreach (var record in _timeWait.TakeAll()) record.Release();
    }
}

namespace LvsPs.DirectorService;

/// <summary>The control connections open now, so their number stays bounded: the one idle the longest makes room.</summary>
internal sealed class ControlConnections
{
    private readonly object _gate = new();
    private readonly List<Entry> _open = new();
    private readonly int _max;
    private long _events;

    public ControlConnections(int max) => _max = max;

    public int Count
    {
        get { lock (_gate) return _open.Count; }
    }

    /// <summary>A connection's place in the table; cancelled when it must make room.</summary>
    public sealed class Entry : IDisposable
    {
        private readonly ControlConnections _owner;

        internal Entry(ControlConnections owner, long since)
        {
            _owner = owner;
            IdleSince = since;
        }

        public CancellationTokenSource Evicted { get; } = new();

        internal bool Idle { get; private set; } = true;

        /// <summary>When it became idle, in the order of events (a counter, so two in one millisecond still have an order).</summary>
        internal long IdleSince { get; private set; }

        /// <summary>Waiting for the next request (may be closed to make room) or working on one (may not).</summary>
        public void SetIdle(bool idle)
        {
            lock (_owner._gate)
            {
                if (idle && !Idle) IdleSince = ++_owner._events;
                Idle = idle;
            }
        }

        public void Dispose()
        {
            lock (_owner._gate) _owner._open.Remove(this);
            Evicted.Dispose();
        }
    }

    /// <summary>Closes every connection that waits for a request (one in the middle of a request finishes it first).</summary>
    public void EvictIdle()
    {
        lock (_gate)
        {
            foreach (var e in _open.Where(e => e.Idle && !e.Evicted.IsCancellationRequested).ToList())
            {
                e.Evicted.Cancel();
                _open.Remove(e);
            }
        }
    }

    /// <summary>A place for a new connection, closing the longest-idle one when full; null when every one is busy.</summary>
    public Entry? TryAdd()
    {
        lock (_gate)
        {
            if (_open.Count >= _max)
            {
                Entry? oldest = null;
                foreach (var e in _open)
                {
                    if (e.Idle && !e.Evicted.IsCancellationRequested && (oldest is null || e.IdleSince < oldest.IdleSince)) oldest = e;
                }
                if (oldest is null) return null;
                oldest.Evicted.Cancel();
                _open.Remove(oldest);
            }
            var entry = new Entry(this, ++_events);
            _open.Add(entry);
            return entry;
        }
    }
}

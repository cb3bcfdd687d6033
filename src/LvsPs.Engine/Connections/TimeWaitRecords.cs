using LvsPs.Engine.Loop;
using LvsPs.Model;
using LvsPs.Scheduling.Persistence;

namespace LvsPs.Engine.Connections;

/// <summary>
/// Closed TCP connections in TIME_WAIT, kept as IPVS keeps them (counted as inactive and listed for 2 minutes,
/// ip_vs_proto_tcp.c tcp_timeouts) but as 64-byte values in 64 KiB chunks instead of a connection object each: at thousands
/// of connections a second a director holds hundreds of thousands of them, and as objects they cost the garbage
/// collector most of its pauses. Every record has the same timeout, so the oldest is always at the head and expiry
/// takes records from there.
/// </summary>
internal sealed class TimeWaitRecords
{
    /// <summary>IPVS keeps a closed connection in TIME_WAIT for 2 minutes (tcp_timeouts[IP_VS_TCP_S_TIME_WAIT]); not settable.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Records per chunk: 64 KiB, under the large-object heap's 85,000 bytes, so chunks are ordinary objects.</summary>
    private const int ChunkSize = 1024;

    private static readonly long s_timeoutMs = (long)Timeout.TotalMilliseconds;

    private readonly object _gate = new();
    private readonly Queue<Record[]> _chunks = new(); // oldest first; the last one is being filled
    private Record[]? _last, _spare;
    private int _head, _tail, _count;                 // read position in the first chunk, write position in the last

    public int Count
    {
        get
        {
            lock (_gate) return _count;
        }
    }

    /// <summary>One connection in TIME_WAIT: what its listing and its release need.</summary>
    public readonly record struct Record(long Id, long Since, ManagedService Service, RealServerRuntime RealServer, PersistenceTemplate? Template, PeerAddress Client)
    {
        public LvsConnection ToModel(long now) => EngineConnection.ToModel(LvsProtocol.Tcp, Client.ToEndPoint(), Service, RealServer,
            "TIME_WAIT", Timeout - TimeSpan.FromMilliseconds(now - Since), active: false);

        /// <summary>Leaves the destination's counters, as the connection would have at the end of TIME_WAIT.</summary>
        public void Release() => EngineConnection.Release(Service, RealServer, active: false, Template);
    }

    public void Add(in Record record)
    {
        lock (_gate)
        {
            if (_last is null || _tail == ChunkSize)
            {
                _last = _spare ?? new Record[ChunkSize];
                _spare = null;
                _chunks.Enqueue(_last);
                _tail = 0;
            }
            _last[_tail++] = record;
            _count++;
        }
    }

    /// <summary>Takes the records whose TIME_WAIT has run out at <paramref name="now"/> (ms ticks), oldest first.</summary>
    public List<Record> TakeExpired(long now) => Take(r => now - r.Since >= s_timeoutMs);

    /// <summary>Takes every record (the director is shutting down).</summary>
    public List<Record> TakeAll() => Take(static _ => true);

    private List<Record> Take(Func<Record, bool> expired)
    {
        var taken = new List<Record>();
        lock (_gate)
        {
            while (_count > 0)
            {
                var first = _chunks.Peek();
                if (!expired(first[_head])) break;
                taken.Add(first[_head]);
                first[_head++] = default;
                _count--;
                bool lastChunk = _chunks.Count == 1;
                if (_head == ChunkSize || (lastChunk && _head == _tail))
                {
                    _chunks.Dequeue();
                    _spare = first; // one chunk is kept for the next records
                    _head = 0;
                    if (lastChunk)
                    {
                        _tail = 0;
                        _last = null;
                    }
                }
            }
        }
        return taken;
    }

    /// <summary>Copies the records, oldest first (for listings).</summary>
    public Record[] ToArray()
    {
        lock (_gate)
        {
            var copy = new Record[_count];
            int n = 0, index = 0;
            foreach (var chunk in _chunks)
            {
                int from = index == 0 ? _head : 0;
                int to = index == _chunks.Count - 1 ? _tail : ChunkSize;
                for (int i = from; i < to; i++) copy[n++] = chunk[i];
                index++;
            }
            return copy;
        }
    }
}

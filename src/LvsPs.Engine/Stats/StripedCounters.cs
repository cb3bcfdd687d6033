using System.Numerics;

namespace LvsPs.Engine.Stats;

/// <summary>
/// The five counters of <see cref="StatsCounters"/> striped over one cache-line-sized cell per processor (up to 64):
/// threads on different cores add to different cells and never contend for a line; a read sums the cells, so counts
/// stay exact.
/// </summary>
internal sealed class StripedCounters
{
    public const int Connections = 0, InPackets = 1, OutPackets = 2, InBytes = 3, OutBytes = 4;

    /// <summary>Longs per cell: 128 bytes, so neighbouring cells never share a line (nor an adjacent-line prefetch pair).</summary>
    private const int Stride = 16;

    private static readonly int s_cells = (int)Math.Min(64u, BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount));

    private readonly long[] _values = new long[(s_cells + 1) * Stride]; // cell 0 is padding against the array's header

    public void Add(int counter, long value)
    {
        int cell = (Thread.GetCurrentProcessorId() & (s_cells - 1)) + 1;
        Interlocked.Add(ref _values[cell * Stride + counter], value);
    }

    public long Read(int counter)
    {
        long sum = 0;
        for (int cell = 1; cell <= s_cells; cell++) sum += Volatile.Read(ref _values[cell * Stride + counter]);
        return sum;
    }

    public void Reset()
    {
        for (int i = 0; i < _values.Length; i++) Interlocked.Exchange(ref _values[i], 0);
    }
}

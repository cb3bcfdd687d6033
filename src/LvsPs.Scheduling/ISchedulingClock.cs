namespace LvsPs.Scheduling;

/// <summary>A monotonic clock for schedulers and persistence; injectable so tests control time.</summary>
public interface ISchedulingClock
{
    /// <summary>Monotonic ticks.</summary>
    long Now { get; }

    /// <summary>Ticks per second of <see cref="Now"/>.</summary>
    long Frequency { get; }
}

/// <summary>The system's monotonic clock (<see cref="Environment.TickCount64"/>, milliseconds).</summary>
public sealed class SystemSchedulingClock : ISchedulingClock
{
    public static readonly SystemSchedulingClock Instance = new();

    public long Now => Environment.TickCount64;

    public long Frequency => 1000;
}

/// <summary>A random source for randomised schedulers (twos); injectable so tests are deterministic.</summary>
public interface IRandomSource
{
    /// <summary>A uniformly distributed 32-bit value, as the kernel's get_random_u32().</summary>
    uint NextUInt32();
}

/// <summary>The shared thread-safe random source.</summary>
public sealed class SystemRandomSource : IRandomSource
{
    public static readonly SystemRandomSource Instance = new();

    public uint NextUInt32() => (uint)Random.Shared.NextInt64(0, 1L << 32);
}

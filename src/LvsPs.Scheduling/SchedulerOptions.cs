namespace LvsPs.Scheduling;

/// <summary>What a scheduler may need from outside: time and randomness, both injectable for tests.</summary>
public sealed record SchedulerOptions
{
    public static readonly SchedulerOptions Default = new();

    public ISchedulingClock Clock { get; init; } = SystemSchedulingClock.Instance;

    public IRandomSource Random { get; init; } = SystemRandomSource.Instance;
}

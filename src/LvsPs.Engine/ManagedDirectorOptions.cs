using LvsPs.Scheduling;

namespace LvsPs.Engine;

/// <summary>How a <see cref="ManagedDirector"/> is made.</summary>
public sealed record ManagedDirectorOptions
{
    /// <summary>Clock and random source handed to the schedulers.</summary>
    public SchedulerOptions Scheduler { get; init; } = SchedulerOptions.Default;

    /// <summary>Runs the 2-second rate estimator on a timer (tests turn it off and tick by hand).</summary>
    public bool RunEstimator { get; init; } = true;
}

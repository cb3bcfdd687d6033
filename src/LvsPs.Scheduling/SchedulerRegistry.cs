using LvsPs.Model;
using LvsPs.Scheduling.Schedulers;

namespace LvsPs.Scheduling;

/// <summary>One scheduler the managed engine knows: its kernel name, what it does, and how to make one for a service.</summary>
public sealed record SchedulerDescriptor(string Name, string Description, Func<DestinationSet, IScheduler> Create);

/// <summary>The schedulers the managed engine offers, by their kernel names.</summary>
public static class SchedulerRegistry
{
    private static readonly Dictionary<string, SchedulerDescriptor> ByName = new(StringComparer.Ordinal);

    static SchedulerRegistry()
    {
        Register("rr", _ => new RoundRobinScheduler());
        Register("wrr", s => new WeightedRoundRobinScheduler(s));
        Register("wlc", _ => new WeightedLeastConnectionScheduler());
        Register("lc", _ => new LeastConnectionScheduler());
        Register("lblc", s => new LocalityBasedLeastConnectionScheduler(s.Options));
        Register("lblcr", s => new LocalityBasedLeastConnectionReplicationScheduler(s.Options));
        Register("dh", s => new DestinationHashingScheduler(s));
        Register("sh", s => new SourceHashingScheduler(s));
        Register("sed", _ => new ShortestExpectedDelayScheduler());
        Register("nq", _ => new NeverQueueScheduler());
        Register("mh", s => new MaglevHashingScheduler(s));
        Register("fo", _ => new WeightedFailoverScheduler());
        Register("ovf", _ => new OverflowConnectionScheduler());
        Register("twos", s => new PowerOfTwoChoicesScheduler(s.Options.Random));
    }

    /// <summary>Adds a scheduler (a later registration of the same name replaces the earlier one).</summary>
    public static void Register(SchedulerDescriptor descriptor)
    {
        lock (ByName) ByName[descriptor.Name] = descriptor;
    }

    /// <summary>Adds the library's scheduler for one of the kernel's names, described as <see cref="SchedulerNames"/> describes it.</summary>
    private static void Register(string name, Func<DestinationSet, IScheduler> create) =>
        Register(new SchedulerDescriptor(name, SchedulerNames.Describe(name) ?? throw new ArgumentException($"'{name}' is not an IPVS scheduler name.", nameof(name)), create));

    public static IReadOnlyList<SchedulerDescriptor> All
    {
        get { lock (ByName) return ByName.Values.OrderBy(d => d.Name, StringComparer.Ordinal).ToArray(); }
    }

    public static bool IsKnown(string name)
    {
        lock (ByName) return ByName.ContainsKey(name);
    }

    public static IScheduler Create(string name, DestinationSet set)
    {
        SchedulerDescriptor? d;
        lock (ByName) ByName.TryGetValue(name ?? string.Empty, out d);
        if (d is null) throw UnknownScheduler(name);
        return d.Create(set);
    }

    public static LvsException UnknownScheduler(string? name) =>
        LvsException.InvalidArgument("UnknownScheduler",
            $"Scheduler '{ValueText.Cut(name)}' is not known to the managed engine; allowed: {string.Join(", ", All.Select(d => d.Name))}.", name);
}

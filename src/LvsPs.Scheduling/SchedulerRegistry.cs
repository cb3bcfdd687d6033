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
        Register(new("rr", "Round Robin: each available real server in turn", _ => new RoundRobinScheduler()));
        Register(new("wrr", "Weighted Round Robin: in turn, in proportion to weight", s => new WeightedRoundRobinScheduler(s)));
        Register(new("wlc", "Weighted Least-Connection: fewest connections relative to weight", _ => new WeightedLeastConnectionScheduler()));
    }

    /// <summary>Adds a scheduler (a later registration of the same name replaces the earlier one).</summary>
    public static void Register(SchedulerDescriptor descriptor)
    {
        lock (ByName) ByName[descriptor.Name] = descriptor;
    }

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
            $"Scheduler '{name}' is not known to the managed engine; allowed: {string.Join(", ", All.Select(d => d.Name))}.", name);
}

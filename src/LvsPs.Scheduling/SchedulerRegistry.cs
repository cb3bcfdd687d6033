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
        Register(new("lc", "Least-Connection: fewest connections (active * 256 + inactive)", _ => new LeastConnectionScheduler()));
        Register(new("lblc", "Locality-Based Least-Connection: a cached real server per destination address", s => new LocalityBasedLeastConnectionScheduler(s.Options)));
        Register(new("lblcr", "Locality-Based Least-Connection with Replication: a cached set of real servers per destination address", s => new LocalityBasedLeastConnectionReplicationScheduler(s.Options)));
        Register(new("dh", "Destination Hashing: a static 256-bucket table keyed by the destination address", s => new DestinationHashingScheduler(s)));
        Register(new("sh", "Source Hashing: a weighted 256-bucket table keyed by the client address (and port with sh-port)", s => new SourceHashingScheduler(s)));
        Register(new("sed", "Shortest Expected Delay: least (active + 1) / weight", _ => new ShortestExpectedDelayScheduler()));
        Register(new("nq", "Never Queue: an idle real server, else shortest expected delay", _ => new NeverQueueScheduler()));
        Register(new("mh", "Maglev Hashing: a consistent 4093-entry table keyed by the client address (and port with mh-port)", s => new MaglevHashingScheduler(s)));
        Register(new("fo", "Weighted Fail Over: the available real server with the highest weight", _ => new WeightedFailoverScheduler()));
        Register(new("ovf", "Weighted Overflow: the highest weight whose active connections do not exceed it", _ => new OverflowConnectionScheduler()));
        Register(new("twos", "Weighted Random Twos Choice: the less loaded of two weighted random picks", s => new PowerOfTwoChoicesScheduler(s.Options.Random)));
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
            $"Scheduler '{ValueText.Cut(name)}' is not known to the managed engine; allowed: {string.Join(", ", All.Select(d => d.Name))}.", name);
}

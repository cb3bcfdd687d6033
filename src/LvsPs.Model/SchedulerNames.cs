namespace LvsPs.Model;

/// <summary>One IPVS scheduler by its kernel name (ip_vs_NAME.ko), with what it does.</summary>
public sealed record SchedulerName(string Name, string Description);

/// <summary>
/// The fourteen IPVS schedulers by their kernel names, with what each does: the vocabulary that configuration files,
/// completers and the engine's scheduler library share (the library builds one for each name; the kernel backend
/// reports which of them its kernel has).
/// </summary>
public static class SchedulerNames
{
    /// <summary>Every scheduler, ordered by name.</summary>
    public static readonly IReadOnlyList<SchedulerName> All = new SchedulerName[]
    {
        new("rr", "Round Robin: each available real server in turn"),
        new("wrr", "Weighted Round Robin: in turn, in proportion to weight"),
        new("wlc", "Weighted Least-Connection: fewest connections relative to weight"),
        new("lc", "Least-Connection: fewest connections (active * 256 + inactive)"),
        new("lblc", "Locality-Based Least-Connection: a cached real server per destination address"),
        new("lblcr", "Locality-Based Least-Connection with Replication: a cached set of real servers per destination address"),
        new("dh", "Destination Hashing: a static 256-bucket table keyed by the destination address"),
        new("sh", "Source Hashing: a weighted 256-bucket table keyed by the client address (and port with sh-port)"),
        new("sed", "Shortest Expected Delay: least (active + 1) / weight"),
        new("nq", "Never Queue: an idle real server, else shortest expected delay"),
        new("mh", "Maglev Hashing: a consistent 4093-entry table keyed by the client address (and port with mh-port)"),
        new("fo", "Weighted Fail Over: the available real server with the highest weight"),
        new("ovf", "Weighted Overflow: the highest weight whose active connections do not exceed it"),
        new("twos", "Weighted Random Twos Choice: the less loaded of two weighted random picks"),
    }.OrderBy(s => s.Name, StringComparer.Ordinal).ToArray();

    private static readonly Dictionary<string, SchedulerName> ByName = All.ToDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>The names, ordered, comma-separated (for error messages).</summary>
    public static string List => string.Join(", ", All.Select(s => s.Name));

    public static bool IsKnown(string? name) => name is not null && ByName.ContainsKey(name);

    /// <summary>The description of <paramref name="name"/>, or null for an unknown name.</summary>
    public static string? Describe(string name) => ByName.TryGetValue(name, out var s) ? s.Description : null;
}

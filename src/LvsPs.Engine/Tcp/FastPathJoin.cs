namespace LvsPs.Engine.Tcp;

/// <summary>
/// Which plain TCP connections leave the splice path for the BPF sockmap fast path, and when. The sockmap moves small
/// messages for a fraction of splice's CPU (no wake-up, no system call per message), but it moves large runs of bytes
/// for more than splice does (each skb goes out through the peer's kernel work item), and joining costs about a dozen
/// bpf(2) and socket-option calls and a psock, leaving as many again: more than splicing one request and its answer
/// whole (docs/fast-path.md, docs/benchmarks.md). So a connection joins when it has shown it is a conversation of
/// small messages: at its <see cref="Turns"/>-th change of direction (the default 2: a request, its answer, a second
/// request), provided no run of bytes one way was longer than <see cref="MaxRunBytes"/> (64 KiB); a bulk transfer, a
/// large download and a single exchange stay spliced. <see cref="AtConnect"/> links every connection as soon as its
/// real server's side is connected.
/// </summary>
/// <param name="Turns">Changes of direction at which the connection joins; 0 joins at connect.</param>
/// <param name="MaxRunBytes">The longest run of bytes in one direction a joining connection may have had; 0 for no limit.</param>
public readonly record struct FastPathJoin(int Turns, long MaxRunBytes)
{
    /// <summary>A second request, after no run longer than 64 KiB.</summary>
    public static FastPathJoin Default { get; } = new(2, 64 * 1024);

    /// <summary>Every plain connection, as soon as it is connected.</summary>
    public static FastPathJoin AtConnect { get; } = new(0, 0);

    /// <summary>Whether connections join as soon as they are connected.</summary>
    public bool AtOnce => Turns <= 0;

    /// <summary>Whether a connection that turned <paramref name="turns"/> times, whose longest run one way was
    /// <paramref name="longestRun"/> bytes, joins now.</summary>
    public bool Reached(int turns, long longestRun) => AtOnce || (turns >= Turns && !Excluded(longestRun));

    /// <summary>Whether a connection whose longest run one way was <paramref name="longestRun"/> bytes can no longer join.</summary>
    public bool Excluded(long longestRun) => !AtOnce && MaxRunBytes > 0 && longestRun > MaxRunBytes;
}

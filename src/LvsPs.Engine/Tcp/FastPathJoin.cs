namespace LvsPs.Engine.Tcp;

/// <summary>
/// When a plain TCP connection leaves the splice path for the BPF sockmap fast path. Joining costs about a dozen
/// bpf(2) and socket-option calls and a psock in the kernel, and leaving as many again: about 50 µs of the director's
/// CPU per connection (docs/fast-path.md), more than splicing one request and its answer costs. So a connection joins
/// once it has shown it is more than that: at its <see cref="Turns"/>-th change of direction (the default 2: a request,
/// its answer, then a second request) or once <see cref="Bytes"/> have moved (a bulk transfer), whichever comes
/// first. <see cref="AtConnect"/> (both 0) links every connection as soon as its real server's side is connected.
/// </summary>
/// <param name="Turns">Changes of direction after which the connection joins; 0 for none.</param>
/// <param name="Bytes">Bytes relayed (both ways) after which the connection joins; 0 for none.</param>
public readonly record struct FastPathJoin(int Turns, long Bytes)
{
    /// <summary>A second request (two turns), or 64 KiB.</summary>
    public static FastPathJoin Default { get; } = new(2, 64 * 1024);

    /// <summary>Every plain connection, as soon as it is connected.</summary>
    public static FastPathJoin AtConnect { get; } = new(0, 0);

    /// <summary>Whether connections join as soon as they are connected.</summary>
    public bool AtOnce => Turns <= 0 && Bytes <= 0;

    /// <summary>Whether a connection that has turned <paramref name="turns"/> times and moved <paramref name="bytes"/> joins now.</summary>
    public bool Reached(int turns, long bytes) =>
        AtOnce || (Turns > 0 && turns >= Turns) || (Bytes > 0 && bytes >= Bytes);
}

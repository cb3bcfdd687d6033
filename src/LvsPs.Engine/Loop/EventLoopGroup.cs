namespace LvsPs.Engine.Loop;

/// <summary>
/// A director's event loops, one per core, made when the director starts and stopped when it stops (no loop outlives
/// its director). Handlers are spread over them round-robin.
/// </summary>
internal sealed class EventLoopGroup : IDisposable
{
    private readonly EventLoop[] _loops;
    private int _next;

    private EventLoopGroup(EventLoop[] loops) => _loops = loops;

    /// <summary><paramref name="count"/> loops; null where epoll(7) is not available (the director then relays with
    /// .NET's asynchronous socket operations).</summary>
    public static EventLoopGroup? Create(int count)
    {
        var loops = new List<EventLoop>(count);
        for (int i = 0; i < count; i++)
        {
            if (EventLoop.Create() is not { } loop)
            {
                foreach (var made in loops) made.Stop();
                return null;
            }
            loops.Add(loop);
        }
        return new EventLoopGroup(loops.ToArray());
    }

    /// <summary>Every loop (a TCP listener waits on each).</summary>
    public IReadOnlyList<EventLoop> All => _loops;

    /// <summary>The loop for the next handler.</summary>
    public EventLoop Next() => _loops[(int)((uint)Interlocked.Increment(ref _next) % (uint)_loops.Length)];

    /// <summary>Stops every loop and waits for its thread.</summary>
    public void Dispose()
    {
        foreach (var loop in _loops) loop.Stop();
    }
}

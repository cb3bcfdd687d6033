namespace LvsPs.Engine.Loop;

/// <summary>
/// Something an <see cref="EventLoop"/> drives: the sockets it registered raise readiness events on the loop's thread.
/// The loop keeps the handler in a slot while it is registered; <see cref="EventLoop.Release"/> lets go of it.
/// </summary>
internal abstract class LoopHandler
{
    /// <summary>The loop's slot while registered (-1 when not), its generation, and whether the loop let go of it.</summary>
    internal int Slot { get; set; } = -1;

    internal uint Generation { get; set; }

    internal bool Released { get; set; }

    /// <summary>
    /// A readiness event on one of the handler's sockets, on the loop's thread: <paramref name="side"/> 0 or 1 in the order
    /// they were registered, <paramref name="events"/> the epoll bits (<see cref="EventLoop.In"/>, ...).
    /// </summary>
    internal abstract void OnEvent(int side, uint events);

    /// <summary>On the loop's thread, once the loop let go of the handler: free what only the loop may touch.</summary>
    internal virtual void OnReleased() { }
}

namespace LvsPs.Scheduling.Persistence;

/// <summary>
/// The outcome of <see cref="ServiceScheduler.Schedule"/>: the destination (null: none available, the packet is
/// dropped), the persistence template that chose or now remembers it, and whether the connection is one-packet.
/// A caller that creates a connection from a decision with a template must call
/// <see cref="ServiceScheduler.Release"/> when that connection ends (unless it is one-packet).
/// </summary>
public readonly record struct SchedulingDecision(Destination? Destination, PersistenceTemplate? Template, bool OnePacket)
{
    public static readonly SchedulingDecision None = new(null, null, false);
}

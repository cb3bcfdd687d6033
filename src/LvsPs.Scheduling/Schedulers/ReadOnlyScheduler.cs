namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// A scheduler with no state of its own (lc, wlc, sed, nq, fo, ovf): each decision only reads the destinations and their
/// counters, so it needs no notifications, its copy for a preview is itself, and it may decide without the set's lock.
/// </summary>
internal abstract class ReadOnlyScheduler : IScheduler
{
    public abstract string Name { get; }

    public bool IsReadOnly => true;

    public void OnAdded(DestinationSet set, Destination destination) { }

    public void OnRemoved(DestinationSet set, Destination destination, int index) { }

    public void OnUpdated(DestinationSet set, Destination destination) { }

    public IScheduler Clone(DestinationSet clone, Func<Destination, Destination> map) => this;

    public abstract Destination? Schedule(DestinationSet set, in SchedulingRequest request);
}

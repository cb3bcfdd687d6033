namespace LvsPs.Scheduling;

/// <summary>
/// A scheduling algorithm bound to one service (the kernel's struct ip_vs_scheduler with its per-service
/// sched_data). The <see cref="DestinationSet"/> calls the change notifications under its lock, and
/// <see cref="Schedule"/> too unless the scheduler is <see cref="IsReadOnly"/>; <see cref="Schedule"/> must not allocate.
/// </summary>
public interface IScheduler
{
    /// <summary>The kernel's name for it (rr, wrr, ...).</summary>
    string Name { get; }

    /// <summary>A destination was inserted (at the head of the list, as list_add_rcu does). ip_vs_scheduler.add_dest.</summary>
    void OnAdded(DestinationSet set, Destination destination);

    /// <summary>A destination was unlinked from the list; <paramref name="index"/> is where it was. ip_vs_scheduler.del_dest.</summary>
    void OnRemoved(DestinationSet set, Destination destination, int index);

    /// <summary>A destination's weight or thresholds changed. ip_vs_scheduler.upd_dest.</summary>
    void OnUpdated(DestinationSet set, Destination destination);

    /// <summary>The service's scheduler flags changed.</summary>
    void OnFlagsChanged(DestinationSet set) { }

    /// <summary>
    /// True when <see cref="Schedule"/> changes no state, so decisions may run in parallel without the set's lock, as the
    /// kernel runs its hashing and least-connection schedulers under RCU only. Such a scheduler publishes any table it
    /// rebuilds as a whole new array, never changing one a decision may be reading.
    /// </summary>
    bool IsReadOnly => false;

    /// <summary>Picks a destination for a new connection, or null when none is available.</summary>
    Destination? Schedule(DestinationSet set, in SchedulingRequest request);

    /// <summary>
    /// A copy of this scheduler's state bound to <paramref name="clone"/> (a copy of its set), for previews that must not
    /// change the real state. <paramref name="map"/> gives the copy of any destination this state refers to.
    /// </summary>
    IScheduler Clone(DestinationSet clone, Func<Destination, Destination> map);
}

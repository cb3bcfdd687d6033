namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// rr, after net/netfilter/ipvs/ip_vs_rr.c. The cursor is the last destination chosen, or the list head (-1); a
/// decision looks at the destinations after the cursor, then wraps around up to and including it, and takes the first
/// that is not overloaded and has a weight above 0.
/// </summary>
internal sealed class RoundRobinScheduler : IScheduler
{
    private int _cursor = -1;

    public string Name => "rr";

    public void OnAdded(DestinationSet set, Destination destination)
    {
        // the cursor points at an element, not an index: an insert at the head shifts it
        if (_cursor >= 0) _cursor++;
    }

    public void OnRemoved(DestinationSet set, Destination destination, int index)
    {
        // ip_vs_rr_del_dest: a cursor on the removed element moves to its predecessor (or the head)
        if (index <= _cursor) _cursor--;
    }

    public void OnUpdated(DestinationSet set, Destination destination) { }

    public IScheduler Clone(DestinationSet clone, Func<Destination, Destination> map) => new RoundRobinScheduler { _cursor = _cursor };

    public Destination? Schedule(DestinationSet set, in SchedulingRequest request)
    {
        var items = set.Items;
        int n = items.Length;
        int start = _cursor;
        for (int step = 1; step <= n; step++)
        {
            // from the head the walk covers the list once; from an element it wraps back to it
            int i = start + step;
            if (start < 0 && i >= n) break;
            if (i >= n) i -= n;
            var d = items[i];
            if (!d.Overloaded && d.Weight > 0)
            {
                _cursor = i;
                return d;
            }
        }
        return null;
    }
}

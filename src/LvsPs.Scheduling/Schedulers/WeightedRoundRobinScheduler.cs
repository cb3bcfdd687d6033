namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// wrr, after net/netfilter/ipvs/ip_vs_wrr.c: a current weight cw that steps down by the gcd of the weights (di) from
/// the maximum weight, choosing in list order every destination whose weight is at least cw. Adding, removing or
/// editing a destination recomputes di and mw and moves the cursor back to the list head (ip_vs_wrr_dest_changed).
/// </summary>
internal sealed class WeightedRoundRobinScheduler : IScheduler
{
    private int _cl = -1; // current destination, -1 = list head
    private int _cw;      // current weight
    private int _mw;      // max weight, less (di - 1)
    private int _di;      // decreasing interval: gcd of the positive weights

    public WeightedRoundRobinScheduler(DestinationSet set)
    {
        // ip_vs_wrr_init_svc
        _di = GcdWeight(set.Items);
        _mw = MaxWeight(set.Items) - (_di - 1);
        _cw = _mw;
    }

    private WeightedRoundRobinScheduler() { }

    public string Name => "wrr";

    public IScheduler Clone(DestinationSet clone, Func<Destination, Destination> map) =>
        new WeightedRoundRobinScheduler { _cl = _cl, _cw = _cw, _mw = _mw, _di = _di };

    public void OnAdded(DestinationSet set, Destination destination) => Changed(set);

    public void OnRemoved(DestinationSet set, Destination destination, int index) => Changed(set);

    public void OnUpdated(DestinationSet set, Destination destination) => Changed(set);

    private void Changed(DestinationSet set)
    {
        _cl = -1;
        _di = GcdWeight(set.Items);
        _mw = MaxWeight(set.Items) - (_di - 1);
        if (_cw > _mw || _cw == 0)
        {
            _cw = _mw;
        }
        else if (_di > 1)
        {
            _cw = (_cw / _di) * _di + 1;
        }
    }

    public Destination? Schedule(DestinationSet set, in SchedulingRequest request)
    {
        var items = set.Items;
        int n = items.Length;
        if (_mw == 0 || n == 0)
        {
            return null; // err_noavail: the cursor stays
        }
        int last = _cl;
        int stop = int.MinValue; // no stop element yet
        bool lastPass = false, restarted = false;
        int i = _cl;
        while (true)
        {
            // list_for_each_entry_continue: from the element after i to the end of the list
            for (i++; i < n; i++)
            {
                var d = items[i];
                if (!d.Overloaded && d.Weight >= _cw)
                {
                    _cl = i;
                    return d;
                }
                if (i == stop)
                {
                    _cl = i;
                    return null; // err_over
                }
            }
            i = -1; // back at the head
            _cw -= _di;
            if (_cw <= 0)
            {
                _cw = _mw;
                if (lastPass || last == -1)
                {
                    _cl = -1;
                    return null; // err_over
                }
                restarted = true;
            }
            lastPass = _cw <= _di;
            if (lastPass && restarted && last != -1)
            {
                stop = last;
            }
        }
    }

    private static int GcdWeight(Destination[] items)
    {
        int g = 0;
        foreach (var d in items)
        {
            int w = d.Weight;
            if (w > 0) g = g > 0 ? Gcd(w, g) : w;
        }
        return g > 0 ? g : 1;
    }

    private static int MaxWeight(Destination[] items)
    {
        int m = 0;
        foreach (var d in items)
        {
            if (d.Weight > m) m = d.Weight;
        }
        return m;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}

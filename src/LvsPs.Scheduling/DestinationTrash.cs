using LvsPs.Model;

namespace LvsPs.Scheduling;

/// <summary>
/// The kernel's destination trash (ipvs->dest_trash in net/netfilter/ipvs/ip_vs_ctl.c): a removed destination is kept,
/// counters and all, and adding the same real server to the same service again takes it back
/// (ip_vs_trash_get_dest, then __ip_vs_update_dest as for a new one) instead of making a new one, so connections,
/// persistence templates and lblc/lblcr cache entries that still point at it are valid again. The kernel frees a
/// trashed destination once nothing refers to it and it has been idle for IP_VS_DEST_TRASH_PERIOD (120 s; its timer
/// looks every 60 s, so 120-180 s in practice). Here the idle time starts when the destination's last connection or
/// template lets go of it (<see cref="Destination.IdleSince"/>), and entries past the period are dropped whenever the
/// trash is used. Used under the destination set's lock.
/// </summary>
internal sealed class DestinationTrash
{
    /// <summary>IP_VS_DEST_TRASH_PERIOD (ip_vs_ctl.c).</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(120);

    private readonly ISchedulingClock _clock;
    private readonly List<Destination> _items = new();

    public DestinationTrash(ISchedulingClock clock) => _clock = clock;

    public int Count
    {
        get
        {
            Expire();
            return _items.Count;
        }
    }

    /// <summary>Keeps a destination that has just left its service (it is already marked unavailable).</summary>
    public void Put(Destination destination)
    {
        Expire();
        _items.Add(destination);
    }

    /// <summary>Takes the trashed destination of <paramref name="id"/> back; null when there is none or it expired.</summary>
    public Destination? Take(RealServerId id)
    {
        Expire();
        int index = _items.FindIndex(d => d.Id == id);
        if (index < 0) return null;
        var d = _items[index];
        _items.RemoveAt(index);
        return d;
    }

    /// <summary>Drops every destination that nothing has referred to for <see cref="Period"/> (ip_vs_dest_trash_expire).</summary>
    private void Expire()
    {
        long now = _clock.Now;
        long period = (long)(Period.TotalSeconds * _clock.Frequency);
        _items.RemoveAll(d => d.IdleSince is long idle && now - idle >= period);
    }
}

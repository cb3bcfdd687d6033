namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// lblc's and lblcr's own overload test (is_overloaded in ip_vs_lblc.c and ip_vs_lblcr.c), distinct from the
/// threshold flag: a destination with more active connections than its weight counts as overloaded when some
/// destination of the service has active * 2 &lt; weight.
/// </summary>
internal static class LocalityOverload
{
    public static bool IsOverloaded(Destination dest, Destination[] service)
    {
        if (dest.ActiveConnections <= dest.Weight) return false;
        foreach (var d in service)
        {
            if (d.ActiveConnections * 2L < d.Weight) return true;
        }
        return false;
    }
}

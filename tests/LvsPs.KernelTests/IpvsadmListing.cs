namespace LvsPs.KernelTests;

/// <summary>
/// The rows of an ipvsadm -L -n listing (with or without --stats --exact), by key: "TCP 10.1.0.2:80" for a service and
/// "TCP 10.1.0.2:80 -> 10.2.0.11:80" for one of its real servers; each row's value is its columns after the address.
/// </summary>
public static class IpvsadmListing
{
    public static Dictionary<string, string[]> Parse(string text)
    {
        var rows = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? service = null;
        foreach (var raw in text.Split('\n'))
        {
            var cols = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cols.Length < 2) continue;
            if (cols[0] is "TCP" or "UDP" or "SCTP" or "FWM")
            {
                service = cols[0] + " " + cols[1];
                rows[service] = cols[2..];
            }
            else if (cols[0] == "->" && service is not null && cols[1] != "RemoteAddress:Port")
            {
                rows[service + " -> " + cols[1]] = cols[2..];
            }
        }
        return rows;
    }

    /// <summary>Conns, InPkts, OutPkts, InBytes, OutBytes of a row of ipvsadm -L -n --stats --exact.</summary>
    public static ulong[] Counters(string[] columns) => columns.Take(5).Select(ulong.Parse).ToArray();
}

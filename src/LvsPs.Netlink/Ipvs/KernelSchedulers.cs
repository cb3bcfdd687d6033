namespace LvsPs.Netlink.Ipvs;

/// <summary>
/// The schedulers this kernel can use: the ip_vs_* scheduler modules that are loaded (/sys/module) or installed for the
/// running kernel (/lib/modules). The kernel has no request that lists them; an unknown one fails NEW_SERVICE with
/// ENOENT, which the director reports as SchedulerNotAvailable.
/// </summary>
public static class KernelSchedulers
{
    private static readonly string[] NotSchedulers = { "ftp", "pe_sip" };

    public static IReadOnlyList<string> Available()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        Collect(names, "/sys/module", d => Path.GetFileName(d));
        try
        {
            var release = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
            Collect(names, Path.Combine("/lib/modules", release, "kernel/net/netfilter/ipvs"), f => Path.GetFileName(f).Split('.')[0]);
        }
        catch (IOException)
        {
        }
        return names.ToList();
    }

    private static void Collect(SortedSet<string> names, string dir, Func<string, string> name)
    {
        if (!Directory.Exists(dir)) return;
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir, "ip_vs_*"))
        {
            var n = name(entry)["ip_vs_".Length..];
            if (n.Length > 0 && !NotSchedulers.Contains(n)) names.Add(n);
        }
    }
}

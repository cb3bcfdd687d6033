using System.Globalization;
using System.Net.Sockets;
using LvsPs.Model;

namespace LvsPs.Netlink;

/// <summary>
/// What kernel IPVS needs for FTP through a virtual service, read from the running kernel: the ip_vs_ftp module loaded
/// (from /proc/modules, or /sys/module/ip_vs_ftp when it is built in) with the service's port among its <c>ports</c>
/// parameter (/sys/module/ip_vs_ftp/parameters/ports, default 21); real servers forwarded by masquerading (the helper
/// rewrites addresses only in NAT'ed connections); and, recommended, persistence. The paths can be pointed elsewhere
/// (tests give it a fabricated tree).
/// </summary>
public sealed class KernelFtpCheck
{
    public const string ModuleName = "ip_vs_ftp";

    private readonly string _procModules;
    private readonly string _sysModule;

    /// <param name="root">The file-system root under which proc/modules and sys/module are read ("/" for the running kernel).</param>
    public KernelFtpCheck(string root = "/")
    {
        _procModules = Path.Combine(root, "proc", "modules");
        _sysModule = Path.Combine(root, "sys", "module", ModuleName);
    }

    /// <summary>ip_vs_ftp is loaded as a module or built into the kernel.</summary>
    public bool IsModuleLoaded =>
        Directory.Exists(_sysModule) || (File.Exists(_procModules) && File.ReadLines(_procModules).Any(l => l.Split(' ', 2)[0] == ModuleName));

    /// <summary>The ports ip_vs_ftp inspects: its <c>ports</c> parameter, or 21 (its default) when that cannot be read.</summary>
    public IReadOnlyList<ushort> Ports
    {
        get
        {
            var path = Path.Combine(_sysModule, "parameters", "ports");
            if (!File.Exists(path)) return ApplicationHelpers.DefaultFtpPorts;
            var ports = File.ReadAllText(path).Split(new[] { ',', ' ', '\n' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(p => ushort.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : (ushort)0)
                .Where(p => p != 0)
                .ToList();
            return ports;
        }
    }

    /// <summary>What is missing for FTP on <paramref name="service"/>; empty when kernel IPVS has all it needs.</summary>
    public IReadOnlyList<KernelFtpFinding> Check(VirtualServiceSettings service, IEnumerable<RealServerSettings> realServers)
    {
        var id = service.Id;
        var findings = new List<KernelFtpFinding>();
        void Add(string findingId, KernelFtpSeverity severity, string message) => findings.Add(new KernelFtpFinding(id.ToString(), findingId, severity, message));

        bool loaded = IsModuleLoaded;
        var ports = loaded ? Ports : Array.Empty<ushort>();
        string portList = string.Join(",", ports.Append(id.Port).Distinct());
        if (service.Helper != ApplicationHelper.Ftp)
        {
            if (loaded && !id.IsFirewallMark && id.Protocol == LvsProtocol.Tcp && ports.Contains(id.Port))
            {
                Add("FtpHelperOnPort", KernelFtpSeverity.Warning,
                    $"Port {id.Port} is among ip_vs_ftp's ports ({string.Join(",", ports)}), so the kernel inspects '{id}' as FTP although its helper is None.");
            }
            return findings;
        }
        if (id.IsFirewallMark || id.Protocol != LvsProtocol.Tcp || id.Port == 0)
        {
            Add("FtpNeedsTcpPort", KernelFtpSeverity.Error,
                $"ip_vs_ftp inspects TCP services by port; '{id}' has none. For FTP without the helper use a persistent firewall-mark service that covers the control and data ports.");
            return findings;
        }
        if (!loaded)
        {
            Add("FtpModuleNotLoaded", KernelFtpSeverity.Error,
                $"The kernel module ip_vs_ftp is not loaded, so passive and active FTP through '{id}' will fail. Load it: modprobe ip_vs_ftp ports={portList}");
        }
        else if (!ports.Contains(id.Port))
        {
            Add("FtpPortNotInspected", KernelFtpSeverity.Error,
                $"ip_vs_ftp inspects ports {string.Join(",", ports)} but not {id.Port}, so FTP through '{id}' will fail. Reload it with the port: modprobe -r ip_vs_ftp && modprobe ip_vs_ftp ports={portList}");
        }
        foreach (var rs in realServers.Where(r => r.Forwarding != ForwardingMethod.Masquerade))
        {
            Add("FtpNeedsMasquerade", KernelFtpSeverity.Error,
                $"Real server '{rs.Id}' of '{id}' is forwarded by {rs.Forwarding}; ip_vs_ftp rewrites FTP only on masqueraded (NAT) connections. Use -Forwarding Masquerade, or for direct routing and tunnelling a persistent port-0 or firewall-mark service.");
        }
        if (!service.IsPersistent)
        {
            Add("FtpPersistenceRecommended", KernelFtpSeverity.Warning,
                $"'{id}' is not persistent. The helper sends each data connection to its control connection's real server, but a client's next control connection may go to another one; LVS recommends persistence for FTP (-Persistent).");
        }
        if (id.AddressFamily == AddressFamily.InterNetworkV6)
        {
            Add("FtpIPv6NeedsRecentKernel", KernelFtpSeverity.Warning,
                $"'{id}' is IPv6: older kernels' ip_vs_ftp passes IPv6 control connections unchanged (no EPSV/EPRT support); check that this kernel's does.");
        }
        return findings;
    }
}

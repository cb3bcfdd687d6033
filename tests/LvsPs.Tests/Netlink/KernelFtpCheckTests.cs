using System.Net;
using LvsPs.Model;
using LvsPs.Netlink;

namespace LvsPs.Tests.Netlink;

/// <summary>The kernel FTP check against fabricated /proc and /sys trees.</summary>
public sealed class KernelFtpCheckTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("lvsps-kftp-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void ProcModules(params string[] modules)
    {
        Directory.CreateDirectory(Path.Combine(_root, "proc"));
        File.WriteAllLines(Path.Combine(_root, "proc", "modules"), modules.Select(m => $"{m} 16384 0 - Live 0x0000000000000000"));
    }

    private void FtpPorts(string ports)
    {
        var dir = Path.Combine(_root, "sys", "module", "ip_vs_ftp", "parameters");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "ports"), ports + "\n");
    }

    private static VirtualServiceSettings Ftp(string id, uint persistence = 300) =>
        new() { Id = VirtualServiceId.Parse(id), Helper = ApplicationHelper.Ftp, PersistenceTimeout = persistence };

    private static RealServerSettings Rs(ForwardingMethod forwarding = ForwardingMethod.Masquerade) =>
        new() { Id = RealServerId.Create(IPAddress.Parse("10.0.0.2"), 21), Forwarding = forwarding };

    private IReadOnlyList<KernelFtpFinding> Check(VirtualServiceSettings s, params RealServerSettings[] rs) => new KernelFtpCheck(_root).Check(s, rs);

    [Fact]
    public void Everything_in_place_gives_no_finding()
    {
        ProcModules("ip_vs_rr", "ip_vs_ftp", "ip_vs");
        FtpPorts("21");
        Assert.Empty(Check(Ftp("tcp/192.0.2.1:21"), Rs()));
    }

    [Fact]
    public void Missing_module_is_an_error_that_says_how_to_load_it()
    {
        ProcModules("ip_vs_rr", "ip_vs");
        var f = Assert.Single(Check(Ftp("tcp/192.0.2.1:2121"), Rs()));
        Assert.Equal("FtpModuleNotLoaded", f.Id);
        Assert.Equal(KernelFtpSeverity.Error, f.Severity);
        Assert.Contains("modprobe ip_vs_ftp ports=2121", f.Message);
    }

    [Fact]
    public void Built_in_module_is_found_in_sys_and_its_ports_are_read()
    {
        FtpPorts("21,2121");
        var check = new KernelFtpCheck(_root);
        Assert.True(check.IsModuleLoaded);
        Assert.Equal(new ushort[] { 21, 2121 }, check.Ports);
        Assert.Empty(check.Check(Ftp("tcp/192.0.2.1:2121"), new[] { Rs() }));
    }

    [Fact]
    public void Port_outside_the_modules_ports_is_an_error()
    {
        ProcModules("ip_vs_ftp");
        FtpPorts("21");
        var f = Assert.Single(Check(Ftp("tcp/192.0.2.1:2121"), Rs()));
        Assert.Equal("FtpPortNotInspected", f.Id);
        Assert.Contains("ports=21,2121", f.Message);
    }

    [Fact]
    public void Module_without_readable_ports_means_the_default_21()
    {
        ProcModules("ip_vs_ftp");
        Assert.Equal(new ushort[] { 21 }, new KernelFtpCheck(_root).Ports);
        Assert.Empty(Check(Ftp("tcp/192.0.2.1:21"), Rs()));
    }

    [Fact]
    public void Direct_routing_real_servers_and_no_persistence_are_reported()
    {
        ProcModules("ip_vs_ftp");
        var findings = Check(Ftp("tcp/192.0.2.1:21", persistence: 0), Rs(ForwardingMethod.DirectRoute), Rs());
        Assert.Equal(new[] { "FtpNeedsMasquerade", "FtpPersistenceRecommended" }, findings.Select(f => f.Id));
        Assert.Equal(new[] { KernelFtpSeverity.Error, KernelFtpSeverity.Warning }, findings.Select(f => f.Severity));
    }

    [Fact]
    public void IPv6_service_gets_a_warning()
    {
        ProcModules("ip_vs_ftp");
        Assert.Equal("FtpIPv6NeedsRecentKernel", Assert.Single(Check(Ftp("tcp/[2001:db8::1]:21"), Rs())).Id);
    }

    [Fact]
    public void A_service_without_the_helper_on_an_inspected_port_is_warned_about()
    {
        ProcModules("ip_vs_ftp");
        var plain = new VirtualServiceSettings { Id = VirtualServiceId.Parse("tcp/192.0.2.1:21") };
        Assert.Equal("FtpHelperOnPort", Assert.Single(Check(plain, Rs())).Id);
        Assert.Empty(Check(plain with { Id = VirtualServiceId.Parse("tcp/192.0.2.1:80") }, Rs()));
    }
}

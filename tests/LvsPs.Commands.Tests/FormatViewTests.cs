namespace LvsPs.Commands.Tests;

/// <summary>The default views, rendered by PowerShell's formatter in-process, read like ipvsadm.</summary>
[Collection(nameof(PowerShellCollection))]
public sealed class FormatViewTests
{
    private readonly PowerShellHost _ps;

    public FormatViewTests(PowerShellHost ps) => _ps = ps;

    private string[] Lines(string script) =>
        string.Join("", _ps.Run(script).Output.Select(o => o.ToString())).Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();

    [Fact]
    public void Virtual_services_render_like_ipvsadm_list()
    {
        _ps.Run("Stop-LvsDirector; New-LvsVirtualService tcp/127.0.78.1:8080 -Scheduler wrr -PersistenceTimeout 60 -PersistenceNetmask 255.255.255.0 | Add-LvsRealServer -Address 10.0.0.2 -Weight 3; Add-LvsRealServer tcp/127.0.78.1:8080 -Address 10.0.0.3");
        var lines = Lines("Get-LvsVirtualService | Out-String -Width 200");
        Assert.Equal(new[]
        {
            "Prot LocalAddress:Port Scheduler Flags",
            "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
            "TCP  127.0.78.1:8080 wrr persistent 60 mask 255.255.255.0",
            // ipvsadm: "  -> %-28s %-7s %-6d %-10u %-10u"
            // ipvsadm -L sorts real servers by address (libipvs ipvs_cmp_dests); -NoSort keeps the kernel's newest-first order
            string.Format("  -> {0,-28} {1,-7} {2,-6} {3,-10} {4,-10}", "10.0.0.2:8080", "Masq", 3, 0, 0).TrimEnd(),
            string.Format("  -> {0,-28} {1,-7} {2,-6} {3,-10} {4,-10}", "10.0.0.3:8080", "Masq", 1, 0, 0).TrimEnd(),
        }, lines);
    }

    [Fact]
    public void Stats_and_rates_render_like_ipvsadm_stats_and_rate()
    {
        _ps.Run("Stop-LvsDirector; New-LvsVirtualService udp/127.0.78.2:5353 -Scheduler rr | Add-LvsRealServer -Address 10.0.0.2");
        var stats = Lines("Get-LvsStats | Out-String -Width 200");
        Assert.Equal("Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes", stats[0]);
        Assert.Equal("  -> RemoteAddress:Port", stats[1]);
        // ipvsadm: "%-33s" for the service, "  -> %-28s" for a real server, then each number in 9 columns (--exact)
        Assert.Equal(string.Format("{0,-33}{1,9}{1,9}{1,9}{1,9}{1,9}", "UDP  127.0.78.2:5353", 0), stats[2]);
        Assert.Equal(string.Format("  -> {0,-28}{1,9}{1,9}{1,9}{1,9}{1,9}", "10.0.0.2:5353", 0), stats[3]);
        var rate = Lines("Get-LvsStats -Rate | Out-String -Width 200");
        Assert.Equal("Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS", rate[0]);
    }

    [Fact]
    public void Real_servers_and_timeouts_are_tables()
    {
        _ps.Run("Stop-LvsDirector; New-LvsVirtualService tcp/127.0.78.3:8080 | Add-LvsRealServer -Address 10.0.0.2 -Weight 7");
        var rs = Lines("Get-LvsRealServer | Out-String -Width 200");
        Assert.Matches(@"^VirtualService\s+RemoteAddress:Port\s+Forward\s+Weight\s+Active\s+InAct$", rs[0]);
        Assert.Matches(@"^tcp/127\.0\.78\.3:8080\s+10\.0\.0\.2:8080\s+Masq\s+7\s+0\s+0$", rs[2]);
        var t = Lines("Get-LvsTimeout | Out-String -Width 200");
        Assert.Matches(@"^\s*Tcp\s+TcpFin\s+Udp$", t[0]);
        Assert.Matches(@"^\s*900\s+120\s+300$", t[2]);
    }
}

using System.Management.Automation;
using System.Net;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>
/// Remove-LvsRealServer: removes a real server (ipvsadm -d); its established connections finish. With -Drain it first
/// sets the weight to 0 and waits, with a progress bar, until the real server has no active connections or the drain
/// timeout passes, then removes it.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "LvsRealServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveLvsRealServerCommand : RealServerTargetCmdlet
{
    /// <summary>Quiesce first (weight 0) and wait for the active connections to finish before removing.</summary>
    [Parameter]
    public SwitchParameter Drain { get; set; }

    /// <summary>With -Drain: how long to wait for active connections to finish, in seconds (default 300); the real server is removed when it passes.</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int DrainTimeout { get; set; } = 300;

    private readonly ManualResetEventSlim _stopping = new();

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var id = ResolveId();
            var service = Backend.GetService(VirtualService) ?? throw LvsException.ServiceNotFound(VirtualService);
            var rs = service.RealServers.FirstOrDefault(r => r.Settings.Id == id) ?? throw LvsException.RealServerNotFound(VirtualService, id);
            var was = WhatIfText.RealServer(rs.Settings, rs.ActiveConnections, rs.InactiveConnections);
            var what = Drain ? $"Drain (Weight {rs.Weight} -> 0, up to {DrainTimeout} s) and remove real server: {was} -> {WhatIfText.None}" : $"Remove real server: {was} -> {WhatIfText.None}";
            if (!ShouldProcess($"{id} in {VirtualService}", what)) return;
            if (Drain && !DrainRealServer(rs)) return;
            Backend.DeleteRealServer(VirtualService, id);
        });
    }

    /// <summary>Sets weight 0 and waits for active connections to end; false when the user stopped the wait.</summary>
    private bool DrainRealServer(RealServer rs)
    {
        if (rs.Weight != 0) Backend.EditRealServer(VirtualService, rs.Settings with { Weight = 0 });
        var progress = new ProgressRecord(1, $"Draining {rs.Id} in {VirtualService}", "waiting for active connections to finish");
        var started = DateTime.UtcNow;
        var deadline = started.AddSeconds(DrainTimeout);
        while (true)
        {
            int active = Backend.GetService(VirtualService)?.RealServers.FirstOrDefault(r => r.Id == rs.Id)?.ActiveConnections ?? 0;
            if (active == 0) break;
            var now = DateTime.UtcNow;
            if (now >= deadline)
            {
                WriteWarning($"Real server {rs.Id} in {VirtualService} still has {active} active connection(s) after {DrainTimeout} s; removing it now (they continue until they end).");
                break;
            }
            progress.StatusDescription = $"{active} active connection(s); {(int)(deadline - now).TotalSeconds} s left";
            progress.PercentComplete = DrainTimeout == 0 ? 100 : (int)Math.Min(99, (now - started).TotalSeconds * 100 / DrainTimeout);
            WriteProgress(progress);
            if (_stopping.Wait(TimeSpan.FromMilliseconds(250)))
            {
                WriteWarning($"Drain of {rs.Id} in {VirtualService} stopped: the real server stays in the service with weight 0.");
                return false;
            }
        }
        progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(progress);
        return true;
    }

    protected override void StopProcessing() => _stopping.Set();
}

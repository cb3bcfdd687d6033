using System.Management.Automation;
using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.Commands;

/// <summary>Get-LvsHealth: each checked real server's state (Up, Down, Unknown) and what its last check found.</summary>
[Cmdlet(VerbsCommon.Get, "LvsHealth")]
[OutputType(typeof(RealServerHealth))]
public sealed class GetLvsHealthCommand : DirectorCmdlet
{
    /// <summary>Only the real servers of these services.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VirtualServiceCompleter))]
    public VirtualServiceId[]? VirtualService { get; set; }

    /// <summary>Only real servers in this state.</summary>
    [Parameter]
    public HealthState[]? State { get; set; }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            foreach (var h in HealthMonitoring.GetHealth())
            {
                if (VirtualService is { Length: > 0 } && !VirtualService.Any(v => v.ToString() == h.VirtualService)) continue;
                if (State is { Length: > 0 } && !State.Contains(h.State)) continue;
                WriteObject(h);
            }
        });
    }
}

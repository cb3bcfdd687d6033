using System.Management.Automation;

namespace LvsPs.Commands;

/// <summary>Clear-LvsVirtualService: deletes every virtual service (ipvsadm -C).</summary>
[Cmdlet(VerbsCommon.Clear, "LvsVirtualService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class ClearLvsVirtualServiceCommand : DirectorCmdlet
{
    protected override void EndProcessing()
    {
        Try(() =>
        {
            int count = Backend.GetServices().Count;
            if (ShouldProcess($"{count} virtual service(s)", "Remove all virtual services")) Backend.Flush();
        });
    }
}

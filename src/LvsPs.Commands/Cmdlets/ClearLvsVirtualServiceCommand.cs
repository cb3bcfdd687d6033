using System.Management.Automation;

namespace LvsPs.Commands;

/// <summary>Clear-LvsVirtualService: deletes every virtual service (ipvsadm -C).</summary>
[Cmdlet(VerbsCommon.Clear, "LvsVirtualService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class ClearLvsVirtualServiceCommand : LvsCmdlet
{
    protected override void EndProcessing()
    {
        Try(() =>
        {
            int count = Director.GetServices().Count;
            if (ShouldProcess($"{count} virtual service(s)", "Remove all virtual services")) Director.Flush();
        });
    }
}

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
            var services = Backend.GetServices();
            var what = services.Count == 0 ? WhatIfText.None : string.Join("; ", services.Select(s => $"{s.Id} ({WhatIfText.Service(s)})"));
            if (ShouldProcess($"{services.Count} virtual service(s)", $"Remove all virtual services: {what} -> {WhatIfText.None}")) Backend.Flush();
        });
    }
}

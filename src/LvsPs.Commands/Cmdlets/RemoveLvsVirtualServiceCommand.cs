using System.Management.Automation;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>Remove-LvsVirtualService: deletes a virtual service (ipvsadm -D).</summary>
[Cmdlet(VerbsCommon.Remove, "LvsVirtualService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveLvsVirtualServiceCommand : DirectorCmdlet
{
    /// <summary>The service to delete: its identity string or an object from Get-LvsVirtualService.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VirtualServiceCompleter))]
    public VirtualServiceId VirtualService { get; set; } = null!;

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var current = Backend.GetService(VirtualService) ?? throw LvsException.ServiceNotFound(VirtualService);
            if (ShouldProcess(VirtualService.ToString(), $"Remove virtual service: {WhatIfText.Service(current)} -> {WhatIfText.None}")) Backend.DeleteService(VirtualService);
        });
    }
}

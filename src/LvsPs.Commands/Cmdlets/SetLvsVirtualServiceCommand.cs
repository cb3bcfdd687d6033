using System.Management.Automation;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>Set-LvsVirtualService: changes a virtual service in place (ipvsadm -E); real servers and connections stay.</summary>
[Cmdlet(VerbsCommon.Set, "LvsVirtualService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(VirtualService))]
public sealed class SetLvsVirtualServiceCommand : ServiceSettingsCmdlet
{
    /// <summary>The service to change: its identity string or an object from Get-LvsVirtualService.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VirtualServiceCompleter))]
    public VirtualServiceId VirtualService { get; set; } = null!;

    /// <summary>Writes the changed service.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var current = Backend.GetService(VirtualService) ?? throw LvsException.ServiceNotFound(VirtualService);
            var settings = ApplyTo(current.Settings);
            if (settings == current.Settings)
            {
                WriteVerbose($"Virtual service '{VirtualService}' already has these settings.");
            }
            else if (ShouldProcess(VirtualService.ToString(), "Change virtual service: " + WhatIfText.ServiceChanges(current.Settings, settings)))
            {
                Backend.EditService(settings);
            }
            if (PassThru) WriteObject(Backend.GetService(VirtualService));
        });
    }
}

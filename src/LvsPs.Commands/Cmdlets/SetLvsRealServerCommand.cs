using System.Management.Automation;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>Set-LvsRealServer: changes a real server in place (ipvsadm -e); established connections continue.</summary>
[Cmdlet(VerbsCommon.Set, "LvsRealServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(RealServer))]
public sealed class SetLvsRealServerCommand : RealServerSettingsCmdlet
{
    /// <summary>Writes the changed real server.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var id = ResolveId();
            var current = Lookup(id);
            if (current is null)
            {
                if (Backend.GetService(VirtualService) is null) throw LvsException.ServiceNotFound(VirtualService);
                throw LvsException.RealServerNotFound(VirtualService, id);
            }
            var settings = ApplyTo(current.Settings);
            if (settings == current.Settings)
            {
                WriteVerbose($"Real server '{id}' in '{VirtualService}' already has these settings.");
            }
            else if (ShouldProcess($"{id} in {VirtualService}", "Change real server: " + WhatIfText.RealServerChanges(current.Settings, settings)))
            {
                Backend.EditRealServer(VirtualService, settings);
            }
            if (PassThru) WriteObject(Lookup(id));
        });
    }
}

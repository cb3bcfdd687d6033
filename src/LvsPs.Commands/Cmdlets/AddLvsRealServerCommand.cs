using System.Management.Automation;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>Add-LvsRealServer: adds a real server to a virtual service (ipvsadm -a).</summary>
[Cmdlet(VerbsCommon.Add, "LvsRealServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(RealServer))]
public sealed class AddLvsRealServerCommand : RealServerSettingsCmdlet
{
    /// <summary>Writes the added real server.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var id = ResolveId();
            var settings = ApplyTo(new RealServerSettings { Id = id });
            if (!ShouldProcess($"{id} in {VirtualService}", $"Add real server: {WhatIfText.None} -> {WhatIfText.RealServer(settings)}")) return;
            Backend.AddRealServer(VirtualService, settings);
            KernelFtpWarnings.Check(Backend, VirtualService, WriteWarning);
            if (PassThru) WriteObject(Lookup(id));
        });
    }
}

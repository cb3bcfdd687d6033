using System.Management.Automation;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>Set-LvsTimeout: sets the tcp, tcpfin and udp timeouts in seconds (ipvsadm --set); omitted ones stay.</summary>
[Cmdlet(VerbsCommon.Set, "LvsTimeout", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(LvsTimeouts))]
public sealed class SetLvsTimeoutCommand : DirectorCmdlet
{
    /// <summary>Idle timeout of established TCP connections, in seconds (1..2147483); 0 or omitted leaves it unchanged.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public uint Tcp { get; set; }

    /// <summary>Timeout of TCP connections after a FIN, in seconds (1..2147483); 0 or omitted leaves it unchanged.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public uint TcpFin { get; set; }

    /// <summary>Idle timeout of UDP flows, in seconds (1..2147483); 0 or omitted leaves it unchanged.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public uint Udp { get; set; }

    /// <summary>Writes the resulting timeouts.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var change = new LvsTimeouts(Tcp, TcpFin, Udp).ValidateChange();
            if (change is { Tcp: 0, TcpFin: 0, Udp: 0 })
            {
                throw LvsException.InvalidArgument("NoTimeoutGiven", "Give at least one of -Tcp, -TcpFin or -Udp (seconds, 1.." + LvsTimeouts.MaxSeconds + ").", null);
            }
            var current = Backend.GetTimeouts();
            var result = current.Merge(change);
            var changes = WhatIfText.Changes(new (string, object?, object?)[] { ("tcp", current.Tcp, result.Tcp), ("tcpfin", current.TcpFin, result.TcpFin), ("udp", current.Udp, result.Udp) }
                .Where(d => !Equals(d.Item2, d.Item3)));
            if (ShouldProcess($"tcp {result.Tcp} tcpfin {result.TcpFin} udp {result.Udp}", "Set timeouts: " + (changes.Length > 0 ? changes : "no change"))) Backend.SetTimeouts(change);
            if (PassThru) WriteObject(Backend.GetTimeouts());
        });
    }
}

using System.Management.Automation;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>Get-LvsTimeout: the tcp, tcpfin and udp timeouts in seconds (ipvsadm -L --timeout).</summary>
[Cmdlet(VerbsCommon.Get, "LvsTimeout")]
[OutputType(typeof(LvsTimeouts))]
public sealed class GetLvsTimeoutCommand : DirectorCmdlet
{
    protected override void EndProcessing() => Try(() => WriteObject(Backend.GetTimeouts()));
}

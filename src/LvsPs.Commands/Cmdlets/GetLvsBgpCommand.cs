using System.Management.Automation;
using LvsPs.Model;
using LvsPs.Model.Failover;

namespace LvsPs.Commands;

/// <summary>
/// Get-LvsBgp: the director's BGP announcements (its scale-out group's settings, as text Set-LvsBgp reads back) and what
/// runs: the session with each neighbor, the routes announced, whether it is suspended and any problem.
/// </summary>
[Cmdlet(VerbsCommon.Get, "LvsBgp")]
[OutputType(typeof(BgpStatus))]
public sealed class GetLvsBgpCommand : DirectorCmdlet
{
    protected override void EndProcessing()
    {
        Try(() =>
        {
            if (DirectorChange.BgpOf(Backend).GetBgpStatus() is { } status) WriteObject(status);
        });
    }
}

using System.Management.Automation;
using LvsPs.Model;
using LvsPs.Netlink;

namespace LvsPs.Commands;

/// <summary>
/// Test-LvsKernelFtp: tells what kernel IPVS lacks for FTP through virtual services (ip_vs_ftp loaded with the
/// service's port, masquerading real servers, persistence), reading this machine's /proc and /sys.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "LvsKernelFtp")]
[OutputType(typeof(KernelFtpFinding))]
public sealed class TestLvsKernelFtpCommand : DirectorCmdlet
{
    /// <summary>The virtual service to check; every service of the director when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VirtualServiceCompleter))]
    public VirtualServiceId? VirtualService { get; set; }

    /// <summary>The file-system root under which proc/modules and sys/module are read: / (the default) for this machine's kernel.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Root { get; set; } = "/";

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            IEnumerable<VirtualService> services = VirtualService is null
                ? Backend.GetServices()
                : new[] { Backend.GetService(VirtualService) ?? throw LvsException.ServiceNotFound(VirtualService) };
            var check = new KernelFtpCheck(Root);
            foreach (var service in services)
            {
                foreach (var finding in check.Check(service.Settings, service.RealServers.Select(r => r.Settings)))
                {
                    if (finding.Severity == KernelFtpSeverity.Error) WriteWarning(finding.Message);
                    WriteObject(finding);
                }
            }
        });
    }
}

using System.Management.Automation;
using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.Commands;

/// <summary>
/// Set-LvsHealthCheck: gives a virtual service a health check for its real servers (keepalived's TCP_CHECK, HTTP_GET,
/// SSL_GET and MISC_CHECK) and optionally a sorry server. It replaces any check the service had.
/// </summary>
[Cmdlet(VerbsCommon.Set, "LvsHealthCheck", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ServiceHealthCheck))]
public sealed class SetLvsHealthCheckCommand : DirectorCmdlet
{
    /// <summary>The virtual service whose real servers to check: its identity string or an object from Get-LvsVirtualService.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VirtualServiceCompleter))]
    public VirtualServiceId VirtualService { get; set; } = null!;

    /// <summary>The kind of check: Tcp (a connection opens), Http or Https (a GET answers as expected), or Command (exits with 0).</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    public HealthCheckType Type { get; set; } = HealthCheckType.Tcp;

    /// <summary>Port to check instead of each real server's own port.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; }

    /// <summary>Path of the HTTP(S) GET (default /).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string Path { get; set; } = "/";

    /// <summary>HTTP status codes that count as healthy (default 200).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int[] ExpectedStatus { get; set; } = { 200 };

    /// <summary>A regular expression the HTTP body must match.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? BodyMatch { get; set; }

    /// <summary>For -Type Command: a /bin/sh command; it gets LVS_RS_ADDRESS, LVS_RS_PORT and LVS_VIRTUAL_SERVICE, and exit code 0 means healthy.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Command { get; set; }

    /// <summary>Seconds between checks (default 5).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("IntervalSeconds")]
    public int Interval { get; set; } = 5;

    /// <summary>Seconds a check may take before it counts as failed (default 3).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("TimeoutSeconds")]
    public int Timeout { get; set; } = 3;

    /// <summary>Failures in a row before a real server is down (default 3).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int Retries { get; set; } = 3;

    /// <summary>Successes in a row before a down real server is up again (default 1).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int Rise { get; set; } = 1;

    /// <summary>What happens to a failed real server: Quiesce (weight 0, the default) or Remove; either way it returns at its configured weight when healthy.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public HealthFailureAction FailureAction { get; set; } = HealthFailureAction.Quiesce;

    /// <summary>A real server (ADDRESS:PORT, IPv6 as [ADDRESS]:PORT) that takes the traffic while every real server is down.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? SorryServer { get; set; }

    /// <summary>Writes the service's health check.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var check = new HealthCheckSettings
            {
                Type = Type,
                Port = Port > 0 ? (ushort)Port : null,
                Path = Path,
                ExpectedStatus = ExpectedStatus,
                BodyMatch = BodyMatch,
                Command = Command,
                IntervalSeconds = Interval,
                TimeoutSeconds = Timeout,
                Retries = Retries,
                Rise = Rise,
                FailureAction = FailureAction,
            }.Validate();
            RealServerSettings? sorry = null;
            if (!string.IsNullOrEmpty(SorryServer))
            {
                if (!EndpointText.TryParse(SorryServer, requirePort: false, out var address, out var port, out var error))
                {
                    throw LvsException.InvalidArgument("InvalidSorryServer", $"Sorry server '{SorryServer}': {error}; allowed: ADDRESS:PORT or [IPV6]:PORT.", SorryServer);
                }
                sorry = new RealServerSettings { Id = RealServerId.Create(address!, port ?? VirtualService.Port) }.Validate();
            }
            var monitoring = HealthMonitoring;
            if (Backend.GetService(VirtualService) is null) throw LvsException.ServiceNotFound(VirtualService);
            if (ShouldProcess(VirtualService.ToString(), $"Set {Type} health check every {Interval} s ({FailureAction} after {Retries} failures)"))
            {
                monitoring.SetHealthCheck(VirtualService, check, sorry);
            }
            if (PassThru && monitoring.GetHealthCheck(VirtualService) is ({ } c, var s)) WriteObject(new ServiceHealthCheck(VirtualService, c, s));
        });
    }
}

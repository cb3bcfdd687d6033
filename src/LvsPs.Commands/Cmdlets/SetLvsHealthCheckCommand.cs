using System.Management.Automation;
using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.Commands;

/// <summary>
/// Set-LvsHealthCheck: gives a virtual service a health check for its real servers (keepalived's TCP_CHECK, HTTP_GET,
/// SSL_GET and MISC_CHECK) and optionally a sorry server. On a service that has a check, only the parameters given
/// change; the others keep their values. A new check takes the defaults for what is not given.
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

    /// <summary>Port to check instead of each real server's own port; 0 checks each real server's own port again (default: unchanged, or each real server's own port).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 65535)]
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

    /// <summary>A real server (ADDRESS:PORT, IPv6 as [ADDRESS]:PORT) that takes the traffic while every real server is down; an empty string removes it (default: unchanged, or none).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? SorryServer { get; set; }

    /// <summary>Writes the service's health check.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private bool IsBound(string name) => MyInvocation.BoundParameters.ContainsKey(name);

    /// <summary>The check with the parameters given applied over <paramref name="current"/>.</summary>
    private HealthCheckSettings ApplyTo(HealthCheckSettings current)
    {
        var c = current;
        if (IsBound(nameof(Type))) c = c with { Type = Type };
        if (IsBound(nameof(Port))) c = c with { Port = Port > 0 ? (ushort)Port : null };
        if (IsBound(nameof(Path))) c = c with { Path = Path };
        if (IsBound(nameof(ExpectedStatus))) c = c with { ExpectedStatus = ExpectedStatus };
        if (IsBound(nameof(BodyMatch))) c = c with { BodyMatch = string.IsNullOrEmpty(BodyMatch) ? null : BodyMatch };
        if (IsBound(nameof(Command))) c = c with { Command = string.IsNullOrEmpty(Command) ? null : Command };
        if (IsBound(nameof(Interval))) c = c with { IntervalSeconds = Interval };
        if (IsBound(nameof(Timeout))) c = c with { TimeoutSeconds = Timeout };
        if (IsBound(nameof(Retries))) c = c with { Retries = Retries };
        if (IsBound(nameof(Rise))) c = c with { Rise = Rise };
        if (IsBound(nameof(FailureAction))) c = c with { FailureAction = FailureAction };
        return c.Validate();
    }

    private RealServerSettings? ParseSorryServer(RealServerSettings? current)
    {
        if (!IsBound(nameof(SorryServer))) return current;
        if (string.IsNullOrEmpty(SorryServer)) return null;
        if (!EndpointText.TryParse(SorryServer, requirePort: false, out var address, out var port, out var error))
        {
            throw LvsException.InvalidArgument("InvalidSorryServer", $"Sorry server '{ValueText.Cut(SorryServer)}': {error}; allowed: ADDRESS:PORT or [IPV6]:PORT.", SorryServer);
        }
        return new RealServerSettings { Id = RealServerId.Create(address!, port ?? VirtualService.Port) };
    }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var monitoring = HealthMonitoring;
            if (Backend.GetService(VirtualService) is null) throw LvsException.ServiceNotFound(VirtualService);
            var (current, currentSorry) = monitoring.GetHealthCheck(VirtualService);
            var check = ApplyTo(current ?? new HealthCheckSettings());
            var sorry = ParseSorryServer(currentSorry);
            string action;
            if (current is null)
            {
                action = "Set " + check.Describe() + (sorry is null ? string.Empty : $", sorry server {sorry.Id}");
            }
            else
            {
                var changes = check.ChangesFrom(current).ToList();
                if (currentSorry?.Id != sorry?.Id) changes.Add($"SorryServer: {currentSorry?.Id.ToString() ?? "(none)"} -> {sorry?.Id.ToString() ?? "(none)"}");
                if (changes.Count == 0)
                {
                    WriteVerbose($"The health check of '{VirtualService}' already has these settings.");
                    if (PassThru) WriteObject(new ServiceHealthCheck(VirtualService, current, currentSorry));
                    return;
                }
                action = "Change health check: " + string.Join("; ", changes);
            }
            if (ShouldProcess(VirtualService.ToString(), action))
            {
                monitoring.SetHealthCheck(VirtualService, check, sorry);
            }
            if (PassThru && monitoring.GetHealthCheck(VirtualService) is ({ } c, var s)) WriteObject(new ServiceHealthCheck(VirtualService, c, s));
        });
    }
}

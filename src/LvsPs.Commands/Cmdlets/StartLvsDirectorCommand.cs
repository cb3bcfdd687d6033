using System.Management.Automation;
using LvsPs.Directors;
using LvsPs.Model;
using LvsPs.Remote;

namespace LvsPs.Commands;

/// <summary>
/// Start-LvsDirector: starts the managed director in this PowerShell session (it forwards in the background while the
/// prompt stays usable, until Stop-LvsDirector, removal of the module, or the end of the session), or with -Service a
/// director service: a process of its own that outlives the session, keeps its configuration on disk, runs health
/// checks and serves metrics. The session is then connected to the service.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "LvsDirector", DefaultParameterSetName = InSessionSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DirectorInfo))]
public sealed class StartLvsDirectorCommand : LvsCmdlet
{
    private const string InSessionSet = "InSession";
    private const string ServiceSet = "Service";

    /// <summary>Start a director service in a process of its own instead of the in-session director.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ServiceSet)]
    public SwitchParameter Service { get; set; }

    /// <summary>The service's control socket (owner-only); default /run/lvsps/director.sock for root, else under $XDG_RUNTIME_DIR.</summary>
    [Parameter(ParameterSetName = ServiceSet)]
    [ValidateNotNullOrEmpty]
    public string? SocketPath { get; set; }

    /// <summary>Where the service keeps its configuration; default director.json beside the socket.</summary>
    [Parameter(ParameterSetName = ServiceSet)]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    /// <summary>ADDRESS:PORT of the service's Prometheus endpoint, or 'off'; default 127.0.0.1:9469.</summary>
    [Parameter(ParameterSetName = ServiceSet)]
    [ValidateNotNullOrEmpty]
    public string? MetricsEndpoint { get; set; }

    /// <summary>What the service drives: Managed (its own managed engine, the default), Kernel, or Kernel:NAMESPACE.</summary>
    [Parameter(ParameterSetName = ServiceSet)]
    [ValidatePattern("^(?i)(managed|kernel(:.+)?)$")]
    public string Backend { get; set; } = "managed";

    /// <summary>Start the service with no configuration even when its state file cannot be read: the file is moved aside (kept), not used.</summary>
    [Parameter(ParameterSetName = ServiceSet)]
    public SwitchParameter StartEmpty { get; set; }

    /// <summary>The service's status page: Off (the default), On (under /status on the metrics endpoint) or ADDRESS:PORT of its own.</summary>
    [Parameter(ParameterSetName = ServiceSet)]
    [ValidateNotNullOrEmpty]
    public string? StatusPage { get; set; }

    /// <summary>Lets the status page quiesce, drain and restore real servers, for whoever has the status token.</summary>
    [Parameter(ParameterSetName = ServiceSet)]
    public SwitchParameter StatusPageActions { get; set; }

    /// <summary>The file with the secret that unlocks the status page's changes: read when it exists, else a random token is written there.</summary>
    [Parameter(ParameterSetName = ServiceSet)]
    [ValidateNotNullOrEmpty]
    public string? StatusTokenPath { get; set; }

    /// <summary>
    /// Whether plain TCP connections may be relayed by the BPF sockmap fast path: Auto (the default: when the process
    /// may use bpf(2), as root) or Off (always splice). Get-LvsDirector's RelayPath says which is used.
    /// </summary>
    [Parameter]
    public LvsPs.Engine.FastPath? FastPath { get; set; }

    /// <summary>Writes the director's information.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        if (ParameterSetName == ServiceSet)
        {
            StartService();
            return;
        }
        if (LvsSession.ManagedDirector is { } running)
        {
            WriteVerbose("The in-session managed director is already running.");
            if (PassThru) WriteObject(running.GetInfo());
            return;
        }
        if (!ShouldProcess("in-session managed director", "Start")) return;
        LvsSession.StartManaged(FastPath is { } fastPath ? new LvsPs.Engine.ManagedDirectorOptions { FastPath = fastPath } : null, out var director);
        if (PassThru) WriteObject(director.GetInfo());
    }

    private void StartService()
    {
        var socket = SocketPath is null ? DirectorSocket.DefaultPath : GetUnresolvedProviderPathFromPSPath(SocketPath);
        Try(() =>
        {
            if (DirectorServiceLauncher.IsRunning(socket))
            {
                WriteVerbose($"A director service is already running at {socket}; connecting to it.");
            }
            else
            {
                if (!ShouldProcess(socket, "Start director service")) return;
                var args = new List<string> { "--backend", Backend.ToLowerInvariant() };
                if (StatePath is not null) args.AddRange(new[] { "--state", GetUnresolvedProviderPathFromPSPath(StatePath) });
                if (MetricsEndpoint is not null) args.AddRange(new[] { "--metrics", MetricsEndpoint });
                if (StartEmpty) args.Add("--start-empty");
                if (FastPath is { } fastPath) args.AddRange(new[] { "--fast-path", fastPath.ToString().ToLowerInvariant() });
                args.AddRange(StatusPageArgs());
                var log = DirectorServiceLauncher.Start(socket, args, TimeSpan.FromSeconds(60));
                WriteVerbose($"Director service started; it logs to {log}.");
            }
            LvsSession.Connect(DirectorFactory.Service(socket));
            if (PassThru) WriteObject(LvsSession.Current.GetInfo());
        });
    }

    /// <summary>The status page's options on the service's command line (the service validates them).</summary>
    private List<string> StatusPageArgs()
    {
        var args = new List<string>();
        if (StatusPage is not null) args.AddRange(["--status-page", StatusPage.ToLowerInvariant() is "on" or "off" ? StatusPage.ToLowerInvariant() : StatusPage]);
        if (StatusPageActions) args.AddRange(["--status-actions", "on"]);
        if (StatusTokenPath is not null) args.AddRange(["--status-token-file", GetUnresolvedProviderPathFromPSPath(StatusTokenPath)]);
        return args;
    }
}

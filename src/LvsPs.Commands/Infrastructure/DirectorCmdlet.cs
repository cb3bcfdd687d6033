using System.Management.Automation;
using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.Commands;

/// <summary>
/// A cmdlet that acts on a director: the session's (Connect-LvsDirector), or the one named by -Director for this call
/// only. A director opened for one call is closed when the cmdlet is disposed at the end of the pipeline.
/// </summary>
public abstract class DirectorCmdlet : LvsCmdlet, IDisposable
{
    private IDirectorBackend? _backend;
    private bool _ownsBackend;

    /// <summary>
    /// The director for this call instead of the session's: Managed (the in-session director), Kernel or
    /// Kernel:NAMESPACE (kernel IPVS), Service or Service:SOCKETPATH (a director service; a path alone works too), or an
    /// object from Get-LvsDirector.
    /// </summary>
    [Parameter]
    [DirectorTransformation]
    [ArgumentCompleter(typeof(DirectorCompleter))]
    public string? Director { get; set; }

    /// <summary>The director this cmdlet talks to.</summary>
    protected IDirectorBackend Backend
    {
        get
        {
            if (_backend is null)
            {
                _backend = Director is null ? LvsSession.Current : DirectorTargets.Open(Director, out _ownsBackend);
            }
            return _backend;
        }
    }

    /// <summary>The director's health checks; an error when it runs none (kernel IPVS on its own).</summary>
    protected IHealthMonitoring HealthMonitoring => Backend as IHealthMonitoring ?? throw LvsException.NotSupported("HealthChecksNotAvailable",
        "This director runs no health checks; use the in-session managed director or a director service (Start-LvsDirector -Service), which can also drive kernel IPVS.");

    /// <summary>Opens the -Director target up front, so a bad one is one terminating error, not one per pipeline item.</summary>
    protected override void BeginProcessing()
    {
        if (Director is null) return;
        try
        {
            _ = Backend;
        }
        catch (LvsException e)
        {
            Throw(e);
        }
    }

    public void Dispose()
    {
        if (_ownsBackend) _backend?.Dispose();
        _backend = null;
        GC.SuppressFinalize(this);
    }
}

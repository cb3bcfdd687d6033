using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace LvsPs.Commands.Tests;

/// <summary>A PowerShell runspace in this process with the LvsPs cmdlets and format views loaded.</summary>
public sealed class PowerShellHost : IDisposable
{
    private readonly Runspace _runspace;

    public PowerShellHost()
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(new[] { typeof(LvsCmdlet).Assembly.Location });
        state.Formats.Add(new SessionStateFormatEntry(Path.Combine(AppContext.BaseDirectory, "LvsPs.Format.ps1xml")));
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
    }

    /// <summary>Runs a script; returns its output and the errors it wrote.</summary>
    public (Collection<PSObject> Output, IReadOnlyList<ErrorRecord> Errors) Run(string script)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        var output = ps.Invoke();
        return (output, ps.Streams.Error.ToList());
    }

    public void Dispose()
    {
        Run("Stop-LvsDirector");
        _runspace.Dispose();
    }
}

[CollectionDefinition(nameof(PowerShellCollection), DisableParallelization = true)]
public sealed class PowerShellCollection : ICollectionFixture<PowerShellHost>
{
}

using System.Diagnostics;
using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.Health.Probes;

/// <summary>
/// Healthy when an external command exits with 0 in time (keepalived MISC_CHECK). It runs with /bin/sh -c and gets the
/// real server in LVS_RS_ADDRESS and LVS_RS_PORT and the service in LVS_VIRTUAL_SERVICE; one that overruns is killed.
/// </summary>
internal sealed class CommandProbe : IHealthProbe
{
    public static readonly CommandProbe Instance = new();

    public async Task<ProbeResult> ProbeAsync(VirtualServiceId service, RealServerId realServer, HealthCheckSettings check, CancellationToken cancellation)
    {
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(check.Command!);
        psi.Environment["LVS_RS_ADDRESS"] = realServer.Address.ToString();
        psi.Environment["LVS_RS_PORT"] = (check.Port ?? realServer.Port).ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["LVS_VIRTUAL_SERVICE"] = service.ToString();
        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new ProbeResult(false, $"could not start /bin/sh: {e.Message}");
        }
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellation);
        var errors = process.StandardError.ReadToEndAsync(cancellation);
        try
        {
            await process.WaitForExitAsync(cancellation).ConfigureAwait(false);
            await Task.WhenAll(output, errors).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            return new ProbeResult(false, $"command did not finish within {check.TimeoutSeconds} s");
        }
        string Tail(Task<string> t) => t.IsCompletedSuccessfully ? t.Result.Trim().Split('\n').LastOrDefault() ?? string.Empty : string.Empty;
        var said = Tail(errors) is { Length: > 0 } e2 ? e2 : Tail(output);
        return new ProbeResult(process.ExitCode == 0, $"exit code {process.ExitCode}" + (said.Length > 0 ? ": " + said : string.Empty));
    }
}

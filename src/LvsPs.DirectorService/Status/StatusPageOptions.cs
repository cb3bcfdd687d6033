using System.Net;

namespace LvsPs.DirectorService.Status;

/// <summary>
/// The status page's settings, from the service's command line:
///   --status-page off|on|ADDRESS:PORT  off (the default); on = under /status on the metrics endpoint; or an endpoint of its own
///   --status-actions off|on            whether the page may quiesce, drain and restore real servers (default off: read-only)
///   --status-token-file PATH           the operator's secret that unlocks actions, read from PATH when it exists (else a
///                                      random one is written there); without it a random token is written at every start
///                                      to status.token beside the control socket
/// </summary>
internal sealed record StatusPageOptions
{
    public const string Usage = "[--status-page off|on|ADDRESS:PORT] [--status-actions off|on] [--status-token-file PATH]";

    /// <summary>The option names, for the service's argument loop.</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal) { "--status-page", "--status-actions", "--status-token-file" };

    public bool Enabled { get; init; }

    /// <summary>Null when the page is served on the metrics endpoint.</summary>
    public IPEndPoint? EndPoint { get; init; }

    public bool Actions { get; init; }

    public required string TokenPath { get; init; }

    /// <summary>True when the operator named the token file (an existing one is then read, not replaced).</summary>
    public bool TokenPathGiven { get; init; }

    /// <summary>
    /// Reads the options from name/value pairs (<paramref name="metricsOn"/>: whether the metrics endpoint, which
    /// --status-page on uses, is served); throws <see cref="ArgumentException"/> naming a bad value and what is allowed.
    /// </summary>
    public static StatusPageOptions Parse(IReadOnlyList<KeyValuePair<string, string>> pairs, string socketPath, bool metricsOn = true)
    {
        var options = new StatusPageOptions { TokenPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(socketPath))!, "status.token") };
        foreach (var (name, value) in pairs)
        {
            options = name switch
            {
                "--status-page" when value == "off" => options with { Enabled = false, EndPoint = null },
                "--status-page" when value == "on" => options with { Enabled = true, EndPoint = null },
                "--status-page" when IPEndPoint.TryParse(value, out var ep) && ep.Port != 0 => options with { Enabled = true, EndPoint = ep },
                "--status-page" => throw new ArgumentException($"--status-page '{Cut(value)}' is not off, on (on the metrics endpoint) or ADDRESS:PORT"),
                "--status-actions" when value is "on" or "off" => options with { Actions = value == "on" },
                "--status-actions" => throw new ArgumentException($"--status-actions '{Cut(value)}' is not on or off"),
                "--status-token-file" when value.Length > 0 => options with { TokenPath = Path.GetFullPath(value), TokenPathGiven = true },
                _ => throw new ArgumentException($"{name} '{Cut(value)}' is not valid"),
            };
        }
        if (options.Actions && !options.Enabled) throw new ArgumentException("--status-actions on needs the status page (--status-page on or ADDRESS:PORT)");
        if (options.Enabled && options.EndPoint is null && !metricsOn) throw new ArgumentException("--status-page on serves the page on the metrics endpoint, which is off; give --status-page ADDRESS:PORT");
        return options;
    }

    private static string Cut(string value) => value.Length <= 64 ? value : value[..64] + "...";
}

using LvsPs.Model.Settings;

namespace LvsPs.Model.Health;

/// <summary>How a real server is checked, after keepalived's TCP_CHECK, HTTP_GET, SSL_GET and MISC_CHECK.</summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
public enum HealthCheckType : long
{
    /// <summary>A TCP connection to the real server (or to the check port) opens in time.</summary>
    Tcp,
    /// <summary>An HTTP GET answers with an expected status (and body, if a pattern is given).</summary>
    Http,
    /// <summary>As Http, over TLS; the certificate is not verified (real servers often use self-signed ones).</summary>
    Https,
    /// <summary>An external command exits with 0.</summary>
    Command,
}

/// <summary>What happens to a real server that fails its check.</summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
public enum HealthFailureAction : long
{
    /// <summary>Weight 0: no new connections, established ones continue (keepalived's inhibit_on_failure).</summary>
    Quiesce,
    /// <summary>Taken out of the service until it is healthy again.</summary>
    Remove,
}

/// <summary>
/// A virtual service's health check, applied to each of its real servers. Defaults: every 5 s, 3 s timeout, down
/// after 3 failures in a row, up after 1 success, quiesce on failure.
/// </summary>
public sealed record HealthCheckSettings
{
    public HealthCheckType Type { get; init; } = HealthCheckType.Tcp;

    /// <summary>Port to check instead of the real server's own.</summary>
    public ushort? Port { get; init; }

    /// <summary>HTTP path for Http/Https checks.</summary>
    public string Path { get; init; } = "/";

    /// <summary>HTTP status codes that count as healthy.</summary>
    public IReadOnlyList<int> ExpectedStatus { get; init; } = new[] { 200 };

    /// <summary>A regular expression the HTTP body must match, or null.</summary>
    public string? BodyMatch { get; init; }

    /// <summary>
    /// For Command checks: run with /bin/sh -c, with LVS_RS_ADDRESS, LVS_RS_PORT and LVS_VIRTUAL_SERVICE set; exit
    /// code 0 is healthy.
    /// </summary>
    public string? Command { get; init; }

    public int IntervalSeconds { get; init; } = 5;

    public int TimeoutSeconds { get; init; } = 3;

    /// <summary>Failures in a row before a real server is down.</summary>
    public int Retries { get; init; } = 3;

    /// <summary>Successes in a row before a down real server is up again.</summary>
    public int Rise { get; init; } = 1;

    public HealthFailureAction FailureAction { get; init; } = HealthFailureAction.Quiesce;

    /// <summary>Seconds between checks.</summary>
    public static readonly ValueRange IntervalRange = new(1, 86400);

    /// <summary>Seconds a check may take.</summary>
    public static readonly ValueRange TimeoutRange = new(1, 3600);

    /// <summary>Failures (retries) or successes (rise) in a row.</summary>
    public static readonly ValueRange CountRange = new(1, 100);

    /// <summary>HTTP status codes (RFC 9110 15: three digits, 1xx..5xx).</summary>
    public static readonly ValueRange StatusRange = new(100, 599);

    /// <summary>The port checked instead of the real server's own.</summary>
    public static readonly ValueRange PortRange = new(1, 65535);

    public HealthCheckSettings Validate()
    {
        Require(IntervalRange.Contains(IntervalSeconds), "InvalidHealthInterval", $"Health check interval {IntervalSeconds} s is out of range; allowed: {IntervalRange}.", IntervalSeconds);
        Require(TimeoutRange.Contains(TimeoutSeconds), "InvalidHealthTimeout", $"Health check timeout {TimeoutSeconds} s is out of range; allowed: {TimeoutRange}.", TimeoutSeconds);
        Require(CountRange.Contains(Retries), "InvalidHealthRetries", $"Health check retries {Retries} is out of range; allowed: {CountRange}.", Retries);
        Require(CountRange.Contains(Rise), "InvalidHealthRise", $"Health check rise {Rise} is out of range; allowed: {CountRange}.", Rise);
        Require(Port is not { } port || PortRange.Contains(port), "InvalidHealthPort", $"Health check port {Port} is out of range; allowed: {PortRange}.", Port);
        Require(ExpectedStatus.Count > 0 && ExpectedStatus.All(s => StatusRange.Contains(s)), "InvalidExpectedStatus",
            $"Expected HTTP status '{string.Join(",", ExpectedStatus)}' is not valid; allowed: one or more codes in {StatusRange}.", ExpectedStatus);
        Require(Type != HealthCheckType.Command || !string.IsNullOrWhiteSpace(Command), "MissingHealthCommand", "A Command health check needs a command to run.", Command);
        // the path goes into the probe's request line: a CR or LF would inject headers, a space would end the target
        Require(Path.StartsWith('/') && Path.Length <= MaxPathLength && !ValueText.HasControl(Path) && !Path.Any(char.IsWhiteSpace), "InvalidHealthPath",
            $"HTTP check path '{ValueText.Cut(Path)}' is not valid; allowed: a path that starts with '/', at most {MaxPathLength} characters, without spaces or control characters (CR, LF, ...).", Path);
        if (BodyMatch is not null)
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(BodyMatch);
            }
            catch (ArgumentException e)
            {
                throw LvsException.InvalidArgument("InvalidBodyMatch", $"Body pattern '{ValueText.Cut(BodyMatch)}' is not a valid regular expression: {ValueText.Cut(e.Message)}", BodyMatch);
            }
        }
        return this;
    }

    /// <summary>The longest HTTP check path (a request target; servers commonly refuse request lines over 8 KiB).</summary>
    public const int MaxPathLength = 2048;

    /// <summary>
    /// Checks a sorry server for <paramref name="service"/>: a valid real server with a port (it stands in for the
    /// service's real servers, so 0 would mean "the client's port" on no service) in the service's address family.
    /// </summary>
    public static RealServerSettings ValidateSorryServer(VirtualServiceId service, RealServerSettings sorry)
    {
        sorry.Validate();
        if (sorry.Id.Port == 0)
        {
            throw LvsException.InvalidArgument("InvalidSorryServer", $"Sorry server '{sorry.Id}' has port 0; allowed: a port in 1..65535.", sorry.Id);
        }
        if (sorry.Id.AddressFamily != service.AddressFamily)
        {
            throw LvsException.InvalidArgument("SorryServerFamilyMismatch",
                $"Sorry server '{sorry.Id}' is {FamilyName(sorry.Id.AddressFamily)} but virtual service '{service}' is {FamilyName(service.AddressFamily)}; allowed: an address of the service's family.", sorry.Id);
        }
        return sorry;
    }

    private static string FamilyName(System.Net.Sockets.AddressFamily family) =>
        family == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

    /// <summary>One line for a new check, e.g. "Tcp health check every 5 s (Quiesce after 3 failures)".</summary>
    public string Describe() => $"{Type} health check every {IntervalSeconds} s ({FailureAction} after {Retries} failures)";

    /// <summary>What differs from <paramref name="before"/> to this check, as "Name: from -> to" (the cmdlet's parameter names).</summary>
    public IReadOnlyList<string> ChangesFrom(HealthCheckSettings before)
    {
        var changes = new List<string>();
        void Add<T>(string name, T from, T to, Func<T, string>? text = null)
        {
            text ??= v => v?.ToString() is { Length: > 0 } t ? t : "(none)";
            if (text(from) != text(to)) changes.Add($"{name}: {text(from)} -> {text(to)}");
        }
        Add(nameof(Type), before.Type, Type);
        Add(nameof(Port), before.Port, Port, p => p?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(the real server's)");
        Add(nameof(Path), before.Path, Path, ValueText.Cut);
        Add(nameof(ExpectedStatus), before.ExpectedStatus, ExpectedStatus, v => string.Join(",", v));
        Add(nameof(BodyMatch), before.BodyMatch, BodyMatch, v => v is null ? "(none)" : ValueText.Cut(v));
        Add(nameof(Command), before.Command, Command, v => v is null ? "(none)" : ValueText.Cut(v));
        Add("Interval", before.IntervalSeconds, IntervalSeconds);
        Add("Timeout", before.TimeoutSeconds, TimeoutSeconds);
        Add(nameof(Retries), before.Retries, Retries);
        Add(nameof(Rise), before.Rise, Rise);
        Add(nameof(FailureAction), before.FailureAction, FailureAction);
        return changes;
    }

    /// <summary>Value equality, the expected status codes included (a record compares a list by reference).</summary>
    public bool Equals(HealthCheckSettings? other) =>
        other is not null && Type == other.Type && Port == other.Port && Path == other.Path && ExpectedStatus.SequenceEqual(other.ExpectedStatus) &&
        BodyMatch == other.BodyMatch && Command == other.Command && IntervalSeconds == other.IntervalSeconds &&
        TimeoutSeconds == other.TimeoutSeconds && Retries == other.Retries && Rise == other.Rise && FailureAction == other.FailureAction;

    public override int GetHashCode() => HashCode.Combine(Type, Port, Path, ExpectedStatus.Count, Command, IntervalSeconds, Retries, FailureAction);

    private static void Require(bool ok, string id, string message, object? target)
    {
        if (!ok) throw LvsException.InvalidArgument(id, message, target);
    }
}

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

    public HealthCheckSettings Validate()
    {
        Require(IntervalSeconds is >= 1 and <= 86400, "InvalidHealthInterval", $"Health check interval {IntervalSeconds} s is out of range; allowed: 1..86400.", IntervalSeconds);
        Require(TimeoutSeconds is >= 1 and <= 3600, "InvalidHealthTimeout", $"Health check timeout {TimeoutSeconds} s is out of range; allowed: 1..3600.", TimeoutSeconds);
        Require(Retries is >= 1 and <= 100, "InvalidHealthRetries", $"Health check retries {Retries} is out of range; allowed: 1..100.", Retries);
        Require(Rise is >= 1 and <= 100, "InvalidHealthRise", $"Health check rise {Rise} is out of range; allowed: 1..100.", Rise);
        Require(ExpectedStatus.Count > 0 && ExpectedStatus.All(s => s is >= 100 and <= 599), "InvalidExpectedStatus",
            $"Expected HTTP status '{string.Join(",", ExpectedStatus)}' is not valid; allowed: one or more codes in 100..599.", ExpectedStatus);
        Require(Type != HealthCheckType.Command || !string.IsNullOrWhiteSpace(Command), "MissingHealthCommand", "A Command health check needs a command to run.", Command);
        Require(Path.StartsWith('/'), "InvalidHealthPath", $"HTTP check path '{Path}' must start with '/'.", Path);
        if (BodyMatch is not null)
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(BodyMatch);
            }
            catch (ArgumentException e)
            {
                throw LvsException.InvalidArgument("InvalidBodyMatch", $"Body pattern '{BodyMatch}' is not a valid regular expression: {e.Message}", BodyMatch);
            }
        }
        return this;
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

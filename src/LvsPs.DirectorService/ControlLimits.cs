using LvsPs.Remote;

namespace LvsPs.DirectorService;

/// <summary>
/// What one control client may cost the service. Past <see cref="MaxConnections"/> the connection idle the longest is
/// closed to make room (a client reconnects on its next call), and only when every connection is in the middle of a
/// request is a new one refused; a connection with no complete request for <see cref="IdleTimeout"/> is closed; a
/// request line longer than <see cref="MaxRequestBytes"/> gets an error and the connection is closed.
/// </summary>
internal sealed record ControlLimits
{
    public static readonly ControlLimits Default = new();

    public int MaxConnections { get; init; } = 64;

    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long an answer may take to be taken by a client that does not read it.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxRequestBytes { get; init; } = ControlProtocol.MaxRequestBytes;
}

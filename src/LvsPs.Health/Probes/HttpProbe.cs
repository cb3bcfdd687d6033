using System.Net;
using System.Text.RegularExpressions;
using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.Health.Probes;

/// <summary>
/// Healthy when an HTTP(S) GET answers with an expected status, and its body matches the pattern when one is given
/// (keepalived HTTP_GET / SSL_GET). No proxy, no redirects followed, TLS certificates not verified.
/// </summary>
internal sealed class HttpProbe : IHealthProbe
{
    public static readonly HttpProbe Instance = new();

    /// <summary>Bodies larger than this are not read further for the pattern.</summary>
    private const int MaxBody = 1 << 20;

    /// <summary>A pattern is matched against a real server's body in bounded time (a backtracking pattern cannot hang the checks).</summary>
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.Zero,
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    public async Task<ProbeResult> ProbeAsync(VirtualServiceId service, RealServerId realServer, HealthCheckSettings check, CancellationToken cancellation)
    {
        var scheme = check.Type == HealthCheckType.Https ? "https" : "http";
        var uri = new Uri($"{scheme}://{EndpointText.Format(realServer.Address, check.Port ?? realServer.Port)}{check.Path}");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.ConnectionClose = true;
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            if (!check.ExpectedStatus.Contains(status)) return new ProbeResult(false, $"HTTP {status}, expected {string.Join(",", check.ExpectedStatus)}");
            if (check.BodyMatch is null) return new ProbeResult(true, $"HTTP {status}");
            var body = await ReadBodyAsync(response, cancellation).ConfigureAwait(false);
            bool matches;
            try
            {
                matches = Regex.IsMatch(body, check.BodyMatch, RegexOptions.None, MatchTimeout);
            }
            catch (RegexMatchTimeoutException)
            {
                return new ProbeResult(false, $"HTTP {status}, body pattern took longer than {MatchTimeout.TotalSeconds} s");
            }
            return matches
                ? new ProbeResult(true, $"HTTP {status}, body matches")
                : new ProbeResult(false, $"HTTP {status}, body does not match '{Model.ValueText.Cut(check.BodyMatch)}'");
        }
        catch (OperationCanceledException)
        {
            return new ProbeResult(false, $"no answer within {check.TimeoutSeconds} s");
        }
        catch (HttpRequestException e)
        {
            return new ProbeResult(false, $"request failed: {e.HttpRequestError}");
        }
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        var buffer = new byte[MaxBody];
        int total = 0, n;
        while (total < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(total), cancellation).ConfigureAwait(false)) > 0) total += n;
        return System.Text.Encoding.UTF8.GetString(buffer, 0, total);
    }
}

using System.Net;
using System.Text;
using LvsPs.DirectorService.Http;
using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.DirectorService.Metrics;

/// <summary>
/// Serves GET /metrics in the Prometheus text format on one TCP endpoint (loopback by default), on the service's small
/// HTTP responder; the status page can be served on the same endpoint (<see cref="Http"/>).
/// </summary>
internal sealed class MetricsEndpoint : IDisposable
{
    private readonly IDirectorBackend _director;
    private readonly Func<string>? _more;

    /// <summary>Serves the director's metrics, and <paramref name="more"/>'s text after them (the failover pair's).</summary>
    public MetricsEndpoint(IPEndPoint endPoint, IDirectorBackend director, Action<string> log, Func<string>? more = null)
    {
        _more = more;
        _director = director;
        Http = new HttpEndpoint(endPoint, log);
        Http.Map(Answer);
    }

    /// <summary>The HTTP endpoint, for other pages served beside the metrics.</summary>
    public HttpEndpoint Http { get; }

    public IPEndPoint EndPoint => Http.EndPoint;

    public void Start() => Http.Start();

    private HttpResponse? Answer(HttpRequest request)
    {
        if (request.Path is not ("/metrics" or "/")) return null;
        if (request.Method is not ("GET" or "HEAD")) return HttpResponse.Text(405, "only GET") with { Headers = [new("Allow", "GET, HEAD")] };
        var health = _director is IHealthMonitoring h ? h.GetHealth() : Array.Empty<RealServerHealth>();
        return new HttpResponse(200, PrometheusText.ContentType, Encoding.UTF8.GetBytes(PrometheusText.Render(_director.GetServices(), health) + _more?.Invoke()));
    }

    public void Dispose() => Http.Dispose();
}

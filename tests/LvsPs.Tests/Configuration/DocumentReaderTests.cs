using LvsPs.Configuration;
using LvsPs.Model;

namespace LvsPs.Tests.Configuration;

/// <summary>The director document reader (YAML and JSON) on malformed input: errors name the right line, and are bounded.</summary>
public sealed class DocumentReaderTests
{
    private static LvsException Only(DirectorDocumentResult result) => Assert.Single(result.Errors);

    [Theory]
    [InlineData("virtualServices:\n\t- virtualService: tcp/10.0.0.1:80\n")]
    [InlineData("virtualServices:\n  - virtualService: tcp/10.0.0.1:80\n\tscheduler: rr\n")]
    public void A_tab_on_line_2_or_3_is_reported_at_its_line(string yaml)
    {
        int line = yaml.Split('\n').Select((l, i) => (l, i)).First(x => x.l.StartsWith('\t')).i + 1;
        var e = Only(DirectorDocument.Load(yaml, "d.yaml"));
        Assert.Equal("InvalidDirectorDocument", e.ErrorId);
        Assert.True(e.Message.StartsWith($"d.yaml:{line}:", StringComparison.Ordinal), e.Message);
    }

    [Fact]
    public void Tabs_are_whitespace_in_json_and_an_error_after_one_is_reported_at_its_line()
    {
        Assert.Empty(DirectorDocument.Load("{\n\t\"virtualServices\": []\n}\n", "d.json").Errors);
        var e = Only(DirectorDocument.Load("{\n\t\"virtualServices\": [ , ]\n}\n", "d.json"));
        Assert.True(e.Message.StartsWith("d.json:2:", StringComparison.Ordinal), e.Message);
    }

    private static readonly DirectorConfiguration OneService = new(
        new[] { new ServiceConfiguration(new VirtualServiceSettings { Id = VirtualServiceId.Parse("tcp/10.0.0.1:80") }, Array.Empty<RealServerSettings>()) },
        new LvsTimeouts());

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n\t\n")]
    [InlineData("null\n")]
    [InlineData("~")]
    [InlineData("# nothing but a comment\n")]
    [InlineData("---\n...\n")]
    public void An_empty_or_null_document_is_an_error_not_a_desired_state_of_nothing(string text)
    {
        var e = Only(DirectorDocument.Load(text, "empty.yaml"));
        Assert.Equal("EmptyDirectorDocument", e.ErrorId);
        Assert.Contains("empty.yaml", e.Message);
        Assert.Contains("virtualServices: []", e.Message); // how to say "no services" on purpose
        Assert.Equal("EmptyDirectorDocument", Only(DirectorDocument.Load(text, "empty.json", DocumentFormat.Json)).ErrorId);
    }

    [Fact]
    public void Empty_ipvsadm_rules_are_an_error_too()
    {
        Assert.Equal("EmptyDirectorDocument", Only(DirectorDocument.Load("\n", "rules", DocumentFormat.Ipvsadm)).ErrorId);
    }

    [Fact]
    public void Prune_needs_a_document_that_lists_the_services()
    {
        var timeoutsOnly = DirectorDocument.Load("timeouts:\n  tcp: 900\n", "t.yaml").GetOrThrow();
        Assert.Equal("PruneNeedsServiceList", Assert.Throws<LvsException>(() => ReconcilePlanner.Plan(timeoutsOnly, OneService, Array.Empty<SyncDaemon>(), prune: true)).ErrorId);
        Assert.DoesNotContain(ReconcilePlanner.Plan(timeoutsOnly, OneService, Array.Empty<SyncDaemon>(), prune: false).Changes, c => c is DirectorChange.DeleteService);

        Assert.Equal("WrongType", Only(DirectorDocument.Load("virtualServices:\n", "n.yaml")).ErrorId); // a null list is no list

        // saying "no services" on purpose still works
        var none = DirectorDocument.Load("virtualServices: []\n", "none.yaml").GetOrThrow();
        Assert.Contains(ReconcilePlanner.Plan(none, OneService, Array.Empty<SyncDaemon>(), prune: true).Changes, c => c is DirectorChange.DeleteService);
    }

    public static TheoryData<string, string> DeepDocuments => new()
    {
        // about 20,000 levels in 60 KB: these overflowed the stack (and killed the process) before the bound
        { "deep.yaml", "a: " + new string('[', 20_000) + new string(']', 20_000) + "\n" },
        { "deep.json", new string('[', 30_000) + new string(']', 30_000) },
        { "deep-map.yaml", string.Concat(Enumerable.Repeat("{a: ", 20_000)) + "1" + new string('}', 20_000) },
        { "deep-block.yaml", string.Concat(Enumerable.Range(0, 3_000).Select(i => new string(' ', i) + "k:\n")) },
    };

    [Theory]
    [MemberData(nameof(DeepDocuments))]
    public void Deep_nesting_is_a_clear_error_not_a_stack_overflow(string source, string text)
    {
        var e = Only(DirectorDocument.Load(text, source));
        Assert.Equal("DocumentTooDeep", e.ErrorId);
        Assert.Contains($"{DocumentLimits.MaxDepth} levels", e.Message);
        Assert.StartsWith(source + ":", e.Message);
    }

    [Fact]
    public void Nesting_up_to_the_bound_is_read()
    {
        // 63 levels of lists inside the one top-level key: the reader gets that far, and the schema refuses it
        var text = "virtualServices: " + new string('[', DocumentLimits.MaxDepth - 1) + new string(']', DocumentLimits.MaxDepth - 1) + "\n";
        var errors = DirectorDocument.Load(text, "ok.yaml").Errors;
        Assert.DoesNotContain(errors, e => e.ErrorId == "DocumentTooDeep");
    }

    [Fact]
    public void A_document_over_the_size_bound_is_refused_before_it_is_parsed()
    {
        var text = "# " + new string('x', DocumentLimits.MaxLength) + "\nvirtualServices: []\n";
        var e = Only(DirectorDocument.Load(text, "big.yaml"));
        Assert.Equal("DocumentTooLarge", e.ErrorId);
        Assert.True(e.Message.Length < 400);
    }

    [Fact]
    public void A_scalar_that_throws_inside_YamlDotNets_scanner_is_a_syntax_error_found_by_fuzzing()
    {
        // the document reader fuzz target's first find: YamlDotNet's Scanner.ScanPlainScalar threw InvalidOperationException
        const string input = "virtces:\n  - virtualS: tcp/10.0.0.1:80\n    s   scheduler: wrr\n    persistenceTimeout: 300\n    realServers:\n      - address: 10.0.0.2\n        weight: 3\n      - { address: 10.0.0.3, port: 8080, forwarding: DirectRoute }\n    healthCheck: { :,@>:ybyvir\n  - virtualService: tcp/10.0.0.ta|:,@>:ybype: Http, path: /healthz, retries: 2 }\n    sorvirtces:\n  - virtualS: tcp/10.0.0.1:80\n ryServer: 10.0.0.99:80\ntimeouts: { tcp: 900, tcpFin:virtualServices:\n  - virtualService: tcp 120, udp: 300 }\n";
        var e = Only(DirectorDocument.Load(input, "fuzz.yaml"));
        Assert.Equal("InvalidDirectorDocument", e.ErrorId);
        Assert.StartsWith("fuzz.yaml:", e.Message);
    }

    [Theory]
    [InlineData("!![\n1ee62.")]
    [InlineData("!![\n1ee62.\r@6@!e@.|b,\n3?zb84`#|by>}d~{b'#8.62\u0000*{%?.*\u00e9/>z'1|&5`,>f?5#xz!1[6/!1&%4{f?0.|78*\"9&{@@z13:\u00e9\r\u0000\ne?7y3-\r*b]59\n@8\n4y6%#]\t}&#~x[6\u00e9#!6\t8'\u00e9\"6-?.\t&24#?x")]
    public void A_tag_YamlDotNet_refuses_with_ArgumentException_is_a_syntax_error_found_by_fuzzing(string input)
    {
        // the long fuzz run's find (seed 7, input 46307): TagName's constructor threw ArgumentException out of Load
        var e = Only(DirectorDocument.Load(input, "fuzz.yaml"));
        Assert.Equal("InvalidDirectorDocument", e.ErrorId);
    }
}

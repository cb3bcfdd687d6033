using CsCheck;
using LvsPs.Configuration;
using LvsPs.Model;
using LvsPs.Model.Settings;

namespace LvsPs.Tests.Configuration;

/// <summary>The director document's writer and reader against each other, and its parts (format detection, ipvsadm adapter).</summary>
public sealed class DirectorDocumentRoundTripTests
{
    /// <summary>A fixed sequence, so a failure is found again (docs/fuzzing.md).</summary>
    private static readonly string Seed = new PCG(1, 20261128).ToString();

    private static DesiredDirector ReadBack(DirectorConfiguration config) =>
        DirectorDocument.Read(DirectorDocument.Write(config, Array.Empty<SyncDaemon>()), "written.yaml").GetOrThrow();

    [Fact]
    public void Reading_what_was_written_gives_the_same_director_for_generated_configurations()
    {
        DirectorGen.Director.Sample(config =>
        {
            var read = ReadBack(config);
            Assert.Equal(config.Timeouts, read.Timeouts);
            Assert.Equal(config.Services.Count, read.Services.Count);
            foreach (var (want, got) in config.Services.Zip(read.Services))
            {
                Assert.Equal(want.Settings with { ContentRules = Array.Empty<ContentRule>() }, got.Settings! with { ContentRules = Array.Empty<ContentRule>() });
                Assert.Equal(want.Settings.ContentRules, got.Settings!.ContentRules);
                Assert.Equal(want.RealServers, got.RealServers);
                Assert.Equal(want.HealthCheck, got.HealthCheck);
                Assert.Equal(want.SorryServer?.Id, got.SorryServer?.Id);
            }
            // and the text is stable: writing what was read writes the same document
            var again = new DirectorConfiguration(read.Services.Select(s => new ServiceConfiguration(s.Settings!, s.RealServers, s.HealthCheck, s.SorryServer)).ToArray(), read.Timeouts!);
            Assert.Equal(JsonText.Write(DirectorDocument.Write(config, Array.Empty<SyncDaemon>())), JsonText.Write(DirectorDocument.Write(again, Array.Empty<SyncDaemon>())));
        }, iter: 300, seed: Seed, threads: 1);
    }

    [Fact]
    public void Json_text_reads_back_to_the_same_plan_as_the_document_it_was_written_from()
    {
        DirectorGen.Director.Sample(config =>
        {
            var text = JsonText.Write(DirectorDocument.Write(config, Array.Empty<SyncDaemon>()));
            var read = DirectorDocument.Load(text, "written.json", DocumentFormat.Json).GetOrThrow();
            Assert.True(ReconcilePlanner.Plan(read, config, Array.Empty<SyncDaemon>(), prune: true).InDesiredState, text);
        }, iter: 100, seed: Seed, threads: 1);
    }

    [Theory]
    [InlineData("x", "d.yaml", DocumentFormat.Yaml)]
    [InlineData("x", "d.YML", DocumentFormat.Yaml)]
    [InlineData("x", "d.json", DocumentFormat.Json)]
    [InlineData("# rules\n\n-A -t 10.0.0.1:80 -s rr\n", null, DocumentFormat.Ipvsadm)]
    [InlineData("-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m\n", "rules.txt", DocumentFormat.Ipvsadm)]
    [InlineData("  { \"virtualServices\": [] }", null, DocumentFormat.Json)]
    [InlineData("[1]", null, DocumentFormat.Json)]
    [InlineData("virtualServices: []\n", null, DocumentFormat.Yaml)]
    [InlineData("", null, DocumentFormat.Yaml)]
    public void The_format_is_the_extensions_else_the_first_rule_or_keys(string text, string? path, DocumentFormat format) =>
        Assert.Equal(format, DirectorDocument.DetectFormat(text, path));

    [Fact]
    public void Ipvsadm_rules_list_real_servers_in_the_directors_order_and_name_services_they_do_not_create()
    {
        var rules = "-A -t 10.0.0.1:80 -s wrr\n-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 2\n-a -t 10.0.0.1:80 -r 10.0.0.3:80 -g -w 3\n-a -t 10.0.0.9:80 -r 10.0.0.4:80 -m\n";
        var desired = DirectorDocument.Load(rules, "rules", DocumentFormat.Ipvsadm).GetOrThrow();
        Assert.Equal(2, desired.Services.Count);
        var first = desired.Services[0];
        Assert.Equal("wrr", first.Settings!.Scheduler);
        // ipvsadm -R adds each at the head, so the last rule is listed first
        Assert.Equal(new[] { "10.0.0.3", "10.0.0.2" }, first.RealServers.Select(r => r.Id.Address.ToString()));
        Assert.Equal(ForwardingMethod.DirectRoute, first.RealServers[0].Forwarding);
        // a real server's rule alone names a service that must already exist: no settings, so no edit of it
        Assert.Null(desired.Services[1].Settings);
        Assert.Single(desired.Services[1].RealServers);
    }

    [Fact]
    public void The_readers_key_lists_are_the_catalogues()
    {
        Assert.Equal(SettingCatalog.Keys(SettingLevel.Service), DirectorDocument.ServiceKeys);
        Assert.Equal(SettingCatalog.Keys(SettingLevel.RealServer), DirectorDocument.RealServerKeys);
        var e = Assert.Single(DirectorDocument.Load("virtualServices:\n  - virtualService: tcp/10.0.0.1:80\n    colour: red\n", "d.yaml").Errors);
        Assert.Equal("UnknownKey", e.ErrorId);
        Assert.Contains(string.Join(", ", SettingCatalog.Keys(SettingLevel.Service)), e.Message);
    }

    [Theory]
    [InlineData("interval", 0)]
    [InlineData("interval", 86401)]
    [InlineData("retries", 101)]
    [InlineData("port", 0)]
    public void A_health_check_value_outside_the_models_range_is_refused_naming_that_range(string key, long value)
    {
        var yaml = $"virtualServices:\n  - virtualService: tcp/10.0.0.1:80\n    healthCheck:\n      {key}: {value}\n";
        var e = Assert.Single(DirectorDocument.Load(yaml, "d.yaml").Errors);
        Assert.Equal("ValueOutOfRange", e.ErrorId);
        Assert.Contains($"allowed: {SettingCatalog.Get(SettingLevel.HealthCheck, key).Range}", e.Message);
        Assert.StartsWith("d.yaml:4:", e.Message);
    }

    [Fact]
    public void Local_forwarding_is_not_a_choice_users_have()
    {
        var e = Assert.Single(DirectorDocument.Load("virtualServices:\n  - virtualService: tcp/10.0.0.1:80\n    realServers:\n      - { address: 10.0.0.2, forwarding: Local }\n", "d.yaml").Errors);
        Assert.Equal("InvalidValue", e.ErrorId);
        Assert.Contains("allowed: Masquerade, Tunnel, DirectRoute", e.Message);
    }
}

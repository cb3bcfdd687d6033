using System.Management.Automation.Language;
using System.Text.Json;
using LvsPs.Model.Settings;
using LvsPs.Scheduling;

namespace LvsPs.Commands.Tests;

/// <summary>
/// The surfaces written by hand (docs/lvsps-director.schema.json, the DSC v3 manifests, the class resources in
/// LvsPs.psm1) against the settings vocabulary (SettingCatalog): the same names, kinds of value, ranges, choices and
/// defaults. A setting added to the model and the catalogue but not to one of them fails here, naming it.
/// </summary>
public sealed class SettingVocabularyTests
{
    private static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docs", "lvsps-director.schema.json"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("The repository root (docs/lvsps-director.schema.json) is not above " + AppContext.BaseDirectory);
    }

    /// <summary>The JSON schema's definition of each level.</summary>
    public static TheoryData<string, string> SchemaLevels => new()
    {
        { nameof(SettingLevel.Service), "virtualService" },
        { nameof(SettingLevel.RealServer), "realServer" },
        { nameof(SettingLevel.HealthCheck), "healthCheck" },
        { nameof(SettingLevel.ContentRule), "contentRule" },
        { nameof(SettingLevel.SyncDaemon), "syncDaemon" },
        { nameof(SettingLevel.Failover), "failover" },
        { nameof(SettingLevel.FailoverNode), "failoverNode" },
        { nameof(SettingLevel.Bgp), "bgp" },
        { nameof(SettingLevel.BgpNeighbor), "bgpNeighbor" },
        { nameof(SettingLevel.BgpNode), "bgpNode" },
    };

    [Theory]
    [MemberData(nameof(SchemaLevels))]
    public void The_schema_describes_each_level_as_the_catalogue(string level, string definition)
    {
        using var schema = Json("docs/lvsps-director.schema.json");
        var props = schema.RootElement.GetProperty("$defs").GetProperty(definition).GetProperty("properties");
        CheckProperties($"schema $defs.{definition}", props, SettingCatalog.Of(Enum.Parse<SettingLevel>(level)));
    }

    [Fact]
    public void The_schema_top_and_timeouts_are_the_catalogues()
    {
        using var schema = Json("docs/lvsps-director.schema.json");
        var top = schema.RootElement.GetProperty("properties");
        CheckProperties("schema top", top, SettingCatalog.Of(SettingLevel.Director));
        CheckProperties("schema timeouts", top.GetProperty("timeouts").GetProperty("properties"), SettingCatalog.Of(SettingLevel.Timeouts));
    }

    [Theory]
    [InlineData("LvsPs.VirtualService", nameof(SettingLevel.Service))]
    [InlineData("LvsPs.RealServer", nameof(SettingLevel.RealServer))]
    public void Each_DSC_v3_manifest_takes_the_resource_settings_of_its_level(string manifest, string level)
    {
        using var json = Json($"src/LvsPs.Module/dsc/{manifest}.dsc.resource.json");
        var props = json.RootElement.GetProperty("schema").GetProperty("embedded").GetProperty("properties");
        CheckProperties(manifest, props, ResourceSettings(Enum.Parse<SettingLevel>(level)), ResourceMeta);
    }

    [Theory]
    [InlineData("LvsVirtualService", nameof(SettingLevel.Service))]
    [InlineData("LvsRealServer", nameof(SettingLevel.RealServer))]
    public void Each_class_resource_takes_the_resource_settings_of_its_level(string className, string level)
    {
        var settings = ResourceSettings(Enum.Parse<SettingLevel>(level));
        var type = ClassResource(className);
        var props = type.Members.OfType<PropertyMemberAst>()
            .Where(p => p.Attributes.Any(a => a.TypeName.Name == "DscProperty") && !ClassMeta.Contains(p.Name))
            .ToDictionary(p => p.Name, StringComparer.Ordinal);
        Assert.True(settings.Select(s => s.Name).Order().SequenceEqual(props.Keys.Order()),
            $"{className} has the properties {string.Join(", ", props.Keys.Order())}; the catalogue: {string.Join(", ", settings.Select(s => s.Name).Order())}");
        foreach (var s in settings)
        {
            var t = props[s.Name].PropertyType?.TypeName.GetReflectionType();
            Assert.True(t is not null, $"{className}.{s.Name} has no type PowerShell knows");
            Assert.True(Fits(s, t!), $"{className}.{s.Name} is [{t}], which does not hold the catalogue's {s.Kind}{(s.Range is { } r ? " " + r : "")}");
        }
        // the list of properties the class passes to the facade names every property but Reasons
        var managed = type.Members.OfType<PropertyMemberAst>().Single(p => p.Name == "Managed").InitialValue;
        var names = managed!.FindAll(a => a is StringConstantExpressionAst, searchNestedScriptBlocks: false).Cast<StringConstantExpressionAst>().Select(a => a.Value);
        var declared = type.Members.OfType<PropertyMemberAst>().Where(p => p.Attributes.Any(a => a.TypeName.Name == "DscProperty") && p.Name != "Reasons").Select(p => p.Name);
        Assert.True(declared.Order().SequenceEqual(names.Order()), $"{className}::Managed names {string.Join(", ", names.Order())}; its properties: {string.Join(", ", declared.Order())}");
    }

    [Theory]
    [InlineData("LvsVirtualService")]
    [InlineData("LvsRealServer")]
    [InlineData("LvsConfiguration")]
    public void Desired_state_md_lists_each_class_resources_properties(string className)
    {
        var row = File.ReadLines(Path.Combine(Root, "docs", "desired-state.md")).Single(l => l.StartsWith($"| `{className}` |", StringComparison.Ordinal));
        var listed = System.Text.RegularExpressions.Regex.Matches(string.Join("|", row.Split('|').Skip(2)), "`([A-Za-z]+)`").Select(m => m.Groups[1].Value);
        var declared = ClassResource(className).Members.OfType<PropertyMemberAst>()
            .Where(p => p.Attributes.Any(a => a.TypeName.Name == "DscProperty") && p.Name != "Reasons").Select(p => p.Name);
        Assert.Equal(declared.Order(), listed.Order());
    }

    [Fact]
    public void The_drift_the_issue_names_is_mended()
    {
        Assert.Contains(ClassResource("LvsRealServer").Members, m => m.Name == "TunnelType");
        Assert.Contains(ClassResource("LvsVirtualService").Members, m => m.Name == "Helper");
        using var json = Json("src/LvsPs.Module/dsc/LvsPs.VirtualService.dsc.resource.json");
        Assert.True(json.RootElement.GetProperty("schema").GetProperty("embedded").GetProperty("properties").TryGetProperty("helper", out _));
    }

    [Fact]
    public void The_catalogue_takes_its_ranges_and_defaults_from_the_model()
    {
        Assert.Equal(LvsPs.Model.Validation.WeightRange, SettingCatalog.Get(SettingLevel.RealServer, "weight").Range);
        Assert.Equal(LvsPs.Model.Health.HealthCheckSettings.IntervalRange, SettingCatalog.Get(SettingLevel.HealthCheck, "interval").Range);
        Assert.Equal((long)new LvsPs.Model.Health.HealthCheckSettings().IntervalSeconds, SettingCatalog.Get(SettingLevel.HealthCheck, "interval").Default);
        Assert.Equal(new[] { "Masquerade", "Tunnel", "DirectRoute" }, SettingCatalog.Get(SettingLevel.RealServer, "forwarding").Choices);
        Assert.Equal(new[] { "Checksum", "RemoteChecksum" }, SettingCatalog.Get(SettingLevel.RealServer, "tunnelFlags").Choices);
        Assert.Equal(SettingBackends.Kernel, SettingCatalog.Get(SettingLevel.RealServer, "tunnelType").Backends);
        Assert.Equal(SettingBackends.Managed, SettingCatalog.Get(SettingLevel.Service, "contentRules").Backends);
        Assert.Equal("UnknownSetting", Assert.Throws<LvsPs.Model.LvsException>(() => SettingCatalog.Get(SettingLevel.Service, "colour")).ErrorId);
        // every key is unique in its level, and every range and choice list is where its kind needs one
        foreach (var level in SettingCatalog.All.GroupBy(s => s.Level)) Assert.Equal(level.Count(), level.Select(s => s.Key).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(SettingCatalog.All.Where(s => s.Kind == SettingKind.WholeNumber), s => Assert.NotNull(s.Range));
        Assert.All(SettingCatalog.All.Where(s => s.Kind is SettingKind.Choice or SettingKind.Flags), s => Assert.NotEmpty(s.Choices));
    }

    // --- the surfaces ---

    private static readonly string[] ResourceMeta = { "director", "_exist", "_inDesiredState" };
    private static readonly string[] ClassMeta = { "Ensure", "Director", "Reasons" };

    /// <summary>A resource's settings: those of its level it takes, after the service it belongs to for a real server.</summary>
    private static IReadOnlyList<Setting> ResourceSettings(SettingLevel level) =>
        (level == SettingLevel.RealServer ? new[] { SettingCatalog.Get(SettingLevel.Service, "virtualService") } : Array.Empty<Setting>())
            .Concat(SettingCatalog.Of(level).Where(s => s.ResourceProperty)).ToArray();

    private static JsonDocument Json(string path) => JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, path)));

    private static TypeDefinitionAst ClassResource(string name)
    {
        var ast = Parser.ParseFile(Path.Combine(Root, "src", "LvsPs.Module", "LvsPs.psm1"), out _, out var errors);
        Assert.Empty(errors);
        return (TypeDefinitionAst)ast.Find(a => a is TypeDefinitionAst t && t.Name == name, searchNestedScriptBlocks: true)!;
    }

    private static void CheckProperties(string surface, JsonElement props, IReadOnlyList<Setting> settings, string[]? meta = null)
    {
        var names = props.EnumerateObject().Select(p => p.Name).Where(n => meta is null || !meta.Contains(n)).Order().ToArray();
        Assert.True(settings.Select(s => s.Key).Order().SequenceEqual(names),
            $"{surface} has the keys {string.Join(", ", names)}; the catalogue: {string.Join(", ", settings.Select(s => s.Key).Order())}");
        foreach (var s in settings) CheckShape($"{surface}.{s.Key}", props.GetProperty(s.Key), s);
    }

    private static void CheckShape(string where, JsonElement e, Setting s)
    {
        switch (s.Kind)
        {
            case SettingKind.WholeNumber:
                Assert.True(HasType(e, "integer"), $"{where}: not an integer");
                Assert.True(e.TryGetProperty("minimum", out var min) && min.GetUInt64() == s.Range!.Value.Min, $"{where}: minimum is not {s.Range!.Value.Min}");
                Assert.True(e.TryGetProperty("maximum", out var max) && max.GetUInt64() == s.Range!.Value.Max, $"{where}: maximum is not {s.Range!.Value.Max}");
                break;
            case SettingKind.Boolean:
                Assert.True(HasType(e, "boolean"), $"{where}: not a boolean");
                break;
            case SettingKind.Choice:
                Assert.True(e.TryGetProperty("enum", out var values), $"{where}: no enum");
                Assert.Equal(s.Choices.Order(), Words(values).Order());
                break;
            case SettingKind.Flags:
                Assert.True(HasType(e, "array") && e.TryGetProperty("items", out var items) && items.TryGetProperty("enum", out var flags), $"{where}: not a list of names");
                Assert.Equal(s.Choices.Order(), Words(e.GetProperty("items").GetProperty("enum")).Order());
                break;
            case SettingKind.List:
                Assert.True(HasType(e, "array"), $"{where}: not a list");
                if (s.Range is { } r)
                {
                    var item = e.GetProperty("items");
                    Assert.Equal((r.Min, r.Max), (item.GetProperty("minimum").GetUInt64(), item.GetProperty("maximum").GetUInt64()));
                }
                break;
            case SettingKind.Text when s.Key == "scheduler":
                // the names are the scheduler library's, not the model's
                Assert.Equal(SchedulerRegistry.All.Select(d => d.Name).Order(), Words(e.GetProperty("enum")).Order());
                break;
            case SettingKind.Text:
                Assert.True(HasType(e, "string"), $"{where}: not text");
                break;
        }
        if (e.TryGetProperty("default", out var def))
        {
            object? value = def.ValueKind switch
            {
                JsonValueKind.Number => def.GetInt64(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String => def.GetString(),
                _ => null,
            };
            Assert.True(Equals(s.Default, value), $"{where}: default {value} is not the model's {s.Default}");
        }
    }

    /// <summary>The words of an enum, without "" and null (not set, on every setting that takes them).</summary>
    private static IEnumerable<string> Words(JsonElement values) =>
        values.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String && v.GetString() != "").Select(v => v.GetString()!);

    private static bool HasType(JsonElement e, string type) => e.TryGetProperty("type", out var t) &&
        (t.ValueKind == JsonValueKind.String ? t.GetString() == type : t.EnumerateArray().Any(x => x.GetString() == type));

    /// <summary>Whether a class resource's property type holds the setting's values (a number type its range fits in).</summary>
    private static bool Fits(Setting s, Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        return s.Kind switch
        {
            SettingKind.WholeNumber => t == typeof(ushort) ? s.Range!.Value.Max <= ushort.MaxValue
                : t == typeof(int) ? s.Range!.Value.Max <= int.MaxValue
                : t == typeof(uint) ? s.Range!.Value.Max <= uint.MaxValue
                : t == typeof(long),
            SettingKind.Boolean => t == typeof(bool),
            SettingKind.Text or SettingKind.Choice => t == typeof(string),
            SettingKind.Flags or SettingKind.List => t == typeof(string[]),
            SettingKind.Section => t == typeof(System.Collections.Hashtable[]),
            _ => false,
        };
    }
}

/// <summary>
/// The vocabulary in a PowerShell session: a cmdlet parameter that is a setting takes its range from the model
/// (ValidateSettingRange, reported as PowerShell's ValidateRange reports one), and the DSC facade reports each setting.
/// </summary>
[Collection(nameof(PowerShellCollection))]
public sealed class SettingVocabularyCmdletTests(PowerShellHost ps)
{
    [Theory]
    [InlineData("-VirtualRouterId 0", "1..255")]
    [InlineData("-VirtualRouterId 256", "1..255")]
    [InlineData("-AdvertisementInterval 300", "1..255")]
    public void Out_of_range_is_a_parameter_validation_error_naming_the_models_range(string parameter, string range)
    {
        var (_, errors) = ps.Run($"Set-LvsFailover {parameter} -WhatIf");
        var error = Assert.Single(errors);
        Assert.StartsWith("ParameterArgumentValidationError,", error.FullyQualifiedErrorId);
        Assert.Contains($"allowed: {range}", error.Exception.Message);
        Assert.Equal($"allowed: {FailoverSettingsRange(parameter)}", $"allowed: {range}");
    }

    [Fact]
    public void The_DSC_facade_reports_every_resource_setting_of_a_service_and_a_real_server()
    {
        var (output, errors) = ps.Run(@"
            Stop-LvsDirector
            $id = 'tcp/127.0.79.3:' + (Get-Random -Minimum 20000 -Maximum 60000)
            New-LvsVirtualService $id -Scheduler rr | Out-Null
            Add-LvsRealServer $id -Address 10.0.0.2 -Port 8080
            [LvsPs.Commands.Dsc.LvsDsc]::Invoke('VirtualService', 'get', @{ virtualService = $id }).State
            [LvsPs.Commands.Dsc.LvsDsc]::Invoke('RealServer', 'get', @{ virtualService = $id; address = '10.0.0.2'; port = 8080 }).State
            Stop-LvsDirector");
        Assert.Empty(errors);
        var states = output.Select(o => (System.Collections.Specialized.OrderedDictionary)o.BaseObject).ToArray();
        Assert.Equal(2, states.Length);
        static string[] Keys(System.Collections.Specialized.OrderedDictionary d) => d.Keys.Cast<string>().Where(k => k != "_exist").Order().ToArray();
        Assert.Equal(SettingCatalog.ResourceKeys(SettingLevel.Service).Order(), Keys(states[0]));
        // the tunnel settings are reported with Tunnel forwarding only (a kernel director's)
        var realServer = new[] { "virtualService" }.Concat(SettingCatalog.Of(SettingLevel.RealServer).Where(s => s.ResourceProperty && !s.Key.StartsWith("tunnel", StringComparison.Ordinal)).Select(s => s.Key));
        Assert.Equal(realServer.Order(), Keys(states[1]));
    }

    private static string FailoverSettingsRange(string parameter) => (parameter.Contains("VirtualRouterId", StringComparison.Ordinal)
        ? LvsPs.Model.Failover.FailoverSettings.VirtualRouterIdRange : LvsPs.Model.Failover.FailoverSettings.AdvertisementIntervalRange).ToString();
}

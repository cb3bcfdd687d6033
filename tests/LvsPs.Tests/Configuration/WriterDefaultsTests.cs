using System.Globalization;
using LvsPs.Configuration;
using LvsPs.Model;
using LvsPs.Model.Settings;

namespace LvsPs.Tests.Configuration;

/// <summary>
/// The document writer and the settings catalogue agree on every default (SettingCatalog: a setting is described
/// once): a setting at the catalogue's default is left out of a written document (or, for what a document always
/// shows, written as that default), and a setting at any other value is written with it. Each setting with a default
/// is read from a document, once at the default and once at another value, and written again.
/// </summary>
public sealed class WriterDefaultsTests
{
    private static readonly SettingLevel[] Levels = { SettingLevel.Timeouts, SettingLevel.Service, SettingLevel.RealServer, SettingLevel.HealthCheck };

    /// <summary>What a document always shows, default or not (DirectorDocument.Writer.cs); every other setting only when not at its default.</summary>
    private static readonly HashSet<(SettingLevel, string)> AlwaysWritten = new()
    {
        (SettingLevel.Service, "scheduler"), (SettingLevel.RealServer, "forwarding"), (SettingLevel.RealServer, "weight"),
        (SettingLevel.Timeouts, "tcp"), (SettingLevel.Timeouts, "tcpFin"), (SettingLevel.Timeouts, "udp"),
        (SettingLevel.HealthCheck, "type"), (SettingLevel.HealthCheck, "path"), (SettingLevel.HealthCheck, "interval"), (SettingLevel.HealthCheck, "timeout"),
        (SettingLevel.HealthCheck, "retries"), (SettingLevel.HealthCheck, "rise"), (SettingLevel.HealthCheck, "failureAction"),
    };

    public static TheoryData<SettingLevel, string> SettingsWithDefaults()
    {
        var data = new TheoryData<SettingLevel, string>();
        foreach (var s in SettingCatalog.All.Where(s => Levels.Contains(s.Level) && s.Default is not null)) data.Add(s.Level, s.Key);
        return data;
    }

    [Fact]
    public void Every_level_the_writer_writes_has_settings_with_defaults_to_check() =>
        Assert.All(Levels, level => Assert.Contains(SettingCatalog.Of(level), s => s.Default is not null));

    [Theory]
    [MemberData(nameof(SettingsWithDefaults))]
    public void A_setting_at_the_catalogues_default_is_left_out_unless_always_shown_and_any_other_value_is_written(SettingLevel level, string key)
    {
        var setting = SettingCatalog.Get(level, key);
        var atDefault = WrittenValue(setting, setting.Default!);
        if (AlwaysWritten.Contains((level, key))) Assert.Equal(Text(setting.Default!), atDefault);
        else Assert.True(atDefault is null, $"{level} {key}: at the catalogue's default ({Text(setting.Default!)}) the writer wrote {atDefault} instead of leaving it out");

        var other = OtherValue(setting);
        Assert.Equal(Text(other), WrittenValue(setting, other));
    }

    /// <summary>What the writer writes for <paramref name="setting"/> after reading a document that sets it to <paramref name="value"/>; null when left out.</summary>
    private static string? WrittenValue(Setting setting, object value)
    {
        string entry = $"\"{setting.Key}\": {Json(value)}";
        string service = setting.Level == SettingLevel.Service ? entry + ", " : string.Empty;
        string realServer = setting.Level == SettingLevel.RealServer ? ", " + entry : string.Empty;
        string timeouts = setting.Level == SettingLevel.Timeouts ? entry : string.Empty;
        // what a setting needs besides: a tunnel's settings tunnel forwarding (a GUE tunnel a port), one-packet
        // scheduling a UDP service, a check's path an HTTP check; everything else stands alone
        string forwarding = setting.Level == SettingLevel.RealServer && setting.Key.StartsWith("tunnel", StringComparison.Ordinal)
            ? ", \"forwarding\": \"Tunnel\"" + (setting.Key == "tunnelPort" ? string.Empty : ", \"tunnelPort\": 6080") : string.Empty;
        string protocol = setting.Key == "onePacket" ? "udp" : "tcp";
        string httpCheck = setting.Key == "path" ? "\"type\": \"Http\", " : string.Empty;
        string check = setting.Level == SettingLevel.HealthCheck ? $", \"healthCheck\": {{ {httpCheck}{entry} }}" : string.Empty;
        var text = $"{{ \"virtualServices\": [ {{ \"virtualService\": \"{protocol}/10.0.0.1:80\", {service}\"realServers\": [ {{ \"address\": \"10.0.0.2\", \"port\": 80{forwarding}{realServer} }} ]{check} }} ], \"timeouts\": {{ {timeouts} }} }}";
        var read = DirectorDocument.Load(text, "d.json", DocumentFormat.Json).GetOrThrow();
        var configuration = new DirectorConfiguration(
            read.Services.Select(s => new ServiceConfiguration(s.Settings!, s.RealServers, s.HealthCheck, s.SorryServer)).ToArray(), read.Timeouts!);
        var written = DirectorDocument.Write(configuration, Array.Empty<SyncDaemon>());
        var svc = (DocMapping)((DocSequence)Get(written, "virtualServices")!).Items.Single();
        var mapping = setting.Level switch
        {
            SettingLevel.Timeouts => (DocMapping)Get(written, "timeouts")!,
            SettingLevel.Service => svc,
            SettingLevel.RealServer => (DocMapping)((DocSequence)Get(svc, "realServers")!).Items.Single(),
            _ => (DocMapping)Get(svc, "healthCheck")!,
        };
        return Get(mapping, setting.Key) is DocScalar scalar ? scalar.Value : null;
    }

    private static DocNode? Get(DocMapping m, string key) => m.Entries.FirstOrDefault(e => e.Key.Value == key).Value;

    /// <summary>A value of the setting other than its default, in its range or among its choices.</summary>
    private static object OtherValue(Setting setting) => setting.Default switch
    {
        bool b => !b,
        long n => setting.Range is { } r && !r.Contains(n + 1) ? n - 1 : n + 1,
        string text when setting.Kind == SettingKind.Text => setting.Key switch
        {
            "scheduler" => text == "rr" ? "wrr" : "rr",
            "path" => text + "health",
            _ => throw new InvalidOperationException($"{setting.Key}: no other value known for this text setting; add one here"),
        },
        // a check type with nothing more to give (Command needs a command): the next of the choices that stands alone
        string name => setting.Choices.First(c => c != name && c != "Command"),
        _ => throw new InvalidOperationException($"{setting.Key}: a default of type {setting.Default!.GetType().Name}"),
    };

    private static string Json(object value) => value switch
    {
        bool b => b ? "true" : "false",
        long n => n.ToString(CultureInfo.InvariantCulture),
        _ => $"\"{value}\"",
    };

    private static string Text(object value) => value switch
    {
        bool b => b ? "true" : "false",
        long n => n.ToString(CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };
}

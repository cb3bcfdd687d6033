using System.Net;
using LvsPs.Model.Failover;
using LvsPs.Model.Health;

namespace LvsPs.Model.Settings;

/// <summary>
/// The settings vocabulary: one description of each setting a director takes, by level, in document order. The
/// director document's reader and writer, the DSC facade and the DSC resources take their keys from here, and tests
/// hold the hand-written surfaces (the class resources in LvsPs.psm1, the DSC v3 manifests, the JSON schema) to it.
/// Ranges are the model validation's fields and defaults its records' initial values, so nothing here restates them.
/// </summary>
public static class SettingCatalog
{
    private static readonly RealServerSettings RealServerDefaults = new() { Id = RealServerId.Create(IPAddress.Loopback, 0) };
    private static readonly VirtualServiceSettings ServiceDefaults = new() { Id = VirtualServiceId.ForFirewallMark(1) };
    private static readonly HealthCheckSettings HealthDefaults = new();
    private static readonly FailoverSettings FailoverDefaults = new();
    private static readonly FailoverNode NodeDefaults = new() { Name = "n" };

    /// <summary>Every setting, level by level, each level in document order.</summary>
    public static IReadOnlyList<Setting> All { get; } = Build();

    /// <summary>The settings of <paramref name="level"/>, in document order.</summary>
    public static IReadOnlyList<Setting> Of(SettingLevel level) => All.Where(s => s.Level == level).ToArray();

    /// <summary>The document keys of <paramref name="level"/>, in document order.</summary>
    public static string[] Keys(SettingLevel level) => All.Where(s => s.Level == level).Select(s => s.Key).ToArray();

    /// <summary>The keys the DSC resources of <paramref name="level"/> take, in document order.</summary>
    public static string[] ResourceKeys(SettingLevel level) => All.Where(s => s.Level == level && s.ResourceProperty).Select(s => s.Key).ToArray();

    /// <summary>The setting <paramref name="key"/> of <paramref name="level"/> (matched without regard to case).</summary>
    public static Setting Get(SettingLevel level, string key) =>
        All.FirstOrDefault(s => s.Level == level && string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase))
        ?? throw LvsException.InvalidArgument("UnknownSetting", $"Setting '{ValueText.Cut(key)}' is not one of {level}; allowed: {string.Join(", ", Keys(level))}.", key);

    private static List<Setting> Build()
    {
        var all = new List<Setting>();
        void Add(SettingLevel level, string key, SettingKind kind, object? @default = null, ValueRange? range = null, Type? enumType = null,
            SettingBackends backends = SettingBackends.Both, bool resource = true, string[]? excluded = null, string[]? extra = null, string? description = null) =>
            all.Add(new Setting
            {
                Level = level, Key = key, Kind = kind, Default = @default, Range = range, EnumType = enumType, Backends = backends, ResourceProperty = resource,
                Excluded = excluded ?? Array.Empty<string>(), ExtraChoices = extra ?? Array.Empty<string>(), Description = description,
            });

        const SettingLevel top = SettingLevel.Director;
        Add(top, "virtualServices", SettingKind.Section);
        Add(top, "timeouts", SettingKind.Section);
        Add(top, "syncDaemons", SettingKind.Section, backends: SettingBackends.Kernel);
        Add(top, "failover", SettingKind.Section);
        Add(top, "bgp", SettingKind.Section);

        const SettingLevel t = SettingLevel.Timeouts;
        Add(t, "tcp", SettingKind.WholeNumber, (long)LvsTimeouts.DefaultTcp, LvsTimeouts.Range);
        Add(t, "tcpFin", SettingKind.WholeNumber, (long)LvsTimeouts.DefaultTcpFin, LvsTimeouts.Range);
        Add(t, "udp", SettingKind.WholeNumber, (long)LvsTimeouts.DefaultUdp, LvsTimeouts.Range);

        const SettingLevel s = SettingLevel.Service;
        var d = ServiceDefaults;
        Add(s, "virtualService", SettingKind.Text);
        // the scheduler names are the scheduler library's (SchedulerRegistry), checked by the reader
        Add(s, "scheduler", SettingKind.Text, d.Scheduler);
        // a document's shorthand for persistenceTimeout: the default timeout (ipvsadm -p without a value)
        Add(s, "persistent", SettingKind.Boolean, resource: false);
        Add(s, "persistenceTimeout", SettingKind.WholeNumber, (long)d.PersistenceTimeout, VirtualServiceSettings.PersistenceTimeoutRange);
        Add(s, "persistenceNetmask", SettingKind.Text);
        Add(s, "onePacket", SettingKind.Boolean, d.OnePacket);
        Add(s, "schedulerFlags", SettingKind.Flags, enumType: typeof(SchedulerFlags));
        Add(s, "persistenceEngine", SettingKind.Text, backends: SettingBackends.Kernel);
        Add(s, "helper", SettingKind.Choice, d.Helper.ToString(), enumType: typeof(ApplicationHelper));
        Add(s, "realServers", SettingKind.Section, resource: false);
        Add(s, "healthCheck", SettingKind.Section, resource: false);
        Add(s, "sorryServer", SettingKind.Text, resource: false);
        Add(s, "sendProxy", SettingKind.Choice, d.SendProxy.ToString(), enumType: typeof(ProxyProtocol), backends: SettingBackends.Managed);
        Add(s, "acceptProxy", SettingKind.Boolean, d.AcceptProxy, backends: SettingBackends.Managed);
        Add(s, "transparent", SettingKind.Boolean, d.Transparent, backends: SettingBackends.Managed);
        Add(s, "contentRules", SettingKind.Section, backends: SettingBackends.Managed);
        Add(s, "defaultGroup", SettingKind.Text, backends: SettingBackends.Managed);

        const SettingLevel r = SettingLevel.RealServer;
        var rd = RealServerDefaults;
        Add(r, "address", SettingKind.Text);
        Add(r, "port", SettingKind.WholeNumber, range: Validation.PortRange);
        // Local is set by the kernel for a local real server, never by users
        Add(r, "forwarding", SettingKind.Choice, rd.Forwarding.ToString(), enumType: typeof(ForwardingMethod), excluded: new[] { nameof(ForwardingMethod.Local) });
        Add(r, "weight", SettingKind.WholeNumber, (long)rd.Weight, Validation.WeightRange);
        Add(r, "upperThreshold", SettingKind.WholeNumber, (long)rd.UpperThreshold, Validation.ThresholdRange);
        Add(r, "lowerThreshold", SettingKind.WholeNumber, (long)rd.LowerThreshold, Validation.ThresholdRange);
        Add(r, "tunnelType", SettingKind.Choice, rd.TunnelType.ToString(), enumType: typeof(TunnelType), backends: SettingBackends.Kernel);
        Add(r, "tunnelPort", SettingKind.WholeNumber, range: Validation.PortRange, backends: SettingBackends.Kernel);
        Add(r, "tunnelFlags", SettingKind.Flags, enumType: typeof(TunnelFlags), backends: SettingBackends.Kernel);
        // Inherit (or nothing): the service's PROXY setting
        Add(r, "sendProxy", SettingKind.Choice, enumType: typeof(ProxyProtocol), extra: new[] { "Inherit" }, backends: SettingBackends.Managed);
        Add(r, "group", SettingKind.Text, backends: SettingBackends.Managed);

        const SettingLevel c = SettingLevel.ContentRule;
        Add(c, "match", SettingKind.Choice, enumType: typeof(ContentMatch), backends: SettingBackends.Managed);
        Add(c, "pattern", SettingKind.Text, backends: SettingBackends.Managed);
        Add(c, "name", SettingKind.Text, backends: SettingBackends.Managed);
        Add(c, "group", SettingKind.Text, backends: SettingBackends.Managed);

        const SettingLevel sd = SettingLevel.SyncDaemon;
        Add(sd, "role", SettingKind.Choice, enumType: typeof(SyncDaemonRole), backends: SettingBackends.Kernel);
        Add(sd, "interface", SettingKind.Text, backends: SettingBackends.Kernel);
        Add(sd, "syncId", SettingKind.WholeNumber, range: SyncDaemon.SyncIdRange, backends: SettingBackends.Kernel);
        Add(sd, "maxLength", SettingKind.WholeNumber, range: SyncDaemon.ShortRange, backends: SettingBackends.Kernel);
        Add(sd, "group", SettingKind.Text, backends: SettingBackends.Kernel);
        Add(sd, "port", SettingKind.WholeNumber, range: SyncDaemon.ShortRange, backends: SettingBackends.Kernel);
        Add(sd, "ttl", SettingKind.WholeNumber, range: SyncDaemon.TtlRange, backends: SettingBackends.Kernel);

        const SettingLevel h = SettingLevel.HealthCheck;
        var hd = HealthDefaults;
        Add(h, "type", SettingKind.Choice, hd.Type.ToString(), enumType: typeof(HealthCheckType));
        Add(h, "port", SettingKind.WholeNumber, range: HealthCheckSettings.PortRange);
        Add(h, "path", SettingKind.Text, hd.Path);
        Add(h, "expectedStatus", SettingKind.List, range: HealthCheckSettings.StatusRange);
        Add(h, "bodyMatch", SettingKind.Text);
        Add(h, "command", SettingKind.Text);
        Add(h, "interval", SettingKind.WholeNumber, (long)hd.IntervalSeconds, HealthCheckSettings.IntervalRange);
        Add(h, "timeout", SettingKind.WholeNumber, (long)hd.TimeoutSeconds, HealthCheckSettings.TimeoutRange);
        Add(h, "retries", SettingKind.WholeNumber, (long)hd.Retries, HealthCheckSettings.CountRange);
        Add(h, "rise", SettingKind.WholeNumber, (long)hd.Rise, HealthCheckSettings.CountRange);
        Add(h, "failureAction", SettingKind.Choice, hd.FailureAction.ToString(), enumType: typeof(HealthFailureAction));

        var f = FailoverDefaults;
        AddDescribed(all, SettingLevel.Failover, FailoverKeys.Section, key => key switch
        {
            "virtualRouterId" => (SettingKind.WholeNumber, null, FailoverSettings.VirtualRouterIdRange),
            "advertisementInterval" => (SettingKind.WholeNumber, (long)f.AdvertisementInterval, FailoverSettings.AdvertisementIntervalRange),
            "interface" => (SettingKind.Text, null, null),
            "virtualAddresses" => (SettingKind.List, null, null),
            "unicast" => (SettingKind.Boolean, f.Unicast, null),
            "password" => (SettingKind.Text, null, null),
            "preempt" => (SettingKind.Boolean, f.Preempt, null),
            "connectionSync" => (SettingKind.Boolean, f.ConnectionSync, null),
            _ => (SettingKind.Section, null, null),
        });
        AddDescribed(all, SettingLevel.FailoverNode, FailoverKeys.Node, key => key == "priority"
            ? (SettingKind.WholeNumber, (long)NodeDefaults.Priority, FailoverSettings.PriorityRange)
            : (SettingKind.Text, null, null));
        AddDescribed(all, SettingLevel.Bgp, FailoverKeys.Bgp, key => key == "as" ? (SettingKind.WholeNumber, null, BgpSettings.AsRange) : (SettingKind.Section, null, null));
        AddDescribed(all, SettingLevel.BgpNeighbor, FailoverKeys.BgpNeighbor, key => key == "as" ? (SettingKind.WholeNumber, null, BgpSettings.AsRange) : (SettingKind.Text, null, null));
        AddDescribed(all, SettingLevel.BgpNode, FailoverKeys.BgpNode, key => key == "as" ? (SettingKind.WholeNumber, null, BgpSettings.AsRange) : (SettingKind.Text, null, null));
        return all;
    }

    /// <summary>The failover and bgp sections: their keys and descriptions are <see cref="FailoverKeys"/>'; run by the director service.</summary>
    private static void AddDescribed(List<Setting> all, SettingLevel level, IReadOnlyList<(string Key, string Description)> keys,
        Func<string, (SettingKind Kind, object? Default, ValueRange? Range)> shape)
    {
        foreach (var (key, description) in keys)
        {
            var (kind, @default, range) = shape(key);
            all.Add(new Setting { Level = level, Key = key, Kind = kind, Default = @default, Range = range, Description = description, ResourceProperty = false });
        }
    }
}

using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using LvsPs.Configuration;
using LvsPs.Model;
using LvsPs.Model.Settings;

namespace LvsPs.Commands.Dsc;

/// <summary>Why a DSC resource is not in the desired state (DscCommunity's Reasons: a stable code and a sentence).</summary>
public sealed class DscReason
{
    public required string Code { get; init; }
    public required string Phrase { get; init; }
}

/// <summary>What a DSC operation found or did.</summary>
public sealed class DscOutcome
{
    /// <summary>The actual state (after Set, the state Set left), with camelCase keys and _exist.</summary>
    public required OrderedDictionary State { get; init; }
    public required bool InDesiredState { get; init; }
    /// <summary>The properties that differ (test) or were changed (set), as DSC v3's stateAndDiff lists them.</summary>
    public required string[] DifferingProperties { get; init; }
    public required DscReason[] Reasons { get; init; }
    /// <summary>For export: every instance.</summary>
    public IReadOnlyList<OrderedDictionary> Instances { get; init; } = Array.Empty<OrderedDictionary>();
}

/// <summary>
/// The DSC facade: what the class-based resources in LvsPs.psm1 (LvsVirtualService, LvsRealServer, LvsConfiguration)
/// and the DSC v3 commands (dsc/lvsps-dsc.ps1) call. Every operation runs the reconcile planner of
/// Import-LvsConfiguration, so DSC, the cmdlets and a document import agree on what is out of state and on how to fix
/// it. Properties that are not given are not managed: they keep the director's value (a new service or real server
/// gets the defaults).
/// </summary>
public static class LvsDsc
{
    public const string VirtualServiceResource = "VirtualService";
    public const string RealServerResource = "RealServer";
    public const string ConfigurationResource = "Configuration";

    private static readonly string[] Meta = { "Ensure", "_exist", "Director", "Reasons", "_inDesiredState" };
    // the properties of each resource: the settings vocabulary's (SettingCatalog), as the document reader takes them
    private static readonly string[] ServiceProperties = SettingCatalog.ResourceKeys(SettingLevel.Service);
    private static readonly string[] RealServerProperties = new[] { "virtualService" }.Concat(SettingCatalog.ResourceKeys(SettingLevel.RealServer)).ToArray();
    /// <summary>A real server's identity in its service: its address and port; every other property is a setting.</summary>
    private static readonly string[] RealServerIdentity = { "address", "port" };
    private static readonly string[] ConfigurationProperties = { "path", "prune" };

    /// <summary>
    /// Runs <paramref name="operation"/> (Get, Test, Set or Export) of <paramref name="resource"/> (VirtualService,
    /// RealServer or Configuration) with the desired <paramref name="properties"/>. A "Director" property names the
    /// director as -Director does (Managed, Kernel, Service:PATH); without it the session's director is used.
    /// </summary>
    public static DscOutcome Invoke(string resource, string operation, IDictionary? properties)
    {
        var props = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        if (properties is not null)
        {
            foreach (DictionaryEntry e in properties)
            {
                var v = e.Value is System.Management.Automation.PSObject pso ? pso.BaseObject : e.Value;
                if (v is not null) props[e.Key.ToString()!] = v;
            }
        }
        bool owned = false;
        var director = props.TryGetValue("Director", out var d) && d is string { Length: > 0 } target
            ? DirectorTargets.Open(target, out owned)
            : LvsSession.Current;
        try
        {
            var op = operation.ToLowerInvariant();
            if (op is not ("get" or "test" or "set" or "export"))
            {
                throw LvsException.InvalidArgument("InvalidDscOperation", $"DSC operation '{ValueText.Cut(operation)}' is not valid; allowed: get, test, set, export.", operation);
            }
            return resource.ToLowerInvariant() switch
            {
                "virtualservice" => VirtualService(director, op, props),
                "realserver" => RealServer(director, op, props),
                "configuration" => Configuration(director, op, props),
                _ => throw LvsException.InvalidArgument("InvalidDscResource", $"DSC resource '{ValueText.Cut(resource)}' is not valid; allowed: VirtualService, RealServer, Configuration.", resource),
            };
        }
        finally
        {
            if (owned) director.Dispose();
        }
    }

    private static bool WantExist(Dictionary<string, object?> props)
    {
        if (props.TryGetValue("_exist", out var e) && e is bool b) return b;
        if (props.TryGetValue("Ensure", out var ensure) && ensure is not null)
        {
            var text = ensure.ToString();
            if (string.Equals(text, "Absent", StringComparison.OrdinalIgnoreCase)) return false;
            if (!string.Equals(text, "Present", StringComparison.OrdinalIgnoreCase))
            {
                throw LvsException.InvalidArgument("InvalidEnsure", $"Ensure '{ValueText.Cut(text)}' is not valid; allowed: Present, Absent.", text);
            }
        }
        return true;
    }

    private static void CheckKeys(Dictionary<string, object?> props, string[] allowed, string resource)
    {
        foreach (var key in props.Keys)
        {
            if (Meta.Contains(key, StringComparer.OrdinalIgnoreCase) || allowed.Contains(key, StringComparer.OrdinalIgnoreCase)) continue;
            throw LvsException.InvalidArgument("UnknownProperty",
                $"Unknown property '{key}' of {resource}; allowed: {string.Join(", ", allowed.Concat(new[] { "_exist", "director" }))}.", key);
        }
    }

    private static string RequireText(Dictionary<string, object?> props, string key, string resource) =>
        props.TryGetValue(key, out var v) && v is string { Length: > 0 } s ? s
            : throw LvsException.InvalidArgument("MissingProperty", $"{resource} needs the key property '{key}'.", key);

    /// <summary>Lays the given properties over <paramref name="baseline"/> (the director's current entry, or the identity of a new one).</summary>
    private static DocMapping Overlay(DocMapping baseline, Dictionary<string, object?> props, string[] allowed, params string[] skip)
    {
        var result = new DocMapping();
        var given = props.Where(p => allowed.Contains(p.Key, StringComparer.OrdinalIgnoreCase) && !skip.Contains(p.Key, StringComparer.OrdinalIgnoreCase))
            .ToDictionary(p => allowed.First(a => string.Equals(a, p.Key, StringComparison.OrdinalIgnoreCase)), p => p.Value);
        foreach (var (key, value) in baseline.Entries)
        {
            if (!given.ContainsKey(key.Value)) result.Entries.Add(new(key, value));
        }
        foreach (var (key, value) in given) result.Add(key, ToNode(value));
        return result;
    }

    private static DocNode ToNode(object? value) => value switch
    {
        null => new DocScalar("null", DocScalarKind.Null),
        System.Management.Automation.PSObject pso => ToNode(pso.BaseObject),
        bool b => DocScalar.Bool(b),
        string s => DocScalar.Text(s),
        Enum e => DocScalar.Text(e.ToString()),
        IDictionary map => ToMapping(map),
        sbyte or byte or short or ushort or int or uint or long or ulong => new DocScalar(Convert.ToString(value, CultureInfo.InvariantCulture)!, DocScalarKind.Number),
        IEnumerable list => ToSequence(list),
        _ => DocScalar.Text(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    private static DocMapping ToMapping(IDictionary map)
    {
        var m = new DocMapping();
        foreach (DictionaryEntry e in map) m.Add(Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? "", ToNode(e.Value));
        return m;
    }

    private static DocSequence ToSequence(IEnumerable list)
    {
        var seq = new DocSequence();
        foreach (var item in list) seq.Items.Add(ToNode(item));
        return seq;
    }

    private static DscReason[] Reasons(ReconcilePlan plan) =>
        plan.Differences.Select(c => new DscReason { Code = c.Code, Phrase = c.Description }).ToArray();

    private static string[] Differing(ReconcilePlan plan) => plan.Differences
        .Select(c => c.Action == ChangeAction.Change && c.Property is { } p ? char.ToLowerInvariant(p[0]) + p[1..] : "_exist")
        .Distinct().ToArray();

    private static DscOutcome Run(string op, IDirectorBackend director, DesiredDirector desired, bool prune, Func<OrderedDictionary> state, Func<IReadOnlyList<OrderedDictionary>>? export = null)
    {
        if (op == "export")
        {
            if (export is null) throw LvsException.NotSupported("ExportNotSupported", "This resource has no export: a configuration document names a file, not something on the director.");
            return new DscOutcome { State = new OrderedDictionary(), InDesiredState = true, DifferingProperties = Array.Empty<string>(), Reasons = Array.Empty<DscReason>(), Instances = export() };
        }
        var plan = ReconcilePlanner.Plan(desired, director, prune);
        if (op == "set" && !plan.InDesiredState) DirectorChange.ApplyAll(director, plan.Changes);
        return new DscOutcome
        {
            State = state(),
            InDesiredState = op == "set" || plan.InDesiredState,
            DifferingProperties = Differing(plan),
            Reasons = op == "set" ? Array.Empty<DscReason>() : Reasons(plan),
        };
    }

    // --- LvsPs/VirtualService ---

    private static DscOutcome VirtualService(IDirectorBackend director, string op, Dictionary<string, object?> props)
    {
        CheckKeys(props, ServiceProperties, "LvsPs/VirtualService");
        if (op == "export")
        {
            return Run(op, director, DesiredDirector.Empty, false, () => new OrderedDictionary(),
                () => DirectorConfiguration.Capture(director).Services.Select(s => ServiceState(s.Settings.Id, s)).ToList());
        }
        var id = VirtualServiceId.Parse(RequireText(props, "virtualService", "LvsPs/VirtualService"));
        var live = DirectorConfiguration.Capture(director).Services.FirstOrDefault(s => s.Settings.Id.Equals(id));
        DesiredDirector desired;
        if (WantExist(props))
        {
            var baseline = live is null
                ? new DocMapping().Add("virtualService", DocScalar.Text(id.ToString()))
                : DirectorDocument.WriteService(live with { RealServers = Array.Empty<RealServerSettings>(), HealthCheck = null, SorryServer = null });
            var entry = Overlay(baseline, props, ServiceProperties, "virtualService");
            entry.Entries.RemoveAll(e => e.Key.Value == "realServers");
            var doc = new DocMapping().Add("virtualServices", new DocSequence { Items = { entry } });
            var service = DirectorDocument.Read(doc, $"LvsPs/VirtualService {id}").GetOrThrow().Services[0];
            desired = new DesiredDirector { Services = new[] { service with { ManageHealthCheck = false } } };
        }
        else
        {
            desired = new DesiredDirector { AbsentServices = new[] { id } };
        }
        return Run(op, director, desired, false,
            () => ServiceState(id, DirectorConfiguration.Capture(director).Services.FirstOrDefault(s => s.Settings.Id.Equals(id))));
    }

    private static OrderedDictionary ServiceState(VirtualServiceId id, ServiceConfiguration? service)
    {
        var state = new OrderedDictionary(StringComparer.OrdinalIgnoreCase) { ["virtualService"] = id.ToString(), ["_exist"] = service is not null };
        if (service is null) return state;
        var s = service.Settings;
        state["scheduler"] = s.Scheduler;
        state["persistenceTimeout"] = (long)s.PersistenceTimeout;
        state["persistenceNetmask"] = NetmaskText.Format(s.EffectiveNetmask, id.AddressFamily);
        state["onePacket"] = s.OnePacket;
        state["schedulerFlags"] = s.SchedulerFlags == SchedulerFlags.None ? Array.Empty<string>() : s.SchedulerFlags.ToString().Split(", ");
        state["persistenceEngine"] = s.PersistenceEngine ?? "";
        state["helper"] = s.Helper.ToString();
        state["sendProxy"] = s.SendProxy.ToString();
        state["acceptProxy"] = s.AcceptProxy;
        state["transparent"] = s.Transparent;
        state["contentRules"] = s.ContentRules.Select(r =>
        {
            var rule = new OrderedDictionary(StringComparer.OrdinalIgnoreCase) { ["match"] = r.Match.ToString(), ["pattern"] = r.Pattern };
            if (r.Name is not null) rule["name"] = r.Name;
            rule["group"] = r.Group;
            return rule;
        }).ToArray();
        state["defaultGroup"] = s.DefaultGroup ?? "";
        return state;
    }

    // --- LvsPs/RealServer ---

    private static DscOutcome RealServer(IDirectorBackend director, string op, Dictionary<string, object?> props)
    {
        CheckKeys(props, RealServerProperties, "LvsPs/RealServer");
        if (op == "export")
        {
            return Run(op, director, DesiredDirector.Empty, false, () => new OrderedDictionary(),
                () => DirectorConfiguration.Capture(director).Services
                    .SelectMany(s => s.RealServers.Select(r => RealServerState(s.Settings.Id, r.Id, r))).ToList());
        }
        var id = VirtualServiceId.Parse(RequireText(props, "virtualService", "LvsPs/RealServer"));
        var address = RequireText(props, "address", "LvsPs/RealServer");
        var idNode = Overlay(new DocMapping(), props, RealServerProperties, RealServerProperties.Except(RealServerIdentity).ToArray());
        var rsId = DirectorDocument.ReadRealServer(idNode, id, $"LvsPs/RealServer {address}").Id;
        var liveService = DirectorConfiguration.Capture(director).Services.FirstOrDefault(s => s.Settings.Id.Equals(id));
        var live = liveService?.RealServers.FirstOrDefault(r => r.Id == rsId);
        Func<OrderedDictionary> state = () => RealServerState(id, rsId,
            DirectorConfiguration.Capture(director).Services.FirstOrDefault(s => s.Settings.Id.Equals(id))?.RealServers.FirstOrDefault(r => r.Id == rsId));
        if (!WantExist(props))
        {
            return Run(op, director, new DesiredDirector { AbsentRealServers = new[] { (id, rsId) } }, false, state);
        }
        if (liveService is null)
        {
            // the service it belongs to is missing: out of state, and Set cannot create it (LvsVirtualService does)
            if (op == "set") throw LvsException.ServiceNotFound(id);
            return new DscOutcome
            {
                State = state(),
                InDesiredState = false,
                DifferingProperties = new[] { "_exist" },
                Reasons = new[] { new DscReason { Code = "LvsPs:VirtualService:Missing", Phrase = $"Virtual service {id} does not exist, so real server {rsId} cannot be in it." } },
            };
        }
        var baseline = live is null ? new DocMapping() : DirectorDocument.WriteRealServer(live);
        var entry = Overlay(baseline, props, RealServerProperties, "virtualService");
        var settings = DirectorDocument.ReadRealServer(entry, id, $"LvsPs/RealServer {rsId}");
        var desired = new DesiredDirector { Services = new[] { new DesiredService(id) { RealServers = new[] { settings } } } };
        return Run(op, director, desired, false, state);
    }

    private static OrderedDictionary RealServerState(VirtualServiceId service, RealServerId id, RealServerSettings? rs)
    {
        var state = new OrderedDictionary(StringComparer.OrdinalIgnoreCase)
        {
            ["virtualService"] = service.ToString(), ["address"] = id.Address.ToString(), ["port"] = (long)id.Port, ["_exist"] = rs is not null,
        };
        if (rs is null) return state;
        state["forwarding"] = rs.Forwarding.ToString();
        state["weight"] = (long)rs.Weight;
        state["upperThreshold"] = (long)rs.UpperThreshold;
        state["lowerThreshold"] = (long)rs.LowerThreshold;
        state["sendProxy"] = rs.SendProxy?.ToString() ?? "";
        state["group"] = rs.Group ?? "";
        if (rs.Forwarding == ForwardingMethod.Tunnel)
        {
            state["tunnelType"] = rs.TunnelType.ToString();
            state["tunnelPort"] = (long)rs.TunnelPort;
            state["tunnelFlags"] = rs.TunnelFlags == TunnelFlags.None ? Array.Empty<string>() : rs.TunnelFlags.ToString().Split(", ");
        }
        return state;
    }

    // --- LvsPs/Configuration ---

    private static DscOutcome Configuration(IDirectorBackend director, string op, Dictionary<string, object?> props)
    {
        CheckKeys(props, ConfigurationProperties, "LvsPs/Configuration");
        if (op == "export") return Run(op, director, DesiredDirector.Empty, false, () => new OrderedDictionary());
        var path = Path.GetFullPath(RequireText(props, "path", "LvsPs/Configuration"));
        bool prune = props.TryGetValue("prune", out var p) && p is bool b && b;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LvsException.InvalidArgument("ConfigurationFileUnreadable", $"The director document '{ValueText.Cut(path)}' cannot be read: {e.Message}", path);
        }
        var desired = DirectorDocument.Load(text, path, DirectorDocument.DetectFormat(text, path)).GetOrThrow();
        return Run(op, director, desired, prune, () => new OrderedDictionary(StringComparer.OrdinalIgnoreCase) { ["path"] = path, ["prune"] = prune });
    }
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LvsPs.Model;
using LvsPs.Model.Failover;
using LvsPs.Model.Health;

namespace LvsPs.Configuration;

/// <summary>The text forms of a director.</summary>
public enum DocumentFormat
{
    Yaml,
    Json,
    Ipvsadm,
}

/// <summary>
/// The director document: reads it strictly (every unknown key, wrong type, bad value and duplicate is an error with
/// file, line and column) and writes a live director as one. Keys are the cmdlets' parameter names in camelCase, and
/// are matched without regard to case. See docs/desired-state.md and docs/lvsps-director.schema.json.
/// </summary>
public static partial class DirectorDocument
{
    public static readonly string[] TopKeys = { "virtualServices", "timeouts", "syncDaemons", "failover", "bgp" };
    public static readonly string[] ServiceKeys =
    {
        "virtualService", "scheduler", "persistent", "persistenceTimeout", "persistenceNetmask", "onePacket", "schedulerFlags",
        "persistenceEngine", "helper", "realServers", "healthCheck", "sorryServer",
        "sendProxy", "acceptProxy", "transparent", "contentRules", "defaultGroup",
    };
    public static readonly string[] RealServerKeys =
        { "address", "port", "forwarding", "weight", "upperThreshold", "lowerThreshold", "tunnelType", "tunnelPort", "tunnelFlags", "sendProxy", "group" };
    public static readonly string[] ContentRuleKeys = { "match", "pattern", "name", "group" };
    public static readonly string[] TimeoutKeys = { "tcp", "tcpFin", "udp" };
    public static readonly string[] SyncDaemonKeys = { "role", "interface", "syncId", "maxLength", "group", "port", "ttl" };
    public static readonly string[] HealthCheckKeys =
        { "type", "port", "path", "expectedStatus", "bodyMatch", "command", "interval", "timeout", "retries", "rise", "failureAction" };

    /// <summary>Which format <paramref name="text"/> is in: by the file's extension, else by its first rule or key.</summary>
    public static DocumentFormat DetectFormat(string text, string? path)
    {
        var ext = path is null ? "" : Path.GetExtension(path).ToLowerInvariant();
        if (ext is ".yaml" or ".yml") return DocumentFormat.Yaml;
        if (ext == ".json") return DocumentFormat.Json;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith('{') || line.StartsWith('[')) return DocumentFormat.Json;
            return line.StartsWith("-A ", StringComparison.Ordinal) || line.StartsWith("-a ", StringComparison.Ordinal) ? DocumentFormat.Ipvsadm : DocumentFormat.Yaml;
        }
        return DocumentFormat.Yaml;
    }

    /// <summary>Reads a desired state in any of the formats: a YAML or JSON document, or ipvsadm rules.</summary>
    public static DirectorDocumentResult Load(string text, string source, DocumentFormat format)
    {
        if (text.Length > DocumentLimits.MaxLength) return new DirectorDocumentResult(null, new[] { DocumentLimits.TooLarge(source, text.Length) });
        if (format != DocumentFormat.Ipvsadm) return Load(text, source);
        IReadOnlyList<DirectorChange> rules;
        try
        {
            rules = IpvsadmRules.Parse(text);
        }
        catch (LvsException e)
        {
            return new DirectorDocumentResult(null, new[] { e });
        }
        if (rules.Count == 0) return new DirectorDocumentResult(null, new[] { EmptyDocument(source) });
        var services = new List<DesiredService>();
        var byId = new Dictionary<VirtualServiceId, int>();
        foreach (var rule in rules)
        {
            switch (rule)
            {
                case DirectorChange.AddService s when !byId.ContainsKey(s.Settings.Id):
                    byId[s.Settings.Id] = services.Count;
                    services.Add(new DesiredService(s.Settings.Id) { Settings = s.Settings });
                    break;
                case DirectorChange.AddRealServer r:
                    if (!byId.TryGetValue(r.Service, out var i))
                    {
                        // a rule for a service the rules do not create: the service must exist already
                        byId[r.Service] = i = services.Count;
                        services.Add(new DesiredService(r.Service));
                    }
                    // ipvsadm -S lists real servers in the director's order, and -R adds them in that order, so the
                    // first rule ends up last: the listing order is the reverse of the rule order
                    services[i] = services[i] with { RealServers = services[i].RealServers.Prepend(r.Settings).ToList() };
                    break;
            }
        }
        return new DirectorDocumentResult(new DesiredDirector { Services = services }, Array.Empty<LvsException>());
    }

    /// <summary>Parses and checks a YAML or JSON director document.</summary>
    public static DirectorDocumentResult Load(string text, string source)
    {
        if (text.Length > DocumentLimits.MaxLength) return new DirectorDocumentResult(null, new[] { DocumentLimits.TooLarge(source, text.Length) });
        if (string.IsNullOrWhiteSpace(text)) return new DirectorDocumentResult(null, new[] { EmptyDocument(source) });
        DocNode? root;
        try
        {
            root = YamlCodec.Current.Parse(text, source);
        }
        catch (LvsException e) when (e.ErrorId is "InvalidDirectorDocument" or "DocumentTooDeep" or "DocumentTooLarge")
        {
            return new DirectorDocumentResult(null, new[] { e });
        }
        return Read(root, source);
    }

    /// <summary>Checks a parsed document and turns it into a desired state.</summary>
    public static DirectorDocumentResult Read(DocNode? root, string source)
    {
        if (root is null or DocScalar { Kind: DocScalarKind.Null }) return new DirectorDocumentResult(null, new[] { EmptyDocument(source) });
        var reader = new Reader(source);
        var director = reader.ReadDirector(root);
        return reader.Errors.Count == 0 ? new DirectorDocumentResult(director, reader.Errors) : new DirectorDocumentResult(null, reader.Errors);
    }

    /// <summary>
    /// An empty, blank or null document (or no ipvsadm rules): an error, never "the desired state is nothing", which
    /// with -Prune would remove every service. A document says "no services" on purpose with <c>virtualServices: []</c>.
    /// </summary>
    private static LvsException EmptyDocument(string source) => LvsException.InvalidArgument("EmptyDirectorDocument",
        $"{ValueText.Cut(source)}: the document is empty (or null): it describes no director. To remove every virtual service on purpose, import a document that says so: 'virtualServices: []' with -Prune.", source);

    /// <summary>The document of a director's configuration (what Export-LvsConfiguration writes).</summary>
    public static DocMapping Write(DirectorConfiguration configuration, IReadOnlyList<SyncDaemon> syncDaemons, FailoverSettings? failover = null, BgpSettings? bgp = null)
    {
        var root = new DocMapping();
        var services = new DocSequence();
        foreach (var service in configuration.Services) services.Items.Add(WriteService(service));
        root.Add("virtualServices", services);
        var t = configuration.Timeouts;
        root.Add("timeouts", new DocMapping().Add("tcp", DocScalar.Number(t.Tcp)).Add("tcpFin", DocScalar.Number(t.TcpFin)).Add("udp", DocScalar.Number(t.Udp)));
        if (syncDaemons.Count > 0)
        {
            var daemons = new DocSequence();
            foreach (var d in syncDaemons)
            {
                var m = new DocMapping().Add("role", DocScalar.Text(d.Role.ToString())).Add("interface", DocScalar.Text(d.Interface));
                if (d.SyncId != 0) m.Add("syncId", DocScalar.Number(d.SyncId));
                if (d.MaxLength != 0) m.Add("maxLength", DocScalar.Number(d.MaxLength));
                if (d.Group is not null) m.Add("group", DocScalar.Text(d.Group.ToString()));
                if (d.Port != 0) m.Add("port", DocScalar.Number(d.Port));
                if (d.Ttl != 0) m.Add("ttl", DocScalar.Number(d.Ttl));
                daemons.Items.Add(m);
            }
            root.Add("syncDaemons", daemons);
        }
        if (failover is not null) root.Add("failover", WriteFailover(failover));
        if (bgp is not null) root.Add("bgp", WriteBgp(bgp));
        return root;
    }

    /// <summary>One service's entry of a document.</summary>
    public static DocMapping WriteService(ServiceConfiguration service)
    {
        var s = service.Settings;
        var m = new DocMapping().Add("virtualService", DocScalar.Text(s.Id.ToString())).Add("scheduler", DocScalar.Text(s.Scheduler));
        if (s.PersistenceTimeout != 0) m.Add("persistenceTimeout", DocScalar.Number(s.PersistenceTimeout));
        var defaultMask = s.Id.AddressFamily == AddressFamily.InterNetworkV6 ? 128u : uint.MaxValue;
        if (s.EffectiveNetmask != defaultMask) m.Add("persistenceNetmask", DocScalar.Text(NetmaskText.Format(s.EffectiveNetmask, s.Id.AddressFamily)));
        if (s.OnePacket) m.Add("onePacket", DocScalar.Bool(true));
        if (s.SchedulerFlags != SchedulerFlags.None) m.Add("schedulerFlags", FlagsList(s.SchedulerFlags));
        if (!string.IsNullOrEmpty(s.PersistenceEngine)) m.Add("persistenceEngine", DocScalar.Text(s.PersistenceEngine));
        if (s.Helper != ApplicationHelper.None) m.Add("helper", DocScalar.Text(s.Helper.ToString()));
        WriteConnectionFeatures(s, m);
        var list = new DocSequence();
        foreach (var rs in service.RealServers) list.Items.Add(WriteRealServer(rs));
        m.Add("realServers", list);
        if (service.HealthCheck is { } c)
        {
            var h = new DocMapping().Add("type", DocScalar.Text(c.Type.ToString()));
            if (c.Port is { } port) h.Add("port", DocScalar.Number(port));
            if (c.Type is HealthCheckType.Http or HealthCheckType.Https)
            {
                h.Add("path", DocScalar.Text(c.Path));
                var codes = new DocSequence();
                foreach (var code in c.ExpectedStatus) codes.Items.Add(DocScalar.Number(code));
                h.Add("expectedStatus", codes);
                if (c.BodyMatch is not null) h.Add("bodyMatch", DocScalar.Text(c.BodyMatch));
            }
            if (c.Command is not null) h.Add("command", DocScalar.Text(c.Command));
            h.Add("interval", DocScalar.Number(c.IntervalSeconds)).Add("timeout", DocScalar.Number(c.TimeoutSeconds))
                .Add("retries", DocScalar.Number(c.Retries)).Add("rise", DocScalar.Number(c.Rise))
                .Add("failureAction", DocScalar.Text(c.FailureAction.ToString()));
            m.Add("healthCheck", h);
        }
        if (service.SorryServer is { } sorry) m.Add("sorryServer", DocScalar.Text(EndpointText.Format(sorry.Id.Address, sorry.Id.Port)));
        return m;
    }

    /// <summary>One real server's entry of a document.</summary>
    public static DocMapping WriteRealServer(RealServerSettings rs)
    {
        var m = new DocMapping().Add("address", DocScalar.Text(rs.Id.Address.ToString())).Add("port", DocScalar.Number(rs.Id.Port))
            .Add("forwarding", DocScalar.Text(rs.Forwarding.ToString())).Add("weight", DocScalar.Number(rs.Weight));
        if (rs.UpperThreshold != 0) m.Add("upperThreshold", DocScalar.Number(rs.UpperThreshold));
        if (rs.LowerThreshold != 0) m.Add("lowerThreshold", DocScalar.Number(rs.LowerThreshold));
        if (rs.Forwarding == ForwardingMethod.Tunnel)
        {
            if (rs.TunnelType != TunnelType.IpIp) m.Add("tunnelType", DocScalar.Text(rs.TunnelType.ToString()));
            if (rs.TunnelPort != 0) m.Add("tunnelPort", DocScalar.Number(rs.TunnelPort));
            if (rs.TunnelFlags != TunnelFlags.None) m.Add("tunnelFlags", FlagsList(rs.TunnelFlags));
        }
        if (rs.SendProxy is { } proxy) m.Add("sendProxy", DocScalar.Text(proxy.ToString()));
        if (rs.Group is not null) m.Add("group", DocScalar.Text(rs.Group));
        return m;
    }

    private static DocSequence FlagsList<T>(T flags) where T : struct, Enum
    {
        var seq = new DocSequence();
        foreach (var name in flags.ToString().Split(", ")) seq.Items.Add(DocScalar.Text(name));
        return seq;
    }

    /// <summary>Reads one real server entry of <paramref name="service"/> strictly (the DSC resources build one from their properties).</summary>
    public static RealServerSettings ReadRealServer(DocNode node, VirtualServiceId service, string source)
    {
        var reader = new Reader(source);
        var rs = reader.ReadRealServer(node, service, "a real server");
        new DirectorDocumentResult(null, reader.Errors).ThrowIfErrors();
        return rs!;
    }

    /// <summary>The managed engine's connection settings of a service (PROXY protocol, transparent mode, content rules).</summary>
    private static void WriteConnectionFeatures(VirtualServiceSettings s, DocMapping m)
    {
        if (s.SendProxy != ProxyProtocol.None) m.Add("sendProxy", DocScalar.Text(s.SendProxy.ToString()));
        if (s.AcceptProxy) m.Add("acceptProxy", DocScalar.Bool(true));
        if (s.Transparent) m.Add("transparent", DocScalar.Bool(true));
        if (s.ContentRules.Count > 0)
        {
            var rules = new DocSequence();
            foreach (var r in s.ContentRules)
            {
                var rule = new DocMapping().Add("match", DocScalar.Text(r.Match.ToString())).Add("pattern", DocScalar.Text(r.Pattern));
                if (r.Name is not null) rule.Add("name", DocScalar.Text(r.Name));
                rules.Items.Add(rule.Add("group", DocScalar.Text(r.Group)));
            }
            m.Add("contentRules", rules);
        }
        if (s.DefaultGroup is not null) m.Add("defaultGroup", DocScalar.Text(s.DefaultGroup));
    }

    /// <summary>The strict reader: collects every error rather than stopping at the first.</summary>
    private sealed partial class Reader(string source)
    {
        public List<LvsException> Errors { get; } = new();

        private void Error(DocNode at, string id, string message) =>
            Errors.Add(LvsException.InvalidArgument(id, $"{source}:{at.Line}:{at.Column}: {message}", source));

        public DesiredDirector ReadDirector(DocNode root)
        {
            var top = Mapping(root, "the director document", TopKeys);
            if (top is null) return DesiredDirector.Empty;
            var services = new List<DesiredService>();
            var seen = new Dictionary<VirtualServiceId, int>();
            if (top.TryGetValue("virtualServices", out var list) && Sequence(list.Value, "virtualServices") is { } items)
            {
                foreach (var item in items)
                {
                    var service = ReadService(item);
                    if (service is null) continue;
                    if (seen.TryGetValue(service.Id, out var line))
                    {
                        Error(item, "DuplicateVirtualService", $"Virtual service '{service.Id}' is already described at line {line}; allowed: each service once.");
                        continue;
                    }
                    seen.Add(service.Id, item.Line);
                    services.Add(service);
                }
            }
            LvsTimeouts? timeouts = null;
            if (top.TryGetValue("timeouts", out var t) && Mapping(t.Value, "timeouts", TimeoutKeys) is { } tm)
            {
                timeouts = new LvsTimeouts(
                    tm.TryGetValue("tcp", out var tcp) ? UInt(tcp.Value, "tcp", 1, LvsTimeouts.MaxSeconds) ?? 0 : 0,
                    tm.TryGetValue("tcpFin", out var fin) ? UInt(fin.Value, "tcpFin", 1, LvsTimeouts.MaxSeconds) ?? 0 : 0,
                    tm.TryGetValue("udp", out var udp) ? UInt(udp.Value, "udp", 1, LvsTimeouts.MaxSeconds) ?? 0 : 0);
            }
            List<SyncDaemon>? daemons = null;
            if (top.TryGetValue("syncDaemons", out var sd) && Sequence(sd.Value, "syncDaemons") is { } dl)
            {
                daemons = new List<SyncDaemon>();
                foreach (var item in dl)
                {
                    var d = ReadSyncDaemon(item);
                    if (d is null) continue;
                    if (daemons.Any(x => x.Role == d.Role)) Error(item, "DuplicateSyncDaemon", $"A {d.Role} sync daemon is already described; allowed: one Master and one Backup.");
                    else daemons.Add(d);
                }
            }
            bool manageFailover = top.TryGetValue("failover", out var fo);
            var failover = manageFailover ? ReadFailover(fo.Value) : null;
            bool manageBgp = top.TryGetValue("bgp", out var bgpEntry);
            var bgp = manageBgp ? ReadBgp(bgpEntry.Value) : null;
            return new DesiredDirector
            {
                Services = services, Timeouts = timeouts, SyncDaemons = daemons, ListsServices = list.Value is DocSequence, ManageFailover = manageFailover, Failover = failover, ManageBgp = manageBgp, Bgp = bgp,
            };
        }

        private DesiredService? ReadService(DocNode node)
        {
            var m = Mapping(node, "a virtual service", ServiceKeys);
            if (m is null) return null;
            if (!m.TryGetValue("virtualService", out var idEntry))
            {
                Error(node, "MissingKey", "A virtual service needs the key 'virtualService' (tcp/ADDRESS:PORT, udp/..., sctp/..., fwm/MARK or fwm6/MARK).");
                return null;
            }
            var idText = Text(idEntry.Value, "virtualService");
            if (idText is null) return null;
            if (!VirtualServiceId.TryParse(idText, out var id, out var idError))
            {
                Error(idEntry.Value, "InvalidVirtualService", idError!);
                return null;
            }
            int errorsBefore = Errors.Count;
            var settings = new VirtualServiceSettings { Id = id };
            if (m.TryGetValue("scheduler", out var sched) && Text(sched.Value, "scheduler") is { } name)
            {
                if (!SchedulerNames.IsKnown(name))
                {
                    Error(sched.Value, "UnknownScheduler", $"Scheduler '{ValueText.Cut(name)}' is not known; allowed: {SchedulerNames.List}.");
                }
                settings = settings with { Scheduler = name };
            }
            bool persistent = m.TryGetValue("persistent", out var p) && (Bool(p.Value, "persistent") ?? false);
            if (m.TryGetValue("persistenceTimeout", out var pt)) settings = settings with { PersistenceTimeout = UInt(pt.Value, "persistenceTimeout", 0, uint.MaxValue) ?? 0 };
            else if (persistent) settings = settings with { PersistenceTimeout = Validation.DefaultPersistenceTimeout };
            if (m.TryGetValue("persistenceNetmask", out var nm) && Text(nm.Value, "persistenceNetmask", allowPlain: true) is { } mask)
            {
                try
                {
                    settings = settings with { Netmask = NetmaskText.Parse(mask, id.AddressFamily) };
                }
                catch (LvsException e)
                {
                    Error(nm.Value, e.ErrorId, e.Message);
                }
            }
            if (m.TryGetValue("onePacket", out var op)) settings = settings with { OnePacket = Bool(op.Value, "onePacket") ?? false };
            if (m.TryGetValue("schedulerFlags", out var sf)) settings = settings with { SchedulerFlags = Flags<SchedulerFlags>(sf.Value, "schedulerFlags") };
            if (m.TryGetValue("persistenceEngine", out var pe) && pe.Value is not DocScalar { Kind: DocScalarKind.Null })
            {
                settings = settings with { PersistenceEngine = Text(pe.Value, "persistenceEngine") };
            }
            if (m.TryGetValue("helper", out var helper)) settings = settings with { Helper = Enum<ApplicationHelper>(helper.Value, "helper") ?? ApplicationHelper.None };
            settings = ReadConnectionFeatures(m, settings);
            if (Errors.Count == errorsBefore)
            {
                try
                {
                    settings.Validate();
                }
                catch (LvsException e)
                {
                    Error(node, e.ErrorId, e.Message);
                }
            }

            var realServers = new List<RealServerSettings>();
            if (m.TryGetValue("realServers", out var rsl) && rsl.Value is not DocScalar { Kind: DocScalarKind.Null } && Sequence(rsl.Value, "realServers") is { } items)
            {
                var seen = new Dictionary<RealServerId, int>();
                foreach (var item in items)
                {
                    var rs = ReadRealServer(item, id, "a real server");
                    if (rs is null) continue;
                    if (seen.TryGetValue(rs.Id, out var line))
                    {
                        Error(item, "DuplicateRealServer", $"Real server {rs.Id} of '{id}' is already described at line {line}; allowed: each real server once per service.");
                        continue;
                    }
                    seen.Add(rs.Id, item.Line);
                    realServers.Add(rs);
                }
            }

            bool manageHealth = false;
            HealthCheckSettings? check = null;
            RealServerSettings? sorry = null;
            if (m.TryGetValue("healthCheck", out var hc))
            {
                manageHealth = true;
                if (hc.Value is not DocScalar { Kind: DocScalarKind.Null }) check = ReadHealthCheck(hc.Value);
            }
            if (m.TryGetValue("sorryServer", out var ss))
            {
                manageHealth = true;
                if (ss.Value is not DocScalar { Kind: DocScalarKind.Null } && Text(ss.Value, "sorryServer", allowPlain: true) is { } endpoint)
                {
                    if (!EndpointText.TryParse(endpoint, requirePort: false, out var address, out var port, out var error))
                    {
                        Error(ss.Value, "InvalidSorryServer", $"Sorry server '{ValueText.Cut(endpoint)}': {error}; allowed: ADDRESS:PORT or [IPV6]:PORT.");
                    }
                    else
                    {
                        try
                        {
                            sorry = new RealServerSettings { Id = RealServerId.Create(address!, port ?? id.Port) }.Validate();
                        }
                        catch (LvsException e)
                        {
                            Error(ss.Value, e.ErrorId, e.Message);
                        }
                    }
                }
            }
            return new DesiredService(id)
            {
                Settings = settings,
                RealServers = realServers,
                ManageHealthCheck = manageHealth,
                HealthCheck = check,
                SorryServer = sorry,
                Line = node.Line,
            };
        }

        private VirtualServiceSettings ReadConnectionFeatures(Dictionary<string, KeyValuePair<DocScalar, DocNode>> m, VirtualServiceSettings settings)
        {
            if (m.TryGetValue("sendProxy", out var sp)) settings = settings with { SendProxy = Enum<ProxyProtocol>(sp.Value, "sendProxy") ?? ProxyProtocol.None };
            if (m.TryGetValue("acceptProxy", out var ap)) settings = settings with { AcceptProxy = Bool(ap.Value, "acceptProxy") ?? false };
            if (m.TryGetValue("transparent", out var tr)) settings = settings with { Transparent = Bool(tr.Value, "transparent") ?? false };
            if (m.TryGetValue("defaultGroup", out var dg) && dg.Value is not DocScalar { Kind: DocScalarKind.Null } and not DocScalar { Value: "" }) settings = settings with { DefaultGroup = Text(dg.Value, "defaultGroup") };
            if (!m.TryGetValue("contentRules", out var cr) || cr.Value is DocScalar { Kind: DocScalarKind.Null } || Sequence(cr.Value, "contentRules") is not { } items) return settings;
            var rules = new List<ContentRule>();
            foreach (var item in items)
            {
                var r = Mapping(item, "a content rule", ContentRuleKeys);
                if (r is null) continue;
                if (!r.TryGetValue("match", out var match) || !r.TryGetValue("pattern", out var pattern) || !r.TryGetValue("group", out var group))
                {
                    Error(item, "MissingKey", "A content rule needs the keys 'match', 'pattern' and 'group'.");
                    continue;
                }
                var kind = Enum<ContentMatch>(match.Value, "match");
                var text = Text(pattern.Value, "pattern");
                var groupName = Text(group.Value, "group");
                string? name = r.TryGetValue("name", out var n) && n.Value is not DocScalar { Kind: DocScalarKind.Null } ? Text(n.Value, "name") : null;
                if (kind is null || text is null || groupName is null) continue;
                try
                {
                    rules.Add(new ContentRule { Match = kind.Value, Pattern = text, Group = groupName, Name = name }.Validate());
                }
                catch (LvsException e)
                {
                    Error(item, e.ErrorId, e.Message);
                }
            }
            return settings with { ContentRules = rules };
        }

        public RealServerSettings? ReadRealServer(DocNode node, VirtualServiceId service, string what)
        {
            var m = Mapping(node, what, RealServerKeys);
            if (m is null) return null;
            if (!m.TryGetValue("address", out var a))
            {
                Error(node, "MissingKey", "A real server needs the key 'address' (an IPv4 or IPv6 address).");
                return null;
            }
            var addressText = Text(a.Value, "address", allowPlain: true);
            if (addressText is null) return null;
            if (!IPAddress.TryParse(addressText, out var address) || addressText.Contains('%') || !Validation.IsUnicast(address))
            {
                Error(a.Value, "InvalidAddress", $"Real server address '{ValueText.Cut(addressText)}' is not valid; allowed: a unicast IPv4 or IPv6 address.");
                return null;
            }
            ushort port = service.Port;
            if (m.TryGetValue("port", out var pn)) port = (ushort)(UInt(pn.Value, "port", 0, 65535) ?? 0);
            int errorsBefore = Errors.Count;
            var rs = new RealServerSettings { Id = RealServerId.Create(address, port) };
            if (m.TryGetValue("forwarding", out var f)) rs = rs with { Forwarding = Enum<ForwardingMethod>(f.Value, "forwarding", exclude: "Local") ?? ForwardingMethod.Masquerade };
            if (m.TryGetValue("weight", out var w)) rs = rs with { Weight = (int)(UInt(w.Value, "weight", 0, Validation.MaxWeight) ?? 1) };
            if (m.TryGetValue("upperThreshold", out var ut)) rs = rs with { UpperThreshold = UInt(ut.Value, "upperThreshold", 0, Validation.MaxThreshold) ?? 0 };
            if (m.TryGetValue("lowerThreshold", out var lt)) rs = rs with { LowerThreshold = UInt(lt.Value, "lowerThreshold", 0, Validation.MaxThreshold) ?? 0 };
            if (m.TryGetValue("tunnelType", out var tt)) rs = rs with { TunnelType = Enum<TunnelType>(tt.Value, "tunnelType") ?? TunnelType.IpIp };
            if (m.TryGetValue("tunnelPort", out var tp)) rs = rs with { TunnelPort = (ushort)(UInt(tp.Value, "tunnelPort", 0, 65535) ?? 0) };
            if (m.TryGetValue("tunnelFlags", out var tf)) rs = rs with { TunnelFlags = Flags<TunnelFlags>(tf.Value, "tunnelFlags") };
            // "Inherit" (or empty) is the service's PROXY setting, as -SendProxy Inherit; an empty group is none
            if (m.TryGetValue("sendProxy", out var sp) && sp.Value is not DocScalar { Kind: DocScalarKind.Null } and not DocScalar { Value: "" or "Inherit" })
            {
                rs = rs with { SendProxy = Enum<ProxyProtocol>(sp.Value, "sendProxy") };
            }
            if (m.TryGetValue("group", out var g) && g.Value is not DocScalar { Kind: DocScalarKind.Null } and not DocScalar { Value: "" }) rs = rs with { Group = Text(g.Value, "group") };
            if (Errors.Count != errorsBefore) return null;
            try
            {
                return rs.Validate();
            }
            catch (LvsException e)
            {
                Error(node, e.ErrorId, e.Message);
                return null;
            }
        }

        private HealthCheckSettings? ReadHealthCheck(DocNode node)
        {
            var m = Mapping(node, "a health check", HealthCheckKeys);
            if (m is null) return null;
            int errorsBefore = Errors.Count;
            var c = new HealthCheckSettings();
            if (m.TryGetValue("type", out var t)) c = c with { Type = Enum<HealthCheckType>(t.Value, "type") ?? HealthCheckType.Tcp };
            if (m.TryGetValue("port", out var p)) c = c with { Port = (ushort?)UInt(p.Value, "port", 1, 65535) };
            if (m.TryGetValue("path", out var path)) c = c with { Path = Text(path.Value, "path", allowPlain: true) ?? "/" };
            if (m.TryGetValue("expectedStatus", out var es) && Sequence(es.Value, "expectedStatus") is { } codes)
            {
                c = c with { ExpectedStatus = codes.Select(x => (int)(UInt(x, "expectedStatus", 100, 599) ?? 200)).ToArray() };
            }
            if (m.TryGetValue("bodyMatch", out var bm)) c = c with { BodyMatch = Text(bm.Value, "bodyMatch", allowPlain: true) };
            if (m.TryGetValue("command", out var cmd)) c = c with { Command = Text(cmd.Value, "command", allowPlain: true) };
            if (m.TryGetValue("interval", out var i)) c = c with { IntervalSeconds = (int)(UInt(i.Value, "interval", 1, 86400) ?? 5) };
            if (m.TryGetValue("timeout", out var to)) c = c with { TimeoutSeconds = (int)(UInt(to.Value, "timeout", 1, 3600) ?? 3) };
            if (m.TryGetValue("retries", out var r)) c = c with { Retries = (int)(UInt(r.Value, "retries", 1, 100) ?? 3) };
            if (m.TryGetValue("rise", out var rise)) c = c with { Rise = (int)(UInt(rise.Value, "rise", 1, 100) ?? 1) };
            if (m.TryGetValue("failureAction", out var fa)) c = c with { FailureAction = Enum<HealthFailureAction>(fa.Value, "failureAction") ?? HealthFailureAction.Quiesce };
            if (Errors.Count != errorsBefore) return null;
            try
            {
                return c.Validate();
            }
            catch (LvsException e)
            {
                Error(node, e.ErrorId, e.Message);
                return null;
            }
        }

        private SyncDaemon? ReadSyncDaemon(DocNode node)
        {
            var m = Mapping(node, "a sync daemon", SyncDaemonKeys);
            if (m is null) return null;
            if (!m.TryGetValue("role", out var role) || !m.TryGetValue("interface", out var itf))
            {
                Error(node, "MissingKey", "A sync daemon needs the keys 'role' (Master or Backup) and 'interface'.");
                return null;
            }
            int errorsBefore = Errors.Count;
            var r = Enum<SyncDaemonRole>(role.Value, "role");
            var name = Text(itf.Value, "interface", allowPlain: true);
            IPAddress? group = null;
            if (m.TryGetValue("group", out var g) && Text(g.Value, "group", allowPlain: true) is { } gt)
            {
                if (!IPAddress.TryParse(gt, out group) || !(group.AddressFamily == AddressFamily.InterNetwork ? group.GetAddressBytes()[0] is >= 224 and <= 239 : group.IsIPv6Multicast))
                {
                    Error(g.Value, "InvalidGroup", $"Sync group '{ValueText.Cut(gt)}' is not valid; allowed: an IPv4 or IPv6 multicast address.");
                }
            }
            var d = new SyncDaemon
            {
                Role = r ?? SyncDaemonRole.Master,
                Interface = name ?? "",
                SyncId = m.TryGetValue("syncId", out var id) ? (byte)(UInt(id.Value, "syncId", 0, 255) ?? 0) : (byte)0,
                MaxLength = m.TryGetValue("maxLength", out var ml) ? (ushort)(UInt(ml.Value, "maxLength", 0, 65535) ?? 0) : (ushort)0,
                GroupAddress = group,
                Port = m.TryGetValue("port", out var port) ? (ushort)(UInt(port.Value, "port", 0, 65535) ?? 0) : (ushort)0,
                Ttl = m.TryGetValue("ttl", out var ttl) ? (byte)(UInt(ttl.Value, "ttl", 0, 255) ?? 0) : (byte)0,
            };
            return Errors.Count == errorsBefore ? d : null;
        }

        // --- typed access ---

        private Dictionary<string, KeyValuePair<DocScalar, DocNode>>? Mapping(DocNode node, string what, string[] allowed)
        {
            if (node is not DocMapping map)
            {
                Error(node, "WrongType", $"{Capital(what)} must be a mapping of keys; allowed keys: {string.Join(", ", allowed)}.");
                return null;
            }
            var result = new Dictionary<string, KeyValuePair<DocScalar, DocNode>>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in map.Entries)
            {
                var key = entry.Key.Value;
                var known = allowed.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
                if (known is null)
                {
                    Error(entry.Key, "UnknownKey", $"Unknown key '{ValueText.Cut(key)}' in {what}; allowed: {string.Join(", ", allowed)}.");
                    continue;
                }
                if (result.TryGetValue(known, out var first))
                {
                    Error(entry.Key, "DuplicateKey", $"Key '{ValueText.Cut(known)}' appears twice in {what} (first at line {first.Key.Line}).");
                    continue;
                }
                result.Add(known, entry);
            }
            return result;
        }

        private List<DocNode>? Sequence(DocNode node, string key)
        {
            if (node is DocSequence seq) return seq.Items;
            Error(node, "WrongType", $"'{key}' must be a list (YAML '- item' lines or [a, b]).");
            return null;
        }

        private string? Text(DocNode node, string key, bool allowPlain = true)
        {
            if (node is DocScalar { Kind: DocScalarKind.String or DocScalarKind.Plain } s) return s.Value;
            Error(node, "WrongType", $"'{key}' must be text, not {Describe(node)}.");
            return null;
        }

        private uint? UInt(DocNode node, string key, uint min, uint max)
        {
            if (node is DocScalar { Kind: DocScalarKind.Plain or DocScalarKind.Number } s &&
                ulong.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            {
                if (v >= min && v <= max) return (uint)v;
                Error(node, "ValueOutOfRange", $"'{key}' {ValueText.Cut(s.Value)} is out of range; allowed: {min}..{max}.");
                return null;
            }
            Error(node, "WrongType", $"'{key}' must be a whole number in {min}..{max}, not {Describe(node)}.");
            return null;
        }

        private bool? Bool(DocNode node, string key)
        {
            if (node is DocScalar { Kind: DocScalarKind.Plain or DocScalarKind.Boolean } s)
            {
                if (s.Value is "true" or "True" or "TRUE") return true;
                if (s.Value is "false" or "False" or "FALSE") return false;
            }
            Error(node, "WrongType", $"'{key}' must be true or false, not {Describe(node)}.");
            return null;
        }

        private T? Enum<T>(DocNode node, string key, string? exclude = null) where T : struct, Enum
        {
            var allowed = System.Enum.GetNames<T>().Where(n => n != exclude).ToArray();
            if (node is DocScalar { Kind: DocScalarKind.String or DocScalarKind.Plain } s)
            {
                var name = allowed.FirstOrDefault(n => string.Equals(n, s.Value, StringComparison.OrdinalIgnoreCase));
                if (name is not null) return System.Enum.Parse<T>(name);
                Error(node, "InvalidValue", $"'{key}' '{ValueText.Cut(s.Value)}' is not valid; allowed: {string.Join(", ", allowed)}.");
                return null;
            }
            Error(node, "WrongType", $"'{key}' must be one of {string.Join(", ", allowed)}, not {Describe(node)}.");
            return null;
        }

        private T Flags<T>(DocNode node, string key) where T : struct, Enum
        {
            var names = node switch
            {
                DocSequence seq => seq.Items,
                DocScalar { Kind: DocScalarKind.Null } => new List<DocNode>(),
                _ => new List<DocNode> { node },
            };
            ulong value = 0;
            foreach (var item in names)
            {
                if (Enum<T>(item, key) is { } f) value |= Convert.ToUInt64(f, CultureInfo.InvariantCulture);
            }
            return (T)System.Enum.ToObject(typeof(T), value);
        }

        private static string Describe(DocNode node) => node switch
        {
            DocMapping => "a mapping",
            DocSequence => "a list",
            DocScalar { Kind: DocScalarKind.Null } => "null",
            DocScalar { Kind: DocScalarKind.String } s => $"the text '{ValueText.Cut(s.Value)}'",
            DocScalar s => $"'{ValueText.Cut(s.Value)}'",
            _ => "this",
        };

        private static string Capital(string s) => char.ToUpperInvariant(s[0]) + s[1..];
    }
}

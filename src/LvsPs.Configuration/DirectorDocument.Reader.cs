using System.Net;
using System.Net.Sockets;
using LvsPs.Model;
using LvsPs.Model.Health;
using LvsPs.Model.Settings;

namespace LvsPs.Configuration;

/// <summary>The reader: a document's sections as the model's settings, every error collected with its line and column.</summary>
public static partial class DirectorDocument
{
    /// <summary>Reads one real server entry of <paramref name="service"/> strictly (the DSC resources build one from their properties).</summary>
    public static RealServerSettings ReadRealServer(DocNode node, VirtualServiceId service, string source)
    {
        var reader = new Reader(source);
        var rs = reader.ReadRealServer(node, service, "a real server");
        new DirectorDocumentResult(null, reader.Errors).ThrowIfErrors();
        return rs!;
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
                    tm.TryGetValue("tcp", out var tcp) ? UInt(tcp.Value, SettingLevel.Timeouts, "tcp") ?? 0 : 0,
                    tm.TryGetValue("tcpFin", out var fin) ? UInt(fin.Value, SettingLevel.Timeouts, "tcpFin") ?? 0 : 0,
                    tm.TryGetValue("udp", out var udp) ? UInt(udp.Value, SettingLevel.Timeouts, "udp") ?? 0 : 0);
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
            if (m.TryGetValue("persistenceTimeout", out var pt)) settings = settings with { PersistenceTimeout = UInt(pt.Value, SettingLevel.Service, "persistenceTimeout") ?? 0 };
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
            if (m.TryGetValue("port", out var pn)) port = (ushort)(UInt(pn.Value, SettingLevel.RealServer, "port") ?? 0);
            int errorsBefore = Errors.Count;
            var rs = new RealServerSettings { Id = RealServerId.Create(address, port) };
            if (m.TryGetValue("forwarding", out var f)) rs = rs with { Forwarding = Enum<ForwardingMethod>(f.Value, SettingLevel.RealServer, "forwarding") ?? ForwardingMethod.Masquerade };
            if (m.TryGetValue("weight", out var w)) rs = rs with { Weight = (int)(UInt(w.Value, SettingLevel.RealServer, "weight") ?? 1) };
            if (m.TryGetValue("upperThreshold", out var ut)) rs = rs with { UpperThreshold = UInt(ut.Value, SettingLevel.RealServer, "upperThreshold") ?? 0 };
            if (m.TryGetValue("lowerThreshold", out var lt)) rs = rs with { LowerThreshold = UInt(lt.Value, SettingLevel.RealServer, "lowerThreshold") ?? 0 };
            if (m.TryGetValue("tunnelType", out var tt)) rs = rs with { TunnelType = Enum<TunnelType>(tt.Value, "tunnelType") ?? TunnelType.IpIp };
            if (m.TryGetValue("tunnelPort", out var tp)) rs = rs with { TunnelPort = (ushort)(UInt(tp.Value, SettingLevel.RealServer, "tunnelPort") ?? 0) };
            if (m.TryGetValue("tunnelFlags", out var tf)) rs = rs with { TunnelFlags = Flags<TunnelFlags>(tf.Value, "tunnelFlags") };
            // "Inherit" (or empty) is the service's PROXY setting, as -SendProxy Inherit; an empty group is none
            if (m.TryGetValue("sendProxy", out var sp) && sp.Value is not DocScalar { Kind: DocScalarKind.Null } and not DocScalar { Value: "" or "Inherit" })
            {
                rs = rs with { SendProxy = Enum<ProxyProtocol>(sp.Value, "sendProxy") };
            }
            if (m.TryGetValue("group", out var g) && g.Value is not DocScalar { Kind: DocScalarKind.Null } and not DocScalar { Value: "" }) rs = rs with { Group = Text(g.Value, "group") };
            return Validated(node, errorsBefore, rs.Validate);
        }

        private HealthCheckSettings? ReadHealthCheck(DocNode node)
        {
            var m = Mapping(node, "a health check", HealthCheckKeys);
            if (m is null) return null;
            int errorsBefore = Errors.Count;
            var c = new HealthCheckSettings();
            if (m.TryGetValue("type", out var t)) c = c with { Type = Enum<HealthCheckType>(t.Value, "type") ?? HealthCheckType.Tcp };
            if (m.TryGetValue("port", out var p)) c = c with { Port = (ushort?)UInt(p.Value, SettingLevel.HealthCheck, "port") };
            if (m.TryGetValue("path", out var path)) c = c with { Path = Text(path.Value, "path", allowPlain: true) ?? "/" };
            if (m.TryGetValue("expectedStatus", out var es) && Sequence(es.Value, "expectedStatus") is { } codes)
            {
                c = c with { ExpectedStatus = codes.Select(x => (int)(UInt(x, SettingLevel.HealthCheck, "expectedStatus") ?? 200)).ToArray() };
            }
            if (m.TryGetValue("bodyMatch", out var bm)) c = c with { BodyMatch = Text(bm.Value, "bodyMatch", allowPlain: true) };
            if (m.TryGetValue("command", out var cmd)) c = c with { Command = Text(cmd.Value, "command", allowPlain: true) };
            if (m.TryGetValue("interval", out var i)) c = c with { IntervalSeconds = (int)(UInt(i.Value, SettingLevel.HealthCheck, "interval") ?? 5) };
            if (m.TryGetValue("timeout", out var to)) c = c with { TimeoutSeconds = (int)(UInt(to.Value, SettingLevel.HealthCheck, "timeout") ?? 3) };
            if (m.TryGetValue("retries", out var r)) c = c with { Retries = (int)(UInt(r.Value, SettingLevel.HealthCheck, "retries") ?? 3) };
            if (m.TryGetValue("rise", out var rise)) c = c with { Rise = (int)(UInt(rise.Value, SettingLevel.HealthCheck, "rise") ?? 1) };
            if (m.TryGetValue("failureAction", out var fa)) c = c with { FailureAction = Enum<HealthFailureAction>(fa.Value, "failureAction") ?? HealthFailureAction.Quiesce };
            return Validated(node, errorsBefore, c.Validate);
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
                SyncId = m.TryGetValue("syncId", out var id) ? (byte)(UInt(id.Value, SettingLevel.SyncDaemon, "syncId") ?? 0) : (byte)0,
                MaxLength = m.TryGetValue("maxLength", out var ml) ? (ushort)(UInt(ml.Value, SettingLevel.SyncDaemon, "maxLength") ?? 0) : (ushort)0,
                GroupAddress = group,
                Port = m.TryGetValue("port", out var port) ? (ushort)(UInt(port.Value, SettingLevel.SyncDaemon, "port") ?? 0) : (ushort)0,
                Ttl = m.TryGetValue("ttl", out var ttl) ? (byte)(UInt(ttl.Value, SettingLevel.SyncDaemon, "ttl") ?? 0) : (byte)0,
            };
            return Errors.Count == errorsBefore ? d : null;
        }
    }
}

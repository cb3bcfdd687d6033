using System.Net.Sockets;
using LvsPs.Model;
using LvsPs.Model.Failover;
using LvsPs.Model.Health;
using LvsPs.Model.Settings;

namespace LvsPs.Configuration;

/// <summary>
/// The writer: a live director's configuration as a document (what Export-LvsConfiguration writes). A document always
/// shows a service's scheduler, a real server's forwarding and weight, the timeouts and a health check's timing; any
/// other setting only when it is not at its default, which is the settings catalogue's (<see cref="SettingCatalog"/>:
/// a setting is described once), or, for a setting the catalogue gives no default, when it is set at all.
/// </summary>
public static partial class DirectorDocument
{
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
                AddUnlessDefault(m, SettingLevel.SyncDaemon, "syncId", d.SyncId);
                AddUnlessDefault(m, SettingLevel.SyncDaemon, "maxLength", d.MaxLength);
                if (d.Group is not null) m.Add("group", DocScalar.Text(d.Group.ToString()));
                AddUnlessDefault(m, SettingLevel.SyncDaemon, "port", d.Port);
                AddUnlessDefault(m, SettingLevel.SyncDaemon, "ttl", d.Ttl);
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
        AddUnlessDefault(m, SettingLevel.Service, "persistenceTimeout", s.PersistenceTimeout);
        // the catalogue has no default netmask: it is the whole address, of the service's family
        var defaultMask = s.Id.AddressFamily == AddressFamily.InterNetworkV6 ? 128u : uint.MaxValue;
        if (s.EffectiveNetmask != defaultMask) m.Add("persistenceNetmask", DocScalar.Text(NetmaskText.Format(s.EffectiveNetmask, s.Id.AddressFamily)));
        AddUnlessDefault(m, SettingLevel.Service, "onePacket", s.OnePacket);
        if (s.SchedulerFlags != SchedulerFlags.None) m.Add("schedulerFlags", FlagsList(s.SchedulerFlags));
        if (!string.IsNullOrEmpty(s.PersistenceEngine)) m.Add("persistenceEngine", DocScalar.Text(s.PersistenceEngine));
        AddUnlessDefault(m, SettingLevel.Service, "helper", s.Helper);
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
        AddUnlessDefault(m, SettingLevel.RealServer, "upperThreshold", rs.UpperThreshold);
        AddUnlessDefault(m, SettingLevel.RealServer, "lowerThreshold", rs.LowerThreshold);
        if (rs.Forwarding == ForwardingMethod.Tunnel)
        {
            AddUnlessDefault(m, SettingLevel.RealServer, "tunnelType", rs.TunnelType);
            AddUnlessDefault(m, SettingLevel.RealServer, "tunnelPort", rs.TunnelPort);
            if (rs.TunnelFlags != TunnelFlags.None) m.Add("tunnelFlags", FlagsList(rs.TunnelFlags));
        }
        if (rs.SendProxy is { } proxy) m.Add("sendProxy", DocScalar.Text(proxy.ToString()));
        if (rs.Group is not null) m.Add("group", DocScalar.Text(rs.Group));
        return m;
    }

    /// <summary>A whole number, unless at the catalogue's default (0 where it gives none: not set).</summary>
    private static void AddUnlessDefault(DocMapping m, SettingLevel level, string key, long value)
    {
        if (value != (SettingCatalog.Get(level, key).Default is long d ? d : 0)) m.Add(key, DocScalar.Number(value));
    }

    /// <summary>true or false, unless at the catalogue's default (false where it gives none).</summary>
    private static void AddUnlessDefault(DocMapping m, SettingLevel level, string key, bool value)
    {
        if (value != (SettingCatalog.Get(level, key).Default is true)) m.Add(key, DocScalar.Bool(value));
    }

    /// <summary>A choice's name, unless at the catalogue's default (the enum's zero where it gives none: not set).</summary>
    private static void AddUnlessDefault<T>(DocMapping m, SettingLevel level, string key, T value) where T : struct, Enum
    {
        var name = value.ToString();
        if (name != (SettingCatalog.Get(level, key).Default as string ?? default(T).ToString())) m.Add(key, DocScalar.Text(name));
    }

    private static DocSequence FlagsList<T>(T flags) where T : struct, Enum
    {
        var seq = new DocSequence();
        foreach (var name in flags.ToString().Split(", ")) seq.Items.Add(DocScalar.Text(name));
        return seq;
    }

    /// <summary>The managed engine's connection settings of a service (PROXY protocol, transparent mode, content rules).</summary>
    private static void WriteConnectionFeatures(VirtualServiceSettings s, DocMapping m)
    {
        AddUnlessDefault(m, SettingLevel.Service, "sendProxy", s.SendProxy);
        AddUnlessDefault(m, SettingLevel.Service, "acceptProxy", s.AcceptProxy);
        AddUnlessDefault(m, SettingLevel.Service, "transparent", s.Transparent);
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
}

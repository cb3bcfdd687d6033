using System.Net.Sockets;
using LvsPs.Model;
using LvsPs.Model.Failover;
using LvsPs.Model.Health;

namespace LvsPs.Configuration;

/// <summary>The writer: a live director's configuration as a document (what Export-LvsConfiguration writes).</summary>
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
}

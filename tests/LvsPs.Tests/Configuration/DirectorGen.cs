using System.Net;
using CsCheck;
using LvsPs.Model;
using LvsPs.Model.Health;
using LvsPs.Model.Settings;

namespace LvsPs.Tests.Configuration;

/// <summary>
/// CsCheck generators of valid director configurations: every setting the document takes, in the ranges the model's
/// validation gives (through the setting catalogue), so a property holds for what users can write.
/// </summary>
internal static class DirectorGen
{
    private static Gen<uint> In(SettingLevel level, string key)
    {
        var r = SettingCatalog.Get(level, key).Range!.Value;
        return Gen.UInt[(uint)r.Min, (uint)Math.Min(r.Max, uint.MaxValue)];
    }

    private static readonly Gen<IPAddress> V4 = Gen.Int[1, 223].Select(Gen.Int[0, 255], Gen.Int[0, 255], Gen.Int[1, 254],
        (a, b, c, d) => new IPAddress(new[] { (byte)a, (byte)b, (byte)c, (byte)d }));

    public static readonly Gen<RealServerSettings> RealServer = Gen.Select(
        V4, Gen.Int[1, 65535], Gen.OneOf(ForwardingMethod.Masquerade, ForwardingMethod.DirectRoute, ForwardingMethod.Tunnel), In(SettingLevel.RealServer, "weight"),
        Gen.UInt[0, 1000], Gen.UInt[0, 1000], Gen.Enum<TunnelType>(), Gen.Int[1, 65535], Gen.Enum<TunnelFlags>(),
        Gen.OneOf<ProxyProtocol?>(null, ProxyProtocol.None, ProxyProtocol.V1, ProxyProtocol.V2), Gen.OneOf<string?>(null, "api", "web", "g-1", "a.b"),
        (address, port, forwarding, weight, upper, lower, tunnelType, tunnelPort, flags, proxy, group) =>
        {
            var rs = new RealServerSettings
            {
                Id = RealServerId.Create(address, (ushort)port), Forwarding = forwarding, Weight = (int)weight,
                UpperThreshold = upper, LowerThreshold = upper == 0 ? lower : Math.Min(lower, upper), SendProxy = proxy, Group = group,
            };
            // the tunnel settings are written, and read, with Tunnel forwarding only
            return (forwarding == ForwardingMethod.Tunnel
                ? rs with { TunnelType = tunnelType, TunnelPort = tunnelType == TunnelType.Gue ? (ushort)tunnelPort : (ushort)0, TunnelFlags = flags }
                : rs).Validate();
        });

    public static readonly Gen<HealthCheckSettings> HealthCheck = Gen.Select(
        Gen.Enum<HealthCheckType>(), Gen.OneOf(Gen.Const<ushort?>(() => null), In(SettingLevel.HealthCheck, "port").Select(p => (ushort?)p)),
        In(SettingLevel.HealthCheck, "interval"), In(SettingLevel.HealthCheck, "timeout"), In(SettingLevel.HealthCheck, "retries"), In(SettingLevel.HealthCheck, "rise"),
        Gen.Enum<HealthFailureAction>(), In(SettingLevel.HealthCheck, "expectedStatus").Array[1, 3],
        (type, port, interval, timeout, retries, rise, action, codes) =>
        {
            var http = type is HealthCheckType.Http or HealthCheckType.Https;
            return new HealthCheckSettings
            {
                Type = type, Port = port, IntervalSeconds = (int)interval, TimeoutSeconds = (int)timeout, Retries = (int)retries, Rise = (int)rise, FailureAction = action,
                // path and codes are written for HTTP checks only, so other checks keep the defaults
                Path = http ? "/health" : "/", ExpectedStatus = http ? codes.Select(c => (int)c).ToArray() : new[] { 200 },
                BodyMatch = http ? "ok" : null, Command = type == HealthCheckType.Command ? "true" : null,
            }.Validate();
        });

    public static readonly Gen<ServiceConfiguration> Service = Gen.Select(
        V4, Gen.Int[1, 65535], Gen.OneOf("rr", "wrr", "wlc", "sh", "mh"), Gen.OneOf(0u, 60u, 360u, 86400u), Gen.Enum<SchedulerFlags>(),
        RealServer.Array[0, 4], Gen.OneOf(Gen.Const<HealthCheckSettings?>(() => null), HealthCheck.Select(h => (HealthCheckSettings?)h)), Gen.Bool, Gen.Int[0, 3],
        (vip, port, scheduler, timeout, flags, realServers, check, sorry, features) =>
        {
            var settings = new VirtualServiceSettings { Id = VirtualServiceId.Parse($"tcp/{vip}:{port}"), Scheduler = scheduler, PersistenceTimeout = timeout, SchedulerFlags = flags };
            settings = features switch
            {
                1 => settings with { Helper = ApplicationHelper.Ftp },
                2 => settings with { SendProxy = ProxyProtocol.V2, AcceptProxy = true, Transparent = true, DefaultGroup = "web" },
                3 => settings with
                {
                    ContentRules = new[]
                    {
                        new ContentRule { Match = ContentMatch.Host, Pattern = "api.example.com", Group = "api" },
                        new ContentRule { Match = ContentMatch.Header, Name = "X-Tenant", Pattern = "a", Group = "web" },
                    },
                },
                _ => settings,
            };
            var sorryServer = sorry ? new RealServerSettings { Id = RealServerId.Create(IPAddress.Parse("192.0.2.99"), 80) } : null;
            return new ServiceConfiguration(settings.Validate(), realServers.DistinctBy(r => r.Id).ToArray(), check, sorryServer);
        });

    public static readonly Gen<DirectorConfiguration> Director = Gen.Select(
        Service.Array[0, 4], In(SettingLevel.Timeouts, "tcp"), In(SettingLevel.Timeouts, "tcpFin"), In(SettingLevel.Timeouts, "udp"),
        (services, tcp, fin, udp) => new DirectorConfiguration(services.DistinctBy(s => s.Settings.Id).ToArray(), new LvsTimeouts(tcp, fin, udp)));
}

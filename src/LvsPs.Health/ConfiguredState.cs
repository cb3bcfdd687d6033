using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.Health;

/// <summary>
/// Configured versus effective state (docs/desired-state.md, "Configured and effective state"): what a listing, the
/// health report and a saved configuration show for the checked services, from the table as it is and the settings the
/// user gave. A real server a check took out is listed at its configured settings with
/// <see cref="RealServer.EffectiveWeight"/> 0, and the sorry server is not a real server of the service (the health
/// report shows it). Callers hold the monitor's lock.
/// </summary>
internal static class ConfiguredState
{
    /// <summary>The service as configured: its checked real servers at their configured settings, with what the table has now.</summary>
    public static VirtualService Listing(VirtualService live, ServiceHealth? sh)
    {
        if (sh is null) return live;
        var servers = new List<RealServer>(sh.Servers.Count);
        for (int i = sh.Servers.Count - 1; i >= 0; i--) // newest first, as the director lists them
        {
            var s = sh.Servers[i];
            servers.Add(RealServer.Configured(live.Settings.Id, s.Desired, live.RealServers.FirstOrDefault(r => r.Settings.Id == s.Desired.Id), s.State));
        }
        return new VirtualService(live.Settings, servers, live.Stats);
    }

    /// <summary>Every checked real server and sorry server with what its checks found, services in order.</summary>
    public static IReadOnlyList<RealServerHealth> Health(IEnumerable<ServiceHealth> services)
    {
        var list = new List<RealServerHealth>();
        foreach (var sh in services.OrderBy(s => s.Id, VirtualServiceOrder.Instance))
        {
            // newest first, as the director lists real servers
            for (int i = sh.Servers.Count - 1; i >= 0; i--) list.Add(sh.Servers[i].ToModel(sh.Id, sh.Check.Type));
            if (sh.SorryServer is { } sorry)
            {
                list.Add(new RealServerHealth
                {
                    VirtualService = sh.Id.ToString(),
                    RealServer = sorry.Id.ToString(),
                    State = sh.SorryActive ? HealthState.Up : HealthState.Unknown,
                    CheckType = sh.Check.Type,
                    LastResult = sh.SorryActive ? "in service: every real server is down" : "standing by",
                    SorryServer = true,
                });
            }
        }
        return list;
    }

    /// <summary>The configuration as the user set it: checked services with their configured real servers, checks and sorry servers.</summary>
    public static DirectorConfiguration Desired(IDirectorBackend table, IReadOnlyDictionary<VirtualServiceId, ServiceHealth> checkedServices)
    {
        var services = table.GetServices().Select(s =>
        {
            if (!checkedServices.TryGetValue(s.Settings.Id, out var sh))
            {
                return new ServiceConfiguration(s.Settings, s.RealServers.Select(r => r.Settings).ToList());
            }
            var desired = Enumerable.Range(0, sh.Servers.Count).Select(i => sh.Servers[sh.Servers.Count - 1 - i].Desired).ToList();
            return new ServiceConfiguration(s.Settings, desired, sh.Check, sh.SorryServer);
        }).ToList();
        return new DirectorConfiguration(services, table.GetTimeouts());
    }
}

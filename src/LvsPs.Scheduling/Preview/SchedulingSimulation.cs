using System.Net;
using System.Net.Sockets;
using LvsPs.Model;
using LvsPs.Scheduling.Persistence;

namespace LvsPs.Scheduling.Preview;

/// <summary>
/// Runs a <see cref="SchedulingPreviewRequest"/> on scheduling state that is never the live one: a copy of a
/// director's live state (<see cref="FromLive"/>, what the managed engine previews on), or for another backend or a
/// proposed service, a fresh state built from the service's listing (<see cref="FromListing"/>). Each single decision
/// starts from a new copy (each client is previewed against the current state, not after the others); a run of
/// requests keeps each one open as an active connection on its copy.
/// </summary>
public static class SchedulingSimulation
{
    /// <summary>Previews <paramref name="request"/> on the states <paramref name="newState"/> builds, one per decision or one for a run.</summary>
    public static SchedulingPreviewResult Run(SchedulingPreviewRequest request, Func<ServiceScheduler> newState)
    {
        request.Validate();
        return request.Count > 0 ? Shares(request, newState()) : Decisions(request, newState);
    }

    /// <summary>
    /// The live state's copy, as it would be with the previewed settings: a changed scheduler or flags start fresh on the
    /// copy, as ipvsadm -E would.
    /// </summary>
    public static ServiceScheduler FromLive(ServiceScheduler clone, VirtualServiceSettings settings)
    {
        if (!string.Equals(clone.Destinations.Scheduler.Name, settings.Scheduler, StringComparison.Ordinal)) clone.Destinations.SetScheduler(settings.Scheduler);
        if (clone.Destinations.Flags != settings.Flags) clone.Destinations.SetFlags(settings.Flags);
        clone.Settings = settings;
        return clone;
    }

    /// <summary>
    /// A fresh state from a listing (real servers added in reverse listing order so the kernel order comes out the same,
    /// with their connection counters) or from proposed real servers (the first given first in the kernel's list).
    /// </summary>
    public static ServiceScheduler FromListing(VirtualServiceSettings settings, IReadOnlyList<RealServer>? listed, IReadOnlyList<RealServerSettings>? proposed)
    {
        var set = new DestinationSet(settings.Scheduler, settings.Flags, SchedulerOptions.Default);
        if (proposed is not null)
        {
            for (int i = proposed.Count - 1; i >= 0; i--) set.Add(proposed[i]);
        }
        else if (listed is not null)
        {
            for (int i = listed.Count - 1; i >= 0; i--)
            {
                var rs = listed[i];
                var d = set.Add(rs.Settings);
                for (int n = 0; n < rs.ActiveConnections; n++) d.BindConnection(active: true);
                for (int n = 0; n < rs.InactiveConnections; n++) d.BindConnection(active: false);
            }
        }
        return new ServiceScheduler(set, settings);
    }

    private static SchedulingPreviewResult Decisions(SchedulingPreviewRequest request, Func<ServiceScheduler> newState)
    {
        var settings = request.Settings;
        var list = new List<SchedulingPreview>();
        foreach (var client in request.Clients())
        {
            var sim = newState();
            var before = sim.Templates.ToHashSet();
            var decision = sim.Schedule(Request(sim, request, client, request.ClientPort));
            list.Add(new SchedulingPreview
            {
                VirtualService = settings.Id.ToString(),
                Scheduler = settings.Scheduler,
                ClientAddress = client.ToString(),
                ClientPort = (ushort)request.ClientPort,
                RealServer = decision.Destination?.Id.ToString(),
                FromTemplate = decision.Template is not null && before.Contains(decision.Template),
                Group = request.Group,
                Rule = request.Rule,
            });
        }
        return new SchedulingPreviewResult { Decisions = list };
    }

    private static SchedulingPreviewResult Shares(SchedulingPreviewRequest request, ServiceScheduler sim)
    {
        var settings = request.Settings;
        int count = request.Count;
        var counts = new Dictionary<Destination, int>(ReferenceEqualityComparer.Instance);
        var clients = request.Clients();
        int none = 0;
        for (int i = 0; i < count; i++)
        {
            var client = clients.Count > 0 ? clients[i % clients.Count] : MadeUpClient(i % 100, settings.Id.AddressFamily);
            var decision = sim.Schedule(Request(sim, request, client, request.ClientPort + i));
            if (decision.Destination is not { } d)
            {
                none++;
                continue;
            }
            d.BindConnection(active: true); // the simulated connection stays open on the copy
            counts[d] = counts.GetValueOrDefault(d) + 1;
        }
        var shares = new List<SchedulingShare>();
        foreach (var d in sim.Destinations.Items)
        {
            int n = counts.GetValueOrDefault(d);
            shares.Add(new SchedulingShare { VirtualService = settings.Id.ToString(), Scheduler = settings.Scheduler, RealServer = d.Id.ToString(), Weight = d.Weight, Requests = n, Percent = Math.Round(100.0 * n / count, 2) });
        }
        if (none > 0) shares.Add(new SchedulingShare { VirtualService = settings.Id.ToString(), Scheduler = settings.Scheduler, RealServer = null, Requests = none, Percent = Math.Round(100.0 * none / count, 2) });
        return new SchedulingPreviewResult { Shares = shares };
    }

    private static SchedulingRequest Request(ServiceScheduler sim, SchedulingPreviewRequest request, IPAddress client, int clientPort)
    {
        var id = request.Settings.Id;
        var vip = id.Address is null ? NetAddress.FromIPv4(0) : NetAddress.FromIPAddress(id.Address);
        ushort dport = (ushort)(request.DestinationPort >= 0 ? request.DestinationPort : id.Port);
        var protocol = id.IsFirewallMark ? LvsProtocol.Tcp : id.Protocol;
        return new SchedulingRequest(protocol, NetAddress.FromIPAddress(client), (ushort)(clientPort & 0xFFFF), vip, dport, sim.Destinations.Options.Clock.Now);
    }

    /// <summary>Client number <paramref name="i"/> of the made-up ones: 198.18.0.1 upward (RFC 2544 benchmarking range), or 2001:db8::1 upward.</summary>
    private static IPAddress MadeUpClient(int i, AddressFamily family)
    {
        if (family == AddressFamily.InterNetworkV6)
        {
            var b = IPAddress.Parse("2001:db8::").GetAddressBytes();
            b[14] = (byte)((i + 1) >> 8);
            b[15] = (byte)(i + 1);
            return new IPAddress(b);
        }
        return new IPAddress(new byte[] { 198, 18, (byte)((i + 1) >> 8), (byte)(i + 1) });
    }
}

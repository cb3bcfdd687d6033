using System.Net;
using LvsPs.Engine.Connections;
using LvsPs.Engine.Stats;
using LvsPs.Engine.Tcp;
using LvsPs.Engine.Udp;
using LvsPs.Model;
using LvsPs.Scheduling;
using LvsPs.Scheduling.Persistence;

namespace LvsPs.Engine;

/// <summary>One virtual service of the managed director: its settings, destinations with their scheduler, counters and sockets.</summary>
internal sealed class ManagedService : IDisposable
{
    private readonly IForwarder _forwarder;
    private readonly NetAddress _virtualAddress;
    private readonly ISchedulingClock _clock;
    private volatile VirtualServiceSettings _settings;

    public ManagedService(VirtualServiceSettings settings, ConnectionTable table, SchedulerOptions schedulerOptions, TimeSpan? ftpDataTimeout = null, bool useEventLoop = true)
    {
        FtpDataTimeout = ftpDataTimeout ?? new ManagedDirectorOptions().FtpDataTimeout;
        UseEventLoop = useEventLoop;
        _settings = settings;
        _clock = schedulerOptions.Clock;
        _virtualAddress = NetAddress.FromIPAddress(settings.Id.Address!);
        Destinations = new DestinationSet(settings.Scheduler, settings.Flags, schedulerOptions);
        Scheduling = new ServiceScheduler(Destinations, settings);
        _forwarder = settings.Id.Protocol == LvsProtocol.Tcp ? new TcpForwarder(this, table) : new UdpForwarder(this, table, useEventLoop);
    }

    public VirtualServiceSettings Settings => _settings;

    public DestinationSet Destinations { get; }

    /// <summary>Persistence templates and one-packet handling in front of the scheduler.</summary>
    public ServiceScheduler Scheduling { get; }

    /// <summary>How long the FTP helper waits for an announced data connection.</summary>
    public TimeSpan FtpDataTimeout { get; }

    /// <summary>Binds the VIP even when the host does not hold it yet (<see cref="ManagedDirectorOptions.BindNonLocalAddresses"/>).</summary>
    public bool BindNonLocalAddresses { get; init; }

    /// <summary>Sockets may be driven by the engine's own epoll threads (<see cref="ManagedDirectorOptions.UseEventLoop"/>).</summary>
    public bool UseEventLoop { get; }

    public StatsCounters Stats { get; } = new();

    public void Start() => _forwarder.Start();

    /// <summary>Applies edited settings: a new scheduler starts fresh, as the kernel rebinds it; flags go to the scheduler.</summary>
    public void Apply(VirtualServiceSettings settings)
    {
        var old = _settings;
        if (!string.Equals(old.Scheduler, settings.Scheduler, StringComparison.Ordinal)) Destinations.SetScheduler(settings.Scheduler);
        if (old.Flags != settings.Flags) Destinations.SetFlags(settings.Flags);
        Scheduling.Settings = settings;
        _settings = settings;
    }

    /// <summary>
    /// Chooses the real server for a new connection or flow from <paramref name="client"/> (through persistence when
    /// the service is persistent); null when none is available. A connection made from it must pass
    /// <see cref="ScheduledServer.Template"/> on so that it is released when the connection ends.
    /// </summary>
    public ScheduledServer? Schedule(IPEndPoint client)
    {
        var id = _settings.Id;
        var request = new SchedulingRequest(id.Protocol, NetAddress.FromIPAddress(client.Address), (ushort)client.Port, _virtualAddress, id.Port, _clock.Now);
        var decision = Scheduling.Schedule(request);
        return decision.Destination is null ? null : new ScheduledServer(RealServerRuntime.Of(decision.Destination), decision.Template, decision.OnePacket);
    }

    /// <summary>
    /// The live persistence templates as connection entries, as <c>ipvsadm -L -c</c> lists the kernel's: state NONE, the
    /// client network with port 0, the virtual address and port of the key, the destination, and the time left.
    /// </summary>
    public IEnumerable<LvsConnection> TemplateConnections()
    {
        long now = _clock.Now, frequency = _clock.Frequency;
        foreach (var t in Scheduling.Templates)
        {
            yield return new LvsConnection
            {
                Protocol = t.Key.Protocol,
                ClientAddress = t.Key.ClientNetwork.ToIPAddress().ToString(),
                ClientPort = 0,
                VirtualAddress = t.Key.VirtualAddress.ToIPAddress().ToString(),
                VirtualPort = t.Key.VirtualPort,
                DestinationAddress = t.Destination.Id.Address.ToString(),
                DestinationPort = t.DestinationPort,
                State = "NONE",
                ExpiresSeconds = (uint)Math.Ceiling(Math.Max(0, (double)(t.ExpiresAt - now) / frequency)),
                Template = true,
            };
        }
    }

    public VirtualService ToModel()
    {
        var servers = new List<RealServer>();
        var total = LvsStats.Zero;
        foreach (var d in Destinations.Items)
        {
            var rt = RealServerRuntime.Of(d);
            var stats = rt.Stats.Snapshot();
            servers.Add(new RealServer(_settings.Id, d.Settings)
            {
                ActiveConnections = d.ActiveConnections,
                InactiveConnections = d.InactiveConnections,
                PersistentConnections = d.PersistentConnections,
                Overloaded = d.Overloaded,
                Stats = stats,
            });
        }
        return new VirtualService(_settings, servers, Stats.Snapshot());
    }

    public void Dispose() => _forwarder.Dispose();
}

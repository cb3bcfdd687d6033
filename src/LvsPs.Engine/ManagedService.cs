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

    /// <summary>A listening socket handed over by the previous process, adopted instead of binding anew.</summary>
    public System.Net.Sockets.SafeSocketHandle? InheritedListener { get; init; }

    public void Start() => _forwarder.Start();

    /// <inheritdoc cref="IForwarder.Listener"/>
    public System.Net.Sockets.Socket Listener => _forwarder.Listener;

    /// <inheritdoc cref="IForwarder.Release"/>
    public void Release() => _forwarder.Release();

    /// <summary>Accepts once what is queued (TCP), after a hand-over.</summary>
    public void AcceptPending() => _forwarder.AcceptPending();

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

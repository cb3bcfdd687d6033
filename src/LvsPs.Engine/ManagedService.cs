using System.Net;
using LvsPs.Engine.Connections;
using LvsPs.Engine.Stats;
using LvsPs.Engine.Tcp;
using LvsPs.Engine.Udp;
using LvsPs.Model;
using LvsPs.Scheduling;

namespace LvsPs.Engine;

/// <summary>One virtual service of the managed director: its settings, destinations with their scheduler, counters and sockets.</summary>
internal sealed class ManagedService : IDisposable
{
    private readonly IForwarder _forwarder;
    private readonly NetAddress _virtualAddress;
    private readonly ISchedulingClock _clock;
    private volatile VirtualServiceSettings _settings;

    public ManagedService(VirtualServiceSettings settings, ConnectionTable table, SchedulerOptions schedulerOptions, TimeSpan? ftpDataTimeout = null)
    {
        FtpDataTimeout = ftpDataTimeout ?? new ManagedDirectorOptions().FtpDataTimeout;
        _settings = settings;
        _clock = schedulerOptions.Clock;
        _virtualAddress = NetAddress.FromIPAddress(settings.Id.Address!);
        Destinations = new DestinationSet(settings.Scheduler, settings.Flags, schedulerOptions);
        _forwarder = settings.Id.Protocol == LvsProtocol.Tcp ? new TcpForwarder(this, table) : new UdpForwarder(this, table);
    }

    public VirtualServiceSettings Settings => _settings;

    public DestinationSet Destinations { get; }

    /// <summary>How long the FTP helper waits for an announced data connection.</summary>
    public TimeSpan FtpDataTimeout { get; }

    public StatsCounters Stats { get; } = new();

    public void Start() => _forwarder.Start();

    /// <summary>Applies edited settings: a new scheduler starts fresh, as the kernel rebinds it; flags go to the scheduler.</summary>
    public void Apply(VirtualServiceSettings settings)
    {
        var old = _settings;
        if (!string.Equals(old.Scheduler, settings.Scheduler, StringComparison.Ordinal)) Destinations.SetScheduler(settings.Scheduler);
        if (old.Flags != settings.Flags) Destinations.SetFlags(settings.Flags);
        _settings = settings;
    }

    /// <summary>Chooses the real server for a new connection or flow from <paramref name="client"/>; null when none is available.</summary>
    public RealServerRuntime? Schedule(IPEndPoint client)
    {
        var id = _settings.Id;
        var request = new SchedulingRequest(id.Protocol, NetAddress.FromIPAddress(client.Address), (ushort)client.Port, _virtualAddress, id.Port, _clock.Now);
        var d = Destinations.Schedule(request);
        return d is null ? null : RealServerRuntime.Of(d);
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

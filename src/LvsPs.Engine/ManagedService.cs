using System.Net;
using LvsPs.Engine.Loop;
using LvsPs.Engine.Preface;
using LvsPs.Engine.Stats;
using LvsPs.Engine.Tcp;
using LvsPs.Engine.Udp;
using LvsPs.Model;
using LvsPs.Scheduling;
using LvsPs.Scheduling.Persistence;

namespace LvsPs.Engine;

/// <summary>
/// One virtual service of the managed director: its settings, its real servers in groups (one group, "", unless content
/// rules name others), each with the service's scheduler, counters and sockets.
/// </summary>
internal sealed class ManagedService : IDisposable
{
    private readonly IForwarder _forwarder;
    private readonly NetAddress _virtualAddress;
    private readonly ISchedulingClock _clock;
    private readonly ManagedDirectorOptions _options;
    private readonly SchedulerOptions _schedulerOptions;
    private readonly ServiceGroup _ungrouped;
    private volatile Dictionary<string, ServiceGroup> _groups; // copy-on-write; changed under the director's lock
    private volatile VirtualServiceSettings _settings;
    private volatile ITcpPreface? _preface;

    public ManagedService(VirtualServiceSettings settings, EngineContext context)
    {
        var options = context.Options;
        _options = options;
        _schedulerOptions = options.Scheduler;
        BindNonLocalAddresses = settings.Id.Address is { } vip && options.BindNonLocal?.Invoke(vip) == true;
        _settings = settings;
        _clock = _schedulerOptions.Clock;
        _virtualAddress = NetAddress.FromIPAddress(settings.Id.Address!);
        _ungrouped = new ServiceGroup("", settings, _schedulerOptions);
        _groups = new Dictionary<string, ServiceGroup>(StringComparer.Ordinal) { [""] = _ungrouped };
        _preface = ServicePreface.For(settings, options, realServerProxy: false);
        _forwarder = settings.Id.Protocol == LvsProtocol.Tcp ? new TcpForwarder(this, context) : new UdpForwarder(this, context);
    }

    public VirtualServiceSettings Settings => _settings;

    /// <summary>The real servers without a group (all of them when the service has no content rules).</summary>
    public DestinationSet Destinations => _ungrouped.Destinations;

    /// <summary>Persistence templates and one-packet handling in front of the ungrouped real servers' scheduler.</summary>
    public ServiceScheduler Scheduling => _ungrouped.Scheduling;

    /// <summary>Every group, the ungrouped real servers first.</summary>
    public IEnumerable<ServiceGroup> Groups => _groups.Values.OrderBy(g => g.Name, StringComparer.Ordinal);

    /// <summary>Every real server of every group.</summary>
    public IEnumerable<Destination> AllDestinations => Groups.SelectMany(g => g.Destinations.Items);

    public int DestinationCount => _groups.Values.Sum(g => g.Destinations.Count);

    /// <summary>The group's scheduling state, or null when no real server is in that group.</summary>
    public ServiceGroup? Group(string? name) => _groups.GetValueOrDefault(name ?? "");

    /// <summary>What runs on a new TCP connection before scheduling (content rules, PROXY protocol, transparent mode); null for plain layer 4.</summary>
    public ITcpPreface? Preface => _preface;

    /// <summary>Binds the VIP even when the host does not hold it yet (<see cref="ManagedDirectorOptions.BindNonLocal"/>).</summary>
    public bool BindNonLocalAddresses { get; }

    public StatsCounters Stats { get; } = new();


    /// <summary>A listening socket handed over by the previous process, adopted instead of binding anew.</summary>
    public System.Net.Sockets.SafeSocketHandle? InheritedListener { get; init; }

    /// <summary>
    /// An adopted listener is not accepted on until <see cref="StartAccepting"/>: the process that handed it over still
    /// serves its queue, and a client taken here before the service's real servers are restored would be reset.
    /// </summary>
    public bool HoldAccepting { get; init; }

    /// <inheritdoc cref="IForwarder.StartAccepting"/>
    public void StartAccepting() => _forwarder.StartAccepting();

    /// <summary>Connections accepted whose preface is still reading (a PROXY header, the first request); not yet scheduled.</summary>
    internal int PendingPrefaces;

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
        foreach (var g in _groups.Values) g.Apply(old, settings);
        _settings = settings;
        RefreshPreface();
    }

    public Destination? FindDestination(RealServerId id)
    {
        foreach (var g in _groups.Values)
        {
            if (g.Destinations.Find(id) is { } d) return d;
        }
        return null;
    }

    /// <summary>Adds a real server to its group (made on first use); <paramref name="initialize"/> sees the runtime before it can be scheduled.</summary>
    public Destination AddDestination(RealServerSettings settings, Action<RealServerRuntime> initialize)
    {
        var key = ServiceGroup.KeyOf(settings);
        var groups = _groups;
        if (!groups.TryGetValue(key, out var group))
        {
            group = new ServiceGroup(key, _settings, _schedulerOptions);
            groups = new Dictionary<string, ServiceGroup>(groups, StringComparer.Ordinal) { [key] = group };
        }
        var d = group.Destinations.Add(settings, d =>
        {
            // a real server back from the group's trash keeps its counters, as the kernel's does
            var runtime = (RealServerRuntime)(d.Tag ??= new RealServerRuntime(d, group));
            initialize(runtime);
        });
        _groups = groups;
        RefreshPreface();
        return d;
    }

    /// <summary>
    /// Edits a real server in place; a new group moves it (as removing and adding it: its live connections finish on the
    /// old entry, its counters start again). Returns the runtime that replaced the old one, or null when it stayed.
    /// </summary>
    public RealServerRuntime? UpdateDestination(Destination d, RealServerSettings settings, Action<RealServerRuntime> initialize)
    {
        var runtime = RealServerRuntime.Of(d);
        if (string.Equals(runtime.Group.Name, ServiceGroup.KeyOf(settings), StringComparison.Ordinal))
        {
            runtime.Group.Destinations.Update(d, settings);
            RefreshPreface();
            return null;
        }
        RealServerRuntime? moved = null;
        AddDestination(settings, r =>
        {
            moved = r;
            initialize(r);
        });
        RemoveDestination(d);
        return moved;
    }

    /// <summary>Removes a real server from its group; an emptied named group goes away.</summary>
    public void RemoveDestination(Destination d)
    {
        var group = RealServerRuntime.Of(d).Group;
        group.Destinations.Remove(d); // its connections keep their reference and finish
        if (group != _ungrouped && group.Destinations.Count == 0)
        {
            var groups = new Dictionary<string, ServiceGroup>(_groups, StringComparer.Ordinal);
            groups.Remove(group.Name);
            _groups = groups;
        }
        RefreshPreface();
    }

    private void RefreshPreface()
    {
        bool realServerProxy = _groups.Values.Any(g => g.Destinations.Items.Any(d => d.Settings.SendProxy is not null and not ProxyProtocol.None));
        _preface = ServicePreface.For(_settings, _options, realServerProxy);
    }

    /// <summary>
    /// Chooses the real server for a new connection or flow from <paramref name="client"/> (through persistence when
    /// the service is persistent); null when none is available. A connection made from it must pass
    /// <see cref="ScheduledServer.Template"/> on so that it is released when the connection ends.
    /// </summary>
    /// <remarks>Scheduled straight from the address the kernel gave (accept4(2), recvfrom(2)), without an <see cref="IPEndPoint"/>.</remarks>
    public ScheduledServer? Schedule(in PeerAddress client) => Schedule(_ungrouped, client.Address, client.Port);

    /// <summary>As <see cref="Schedule(in PeerAddress)"/>, among the real servers of <paramref name="group"/> (null: the ungrouped).</summary>
    public ScheduledServer? Schedule(in PeerAddress client, string? group) =>
        group is null ? Schedule(_ungrouped, client.Address, client.Port) : _groups.TryGetValue(group, out var g) ? Schedule(g, client.Address, client.Port) : null;

    private ScheduledServer? Schedule(ServiceGroup group, NetAddress client, ushort port)
    {
        var id = _settings.Id;
        var request = new SchedulingRequest(id.Protocol, client, port, _virtualAddress, id.Port, _clock.Now);
        var decision = group.Scheduling.Schedule(request);
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
                ExpiresSeconds = t.ExpiresAt <= now ? 0 : (uint)Math.Ceiling((double)(t.ExpiresAt - now) / frequency),
                Template = true,
            };
        }
    }

    public VirtualService ToModel()
    {
        var servers = new List<RealServer>();
        var settings = _settings;
        foreach (var d in AllDestinations)
        {
            var rt = RealServerRuntime.Of(d);
            var stats = rt.Stats.Snapshot();
            servers.Add(new RealServer(settings.Id, d.Settings)
            {
                ActiveConnections = d.ActiveConnections,
                InactiveConnections = d.InactiveConnections,
                PersistentConnections = d.PersistentConnections,
                Overloaded = d.Overloaded,
                Stats = stats,
                Sees = ClientAddressing.ViewOf(settings, d.Settings.SendProxy),
            });
        }
        return new VirtualService(settings, servers, Stats.Snapshot());
    }

    public void Dispose() => _forwarder.Dispose();
}

using System.Net;
using LvsPs.Model;
using LvsPs.Scheduling;
using LvsPs.Scheduling.Persistence;
using LvsPs.Engine.Loop;

namespace LvsPs.Engine.Connections;

/// <summary>
/// One entry of the managed engine's connection table: a client's connection (TCP) or flow (UDP) bound to a real
/// server. It counts itself in its destination's active/inactive counters as IPVS does: a TCP connection is active
/// while established and inactive once either side has closed; UDP flows are always inactive.
/// </summary>
internal abstract class EngineConnection : IWheelEntry
{
    private static long s_nextId;
    private long _lastActivity;
    private int _unbound;

    protected EngineConnection(ManagedService service, RealServerRuntime realServer, in PeerAddress client, bool active, PersistenceTemplate? template = null)
    {
        Template = template;
        Id = Interlocked.Increment(ref s_nextId);
        Service = service;
        RealServer = realServer;
        Peer = client;
        Active = active;
        Touch();
        realServer.Destination.BindConnection(active);
        service.Stats.AddConnection();
        realServer.Stats.AddConnection();
    }

    public long Id { get; }

    public ManagedService Service { get; }

    public RealServerRuntime RealServer { get; }

    /// <summary>The client's address and port as the kernel gave them (the flow table's key for UDP).</summary>
    public PeerAddress Peer { get; }

    /// <summary>The client's address and port as an endpoint, made when asked (for the listing, FTP).</summary>
    public IPEndPoint Client => Peer.ToEndPoint();

    /// <summary>The persistence template that controls this entry (released when it ends); null when not persistent.</summary>
    public PersistenceTemplate? Template { get; }

    /// <summary>Counted as active (ActiveConn) rather than inactive (InActConn).</summary>
    public bool Active { get; private set; }

    public abstract LvsProtocol Protocol { get; }

    /// <summary>The IPVS name of the state (ESTABLISHED, FIN_WAIT, TIME_WAIT, CLOSE, UDP).</summary>
    public abstract string State { get; }

    /// <summary>How long the entry may stay idle in its present state, from the director's timeouts.</summary>
    public abstract TimeSpan IdleTimeout(LvsTimeouts timeouts);

    public long LastActivity => Volatile.Read(ref _lastActivity);

    /// <summary>The table this entry is in (set when added).</summary>
    internal ConnectionTable? Table { get; set; }

    /// <summary>The second the table's <see cref="ExpiryWheel"/> checks this entry (0: not on the wheel); guarded by the wheel.</summary>
    public long WheelSecond { get; set; }

    /// <summary>The entry's state changed: a shorter timeout must be checked sooner.</summary>
    protected void StateChanged() => Table?.Reschedule(this);

    public void Touch() => Volatile.Write(ref _lastActivity, Environment.TickCount64);

    /// <summary>Moves the entry between ActiveConn and InActConn.</summary>
    protected void SetActive(bool active)
    {
        lock (this)
        {
            if (Active == active || Volatile.Read(ref _unbound) != 0) return;
            Active = active;
            RealServer.Destination.SetConnectionActive(active);
        }
    }

    /// <summary>Takes the entry out of its destination's counters; idempotent, and nothing once handed over.</summary>
    protected void Unbind()
    {
        lock (this)
        {
            if (Interlocked.Exchange(ref _unbound, 1) != 0) return;
            Release(Service, RealServer, Active, Template);
        }
    }

    /// <summary>
    /// Hands the job of leaving the destination's counters to whoever keeps the entry from now on (the table's
    /// TIME_WAIT records); false when the entry has already left them.
    /// </summary>
    internal bool TryHandOver()
    {
        lock (this)
        {
            return Interlocked.CompareExchange(ref _unbound, 2, 0) == 0;
        }
    }

    /// <summary>What leaving the counters means (ip_vs_conn.c ip_vs_unbind_dest, and the template's reference).</summary>
    internal static void Release(ManagedService service, RealServerRuntime realServer, bool active, PersistenceTemplate? template)
    {
        realServer.Destination.UnbindConnection(active);
        if (template is not null) realServer.Group.Scheduling.Release(template);
    }

    public void AddIn(long packets, long bytes)
    {
        Service.Stats.AddIn(packets, bytes);
        RealServer.Stats.AddIn(packets, bytes);
    }

    public void AddOut(long packets, long bytes)
    {
        Service.Stats.AddOut(packets, bytes);
        RealServer.Stats.AddOut(packets, bytes);
    }

    /// <summary>Brings packet counters up to date (TCP reads TCP_INFO); called by the estimator tick.</summary>
    public virtual void Sample() { }

    /// <summary>Brings <see cref="LastActivity"/> up to date before the entry is judged idle, for an entry whose activity
    /// the engine does not see as it happens (a TCP connection on the fast path); nothing by default.</summary>
    public virtual void CatchUp() { }

    /// <summary>Ends the entry: closes what it holds and leaves the destination's counters. Called once by the table.</summary>
    public abstract void Expire();

    public LvsConnection ToModel(LvsTimeouts timeouts, long now) =>
        ToModel(Protocol, Client, Service, RealServer, State, IdleTimeout(timeouts) - TimeSpan.FromMilliseconds(now - LastActivity), Active);

    /// <summary>An entry as the model lists it (ipvsadm -L -c), from a live entry or a TIME_WAIT record.</summary>
    internal static LvsConnection ToModel(LvsProtocol protocol, IPEndPoint client, ManagedService service, RealServerRuntime realServer,
        string state, TimeSpan left, bool active) => new()
    {
        Protocol = protocol,
        ClientAddress = client.Address.ToString(),
        ClientPort = (ushort)client.Port,
        VirtualAddress = service.Settings.Id.Address!.ToString(),
        VirtualPort = service.Settings.Id.Port,
        DestinationAddress = realServer.EndPoint.Address.ToString(),
        DestinationPort = (ushort)realServer.EndPoint.Port,
        State = state,
        ExpiresSeconds = left < TimeSpan.Zero ? 0 : (uint)Math.Ceiling(left.TotalSeconds),
        Active = active,
    };
}

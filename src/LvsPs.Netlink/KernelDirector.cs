using LvsPs.Interop;
using LvsPs.Model;
using LvsPs.Netlink.Ipvs;
using LvsPs.Netlink.Protocol;
using LvsPs.Netlink.Transport;

namespace LvsPs.Netlink;

/// <summary>
/// Kernel IPVS as a director backend, over generic netlink (what ipvsadm does through libipvs). It keeps one netlink
/// socket, opened in the target network namespace (a socket stays in the namespace it was made in, so it is used from
/// any thread afterwards) and shared by every call under a lock. Each request goes through one helper
/// (<see cref="Exchange"/>): build, send, check the reply's status. The IPVS family is resolved by name when the socket
/// is opened; a reloaded ip_vs module has a new family id, and a request to the old one fails with ENOENT
/// (genl_rcv_msg in net/netlink/genetlink.c finds no family), so on ENOENT the family is resolved again and the call
/// made once more on a new socket. A set of changes goes out in batches, and a listing is one service dump plus one
/// destination dump per service. Every single request is atomic in the kernel; a batch that fails part-way is rolled back.
/// </summary>
public sealed class KernelDirector : IDirectorBackend, IDirectorBatch, IFtpHelperCheck
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();
    private GenericNetlinkConnection? _connection;
    private bool _disposed;

    /// <summary>Targets the kernel of this process's network namespace, or of the named one (/run/netns/NAME).</summary>
    public KernelDirector(string? networkNamespace = null)
    {
        NetworkNamespace = networkNamespace;
        if (networkNamespace is not null) Transport.NetworkNamespace.PathOf(networkNamespace);
        Run(_ => 0); // fail now, not on first use, when IPVS or the namespace is missing
    }

    /// <summary>The network namespace this director targets; null for the caller's own.</summary>
    public string? NetworkNamespace { get; }

    private string Target => NetworkNamespace is null ? "the host's network namespace" : $"network namespace '{NetworkNamespace}'";

    public DirectorInfo GetInfo()
    {
        return Run(c =>
        {
            var info = First(Exchange(c, IpvsCommand.GetInfo, new IpvsRequestContext("Get IPVS info"))!, "Get IPVS info").Attributes;
            var services = DumpServices(c);
            int realServers = 0;
            foreach (var s in services) realServers += DumpDestinations(c, s.Settings.Id).Count;
            return new DirectorInfo
            {
                Kind = DirectorKind.Kernel,
                Target = NetworkNamespace ?? "host",
                Version = IpvsCodec.VersionText(info.U32((ushort)InfoAttribute.Version) ?? 0),
                ConnectionTableSize = (int)(info.U32((ushort)InfoAttribute.ConnectionTableSize) ?? 0),
                Running = true,
                VirtualServiceCount = services.Count,
                RealServerCount = realServers,
                ConnectionCount = ReadConnections().Count,
                Schedulers = KernelSchedulers.Available(),
            };
        });
    }

    /// <summary>
    /// What kernel IPVS lacks for FTP through a TCP service that has the FTP helper or a port ip_vs_ftp inspects
    /// (<see cref="KernelFtpCheck"/>: modules are not per network namespace, so the host's tree answers for every one).
    /// </summary>
    public IReadOnlyList<KernelFtpFinding> CheckFtpHelper(VirtualServiceId service)
    {
        if (service.Protocol != LvsProtocol.Tcp || GetService(service) is not { } s) return Array.Empty<KernelFtpFinding>();
        var check = new KernelFtpCheck();
        bool ftp = s.Settings.Helper == ApplicationHelper.Ftp || check.Ports.Contains(service.Port);
        return ftp ? check.Check(s.Settings, s.RealServers.Select(r => r.Settings)) : Array.Empty<KernelFtpFinding>();
    }

    public IReadOnlyList<VirtualService> GetServices() => Run(c =>
    {
        var list = new List<VirtualService>();
        foreach (var (settings, stats) in DumpServices(c))
        {
            list.Add(new VirtualService(settings, DumpDestinations(c, settings.Id), stats));
        }
        return (IReadOnlyList<VirtualService>)list;
    });

    public VirtualService? GetService(VirtualServiceId id) => Run(c =>
    {
        var messages = Exchange(c, IpvsCommand.GetService, new IpvsRequestContext("Get virtual service", id), w => IpvsCodec.WriteServiceKey(w, id), absentIsNull: true);
        if (messages is null) return null;
        var svc = messages.Single().Attributes.Nested((ushort)IpvsCommandAttribute.Service) ?? throw new InvalidDataException("GET_SERVICE reply without a service.");
        var (settings, stats) = IpvsCodec.ReadService(svc);
        return new VirtualService(settings, DumpDestinations(c, settings.Id), stats);
    });

    public void AddService(VirtualServiceSettings settings)
    {
        settings.Validate();
        ConnectionFeatures.RequireManaged(settings);
        Request(IpvsCommand.NewService, w => IpvsCodec.WriteService(w, settings), new IpvsRequestContext("Add virtual service", settings.Id, Settings: settings));
    }

    public void EditService(VirtualServiceSettings settings)
    {
        settings.Validate();
        ConnectionFeatures.RequireManaged(settings);
        Request(IpvsCommand.SetService, w => IpvsCodec.WriteService(w, settings), new IpvsRequestContext("Edit virtual service", settings.Id, Settings: settings));
    }

    public void DeleteService(VirtualServiceId id) =>
        Request(IpvsCommand.DeleteService, w => IpvsCodec.WriteServiceKey(w, id), new IpvsRequestContext("Delete virtual service", id));

    public void Flush() => Request(IpvsCommand.Flush, _ => { }, new IpvsRequestContext("Flush"));

    public void AddRealServer(VirtualServiceId service, RealServerSettings settings)
    {
        settings.Validate();
        ConnectionFeatures.RequireManaged(settings);
        Request(IpvsCommand.NewDestination, w => WriteDestination(w, service, settings), new IpvsRequestContext("Add real server", service, settings.Id));
    }

    public void EditRealServer(VirtualServiceId service, RealServerSettings settings)
    {
        settings.Validate();
        ConnectionFeatures.RequireManaged(settings);
        Request(IpvsCommand.SetDestination, w => WriteDestination(w, service, settings), new IpvsRequestContext("Edit real server", service, settings.Id));
    }

    public void DeleteRealServer(VirtualServiceId service, RealServerId realServer) =>
        Request(IpvsCommand.DeleteDestination, w =>
        {
            IpvsCodec.WriteServiceKey(w, service);
            IpvsCodec.WriteDestinationKey(w, realServer);
        }, new IpvsRequestContext("Remove real server", service, realServer));

    public void ZeroStats(VirtualServiceId? service) =>
        Request(IpvsCommand.Zero, w => { if (service is not null) IpvsCodec.WriteServiceKey(w, service); }, new IpvsRequestContext("Zero counters", service));

    public LvsTimeouts GetTimeouts() => Run(c =>
    {
        var a = First(Exchange(c, IpvsCommand.GetConfig, new IpvsRequestContext("Get timeouts"))!, "Get timeouts").Attributes;
        return new LvsTimeouts(
            a.U32((ushort)IpvsCommandAttribute.TimeoutTcp) ?? 0,
            a.U32((ushort)IpvsCommandAttribute.TimeoutTcpFin) ?? 0,
            a.U32((ushort)IpvsCommandAttribute.TimeoutUdp) ?? 0);
    });

    public void SetTimeouts(LvsTimeouts timeouts)
    {
        ArgumentNullException.ThrowIfNull(timeouts);
        timeouts.ValidateChange();
        Request(IpvsCommand.SetConfig, w =>
        {
            // the kernel leaves a timeout alone when its attribute is absent (ip_vs_genl_set_config)
            if (timeouts.Tcp != 0) w.PutU32((ushort)IpvsCommandAttribute.TimeoutTcp, timeouts.Tcp);
            if (timeouts.TcpFin != 0) w.PutU32((ushort)IpvsCommandAttribute.TimeoutTcpFin, timeouts.TcpFin);
            if (timeouts.Udp != 0) w.PutU32((ushort)IpvsCommandAttribute.TimeoutUdp, timeouts.Udp);
        }, new IpvsRequestContext("Set timeouts"));
    }

    public IReadOnlyList<LvsConnection> GetConnections() => ReadConnections();

    public IReadOnlyList<SyncDaemon> GetSyncDaemons() => Run(c =>
    {
        return (IReadOnlyList<SyncDaemon>)Exchange(c, IpvsCommand.GetDaemon, new IpvsRequestContext("List sync daemons"), dump: true)!
            .Select(m => m.Attributes.Nested((ushort)IpvsCommandAttribute.Daemon))
            .Where(d => d is not null)
            .Select(d => IpvsCodec.ReadDaemon(d!))
            .OrderBy(d => d.Role)
            .ToList();
    });

    public void StartSyncDaemon(SyncDaemon daemon)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        if (string.IsNullOrEmpty(daemon.Interface) || daemon.Interface.Length >= Protocol.IpvsConstants.NameMaxLength)
        {
            throw LvsException.InvalidArgument("InvalidInterface", $"Interface name '{ValueText.Cut(daemon.Interface)}' is not valid; allowed: 1..15 characters.", daemon.Interface);
        }
        if (daemon.GroupAddress is { } g && !(g.IsIPv6Multicast || (g.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && g.GetAddressBytes()[0] is >= 224 and <= 239)))
        {
            throw LvsException.InvalidArgument("InvalidMulticastGroup", $"Sync group '{g}' is not a multicast address.", g);
        }
        var context = new IpvsRequestContext($"Start {daemon.Role.ToString().ToLowerInvariant()} sync daemon");
        Request(IpvsCommand.NewDaemon, w => IpvsCodec.WriteDaemon(w, daemon), context, errno => errno == Errno.EEXIST
            ? new LvsException(LvsErrorKind.AlreadyExists, "SyncDaemonRunning", $"A {daemon.Role.ToString().ToLowerInvariant()} sync daemon is already running; stop it first.", daemon.Role)
            : null);
    }

    public void StopSyncDaemon(SyncDaemonRole role)
    {
        var context = new IpvsRequestContext($"Stop {role.ToString().ToLowerInvariant()} sync daemon");
        Request(IpvsCommand.DeleteDaemon, w => IpvsCodec.WriteDaemonRole(w, role), context, errno => errno == Errno.ESRCH
            ? new LvsException(LvsErrorKind.NotFound, "SyncDaemonNotRunning", $"No {role.ToString().ToLowerInvariant()} sync daemon is running.", role)
            : null);
    }

    /// <summary>
    /// Applies the changes in batches on one socket (up to <see cref="GenericNetlinkConnection.MaxBatchMessages"/> per
    /// send). When any fails, every change that succeeded is deleted again and the first failure is thrown.
    /// </summary>
    public void Apply(IReadOnlyList<DirectorChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var change in changes)
        {
            switch (change)
            {
                case DirectorChange.AddService s: ConnectionFeatures.RequireManaged(s.Settings.Validate()); break;
                case DirectorChange.AddRealServer r: ConnectionFeatures.RequireManaged(r.Settings.Validate()); break;
                case DirectorChange.EditService e: ConnectionFeatures.RequireManaged(e.New); break; // never dropped silently
                case DirectorChange.EditRealServer e: ConnectionFeatures.RequireManaged(e.New); break;
            }
        }
        Run(c =>
        {
            var applied = new List<DirectorChange>();
            LvsException? failure = null;
            SendBatches(c, changes, (change, errno) =>
            {
                if (errno == 0) applied.Add(change);
                else failure ??= KernelErrors.Map(errno, Context(change));
            });
            if (failure is null) return 0;
            // roll back: real servers of services that existed before, then the services this batch added
            var added = applied.OfType<DirectorChange.AddService>().Select(s => s.Settings.Id).ToHashSet();
            var undo = new List<DirectorChange>();
            undo.AddRange(applied.OfType<DirectorChange.AddRealServer>().Where(r => !added.Contains(r.Service)));
            undo.AddRange(applied.OfType<DirectorChange.AddService>());
            SendBatches(c, undo, (_, _) => { }, delete: true);
            throw failure;
        });
    }

    private static IpvsRequestContext Context(DirectorChange change) => change switch
    {
        DirectorChange.AddService s => new IpvsRequestContext("Add virtual service", s.Settings.Id, Settings: s.Settings),
        DirectorChange.AddRealServer r => new IpvsRequestContext("Add real server", r.Service, r.Settings.Id),
        _ => new IpvsRequestContext("Apply"),
    };

    private void SendBatches(GenericNetlinkConnection c, IReadOnlyList<DirectorChange> changes, Action<DirectorChange, int> result, bool delete = false)
    {
        var w = new MessageWriter(GenericNetlinkConnection.MaxBatchBytes + 1024);
        var pending = new List<DirectorChange>();
        bool first = true;
        void Flush()
        {
            if (pending.Count == 0) return;
            var replies = c.Exchange(w, pending.Count);
            // nothing was applied yet when the first batch all failed with ENOENT: a moved family is safe to retry
            if (first && Array.TrueForAll(replies, r => r.Errno == Errno.ENOENT)) ThrowIfFamilyMoved(c);
            first = false;
            for (int i = 0; i < pending.Count; i++) result(pending[i], replies[i].Errno);
            pending.Clear();
            w.Clear();
        }
        foreach (var change in changes)
        {
            switch (change)
            {
                case DirectorChange.AddService s:
                    {
                        int m = c.Begin(w, (byte)(delete ? IpvsCommand.DeleteService : IpvsCommand.NewService), Protocol.IpvsConstants.FamilyVersion, dump: false);
                        if (delete) IpvsCodec.WriteServiceKey(w, s.Settings.Id); else IpvsCodec.WriteService(w, s.Settings);
                        w.EndMessage(m);
                        break;
                    }
                case DirectorChange.AddRealServer r:
                    {
                        int m = c.Begin(w, (byte)(delete ? IpvsCommand.DeleteDestination : IpvsCommand.NewDestination), Protocol.IpvsConstants.FamilyVersion, dump: false);
                        IpvsCodec.WriteServiceKey(w, r.Service);
                        if (delete) IpvsCodec.WriteDestinationKey(w, r.Settings.Id); else IpvsCodec.WriteDestination(w, r.Settings);
                        w.EndMessage(m);
                        break;
                    }
            }
            pending.Add(change);
            if (pending.Count >= GenericNetlinkConnection.MaxBatchMessages || w.Length >= GenericNetlinkConnection.MaxBatchBytes) Flush();
        }
        Flush();
    }

    private static void WriteDestination(MessageWriter w, VirtualServiceId service, RealServerSettings settings)
    {
        IpvsCodec.WriteServiceKey(w, service);
        IpvsCodec.WriteDestination(w, settings);
    }

    private List<(VirtualServiceSettings Settings, LvsStats Stats)> DumpServices(GenericNetlinkConnection c) =>
        Dump(c, IpvsCommand.GetService, new IpvsRequestContext("List virtual services"), null,
            (NetlinkMessage m, out (VirtualServiceSettings Settings, LvsStats Stats) service) =>
            {
                var nested = m.Attributes.Nested((ushort)IpvsCommandAttribute.Service);
                service = nested is null ? default : IpvsCodec.ReadService(nested);
                return nested is not null;
            },
            s => s.Settings.Id, "the virtual services");

    private List<RealServer> DumpDestinations(GenericNetlinkConnection c, VirtualServiceId service) =>
        Dump(c, IpvsCommand.GetDestination, new IpvsRequestContext("List real servers", service), w => IpvsCodec.WriteServiceKey(w, service),
            (NetlinkMessage m, out RealServer realServer) =>
            {
                var nested = m.Attributes.Nested((ushort)IpvsCommandAttribute.Destination);
                realServer = nested is null ? null! : IpvsCodec.ReadDestination(nested, service);
                return nested is not null;
            },
            r => r.Id, $"the real servers of {service}");

    private static NetlinkMessage First(List<NetlinkMessage> messages, string operation) =>
        messages.Count > 0 ? messages[0] : throw new LvsException(LvsErrorKind.ProtocolError, "KernelNoReply", $"{operation}: the kernel sent no data.");

    /// <summary>
    /// The one request helper: <paramref name="command"/> with what <paramref name="attributes"/> writes, sent on
    /// <paramref name="c"/>, and its reply's status checked. A failure is what <paramref name="refuse"/> makes of the
    /// errno, or the kernel's error mapped with <paramref name="context"/>; with <paramref name="absentIsNull"/>, ESRCH or
    /// ENOENT (no such service or real server) is null instead. An ENOENT from a family that moved (ip_vs reloaded) is
    /// not the kernel's answer: the call is made again (<see cref="Run"/>).
    /// </summary>
    private List<NetlinkMessage>? Exchange(GenericNetlinkConnection c, IpvsCommand command, IpvsRequestContext context,
        Action<MessageWriter>? attributes = null, bool dump = false, Func<int, LvsException?>? refuse = null, bool absentIsNull = false)
    {
        var w = Build(c, command, attributes, dump);
        return Send(c, w, context, refuse, absentIsNull)?.Messages;
    }

    /// <summary>
    /// A dump read until it is a whole table (<see cref="ConsistentDump"/>: IPVS resumes a dump at an index and never
    /// flags one that the table's changes tore), the same request sent again for each read.
    /// </summary>
    private List<T> Dump<T, TKey>(GenericNetlinkConnection c, IpvsCommand command, IpvsRequestContext context, Action<MessageWriter>? attributes,
        ConsistentDump.TryDecode<T> decode, Func<T, TKey> key, string what)
        where TKey : notnull
    {
        var w = Build(c, command, attributes, dump: true);
        return ConsistentDump.Read(() => Send(c, w, context, refuse: null, absentIsNull: false)!, decode, key, what);
    }

    private static MessageWriter Build(GenericNetlinkConnection c, IpvsCommand command, Action<MessageWriter>? attributes, bool dump)
    {
        var w = new MessageWriter(256);
        int m = c.Begin(w, (byte)command, Protocol.IpvsConstants.FamilyVersion, dump);
        attributes?.Invoke(w);
        w.EndMessage(m);
        return w;
    }

    /// <summary>Sends the request in <paramref name="w"/> and checks its reply's status (see <see cref="Exchange"/>).</summary>
    private Reply? Send(GenericNetlinkConnection c, MessageWriter w, IpvsRequestContext context, Func<int, LvsException?>? refuse, bool absentIsNull)
    {
        var reply = c.Exchange(w, 1)[0];
        if (reply.Errno == 0) return reply;
        if (reply.Errno == Errno.ENOENT) ThrowIfFamilyMoved(c);
        if (absentIsNull && reply.Errno is Errno.ESRCH or Errno.ENOENT) return null;
        throw refuse?.Invoke(reply.Errno) ?? KernelErrors.Map(reply.Errno, context);
    }

    /// <summary>A request whose answer is only its status (a change).</summary>
    private void Request(IpvsCommand command, Action<MessageWriter> attributes, IpvsRequestContext context, Func<int, LvsException?>? refuse = null) =>
        Run(c => Exchange(c, command, context, attributes, refuse: refuse));

    /// <summary>The connection table, read from /proc inside the target namespace (the only call that enters it on a thread of its own).</summary>
    private IReadOnlyList<LvsConnection> ReadConnections() => Transport.NetworkNamespace.Run(NetworkNamespace, () =>
    {
        // /proc/thread-self/net shows the calling thread's network namespace (this runs on the namespace's thread)
        string path = File.Exists("/proc/thread-self/net/ip_vs_conn") ? "/proc/thread-self/net/ip_vs_conn" : ProcConnectionTable.Path;
        return ProcConnectionTable.Parse(File.ReadAllText(path));
    });

    /// <summary>A socket in the target namespace with the IPVS family resolved by name.</summary>
    private GenericNetlinkConnection Open() => Transport.NetworkNamespace.Run(NetworkNamespace, () =>
    {
        try
        {
            return GenericNetlinkConnection.Open(Protocol.IpvsConstants.FamilyName, ReceiveTimeout);
        }
        catch (NetlinkException e)
        {
            throw KernelErrors.Connect(e, Target);
        }
    });

    /// <summary>
    /// After an ENOENT: resolves the family again. The same id means the ENOENT was IPVS's own answer; another id means
    /// ip_vs was reloaded (<see cref="FamilyMovedException"/> carries the new socket); none means it is not loaded now
    /// (KernelIpvsUnavailable).
    /// </summary>
    private void ThrowIfFamilyMoved(GenericNetlinkConnection c)
    {
        var fresh = Open();
        if (fresh.FamilyId != c.FamilyId) throw new FamilyMovedException(fresh);
        fresh.Dispose();
    }

    private sealed class FamilyMovedException(GenericNetlinkConnection fresh) : Exception("The IPVS generic netlink family has a new id.")
    {
        public GenericNetlinkConnection Fresh { get; } = fresh;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the director's socket (opened on first use, or again after it broke), one call at
    /// a time. When the IPVS family moved, the work runs once more on a socket with the new id.
    /// </summary>
    private T Run<T>(Func<GenericNetlinkConnection, T> work)
    {
        lock (_gate)
        {
            for (int attempt = 0; ; attempt++)
            {
                var c = _connection ?? Open();
                if (!_disposed) _connection = c; // after Dispose a call still works, on a socket of its own
                try
                {
                    return work(c);
                }
                catch (FamilyMovedException moved)
                {
                    Drop(c);
                    if (_disposed) moved.Fresh.Dispose();
                    else _connection = moved.Fresh;
                    if (attempt > 0) throw new LvsException(LvsErrorKind.ProtocolError, "NetlinkError", $"Netlink failed in {Target}: the IPVS family moved again during the call.", NetworkNamespace);
                }
                catch (LvsException e) when (e.ErrorId == "KernelIpvsUnavailable")
                {
                    Drop(c); // ip_vs is gone: the next call resolves the family again
                    throw;
                }
                catch (NetlinkException e) when (e.Errno == Errno.EAGAIN)
                {
                    // the table kept changing while it was read (ConsistentDump): the socket is fine, the listing is refused
                    throw new LvsException(LvsErrorKind.ResourceBusy, "KernelTableChanging", $"{e.Message} ({Target})", NetworkNamespace, e);
                }
                catch (NetlinkException e)
                {
                    Drop(c);
                    throw new LvsException(LvsErrorKind.ProtocolError, "NetlinkError", $"Netlink failed in {Target}: {e.Message}", NetworkNamespace, e);
                }
                catch (InvalidDataException e)
                {
                    Drop(c);
                    throw new LvsException(LvsErrorKind.ProtocolError, "NetlinkMalformedReply", $"The kernel's reply could not be read: {e.Message}", NetworkNamespace, e);
                }
                finally
                {
                    if (_disposed && !ReferenceEquals(c, _connection)) c.Dispose();
                }
            }
        }
    }

    /// <summary>Forgets a socket that failed (a timed-out reply may still be on its way): the next call opens a new one.</summary>
    private void Drop(GenericNetlinkConnection c)
    {
        if (ReferenceEquals(_connection, c)) _connection = null;
        c.Dispose();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _connection?.Dispose();
            _connection = null;
        }
    }
}

using LvsPs.Model;
using LvsPs.Netlink.Ipvs;
using LvsPs.Netlink.Protocol;
using LvsPs.Netlink.Transport;

namespace LvsPs.Netlink;

/// <summary>
/// Kernel IPVS as a director backend, over generic netlink (what ipvsadm does through libipvs). Each operation opens a
/// socket in the target network namespace and resolves the IPVS family by name, so a reloaded ip_vs module (with a new
/// family id) is always found; a set of changes goes out in batches on one socket, and a listing is one service dump
/// plus one destination dump per service on one socket. Every single request is atomic in the kernel; a batch that
/// fails part-way is rolled back.
/// </summary>
public sealed class KernelDirector : IDirectorBackend, IDirectorBatch, IFtpHelperCheck
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(30);

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
            var w = new MessageWriter(64);
            w.EndMessage(c.Begin(w, (byte)IpvsCommand.GetInfo, Protocol.IpvsConstants.FamilyVersion, dump: false));
            var info = Single(c, w, new IpvsRequestContext("Get IPVS info")).Attributes;
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
                ConnectionCount = ReadConnectionsHere().Count,
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
        var w = new MessageWriter(128);
        int m = c.Begin(w, (byte)IpvsCommand.GetService, Protocol.IpvsConstants.FamilyVersion, dump: false);
        IpvsCodec.WriteServiceKey(w, id);
        w.EndMessage(m);
        var reply = c.Exchange(w, 1)[0];
        if (reply.Errno == Libc.ESRCH || reply.Errno == Libc.ENOENT) return null;
        if (reply.Errno != 0) throw KernelErrors.Map(reply.Errno, new IpvsRequestContext("Get virtual service", id));
        var svc = reply.Messages.Single().Attributes.Nested((ushort)IpvsCommandAttribute.Service) ?? throw new InvalidDataException("GET_SERVICE reply without a service.");
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
        var w = new MessageWriter(64);
        w.EndMessage(c.Begin(w, (byte)IpvsCommand.GetConfig, Protocol.IpvsConstants.FamilyVersion, dump: false));
        var a = Single(c, w, new IpvsRequestContext("Get timeouts")).Attributes;
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

    public IReadOnlyList<LvsConnection> GetConnections() => Run(_ => ReadConnectionsHere());

    public IReadOnlyList<SyncDaemon> GetSyncDaemons() => Run(c =>
    {
        var w = new MessageWriter(64);
        w.EndMessage(c.Begin(w, (byte)IpvsCommand.GetDaemon, Protocol.IpvsConstants.FamilyVersion, dump: true));
        var reply = c.Exchange(w, 1)[0];
        if (reply.Errno != 0) throw KernelErrors.Map(reply.Errno, new IpvsRequestContext("List sync daemons"));
        return (IReadOnlyList<SyncDaemon>)reply.Messages
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
        Run(c =>
        {
            var w = new MessageWriter(128);
            int m = c.Begin(w, (byte)IpvsCommand.NewDaemon, Protocol.IpvsConstants.FamilyVersion, dump: false);
            IpvsCodec.WriteDaemon(w, daemon);
            w.EndMessage(m);
            int errno = c.Exchange(w, 1)[0].Errno;
            if (errno == Libc.EEXIST)
            {
                throw new LvsException(LvsErrorKind.AlreadyExists, "SyncDaemonRunning", $"A {daemon.Role.ToString().ToLowerInvariant()} sync daemon is already running; stop it first.", daemon.Role);
            }
            if (errno != 0) throw KernelErrors.Map(errno, context);
            return 0;
        });
    }

    public void StopSyncDaemon(SyncDaemonRole role)
    {
        var context = new IpvsRequestContext($"Stop {role.ToString().ToLowerInvariant()} sync daemon");
        Run(c =>
        {
            var w = new MessageWriter(64);
            int m = c.Begin(w, (byte)IpvsCommand.DeleteDaemon, Protocol.IpvsConstants.FamilyVersion, dump: false);
            IpvsCodec.WriteDaemonRole(w, role);
            w.EndMessage(m);
            int errno = c.Exchange(w, 1)[0].Errno;
            if (errno == Libc.ESRCH)
            {
                throw new LvsException(LvsErrorKind.NotFound, "SyncDaemonNotRunning", $"No {role.ToString().ToLowerInvariant()} sync daemon is running.", role);
            }
            if (errno != 0) throw KernelErrors.Map(errno, context);
            return 0;
        });
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

    private static void SendBatches(GenericNetlinkConnection c, IReadOnlyList<DirectorChange> changes, Action<DirectorChange, int> result, bool delete = false)
    {
        var w = new MessageWriter(GenericNetlinkConnection.MaxBatchBytes + 1024);
        var pending = new List<DirectorChange>();
        void Flush()
        {
            if (pending.Count == 0) return;
            var replies = c.Exchange(w, pending.Count);
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

    private List<(VirtualServiceSettings Settings, LvsStats Stats)> DumpServices(GenericNetlinkConnection c)
    {
        var w = new MessageWriter(64);
        w.EndMessage(c.Begin(w, (byte)IpvsCommand.GetService, Protocol.IpvsConstants.FamilyVersion, dump: true));
        var reply = c.Exchange(w, 1)[0];
        if (reply.Errno != 0) throw KernelErrors.Map(reply.Errno, new IpvsRequestContext("List virtual services"));
        var list = new List<(VirtualServiceSettings, LvsStats)>(reply.Messages.Count);
        foreach (var m in reply.Messages)
        {
            if (m.Attributes.Nested((ushort)IpvsCommandAttribute.Service) is { } svc) list.Add(IpvsCodec.ReadService(svc));
        }
        return list;
    }

    private static List<RealServer> DumpDestinations(GenericNetlinkConnection c, VirtualServiceId service)
    {
        var w = new MessageWriter(128);
        int m = c.Begin(w, (byte)IpvsCommand.GetDestination, Protocol.IpvsConstants.FamilyVersion, dump: true);
        IpvsCodec.WriteServiceKey(w, service);
        w.EndMessage(m);
        var reply = c.Exchange(w, 1)[0];
        if (reply.Errno != 0) throw KernelErrors.Map(reply.Errno, new IpvsRequestContext("List real servers", service));
        var list = new List<RealServer>(reply.Messages.Count);
        foreach (var msg in reply.Messages)
        {
            if (msg.Attributes.Nested((ushort)IpvsCommandAttribute.Destination) is { } d) list.Add(IpvsCodec.ReadDestination(d, service));
        }
        return list;
    }

    private static NetlinkMessage Single(GenericNetlinkConnection c, MessageWriter w, IpvsRequestContext context)
    {
        var reply = c.Exchange(w, 1)[0];
        if (reply.Errno != 0) throw KernelErrors.Map(reply.Errno, context);
        return reply.Messages.Count > 0 ? reply.Messages[0] : throw new LvsException(LvsErrorKind.ProtocolError, "KernelNoReply", $"{context.Operation}: the kernel sent no data.");
    }

    private void Request(IpvsCommand command, Action<MessageWriter> attributes, IpvsRequestContext context) => Run(c =>
    {
        var w = new MessageWriter(256);
        int m = c.Begin(w, (byte)command, Protocol.IpvsConstants.FamilyVersion, dump: false);
        attributes(w);
        w.EndMessage(m);
        int errno = c.Exchange(w, 1)[0].Errno;
        if (errno != 0) throw KernelErrors.Map(errno, context);
        return 0;
    });

    private static IReadOnlyList<LvsConnection> ReadConnectionsHere()
    {
        // /proc/thread-self/net shows the calling thread's network namespace (this runs on the namespace's thread)
        string path = File.Exists("/proc/thread-self/net/ip_vs_conn") ? "/proc/thread-self/net/ip_vs_conn" : ProcConnectionTable.Path;
        return ProcConnectionTable.Parse(File.ReadAllText(path));
    }

    /// <summary>Runs <paramref name="work"/> with a fresh IPVS connection inside the target namespace.</summary>
    private T Run<T>(Func<GenericNetlinkConnection, T> work) => Transport.NetworkNamespace.Run(NetworkNamespace, () =>
    {
        GenericNetlinkConnection c;
        try
        {
            c = GenericNetlinkConnection.Open(Protocol.IpvsConstants.FamilyName, ReceiveTimeout);
        }
        catch (NetlinkException e)
        {
            throw KernelErrors.Connect(e, Target);
        }
        using (c)
        {
            try
            {
                return work(c);
            }
            catch (NetlinkException e)
            {
                throw new LvsException(LvsErrorKind.ProtocolError, "NetlinkError", $"Netlink failed in {Target}: {e.Message}", NetworkNamespace, e);
            }
            catch (InvalidDataException e)
            {
                throw new LvsException(LvsErrorKind.ProtocolError, "NetlinkMalformedReply", $"The kernel's reply could not be read: {e.Message}", NetworkNamespace, e);
            }
        }
    });

    public void Dispose()
    {
        // nothing is held between operations
    }
}

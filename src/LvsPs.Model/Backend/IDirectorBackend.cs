namespace LvsPs.Model;

/// <summary>
/// Everything a director can be asked to do: the operations of ipvsadm. The cmdlets talk to a director only through
/// this interface, so the managed engine, kernel IPVS and a director service in another process are interchangeable.
/// Every mutating call either applies completely or throws an <see cref="LvsException"/> and leaves state unchanged.
/// </summary>
public interface IDirectorBackend : IDisposable
{
    DirectorInfo GetInfo();

    /// <summary>All virtual services with their real servers, in the director's order (ipvsadm -L).</summary>
    IReadOnlyList<VirtualService> GetServices();

    /// <summary>One virtual service, or null when there is none with that identity.</summary>
    VirtualService? GetService(VirtualServiceId id);

    /// <summary>Creates a virtual service (ipvsadm -A). Throws AlreadyExists for a duplicate.</summary>
    void AddService(VirtualServiceSettings settings);

    /// <summary>Changes a virtual service's settings in place (ipvsadm -E); its real servers and connections stay.</summary>
    void EditService(VirtualServiceSettings settings);

    /// <summary>Deletes a virtual service (ipvsadm -D).</summary>
    void DeleteService(VirtualServiceId id);

    /// <summary>Deletes every virtual service (ipvsadm -C).</summary>
    void Flush();

    /// <summary>Adds a real server (ipvsadm -a).</summary>
    void AddRealServer(VirtualServiceId service, RealServerSettings settings);

    /// <summary>Changes a real server in place (ipvsadm -e); established connections continue.</summary>
    void EditRealServer(VirtualServiceId service, RealServerSettings settings);

    /// <summary>Removes a real server (ipvsadm -d); its established connections are allowed to finish.</summary>
    void DeleteRealServer(VirtualServiceId service, RealServerId realServer);

    /// <summary>Zeroes counters of one service, or of all when <paramref name="service"/> is null (ipvsadm -Z).</summary>
    void ZeroStats(VirtualServiceId? service);

    LvsTimeouts GetTimeouts();

    /// <summary>Sets timeouts; a 0 field leaves that timeout unchanged.</summary>
    void SetTimeouts(LvsTimeouts timeouts);

    /// <summary>The connection table (ipvsadm -L -c).</summary>
    IReadOnlyList<LvsConnection> GetConnections();

    IReadOnlyList<SyncDaemon> GetSyncDaemons();

    void StartSyncDaemon(SyncDaemon daemon);

    void StopSyncDaemon(SyncDaemonRole role);
}

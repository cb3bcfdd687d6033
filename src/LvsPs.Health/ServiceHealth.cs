using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.Health;

/// <summary>One virtual service's check, sorry server and checked real servers (oldest first, as they were added).</summary>
internal sealed class ServiceHealth : IDisposable
{
    public ServiceHealth(VirtualServiceId id, HealthCheckSettings check)
    {
        Id = id;
        Check = check;
    }

    public VirtualServiceId Id { get; }

    public HealthCheckSettings Check { get; set; }

    public RealServerSettings? SorryServer { get; set; }

    /// <summary>True while the sorry server is in the service.</summary>
    public bool SorryActive { get; set; }

    public List<ServerHealth> Servers { get; } = new();

    public ITimer? Timer { get; set; }

    /// <summary>Held while a round of checks runs, so rounds never overlap.</summary>
    public SemaphoreSlim Round { get; } = new(1, 1);

    public ServerHealth? Find(RealServerId id) => Servers.Find(s => s.Desired.Id == id);

    public bool AllDown => Servers.Count > 0 && Servers.TrueForAll(s => s.Down);

    public void Dispose() => Timer?.Dispose();
}

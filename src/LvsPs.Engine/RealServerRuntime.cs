using System.Net;
using LvsPs.Engine.Stats;
using LvsPs.Scheduling;

namespace LvsPs.Engine;

/// <summary>What the engine keeps per real server beside the scheduler's <see cref="Destination"/>: where it is, its
/// group and its counters.</summary>
internal sealed class RealServerRuntime
{
    public RealServerRuntime(Destination destination, ServiceGroup group)
    {
        Destination = destination;
        Group = group;
        EndPoint = new IPEndPoint(destination.Id.Address, destination.Id.Port);
    }

    public Destination Destination { get; }

    /// <summary>The group whose scheduler holds the destination (and its persistence templates).</summary>
    public ServiceGroup Group { get; }

    public IPEndPoint EndPoint { get; }

    public StatsCounters Stats { get; } = new();

    public static RealServerRuntime Of(Destination d) => (RealServerRuntime)d.Tag!;
}

using LvsPs.Scheduling.Persistence;

namespace LvsPs.Engine;

/// <summary>What <see cref="ManagedService.Schedule(in Loop.PeerAddress)"/> chose: the real server, the persistence template behind the choice (if any), and whether it is a one-packet flow.</summary>
internal sealed record ScheduledServer(RealServerRuntime RealServer, PersistenceTemplate? Template, bool OnePacket);

using LvsPs.Engine.Connections;
using LvsPs.Engine.Helpers;
using LvsPs.Engine.Loop;
using LvsPs.Engine.Stats;
using LvsPs.Engine.Tcp;
using LvsPs.Model;

namespace LvsPs.Engine;

/// <summary>
/// What every part of one <see cref="ManagedDirector"/>'s engine shares, passed as one object instead of one argument
/// each: its options, its connection table, its rate estimator (where counters are registered), its event loops and
/// the application helpers. It also chooses the transport once: relays on the director's own epoll threads, or .NET's
/// asynchronous socket operations.
/// </summary>
internal sealed class EngineContext : IDisposable
{
    public EngineContext(ManagedDirectorOptions options, Func<LvsTimeouts> timeouts, ApplicationHelperRegistry helpers)
    {
        Options = options;
        Helpers = helpers;
        Table = new ConnectionTable(timeouts);
        Estimator = new RateEstimator(Table.SampleAll, options.RunEstimator);
        // the transport, chosen here once: epoll threads on Linux unless told otherwise, else .NET's async sockets
        Loops = options.UseEventLoop ? EventLoopGroup.Create(Math.Max(1, Environment.ProcessorCount)) : null;
        // TCP relays on the loops splice(2) through pipes: without pipes they take the asynchronous path
        TcpLoops = Loops is not null && SplicePipe.Probe() ? Loops : null;
        // and how plain TCP relays move their bytes: the BPF sockmap fast path where it loads, else splice on the loops
        (FastPath, RelayPath, RelayPathReason) = RelayPathChoice.Choose(options, TcpLoops);
    }

    public ManagedDirectorOptions Options { get; }

    /// <summary>Every connection and flow of the director.</summary>
    public ConnectionTable Table { get; }

    /// <summary>The 2-second rate estimator the services' and real servers' counters are registered with.</summary>
    public RateEstimator Estimator { get; }

    /// <summary>The director's event loops (UDP services and TCP relays); null: .NET's asynchronous socket operations.</summary>
    public EventLoopGroup? Loops { get; }

    /// <summary>The loops TCP connections are accepted and relayed on; null: TCP takes the asynchronous path.</summary>
    public EventLoopGroup? TcpLoops { get; }

    /// <summary>The BPF sockmap that relays plain TCP connections inside the kernel; null: they are spliced (or async).</summary>
    public Bpf.SockmapFastPath? FastPath { get; }

    /// <summary>How plain TCP connections are relayed: "sockmap", "splice" or "async" (<see cref="RelayPathChoice"/>).</summary>
    public string RelayPath { get; }

    /// <summary>Why <see cref="RelayPath"/> is what it is.</summary>
    public string RelayPathReason { get; }

    /// <summary>The application helpers (FTP) a service's settings can name.</summary>
    public ApplicationHelperRegistry Helpers { get; }

    /// <summary>Stops the estimator, resets every connection, closes the fast path (each connection took its sockets off
    /// its map as it ended), then stops the loops (after the relays they drive).</summary>
    public void Dispose()
    {
        Estimator.Dispose();
        Table.Dispose();
        FastPath?.Dispose();
        Loops?.Dispose();
    }
}

using System.Net;
using System.Runtime.InteropServices;
using LvsPs.DirectorService.Metrics;
using LvsPs.DirectorService.Status;
using LvsPs.Engine;
using LvsPs.Directors;
using LvsPs.Health;
using LvsPs.Model;
using LvsPs.Remote;

namespace LvsPs.DirectorService;

/// <summary>
/// lvsps director service. Runs in the foreground (for systemd) until SIGTERM or SIGINT:
///   LvsPs.DirectorService [--socket PATH] [--state PATH] [--metrics ADDRESS:PORT|off] [--backend managed|kernel|kernel:NS] [--start-empty] [--node NAME] [--take-over]
///                         [--status-page off|on|ADDRESS:PORT] [--status-actions off|on] [--status-token-file PATH]
/// It restores its configuration from the state file, runs the health checks, serves the control socket, saves the
/// configuration after every change before it answers, and serves Prometheus metrics (default 127.0.0.1:9469). It
/// hosts the managed engine, or drives kernel IPVS with --backend kernel. The status page (Status/) is off by default.
/// SIGHUP (or the Restart operation) restarts it without a refused connection: a new process with the same command line
/// and --take-over adopts the listening sockets (Restart/), the old one finishes its connections and exits.
/// </summary>
public static class Program
{
    private const string DefaultMetrics = "127.0.0.1:9469";
    private const string Usage = "usage: LvsPs.DirectorService [--socket PATH] [--state PATH] [--metrics ADDRESS:PORT|off] [--backend managed|kernel|kernel:NAMESPACE] [--start-empty] [--node NAME] [--take-over] [--fast-path auto|off] " + StatusPageOptions.Usage;

    public static int Main(string[] args)
    {
        string socketPath = DirectorSocket.DefaultPath;
        string? statePath = null;
        string metrics = DefaultMetrics;
        string backend = "managed";
        bool startEmpty = false;
        bool takeOver = false;
        var fastPath = LvsPs.Engine.FastPath.Auto; // the sockmap where bpf(2) is allowed, unless --fast-path off (ManagedDirectorOptions.FastPath)
        var statusArgs = new List<KeyValuePair<string, string>>();
        string node = Environment.MachineName;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--socket" when i + 1 < args.Length: socketPath = args[++i]; break;
                case "--state" when i + 1 < args.Length: statePath = args[++i]; break;
                case "--metrics" when i + 1 < args.Length: metrics = args[++i]; break;
                case "--backend" when i + 1 < args.Length: backend = args[++i].ToLowerInvariant(); break;
                case "--start-empty": startEmpty = true; break;
                case "--take-over": takeOver = true; break;
                case "--fast-path" when i + 1 < args.Length:
                    string value = args[++i];
                    if (!Enum.TryParse(value, ignoreCase: true, out fastPath) || !Enum.IsDefined(fastPath) || value.Any(char.IsDigit))
                    {
                        Console.Error.WriteLine($"LvsPs.DirectorService: --fast-path '{(value.Length > 40 ? value[..40] + "..." : value)}' is not auto or off");
                        return 2;
                    }
                    break;
                case var name when StatusPageOptions.Names.Contains(name) && i + 1 < args.Length: statusArgs.Add(new(name, args[++i])); break;
                case "--node" when i + 1 < args.Length: node = args[++i]; break;
                case "-h" or "--help":
                    Console.WriteLine(Usage);
                    return 0;
                default:
                    Console.Error.WriteLine($"LvsPs.DirectorService: unknown argument '{args[i]}'; {Usage}");
                    return 2;
            }
        }
        statePath ??= Path.Combine(Path.GetDirectoryName(Path.GetFullPath(socketPath))!, "director.json");
        static void Log(string message) => Console.Error.WriteLine($"{DateTimeOffset.Now:O} lvsps-director: {message}");

        // handle SIGTERM/SIGINT from the start, so a stop that comes early is still clean
        using var stop = new ManualResetEventSlim();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Set(); });
        using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Set(); });

        IPEndPoint? metricsEndPoint = null;
        if (metrics != "off" && !IPEndPoint.TryParse(metrics, out metricsEndPoint))
        {
            Console.Error.WriteLine($"LvsPs.DirectorService: --metrics '{metrics}' is not ADDRESS:PORT or off");
            return 2;
        }
        StatusPageOptions statusOptions;
        try
        {
            statusOptions = StatusPageOptions.Parse(statusArgs, socketPath, metricsOn: metricsEndPoint is not null);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"LvsPs.DirectorService: {e.Message}");
            return 2;
        }

        var store = new ConfigurationStore(statePath);

        // a restart: the running service's listening sockets are taken over before anything binds
        Restart.TakeOver? handOver = null;
        if (takeOver)
        {
            try
            {
                handOver = Restart.TakeOver.Begin(socketPath, Environment.GetEnvironmentVariable(Restart.ServiceRestart.TokenVariable) ?? string.Empty);
            }
            catch (Exception e) when (e is LvsException or IOException or System.Net.Sockets.SocketException)
            {
                Console.Error.WriteLine($"LvsPs.DirectorService: --take-over: cannot take the listening sockets over from the service at '{socketPath}': {e.Message}");
                return 6;
            }
        }
        using var handOverScope = handOver;


        // a failover backup listens on the pair's VIPs before it holds them, so it is ready the moment keepalived adds
        // them: the pair as set over the control socket, or as restored until then
        Failover.FailoverController? pair = null;
        LvsPs.Model.Failover.FailoverSettings? restoredPair = null;
        bool PairHolds(IPAddress vip) => (pair?.GetFailover() ?? restoredPair)?.VirtualAddresses.Any(a => a.Address.Equals(vip)) == true;
        ManagedDirector? engine;
        IDirectorBackend monitored;
        try
        {
            monitored = DirectorFactory.Hosted(backend, new ManagedDirectorOptions { BindNonLocal = PairHolds, InheritedListeners = handOver?.EngineListeners, FastPath = fastPath }, Log, out engine);
        }
        catch (LvsException e)
        {
            Console.Error.WriteLine($"LvsPs.DirectorService: {e.Message}");
            return 1;
        }
        // the engine, its health checks, and the configured services kept waiting until they can run
        using var director = new WaitingServices(monitored, Log);
        DirectorConfiguration configuration;
        try
        {
            if (startEmpty && store.MoveAside() is { } aside) Log($"--start-empty: the state file was moved to {aside}; starting with no configuration");
            configuration = store.Load();
        }
        catch (Exception e) when (e is StateFileException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"LvsPs.DirectorService: {e.Message}");
            return 3;
        }
        restoredPair = configuration.Failover;
        using var failover = new Failover.FailoverController(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(socketPath))!, "failover"), node, director, Log);
        pair = failover;

        // the metrics endpoint is bound before the control socket exists: a port in use stops the start with a message
        MetricsEndpoint? metricsServer = null;
        if (metricsEndPoint is not null)
        {
            try
            {
                metricsServer = new MetricsEndpoint(metricsEndPoint, director, Log,
                    () => Metrics.FailoverMetrics.Render(failover.GetFailoverStatus(), SyncDaemonsOf(director)));
            }
            catch (System.Net.Sockets.SocketException e)
            {
                Console.Error.WriteLine($"LvsPs.DirectorService: cannot serve metrics on {metricsEndPoint}: {e.Message}. Give another --metrics ADDRESS:PORT (Start-LvsDirector -MetricsEndpoint), or off.");
                return 5;
            }
        }
        using var metricsScope = metricsServer;

        // Shutdown replies first, then stops: the stop is delayed a moment so the answer reaches the client
        int handedTo = 0;
        ControlDispatcher? dispatcherRef = null;
        ControlServer? serverRef = null;
        var restart = new Restart.ServiceRestart(args, engine, Log, pid =>
        {
            handedTo = pid;
            dispatcherRef?.RefuseChanges($"The director service has restarted (pid {pid} serves now); send the change again.");
            director.StopRetrying();
            serverRef?.Drain(); // the Restart answer still goes out; then every control connection closes
            stop.Set();
        });
        var dispatcher = new ControlDispatcher(director, _ => store.Save(DirectorConfiguration.Capture(director) with
            {
                Failover = failover.GetFailover(), Bgp = failover.GetBgp(), Suspended = failover.GetFailoverStatus().Suspended,
            }),
            () => _ = Task.Delay(100).ContinueWith(_ => stop.Set(), TaskScheduler.Default), failover, restart.Restart, bgp: failover);
        dispatcherRef = dispatcher;
        ControlServer server;
        try
        {
            server = new ControlServer(socketPath, dispatcher, Log);
        }
        catch (Exception e) when (e is LvsException or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            Console.Error.WriteLine($"LvsPs.DirectorService: cannot listen on '{socketPath}': {e.Message}");
            return 4;
        }
        using var serverScope = server;
        serverRef = server;
        server.HandOver = restart;
        using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c =>
        {
            c.Cancel = true;
            _ = Task.Run(() =>
            {
                try
                {
                    restart.Restart();
                }
                catch (LvsException e)
                {
                    Log($"restart (SIGHUP): {e.Message}");
                }
            });
        });

        var restored = director.Restore(configuration, (what, e) => Log($"could not restore {what}: {e.Message}"));
        Log($"{restored} (from {store.Path})");
        engine?.AcceptHandedOver(); // a new process of a restart takes clients from the handed-over listeners only now
        failover.Restore(configuration.Failover, configuration.Bgp, configuration.Suspended);
        // the status page is in place before the control socket accepts: a client that saw the service start finds it
        StatusPage? statusPage;
        try
        {
            statusPage = StatusPage.Start(statusOptions, director, dispatcher, metricsServer, Log, failover);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"LvsPs.DirectorService: {e.Message}");
            return 2;
        }
        using var statusPageScope = statusPage;
        server.Start();
        Log($"listening on {socketPath} (pid {Environment.ProcessId})");
        metricsServer?.Start();
        if (metricsServer is not null) Log($"metrics on http://{metricsServer.EndPoint}/metrics");

        if (handOver is not null)
        {
            foreach (var left in Restart.ListenerHandOver.CloseUnadopted()) Log($"restart: no longer configured, closed: {left}");
            try
            {
                handOver.Complete();
            }
            catch (Exception e) when (e is LvsException or IOException or System.Net.Sockets.SocketException)
            {
                Log($"restart: the old process did not confirm the hand-over ({e.Message}); serving anyway");
            }
            engine?.AcceptPending(); // connections whose wake-up the old process took before it stopped
            director.RetryNow(); // a service kept waiting (its port taken) may run now
            Log("restart: took over; serving");
            Restart.SystemdNotify.Send($"MAINPID={Environment.ProcessId}\nREADY=1");
        }
        else
        {
            Restart.SystemdNotify.Send("READY=1");
        }

        stop.Wait();
        if (handedTo != 0)
        {
            // handed over: finish the established connections here (bounded), then exit without closing the shared
            // listeners or removing the socket file, which the new process serves on
            var deadline = DateTime.UtcNow + HandOverDrainTime;
            Thread.Sleep(500); // a connection accepted just before the release is in the table by then
            while (engine!.OpenConnections > 0 && DateTime.UtcNow < deadline) Thread.Sleep(50);
            Thread.Sleep(1000); // a relay whose entry has just closed still flushes its last bytes
            Log($"handed over to pid {handedTo}; exiting with {engine.OpenConnections} connection(s) still open");
            Environment.Exit(0);
        }
        Log("stopping");
        return 0;
    }

    /// <summary>How long a process that handed over waits for its established connections before it exits.</summary>
    private static readonly TimeSpan HandOverDrainTime = TimeSpan.FromMinutes(5);

    private static IReadOnlyList<SyncDaemon> SyncDaemonsOf(IDirectorBackend director)
    {
        try
        {
            return director.GetSyncDaemons();
        }
        catch (LvsException)
        {
            return Array.Empty<SyncDaemon>();
        }
    }
}

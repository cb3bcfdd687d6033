using LvsPs.Engine;
using LvsPs.Model;

namespace LvsPs.BenchHost;

/// <summary>Runs a <see cref="ManagedDirector"/> with the given services until stdin closes or SIGTERM.</summary>
internal static class DirectorHost
{
    public static int Run(string[] args)
    {
        string scheduler = "rr";
        bool inline = true;
        var fastPath = FastPath.Auto;
        var join = LvsPs.Engine.Tcp.FastPathJoin.Default;
        var services = new List<(LvsProtocol, string)>();
        var hostServices = new List<string>();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--tcp": services.Add((LvsProtocol.Tcp, args[i + 1])); break;
                case "--udp": services.Add((LvsProtocol.Udp, args[i + 1])); break;
                case "--hosts": hostServices.Add(args[i + 1]); break;
                case "--scheduler": scheduler = args[i + 1]; break;
                case "--inline-completions": inline = args[i + 1] != "off"; break;
                case "--fast-path":
                    // auto: the sockmap with its default join policy; connect: every connection joins at connect; off: splice
                    (fastPath, join) = args[i + 1] switch
                    {
                        "off" => (FastPath.Off, join),
                        "auto" => (FastPath.Auto, LvsPs.Engine.Tcp.FastPathJoin.Default),
                        "connect" => (FastPath.Auto, LvsPs.Engine.Tcp.FastPathJoin.AtConnect),
                        var other => throw new ArgumentException($"--fast-path {other}: auto, connect or off"),
                    };
                    break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        // Socket continuations run on the epoll thread instead of hopping to the thread pool: the relay's continuations
        // only make non-blocking system calls, and the hop (a futex wake and the pool's spinning) cost half the CPU
        // per keepalive request (docs/benchmarks.md). Read by System.Net.Sockets once, before the first socket.
        if (inline) Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        using var director = new ManagedDirector(new ManagedDirectorOptions { FastPath = fastPath, FastPathJoin = join });
        foreach (var (protocol, text) in services)
        {
            var (vip, reals) = Endpoints.ParseService(text);
            var id = VirtualServiceId.ForAddress(protocol, vip.Address, (ushort)vip.Port);
            director.AddService(new VirtualServiceSettings { Id = id, Scheduler = scheduler });
            foreach (var rs in reals) director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(rs.Address, (ushort)rs.Port) });
        }
        foreach (var text in hostServices) AddHostService(director, scheduler, text);
        using var stop = new ManualResetEventSlim();
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Set(); });
        Console.WriteLine($"ready {Environment.ProcessId} relay {director.RelayPath}: {director.RelayPathReason}");
        stop.Wait();
        // what the garbage collector cost, for bench/profile.sh (stdout of the director)
        Console.WriteLine($"gc {GC.CollectionCount(0)} {GC.CollectionCount(1)} {GC.CollectionCount(2)} pause {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms heap {GC.GetTotalMemory(false) >> 20} MiB");
        return 0;
    }

    /// <summary>
    /// "VIP:PORT=HOST@RS:PORT,HOST@RS:PORT": a content-routed service, one group per real server ("g1", "g2", ...) and a
    /// Host rule sending each host to its group (what HAProxy's "use_backend ... if { hdr(host) -i HOST }" does).
    /// </summary>
    private static void AddHostService(ManagedDirector director, string scheduler, string text)
    {
        var parts = text.Split('=', 2);
        var vip = Endpoints.Parse(parts[0]);
        var pairs = parts[1].Split(',').Select(p => p.Split('@', 2)).ToArray();
        var id = VirtualServiceId.ForAddress(LvsProtocol.Tcp, vip.Address, (ushort)vip.Port);
        var rules = pairs.Select((p, i) => new ContentRule { Match = ContentMatch.Host, Pattern = p[0], Group = $"g{i + 1}" }).ToList();
        director.AddService(new VirtualServiceSettings { Id = id, Scheduler = scheduler, ContentRules = rules, DefaultGroup = "g1" });
        for (int i = 0; i < pairs.Length; i++)
        {
            var rs = Endpoints.Parse(pairs[i][1]);
            director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(rs.Address, (ushort)rs.Port), Group = $"g{i + 1}" });
        }
    }
}

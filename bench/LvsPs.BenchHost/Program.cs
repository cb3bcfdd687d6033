using LvsPs.BenchHost;

// bench/run.sh's helper: the managed director standalone, a UDP echo backend, a UDP request/response load and an
// idle-connection holder. Loopback only: every address is checked by Endpoints.Parse.
return args.Length == 0 ? Usage() : args[0] switch
{
    "director" => DirectorHost.Run(args[1..]),
    "udp-echo" => UdpEcho.Run(args[1..]),
    "udp-load" => UdpLoad.Run(args[1..]),
    "idle" => IdleConnections.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: LvsPs.BenchHost director --tcp VIP:PORT=RS:PORT,RS:PORT ... [--udp VIP:PORT=RS:PORT,...] [--hosts VIP:PORT=HOST@RS:PORT,...] [--scheduler rr] [--inline-completions on|off] [--fast-path auto|connect|off]
               LvsPs.BenchHost udp-echo 127.0.0.1:PORT ...
               LvsPs.BenchHost udp-load TARGET:PORT SECONDS CLIENTS
               LvsPs.BenchHost idle TARGET:PORT COUNT
        """);
    return 2;
}

using System.Runtime.InteropServices;
using LvsPs.Engine;
using LvsPs.Model;
using LvsPs.Remote;

namespace LvsPs.DirectorService;

/// <summary>
/// lvsps director service. Runs in the foreground (for systemd) until SIGTERM or SIGINT:
///   LvsPs.DirectorService [--socket PATH] [--state PATH]
/// It restores its configuration from the state file, serves the control socket, and saves the configuration after
/// every change before it answers.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string socketPath = DirectorSocket.DefaultPath;
        string? statePath = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--socket" when i + 1 < args.Length: socketPath = args[++i]; break;
                case "--state" when i + 1 < args.Length: statePath = args[++i]; break;
                case "-h" or "--help":
                    Console.WriteLine("usage: LvsPs.DirectorService [--socket PATH] [--state PATH]");
                    return 0;
                default:
                    Console.Error.WriteLine($"LvsPs.DirectorService: unknown argument '{args[i]}'; usage: [--socket PATH] [--state PATH]");
                    return 2;
            }
        }
        statePath ??= Path.Combine(Path.GetDirectoryName(Path.GetFullPath(socketPath))!, "director.json");
        static void Log(string message) => Console.Error.WriteLine($"{DateTimeOffset.Now:O} lvsps-director: {message}");

        // handle SIGTERM/SIGINT from the start, so a stop that comes early is still clean
        using var stop = new ManualResetEventSlim();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Set(); });
        using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Set(); });

        var store = new ConfigurationStore(statePath);
        using var director = new ManagedDirector();
        var configuration = store.Load();
        configuration.ApplyTo(director, (what, e) => Log($"could not restore {what}: {e.Message}"));
        Log($"restored {configuration.Services.Count} virtual service(s) from {store.Path}");

        var dispatcher = new ControlDispatcher(director, _ => store.Save(DirectorConfiguration.Capture(director)));
        using var server = new ControlServer(socketPath, dispatcher, Log);
        server.Start();
        Log($"listening on {socketPath} (pid {Environment.ProcessId})");

        stop.Wait();
        Log("stopping");
        return 0;
    }
}

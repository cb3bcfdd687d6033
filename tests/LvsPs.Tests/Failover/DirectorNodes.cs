using System.Collections.Concurrent;
using System.Diagnostics;
using LvsPs.Model;
using LvsPs.Remote;
using LvsPs.TestBackends;
using Xunit.Abstractions;

namespace LvsPs.Tests.Failover;

/// <summary>
/// The director services of a failover pair or scale-out group in a <see cref="NetLab"/>: each node is a director
/// service in its own namespace, with its socket and state file in one temporary folder; every line a node (or another
/// program of the test, such as the router's BIRD) logs is kept and written to the test's output by
/// <see cref="WriteLog"/> when the test fails. Dispose removes the lab (namespaces, links, the processes it started),
/// whatever the services started themselves (keepalived, BIRD, by their pid files) and the folder.
/// Shared by FailoverPairTests, ScaleOutTests and the guest's KernelFailoverTests.
/// </summary>
internal sealed class DirectorNodes : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly TimeSpan _bound;
    private readonly ConcurrentQueue<string> _log = new();

    /// <param name="prefix">The lab's /24, e.g. "10.77.0".</param>
    /// <param name="folderPrefix">The temporary folder's name prefix.</param>
    /// <param name="output">The test's output, for <see cref="WriteLog"/>.</param>
    /// <param name="bound">How long <see cref="Wait{T}"/> polls at the most (generous: no timing is asserted).</param>
    public DirectorNodes(string prefix, string folderPrefix, ITestOutputHelper output, TimeSpan bound)
    {
        _output = output;
        _bound = bound;
        Folder = Directory.CreateTempSubdirectory(folderPrefix).FullName;
        Lab = new NetLab(prefix);
    }

    public NetLab Lab { get; }

    /// <summary>The folder of the nodes' sockets, state files and the test's own files.</summary>
    public string Folder { get; }

    public string SocketOf(string node) => Path.Combine(Folder, node, "director.sock");

    /// <summary>The hosts every failover test has: the client (.2) and the directors da (.11) and db (.12), on the lab's bridge.</summary>
    public (string Client, string Da, string Db) AddClientAndDirectors() => (Lab.AddHost("c", 2), Lab.AddHost("da", 11), Lab.AddHost("db", 12));

    /// <summary>
    /// Starts the director service of <paramref name="node"/> in <paramref name="ns"/> with its socket, state file and
    /// node name, then <paramref name="options"/> (--metrics off unless they give --metrics).
    /// </summary>
    public Process Start(string ns, string node, params string[] options)
    {
        var args = new List<string>
        {
            "dotnet", Path.Combine(AppContext.BaseDirectory, "LvsPs.DirectorService.dll"),
            "--socket", SocketOf(node), "--state", Path.Combine(Folder, node, "director.json"), "--node", node,
        };
        if (!options.Contains("--metrics")) args.AddRange(new[] { "--metrics", "off" });
        args.AddRange(options);
        return Lab.Start(ns, Logger(node), args.ToArray());
    }

    /// <summary>Keeps the lines of a program of the test's own (e.g. the router), prefixed with <paramref name="name"/>.</summary>
    public Action<string> Logger(string name) => line => _log.Enqueue($"{name}: {line}");

    /// <summary>A client of <paramref name="node"/>'s service, once it listens.</summary>
    public RemoteDirector Connect(string node) => Wait(() => TryConnect(node), $"the service of {node} to listen");

    /// <summary>A client of <paramref name="node"/>'s service, or null while it does not answer.</summary>
    public RemoteDirector? TryConnect(string node)
    {
        try
        {
            var d = new RemoteDirector(SocketOf(node));
            d.GetInfo();
            return d;
        }
        catch (LvsException)
        {
            return null;
        }
    }

    /// <summary>Polls <paramref name="probe"/> until it gives a value, within the bound (no timing is asserted).</summary>
    public T Wait<T>(Func<T?> probe, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(_bound.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var value = probe();
            if (value is not null) return value;
            if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException($"Waited {_bound.TotalSeconds} s for {what}.");
            Thread.Sleep(50);
        }
    }

    /// <summary>Writes every kept line to the test's output (call it when the test fails).</summary>
    public void WriteLog()
    {
        foreach (var line in _log) _output.WriteLine(line);
    }

    public void Dispose()
    {
        Lab.Dispose();
        NetLab.KillLeftovers(Folder);
        Directory.Delete(Folder, recursive: true);
    }
}

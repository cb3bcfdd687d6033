using LvsPs.DirectorService;
using LvsPs.Model;
using LvsPs.Model.IO;
using LvsPs.Remote;
using LvsPs.TestBackends;

namespace LvsPs.Tests.Service;

/// <summary>The state file: a bad one stops the start and is kept; it is written without following planted links.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StateFileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "lvsps-state-" + Guid.NewGuid().ToString("N")[..8]);

    public StateFileTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    public static TheoryData<string, string, string> BadFiles => new()
    {
        { "empty", "", "it is empty" },
        { "blank", " \n\t\n", "it is empty" },
        { "null", "null", "it holds null" },
        { "truncated", """{"services":[{"settings":{"id":"tcp/127.0.0.1:80","schedu""", "line 1" },
        { "garbage", "\u0001\u0002binary garbage", "not a director configuration" },
        { "missing timeouts", """{"services":[]}""", "timeouts" },
        { "missing settings", """{"services":[{"realServers":[]}],"timeouts":{"tcp":0,"tcpFin":0,"udp":0}}""", "settings" },
        { "a null service", """{"services":[null],"timeouts":{"tcp":0,"tcpFin":0,"udp":0}}""", "null" },
        { "a weight out of range", """{"services":[{"settings":{"id":"tcp/127.0.0.1:80"},"realServers":[{"id":"127.0.0.2:80","weight":-5}]}],"timeouts":{"tcp":0,"tcpFin":0,"udp":0}}""", "Weight -5" },
        { "an array", "[]", "not a director configuration" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_bad_state_file_is_refused_with_its_name_and_problem_and_kept(string what, string content, string problem)
    {
        var path = Path.Combine(_folder, "director.json");
        File.WriteAllText(path, content);
        var e = Assert.Throws<StateFileException>(() => new ConfigurationStore(path).Load());
        Assert.Contains(path, e.Message);
        Assert.Contains(problem, e.Message);
        Assert.Contains("--start-empty", e.Message);
        Assert.Equal(content, File.ReadAllText(path)); // kept as it was ({what})
        Assert.NotNull(what);
    }

    [Fact]
    public void No_file_is_a_first_start_with_nothing_configured()
    {
        Assert.Same(DirectorConfiguration.Empty, new ConfigurationStore(Path.Combine(_folder, "none", "director.json")).Load());
    }

    [Fact]
    public void The_service_refuses_a_null_state_file_at_once_and_starts_empty_only_when_told()
    {
        using var service = new DirectorServiceProcess(_folder);
        Directory.CreateDirectory(Path.GetDirectoryName(service.StatePath)!);
        File.WriteAllText(service.StatePath, "null");
        var (code, error) = service.StartExpectingExit();
        Assert.Equal(3, code);
        Assert.Contains(service.StatePath, error);
        Assert.Contains("it holds null", error);
        Assert.DoesNotContain("   at ", error); // a message, not a stack trace
        Assert.Equal("null", File.ReadAllText(service.StatePath));
        Assert.False(File.Exists(service.SocketPath));

        service.Start("--start-empty");
        using var director = new RemoteDirector(service.SocketPath);
        Assert.Empty(director.GetServices());
        var aside = Directory.GetFiles(Path.GetDirectoryName(service.StatePath)!, "director.json.set-aside-*");
        Assert.Equal("null", File.ReadAllText(Assert.Single(aside)));
    }

    [Fact]
    public void Saving_replaces_a_link_planted_at_the_target_instead_of_writing_through_it()
    {
        var victim = Path.Combine(_folder, "victim");
        File.WriteAllText(victim, "precious");
        var path = Path.Combine(_folder, "director.json");
        File.CreateSymbolicLink(path, victim);
        new ConfigurationStore(path).Save(DirectorConfiguration.Empty);
        Assert.Equal("precious", File.ReadAllText(victim));
        Assert.Null(new FileInfo(path).LinkTarget);
        Assert.Equal(AtomicFile.OwnerOnly, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Saving_never_writes_through_a_link_planted_at_a_temporary_name()
    {
        var victim = Path.Combine(_folder, "victim");
        File.WriteAllText(victim, "precious");
        var path = Path.Combine(_folder, "director.json");
        // the names a predictable writer would use: this process's id, and a plain suffix
        foreach (var name in new[] { $".director.json.{Environment.ProcessId}.tmp", "director.json.tmp", ".director.json.tmp" })
        {
            File.CreateSymbolicLink(Path.Combine(_folder, name), victim);
        }
        new ConfigurationStore(path).Save(DirectorConfiguration.Empty);
        Assert.Equal("precious", File.ReadAllText(victim));
        Assert.Empty(new ConfigurationStore(path).Load().Services);
        // no temporary is left behind
        Assert.Equal(5, Directory.GetFileSystemEntries(_folder).Length);
    }

    [Fact]
    public void A_state_folder_it_creates_is_private_and_an_existing_one_keeps_its_mode()
    {
        var created = Path.Combine(_folder, "new", "director.json");
        AtomicFile.Write(created, s => s.WriteByte((byte)'x'));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(created)!));
        var shared = Path.Combine(_folder, "shared");
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)0x3FF); // 1777, as /tmp
        AtomicFile.Write(Path.Combine(shared, "director.json"), s => s.WriteByte((byte)'x'));
        Assert.Equal((UnixFileMode)0x3FF, File.GetUnixFileMode(shared));
    }
}

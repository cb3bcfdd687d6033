using System.Net.Sockets;
using LvsPs.DirectorService;
using LvsPs.Engine;
using LvsPs.Model;
using LvsPs.Remote;

namespace LvsPs.Tests.Service;

/// <summary>-SocketPath in folders LvsPs did not create, and files it did not make, are left as they are.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ControlSocketPathTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "lvsps-sock-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ManagedDirector _director = new();

    public ControlSocketPathTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        _director.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private ControlServer Serve(string path) => new(path, new ControlDispatcher(_director), _ => { });

    [Fact]
    public void A_shared_existing_folder_keeps_its_mode()
    {
        var shared = Path.Combine(_folder, "shared");
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)0x3FF); // 1777, as /tmp
        using (var server = Serve(Path.Combine(shared, "director.sock")))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(shared, "director.sock")));
        }
        Assert.Equal((UnixFileMode)0x3FF, File.GetUnixFileMode(shared));
    }

    [Fact]
    public void A_folder_it_creates_is_owner_only()
    {
        var path = Path.Combine(_folder, "new", "director.sock");
        using var server = Serve(path);
        Assert.Equal(Private, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void A_regular_file_at_the_socket_path_is_refused_and_kept()
    {
        var path = Path.Combine(_folder, "director.sock");
        File.WriteAllText(path, "someone's data");
        var e = Assert.Throws<LvsException>(() => Serve(path));
        Assert.Equal("ControlSocketPathTaken", e.ErrorId);
        Assert.Contains("regular file", e.Message);
        Assert.Equal("someone's data", File.ReadAllText(path));
    }

    [Fact]
    public void A_symbolic_link_at_the_socket_path_is_refused_and_kept()
    {
        var path = Path.Combine(_folder, "director.sock");
        File.CreateSymbolicLink(path, Path.Combine(_folder, "elsewhere"));
        var e = Assert.Throws<LvsException>(() => Serve(path));
        Assert.Contains("symbolic link", e.Message);
        Assert.NotNull(new FileInfo(path).LinkTarget);
    }

    [Fact]
    public void A_stale_socket_of_its_own_is_replaced()
    {
        var path = Path.Combine(_folder, "director.sock");
        // bound by a process that ended without removing it (.NET would unlink its own on dispose): nobody answers
        var psi = new System.Diagnostics.ProcessStartInfo("python3") { ArgumentList = { "-c", "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", path } };
        using (var python = System.Diagnostics.Process.Start(psi)!) Assert.True(python.WaitForExit(30000));
        Assert.True(File.Exists(path));
        using var server = Serve(path);
        server.Start();
        using var client = new RemoteDirector(path);
        Assert.Equal(DirectorKind.Service, client.GetInfo().Kind);
    }

    [Fact]
    public void A_socket_something_answers_on_is_refused_and_keeps_working()
    {
        var path = Path.Combine(_folder, "director.sock");
        using var first = Serve(path);
        first.Start();
        var e = Assert.Throws<LvsException>(() => Serve(path));
        Assert.Equal("DirectorServiceAlreadyRunning", e.ErrorId);
        using var client = new RemoteDirector(path);
        Assert.Equal(DirectorKind.Service, client.GetInfo().Kind);
    }
}

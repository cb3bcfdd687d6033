using System.Diagnostics;
using System.Net.Sockets;
using LvsPs.Model;
using LvsPs.Remote;

namespace LvsPs.KernelTests;

/// <summary>The director service driving kernel IPVS (--backend kernel:NAMESPACE), reached over its control socket.</summary>
public sealed class DirectorServiceKernelTests : IDisposable
{
    private readonly Namespace _ns = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "lvsps-ksvc-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _service;

    private string Socket => Path.Combine(_folder, "director.sock");

    public void Dispose()
    {
        Stop();
        _ns.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Start()
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "LvsPs.DirectorService.dll"), "--socket", Socket, "--metrics", "off", "--backend", "kernel:" + _ns.Name })
        {
            psi.ArgumentList.Add(a);
        }
        _service = Process.Start(psi)!;
        _service.BeginErrorReadLine();
        _service.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Accepts())
        {
            Assert.False(_service.HasExited, "the director service exited");
            Assert.True(DateTime.UtcNow < deadline, "the director service did not open its socket");
            Thread.Sleep(100);
        }
    }

    private bool Accepts()
    {
        if (!File.Exists(Socket)) return false;
        using var probe = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(Socket));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Stop()
    {
        if (_service is { HasExited: false })
        {
            _service.Kill();
            _service.WaitForExit(10000);
        }
        _service?.Dispose();
        _service = null;
    }

    [Fact]
    public void Configures_kernel_ipvs_and_comes_back_after_kill_9()
    {
        Start();
        var id = VirtualServiceId.Parse("tcp/10.8.0.1:80");
        using (var director = new RemoteDirector(Socket))
        {
            Assert.Equal(DirectorKind.Service, director.GetInfo().Kind);
            director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "sh", SchedulerFlags = SchedulerFlags.Port });
            director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(System.Net.IPAddress.Parse("10.8.1.1"), 8080), Forwarding = ForwardingMethod.DirectRoute, Weight = 4 });
            // errors of the kernel cross the socket with their ids
            Assert.Equal("VirtualServiceExists", Assert.Throws<LvsException>(() => director.AddService(new VirtualServiceSettings { Id = id })).ErrorId);
            Assert.Equal("SchedulerNotAvailable", Assert.Throws<LvsException>(() => director.AddService(new VirtualServiceSettings { Id = VirtualServiceId.Parse("tcp/10.8.0.2:80"), Scheduler = "twos" })).ErrorId);
        }
        var save = _ns.Ipvsadm("-S", "-n");
        Assert.Contains("-A -t 10.8.0.1:80 -s sh -b sh-port", save);
        Assert.Contains("-a -t 10.8.0.1:80 -r 10.8.1.1:8080 -g -w 4", save);

        Stop(); // kill -9
        Start();
        using var again = new RemoteDirector(Socket);
        var service = again.GetService(id);
        Assert.NotNull(service);
        Assert.Equal(4, service!.RealServers.Single().Weight);
        Assert.Equal(ForwardingMethod.DirectRoute, service.RealServers.Single().Forwarding);
    }
}

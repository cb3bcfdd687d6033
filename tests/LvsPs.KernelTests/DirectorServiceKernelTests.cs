using System.Net;
using LvsPs.Model;
using LvsPs.Remote;
using LvsPs.TestBackends;

namespace LvsPs.KernelTests;

/// <summary>
/// The director service driving kernel IPVS (--backend kernel:NAMESPACE) in the director namespace of a
/// <see cref="TrafficLab"/>, reached over its control socket.
/// </summary>
[Collection(TrafficLabCollection.Name)]
public sealed class DirectorServiceKernelTests : IDisposable
{
    private readonly TrafficLab _lab;
    private readonly DirectorServiceProcess _service;

    public DirectorServiceKernelTests(TrafficLab lab)
    {
        _lab = lab;
        _service = new DirectorServiceProcess(Path.Combine(Path.GetTempPath(), "lvsps-ksvc-" + Guid.NewGuid().ToString("N")[..8]), "kernel:" + lab.Director.Name);
    }

    public void Dispose()
    {
        _service.Dispose();
        _lab.Kernel.Flush();
    }

    [Fact]
    public void Rebuilds_the_kernel_table_from_its_state_file_after_kill_9_and_forwards_again()
    {
        _lab.Forwarding(true);
        _service.Start();
        var id = VirtualServiceId.Parse($"tcp/{TrafficLab.DirectorAddress}:8000");
        using (var director = new RemoteDirector(_service.SocketPath))
        {
            Assert.Equal(DirectorKind.Service, director.GetInfo().Kind);
            director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "sh", SchedulerFlags = SchedulerFlags.Port });
            foreach (var a in TrafficLab.ServerAddresses)
            {
                director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Parse(a), TrafficLab.HttpPort), Forwarding = ForwardingMethod.Masquerade, Weight = 4 });
            }
            // errors of the kernel cross the socket with their ids
            Assert.Equal("VirtualServiceExists", Assert.Throws<LvsException>(() => director.AddService(new VirtualServiceSettings { Id = id })).ErrorId);
            Assert.Equal("SchedulerNotAvailable", Assert.Throws<LvsException>(() => director.AddService(new VirtualServiceSettings { Id = VirtualServiceId.Parse("tcp/10.8.0.2:80"), Scheduler = "twos" })).ErrorId);
        }
        var save = _lab.Director.Ipvsadm("-S", "-n");
        Assert.Contains($"-A -t {TrafficLab.DirectorAddress}:8000 -s sh -b sh-port", save);
        Assert.Contains($"-a -t {TrafficLab.DirectorAddress}:8000 -r {TrafficLab.ServerAddresses[0]}:80 -m -w 4", save);
        Assert.Equal(200, _lab.HttpGet(TrafficLab.DirectorAddress, 8000).Status);

        _service.Kill(); // kill -9
        // the kernel table outlives the service: empty it, so that only the state file can bring it back
        _lab.Director.Ipvsadm("-C");
        Assert.DoesNotContain("-A ", _lab.Director.Ipvsadm("-S", "-n"));

        _service.Start();
        save = _lab.Director.Ipvsadm("-S", "-n");
        Assert.Contains($"-A -t {TrafficLab.DirectorAddress}:8000 -s sh -b sh-port", save);
        foreach (var a in TrafficLab.ServerAddresses) Assert.Contains($"-a -t {TrafficLab.DirectorAddress}:8000 -r {a}:80 -m -w 4", save);
        using var again = new RemoteDirector(_service.SocketPath);
        var service = again.GetService(id);
        Assert.NotNull(service);
        Assert.All(service!.RealServers, rs => Assert.Equal((4, ForwardingMethod.Masquerade), (rs.Weight, rs.Forwarding)));
        // and real traffic flows through the rebuilt table
        var answered = Enumerable.Range(0, 4).Select(_ => _lab.HttpGetFrom(TrafficLab.ClientAddresses[0], TrafficLab.DirectorAddress, 8000)).ToList();
        Assert.All(answered, r => Assert.Equal(200, r.Status));
        // kernel 6.1 folds its per-CPU counters into what it reports every 2 s (estimation_timer in ip_vs_est.c)
        ulong counted = 0;
        for (int i = 0; i < 40 && (counted = again.GetService(id)!.Stats.Connections) != 4; i++) Thread.Sleep(250);
        Assert.Equal(4ul, counted);
    }

    [Fact]
    public void The_kernel_ftp_findings_show_through_the_service()
    {
        _service.Start();
        var id = VirtualServiceId.Parse($"tcp/{TrafficLab.DirectorAddress}:21");
        using var director = new RemoteDirector(_service.SocketPath);
        director.AddService(new VirtualServiceSettings { Id = id, Helper = ApplicationHelper.Ftp });
        director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Parse(TrafficLab.ServerAddresses[0]), 21), Forwarding = ForwardingMethod.Masquerade });
        // the guest loads ip_vs_ftp with its default ports=21, read from its /sys by the service's kernel backend; kernel
        // IPVS keeps no helper setting (the listing says None), so what shows is that port 21 is inspected as FTP anyway
        var finding = Assert.Single(director.CheckFtpHelper(id));
        Assert.Equal(("FtpHelperOnPort", KernelFtpSeverity.Warning), (finding.Id, finding.Severity));
        Assert.Contains("ip_vs_ftp's ports (21)", finding.Message);
        // the kernel keeps no scheduling state a client could copy: the preview is left to the listing
        Assert.Null(director.PreviewScheduling(new SchedulingPreviewRequest { Settings = director.GetService(id)!.Settings, ClientAddresses = new[] { "10.9.9.9" } }));
    }
}

using System.Net;
using LvsPs.Model;
using LvsPs.Netlink;
using LvsPs.TestBackends;

namespace LvsPs.KernelTests;

/// <summary>
/// FTP through kernel IPVS with ip_vs_ftp (the guest loads it; its default ports=21): a real FTP server (Debian's
/// python3-pyftpdlib) on the first real server behind a masquerading service on port 21, and curl in the client's
/// namespace, in passive mode (PASV: the helper rewrites the server's 227 reply to the VIP and expects the data
/// connection). Active mode is not shown here: ip_vs_ftp expects the server's data connection from port 20
/// (ip_vs_ftp.c), and pyftpdlib connects from any port.
/// </summary>
[Collection(TrafficLabCollection.Name)]
public sealed class KernelFtpTests : IDisposable
{
    private const string Content = "kernel ftp through ip_vs_ftp\n";
    private readonly TrafficLab _lab;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "lvsps-kftp-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ReapedProcess _server;

    public KernelFtpTests(TrafficLab lab)
    {
        _lab = lab;
        Directory.CreateDirectory(_root);
        File.WriteAllText(Path.Combine(_root, "hello.txt"), Content);
        string address = TrafficLab.ServerAddresses[0];
        _server = ReapedProcess.Start("ip", ["netns", "exec", lab.Servers[0].Name, "/usr/bin/python3", "-m", "pyftpdlib", "-i", address, "-p", "21", "-d", _root]);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (lab.Servers[0].TryExec("/usr/bin/python3", "-c", $"import socket; socket.create_connection(('{address}', 21), 2).close()").ExitCode != 0)
        {
            Assert.False(_server.HasExited, "the FTP server exited: " + _server.Output);
            Assert.True(DateTime.UtcNow < deadline, "the FTP server did not listen within 60 s: " + _server.Output);
            Thread.Sleep(200);
        }
    }

    public void Dispose()
    {
        _server.Dispose();
        _lab.Kernel.Flush();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void A_file_comes_through_a_masquerading_service_with_ip_vs_ftp_in_passive_mode()
    {
        _lab.Forwarding(true);
        Assert.True(new KernelFtpCheck().IsModuleLoaded, "ip_vs_ftp is not loaded in the guest");
        var id = VirtualServiceId.Parse($"tcp/{TrafficLab.DirectorAddress}:21");
        _lab.Kernel.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr", PersistenceTimeout = 300 });
        _lab.Kernel.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Parse(TrafficLab.ServerAddresses[0]), 21), Forwarding = ForwardingMethod.Masquerade });

        var (code, output) = _lab.Client.TryExec("curl", "--silent", "--show-error", "--verbose", "--connect-timeout", "10", "--max-time", "60",
            "--disable-epsv", $"ftp://{TrafficLab.DirectorAddress}/hello.txt");
        Assert.True(code == 0, $"curl failed ({code}): {output}");
        Assert.Contains(Content.TrimEnd(), output);
        // the server announced its own address; the client was told the VIP's
        Assert.Contains("227 Entering passive mode (10,1,0,2,", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("10,2,0,11", output);
        // the kernel relayed a data connection beside the control connection, both to the real server
        var connections = _lab.Kernel.GetConnections().Where(c => !c.Template && c.DestinationAddress == TrafficLab.ServerAddresses[0]).ToList();
        Assert.Contains(connections, c => c.DestinationPort == 21);
        Assert.Contains(connections, c => c.DestinationPort != 21);
    }
}

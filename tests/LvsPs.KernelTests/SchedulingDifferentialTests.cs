using System.Net;
using System.Net.Sockets;
using LvsPs.Model;
using LvsPs.Scheduling;
using LvsPs.TestBackends;

namespace LvsPs.KernelTests;

/// <summary>
/// Differential scheduling: the real kernel against LvsPs's own schedulers (DestinationSet, what the managed engine and
/// Test-LvsScheduling run). For every scheduler the guest's kernel has, a NAT service on the director gets three real
/// servers of different weights; connections from varied client addresses and ports are opened one after another and
/// kept open (so every scheduler that counts connections sees them active), and the real server that greets each one
/// is the kernel's choice. A DestinationSet with the same real servers, added in the same order, is asked the same
/// sequence, binding an active connection for each choice; the two sequences must be equal, refusals included.
/// Nothing here is transcribed from the kernel source: a shared misreading of it fails this test.
/// </summary>
[Collection(TrafficLabCollection.Name)]
public sealed class SchedulingDifferentialTests : IDisposable
{
    /// <summary>Connections per scheduler: enough for weights 2, 3 and 5 to show (and for ovf to run out of room).</summary>
    private const int Connections = 12;

    private static readonly (string Address, int Port, int Weight)[] Servers =
    [
        (TrafficLab.ServerAddresses[0], TrafficLab.NamedPorts[0], 2),
        (TrafficLab.ServerAddresses[1], TrafficLab.NamedPorts[0], 3),
        (TrafficLab.ServerAddresses[0], TrafficLab.NamedPorts[1], 5),
    ];

    private readonly TrafficLab _lab;

    public SchedulingDifferentialTests(TrafficLab lab) => _lab = lab;

    public void Dispose() => _lab.Kernel.Flush();

    /// <summary>Every scheduler of kernel 6.1 (twos came later) and the hashing ones with their port flag.</summary>
    public static TheoryData<string, SchedulerFlags, int> Schedulers()
    {
        var data = new TheoryData<string, SchedulerFlags, int>();
        string[] names = ["rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "mh", "fo", "ovf"];
        for (int i = 0; i < names.Length; i++) data.Add(names[i], SchedulerFlags.None, i);
        data.Add("sh", SchedulerFlags.Port, names.Length);
        data.Add("mh", SchedulerFlags.Port, names.Length + 1);
        return data;
    }

    [Theory]
    [MemberData(nameof(Schedulers))]
    public void The_kernel_chooses_what_DestinationSet_predicts(string scheduler, SchedulerFlags flags, int index)
    {
        _lab.Forwarding(true);
        // one service port per case: nothing of an earlier case (connections in TIME_WAIT, templates) meets this one
        ushort vport = (ushort)(9000 + index);
        var vip = IPAddress.Parse(TrafficLab.DirectorAddress);
        var id = VirtualServiceId.ForAddress(LvsProtocol.Tcp, vip, vport);
        var settings = new VirtualServiceSettings { Id = id, Scheduler = scheduler, SchedulerFlags = flags };
        var realServers = Servers.Select(s => new RealServerSettings
        {
            Id = RealServerId.Create(IPAddress.Parse(s.Address), (ushort)s.Port),
            Forwarding = ForwardingMethod.Masquerade,
            Weight = s.Weight,
        }).ToArray();
        _lab.Kernel.AddService(settings);
        foreach (var rs in realServers) _lab.Kernel.AddRealServer(id, rs);

        var model = new DestinationSet(scheduler, settings.Flags, SchedulerOptions.Default);
        foreach (var rs in realServers) model.Add(rs);

        var requests = Enumerable.Range(0, Connections).Select(i => (
            Client: TrafficLab.ClientAddresses[(i * 3 + index) % TrafficLab.ClientAddresses.Length],
            Port: (ushort)(20000 + index * 100 + i * 7))).ToArray();
        var open = new List<NamedConnection>();
        try
        {
            var kernelChoices = new List<string>();
            var modelChoices = new List<string>();
            foreach (var (client, port) in requests)
            {
                kernelChoices.Add(KernelChoice(new IPEndPoint(vip, vport), new IPEndPoint(IPAddress.Parse(client), port), open));
                var d = model.Schedule(new SchedulingRequest(LvsProtocol.Tcp, NetAddress.FromIPAddress(IPAddress.Parse(client)), port, NetAddress.FromIPAddress(vip), vport));
                d?.BindConnection(active: true);
                modelChoices.Add(d is null ? "none" : d.Id.ToString());
            }
            Assert.True(modelChoices.SequenceEqual(kernelChoices),
                $"{scheduler} ({flags}): the kernel chose [{string.Join(' ', kernelChoices)}], LvsPs predicted [{string.Join(' ', modelChoices)}] " +
                $"for clients [{string.Join(' ', requests.Select(r => r.Client + ":" + r.Port))}]");
            // the kernel counted what the model counted
            var listed = _lab.Kernel.GetService(id)!;
            foreach (var d in model.Items)
            {
                Assert.Equal(d.ActiveConnections, listed.RealServers.Single(r => r.Settings.Id == d.Id).ActiveConnections);
            }
        }
        finally
        {
            foreach (var c in open) c.Dispose();
            _lab.Kernel.DeleteService(id);
        }
    }

    /// <summary>Opens one connection and keeps it; the greeting names the real server, "none" when the kernel refused it.</summary>
    private string KernelChoice(IPEndPoint to, IPEndPoint from, List<NamedConnection> open)
    {
        try
        {
            var c = _lab.Open(to, from);
            open.Add(c);
            return c.Backend;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            // no real server could take it: the kernel answers the SYN with ICMP port unreachable (ip_vs_leave)
            return "none";
        }
    }
}

/// <summary>The schedulers the differential test runs are the guest kernel's (no traffic: an inventory).</summary>
public sealed class KernelSchedulerInventoryTests
{
    [Fact]
    public void The_guest_kernel_has_every_scheduler_the_differential_test_runs_and_no_twos()
    {
        using var ns = new Namespace();
        using var kernel = new LvsPs.Netlink.KernelDirector(ns.Name);
        var available = kernel.GetInfo().Schedulers.ToHashSet();
        var tested = SchedulingDifferentialTests.Schedulers().Select(row => (string)row[0]).ToHashSet();
        Assert.Equal(13, tested.Count);
        Assert.Subset(available, tested);
        Assert.DoesNotContain("twos", available); // came after 6.1; the managed engine still has it
    }
}

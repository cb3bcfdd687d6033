using System.Net;
using LvsPs.Model;
using LvsPs.Netlink;
using LvsPs.Netlink.Transport;

namespace LvsPs.KernelTests;

/// <summary>Unloading ip_vs would break any test running beside it: this collection runs alone, after all others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ModuleReloadCollection
{
    public const string Name = "ip_vs module reload";
}

/// <summary>
/// The generic netlink family id of IPVS is assigned when ip_vs registers it (genl_register_family in
/// net/netlink/genetlink.c, from an IDR allocated cyclically), so a reloaded module gets a new id. A KernelDirector
/// that outlives the reload must resolve it again, which it does on every call.
/// </summary>
[Collection(ModuleReloadCollection.Name)]
public sealed class ModuleReloadTests
{
    [Fact]
    public void A_director_keeps_working_after_ip_vs_is_unloaded_and_reloaded()
    {
        string modules = Environment.GetEnvironmentVariable("LVS_VM_MODULES") ?? throw new InvalidOperationException("LVS_VM_MODULES is not set: run this suite with tests/Kernel/run-kernel-tests.sh.");
        using var ns = new Namespace();
        using var k = new KernelDirector(ns.Name);
        var id = VirtualServiceId.ForAddress(LvsProtocol.Tcp, IPAddress.Parse("10.60.0.1"), 80);
        k.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" });
        Assert.Single(k.GetServices());
        ushort before = FamilyId(ns);

        // a service holds its scheduler module; without services every ip_vs_* module, then ip_vs, can go
        k.Flush();
        var loaded = LoadedIpvsModules();
        Assert.Contains("ip_vs", loaded);
        Unload(loaded.Where(m => m != "ip_vs").Append("ip_vs").ToArray());
        Assert.DoesNotContain("ip_vs", LoadedIpvsModules());
        Assert.Equal("KernelIpvsUnavailable", Assert.Throws<LvsException>(() => k.GetServices()).ErrorId);

        Host.Run(["modprobe", "-a", "-d", modules, .. loaded]);
        ushort after = FamilyId(ns);
        Assert.NotEqual(before, after);

        // the same director, after the reload: a fresh (empty) table, fully usable
        Assert.Empty(k.GetServices());
        k.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" });
        k.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Parse("10.60.1.1"), 80), Forwarding = ForwardingMethod.Masquerade, Weight = 1 });
        Assert.Single(Assert.Single(k.GetServices()).RealServers);
        Assert.Contains("-a -t 10.60.0.1:80 -r 10.60.1.1:80 -m -w 1", ns.Ipvsadm("-S", "-n"));
        k.Flush();
    }

    private static ushort FamilyId(Namespace ns) => ns.Enter(() =>
    {
        using var c = GenericNetlinkConnection.Open(LvsPs.Netlink.Protocol.IpvsConstants.FamilyName, TimeSpan.FromSeconds(10));
        return c.FamilyId;
    });

    private static List<string> LoadedIpvsModules() =>
        File.ReadAllLines("/proc/modules").Select(l => l.Split(' ')[0]).Where(m => m == "ip_vs" || m.StartsWith("ip_vs_", StringComparison.Ordinal)).ToList();

    /// <summary>rmmod, retried for a while: namespaces deleted by earlier tests release their services asynchronously.</summary>
    private static void Unload(string[] modules)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var left = modules.Where(m => LoadedIpvsModules().Contains(m)).ToArray();
            if (left.Length == 0) return;
            var (code, output) = Host.TryRun(null, ["rmmod", .. left]);
            if (code == 0) return;
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"rmmod {string.Join(' ', left)} still fails after 60 s: {output}");
            Thread.Sleep(1000);
        }
    }
}

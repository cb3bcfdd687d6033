using LvsPs.Configuration;
using LvsPs.Model;
using LvsPs.Netlink;

namespace LvsPs.KernelTests;

/// <summary>
/// Desired state on kernel IPVS: the same reconcile planner the cmdlets and DSC use converges the kernel's table, finds
/// drift made behind its back with the real ipvsadm, and repairs it with edits in place.
/// </summary>
public sealed class ReconcileTests : IDisposable
{
    private readonly Namespace _ns = new();
    private readonly KernelDirector _k;

    public ReconcileTests() => _k = new KernelDirector(_ns.Name);

    public void Dispose()
    {
        _k.Dispose();
        _ns.Dispose();
    }

    private static RealServerSettings Rs(string address, int weight) =>
        new() { Id = RealServerId.Create(System.Net.IPAddress.Parse(address), 80), Weight = weight };

    [Fact]
    public void Converges_finds_drift_and_repairs_it_in_place_idempotently()
    {
        var id = VirtualServiceId.Parse("tcp/10.7.0.1:80");
        var desired = DesiredDirector.FromConfiguration(new DirectorConfiguration(new[]
        {
            new ServiceConfiguration(new VirtualServiceSettings { Id = id, Scheduler = "wrr" }, new[] { Rs("10.7.1.1", 3), Rs("10.7.1.2", 1) }),
        }, new LvsTimeouts()));

        Assert.False(ReconcilePlanner.Plan(desired, _k, prune: false).InDesiredState); // a fresh kernel is not in state
        ReconcilePlanner.Apply(desired, _k, prune: false);
        Assert.True(ReconcilePlanner.Plan(desired, _k, prune: false).InDesiredState);
        var save = _ns.Ipvsadm("-S", "-n");
        Assert.Contains("-a -t 10.7.0.1:80 -r 10.7.1.1:80 -m -w 3", save);
        Assert.Contains("-a -t 10.7.0.1:80 -r 10.7.1.2:80 -m -w 1", save);

        // drift behind LvsPs's back: a real server removed and a weight changed with ipvsadm itself
        _ns.Ipvsadm("-d", "-t", "10.7.0.1:80", "-r", "10.7.1.2:80");
        _ns.Ipvsadm("-e", "-t", "10.7.0.1:80", "-r", "10.7.1.1:80", "-m", "-w", "9");
        var drift = ReconcilePlanner.Plan(desired, _k, prune: false);
        Assert.False(drift.InDesiredState);
        Assert.Contains(drift.Changes, c => c is DirectorChange.AddRealServer a && a.Settings.Id.Address.ToString() == "10.7.1.2");
        // the weight is an edit in place, never a delete and re-add, so established connections survive
        Assert.Contains(drift.Changes, c => c is DirectorChange.EditRealServer e && e.Old.Weight == 9 && e.New.Weight == 3);
        Assert.DoesNotContain(drift.Changes, c => c is DirectorChange.DeleteRealServer or DirectorChange.DeleteService);

        ReconcilePlanner.Apply(desired, _k, prune: false);
        Assert.True(ReconcilePlanner.Plan(desired, _k, prune: false).InDesiredState);
        Assert.Contains("-a -t 10.7.0.1:80 -r 10.7.1.1:80 -m -w 3", _ns.Ipvsadm("-S", "-n"));
        Assert.Empty(ReconcilePlanner.Apply(desired, _k, prune: false).Changes); // a second run changes nothing
    }

    [Fact]
    public void Prune_removes_only_what_the_document_does_not_name()
    {
        _ns.Ipvsadm("-A", "-t", "10.7.0.9:80", "-s", "rr");
        var id = VirtualServiceId.Parse("tcp/10.7.0.1:80");
        var desired = DesiredDirector.FromConfiguration(new DirectorConfiguration(new[]
        {
            new ServiceConfiguration(new VirtualServiceSettings { Id = id, Scheduler = "rr" }, new[] { Rs("10.7.1.1", 1) }),
        }, new LvsTimeouts()));
        ReconcilePlanner.Apply(desired, _k, prune: false);
        Assert.Contains("-A -t 10.7.0.9:80 -s rr", _ns.Ipvsadm("-S", "-n")); // left alone without -Prune
        ReconcilePlanner.Apply(desired, _k, prune: true);
        var save = _ns.Ipvsadm("-S", "-n");
        Assert.DoesNotContain("10.7.0.9", save);
        Assert.Contains("-A -t 10.7.0.1:80 -s rr", save);
    }
}

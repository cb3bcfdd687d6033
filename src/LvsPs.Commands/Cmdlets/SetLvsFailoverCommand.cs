using System.Management.Automation;
using LvsPs.Model;
using LvsPs.Model.Failover;
using LvsPs.Model.Settings;

namespace LvsPs.Commands;

/// <summary>
/// Set-LvsFailover: puts the director in a failover pair, changes the pair's settings (the ones given; the others stay),
/// or with -Remove takes the director out of it. The director service then drives keepalived.
/// </summary>
[Cmdlet(VerbsCommon.Set, "LvsFailover", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "Settings")]
[OutputType(typeof(FailoverSettings))]
public sealed class SetLvsFailoverCommand : SettingsSectionCmdlet<FailoverSettings>
{
    /// <summary>VRRP virtual router id, 1..255, the same on every node of the pair (failover.virtualRouterId).</summary>
    [Parameter(ParameterSetName = "Settings", ValueFromPipelineByPropertyName = true)]
    [ValidateSettingRange(SettingLevel.Failover, "virtualRouterId")]
    public int VirtualRouterId { get; set; }

    /// <summary>Seconds between VRRP advertisements, 1..255 (failover.advertisementInterval).</summary>
    [Parameter(ParameterSetName = "Settings", ValueFromPipelineByPropertyName = true)]
    [ValidateSettingRange(SettingLevel.Failover, "advertisementInterval")]
    public int AdvertisementInterval { get; set; }

    /// <summary>The interface VRRP runs on and the virtual addresses go to (failover.interface).</summary>
    [Parameter(ParameterSetName = "Settings", ValueFromPipelineByPropertyName = true)]
    public string? Interface { get; set; }

    /// <summary>The addresses the master holds, ADDRESS or ADDRESS/PREFIX (failover.virtualAddresses).</summary>
    [Parameter(ParameterSetName = "Settings", ValueFromPipelineByPropertyName = true)]
    public string[]? VirtualAddresses { get; set; }

    /// <summary>Advertise to the other nodes' addresses instead of multicast (failover.unicast).</summary>
    [Parameter(ParameterSetName = "Settings", ValueFromPipelineByPropertyName = true)]
    public bool Unicast { get; set; }

    /// <summary>VRRP password, 1..8 characters (failover.password); an empty string removes it.</summary>
    [Parameter(ParameterSetName = "Settings", ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string? Password { get; set; }

    /// <summary>Whether a higher-priority node takes mastership back when it returns (failover.preempt).</summary>
    [Parameter(ParameterSetName = "Settings", ValueFromPipelineByPropertyName = true)]
    public bool Preempt { get; set; }

    /// <summary>Run the kernel's connection sync daemon in the node's role (failover.connectionSync; kernel backend).</summary>
    [Parameter(ParameterSetName = "Settings", ValueFromPipelineByPropertyName = true)]
    public bool ConnectionSync { get; set; }

    /// <summary>The nodes: objects or hashtables with Name, Priority (1..254) and Address (failover.nodes).</summary>
    [Parameter(ParameterSetName = "Settings", ValueFromPipelineByPropertyName = true)]
    public FailoverNode[]? Nodes { get; set; }

    private protected override FailoverSettings? Current() => Failover.GetFailover();

    private protected override void Apply(FailoverSettings? settings) => Failover.SetFailover(settings);

    private protected override FailoverSettings Empty => new();

    private protected override FailoverSettings Edit(FailoverSettings want)
    {
        var bound = MyInvocation.BoundParameters;
        if (bound.ContainsKey(nameof(VirtualRouterId))) want = want with { VirtualRouterId = VirtualRouterId };
        if (bound.ContainsKey(nameof(AdvertisementInterval))) want = want with { AdvertisementInterval = AdvertisementInterval };
        if (bound.ContainsKey(nameof(Interface))) want = want with { Interface = Interface ?? "" };
        if (bound.ContainsKey(nameof(VirtualAddresses))) want = want with { VirtualAddresses = (VirtualAddresses ?? Array.Empty<string>()).Select(FailoverAddress.Parse).ToList() };
        if (bound.ContainsKey(nameof(Unicast))) want = want with { Unicast = Unicast };
        if (bound.ContainsKey(nameof(Password))) want = want with { Password = string.IsNullOrEmpty(Password) ? null : Password };
        if (bound.ContainsKey(nameof(Preempt))) want = want with { Preempt = Preempt };
        if (bound.ContainsKey(nameof(ConnectionSync))) want = want with { ConnectionSync = ConnectionSync };
        if (bound.ContainsKey(nameof(Nodes))) want = want with { Nodes = (Nodes ?? Array.Empty<FailoverNode>()).ToList() };
        return want;
    }

    private protected override FailoverSettings Validate(FailoverSettings want) => want.Validate();

    private protected override IReadOnlyList<(string Key, string? From, string? To)> Differences(FailoverSettings from, FailoverSettings to) => from.Differences(to);

    private protected override string Describe(FailoverSettings settings, bool full) =>
        $"failover pair vrid {settings.VirtualRouterId} on {settings.Interface}" + (full ? $": {string.Join(", ", settings.VirtualAddresses)}" : "");

    private protected override (string Join, string Change, string Leave) Actions => ("Join the failover pair", "Change the failover pair", "Leave the failover pair");

    /// <summary>The pair's own connection sync daemons that leaving or changing it stops or restarts (never one started by hand).</summary>
    private protected override string Consequences(FailoverSettings current, FailoverSettings? want) =>
        FailoverSettings.Describe(current.SyncDaemonChanges(want, Backend.GetSyncDaemons()));

    private protected override string? Problem() => Failover.GetFailoverStatus().Problem;

    private protected override object? Result() => Failover.GetFailover();

    private IFailoverControl Failover => DirectorChange.FailoverOf(Backend);
}

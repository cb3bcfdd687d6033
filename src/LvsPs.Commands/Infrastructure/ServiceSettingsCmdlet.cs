using System.Management.Automation;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>The settings a virtual service takes, shared by New- and Set-LvsVirtualService (ipvsadm -A / -E options).</summary>
public abstract class ServiceSettingsCmdlet : DirectorCmdlet
{
    /// <summary>Scheduler name (ipvsadm -s), such as rr, wrr or wlc (the default); Get-LvsDirector lists the director's schedulers.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SchedulerCompleter))]
    [ValidateNotNullOrEmpty]
    public string Scheduler { get; set; } = VirtualServiceSettings.DefaultScheduler;

    /// <summary>Makes the service persistent (ipvsadm -p); with -PersistenceTimeout the timeout, else 360 s as in ipvsadm.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter Persistent { get; set; }

    /// <summary>Persistence timeout in seconds; implies -Persistent. 0 turns persistence off.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public uint PersistenceTimeout { get; set; }

    /// <summary>Persistence granularity (ipvsadm -M): an IPv4 netmask such as 255.255.255.0, or a prefix length.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Netmask")]
    public string? PersistenceNetmask { get; set; }

    /// <summary>One-packet scheduling (ipvsadm -o): schedules each UDP datagram on its own instead of per flow; UDP and firewall-mark services only.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter OnePacket { get; set; }

    /// <summary>Scheduler flags (ipvsadm -b): Fallback and Port for sh and mh.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SchedulerFlags SchedulerFlags { get; set; }

    /// <summary>Persistence engine (ipvsadm --pe), such as sip.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? PersistenceEngine { get; set; }

    /// <summary>
    /// Application helper (layer-7 inspection): Ftp makes the director read the FTP control connection and relay its
    /// passive (227/229) and active (PORT/EPRT) data connections to the same real server; None turns it off. Only for
    /// tcp/ services. When New-LvsVirtualService is not given -Helper, a TCP service on port 21 gets Ftp (as the
    /// kernel's ip_vs_ftp with its default ports=21) and any other service gets None.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public ApplicationHelper Helper { get; set; }

    /// <summary>
    /// PROXY protocol header written to each real server at the start of a connection, so a real server that speaks it
    /// (nginx listen ... proxy_protocol, HAProxy accept-proxy) sees the client's address and port: V1 (text), V2
    /// (binary) or None. A real server's own -SendProxy overrides it. Managed engine, tcp/ services.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public ProxyProtocol SendProxy { get; set; }

    /// <summary>
    /// Clients come through a load balancer in front that starts each connection with a PROXY protocol header (v1 or v2);
    /// the client it names is the one scheduled, listed and passed on. A connection without the header is reset.
    /// Managed engine, tcp/ services.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter AcceptProxy { get; set; }

    /// <summary>
    /// Transparent mode: the director connects to real servers from the client's own address and port (IP_TRANSPARENT,
    /// needs root), so they see the client as behind LVS masquerading; their replies must be routed back through the
    /// director (see docs/client-address.md). Managed engine, tcp/ services.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter Transparent { get; set; }

    /// <summary>
    /// The group of real servers that takes connections no content rule matches; empty for the real servers without a
    /// group. Content rules themselves are managed with New-, Set- and Remove-LvsContentRule.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string? DefaultGroup { get; set; }

    protected bool IsBound(string name) => MyInvocation.BoundParameters.ContainsKey(name);

    /// <summary>Applies the parameters the user gave over <paramref name="current"/>.</summary>
    protected VirtualServiceSettings ApplyTo(VirtualServiceSettings current)
    {
        var s = current;
        if (IsBound(nameof(Scheduler))) s = s with { Scheduler = Scheduler };
        if (IsBound(nameof(PersistenceTimeout)))
        {
            s = s with { PersistenceTimeout = PersistenceTimeout };
        }
        else if (IsBound(nameof(Persistent)))
        {
            s = s with { PersistenceTimeout = Persistent ? (s.IsPersistent ? s.PersistenceTimeout : Validation.DefaultPersistenceTimeout) : 0 };
        }
        if (IsBound(nameof(PersistenceNetmask)))
        {
            s = s with { Netmask = string.IsNullOrEmpty(PersistenceNetmask) ? uint.MaxValue : NetmaskText.Parse(PersistenceNetmask, s.Id.AddressFamily) };
        }
        if (IsBound(nameof(OnePacket))) s = s with { OnePacket = OnePacket };
        if (IsBound(nameof(SchedulerFlags))) s = s with { SchedulerFlags = SchedulerFlags };
        if (IsBound(nameof(Helper))) s = s with { Helper = Helper };
        if (IsBound(nameof(SendProxy))) s = s with { SendProxy = SendProxy };
        if (IsBound(nameof(AcceptProxy))) s = s with { AcceptProxy = AcceptProxy };
        if (IsBound(nameof(Transparent))) s = s with { Transparent = Transparent };
        if (IsBound(nameof(DefaultGroup))) s = s with { DefaultGroup = string.IsNullOrEmpty(DefaultGroup) ? null : DefaultGroup };
        if (IsBound(nameof(PersistenceEngine))) s = s with { PersistenceEngine = string.IsNullOrEmpty(PersistenceEngine) ? null : PersistenceEngine };
        return s.Validate();
    }
}

using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>New-LvsVirtualService: creates a virtual service (ipvsadm -A).</summary>
[Cmdlet(VerbsCommon.New, "LvsVirtualService", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(VirtualService))]
public sealed class NewLvsVirtualServiceCommand : ServiceSettingsCmdlet
{
    private const string IdSet = "Id";
    private const string AddressSet = "Address";
    private const string MarkSet = "FirewallMark";

    /// <summary>The service as one string: tcp/ADDRESS:PORT, udp/[IPV6]:PORT, sctp/..., fwm/MARK or fwm6/MARK.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public VirtualServiceId VirtualService { get; set; } = null!;

    /// <summary>Transport protocol of an address service.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AddressSet, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Tcp", "Udp", "Sctp", IgnoreCase = true)]
    public string Protocol { get; set; } = null!;

    /// <summary>The virtual address (VIP).</summary>
    [Parameter(Mandatory = true, ParameterSetName = AddressSet, ValueFromPipelineByPropertyName = true)]
    [Alias("VIP")]
    public string Address { get; set; } = null!;

    /// <summary>The virtual port, 0..65535 (0 only for a persistent service on the kernel backend).</summary>
    [Parameter(Mandatory = true, ParameterSetName = AddressSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PortCompleter))]
    public int Port { get; set; }

    /// <summary>Firewall mark, 1..4294967295 (ipvsadm -f); kernel backend only.</summary>
    [Parameter(Mandatory = true, ParameterSetName = MarkSet, ValueFromPipelineByPropertyName = true)]
    public uint FirewallMark { get; set; }

    /// <summary>Address family of a firewall-mark service: IPv4 (the default, fwm/MARK) or IPv6 (fwm6/MARK).</summary>
    [Parameter(ParameterSetName = MarkSet, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("IPv4", "IPv6", IgnoreCase = true)]
    public string AddressFamily { get; set; } = "IPv4";

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var id = ParameterSetName switch
            {
                AddressSet => VirtualServiceId.ForAddress(Enum.Parse<LvsProtocol>(Protocol, ignoreCase: true), Arguments.ParseAddress(Address, "virtual address"), CheckedPort(Port)),
                MarkSet => VirtualServiceId.ForFirewallMark(FirewallMark, AddressFamily.Equals("IPv6", StringComparison.OrdinalIgnoreCase) ? System.Net.Sockets.AddressFamily.InterNetworkV6 : System.Net.Sockets.AddressFamily.InterNetwork),
                _ => VirtualService,
            };
            var settings = ApplyTo(new VirtualServiceSettings { Id = id, Scheduler = Scheduler, Helper = ApplicationHelpers.DefaultFor(id) });
            if (!ShouldProcess(id.ToString(), $"Create virtual service (scheduler {settings.Scheduler})")) return;
            Backend.AddService(settings);
            KernelFtpWarnings.Check(Backend, id, WriteWarning);
            WriteObject(Backend.GetService(id));
        });
    }

    internal static ushort CheckedPort(int port) => port is >= 0 and <= 65535
        ? (ushort)port
        : throw LvsException.InvalidArgument("InvalidPort", $"Port {port} is out of range; allowed: 0..65535.", port);
}

using System.Management.Automation;

namespace LvsPs.Commands.Tests;

/// <summary>
/// Every kind of bad input, through the real cmdlets in-process: each is an ErrorRecord with a stable id and the right
/// category, whose message names the refused value, and the director is left exactly as it was.
/// </summary>
[Collection(nameof(PowerShellCollection))]
public sealed class ErrorRecordTests
{
    private const string Setup = @"
        Stop-LvsDirector
        $port = Get-Random -Minimum 20000 -Maximum 60000
        $script:id = ""tcp/127.0.77.1:$port""
        New-LvsVirtualService $id -Scheduler rr | Out-Null
        Add-LvsRealServer $id -Address 10.0.0.2
    ";

    private readonly PowerShellHost _ps;

    public ErrorRecordTests(PowerShellHost ps) => _ps = ps;

    public static TheoryData<string, string, ErrorCategory, string> Cases => new()
    {
        { "New-LvsVirtualService $id", "VirtualServiceExists", ErrorCategory.ResourceExists, "tcp/127.0.77.1" },
        { "Get-LvsVirtualService tcp/127.0.77.1:1", "VirtualServiceNotFound", ErrorCategory.ObjectNotFound, "tcp/127.0.77.1:1" },
        { "Remove-LvsVirtualService udp/127.0.77.1:1", "VirtualServiceNotFound", ErrorCategory.ObjectNotFound, "udp/127.0.77.1:1" },
        { "Add-LvsRealServer $id -Address 10.0.0.2", "RealServerExists", ErrorCategory.ResourceExists, "10.0.0.2" },
        { "Set-LvsRealServer $id -Address 10.0.0.9 -Weight 2", "RealServerNotFound", ErrorCategory.ObjectNotFound, "10.0.0.9" },
        { "Remove-LvsRealServer $id -Address 10.0.0.9", "RealServerNotFound", ErrorCategory.ObjectNotFound, "10.0.0.9" },
        { "Set-LvsRealServer $id -Address 10.0.0.2 -Weight 65536", "InvalidWeight", ErrorCategory.InvalidArgument, "65536" },
        { "Set-LvsRealServer $id -Address 10.0.0.2 -Weight -1", "InvalidWeight", ErrorCategory.InvalidArgument, "-1" },
        { "Set-LvsRealServer $id -Address 10.0.0.2 -UpperThreshold 5 -LowerThreshold 9", "InvalidThresholds", ErrorCategory.InvalidArgument, "9" },
        { "Set-LvsVirtualService $id -Scheduler nope", "UnknownScheduler", ErrorCategory.InvalidArgument, "'nope'" },
        { "Set-LvsVirtualService $id -PersistenceTimeout 60 -PersistenceNetmask 255.0.255.0", "InvalidNetmask", ErrorCategory.InvalidArgument, "255.0.255.0" },
        { "Set-LvsVirtualService $id -PersistenceTimeout 60 -PersistenceNetmask 33", "InvalidNetmask", ErrorCategory.InvalidArgument, "33" },
        { "Set-LvsVirtualService $id -OnePacket", "OnePacketNotUdp", ErrorCategory.InvalidArgument, "tcp/127.0.77.1" },
        { "New-LvsVirtualService -Protocol Tcp -Address 127.0.77.1 -Port 65536", "InvalidPort", ErrorCategory.InvalidArgument, "65536" },
        { "New-LvsVirtualService tcp/127.0.77.1:0", "ZeroPortNotPersistent", ErrorCategory.InvalidArgument, "tcp/127.0.77.1:0" },
        { "New-LvsVirtualService -FirewallMark 9", "FirewallMarkNeedsKernel", ErrorCategory.InvalidOperation, "fwm/9" },
        { "New-LvsVirtualService sctp/127.0.77.1:9", "SctpNeedsKernel", ErrorCategory.InvalidOperation, "sctp/127.0.77.1:9" },
        { "Add-LvsRealServer $id -Address 10.0.0.3 -Forwarding DirectRoute", "ForwardingNeedsKernel", ErrorCategory.InvalidOperation, "DirectRoute" },
        { "Add-LvsRealServer $id -Address 10.0.0.3 -Forwarding Tunnel", "ForwardingNeedsKernel", ErrorCategory.InvalidOperation, "Tunnel" },
        { "Add-LvsRealServer $id -Address ::1", "RealServerFamilyMismatch", ErrorCategory.InvalidArgument, "::1" },
        { "New-LvsVirtualService tcp/192.0.2.55:8080", "VirtualAddressNotLocal", ErrorCategory.InvalidArgument, "192.0.2.55" },
        { "Set-LvsTimeout -Tcp 9999999", "InvalidTimeout", ErrorCategory.InvalidArgument, "9999999" },
        { "Start-LvsSyncDaemon -Role Master -Interface lo", "SyncDaemonNeedsKernel", ErrorCategory.InvalidOperation, "kernel" },
        { "Get-LvsVirtualService -Director 'nowhere'", "InvalidDirector", ErrorCategory.InvalidArgument, "'nowhere'" },
        { "Set-LvsHealthCheck $id -Interval 0", "InvalidHealthInterval", ErrorCategory.InvalidArgument, "0" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_is_a_categorised_error_that_names_the_value_and_changes_nothing(string command, string errorId, ErrorCategory category, string named)
    {
        _ps.Run(Setup);
        var before = Snapshot();
        var (_, errors) = _ps.Run(command);
        var error = Assert.Single(errors);
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Contains(named, error.Exception.Message);
        Assert.IsNotType<NullReferenceException>(error.Exception);
        Assert.Equal(before, Snapshot());
    }

    [Theory]
    [InlineData("Add-LvsRealServer $id -Address 10", "InvalidAddress,", "'10' is not a valid address or ADDRESS:PORT")]
    [InlineData("Add-LvsRealServer $id -Address 300.1.1.1", "InvalidAddress,", "'300.1.1.1' is not a valid address or ADDRESS:PORT")]
    [InlineData("New-LvsVirtualService -Protocol Tcp -Address 1.2.3 -Port 80", "InvalidAddress,", "'1.2.3' is not a valid IP address")]
    [InlineData("Get-LvsVirtualService icmp/1.2.3.4:1", "InvalidVirtualService,", "unknown protocol 'icmp'")]
    [InlineData("Get-LvsVirtualService 'tcp/[::1'", "InvalidVirtualService,", "'[' without ']'")]
    [InlineData("Remove-LvsVirtualService tcp/300.1.1.1:80", "CannotConvertArgumentNoMessage,", "'300.1.1.1' is not an IPv4 or IPv6 address")]
    public void Bad_addresses_and_service_strings_are_invalid_arguments_naming_them(string command, string errorId, string message)
    {
        _ps.Run(Setup);
        var before = Snapshot();
        var (_, errors) = _ps.Run(command);
        var error = Assert.Single(errors);
        Assert.StartsWith(errorId, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains(message, error.Exception.Message);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void Objects_bind_to_VirtualService_by_value_and_by_property_name()
    {
        _ps.Run(Setup);
        var (output, errors) = _ps.Run("Get-LvsVirtualService $id | Get-LvsRealServer | Set-LvsRealServer -Weight 5 -PassThru | Get-LvsVirtualService");
        Assert.Empty(errors);
        var svc = Assert.IsType<LvsPs.Model.VirtualService>(Assert.Single(output).BaseObject);
        Assert.Equal(5, svc.RealServers.Single().Weight);
    }

    private string Snapshot() =>
        string.Join("\n", _ps.Run("Get-LvsVirtualService | Out-String -Width 200; Get-LvsTimeout | Out-String").Output.Select(o => o.ToString()));
}

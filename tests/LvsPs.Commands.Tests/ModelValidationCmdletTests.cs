using System.Management.Automation;

namespace LvsPs.Commands.Tests;

/// <summary>
/// Values the model refuses, through the cmdlets: each is an InvalidArgument naming the value, and the director is
/// left as it was (the same checks refuse them through the control socket, DSC and documents: see ModelValidationTests).
/// </summary>
[Collection(nameof(PowerShellCollection))]
public sealed class ModelValidationCmdletTests
{
    private const string Setup = @"
        Stop-LvsDirector
        $port = Get-Random -Minimum 20000 -Maximum 60000
        $script:id = ""tcp/127.0.79.1:$port""
        New-LvsVirtualService $id -Scheduler rr | Out-Null
        Add-LvsRealServer $id -Address 10.0.0.2
        Add-LvsRealServer $id -Address 10.0.0.2 -Port 8080
    ";

    private readonly PowerShellHost _ps;

    public ModelValidationCmdletTests(PowerShellHost ps) => _ps = ps;

    public static TheoryData<string, string, string> Cases => new()
    {
        // -Port -1 used to mean "the service's port": Add added it, Remove removed the wrong server
        { "Add-LvsRealServer $id -Address 10.0.0.3 -Port -1", "InvalidPort", "-1" },
        { "Remove-LvsRealServer $id -Address 10.0.0.2 -Port -1 -Confirm:$false", "InvalidPort", "-1" },
        { "Set-LvsRealServer $id -Address 10.0.0.2 -Port -1 -Weight 3", "InvalidPort", "-1" },
        { "Add-LvsRealServer $id -Address 10.0.0.2 -Port 65536", "InvalidPort", "65536" },
        { "Add-LvsRealServer $id -Address 0.0.0.0", "InvalidAddress", "0.0.0.0" },
        { "Set-LvsVirtualService $id -PersistenceTimeout 60 -PersistenceEngine nosuchpe", "UnknownPersistenceEngine", "nosuchpe" },
        { "Set-LvsHealthCheck $id -SorryServer 127.0.0.1:0 -Interval 3600", "InvalidSorryServer", "127.0.0.1:0" },
        { "Set-LvsHealthCheck $id -SorryServer '[::1]:8080' -Interval 3600", "SorryServerFamilyMismatch", "[::1]:8080" },
        { "Set-LvsHealthCheck $id -Type Http -Path \"/health`r`nHost: evil\" -Interval 3600", "InvalidHealthPath", "/health\\r\\nHost: evil" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Refused_naming_the_value_and_nothing_changes(string command, string errorId, string named)
    {
        _ps.Run(Setup);
        var before = Snapshot();
        var (_, errors) = _ps.Run(command);
        var error = Assert.Single(errors);
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains(named, error.Exception.Message);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void A_huge_value_gives_a_short_error()
    {
        _ps.Run(Setup);
        var (_, errors) = _ps.Run("Set-LvsVirtualService $id -Scheduler ('x' * 10MB)");
        var error = Assert.Single(errors);
        Assert.True(error.Exception.Message.Length < 400, $"{error.Exception.Message.Length} characters");
        Assert.Contains("10485760 characters", error.Exception.Message);
    }

    private string Snapshot() =>
        string.Join("\n", _ps.Run("Get-LvsVirtualService | Out-String -Width 200; Get-LvsRealServer | Out-String -Width 200; Get-LvsHealthCheck | Out-String -Width 200").Output.Select(o => o.ToString()));
}

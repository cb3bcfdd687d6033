using LvsPs.Model.Health;

namespace LvsPs.Commands.Tests;

/// <summary>The health-check cmdlets against the in-session managed director.</summary>
[Collection(nameof(PowerShellCollection))]
public sealed class HealthCheckCmdletTests
{
    private const string Setup = @"
        Stop-LvsDirector
        $port = Get-Random -Minimum 20000 -Maximum 60000
        $script:id = ""tcp/127.0.78.1:$port""
        New-LvsVirtualService $id -Scheduler rr | Out-Null
        Add-LvsRealServer $id -Address 127.0.0.1 -Port 1
    ";

    private readonly PowerShellHost _ps;

    public HealthCheckCmdletTests(PowerShellHost ps) => _ps = ps;

    private ServiceHealthCheck Current()
    {
        var (output, errors) = _ps.Run("Get-LvsHealthCheck $id");
        Assert.Empty(errors);
        return Assert.IsType<ServiceHealthCheck>(Assert.Single(output).BaseObject);
    }

    [Fact]
    public void Set_changes_only_the_parameters_given_and_says_what_changes()
    {
        _ps.Run(Setup);
        var (_, errors) = _ps.Run("Set-LvsHealthCheck $id -Type Http -Path /healthz -Port 9 -Retries 5 -Rise 2 -FailureAction Remove -SorryServer 127.0.0.1:2 -Interval 3600");
        Assert.Empty(errors);

        var (output, errors2) = _ps.Run("Set-LvsHealthCheck $id -Interval 1800 -Verbose 4>&1");
        Assert.Empty(errors2);
        var said = string.Join("\n", output.Select(o => o.ToString()));
        Assert.Contains("Interval: 3600 -> 1800", said);
        Assert.DoesNotContain("Retries", said); // only what changes

        var check = Current();
        Assert.Equal(1800, check.IntervalSeconds);
        Assert.Equal(HealthCheckType.Http, check.Type);
        Assert.Equal("/healthz", check.Path);
        Assert.Equal((ushort)9, check.Port);
        Assert.Equal(5, check.Retries);
        Assert.Equal(2, check.Rise);
        Assert.Equal(HealthFailureAction.Remove, check.FailureAction);
        Assert.Equal("127.0.0.1:2", check.SorryServer);

        // an empty -SorryServer removes it, -Port 0 checks each real server's own port again
        _ps.Run("Set-LvsHealthCheck $id -SorryServer '' -Port 0");
        check = Current();
        Assert.Null(check.SorryServer);
        Assert.Null(check.Port);
        Assert.Equal(1800, check.IntervalSeconds);

        // -WhatIf changes nothing
        _ps.Run("Set-LvsHealthCheck $id -Retries 9 -WhatIf");
        Assert.Equal(5, Current().Retries);
        _ps.Run("Remove-LvsHealthCheck $id");
    }

    [Fact]
    public void A_new_check_takes_the_defaults_for_what_is_not_given()
    {
        _ps.Run(Setup);
        var (output, errors) = _ps.Run("Set-LvsHealthCheck $id -Interval 3600 -Verbose 4>&1");
        Assert.Empty(errors);
        Assert.Contains("Tcp health check every 3600 s", string.Join("\n", output.Select(o => o.ToString())));
        var check = Current();
        Assert.Equal(new HealthCheckSettings { IntervalSeconds = 3600 }, check.Check);
        _ps.Run("Remove-LvsHealthCheck $id");
    }
}

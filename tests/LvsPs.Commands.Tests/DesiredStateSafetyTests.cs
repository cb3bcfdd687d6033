namespace LvsPs.Commands.Tests;

/// <summary>Import/Compare-LvsConfiguration never read an empty document as "the desired state is nothing".</summary>
[Collection(nameof(PowerShellCollection))]
public sealed class DesiredStateSafetyTests : IDisposable
{
    private readonly PowerShellHost _ps;
    private readonly string _dir = Directory.CreateTempSubdirectory("lvsps-empty-").FullName;

    public DesiredStateSafetyTests(PowerShellHost ps) => _ps = ps;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("")]
    [InlineData("  \n\n")]
    [InlineData("null\n")]
    [InlineData("# just a comment\n")]
    public void Import_Prune_of_an_empty_document_is_an_error_and_removes_nothing(string content)
    {
        var path = Path.Combine(_dir, "empty.yaml");
        File.WriteAllText(path, content);
        _ps.Run(@"
            Stop-LvsDirector
            $script:id = ""tcp/127.0.80.1:$(Get-Random -Minimum 20000 -Maximum 60000)""
            New-LvsVirtualService $id -Scheduler rr | Add-LvsRealServer -Address 10.0.0.2");
        var (_, errors) = _ps.Run($"Import-LvsConfiguration -Path '{path}' -Prune -Confirm:$false");
        var error = Assert.Single(errors);
        Assert.StartsWith("EmptyDirectorDocument,", error.FullyQualifiedErrorId);
        Assert.Contains("empty.yaml", error.Exception.Message);
        Assert.Single(_ps.Run("Get-LvsVirtualService $id").Output);

        (_, errors) = _ps.Run($"Compare-LvsConfiguration -Path '{path}' -Prune");
        Assert.StartsWith("EmptyDirectorDocument,", Assert.Single(errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void An_explicit_empty_list_with_Prune_removes_the_services()
    {
        var path = Path.Combine(_dir, "none.yaml");
        File.WriteAllText(path, "virtualServices: []\n");
        _ps.Run(@"
            Stop-LvsDirector
            $script:id = ""tcp/127.0.80.2:$(Get-Random -Minimum 20000 -Maximum 60000)""
            New-LvsVirtualService $id -Scheduler rr | Out-Null");
        var (_, errors) = _ps.Run($"Import-LvsConfiguration -Path '{path}' -Prune -Confirm:$false");
        Assert.Empty(errors);
        Assert.Empty(_ps.Run("Get-LvsVirtualService").Output);
    }
}

using LvsPs.Configuration;
using LvsPs.Model;

namespace LvsPs.Tests.Configuration;

/// <summary>The director document reader (YAML and JSON) on malformed input: errors name the right line, and are bounded.</summary>
public sealed class DocumentReaderTests
{
    private static LvsException Only(DirectorDocumentResult result) => Assert.Single(result.Errors);

    [Theory]
    [InlineData("virtualServices:\n\t- virtualService: tcp/10.0.0.1:80\n")]
    [InlineData("virtualServices:\n  - virtualService: tcp/10.0.0.1:80\n\tscheduler: rr\n")]
    public void A_tab_on_line_2_or_3_is_reported_at_its_line(string yaml)
    {
        int line = yaml.Split('\n').Select((l, i) => (l, i)).First(x => x.l.StartsWith('\t')).i + 1;
        var e = Only(DirectorDocument.Load(yaml, "d.yaml"));
        Assert.Equal("InvalidDirectorDocument", e.ErrorId);
        Assert.True(e.Message.StartsWith($"d.yaml:{line}:", StringComparison.Ordinal), e.Message);
    }

    [Fact]
    public void Tabs_are_whitespace_in_json_and_an_error_after_one_is_reported_at_its_line()
    {
        Assert.Empty(DirectorDocument.Load("{\n\t\"virtualServices\": []\n}\n", "d.json").Errors);
        var e = Only(DirectorDocument.Load("{\n\t\"virtualServices\": [ , ]\n}\n", "d.json"));
        Assert.True(e.Message.StartsWith("d.json:2:", StringComparison.Ordinal), e.Message);
    }
}

using CsCheck;
using LvsPs.Model;
using LvsPs.Model.Failover;

namespace LvsPs.Tests.Fuzz;

/// <summary>
/// Fuzz target: the text forms Set-LvsBgp reads (<see cref="BgpNeighbor.Parse"/> "ADDRESS as AS",
/// <see cref="BgpNode.Parse"/> "NAME ROUTERID [as AS]"). Properties: they throw nothing but LvsException with a bounded
/// message, and what they accept writes back (ToString) to text that parses to the same value.
/// </summary>
public sealed class BgpTextFuzzTests
{
    private static readonly string[] Seeds = { "10.0.0.1 as 65000", "2001:db8::1 AS 4200000000", "lb1 10.0.0.11", "lb2 10.0.0.12 as 65002" };

    internal static void Property(string text)
    {
        Check(text, BgpNeighbor.Parse, n => n.ToString());
        Check(text, BgpNode.Parse, n => n.ToString());
    }

    private static void Check<T>(string text, Func<string, T> parse, Func<T, string> write)
    {
        T value;
        try
        {
            value = parse(text);
        }
        catch (LvsException e)
        {
            Assert.True(e.Message.Length <= LvsException.MaxMessageLength + 80);
            return;
        }
        Assert.Equal(value, parse(write(value)));
    }

    public static Gen<string> Inputs => Gen.Frequency(
        (6, Fuzzing.Mutations(Seeds, " .:as0123456789abcdefAS\t%[]-")),
        (3, Gen.OneOf(new[] { "as", "AS", "10.0.0.1", "::1", "lb1", "65000", "4294967296", "-1", "0", "1.2.3", "fe80::1%eth0", "" }
            .Select(Gen.Const).ToArray()).Array[0, 6].Select(words => string.Join(" ", words))),
        (1, Gen.String[Gen.Char[" as.0:1"], 0, 400]));

    [Fact]
    public void Seeded_run_throws_only_LvsException_and_round_trips()
    {
        Assert.True(Fuzzing.Run("bgp text forms", Inputs, Property, s => s, iterations: 3000, seed: 20261128) >= 3000);
    }
}

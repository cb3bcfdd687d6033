using CsCheck;
using LvsPs.DirectorService.Failover;
using LvsPs.Model.Failover;

namespace LvsPs.Tests.Fuzz;

/// <summary>
/// Fuzz target: the reader of `birdc show protocols` (<see cref="BirdProtocols.Parse"/>, what Get-LvsBgp's session
/// states come from). Properties: nothing throws; at most one protocol per line and never more than
/// <see cref="BirdProtocols.MaxLines"/>; every protocol has a name, a defined state and an Info that is null or text.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BirdProtocolsFuzzTests
{
    internal static readonly string[] Seeds =
    {
        "BIRD 2.0.12 ready.\nName       Proto      Table      State  Since         Info\ndevice1    Device     ---        up     2026-11-28 14:42:50  \n" +
        "lvsps_vips4 Static     master4    up     2026-11-28 14:42:50  \nlvsps_peer1 BGP        ---        up     2026-11-28 14:42:55  Established   \n",
        "BIRD 2.0.12 ready.\nName       Proto      Table      State  Since         Info\nlvsps_peer1 BGP        ---        start  2026-11-28 14:42:50  Active        Socket: Connection refused\n" +
        "lvsps_peer2 BGP        ---        down   2026-11-28 14:42:50  Error: Invalid next hop\n",
        "BIRD 2.0.12 ready.\nlvsps_peer1 BGP        ---        start  14:42:50.123  Connect\nlvsps_peer2 BGP ---   start 2026-11-28 14:42:50 OpenSent\n",
    };

    internal static void Property(string text)
    {
        var found = BirdProtocols.Parse(text);
        Assert.InRange(found.Count, 0, Math.Min(BirdProtocols.MaxLines, text.Split('\n').Length));
        foreach (var p in found)
        {
            Assert.False(string.IsNullOrEmpty(p.Name));
            Assert.True(Enum.IsDefined(p.State));
            Assert.True(p.Info is null || p.Info.Length <= BirdProtocols.MaxLineLength);
        }
    }

    public static Gen<string> Inputs => Gen.Frequency(
        (6, Fuzzing.Mutations(Seeds, " -:.\n\t0123456789BGPupdownstartEstablishedActive")),
        (3, Gen.OneOf(new[] { "lvsps_peer1", "BGP", "---", "up", "down", "start", "2026-11-28", "14:42:50", "99:99:99", "Idle", "Unknown", "Error:", "\t", "" }
            .Select(Gen.Const).ToArray()).Array[0, 10].Array[1, 8].Select(lines => string.Join("\n", lines.Select(l => string.Join(" ", l))))),
        (1, Gen.String[Gen.Char[" BGP\nup\t"], 0, 200]));

    [Fact]
    public void Seeded_run_throws_nothing()
    {
        Assert.True(Fuzzing.Run("birdc show protocols", Inputs, Property, s => s, iterations: 3000, seed: 20261128) >= 3000);
    }

    [Fact]
    public void A_huge_output_is_read_only_to_its_bound()
    {
        var line = "lvsps_peer1 BGP --- up 2026-11-28 14:42:55 Established\n";
        var found = BirdProtocols.Parse(string.Concat(Enumerable.Repeat(line, BirdProtocols.MaxLines * 3)));
        Assert.Equal(BirdProtocols.MaxLines, found.Count);
        var longInfo = BirdProtocols.Parse("lvsps_peer1 BGP --- start 2026-11-28 14:42:55 Active " + new string('x', 100_000));
        Assert.True(Assert.Single(longInfo).Info!.Length < BirdProtocols.MaxLineLength);
        Assert.Equal(BgpSessionState.Active, longInfo[0].State);
    }
}

using CsCheck;
using LvsPs.Model;

namespace LvsPs.Tests.Fuzz;

/// <summary>
/// Fuzz target: the ipvsadm rules parser (ipvsadm -S output, -R input). Property: IpvsadmRules.Parse throws nothing
/// but LvsException (with a bounded message), and rules it accepts format back to text that parses to the same changes.
/// </summary>
public sealed class IpvsadmRulesFuzzTests
{
    private static readonly string[] Tokens =
    {
        "-A", "-a", "-E", "-e", "-t", "-u", "-f", "--sctp-service", "-r", "-s", "rr", "wlc", "mh", "sh", "-p", "-M", "--pe", "sip",
        "-o", "-b", "sh-fallback,sh-port", "flag-1", "-w", "-x", "-y", "-i", "-g", "-m", "--tun-type", "ipip", "gue", "gre", "--tun-port",
        "--tun-csum", "--tun-nocsum", "--tun-remcsum", "-6", "10.0.0.1:80", "10.0.0.2", "[2001:db8::1]:443", "[::1", "0.0.0.0:0",
        "255.255.255.255:65535", "1", "0", "-1", "65536", "4294967296", "99999999999999999999", "255.255.255.0", "64", "#", "--add-service",
        "--tcp-service", "--real-server", "--weight", "\t", "",
    };

    private static readonly string[] Seeds =
    {
        "-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.1.2:80 -g -w 0\n-a -t 10.0.0.1:80 -r 10.0.1.4:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-nocsum\n",
        "-A -f -1 -6 -s rr -p 360\n-A -t 10.0.0.2:0 -s wlc -p 600 -M 255.255.255.0 --pe sip\n-A -u 10.0.0.1:53 -s sh -o -b sh-fallback,sh-port\n",
        "-A -t [2001:db8::1]:443 -s lc -p 100 -M 64\n-a -t [2001:db8::1]:443 -r [2001:db8::10]:443 -m -w 1\n-a -t 10.0.0.1:80 -r 10.0.1.7:80 -i -w 2 --tun-type ipip\n",
    };

    internal static void Property(string text)
    {
        IReadOnlyList<DirectorChange> changes;
        try
        {
            changes = IpvsadmRules.Parse(text);
        }
        catch (LvsException e)
        {
            Assert.True(e.Message.Length <= LvsException.MaxMessageLength + 80);
            return;
        }
        Assert.NotNull(changes);
    }

    public static Gen<string> Inputs => Gen.Frequency(
        (5, Fuzzing.Mutations(Seeds, " -:[].,\n\t0123456789abcdefimrstuwxyAE#")),
        (4, Gen.OneOf(Tokens.Select(Gen.Const).ToArray()).Array[0, 14].Array[1, 6].Select(lines => string.Join("\n", lines.Select(l => string.Join(" ", l))))),
        (1, Gen.String[Gen.Char[" -tAa\n"], 0, 100]));

    [Fact]
    public void Seeded_run_throws_only_LvsException()
    {
        Assert.True(Fuzzing.Run("ipvsadm rules", Inputs, Property, s => s, iterations: 3000, seed: 20261128) >= 3000);
    }
}

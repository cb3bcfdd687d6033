using System.Buffers;
using System.Text;
using CsCheck;
using LvsPs.Engine.Ftp;

namespace LvsPs.Tests.Fuzz;

/// <summary>
/// Fuzz target: the FTP control-line parsers of the managed engine's FTP helper: the line splitter (however the bytes
/// are cut into reads), the reply tracker and the PORT/EPRT/227/229 endpoint parsers. Properties: nothing throws; a
/// handler that keeps lines as they are gets the byte stream back unchanged; a parsed endpoint lies inside the line and
/// its port is 1..65535; a parsed announcement written back by the formatter parses to the same endpoint.
/// </summary>
public sealed class FtpParserFuzzTests
{
    private static readonly string[] Seeds =
    {
        "227 Entering Passive Mode (192,168,0,10,195,80).\r\n",
        "229 Entering Extended Passive Mode (|||6446|)\r\n",
        "PORT 10,0,0,2,4,1\r\nEPRT |1|192.0.2.1|6446|\r\nEPRT |2|2001:db8::1|6446|\r\n",
        "211-Features:\r\n 227 not a reply\r\n EPSV\r\n211 End\r\n227 =10,0,0,1,0,21\r\n",
        "220 ready\r\nUSER anonymous\r\n331 ok\r\nPASS x\r\n230 in\r\nPASV\r\n",
    };

    internal static void Property((byte[] Data, int[] Cuts) input)
    {
        var splitter = new FtpLineSplitter();
        var tracker = new FtpReplyTracker();
        var output = new ArrayBufferWriter<byte>();
        void OnLine(ReadOnlySpan<byte> line, bool rewritable, IBufferWriter<byte> o)
        {
            tracker.Next(line);
            Assert.InRange(tracker.Code, -1, 999);
            var text = Encoding.Latin1.GetString(line);
            if (FtpEndpointSyntax.TryParsePassiveReply(text, 0, out var pasv)) Check(text, pasv, p => FtpEndpointSyntax.TryParsePassiveReply(p, 0, out var x) ? x : null, true);
            if (FtpEndpointSyntax.TryParseExtendedPassiveReply(text, out var epsv)) Check(text, epsv, p => FtpEndpointSyntax.TryParseExtendedPassiveReply(p, out var x) ? x : null, false);
            if (FtpEndpointSyntax.TryParsePortCommand(text, out var port)) Check(text, port, p => FtpEndpointSyntax.TryParsePortCommand(p, out var x) ? x : null, true);
            if (FtpEndpointSyntax.TryParseExtendedPortCommand(text, out var eprt)) Check(text, eprt, p => FtpEndpointSyntax.TryParseExtendedPortCommand(p, out var x) ? x : null, false);
            _ = FtpEndpointSyntax.IsCommand(line, "PASV") | FtpEndpointSyntax.IsCommand(line, "AUTH");
            o.Write(line); // kept as it is
        }
        int at = 0;
        foreach (var cut in input.Cuts.Append(input.Data.Length).Order())
        {
            int end = Math.Clamp(cut, at, input.Data.Length);
            splitter.Feed(input.Data.AsSpan(at, end - at), output, OnLine);
            at = end;
        }
        splitter.Flush(output);
        Assert.Equal(input.Data, output.WrittenSpan.ToArray());
    }

    private static void Check(string line, FtpEndpointText found, Func<string, FtpEndpointText?> parse, bool hostPort)
    {
        Assert.InRange(found.Start, 0, line.Length);
        Assert.InRange(found.Start + found.Length, found.Start, line.Length);
        Assert.InRange(found.Port, 1, 65535);
        if (found.Address is null || (hostPort && found.Address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)) return;
        var replacement = hostPort ? FtpEndpointSyntax.FormatHostPort(found.Address, found.Port) : FtpEndpointSyntax.FormatExtendedPort(found.Address, found.Port);
        var again = parse(FtpEndpointSyntax.Replace(line, found, replacement));
        Assert.NotNull(again);
        Assert.Equal((found.Address, found.Port), (again.Value.Address, again.Value.Port));
    }

    public static Gen<(byte[], int[])> Inputs => Gen.Select(
        Gen.Frequency(
            (5, Fuzzing.Mutations(Seeds, "0123456789,|()-. \r\nPORTEPRTpasv227229\u00ff:").Select(s => Encoding.Latin1.GetBytes(s))),
            (2, Gen.Byte.Array[0, 300]),
            (1, Gen.Int[1000, 3000].Select(n => Encoding.Latin1.GetBytes("227 " + new string('9', n) + ",1,1,1,1,1\r\n")))),
        Gen.Int[0, 400].Array[0, 6]);

    [Fact]
    public void Seeded_run_never_throws_and_passes_the_bytes_through()
    {
        Assert.True(Fuzzing.Run("ftp control lines", Inputs, Property, i => Encoding.Latin1.GetString(i.Item1) + " | cuts " + string.Join(",", i.Item2), iterations: 3000, seed: 20261128) >= 3000);
    }
}

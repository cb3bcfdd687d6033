using System.Buffers;
using System.Text;
using LvsPs.Engine.Ftp;

namespace LvsPs.Tests.Ftp;

public class FtpLineSplitterTests
{
    private static (List<string> Lines, string Output) Feed(FtpLineSplitter splitter, IEnumerable<string> chunks)
    {
        var lines = new List<string>();
        var output = new ArrayBufferWriter<byte>();
        foreach (var chunk in chunks)
        {
            splitter.Feed(Encoding.Latin1.GetBytes(chunk), output, (line, rewritable, o) =>
            {
                lines.Add((rewritable ? "" : "!") + Encoding.Latin1.GetString(line));
                o.Write(rewritable ? Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(line).ToUpperInvariant()) : line);
            });
        }
        return (lines, Encoding.Latin1.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Lines_split_across_reads_are_seen_whole()
    {
        var (lines, output) = Feed(new FtpLineSplitter(), new[] { "pa", "sv\r", "\nport 1,2", ",3,4,5,6\r\nquit\r\n" });
        Assert.Equal(new[] { "pasv\r\n", "port 1,2,3,4,5,6\r\n", "quit\r\n" }, lines);
        Assert.Equal("PASV\r\nPORT 1,2,3,4,5,6\r\nQUIT\r\n", output);
    }

    [Fact]
    public void Byte_by_byte_delivery_holds_the_line_back_until_it_ends()
    {
        var splitter = new FtpLineSplitter();
        var (lines, output) = Feed(splitter, "epsv\r\n".Select(c => c.ToString()));
        Assert.Equal(new[] { "epsv\r\n" }, lines);
        Assert.Equal("EPSV\r\n", output);
        Assert.Equal(0, splitter.HeldLength);
    }

    [Fact]
    public void A_partial_line_is_held_and_flushed_at_the_end()
    {
        var splitter = new FtpLineSplitter();
        var (_, output) = Feed(splitter, new[] { "noop\r\nqui" });
        Assert.Equal("NOOP\r\n", output);
        Assert.Equal(3, splitter.HeldLength);
        var rest = new ArrayBufferWriter<byte>();
        splitter.Flush(rest);
        Assert.Equal("qui", Encoding.Latin1.GetString(rest.WrittenSpan));
    }

    [Fact]
    public void An_overlong_line_passes_through_unrewritten()
    {
        var longText = new string('x', FtpLineSplitter.MaxLineLength + 10);
        var (lines, output) = Feed(new FtpLineSplitter(), new[] { "a\r\n" + longText[..500], longText[500..], "yz\r\nb\r\n" });
        Assert.Equal(new[] { "a\r\n", "!" + longText, "b\r\n" }, lines);
        Assert.Equal("A\r\n" + longText + "yz\r\nB\r\n", output);
    }

    [Fact]
    public void Transparent_passes_held_and_new_bytes_untouched()
    {
        var splitter = new FtpLineSplitter();
        var (_, first) = Feed(splitter, new[] { "ab" });
        Assert.Equal("", first);
        splitter.Transparent = true;
        var (lines, output) = Feed(splitter, new[] { "c\r\n\u0016\u0003" });
        Assert.Empty(lines);
        Assert.Equal("abc\r\n\u0016\u0003", output);
    }
}

public class FtpReplyTrackerTests
{
    private static List<(int Code, bool Starts)> Track(params string[] lines)
    {
        var tracker = new FtpReplyTracker();
        var result = new List<(int, bool)>();
        foreach (var line in lines)
        {
            tracker.Next(Encoding.ASCII.GetBytes(line));
            result.Add((tracker.Code, tracker.StartsReply));
        }
        return result;
    }

    [Fact]
    public void Single_line_replies_each_start_a_reply()
    {
        Assert.Equal(new[] { (220, true), (227, true), (229, true) }, Track("220 hi\r\n", "227 Entering Passive Mode (1,2,3,4,5,6)\r\n", "229 ok (|||5|)\r\n"));
    }

    [Fact]
    public void Lines_inside_a_multi_line_reply_belong_to_it_even_when_they_look_like_a_227()
    {
        var r = Track("211-Features:\r\n", "227 Entering Passive Mode (1,2,3,4,5,6)\r\n", " MDTM\r\n", "211 End\r\n", "227 Entering Passive Mode (1,2,3,4,5,6)\r\n");
        Assert.Equal(new[] { (211, true), (211, false), (211, false), (211, false), (227, true) }, r);
    }

    [Fact]
    public void A_multi_line_227_is_followed_to_its_end()
    {
        Assert.Equal(new[] { (227, true), (227, false), (227, false), (200, true) },
            Track("227-Entering Passive Mode\r\n", "227-(1,2,3,4,5,6)\r\n", "227 done\r\n", "200 ok\r\n"));
    }

    [Fact]
    public void Garbage_is_no_reply() => Assert.Equal(new[] { (-1, false), (-1, false) }, Track("hello\r\n", "22x oops\r\n"));
}

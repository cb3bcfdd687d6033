using System.Text;
using LvsPs.Model;

namespace LvsPs.Engine.Preface;

/// <summary>
/// Reads the head of an HTTP/1.x request (RFC 9112): the request line and the header fields up to the empty line, no
/// body. Strict where smuggling lives: a field name must be a token with no space before the colon, obsolete line
/// folding and bare control characters are refused, and two Host fields are an error (RFC 9112 section 3.2). A line
/// may end in a bare LF (section 2.2 allows a recipient to accept it).
/// </summary>
internal static class HttpRequestHead
{
    /// <summary>Most header fields taken in one head.</summary>
    public const int MaxFields = 128;

    /// <summary>Parses the head at the start of <paramref name="data"/>; <paramref name="length"/> is its length with the
    /// empty line.</summary>
    public static ParseStatus TryParse(ReadOnlySpan<byte> data, out ContentRequest? request, out int length)
    {
        request = null;
        length = 0;
        int end = FindEnd(data, out int terminator);
        if (end < 0)
        {
            // not done yet; but a request line that is already wrong will not get better
            int firstLf = data.IndexOf((byte)'\n');
            if (firstLf >= 0 && !TryRequestLine(Line(data[..firstLf]), out _, out _)) return ParseStatus.Invalid;
            if (firstLf < 0 && data.Length > 0 && !IsPlausibleStart(data)) return ParseStatus.Invalid;
            return ParseStatus.Incomplete;
        }
        length = end + terminator;
        var head = data[..end];
        int lf = head.IndexOf((byte)'\n');
        var requestLine = Line(lf < 0 ? head : head[..lf]);
        if (!TryRequestLine(requestLine, out var method, out var target)) return ParseStatus.Invalid;
        var headers = new List<KeyValuePair<string, string>>();
        string? host = null;
        var rest = lf < 0 ? ReadOnlySpan<byte>.Empty : head[(lf + 1)..];
        while (!rest.IsEmpty)
        {
            int next = rest.IndexOf((byte)'\n');
            var line = Line(next < 0 ? rest : rest[..next]);
            rest = next < 0 ? ReadOnlySpan<byte>.Empty : rest[(next + 1)..];
            if (line.IsEmpty) return ParseStatus.Invalid; // an empty line ends the head; FindEnd found the first
            if (line[0] is (byte)' ' or (byte)'\t') return ParseStatus.Invalid; // obs-fold
            int colon = line.IndexOf((byte)':');
            if (colon <= 0) return ParseStatus.Invalid;
            foreach (byte b in line[..colon])
            {
                if (!ContentRule.IsTokenChar((char)b)) return ParseStatus.Invalid; // includes "Host :" (space before colon)
            }
            var valueBytes = line[(colon + 1)..];
            foreach (byte b in valueBytes)
            {
                if ((b < 0x20 && b != (byte)'\t') || b == 0x7F) return ParseStatus.Invalid;
            }
            if (headers.Count == MaxFields) return ParseStatus.Invalid;
            string name = Encoding.ASCII.GetString(line[..colon]);
            string value = Encoding.Latin1.GetString(valueBytes).Trim(' ', '\t');
            if (string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                if (host is not null) return ParseStatus.Invalid;
                host = ContentRequest.HostWithoutPort(value);
            }
            headers.Add(new(name, value));
        }
        int query = target.IndexOfAny(['?', '#']);
        string path = query >= 0 ? target[..query] : target;
        if (host is null && Uri.TryCreate(target, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            host = absolute.Host.Trim('[', ']'); // absolute-form (a request to a proxy)
            path = absolute.AbsolutePath;
        }
        request = new ContentRequest { Method = method, Path = path, Host = host, Headers = headers };
        return ParseStatus.Complete;
    }

    /// <summary>Where the head ends (the index of the empty line's start) and the empty line's length; -1 when not yet.</summary>
    private static int FindEnd(ReadOnlySpan<byte> data, out int terminator)
    {
        terminator = 0;
        for (int i = data.IndexOf((byte)'\n'); i >= 0 && i < data.Length;)
        {
            // i is at an LF; the head ends when the next line is empty ("\n\n" or "\n\r\n")
            if (i + 1 < data.Length && data[i + 1] == (byte)'\n')
            {
                terminator = 2;
                return i + 0;
            }
            if (i + 2 < data.Length && data[i + 1] == (byte)'\r' && data[i + 2] == (byte)'\n')
            {
                terminator = 3;
                return i + 0;
            }
            int next = data[(i + 1)..].IndexOf((byte)'\n');
            if (next < 0) return -1;
            i += next + 1;
        }
        return -1;
    }

    private static ReadOnlySpan<byte> Line(ReadOnlySpan<byte> line) => line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    /// <summary>method SP request-target SP HTTP/1.x (RFC 9112 section 3).</summary>
    private static bool TryRequestLine(ReadOnlySpan<byte> line, out string method, out string target)
    {
        method = target = "";
        int sp1 = line.IndexOf((byte)' ');
        if (sp1 <= 0) return false;
        int sp2 = line[(sp1 + 1)..].IndexOf((byte)' ');
        if (sp2 <= 0) return false;
        sp2 += sp1 + 1;
        var version = line[(sp2 + 1)..];
        if (version.Length != 8 || !version[..7].SequenceEqual("HTTP/1."u8) || version[7] is < (byte)'0' or > (byte)'9') return false;
        foreach (byte b in line[..sp1])
        {
            if (!ContentRule.IsTokenChar((char)b)) return false;
        }
        foreach (byte b in line[(sp1 + 1)..sp2])
        {
            if (b <= 0x20 || b >= 0x7F) return false;
        }
        method = Encoding.ASCII.GetString(line[..sp1]);
        target = Encoding.ASCII.GetString(line[(sp1 + 1)..sp2]);
        return true;
    }

    /// <summary>Whether an unfinished first line can still become a request line (a method token so far).</summary>
    private static bool IsPlausibleStart(ReadOnlySpan<byte> data)
    {
        int sp = data.IndexOf((byte)' ');
        var method = sp < 0 ? data : data[..sp];
        foreach (byte b in method)
        {
            if (!ContentRule.IsTokenChar((char)b)) return false;
        }
        return sp != 0;
    }
}

using System.Text;

namespace LvsPs.DirectorService.Http;

/// <summary>
/// One HTTP/1.1 request as the service's small responders read it (RFC 9112): a request line in origin form, header
/// fields, and a body of Content-Length bytes. Everything is bounded (<see cref="MaxHeadBytes"/>,
/// <see cref="MaxHeaderFields"/>, <see cref="MaxBodyBytes"/>) and anything unusual is refused rather than guessed at:
/// no chunked bodies, no folded or duplicated fields, no absolute-form targets.
/// </summary>
internal sealed class HttpRequest
{
    /// <summary>The request line and the header fields, with the blank line after them.</summary>
    public const int MaxHeadBytes = 8192;

    public const int MaxHeaderFields = 64;

    /// <summary>The service's requests carry small JSON bodies at most.</summary>
    public const int MaxBodyBytes = 4096;

    private readonly Dictionary<string, string> _fields;

    private HttpRequest(string method, string path, string query, Dictionary<string, string> fields)
    {
        Method = method;
        Path = path;
        Query = query;
        _fields = fields;
    }

    public string Method { get; }

    /// <summary>The target's path, e.g. <c>/status/state</c> (not percent-decoded: the service's paths are plain ASCII).</summary>
    public string Path { get; }

    /// <summary>The target's query without the '?', or empty.</summary>
    public string Query { get; }

    public byte[] Body { get; set; } = Array.Empty<byte>();

    /// <summary>The client's address and port, for the log.</summary>
    public System.Net.EndPoint? RemoteEndPoint { get; set; }

    /// <summary>Content-Length (0 when absent).</summary>
    public int ContentLength { get; private init; }

    /// <summary>A header field's value (names are case-insensitive), or null.</summary>
    public string? Header(string name) => _fields.TryGetValue(name, out var v) ? v : null;

    /// <summary>
    /// Parses a request head (request line and header fields, up to but without the blank line). Returns null and says
    /// why for anything malformed or outside the bounds; never throws.
    /// </summary>
    public static HttpRequest? ParseHead(ReadOnlySpan<byte> head, out string? error)
    {
        error = null;
        if (head.Length > MaxHeadBytes) return Fail("the request head is longer than 8192 bytes", out error);
        foreach (var b in head)
        {
            // field values are visible ASCII, space and tab (RFC 9110 5.5; obs-text is refused here)
            if (b is not ((>= 0x20 and < 0x7f) or (byte)'\t' or (byte)'\r' or (byte)'\n')) return Fail("the request head has a byte that is not visible ASCII", out error);
        }
        var lines = Encoding.ASCII.GetString(head).Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3) return Fail("the request line is not METHOD TARGET VERSION", out error);
        var (method, target, version) = (requestLine[0], requestLine[1], requestLine[2]);
        if (method.Length is 0 or > 16 || !method.All(char.IsAsciiLetterUpper)) return Fail("the method is not a token of capital letters", out error);
        if (version is not ("HTTP/1.1" or "HTTP/1.0")) return Fail("the version is not HTTP/1.1 or HTTP/1.0", out error);
        if (target.Length == 0 || target[0] != '/') return Fail("the target is not a path (origin form)", out error);
        int q = target.IndexOf('?');
        var path = q < 0 ? target : target[..q];
        var query = q < 0 ? string.Empty : target[(q + 1)..];

        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Contains('\r') || line.Contains('\n')) return Fail("a header line has a bare CR or LF", out error);
            if (line.Length == 0) return Fail("the head has an empty line before its end", out error);
            if (line[0] is ' ' or '\t') return Fail("folded header lines are not accepted", out error);
            int colon = line.IndexOf(':');
            if (colon <= 0) return Fail("a header line has no field name", out error);
            var name = line[..colon];
            if (!name.All(IsTokenChar)) return Fail("a header field name is not a token", out error);
            if (fields.Count >= MaxHeaderFields) return Fail("the request has more than 64 header fields", out error);
            if (!fields.TryAdd(name, line[(colon + 1)..].Trim(' ', '\t'))) return Fail($"the header field '{name}' is repeated", out error);
        }
        if (fields.ContainsKey("Transfer-Encoding")) return Fail("Transfer-Encoding is not accepted; send Content-Length", out error);
        int length = 0;
        if (fields.TryGetValue("Content-Length", out var lengthText))
        {
            if (lengthText.Length is 0 or > 9 || !lengthText.All(char.IsAsciiDigit)) return Fail("Content-Length is not a number", out error);
            length = int.Parse(lengthText, System.Globalization.CultureInfo.InvariantCulture); // at most 999999999: the reader refuses more than MaxBodyBytes
        }
        return new HttpRequest(method, path, query, fields) { ContentLength = length };
    }

    /// <summary>The length of the head in <paramref name="received"/> (up to the blank line), or -1 while it is incomplete.</summary>
    public static int HeadLength(ReadOnlySpan<byte> received) => received.IndexOf("\r\n\r\n"u8);

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);

    private static HttpRequest? Fail(string why, out string error)
    {
        error = why;
        return null;
    }
}

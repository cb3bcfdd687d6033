using System.Text;
using System.Text.Json;
using LvsPs.Model;

namespace LvsPs.Remote;

/// <summary>
/// The bounds of the control protocol and the parser of a request line. A request is one JSON object on one line; the
/// service reads at most <see cref="MaxRequestBytes"/> of it and JSON at most <see cref="MaxDepth"/> levels deep, so
/// no request can make the service allocate more than about that or recurse deeper.
/// </summary>
public static class ControlProtocol
{
    /// <summary>The longest request line the service reads (1 MiB; the largest real request, a real server or a health check, is under 2 KiB).</summary>
    public const int MaxRequestBytes = 1 << 20;

    /// <summary>The longest answer a client reads (a dump of a very large connection table still fits).</summary>
    public const int MaxResponseBytes = 256 << 20;

    /// <summary>How deeply JSON may nest in a request or response (the deepest real message nests 5 levels).</summary>
    public const int MaxDepth = 32;

    /// <summary>How much of a refused value an error message quotes.</summary>
    private const int MaxQuotedChars = 64;

    /// <summary>Parses one request line; a malformed one is an <see cref="LvsException"/> (ProtocolError, BadControlRequest) that quotes at most a short prefix of it.</summary>
    public static ControlRequest ParseRequest(ReadOnlySpan<byte> line)
    {
        try
        {
            return JsonSerializer.Deserialize<ControlRequest>(line, ProtocolJson.Options)
                ?? throw new JsonException("the request is null, not an object with \"op\"");
        }
        catch (JsonException e)
        {
            throw BadRequest($"The control request '{Quote(line)}' is not valid: {e.Message} A request is one JSON object per line: {{\"op\":\"NAME\",\"arg\":VALUE}}.", e);
        }
    }

    /// <summary>A refused request (the connection stays usable).</summary>
    public static LvsException BadRequest(string message, Exception? inner = null) =>
        new(LvsErrorKind.ProtocolError, "BadControlRequest", message, null, inner);

    /// <summary>A value cut to a length an error message can carry, with what was cut said.</summary>
    public static string Quote(string text) =>
        text.Length <= MaxQuotedChars ? text : string.Concat(text.AsSpan(0, MaxQuotedChars), $"... ({text.Length} characters)");

    private static string Quote(ReadOnlySpan<byte> line) =>
        line.Length <= MaxQuotedChars * 4
            ? Quote(Encoding.UTF8.GetString(line))
            : string.Concat(Encoding.UTF8.GetString(line[..MaxQuotedChars]).AsSpan(), $"... ({line.Length} bytes)");
}

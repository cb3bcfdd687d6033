namespace LvsPs.Engine.Ftp;

/// <summary>
/// Follows the server's replies on an FTP control connection line by line (RFC 959 4.2): a reply is "ddd text", or a
/// multi-line reply that starts with "ddd-" and ends at the first line that starts with the same "ddd ". Lines inside
/// a multi-line reply belong to it whatever they look like, so text such as " 227 ..." in a FEAT or HELP listing is
/// never taken for a passive-mode reply.
/// </summary>
internal sealed class FtpReplyTracker
{
    private int _multiLineCode = -1;

    /// <summary>The code of the reply the last line belonged to; -1 for a line that is no reply.</summary>
    public int Code { get; private set; } = -1;

    /// <summary>The last line started a reply.</summary>
    public bool StartsReply { get; private set; }

    /// <summary>Takes the next complete line (or the start of an overlong one) and updates <see cref="Code"/> and <see cref="StartsReply"/>.</summary>
    public void Next(ReadOnlySpan<byte> line)
    {
        int code = ParseCode(line, out byte separator);
        if (_multiLineCode >= 0)
        {
            Code = _multiLineCode;
            StartsReply = false;
            if (code == _multiLineCode && separator != (byte)'-') _multiLineCode = -1; // "ddd " ends it
            return;
        }
        Code = code;
        StartsReply = code >= 0;
        if (code >= 0 && separator == (byte)'-') _multiLineCode = code;
    }

    /// <summary>The three-digit code at the start of a line, with the byte after it; -1 when the line has none.</summary>
    private static int ParseCode(ReadOnlySpan<byte> line, out byte separator)
    {
        separator = 0;
        if (line.Length < 3 || !IsDigit(line[0]) || !IsDigit(line[1]) || !IsDigit(line[2])) return -1;
        if (line.Length > 3)
        {
            separator = line[3];
            if (separator is not ((byte)' ' or (byte)'-' or (byte)'\r' or (byte)'\n')) return -1;
        }
        return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
}

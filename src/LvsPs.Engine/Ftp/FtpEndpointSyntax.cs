using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LvsPs.Engine.Ftp;

/// <summary>Where an address/port announcement sits in a control line: the address (null when the format has none), the port and the span to replace.</summary>
internal readonly record struct FtpEndpointText(IPAddress? Address, int Port, int Start, int Length);

/// <summary>
/// Reads and writes the address/port announcements of FTP control lines: the 227 reply and the PORT command
/// ("h1,h2,h3,h4,p1,p2", RFC 959), the 229 reply ("(|||port|)") and the EPRT command ("|proto|address|port|",
/// RFC 2428). Lines are Latin-1 strings so that a rewritten line keeps every other byte as it was.
/// </summary>
internal static class FtpEndpointSyntax
{
    /// <summary>
    /// A 227 reply's "h1,h2,h3,h4,p1,p2": the first run of digits from <paramref name="searchFrom"/> (RFC 1123 4.1.2.6:
    /// clients scan for it, with or without parentheses); runs of digits that are not one, such as a reply code, are skipped.
    /// </summary>
    public static bool TryParsePassiveReply(string line, int searchFrom, out FtpEndpointText found)
    {
        found = default;
        int start = searchFrom;
        while (start < line.Length)
        {
            while (start < line.Length && !char.IsAsciiDigit(line[start])) start++;
            if (start < line.Length && TryParseHostPort(line, start, out found)) return true;
            while (start < line.Length && char.IsAsciiDigit(line[start])) start++; // not this run of digits: try the next
        }
        return false;
    }

    /// <summary>A 229 reply's "(&lt;d&gt;&lt;d&gt;&lt;d&gt;port&lt;d&gt;)": the span found is the port's digits.</summary>
    public static bool TryParseExtendedPassiveReply(string line, out FtpEndpointText found)
    {
        found = default;
        int open = line.IndexOf('(');
        if (open < 0 || open + 4 >= line.Length) return false;
        char d = line[open + 1];
        if (d is < '!' or > '~' || char.IsAsciiDigit(d) || line[open + 2] != d || line[open + 3] != d) return false;
        int start = open + 4;
        int end = start;
        while (end < line.Length && char.IsAsciiDigit(line[end])) end++;
        if (end + 1 >= line.Length || line[end] != d || line[end + 1] != ')') return false;
        if (!TryParsePort(line.AsSpan(start, end - start), out int port)) return false;
        found = new FtpEndpointText(null, port, start, end - start);
        return true;
    }

    /// <summary>"PORT h1,h2,h3,h4,p1,p2" (verb in any case): the span found is the argument.</summary>
    public static bool TryParsePortCommand(string line, out FtpEndpointText found)
    {
        found = default;
        int start = ArgumentStart(line, "PORT");
        if (start < 0 || !TryParseHostPort(line, start, out found)) return false;
        return IsLineEnd(line, found.Start + found.Length);
    }

    /// <summary>"EPRT |1|192.0.2.1|6446|" or "EPRT |2|2001:db8::1|6446|": the span found is the whole argument.</summary>
    public static bool TryParseExtendedPortCommand(string line, out FtpEndpointText found)
    {
        found = default;
        int start = ArgumentStart(line, "EPRT");
        if (start < 0 || start >= line.Length) return false;
        char d = line[start];
        if (d is < '!' or > '~' || char.IsAsciiDigit(d)) return false;
        int end = line.IndexOfAny(['\r', '\n'], start);
        if (end < 0) end = line.Length;
        var parts = line[start..end].TrimEnd(' ').Split(d);
        // "|1|addr|port|" splits into "", "1", "addr", "port", ""
        if (parts.Length != 5 || parts[0].Length != 0 || parts[4].Length != 0) return false;
        var family = parts[1] switch { "1" => AddressFamily.InterNetwork, "2" => AddressFamily.InterNetworkV6, _ => AddressFamily.Unknown };
        if (family == AddressFamily.Unknown || !IPAddress.TryParse(parts[2], out var address) || address.AddressFamily != family) return false;
        if (!TryParsePort(parts[3], out int port)) return false;
        int length = parts[1].Length + parts[2].Length + parts[3].Length + 4;
        found = new FtpEndpointText(address, port, start, length);
        return IsLineEnd(line, start + length);
    }

    /// <summary>"h1,h2,h3,h4,p1,p2" for an IPv4 address and a port.</summary>
    public static string FormatHostPort(IPAddress address, int port)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork) throw new ArgumentException("PORT and 227 carry IPv4 addresses only.", nameof(address));
        var b = address.GetAddressBytes();
        return string.Create(CultureInfo.InvariantCulture, $"{b[0]},{b[1]},{b[2]},{b[3]},{port >> 8},{port & 0xFF}");
    }

    /// <summary>"|1|address|port|" or "|2|address|port|".</summary>
    public static string FormatExtendedPort(IPAddress address, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"|{(address.AddressFamily == AddressFamily.InterNetworkV6 ? 2 : 1)}|{address}|{port}|");

    /// <summary>The line with the announcement's span replaced.</summary>
    public static string Replace(string line, FtpEndpointText at, string replacement) =>
        string.Concat(line.AsSpan(0, at.Start), replacement, line.AsSpan(at.Start + at.Length));

    /// <summary>True when <paramref name="line"/> starts with the command <paramref name="verb"/> (any case) followed by a space or the line end.</summary>
    public static bool IsCommand(ReadOnlySpan<byte> line, string verb)
    {
        if (line.Length < verb.Length) return false;
        for (int i = 0; i < verb.Length; i++)
        {
            if (char.ToUpperInvariant((char)line[i]) != verb[i]) return false;
        }
        return line.Length == verb.Length || line[verb.Length] is (byte)' ' or (byte)'\r' or (byte)'\n';
    }

    private static int ArgumentStart(string line, string verb)
    {
        if (line.Length <= verb.Length || !line.StartsWith(verb, StringComparison.OrdinalIgnoreCase) || line[verb.Length] != ' ') return -1;
        int i = verb.Length;
        while (i < line.Length && line[i] == ' ') i++;
        return i;
    }

    private static bool IsLineEnd(string line, int index)
    {
        while (index < line.Length && line[index] == ' ') index++;
        return index == line.Length || line[index] is '\r' or '\n';
    }

    /// <summary>Six comma-separated numbers 0..255 from <paramref name="start"/>: four address bytes and the port's two.</summary>
    private static bool TryParseHostPort(string line, int start, out FtpEndpointText found)
    {
        found = default;
        Span<byte> values = stackalloc byte[6];
        int i = start;
        for (int n = 0; n < 6; n++)
        {
            if (n > 0)
            {
                if (i >= line.Length || line[i] != ',') return false;
                i++;
            }
            int digitsStart = i;
            int value = 0;
            while (i < line.Length && char.IsAsciiDigit(line[i]) && i - digitsStart < 3) value = value * 10 + (line[i++] - '0');
            if (i == digitsStart || value > 255 || (i < line.Length && char.IsAsciiDigit(line[i]))) return false;
            values[n] = (byte)value;
        }
        int port = values[4] << 8 | values[5];
        if (port == 0) return false;
        found = new FtpEndpointText(new IPAddress(values[..4]), port, start, i - start);
        return true;
    }

    private static bool TryParsePort(ReadOnlySpan<char> digits, out int port) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
}

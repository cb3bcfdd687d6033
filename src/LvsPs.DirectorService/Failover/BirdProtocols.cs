using System.Globalization;
using LvsPs.Model.Failover;

namespace LvsPs.DirectorService.Failover;

/// <summary>One BGP protocol (session) as `birdc show protocols` lists it.</summary>
public sealed record BirdProtocolLine(string Name, BgpSessionState State, DateTimeOffset? Since, string? Info);

/// <summary>
/// Reads what `birdc show protocols` prints (BIRD 2: a "BIRD VERSION ready." line, a heading, then one line per
/// protocol: Name, Proto, Table, State, Since, Info), keeping the BGP protocols. With `timeformat protocol iso long`
/// (which <see cref="BirdConfig"/> writes) Since is "YYYY-MM-DD HH:MM:SS" in local time. For a BGP protocol the Info
/// column starts with the session's state (Idle, Connect, Active, OpenSent, OpenConfirm, Established, Close: BIRD's
/// bgp_state_names), and may go on with the last error; a protocol that is down shows only the error. BIRD's output
/// is outside input: at most <see cref="MaxLines"/> lines of at most <see cref="MaxLineLength"/> characters are read,
/// and nothing in it makes this throw.
/// </summary>
public static class BirdProtocols
{
    public const int MaxLines = 1024;
    public const int MaxLineLength = 1024;

    public static IReadOnlyList<BirdProtocolLine> Parse(string? output)
    {
        var found = new List<BirdProtocolLine>();
        if (string.IsNullOrEmpty(output)) return found;
        int lines = 0;
        foreach (var raw in output.AsSpan().EnumerateLines())
        {
            if (++lines > MaxLines) break;
            var line = raw.Length > MaxLineLength ? raw[..MaxLineLength].ToString() : raw.ToString();
            // Name Proto Table State Since [Info...]; Since is a date and a time with the format bird.conf sets
            var words = line.Split((char[])[' ', '\t'], 6, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 5 || !string.Equals(words[1], "BGP", StringComparison.Ordinal)) continue;
            var rest = words.Length > 5 ? words[5].Trim() : "";
            int space = rest.IndexOfAny((char[])[' ', '\t']);
            var time = space < 0 ? rest : rest[..space];
            DateTimeOffset? since = null;
            if (DateTime.TryParseExact(words[4] + " " + time, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var local))
            {
                since = new DateTimeOffset(local);
                rest = space < 0 ? "" : rest[(space + 1)..].Trim();
            }
            var info = rest;
            var state = SessionState(words[3], ref info);
            found.Add(new BirdProtocolLine(words[0], state, since, info.Length == 0 ? null : info));
        }
        return found;
    }

    /// <summary>The session's state from the protocol's State and the first word of its Info (taken off <paramref name="info"/>).</summary>
    private static BgpSessionState SessionState(string protocolState, ref string info)
    {
        int space = info.IndexOf(' ');
        var first = space < 0 ? info : info[..space];
        if (first.Length > 0 && first.All(char.IsAsciiLetter) && Enum.TryParse<BgpSessionState>(first, ignoreCase: false, out var state) && state != BgpSessionState.Unknown)
        {
            info = space < 0 ? "" : info[(space + 1)..].Trim();
            return state;
        }
        // a protocol that is down (after an error, or disabled) tries no connection: RFC 4271's Idle
        return string.Equals(protocolState, "down", StringComparison.Ordinal) ? BgpSessionState.Idle : BgpSessionState.Unknown;
    }
}

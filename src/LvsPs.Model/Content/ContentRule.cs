using System.Text.RegularExpressions;

namespace LvsPs.Model;

/// <summary>What part of the start of a connection a <see cref="ContentRule"/> looks at.</summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
public enum ContentMatch : long
{
    /// <summary>The HTTP/1.x Host header (its port dropped), exactly or, with a leading <c>*.</c>, any name under a domain.</summary>
    Host = 0,

    /// <summary>The start of the HTTP request path (before any <c>?</c>), compared ordinally (case matters).</summary>
    PathPrefix = 1,

    /// <summary>A .NET regular expression on the HTTP request path (before any <c>?</c>), with a match timeout.</summary>
    PathRegex = 2,

    /// <summary>The value of the HTTP header named by <see cref="ContentRule.Name"/>, compared without case.</summary>
    Header = 3,

    /// <summary>The HTTP request method (GET, POST, ...), compared exactly.</summary>
    Method = 4,

    /// <summary>The TLS server name (SNI) of the ClientHello, exactly or with a leading <c>*.</c>; TLS is not terminated.</summary>
    Sni = 5,

    /// <summary>The value of the HTTP cookie named by <see cref="ContentRule.Name"/> (from the Cookie header), compared exactly.</summary>
    Cookie = 6,
}

/// <summary>
/// One content rule of a virtual service: when the start of a connection matches, the connection goes to the real
/// servers of <see cref="Group"/> (the service's scheduler and persistence chose among them). Rules are checked in order;
/// the first match wins.
/// </summary>
public sealed record ContentRule
{
    /// <summary>Longest pattern, header or cookie name, or group name taken (a rule is configuration, not data).</summary>
    public const int MaxPatternLength = 1024;

    /// <summary>How long a path regular expression may run on one request before it counts as no match.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    public required ContentMatch Match { get; init; }

    /// <summary>What to compare with: a host or SNI name (<c>*.example.com</c> for a domain), a path prefix, a regular
    /// expression, a method, or a header's or cookie's value.</summary>
    public required string Pattern { get; init; }

    /// <summary>The header's or cookie's name, for <see cref="ContentMatch.Header"/> and <see cref="ContentMatch.Cookie"/>.</summary>
    public string? Name { get; init; }

    /// <summary>The group of real servers a match sends the connection to.</summary>
    public required string Group { get; init; }

    /// <summary>Whether the rule reads a TLS ClientHello (SNI) rather than an HTTP request.</summary>
    public bool IsTls => Match == ContentMatch.Sni;

    public ContentRule Validate()
    {
        if (!Enum.IsDefined(Match))
        {
            throw LvsException.InvalidArgument("InvalidContentMatch", $"Content match '{Match}' is not known; allowed: {string.Join(", ", Enum.GetNames<ContentMatch>())}.", Match);
        }
        RealServerGroups.Require(Group, "Content rule group");
        if (string.IsNullOrEmpty(Pattern) || Pattern.Length > MaxPatternLength || Pattern.Any(char.IsControl))
        {
            throw LvsException.InvalidArgument("InvalidContentPattern",
                $"Content rule pattern '{Shown.Cut(Pattern)}' is not valid; allowed: 1..{MaxPatternLength} characters without control characters.", Pattern);
        }
        bool named = Match is ContentMatch.Header or ContentMatch.Cookie;
        if (named && (string.IsNullOrEmpty(Name) || Name.Length > MaxPatternLength || !Name.All(IsTokenChar)))
        {
            throw LvsException.InvalidArgument("InvalidContentName",
                $"A {Match} rule needs the {Match.ToString().ToLowerInvariant()}'s name (an HTTP token), not '{Shown.Cut(Name ?? "")}'.", Name);
        }
        if (!named && Name is not null)
        {
            throw LvsException.InvalidArgument("UnexpectedContentName", $"Only Header and Cookie rules take a name; a {Match} rule does not ('{Shown.Cut(Name)}').", Name);
        }
        if (Match is ContentMatch.Host or ContentMatch.Sni && !HostPattern.IsValid(Pattern))
        {
            throw LvsException.InvalidArgument("InvalidHostPattern",
                $"'{Shown.Cut(Pattern)}' is not a host name pattern; allowed: a DNS name such as www.example.com, or *.example.com for every name under a domain.", Pattern);
        }
        if (Match == ContentMatch.Method && !Pattern.All(IsTokenChar))
        {
            throw LvsException.InvalidArgument("InvalidMethod", $"'{Shown.Cut(Pattern)}' is not an HTTP method (a token such as GET).", Pattern);
        }
        if (Match == ContentMatch.PathPrefix && !Pattern.StartsWith('/'))
        {
            throw LvsException.InvalidArgument("InvalidPathPrefix", $"Path prefix '{Shown.Cut(Pattern)}' must start with '/'.", Pattern);
        }
        if (Match == ContentMatch.PathRegex)
        {
            try
            {
                _ = new Regex(Pattern, RegexOptions.CultureInvariant, RegexTimeout);
            }
            catch (ArgumentException e)
            {
                throw LvsException.InvalidArgument("InvalidPathRegex", $"Path regular expression '{Shown.Cut(Pattern)}' does not parse: {e.Message}", Pattern);
            }
        }
        return this;
    }

    /// <summary>tchar of RFC 9110 section 5.6.2.</summary>
    public static bool IsTokenChar(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' || "!#$%&'*+-.^_`|~".Contains(c);

    /// <summary>How the rule reads in listings, e.g. <c>host *.example.com -> web</c>.</summary>
    public override string ToString() => Match switch
    {
        ContentMatch.Header => $"header {Name}: {Pattern} -> {Group}",
        ContentMatch.Cookie => $"cookie {Name}={Pattern} -> {Group}",
        _ => $"{Match.ToString().ToLowerInvariant()} {Pattern} -> {Group}",
    };
}

/// <summary>Names of real-server groups (content routing) and the checks on them.</summary>
public static class RealServerGroups
{
    public const int MaxNameLength = 63;

    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxNameLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Throws unless <paramref name="name"/> is a group name: 1..63 letters, digits, '-', '_' or '.'.</summary>
    public static void Require(string? name, string what)
    {
        if (!IsValidName(name))
        {
            throw LvsException.InvalidArgument("InvalidGroupName",
                $"{what} '{Shown.Cut(name ?? "")}' is not a group name; allowed: 1..{MaxNameLength} ASCII letters, digits, '-', '_' or '.'.", name);
        }
    }
}

/// <summary>Host and SNI name patterns: an exact DNS name, or <c>*.domain</c> for every name under the domain.</summary>
public static class HostPattern
{
    public static bool IsValid(string pattern)
    {
        var name = pattern.StartsWith("*.", StringComparison.Ordinal) ? pattern[2..] : pattern;
        if (name.Length is 0 or > 253) return false;
        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63 || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return false;
        }
        return true;
    }

    /// <summary>Whether <paramref name="host"/> (already without a port) matches <paramref name="pattern"/>, without case.</summary>
    public static bool Matches(string pattern, string host)
    {
        if (host.EndsWith('.')) host = host[..^1]; // a fully qualified name with its root dot
        if (pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            var domain = pattern.AsSpan(1); // ".example.com"
            return host.Length > domain.Length && host.AsSpan().EndsWith(domain, StringComparison.OrdinalIgnoreCase);
        }
        return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>A value as an error message shows it: cut to 64 characters.</summary>
internal static class Shown
{
    public static string Cut(string value) => value.Length <= 64 ? value : value[..61] + "...";
}

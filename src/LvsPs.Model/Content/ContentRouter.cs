using System.Text.RegularExpressions;

namespace LvsPs.Model;

/// <summary>
/// What the start of a connection said, as far as content rules look: an HTTP/1.x request head (method, path, headers)
/// or a TLS ClientHello (its SNI name). The engine's parsers fill it from the wire; Test-LvsScheduling from parameters.
/// </summary>
public sealed class ContentRequest
{
    public string? Method { get; init; }

    /// <summary>The request path, without the query.</summary>
    public string? Path { get; init; }

    /// <summary>The Host header's name, without a port.</summary>
    public string? Host { get; init; }

    /// <summary>Header names and values in the order received.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = Array.Empty<KeyValuePair<string, string>>();

    /// <summary>The TLS server name, for a ClientHello.</summary>
    public string? Sni { get; init; }

    /// <summary>The first value of a header (names compared without case), or null.</summary>
    public string? Header(string name)
    {
        foreach (var h in Headers)
        {
            if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) return h.Value;
        }
        return null;
    }

    /// <summary>A cookie's value from the Cookie headers (RFC 6265 section 4.2: <c>name=value; name2=value2</c>), or null.</summary>
    public string? Cookie(string name)
    {
        foreach (var h in Headers)
        {
            if (!string.Equals(h.Key, "Cookie", StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var pair in h.Value.Split(';'))
            {
                int eq = pair.IndexOf('=');
                if (eq > 0 && pair.AsSpan(0, eq).Trim().SequenceEqual(name)) return pair[(eq + 1)..].Trim().Trim('"');
            }
        }
        return null;
    }

    /// <summary>A Host header's name without its port (<c>www.example.com:8080</c>, <c>[2001:db8::1]:80</c>).</summary>
    public static string HostWithoutPort(string host)
    {
        host = host.Trim();
        if (host.StartsWith('['))
        {
            int end = host.IndexOf(']');
            return end > 0 ? host[1..end] : host;
        }
        int colon = host.IndexOf(':');
        return colon >= 0 ? host[..colon] : host;
    }
}

/// <summary>
/// A service's content rules made ready to run: regular expressions compiled once (with a timeout), checked in order
/// against a <see cref="ContentRequest"/>. One instance per settings change; safe to use from many threads.
/// </summary>
public sealed class ContentRouter
{
    private readonly ContentRule[] _rules;
    private readonly Regex?[] _regexes;

    public ContentRouter(IReadOnlyList<ContentRule> rules, string? defaultGroup)
    {
        _rules = rules.ToArray();
        _regexes = _rules.Select(r => r.Match == ContentMatch.PathRegex
            ? new Regex(r.Pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, ContentRule.RegexTimeout) : null).ToArray();
        DefaultGroup = defaultGroup;
        ReadsTls = _rules.Any(r => r.IsTls);
        ReadsHttp = _rules.Any(r => !r.IsTls);
    }

    /// <summary>Where a connection that matches no rule goes (null: the real servers without a group).</summary>
    public string? DefaultGroup { get; }

    public IReadOnlyList<ContentRule> Rules => _rules;

    /// <summary>Some rule looks at a TLS ClientHello.</summary>
    public bool ReadsTls { get; }

    /// <summary>Some rule looks at an HTTP request.</summary>
    public bool ReadsHttp { get; }

    /// <summary>Regular expressions that ran out of time (counted as no match).</summary>
    public long RegexTimeouts => Interlocked.Read(ref _regexTimeouts);

    private long _regexTimeouts;

    /// <summary>The group for <paramref name="request"/>: the first matching rule's, else the default (null: ungrouped).</summary>
    public string? Route(ContentRequest request) => RouteRule(request, out _);

    /// <summary>As <see cref="Route"/>, and the index of the rule that matched (-1 for the default).</summary>
    public string? RouteRule(ContentRequest request, out int ruleIndex)
    {
        for (int i = 0; i < _rules.Length; i++)
        {
            if (Matches(i, request))
            {
                ruleIndex = i;
                return _rules[i].Group;
            }
        }
        ruleIndex = -1;
        return DefaultGroup;
    }

    private bool Matches(int i, ContentRequest r)
    {
        var rule = _rules[i];
        switch (rule.Match)
        {
            case ContentMatch.Host: return r.Host is { } host && HostPattern.Matches(rule.Pattern, host);
            case ContentMatch.Sni: return r.Sni is { } sni && HostPattern.Matches(rule.Pattern, sni);
            case ContentMatch.PathPrefix: return r.Path is { } path && path.StartsWith(rule.Pattern, StringComparison.Ordinal);
            case ContentMatch.Method: return string.Equals(r.Method, rule.Pattern, StringComparison.Ordinal);
            case ContentMatch.Header: return string.Equals(r.Header(rule.Name!)?.Trim(), rule.Pattern, StringComparison.OrdinalIgnoreCase);
            case ContentMatch.Cookie: return string.Equals(r.Cookie(rule.Name!), rule.Pattern, StringComparison.Ordinal);
            case ContentMatch.PathRegex:
                if (r.Path is null) return false;
                try
                {
                    return _regexes[i]!.IsMatch(r.Path);
                }
                catch (RegexMatchTimeoutException)
                {
                    Interlocked.Increment(ref _regexTimeouts);
                    return false;
                }
            default: return false;
        }
    }
}

using System.Management.Automation;
using System.Net;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>
/// How the listing cmdlets (Get-LvsVirtualService, Get-LvsRealServer, Get-LvsStats) list a director: sorted as
/// ipvsadm -L sorts (services by protocol, address and port; real servers by address and port) unless -NoSort asks for
/// the director's own order (ipvsadm --nosort), each object keeping its Position in that order.
/// </summary>
internal static class DirectorListing
{
    public static IReadOnlyList<VirtualService> Services(IDirectorBackend backend, bool noSort)
    {
        var listed = backend.GetServices().Select((s, i) => s.InListing(i, sortRealServers: !noSort));
        return (noSort ? listed : listed.OrderBy(s => s.Settings.Id, IpvsadmRules.ServiceOrder)).ToList();
    }
}

/// <summary>
/// What a listing cmdlet's -VirtualService names: identity strings (matched as identities, so <c>TCP/10.0.0.1:80</c>
/// finds <c>tcp/10.0.0.1:80</c>) or wildcard patterns over the identity text (<c>tcp/*:80</c>, <c>*/10.0.0.*</c>). A
/// named service that does not exist is an error; a pattern that matches nothing is not, as with Get-ChildItem.
/// </summary>
internal sealed class ServiceSelection
{
    private readonly List<VirtualServiceId> _ids = new();
    private readonly List<WildcardPattern> _patterns = new();

    private ServiceSelection()
    {
    }

    /// <summary>Null when nothing was given (every service is selected).</summary>
    public static ServiceSelection? From(IEnumerable<string>? given)
    {
        var items = given?.Where(g => !string.IsNullOrWhiteSpace(g)).ToList();
        if (items is null || items.Count == 0) return null;
        var selection = new ServiceSelection();
        foreach (var text in items)
        {
            if (VirtualServiceId.TryParse(text, out var id, out var error))
            {
                selection._ids.Add(id);
            }
            else if (text.IndexOfAny(['*', '?']) >= 0)
            {
                // '[' and ']' are IPv6 brackets in an identity, never a character class
                selection._patterns.Add(new WildcardPattern(text.Trim().Replace("[", "`[").Replace("]", "`]"), WildcardOptions.IgnoreCase));
            }
            else
            {
                throw LvsException.InvalidArgument("InvalidVirtualService", error! + " Wildcards * and ? select by pattern (tcp/*:80).", text);
            }
        }
        return selection;
    }

    public bool Selects(VirtualService service) =>
        _ids.Contains(service.Settings.Id) || _patterns.Any(p => p.IsMatch(service.Id));

    /// <summary>The identities given by name that <paramref name="listed"/> does not have.</summary>
    public IEnumerable<VirtualServiceId> Missing(IReadOnlyList<VirtualService> listed) =>
        _ids.Where(id => !listed.Any(s => s.Settings.Id == id));
}

/// <summary>
/// What a listing cmdlet's -Address names: an address (10.0.0.2), an endpoint as ipvsadm -r takes it (10.0.0.2:80,
/// [2001:db8::2]:80), or a wildcard pattern over the address or endpoint text (10.0.0.*, *:8080).
/// </summary>
internal sealed class RealServerSelection
{
    private readonly IPAddress? _address;
    private readonly ushort? _port;
    private readonly WildcardPattern? _pattern;

    private RealServerSelection(IPAddress? address, ushort? port, WildcardPattern? pattern)
    {
        _address = address;
        _port = port;
        _pattern = pattern;
    }

    public static RealServerSelection? From(string? given)
    {
        if (string.IsNullOrWhiteSpace(given)) return null;
        var text = given.Trim();
        if (text.IndexOfAny(['*', '?']) >= 0)
        {
            return new RealServerSelection(null, null, new WildcardPattern(text.Replace("[", "`[").Replace("]", "`]"), WildcardOptions.IgnoreCase));
        }
        var (address, port) = Arguments.ParseEndpoint(text, "real server address");
        return new RealServerSelection(address, port, null);
    }

    public bool Selects(RealServer rs) => _pattern is not null
        ? _pattern.IsMatch(rs.Address) || _pattern.IsMatch(rs.Id)
        : rs.Settings.Id.Address.Equals(_address) && (_port is null || rs.Port == _port);
}

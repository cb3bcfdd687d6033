using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>Completes scheduler names, with what each one does as the tooltip.</summary>
public sealed class SchedulerCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var available = LvsSession.CurrentIfRunning?.GetInfo().Schedulers;
        foreach (var d in SchedulerNames.All)
        {
            if (available is { Count: > 0 } && !available.Contains(d.Name)) continue;
            if (d.Name.StartsWith(wordToComplete ?? string.Empty, StringComparison.OrdinalIgnoreCase))
            {
                yield return new CompletionResult(d.Name, d.Name, CompletionResultType.ParameterValue, d.Description);
            }
        }
    }
}

/// <summary>Completes the identities of the director's virtual services (without starting a director).</summary>
public sealed class VirtualServiceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var director = LvsSession.CurrentIfRunning;
        if (director is null) return Array.Empty<CompletionResult>();
        IReadOnlyList<VirtualService> services;
        try
        {
            services = director.GetServices();
        }
        catch (LvsException)
        {
            return Array.Empty<CompletionResult>();
        }
        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return services
            .Select(s => s.Id.ToString())
            .Where(s => s.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(s => new CompletionResult(s.Contains('[') ? "'" + s + "'" : s, s, CompletionResultType.ParameterValue, s))
            .ToArray();
    }
}

/// <summary>Completes real server addresses of the service named by -VirtualService.</summary>
public sealed class RealServerAddressCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var director = LvsSession.CurrentIfRunning;
        if (director is null || fakeBoundParameters?["VirtualService"] is not { } raw) return Array.Empty<CompletionResult>();
        try
        {
            var id = Arguments.ToServiceId(raw);
            var service = director.GetService(id);
            if (service is null) return Array.Empty<CompletionResult>();
            return service.RealServers
                .Select(r => r.Address.ToString())
                .Distinct()
                .Where(a => a.StartsWith(wordToComplete ?? string.Empty, StringComparison.OrdinalIgnoreCase))
                .Select(a => new CompletionResult(a, a, CompletionResultType.ParameterValue, a))
                .ToArray();
        }
        catch (Exception e) when (e is LvsException or ArgumentTransformationMetadataException)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}

/// <summary>
/// Completes ports: the -VirtualService's port first, then the ports the director's services and real servers use, then
/// well-known service ports, each with what it is as the tooltip (instead of PowerShell's file-name completion).
/// </summary>
public sealed class PortCompleter : IArgumentCompleter
{
    private static readonly (int Port, string Name)[] WellKnown =
    {
        (80, "http"), (443, "https"), (8080, "http-alt"), (8443, "https-alt"), (21, "ftp"), (22, "ssh"), (25, "smtp"),
        (53, "domain"), (110, "pop3"), (143, "imap"), (389, "ldap"), (587, "submission"), (993, "imaps"), (995, "pop3s"),
        (3306, "mysql"), (5432, "postgresql"), (6379, "redis"),
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var seen = new HashSet<int>();
        var results = new List<CompletionResult>();
        void Add(int port, string tip)
        {
            var text = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (seen.Add(port) && text.StartsWith(word, StringComparison.Ordinal)) results.Add(new CompletionResult(text, text, CompletionResultType.ParameterValue, tip));
        }
        var director = LvsSession.CurrentIfRunning;
        try
        {
            if (fakeBoundParameters?["VirtualService"] is { } raw && Arguments.ToServiceId(raw) is { IsFirewallMark: false } id) Add(id.Port, $"the port of {id}");
            if (director is not null)
            {
                foreach (var s in director.GetServices())
                {
                    if (!s.Settings.Id.IsFirewallMark) Add(s.Port, $"the port of {s.Id}");
                    foreach (var rs in s.RealServers) Add(rs.Port, $"real server {rs.Id} of {s.Id}");
                }
            }
        }
        catch (Exception e) when (e is LvsException or ArgumentTransformationMetadataException)
        {
            // completion never fails: an unreadable director or a half-typed service just gives the well-known ports
        }
        foreach (var (port, name) in WellKnown) Add(port, $"{name} ({port})");
        return results;
    }
}

using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using LvsPs.Model;
using LvsPs.Scheduling;

namespace LvsPs.Commands;

/// <summary>Completes scheduler names, with what each one does as the tooltip.</summary>
public sealed class SchedulerCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var available = LvsSession.CurrentIfRunning?.GetInfo().Schedulers;
        foreach (var d in SchedulerRegistry.All)
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

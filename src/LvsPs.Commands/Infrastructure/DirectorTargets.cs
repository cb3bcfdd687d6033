using System.Management.Automation;
using LvsPs.Model;
using LvsPs.Directors;
using LvsPs.Remote;

namespace LvsPs.Commands;

/// <summary>
/// Director addresses as users write them: <c>managed</c>, <c>kernel</c>, <c>kernel:NAMESPACE</c>, <c>service</c>,
/// <c>service:SOCKETPATH</c>, or a socket path alone.
/// </summary>
public static class DirectorTargets
{
    private const string Allowed = "allowed: Managed, Kernel, Kernel:NAMESPACE, Service, Service:SOCKETPATH, or the path of a director service's socket";

    /// <summary>The address of the director <paramref name="info"/> describes.</summary>
    public static string AddressOf(DirectorInfo info) => info.Kind switch
    {
        DirectorKind.Managed => "managed",
        DirectorKind.Kernel => info.Target is "host" or "" ? "kernel" : "kernel:" + info.Target,
        _ => "service:" + info.Target,
    };

    /// <summary>True when <paramref name="address"/> names the in-session managed director (which opening would start).</summary>
    public static bool IsInSession(string address) => address.Trim().ToLowerInvariant() is "managed" or "in-session";

    /// <summary>Opens the director at <paramref name="address"/>; <paramref name="owned"/> says whether the caller must dispose it.</summary>
    public static IDirectorBackend Open(string address, out bool owned)
    {
        var a = address.Trim();
        int colon = a.IndexOf(':');
        var kind = (colon < 0 ? a : a[..colon]).ToLowerInvariant();
        var rest = colon < 0 ? null : a[(colon + 1)..];
        owned = true;
        switch (kind)
        {
            case "managed" or "in-session" when rest is null:
                owned = false;
                return LvsSession.InSession;
            case "kernel":
                return DirectorFactory.Kernel(string.IsNullOrEmpty(rest) ? null : rest);
            case "service":
                return DirectorFactory.Service(string.IsNullOrEmpty(rest) ? DirectorSocket.DefaultPath : rest);
        }
        if (a.Contains('/')) return DirectorFactory.Service(a);
        throw LvsException.InvalidArgument("InvalidDirector", $"Director '{ValueText.Cut(address)}' is not a director address; {Allowed}.", address);
    }
}

/// <summary>Lets -Director take an object from Get-LvsDirector as well as an address string.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class DirectorTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
        Arguments.Unwrap(inputData) is DirectorInfo info ? DirectorTargets.AddressOf(info) : inputData;
}

/// <summary>Completes director addresses.</summary>
public sealed class DirectorCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters)
    {
        var candidates = new List<(string Text, string Tip)>
        {
            ("Managed", "the in-session managed director"),
            ("Kernel", "kernel IPVS in this network namespace"),
            ("Service", "the director service at " + DirectorSocket.DefaultPath),
        };
        if (Directory.Exists("/run/netns"))
        {
            candidates.AddRange(Directory.EnumerateFiles("/run/netns").Select(p => ("Kernel:" + Path.GetFileName(p), "kernel IPVS in network namespace " + Path.GetFileName(p))));
        }
        return candidates
            .Where(c => c.Text.StartsWith(wordToComplete ?? string.Empty, StringComparison.OrdinalIgnoreCase))
            .Select(c => new CompletionResult(c.Text, c.Text, CompletionResultType.ParameterValue, c.Tip));
    }
}

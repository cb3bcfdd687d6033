namespace LvsPs.Model;

/// <summary>One content rule of a virtual service as Get-LvsContentRule lists it: where it is in the order, and the rule.</summary>
public sealed class LvsContentRule
{
    public LvsContentRule(VirtualServiceId virtualService, int order, ContentRule rule)
    {
        VirtualService = virtualService;
        Order = order;
        Rule = rule;
    }

    public VirtualServiceId VirtualService { get; }

    /// <summary>The rule's place in the service's list, from 1: rules are checked in this order, the first match wins.</summary>
    public int Order { get; }

    public ContentRule Rule { get; }

    public ContentMatch Match => Rule.Match;

    /// <summary>The header's or cookie's name (Header and Cookie rules).</summary>
    public string? Name => Rule.Name;

    public string Pattern => Rule.Pattern;

    /// <summary>The group of real servers a match sends the connection to.</summary>
    public string Group => Rule.Group;

    public override string ToString() => $"{VirtualService} #{Order}: {Rule}";
}

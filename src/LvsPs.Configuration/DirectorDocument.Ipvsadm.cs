using LvsPs.Model;

namespace LvsPs.Configuration;

/// <summary>The ipvsadm adapter: ipvsadm rules (ipvsadm -S, as ipvsadm -R reads them) as a desired state.</summary>
public static partial class DirectorDocument
{
    /// <summary>Reads a desired state in any of the formats: a YAML or JSON document, or ipvsadm rules.</summary>
    public static DirectorDocumentResult Load(string text, string source, DocumentFormat format)
    {
        if (text.Length > DocumentLimits.MaxLength) return new DirectorDocumentResult(null, new[] { DocumentLimits.TooLarge(source, text.Length) });
        if (format != DocumentFormat.Ipvsadm) return Load(text, source);
        IReadOnlyList<DirectorChange> rules;
        try
        {
            rules = IpvsadmRules.Parse(text);
        }
        catch (LvsException e)
        {
            return new DirectorDocumentResult(null, new[] { e });
        }
        if (rules.Count == 0) return new DirectorDocumentResult(null, new[] { EmptyDocument(source) });
        var services = new List<DesiredService>();
        var byId = new Dictionary<VirtualServiceId, int>();
        foreach (var rule in rules)
        {
            switch (rule)
            {
                case DirectorChange.AddService s when !byId.ContainsKey(s.Settings.Id):
                    byId[s.Settings.Id] = services.Count;
                    services.Add(new DesiredService(s.Settings.Id) { Settings = s.Settings });
                    break;
                case DirectorChange.AddRealServer r:
                    if (!byId.TryGetValue(r.Service, out var i))
                    {
                        // a rule for a service the rules do not create: the service must exist already
                        byId[r.Service] = i = services.Count;
                        services.Add(new DesiredService(r.Service));
                    }
                    // ipvsadm -S lists real servers in the director's order, and -R adds them in that order, so the
                    // first rule ends up last: the listing order is the reverse of the rule order
                    services[i] = services[i] with { RealServers = services[i].RealServers.Prepend(r.Settings).ToList() };
                    break;
            }
        }
        return new DirectorDocumentResult(new DesiredDirector { Services = services }, Array.Empty<LvsException>());
    }
}

using System.Net;
using LvsPs.Model;
using LvsPs.Model.Failover;
using LvsPs.Model.Settings;

namespace LvsPs.Configuration;

/// <summary>The director document's failover section (keys and their meaning: <see cref="FailoverKeys"/>).</summary>
public static partial class DirectorDocument
{
    /// <summary>The failover section of a document.</summary>
    public static DocMapping WriteFailover(FailoverSettings f)
    {
        var m = new DocMapping().Add("virtualRouterId", DocScalar.Number(f.VirtualRouterId))
            .Add("advertisementInterval", DocScalar.Number(f.AdvertisementInterval))
            .Add("interface", DocScalar.Text(f.Interface));
        var addresses = new DocSequence();
        foreach (var a in f.VirtualAddresses) addresses.Items.Add(DocScalar.Text(a.ToString()));
        m.Add("virtualAddresses", addresses);
        if (f.Unicast) m.Add("unicast", DocScalar.Bool(true));
        if (f.Password is not null) m.Add("password", DocScalar.Text(f.Password));
        if (!f.Preempt) m.Add("preempt", DocScalar.Bool(false));
        if (f.ConnectionSync) m.Add("connectionSync", DocScalar.Bool(true));
        var nodes = new DocSequence();
        foreach (var n in f.Nodes)
        {
            var node = new DocMapping().Add("name", DocScalar.Text(n.Name)).Add("priority", DocScalar.Number(n.Priority));
            if (n.Address is not null) node.Add("address", DocScalar.Text(n.Address.ToString()));
            nodes.Items.Add(node);
        }
        m.Add("nodes", nodes);
        return m;
    }

    /// <summary>The bgp section of a document.</summary>
    public static DocMapping WriteBgp(BgpSettings b)
    {
        var m = new DocMapping();
        if (b.As != 0) m.Add("as", DocScalar.Number(b.As));
        var neighbors = new DocSequence();
        foreach (var n in b.Neighbors) neighbors.Items.Add(new DocMapping().Add("address", DocScalar.Text(n.Address.ToString())).Add("as", DocScalar.Number(n.As)));
        m.Add("neighbors", neighbors);
        var nodes = new DocSequence();
        foreach (var n in b.Nodes)
        {
            var node = new DocMapping().Add("name", DocScalar.Text(n.Name)).Add("routerId", DocScalar.Text(n.RouterId.ToString()));
            if (n.As != 0) node.Add("as", DocScalar.Number(n.As));
            nodes.Items.Add(node);
        }
        m.Add("nodes", nodes);
        return m;
    }

    /// <summary>Reads a failover section on its own (Set-LvsFailover -Document, the DSC resource).</summary>
    public static FailoverSettings? ReadFailover(DocNode node, string source)
    {
        var reader = new Reader(source);
        var settings = reader.ReadFailover(node);
        new DirectorDocumentResult(null, reader.Errors).ThrowIfErrors();
        return settings;
    }

    private sealed partial class Reader
    {
        /// <summary>The bgp section; null for `bgp: null` (announce nothing) or when it has errors (recorded).</summary>
        public BgpSettings? ReadBgp(DocNode node)
        {
            if (node is DocScalar { Kind: DocScalarKind.Null }) return null;
            var m = Mapping(node, "the bgp section", SettingCatalog.Keys(SettingLevel.Bgp));
            if (m is null) return null;
            int errorsBefore = Errors.Count;
            foreach (var required in new[] { "neighbors", "nodes" })
            {
                if (!m.ContainsKey(required)) Error(node, "MissingKey", $"The bgp section needs the key '{required}': {FailoverKeys.Bgp.First(k => k.Key == required).Description}");
            }
            var b = new BgpSettings();
            if (m.TryGetValue("as", out var asn)) b = b with { As = UInt(asn.Value, SettingLevel.Bgp, "as") ?? 0 };
            if (m.TryGetValue("neighbors", out var nl) && Sequence(nl.Value, "neighbors") is { } neighborItems)
            {
                var neighbors = new List<BgpNeighbor>();
                foreach (var item in neighborItems)
                {
                    var n = Mapping(item, "a BGP neighbor", SettingCatalog.Keys(SettingLevel.BgpNeighbor));
                    if (n is null) continue;
                    if (!n.TryGetValue("address", out var a) || !n.TryGetValue("as", out var nas))
                    {
                        Error(item, "MissingKey", "A BGP neighbor needs the keys 'address' and 'as'.");
                        continue;
                    }
                    var address = Address(a.Value, "address");
                    var number = UInt(nas.Value, SettingLevel.BgpNeighbor, "as");
                    if (address is not null && number is not null) neighbors.Add(new BgpNeighbor { Address = address, As = number.Value });
                }
                b = b with { Neighbors = neighbors };
            }
            if (m.TryGetValue("nodes", out var nd) && Sequence(nd.Value, "nodes") is { } nodeItems)
            {
                var nodes = new List<BgpNode>();
                foreach (var item in nodeItems)
                {
                    var n = Mapping(item, "a BGP node", SettingCatalog.Keys(SettingLevel.BgpNode));
                    if (n is null) continue;
                    if (!n.TryGetValue("name", out var name) || !n.TryGetValue("routerId", out var rid))
                    {
                        Error(item, "MissingKey", "A BGP node needs the keys 'name' and 'routerId'.");
                        continue;
                    }
                    var nodeName = Text(name.Value, "name");
                    var routerId = Address(rid.Value, "routerId");
                    uint nodeAs = n.TryGetValue("as", out var nas) ? UInt(nas.Value, SettingLevel.BgpNode, "as") ?? 0 : 0;
                    if (nodeName is not null && routerId is not null) nodes.Add(new BgpNode { Name = nodeName, RouterId = routerId, As = nodeAs });
                }
                b = b with { Nodes = nodes };
            }
            return Validated(node, errorsBefore, b.Validate);
        }

        private IPAddress? Address(DocNode node, string key)
        {
            if (Text(node, key) is not { } text) return null;
            if (IPAddress.TryParse(text, out var address) && !text.Contains('%')) return address;
            Error(node, "InvalidAddress", $"'{key}' '{FailoverAddress.Cut(text)}' is not an IP address; allowed: an IPv4 or IPv6 address.");
            return null;
        }

        /// <summary>The failover section; null for `failover: null` (run alone) or when it has errors (recorded).</summary>
        public FailoverSettings? ReadFailover(DocNode node)
        {
            if (node is DocScalar { Kind: DocScalarKind.Null }) return null;
            var m = Mapping(node, "the failover section", SettingCatalog.Keys(SettingLevel.Failover));
            if (m is null) return null;
            int errorsBefore = Errors.Count;
            foreach (var required in new[] { "virtualRouterId", "interface", "virtualAddresses", "nodes" })
            {
                if (!m.ContainsKey(required)) Error(node, "MissingKey", $"The failover section needs the key '{required}': {FailoverKeys.Describe(required)}");
            }
            var f = new FailoverSettings();
            if (m.TryGetValue("virtualRouterId", out var vrid)) f = f with { VirtualRouterId = (int)(UInt(vrid.Value, SettingLevel.Failover, "virtualRouterId") ?? 0) };
            if (m.TryGetValue("advertisementInterval", out var ai)) f = f with { AdvertisementInterval = (int)(UInt(ai.Value, SettingLevel.Failover, "advertisementInterval") ?? 1) };
            if (m.TryGetValue("interface", out var itf)) f = f with { Interface = Text(itf.Value, "interface") ?? "" };
            if (m.TryGetValue("virtualAddresses", out var va) && Sequence(va.Value, "virtualAddresses") is { } list)
            {
                var addresses = new List<FailoverAddress>();
                foreach (var item in list)
                {
                    if (Text(item, "virtualAddresses") is not { } text) continue;
                    if (FailoverAddress.TryParse(text, out var a, out var error)) addresses.Add(a!);
                    else Error(item, "InvalidVirtualAddress", error!);
                }
                f = f with { VirtualAddresses = addresses };
            }
            if (m.TryGetValue("unicast", out var u)) f = f with { Unicast = Bool(u.Value, "unicast") ?? false };
            if (m.TryGetValue("password", out var pw) && pw.Value is not DocScalar { Kind: DocScalarKind.Null }) f = f with { Password = Text(pw.Value, "password") };
            if (m.TryGetValue("preempt", out var pre)) f = f with { Preempt = Bool(pre.Value, "preempt") ?? true };
            if (m.TryGetValue("connectionSync", out var cs)) f = f with { ConnectionSync = Bool(cs.Value, "connectionSync") ?? false };
            if (m.TryGetValue("nodes", out var nl) && Sequence(nl.Value, "nodes") is { } items)
            {
                var nodes = new List<FailoverNode>();
                foreach (var item in items)
                {
                    var n = Mapping(item, "a failover node", SettingCatalog.Keys(SettingLevel.FailoverNode));
                    if (n is null) continue;
                    if (!n.TryGetValue("name", out var name) || Text(name.Value, "name") is not { } nodeName)
                    {
                        if (!n.ContainsKey("name")) Error(item, "MissingKey", $"A failover node needs the key 'name': {FailoverKeys.Describe("name")}");
                        continue;
                    }
                    var entry = new FailoverNode { Name = nodeName };
                    if (n.TryGetValue("priority", out var pr)) entry = entry with { Priority = (int)(UInt(pr.Value, SettingLevel.FailoverNode, "priority") ?? 100) };
                    if (n.TryGetValue("address", out var ad) && Text(ad.Value, "address") is { } at)
                    {
                        if (IPAddress.TryParse(at, out var address) && !at.Contains('%')) entry = entry with { Address = address };
                        else Error(ad.Value, "InvalidNodeAddress", $"Address '{FailoverAddress.Cut(at)}' of node '{nodeName}' is not valid; allowed: a unicast IPv4 or IPv6 address.");
                    }
                    nodes.Add(entry);
                }
                f = f with { Nodes = nodes };
            }
            return Validated(node, errorsBefore, f.Validate);
        }
    }
}

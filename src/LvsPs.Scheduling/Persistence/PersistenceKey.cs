using LvsPs.Model;

namespace LvsPs.Scheduling.Persistence;

/// <summary>
/// What a persistence template is found by (ip_vs_core.c ip_vs_sched_persist): the protocol (IPPROTO_IP for a
/// firewall-mark service), the client's address masked by the service netmask, the virtual address (the mark for a
/// firewall-mark service) and the virtual port (0 for FTP, port-zero and firewall-mark services). The client port is
/// always 0, so every connection of one client network shares the template.
/// </summary>
public readonly record struct PersistenceKey(LvsProtocol Protocol, NetAddress ClientNetwork, NetAddress VirtualAddress, ushort VirtualPort)
{
    /// <summary>The FTP control port, which persistent services key without a port (FTPPORT in ip_vs_core.c).</summary>
    public const ushort FtpPort = 21;

    /// <summary>Builds the key of <paramref name="request"/> for <paramref name="service"/>.</summary>
    public static PersistenceKey For(VirtualServiceSettings service, in SchedulingRequest request)
    {
        var id = service.Id;
        // snet: IPv4 masked with the netmask, IPv6 cut to the prefix length
        var network = request.ClientAddress.Mask(service.EffectiveNetmask);
        var protocol = request.Protocol;
        var vaddr = request.DestinationAddress;
        ushort vport = 0;
        if (request.DestinationPort == id.Port)
        {
            // <protocol, caddr, 0, vaddr, vport, daddr, dport>; FTP: <protocol, caddr, 0, vaddr, 0, daddr, 0>
            if (id.Port != FtpPort) vport = request.DestinationPort;
        }
        else if (id.IsFirewallMark)
        {
            // <IPPROTO_IP, caddr, 0, fwmark, 0, daddr, 0>: every port and protocol of the mark shares it
            protocol = LvsProtocol.None;
            vaddr = NetAddress.FromIPv4(id.FirewallMark);
        }
        // else a port-zero service: <protocol, caddr, 0, vaddr, 0, daddr, 0>
        return new PersistenceKey(protocol, network, vaddr, vport);
    }
}

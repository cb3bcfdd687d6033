@{
    Synopsis    = 'Points the session''s LvsPs cmdlets at kernel IPVS, a director service or the in-session managed director.'
    Description = 'With -Kernel, every LvsPs cmdlet in this session drives the Linux kernel''s IPVS over generic netlink, as ipvsadm does: it needs root (CAP_NET_ADMIN) and the ip_vs module. -NetworkNamespace targets the IPVS of a named network namespace (ip netns add NAME) instead of this process''s. With -Service, they use a director service, LvsPs''s director in a process of its own that outlives the session (Start-LvsDirector -Service, or the systemd unit examples/lvsps-director.service), reached over its control socket (-SocketPath). With -Managed, the cmdlets go back to the in-session managed director. Get-LvsDirector shows which one is in use.'
    Examples    = @(
        @{ Title = 'Example 1: Drive kernel IPVS'; Code = 'Connect-LvsDirector -Kernel -PassThru'; Remarks = 'Connects to kernel IPVS and shows its version and connection table size.' }
        @{ Title = 'Example 2: Drive IPVS in a network namespace'; Code = 'Connect-LvsDirector -Kernel -NetworkNamespace lb1; New-LvsVirtualService tcp/10.0.0.1:80 -Scheduler rr'; Remarks = 'Creates a service in the IPVS of namespace lb1.' }
        @{ Title = 'Example 3: Back to the managed director'; Code = 'Connect-LvsDirector -Managed'; Remarks = 'The cmdlets use the in-session managed director again.' }
        @{
            Title   = 'Example 4: Use a director service started earlier'
            Code    = "Connect-LvsDirector -Service`nGet-LvsHealth"
            Remarks = 'Connects to the director service at the default socket (a later session finds it there) and shows its health checks.'
        }
    )
    Notes       = 'The kernel connection is checked when you connect: a missing ip_vs module, namespace or permission is reported then. Each later cmdlet opens its own netlink socket and resolves the IPVS family again, so reloading ip_vs is harmless.'
    Links       = @('Get-LvsDirector', 'Start-LvsDirector')
}

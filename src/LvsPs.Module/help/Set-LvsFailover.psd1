@{
    Synopsis    = 'Puts a director service in a failover pair, changes the pair, or takes it out (keepalived as the VRRP speaker).'
    Description = @'
Set-LvsFailover gives the director service the failover pair it belongs to, as a director document's failover section does. Settings you give replace the current ones; the others stay. The whole result is checked before anything changes (virtual router id 1..255, interval 1..255 s, a valid interface name, one address family, unique node names and priorities 1..254, a password of at most 8 characters, an address on every node with -Unicast), and this director's node name (the service's --node, by default the host name) must be one of the nodes.

The service then writes keepalived.conf (one vrrp_instance, no virtual_server: LvsPs keeps IPVS and the health checks), starts keepalived as its child, and follows its role changes. The settings are saved in the service's state file; when keepalived cannot run (for example it is not installed), they are kept, a warning says why, and the service starts keepalived as soon as it can.

-Remove takes the director out of its pair: keepalived stops, advertising priority 0, so a peer takes the addresses at once, and with -ConnectionSync the service stops the pair's IPVS connection sync daemon. The pair's sync daemon is the one on the pair's interface with sync id = virtual router id; a sync daemon started with Start-LvsSyncDaemon on another interface or with another sync id is never stopped or restarted by the pair. A changed -VirtualRouterId or -Interface restarts the pair's sync daemon with the new values, and -ConnectionSync $false stops it. The cmdlet supports -WhatIf and -Confirm; -WhatIf lists each setting that would change, from and to, and what happens to the pair's sync daemon.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Make a pair'
            Code    = @'
$nodes = @{ Name = 'lb1'; Priority = 150; Address = '10.0.0.11' }, @{ Name = 'lb2'; Priority = 100; Address = '10.0.0.12' }
Set-LvsFailover -Director Service -VirtualRouterId 51 -Interface eth0 -VirtualAddresses 10.0.0.100/24 -Nodes $nodes
'@
            Remarks = 'Run the same on lb1 and lb2: each service picks its own entry by its node name; lb1 becomes master.'
        }
        @{
            Title   = 'Example 2: Preview a change'
            Code    = 'Set-LvsFailover -AdvertisementInterval 2 -WhatIf'
            Remarks = 'Says: advertisementInterval from 1 to 2, and changes nothing.'
        }
        @{
            Title   = 'Example 3: Leave the pair'
            Code    = 'Set-LvsFailover -Remove'
            Remarks = 'keepalived stops; the peer takes the virtual addresses.'
        }
        @{
            Title   = 'Example 4: See what leaving does to the sync daemon'
            Code    = 'Set-LvsFailover -Remove -WhatIf'
            Remarks = 'On a kernel director with -ConnectionSync, says for example: failover pair vrid 51 on eth0; stop its connection sync daemon (Master on eth0 sync id 51).'
        }
    )
    Notes       = 'Errors: a setting out of range or inconsistent (InvalidArgument, with ids such as InvalidVirtualRouterId, DuplicatePriority, MissingNodeAddress, UnknownFailoverNode) and a director that cannot take part in a pair (NotSupported, FailoverNotAvailable).'
    Parameters  = @{
        Remove   = 'Takes the director out of its failover pair: keepalived stops and a peer takes over the addresses.'
        PassThru = 'Writes the resulting settings.'
    }
    Links       = @('Get-LvsFailover', 'Set-LvsBgp', 'Suspend-LvsDirector', 'Import-LvsConfiguration', 'about_LvsPs')
}

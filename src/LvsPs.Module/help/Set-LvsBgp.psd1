@{
    Synopsis    = 'Makes a director service announce its virtual services over BGP (BIRD as the speaker), changes the announcements, or stops them.'
    Description = @'
Set-LvsBgp gives the director service the scale-out group it announces in, as a director document's bgp section does: every director of the group announces the address of each of its virtual services to the routers (a host route, next hop self) while the service has an available real server, so the routers spread flows over the directors (ECMP). Settings you give replace the current ones; the others stay. The whole result is checked before anything changes (AS numbers 1..4294967295 except 23456, at least one neighbor, each once, unique node names, an IPv4 router id per node, an AS number for every node), and this director's node name (the service's --node, by default the host name) must be one of the nodes.

Neighbors and nodes are given in the text form Get-LvsBgp writes ('10.0.0.1 as 65000'; 'lb1 10.0.0.11' or 'lb2 10.0.0.12 as 65002'), as a comma-separated list in one string (a CSV cell), or as objects or hashtables with the same properties. The cmdlet takes Get-LvsBgp's objects by property name, so Get-LvsBgp | Set-LvsBgp changes nothing, and a saved object (or its CSV or JSON) gives the settings back.

The service writes bird.conf, starts BIRD as its child and reconfigures it in place on every change (sessions stay up; only changed routes are announced or withdrawn). The settings are saved in the service's state file; when BIRD cannot run (for example it is not installed), they are kept, a warning says why, and the service starts BIRD as soon as it can.

-Remove stops announcing: BIRD stops and closes its sessions, so the routers withdraw this director's routes at once. The cmdlet supports -WhatIf and -Confirm; -WhatIf lists each setting that would change, from and to.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Announce to a router'
            Code    = "Set-LvsBgp -Director Service -As 65001 -Neighbors '10.0.0.1 as 65000' -Nodes 'lb1 10.0.0.11', 'lb2 10.0.0.12 as 65002'"
            Remarks = 'Run the same on lb1 and lb2: each service picks its own entry by its node name and announces its services'' addresses to the router at 10.0.0.1.'
        }
        @{
            Title   = 'Example 2: Preview a change'
            Code    = "Set-LvsBgp -Neighbors '10.0.0.1 as 65000', '10.0.0.2 as 65000' -WhatIf"
            Remarks = 'Says: neighbors from 10.0.0.1 as 65000 to 10.0.0.1 as 65000, 10.0.0.2 as 65000, and changes nothing.'
        }
        @{
            Title   = 'Example 3: Give back saved settings'
            Code    = @'
$saved = Get-LvsBgp
Set-LvsBgp -Remove
$saved | Set-LvsBgp -PassThru
'@
            Remarks = 'Stops announcing (the routers withdraw the routes), then announces again with the same settings, and writes what runs.'
        }
        @{
            Title   = 'Example 4: Neighbors as hashtables'
            Code    = "Set-LvsBgp -Neighbors @{ Address = '10.0.0.1'; As = 65000 }, @{ Address = '2001:db8::1'; As = 65000 }"
            Remarks = 'An IPv6 neighbor gets the IPv6 addresses of the services; an IPv4 neighbor the IPv4 ones.'
        }
    )
    Parameters  = @{
        Remove   = 'Stops announcing: BIRD closes its sessions and the routers withdraw this director''s routes at once.'
        PassThru = 'Writes what runs afterwards, as Get-LvsBgp does.'
    }
    Notes       = 'Errors: a setting out of range or inconsistent (InvalidArgument, with ids such as InvalidAs, InvalidBgpNeighbor, InvalidBgpNode, DuplicateNeighbor, MissingBgpNeighbor, InvalidRouterId, UnknownBgpNode) and a director that cannot announce over BGP (NotSupported, BgpNotAvailable).'
    Links       = @('Get-LvsBgp', 'Suspend-LvsDirector', 'Set-LvsFailover', 'Import-LvsConfiguration', 'about_LvsPs')
}

@{
    Synopsis    = 'Gets a director service''s BGP announcements: its scale-out group''s settings, the sessions with the routers and the routes announced.'
    Description = @'
Get-LvsBgp writes one object for the director: the settings of the scale-out group it announces in (the bgp section of a director document: the AS number, the neighbors as 'ADDRESS as AS' and the nodes as 'NAME ROUTERID' or 'NAME ROUTERID as AS', the text Set-LvsBgp reads back) and what runs, as the director service knows it: this director's node name, the session with each neighbor (its BGP state, Idle, Connect, Active, OpenSent, OpenConfirm or Established, since when, and BIRD's last error), the routes announced right now, whether the director is suspended, and the problem that keeps BIRD from running, if any (for example: bird is not installed). The session states are read from BIRD (birdc show protocols) at each call; a session BIRD does not list (yet) is Unknown.

A director announces the address of a virtual service only while the service has a real server of weight above 0, and nothing while it is suspended (Suspend-LvsDirector). It writes nothing when the director announces nothing.

BGP needs a director service (Start-LvsDirector -Service, or the systemd unit): the service writes BIRD 2's configuration and runs BIRD as the BGP speaker. See docs/high-availability.md.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Are the sessions up, and what is announced?'
            Code    = 'Get-LvsBgp -Director Service'
            Remarks = 'Writes the node, the AS number, the neighbors and nodes, each session with its state, and the routes announced.'
        }
        @{
            Title   = 'Example 2: The sessions as a table'
            Code    = '(Get-LvsBgp).Sessions | Format-Table'
            Remarks = 'One row per neighbor: its address, AS number, BGP state, since when, and BIRD''s last error (such as "Socket: Connection refused").'
        }
        @{
            Title   = 'Example 3: Keep the settings and give them back'
            Code    = @'
Get-LvsBgp | Export-Csv ./bgp.csv
Import-Csv ./bgp.csv | Set-LvsBgp -WhatIf
'@
            Remarks = 'The CSV cells hold the text forms ("10.0.0.1 as 65000, 10.0.0.2 as 65000"); Set-LvsBgp takes them by property name and, with the same settings, changes nothing.'
        }
    )
    Notes       = 'Errors: the director cannot announce over BGP, e.g. the in-session director (NotSupported, BgpNotAvailable).'
    Links       = @('Set-LvsBgp', 'Suspend-LvsDirector', 'Resume-LvsDirector', 'Get-LvsFailover', 'about_LvsPs')
}

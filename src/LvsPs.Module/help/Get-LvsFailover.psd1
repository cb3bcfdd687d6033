@{
    Synopsis    = 'Gets the failover pair a director service is in, or where it stands in it.'
    Description = @'
Get-LvsFailover writes the director's failover settings: the VRRP virtual router id, advertisement interval, interface, virtual addresses, unicast, preempt, connection sync and the nodes with their priorities and addresses (the failover section of a director document). It writes nothing when the director runs alone.

With -Status it writes where this director stands instead: its node name, its role (Master, Backup, Fault or Standalone) as keepalived last reported it, the peers, the last transition, the number of transitions since the service started, whether it is suspended, and the problem that keeps keepalived from running, if any (for example: keepalived is not installed).

Failover needs a director service (Start-LvsDirector -Service, or the systemd unit): the service writes keepalived's configuration and runs keepalived as the VRRP speaker. See docs/high-availability.md.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: See the pair'
            Code    = 'Get-LvsFailover -Director Service'
            Remarks = 'Writes the settings of the pair the default director service is in.'
        }
        @{
            Title   = 'Example 2: Which node is master?'
            Code    = 'Get-LvsFailover -Status | Format-List Node, Role, Peers, LastTransition, Problem'
            Remarks = 'Shows this node''s role, its peers and the last role change.'
        }
    )
    Notes       = 'Errors: the director cannot take part in a pair, e.g. the in-session director (NotSupported, FailoverNotAvailable).'
    Links       = @('Set-LvsFailover', 'Suspend-LvsDirector', 'Resume-LvsDirector', 'Get-LvsDirector', 'about_LvsPs')
}

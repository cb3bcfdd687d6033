@{
    Synopsis    = 'Lists the director''s connection table.'
    Description = 'Writes one LvsConnection per entry of the connection table, as ipvsadm -L -c lists it: protocol, client, virtual and real server endpoints, state and time to expiry. On the kernel backend the table is read from /proc/net/ip_vs_conn of the target network namespace; on the managed director it is the engine''s own table. Persistence templates are left out unless -IncludeTemplate is given.'
    Examples    = @(
        @{ Title = 'Example 1: All connections'; Code = 'Get-LvsConnection'; Remarks = 'Lists every connection.' }
        @{ Title = 'Example 2: Connections of one service'; Code = 'Get-LvsConnection tcp/10.0.0.1:80 | Group-Object DestinationAddress'; Remarks = 'Counts the connections of one service by real server.' }
    )
    Notes       = 'Kernel IPVS has no netlink request for connections; /proc/net/ip_vs_conn is what ipvsadm -L -c reads too.'
    Links       = @('Get-LvsRealServer', 'Get-LvsStats')
}

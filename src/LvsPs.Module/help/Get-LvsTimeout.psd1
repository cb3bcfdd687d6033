@{
    Synopsis    = 'Gets the tcp, tcpfin and udp connection timeouts (ipvsadm -L --timeout).'
    Description = @'
Get-LvsTimeout gets the director's connection timeouts, in seconds: Tcp, how long an established TCP connection may stay idle; TcpFin, how long a TCP connection is kept after a FIN; and Udp, how long a UDP flow may stay idle. It is the equivalent of ipvsadm -L --timeout.

The defaults are the kernel's: 900 seconds for tcp, 120 for tcpfin and 300 for udp. Change them with Set-LvsTimeout.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Show the timeouts'
            Code    = 'Get-LvsTimeout'
            Remarks = 'Writes an object with Tcp, TcpFin and Udp; on a new director: 900, 120 and 300.'
        }
        @{
            Title   = 'Example 2: Change one timeout and keep the others'
            Code    = 'Get-LvsTimeout | Set-LvsTimeout -Udp 60 -PassThru'
            Remarks = 'Keeps the tcp and tcpfin timeouts (they bind by property name) and sets the udp timeout to 60 seconds.'
        }
    )
    Links       = @('Set-LvsTimeout', 'about_LvsPs')
}

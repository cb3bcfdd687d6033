@{
    Synopsis    = 'Sets the tcp, tcpfin and udp connection timeouts (ipvsadm --set).'
    Description = @'
Set-LvsTimeout sets the director's connection timeouts, in seconds; it is the equivalent of ipvsadm --set tcp tcpfin udp. Give at least one of -Tcp, -TcpFin and -Udp; the ones you omit (or give as 0) keep their values, as in ipvsadm. Each value is 1..2147483 seconds.

The managed director applies the new timeouts at once, to established connections too: a connection expires when it has been idle for the new time. By default the cmdlet writes nothing; use -PassThru to get the resulting timeouts. The cmdlet supports -WhatIf and -Confirm.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Shorten the TCP idle timeout'
            Code    = 'Set-LvsTimeout -Tcp 300'
            Remarks = 'Established TCP connections now expire after 5 idle minutes; tcpfin and udp stay. Like ipvsadm --set 300 0 0.'
        }
        @{
            Title   = 'Example 2: Set all three and see the result'
            Code    = 'Set-LvsTimeout -Tcp 900 -TcpFin 60 -Udp 30 -PassThru'
            Remarks = 'Sets the three timeouts and writes them: Tcp 900, TcpFin 60, Udp 30.'
        }
    )
    Notes       = 'Errors: no timeout given (InvalidArgument, NoTimeoutGiven) and a value above 2147483 seconds (InvalidArgument, InvalidTimeout).'
    Links       = @('Get-LvsTimeout', 'about_LvsPs')
}

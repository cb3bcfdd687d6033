# The LVS article's example in LvsPs: a virtual HTTP service with two real servers, round-robin, masquerading, with
# real requests through it; then the same for a UDP echo service. Run against the in-session director and a service.
param([ValidateSet('Managed', 'Service')] [string] $Director = 'Managed')

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LvsPs.TestHelpers.psm1') -Force
    Enter-TestSession -Director $Director
}
AfterAll { Exit-TestSession }

Describe "The LVS example: HTTP, two real servers, rr, masquerading ($Director)" {
    BeforeAll {
        $web1 = [LvsPs.TestBackends.HttpBackend]::Start('web1', '127.0.0.1', 0)
        $web2 = [LvsPs.TestBackends.HttpBackend]::Start('web2', '127.0.0.1', 0)
        $vip = New-TestVip
        $port = Get-FreeTcpPort
        $service = New-LvsVirtualService -Protocol Tcp -Address $vip -Port $port -Scheduler rr
        $service | Add-LvsRealServer -Address 127.0.0.1 -Port $web1.Port -Forwarding Masquerade
        $service | Add-LvsRealServer -Address 127.0.0.1 -Port $web2.Port -Forwarding Masquerade
        $responses = foreach ($i in 1..6) { [LvsPs.TestBackends.LoopbackClient]::HttpGet($vip, $port, '/', 10000) }
        $id = "tcp/${vip}:$port"
        Wait-Until { (Get-LvsVirtualService $id).ActiveConnections -eq 0 } 'connections to close'
    }
    AfterAll {
        Clear-LvsVirtualService -Confirm:$false
        $web1, $web2 | ForEach-Object Dispose
    }

    It 'sends real requests that alternate between the two backends' {
        $responses.Backend | Should -Be @('web2', 'web1', 'web2', 'web1', 'web2', 'web1')
        $responses.Status | Should -Be @(200, 200, 200, 200, 200, 200)
        $web1.Requests | Should -Be 3
        $web2.Requests | Should -Be 3
    }

    It 'lists the service with its real servers, newest first, as ipvsadm --nosort does' {
        $svc = Get-LvsVirtualService $id -NoSort
        $svc.Scheduler | Should -Be 'rr'
        $svc.RealServers.Port | Should -Be @($web2.Port, $web1.Port)
        $svc.RealServers.Forwarding | Should -Be @('Masquerade', 'Masquerade')
        # closed connections stay in TIME_WAIT, counted as inactive
        $svc.RealServers.InactiveConnections | Should -Be @(3, 3)
    }

    It 'counts the connections and bytes that really happened' {
        $stats = Get-LvsStats $id
        $total = $stats | Where-Object Scope -EQ 'VirtualService'
        $total.Connections | Should -Be 6
        $total.BytesIn | Should -Be ($responses.BytesSent | Measure-Object -Sum).Sum
        $total.BytesOut | Should -Be ($responses.BytesReceived | Measure-Object -Sum).Sum
        $total.PacketsIn | Should -BeGreaterOrEqual 18
        $total.PacketsOut | Should -BeGreaterOrEqual 12
        ($stats | Where-Object Scope -EQ 'RealServer').Connections | Should -Be @(3, 3)
        (Get-LvsVirtualService $id).Stats.Connections | Should -Be 6
    }

    It 'shows the listing like ipvsadm -L -n --nosort' {
        $text = (Get-LvsVirtualService $id -NoSort | Out-String -Width 200) -split "`n" | ForEach-Object TrimEnd | Where-Object { $_ }
        $text[0] | Should -Be 'Prot LocalAddress:Port Scheduler Flags'
        $text[1] | Should -Be '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn'
        $text[2] | Should -Be "TCP  ${vip}:$port rr"
        $text[3] | Should -Match ("^  -> 127\.0\.0\.1:$($web2.Port) +Masq +1 +0 +3$")
        $text[4] | Should -Match ("^  -> 127\.0\.0\.1:$($web1.Port) +Masq +1 +0 +3$")
    }

    It 'shows the stats like ipvsadm -L -n --stats' {
        $text = (Get-LvsStats $id | Out-String -Width 200) -split "`n" | ForEach-Object TrimEnd | Where-Object { $_ }
        $text[0] | Should -Match '^Prot LocalAddress:Port +Conns +InPkts +OutPkts +InBytes +OutBytes$'
        $text[1] | Should -Be '  -> RemoteAddress:Port'
        $text[2] | Should -Match ("^TCP  ${vip}:$port +6 +\d+ +\d+ +\d+ +\d+$" -replace '\.', '\.')
    }

    It 'zeroes the counters that really counted with Reset-LvsStats, and only with -WhatIf absent' {
        (Get-LvsStats $id | Where-Object Scope -EQ 'VirtualService').Connections | Should -Be 6
        Reset-LvsStats -VirtualService $id -WhatIf
        (Get-LvsStats $id | Where-Object Scope -EQ 'VirtualService').Connections | Should -Be 6
        Reset-LvsStats -VirtualService $id -Confirm:$false
        $after = @(Get-LvsStats $id)
        $after.Count | Should -Be 3 # the service and its two real servers
        foreach ($counter in 'Connections', 'PacketsIn', 'PacketsOut', 'BytesIn', 'BytesOut') {
            ($after | Measure-Object -Property $counter -Sum).Sum | Should -Be 0 -Because "$counter was reset"
        }
        # the connections themselves are not touched: still listed, as ipvsadm -Z leaves them
        (Get-LvsVirtualService $id).InactiveConnections | Should -Be 6
    }
}

Describe "The same for UDP: an echo service ($Director)" {
    BeforeAll {
        $echo1 = [LvsPs.TestBackends.UdpEchoBackend]::Start('echo1', '127.0.0.1', 0)
        $echo2 = [LvsPs.TestBackends.UdpEchoBackend]::Start('echo2', '127.0.0.1', 0)
        $vip = New-TestVip
        $port = Get-FreeTcpPort
        $id = "udp/${vip}:$port"
        New-LvsVirtualService $id -Scheduler rr | Out-Null
        Add-LvsRealServer $id -Address 127.0.0.1 -Port $echo1.Port
        Add-LvsRealServer $id -Address 127.0.0.1 -Port $echo2.Port
        $replies = foreach ($i in 1..4) { [LvsPs.TestBackends.LoopbackClient]::UdpRequest($vip, $port, "ping$i", 5000) }
    }
    AfterAll {
        Clear-LvsVirtualService -Confirm:$false
        $echo1, $echo2 | ForEach-Object Dispose
    }

    It 'relays datagrams both ways, alternating between the real servers' {
        $replies | Should -Be @('echo2:ping1', 'echo1:ping2', 'echo2:ping3', 'echo1:ping4')
    }

    It 'counts datagrams and bytes; UDP flows are inactive connections' {
        $total = Get-LvsStats $id | Where-Object Scope -EQ 'VirtualService'
        $total.Connections | Should -Be 4
        $total.PacketsIn | Should -Be 4
        $total.PacketsOut | Should -Be 4
        $total.BytesIn | Should -Be (4 * 5)
        $total.BytesOut | Should -Be (('echo2:ping1', 'echo1:ping2', 'echo2:ping3', 'echo1:ping4' | ForEach-Object Length | Measure-Object -Sum).Sum)
        $svc = Get-LvsVirtualService $id
        $svc.ActiveConnections | Should -Be 0
        $svc.InactiveConnections | Should -Be 4
    }
}

BeforeAll {
    Import-Module $env:LVSPS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'LvsPs.TestHelpers.psm1') -Force
}

Describe 'Test-LvsScheduling' {
    BeforeAll {
        Start-LvsDirector
        # the managed director listens on the service's VIP:port: both the test's own (TestAddresses)
        $vs = "tcp/$(New-TestVip):$(Get-FreeTcpPort)"
        New-LvsVirtualService -VirtualService $vs -Scheduler rr
        # added .1 then .2: the kernel lists (and rr walks) .2 first
        Add-LvsRealServer -VirtualService $vs -Address 127.0.0.1 -Port 9001
        Add-LvsRealServer -VirtualService $vs -Address 127.0.0.2 -Port 9001
    }
    AfterAll { Stop-LvsDirector }

    It 'previews where a client would go without moving the scheduler' {
        $first = Test-LvsScheduling -VirtualService $vs -ClientAddress 10.9.9.9
        $again = Test-LvsScheduling -VirtualService $vs -ClientAddress 10.9.9.9
        $first.RealServer.ToString() | Should -Be '127.0.0.2:9001'
        $again.RealServer.ToString() | Should -Be '127.0.0.2:9001'
        (Get-LvsRealServer -VirtualService $vs | Measure-Object -Property ActiveConnections -Sum).Sum | Should -Be 0
    }

    It 'shares simulated requests by weight for a proposed scheduler' {
        Set-LvsRealServer -VirtualService $vs -Address 127.0.0.1 -Port 9001 -Weight 3
        $shares = Test-LvsScheduling -VirtualService $vs -Count 400 -Scheduler wrr
        ($shares | Where-Object { $_.RealServer.ToString() -eq '127.0.0.1:9001' }).Requests | Should -Be 300
        ($shares | Where-Object { $_.RealServer.ToString() -eq '127.0.0.2:9001' }).Requests | Should -Be 100
        (Get-LvsVirtualService -VirtualService $vs).Scheduler | Should -Be 'rr'
    }

    It 'previews a proposed service that does not exist' {
        $p = Test-LvsScheduling -VirtualService tcp/127.3.0.2:80 -Scheduler sh -RealServer 10.0.0.1:80, 10.0.0.2:80 -ClientAddress 0.0.0.1
        # sh: hash_32(1, 8) = 97, two buckets alternate from the first listed: 97 is odd -> the second
        $p.RealServer.ToString() | Should -Be '10.0.0.2:80'
        Get-LvsVirtualService -VirtualService tcp/127.3.0.2:80 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'shows persistence: a client keeps its server across simulated connections' {
        $shares = Test-LvsScheduling -VirtualService $vs -Count 10 -ClientAddress 10.1.1.1 -PersistenceTimeout 300
        ($shares | Where-Object Requests -eq 10 | Measure-Object).Count | Should -Be 1
    }

    It 'fails clearly for an unknown service without -RealServer' {
        { Test-LvsScheduling -VirtualService tcp/127.3.0.9:80 -ClientAddress 1.2.3.4 -ErrorAction Stop } |
            Should -Throw -ErrorId 'PreviewNeedsServers,LvsPs.Commands.TestLvsSchedulingCommand'
    }
}

# Every cmdlet's [OutputType] names what it really writes: each cmdlet runs in a scenario on the in-session managed
# director, and every object it writes must be of a declared type (a PSTypeName view selector such as
# LvsPs.Model.LvsStatsRecord#Rate counts as its base type); a cmdlet declared [OutputType([void])] writes nothing.
# The failover, restart and connect cmdlets run against a director service below; the sync-daemon cmdlets need kernel
# IPVS and are checked the same way in the qemu guest (tests/Pester/Kernel/KernelDirector.Tests.ps1), and the BGP
# cmdlets against a service that announces to real BIRD routers in network namespaces (tests/Pester/Bgp.Tests.ps1: a
# BGP speaker in this host's own namespace would listen on port 179 here). A test at the end fails when a cmdlet of
# the module is checked nowhere.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LvsPs.TestHelpers.psm1') -Force
    Enter-TestSession
    Clear-LvsVirtualService -Confirm:$false
}

AfterAll { Exit-TestSession }

Describe 'OutputType names what each cmdlet writes' {
    BeforeAll {
        $web = [LvsPs.TestBackends.HttpBackend]::Start('web', '127.0.0.1', 0)
        $vip = New-TestVip
        $port = Get-FreeTcpPort
        $id = "tcp/${vip}:$port"
        $ftp = "tcp/${vip}:21"
        $doc = "{ virtualServices: [ { virtualService: '$id', scheduler: rr, realServers: [ { address: 127.0.0.1, port: $($web.Port), weight: 3 } ] } ] }"
    }
    AfterAll { $web.Dispose() }

    It 'Start-LvsDirector -PassThru' { Assert-OutputType Start-LvsDirector @(Start-LvsDirector -PassThru) }
    It 'Get-LvsDirector' { Assert-OutputType Get-LvsDirector @(Get-LvsDirector) }
    It 'New-LvsVirtualService' { Assert-OutputType New-LvsVirtualService @(New-LvsVirtualService $id -Scheduler rr) }
    It 'Add-LvsRealServer -PassThru' { Assert-OutputType Add-LvsRealServer @(Add-LvsRealServer $id -Address 127.0.0.1 -Port $web.Port -PassThru) }
    It 'Set-LvsRealServer -PassThru' { Assert-OutputType Set-LvsRealServer @(Set-LvsRealServer $id -Address 127.0.0.1 -Port $web.Port -Weight 2 -PassThru) }
    It 'Get-LvsRealServer' { Assert-OutputType Get-LvsRealServer @(Get-LvsRealServer) }
    It 'Set-LvsVirtualService -PassThru' { Assert-OutputType Set-LvsVirtualService @(Set-LvsVirtualService $id -Scheduler wrr -PassThru) }
    It 'Get-LvsVirtualService, -Thresholds, -PersistentConnections' {
        Assert-OutputType Get-LvsVirtualService @(Get-LvsVirtualService; Get-LvsVirtualService -Thresholds; Get-LvsVirtualService -PersistentConnections)
    }
    It 'Get-LvsConnection' {
        [LvsPs.TestBackends.LoopbackClient]::HttpGet($vip, $port, '/', 10000).Backend | Should -Be 'web'
        Assert-OutputType Get-LvsConnection @(Get-LvsConnection)
    }
    It 'Get-LvsStats, -Rate, -Exact' { Assert-OutputType Get-LvsStats @(Get-LvsStats; Get-LvsStats -Rate; Get-LvsStats -Exact) }
    It 'Reset-LvsStats' { Assert-OutputType Reset-LvsStats @(Reset-LvsStats) }
    It 'Get-LvsTimeout' { Assert-OutputType Get-LvsTimeout @(Get-LvsTimeout) }
    It 'Set-LvsTimeout -PassThru' { Assert-OutputType Set-LvsTimeout @(Set-LvsTimeout -Udp 301 -PassThru) }
    It 'Test-LvsScheduling, one client and -Count' {
        Assert-OutputType Test-LvsScheduling @(Test-LvsScheduling $id -ClientAddress 10.9.9.9; Test-LvsScheduling $id -Count 10)
    }
    It 'Set-LvsHealthCheck -PassThru' { Assert-OutputType Set-LvsHealthCheck @(Set-LvsHealthCheck $id -Type Tcp -Interval 60 -PassThru) }
    It 'Get-LvsHealthCheck' { Assert-OutputType Get-LvsHealthCheck @(Get-LvsHealthCheck) }
    It 'Get-LvsHealth' { Assert-OutputType Get-LvsHealth @(Get-LvsHealth) }
    It 'Remove-LvsHealthCheck' { Assert-OutputType Remove-LvsHealthCheck @(Remove-LvsHealthCheck $id) }
    It 'Export-LvsConfiguration' { Assert-OutputType Export-LvsConfiguration @(Export-LvsConfiguration -Format Json) }
    It 'Compare-LvsConfiguration' { Assert-OutputType Compare-LvsConfiguration @(Compare-LvsConfiguration -Text $doc) }
    It 'Import-LvsConfiguration -PassThru' { Assert-OutputType Import-LvsConfiguration @(Import-LvsConfiguration -Text $doc -PassThru) }
    It 'Test-LvsKernelFtp' {
        New-LvsVirtualService $ftp -Helper Ftp | Add-LvsRealServer -Address 127.0.0.1 -Port 2121 -Forwarding Masquerade | Out-Null
        Assert-OutputType Test-LvsKernelFtp @(Test-LvsKernelFtp $ftp -Root $TestDrive)
    }
    It 'New-, Set-, Get-LvsContentRule -PassThru' {
        Assert-OutputType New-LvsContentRule @(New-LvsContentRule $id -Match Host -Pattern api.example -Group api -PassThru)
        Assert-OutputType Set-LvsContentRule @(Set-LvsContentRule $id 1 -Pattern www.example -PassThru)
        Assert-OutputType Get-LvsContentRule @(Get-LvsContentRule $id)
    }
    It 'Remove-LvsContentRule' { Assert-OutputType Remove-LvsContentRule @(Remove-LvsContentRule $id 1) }
    It 'Remove-LvsRealServer' { Assert-OutputType Remove-LvsRealServer @(Remove-LvsRealServer $id -Address 127.0.0.1 -Port $web.Port) }
    It 'Remove-LvsVirtualService' { Assert-OutputType Remove-LvsVirtualService @(Remove-LvsVirtualService $ftp) }
    It 'Clear-LvsVirtualService' { Assert-OutputType Clear-LvsVirtualService @(Clear-LvsVirtualService -Confirm:$false) }
    It 'Disconnect-LvsDirector' { Assert-OutputType Disconnect-LvsDirector @(Disconnect-LvsDirector) }
    It 'Stop-LvsDirector' { Assert-OutputType Stop-LvsDirector @(Stop-LvsDirector) }
}

Describe 'OutputType names what each cmdlet writes, through a director service' {
    BeforeAll {
        $folder = Join-Path ([IO.Path]::GetTempPath()) "lvsps-ot-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $socket = Join-Path $folder 'director.sock'
        Start-LvsDirector -Service -SocketPath $socket -MetricsEndpoint off
        $script:watch = [LvsPs.TestBackends.ReapedProcess]::KillWithThisProcess([LvsPs.TestBackends.ReapedProcess]::SocketOwner($socket))
        $me = [Environment]::MachineName
        # the pair's interface does not exist here: keepalived (when installed) reports a fault, no VRRP leaves the host
        $pair = @{
            VirtualRouterId = 52; Interface = 'lvspsnone0'; VirtualAddresses = '192.0.2.110/24'
            Nodes = @{ Name = $me; Priority = 150; Address = '192.0.2.21' }, @{ Name = 'peer'; Priority = 100; Address = '192.0.2.22' }
        }
    }
    AfterAll {
        Stop-LvsDirector -Service -SocketPath $socket -WarningAction SilentlyContinue
        $script:watch.Dispose()
        Disconnect-LvsDirector
        Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'Connect-LvsDirector -Service -PassThru' { Assert-OutputType Connect-LvsDirector @(Connect-LvsDirector -Service -SocketPath $socket -PassThru) }
    It 'Set-LvsFailover -PassThru' { Assert-OutputType Set-LvsFailover @(Set-LvsFailover @pair -PassThru -WarningAction SilentlyContinue) }
    It 'Get-LvsFailover, -Status' { Assert-OutputType Get-LvsFailover @(Get-LvsFailover; Get-LvsFailover -Status) }
    It 'Suspend-LvsDirector -PassThru' { Assert-OutputType Suspend-LvsDirector @(Suspend-LvsDirector -PassThru -Confirm:$false) }
    It 'Resume-LvsDirector -PassThru' { Assert-OutputType Resume-LvsDirector @(Resume-LvsDirector -PassThru) }
    It 'Restart-LvsDirector -Service -PassThru' {
        Assert-OutputType Restart-LvsDirector @(Restart-LvsDirector -Service -SocketPath $socket -PassThru -Confirm:$false)
        # the new process serves the socket now: the reaper follows it
        $script:watch.Dispose()
        $script:watch = [LvsPs.TestBackends.ReapedProcess]::KillWithThisProcess([LvsPs.TestBackends.ReapedProcess]::SocketOwner($socket))
    }
}

Describe 'Every cmdlet of the module has its [OutputType] checked' {
    It 'names each cmdlet in an Assert-OutputType here, in the kernel suite or in the BGP tests' {
        $checked = (Get-Content $PSCommandPath, (Join-Path $PSScriptRoot 'Kernel' 'KernelDirector.Tests.ps1'), (Join-Path $PSScriptRoot 'Bgp.Tests.ps1') -Raw) -join "`n"
        $unchecked = Get-Command -Module LvsPs -CommandType Cmdlet | Where-Object { $checked -notmatch "Assert-OutputType $($_.Name) " } | ForEach-Object Name
        $unchecked | Should -BeNullOrEmpty
    }
}

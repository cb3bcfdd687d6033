# Every cmdlet's [OutputType] names what it really writes: each cmdlet runs in a scenario on the in-session managed
# director, and every object it writes must be of a declared type (a PSTypeName view selector such as
# LvsPs.Model.LvsStatsRecord#Rate counts as its base type); a cmdlet declared [OutputType([void])] writes nothing.
# Cmdlets that need kernel IPVS or a director service (sync daemons, failover) are covered by their own suites.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LvsPs.TestHelpers.psm1') -Force
    Enter-TestSession
    Clear-LvsVirtualService -Confirm:$false

    # the written objects' .NET types against the declared ones
    function Assert-OutputType([string] $Command, [object[]] $Written) {
        $declared = @((Get-Command $Command).OutputType.Type | Where-Object { $_ })
        if ($declared -contains [void]) {
            $Written | Should -BeNullOrEmpty -Because "$Command declares [OutputType([void])]"
            return
        }
        $Written | Should -Not -BeNullOrEmpty -Because "the scenario should make $Command write something to compare"
        foreach ($o in $Written) {
            $base = if ($o -is [psobject]) { $o.PSObject.BaseObject } else { $o }
            $ok = @($declared | Where-Object { $base -is $_ }).Count -gt 0
            $ok | Should -BeTrue -Because "$Command wrote a $($base.GetType().FullName), declared: $($declared.FullName -join ', ')"
        }
    }
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
    It 'Remove-LvsRealServer' { Assert-OutputType Remove-LvsRealServer @(Remove-LvsRealServer $id -Address 127.0.0.1 -Port $web.Port) }
    It 'Remove-LvsVirtualService' { Assert-OutputType Remove-LvsVirtualService @(Remove-LvsVirtualService $ftp) }
    It 'Clear-LvsVirtualService' { Assert-OutputType Clear-LvsVirtualService @(Clear-LvsVirtualService -Confirm:$false) }
    It 'Disconnect-LvsDirector' { Assert-OutputType Disconnect-LvsDirector @(Disconnect-LvsDirector) }
    It 'Stop-LvsDirector' { Assert-OutputType Stop-LvsDirector @(Stop-LvsDirector) }
}

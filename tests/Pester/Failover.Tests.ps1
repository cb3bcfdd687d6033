# Failover pairs through the cmdlets, against a real director service. The pair's interface does not exist here, so
# keepalived (when installed) only reports a fault and no VRRP packet leaves this host; the end-to-end failover with
# real traffic is tests/LvsPs.Tests/Failover/FailoverPairTests.cs, in network namespaces.
BeforeAll {
    Import-Module $env:LVSPS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'LvsPs.TestHelpers.psm1') -Force
    $folder = Join-Path ([IO.Path]::GetTempPath()) "lvsps-fo-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $socket = Join-Path $folder 'director.sock'
    $metricsPort = Get-FreeTcpPort
    Start-LvsDirector -Service -SocketPath $socket -MetricsEndpoint "127.0.0.1:$metricsPort"
    $me = [Environment]::MachineName
    $nodes = @{ Name = $me; Priority = 150; Address = '192.0.2.11' }, @{ Name = 'peer'; Priority = 100; Address = '192.0.2.12' }
    $pair = @{ VirtualRouterId = 51; Interface = 'lvspsnone0'; VirtualAddresses = '192.0.2.100/24'; Nodes = $nodes }
}
AfterAll {
    Stop-LvsDirector -Service -SocketPath $socket
    Disconnect-LvsDirector
    Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Failover pair cmdlets' {
    It 'a director alone is Standalone and has no pair' {
        Get-LvsFailover | Should -BeNullOrEmpty
        (Get-LvsDirector).Role | Should -Be 'Standalone'
        (Get-LvsFailover -Status).Role | Should -Be 'Standalone'
    }

    It 'Set-LvsFailover -WhatIf changes nothing' {
        Set-LvsFailover @pair -WhatIf
        Get-LvsFailover | Should -BeNullOrEmpty
    }

    It 'refuses bad settings with a clear error and leaves the director as it was' {
        $bad = @{ Name = 'peer'; Priority = 150; Address = '192.0.2.12' }
        { Set-LvsFailover @pair -Nodes $nodes[0], $bad -ErrorAction Stop } | Should -Throw -ErrorId 'DuplicatePriority,LvsPs.Commands.SetLvsFailoverCommand'
        { Set-LvsFailover @pair -Nodes @{ Name = 'other'; Priority = 10 } -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownFailoverNode,LvsPs.Commands.SetLvsFailoverCommand'
        { Set-LvsFailover @pair -VirtualAddresses '192.0.2.100/40' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidVirtualAddress,LvsPs.Commands.SetLvsFailoverCommand'
        Get-LvsFailover | Should -BeNullOrEmpty
    }

    It 'joins the pair; Get-LvsDirector shows the role, the peer and the transition' {
        $result = Set-LvsFailover @pair -Password 'pw' -PassThru -WarningAction SilentlyContinue
        $result.VirtualRouterId | Should -Be 51
        $result.Nodes.Name | Should -Be @($me, 'peer')
        Wait-Until { (Get-LvsDirector).Role -in 'Backup', 'Fault' } 'a role from keepalived (or Fault when it cannot run)' 30
        $info = Get-LvsDirector
        $info.Peer | Should -Match 'peer \(192\.0\.2\.12\)'
        $info.LastTransition | Should -Not -BeNullOrEmpty
        (Get-LvsFailover -Status).Node | Should -Be $me
    }

    It 'changes only the settings given; -WhatIf leaves them' {
        Set-LvsFailover -AdvertisementInterval 2 -WhatIf
        (Get-LvsFailover).AdvertisementInterval | Should -Be 1
        Set-LvsFailover -AdvertisementInterval 2 -WarningAction SilentlyContinue
        $f = Get-LvsFailover
        $f.AdvertisementInterval | Should -Be 2
        $f.VirtualRouterId | Should -Be 51
        $f.Password | Should -Be 'pw'
    }

    It 'is in the exported document and planned by Compare and Import' {
        $yaml = Export-LvsConfiguration
        $yaml | Should -Match 'failover:'
        $yaml | Should -Match 'virtualRouterId: 51'
        $changed = $yaml -replace 'advertisementInterval: 2', 'advertisementInterval: 3'
        $diff = @(Compare-LvsConfiguration -Text $changed)
        $diff.Count | Should -Be 1
        $diff[0].Target | Should -Be 'Failover'
        $diff[0].Property | Should -Be 'AdvertisementInterval'
        $diff[0].From | Should -Be '2'
        $diff[0].To | Should -Be '3'
        Import-LvsConfiguration -Text $changed -WarningAction SilentlyContinue
        (Get-LvsFailover).AdvertisementInterval | Should -Be 3
        @(Compare-LvsConfiguration -Text $changed).Count | Should -Be 0
    }

    It 'reads the failover section strictly' {
        $doc = "failover:`n  virtualRouterId: 300`n  interface: eth0`n  virtualAddresses: [192.0.2.1]`n  nodes: [{name: a}]`n  colour: red`n"
        { Compare-LvsConfiguration -Text $doc -ErrorAction Stop } | Should -Throw
        $errors = $null
        Compare-LvsConfiguration -Text $doc -ErrorAction SilentlyContinue -ErrorVariable errors
        ($errors | ForEach-Object { $_.ToString() }) -join "`n" | Should -Match "'virtualRouterId' 300 is out of range; allowed: 1\.\.255"
        ($errors | ForEach-Object { $_.ToString() }) -join "`n" | Should -Match "Unknown key 'colour' in the failover section"
    }

    It 'plans a bgp section (Compare only: nothing is announced from this host)' {
        $doc = "bgp:`n  as: 65001`n  neighbors: [{address: 192.0.2.1, as: 65000}]`n  nodes: [{name: $me, routerId: 192.0.2.11}]`n"
        $diff = @(Compare-LvsConfiguration -Text $doc)
        $diff.Count | Should -Be 1
        $diff[0].Target | Should -Be 'Bgp'
        $diff[0].Action | Should -Be 'Add'
        $bad = "bgp:`n  as: 23456`n  neighbors: [{address: 192.0.2.1, as: 65000}]`n  nodes: [{name: $me, routerId: 2001:db8::1}]`n"
        $errors = $null
        Compare-LvsConfiguration -Text $bad -ErrorAction SilentlyContinue -ErrorVariable errors
        ($errors | ForEach-Object { $_.ToString() }) -join "`n" | Should -Match 'AS number 23456 is not valid'
    }

    It 'reports the role in the metrics' {
        $text = (Invoke-WebRequest "http://127.0.0.1:$metricsPort/metrics").Content
        $text | Should -Match 'lvsps_failover_role\{role="standalone"\} 0'
        $text | Should -Match 'lvsps_failover_transitions_total [1-9]'
    }

    It 'Suspend-LvsDirector and Resume-LvsDirector' {
        Suspend-LvsDirector -WhatIf
        (Get-LvsFailover -Status).Suspended | Should -BeFalse
        (Suspend-LvsDirector -Confirm:$false -PassThru).Suspended | Should -BeTrue
        (Resume-LvsDirector -PassThru).Suspended | Should -BeFalse
    }

    It 'Set-LvsFailover -Remove leaves the pair' {
        Set-LvsFailover -Remove
        Get-LvsFailover | Should -BeNullOrEmpty
        (Get-LvsDirector).Role | Should -Be 'Standalone'
        { Suspend-LvsDirector -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'NoFailoverPair,LvsPs.Commands.SuspendLvsDirectorCommand'
    }

    It 'the in-session director cannot join a pair' {
        { Get-LvsFailover -Director Managed -ErrorAction Stop } | Should -Throw -ErrorId 'FailoverNotAvailable,LvsPs.Commands.GetLvsFailoverCommand'
    }
}

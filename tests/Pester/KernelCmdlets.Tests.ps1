# Connect-LvsDirector, ipvsadm rules and the sync daemon cmdlets on the host (managed director; the host kernel has no
# IPVS). Their kernel side runs in the qemu guest (tests/LvsPs.KernelTests).
BeforeAll {
    Import-Module $env:LVSPS_MODULE -Force
}

Describe 'Connect-LvsDirector' {
    It 'goes back to the managed director' {
        Connect-LvsDirector -Managed
        (Get-LvsDirector).Kind | Should -Be 'Managed'
    }

    It 'changes nothing with -WhatIf' {
        Connect-LvsDirector -Kernel -WhatIf
        (Get-LvsDirector).Kind | Should -Be 'Managed'
    }

    It 'reports a missing network namespace with a stable error id' {
        Connect-LvsDirector -Kernel -NetworkNamespace 'lvsps-no-such-ns' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NetworkNamespaceNotFound*'
        (Get-LvsDirector).Kind | Should -Be 'Managed'
    }
}

Describe 'ipvsadm rules on the managed director' {
    BeforeEach {
        Connect-LvsDirector -Managed
        Clear-LvsVirtualService -Confirm:$false
    }

    It 'imports rules and exports them as ipvsadm -S writes them' {
        $rules = "-A -t 127.0.0.1:47311 -s rr`n-a -t 127.0.0.1:47311 -r 127.0.0.1:47312 -m -w 2`n-a -t 127.0.0.1:47311 -r 127.0.0.1:47313 -m -w 1`n"
        $rules | Import-LvsConfiguration
        (Get-LvsRealServer -VirtualService tcp/127.0.0.1:47311).Count | Should -Be 2
        Export-LvsConfiguration -Format Ipvsadm | Should -BeExactly $rules
    }

    It 'applies nothing when one rule fails' {
        "-A -t 127.0.0.1:47321 -s rr`n-A -t 127.0.0.1:47322 -s nosuch`n" | Import-LvsConfiguration -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        Get-LvsVirtualService | Should -BeNullOrEmpty
    }

    It 'names the bad line' {
        "-A -t 127.0.0.1:47331 --bogus" | Import-LvsConfiguration -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidIpvsadmRule*'
    }

    It 'changes nothing with -WhatIf' {
        "-A -t 127.0.0.1:47341 -s rr" | Import-LvsConfiguration -WhatIf
        Get-LvsVirtualService | Should -BeNullOrEmpty
    }
}

Describe 'Sync daemon cmdlets on the managed director' {
    It 'lists none and refuses to start one' {
        Connect-LvsDirector -Managed
        Get-LvsSyncDaemon | Should -BeNullOrEmpty
        Start-LvsSyncDaemon -Role Master -Interface lo -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SyncDaemonNeedsKernel*'
    }
}

Describe 'Get-LvsConnection' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'LvsPs.TestHelpers.psm1') -Force
        Import-TestBackends
    }

    It 'lists the managed engine''s table: the connection a real request made' {
        Connect-LvsDirector -Managed
        Clear-LvsVirtualService -Confirm:$false
        $web = [LvsPs.TestBackends.HttpBackend]::Start('conn', '127.0.0.1', 0)
        try {
            $vip = New-TestVip
            $port = Get-FreeTcpPort
            $id = "tcp/${vip}:$port"
            New-LvsVirtualService $id -Scheduler rr | Add-LvsRealServer -Address 127.0.0.1 -Port $web.Port
            Get-LvsConnection -VirtualService $id | Should -BeNullOrEmpty
            [LvsPs.TestBackends.LoopbackClient]::HttpGet($vip, $port, '/', 10000).Backend | Should -Be 'conn'
            $connections = @(Get-LvsConnection -VirtualService $id)
            $connections.Count | Should -Be 1
            "$($connections[0].ClientAddress)" | Should -Be '127.0.0.1'
            "$($connections[0].VirtualAddress):$($connections[0].VirtualPort)" | Should -Be "${vip}:$port"
            "$($connections[0].DestinationAddress):$($connections[0].DestinationPort)" | Should -Be "127.0.0.1:$($web.Port)"
        }
        finally {
            Clear-LvsVirtualService -Confirm:$false
            $web.Dispose()
        }
    }
}

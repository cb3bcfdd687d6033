# The foundation cmdlets as users use them: creation, pipeline binding, -WhatIf, errors, and state left unchanged.
# The runner runs this file twice: against the in-session managed director and against a director service.
param([ValidateSet('Managed', 'Service')] [string] $Director = 'Managed')

BeforeDiscovery { $InSession = $Director -eq 'Managed' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LvsPs.TestHelpers.psm1') -Force
    Enter-TestSession -Director $Director

    function Get-Listing { (Get-LvsVirtualService | Out-String -Width 300) }

    # the first error an action writes, as the ErrorRecord a user would see
    function Get-ErrorOf([scriptblock] $Action) {
        $ErrorActionPreference = 'Stop'
        try { & $Action | Out-Null } catch { return $_ }
        throw 'The action wrote no error.'
    }
}

AfterAll { Exit-TestSession }

Describe "Virtual services ($Director)" {
    BeforeEach {
        Clear-LvsVirtualService -Confirm:$false
        $vip, $port, $id = New-TestServiceId
    }

    It 'New-LvsVirtualService by identity string writes the new service' {
        $svc = New-LvsVirtualService $id -Scheduler wrr
        $svc | Should -BeOfType ([LvsPs.Model.VirtualService])
        $svc.ToString() | Should -Be $id
        $svc.Scheduler | Should -Be 'wrr'
        $svc.Protocol | Should -Be 'Tcp'
        $svc.Port | Should -Be $port
    }

    It 'New-LvsVirtualService by protocol, address and port; the default scheduler is wlc, as in ipvsadm' {
        $svc = New-LvsVirtualService -Protocol Udp -Address $vip -Port $port
        $svc.ToString() | Should -Be "udp/${vip}:$port"
        $svc.Scheduler | Should -Be 'wlc'
    }

    It 'takes persistence, netmask and one-packet settings' {
        $udp = New-LvsVirtualService "udp/${vip}:$port" -Scheduler rr -PersistenceTimeout 60 -PersistenceNetmask 255.255.255.0 -OnePacket
        $udp.Persistent | Should -BeTrue
        $udp.PersistenceTimeout | Should -Be 60
        $udp.Netmask | Should -Be '255.255.255.0'
        $udp.OnePacket | Should -BeTrue
        $udp.Flags | Should -Be ([LvsPs.Model.ServiceFlags]'Persistent, OnePacket')
        $tcp = New-LvsVirtualService $id -Persistent
        $tcp.PersistenceTimeout | Should -Be 360
    }

    It 'Get-LvsVirtualService lists services in ipvsadm order and gets one by identity' {
        $other = "tcp/${vip}:$($port + 1)"
        New-LvsVirtualService $other | Out-Null
        New-LvsVirtualService $id | Out-Null
        (Get-LvsVirtualService).ForEach({ $_.ToString() }) | Should -Be @($id, $other)
        (Get-LvsVirtualService $other).ToString() | Should -Be $other
    }

    It 'Set-LvsVirtualService changes only what is given, in place' {
        New-LvsVirtualService $id -Scheduler rr -PersistenceTimeout 30 | Add-LvsRealServer -Address 127.0.0.1 -Port 9
        $changed = Set-LvsVirtualService $id -Scheduler wrr -PassThru
        $changed.Scheduler | Should -Be 'wrr'
        $changed.PersistenceTimeout | Should -Be 30
        $changed.RealServers.Count | Should -Be 1
        (Set-LvsVirtualService $id -Persistent:$false -PassThru).Persistent | Should -BeFalse
    }

    It 'Remove-LvsVirtualService takes the service from the pipeline' {
        New-LvsVirtualService $id | Out-Null
        Get-LvsVirtualService $id | Remove-LvsVirtualService
        Get-LvsVirtualService | Should -BeNullOrEmpty
    }

    It 'Clear-LvsVirtualService removes every service, like ipvsadm -C' {
        New-LvsVirtualService $id | Out-Null
        New-LvsVirtualService "udp/${vip}:$port" | Out-Null
        Clear-LvsVirtualService -Confirm:$false
        Get-LvsVirtualService | Should -BeNullOrEmpty
    }
}

Describe 'Real servers and pipeline binding' {
    BeforeEach {
        Clear-LvsVirtualService -Confirm:$false
        $vip, $port, $id = New-TestServiceId
        New-LvsVirtualService $id -Scheduler rr | Out-Null
    }

    It 'Get-LvsVirtualService | Add-LvsRealServer -Address defaults the port to the service''s, weight 1, masquerading' {
        Get-LvsVirtualService $id | Add-LvsRealServer -Address 10.0.0.2
        $rs = Get-LvsRealServer $id
        $rs.Address.ToString() | Should -Be '10.0.0.2'
        $rs.Port | Should -Be $port
        $rs.Weight | Should -Be 1
        $rs.Forwarding | Should -Be 'Masquerade'
        $rs.VirtualService.ToString() | Should -Be $id
    }

    It 'Add-LvsRealServer -PassThru writes the real server; Get-LvsRealServer lists them sorted as ipvsadm -L, -NoSort newest first' {
        $added = Add-LvsRealServer $id -Address 10.0.0.2 -Port 8080 -Weight 3 -UpperThreshold 100 -LowerThreshold 50 -PassThru
        $added | Should -BeOfType ([LvsPs.Model.RealServer])
        $added.Weight | Should -Be 3
        $added.UpperThreshold | Should -Be 100
        Add-LvsRealServer $id -Address 10.0.0.3 -Port 8080
        Add-LvsRealServer $id -Address 10.0.0.10 -Port 8080
        # ipvsadm -L sorts by address (10.0.0.10 after 10.0.0.3, as numbers); --nosort gives the kernel's order, newest first
        (Get-LvsVirtualService $id | Get-LvsRealServer).ForEach({ $_.ToString() }) | Should -Be @('10.0.0.2:8080', '10.0.0.3:8080', '10.0.0.10:8080')
        $kernelOrder = Get-LvsVirtualService $id | Get-LvsRealServer -NoSort
        $kernelOrder.ForEach({ $_.ToString() }) | Should -Be @('10.0.0.10:8080', '10.0.0.3:8080', '10.0.0.2:8080')
        $kernelOrder.Position | Should -Be @(0, 1, 2)
        (Get-LvsRealServer $id -Address 10.0.0.2).Position | Should -Be 2
    }

    It 'Get-LvsRealServer | Set-LvsRealServer -Weight 0 quiesces by property-name binding' {
        Add-LvsRealServer $id -Address 10.0.0.2
        Add-LvsRealServer $id -Address 10.0.0.3
        Get-LvsRealServer $id -Address 10.0.0.2 | Set-LvsRealServer -Weight 0
        (Get-LvsRealServer $id -Address 10.0.0.2).Weight | Should -Be 0
        (Get-LvsRealServer $id -Address 10.0.0.3).Weight | Should -Be 1
    }

    It 'Remove-LvsRealServer by pipeline' {
        Add-LvsRealServer $id -Address 10.0.0.2
        Get-LvsRealServer $id | Remove-LvsRealServer
        Get-LvsRealServer $id | Should -BeNullOrEmpty
    }

    It 'Get-LvsVirtualService | Get-LvsStats gives a row per service and per real server' {
        Add-LvsRealServer $id -Address 10.0.0.2
        $rows = Get-LvsVirtualService $id | Get-LvsStats
        $rows.Scope | Should -Be @('VirtualService', 'RealServer')
        $rows[0] | Should -BeOfType ([LvsPs.Model.LvsStatsRecord])
        $rows.Connections | Should -Be @(0, 0)
    }

    It 'Get-LvsStats -Rate selects the rate view' {
        $text = Get-LvsStats $id -Rate | Out-String -Width 200
        $text | Should -Match 'CPS +InPPS +OutPPS +InBPS +OutBPS'
        (Get-LvsStats $id -Rate)[0].pstypenames[0] | Should -Be 'LvsPs.Model.LvsStatsRecord#Rate'
    }
}

Describe '-WhatIf changes nothing' {
    BeforeAll {
        Clear-LvsVirtualService -Confirm:$false
        $vip, $port, $id = New-TestServiceId
        New-LvsVirtualService $id -Scheduler rr | Add-LvsRealServer -Address 10.0.0.2
        Set-LvsTimeout -Tcp 900 -TcpFin 120 -Udp 300
        $before = Get-Listing
        $timeoutsBefore = Get-LvsTimeout
    }

    It '<Name> -WhatIf leaves the director as it was' -ForEach @(
        @{ Name = 'New-LvsVirtualService'; Action = { New-LvsVirtualService "udp/${vip}:$port" -WhatIf } }
        @{ Name = 'Set-LvsVirtualService'; Action = { Set-LvsVirtualService $id -Scheduler wlc -WhatIf } }
        @{ Name = 'Remove-LvsVirtualService'; Action = { Remove-LvsVirtualService $id -WhatIf } }
        @{ Name = 'Clear-LvsVirtualService'; Action = { Clear-LvsVirtualService -WhatIf } }
        @{ Name = 'Add-LvsRealServer'; Action = { Add-LvsRealServer $id -Address 10.0.0.9 -WhatIf } }
        @{ Name = 'Set-LvsRealServer'; Action = { Set-LvsRealServer $id -Address 10.0.0.2 -Weight 5 -WhatIf } }
        @{ Name = 'Remove-LvsRealServer'; Action = { Remove-LvsRealServer $id -Address 10.0.0.2 -WhatIf } }
        @{ Name = 'Reset-LvsStats'; Action = { Reset-LvsStats -WhatIf } }
        @{ Name = 'Set-LvsTimeout'; Action = { Set-LvsTimeout -Tcp 10 -WhatIf } }
        @{ Name = 'Stop-LvsDirector'; Action = { Stop-LvsDirector -WhatIf } }
    ) {
        & $Action | Should -BeNullOrEmpty  # -WhatIf writes its message to the host, and no object
        Get-Listing | Should -Be $before
        (Get-LvsTimeout) | Should -Be $timeoutsBefore
        (Get-LvsDirector).Running | Should -BeTrue
    }
}

Describe 'Errors name the value, say what is allowed, and leave state unchanged' {
    BeforeAll {
        Clear-LvsVirtualService -Confirm:$false
        $vip, $port, $id = New-TestServiceId
        New-LvsVirtualService $id -Scheduler rr | Add-LvsRealServer -Address 10.0.0.2
        $before = Get-Listing
    }
    AfterEach { Get-Listing | Should -Be $before }

    It 'a duplicate service is ResourceExists' {
        $e = Get-ErrorOf { New-LvsVirtualService $id }
        $e.FullyQualifiedErrorId | Should -Be 'VirtualServiceExists,LvsPs.Commands.NewLvsVirtualServiceCommand'
        $e.CategoryInfo.Category | Should -Be 'ResourceExists'
        $e.Exception.Message | Should -Match ([regex]::Escape($id))
    }

    It 'a missing service is ObjectNotFound' {
        $e = Get-ErrorOf { Get-LvsVirtualService "tcp/${vip}:1" }
        $e.FullyQualifiedErrorId | Should -Be 'VirtualServiceNotFound,LvsPs.Commands.GetLvsVirtualServiceCommand'
        $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        (Get-ErrorOf { Remove-LvsRealServer $id -Address 10.0.0.99 }).CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'a weight out of range is InvalidArgument and names the value and the range' {
        $e = Get-ErrorOf { Set-LvsRealServer $id -Address 10.0.0.2 -Weight 70000 }
        $e.FullyQualifiedErrorId | Should -Be 'InvalidWeight,LvsPs.Commands.SetLvsRealServerCommand'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -Match '70000.*0\.\.65535'
    }

    It 'an unknown scheduler is InvalidArgument and lists the allowed ones' {
        $e = Get-ErrorOf { Set-LvsVirtualService $id -Scheduler fastest }
        $e.FullyQualifiedErrorId | Should -Match '^UnknownScheduler,'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -Match "'fastest'.*allowed:.*rr"
    }

    It 'a bad address is refused naming it' {
        { New-LvsVirtualService -Protocol Tcp -Address 300.1.2.3 -Port 80 -ErrorAction Stop } | Should -Throw -ExpectedMessage "*'300.1.2.3' is not a valid IP address*"
        { Add-LvsRealServer $id -Address 10 -ErrorAction Stop } | Should -Throw -ExpectedMessage "*'10' is not a valid address*"
        { Get-LvsVirtualService 'tcp/1.2.3.4' -ErrorAction Stop } | Should -Throw -ExpectedMessage "*has no port*"
    }

    It 'a port out of range is InvalidArgument' {
        $e = Get-ErrorOf { New-LvsVirtualService -Protocol Tcp -Address $vip -Port 70000 }
        $e.FullyQualifiedErrorId | Should -Match '^InvalidPort,'
        $e.Exception.Message | Should -Match '70000.*0\.\.65535'
    }

    It 'direct routing on the managed director says it needs the kernel backend' {
        $e = Get-ErrorOf { Add-LvsRealServer $id -Address 10.0.0.7 -Forwarding DirectRoute }
        $e.FullyQualifiedErrorId | Should -Match '^ForwardingNeedsKernel,'
        $e.Exception.Message | Should -Match 'kernel backend'
        $e = Get-ErrorOf { New-LvsVirtualService -FirewallMark 7 }
        $e.FullyQualifiedErrorId | Should -Match '^FirewallMarkNeedsKernel,'
    }

    It 'a VIP that is not local says how to fix it' {
        $e = Get-ErrorOf { New-LvsVirtualService 'tcp/192.0.2.10:8080' }
        $e.FullyQualifiedErrorId | Should -Match '^VirtualAddressNotLocal,'
        $e.Exception.Message | Should -Match 'ip addr add'
    }

    It 'a pipeline keeps going after a failed item' {
        $results = 'tcp/1.2.3.4:1', $id | Get-LvsVirtualService -ErrorAction SilentlyContinue -ErrorVariable errs
        @($results).Count | Should -Be 1
        $errs.Count | Should -Be 1
    }
}

Describe 'Timeouts' {
    It 'defaults to the kernel''s 900/120/300 and sets only what is given' -Skip:(-not $InSession) {
        Stop-LvsDirector
        $t = Get-LvsTimeout
        $t.Tcp, $t.TcpFin, $t.Udp | Should -Be @(900, 120, 300)
        $t = Set-LvsTimeout -TcpFin 60 -PassThru
        $t.Tcp, $t.TcpFin, $t.Udp | Should -Be @(900, 60, 300)
    }

    It 'refuses a call with nothing to set, and values out of range' {
        { Set-LvsTimeout -ErrorAction Stop } | Should -Throw -ErrorId 'NoTimeoutGiven,LvsPs.Commands.SetLvsTimeoutCommand'
        { Set-LvsTimeout -Udp 4000000 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTimeout,LvsPs.Commands.SetLvsTimeoutCommand'
    }
}

Describe 'The in-session director' -Skip:(-not $InSession) {
    It 'starts on Start-LvsDirector and reports itself' {
        Stop-LvsDirector
        (Get-LvsDirector).Running | Should -BeFalse
        $info = Start-LvsDirector -PassThru
        $info.Kind | Should -Be 'Managed'
        $info.Running | Should -BeTrue
        $info.Schedulers | Should -Contain 'rr'
        (Get-LvsDirector).Running | Should -BeTrue
    }

    It 'says how it relays TCP: the sockmap by default and with -FastPath Auto where bpf(2) is allowed, splice with -FastPath Off' {
        # as root (and always in CI) the BPF sockmap fast path loads; elsewhere the reason says bpf(2) is not permitted
        $privileged = [Environment]::UserName -eq 'root' -or $env:CI -eq 'true'
        foreach ($start in @{}, @{ FastPath = 'Auto' }) {
            Stop-LvsDirector
            $info = Start-LvsDirector @start -PassThru
            if ($privileged) { $info.RelayPath | Should -Be 'sockmap'; $info.RelayPathReason | Should -Match 'second change of direction' }
            else { $info.RelayPath | Should -Be 'splice'; $info.RelayPathReason | Should -Match 'not permitted' }
        }
        Stop-LvsDirector
        $info = Start-LvsDirector -FastPath Off -PassThru
        $info.RelayPath | Should -Be 'splice'
        $info.RelayPathReason | Should -Match 'turned off'
        Stop-LvsDirector
    }

    It 'Stop-LvsDirector releases every socket and discards the configuration' {
        Start-LvsDirector
        $vip = New-TestVip
        $port = Get-FreeTcpPort
        New-LvsVirtualService "tcp/${vip}:$port" | Out-Null
        New-LvsVirtualService "udp/${vip}:$port" | Out-Null
        Stop-LvsDirector
        $tcp = [System.Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp')
        $udp = [System.Net.Sockets.Socket]::new('InterNetwork', 'Dgram', 'Udp')
        try {
            { $tcp.Bind([System.Net.IPEndPoint]::new([ipaddress]$vip, $port)) } | Should -Not -Throw
            { $udp.Bind([System.Net.IPEndPoint]::new([ipaddress]$vip, $port)) } | Should -Not -Throw
        }
        finally { $tcp.Dispose(); $udp.Dispose() }
        Get-LvsVirtualService | Should -BeNullOrEmpty
    }

    It 'starts by itself on first use, as ipvsadm loads ip_vs' {
        Stop-LvsDirector
        Get-LvsVirtualService | Should -BeNullOrEmpty
        (Get-LvsDirector).Running | Should -BeTrue
    }
}

Describe 'Tab completion' {
    BeforeAll {
        Clear-LvsVirtualService -Confirm:$false
        $vip, $port, $id = New-TestServiceId
        New-LvsVirtualService $id | Add-LvsRealServer -Address 10.0.0.2
    }

    It 'completes scheduler names' {
        $line = 'New-LvsVirtualService tcp/127.0.0.1:1 -Scheduler w'
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $names | Should -Contain 'wrr'
        $names | Should -Contain 'wlc'
        $names | Should -Not -Contain 'rr'
    }

    It 'completes existing virtual services and their real server addresses' {
        $line = 'Get-LvsVirtualService tcp/'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain $id
        $line = "Set-LvsRealServer $id -Address "
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain '10.0.0.2'
    }
}

Describe 'Module surface' {
    It 'exports exactly the manifest''s cmdlets, each with an OutputType' {
        $manifest = Import-PowerShellDataFile $env:LVSPS_MODULE
        $exported = (Get-Command -Module LvsPs -CommandType Cmdlet).Name | Sort-Object
        $exported | Should -Be ($manifest.CmdletsToExport | Sort-Object)
        foreach ($name in $exported) { (Get-Command $name).OutputType | Should -Not -BeNullOrEmpty -Because $name }
    }

    It 'every cmdlet that changes state supports -WhatIf and -Confirm' {
        $changing = Get-Command -Module LvsPs -CommandType Cmdlet | Where-Object Verb -In 'New', 'Set', 'Remove', 'Clear', 'Add', 'Reset', 'Start', 'Stop', 'Import', 'Connect', 'Disconnect'
        foreach ($c in $changing) { $c.Parameters.Keys | Should -Contain 'WhatIf' -Because $c.Name }
    }

    It 'uses only approved verbs' {
        $approved = (Get-Verb).Verb
        foreach ($c in Get-Command -Module LvsPs) { $approved | Should -Contain $c.Verb -Because $c.Name }
    }
}

Describe 'Graceful drain' {
    BeforeAll {
        Import-TestBackends
        Clear-LvsVirtualService -Confirm:$false
        $vip, $port, $id = New-TestServiceId
        $listener = [System.Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp')
        $listener.Bind([System.Net.IPEndPoint]::new([ipaddress]::Loopback, 0))
        $listener.Listen(4)
        $rsPort = $listener.LocalEndPoint.Port
        New-LvsVirtualService $id -Scheduler rr | Add-LvsRealServer -Address 127.0.0.1 -Port $rsPort
    }
    AfterAll { $listener.Dispose() }

    It 'quiesces, waits for the active connection to end, then removes the real server' {
        $client = [System.Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp')
        [LvsPs.TestBackends.LoopbackClient]::Connect($client, [System.Net.IPEndPoint]::new([ipaddress]$vip, $port))
        $server = $listener.Accept()
        Wait-Until { (Get-LvsRealServer $id).ActiveConnections -eq 1 } 'an active connection'
        # end the connection from another thread after a moment, while Remove-LvsRealServer -Drain waits
        $closer = [LvsPs.TestBackends.Later]::Dispose(1500, [IDisposable[]]@($client, $server))
        $elapsed = Measure-Command { Remove-LvsRealServer $id -Address 127.0.0.1 -Port $rsPort -Drain -DrainTimeout 30 -ProgressAction SilentlyContinue }
        $closer.Wait()
        Get-LvsRealServer $id | Should -BeNullOrEmpty
        $elapsed.TotalSeconds | Should -BeGreaterThan 1 -Because 'it waited for the connection'
    }

    It 'removes the real server when the drain timeout passes, with a warning' {
        Add-LvsRealServer $id -Address 127.0.0.1 -Port $rsPort
        $client = [System.Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp')
        try {
            [LvsPs.TestBackends.LoopbackClient]::Connect($client, [System.Net.IPEndPoint]::new([ipaddress]$vip, $port))
            $server = $listener.Accept()
            Wait-Until { (Get-LvsRealServer $id).ActiveConnections -eq 1 } 'an active connection'
            Remove-LvsRealServer $id -Address 127.0.0.1 -Port $rsPort -Drain -DrainTimeout 1 -ProgressAction SilentlyContinue -WarningVariable warn -WarningAction SilentlyContinue
            Get-LvsRealServer $id | Should -BeNullOrEmpty
            $warn | Should -Match 'still has 1 active connection'
            # the established connection still works after removal
            $server.Send([byte[]](1, 2, 3)) | Should -Be 3
            $buffer = [byte[]]::new(3)
            $client.ReceiveTimeout = 5000
            $client.Receive($buffer) | Should -Be 3
        }
        finally { $client.Dispose(); if ($server) { $server.Dispose() } }
    }

    It 'with -WhatIf neither quiesces nor removes' {
        Add-LvsRealServer $id -Address 127.0.0.1 -Port $rsPort -Weight 4
        Remove-LvsRealServer $id -Address 127.0.0.1 -Port $rsPort -Drain -WhatIf
        (Get-LvsRealServer $id).Weight | Should -Be 4
    }
}

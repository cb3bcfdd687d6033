# The director service through the cmdlets: started from PowerShell, found by a later session, addressed with
# -Director, stopped and started again with its configuration.
BeforeAll {
    Import-Module $env:LVSPS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'LvsPs.TestHelpers.psm1') -Force
    Import-TestBackends
    $folder = Join-Path ([IO.Path]::GetTempPath()) "lvsps-svc-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $socket = Join-Path $folder 'director.sock'
    $metricsPort = Get-FreeTcpPort
    $web = [LvsPs.TestBackends.HttpBackend]::Start('svc', '127.0.0.1', 0)
    $vip = New-TestVip
    $port = Get-FreeTcpPort
    $id = "tcp/${vip}:$port"
}
AfterAll {
    Stop-LvsDirector -Service -SocketPath $socket -ErrorAction SilentlyContinue
    Disconnect-LvsDirector
    $web.Dispose()
    Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Director service' {
    It 'Start-LvsDirector -Service -WhatIf starts nothing' {
        Start-LvsDirector -Service -SocketPath $socket -WhatIf
        Test-Path $socket | Should -BeFalse
    }

    It 'starts a service process and connects the session to it' {
        # -FastPath Off reaches the service as --fast-path off, and its answer comes back over the control socket
        $info = Start-LvsDirector -Service -SocketPath $socket -MetricsEndpoint "127.0.0.1:$metricsPort" -FastPath Off -PassThru
        $info.Kind | Should -Be 'Service'
        $info.Target | Should -Be $socket
        $info.RelayPath | Should -Be 'splice'
        $info.RelayPathReason | Should -Match 'turned off'
        (Get-LvsDirector).Kind | Should -Be 'Service'
        ([IO.File]::GetUnixFileMode($socket)) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
    }

    It 'forwards real traffic configured through the cmdlets' {
        New-LvsVirtualService $id -Scheduler rr | Add-LvsRealServer -Address 127.0.0.1 -Port $web.Port -Weight 4
        [LvsPs.TestBackends.LoopbackClient]::HttpGet($vip, $port, '/', 10000).Backend | Should -Be 'svc'
        (Get-LvsStats $id | Where-Object Scope -EQ VirtualService).Connections | Should -Be 1
        (Invoke-WebRequest "http://127.0.0.1:$metricsPort/metrics").Content | Should -Match "lvsps_virtual_service_connections_total\{virtual_service=`"$([regex]::Escape($id))`"\} 1"
    }

    It 'previews scheduling on the live state of the service (Test-LvsScheduling)' {
        $second = [LvsPs.TestBackends.HttpBackend]::Start('svc2', '127.0.0.1', 0)
        try {
            $id2 = "tcp/${vip}:$(Get-FreeTcpPort)"
            # added svc then svc2: rr walks svc2 (the newest, first in the list) first
            New-LvsVirtualService $id2 -Scheduler rr | Add-LvsRealServer -Address 127.0.0.1 -Port $web.Port
            Add-LvsRealServer $id2 -Address 127.0.0.1 -Port $second.Port
            (Test-LvsScheduling $id2 -ClientAddress 10.9.9.9).RealServer | Should -Be "127.0.0.1:$($second.Port)"
            [LvsPs.TestBackends.LoopbackClient]::HttpGet($vip, ([int]($id2 -split ':')[-1]), '/', 10000).Backend | Should -Be 'svc2'
            # the service's rr cursor moved on: the preview follows it (a preview from the listing alone would say svc2)
            (Test-LvsScheduling $id2 -ClientAddress 10.9.9.9).RealServer | Should -Be "127.0.0.1:$($web.Port)"
            Remove-LvsVirtualService $id2
        }
        finally {
            $second.Dispose()
        }
    }

    It 'is found by a later session' {
        $out = dotnet pwsh -NoProfile -NonInteractive -Command "Import-Module '$env:LVSPS_MODULE'; Connect-LvsDirector -Service -SocketPath '$socket'; (Get-LvsVirtualService '$id').RealServers[0].Weight"
        $LASTEXITCODE | Should -Be 0
        $out | Select-Object -Last 1 | Should -Be '4'
    }

    It 'is reachable with -Director while the session uses another director' {
        Disconnect-LvsDirector
        (Get-LvsDirector).Kind | Should -Be 'Managed'
        Get-LvsVirtualService -ErrorAction SilentlyContinue | Where-Object { $_.Id.ToString() -eq $id } | Should -BeNullOrEmpty
        (Get-LvsVirtualService $id -Director "service:$socket").Scheduler | Should -Be 'rr'
        (Get-LvsDirector -Director $socket).Kind | Should -Be 'Service'
        { Get-LvsVirtualService -Director 'nowhere' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidDirector,LvsPs.Commands.GetLvsVirtualServiceCommand'
    }

    It 'restarts hitlessly with Restart-LvsDirector -Service: a new process, the same configuration, traffic on' {
        Connect-LvsDirector -Service -SocketPath $socket
        $before = (Get-LvsDirector).StartTime
        Restart-LvsDirector -Service -SocketPath $socket -WhatIf
        (Get-LvsDirector).StartTime | Should -Be $before
        $info = Restart-LvsDirector -Service -SocketPath $socket -PassThru -Confirm:$false
        $info.StartTime | Should -BeGreaterThan $before
        (Get-LvsRealServer $id).Weight | Should -Be 4
        [LvsPs.TestBackends.LoopbackClient]::HttpGet($vip, $port, '/', 10000).Backend | Should -Be 'svc'
        { Restart-LvsDirector -Service -SocketPath (Join-Path $folder 'none.sock') -ErrorAction Stop } | Should -Throw -ErrorId 'DirectorServiceNotRunning,LvsPs.Commands.RestartLvsDirectorCommand'
    }

    It 'keeps its configuration across a stop and a start' {
        Stop-LvsDirector -Service -SocketPath $socket
        Test-Path $socket | Should -BeFalse
        { Connect-LvsDirector -Service -SocketPath $socket -ErrorAction Stop } | Should -Throw -ErrorId 'DirectorServiceNotRunning,LvsPs.Commands.ConnectLvsDirectorCommand'
        Start-LvsDirector -Service -SocketPath $socket -MetricsEndpoint off
        (Get-LvsRealServer $id).Weight | Should -Be 4
    }
}

Describe 'Director service lifecycle' {
    BeforeAll {
        $lifeFolder = Join-Path ([IO.Path]::GetTempPath()) "lvsps-life-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $lifeSocket = Join-Path $lifeFolder 'director.sock'
    }
    AfterAll {
        if (Test-Path $lifeSocket) { Stop-LvsDirector -Service -SocketPath $lifeSocket -ErrorAction SilentlyContinue }
        Disconnect-LvsDirector
        Remove-Item $lifeFolder -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'reports a service that exits while starting with its own error, and stays unconnected' {
        Disconnect-LvsDirector
        $taken = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $taken.Start()
        try {
            $err = $null
            Start-LvsDirector -Service -SocketPath $lifeSocket -MetricsEndpoint "127.0.0.1:$($taken.LocalEndpoint.Port)" -ErrorAction SilentlyContinue -ErrorVariable err
            # DirectorServiceExited comes only from watching the child; the 60 s wait would give DirectorServiceDidNotStart
            $err[0].FullyQualifiedErrorId | Should -Be 'DirectorServiceExited,LvsPs.Commands.StartLvsDirectorCommand'
            $err[0].Exception.Message | Should -Match 'cannot serve metrics on 127\.0\.0\.1:\d+: Address already in use'
            $err[0].Exception.Message | Should -Not -Match '   at '
            (Get-LvsDirector).Kind | Should -Be 'Managed'
            Test-Path $lifeSocket | Should -BeFalse
        }
        finally { $taken.Stop() }
    }

    It 'reports an unreadable state file with its name and starts empty only with -StartEmpty' {
        $null = New-Item -ItemType Directory -Force $lifeFolder
        $state = Join-Path $lifeFolder 'director.json'
        Set-Content $state 'null'
        $err = $null
        Start-LvsDirector -Service -SocketPath $lifeSocket -MetricsEndpoint off -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'DirectorServiceExited,LvsPs.Commands.StartLvsDirectorCommand'
        $err[0].Exception.Message | Should -BeLike "*$state*it holds null*-StartEmpty*"
        Get-Content $state | Should -Be 'null'
        Start-LvsDirector -Service -SocketPath $lifeSocket -MetricsEndpoint off -StartEmpty
        (Get-LvsDirector).Kind | Should -Be 'Service'
        Get-LvsVirtualService | Should -BeNullOrEmpty
        @(Get-ChildItem $lifeFolder -Filter 'director.json.set-aside-*').Count | Should -Be 1
    }

    It 'Stop-LvsDirector -Service stops the service and never falls back to the in-session director' {
        Stop-LvsDirector -Service -SocketPath $lifeSocket -WarningVariable warn -WarningAction SilentlyContinue
        $warn | Should -Not -BeNullOrEmpty
        { Get-LvsVirtualService -ErrorAction Stop } | Should -Throw -ErrorId 'DirectorServiceNotRunning,LvsPs.Commands.GetLvsVirtualServiceCommand'
        $info = Get-LvsDirector
        $info.Kind | Should -Be 'Service'
        $info.Running | Should -BeFalse
        { Stop-LvsDirector -Service -SocketPath $lifeSocket -ErrorAction Stop } | Should -Throw -ErrorId 'DirectorServiceNotRunning,LvsPs.Commands.StopLvsDirectorCommand'
        Disconnect-LvsDirector
    }

    It 'Get-LvsDirector never starts the in-session director' {
        Stop-LvsDirector
        (Get-LvsDirector).Running | Should -BeFalse
        (Get-LvsDirector -Director Managed).Running | Should -BeFalse
        (Get-LvsDirector).Running | Should -BeFalse
        (Get-LvsDirector -Director "service:$lifeSocket").Running | Should -BeFalse
    }
}

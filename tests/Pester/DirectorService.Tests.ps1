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
    Stop-LvsDirector -Service -SocketPath $socket
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
        $info = Start-LvsDirector -Service -SocketPath $socket -MetricsEndpoint "127.0.0.1:$metricsPort" -PassThru
        $info.Kind | Should -Be 'Service'
        $info.Target | Should -Be $socket
        (Get-LvsDirector).Kind | Should -Be 'Service'
        ([IO.File]::GetUnixFileMode($socket)) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
    }

    It 'forwards real traffic configured through the cmdlets' {
        New-LvsVirtualService $id -Scheduler rr | Add-LvsRealServer -Address 127.0.0.1 -Port $web.Port -Weight 4
        [LvsPs.TestBackends.LoopbackClient]::HttpGet($vip, $port, '/', 10000).Backend | Should -Be 'svc'
        (Get-LvsStats $id | Where-Object Scope -EQ VirtualService).Connections | Should -Be 1
        (Invoke-WebRequest "http://127.0.0.1:$metricsPort/metrics").Content | Should -Match "lvsps_virtual_service_connections_total\{virtual_service=`"$([regex]::Escape($id))`"\} 1"
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

    It 'keeps its configuration across a stop and a start' {
        Stop-LvsDirector -Service -SocketPath $socket
        Test-Path $socket | Should -BeFalse
        { Connect-LvsDirector -Service -SocketPath $socket -ErrorAction Stop } | Should -Throw -ErrorId 'DirectorServiceNotRunning,LvsPs.Commands.ConnectLvsDirectorCommand'
        Start-LvsDirector -Service -SocketPath $socket -MetricsEndpoint off
        (Get-LvsRealServer $id).Weight | Should -Be 4
    }
}

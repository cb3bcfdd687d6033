# Helpers shared by the LvsPs Pester files: free ports, per-test loopback VIPs, and the test backends.

$script:NextVip = 10

function Get-FreeTcpPort {
    $s = [System.Net.Sockets.Socket]::new([System.Net.Sockets.AddressFamily]::InterNetwork, [System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Tcp)
    try {
        $s.Bind([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
        $s.LocalEndPoint.Port
    }
    finally { $s.Dispose() }
}

function New-TestVip {
    # a fresh loopback VIP per call (127.0.0.0/8 is all local on Linux), so tests never collide
    $script:NextVip++
    "127.0.$(Get-Random -Minimum 100 -Maximum 250).$script:NextVip"
}

function Import-TestBackends {
    if (-not ('LvsPs.TestBackends.HttpBackend' -as [type])) { Add-Type -Path $env:LVSPS_TESTBACKENDS }
}

function Wait-Until {
    param([scriptblock] $Condition, [string] $What, [int] $TimeoutSeconds = 10)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out after $TimeoutSeconds s waiting for $What." }
        Start-Sleep -Milliseconds 50
    }
}

function Enter-TestDirector {
    <# Points the session at the director a test container runs against: the in-session managed one, or a fresh
       director service with its own socket in a temporary folder. #>
    param([ValidateSet('Managed', 'Service')] [string] $Director = 'Managed')
    if ($Director -eq 'Service') {
        $script:ServiceSocket = Join-Path ([IO.Path]::GetTempPath()) "lvsps-pester-$([guid]::NewGuid().ToString('N').Substring(0, 8))" 'director.sock'
        Start-LvsDirector -Service -SocketPath $script:ServiceSocket -MetricsEndpoint off
    }
    else {
        Disconnect-LvsDirector
    }
}

function Exit-TestDirector {
    if ($script:ServiceSocket) {
        Stop-LvsDirector -Service -SocketPath $script:ServiceSocket -WarningAction SilentlyContinue
        Disconnect-LvsDirector
        Remove-Item (Split-Path $script:ServiceSocket) -Recurse -Force -ErrorAction SilentlyContinue
        $script:ServiceSocket = $null
    }
    Stop-LvsDirector
}

Export-ModuleMember -Function Get-FreeTcpPort, New-TestVip, Import-TestBackends, Wait-Until, Enter-TestDirector, Exit-TestDirector

# Helpers shared by the LvsPs Pester files: free ports, per-test loopback VIPs (both from TestAddresses in
# tests/LvsPs.TestBackends), and the test backends.

function Get-FreeTcpPort {
    # a port no other test holds, in 20000-32767 (below the ephemeral range), from the allocator every test project
    # shares ([LvsPs.TestBackends.TestAddresses]: leased for the life of this process, no bind-then-release race)
    Import-TestBackends
    [LvsPs.TestBackends.TestAddresses]::NewPort()
}

function New-TestVip {
    # a fresh loopback VIP (127.64.0.0/10) no other test holds, from the same allocator
    Import-TestBackends
    [LvsPs.TestBackends.TestAddresses]::NewVip()
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

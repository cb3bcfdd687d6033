# Helpers shared by the LvsPs Pester files: the start and end of a test file (Enter-TestSession, Exit-TestSession),
# free ports, per-test loopback VIPs (both from TestAddresses in tests/LvsPs.TestBackends), and the test backends.

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

function New-TestServiceId {
    # a fresh VIP, a free port and the TCP virtual service id on them: $vip, $port, $id = New-TestServiceId
    $vip = New-TestVip
    $port = Get-FreeTcpPort
    $vip, $port, "tcp/${vip}:$port"
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
        # the service ends with this test process even when the runner is killed
        Import-TestBackends
        $script:ServiceWatch = [LvsPs.TestBackends.ReapedProcess]::KillWithThisProcess([LvsPs.TestBackends.ReapedProcess]::SocketOwner($script:ServiceSocket))
    }
    else {
        Disconnect-LvsDirector
    }
}

function Exit-TestDirector {
    if ($script:ServiceSocket) {
        Stop-LvsDirector -Service -SocketPath $script:ServiceSocket -WarningAction SilentlyContinue
        if ($script:ServiceWatch) { $script:ServiceWatch.Dispose(); $script:ServiceWatch = $null }
        Disconnect-LvsDirector
        Remove-Item (Split-Path $script:ServiceSocket) -Recurse -Force -ErrorAction SilentlyContinue
        $script:ServiceSocket = $null
    }
    Stop-LvsDirector
}

function Enter-TestSession {
    <# The start of a test file's BeforeAll: the module under test (imported afresh, into the session as a test file's
       own Import-Module does), the test backends, the director the container runs against, and with -TempFolder a
       temporary folder of the file's own ("lvsps-NAME-xxxxxxxx"), whose path it returns. Exit-TestSession undoes it. #>
    param([ValidateSet('Managed', 'Service')] [string] $Director = 'Managed', [string] $TempFolder)
    Import-Module $env:LVSPS_MODULE -Force -Global
    Import-TestBackends
    Enter-TestDirector -Director $Director
    if ($TempFolder) {
        $script:TestFolder = Join-Path ([IO.Path]::GetTempPath()) "lvsps-$TempFolder-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $null = New-Item -ItemType Directory -Path $script:TestFolder
        $script:TestFolder
    }
}

function Exit-TestSession {
    # the end of a test file's AfterAll: the director stopped (a service one too) and the temporary folder removed
    Exit-TestDirector
    if ($script:TestFolder) {
        Remove-Item $script:TestFolder -Recurse -Force -ErrorAction SilentlyContinue
        $script:TestFolder = $null
    }
}

function Assert-OutputType {
    <# The objects a cmdlet wrote against its declared [OutputType]: each must be of a declared type (a PSTypeName view
       selector such as LvsPs.Model.LvsStatsRecord#Rate counts as its base type); [OutputType([void])] writes nothing. #>
    param([string] $Command, [object[]] $Written)
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

Export-ModuleMember -Function Get-FreeTcpPort, New-TestVip, New-TestServiceId, Import-TestBackends, Wait-Until, Enter-TestDirector, Exit-TestDirector, Enter-TestSession, Exit-TestSession, Assert-OutputType

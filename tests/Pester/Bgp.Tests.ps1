# Get-LvsBgp and Set-LvsBgp against a real director service that announces over BGP with real BIRD 2, in network
# namespaces the test makes and always removes (the topology of tests/LvsPs.Tests/Failover/ScaleOutTests.cs, from the
# same helpers: NetLab and BirdRouter in tests/LvsPs.TestBackends): two routers (BIRD, routes into their kernel table)
# and a director whose service runs in its own namespace, driven from here through its control socket. Needs root and
# bird2 (installed when missing); in CI (CI=true) a missing requirement fails the test instead of skipping it.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LvsPs.TestHelpers.psm1') -Force
    Enter-TestSession | Out-Null
    $script:Prefix = '10.76.0'
    $script:Vip = "$Prefix.100"
    $script:Node = 'lb1'
    $script:Neighbor1 = "$Prefix.1 as 65000"
    $script:Neighbor2 = "$Prefix.2 as 65000"

    $script:SkipReason = if ([Environment]::UserName -ne 'root') { 'needs root (network namespaces)' }
        else { [LvsPs.TestBackends.NetLab]::Require('bird', 'bird2') }
    if ($SkipReason -and $env:CI -eq 'true') { throw "The BGP cmdlet tests cannot run in CI: $SkipReason" }
    if ($SkipReason) { return }

    $script:Folder = Join-Path ([IO.Path]::GetTempPath()) "lvsps-bgp-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $null = New-Item -ItemType Directory -Path $Folder
    $script:Lab = [LvsPs.TestBackends.NetLab]::new($Prefix)
    $script:Router1 = $Lab.AddHost('r', 1)
    $script:Router2 = $Lab.AddHost('q', 2)
    $director = $Lab.AddHost('d', 11)
    $peer = [LvsPs.TestBackends.BirdPeer]::new('lb1', "$Prefix.11", 65001)
    $null = [LvsPs.TestBackends.BirdRouter]::Start($Lab, $Router1, $Folder, "$Prefix.1", 65000, $null, $peer)
    $null = [LvsPs.TestBackends.BirdRouter]::Start($Lab, $Router2, $Folder, "$Prefix.2", 65000, $null, $peer)
    # the director holds the VIP on lo (anycast), as each director of a scale-out group does
    $null = $Lab.In($director, 'ip', 'addr', 'add', "$Vip/32", 'dev', 'lo')

    # the director service inside the director's namespace, as `ip netns exec` runs it; the lab stops it
    $script:Socket = Join-Path $Folder 'director.sock'
    $dll = Join-Path (Split-Path (Get-Module LvsPs).Path) 'service' 'LvsPs.DirectorService.dll'
    $null = $Lab.Start($director, $null, [Environment]::ProcessPath, $dll, '--socket', $Socket, '--state', (Join-Path $Folder 'director.json'),
        '--metrics', 'off', '--node', $Node)
    # the socket file exists from bind(2), but the service listens only once it has restored its configuration (and
    # loaded the BPF fast path): until then a connect is refused, so wait for a connection, not for the file
    Wait-Until {
        try { Connect-LvsDirector -Service -SocketPath $Socket -ErrorAction Stop; $true } catch { $false }
    } 'the director service to answer on its socket' 180
    New-LvsVirtualService "tcp/${Vip}:80" -Scheduler rr | Add-LvsRealServer -Address "$Prefix.21" -Port 7000

    function Get-NextHop([string] $Router) { [LvsPs.TestBackends.BirdRouter]::NextHops($Lab, $Router, $Vip) }

    # -WhatIf messages go to the host: a fresh pwsh on the same control socket says them
    function Invoke-WhatIf([string] $Command) {
        $exe = [Environment]::ProcessPath
        $arguments = @()
        if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $arguments += Join-Path $PSHOME 'pwsh.dll' }
        $script = "Import-Module '$env:LVSPS_MODULE'; Connect-LvsDirector -Service -SocketPath '$Socket'; $Command"
        $arguments += '-NoProfile', '-NonInteractive', '-EncodedCommand', [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
        $out = & $exe $arguments 2>&1
        if ($LASTEXITCODE -ne 0) { throw "The child pwsh failed ($LASTEXITCODE): $out" }
        ($out | ForEach-Object { "$_" }) -join "`n"
    }
}

AfterAll {
    if (-not $SkipReason) {
        Disconnect-LvsDirector
        $Lab.Dispose()
        [LvsPs.TestBackends.NetLab]::KillLeftovers($Folder)
        Remove-Item $Folder -Recurse -Force -ErrorAction SilentlyContinue
    }
    Exit-TestSession
}

Describe 'Get-LvsBgp and Set-LvsBgp with real BIRD' {
    BeforeEach { if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason } }

    It 'a director that announces nothing writes nothing; the in-session director cannot announce' {
        Get-LvsBgp | Should -BeNullOrEmpty
        { Get-LvsBgp -Director Managed -ErrorAction Stop } | Should -Throw -ErrorId 'BgpNotAvailable,LvsPs.Commands.GetLvsBgpCommand'
    }

    It '-WhatIf says what it would announce and changes nothing' {
        $said = Invoke-WhatIf "Set-LvsBgp -As 65001 -Neighbors '$Neighbor1' -Nodes '$Node $Prefix.11' -WhatIf"
        $said | Should -BeLike "*Announce over BGP*BGP announcements to $Neighbor1 from nodes $Node $Prefix.11*"
        Get-LvsBgp | Should -BeNullOrEmpty
    }

    It 'refuses bad values with a clear error that names them, and changes nothing' {
        { Set-LvsBgp -As 23456 -Neighbors $Neighbor1 -Nodes "$Node $Prefix.11" -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidAs,LvsPs.Commands.SetLvsBgpCommand' -ExpectedMessage '*AS number 23456 is not valid; allowed: 1..4294967295 except 23456*'
        { Set-LvsBgp -As 65001 -Neighbors "$Prefix.1 at 65000" -Nodes "$Node $Prefix.11" -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidBgpNeighbor,LvsPs.Commands.SetLvsBgpCommand' -ExpectedMessage "*'$Prefix.1 at 65000' is not valid; allowed: 'ADDRESS as AS'*"
        { Set-LvsBgp -As 65001 -Neighbors $Neighbor1 -Nodes "$Node 2001:db8::11" -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidRouterId,LvsPs.Commands.SetLvsBgpCommand' -ExpectedMessage "*Router id '2001:db8::11' of node '$Node' is not valid*"
        # the service checks that it is one of the nodes
        { Set-LvsBgp -As 65001 -Neighbors $Neighbor1 -Nodes "other $Prefix.12" -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownBgpNode,LvsPs.Commands.SetLvsBgpCommand' -ExpectedMessage "*'$Node' is not one of the BGP nodes; allowed: other*"
        Get-LvsBgp | Should -BeNullOrEmpty
        Get-NextHop $Router1 | Should -BeNullOrEmpty
    }

    It 'set: the session comes up, the route reaches the router, Get-LvsBgp shows both' {
        $result = Set-LvsBgp -As 65001 -Neighbors $Neighbor1 -Nodes "$Node $Prefix.11" -PassThru
        Assert-OutputType Set-LvsBgp @($result)
        $result.Node | Should -Be $Node
        Wait-Until { (Get-NextHop $Router1) -eq "$Prefix.11" } "the router's route to $Vip via the director" 60
        Wait-Until { (Get-LvsBgp).Sessions[0].State -eq 'Established' } 'the session to be Established' 30
        $bgp = Get-LvsBgp
        Assert-OutputType Get-LvsBgp @($bgp)
        $bgp.As | Should -Be 65001
        @($bgp.Neighbors) | Should -Be @($Neighbor1)
        @($bgp.Nodes) | Should -Be @("$Node $Prefix.11")
        $bgp.Sessions[0].Neighbor | Should -Be "$Prefix.1"
        $bgp.Sessions[0].As | Should -Be 65000
        $bgp.Sessions[0].Since | Should -Not -BeNullOrEmpty
        @($bgp.Announced) | Should -Be @("$Vip/32")
        $bgp.Suspended | Should -BeFalse
        $bgp.Problem | Should -BeNullOrEmpty
    }

    It 'change: a second neighbor gets the route too, the other settings stay; -WhatIf says from and to and changes nothing' {
        $said = Invoke-WhatIf "Set-LvsBgp -As 65009 -WhatIf; Set-LvsBgp -Nodes '$Node $Prefix.11 as 65003' -WhatIf"
        $said | Should -BeLike '*Change the BGP announcements*as from 65001 to 65009*'
        # neighbors and nodes in the text forms Get-LvsBgp writes
        $said | Should -BeLike "*nodes from $Node $Prefix.11 to $Node $Prefix.11 as 65003*"
        (Get-LvsBgp).As | Should -Be 65001
        @((Get-LvsBgp).Nodes) | Should -Be @("$Node $Prefix.11")

        Set-LvsBgp -Neighbors $Neighbor1, $Neighbor2
        Wait-Until { (Get-NextHop $Router2) -eq "$Prefix.11" } "the second router's route to $Vip" 60
        Wait-Until { @((Get-LvsBgp).Sessions | Where-Object State -EQ 'Established').Count -eq 2 } 'both sessions to be Established' 30
        $bgp = Get-LvsBgp
        @($bgp.Neighbors) | Should -Be @($Neighbor1, $Neighbor2)
        @($bgp.Sessions.Neighbor) | Should -Be @("$Prefix.1", "$Prefix.2")
        $bgp.As | Should -Be 65001
        Get-NextHop $Router1 | Should -Be "$Prefix.11"
    }

    It 'Get-LvsBgp | Set-LvsBgp changes nothing' {
        $said = Invoke-WhatIf 'Get-LvsBgp | Set-LvsBgp -WhatIf'
        $said | Should -Not -BeLike '*What if*'
        $before = Get-LvsBgp
        Get-LvsBgp | Set-LvsBgp
        $after = Get-LvsBgp
        $after.As | Should -Be $before.As
        "$($after.Neighbors)" | Should -Be "$($before.Neighbors)"
        "$($after.Nodes)" | Should -Be "$($before.Nodes)"
    }

    It 'converts to JSON and CSV as text and names, and its views fit 80 columns' {
        $bgp = Get-LvsBgp
        $json = $bgp | ConvertTo-Json -Depth 5
        $json | Should -Not -Match '"(AddressFamily|ScopeId|IsIPv6\w+)"'
        $back = $json | ConvertFrom-Json
        @($back.Neighbors) | Should -Be @($Neighbor1, $Neighbor2)
        $back.Sessions[0].State | Should -Be 'Established'
        $csv = ($bgp | ConvertTo-Csv) -join "`n"
        $csv | Should -Not -Match 'System\.|LvsPs\.'
        $row = $bgp | ConvertTo-Csv | ConvertFrom-Csv
        $row.Neighbors | Should -Be "$Neighbor1, $Neighbor2"
        $row.Sessions | Should -BeLike "$Prefix.1 as 65000 Established; $Prefix.2 as 65000 Established*"
        foreach ($text in @(($bgp | Format-List | Out-String -Width 80), ($bgp | Format-Table | Out-String -Width 80), ($bgp.Sessions | Format-Table | Out-String -Width 80))) {
            @($text -split "`r?`n" | Where-Object { $_.TrimEnd().Length -gt 80 }) | Should -BeNullOrEmpty
            $text | Should -Not -Match 'LvsPs\.Model|System\.'
        }
        ($bgp | Format-List | Out-String) | Should -Match "Sessions\s+: $([regex]::Escape($Prefix)).1 as 65000 Established"
    }

    It 'completes -Neighbors and -Nodes with the current entries' {
        $line = 'Set-LvsBgp -Nodes '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @("'$Node $Prefix.11'")
        $line = "Set-LvsBgp -Neighbors '$Prefix.2"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @("'$Neighbor2'")
    }

    It 'remove: the routers withdraw the route; the saved settings (CSV) give it back' {
        $csv = Join-Path $TestDrive 'bgp.csv'
        Get-LvsBgp | Export-Csv -LiteralPath $csv
        Set-LvsBgp -Remove
        Get-LvsBgp | Should -BeNullOrEmpty
        Wait-Until { -not (Get-NextHop $Router1) -and -not (Get-NextHop $Router2) } "both routers to withdraw $Vip" 60

        Import-Csv -LiteralPath $csv | Set-LvsBgp
        Wait-Until { (Get-NextHop $Router1) -eq "$Prefix.11" -and (Get-NextHop $Router2) -eq "$Prefix.11" } "both routers' routes to $Vip again" 60
        $bgp = Get-LvsBgp
        $bgp.As | Should -Be 65001
        @($bgp.Neighbors) | Should -Be @($Neighbor1, $Neighbor2)
        @($bgp.Nodes) | Should -Be @("$Node $Prefix.11")
        Set-LvsBgp -Remove -Confirm:$false
        Wait-Until { -not (Get-NextHop $Router1) -and -not (Get-NextHop $Router2) } "both routers to withdraw $Vip" 60
    }
}

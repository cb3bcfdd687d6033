# LvsPs objects outside the default view, as scripts and CI pipelines use them: ConvertTo-Json read back with jq,
# Export-Csv round trips, Format-List *, table and list views at 80 columns, ipvsadm's listing habits (sorting,
# --nosort, wildcards, RIP:PORT, --thresholds, --persistent-conn, --exact), export by extension and port completion.
# The runner runs this file twice: against the in-session managed director and against a director service.
param([ValidateSet('Managed', 'Service')] [string] $Director = 'Managed')

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LvsPs.TestHelpers.psm1') -Force
    Enter-TestSession -Director $Director

    # jq from Debian, as a CI job would read LvsPs's JSON; installed when missing, and a failure in CI when it cannot be
    function Get-Jq {
        $jq = Get-Command jq -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if (-not $jq -and (id -u) -eq '0' -and (Get-Command apt-get -ErrorAction SilentlyContinue)) {
            apt-get install -y jq *> $null
            $jq = Get-Command jq -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        }
        if ($jq) { return $jq.Source }
        if ($env:CI -eq 'true') { throw 'jq is not installed and could not be installed (apt-get install -y jq needs root).' }
        $null
    }

    # every line of a rendering fits the width (Out-String pads nothing past it, so this is what a terminal shows)
    function Assert-Fits([string] $Text, [int] $Width = 80) {
        $long = @($Text -split "`r?`n" | Where-Object { $_.TrimEnd().Length -gt $Width })
        $long | Should -BeNullOrEmpty -Because "every line should fit $Width columns"
    }
}

AfterAll { Exit-TestSession }

Describe "Objects for scripts: JSON, CSV and Format-List * ($Director)" {
    BeforeAll {
        Clear-LvsVirtualService -Confirm:$false
        $vip, $port, $id = New-TestServiceId
        New-LvsVirtualService $id -Scheduler wrr -PersistenceTimeout 60 -PersistenceNetmask 255.255.255.0 | Out-Null
        Add-LvsRealServer $id -Address 10.0.0.2 -Port 8080 -Weight 3 -UpperThreshold 100 | Out-Null
        Add-LvsRealServer $id -Address 10.0.0.3:8080 | Out-Null
        New-LvsVirtualService "udp/${vip}:$port" -Scheduler rr -OnePacket | Out-Null
    }

    It 'Get-LvsVirtualService | ConvertTo-Json -Depth 5 reads with jq as a person would write it' {
        $jq = Get-Jq
        if (-not $jq) { Set-ItResult -Skipped -Because 'jq is not installed (CI installs it)'; return }
        $json = Get-LvsVirtualService | ConvertTo-Json -Depth 5
        $json | Should -Not -Match '"Settings"'
        $query = '[.[] | select(.Protocol == "Tcp")][0] | [.Id, .Address, .Port, .Protocol, .AddressFamily, .Scheduler, .Flags, .Netmask, .PersistenceTimeout, (.RealServers | map(.Id + " " + .Forwarding + " " + (.Weight|tostring)) | join(",")), .RealServers[0].VirtualService, .RealServers[0].Address] | @tsv'
        $row = ($json | & $jq -r $query) -split "`t"
        $LASTEXITCODE | Should -Be 0
        $row[0] | Should -Be $id
        $row[1] | Should -Be $vip
        $row[2] | Should -Be "$port"
        $row[3] | Should -Be 'Tcp'
        $row[4] | Should -Be 'IPv4'
        $row[5] | Should -Be 'wrr'
        $row[6] | Should -Be 'Persistent'
        $row[7] | Should -Be '255.255.255.0'
        $row[8] | Should -Be '60'
        $row[9] | Should -Be '10.0.0.2:8080 Masquerade 3,10.0.0.3:8080 Masquerade 1'
        $row[10] | Should -Be $id
        $row[11] | Should -Be '10.0.0.2'
        ($json | & $jq -r '[.[] | select(.Protocol == "Udp")][0] | .Flags') | Should -Be 'OnePacket'
        # no number stands for an address, an enum or a netmask anywhere in the document
        ($json | & $jq -r '[.. | objects | to_entries[] | select((.key | test("Address|Protocol|Forwarding|Flags|Netmask|Family|Helper|TunnelType")) and (.value | type) == "number")] | length') | Should -Be '0'
    }

    It 'every output type converts to JSON and CSV without nested records, internal ids, type names or address numbers' {
        Set-LvsHealthCheck $id -Type Http -Path /health -Interval 60 | Out-Null
        $objects = @(
            Get-LvsVirtualService
            Get-LvsRealServer
            Get-LvsStats
            Get-LvsTimeout
            Get-LvsDirector
            Get-LvsHealthCheck
            Get-LvsHealth
            Test-LvsScheduling $id -ClientAddress 10.9.9.9
            Test-LvsScheduling $id -Count 10
        )
        foreach ($o in $objects) {
            $json = $o | ConvertTo-Json -Depth 5 -WarningAction SilentlyContinue
            $json | Should -Not -Match '"(Settings|ServiceId|Check|Change|ScopeId|IsIPv6Multicast)"' -Because "$($o.GetType().Name) should show text, not records"
            $json | Should -Not -Match '"(Protocol|Forwarding|State|Type|Scope|Kind|Role|FailureAction|Action|Target|CheckType|HealthState)":\s*\d' -Because "$($o.GetType().Name) enums should be names"
            # and a CSV row holds values, not type names or a record's text
            $csv = ($o | ConvertTo-Csv) -join "`n"
            $csv | Should -Not -Match 'System\.|LvsPs\.|\w+ \{ \w+ = ' -Because "$($o.GetType().Name) should export values"
        }
        Remove-LvsHealthCheck $id
    }

    It 'a listing keeps what the director says of each service (State, Reason) besides sorting it' {
        $listed = Get-LvsVirtualService $id
        $listed.State | Should -Be 'Running'
        ($listed | ConvertTo-Json -Depth 1 -WarningAction SilentlyContinue) | Should -Match '"State": "Running"'
    }

    It '"$($s.Id)" and the identities of real servers and stats rows are their text' {
        $s = Get-LvsVirtualService $id
        "$($s.Id)" | Should -Be $id
        "$s" | Should -Be $id
        $rs = Get-LvsRealServer $id -Address 10.0.0.2
        "$($rs.Id)" | Should -Be '10.0.0.2:8080'
        "$($rs.VirtualService)" | Should -Be $id
        (Get-LvsStats $id | Where-Object Scope -EQ RealServer).RealServer | Should -Be @('10.0.0.2:8080', '10.0.0.3:8080')
    }

    It 'Format-List * shows values, never a record''s text or a raw netmask' {
        foreach ($o in @((Get-LvsVirtualService $id), (Get-LvsRealServer $id -Address 10.0.0.2), (Get-LvsStats $id)[0])) {
            $text = $o | Format-List * | Out-String -Width 200
            $text | Should -Not -Match '\{ Id = |Settings\s*:|4294967295|System\.Collections|\[\]'
        }
        (Get-LvsVirtualService $id | Format-List * | Out-String -Width 200) | Should -Match 'Netmask\s+: 255\.255\.255\.0'
    }

    It 'Export-Csv round trips real servers and services with the values a person would write' {
        $csv = Join-Path $TestDrive 'rs.csv'
        Get-LvsRealServer $id | Export-Csv -LiteralPath $csv
        Get-Content -LiteralPath $csv -Raw | Should -Not -Match 'LvsPs\.Model|RealServerSettings|System\.'
        $back = Import-Csv -LiteralPath $csv
        $back.Id | Should -Be @('10.0.0.2:8080', '10.0.0.3:8080')
        $back.Forwarding | Should -Be @('Masquerade', 'Masquerade')
        $back.Weight | Should -Be @('3', '1')
        # the CSV rows bind back to the cmdlets by property name
        $back | Set-LvsRealServer -Weight 4
        (Get-LvsRealServer $id).Weight | Should -Be @(4, 4)

        $svcCsv = Join-Path $TestDrive 'vs.csv'
        Get-LvsVirtualService | Export-Csv -LiteralPath $svcCsv
        $services = Import-Csv -LiteralPath $svcCsv
        ($services | Where-Object Id -EQ $id).RealServers | Should -Be '10.0.0.2:8080 10.0.0.3:8080'
        ($services | Where-Object Id -EQ $id).Netmask | Should -Be '255.255.255.0'
    }
}

Describe "Views at 80 columns ($Director)" {
    BeforeAll {
        Clear-LvsVirtualService -Confirm:$false
        $vip, $port, $id = New-TestServiceId
        New-LvsVirtualService $id -Scheduler wlc -PersistenceTimeout 3600 -PersistenceNetmask 255.255.255.0 | Out-Null
        Add-LvsRealServer $id -Address 192.168.100.200 -Port 65000 -Weight 65535 -UpperThreshold 100000 -LowerThreshold 50000 | Out-Null
        Add-LvsRealServer $id -Address 192.168.100.201:65001 | Out-Null
        Set-LvsHealthCheck $id -Type Tcp -Port 8081 -Interval 60 | Out-Null
        # a desired state that changes the scheduler and a weight: Compare-LvsConfiguration's rows name both
        $doc = "{ virtualServices: [ { virtualService: '$id', scheduler: rr, persistenceTimeout: 3600, persistenceNetmask: 255.255.255.0, realServers: [ { address: 192.168.100.200, port: 65000, weight: 7, upperThreshold: 100000, lowerThreshold: 50000 } ] } ] }"
    }
    AfterAll { Remove-LvsHealthCheck $id -ErrorAction SilentlyContinue }

    It '<Name> fits 80 columns by default, as a table and as a list' -ForEach @(
        @{ Name = 'Get-LvsVirtualService'; Get = { Get-LvsVirtualService } }
        @{ Name = 'Get-LvsVirtualService -Thresholds'; Get = { Get-LvsVirtualService -Thresholds } }
        @{ Name = 'Get-LvsVirtualService -PersistentConnections'; Get = { Get-LvsVirtualService -PersistentConnections } }
        @{ Name = 'Get-LvsRealServer'; Get = { Get-LvsRealServer } }
        @{ Name = 'Get-LvsStats'; Get = { Get-LvsStats } }
        @{ Name = 'Get-LvsStats -Rate -Exact'; Get = { Get-LvsStats -Rate -Exact } }
        @{ Name = 'Get-LvsTimeout'; Get = { Get-LvsTimeout } }
        @{ Name = 'Get-LvsDirector'; Get = { Get-LvsDirector } }
        @{ Name = 'Get-LvsHealthCheck'; Get = { Get-LvsHealthCheck } }
        @{ Name = 'Get-LvsHealth'; Get = { Get-LvsHealth } }
        @{ Name = 'Test-LvsScheduling'; Get = { Test-LvsScheduling $id -ClientAddress 10.9.9.9 } }
        @{ Name = 'Test-LvsScheduling -Count'; Get = { Test-LvsScheduling $id -Count 10 } }
        @{ Name = 'Compare-LvsConfiguration'; Get = { Compare-LvsConfiguration -Text $doc } }
    ) {
        $objects = @(& $Get)
        $objects | Should -Not -BeNullOrEmpty
        Assert-Fits ($objects | Out-String -Width 80)
        Assert-Fits ($objects | Format-Table | Out-String -Width 80)
        Assert-Fits ($objects | Format-List | Out-String -Width 80)
        # a type of its own has a table and a list view: neither shows the type's every property
        ($objects | Format-Table | Out-String -Width 80) | Should -Not -Match '\.\.\.$'
    }

    It 'the table views show whole identities at 80 columns' {
        (Get-LvsVirtualService | Format-Table | Out-String -Width 80) | Should -Match ([regex]::Escape($id))
        (Get-LvsRealServer | Format-Table | Out-String -Width 80) | Should -Match '192\.168\.100\.200:65000'
        (Get-LvsStats | Format-Table | Out-String -Width 80) | Should -Match '192\.168\.100\.201:65001'
        $compare = Compare-LvsConfiguration -Text $doc | Out-String -Width 80
        $compare | Should -Match ([regex]::Escape($id))
        $compare | Should -Match '192\.168\.100\.200:65000'
    }

    It 'the health check view says what each check type checks (Target)' {
        (Get-LvsHealthCheck $id | Format-Table | Out-String -Width 80) | Should -Match 'Tcp\s+port 8081'
        Set-LvsHealthCheck $id -Type Http -Path /status -ExpectedStatus 200, 204 -Interval 60 | Out-Null
        (Get-LvsHealthCheck $id).Target | Should -Be 'port 8081 /status -> 200,204'
        Remove-LvsHealthCheck $id
        Set-LvsHealthCheck $id -Type Http -Path /status -ExpectedStatus 200, 204 -Interval 60 | Out-Null
        (Get-LvsHealthCheck $id | Out-String -Width 80) | Should -Match 'Http\s+/status -> 200,204\s'
        Set-LvsHealthCheck $id -Type Command -Command 'true' -Interval 60 | Out-Null
        (Get-LvsHealthCheck $id | Out-String -Width 80) | Should -Match 'Command\s+true\s'
        (Get-LvsHealthCheck $id).Target | Should -Be 'true'
    }

    It 'a pipeline of services and stats reads as two ipvsadm listings, each with its title once' {
        $text = @(Get-LvsVirtualService) + @(Get-LvsStats) + @(Get-LvsVirtualService) | Out-String -Width 80
        Assert-Fits $text
        ([regex]::Matches($text, 'Prot LocalAddress:Port Scheduler Flags')).Count | Should -Be 2
        ([regex]::Matches($text, 'Conns\s+InPkts')).Count | Should -Be 1
        $text | Should -Not -Match 'VirtualService\s+:|Scope\s+:'
    }

    It 'the --thresholds and --persistent-conn views read like ipvsadm''s' {
        $t = (Get-LvsVirtualService $id -Thresholds | Out-String -Width 80) -split "`n" | ForEach-Object TrimEnd | Where-Object { $_ }
        $t[0] | Should -Be 'Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn'
        $t | Should -Contain '  -> 192.168.100.200:65000        100000     50000      0          0'
        $p = (Get-LvsVirtualService $id -PersistentConnections | Out-String -Width 80) -split "`n" | ForEach-Object TrimEnd | Where-Object { $_ }
        $p[0] | Should -Be 'Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn'
        $p | Should -Contain '  -> 192.168.100.200:65000        65535     0           0          0'
    }

    It 'abbreviates counters as ipvsadm does, and -Exact shows them whole' {
        [LvsPs.Model.IpvsadmText]::Abbreviated(99999999) | Should -Be ' 99999999'
        [LvsPs.Model.IpvsadmText]::Abbreviated(123456789012) | Should -Be '     123G'
        [LvsPs.Model.IpvsadmText]::Num(123456789012) | Should -Be ' 123456789012'
        (Get-LvsStats -Exact | Out-String -Width 80) | Should -Match 'Conns\s+InPkts'
    }
}

Describe "ipvsadm habits: sorting, -NoSort, wildcards and RIP:PORT ($Director)" {
    BeforeAll {
        Clear-LvsVirtualService -Confirm:$false
        $vip = New-TestVip
        $port = Get-FreeTcpPort
        # created out of ipvsadm's order: udp before tcp, the higher port first
        New-LvsVirtualService "udp/${vip}:$port" -Scheduler rr | Out-Null
        New-LvsVirtualService "tcp/${vip}:$($port + 1)" | Out-Null
        New-LvsVirtualService "tcp/${vip}:$port" | Out-Null
        $id = "tcp/${vip}:$port"
    }

    It 'lists services as ipvsadm -L sorts them (protocol, address, port), and -NoSort in the director''s order with Position' {
        (Get-LvsVirtualService).Id | Should -Be @($id, "tcp/${vip}:$($port + 1)", "udp/${vip}:$port")
        $own = Get-LvsVirtualService -NoSort
        $own.Position | Should -Be (0..2)
        ($own.Id | Sort-Object) | Should -Be ((Get-LvsVirtualService).Id | Sort-Object)
        (Get-LvsVirtualService $id).Position | Should -Be ($own | Where-Object Id -EQ $id).Position
    }

    It 'takes wildcards where a user lists: Get-LvsVirtualService tcp/*, Get-LvsRealServer -Address 10.0.0.*' {
        (Get-LvsVirtualService 'tcp/*').Id | Should -Be @($id, "tcp/${vip}:$($port + 1)")
        (Get-LvsVirtualService "*:$port").Id | Should -Be @($id, "udp/${vip}:$port")
        Get-LvsVirtualService 'sctp/*' | Should -BeNullOrEmpty
        Add-LvsRealServer $id -Address 10.0.0.2 | Out-Null
        Add-LvsRealServer $id -Address 10.0.1.2 | Out-Null
        (Get-LvsRealServer -Address 10.0.0.*).Address | Should -Be @('10.0.0.2')
        (Get-LvsRealServer 'tcp/*' -Address "*:$port").Count | Should -Be 2
        (Get-LvsStats 'udp/*').VirtualService | Should -Be @("udp/${vip}:$port")
    }

    It 'a named service that does not exist is an error naming it; a pattern that matches nothing is not' {
        $err = $null
        Get-LvsVirtualService "tcp/${vip}:1" -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'VirtualServiceNotFound*'
        $err[0].Exception.Message | Should -BeLike "*tcp/${vip}:1*"
        $err = $null
        Get-LvsVirtualService 'tcp/10.255.*' -ErrorVariable err | Should -BeNullOrEmpty
        $err | Should -BeNullOrEmpty
    }

    It 'takes -Address RIP:PORT and [IPv6]:PORT as ipvsadm -r does' {
        $rs = Add-LvsRealServer $id -Address 10.0.0.7:8081 -Weight 2 -PassThru
        $rs.Id | Should -Be '10.0.0.7:8081'
        (Set-LvsRealServer $id -Address 10.0.0.7:8081 -Weight 5 -PassThru).Weight | Should -Be 5
        (Get-LvsRealServer $id -Address 10.0.0.7:8081).Weight | Should -Be 5
        Remove-LvsRealServer $id -Address 10.0.0.7:8081
        Get-LvsRealServer $id -Address 10.0.0.7 | Should -BeNullOrEmpty
        { Add-LvsRealServer $id -Address 10.0.0.7:8081 -Port 9 -ErrorAction Stop } | Should -Throw -ErrorId 'ConflictingPort*'

        New-LvsVirtualService 'tcp/[::1]:18443' | Out-Null
        $v6 = Add-LvsRealServer 'tcp/[::1]:18443' -Address '[2001:db8::2]:8443' -PassThru
        $v6.Id | Should -Be '[2001:db8::2]:8443'
        $v6.Address | Should -Be '2001:db8::2'
        (Get-LvsRealServer 'tcp/[::1]:18443' -Address '[2001:db8::2]:8443').Port | Should -Be 8443
        Remove-LvsVirtualService 'tcp/[::1]:18443'
    }

    It 'Export-LvsConfiguration chooses JSON for a .json path' {
        $path = Join-Path $TestDrive 'director.json'
        Export-LvsConfiguration $path
        $doc = Get-Content -LiteralPath $path -Raw | ConvertFrom-Json
        $doc.virtualServices.virtualService | Should -Be (Get-LvsVirtualService).Id
        Export-LvsConfiguration (Join-Path $TestDrive 'director.yaml')
        Get-Content -LiteralPath (Join-Path $TestDrive 'director.yaml') -Raw | Should -Match '^#|virtualServices:'
    }

    It 'Tab on -Port completes ports, not file names' {
        $line = "Add-LvsRealServer $id -Address 10.0.0.9 -Port "
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        $completions | Should -Not -BeNullOrEmpty
        $completions[0].CompletionText | Should -Be "$port"
        $completions.CompletionText | Should -Contain '443'
        $completions.ResultType | Sort-Object -Unique | Should -Be 'ParameterValue'
        $line = "New-LvsVirtualService -Protocol Tcp -Address $vip -Port 44"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain '443'
    }
}

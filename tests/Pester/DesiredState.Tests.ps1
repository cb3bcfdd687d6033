# Desired state: director documents, Compare/Import/Export, the DSC class resources and the DSC v3 manifests, on the
# in-session managed director and on a director service.
param([ValidateSet('Managed', 'Service')] [string] $Director = 'Managed')

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LvsPs.TestHelpers.psm1') -Force
    $script:Dir = Enter-TestSession -Director $Director -TempFolder desired
    $script:Module = Get-Module LvsPs
    $script:Pwsh = Join-Path $PSHOME 'pwsh.dll'

    function New-Doc([string] $Yaml) {
        $path = Join-Path $script:Dir "$([guid]::NewGuid().ToString('N').Substring(0, 8)).yaml"
        Set-Content -LiteralPath $path -Value $Yaml
        $path
    }
    function Assert-Boolean($Actual, [bool] $Expected, [string] $Because) {
        # exact: Should -BeFalse passes on $null, and a missing property or an empty answer is $null
        $Actual | Should -BeOfType [bool] -Because $Because
        $Actual | Should -Be $Expected -Because $Because
    }
    function New-DscResource([string] $Class, [hashtable] $Properties) {
        $instance = & $script:Module ([scriptblock]::Create("[$Class]::new()"))
        foreach ($k in $Properties.Keys) { $instance.$k = $Properties[$k] }
        $instance
    }
}

AfterAll { Exit-TestSession }

Describe "Director documents on the $Director director" {
    BeforeEach {
        Clear-LvsVirtualService -Confirm:$false
        $script:Vip = New-TestVip
        $script:Svc = "tcp/$($script:Vip):18100"
        $script:Doc = New-Doc @"
# a director with one service and three real servers
virtualServices:
  - virtualService: $script:Svc
    scheduler: wrr
    persistenceTimeout: 60
    persistenceNetmask: 255.255.255.0
    realServers:
      - address: 127.0.0.1
        port: 18101
        weight: 3
        upperThreshold: 100
      - address: 127.0.0.1
        port: 18102
      - address: 127.0.0.1
        port: 18103
        weight: 0
timeouts:
  tcp: 1000
"@
    }

    It 'imports a document, and a second import makes no change' {
        Import-LvsConfiguration $script:Doc -PassThru | Should -HaveCount 5
        $s = Get-LvsVirtualService $script:Svc
        $s.Scheduler | Should -Be 'wrr'
        $s.PersistenceTimeout | Should -Be 60
        (Get-LvsRealServer $script:Svc -Address 127.0.0.1 -Port 18101).UpperThreshold | Should -Be 100
        (Get-LvsTimeout).Tcp | Should -Be 1000
        Import-LvsConfiguration $script:Doc -PassThru | Should -BeNullOrEmpty
        Compare-LvsConfiguration $script:Doc | Should -BeNullOrEmpty
    }

    It 'round-trips through Export as YAML and as JSON' {
        Import-LvsConfiguration $script:Doc
        $yaml = Export-LvsConfiguration
        $yaml | Should -Match 'virtualService: tcp/'
        $json = Export-LvsConfiguration -Format Json
        ($json | ConvertFrom-Json).virtualServices[0].realServers.Count | Should -Be 3
        $jsonPath = Join-Path $script:Dir 'director.json'
        Export-LvsConfiguration -Format Json -Path $jsonPath
        Clear-LvsVirtualService -Confirm:$false
        Import-LvsConfiguration $jsonPath
        Export-LvsConfiguration | Should -BeExactly $yaml
        $yaml | Compare-LvsConfiguration | Should -BeNullOrEmpty
    }

    It 'writes ipvsadm rules with -Format Ipvsadm and converges to them' {
        Import-LvsConfiguration $script:Doc
        $rules = Export-LvsConfiguration -Format Ipvsadm
        $rules | Should -Match "(?m)^-A -t $([regex]::Escape($script:Vip)):18100 -s wrr -p 60 -M 255.255.255.0$"
        Set-LvsRealServer $script:Svc -Address 127.0.0.1 -Port 18102 -Weight 9
        $rules | Import-LvsConfiguration
        (Get-LvsRealServer $script:Svc -Address 127.0.0.1 -Port 18102).Weight | Should -Be 1
    }

    It 'plans an edit in place for a changed weight and threshold, never a delete and re-add' {
        Import-LvsConfiguration $script:Doc
        Set-LvsRealServer $script:Svc -Address 127.0.0.1 -Port 18101 -Weight 7 -UpperThreshold 5
        $changes = @(Compare-LvsConfiguration $script:Doc)
        $changes | Should -HaveCount 2
        $changes.Action | Sort-Object -Unique | Should -Be 'Change'
        ($changes | Where-Object Property -eq 'Weight').From | Should -Be 7
        ($changes | Where-Object Property -eq 'Weight').To | Should -Be 3
        ($changes | Where-Object Property -eq 'UpperThreshold').To | Should -Be 100
        $changes.Code | Sort-Object | Should -Be @('LvsPs:RealServer:Change:UpperThreshold', 'LvsPs:RealServer:Change:Weight')
    }

    It 'leaves unnamed services and real servers alone, and removes them with -Prune' {
        Import-LvsConfiguration $script:Doc
        $other = "tcp/$($script:Vip):18110"
        New-LvsVirtualService $other -Scheduler rr
        Add-LvsRealServer $script:Svc -Address 127.0.0.1 -Port 18104
        Compare-LvsConfiguration $script:Doc | Should -BeNullOrEmpty
        Import-LvsConfiguration $script:Doc
        Get-LvsVirtualService $other | Should -Not -BeNullOrEmpty
        $pruned = @(Compare-LvsConfiguration $script:Doc -Prune)
        $pruned.Action | Sort-Object -Unique | Should -Be 'Remove'
        $pruned | Should -HaveCount 2
        Import-LvsConfiguration $script:Doc -Prune
        Get-LvsVirtualService $other -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        @(Get-LvsRealServer $script:Svc) | Should -HaveCount 3
        Compare-LvsConfiguration $script:Doc -Prune | Should -BeNullOrEmpty
    }

    It 'loads the annotated example document strictly' {
        $example = Join-Path $PSScriptRoot '..' '..' 'examples' 'director.yaml'
        $changes = Compare-LvsConfiguration $example -ErrorVariable err
        $err | Should -BeNullOrEmpty
        ($changes | Where-Object { $_.Target -eq 'VirtualService' -and $_.Action -eq 'Add' }).VirtualService | Should -HaveCount 2
        ($changes | Where-Object Target -eq 'HealthCheck') | Should -HaveCount 1
    }

    It 'changes nothing with -WhatIf' {
        Import-LvsConfiguration $script:Doc -WhatIf
        Get-LvsVirtualService $script:Svc -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'shows progress for a large document' {
        $lines = foreach ($i in 1..30) { "      - address: 127.0.0.1`n        port: $(18200 + $i)" }
        $big = New-Doc "virtualServices:`n  - virtualService: $script:Svc`n    scheduler: rr`n    realServers:`n$($lines -join "`n")"
        # a runspace of its own, whose progress stream can be read; the director is the process's, so it is this one
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript('param($m, $p) Import-Module $m; $ProgressPreference = "Continue"; Import-LvsConfiguration -Path $p').AddArgument($env:LVSPS_MODULE).AddArgument($big)
            $null = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            $ps.Streams.Progress.Count | Should -BeGreaterThan 1
            $ps.Streams.Progress[-1].RecordType | Should -Be 'Completed'
        }
        finally { $ps.Dispose() }
        @(Get-LvsRealServer $script:Svc) | Should -HaveCount 30
    }

    It 'refuses a document with errors, names file, line and column, and applies nothing' {
        $bad = New-Doc @"
virtualServices:
  - virtualService: $script:Svc
    scheduler: nosuch
    realServers:
      - address: 127.0.0.999
      - address: 127.0.0.1
        weight: 70000
      - address: 127.0.0.1
        port: "x"
        colour: red
  - virtualService: tcp/$($script:Vip):18111
  - virtualService: tcp/$($script:Vip):18111
"@
        Import-LvsConfiguration $bad -ErrorVariable err -ErrorAction SilentlyContinue
        $ids = $err | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }
        $ids | Should -Contain 'UnknownScheduler'
        $ids | Should -Contain 'InvalidAddress'
        $ids | Should -Contain 'ValueOutOfRange'
        $ids | Should -Contain 'WrongType'
        $ids | Should -Contain 'UnknownKey'
        $ids | Should -Contain 'DuplicateVirtualService'
        ($err | Where-Object { $_.FullyQualifiedErrorId -like 'UnknownScheduler*' }).Exception.Message | Should -BeLike "$bad`:3:16:*allowed: *rr*"
        ($err | Where-Object { $_.FullyQualifiedErrorId -like 'ValueOutOfRange*' }).Exception.Message | Should -BeLike "*:7:17:*0..65535*"
        Get-LvsVirtualService | Should -BeNullOrEmpty
    }

    It 'keeps established connections through a reconcile that edits, adds and removes real servers' {
        $a = [LvsPs.TestBackends.TcpEchoBackend]::Start()
        $b = [LvsPs.TestBackends.TcpEchoBackend]::Start()
        $c = [LvsPs.TestBackends.TcpEchoBackend]::Start()
        $clients = @()
        try {
            $port = Get-FreeTcpPort
            $svc = "tcp/$($script:Vip):$port"
            $before = New-Doc "virtualServices:`n  - virtualService: $svc`n    scheduler: rr`n    realServers:`n      - address: 127.0.0.1`n        port: $($a.Port)`n      - address: 127.0.0.1`n        port: $($b.Port)"
            $after = New-Doc "virtualServices:`n  - virtualService: $svc`n    scheduler: wrr`n    realServers:`n      - address: 127.0.0.1`n        port: $($a.Port)`n        weight: 5`n        upperThreshold: 1000`n      - address: 127.0.0.1`n        port: $($c.Port)"
            Import-LvsConfiguration $before
            $clients = foreach ($i in 1..6) {
                $t = [System.Net.Sockets.TcpClient]::new()
                [LvsPs.TestBackends.LoopbackClient]::Connect($t.Client, [System.Net.IPEndPoint]::new([ipaddress]$script:Vip, $port))
                $t.ReceiveTimeout = 5000
                $t
            }
            $echo = {
                param($client, [string] $text)
                $bytes = [Text.Encoding]::ASCII.GetBytes($text)
                $stream = $client.GetStream()
                $stream.Write($bytes, 0, $bytes.Length)
                $buffer = [byte[]]::new($bytes.Length)
                $read = 0
                while ($read -lt $bytes.Length) {
                    $n = $stream.Read($buffer, $read, $bytes.Length - $read)
                    if ($n -le 0) { break }
                    $read += $n
                }
                [Text.Encoding]::ASCII.GetString($buffer, 0, $read)
            }
            foreach ($t in $clients) { & $echo $t 'before' | Should -Be 'before' }
            ($a.Connections + $b.Connections) | Should -Be 6
            $changes = Import-LvsConfiguration $after -Prune -PassThru
            $changes.Action | Should -Contain 'Remove'
            $changes.Action | Should -Contain 'Add'
            ($changes | Where-Object { $_.Target -eq 'RealServer' -and $_.Action -eq 'Change' }).Property | Should -Contain 'Weight'
            foreach ($t in $clients) { & $echo $t 'after the reconcile' | Should -Be 'after the reconcile' }
            Compare-LvsConfiguration $after -Prune | Should -BeNullOrEmpty
        }
        finally {
            $clients | ForEach-Object { $_.Dispose() }
            $a.Dispose(); $b.Dispose(); $c.Dispose()
        }
    }
}

Describe "DSC class resources on the $Director director" {
    BeforeEach {
        Clear-LvsVirtualService -Confirm:$false
        $script:Vip = New-TestVip
        $script:Svc = "tcp/$($script:Vip):18300"
        $script:Resources = @(
            New-DscResource LvsVirtualService @{ VirtualService = $script:Svc; Scheduler = 'wrr'; PersistenceTimeout = 30 }
            New-DscResource LvsRealServer @{ VirtualService = $script:Svc; Address = '127.0.0.1'; Port = 18301; Weight = 2 }
            New-DscResource LvsRealServer @{ VirtualService = $script:Svc; Address = '127.0.0.1'; Port = 18302; Weight = 4; UpperThreshold = 50 }
        )
    }

    It 'tests false on a fresh director, sets, tests true, and a second set changes nothing' {
        $script:Resources | ForEach-Object { $_.Test() } | Should -Be @($false, $false, $false)
        $script:Resources[0].Get().Ensure | Should -Be 'Absent'
        $script:Resources | ForEach-Object { $_.Set() }
        $script:Resources | ForEach-Object { $_.Test() } | Should -Be @($true, $true, $true)
        $exported = Export-LvsConfiguration
        $script:Resources | ForEach-Object { $_.Set() }
        Export-LvsConfiguration | Should -BeExactly $exported
        $got = $script:Resources[2].Get()
        $got.Weight | Should -Be 4
        $got.UpperThreshold | Should -Be 50
        $got.Reasons | Should -BeNullOrEmpty
    }

    It 'finds drift, explains it in Reasons and repairs it' {
        $script:Resources | ForEach-Object { $_.Set() }
        Remove-LvsRealServer $script:Svc -Address 127.0.0.1 -Port 18301
        Set-LvsRealServer $script:Svc -Address 127.0.0.1 -Port 18302 -Weight 1
        Assert-Boolean ($script:Resources[1].Test()) $false
        Assert-Boolean ($script:Resources[2].Test()) $false
        $script:Resources[1].Get().Reasons.Code | Should -Contain 'LvsPs:RealServer:Add'
        $reasons = $script:Resources[2].Get().Reasons
        $reasons.Code | Should -Contain 'LvsPs:RealServer:Change:Weight'
        ($reasons | Where-Object Code -eq 'LvsPs:RealServer:Change:Weight').Phrase | Should -BeLike '*from 1 to 4*'
        $script:Resources | ForEach-Object { $_.Set() }
        $script:Resources | ForEach-Object { $_.Test() } | Should -Be @($true, $true, $true)
        (Get-LvsRealServer $script:Svc -Address 127.0.0.1 -Port 18302).Weight | Should -Be 4
    }

    It 'manages the FTP helper of a service' {
        $ftpSvc = "tcp/$($script:Vip):18321"
        $ftp = New-DscResource LvsVirtualService @{ VirtualService = $ftpSvc; Helper = 'Ftp' }
        Assert-Boolean ($ftp.Test()) $false
        $ftp.Set()
        Assert-Boolean ($ftp.Test()) $true
        $ftp.Get().Helper | Should -Be 'Ftp'
        (Get-LvsVirtualService $ftpSvc).Helper | Should -Be 'Ftp'
        $none = New-DscResource LvsVirtualService @{ VirtualService = $ftpSvc; Helper = 'None' }
        Assert-Boolean ($none.Test()) $false
        $none.Get().Reasons.Code | Should -Contain 'LvsPs:VirtualService:Change:Helper'
        $none.Set()
        (Get-LvsVirtualService $ftpSvc).Helper | Should -Be 'None'
    }

    It 'removes with Ensure = Absent' {
        $script:Resources | ForEach-Object { $_.Set() }
        $gone = New-DscResource LvsRealServer @{ VirtualService = $script:Svc; Address = '127.0.0.1'; Port = 18301; Ensure = 'Absent' }
        Assert-Boolean ($gone.Test()) $false
        $gone.Set()
        Assert-Boolean ($gone.Test()) $true
        @(Get-LvsRealServer $script:Svc) | Should -HaveCount 1
    }

    It 'converges a whole director with LvsConfiguration, with Prune' {
        $doc = New-Doc "virtualServices:`n  - virtualService: $script:Svc`n    scheduler: rr`n    realServers:`n      - address: 127.0.0.1`n        port: 18305"
        New-LvsVirtualService "tcp/$($script:Vip):18399" -Scheduler rr
        $config = New-DscResource LvsConfiguration @{ Path = $doc; Prune = $true }
        Assert-Boolean ($config.Test()) $false
        $config.Get().Reasons.Code | Should -Contain 'LvsPs:VirtualService:Remove'
        $config.Set()
        Assert-Boolean ($config.Test()) $true
        Get-LvsVirtualService | Should -HaveCount 1
    }
}

Describe "DSC v3 resource manifests on the $Director director" -Skip:($Director -ne 'Service') {
    BeforeAll {
        $script:ManifestDir = Join-Path (Split-Path $env:LVSPS_MODULE) 'dsc'
        $script:Target = 'Service:' + (Get-LvsDirector).Target
        function Invoke-DscCommand([string] $Type, [string] $Operation, [hashtable] $Instance) {
            # what dsc does: read the manifest, run its command in the manifest's folder, JSON on stdin
            $manifest = Get-ChildItem $script:ManifestDir -Filter '*.dsc.resource.json' |
                ForEach-Object { Get-Content $_.FullName -Raw | ConvertFrom-Json } | Where-Object type -eq $Type
            $command = $manifest.$Operation
            $exe = @(if (Get-Command $command.executable -CommandType Application -ErrorAction SilentlyContinue) { $command.executable } else { 'dotnet', $script:Pwsh })
            $json = if ($Instance) { $Instance | ConvertTo-Json -Compress -Depth 5 } else { '' }
            Push-Location $script:ManifestDir
            try {
                $out = $json | & $exe[0] @($exe | Select-Object -Skip 1) @($command.args) 2>$null
                [pscustomobject]@{ ExitCode = $LASTEXITCODE; Lines = @($out) }
            }
            finally { Pop-Location }
        }
    }
    BeforeEach {
        Clear-LvsVirtualService -Confirm:$false
        $script:Vip = New-TestVip
        $script:Svc = "tcp/$($script:Vip):18400"
    }

    It 'has a manifest per resource, valid against the published DSC v3 manifest schema, with get, set, test and documented exit codes' {
        # the published schema (a copy: tests/Pester/schemas/dsc-v3/README.md says from where), offline
        $schema = Join-Path $PSScriptRoot 'schemas' 'dsc-v3' 'resource-manifest.json'
        $files = @(Get-ChildItem $script:ManifestDir -Filter '*.dsc.resource.json')
        $files.Count | Should -Be 3
        foreach ($f in $files) {
            Test-Json -Json (Get-Content $f.FullName -Raw) -SchemaFile $schema -ErrorAction SilentlyContinue | Should -BeTrue -Because "$($f.Name) must follow the DSC v3 resource manifest schema"
        }
        # and the schema does reject what is not a manifest: a get method without an executable
        $broken = Get-Content $files[0].FullName -Raw | ConvertFrom-Json
        $broken.get.PSObject.Properties.Remove('executable')
        Test-Json -Json ($broken | ConvertTo-Json -Depth 30) -SchemaFile $schema -ErrorAction SilentlyContinue | Should -BeFalse
        $manifests = $files | ForEach-Object { Get-Content $_.FullName -Raw | ConvertFrom-Json }
        $manifests.type | Sort-Object | Should -Be @('LvsPs/Configuration', 'LvsPs/RealServer', 'LvsPs/VirtualService')
        foreach ($m in $manifests) {
            $m.get.input | Should -Be 'stdin'
            $m.test.return | Should -Be 'stateAndDiff'
            $m.set.return | Should -Be 'stateAndDiff'
            $m.exitCodes.'0' | Should -Be 'Success'
            $m.exitCodes.'2' | Should -BeLike 'Invalid input*'
            $m.schema.embedded.properties.PSObject.Properties.Name | Should -Contain 'director'
        }
    }

    It 'gets, tests, sets and exports a virtual service and a real server through the manifests' {
        $vs = @{ virtualService = $script:Svc; scheduler = 'rr'; director = $script:Target }
        $get = Invoke-DscCommand 'LvsPs/VirtualService' get $vs
        $get.ExitCode | Should -Be 0
        Assert-Boolean (($get.Lines[0] | ConvertFrom-Json)._exist) $false
        $test = Invoke-DscCommand 'LvsPs/VirtualService' test $vs
        $test.ExitCode | Should -Be 0
        Assert-Boolean (($test.Lines[0] | ConvertFrom-Json)._inDesiredState) $false
        ($test.Lines[1] | ConvertFrom-Json) | Should -Contain '_exist'
        $set = Invoke-DscCommand 'LvsPs/VirtualService' set $vs
        $set.ExitCode | Should -Be 0
        ($set.Lines[0] | ConvertFrom-Json).scheduler | Should -Be 'rr'
        Get-LvsVirtualService $script:Svc | Should -Not -BeNullOrEmpty

        $rs = @{ virtualService = $script:Svc; address = '127.0.0.1'; port = 18401; weight = 3; director = $script:Target }
        (Invoke-DscCommand 'LvsPs/RealServer' set $rs).ExitCode | Should -Be 0
        Set-LvsRealServer $script:Svc -Address 127.0.0.1 -Port 18401 -Weight 1
        $drift = Invoke-DscCommand 'LvsPs/RealServer' test $rs
        Assert-Boolean (($drift.Lines[0] | ConvertFrom-Json)._inDesiredState) $false
        ($drift.Lines[1] | ConvertFrom-Json) | Should -Be @('weight')
        (Invoke-DscCommand 'LvsPs/RealServer' set $rs).ExitCode | Should -Be 0
        Assert-Boolean (((Invoke-DscCommand 'LvsPs/RealServer' test $rs).Lines[0] | ConvertFrom-Json)._inDesiredState) $true

        $export = Invoke-DscCommand 'LvsPs/RealServer' export @{ director = $script:Target }
        $export.ExitCode | Should -Be 0
        ($export.Lines | ConvertFrom-Json).port | Should -Contain 18401
    }

    It 'converges to a document through LvsPs/Configuration' {
        $doc = New-Doc "virtualServices:`n  - virtualService: $script:Svc`n    scheduler: wlc`n    realServers:`n      - address: 127.0.0.1`n        port: 18402"
        $instance = @{ path = $doc; prune = $true; director = $script:Target }
        Assert-Boolean (((Invoke-DscCommand 'LvsPs/Configuration' test $instance).Lines[0] | ConvertFrom-Json)._inDesiredState) $false
        (Invoke-DscCommand 'LvsPs/Configuration' set $instance).ExitCode | Should -Be 0
        Assert-Boolean (((Invoke-DscCommand 'LvsPs/Configuration' test $instance).Lines[0] | ConvertFrom-Json)._inDesiredState) $true
    }

    It 'exits with 2 on invalid input' {
        (Invoke-DscCommand 'LvsPs/VirtualService' get @{ virtualService = 'tcp/nonsense'; director = $script:Target }).ExitCode | Should -Be 2
        (Invoke-DscCommand 'LvsPs/VirtualService' get @{ virtualService = $script:Svc; colour = 'red'; director = $script:Target }).ExitCode | Should -Be 2
    }
}

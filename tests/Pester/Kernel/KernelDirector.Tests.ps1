# The cmdlets against kernel IPVS, with real traffic: runs only inside the qemu guest (tests/Kernel/run-kernel-tests.sh
# runs it in the same boot as the kernel xunit suite; the host's kernel has no IPVS). The topology is four network
# namespaces the test makes and always removes: a client (10.1.0.1) and two real servers (10.2.1.11, 10.2.2.12), each
# on a veth pair to the director (10.1.0.2, 10.2.1.1, 10.2.2.1), which the module drives as Connect-LvsDirector -Kernel
# -NetworkNamespace. The real servers are Python's http.server answering with their name; the client is curl.
# The director service on the kernel backend (a restart that finds the kernel table empty, then traffic) is in
# tests/LvsPs.KernelTests/DirectorServiceKernelTests.cs, in the same guest boot: each service start costs the
# emulated guest about a minute.
BeforeAll {
    Import-Module $env:LVSPS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot '..' 'LvsPs.TestHelpers.psm1') -Force
    Import-TestBackends
    if (-not $env:LVS_VM) { throw 'This file runs inside the qemu guest only (tests/Kernel/run-kernel-tests.sh).' }

    $tag = [guid]::NewGuid().ToString('N').Substring(0, 6)
    $script:Ns = @{ Client = "lvsps-pc-$tag"; Director = "lvsps-pd-$tag"; Rs1 = "lvsps-p1-$tag"; Rs2 = "lvsps-p2-$tag" }
    $script:Children = [System.Collections.Generic.List[object]]::new()
    $script:Www = Join-Path ([IO.Path]::GetTempPath()) "lvsps-www-$tag"

    function Invoke-Ip([string] $Namespace, [string] $Lines) {
        $ipArgs = if ($Namespace) { @('-n', $Namespace, '-batch', '-') } else { @('-batch', '-') }
        $out = $Lines | & ip @ipArgs 2>&1
        if ($LASTEXITCODE -ne 0) { throw "ip $ipArgs failed: $out`n$Lines" }
    }

    function Invoke-Curl([string] $Url) {
        # one request from the client's namespace on a new connection; the body is the real server's name
        $out = & ip netns exec $Ns.Client curl --silent --show-error --connect-timeout 10 --max-time 20 $Url 2>&1
        if ($LASTEXITCODE -ne 0) { throw "curl $Url failed ($LASTEXITCODE): $out" }
        "$out".Trim()
    }

    function Get-IpvsadmSave { (& ip netns exec $Ns.Director ipvsadm -S -n) -join "`n" }

    Invoke-Ip $null (($Ns.Values | ForEach-Object { "netns add $_" }) -join "`n")
    Invoke-Ip $null @"
link add c0 netns $($Ns.Client) type veth peer name d0 netns $($Ns.Director)
link add s0 netns $($Ns.Rs1) type veth peer name d1 netns $($Ns.Director)
link add s0 netns $($Ns.Rs2) type veth peer name d2 netns $($Ns.Director)
"@
    Invoke-Ip $Ns.Client "link set lo up`naddr add 10.1.0.1/24 dev c0`nlink set c0 up"
    Invoke-Ip $Ns.Director "link set lo up`naddr add 10.1.0.2/24 dev d0`naddr add 10.2.1.1/24 dev d1`naddr add 10.2.2.1/24 dev d2`nlink set d0 up`nlink set d1 up`nlink set d2 up"
    Invoke-Ip $Ns.Rs1 "link set lo up`naddr add 10.2.1.11/24 dev s0`nlink set s0 up`nroute add default via 10.2.1.1"
    Invoke-Ip $Ns.Rs2 "link set lo up`naddr add 10.2.2.12/24 dev s0`nlink set s0 up`nroute add default via 10.2.2.1"
    & ip netns exec $Ns.Director sysctl -q -w net.ipv4.ip_forward=1
    foreach ($rs in @{ Name = 'rs1'; Ns = $Ns.Rs1; Address = '10.2.1.11' }, @{ Name = 'rs2'; Ns = $Ns.Rs2; Address = '10.2.2.12' }) {
        $dir = Join-Path $Www $rs.Name
        $null = New-Item -ItemType Directory -Path $dir -Force
        Set-Content -LiteralPath (Join-Path $dir 'index.html') -Value $rs.Name -NoNewline
        $Children.Add([LvsPs.TestBackends.ReapedProcess]::Start('ip', [string[]]@('netns', 'exec', $rs.Ns, '/usr/bin/python3', '-m', 'http.server', '80', '--bind', $rs.Address, '--directory', $dir)))
    }
    foreach ($server in @{ Ns = $Ns.Rs1; Address = '10.2.1.11' }, @{ Ns = $Ns.Rs2; Address = '10.2.2.12' }) {
        Wait-Until { & ip netns exec $server.Ns curl --silent --max-time 2 -o /dev/null "http://$($server.Address)/"; $LASTEXITCODE -eq 0 } "the web server on $($server.Address)" -TimeoutSeconds 60
    }
    Connect-LvsDirector -Kernel -NetworkNamespace $Ns.Director
}

AfterAll {
    Disconnect-LvsDirector -ErrorAction SilentlyContinue
    foreach ($c in $Children) { $c.Dispose() }
    foreach ($n in $Ns.Values) { & ip netns del $n 2>$null }
    Remove-Item -LiteralPath $Www -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The LVS example on kernel IPVS: HTTP, two real servers, rr, masquerading' {
    BeforeAll {
        Clear-LvsVirtualService -Confirm:$false
        $id = 'tcp/10.1.0.2:80'
        $service = New-LvsVirtualService -Protocol Tcp -Address 10.1.0.2 -Port 80 -Scheduler rr
        $service | Add-LvsRealServer -Address 10.2.1.11 -Port 80 -Forwarding Masquerade
        $service | Add-LvsRealServer -Address 10.2.2.12 -Port 80 -Forwarding Masquerade
        $answers = foreach ($i in 1..6) { Invoke-Curl 'http://10.1.0.2/' }
    }

    It 'sends real requests that alternate between the two real servers' {
        $answers | Should -Be @('rs2', 'rs1', 'rs2', 'rs1', 'rs2', 'rs1')
    }

    It 'lists the service as the kernel has it' {
        $svc = Get-LvsVirtualService $id
        $svc.Scheduler | Should -Be 'rr'
        # listed sorted, as ipvsadm -L -n sorts them
        ($svc.RealServers | ForEach-Object { "$($_.Address):$($_.Port)" }) | Should -Be @('10.2.1.11:80', '10.2.2.12:80')
        $svc.RealServers.Forwarding | Should -Be @('Masquerade', 'Masquerade')
        Get-IpvsadmSave | Should -Match '-a -t 10.1.0.2:80 -r 10.2.1.11:80 -m -w 1'
    }

    It 'counts the connections the kernel saw' {
        # the kernel folds its per-CPU counters into what it reports every 2 s (estimation_timer, ip_vs_est.c)
        Wait-Until { (Get-LvsStats $id | Where-Object Scope -EQ 'VirtualService').Connections -eq 6 } 'six connections counted' -TimeoutSeconds 20
        ($stats = Get-LvsStats $id | Where-Object Scope -EQ 'RealServer').Connections | Should -Be @(3, 3)
        ($stats | Measure-Object -Property BytesIn -Sum).Sum | Should -BeGreaterThan 0
    }

    It 'lists the connections with Get-LvsConnection' {
        $connections = @(Get-LvsConnection -VirtualService $id)
        $connections.Count | Should -Be 6
        $connections.ClientAddress | Sort-Object -Unique | ForEach-Object ToString | Should -Be '10.1.0.1'
        ($connections | Group-Object { $_.DestinationAddress.ToString() }).Count | Should -Be 2
    }

    It 'zeroes the counters with Reset-LvsStats' {
        Reset-LvsStats -VirtualService $id -Confirm:$false
        $after = Get-LvsStats $id
        ($after | Measure-Object -Property Connections -Sum).Sum | Should -Be 0
        ($after | Measure-Object -Property BytesIn -Sum).Sum | Should -Be 0
        # what the kernel itself reports: the service's line and its real servers' lines, all zero
        $lines = & ip netns exec $Ns.Director ipvsadm -L -n --stats --exact -t 10.1.0.2:80
        $lines | Where-Object { $_ -match '^TCP' } | Should -Match '^TCP\s+10\.1\.0\.2:80\s+0\s+0\s+0\s+0\s+0\s*$'
        @($lines | Where-Object { $_ -match '^\s+->\s+10\.2\.' }).Count | Should -Be 2
        foreach ($line in $lines | Where-Object { $_ -match '^\s+->\s+10\.2\.' }) { $line | Should -Match '^\s+->\s+10\.2\.\d\.\d+:80(\s+0){5}\s*$' }
    }

    It 'quiesces a real server with weight 0: new connections go to the other' {
        Set-LvsRealServer -VirtualService $id -Address 10.2.2.12 -Port 80 -Weight 0
        (Get-LvsRealServer -VirtualService $id | Where-Object Port -EQ 80 | Where-Object { "$($_.Address)" -eq '10.2.2.12' }).Weight | Should -Be 0
        (1..3 | ForEach-Object { Invoke-Curl 'http://10.1.0.2/' }) | Should -Be @('rs1', 'rs1', 'rs1')
    }

    It 'exports the table as ipvsadm -S writes it and imports it back' {
        $exported = Export-LvsConfiguration -Format Ipvsadm
        $exported.TrimEnd() | Should -BeExactly (Get-IpvsadmSave).TrimEnd()
        Clear-LvsVirtualService -Confirm:$false
        Get-IpvsadmSave | Should -Not -Match '-A '
        $exported | Import-LvsConfiguration
        (Get-IpvsadmSave).TrimEnd() | Should -BeExactly $exported.TrimEnd()
        Invoke-Curl 'http://10.1.0.2/' | Should -Be 'rs1'
    }

    It 'removes a real server, then the service' {
        Set-LvsRealServer -VirtualService $id -Address 10.2.2.12 -Port 80 -Weight 1
        Remove-LvsRealServer -VirtualService $id -Address 10.2.1.11 -Port 80 -Confirm:$false
        (1..2 | ForEach-Object { Invoke-Curl 'http://10.1.0.2/' }) | Should -Be @('rs2', 'rs2')
        Remove-LvsVirtualService -VirtualService $id -Confirm:$false
        Get-IpvsadmSave | Should -Not -Match '10\.1\.0\.2:80'
        Get-LvsVirtualService | Should -BeNullOrEmpty
    }
}

Describe 'The sync-daemon cmdlets on kernel IPVS write what their [OutputType] says' {
    # the kernel's connection-sync daemon (ipvsadm --start-daemon) in the director's namespace, multicast on d0
    AfterAll { Stop-LvsSyncDaemon Master -ErrorAction SilentlyContinue }

    It 'Start-LvsSyncDaemon -PassThru, Get-LvsSyncDaemon, Stop-LvsSyncDaemon' {
        Assert-OutputType Start-LvsSyncDaemon @(Start-LvsSyncDaemon -Role Master -Interface d0 -SyncId 7 -PassThru)
        $running = @(Get-LvsSyncDaemon)
        Assert-OutputType Get-LvsSyncDaemon $running
        $running.Role | Should -Be 'Master'
        $running.Interface | Should -Be 'd0'
        Assert-OutputType Stop-LvsSyncDaemon @(Stop-LvsSyncDaemon Master)
        Get-LvsSyncDaemon | Should -BeNullOrEmpty
    }
}

Describe 'The director service on kernel IPVS, through the cmdlets: it rebuilds the table after a restart and forwards' {
    BeforeAll {
        Clear-LvsVirtualService -Confirm:$false
        $folder = Join-Path ([IO.Path]::GetTempPath()) "lvsps-kpsvc-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $socket = Join-Path $folder 'director.sock'
        $service = @{ Service = $true; SocketPath = $socket; Backend = "kernel:$($Ns.Director)"; MetricsEndpoint = 'off' }
        $id = 'tcp/10.1.0.2:8080'
    }
    AfterAll {
        Stop-LvsDirector -Service -SocketPath $socket -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        Connect-LvsDirector -Kernel -NetworkNamespace $Ns.Director
        Clear-LvsVirtualService -Confirm:$false
        Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'configures kernel IPVS through the service' {
        (Start-LvsDirector @service -PassThru).Kind | Should -Be 'Service'
        New-LvsVirtualService $id -Scheduler rr | Out-Null
        Add-LvsRealServer $id -Address 10.2.1.11 -Port 80 -Forwarding Masquerade
        Add-LvsRealServer $id -Address 10.2.2.12 -Port 80 -Forwarding Masquerade -Weight 2
        Get-IpvsadmSave | Should -Match '(?m)^-a -t 10\.1\.0\.2:8080 -r 10\.2\.2\.12:80 -m -w 2$'
        (1..3 | ForEach-Object { Invoke-Curl 'http://10.1.0.2:8080/' } | Sort-Object -Unique) | Should -Be @('rs1', 'rs2')
    }

    It 'starts again on an empty kernel table and rebuilds it from its state file, then forwards' {
        Stop-LvsDirector -Service -SocketPath $socket -WarningAction SilentlyContinue
        # the kernel table outlives the service: empty it (as a reboot would), so only the state file can bring it back
        & ip netns exec $Ns.Director ipvsadm -C
        Get-IpvsadmSave | Should -Not -Match '10\.1\.0\.2:8080'

        Start-LvsDirector @service
        Get-IpvsadmSave | Should -Match '(?m)^-A -t 10\.1\.0\.2:8080 -s rr$'
        Get-IpvsadmSave | Should -Match '(?m)^-a -t 10\.1\.0\.2:8080 -r 10\.2\.2\.12:80 -m -w 2$'
        (Get-LvsVirtualService $id).RealServers.Count | Should -Be 2
        (1..3 | ForEach-Object { Invoke-Curl 'http://10.1.0.2:8080/' } | Sort-Object -Unique) | Should -Be @('rs1', 'rs2')
    }

    It 'quiesces a real server through the service: the kernel sends new connections to the other' {
        Set-LvsRealServer $id -Address 10.2.1.11 -Port 80 -Weight 0
        Get-IpvsadmSave | Should -Match '(?m)^-a -t 10\.1\.0\.2:8080 -r 10\.2\.1\.11:80 -m -w 0$'
        (1..3 | ForEach-Object { Invoke-Curl 'http://10.1.0.2:8080/' }) | Should -Be @('rs2', 'rs2', 'rs2')
    }

    It 'Set-LvsFailover -Remove stops the pair''s sync daemon and says so; one started by hand stays and is exported' {
        # the service and keepalived run in the guest's root namespace, where d0 does not exist: keepalived reports a fault
        # (no VRRP packet leaves), and a node that is not master runs the pair's sync daemon as backup, in the director's namespace
        Start-LvsSyncDaemon -Role Master -Interface d0 -SyncId 200   # the user's own, for another cluster
        $nodes = @{ Name = [Environment]::MachineName; Priority = 150; Address = '10.1.0.2' }, @{ Name = 'peer'; Priority = 100; Address = '10.1.0.3' }
        Set-LvsFailover -VirtualRouterId 61 -Interface d0 -VirtualAddresses 10.1.0.100/24 -ConnectionSync $true -Nodes $nodes -WarningAction SilentlyContinue
        Wait-Until { (Get-LvsSyncDaemon -Role Backup).SyncId -eq 61 } 'the pair''s backup sync daemon' -TimeoutSeconds 120
        # the document describes the user's daemon; the pair's is its connectionSync
        $yaml = Export-LvsConfiguration
        $yaml | Should -Match 'syncId: 200'
        $yaml | Should -Not -Match 'syncId: 61'
        # Compare with failover: null lists the pair's daemon as going with it
        $diff = @(Compare-LvsConfiguration -Text "failover: null`n" | Where-Object Target -eq 'SyncDaemon')
        $diff.Count | Should -Be 1
        ($diff[0].Action, $diff[0].RealServer, $diff[0].From) | Should -Be @('Remove', 'Backup', 'd0 syncid 61')
        Set-LvsFailover -Remove -WhatIf
        (Get-LvsSyncDaemon -Role Backup).SyncId | Should -Be 61
        $said = (Set-LvsFailover -Remove -Verbose 4>&1 | ForEach-Object { $_.ToString() }) -join "`n"
        $said | Should -Match 'stop its connection sync daemon \(Backup on d0 sync id 61\)'
        $left = @(Get-LvsSyncDaemon)
        $left.Count | Should -Be 1
        ($left[0].Role, $left[0].SyncId) | Should -Be @('Master', 200)
        Stop-LvsSyncDaemon Master
    }
}

Describe 'The DSC class resources on kernel IPVS' {
    It 'LvsRealServer manages the tunnel settings of Tunnel forwarding' {
        $module = Get-Module LvsPs
        function New-DscResource([string] $Class, [hashtable] $Properties) {
            $instance = & $module ([scriptblock]::Create("[$Class]::new()"))
            foreach ($k in $Properties.Keys) { $instance.$k = $Properties[$k] }
            $instance
        }
        $svc = 'tcp/10.1.0.2:8088'
        try {
            (New-DscResource LvsVirtualService @{ VirtualService = $svc; Scheduler = 'rr' }).Set()
            $rs = New-DscResource LvsRealServer @{
                VirtualService = $svc; Address = '10.2.1.11'; Port = 80; Forwarding = 'Tunnel'; TunnelType = 'Gue'; TunnelPort = 6080; TunnelFlags = @('Checksum')
            }
            $rs.Test() | Should -BeFalse
            $rs.Set()
            $rs.Test() | Should -BeTrue
            $got = $rs.Get()
            $got.TunnelType | Should -Be 'Gue'
            $got.TunnelPort | Should -Be 6080
            $got.TunnelFlags | Should -Be @('Checksum')
            $live = Get-LvsRealServer $svc -Address 10.2.1.11 -Port 80
            ($live.Forwarding, $live.TunnelType, $live.TunnelPort) | Should -Be @('Tunnel', 'Gue', 6080)
            # a changed tunnel port is drift, in Reasons, and Set edits it in place
            $rs.TunnelPort = 6081
            $rs.Get().Reasons.Code | Should -Contain 'LvsPs:RealServer:Change:TunnelPort'
            $rs.Set()
            (Get-LvsRealServer $svc -Address 10.2.1.11 -Port 80).TunnelPort | Should -Be 6081
        }
        finally {
            Remove-LvsVirtualService $svc -Confirm:$false -ErrorAction SilentlyContinue
        }
    }
}

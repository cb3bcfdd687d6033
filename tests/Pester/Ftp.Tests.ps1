# FTP through the managed director with the FTP helper: a real FTP server (pyftpdlib from Debian's python3-pyftpdlib)
# as two real servers on loopback, and curl as the client, in passive (EPSV and PASV) and active (EPRT and PORT) mode.
# The set-up installs what is missing with apt-get; the tests skip, saying why, only when that is impossible, and
# never in CI (CI=true), where that fails the run. The FTP servers run under a reaper (ends with this process).
BeforeAll {
    Import-Module $env:LVSPS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'LvsPs.TestHelpers.psm1') -Force

    $script:Python = '/usr/bin/python3' # Debian's interpreter, where python3-pyftpdlib installs

    function Test-PyFtpdLib {
        if (-not (Test-Path $script:Python)) { return $false }
        & $script:Python -c 'import pyftpdlib' 2>$null
        $LASTEXITCODE -eq 0
    }

    function Get-FtpToolProblem {
        # returns why the FTP tools cannot be had, or $null when they are there (installing them when possible)
        $missing = @()
        if (-not (Get-Command curl -ErrorAction Ignore)) { $missing += 'curl' }
        if (-not (Test-PyFtpdLib)) { $missing += 'python3-pyftpdlib' }
        if ($missing.Count -eq 0) { return $null }
        if (-not (Get-Command apt-get -ErrorAction Ignore)) { return "needs $($missing -join ', ') and there is no apt-get to install it" }
        $env:DEBIAN_FRONTEND = 'noninteractive'
        $log = & apt-get install -y -q @missing 2>&1
        if ($LASTEXITCODE -ne 0) {
            $null = & apt-get update -q 2>&1
            $log = & apt-get install -y -q @missing 2>&1
        }
        if ($LASTEXITCODE -ne 0) { return "apt-get could not install $($missing -join ', '): $(($log | Select-Object -Last 3) -join ' ')" }
        if (-not (Test-PyFtpdLib)) { return 'python3-pyftpdlib was installed but does not import' }
        $null
    }

    function Start-FtpServer([string] $Directory) {
        # under a reaper (ReapedProcess): the server ends with this test process, even when the runner is killed
        Import-TestBackends
        $port = Get-FreeTcpPort
        $process = [LvsPs.TestBackends.ReapedProcess]::Start($script:Python, [string[]]@('-m', 'pyftpdlib', '-i', '127.0.0.1', '-p', $port, '-d', $Directory))
        Wait-Until {
            $c = [System.Net.Sockets.TcpClient]::new()
            try { [LvsPs.TestBackends.LoopbackClient]::Connect($c.Client, [System.Net.IPEndPoint]::new([ipaddress]::Loopback, $port), 2000); $true } catch { $false } finally { $c.Dispose() }
        } "the FTP server on port $port" -TimeoutSeconds 20
        [pscustomobject]@{ Process = $process; Port = $port }
    }

    function Invoke-Curl {
        # curl with time limits; throws with curl's message when it fails
        $output = & curl --silent --show-error --connect-timeout 10 --max-time 60 @args 2>&1
        if ($LASTEXITCODE -ne 0) { throw "curl $args failed ($LASTEXITCODE): $output" }
        $output
    }

    $script:SkipReason = Get-FtpToolProblem
    # in CI every test runs: a missing tool that could not be installed fails the run instead of skipping
    if ($script:SkipReason -and $env:CI -eq 'true') { throw "CI=true and the FTP tests cannot run: $script:SkipReason" }

    function Get-FtpCounts {
        # the service's connection and byte counters, and each real server's connections
        $svc = Get-LvsVirtualService $id
        [pscustomobject]@{ Connections = $svc.Stats.Connections; BytesOut = $svc.Stats.BytesOut; PerServer = @($svc.RealServers | ForEach-Object { $_.Stats.Connections }) }
    }

    function Assert-FtpConnections($Before, [int] $PerServer) {
        # what this test alone added, whatever ran before it: a control and a data connection per session, the data
        # connection on the real server of its control connection, rr alternating the sessions between the two
        Wait-Until { (Get-LvsVirtualService $id).ActiveConnections -eq 0 } 'FTP connections to close' -TimeoutSeconds 20
        $after = Get-FtpCounts
        $after.Connections - $Before.Connections | Should -Be (2 * $PerServer)
        $after.PerServer[0] - $Before.PerServer[0] | Should -Be $PerServer
        $after.PerServer[1] - $Before.PerServer[1] | Should -Be $PerServer
        $after
    }
}

Describe 'FTP through the managed director with -Helper Ftp' {
    BeforeAll {
        if ($SkipReason) { return }
        $root = Join-Path ([System.IO.Path]::GetTempPath()) "lvsps-ftp-$PID-$(Get-Random)"
        $servers = @()
        $bigHash = $null
        foreach ($name in 'ftp-a', 'ftp-b') {
            $dir = Join-Path $root $name
            $null = New-Item -ItemType Directory -Path $dir -Force
            Set-Content -LiteralPath (Join-Path $dir "$name.txt") -Value "served by $name"
        }
        # the same 5 MiB of random bytes on both servers
        $bytes = [byte[]]::new(5MB)
        [System.Random]::new(8).NextBytes($bytes)
        foreach ($name in 'ftp-a', 'ftp-b') { [System.IO.File]::WriteAllBytes((Join-Path $root $name 'big.bin'), $bytes) }
        $bigHash = [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($bytes)).ToLowerInvariant()
        foreach ($name in 'ftp-a', 'ftp-b') { $servers += Start-FtpServer (Join-Path $root $name) }

        $vip = New-TestVip
        $port = Get-FreeTcpPort
        $id = "tcp/${vip}:$port"
        $url = "ftp://${vip}:$port"
        Start-LvsDirector
        $service = New-LvsVirtualService $id -Scheduler rr -Helper Ftp
        foreach ($s in $servers) { $service | Add-LvsRealServer -Address 127.0.0.1 -Port $s.Port -Forwarding Masquerade }

        function Get-Listing([string[]] $Mode) {
            # the file names of the root listing, through the director
            (Invoke-Curl @Mode --list-only "$url/") -split "`r?`n" | Where-Object { $_ } | Sort-Object
        }
    }
    AfterAll {
        if ($SkipReason) { return }
        Stop-LvsDirector
        foreach ($s in $servers) { $s.Process.Dispose() }
        Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction Ignore
    }
    BeforeEach {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason }
    }

    It 'has the FTP helper on the service' {
        (Get-LvsVirtualService $id).Helper | Should -Be 'Ftp'
    }

    It 'lists in passive mode with <Name>, alternating between the two real servers' -ForEach @(
        @{ Name = 'EPSV (229)'; Mode = @() }
        @{ Name = 'PASV (227)'; Mode = @('--disable-epsv') }
    ) {
        $before = Get-FtpCounts
        $first = Get-Listing $Mode
        $second = Get-Listing $Mode
        $first | Should -Contain 'big.bin'
        $second | Should -Contain 'big.bin'
        @($first) + @($second) | Where-Object { $_ -like 'ftp-*.txt' } | Sort-Object | Should -Be @('ftp-a.txt', 'ftp-b.txt')
        $null = Assert-FtpConnections $before -PerServer 2
    }

    It 'lists in active mode with <Name>, alternating between the two real servers' -ForEach @(
        @{ Name = 'EPRT'; Mode = @('--ftp-port', '127.0.0.1') }
        @{ Name = 'PORT'; Mode = @('--ftp-port', '127.0.0.1', '--disable-eprt') }
    ) {
        $before = Get-FtpCounts
        $first = Get-Listing $Mode
        $second = Get-Listing $Mode
        @($first) + @($second) | Where-Object { $_ -like 'ftp-*.txt' } | Sort-Object | Should -Be @('ftp-a.txt', 'ftp-b.txt')
        $null = Assert-FtpConnections $before -PerServer 2
    }

    It 'transfers 5 MiB intact from both real servers in <Name> mode, counted on the server that served it' -ForEach @(
        @{ Name = 'passive'; Mode = @() }
        @{ Name = 'active'; Mode = @('--ftp-port', '127.0.0.1') }
    ) {
        $before = Get-FtpCounts
        foreach ($i in 1, 2) {
            $file = Join-Path $root "download-$Name-$i.bin"
            Invoke-Curl @Mode --output $file "$url/big.bin"
            (Get-Item $file).Length | Should -Be 5MB
            (Get-FileHash -Algorithm SHA256 $file).Hash.ToLowerInvariant() | Should -Be $bigHash
        }
        $after = Assert-FtpConnections $before -PerServer 2
        # both downloads' bytes went out through the director
        $after.BytesOut - $before.BytesOut | Should -BeGreaterThan (2 * 5MB)
    }
}

Describe '-Helper on New-/Set-LvsVirtualService and Test-LvsKernelFtp' {
    BeforeAll {
        Start-LvsDirector
        $vip = New-TestVip
    }
    AfterAll { Stop-LvsDirector }

    It 'takes -Helper Ftp on a TCP service, and -Helper None turns it off' {
        $id = "tcp/${vip}:$(Get-FreeTcpPort)"
        (New-LvsVirtualService $id -Helper Ftp).Helper | Should -Be 'Ftp'
        (Set-LvsVirtualService $id -Helper None -PassThru).Helper | Should -Be 'None'
        (New-LvsVirtualService "tcp/${vip}:$(Get-FreeTcpPort)").Helper | Should -Be 'None'
    }

    It 'refuses the FTP helper on a UDP service' {
        $id = "udp/${vip}:$(Get-FreeTcpPort)"
        New-LvsVirtualService $id -Helper Ftp -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'HelperNeedsTcp,*'
        Get-LvsVirtualService | Where-Object { "$_" -eq $id } | Should -BeNullOrEmpty
    }

    It 'gives a TCP service on port 21 the FTP helper by default, as ip_vs_ftp ports=21' {
        $service = New-LvsVirtualService "tcp/${vip}:21" -ErrorVariable err -ErrorAction SilentlyContinue
        if ($err -and $err[0].FullyQualifiedErrorId -like 'VirtualPortPrivileged,*') {
            if ($env:CI -eq 'true') { throw 'CI=true runs as root: binding port 21 must work there' }
            Set-ItResult -Skipped -Because 'binding port 21 needs root or CAP_NET_BIND_SERVICE here (the default itself is unit-tested in ApplicationHelperTests)'
            return
        }
        $service.Helper | Should -Be 'Ftp'
    }

    It 'says what the kernel lacks for FTP, from a fabricated /proc and /sys' {
        $root = Join-Path ([System.IO.Path]::GetTempPath()) "lvsps-kftp-$PID-$(Get-Random)"
        $null = New-Item -ItemType Directory -Path (Join-Path $root 'proc') -Force
        Set-Content -LiteralPath (Join-Path $root 'proc/modules') -Value 'ip_vs 176128 0 - Live 0x0'
        try {
            $id = "tcp/${vip}:$(Get-FreeTcpPort)"
            $null = New-LvsVirtualService $id -Helper Ftp -Persistent
            $findings = Test-LvsKernelFtp $id -Root $root -WarningVariable warnings -WarningAction SilentlyContinue
            $findings.Id | Should -Be @('FtpModuleNotLoaded')
            $findings[0].Severity | Should -Be 'Error'
            $warnings[0] | Should -BeLike '*modprobe ip_vs_ftp ports=*'

            $null = New-Item -ItemType Directory -Path (Join-Path $root 'sys/module/ip_vs_ftp/parameters') -Force
            Set-Content -LiteralPath (Join-Path $root 'sys/module/ip_vs_ftp/parameters/ports') -Value ($id -replace '.*:', '')
            Test-LvsKernelFtp $id -Root $root | Should -BeNullOrEmpty
        }
        finally { Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction Ignore }
    }
}

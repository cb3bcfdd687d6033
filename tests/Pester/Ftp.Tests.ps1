# FTP through the managed director with the FTP helper: a real FTP server (pyftpdlib from Debian's python3-pyftpdlib)
# as two real servers on loopback, and curl as the client, in passive (EPSV and PASV) and active (EPRT and PORT) mode.
# The set-up installs what is missing with apt-get; the tests skip, saying why, only when that is impossible.
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

    function Start-FtpServer([string] $Directory, [string] $LogPath) {
        $port = Get-FreeTcpPort
        $process = Start-Process -FilePath $script:Python -PassThru -RedirectStandardError $LogPath -RedirectStandardOutput "$LogPath.out" `
            -ArgumentList '-m', 'pyftpdlib', '-i', '127.0.0.1', '-p', $port, '-d', $Directory
        Wait-Until {
            $c = [System.Net.Sockets.TcpClient]::new()
            try { $c.Connect('127.0.0.1', $port); $true } catch { $false } finally { $c.Dispose() }
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
        foreach ($name in 'ftp-a', 'ftp-b') { $servers += Start-FtpServer (Join-Path $root $name) (Join-Path $root "$name.log") }

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
        foreach ($s in $servers) { if (-not $s.Process.HasExited) { Stop-Process -Id $s.Process.Id -Force -ErrorAction Ignore } }
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
        $first = Get-Listing $Mode
        $second = Get-Listing $Mode
        $first | Should -Contain 'big.bin'
        $second | Should -Contain 'big.bin'
        @($first) + @($second) | Where-Object { $_ -like 'ftp-*.txt' } | Sort-Object | Should -Be @('ftp-a.txt', 'ftp-b.txt')
    }

    It 'lists in active mode with <Name>, alternating between the two real servers' -ForEach @(
        @{ Name = 'EPRT'; Mode = @('--ftp-port', '127.0.0.1') }
        @{ Name = 'PORT'; Mode = @('--ftp-port', '127.0.0.1', '--disable-eprt') }
    ) {
        $first = Get-Listing $Mode
        $second = Get-Listing $Mode
        @($first) + @($second) | Where-Object { $_ -like 'ftp-*.txt' } | Sort-Object | Should -Be @('ftp-a.txt', 'ftp-b.txt')
    }

    It 'transfers 5 MiB intact from both real servers in <Name> mode' -ForEach @(
        @{ Name = 'passive'; Mode = @() }
        @{ Name = 'active'; Mode = @('--ftp-port', '127.0.0.1') }
    ) {
        foreach ($i in 1, 2) {
            $file = Join-Path $root "download-$Name-$i.bin"
            Invoke-Curl @Mode --output $file "$url/big.bin"
            (Get-Item $file).Length | Should -Be 5MB
            (Get-FileHash -Algorithm SHA256 $file).Hash.ToLowerInvariant() | Should -Be $bigHash
        }
    }

    It 'counts control and data connections on the real server that served them' {
        Wait-Until { (Get-LvsVirtualService $id).ActiveConnections -eq 0 } 'FTP connections to close' -TimeoutSeconds 20
        $svc = Get-LvsVirtualService $id
        # 8 listings and 4 downloads: 12 control connections and 12 data connections, half on each real server
        $svc.Stats.Connections | Should -Be 24
        $svc.RealServers.Stats.Connections | Should -Be @(12, 12)
        # both directions of the downloads are counted: at least 4 x 5 MiB out
        $svc.Stats.BytesOut | Should -BeGreaterThan (4 * 5MB)
    }
}

# Transparent mode in network namespaces the test makes and always removes: a client, a director running the module
# with -Transparent, and a real server (a real nginx that logs the peer address it saw) whose default route is the
# director, as LVS-NAT requires. The director's policy routing is set by examples/transparent-routing.sh. Needs root;
# in CI (CI=true) a missing requirement fails the test instead of skipping it.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LvsPs.TestHelpers.psm1') -Force
    $script:Tag = '{0:x4}' -f (Get-Random -Maximum 65535)
    $script:Ns = @{ Client = "lvtpc$Tag"; Director = "lvtpd$Tag"; Real = "lvtpr$Tag" }
    $script:Dir = Join-Path ([IO.Path]::GetTempPath()) "lvsps-transparent-$Tag"
    $script:Routing = Join-Path $PSScriptRoot '../../examples/transparent-routing.sh' | Resolve-Path

    function Invoke-Ip { $out = & ip @args 2>&1; if ($LASTEXITCODE -ne 0) { throw "ip $args failed: $out" } }
    function Invoke-In([string] $Ns) {
        $out = & ip netns exec $Ns @args 2>&1
        if ($LASTEXITCODE -ne 0) { throw "[$Ns] $args failed ($LASTEXITCODE): $out" }
        "$out"
    }

    $script:SkipReason = if ([Environment]::UserName -ne 'root') { 'needs root (network namespaces, IP_TRANSPARENT)' }
        elseif (-not (Get-Command ip -ErrorAction Ignore)) { 'needs iproute2' }
        elseif (-not (Test-Path /usr/sbin/nginx)) {
            $null = & apt-get install -y -q --no-install-recommends nginx-light 2>&1
            if (-not (Test-Path /usr/sbin/nginx)) { 'needs nginx (apt-get install nginx-light failed)' }
        }
    if ($SkipReason -and $env:CI -eq 'true') { throw "Transparent mode test cannot run in CI: $SkipReason" }
    if ($SkipReason) { return }

    $null = New-Item -ItemType Directory -Path $script:Dir
    $c, $d, $r = $Ns.Client, $Ns.Director, $Ns.Real
    foreach ($n in $c, $d, $r) { Invoke-Ip netns add $n; Invoke-In $n ip link set lo up | Out-Null }
    Invoke-Ip link add "c$Tag" type veth peer name "dc$Tag"
    Invoke-Ip link set "c$Tag" netns $c
    Invoke-Ip link set "dc$Tag" netns $d
    Invoke-Ip link add "r$Tag" type veth peer name "dr$Tag"
    Invoke-Ip link set "r$Tag" netns $r
    Invoke-Ip link set "dr$Tag" netns $d
    Invoke-In $c ip addr add 10.231.1.2/24 dev "c$Tag" | Out-Null
    Invoke-In $c ip link set "c$Tag" up | Out-Null
    Invoke-In $c ip route add default via 10.231.1.1 | Out-Null
    Invoke-In $d ip addr add 10.231.1.1/24 dev "dc$Tag" | Out-Null
    Invoke-In $d ip addr add 10.231.2.1/24 dev "dr$Tag" | Out-Null
    Invoke-In $d ip link set "dc$Tag" up | Out-Null
    Invoke-In $d ip link set "dr$Tag" up | Out-Null
    Invoke-In $d sysctl -qw net.ipv4.ip_forward=1 | Out-Null
    Invoke-In $r ip addr add 10.231.2.2/24 dev "r$Tag" | Out-Null
    Invoke-In $r ip link set "r$Tag" up | Out-Null
    Invoke-In $r ip route add default via 10.231.2.1 | Out-Null
    # the routing transparent mode needs, as the example script sets it
    Invoke-In $d sh $script:Routing add 10.231.2.2 8080 231 | Out-Null

    # the real server: nginx answers and logs the peer address it saw
    Set-Content (Join-Path $Dir 'nginx.conf') @"
user root root;
daemon off;
master_process off;
pid $Dir/nginx.pid;
error_log $Dir/error.log warn;
events { worker_connections 64; }
http {
    log_format peer '`$remote_addr:`$remote_port';
    access_log $Dir/access.log peer;
    client_body_temp_path $Dir/body; proxy_temp_path $Dir/proxy; fastcgi_temp_path $Dir/fcgi; uwsgi_temp_path $Dir/uwsgi; scgi_temp_path $Dir/scgi;
    server { listen 10.231.2.2:8080; return 200 "seen=`$remote_addr:`$remote_port\n"; }
}
"@
    $script:Nginx = Start-Process ip -PassThru -ArgumentList 'netns', 'exec', $r, '/usr/sbin/nginx', '-p', $Dir, '-c', "$Dir/nginx.conf", '-e', "$Dir/error.log" `
        -RedirectStandardError "$Dir/nginx.err" -RedirectStandardOutput "$Dir/nginx.out"

    # the director: the module in its own pwsh inside the director's namespace, until the stop file appears
    Set-Content (Join-Path $Dir 'director.ps1') @"
Import-Module '$env:LVSPS_MODULE'
New-LvsVirtualService tcp/10.231.1.1:80 -Scheduler rr -Transparent | Out-Null
Add-LvsRealServer tcp/10.231.1.1:80 10.231.2.2 -Port 8080
New-LvsVirtualService tcp/10.231.1.1:81 -Scheduler rr | Out-Null
Add-LvsRealServer tcp/10.231.1.1:81 10.231.2.2 -Port 8080
Get-LvsVirtualService | Out-String -Width 200 | Set-Content '$Dir/listing.txt'
Set-Content '$Dir/ready' 'ready'
`$deadline = [DateTime]::UtcNow.AddMinutes(5)
while (-not (Test-Path '$Dir/stop') -and [DateTime]::UtcNow -lt `$deadline) { Start-Sleep -Milliseconds 100 }
Get-LvsConnection | Out-String -Width 200 | Set-Content '$Dir/connections.txt'
Stop-LvsDirector
"@
    $script:DirectorProcess = Start-Process ip -PassThru -ArgumentList 'netns', 'exec', $d, 'dotnet', (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-File', "$Dir/director.ps1" `
        -RedirectStandardError "$Dir/director.err" -RedirectStandardOutput "$Dir/director.out"
    Wait-Until { Test-Path "$Dir/ready" } 'the director in its namespace' -TimeoutSeconds 90
    Wait-Until { & ip netns exec $r curl -s -o /dev/null --max-time 2 http://10.231.2.2:8080/ 2>$null; $LASTEXITCODE -eq 0 } 'nginx in the real server''s namespace' -TimeoutSeconds 30
}

AfterAll {
    if ($SkipReason) { return }
    Set-Content "$Dir/stop" 'stop' -ErrorAction SilentlyContinue
    if ($script:DirectorProcess) { $null = $script:DirectorProcess.WaitForExit(30000); if (-not $script:DirectorProcess.HasExited) { $script:DirectorProcess.Kill($true) } }
    if ($script:Nginx -and -not $script:Nginx.HasExited) { $script:Nginx.Kill($true) }
    foreach ($n in $Ns.Values) { & ip netns del $n 2>$null } # the veth pairs go with them
    Remove-Item $Dir -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Transparent mode (-Transparent) in network namespaces' {
    It 'connects to the real server from the client''s own address and port, which nginx logs' -Skip:([bool]$SkipReason) {
        $seen = Invoke-In $Ns.Client curl -sS --max-time 20 --retry 3 --retry-connrefused --local-port 45678 http://10.231.1.1:80/
        $seen.Trim() | Should -Be 'seen=10.231.1.2:45678'
        Get-Content "$Dir/access.log" | Should -Contain '10.231.1.2:45678'
    }

    It 'without -Transparent the real server sees the director' -Skip:([bool]$SkipReason) {
        $seen = Invoke-In $Ns.Client curl -sS --max-time 20 --retry 3 --retry-connrefused http://10.231.1.1:81/
        $seen.Trim() | Should -Match '^seen=10\.231\.2\.1:\d+$'
    }

    It 'the listing says what the real servers see' -Skip:([bool]$SkipReason) {
        Get-Content "$Dir/listing.txt" -Raw | Should -Match 'real servers see: client address \(transparent\)'
    }
}

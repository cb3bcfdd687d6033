# The director service's status page in a real browser: headless Chromium (Debian's package) opens the page while
# real traffic flows through the service, the numbers the page shows are compared with Get-LvsStats, and a quiesce
# from the page reaches the director only when changes are turned on and the token is right. A screenshot of the page
# is kept in the test results (status-page.png).
BeforeAll {
    Import-Module $env:LVSPS_MODULE -Force
    Import-Module (Join-Path $PSScriptRoot 'LvsPs.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Chromium.psm1') -Force
    Import-TestBackends

    $chromiumPath = Get-ChromiumPath # throws under CI=true when it is missing and cannot be installed
    $folder = Join-Path ([IO.Path]::GetTempPath()) "lvsps-status-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $socket = Join-Path $folder 'director.sock'
    $tokenPath = Join-Path $folder 'status.token'
    $metricsPort = Get-FreeTcpPort
    $statusPort = Get-FreeTcpPort
    $base = "http://127.0.0.1:$statusPort"
    $results = Join-Path (Split-Path (Split-Path $env:LVSPS_MODULE)) 'test-results'
    $null = New-Item -ItemType Directory -Path $results -Force

    $web1 = [LvsPs.TestBackends.HttpBackend]::Start('web1', '127.0.0.1', 0)
    $web2 = [LvsPs.TestBackends.HttpBackend]::Start('web2', '127.0.0.1', 0)
    $vip = New-TestVip
    $port = Get-FreeTcpPort
    $id = "tcp/${vip}:$port"
    $rs1 = "127.0.0.1:$($web1.Port)"
    $rs2 = "127.0.0.1:$($web2.Port)"

    Start-LvsDirector -Service -SocketPath $socket -MetricsEndpoint "127.0.0.1:$metricsPort" -StatusPage "127.0.0.1:$statusPort" -StatusPageActions
    New-LvsVirtualService $id -Scheduler wrr | Add-LvsRealServer -Address 127.0.0.1 -Port $web1.Port -Weight 3
    Add-LvsRealServer $id -Address 127.0.0.1 -Port $web2.Port -Weight 1

    if ($chromiumPath) { $browser = Start-Chromium -Path $chromiumPath }

    function Read-ShownNumbers {
        # what the page shows, after it polled once more: for each row (service total or real server), the text of
        # every number cell, read back as a number
        $rows = Invoke-PageScript $browser @'
(async () => {
  await window.lvsStatus.refresh();
  return [...document.querySelectorAll('tr[data-key]')].map(tr => ({
    key: tr.dataset.key,
    cells: Object.fromEntries([...tr.querySelectorAll('td.num[data-field]')].map(td => [td.dataset.field, td.textContent]))
  }));
})()
'@
        $shown = @{}
        foreach ($row in $rows) {
            $numbers = [ordered]@{}
            foreach ($p in $row.cells.PSObject.Properties | Sort-Object Name) {
                if ($p.Value -notmatch '^[0-9,]+$') { throw "the page shows '$($p.Value)' for $($p.Name) of $($row.key), which is not a number" }
                $numbers[$p.Name] = [decimal]($p.Value -replace ',', '')
            }
            $shown[$row.key] = $numbers
        }
        $shown
    }

    function Read-DirectorNumbers {
        # the same rows from the cmdlets: Get-LvsStats (-Rate is the same object) and Get-LvsRealServer
        $numbers = @{}
        $servers = @{}
        foreach ($r in Get-LvsRealServer $id) { $servers["$id $($r.Id)"] = $r }
        foreach ($s in Get-LvsStats $id) {
            $key = if ($s.Scope -eq 'VirtualService') { "$id" } else { "$id $($s.RealServer)" }
            $row = [ordered]@{
                active = 0; conns = $s.Connections; cps = $s.ConnectionsPerSecond; inactive = 0
                inBps = $s.BytesInPerSecond; inBytes = $s.BytesIn; inPkts = $s.PacketsIn; inPps = $s.PacketsInPerSecond
                outBps = $s.BytesOutPerSecond; outBytes = $s.BytesOut; outPkts = $s.PacketsOut; outPps = $s.PacketsOutPerSecond
            }
            if ($servers.ContainsKey($key)) {
                $row.active = $servers[$key].ActiveConnections
                $row.inactive = $servers[$key].InactiveConnections
                $row.weight = $servers[$key].Weight
            }
            else {
                $all = Get-LvsVirtualService $id
                $row.active = $all.ActiveConnections
                $row.inactive = $all.InactiveConnections
            }
            $sorted = [ordered]@{}
            foreach ($k in $row.Keys | Sort-Object) { $sorted[$k] = [decimal]$row[$k] }
            $numbers[$key] = $sorted
        }
        $numbers
    }

    function ConvertTo-Text($table) {
        ($table.Keys | Sort-Object | ForEach-Object { "$_ : " + (($table[$_].GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join ' ') }) -join "`n"
    }

    function Invoke-PageAction([string] $RealServer, [string] $Action) {
        # clicks the real server's button and then the confirmation dialog's, as a person would; returns the dialog's text
        Invoke-PageScript $browser @"
(async () => {
  const row = document.querySelector('tr[data-key="$id $RealServer"]');
  row.querySelector('button[data-action="$Action"]').click();
  const dialog = document.getElementById('confirm');
  if (!dialog.open) return 'no confirmation';
  const text = document.getElementById('confirm-text').textContent;
  document.getElementById('confirm-ok').click();
  for (let i = 0; i < 100 && dialog.open && document.getElementById('confirm-error').hidden; i++) await new Promise(r => setTimeout(r, 50));
  return dialog.open ? 'refused: ' + document.getElementById('confirm-error').textContent : 'done: ' + text;
})()
"@
    }

    function Set-PageToken([string] $Token) {
        Invoke-PageScript $browser @"
(async () => {
  if (sessionStorage.getItem('lvsps-status-token')) document.getElementById('unlock').click(); // lock first
  document.getElementById('unlock').click();
  document.getElementById('token-input').value = '$Token';
  document.getElementById('token-ok').click();
  await window.lvsStatus.refresh();
  return document.getElementById('mode').textContent;
})()
"@
    }

    function Send-Action([hashtable] $Headers, [string] $Body, [string] $Method = 'POST', [string] $Url = "$base/status/action") {
        $r = Invoke-WebRequest $Url -Method $Method -Headers $Headers -Body $Body -SkipHttpErrorCheck
        $r.StatusCode
    }
}
AfterAll {
    # each step runs even when one before it fails: no browser or service is left behind
    try { if ($traffic) { $traffic.Dispose() } }
    finally {
        try { Stop-Chromium $browser }
        finally {
            try { Stop-LvsDirector -Service -SocketPath $socket }
            finally {
                Disconnect-LvsDirector
                $web1.Dispose()
                $web2.Dispose()
                Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
            }
        }
    }
}

Describe 'Director service status page' {
    BeforeEach {
        if (-not $chromiumPath) { Set-ItResult -Skipped -Because 'chromium is not installed and could not be installed here (under CI=true this fails)' }
    }

    It 'serves a self-contained page: everything from the service, nothing fetched from elsewhere' {
        $page = Invoke-WebRequest "$base/status"
        $page.Headers['Content-Type'] | Should -Match '^text/html'
        $page.Headers['Content-Security-Policy'] | Should -Match "default-src 'none'"
        $page.Content | Should -Not -Match '(src|href)="(https?:)?//'
        (Invoke-WebRequest "$base/status/status.js").Content | Should -Not -Match 'https?://(?!www\.w3\.org/2000/svg)'
        (Invoke-WebRequest "$base/").StatusCode | Should -Be 200 # redirected to /status
        (Invoke-WebRequest "$base/status/state" -SkipHttpErrorCheck -Method Post).StatusCode | Should -Be 405
    }

    It 'shows live numbers while traffic flows, and they are the numbers Get-LvsStats gives' {
        $script:traffic = [LvsPs.TestBackends.TrafficLoop]::Start($vip, $port, 3000, 20)
        Wait-Until { $traffic.Sent -ge 40 } 'traffic through the service' 60
        Open-Page $browser "$base/status"
        Wait-Until { (Invoke-PageScript $browser "document.querySelectorAll('tr[data-key]').length") -eq 3 } 'the page to list the service and its two real servers' 30
        $first = (Read-ShownNumbers)["$id"].conns
        $first | Should -BeGreaterThan 0
        # the page updates itself (no reload): it shows more connections as more arrive
        Wait-Until { [decimal]((Invoke-PageScript $browser "document.querySelector('tr[data-key=""$id""] [data-field=conns]').textContent") -replace ',', '') -gt $first } 'the page to show new connections without a reload' 30
        Wait-Until { (Invoke-PageScript $browser "document.querySelector('tr[data-key=""$id""] [data-field=cps]').textContent") -ne '0' } 'a connection rate on the page' 30
        Start-Sleep -Seconds 3 # a chart with a few points for the screenshot
        Save-PageScreenshot $browser (Join-Path $results 'status-page.png')
        (Get-Item (Join-Path $results 'status-page.png')).Length | Should -BeGreaterThan 10000
        $traffic.Dispose()
        $traffic.Failed | Should -Be 0

        # totals settle once traffic stops; rates change every two seconds: compare until both reads agree (bounded)
        $shown = $null; $director = $null
        for ($i = 0; $i -lt 40; $i++) {
            $shown = ConvertTo-Text (Read-ShownNumbers)
            $director = ConvertTo-Text (Read-DirectorNumbers)
            if ($shown -eq $director) { break }
            Start-Sleep -Milliseconds 300
        }
        $shown | Should -Be $director
        $shown | Should -Match "conns=[1-9]" # the comparison was about real traffic, not zeros
    }

    It 'quiesces and restores a real server from the page when unlocked; the change reaches the director' {
        Set-PageToken (Get-Content $tokenPath -Raw).Trim() | Should -Be 'changes unlocked'
        Invoke-PageAction $rs1 'quiesce' | Should -BeLike "done: Quiesce $rs1 in $id*weight 3 → 0*"
        (Get-LvsRealServer $id -Address 127.0.0.1 -Port $web1.Port).Weight | Should -Be 0
        Wait-Until { (Invoke-PageScript $browser "document.querySelector('tr[data-key=""$id $rs1""] [data-field=weight]').textContent") -eq '0' } 'the page to show weight 0' 30
        Invoke-PageAction $rs1 'restore' | Should -BeLike 'done: Restore*'
        (Get-LvsRealServer $id -Address 127.0.0.1 -Port $web1.Port).Weight | Should -Be 3 # the weight it had before
    }

    It 'refuses a quiesce from the page with a wrong token, and requests that a cross-site page could send' {
        Set-PageToken 'not-the-token-at-all' | Should -Be 'changes unlocked'
        Invoke-PageAction $rs2 'quiesce' | Should -BeLike 'refused: *token*'
        (Get-LvsRealServer $id -Address 127.0.0.1 -Port $web2.Port).Weight | Should -Be 1

        $token = (Get-Content $tokenPath -Raw).Trim()
        $body = @{ action = 'quiesce'; virtualService = $id; realServer = $rs2 } | ConvertTo-Json
        Send-Action @{ 'Content-Type' = 'application/json' } $body | Should -Be 401                                     # no token
        Send-Action @{ 'Content-Type' = 'text/plain'; Authorization = "Bearer $token" } $body | Should -Be 415           # a form's content type
        Send-Action @{ 'Content-Type' = 'application/json'; Authorization = "Bearer $token"; Origin = 'http://evil.example' } $body | Should -Be 403
        Send-Action @{ Authorization = "Bearer $token" } '' 'GET' | Should -Be 405                                        # never a change on GET
        (Get-LvsRealServer $id -Address 127.0.0.1 -Port $web2.Port).Weight | Should -Be 1
        ([IO.File]::GetUnixFileMode($tokenPath)) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
    }

    It 'drains a real server from the page: weight 0, then removed once it has no active connections' {
        Set-PageToken (Get-Content $tokenPath -Raw).Trim() | Should -Be 'changes unlocked'
        Invoke-PageAction $rs2 'drain' | Should -BeLike "done: Drain $rs2 in $id*weight 1 → 0*"
        Wait-Until { -not (Get-LvsRealServer $id | Where-Object { $_.Id.ToString() -eq $rs2 }) } 'the drained real server to be removed' 30
        Wait-Until { -not (Invoke-PageScript $browser "document.querySelector('tr[data-key=""$id $rs2""]') !== null") } 'the page to drop the drained real server' 30
        Add-LvsRealServer $id -Address 127.0.0.1 -Port $web2.Port -Weight 1 # back for the next test
    }

    It 'is read-only, on the metrics endpoint, when changes are not turned on' {
        $token = (Get-Content $tokenPath -Raw).Trim()
        Stop-LvsDirector -Service -SocketPath $socket
        Start-LvsDirector -Service -SocketPath $socket -MetricsEndpoint "127.0.0.1:$metricsPort" -StatusPage On
        Open-Page $browser "http://127.0.0.1:$metricsPort/status"
        Wait-Until { (Invoke-PageScript $browser "document.querySelectorAll('tr[data-key]').length") -eq 3 } 'the page on the metrics endpoint' 30
        Invoke-PageScript $browser "document.getElementById('mode').textContent" | Should -Be 'read-only'
        Invoke-PageScript $browser "document.querySelectorAll('button[data-action]').length" | Should -Be 0
        $body = @{ action = 'quiesce'; virtualService = $id; realServer = $rs2 } | ConvertTo-Json
        Send-Action @{ 'Content-Type' = 'application/json'; Authorization = "Bearer $token" } $body 'POST' "http://127.0.0.1:$metricsPort/status/action" | Should -Be 403
        (Get-LvsRealServer $id -Address 127.0.0.1 -Port $web2.Port).Weight | Should -Be 1
        (Invoke-WebRequest "http://127.0.0.1:$metricsPort/metrics").Content | Should -Match 'lvsps_real_server_weight'
    }

    It 'has a Grafana dashboard that queries only metrics the service exports, and the docs name each of them' {
        $exported = [regex]::Matches((Invoke-WebRequest "http://127.0.0.1:$metricsPort/metrics").Content, '(?m)^# TYPE (\S+)') | ForEach-Object { $_.Groups[1].Value }
        $dashboard = Get-Content (Join-Path $PSScriptRoot '..' '..' 'examples' 'grafana-lvsps-director.json') -Raw
        $null = $dashboard | ConvertFrom-Json -Depth 64 # valid JSON
        $queried = [regex]::Matches($dashboard, 'lvsps_[a-z_]+') | ForEach-Object Value | Sort-Object -Unique
        $queried.Count | Should -BeGreaterThan 8
        $queried | Where-Object { $_ -notin $exported } | Should -BeNullOrEmpty
        # docs/director-service.md names each family in full, or as `_suffix` after the first of its group
        $docs = Get-Content (Join-Path $PSScriptRoot '..' '..' 'docs' 'director-service.md') -Raw
        $exported | Where-Object { $docs -notmatch [regex]::Escape($_) -and $docs -notmatch ('`' + [regex]::Escape(($_ -replace '^lvsps_(virtual_service|real_server)', '')) + '`') } | Should -BeNullOrEmpty
    }
}

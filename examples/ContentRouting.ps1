# Content routing with the managed engine on loopback, end to end: two groups of real HTTP servers (the module's own
# test backends are not needed; python3's http.server stands in), Host rules, a preview, a request per group with
# curl, the listing and the per-group counters. Run from the repository after: dotnet pwsh ./build.ps1 build
#   dotnet pwsh ./examples/ContentRouting.ps1
Import-Module (Join-Path $PSScriptRoot '../out/LvsPs/LvsPs.psd1')

$vip = '127.0.0.80'; $port = 18080
$logs = (New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "lvsps-example-$PID")).FullName
$servers = foreach ($p in 18181, 18182) {
    Start-Process python3 -ArgumentList '-m', 'http.server', $p, '--bind', '127.0.0.1' -PassThru `
        -RedirectStandardOutput "$logs/$p.out" -RedirectStandardError "$logs/$p.err"
}
try {
    Start-Sleep -Seconds 1
    New-LvsVirtualService "tcp/${vip}:$port" -Scheduler rr | Out-Null
    Add-LvsRealServer "tcp/${vip}:$port" 127.0.0.1 -Port 18181 -Group api
    Add-LvsRealServer "tcp/${vip}:$port" 127.0.0.1 -Port 18182 -Group web
    New-LvsContentRule "tcp/${vip}:$port" -Match Host -Pattern api.example.com -Group api
    Set-LvsVirtualService "tcp/${vip}:$port" -DefaultGroup web -SendProxy None

    # where would these go? nothing is changed by a preview
    Test-LvsScheduling "tcp/${vip}:$port" -ClientAddress 203.0.113.7 -HttpHost api.example.com | Format-Table Group, Rule, RealServer
    Test-LvsScheduling "tcp/${vip}:$port" -ClientAddress 203.0.113.7 -HttpHost www.example.com | Format-Table Group, Rule, RealServer

    foreach ($h in 'api.example.com', 'www.example.com', 'api.example.com') {
        curl -s -o /dev/null -w "$h -> HTTP %{http_code}`n" -H "Host: $h" "http://${vip}:$port/"
    }
    Get-LvsVirtualService "tcp/${vip}:$port" | Out-Host
    Get-LvsStats "tcp/${vip}:$port" | Out-Host   # a row per group before its real servers
}
finally {
    Stop-LvsDirector
    $servers | Stop-Process -ErrorAction SilentlyContinue
    Remove-Item $logs -Recurse -Force -ErrorAction SilentlyContinue
}

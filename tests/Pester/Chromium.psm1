# Headless Chromium for the Pester suite, driven over the DevTools protocol (CDP): a browser process with a fresh
# profile, one page, and a small WebSocket client that sends commands and waits (bounded) for their answers.
# CDP: https://chromedevtools.github.io/devtools-protocol/ (Page.navigate, Runtime.evaluate, Page.captureScreenshot;
# with --remote-debugging-port=0 the browser writes its port to DevToolsActivePort in the profile folder).

function Get-ChromiumPath {
    <# The chromium binary from Debian's package, installed when missing (as tests/Kernel/vm.sh installs qemu).
       Returns $null when it is missing and cannot be installed; under CI=true that is an error instead. #>
    $found = Get-Command chromium -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $found -and (Get-Command apt-get -ErrorAction SilentlyContinue) -and (& id -u) -eq '0') {
        Write-Host 'installing chromium (Debian package) for the status page test'
        $env:DEBIAN_FRONTEND = 'noninteractive'
        & apt-get install -y -q --no-install-recommends chromium *>&1 | Out-Null
        if ($LASTEXITCODE -ne 0) { & apt-get update -q *>&1 | Out-Null; & apt-get install -y -q --no-install-recommends chromium *>&1 | Out-Null }
        $found = Get-Command chromium -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    }
    if ($found) { return $found.Source }
    if ($env:CI -eq 'true') { throw 'chromium is missing and could not be installed (apt-get install chromium, as root); CI needs it for the status page test.' }
    $null
}

function Start-Chromium {
    <# Starts headless Chromium with a fresh profile and returns a session object with its page's WebSocket. #>
    param([Parameter(Mandatory)] [string] $Path, [int] $Width = 1400, [int] $Height = 1000)
    $profileDir = Join-Path ([IO.Path]::GetTempPath()) "lvsps-chromium-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $null = New-Item -ItemType Directory -Path $profileDir
    $arguments = @('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--remote-debugging-port=0', '--remote-debugging-address=127.0.0.1',
        "--user-data-dir=$profileDir", "--window-size=$Width,$Height", 'about:blank')
    $psi = [Diagnostics.ProcessStartInfo]::new($Path)
    foreach ($a in $arguments) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardError = $true
    $psi.RedirectStandardOutput = $true
    $psi.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($psi)
    $process.BeginErrorReadLine()
    $process.BeginOutputReadLine()
    $session = [pscustomobject]@{ Process = $process; Profile = $profileDir; Socket = $null; NextId = 0 }
    try {
        $portFile = Join-Path $profileDir 'DevToolsActivePort'
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not ((Test-Path $portFile) -and (Get-Content $portFile -ErrorAction SilentlyContinue | Select-Object -First 1))) {
            if ($process.HasExited) { throw "chromium exited with $($process.ExitCode) before it opened its DevTools port." }
            if ([DateTime]::UtcNow -gt $deadline) { throw 'chromium did not open its DevTools port within 60 s.' }
            Start-Sleep -Milliseconds 100
        }
        $port = [int](Get-Content $portFile | Select-Object -First 1)
        # the first page (about:blank) is listed a moment after the port opens
        while (-not ($page = @(Invoke-RestMethod "http://127.0.0.1:$port/json/list" -TimeoutSec 30) | ForEach-Object { $_ } | Where-Object type -EQ 'page' | Select-Object -First 1)) {
            if ([DateTime]::UtcNow -gt $deadline) { throw 'chromium has no page target after 60 s.' }
            Start-Sleep -Milliseconds 100
        }
        $socket = [Net.WebSockets.ClientWebSocket]::new()
        $socket.Options.KeepAliveInterval = [TimeSpan]::Zero
        $cts = [Threading.CancellationTokenSource]::new([TimeSpan]::FromSeconds(30))
        $null = $socket.ConnectAsync([uri] $page.webSocketDebuggerUrl, $cts.Token).GetAwaiter().GetResult()
        $session.Socket = $socket
        $null = Invoke-Cdp $session 'Page.enable'
        $null = Invoke-Cdp $session 'Emulation.setDeviceMetricsOverride' @{ width = $Width; height = $Height; deviceScaleFactor = 1; mobile = $false }
        $session
    }
    catch {
        Stop-Chromium $session
        throw
    }
}

function Invoke-Cdp {
    <# Sends one CDP command and returns its result; events that arrive meanwhile are skipped. #>
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [string] $Method, [hashtable] $Params = @{}, [int] $TimeoutSeconds = 30)
    $id = ++$Session.NextId
    $message = @{ id = $id; method = $Method; params = $Params } | ConvertTo-Json -Depth 10 -Compress
    $cts = [Threading.CancellationTokenSource]::new([TimeSpan]::FromSeconds($TimeoutSeconds))
    $bytes = [Text.Encoding]::UTF8.GetBytes($message)
    $null = $Session.Socket.SendAsync([ArraySegment[byte]]::new($bytes), [Net.WebSockets.WebSocketMessageType]::Text, $true, $cts.Token).GetAwaiter().GetResult()
    $buffer = [byte[]]::new(1MB)
    while ($true) {
        $stream = [IO.MemoryStream]::new()
        do {
            $r = $Session.Socket.ReceiveAsync([ArraySegment[byte]]::new($buffer), $cts.Token).GetAwaiter().GetResult()
            if ($r.MessageType -eq [Net.WebSockets.WebSocketMessageType]::Close) { throw 'chromium closed the DevTools connection.' }
            $stream.Write($buffer, 0, $r.Count)
            if ($stream.Length -gt 64MB) { throw 'a DevTools message is larger than 64 MiB.' }
        } until ($r.EndOfMessage)
        $answer = [Text.Encoding]::UTF8.GetString($stream.ToArray()) | ConvertFrom-Json -Depth 64
        if ($answer.id -eq $id) {
            if ($answer.error) { throw "CDP $Method failed: $($answer.error.message)" }
            return $answer.result
        }
    }
}

function Invoke-PageScript {
    <# Evaluates a JavaScript expression in the page (awaiting a promise) and returns its value. #>
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [string] $Expression)
    $result = Invoke-Cdp $Session 'Runtime.evaluate' @{ expression = $Expression; awaitPromise = $true; returnByValue = $true }
    if ($result.exceptionDetails) { throw "page script failed: $($result.exceptionDetails.exception.description ?? $result.exceptionDetails.text)" }
    $result.result.value
}

function Open-Page {
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [string] $Url)
    $null = Invoke-Cdp $Session 'Page.navigate' @{ url = $Url }
}

function Save-PageScreenshot {
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [string] $Path)
    $shot = Invoke-Cdp $Session 'Page.captureScreenshot' @{ format = 'png'; captureBeyondViewport = $true }
    [IO.File]::WriteAllBytes($Path, [Convert]::FromBase64String($shot.data))
}

function Stop-Chromium {
    param($Session)
    if (-not $Session) { return }
    if ($Session.Socket) { $Session.Socket.Dispose() }
    if ($Session.Process -and -not $Session.Process.HasExited) {
        $Session.Process.Kill($true)
        $null = $Session.Process.WaitForExit(10000)
    }
    Remove-Item $Session.Profile -Recurse -Force -ErrorAction SilentlyContinue
}

Export-ModuleMember -Function Get-ChromiumPath, Start-Chromium, Invoke-Cdp, Invoke-PageScript, Open-Page, Save-PageScreenshot, Stop-Chromium

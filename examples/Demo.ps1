#Requires -Version 7.6
<#
.SYNOPSIS
    The LVS article's example, live: a virtual HTTP service with two real servers, round-robin, masquerading, on the
    managed director, with real traffic on loopback; then the same for a UDP echo service.
.DESCRIPTION
    Run it through build.ps1 (dotnet pwsh ./build.ps1 demo), which builds the module and the demo's two little real
    servers first. It prints the ipvsadm-style listing and the counters, then stops the director and exits.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $BackendsPath,
    [ValidateRange(1, 1000)] [int] $Requests = 6,
    [string] $VirtualAddress = '127.0.0.80',
    [ValidateRange(1024, 65535)] [int] $Port = 8080
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
Add-Type -Path $BackendsPath

# two real servers (RIPs) on loopback, each answering with its own name
$web1 = [LvsPs.TestBackends.HttpBackend]::Start('web1', '127.0.0.1', 0)
$web2 = [LvsPs.TestBackends.HttpBackend]::Start('web2', '127.0.0.1', 0)
$echo1 = [LvsPs.TestBackends.UdpEchoBackend]::Start('echo1', '127.0.0.1', 0)
$echo2 = [LvsPs.TestBackends.UdpEchoBackend]::Start('echo2', '127.0.0.1', 0)
try {
    Start-LvsDirector

    # ipvsadm -A -t VIP:8080 -s rr; ipvsadm -a -t VIP:8080 -r RIP -m (twice)
    $web = New-LvsVirtualService -Protocol Tcp -Address $VirtualAddress -Port $Port -Scheduler rr
    $web | Add-LvsRealServer -Address 127.0.0.1 -Port $web1.Port -Forwarding Masquerade
    $web | Add-LvsRealServer -Address 127.0.0.1 -Port $web2.Port -Forwarding Masquerade

    $dns = New-LvsVirtualService "udp/${VirtualAddress}:$Port" -Scheduler rr
    $dns | Add-LvsRealServer -Address 127.0.0.1 -Port $echo1.Port
    $dns | Add-LvsRealServer -Address 127.0.0.1 -Port $echo2.Port

    Write-Host "`n$Requests HTTP requests to http://${VirtualAddress}:$Port/ :"
    foreach ($i in 1..$Requests) {
        $response = Invoke-WebRequest -Uri "http://${VirtualAddress}:$Port/" -TimeoutSec 10
        Write-Host ("  request {0}: answered by {1}" -f $i, $response.Headers['X-Backend'][0])
    }
    Write-Host "`n$Requests UDP datagrams to ${VirtualAddress}:$Port :"
    foreach ($i in 1..$Requests) {
        Write-Host ("  datagram {0}: {1}" -f $i, [LvsPs.TestBackends.LoopbackClient]::UdpRequest($VirtualAddress, $Port, "hello $i", 5000))
    }

    Write-Host "`nGet-LvsVirtualService   (ipvsadm -L -n)"
    Get-LvsVirtualService | Out-Host
    Write-Host "Get-LvsStats   (ipvsadm -L -n --stats)"
    Get-LvsStats | Out-Host
    Write-Host "Get-LvsTimeout   (ipvsadm -L --timeout)"
    Get-LvsTimeout | Out-Host
}
finally {
    Stop-LvsDirector
    $web1, $web2, $echo1, $echo2 | ForEach-Object Dispose
}
Write-Host 'Director stopped; every socket released.'

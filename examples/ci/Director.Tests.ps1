<#
.SYNOPSIS
    A CI check with Pester: the director is in the state its document describes.
.DESCRIPTION
    Run it in a pipeline step after the director has been converged (see pipeline.yml next to it):

        Invoke-Pester -Path ./examples/ci/Director.Tests.ps1 -Output Detailed

    It fails with one line per difference (Compare-LvsConfiguration) when the director has drifted from the document,
    and checks a few things an operator cares about directly.
    Variables: LVSPS_DIRECTOR (e.g. Service:/run/lvsps/director.sock; default: Kernel) and LVSPS_DOCUMENT.
#>
BeforeAll {
    Import-Module LvsPs
    $script:Director = if ($env:LVSPS_DIRECTOR) { $env:LVSPS_DIRECTOR } else { 'Kernel' }
    $script:Document = if ($env:LVSPS_DOCUMENT) { $env:LVSPS_DOCUMENT } else { Join-Path $PSScriptRoot '..' 'director.yaml' }
}

Describe 'The director' {
    It 'is in the state of its document, with nothing extra' {
        $differences = Compare-LvsConfiguration -Path $script:Document -Prune -Director $script:Director -ErrorAction Stop
        $differences | ForEach-Object { Write-Host "  drift: $($_.Description)" }
        $differences | Should -BeNullOrEmpty
    }

    It 'has at least one real server with weight above 0 in every virtual service' {
        foreach ($service in Get-LvsVirtualService -Director $script:Director) {
            @($service.RealServers | Where-Object Weight -gt 0).Count | Should -BeGreaterThan 0 -Because "$($service.Id) must be able to take connections"
        }
    }
}

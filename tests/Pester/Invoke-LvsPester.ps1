#Requires -Version 7.6
<#
.SYNOPSIS
    Runs the LvsPs Pester suite against a built module (called by build.ps1 test in a child pwsh).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $BackendsPath,
    [Parameter(Mandatory)] [string] $ResultPath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    # the folder build.ps1 package published LvsPs.<version>.nupkg to (tests/Pester/Package.Tests.ps1 installs it)
    [string] $RepositoryPath = (Join-Path $PSScriptRoot '../../out/repo'),
    [string[]] $Path = @($PSScriptRoot)
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -RequiredVersion 5.7.1

# the test files read these to find what they test
$env:LVSPS_MODULE = $ModulePath
$env:LVSPS_TESTBACKENDS = $BackendsPath
$env:LVSPS_REPOSITORY = $RepositoryPath

# files that take a -Director parameter run once per director: in-session and a director service
$containers = foreach ($file in Get-ChildItem -Path $Path -Filter '*.Tests.ps1' -File) {
    $takesDirector = (Get-Command $file.FullName).Parameters.ContainsKey('Director')
    if ($takesDirector) {
        foreach ($d in 'Managed', 'Service') { New-PesterContainer -Path $file.FullName -Data @{ Director = $d } }
    }
    else {
        New-PesterContainer -Path $file.FullName
    }
}

$config = New-PesterConfiguration
$config.Run.Container = $containers
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'JUnitXml'
$config.TestResult.OutputPath = $ResultPath
$result = Invoke-Pester -Configuration $config

$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
# help checks (Help.Tests.ps1: every cmdlet and parameter documented) are counted apart from behaviour tests, so that
# the suite's summary says how much of it exercises behaviour
$help = @($result.Tests | Where-Object { $_.ScriptBlock.File -and (Split-Path $_.ScriptBlock.File -Leaf) -eq 'Help.Tests.ps1' })
[ordered]@{
    passed = $result.PassedCount; failed = $failed; skipped = $result.SkippedCount
    help = [ordered]@{
        passed = @($help | Where-Object Result -EQ 'Passed').Count
        failed = @($help | Where-Object Result -EQ 'Failed').Count
        skipped = @($help | Where-Object Result -EQ 'Skipped').Count
    }
} | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
exit ([int]($failed -gt 0))

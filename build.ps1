#Requires -Version 7.6
<#
.SYNOPSIS
    Builds, tests and demonstrates LvsPs.
.DESCRIPTION
    Tasks:
      build    compiles the solution and stages the module in out/LvsPs (import it from there)
      package  builds, then publishes the staged module as out/repo/LvsPs.<version>.nupkg with PSResourceGet, so that
               Install-PSResource installs it from that folder (Register-PSResourceRepository -Uri out/repo)
      test     packages, then runs the xunit tests, the Pester suite (in a child pwsh), a smoke run of the benchmark harness
             (bench/run.sh --smoke, both topologies) and the kernel IPVS suite (in a qemu guest, tests/Kernel; needs root); results go to
             out/test-results
      demo     builds, then runs a managed director with two real servers on loopback and shows its listing and stats
      clean    removes out/ and every bin/ and obj/ folder
    Run through the repository's local tool: dotnet tool restore && dotnet pwsh ./build.ps1 <task>
.EXAMPLE
    dotnet pwsh ./build.ps1 test -Configuration Debug
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'package', 'test', 'demo', 'clean')]
    [string] $Task = 'build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleOut = Join-Path $out 'LvsPs'
$resultsDir = Join-Path $out 'test-results'
$repoOut = Join-Path $out 'repo'
$tfm = 'net10.0'

function Invoke-Native {
    param([string] $What, [scriptblock] $Command)
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)." }
}

function Get-BinPath([string] $Project) {
    Join-Path $root $Project 'bin' $Configuration $tfm
}

function Invoke-Build {
    Write-Host "==> build ($Configuration)" -ForegroundColor Cyan
    Invoke-Native 'dotnet build' { dotnet build (Join-Path $root 'LvsPs.sln') -c $Configuration --nologo -v:q -clp:NoSummary }

    # stage the module: manifest, root script module, formats, help and the cmdlet assembly with its dependencies
    if (Test-Path $moduleOut) { Remove-Item $moduleOut -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $moduleOut, (Join-Path $moduleOut 'en-US')
    Copy-Item (Join-Path $root 'LvsPs.psd1') $moduleOut
    # en-US is copied below; help/ holds the help sources and their generator (build input, not module content)
    Copy-Item (Join-Path $root 'src/LvsPs.Module/*') $moduleOut -Recurse -Exclude 'en-US', 'help'
    Get-ChildItem (Get-BinPath 'src/LvsPs.Commands') -Filter 'LvsPs.*.dll' | Copy-Item -Destination $moduleOut
    # YAML: YamlDotNet and the codec on it go to yaml/, which LvsPs.Configuration loads into an assembly load context
    # of its own, so another module's YamlDotNet in the same session never collides with this one
    $yamlOut = New-Item -ItemType Directory -Path (Join-Path $moduleOut 'yaml')
    'LvsPs.Configuration.Yaml.dll', 'YamlDotNet.dll' | ForEach-Object { Copy-Item (Join-Path (Get-BinPath 'src/LvsPs.Configuration.Yaml') $_) $yamlOut }
    # the director service runs as a process of its own: it ships whole, with its runtimeconfig, in service/
    Copy-Item (Get-BinPath 'src/LvsPs.DirectorService') (Join-Path $moduleOut 'service') -Recurse
    $helpSource = Join-Path $root 'src/LvsPs.Module/en-US'
    if (Test-Path $helpSource) { Copy-Item (Join-Path $helpSource '*') (Join-Path $moduleOut 'en-US') }

    # help: the generator reads src/LvsPs.Module/help/<Verb-Noun>.psd1 and the C# XML docs, writes
    # en-US/LvsPs.Commands.dll-Help.xml, and fails when a cmdlet's help is incomplete. It runs in a child pwsh so that
    # this process never loads the module.
    Invoke-Native 'help generation' {
        dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $root 'src/LvsPs.Module/help/Build-LvsHelp.ps1') `
            -ModulePath (Join-Path $moduleOut 'LvsPs.psd1') -XmlDocPath (Join-Path (Get-BinPath 'src/LvsPs.Commands') 'LvsPs.Commands.xml')
    }
    Write-Host "    module staged in $moduleOut"
}

function Invoke-Package {
    Invoke-Build
    Write-Host '==> package (PSResourceGet)' -ForegroundColor Cyan
    if (Test-Path $repoOut) { Remove-Item $repoOut -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $repoOut
    # Publish-PSResource needs a registered repository; a child pwsh with a HOME of its own registers the out/repo
    # folder there, so the user's PSResourceGet configuration is never touched
    $scratch = Join-Path $out 'package-home'
    if (Test-Path $scratch) { Remove-Item $scratch -Recurse -Force }
    # the XDG folders must exist: .NET gives an empty LocalApplicationData for a missing one (PSResourceGet's store)
    $null = New-Item -ItemType Directory -Path $scratch, (Join-Path $scratch '.local/share'), (Join-Path $scratch '.config'), (Join-Path $scratch '.cache')
    $publish = {
        param($Module, $Repository)
        $ErrorActionPreference = 'Stop'
        $manifest = Test-ModuleManifest -Path (Join-Path $Module 'LvsPs.psd1')
        Register-PSResourceRepository -Name LvsPsBuild -Uri $Repository -Trusted
        Publish-PSResource -Path $Module -Repository LvsPsBuild
        "    published LvsPs $($manifest.Version) to $Repository"
    }
    $saved = $env:HOME, $env:XDG_DATA_HOME, $env:XDG_CONFIG_HOME, $env:XDG_CACHE_HOME
    try {
        $env:HOME = $scratch
        $env:XDG_DATA_HOME = Join-Path $scratch '.local/share'
        $env:XDG_CONFIG_HOME = Join-Path $scratch '.config'
        $env:XDG_CACHE_HOME = Join-Path $scratch '.cache'
        Invoke-Native 'Publish-PSResource' {
            $command = "& { $publish } '$($moduleOut -replace "'", "''")' '$($repoOut -replace "'", "''")'"
            # this pwsh itself (under `dotnet pwsh`: dotnet running $PSHOME/pwsh.dll), as the tool lookup follows HOME
            $exe = [Environment]::ProcessPath
            $arguments = @()
            if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $arguments += Join-Path $PSHOME 'pwsh.dll' }
            $arguments += '-NoProfile', '-NonInteractive', '-EncodedCommand', [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($command))
            & $exe $arguments
        }
    }
    finally {
        $env:HOME, $env:XDG_DATA_HOME, $env:XDG_CONFIG_HOME, $env:XDG_CACHE_HOME = $saved
        Remove-Item $scratch -Recurse -Force -ErrorAction SilentlyContinue
    }
    $package = Get-ChildItem $repoOut -Filter 'LvsPs.*.nupkg' | Select-Object -First 1
    if (-not $package) { throw "Publish-PSResource wrote no package to $repoOut." }
    Write-Host "    $($package.FullName)"
}

function Get-PesterModulePath {
    Invoke-Native 'restoring Pester from NuGet' { dotnet restore (Join-Path $root 'tests/Pester/Pester.Restore.csproj') --nologo -v:q }
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else {
        ((dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    }
    $manifest = Join-Path $packages 'pester' '5.7.1' 'tools' 'Pester.psd1'
    if (-not (Test-Path $manifest)) { throw "Pester 5.7.1 was not found at $manifest after restore." }
    $manifest
}

# the kernel suite's classes whose every test pushes real traffic through kernel IPVS (tests/LvsPs.KernelTests)
$kernelTrafficClasses = 'TrafficTests', 'FeatureTrafficTests', 'SchedulingDifferentialTests', 'KernelFtpTests', 'DirectorServiceKernelTests', 'KernelFailoverTests'

function Read-JUnitCounts([string] $Path, [string[]] $Class) {
    [xml] $xml = Get-Content -LiteralPath $Path -Raw
    if ($Class) {
        # only the test cases of these classes (by the last part of their class name)
        $cases = @($xml.SelectNodes('//testcase') | Where-Object { ($_.classname -split '\.')[-1] -in $Class })
        $failed = @($cases | Where-Object { $_.SelectSingleNode('failure|error') }).Count
        $skipped = @($cases | Where-Object { $_.SelectSingleNode('skipped') }).Count
        return [pscustomobject]@{ passed = $cases.Count - $failed - $skipped; failed = $failed; skipped = $skipped }
    }
    $suites = @($xml.SelectNodes('//testsuite'))
    $total = ($suites | Measure-Object -Property tests -Sum).Sum
    $failed = ($suites | ForEach-Object { [int]$_.failures + [int]$_.errors } | Measure-Object -Sum).Sum
    $skipped = ($suites | ForEach-Object { [int]$_.skipped } | Measure-Object -Sum).Sum
    [pscustomobject]@{ passed = $total - $failed - $skipped; failed = $failed; skipped = $skipped }
}

function Invoke-Test {
    # the Pester suite installs the package with Install-PSResource (tests/Pester/Package.Tests.ps1)
    Invoke-Package
    if (Test-Path $resultsDir) { Remove-Item $resultsDir -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $resultsDir
    $pester = Get-PesterModulePath
    $failures = @()

    # xunit: the C# layers, and the cmdlets hosted in-process (Microsoft.PowerShell.SDK)
    $xunitXmls = foreach ($project in 'LvsPs.Tests', 'LvsPs.Commands.Tests') {
        Write-Host "==> xunit $project" -ForegroundColor Cyan
        $xml = Join-Path $resultsDir "$project.xml"
        dotnet test (Join-Path $root "tests/$project/$project.csproj") -c $Configuration --no-build --nologo `
            --logger "junit;LogFilePath=$xml" --logger 'console;verbosity=normal' | Out-Host
        if ($LASTEXITCODE -ne 0) { $failures += "xunit $project" }
        $xml
    }

    Write-Host '==> Pester (child pwsh)' -ForegroundColor Cyan
    $pesterXml = Join-Path $resultsDir 'pester.xml'
    $pesterSummary = Join-Path $resultsDir 'pester-summary.json'
    dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $root 'tests/Pester/Invoke-LvsPester.ps1') `
        -PesterPath $pester -ModulePath (Join-Path $moduleOut 'LvsPs.psd1') `
        -BackendsPath (Join-Path (Get-BinPath 'tests/LvsPs.TestBackends') 'LvsPs.TestBackends.dll') `
        -ResultPath $pesterXml -SummaryPath $pesterSummary -RepositoryPath $repoOut
    if ($LASTEXITCODE -ne 0) { $failures += 'Pester' }

    # benchmark harness smoke: about a second per figure so that bench/run.sh cannot rot; it fails the run only when
    # the harness itself breaks, never on a figure (the figures are in docs/benchmarks.md, from a full bench/run.sh)
    # in both topologies (loopback, and the director between hosts in network namespaces)
    foreach ($topology in 'loopback', 'hosts') {
        Write-Host "==> benchmark harness smoke (bench/run.sh --smoke --topology $topology)" -ForegroundColor Cyan
        $benchArgs = @('--smoke', '--topology', $topology) + @(if ($topology -ne 'loopback') { '--no-build' })
        bash (Join-Path $root 'bench/run.sh') @benchArgs
        if ($LASTEXITCODE -ne 0) { $failures += "bench smoke ($topology)" }
    }

    # kernel IPVS: the whole kernel suite in one qemu guest (tests/Kernel); needs root, installs qemu etc. from Debian
    Write-Host '==> kernel IPVS suite (qemu guest)' -ForegroundColor Cyan
    $kernelXml = Join-Path $resultsDir 'kernel' 'kernel.xml'
    $kernelWatch = [Diagnostics.Stopwatch]::StartNew()
    bash (Join-Path $root 'tests/Kernel/run-kernel-tests.sh') $Configuration
    $kernelExit = $LASTEXITCODE
    Write-Host ("    kernel step took {0:n0} s" -f $kernelWatch.Elapsed.TotalSeconds)
    if ($kernelExit -ne 0) {
        Write-Host "    the kernel suite failed (exit code $kernelExit; 124 = guest timeout, 125 = harness could not run: see above)" -ForegroundColor Red
        $failures += 'kernel'
    }

    $counts = @()
    if (Test-Path $kernelXml) { $counts += Read-JUnitCounts $kernelXml } else { $failures += 'kernel (no results)' }
    # the cmdlets against kernel IPVS, run by Pester in the same guest boot (tests/Pester/Kernel)
    $kernelPester = Join-Path $resultsDir 'kernel' 'kernel-pester-summary.json'
    if (Test-Path $kernelPester) { $counts += Get-Content $kernelPester -Raw | ConvertFrom-Json } else { $failures += 'kernel Pester (no results)' }
    foreach ($xml in $xunitXmls) {
        if (Test-Path $xml) { $counts += Read-JUnitCounts $xml } else { $failures += "xunit (no results in $xml)" }
    }
    if (Test-Path $pesterSummary) { $counts += Get-Content $pesterSummary -Raw | ConvertFrom-Json } else { $failures += 'Pester (no results)' }
    $passed = ($counts | Measure-Object -Property passed -Sum).Sum
    $failed = ($counts | Measure-Object -Property failed -Sum).Sum
    $skipped = ($counts | Measure-Object -Property skipped -Sum).Sum
    Write-Host "Results: $resultsDir"
    # what the count is made of: behaviour tests apart from help checks, and the tests that push real traffic through
    # kernel IPVS in the guest (the test classes named in $kernelTrafficClasses, and the kernel Pester file)
    $help = ($counts | Where-Object { $_.PSObject.Properties['help'] } | ForEach-Object { $_.help.passed } | Measure-Object -Sum).Sum
    $kernelTraffic = $(if (Test-Path $kernelXml) { (Read-JUnitCounts $kernelXml -Class $kernelTrafficClasses).passed } else { 0 }) +
        $(if (Test-Path $kernelPester) { (Get-Content $kernelPester -Raw | ConvertFrom-Json).passed } else { 0 })
    Write-Host ("Behaviour tests: {0} passed ({1} of them against kernel IPVS in the guest, nearly all with real traffic); help checks: {2} passed" -f ($passed - $help), $kernelTraffic, $help)
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failures.Count -gt 0 -or $failed -gt 0) {
        Write-Host "FAILED: $($failures -join ', ')" -ForegroundColor Red
        exit 1
    }
}

function Invoke-Demo {
    Invoke-Build
    Write-Host '==> demo' -ForegroundColor Cyan
    Invoke-Native 'demo' {
        dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $root 'examples/Demo.ps1') `
            -ModulePath (Join-Path $moduleOut 'LvsPs.psd1') `
            -BackendsPath (Join-Path (Get-BinPath 'tests/LvsPs.TestBackends') 'LvsPs.TestBackends.dll')
    }
}

function Invoke-Clean {
    if (Test-Path $out) { Remove-Item $out -Recurse -Force }
    Get-ChildItem $root -Directory -Recurse -Include bin, obj |
        Where-Object { $_.FullName -notmatch '[\\/]\.git[\\/]' } |
        Remove-Item -Recurse -Force
}

Push-Location $root
try {
    switch ($Task) {
        'build' { Invoke-Build }
        'package' { Invoke-Package }
        'test' { Invoke-Test }
        'demo' { Invoke-Demo }
        'clean' { Invoke-Clean }
    }
}
finally {
    Pop-Location
}

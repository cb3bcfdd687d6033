# LvsPs installed as people install modules: build.ps1 package publishes out/repo/LvsPs.<version>.nupkg with
# PSResourceGet (which ships with pwsh 7.6); a fresh pwsh with a scratch HOME registers that folder as a repository,
# runs Install-PSResource, imports the module by name from its own module path and runs cmdlets. And PowerShell's own
# checks of the manifest.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LvsPs.TestHelpers.psm1') -Force
    $repository = $env:LVSPS_REPOSITORY
    $staged = $env:LVSPS_MODULE

    function Invoke-FreshPwsh([string] $Script, [hashtable] $Environment = @{}) {
        $exe = [Environment]::ProcessPath
        $arguments = @()
        # under `dotnet pwsh` (the repository's local tool) the process is dotnet, running $PSHOME/pwsh.dll
        if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $arguments += Join-Path $PSHOME 'pwsh.dll' }
        $arguments += '-NoProfile', '-NonInteractive', '-EncodedCommand', [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
        $saved = @{}
        foreach ($name in $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
        try { $out = & $exe $arguments 2>&1 }
        finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }
        if ($LASTEXITCODE -ne 0) { throw "The child pwsh failed ($LASTEXITCODE): $($out -join "`n")" }
        $out | ForEach-Object { "$_" }
    }
}

Describe 'The module manifest' {
    It 'passes Test-ModuleManifest' {
        $m = Test-ModuleManifest -Path $staged -ErrorAction Stop
        $m.Name | Should -Be 'LvsPs'
        $m.ExportedCmdlets.Count | Should -BeGreaterThan 30
    }

    It 'has the metadata a repository shows: description, tags and release notes' {
        $data = Import-PowerShellDataFile -LiteralPath $staged
        $data.Description | Should -Match 'Linux Virtual Server'
        $data.PrivateData.PSData.Tags | Should -Contain 'IPVS'
        $data.PrivateData.PSData.ReleaseNotes | Should -Match ([regex]::Escape($data.ModuleVersion))
    }

    It 'takes its version from one place: the assemblies carry the manifest''s ModuleVersion' {
        $data = Import-PowerShellDataFile -LiteralPath $staged
        $dll = Join-Path (Split-Path $staged) 'LvsPs.Commands.dll'
        [Reflection.AssemblyName]::GetAssemblyName($dll).Version.ToString(3) | Should -Be $data.ModuleVersion
    }
}

Describe 'Install-PSResource from a local repository' {
    BeforeAll {
        $package = Get-ChildItem -LiteralPath $repository -Filter 'LvsPs.*.nupkg' -ErrorAction SilentlyContinue | Select-Object -First 1
        if (-not $package) { throw "No LvsPs package in '$repository': run dotnet pwsh ./build.ps1 package (build.ps1 test does)." }
        # a HOME of its own: the repository registration and the CurrentUser module path are scratch folders
        $scratch = Join-Path $TestDrive 'home'
        # the XDG folders must exist: .NET gives an empty LocalApplicationData for a missing one (PSResourceGet's store)
        $null = New-Item -ItemType Directory -Path $scratch, (Join-Path $scratch '.local/share'), (Join-Path $scratch '.config'), (Join-Path $scratch '.cache')
        $env = @{
            HOME = $scratch
            XDG_DATA_HOME = Join-Path $scratch '.local/share'
            XDG_CONFIG_HOME = Join-Path $scratch '.config'
            XDG_CACHE_HOME = Join-Path $scratch '.cache'
            PSModulePath = $null
        }
        $port = Get-FreeTcpPort
        $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name LvsPsLocal -Uri '$repository' -Trusted
Install-PSResource -Name LvsPs -Repository LvsPsLocal -Scope CurrentUser
Import-Module LvsPs
`$m = Get-Module LvsPs
"base=`$(`$m.ModuleBase)"
"version=`$(`$m.Version)"
New-LvsVirtualService tcp/127.0.0.1:$port -Scheduler rr | Add-LvsRealServer -Address 10.0.0.2:8080 | Out-Null
Get-LvsVirtualService | ConvertTo-Json -Depth 5 -Compress
"@
        $out = Invoke-FreshPwsh $script -Environment $env
    }

    It 'installs into the scratch CurrentUser module path and imports by name' {
        $base = ($out | Where-Object { $_ -like 'base=*' }) -replace '^base=', ''
        $base | Should -BeLike "$scratch*"
        Test-Path (Join-Path $base 'LvsPs.Commands.dll') | Should -BeTrue
        Test-Path (Join-Path $base 'service') | Should -BeTrue
        ($out | Where-Object { $_ -like 'version=*' }) | Should -Be "version=$((Import-PowerShellDataFile -LiteralPath $staged).ModuleVersion)"
    }

    It 'runs cmdlets from the installed module' {
        $json = $out | Where-Object { $_ -like '{*' } | Select-Object -Last 1
        $service = $json | ConvertFrom-Json
        $service.Id | Should -Be "tcp/127.0.0.1:$port"
        $service.RealServers[0].Id | Should -Be '10.0.0.2:8080'
    }
}

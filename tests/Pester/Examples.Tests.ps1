# The examples run as their comments say. examples/DscConfiguration.ps1 says it runs on a machine without
# PSDesiredStateConfiguration (the resources are plain classes then): run it so, in a fresh pwsh.

BeforeAll {
    function Invoke-FreshPwsh([string] $Script) {
        $exe = [Environment]::ProcessPath
        $arguments = @()
        # under `dotnet pwsh` (the repository's local tool) the process is dotnet, running $PSHOME/pwsh.dll
        if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $arguments += Join-Path $PSHOME 'pwsh.dll' }
        $arguments += '-NoProfile', '-NonInteractive', '-EncodedCommand', [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
        $out = & $exe $arguments 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Text = ($out | ForEach-Object { "$_" }) -join "`n" }
    }
    $examples = Join-Path $PSScriptRoot '..' '..' 'examples'
}

Describe 'examples/DscConfiguration.ps1' {
    It 'runs without PSDesiredStateConfiguration and brings the director to its state through the resources' {
        $dsc = Join-Path $examples 'DscConfiguration.ps1'
        $run = Invoke-FreshPwsh @"
if (Get-Module -ListAvailable -Name PSDesiredStateConfiguration) { 'PSDesiredStateConfiguration is installed' }
& '$dsc'
"@
        $run.Text | Should -Not -Match 'ParserError|Exception'
        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.Text | Should -Match 'out of state: Add virtual service tcp/127\.0\.0\.80:8080'
        $run.Text | Should -Match 'TCP  127\.0\.0\.80:8080 wrr'
        $run.Text | Should -Match '127\.0\.0\.1:8081\s+Masq\s+3'
    }

    It 'dot-sourced without PSDesiredStateConfiguration, it defines nothing and runs nothing' {
        $dsc = Join-Path $examples 'DscConfiguration.ps1'
        $run = Invoke-FreshPwsh ". '$dsc'; if (Get-Command LvsDirector -ErrorAction SilentlyContinue) { 'defined' } else { 'not defined' }"
        $run.ExitCode | Should -Be 0 -Because $run.Text
        if (-not (Invoke-FreshPwsh 'Get-Module -ListAvailable -Name PSDesiredStateConfiguration').Text) {
            $run.Text | Should -Match 'not defined'
        }
        $run.Text | Should -Not -Match 'Prot LocalAddress'
    }
}

Describe 'examples/director.yaml' {
    It 'says what persistent: true gives: ipvsadm''s default, 360 s' {
        $yaml = Get-Content (Join-Path $examples 'director.yaml') -Raw
        $yaml | Should -Match 'persistent: true alone gives ipvsadm''s -p default, 360'
        Import-Module $env:LVSPS_MODULE -Force
        $doc = "{ virtualServices: [ { virtualService: 'tcp/127.0.0.81:8080', persistent: true } ] }"
        $change = Compare-LvsConfiguration -Text $doc | Where-Object Action -EQ Add | Select-Object -First 1
        $change | Should -Not -BeNullOrEmpty
        Import-LvsConfiguration -Text $doc
        (Get-LvsVirtualService tcp/127.0.0.81:8080).PersistenceTimeout | Should -Be 360
        Stop-LvsDirector
    }
}

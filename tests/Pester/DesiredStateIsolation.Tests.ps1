# YamlDotNet isolation: another module's YamlDotNet (here 13.7.1 from the NuGet cache, restored by Pester.Restore.csproj)
# loaded into the session first must not break LvsPs's YAML cmdlets, nor LvsPs's break it. Runs in a child pwsh, so the
# other YamlDotNet is loaded before LvsPs as a user's profile would.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LvsPs.TestHelpers.psm1') -Force
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { ((dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim() }
    $script:OtherYaml = Join-Path $packages 'yamldotnet' '13.7.1' 'lib' 'net6.0' 'YamlDotNet.dll'
    $script:Pwsh = Join-Path $PSHOME 'pwsh.dll'
}

Describe 'YamlDotNet isolation, and -WhatIf in a session of its own' {
    It 'uses its own YamlDotNet when another version is already loaded in the session' {
        $script:OtherYaml | Should -Exist
        $vip = New-TestVip
        $script = @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$script:OtherYaml'
`$other = [YamlDotNet.Serialization.SerializerBuilder]::new().Build().Serialize(@{ a = 1 })
Import-Module '$env:LVSPS_MODULE'
New-LvsVirtualService -Protocol Tcp -Address $vip -Port 18090 -Scheduler rr | Add-LvsRealServer -Address 127.0.0.1 -Port 18091 -Weight 3
`$yaml = Export-LvsConfiguration
Set-LvsRealServer tcp/${vip}:18090 -Address 127.0.0.1 -Port 18091 -Weight 1
`$yaml | Import-LvsConfiguration
"imported-weight=" + (Get-LvsRealServer tcp/${vip}:18090).Weight
Set-LvsRealServer tcp/${vip}:18090 -Address 127.0.0.1 -Port 18091 -Weight 2
`$yaml | Import-LvsConfiguration -WhatIf
"whatif-weight=" + (Get-LvsRealServer tcp/${vip}:18090).Weight
`$versions = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'YamlDotNet' } | ForEach-Object { `$_.GetName().Version.Major }
`$again = [YamlDotNet.Serialization.SerializerBuilder]::new().Build().Serialize(@{ a = 1 })
"versions=" + ((`$versions | Sort-Object) -join ',')
"other=" + (`$other.Trim() -eq 'a: 1' -and `$again.Trim() -eq 'a: 1')
"@
        $out = & dotnet $script:Pwsh -NoProfile -NonInteractive -Command $script 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        # the import (with the other YamlDotNet loaded) put back the exported weight 3 over the 1 set after the export
        $out | Should -Contain 'imported-weight=3'
        $out | Should -Contain 'versions=13,16'
        $out | Should -Contain 'other=True'
        # -WhatIf lists each change (on the host, which is the child's stdout) and makes none
        $out | Should -Contain 'whatif-weight=2'
        ($out | Where-Object { $_ -like 'What if:*Change Weight of real server 127.0.0.1:18091*from 2 to 3*' }) | Should -HaveCount 1
    }
}

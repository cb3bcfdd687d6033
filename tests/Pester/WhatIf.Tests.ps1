# -WhatIf on every cmdlet that changes a director says what would change, from and to ("Weight 1 -> 0"), as
# Import-LvsConfiguration's does, and changes nothing. -WhatIf messages go to the host, so each case runs in a fresh
# pwsh (the one running these tests) and reads its output.

BeforeAll {
    function Invoke-FreshPwsh([string] $Script) {
        $exe = [Environment]::ProcessPath
        $arguments = @()
        # under `dotnet pwsh` (the repository's local tool) the process is dotnet, running $PSHOME/pwsh.dll
        if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $arguments += Join-Path $PSHOME 'pwsh.dll' }
        $arguments += '-NoProfile', '-NonInteractive', '-EncodedCommand', [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
        $out = & $exe $arguments 2>&1
        if ($LASTEXITCODE -ne 0) { throw "The child pwsh failed ($LASTEXITCODE): $out" }
        $out | ForEach-Object { "$_" }
    }
}

BeforeDiscovery {
    $whatIfCases = @(
        @{ Name = 'Set-LvsRealServer: Weight 1 -> 0'; Script = 'Set-LvsRealServer $id -Address 10.0.0.2 -Weight 0 -WhatIf'; Expect = '*"Change real server: Weight 1 -> 0"*' }
        @{ Name = 'Set-LvsRealServer by RIP:PORT: Weight 1 -> 3'; Script = 'Set-LvsRealServer $id -Address 10.0.0.2:18080 -Weight 3 -WhatIf'; Expect = '*"Change real server: Weight 1 -> 3" on target "10.0.0.2:18080 in tcp/127.0.0.1:18080"*' }
        @{ Name = 'Set-LvsVirtualService: Scheduler wlc -> rr'; Script = 'Set-LvsVirtualService $id -Scheduler rr -PersistenceTimeout 60 -WhatIf'; Expect = '*Scheduler wlc -> rr, PersistenceTimeout 0 -> 60*' }
        @{ Name = 'Add-LvsRealServer: (none) -> Masq, weight 2'; Script = 'Add-LvsRealServer $id -Address 10.0.0.3 -Weight 2 -WhatIf'; Expect = '*Add real server: (none) -> Masq, weight 2*' }
        @{ Name = 'Remove-LvsRealServer: Masq, weight 1 -> (none)'; Script = 'Remove-LvsRealServer $id -Address 10.0.0.2 -WhatIf'; Expect = '*Remove real server: Masq, weight 1 -> (none)*' }
        @{ Name = 'Remove-LvsVirtualService: wlc, 1 real server -> (none)'; Script = 'Remove-LvsVirtualService $id -WhatIf'; Expect = '*Remove virtual service: wlc, 1 real server -> (none)*' }
        @{ Name = 'Clear-LvsVirtualService: every service -> (none)'; Script = 'Clear-LvsVirtualService -WhatIf'; Expect = '*Remove all virtual services: tcp/127.0.0.1:18080 (wlc, 1 real server) -> (none)*' }
        @{ Name = 'Reset-LvsStats: counters -> 0'; Script = 'Reset-LvsStats -WhatIf'; Expect = '*Zero counters: 0 connections, 0 packets in, 0 packets out, 0 bytes in, 0 bytes out -> 0*' }
        @{ Name = 'Set-LvsTimeout: tcp 900 -> 600'; Script = 'Set-LvsTimeout -Tcp 600 -WhatIf'; Expect = '*Set timeouts: tcp 900 -> 600"*' }
        @{ Name = 'Remove-LvsHealthCheck: the check -> (none)'; Script = 'Remove-LvsHealthCheck $id -WhatIf'; Expect = '*Remove health check*: real server port every 60 s -> (none)*' }
    )
}

Describe '-WhatIf says what would change, from and to' -ForEach @(@{ Cases = $whatIfCases }) {

    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'LvsPs.TestHelpers.psm1') -Force
        $port = Get-FreeTcpPort
        # one fresh pwsh runs every case, each between markers, then lists the director: nothing may have changed
        $script = "Import-Module '$env:LVSPS_MODULE'; `$id = 'tcp/127.0.0.1:$port'; New-LvsVirtualService `$id | Out-Null; " +
            "Add-LvsRealServer `$id -Address 10.0.0.2 | Out-Null; Set-LvsHealthCheck `$id -Type Tcp -Interval 60; "
        $i = 0
        foreach ($case in $Cases) { $script += "'==case $i=='; $($case.Script.Replace('18080', "$port")); "; $i++ }
        $script += "'==after=='; Get-LvsVirtualService | Out-String -Width 200; Get-LvsTimeout | Format-List | Out-String"
        $out = (Invoke-FreshPwsh $script) -join "`n"
        $sections = @{}
        foreach ($m in [regex]::Matches($out, '(?s)==(case \d+|after)==\n?(.*?)(?=\n?==(?:case \d+|after)==|$)')) { $sections[$m.Groups[1].Value] = $m.Groups[2].Value }
    }

    It '<Name>' -ForEach $Cases {
        $index = [array]::IndexOf(@($Cases.Name), $Name)
        $sections["case $index"] | Should -BeLike $Expect.Replace('18080', "$port")
    }

    It 'changes nothing' {
        $sections['after'] | Should -Match "10\.0\.0\.2:$port\s+Masq\s+1\s"
        $sections['after'] | Should -Match "TCP  127\.0\.0\.1:$port wlc\s*\n"
        $sections['after'] | Should -Match 'Tcp\s+: 900'
    }
}

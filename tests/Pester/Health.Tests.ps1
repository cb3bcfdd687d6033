# Health checks through the cmdlets, on the in-session managed director: real servers killed and restarted.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LvsPs.TestHelpers.psm1') -Force
    Enter-TestSession
}
AfterAll { Exit-TestSession }

Describe 'Health checks' {
    BeforeAll {
        Stop-LvsDirector
        $a = [LvsPs.TestBackends.HttpBackend]::Start('a', '127.0.0.1', 0)
        $b = [LvsPs.TestBackends.HttpBackend]::Start('b', '127.0.0.1', 0)
        $portA = $a.Port
        $vip = New-TestVip
        $port = Get-FreeTcpPort
        $id = "tcp/${vip}:$port"
        New-LvsVirtualService $id -Scheduler rr | Out-Null
        Add-LvsRealServer $id -Address 127.0.0.1 -Port $a.Port -Weight 2
        Add-LvsRealServer $id -Address 127.0.0.1 -Port $b.Port -Weight 2
    }
    AfterAll { $a, $b | ForEach-Object Dispose }

    It 'Set-LvsHealthCheck -WhatIf sets nothing' {
        Set-LvsHealthCheck $id -Type Http -WhatIf
        Get-LvsHealthCheck | Should -BeNullOrEmpty
    }

    It 'sets a check that finds both real servers up' {
        $check = Set-LvsHealthCheck $id -Type Http -Interval 1 -Timeout 1 -Retries 1 -PassThru
        $check.Type | Should -Be 'Http'
        $check.ExpectedStatus | Should -Be @(200)
        Wait-Until { @(Get-LvsHealth $id -State Up).Count -eq 2 } 'both real servers up'
        (Get-LvsHealth $id).CheckType | Should -Be @('Http', 'Http')
    }

    It 'quiesces a real server that dies, and traffic goes to the other' {
        $a.Dispose()
        Wait-Until { (Get-LvsHealth $id -State Down).RealServer -eq "127.0.0.1:$portA" } 'the dead server to be down'
        $rs = Get-LvsRealServer $id -Address 127.0.0.1 -Port $portA
        $rs.EffectiveWeight | Should -Be 0
        $rs.Weight | Should -Be 2 # the configured weight is kept
        $rs.HealthState | Should -Be 'Down'
        $answers = foreach ($i in 1..4) { [LvsPs.TestBackends.LoopbackClient]::HttpGet($vip, $port, '/', 10000).Backend }
        $answers | Should -Be @('b', 'b', 'b', 'b')
        (Get-LvsHealth $id -State Down).LastResult | Should -Match 'request failed|connect'
    }

    It 'restores it at its configured weight when it comes back' {
        $script:a = [LvsPs.TestBackends.HttpBackend]::Start('a', '127.0.0.1', $portA)
        Wait-Until { (Get-LvsRealServer $id -Address 127.0.0.1 -Port $portA).EffectiveWeight -eq 2 } 'the weight to come back'
        (Get-LvsHealth $id -State Down) | Should -BeNullOrEmpty
    }

    It 'refuses bad settings naming the value' {
        { Set-LvsHealthCheck $id -Retries 0 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidHealthRetries,LvsPs.Commands.SetLvsHealthCheckCommand'
        { Set-LvsHealthCheck $id -Type Command -ErrorAction Stop } | Should -Throw -ErrorId 'MissingHealthCommand,LvsPs.Commands.SetLvsHealthCheckCommand'
        { Set-LvsHealthCheck $id -SorryServer 'nope' -ErrorAction Stop } | Should -Throw -ExpectedMessage "*'nope'*"
        (Get-LvsHealthCheck $id).Type | Should -Be 'Http'
    }

    It 'Remove-LvsHealthCheck stops the checks' {
        Remove-LvsHealthCheck $id
        Get-LvsHealthCheck | Should -BeNullOrEmpty
        Get-LvsHealth | Should -BeNullOrEmpty
        { Remove-LvsHealthCheck $id -ErrorAction Stop } | Should -Throw -ErrorId 'HealthCheckNotFound,LvsPs.Commands.RemoveLvsHealthCheckCommand'
    }
}

# Content rules, groups and the client-address settings as users use them: cmdlets with -WhatIf and errors, real
# traffic from curl, the listing, Get-LvsStats per group, Test-LvsScheduling previews, documents and DSC.
# The runner runs this file twice: against the in-session managed director and against a director service.
param([ValidateSet('Managed', 'Service')] [string] $Director = 'Managed')

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LvsPs.TestHelpers.psm1') -Force
    $script:Dir = Enter-TestSession -Director $Director -TempFolder content
    $script:Module = Get-Module LvsPs

    function Invoke-Curl([string] $Url, [string] $HostName) {
        $output = & curl --silent --show-error --max-time 20 -H "Host: $HostName" $Url 2>&1
        if ($LASTEXITCODE -ne 0) { throw "curl $Url failed ($LASTEXITCODE): $output" }
        "$output"
    }
    function Get-ErrorOf([scriptblock] $Action) {
        $ErrorActionPreference = 'Stop'
        try { & $Action | Out-Null } catch { return $_ }
        throw 'The action wrote no error.'
    }
}

AfterAll { Exit-TestSession }

Describe "Content rules ($Director)" {
    BeforeAll {
        $script:Backends = @(
            [LvsPs.TestBackends.HttpBackend]::Start('api1'), [LvsPs.TestBackends.HttpBackend]::Start('api2'),
            [LvsPs.TestBackends.HttpBackend]::Start('web1'))
    }
    AfterAll { $script:Backends | ForEach-Object Dispose }

    BeforeEach {
        Clear-LvsVirtualService -Confirm:$false
        $vip = New-TestVip
        $port = Get-FreeTcpPort
        $id = "tcp/${vip}:$port"
        New-LvsVirtualService $id -Scheduler rr | Out-Null
        $b = $script:Backends
        Add-LvsRealServer $id 127.0.0.1 -Port $b[0].Port -Group api
        Add-LvsRealServer $id 127.0.0.1 -Port $b[1].Port -Group api
        Add-LvsRealServer $id 127.0.0.1 -Port $b[2].Port
    }

    It 'routes real requests from curl by Host to the group, round-robin inside it, and the rest to the ungrouped' {
        New-LvsContentRule $id -Match Host -Pattern api.example.com -Group api -PassThru |
            Should -Match 'host api.example.com -> api'
        $api = 1..4 | ForEach-Object { (Invoke-Curl "http://${vip}:$port/" 'api.example.com').Substring(0, 4) }
        ($api | Sort-Object) -join ',' | Should -Be 'api1,api1,api2,api2'
        (Invoke-Curl "http://${vip}:$port/" 'www.example.com').Substring(0, 4) | Should -Be 'web1'

        $stats = Get-LvsStats $id
        $groups = @($stats | Where-Object Scope -eq 'Group')
        ($groups | Where-Object Group -eq 'api').Connections | Should -Be 4
        ($groups | Where-Object Group -eq '').Connections | Should -Be 1
        ($stats | Out-String -Width 200) | Should -Match 'group api'
    }

    It 'lists rules and groups under their service, and what the real servers see' {
        New-LvsContentRule $id Host '*.static.example' -Group api
        Set-LvsVirtualService $id -SendProxy V1 -DefaultGroup api
        $listing = Get-LvsVirtualService $id | Out-String -Width 200
        $listing | Should -Match 'real servers see: director address, client in PROXY v1 header'
        $listing | Should -Match 'rule 1: host \*\.static\.example -> api'
        $listing | Should -Match 'default -> api'
        $listing | Should -Match '(?s)group \(none\):.*group api:'
        (Get-LvsVirtualService $id).RealServersSee | Should -Be 'ProxyV1'
    }

    It 'adds, moves, changes and removes rules; -WhatIf changes nothing' {
        New-LvsContentRule $id Host a.example -Group api
        New-LvsContentRule $id PathPrefix /static/ -Group api
        New-LvsContentRule $id Method POST -Group api -Order 1
        (Get-LvsContentRule $id).Match | Should -Be @('Method', 'Host', 'PathPrefix')
        Set-LvsContentRule $id 3 -NewOrder 1 -Pattern /assets/ -WhatIf
        (Get-LvsContentRule $id)[2].Pattern | Should -Be '/static/'
        Set-LvsContentRule $id 3 -NewOrder 1 -Pattern /assets/
        (Get-LvsContentRule $id)[0].Pattern | Should -Be '/assets/'
        Get-LvsContentRule $id | Where-Object Match -ne Host | Remove-LvsContentRule
        (Get-LvsContentRule $id).Pattern | Should -Be 'a.example'
        Remove-LvsContentRule $id 1 -WhatIf
        @(Get-LvsContentRule $id) | Should -HaveCount 1
    }

    It 'refuses a bad rule with an error naming the value, and leaves the rules as they were' {
        New-LvsContentRule $id Host a.example -Group api
        $e = Get-ErrorOf { New-LvsContentRule $id Host 'bad host!' -Group api }
        $e.FullyQualifiedErrorId | Should -Match '^InvalidHostPattern'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        "$e" | Should -Match 'bad host!'
        $e = Get-ErrorOf { New-LvsContentRule $id PathRegex '(unclosed' -Group api }
        $e.FullyQualifiedErrorId | Should -Match '^InvalidPathRegex'
        $e = Get-ErrorOf { Set-LvsContentRule $id 5 -Group api }
        $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        (Get-LvsContentRule $id).Pattern | Should -Be 'a.example'
    }

    It 'previews a request with Test-LvsScheduling -HttpHost, -Path and -Sni' {
        New-LvsContentRule $id Host api.example.com -Group api
        New-LvsContentRule $id Sni '*.tls.example' -Group api
        $p = Test-LvsScheduling $id -ClientAddress 203.0.113.7 -HttpHost api.example.com -Path /v1
        $p.Group | Should -Be 'api'
        $p.Rule | Should -Be 1
        $p.RealServer | Should -BeIn "127.0.0.1:$($script:Backends[0].Port)", "127.0.0.1:$($script:Backends[1].Port)"
        $q = Test-LvsScheduling $id -ClientAddress 203.0.113.7 -HttpHost www.example.com
        $q.Group | Should -BeNullOrEmpty
        $q.RealServer | Should -Be "127.0.0.1:$($script:Backends[2].Port)"
        (Test-LvsScheduling $id -ClientAddress 203.0.113.7 -Sni shop.tls.example).Rule | Should -Be 2
        $shares = Test-LvsScheduling $id -HttpHost api.example.com -Count 10
        ($shares | Measure-Object Requests -Sum).Sum | Should -Be 10
        $shares.RealServer | Should -Not -Contain "127.0.0.1:$($script:Backends[2].Port)"
    }

    It 'round-trips rules, groups and PROXY settings through a document, and reconciles a changed rule in place' {
        New-LvsContentRule $id Header blue -Name X-Tenant -Group api
        Set-LvsVirtualService $id -SendProxy V2 -AcceptProxy
        Set-LvsRealServer $id 127.0.0.1 -Port $script:Backends[0].Port -SendProxy None
        $yaml = Export-LvsConfiguration
        $yaml | Should -Match 'contentRules:'
        $yaml | Should -Match 'group: api'
        $yaml | Should -Match 'sendProxy: V2'
        $path = Join-Path $script:Dir 'content.yaml'
        Set-Content -LiteralPath $path -Value $yaml
        Compare-LvsConfiguration $path | Should -BeNullOrEmpty
        Set-LvsContentRule $id 1 -Pattern green
        $changes = @(Compare-LvsConfiguration $path)
        $changes | Should -HaveCount 1
        $changes[0].Property | Should -Be 'ContentRules'
        $changes[0].Action | Should -Be 'Change' # an edit in place of the service, never a delete and re-add
        $changes[0].Target | Should -Be 'VirtualService'
        Import-LvsConfiguration $path
        (Get-LvsContentRule $id).Pattern | Should -Be 'blue'
        (Get-LvsRealServer $id 127.0.0.1 -Port $script:Backends[0].Port).SendProxy | Should -Be 'None'
    }

    It 'brings content rules to the desired state through the DSC class resource' {
        $r = & $script:Module { [LvsVirtualService]::new() }
        $r.VirtualService = $id
        $r.ContentRules = @(@{ match = 'Host'; pattern = 'api.example.com'; group = 'api' })
        $r.DefaultGroup = 'api'
        $r.Test() | Should -BeFalse
        $r.Set()
        $r.Test() | Should -BeTrue
        (Get-LvsContentRule $id).Group | Should -Be 'api'
        $r.Get().ContentRules[0].pattern | Should -Be 'api.example.com'
    }
}

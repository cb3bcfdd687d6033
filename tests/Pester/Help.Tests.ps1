#Requires -Version 7.6
# Help quality of every exported command (modelled on Pester's own tst/Help.Tests.ps1): the help is the generated MAML,
# not PowerShell's auto-generated stub, it has examples, and its parameters match the command's real parameters.
# The commands are enumerated from the module, so cmdlets added later are checked too.

BeforeDiscovery {
    Import-Module $env:LVSPS_MODULE -Force
    $commands = @(Get-Command -Module LvsPs -CommandType Cmdlet, Function | Sort-Object Name | ForEach-Object {
            @{ Name = $_.Name; CommandType = $_.CommandType }
        })
}

BeforeAll {
    Import-Module $env:LVSPS_MODULE -Force

    # the parameters help should document: every parameter but the common ones (WhatIf and Confirm are documented)
    function Get-DocumentableParameter([System.Management.Automation.CommandInfo] $Command) {
        $common = [System.Management.Automation.Cmdlet]::CommonParameters
        @($Command.Parameters.Values | Where-Object { $_.Name -notin $common })
    }

    function Get-HelpTypeName([type] $Type) {
        $underlying = [Nullable]::GetUnderlyingType($Type)
        if ($underlying) { $Type = $underlying }
        $Type.FullName
    }
}

Describe 'Help of exported commands' -Tag 'Help' {
    It 'the module exports commands' {
        @(Get-Command -Module LvsPs -CommandType Cmdlet, Function).Count | Should -BeGreaterThan 0
    }

    Context '<Name>' -ForEach $commands {
        BeforeAll {
            $command = Get-Command -Module LvsPs -Name $Name
            $help = Get-Help -Name $Name -Full -ErrorAction Stop
            $helpParameters = @($help.parameters.parameter | Where-Object { $_ })
        }

        It 'has help from the module''s help file' {
            $help.Name | Should -Be $Name
            $help.ModuleName | Should -Be 'LvsPs'
            $help.Category | Should -Be $CommandType.ToString()
        }

        It 'has a real synopsis (not the syntax PowerShell puts there when help is missing)' {
            $help.Synopsis | Should -Not -BeNullOrEmpty
            $help.Synopsis | Should -Not -Match "^\s*$([regex]::Escape($Name))((\s+\[+?-\w+)|$)"
            $help.Synopsis.Trim() | Should -Not -Match '\r?\n' -Because 'the synopsis is one line'
        }

        It 'has a description' {
            $text = ($help.description | ForEach-Object Text) -join "`n"
            $text | Should -Not -BeNullOrEmpty
            $text.Length | Should -BeGreaterThan 40
        }

        It 'has at least one example, each with code and remarks' {
            $examples = @($help.examples.example | Where-Object { $_ })
            $examples.Count | Should -BeGreaterThan 0
            foreach ($example in $examples) {
                $example.code | Should -Not -BeNullOrEmpty -Because "example '$($example.title)' needs code"
                $example.code | Should -Match ([regex]::Escape($Name)) -Because "example '$($example.title)' should use $Name"
                (($example.remarks | ForEach-Object Text) -join '').Trim() | Should -Not -BeNullOrEmpty -Because "example '$($example.title)' needs remarks"
            }
        }

        It 'has related links' {
            @($help.relatedLinks.navigationLink | Where-Object { $_.linkText }).Count | Should -BeGreaterThan 0
        }

        It 'documents every parameter (none missing)' {
            $missing = @(Get-DocumentableParameter $command | Where-Object Name -NotIn $helpParameters.name | ForEach-Object Name)
            $missing | Should -BeNullOrEmpty -Because 'every parameter of the command needs help'
        }

        It 'documents no parameter the command does not have (none extra)' {
            $real = @(Get-DocumentableParameter $command | ForEach-Object Name)
            $extra = @($helpParameters.name | Where-Object { $_ -notin $real })
            $extra | Should -BeNullOrEmpty
        }

        It 'has a description for every parameter' {
            $undescribed = @($helpParameters | Where-Object {
                    -not (($_.description | ForEach-Object Text) -join '').Trim()
                } | ForEach-Object name)
            $undescribed | Should -BeNullOrEmpty
        }

        It 'gives each parameter its real type, Mandatory flag, position and aliases' {
            foreach ($parameter in Get-DocumentableParameter $command) {
                $ph = $helpParameters | Where-Object name -EQ $parameter.Name
                if (-not $ph) { continue }  # reported by 'none missing'
                $ph.type.name | Should -Be (Get-HelpTypeName $parameter.ParameterType) -Because "the type of -$($parameter.Name)"
                $mandatory = [bool]($parameter.ParameterSets.Values | Where-Object IsMandatory)
                $ph.required | Should -Be $mandatory.ToString().ToLowerInvariant() -Because "the Mandatory flag of -$($parameter.Name)"
                $positions = @($parameter.ParameterSets.Values | Where-Object Position -GE 0 | ForEach-Object Position | Sort-Object -Unique)
                $position = if ($positions.Count -gt 0) { [string] $positions[0] } else { 'named' }
                $ph.position | Should -Be $position -Because "the position of -$($parameter.Name)"
                $aliases = if ($parameter.Aliases.Count) { $parameter.Aliases -join ', ' } else { 'none' }
                $ph.aliases | Should -Be $aliases -Because "the aliases of -$($parameter.Name)"
            }
        }

        It 'lists each parameter''s type, default value, pipeline input and wildcards as the command has them' {
            foreach ($parameter in Get-DocumentableParameter $command) {
                $ph = $helpParameters | Where-Object name -EQ $parameter.Name
                if (-not $ph) { continue }  # reported by 'none missing'
                $ph.type.name | Should -Not -BeNullOrEmpty -Because "the type of -$($parameter.Name)"
                "$($ph.defaultValue)".Trim() | Should -Not -BeNullOrEmpty -Because "the default of -$($parameter.Name)"
                $byValue = [bool]($parameter.ParameterSets.Values | Where-Object ValueFromPipeline)
                $byName = [bool]($parameter.ParameterSets.Values | Where-Object ValueFromPipelineByPropertyName)
                $pipeline = if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
                $ph.pipelineInput | Should -Be $pipeline -Because "the pipeline input of -$($parameter.Name)"
                $wildcards = [bool]($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
                $ph.globbing | Should -Be $wildcards.ToString().ToLowerInvariant() -Because "the wildcards of -$($parameter.Name)"
            }
            if ($Name -eq 'Add-LvsRealServer') {
                # the help shows what PowerShell's own help shows: Default value, Accept pipeline input, wildcards
                $text = Get-Help $Name -Parameter Weight | Out-String -Width 200
                $text | Should -Match 'Default value\s+1'
                $text | Should -Match 'Accept pipeline input\?\s+True \(ByPropertyName\)'
            }
        }

        It 'has one syntax item per parameter set' {
            @($help.syntax.syntaxItem).Count | Should -Be @($command.ParameterSets).Count
        }
    }
}

Describe 'about_LvsPs' -Tag 'Help' {
    It 'Get-Help about_LvsPs returns the topic' {
        $topic = Get-Help about_LvsPs -ErrorAction Stop
        $topic | Should -Not -BeNullOrEmpty
        $text = ($topic | Out-String)
        $text | Should -Match 'about_LvsPs'
        $text | Should -Match 'tcp/192\.168\.0\.1:80'
        $text | Should -Match 'Masquerade'
    }

    It 'is listed as a help topic of category HelpFile' {
        $found = @(Get-Help -Name about_LvsPs -Category HelpFile -ErrorAction Stop)
        $found.Count | Should -BeGreaterThan 0
    }
}

#Requires -Version 7.6
<#
.SYNOPSIS
    Generates the MAML help of the LvsPs cmdlets (en-US/LvsPs.Commands.dll-Help.xml) from the staged module.
.DESCRIPTION
    Called by build.ps1's build step in a child pwsh (so the build process never loads the module). For every cmdlet the
    staged module exports it reads:
      - the cmdlet's metadata from Get-Command: parameter sets, parameter types, Mandatory, Position, pipeline input,
        aliases, ValidateSet values, [OutputType];
      - the help source src/LvsPs.Module/help/<Verb-Noun>.psd1: Synopsis, Description, Examples, and optionally Notes,
        Links, Parameters (description overrides), DefaultValues, Inputs and Outputs (type name -> text);
      - the C# XML documentation (LvsPs.Commands.xml): the <summary> of each parameter property, on the class that
        declares it (inherited parameters are documented on the base class).
    It collects every problem and fails (exit code 1) when any exported cmdlet has no help source, no synopsis, no
    description, no example with code, or a parameter without a description, or when a source overrides a parameter
    the cmdlet does not have.
.EXAMPLE
    dotnet pwsh -NoProfile -File src/LvsPs.Module/help/Build-LvsHelp.ps1 -ModulePath out/LvsPs/LvsPs.psd1 `
        -XmlDocPath src/LvsPs.Commands/bin/Release/net10.0/LvsPs.Commands.xml
#>
[CmdletBinding()]
param(
    # The staged module manifest (out/LvsPs/LvsPs.psd1).
    [Parameter(Mandatory)] [string] $ModulePath,
    # The C# XML documentation of the cmdlet assembly (LvsPs.Commands.xml).
    [Parameter(Mandatory)] [string] $XmlDocPath,
    # The folder with the <Verb-Noun>.psd1 help sources; defaults to this script's folder.
    [string] $SourcePath = $PSScriptRoot,
    # The MAML file to write; defaults to en-US/<assembly>-Help.xml beside the staged manifest.
    [string] $OutputPath,
    # Writes the help of the cmdlets that have no problems even when others have some (for drafting); still fails.
    [switch] $Force
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$problems = [System.Collections.Generic.List[string]]::new()
function Add-Problem([string] $Text) { $problems.Add($Text) }

# descriptions of the risk-mitigation parameters, which are not in the XML docs (PowerShell's own wording)
$standardDescriptions = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}
$commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters

#region text helpers

# The plain text of an XML doc element: <c>, <see cref>, <paramref>, <see langword> become text; whitespace collapses.
function ConvertFrom-XmlDocNode([System.Xml.XmlNode] $Node) {
    $sb = [System.Text.StringBuilder]::new()
    foreach ($child in $Node.ChildNodes) {
        switch ($child.NodeType) {
            'Text' { $null = $sb.Append($child.Value) }
            'CDATA' { $null = $sb.Append($child.Value) }
            'Element' {
                switch ($child.LocalName) {
                    'see' {
                        if ($child.HasAttribute('langword')) { $null = $sb.Append('$' + $child.GetAttribute('langword')) }
                        elseif ($child.InnerText) { $null = $sb.Append($child.InnerText) }
                        elseif ($child.HasAttribute('cref')) { $null = $sb.Append(($child.GetAttribute('cref') -replace '^\w:' -replace '\(.*$' -split '\.')[-1]) }
                    }
                    'paramref' { $null = $sb.Append($child.GetAttribute('name')) }
                    'typeparamref' { $null = $sb.Append($child.GetAttribute('name')) }
                    default { $null = $sb.Append((ConvertFrom-XmlDocNode $child)) }
                }
            }
        }
    }
    ($sb.ToString() -replace '\s+', ' ').Trim()
}

# Paragraphs of a help text: a blank line separates paragraphs; lines within a paragraph are joined.
function Split-Paragraph([string] $Text) {
    if ([string]::IsNullOrWhiteSpace($Text)) { return @() }
    @(($Text -replace "`r`n", "`n") -split "\n\s*\n" |
            ForEach-Object { (($_ -split "\n") | ForEach-Object { $_.Trim() }) -join ' ' } |
            Where-Object { $_ })
}

# The type name help shows: the full name, without Nullable<>.
function Get-HelpTypeName([type] $Type) {
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { $Type = $underlying }
    $Type.FullName
}

function Get-ShortTypeName([type] $Type) {
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { $Type = $underlying }
    $Type.Name
}

#endregion

#region inputs

$ModulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
if (-not (Test-Path -LiteralPath $XmlDocPath)) {
    Write-Host "Help generation failed: the XML documentation '$XmlDocPath' does not exist (is GenerateDocumentationFile on?)." -ForegroundColor Red
    exit 1
}
# the cmdlet assembly's docs, plus those of the assemblies beside it (LvsPs.Model.xml documents the output types)
$docSummaries = @{}
$docFiles = @((Resolve-Path -LiteralPath $XmlDocPath).ProviderPath) +
    @(Get-ChildItem -LiteralPath (Split-Path $XmlDocPath) -Filter 'LvsPs.*.xml' -File | ForEach-Object FullName)
foreach ($file in $docFiles | Select-Object -Unique) {
    [xml] $xmlDoc = Get-Content -LiteralPath $file -Raw
    if (-not $xmlDoc.SelectSingleNode('/doc/members')) { continue }
    foreach ($member in $xmlDoc.SelectNodes('/doc/members/member')) {
        $summary = $member.SelectSingleNode('summary')
        if ($summary -and -not $docSummaries.ContainsKey($member.name)) { $docSummaries[$member.name] = ConvertFrom-XmlDocNode $summary }
    }
}

$module = Import-Module -Name $ModulePath -Force -PassThru
$cmdlets = @(Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name)
if ($cmdlets.Count -eq 0) {
    Write-Host "Help generation failed: module '$ModulePath' exports no cmdlets." -ForegroundColor Red
    exit 1
}
if (-not $OutputPath) {
    $OutputPath = Join-Path (Split-Path $ModulePath) 'en-US' $cmdlets[0].HelpFile
}
$helpFiles = @($cmdlets.HelpFile | Sort-Object -Unique)
if ($helpFiles.Count -ne 1) { Add-Problem "The cmdlets name more than one help file: $($helpFiles -join ', ')." }

$sources = @{}
foreach ($file in Get-ChildItem -LiteralPath $SourcePath -Filter '*.psd1' -File) {
    try {
        $sources[$file.BaseName] = Import-PowerShellDataFile -LiteralPath $file.FullName
    }
    catch {
        Add-Problem "$($file.Name): cannot be read as a PowerShell data file: $($_.Exception.Message)"
    }
}
foreach ($name in $sources.Keys | Where-Object { $_ -notin $cmdlets.Name } | Sort-Object) {
    Write-Warning "Help source '$name.psd1' names no exported cmdlet; it is not used."
}

#endregion

#region model: one description of each cmdlet, built from its metadata and sources

function Get-DefaultValue([System.Management.Automation.CmdletInfo] $Cmdlet, [string] $Name, [hashtable] $Source, $Instance) {
    if ($Source.ContainsKey('DefaultValues') -and $Source.DefaultValues.ContainsKey($Name)) { return [string] $Source.DefaultValues[$Name] }
    $param = $Cmdlet.Parameters[$Name]
    # a Set- cmdlet changes only what it is given: an omitted setting keeps its value, whatever the property's initial value
    if ($Cmdlet.Verb -eq 'Set' -and $Name -notin 'PassThru', 'WhatIf', 'Confirm' -and
        ($param.ParameterSets.Values | Where-Object { -not $_.IsMandatory })) { return 'None (unchanged)' }
    if ($param.SwitchParameter) { return 'False' }
    # a parameter that is mandatory wherever it appears has no default
    if (-not ($param.ParameterSets.Values | Where-Object { -not $_.IsMandatory })) { return 'None' }
    if ($null -eq $Instance) { return 'None' }
    $property = $Cmdlet.ImplementingType.GetProperty($Name)
    if ($null -eq $property) { return 'None' }
    $value = $property.GetValue($Instance)
    if ($null -eq $value) { return 'None' }
    # a negative number on a parameter that takes no negative value is a sentinel ("not given"), not a default
    if ($value -is [int] -and $value -lt 0) { return 'None' }
    [string] $value
}

function Get-CmdletModel([System.Management.Automation.CmdletInfo] $Cmdlet) {
    $name = $Cmdlet.Name
    if (-not $sources.ContainsKey($name)) {
        Add-Problem "${name}: no help source; create src/LvsPs.Module/help/$name.psd1 (Synopsis, Description, Examples)."
        return
    }
    $source = $sources[$name]
    $known = 'Synopsis', 'Description', 'Examples', 'Notes', 'Links', 'Parameters', 'DefaultValues', 'Inputs', 'Outputs'
    foreach ($key in $source.Keys | Where-Object { $_ -notin $known }) { Add-Problem "${name}.psd1: unknown key '$key'; allowed: $($known -join ', ')." }

    if ([string]::IsNullOrWhiteSpace($source['Synopsis'])) { Add-Problem "${name}.psd1: Synopsis is missing or empty." }
    if ([string]::IsNullOrWhiteSpace($source['Description'])) { Add-Problem "${name}.psd1: Description is missing or empty." }
    $examples = @($source['Examples'] | Where-Object { $_ })
    if ($examples.Count -eq 0) { Add-Problem "${name}.psd1: no Examples; give at least one @{ Title = ...; Code = ...; Remarks = ... }." }
    $i = 0
    foreach ($example in $examples) {
        $i++
        if ($example -isnot [hashtable]) { Add-Problem "${name}.psd1: example $i is not a hashtable."; continue }
        if ([string]::IsNullOrWhiteSpace($example['Code'])) { Add-Problem "${name}.psd1: example $i has no Code." }
        if ([string]::IsNullOrWhiteSpace($example['Title'])) { Add-Problem "${name}.psd1: example $i has no Title." }
        elseif ($example['Title'] -notmatch "^Example ${i}: \S") { Add-Problem "${name}.psd1: example $i's Title should read 'Example ${i}: <what it does>', as every cmdlet's do." }
    }

    $overrides = if ($source['Parameters']) { $source.Parameters } else { @{} }
    foreach ($key in $overrides.Keys | Where-Object { -not $Cmdlet.Parameters.ContainsKey($_) }) {
        Add-Problem "${name}.psd1: Parameters names '$key', which $name does not have."
    }
    if ($source['DefaultValues']) {
        foreach ($key in $source.DefaultValues.Keys | Where-Object { -not $Cmdlet.Parameters.ContainsKey($_) }) {
            Add-Problem "${name}.psd1: DefaultValues names '$key', which $name does not have."
        }
    }

    $instance = try { [Activator]::CreateInstance($Cmdlet.ImplementingType) } catch { $null }

    # every parameter except the common ones, in declaration order across the parameter sets
    $sets = @($Cmdlet.ParameterSets)
    $paramNames = [System.Collections.Generic.List[string]]::new()
    foreach ($set in $sets) {
        foreach ($p in $set.Parameters) {
            if ($p.Name -notin $commonParameters -and -not $paramNames.Contains($p.Name)) { $paramNames.Add($p.Name) }
        }
    }

    $parameters = [ordered]@{}
    foreach ($pName in $paramNames) {
        $meta = $Cmdlet.Parameters[$pName]
        $inSets = @($sets | ForEach-Object { $_.Parameters | Where-Object Name -EQ $pName })
        $description = $null
        if ($overrides.ContainsKey($pName)) { $description = [string] $overrides[$pName] }
        elseif ($standardDescriptions.ContainsKey($pName)) { $description = $standardDescriptions[$pName] }
        else {
            $property = $Cmdlet.ImplementingType.GetProperty($pName)
            if ($property) { $description = $docSummaries["P:$($property.DeclaringType.FullName).$($property.Name)"] }
        }
        if ([string]::IsNullOrWhiteSpace($description)) {
            $declaring = $Cmdlet.ImplementingType.GetProperty($pName).DeclaringType.FullName
            Add-Problem "${name}: parameter -$pName has no description; write a /// <summary> on P:$declaring.$pName or give Parameters = @{ $pName = '...' } in $name.psd1."
        }
        $positions = @($inSets | Where-Object { $_.Position -ge 0 } | ForEach-Object Position | Sort-Object -Unique)
        $byValue = [bool]($inSets | Where-Object ValueFromPipeline)
        $byName = [bool]($inSets | Where-Object ValueFromPipelineByPropertyName)
        $validateSet = $meta.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
        $elementType = if ($meta.ParameterType.IsArray) { $meta.ParameterType.GetElementType() } else { $meta.ParameterType }
        $elementType = if ([Nullable]::GetUnderlyingType($elementType)) { [Nullable]::GetUnderlyingType($elementType) } else { $elementType }
        $values = @(if ($validateSet) { $validateSet.ValidValues } elseif ($elementType.IsEnum) { [enum]::GetNames($elementType) })
        $parameters[$pName] = [pscustomobject]@{
            Name         = $pName
            Description  = $description
            Type         = $meta.ParameterType
            TypeName     = Get-HelpTypeName $meta.ParameterType
            ShortType    = Get-ShortTypeName $meta.ParameterType
            IsSwitch     = $meta.SwitchParameter
            IsArray      = $meta.ParameterType.IsArray
            Required     = [bool]($inSets | Where-Object IsMandatory)
            Position     = if ($positions.Count -gt 0) { [string] $positions[0] } else { 'named' }
            PipelineText = if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
            ByValue      = $byValue
            Globbing     = [bool]($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            Aliases      = if ($meta.Aliases.Count -gt 0) { $meta.Aliases -join ', ' } else { 'none' }
            Default      = Get-DefaultValue $Cmdlet $pName $source $instance
            Values       = $values
        }
    }

    # syntax: one item per parameter set, positional parameters first (by position), then the rest in order
    $syntax = foreach ($set in ($sets | Sort-Object { -not $_.IsDefault }, Name)) {
        $inSet = @($set.Parameters | Where-Object { $_.Name -notin $commonParameters })
        $ordered = @($inSet | Where-Object { $_.Position -ge 0 } | Sort-Object Position) + @($inSet | Where-Object { $_.Position -lt 0 })
        [pscustomobject]@{
            Name       = $set.Name
            Parameters = @(foreach ($p in $ordered) {
                    $pipe = if ($p.ValueFromPipeline -and $p.ValueFromPipelineByPropertyName) { 'True (ByValue, ByPropertyName)' }
                    elseif ($p.ValueFromPipeline) { 'True (ByValue)' } elseif ($p.ValueFromPipelineByPropertyName) { 'True (ByPropertyName)' } else { 'False' }
                    [pscustomobject]@{
                        Model        = $parameters[$p.Name]
                        Required     = $p.IsMandatory
                        Position     = if ($p.Position -ge 0) { [string] $p.Position } else { 'named' }
                        PipelineText = $pipe
                    }
                })
        }
    }

    # inputs: the types taken from the pipeline by value; outputs: [OutputType]
    $inputOverrides = if ($source['Inputs']) { $source.Inputs } else { @{} }
    $outputOverrides = if ($source['Outputs']) { $source.Outputs } else { @{} }
    $inputs = @(foreach ($p in $parameters.Values | Where-Object ByValue) {
            $typeName = $p.TypeName
            $text = if ($inputOverrides.ContainsKey($typeName)) { $inputOverrides[$typeName] }
            else { "You can pipe a value for -$($p.Name) to this cmdlet: $($p.Description)" }
            [pscustomobject]@{ Type = $typeName; Description = $text }
        })
    foreach ($key in $inputOverrides.Keys | Where-Object { $_ -notin $inputs.Type }) {
        $inputs += [pscustomobject]@{ Type = $key; Description = $inputOverrides[$key] }
    }
    if ($inputs.Count -eq 0) { $inputs = @([pscustomobject]@{ Type = 'None'; Description = "You can't pipe objects to this cmdlet." }) }

    $outputTypes = @($Cmdlet.OutputType | ForEach-Object { $_.Type } | Where-Object { $_ -and $_ -ne [void] })
    $outputs = @(foreach ($t in $outputTypes) {
            $typeName = Get-HelpTypeName $t
            $text = if ($outputOverrides.ContainsKey($typeName)) { $outputOverrides[$typeName] }
            elseif ($docSummaries.ContainsKey("T:$typeName")) { $docSummaries["T:$typeName"] }
            else { '' }
            if ($parameters.Contains('PassThru')) { $text = "With -PassThru: $text".Trim() }
            [pscustomobject]@{ Type = $typeName; Description = $text }
        })
    foreach ($key in $outputOverrides.Keys | Where-Object { $_ -notin $outputs.Type }) {
        $outputs += [pscustomobject]@{ Type = $key; Description = $outputOverrides[$key] }
    }
    if ($outputs.Count -eq 0) {
        $outputs = @([pscustomobject]@{ Type = 'None'; Description = 'This cmdlet returns no output.' })
    }
    elseif ($parameters.Contains('PassThru')) {
        $outputs = @([pscustomobject]@{ Type = 'None'; Description = 'By default, this cmdlet returns no output.' }) + $outputs
    }

    [pscustomobject]@{
        Name        = $name
        Verb        = $Cmdlet.Verb
        Noun        = $Cmdlet.Noun
        Synopsis    = ([string] $source['Synopsis']).Trim()
        Description = @(Split-Paragraph $source['Description'])
        Syntax      = @($syntax)
        Parameters  = @($parameters.Values | Sort-Object Name)
        Inputs      = $inputs
        Outputs     = $outputs
        Notes       = @(Split-Paragraph $source['Notes'])
        Examples    = $examples
        Links       = @($source['Links'] | Where-Object { $_ })
    }
}

#endregion

#region MAML writer

$ns = @{
    msh     = 'http://msh'
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}

function Write-Paragraphs([System.Xml.XmlWriter] $W, [string] $Element, [string[]] $Paragraphs) {
    # $Element is 'description', or 'Description' for parameters (as PowerShell's own help files spell it)
    $W.WriteStartElement('maml', $Element, $ns.maml)
    if (-not $Paragraphs -or $Paragraphs.Count -eq 0) { $Paragraphs = @('') }
    foreach ($p in $Paragraphs) { $W.WriteElementString('maml', 'para', $ns.maml, $p) }
    $W.WriteEndElement()
}

function Write-DevType([System.Xml.XmlWriter] $W, [string] $TypeName, [switch] $WithUri) {
    $W.WriteStartElement('dev', 'type', $ns.dev)
    $W.WriteElementString('maml', 'name', $ns.maml, $TypeName)
    if ($WithUri) { $W.WriteElementString('maml', 'uri', $ns.maml, '') }
    $W.WriteEndElement()
}

function Write-Parameter([System.Xml.XmlWriter] $W, $Model, [string] $Required, [string] $Position, [string] $Pipeline, [switch] $InSyntax) {
    $W.WriteStartElement('command', 'parameter', $ns.command)
    $W.WriteAttributeString('required', $Required.ToLowerInvariant())
    $W.WriteAttributeString('variableLength', $Model.IsArray.ToString().ToLowerInvariant())
    $W.WriteAttributeString('globbing', $Model.Globbing.ToString().ToLowerInvariant())
    $W.WriteAttributeString('pipelineInput', $Pipeline)
    $W.WriteAttributeString('position', $Position)
    $W.WriteAttributeString('aliases', $Model.Aliases)
    $W.WriteElementString('maml', 'name', $ns.maml, $Model.Name)
    Write-Paragraphs $W 'Description' (Split-Paragraph $Model.Description)
    if ($InSyntax -and $Model.Values.Count -gt 0) {
        $W.WriteStartElement('command', 'parameterValueGroup', $ns.command)
        foreach ($v in $Model.Values) {
            $W.WriteStartElement('command', 'parameterValue', $ns.command)
            $W.WriteAttributeString('required', 'false')
            $W.WriteAttributeString('command', 'variableLength', $ns.command, 'false')
            $W.WriteString($v)
            $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }
    if (-not $Model.IsSwitch) {
        $W.WriteStartElement('command', 'parameterValue', $ns.command)
        $W.WriteAttributeString('required', 'true')
        $W.WriteAttributeString('variableLength', $Model.IsArray.ToString().ToLowerInvariant())
        $W.WriteString($Model.ShortType)
        $W.WriteEndElement()
    }
    Write-DevType $W $Model.TypeName -WithUri
    $W.WriteElementString('dev', 'defaultValue', $ns.dev, $Model.Default)
    $W.WriteEndElement()
}

function Write-Command([System.Xml.XmlWriter] $W, $M) {
    $W.WriteStartElement('command', 'command', $ns.command)
    $W.WriteAttributeString('xmlns', 'maml', $null, $ns.maml)
    $W.WriteAttributeString('xmlns', 'command', $null, $ns.command)
    $W.WriteAttributeString('xmlns', 'dev', $null, $ns.dev)
    $W.WriteAttributeString('xmlns', 'MSHelp', $null, $ns.MSHelp)

    $W.WriteStartElement('command', 'details', $ns.command)
    $W.WriteElementString('command', 'name', $ns.command, $M.Name)
    $W.WriteElementString('command', 'verb', $ns.command, $M.Verb)
    $W.WriteElementString('command', 'noun', $ns.command, $M.Noun)
    Write-Paragraphs $W 'description' @($M.Synopsis)
    $W.WriteEndElement()

    Write-Paragraphs $W 'description' $M.Description

    $W.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($item in $M.Syntax) {
        $W.WriteStartElement('command', 'syntaxItem', $ns.command)
        $W.WriteElementString('maml', 'name', $ns.maml, $M.Name)
        foreach ($p in $item.Parameters) {
            Write-Parameter $W $p.Model ([string] $p.Required) $p.Position $p.PipelineText -InSyntax
        }
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($p in $M.Parameters) { Write-Parameter $W $p ([string] $p.Required) $p.Position $p.PipelineText }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'inputTypes', $ns.command)
    foreach ($t in $M.Inputs) {
        $W.WriteStartElement('command', 'inputType', $ns.command)
        Write-DevType $W $t.Type
        Write-Paragraphs $W 'description' (Split-Paragraph $t.Description)
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'returnValues', $ns.command)
    foreach ($t in $M.Outputs) {
        $W.WriteStartElement('command', 'returnValue', $ns.command)
        Write-DevType $W $t.Type
        Write-Paragraphs $W 'description' (Split-Paragraph $t.Description)
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    if ($M.Notes.Count -gt 0) {
        $W.WriteStartElement('maml', 'alertSet', $ns.maml)
        $W.WriteStartElement('maml', 'alert', $ns.maml)
        foreach ($p in $M.Notes) { $W.WriteElementString('maml', 'para', $ns.maml, $p) }
        $W.WriteEndElement()
        $W.WriteEndElement()
    }

    $W.WriteStartElement('command', 'examples', $ns.command)
    foreach ($e in $M.Examples) {
        $W.WriteStartElement('command', 'example', $ns.command)
        $W.WriteElementString('maml', 'title', $ns.maml, "--------- $(([string] $e.Title).Trim()) ---------")
        $W.WriteElementString('dev', 'code', $ns.dev, (([string] $e.Code) -replace "`r`n", "`n").Trim())
        $W.WriteStartElement('dev', 'remarks', $ns.dev)
        foreach ($p in (Split-Paragraph ([string] $e['Remarks']))) { $W.WriteElementString('maml', 'para', $ns.maml, $p) }
        # an empty paragraph separates the remarks from the next example's title
        $W.WriteElementString('maml', 'para', $ns.maml, '')
        $W.WriteEndElement()
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'relatedLinks', $ns.command)
    foreach ($link in $M.Links) {
        $W.WriteStartElement('maml', 'navigationLink', $ns.maml)
        if ($link -match '^https?://') {
            $W.WriteElementString('maml', 'linkText', $ns.maml, 'Online version:')
            $W.WriteElementString('maml', 'uri', $ns.maml, $link)
        }
        else {
            $W.WriteElementString('maml', 'linkText', $ns.maml, $link)
            $W.WriteElementString('maml', 'uri', $ns.maml, '')
        }
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteEndElement()
}

#endregion

$models = @(foreach ($cmdlet in $cmdlets) { Get-CmdletModel $cmdlet })

if ($problems.Count -gt 0) {
    Write-Host "Help generation failed with $($problems.Count) problem(s):" -ForegroundColor Red
    foreach ($p in $problems) { Write-Host "  - $p" -ForegroundColor Red }
    if (-not $Force) { exit 1 }
}

$null = New-Item -ItemType Directory -Path (Split-Path $OutputPath) -Force
$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.IndentChars = '  '
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$writer = [System.Xml.XmlWriter]::Create($OutputPath, $settings)
try {
    $writer.WriteStartDocument()
    $writer.WriteStartElement('helpItems', $ns.msh)
    $writer.WriteAttributeString('schema', 'maml')
    foreach ($m in $models) { Write-Command $writer $m }
    $writer.WriteEndElement()
    $writer.WriteEndDocument()
}
finally {
    $writer.Dispose()
}
Write-Host "    help for $($models.Count) cmdlets written to $OutputPath"
if ($problems.Count -gt 0) { exit 1 }

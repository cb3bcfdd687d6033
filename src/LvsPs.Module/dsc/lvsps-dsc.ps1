#Requires -Version 7.6
<#
.SYNOPSIS
    The command behind the LvsPs DSC v3 resources (LvsPs/VirtualService, LvsPs/RealServer, LvsPs/Configuration).
.DESCRIPTION
    DSC runs it as the manifests (*.dsc.resource.json next to it) say, with the instance as compressed JSON on stdin.
    It calls the same facade as the class-based resources, [LvsPs.Commands.Dsc.LvsDsc], whose reconcile planner is the
    one Import-LvsConfiguration uses. Output, one JSON object per line:
      get     the actual state (with _exist)
      test    the actual state with _inDesiredState, then a JSON array of the properties that differ (stateAndDiff)
      set     the state after the change, then a JSON array of the properties that were changed (stateAndDiff)
      export  one line per instance
    Exit codes: 0 success; 1 error (the director refused a change, or failed); 2 invalid input (bad JSON, unknown
    property, bad value); 3 the director is unavailable (no director service at the socket, no permission).
    A DSC v3 resource runs in a process of its own, so it needs a director that outlives it: give "director" in the
    instance (Service:/path/to/director.sock, or Kernel), or set LVSPS_DIRECTOR. The in-session managed director would
    start empty and stop with the process.
#>
param(
    [Parameter(Mandatory)] [ValidateSet('VirtualService', 'RealServer', 'Configuration')] [string] $Resource,
    [Parameter(Mandatory)] [ValidateSet('get', 'set', 'test', 'export')] [string] $Operation
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

function Exit-WithError([int] $Code, [string] $Message) {
    # DSC reads trace messages from stderr as JSON lines
    [Console]::Error.WriteLine((@{ error = $Message } | ConvertTo-Json -Compress))
    exit $Code
}

try {
    Import-Module (Join-Path $PSScriptRoot '..' 'LvsPs.psd1') -ErrorAction Stop
}
catch {
    Exit-WithError 1 "LvsPs could not be loaded: $($_.Exception.Message)"
}

$text = [Console]::In.ReadToEnd()
try {
    $instance = if ([string]::IsNullOrWhiteSpace($text)) { @{} } else { $text | ConvertFrom-Json -AsHashtable }
    if ($instance -isnot [hashtable]) { throw 'the input is not a JSON object' }
}
catch {
    Exit-WithError 2 "The input is not a JSON object of $Resource properties: $($_.Exception.Message)"
}
if (-not $instance.ContainsKey('director') -and $env:LVSPS_DIRECTOR) { $instance['director'] = $env:LVSPS_DIRECTOR }

try {
    $outcome = [LvsPs.Commands.Dsc.LvsDsc]::Invoke($Resource, $Operation, $instance)
}
catch {
    $e = $_.Exception
    while ($e -and $e -isnot [LvsPs.Model.LvsException]) { $e = $e.InnerException }
    if (-not $e) { Exit-WithError 1 $_.Exception.Message }
    $code = switch ($e.Kind.ToString()) {
        'InvalidArgument' { 2 }
        { $_ -in 'Unavailable', 'PermissionDenied' } { 3 }
        default { 1 }
    }
    Exit-WithError $code "$($e.ErrorId): $($e.Message)"
}

switch ($Operation) {
    'get' {
        $outcome.State | ConvertTo-Json -Compress -Depth 5
    }
    'test' {
        $state = $outcome.State
        $state['_inDesiredState'] = $outcome.InDesiredState
        $state | ConvertTo-Json -Compress -Depth 5
        ConvertTo-Json -Compress -InputObject @($outcome.DifferingProperties)
    }
    'set' {
        $outcome.State | ConvertTo-Json -Compress -Depth 5
        ConvertTo-Json -Compress -InputObject @($outcome.DifferingProperties)
    }
    'export' {
        foreach ($item in $outcome.Instances) { $item | ConvertTo-Json -Compress -Depth 5 }
    }
}
exit 0

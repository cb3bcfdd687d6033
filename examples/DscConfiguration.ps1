<#
.SYNOPSIS
    A DSC configuration for an LvsPs director, with the class-based resources LvsVirtualService, LvsRealServer and
    LvsConfiguration that LvsPs exports (DscResourcesToExport).
.DESCRIPTION
    With PSDesiredStateConfiguration (2.x) installed, compile it to a MOF and apply it as usual:

        . ./examples/DscConfiguration.ps1
        LvsDirector -OutputPath ./mof
        Start-DscConfiguration -Path ./mof -Wait -Verbose        # or: Invoke-DscResource per resource

    Without it (the module is not on every system), run this file: the same resources are plain PowerShell classes,
    and the bottom of this file calls Get/Test/Set directly, as DscCommunity's tests do (and as
    tests/Pester/Examples.Tests.ps1 does with this file, on a machine without PSDesiredStateConfiguration):

        dotnet pwsh ./examples/DscConfiguration.ps1
    The resources use the reconcile planner of Import-LvsConfiguration: a changed weight is an edit in place, so
    established connections survive, and drift (a real server removed by hand with ipvsadm) is found by Test, listed in
    Reasons and repaired by Set. Director = 'Service:/run/lvsps/director.sock' points a resource at a director service;
    without it the session's director is used.
#>

# The configuration is text until PSDesiredStateConfiguration is there: PowerShell parses a Configuration block only
# with that module installed, and this file must run without it.
$configuration = @'
Configuration LvsDirector {
    Import-DscResource -ModuleName LvsPs

    Node 'localhost' {
        LvsVirtualService Web {
            VirtualService     = 'tcp/127.0.0.80:8080'
            Scheduler          = 'wrr'
            PersistenceTimeout = 300
            Director           = 'Service:/run/lvsps/director.sock'
        }
        LvsRealServer Web1 {
            VirtualService = 'tcp/127.0.0.80:8080'
            Address        = '127.0.0.1'
            Port           = 8081
            Weight         = 3
            UpperThreshold = 1000
            Director       = 'Service:/run/lvsps/director.sock'
            DependsOn      = '[LvsVirtualService]Web'
        }
        LvsRealServer Old {
            VirtualService = 'tcp/127.0.0.80:8080'
            Address        = '127.0.0.1'
            Port           = 8083
            Ensure         = 'Absent'
            Director       = 'Service:/run/lvsps/director.sock'
        }
        # or the whole director from one document, removing whatever it does not name
        LvsConfiguration Everything {
            Path     = '/etc/lvsps/director.yaml'
            Prune    = $true
            Director = 'Service:/run/lvsps/director.sock'
        }
    }
}
'@
if (Get-Module -ListAvailable -Name PSDesiredStateConfiguration) {
    . ([scriptblock]::Create($configuration))      # defines LvsDirector (in the caller's scope when dot-sourced)
}

if ($MyInvocation.InvocationName -ne '.') {
    # run directly: drive the resources by hand on the in-session director
    Import-Module (Join-Path $PSScriptRoot '..' 'out' 'LvsPs' 'LvsPs.psd1')
    $module = Get-Module LvsPs
    $web = & $module { [LvsVirtualService]::new() }
    $web.VirtualService = 'tcp/127.0.0.80:8080'
    $web.Scheduler = 'wrr'
    $rs = & $module { [LvsRealServer]::new() }
    $rs.VirtualService = 'tcp/127.0.0.80:8080'; $rs.Address = '127.0.0.1'; $rs.Port = 8081; $rs.Weight = 3
    foreach ($resource in $web, $rs) {
        if (-not $resource.Test()) {
            $resource.Get().Reasons | ForEach-Object { Write-Host "out of state: $($_.Phrase)" }
            $resource.Set()
        }
    }
    Get-LvsVirtualService
    Stop-LvsDirector
}

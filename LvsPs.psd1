@{
    RootModule             = 'LvsPs.psm1'
    ModuleVersion          = '0.1.0'
    GUID                   = '6f1f3c2e-4a5b-4c1d-9e7a-2b8d0c4f5a61'
    Author                 = 'LvsPs contributors'
    CompanyName            = 'LvsPs'
    Copyright              = '(c) LvsPs contributors. All rights reserved.'
    Description            = 'Linux Virtual Server (LVS) load balancing from PowerShell: virtual services, real servers, schedulers and stats on a managed forwarding engine or on kernel IPVS.'
    PowerShellVersion      = '7.6'
    CompatiblePSEditions   = @('Core')
    NestedModules          = @('LvsPs.Commands.dll')
    FormatsToProcess       = @('LvsPs.Format.ps1xml')
    FunctionsToExport      = @()
    CmdletsToExport        = @(
        'New-LvsVirtualService'
        'Get-LvsVirtualService'
        'Set-LvsVirtualService'
        'Remove-LvsVirtualService'
        'Clear-LvsVirtualService'
        'Add-LvsRealServer'
        'Get-LvsRealServer'
        'Set-LvsRealServer'
        'Remove-LvsRealServer'
        'Test-LvsScheduling'
        'Get-LvsStats'
        'Reset-LvsStats'
        'Get-LvsTimeout'
        'Set-LvsTimeout'
        'Start-LvsDirector'
        'Stop-LvsDirector'
        'Restart-LvsDirector'
        'Get-LvsDirector'
        'Set-LvsHealthCheck'
        'Get-LvsHealthCheck'
        'Remove-LvsHealthCheck'
        'Get-LvsHealth'
        'Test-LvsKernelFtp'
        'Connect-LvsDirector'
        'Disconnect-LvsDirector'
        'Get-LvsConnection'
        'Start-LvsSyncDaemon'
        'Stop-LvsSyncDaemon'
        'Get-LvsSyncDaemon'
        'Export-LvsConfiguration'
        'Import-LvsConfiguration'
        'Compare-LvsConfiguration'
        'New-LvsContentRule'
        'Get-LvsContentRule'
        'Set-LvsContentRule'
        'Remove-LvsContentRule'
        'Get-LvsFailover'
        'Set-LvsFailover'
        'Get-LvsBgp'
        'Set-LvsBgp'
        'Suspend-LvsDirector'
        'Resume-LvsDirector'
    )
    DscResourcesToExport   = @('LvsVirtualService', 'LvsRealServer', 'LvsConfiguration')
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            # what PowerShell Gallery-style repositories show; no ProjectUri or LicenseUri: the project has no public
            # address yet (give them here when it does, never a guessed one)
            Tags         = @('LVS', 'IPVS', 'LoadBalancer', 'ipvsadm', 'keepalived', 'Linux', 'Networking', 'DSC', 'PSEdition_Core')
            ReleaseNotes = @'
0.1.0
- Virtual services, real servers, all fourteen IPVS schedulers, stats and timeouts on a managed .NET forwarding
  engine (in the session or as a director service) or on kernel IPVS over generic netlink.
- Health checks (TCP, HTTP(S), command) with quiesce/remove and a sorry server; graceful drain; FTP helper.
- Desired state: director documents (YAML/JSON), Compare-/Import-/Export-LvsConfiguration, DSC resources.
- Output objects for scripts: ConvertTo-Json and Export-Csv give text and names; views fit 80 columns; listings sort
  as ipvsadm -L (-NoSort for the kernel's order); -WhatIf says what would change, from and to.
'@
        }
    }
}

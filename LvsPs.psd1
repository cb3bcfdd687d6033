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
        'Get-LvsFailover'
        'Set-LvsFailover'
        'Suspend-LvsDirector'
        'Resume-LvsDirector'
    )
    DscResourcesToExport   = @('LvsVirtualService', 'LvsRealServer', 'LvsConfiguration')
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags       = @('LVS', 'IPVS', 'LoadBalancer', 'ipvsadm', 'Linux', 'Networking')
            ProjectUri = ''
        }
    }
}

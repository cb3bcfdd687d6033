@{
    Synopsis    = 'Deletes every virtual service (ipvsadm -C).'
    Description = @'
Clear-LvsVirtualService deletes every virtual service of the director, with their real servers; it is the equivalent of ipvsadm -C. The director keeps running, and its timeouts stay as they are.

The cmdlet has a high confirm impact, so it asks for confirmation unless you give -Confirm:$false or have lowered $ConfirmPreference. To also stop the in-session managed director and release its sockets, use Stop-LvsDirector, which discards the configuration as well.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Delete every service'
            Code    = 'Clear-LvsVirtualService'
            Remarks = 'Asks for confirmation, then deletes every virtual service, like ipvsadm -C.'
        }
        @{
            Title   = 'Example 2: Delete every service in a script, without a prompt'
            Code    = 'Clear-LvsVirtualService -Confirm:$false'
            Remarks = 'Deletes every virtual service without asking.'
        }
        @{
            Title   = 'Example 3: See how many services would be deleted'
            Code    = 'Clear-LvsVirtualService -WhatIf'
            Remarks = 'Writes a line such as: What if: Performing the operation "Remove all virtual services" on target "2 virtual service(s)".'
        }
    )
    Links       = @('Remove-LvsVirtualService', 'Stop-LvsDirector', 'Get-LvsVirtualService', 'about_LvsPs')
}

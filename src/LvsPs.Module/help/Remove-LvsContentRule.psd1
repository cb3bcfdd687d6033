@{
    Synopsis    = 'Removes content rules from a virtual service.'
    Description = @'
Remove-LvsContentRule removes the rules at the given -Order places of a virtual service. Rules piped from Get-LvsContentRule are removed together once the pipeline ends, so removing one does not renumber the others. Connections already relayed are not affected. The cmdlet supports -WhatIf and -Confirm.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Remove the second rule'
            Code    = 'Remove-LvsContentRule tcp/192.0.2.10:80 -Order 2'
            Remarks = 'The rules after it move up by one.'
        }
        @{
            Title   = 'Example 2: Remove every rule that sends to a group'
            Code    = 'Get-LvsContentRule tcp/192.0.2.10:80 -Group old | Remove-LvsContentRule'
            Remarks = 'Removes all of them at once.'
        }
    )
    Links       = @('Get-LvsContentRule', 'New-LvsContentRule', 'Set-LvsContentRule', 'about_LvsPs')
}

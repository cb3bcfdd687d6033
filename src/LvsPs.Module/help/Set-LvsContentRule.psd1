@{
    Synopsis    = 'Changes a content rule in place, or moves it in the order.'
    Description = @'
Set-LvsContentRule changes the rule at -Order of a virtual service: its -Match, -Pattern, -Name or -Group, and with -NewOrder its place in the order (rules are checked first to last). Only the parameters you give change. The changed rule is validated before anything changes; when nothing would change, the cmdlet says so with -Verbose. -WhatIf says what the rule would change from and to.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Point a rule at another group'
            Code    = 'Set-LvsContentRule tcp/192.0.2.10:80 -Order 2 -Group api-v2'
            Remarks = 'Connections that match rule 2 now go to the api-v2 group.'
        }
        @{
            Title   = 'Example 2: Move a rule to the front'
            Code    = 'Set-LvsContentRule tcp/192.0.2.10:80 3 -NewOrder 1 -WhatIf'
            Remarks = 'Shows the move without making it.'
        }
    )
    Links       = @('Get-LvsContentRule', 'New-LvsContentRule', 'Remove-LvsContentRule', 'about_LvsPs')
}

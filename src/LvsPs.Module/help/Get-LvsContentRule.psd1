@{
    Synopsis    = 'Lists the content rules of virtual services, in the order they are checked.'
    Description = @'
Get-LvsContentRule writes one object per content rule: the virtual service, the rule's Order (from 1, the first checked), Match, Name (for Header and Cookie rules), Pattern and Group. Without -VirtualService it lists the rules of every service. -Group keeps the rules that send connections to that group.

Pipe the rules to Set-LvsContentRule or Remove-LvsContentRule.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: The rules of a service'
            Code    = 'Get-LvsContentRule tcp/192.0.2.10:80'
            Remarks = 'Lists the rules in order.'
        }
        @{
            Title   = 'Example 2: Every rule that sends to the api group, as JSON'
            Code    = 'Get-LvsContentRule -Group api | Select-Object VirtualService, Order, Match, Pattern | ConvertTo-Json'
            Remarks = 'Objects with plain properties, for scripts and CI pipelines.'
        }
    )
    Links       = @('New-LvsContentRule', 'Set-LvsContentRule', 'Remove-LvsContentRule', 'about_LvsPs')
}

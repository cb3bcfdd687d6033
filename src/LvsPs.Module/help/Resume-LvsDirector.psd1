@{
    Synopsis    = 'Brings a suspended director back into its failover pair.'
    Description = @'
Resume-LvsDirector undoes Suspend-LvsDirector: the director service starts keepalived again, which rejoins the pair as backup; with preempt (the default) a node of higher priority then takes mastership back. The cmdlet supports -WhatIf and -Confirm.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Rejoin after maintenance'
            Code    = 'Resume-LvsDirector -Director Service -PassThru'
            Remarks = 'Writes the status: Suspended is False, and the role follows once keepalived reports it.'
        }
    )
    Notes       = 'Errors: the director is in no pair (InvalidArgument, NoFailoverPair) or cannot be (NotSupported, FailoverNotAvailable).'
    Links       = @('Suspend-LvsDirector', 'Get-LvsFailover', 'about_LvsPs')
}

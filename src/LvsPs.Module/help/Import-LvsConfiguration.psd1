@{
    Synopsis    = 'Adds the services and real servers of ipvsadm rules to the director.'
    Description = 'Reads rules in the format ipvsadm -S and ipvsadm-save write (short or long option names, comments and blank lines allowed) and adds them to the current director, kernel or managed. It is all or nothing: when one rule fails (a duplicate, an unknown scheduler), the rules already applied are undone and the error is reported. On the kernel backend the rules go to the kernel in batches on one netlink socket.'
    Examples    = @(
        @{ Title = 'Restore a saved table'; Code = 'Import-LvsConfiguration ./ipvs.rules'; Remarks = 'Adds what Export-LvsConfiguration or ipvsadm -S wrote.' }
        @{ Title = 'Rules from a pipeline'; Code = 'ipvsadm -S -n | Import-LvsConfiguration -WhatIf'; Remarks = 'Shows how many services and real servers would be added.' }
    )
    Notes       = 'As with ipvsadm -R, existing services are not removed first; a rule for a service that exists fails the import.'
    Links       = @('Export-LvsConfiguration')
}

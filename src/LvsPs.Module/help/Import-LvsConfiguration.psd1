@{
    Synopsis    = 'Converges the director to a YAML or JSON director document, or to ipvsadm rules, with the fewest changes.'
    Description = 'Reads a director document (YAML or JSON, docs/desired-state.md) or rules in the format ipvsadm -S and ipvsadm-save write, checks it strictly (an unknown key, a wrong type, a bad address, port or weight, an unknown scheduler, a duplicate service or real server: each an error naming the file, line and column; nothing is applied from a document with any error), compares it with the director and makes the fewest changes that bring the director to it. A changed weight, threshold, forwarding method or scheduler is an edit in place, never a delete and re-add, so established connections survive. Services and real servers the document does not name are left alone unless -Prune is given. The changes are applied all or nothing: when one fails, those already made are undone. Running it twice makes no change the second time. -WhatIf lists every change and makes none; from 20 changes on, progress is shown.'
    Examples    = @(
        @{ Title = 'Example 1: Converge to a document'; Code = 'Import-LvsConfiguration ./director.yaml -Prune -Verbose'; Remarks = 'Adds, edits and removes what differs; -Verbose names each change.' }
        @{ Title = 'Example 2: See what would change'; Code = 'Import-LvsConfiguration ./director.yaml -WhatIf'; Remarks = 'One "What if" line per difference.' }
        @{ Title = 'Example 3: Restore a saved table'; Code = 'ipvsadm -S -n | Import-LvsConfiguration -PassThru'; Remarks = 'Rules from the pipeline; writes the changes made.' }
    )
    Notes       = 'The same reconcile planner runs behind Compare-LvsConfiguration, the DSC resources LvsVirtualService, LvsRealServer and LvsConfiguration, and the DSC v3 resources. Ipvsadm rules carry no thresholds, so importing them sets thresholds to 0. Health checks and sync daemons in a document need a director that supports them.'
    Links       = @('Export-LvsConfiguration', 'Compare-LvsConfiguration')
}

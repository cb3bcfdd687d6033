@{
    Synopsis    = 'Lists the differences between a director document (or ipvsadm rules) and the live director.'
    Description = 'Reads a desired state as Import-LvsConfiguration does (a YAML or JSON director document from a file or the pipeline, or ipvsadm rules), checks it strictly, and writes one change object per difference: Action (Add, Change or Remove), Target (VirtualService, RealServer, Timeouts, HealthCheck, SyncDaemon), the VirtualService and RealServer, and for a change the Property with its From and To values. Nothing is changed. With -Prune, services and real servers the document does not name are listed as removals. No output means the director is in the described state.'
    Examples    = @(
        @{ Title = 'Example 1: Check a director against its document'; Code = 'Compare-LvsConfiguration ./director.yaml'; Remarks = 'For example: Change RealServer 10.0.0.2:80 Weight 1 -> 3.' }
        @{ Title = 'Example 2: Compare two directors'; Code = 'Export-LvsConfiguration -Director Service:/run/a.sock | Compare-LvsConfiguration -Director Service:/run/b.sock -Prune'; Remarks = 'The exported document of one director against another.' }
    )
    Notes       = 'The DSC resources report the same differences in their Reasons property.'
    Links       = @('Import-LvsConfiguration', 'Export-LvsConfiguration')
}

@{
    Synopsis    = 'Writes the live director as a YAML or JSON director document, or as ipvsadm rules.'
    Description = 'By default writes the director as a YAML director document (docs/desired-state.md): its virtual services with scheduler, persistence, flags and real servers (forwarding, weight, thresholds, tunnel options), health checks and sorry servers, timeouts and sync daemons. -Format Json writes the same document as JSON. Import-LvsConfiguration and Compare-LvsConfiguration read both. With -Format Ipvsadm, writes exactly what ipvsadm -S -n writes for the same table: -A lines for services (scheduler, persistence, netmask, persistence engine, one-packet scheduling, scheduler flags) each followed by its -a lines (forwarding, weight, tunnel type, port and checksum), in ipvsadm''s order; ipvsadm -R reads it back. Without -Path the text goes to the pipeline. Without -Format, a -Path ending in .json gets JSON and one ending in .rules gets the ipvsadm rules; any other gets YAML.'
    Examples    = @(
        @{ Title = 'Example 1: Save the director as a document'; Code = 'Export-LvsConfiguration -Path ./director.yaml'; Remarks = 'A YAML document that Import-LvsConfiguration converges any director to.' }
        @{ Title = 'Example 2: Save the table for ipvsadm'; Code = 'Export-LvsConfiguration -Format Ipvsadm -Path ./ipvs.rules'; Remarks = 'The file can be restored with ipvsadm -R < ipvs.rules or Import-LvsConfiguration.' }
        @{ Title = 'Example 3: Compare with ipvsadm'; Code = '(Export-LvsConfiguration -Format Ipvsadm) -ceq ((ipvsadm -S -n) -join "`n") + "`n"'; Remarks = 'True on the kernel backend.' }
    )
    Notes       = 'Like ipvsadm 1.31, ipvsadm rules carry no thresholds (-x, -y) and firewall marks above 2147483647 are written as negative numbers; the YAML and JSON documents carry everything. YamlDotNet runs in an assembly load context of its own, so another module''s YamlDotNet in the same session does not collide with it.'
    Links       = @('Import-LvsConfiguration', 'Compare-LvsConfiguration')
}

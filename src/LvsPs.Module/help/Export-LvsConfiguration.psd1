@{
    Synopsis    = 'Writes the director''s virtual services and real servers as ipvsadm rules.'
    Description = 'With -Format Ipvsadm, writes exactly what ipvsadm -S -n writes for the same table: -A lines for services (scheduler, persistence, netmask, persistence engine, one-packet scheduling, scheduler flags) each followed by its -a lines (forwarding, weight, tunnel type, port and checksum), in ipvsadm''s order. ipvsadm -R and Import-LvsConfiguration read it back. Without -Path the text goes to the pipeline.'
    Examples    = @(
        @{ Title = 'Save the table'; Code = 'Export-LvsConfiguration -Format Ipvsadm -Path ./ipvs.rules'; Remarks = 'The file can be restored with ipvsadm -R < ipvs.rules or Import-LvsConfiguration.' }
        @{ Title = 'Compare with ipvsadm'; Code = '(Export-LvsConfiguration -Format Ipvsadm) -ceq ((ipvsadm -S -n) -join "`n") + "`n"'; Remarks = 'True on the kernel backend.' }
    )
    Notes       = 'Like ipvsadm 1.31, the rules carry no thresholds (-x, -y) and firewall marks above 2147483647 are written as negative numbers.'
    Links       = @('Import-LvsConfiguration')
}

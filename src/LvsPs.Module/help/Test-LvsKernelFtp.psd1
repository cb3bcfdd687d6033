@{
    Synopsis    = 'Tells what kernel IPVS lacks for FTP through virtual services.'
    Description = @'
FTP breaks behind a plain layer-4 balancer because its data connections go to addresses and ports announced inside the
control connection. Kernel IPVS handles it with the ip_vs_ftp module, which inspects TCP services on the ports of its
"ports" parameter (default 21) and only on masqueraded (NAT) real servers; LVS also recommends persistence for FTP.

Test-LvsKernelFtp reads /proc/modules and /sys/module/ip_vs_ftp and checks every service whose -Helper is Ftp: it
reports FtpModuleNotLoaded, FtpPortNotInspected, FtpNeedsTcpPort and FtpNeedsMasquerade as errors (each also written
as a warning, with the modprobe command or setting that fixes it), and FtpPersistenceRecommended and
FtpIPv6NeedsRecentKernel as warnings. For a service without the helper on a port ip_vs_ftp inspects anyway it reports
FtpHelperOnPort. It writes nothing when kernel IPVS has what it needs.

The managed director needs none of this: it does the FTP helper's work itself (New-LvsVirtualService -Helper Ftp).
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Check every service before switching to the kernel backend'
            Code    = 'Test-LvsKernelFtp | Format-Table VirtualService, Severity, Id, Message -Wrap'
            Remarks = 'No output means the kernel has ip_vs_ftp on the right ports and the real servers are masqueraded.'
        }
        @{
            Title   = 'Example 2: Check one service against another root (a container image or a test tree)'
            Code    = "Test-LvsKernelFtp tcp/192.0.2.1:21 -Root /mnt/image"
            Remarks = 'Reads /mnt/image/proc/modules and /mnt/image/sys/module/ip_vs_ftp instead of this machine''s.'
        }
    )
    Notes       = 'See docs/ftp.md. Fix a missing module with: modprobe ip_vs_ftp ports=21 (list every FTP port, comma-separated).'
    Links       = @('New-LvsVirtualService', 'Set-LvsVirtualService')
}

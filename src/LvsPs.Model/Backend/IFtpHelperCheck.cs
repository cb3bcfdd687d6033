namespace LvsPs.Model;

/// <summary>
/// A director whose FTP support depends on the system it runs on: kernel IPVS, which needs the ip_vs_ftp module with
/// the service's port, masquerading and (recommended) persistence; and a health monitor or a director service around
/// it. The cmdlets that create an FTP service or add a real server to one show the findings as warnings.
/// </summary>
public interface IFtpHelperCheck
{
    /// <summary>What is missing for FTP through <paramref name="service"/>; empty when nothing is, or there is no such service.</summary>
    IReadOnlyList<KernelFtpFinding> CheckFtpHelper(VirtualServiceId service);
}

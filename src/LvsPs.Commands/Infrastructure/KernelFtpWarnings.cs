using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>
/// On kernel IPVS, FTP needs the ip_vs_ftp module, NAT forwarding and (recommended) persistence. When a cmdlet creates
/// an FTP service or adds a real server to one there, this says what is missing, as warnings (the change itself is
/// made: the kernel accepts it, FTP just will not work until the missing piece is there). The director says it
/// (<see cref="IFtpHelperCheck"/>): kernel IPVS here, or through a health monitor or a director service on it.
/// </summary>
internal static class KernelFtpWarnings
{
    public static void Check(IDirectorBackend backend, VirtualServiceId id, Action<string> warn)
    {
        if (backend is not IFtpHelperCheck director || id.Protocol != LvsProtocol.Tcp) return;
        foreach (var finding in director.CheckFtpHelper(id))
        {
            warn($"FTP on kernel IPVS ({finding.Severity}): {finding.Message}");
        }
    }
}

using LvsPs.Model;
using LvsPs.Netlink;

namespace LvsPs.Commands;

/// <summary>
/// On kernel IPVS, FTP needs the ip_vs_ftp module, NAT forwarding and (recommended) persistence. When a cmdlet creates
/// an FTP service or adds a real server to one there, this says what is missing, as warnings (the change itself is
/// made: the kernel accepts it, FTP just will not work until the missing piece is there).
/// </summary>
internal static class KernelFtpWarnings
{
    public static void Check(IDirectorBackend backend, VirtualServiceId id, Action<string> warn)
    {
        if (LvsSession.Unwrap(backend) is not KernelDirector || id.Protocol != LvsProtocol.Tcp) return;
        var check = new KernelFtpCheck();
        var service = backend.GetService(id);
        if (service is null) return;
        bool ftp = service.Settings.Helper == ApplicationHelper.Ftp || check.Ports.Contains(id.Port);
        if (!ftp) return;
        foreach (var finding in check.Check(service.Settings, service.RealServers.Select(r => r.Settings)))
        {
            warn($"FTP on kernel IPVS ({finding.Severity}): {finding.Message}");
        }
    }
}

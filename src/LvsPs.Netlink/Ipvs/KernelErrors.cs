using LvsPs.Interop;
using LvsPs.Model;
using LvsPs.Netlink.Transport;

namespace LvsPs.Netlink.Ipvs;

/// <summary>What an IPVS request was about, so that a kernel errno can be told in the user's terms.</summary>
public sealed record IpvsRequestContext(string Operation, VirtualServiceId? Service = null, RealServerId? RealServer = null, VirtualServiceSettings? Settings = null);

/// <summary>
/// Maps kernel errnos to LvsExceptions. The meanings come from ip_vs_ctl.c: EEXIST for a duplicate service or
/// destination, ESRCH for a missing service, ENOENT for a missing destination (and, on NEW/SET_SERVICE, a scheduler or
/// persistence engine the kernel cannot load), ERANGE for a negative weight or lower threshold above the upper one,
/// EPERM for a caller without CAP_NET_ADMIN (GENL_ADMIN_PERM).
/// </summary>
public static class KernelErrors
{
    public static LvsException Map(int errno, IpvsRequestContext c)
    {
        string op = c.Operation;
        switch (errno)
        {
            case Errno.EPERM:
            case Errno.EACCES:
                return new LvsException(LvsErrorKind.PermissionDenied, "KernelPermissionDenied",
                    $"{op}: the kernel refused the request (errno {errno}); kernel IPVS needs CAP_NET_ADMIN: run as root.", c.Service);
            case Errno.EEXIST when c.RealServer is { } rs && c.Service is { } s1:
                return LvsException.RealServerExists(s1, rs);
            case Errno.EEXIST when c.Service is { } s2:
                return LvsException.ServiceExists(s2);
            case Errno.ESRCH when c.Service is { } s3:
                return LvsException.ServiceNotFound(s3);
            case Errno.ENOENT when c.RealServer is { } rs2 && c.Service is { } s4:
                return LvsException.RealServerNotFound(s4, rs2);
            case Errno.ENOENT when c.Settings is { } settings:
                return LvsException.NotSupported("SchedulerNotAvailable",
                    string.IsNullOrEmpty(settings.PersistenceEngine)
                        ? $"The kernel has no scheduler '{settings.Scheduler}' (module ip_vs_{settings.Scheduler} is not available on this kernel); choose another scheduler."
                        : $"The kernel has no scheduler '{settings.Scheduler}' or no persistence engine '{settings.PersistenceEngine}' (modules ip_vs_{settings.Scheduler}, ip_vs_pe_{settings.PersistenceEngine}); choose ones this kernel has.",
                    settings.Scheduler);
            case Errno.ERANGE:
                return LvsException.InvalidArgument("KernelOutOfRange",
                    $"{op}: the kernel refused a value as out of range (weight below 0, or lower threshold above the upper threshold).", c.RealServer?.ToString() ?? c.Service?.ToString());
            case Errno.EBUSY:
                return new LvsException(LvsErrorKind.ResourceBusy, "KernelBusy", $"{op}: the kernel says the resource is busy (errno {errno}).", c.Service);
            case Errno.ENODEV:
                return new LvsException(LvsErrorKind.NotFound, "InterfaceNotFound", $"{op}: the network interface does not exist.", c.Service);
            case Errno.EAFNOSUPPORT:
                return LvsException.NotSupported("AddressFamilyNotSupported", $"{op}: this kernel's IPVS does not support that address family (IPv6 support missing).", c.Service);
            case Errno.EOPNOTSUPP:
                return LvsException.NotSupported("KernelNotSupported", $"{op}: this kernel does not support the request (errno {errno}).", c.Service);
            case Errno.EINVAL:
                return LvsException.InvalidArgument("KernelInvalidArgument", $"{op}: the kernel refused the request as invalid (EINVAL).", (object?)c.RealServer ?? c.Service);
            default:
                return new LvsException(LvsErrorKind.ProtocolError, "KernelError", $"{op}: the kernel returned errno {errno}.", c.Service);
        }
    }

    /// <summary>Errors from opening the netlink socket or resolving the IPVS family.</summary>
    public static LvsException Connect(NetlinkException e, string target) => e.Errno switch
    {
        Errno.ENOENT => new LvsException(LvsErrorKind.Unavailable, "KernelIpvsUnavailable",
            $"Kernel IPVS is not available in {target}: the generic netlink family 'IPVS' is not registered. Load the ip_vs module (modprobe ip_vs) and try again.", target, e),
        Errno.EAFNOSUPPORT or Errno.EPROTONOSUPPORT => new LvsException(LvsErrorKind.Unavailable, "NetlinkUnavailable",
            $"Generic netlink is not available ({e.Message}); kernel IPVS needs Linux.", target, e),
        Errno.EPERM or Errno.EACCES => new LvsException(LvsErrorKind.PermissionDenied, "KernelPermissionDenied",
            $"Opening the netlink socket was refused ({e.Message}); run as root.", target, e),
        _ => new LvsException(LvsErrorKind.ProtocolError, "NetlinkError", $"Netlink failed in {target}: {e.Message}", target, e),
    };
}

using LvsPs.Model.Settings;
namespace LvsPs.Model;

/// <summary>
/// Connection timeouts in seconds (ipvsadm --set tcp tcpfin udp). Defaults are the kernel's
/// (ip_vs_proto_tcp.c: ESTABLISHED 15 min, FIN_WAIT 2 min; ip_vs_proto_udp.c: NORMAL 5 min).
/// In <see cref="IDirectorBackend.SetTimeouts"/>, 0 means "leave as it is", as in ipvsadm.
/// </summary>
public sealed record LvsTimeouts(uint Tcp = LvsTimeouts.DefaultTcp, uint TcpFin = LvsTimeouts.DefaultTcpFin, uint Udp = LvsTimeouts.DefaultUdp)
{
    public const uint DefaultTcp = 900;
    public const uint DefaultTcpFin = 120;
    public const uint DefaultUdp = 300;

    /// <summary>
    /// The largest timeout, in seconds, that every kernel accepts: ip_vs_ctl.c refuses a value above INT_MAX / HZ, which
    /// is 2147483 s with HZ=1000.
    /// </summary>
    public const uint MaxSeconds = int.MaxValue / 1000;

    /// <summary>A timeout that is set (0 leaves one as it is).</summary>
    public static readonly ValueRange Range = new(1, MaxSeconds);

    /// <summary>Checks a change given to SetTimeouts (0 means unchanged, otherwise 1..MaxSeconds).</summary>
    public LvsTimeouts ValidateChange()
    {
        Check(Tcp, "tcp");
        Check(TcpFin, "tcpfin");
        Check(Udp, "udp");
        return this;

        static void Check(uint value, string name)
        {
            if (value > MaxSeconds)
            {
                throw LvsException.InvalidArgument("InvalidTimeout", $"The {name} timeout {value} is out of range; allowed: 1..{MaxSeconds} seconds (0 leaves it unchanged).", value);
            }
        }
    }

    /// <summary>Applies <paramref name="change"/> over this, keeping any value given as 0.</summary>
    public LvsTimeouts Merge(LvsTimeouts change) =>
        new(change.Tcp != 0 ? change.Tcp : Tcp, change.TcpFin != 0 ? change.TcpFin : TcpFin, change.Udp != 0 ? change.Udp : Udp);
}

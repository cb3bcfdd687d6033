using System.Net;
using System.Net.Sockets;

namespace LvsPs.TestBackends;

/// <summary>
/// The one allocator of loopback VIPs and listening ports for every test project (xunit and Pester): each address or
/// port is leased for the life of the process that got it, across processes on this machine, so tests running at
/// the same time (other projects, other checkouts) never share one.
/// A lease is a file in a folder of the user's own under the temporary folder, held open with FileShare.None (an
/// exclusive flock on Linux, which the kernel drops when the process ends, however it ends); nothing is ever released
/// early, so there is no bind-then-release race between test processes.
/// VIPs come from 127.64.0.0/10, which no test writes by hand. Ports come from 20000-32767: below the kernel's
/// ephemeral range (net.ipv4.ip_local_port_range, 32768-60999 by default), so no outgoing connection's local port
/// can take one; a port is also checked free on 127.0.0.1 and ::1 before it is handed out.
/// </summary>
public static class TestAddresses
{
    public const int FirstPort = 20000;
    public const int LastPort = 32767;

    private static readonly object s_gate = new();
    private static readonly List<FileStream> s_leases = new();
    private static readonly Lazy<string> s_folder = new(CreateFolder);

    /// <summary>A loopback address (127.64.0.1 to 127.127.255.254) no other test holds.</summary>
    public static string NewVip()
    {
        for (int attempt = 0; attempt < 10_000; attempt++)
        {
            int n = Random.Shared.Next(1, (1 << 22) - 1); // the host part of 127.64.0.0/10
            var address = $"127.{64 + (n >> 16)}.{(n >> 8) & 255}.{n & 255}";
            if ((n & 255) is 0 or 255) continue;
            if (TryLease("vip-" + address)) return address;
        }
        throw new InvalidOperationException("no free test VIP in 127.64.0.0/10 after 10000 tries");
    }

    /// <summary>A port in 20000-32767 that no other test holds and nothing listens on (127.0.0.1 and ::1, TCP and UDP).</summary>
    public static int NewPort()
    {
        int span = LastPort - FirstPort + 1;
        int start = Random.Shared.Next(span);
        for (int i = 0; i < span; i++)
        {
            int port = FirstPort + (start + i) % span;
            if (!TryLease("port-" + port)) continue;
            if (IsFree(port)) return port;
            // taken by something that is not a test of ours: keep the lease, so nobody else tries it either
        }
        throw new InvalidOperationException($"no free test port in {FirstPort}-{LastPort}");
    }

    /// <summary>A VIP with a port of its own: an endpoint for a virtual service or a real server.</summary>
    public static IPEndPoint NewEndPoint() => new(IPAddress.Parse(NewVip()), NewPort());

    private static bool IsFree(int port)
    {
        foreach (var (family, address) in new[] { (AddressFamily.InterNetwork, IPAddress.Loopback), (AddressFamily.InterNetworkV6, IPAddress.IPv6Loopback) })
        {
            foreach (var (type, protocol) in new[] { (SocketType.Stream, ProtocolType.Tcp), (SocketType.Dgram, ProtocolType.Udp) })
            {
                using var s = new Socket(family, type, protocol);
                try
                {
                    s.Bind(new IPEndPoint(address, port));
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
                {
                    return false;
                }
                catch (SocketException) when (family == AddressFamily.InterNetworkV6)
                {
                    // no IPv6 on this host: nothing can hold the port there
                }
            }
        }
        return true;
    }

    private static bool TryLease(string name)
    {
        var path = Path.Combine(s_folder.Value, name);
        try
        {
            var lease = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            lock (s_gate) s_leases.Add(lease);
            return true;
        }
        catch (IOException)
        {
            return false; // another process (or this one) holds it
        }
    }

    private static string CreateFolder()
    {
        // one folder per user: leases are only shared with processes of the same user, who can open the files
        var folder = Path.Combine(Path.GetTempPath(), $"lvsps-test-leases-{Environment.UserName}");
        var info = Directory.CreateDirectory(folder);
        if (info.LinkTarget is not null) throw new IOException($"{folder} is a symbolic link; remove it");
        return folder;
    }
}

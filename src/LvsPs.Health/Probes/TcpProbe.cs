using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.Health.Probes;

/// <summary>Healthy when a TCP connection to the real server (or the check port) opens in time (keepalived TCP_CHECK).</summary>
internal sealed class TcpProbe : IHealthProbe
{
    public static readonly TcpProbe Instance = new();

    public async Task<ProbeResult> ProbeAsync(VirtualServiceId service, RealServerId realServer, HealthCheckSettings check, CancellationToken cancellation)
    {
        var endPoint = new IPEndPoint(realServer.Address, check.Port ?? realServer.Port);
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        var watch = Stopwatch.StartNew();
        try
        {
            await socket.ConnectAsync(endPoint, cancellation).ConfigureAwait(false);
            return new ProbeResult(true, $"connected in {watch.ElapsedMilliseconds} ms");
        }
        catch (OperationCanceledException)
        {
            return new ProbeResult(false, $"no connection within {check.TimeoutSeconds} s");
        }
        catch (SocketException e)
        {
            return new ProbeResult(false, $"connect failed: {e.SocketErrorCode}");
        }
    }
}

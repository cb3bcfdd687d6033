using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using LvsPs.Engine.Connections;

namespace LvsPs.Engine.Udp;

/// <summary>Receives a UDP virtual service's datagrams on VIP:port and relays them through per-client <see cref="UdpFlow"/>s.</summary>
internal sealed class UdpForwarder : IForwarder
{
    /// <summary>The largest UDP payload over IPv4 or IPv6 without jumbograms.</summary>
    public const int MaxDatagram = 65535;

    private readonly ManagedService _service;
    private readonly ConnectionTable _table;
    private readonly Socket _socket;
    private readonly ConcurrentDictionary<IPEndPoint, UdpFlow> _flows = new();
    private readonly IPEndPoint _anyRemote;
    private volatile bool _stopped;

    public UdpForwarder(ManagedService service, ConnectionTable table)
    {
        _service = service;
        _table = table;
        var family = service.Settings.Id.Address!.AddressFamily;
        _socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        if (family == AddressFamily.InterNetworkV6) _socket.DualMode = false;
        _anyRemote = new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
    }

    public void Start()
    {
        var id = _service.Settings.Id;
        var endPoint = new IPEndPoint(id.Address!, id.Port);
        try
        {
            _socket.Bind(endPoint);
        }
        catch (SocketException e)
        {
            _socket.Dispose();
            throw SocketErrors.BindFailed(id, endPoint, e);
        }
        _ = ReceiveLoopAsync();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[MaxDatagram];
        while (!_stopped)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer.AsMemory(), SocketFlags.None, _anyRemote).ConfigureAwait(false);
            }
            catch (SocketException) when (!_stopped)
            {
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            var client = (IPEndPoint)result.RemoteEndPoint;
            var flow = _service.Settings.OnePacket ? OnePacketFlow(client)
                : _flows.TryGetValue(client, out var existing) ? existing : OpenFlow(client);
            if (flow is null) continue; // no destination available: dropped, as IPVS drops it
            await flow.ForwardAsync(buffer.AsMemory(0, result.ReceivedBytes)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One-packet scheduling (IP_VS_CONN_F_ONE_PACKET): every datagram is scheduled on its own. The client's flow is
    /// reused when the datagram goes to the same real server (so replies keep flowing back); otherwise a new flow
    /// takes its place and the old one ends at its idle timeout.
    /// </summary>
    private UdpFlow? OnePacketFlow(IPEndPoint client)
    {
        var scheduled = _service.Schedule(client);
        if (scheduled is null) return null;
        if (_flows.TryGetValue(client, out var existing) && existing.RealServer == scheduled.RealServer) return existing;
        return OpenFlow(client, scheduled);
    }

    private UdpFlow? OpenFlow(IPEndPoint client, ScheduledServer? scheduled = null)
    {
        scheduled ??= _service.Schedule(client);
        if (scheduled is null) return null;
        UdpFlow flow;
        try
        {
            flow = new UdpFlow(_service, scheduled, client, this);
        }
        catch (SocketException)
        {
            return null;
        }
        _flows[client] = flow;
        _table.Add(flow);
        flow.StartReplies();
        return flow;
    }

    internal async ValueTask SendToClientAsync(ReadOnlyMemory<byte> datagram, IPEndPoint client)
    {
        try
        {
            await _socket.SendToAsync(datagram, SocketFlags.None, client).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    internal void Forget(UdpFlow flow) => _flows.TryRemove(new KeyValuePair<IPEndPoint, UdpFlow>(flow.Client, flow));

    public void Dispose()
    {
        _stopped = true;
        _socket.Dispose();
    }
}

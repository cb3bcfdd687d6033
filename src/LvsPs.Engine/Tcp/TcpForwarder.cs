using System.Net;
using System.Net.Sockets;
using LvsPs.Engine.Connections;
using LvsPs.Engine.Ftp;
using LvsPs.Model;

namespace LvsPs.Engine.Tcp;

/// <summary>Listens on a TCP virtual service's VIP:port and starts a <see cref="TcpConnection"/> for each client.</summary>
internal sealed class TcpForwarder : IForwarder
{
    /// <summary>A large backlog: a small one drops SYNs under load and shows up as 1 s latency spikes.</summary>
    private const int Backlog = 4096;

    private readonly ManagedService _service;
    private readonly ConnectionTable _table;
    private readonly Socket _listener;
    private volatile bool _stopped;

    public TcpForwarder(ManagedService service, ConnectionTable table)
    {
        _service = service;
        _table = table;
        var id = service.Settings.Id;
        _listener = new Socket(id.Address!.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (id.Address.AddressFamily == AddressFamily.InterNetworkV6) _listener.DualMode = false;
    }

    public void Start()
    {
        var id = _service.Settings.Id;
        var endPoint = new IPEndPoint(id.Address!, id.Port);
        try
        {
            _listener.Bind(endPoint);
            _listener.Listen(Backlog);
        }
        catch (SocketException e)
        {
            _listener.Dispose();
            throw SocketErrors.BindFailed(id, endPoint, e);
        }
        // several accepts outstanding, as many as cores (at least two): connections are taken off the queue in parallel
        for (int i = 0; i < Math.Max(2, Environment.ProcessorCount); i++) _ = AcceptLoopAsync();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopped)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (!_stopped)
            {
                continue; // a client that went away between SYN and accept
            }
            catch (SocketException)
            {
                return;
            }
            Dispatch(client);
        }
    }

    private void Dispatch(Socket client)
    {
        if (client.RemoteEndPoint is not IPEndPoint remote)
        {
            client.Dispose();
            return;
        }
        var scheduled = _service.Schedule(remote);
        if (scheduled is null)
        {
            // no destination available: IPVS drops the SYN; a proxy resets the accepted connection
            client.LingerState = new LingerOption(true, 0);
            client.Dispose();
            return;
        }
        var connection = new TcpConnection(_service, scheduled, client, _table);
        if (_service.Settings.Helper == ApplicationHelper.Ftp) connection.Filter = new FtpControlInspector(connection, _table, _service.FtpDataTimeout);
        connection.Start();
    }

    public void Dispose()
    {
        _stopped = true;
        _listener.Dispose();
    }
}

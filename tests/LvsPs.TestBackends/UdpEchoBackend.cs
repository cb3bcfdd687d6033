using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LvsPs.TestBackends;

/// <summary>A UDP echo server on loopback that prefixes each reply with its name and a colon.</summary>
public sealed class UdpEchoBackend : IDisposable
{
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private int _datagrams;

    public UdpEchoBackend(string name, IPEndPoint endPoint)
    {
        Name = name;
        _socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(endPoint);
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _ = LoopAsync();
    }

    public static UdpEchoBackend Start(string name, string address = "127.0.0.1", int port = 0) => new(name, new IPEndPoint(IPAddress.Parse(address), port));

    public string Name { get; }

    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    public int Datagrams => Volatile.Read(ref _datagrams);

    private async Task LoopAsync()
    {
        var buffer = new byte[65535];
        var prefix = Encoding.ASCII.GetBytes(Name + ":");
        var any = new IPEndPoint(EndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var r = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _datagrams);
                var reply = new byte[prefix.Length + r.ReceivedBytes];
                prefix.CopyTo(reply, 0);
                Array.Copy(buffer, 0, reply, prefix.Length, r.ReceivedBytes);
                await _socket.SendToAsync(reply, SocketFlags.None, r.RemoteEndPoint).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
    }
}

using System.Net.Sockets;
using System.Text.Json;

namespace LvsPs.Remote;

/// <summary>The client's end of a control connection: newline-delimited JSON messages on a connected stream socket.</summary>
public sealed class ControlChannel : IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly ControlLineReader _reader;

    public ControlChannel(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new ControlLineReader(_stream, ControlProtocol.MaxResponseBytes);
    }

    public Socket Socket => _socket;

    /// <summary>
    /// True when the service has closed this connection (an idle one it let go): readable with nothing to read. A
    /// request is then sent on a new connection instead, so a change is never lost to a connection known to be gone.
    /// </summary>
    public bool PeerClosed
    {
        get
        {
            try
            {
                return !_reader.HasBufferedData && _socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return true;
            }
        }
    }

    public void Write<T>(T message) => _stream.Write(Frame(message));

    /// <summary>A message as it goes on the wire: its JSON and a newline.</summary>
    public static byte[] Frame<T>(T message)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, ProtocolJson.Options);
        var line = new byte[bytes.Length + 1];
        bytes.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }

    /// <summary>The next message, or default at the end of the stream.</summary>
    public T? Read<T>() => _reader.ReadLine() is { } line ? JsonSerializer.Deserialize<T>(line.Span, ProtocolJson.Options) : default;

    public void Dispose() => _stream.Dispose();
}

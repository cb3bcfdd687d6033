using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace LvsPs.Remote;

/// <summary>Reads and writes newline-delimited JSON messages on a connected stream socket.</summary>
public sealed class ControlChannel : IDisposable
{
    /// <summary>A message larger than this is refused (a dump of a very large table still fits).</summary>
    public const int MaxMessageBytes = 256 << 20;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    public ControlChannel(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new StreamReader(_stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024);
    }

    public Socket Socket => _socket;

    public void Write<T>(T message)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, ProtocolJson.Options);
        var line = new byte[bytes.Length + 1];
        bytes.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        _stream.Write(line);
        _stream.Flush();
    }

    /// <summary>The next message, or default at the end of the stream.</summary>
    public T? Read<T>()
    {
        var line = _reader.ReadLine();
        if (line is null) return default;
        if (line.Length > MaxMessageBytes) throw new InvalidDataException("control message too large");
        return JsonSerializer.Deserialize<T>(line, ProtocolJson.Options);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
    }
}

using System.Net.Sockets;
using System.Text.Json;
using LvsPs.Model;
using LvsPs.Remote;

namespace LvsPs.DirectorService.Restart;

/// <summary>
/// The new process's side of a hitless restart: it asks the running service for its listening sockets (with the
/// token it was started with), receives them by SCM_RIGHTS, and after it serves on them says HandOverDone.
/// </summary>
internal sealed class TakeOver : IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly ControlLineReader _reader;

    private TakeOver(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new ControlLineReader(_stream, ControlProtocol.MaxResponseBytes);
    }

    /// <summary>The engine's listeners by service (the service's own listeners go to <see cref="ListenerHandOver"/>).</summary>
    public Dictionary<VirtualServiceId, SafeSocketHandle> EngineListeners { get; } = new();

    /// <summary>Connects to the service at <paramref name="socketPath"/> and receives its listeners.</summary>
    public static TakeOver Begin(string socketPath, string token)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = 60000, SendTimeout = 60000 };
        socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        var session = new TakeOver(socket);
        try
        {
            session._stream.Write(ControlChannel.Frame(new ControlRequest(ControlOps.HandOver, JsonSerializer.SerializeToElement(token))));
            // the list is read byte by byte: a buffered read could take the byte the descriptors ride on, and they would be lost
            var answer = Parse(ReadLineExactly(socket));
            var names = answer.Result?.Deserialize<List<string>>(ProtocolJson.Options) ?? new List<string>();
            var fds = new List<int>();
            while (fds.Count < names.Count) fds.AddRange(DescriptorPassing.Receive(socket));
            for (int i = 0; i < names.Count; i++)
            {
                var handle = new SafeSocketHandle(fds[i], ownsHandle: true);
                if (names[i].Contains('/', StringComparison.Ordinal) && !names[i].StartsWith("http:", StringComparison.Ordinal) && names[i] != ListenerHandOver.ControlKey)
                {
                    session.EngineListeners[VirtualServiceId.Parse(names[i])] = handle;
                }
                else
                {
                    ListenerHandOver.Inherit(names[i], handle);
                }
            }
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private ControlResponse ReadResponse() =>
        Parse(_reader.ReadLine() ?? throw new EndOfStreamException("The running service closed the connection during the hand-over."));

    private static ControlResponse Parse(ReadOnlyMemory<byte> line)
    {
        var response = JsonSerializer.Deserialize<ControlResponse>(line.Span, ProtocolJson.Options)!;
        if (response.Error is { } e) throw new LvsException(e.Kind, e.ErrorId, e.Message);
        return response;
    }

    private static ReadOnlyMemory<byte> ReadLineExactly(Socket socket)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (socket.Receive(one) == 0) throw new EndOfStreamException("The running service closed the connection during the hand-over.");
            if (one[0] == (byte)'\n') return line.ToArray();
            if (line.Count >= ControlProtocol.MaxRequestBytes) throw new InvalidDataException("The hand-over list is too long.");
            line.Add(one[0]);
        }
    }

    /// <summary>Says this process serves now; returns when the old process has stopped accepting.</summary>
    public void Complete()
    {
        _stream.Write(ControlChannel.Frame(new ControlRequest(ControlOps.HandOverDone)));
        ReadResponse();
    }

    public void Dispose() => _stream.Dispose();
}

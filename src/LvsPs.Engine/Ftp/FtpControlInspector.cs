using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LvsPs.Engine.Connections;
using LvsPs.Engine.Tcp;

namespace LvsPs.Engine.Ftp;

/// <summary>
/// The FTP application helper of one control connection (what ip_vs_ftp does for IPVS, done as a proxy). From the
/// server it rewrites "227 Entering Passive Mode (h,h,h,h,p,p)" and "229 Entering Extended Passive Mode (|||p|)" to
/// the VIP and a one-shot listener of the director, which accepts the data connection only from the control
/// connection's client and relays it to the announced port of the same real server. From the client it rewrites
/// "PORT h,h,h,h,p,p" and "EPRT |f|addr|p|" to a director listener that accepts only the real server and connects on to
/// the announced port of the control connection's client (never a third address: no FTP bounce through the director).
/// After AUTH (TLS) is accepted the control connection is opaque and passes untouched, as it would for the kernel.
/// Lines that cannot be rewritten pass unchanged.
/// <para>
/// In active mode the order the kernel keeps is kept too: through IPVS the real server's connect reaches the client
/// before the server can send the reply that follows it, but the director completes the server's connect itself and
/// connects on to the client afterwards. So what the server sends once its data connection has arrived is held back
/// until the connection on to the client is over (<see cref="MayPassOn"/>). Clients rely on it: curl 7.88, after the
/// 1xx reply to LIST or RETR, fails with CURLE_WEIRD_SERVER_REPLY (exit code 8) when the control connection has more
/// to read while no data connection waits on its listener (lib/ftp.c, ReceivedServerConnect); pyftpdlib connects on
/// PORT/EPRT and replies 200 at once, then 125 and 226 to LIST.
/// </para>
/// </summary>
internal sealed class FtpControlInspector : ITcpStreamFilter
{
    /// <summary>Expectations kept per control connection; the oldest goes when more are announced.</summary>
    public const int MaxPendingExpectations = 8;

    private static readonly Encoding Latin1 = Encoding.Latin1;

    private readonly TcpConnection _control;
    private readonly EngineContext _context;
    private readonly TimeSpan _dataTimeout;
    private readonly FtpLineSplitter _fromClient = new();
    private readonly FtpLineSplitter _fromServer = new();
    private readonly ArrayBufferWriter<byte> _toServer = new(512);
    private readonly ArrayBufferWriter<byte> _toClient = new(512);
    private readonly FtpReplyTracker _replies = new();
    private readonly FtpLineSplitter.LineHandler _onClientLine;
    private readonly FtpLineSplitter.LineHandler _onServerLine;
    private readonly Queue<Expected> _expectations = new();
    private bool _closed;
    private bool _announcedInThisReply;
    private volatile bool _authRequested;

    public FtpControlInspector(TcpConnection control, EngineContext context, TimeSpan dataTimeout)
    {
        _control = control;
        _context = context;
        _dataTimeout = dataTimeout;
        _onClientLine = OnClientLine;
        _onServerLine = OnServerLine;
    }

    /// <summary>The expectations still listening (for tests and diagnostics).</summary>
    public IReadOnlyList<FtpDataExpectation> PendingExpectations
    {
        get
        {
            lock (_expectations) return _expectations.Select(e => e.Expectation).Where(e => !e.IsFinished).ToList();
        }
    }

    public ReadOnlyMemory<byte> Process(ReadOnlyMemory<byte> received, bool fromClient)
    {
        var output = fromClient ? _toServer : _toClient;
        output.ResetWrittenCount();
        (fromClient ? _fromClient : _fromServer).Feed(received.Span, output, fromClient ? _onClientLine : _onServerLine);
        return output.WrittenMemory;
    }

    public ReadOnlyMemory<byte> Flush(bool fromClient)
    {
        var output = fromClient ? _toServer : _toClient;
        output.ResetWrittenCount();
        (fromClient ? _fromClient : _fromServer).Flush(output);
        return output.WrittenMemory;
    }

    public void Closed()
    {
        lock (_expectations)
        {
            _closed = true;
            while (_expectations.TryDequeue(out var e)) e.Expectation.Dispose();
        }
    }

    public ValueTask MayPassOn(bool fromClient)
    {
        if (fromClient) return ValueTask.CompletedTask;
        Task? wait = null;
        lock (_expectations)
        {
            foreach (var (expectation, fromServer) in _expectations)
            {
                // the server's data connection came before these bytes: they wait until it has been passed on (or
                // refused: a connection from another address holds nothing back for longer than that)
                if (fromServer && !expectation.HandedOn.IsCompleted && expectation.PeerArrived)
                {
                    var handled = expectation.ArrivalHandled();
                    wait = wait is null ? handled : Task.WhenAll(wait, handled);
                }
            }
        }
        // bounded without a timer of its own: the connect on ends (connected, refused, reset), or its entry expires in
        // SYN_RECV (a minute, as IPVS keeps it) and the connect is abandoned; a refusal or expiry of the expectation ends it too
        return wait is null ? ValueTask.CompletedTask : new ValueTask(wait);
    }

    private void OnClientLine(ReadOnlySpan<byte> line, bool rewritable, IBufferWriter<byte> output)
    {
        if (rewritable)
        {
            if (FtpEndpointSyntax.IsCommand(line, "PORT") || FtpEndpointSyntax.IsCommand(line, "EPRT"))
            {
                output.Write(RewriteActive(line) ?? line);
                return;
            }
            if (FtpEndpointSyntax.IsCommand(line, "AUTH")) _authRequested = true;
        }
        output.Write(line);
    }

    private void OnServerLine(ReadOnlySpan<byte> line, bool rewritable, IBufferWriter<byte> output)
    {
        _replies.Next(line);
        if (_replies.StartsReply) _announcedInThisReply = false;
        byte[]? rewritten = null;
        if (rewritable && !_announcedInThisReply && _replies.Code is 227 or 229)
        {
            rewritten = RewritePassive(line, extended: _replies.Code == 229, searchFrom: _replies.StartsReply ? 4 : 0);
            _announcedInThisReply = rewritten is not null;
        }
        output.Write(rewritten ?? line);
        if (_replies.Code == 234 && _replies.StartsReply && _authRequested)
        {
            // AUTH TLS/SSL accepted: what follows is encrypted, nothing more to read
            _fromServer.Transparent = true;
            _fromClient.Transparent = true;
        }
    }

    /// <summary>227/229 from the real server: expect the client on the VIP and announce that instead.</summary>
    private byte[]? RewritePassive(ReadOnlySpan<byte> line, bool extended, int searchFrom)
    {
        var text = Latin1.GetString(line);
        FtpEndpointText at;
        if (extended ? !FtpEndpointSyntax.TryParseExtendedPassiveReply(text, out at) : !FtpEndpointSyntax.TryParsePassiveReply(text, searchFrom, out at)) return null;
        var vip = _control.ClientSideLocalAddress;
        if (vip is null || (!extended && vip.AddressFamily != AddressFamily.InterNetwork)) return null; // 227 cannot carry IPv6
        int serverPort = at.Port;
        var expectation = Expect(vip, _control.Client.Address, fromServer: false, s => FtpDataConnections.StartPassive(_control, s, serverPort, _context));
        if (expectation is null) return null;
        int port = expectation.LocalEndPoint.Port;
        var replacement = extended ? port.ToString(System.Globalization.CultureInfo.InvariantCulture) : FtpEndpointSyntax.FormatHostPort(vip, port);
        return Latin1.GetBytes(FtpEndpointSyntax.Replace(text, at, replacement));
    }

    /// <summary>PORT/EPRT from the client: expect the real server on the director's address on its side and announce that instead.</summary>
    private byte[]? RewriteActive(ReadOnlySpan<byte> line)
    {
        var text = Latin1.GetString(line);
        bool extended = FtpEndpointSyntax.IsCommand(line, "EPRT");
        FtpEndpointText at;
        if (extended ? !FtpEndpointSyntax.TryParseExtendedPortCommand(text, out at) : !FtpEndpointSyntax.TryParsePortCommand(text, out at)) return null;
        var local = _control.BackendSideLocalAddress;
        if (local is null || (!extended && local.AddressFamily != AddressFamily.InterNetwork)) return null;
        var client = new IPEndPoint(_control.Client.Address, at.Port); // the control connection's client, whatever address was announced
        var vip = _control.ClientSideLocalAddress;
        var expectation = Expect(local, _control.RealServer.EndPoint.Address, fromServer: true, s => FtpDataConnections.StartActive(_control, s, client, vip, _context));
        if (expectation is null) return null;
        int port = expectation.LocalEndPoint.Port;
        var replacement = extended ? FtpEndpointSyntax.FormatExtendedPort(local, port) : FtpEndpointSyntax.FormatHostPort(local, port);
        return Latin1.GetBytes(FtpEndpointSyntax.Replace(text, at, replacement));
    }

    /// <summary>Listens for a data connection; <paramref name="fromServer"/>: the real server connects (active mode).</summary>
    private FtpDataExpectation? Expect(IPAddress local, IPAddress allowedPeer, bool fromServer, Func<Socket, Task> onAccepted)
    {
        lock (_expectations)
        {
            if (_closed) return null;
            var expectation = FtpDataExpectation.Listen(local, allowedPeer, _dataTimeout, onAccepted);
            if (expectation is null) return null;
            while (_expectations.Count > 0 && (Done(_expectations.Peek().Expectation) || _expectations.Count >= MaxPendingExpectations))
            {
                _expectations.Dequeue().Expectation.Dispose();
            }
            _expectations.Enqueue(new Expected(expectation, fromServer));
            return expectation;
        }
    }

    /// <summary>Nothing more to come from it: the listener is gone and what it accepted has been passed on.</summary>
    private static bool Done(FtpDataExpectation e) => e.IsFinished && e.HandedOn.IsCompleted;

    private readonly record struct Expected(FtpDataExpectation Expectation, bool FromServer);
}

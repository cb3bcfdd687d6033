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
    private readonly Queue<FtpDataExpectation> _expectations = new();
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
            lock (_expectations) return _expectations.Where(e => !e.IsFinished).ToList();
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
            while (_expectations.TryDequeue(out var e)) e.Dispose();
        }
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
        var expectation = Expect(vip, _control.Client.Address, s => FtpDataConnections.StartPassive(_control, s, serverPort, _context));
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
        var expectation = Expect(local, _control.RealServer.EndPoint.Address, s => FtpDataConnections.StartActive(_control, s, client, vip, _context));
        if (expectation is null) return null;
        int port = expectation.LocalEndPoint.Port;
        var replacement = extended ? FtpEndpointSyntax.FormatExtendedPort(local, port) : FtpEndpointSyntax.FormatHostPort(local, port);
        return Latin1.GetBytes(FtpEndpointSyntax.Replace(text, at, replacement));
    }

    private FtpDataExpectation? Expect(IPAddress local, IPAddress allowedPeer, Action<Socket> onAccepted)
    {
        lock (_expectations)
        {
            if (_closed) return null;
            var expectation = FtpDataExpectation.Listen(local, allowedPeer, _dataTimeout, onAccepted);
            if (expectation is null) return null;
            while (_expectations.Count > 0 && (_expectations.Peek().IsFinished || _expectations.Count >= MaxPendingExpectations))
            {
                _expectations.Dequeue().Dispose();
            }
            _expectations.Enqueue(expectation);
            return expectation;
        }
    }
}

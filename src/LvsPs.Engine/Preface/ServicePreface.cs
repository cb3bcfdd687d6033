using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LvsPs.Engine.Tcp;
using LvsPs.Model;

namespace LvsPs.Engine.Preface;

/// <summary>
/// The <see cref="ITcpPreface"/> of a service with content rules, PROXY protocol or transparent mode. Reading is
/// bounded: at most <see cref="ManagedDirectorOptions.MaxRequestHeadBytes"/> bytes (after a PROXY header) and
/// <see cref="ManagedDirectorOptions.PrefaceTimeout"/> for all of it, so a slow client cannot hold a slot. A client that
/// breaks the rules gets 400 (malformed HTTP), 431 (head too large), 408 (too slow, once it started a request) or a
/// reset, and is closed. Routing is per connection: later requests on a keep-alive connection go where the first went
/// (as KTCPVS did; HAProxy's mode http re-routes each request).
/// </summary>
internal sealed class ServicePreface : ITcpPreface
{
    private readonly VirtualServiceSettings _settings;
    private readonly ContentRouter? _router;
    private readonly int _maxHead;
    private readonly TimeSpan _timeout;

    private ServicePreface(VirtualServiceSettings settings, ManagedDirectorOptions options)
    {
        _settings = settings;
        _router = settings.ContentRules.Count > 0 || settings.DefaultGroup is not null ? new ContentRouter(settings.ContentRules, settings.DefaultGroup) : null;
        _maxHead = options.MaxRequestHeadBytes;
        _timeout = options.PrefaceTimeout;
    }

    /// <summary>The preface for <paramref name="settings"/> (and real servers with a PROXY setting of their own,
    /// <paramref name="realServerProxy"/>), or null for a plain layer-4 service.</summary>
    public static ITcpPreface? For(VirtualServiceSettings settings, ManagedDirectorOptions options, bool realServerProxy) =>
        settings.Id.Protocol == LvsProtocol.Tcp && (settings.UsesConnectionFeatures || realServerProxy) ? new ServicePreface(settings, options) : null;

    public bool ReadsClient => _settings.AcceptProxy || _router is not null;

    public ValueTask<TcpAdmission?> AdmitAsync(Socket client, IPEndPoint peer, CancellationToken stopping)
    {
        var local = (IPEndPoint)client.LocalEndPoint!;
        if (!ReadsClient) return ValueTask.FromResult<TcpAdmission?>(new TcpAdmission(peer, local, null, default, Http: false));
        return ReadAsync(client, peer, local, stopping);
    }

    private async ValueTask<TcpAdmission?> ReadAsync(Socket client, IPEndPoint peer, IPEndPoint local, CancellationToken stopping)
    {
        int capacity = (_settings.AcceptProxy ? ProxyHeader.MaxReadLength : 0) + (_router is null ? 0 : _maxHead);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(capacity);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(_timeout);
        int filled = 0, start = 0;
        bool http = false;
        try
        {
            IPEndPoint source = peer, destination = local;
            if (_settings.AcceptProxy)
            {
                while (true)
                {
                    var status = ProxyHeader.TryParse(buffer.AsSpan(0, filled), out var header);
                    if (status == ParseStatus.Complete)
                    {
                        if (header.Source is not null) (source, destination) = (header.Source, header.Destination!);
                        start = header.Length;
                        break;
                    }
                    if (status == ParseStatus.Invalid || filled == ProxyHeader.MaxReadLength) return Reset(client);
                    int n = await client.ReceiveAsync(buffer.AsMemory(filled, ProxyHeader.MaxReadLength - filled), SocketFlags.None, deadline.Token).ConfigureAwait(false);
                    if (n == 0) return Reset(client);
                    filled += n;
                }
            }
            string? group = null;
            if (_router is not null)
            {
                int limit = start + _maxHead;
                while (true)
                {
                    var data = buffer.AsSpan(start, filled - start);
                    if (!data.IsEmpty)
                    {
                        bool tls = ClientHello.LooksLikeTls(data[0]);
                        if (tls && _router.ReadsTls)
                        {
                            var status = ClientHello.TryParse(data, out var sni);
                            if (status == ParseStatus.Invalid) return Reset(client);
                            if (status == ParseStatus.Complete)
                            {
                                group = _router.Route(new ContentRequest { Sni = sni });
                                break;
                            }
                        }
                        else if (!tls && _router.ReadsHttp)
                        {
                            http = true;
                            var status = HttpRequestHead.TryParse(data, out var request, out _);
                            if (status == ParseStatus.Invalid) return await AnswerAsync(client, 400, "Bad Request").ConfigureAwait(false);
                            if (status == ParseStatus.Complete)
                            {
                                group = _router.Route(request!);
                                break;
                            }
                        }
                        else
                        {
                            group = _router.DefaultGroup; // TLS to a service with HTTP rules only, or the other way
                            break;
                        }
                    }
                    if (filled == limit) return http ? await AnswerAsync(client, 431, "Request Header Fields Too Large").ConfigureAwait(false) : Reset(client);
                    int n = await client.ReceiveAsync(buffer.AsMemory(filled, limit - filled), SocketFlags.None, deadline.Token).ConfigureAwait(false);
                    if (n == 0) return Reset(client);
                    filled += n;
                }
            }
            var buffered = filled > start ? buffer.AsSpan(start, filled - start).ToArray() : default(ReadOnlyMemory<byte>);
            return new TcpAdmission(source, destination, group, buffered, http);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return Reset(client); // the service stopped: Stop-LvsDirector releases every socket
        }
        catch (OperationCanceledException)
        {
            return http ? await AnswerAsync(client, 408, "Request Timeout").ConfigureAwait(false) : Reset(client);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return Reset(client);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Refuse(Socket client, TcpAdmission admission)
    {
        if (admission.Http) _ = AnswerAsync(client, 503, "Service Unavailable").AsTask();
        else Reset(client);
    }

    public ReadOnlyMemory<byte> Prelude(TcpAdmission admission, RealServerRuntime server)
    {
        var proxy = server.Destination.Settings.SendProxy ?? _settings.SendProxy;
        if (proxy == ProxyProtocol.None) return admission.Buffered;
        Span<byte> header = stackalloc byte[Math.Max(ProxyHeader.V1MaxLength, ProxyHeader.MaxWrittenLength)];
        int length = ProxyHeader.Write(proxy, admission.Client, admission.Destination, header);
        var prelude = new byte[length + admission.Buffered.Length];
        header[..length].CopyTo(prelude);
        admission.Buffered.Span.CopyTo(prelude.AsSpan(length));
        return prelude;
    }

    public IPEndPoint? ConnectFrom(TcpAdmission admission) => _settings.Transparent ? admission.Client : null;

    private static TcpAdmission? Reset(Socket client)
    {
        try
        {
            client.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        client.Dispose();
        return null;
    }

    /// <summary>Answers with an HTTP error and closes (Connection: close, as RFC 9112 section 9.6 has a server close after an error).</summary>
    private static async ValueTask<TcpAdmission?> AnswerAsync(Socket client, int status, string reason)
    {
        var body = $"{status} {reason}\n";
        var response = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}");
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.SendAsync(response, SocketFlags.None, cts.Token).ConfigureAwait(false);
            client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        client.Dispose();
        return null;
    }
}

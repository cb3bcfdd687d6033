using System.Buffers;

namespace LvsPs.Engine.Ftp;

/// <summary>
/// Cuts one direction of an FTP control connection into lines (ending in LF, normally CRLF), however the bytes were
/// split across reads. A partial line is held back until its end arrives, so a command or reply split across reads is
/// still seen whole. A line longer than <see cref="MaxLineLength"/> is no command or reply a helper rewrites: it is
/// passed on as it comes. Once <see cref="Transparent"/> is set (after AUTH TLS), bytes pass untouched.
/// </summary>
internal sealed class FtpLineSplitter
{
    /// <summary>Longest line held back; 227/229/PORT/EPRT lines are far shorter (RFC 959 and RFC 2428 formats).</summary>
    public const int MaxLineLength = 1024;

    /// <summary>Gets a complete line (with its terminator), or the start of an overlong one (<c>rewritable</c> false), and writes what to send.</summary>
    public delegate void LineHandler(ReadOnlySpan<byte> line, bool rewritable, IBufferWriter<byte> output);

    private readonly byte[] _held = new byte[MaxLineLength];
    private int _heldLength;
    private bool _inOverlongLine;

    private volatile bool _transparent;

    /// <summary>Passes everything through from now on (the control connection is encrypted); may be set from the other direction's pump.</summary>
    public bool Transparent
    {
        get => _transparent;
        set => _transparent = value;
    }

    public int HeldLength => _heldLength;

    /// <summary>Splits <paramref name="data"/> into lines for <paramref name="onLine"/>; bytes it does not hold back go to <paramref name="output"/>.</summary>
    public void Feed(ReadOnlySpan<byte> data, IBufferWriter<byte> output, LineHandler onLine)
    {
        if (Transparent)
        {
            WriteHeld(output);
            output.Write(data);
            return;
        }
        while (!data.IsEmpty)
        {
            int newline = data.IndexOf((byte)'\n');
            if (_inOverlongLine)
            {
                var part = newline < 0 ? data : data[..(newline + 1)];
                output.Write(part);
                data = data[part.Length..];
                if (newline >= 0) _inOverlongLine = false;
                continue;
            }
            if (newline < 0)
            {
                if (_heldLength + data.Length <= MaxLineLength)
                {
                    data.CopyTo(_held.AsSpan(_heldLength));
                    _heldLength += data.Length;
                    return;
                }
                // too long for a line a helper rewrites: let the handler see its start, then pass the rest through
                DeliverOverlong(data, output, onLine);
                _inOverlongLine = true;
                return;
            }
            var line = data[..(newline + 1)];
            data = data[line.Length..];
            if (_heldLength == 0)
            {
                onLine(line, rewritable: true, output);
            }
            else if (_heldLength + line.Length <= MaxLineLength)
            {
                line.CopyTo(_held.AsSpan(_heldLength));
                int length = _heldLength + line.Length;
                _heldLength = 0;
                onLine(_held.AsSpan(0, length), rewritable: true, output);
            }
            else
            {
                DeliverOverlong(line, output, onLine);
            }
        }
    }

    /// <summary>Returns the bytes held back (the side closed in the middle of a line) and forgets them.</summary>
    public void Flush(IBufferWriter<byte> output) => WriteHeld(output);

    private void DeliverOverlong(ReadOnlySpan<byte> rest, IBufferWriter<byte> output, LineHandler onLine)
    {
        byte[] joined = ArrayPool<byte>.Shared.Rent(_heldLength + rest.Length);
        try
        {
            _held.AsSpan(0, _heldLength).CopyTo(joined);
            rest.CopyTo(joined.AsSpan(_heldLength));
            int length = _heldLength + rest.Length;
            _heldLength = 0;
            onLine(joined.AsSpan(0, length), rewritable: false, output);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(joined);
        }
    }

    private void WriteHeld(IBufferWriter<byte> output)
    {
        if (_heldLength == 0) return;
        output.Write(_held.AsSpan(0, _heldLength));
        _heldLength = 0;
    }
}

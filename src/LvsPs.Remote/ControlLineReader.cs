namespace LvsPs.Remote;

/// <summary>A line longer than the reader's bound: the connection cannot be trusted to resynchronise and is closed.</summary>
public sealed class ControlLineTooLongException : IOException
{
    public ControlLineTooLongException(int limit)
        : base($"A control message is longer than {limit} bytes.")
    {
        Limit = limit;
    }

    public int Limit { get; }
}

/// <summary>
/// Reads newline-terminated lines from a stream with a bound on their length: the buffer grows with the line up to the
/// bound and never beyond it, so a client that sends a 100 MB line costs at most the bound, not 100 MB (or 1 GB of UTF-16
/// text, as a StreamReader would).
/// </summary>
public sealed class ControlLineReader
{
    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private byte[] _buffer;
    private int _start;   // first byte of the line being read
    private int _scanned; // bytes after _start already searched for a newline
    private int _end;     // end of the bytes read so far

    public ControlLineReader(Stream stream, int maxLineBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        _stream = stream;
        _maxLineBytes = maxLineBytes;
        _buffer = new byte[Math.Min(maxLineBytes + 1, 16 * 1024)];
    }

    /// <summary>True when bytes of a next line are already buffered.</summary>
    public bool HasBufferedData => _end > _start;

    /// <summary>The next line without its newline (valid until the next read), or null at the end of the stream.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTakeLine(out var line)) return line;
            int n = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (n == 0) return EndOfStream();
            _end += n;
        }
    }

    /// <summary>As <see cref="ReadLineAsync"/>, blocking (the client side, which waits for its answer anyway).</summary>
    public ReadOnlyMemory<byte>? ReadLine()
    {
        while (true)
        {
            if (TryTakeLine(out var line)) return line;
            int n = _stream.Read(_buffer.AsSpan(_end));
            if (n == 0) return EndOfStream();
            _end += n;
        }
    }

    private ReadOnlyMemory<byte>? EndOfStream()
    {
        if (_end == _start) return null;
        throw new EndOfStreamException("The connection closed in the middle of a control message.");
    }

    /// <summary>Takes a complete line if one is buffered; otherwise makes room for more bytes (or throws past the bound).</summary>
    private bool TryTakeLine(out ReadOnlyMemory<byte> line)
    {
        int newline = Array.IndexOf(_buffer, (byte)'\n', _start + _scanned, _end - _start - _scanned);
        if (newline >= 0)
        {
            line = _buffer.AsMemory(_start, newline - _start);
            _start = newline + 1;
            _scanned = 0;
            return true;
        }
        if (_start == _end) _start = _end = 0;
        _scanned = _end - _start;
        if (_scanned > _maxLineBytes) throw new ControlLineTooLongException(_maxLineBytes);
        if (_start > 0 && _end == _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            // a line may be _maxLineBytes long plus its newline; one byte more tells that it is too long
            var bigger = new byte[(int)Math.Min((long)_buffer.Length * 2, _maxLineBytes + 2L)];
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            _buffer = bigger;
        }
        line = default;
        return false;
    }
}

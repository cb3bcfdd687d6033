namespace LvsPs.Engine.Tcp;

/// <summary>
/// Layer-7 inspection of a relayed TCP connection (an application helper such as FTP). Each direction is called from
/// its own pump, one read at a time; only services with a helper have one, so plain TCP pays nothing for it.
/// </summary>
internal interface ITcpStreamFilter
{
    /// <summary>
    /// Takes what was read from one side and returns what to send to the other: the same bytes, rewritten ones, or
    /// fewer (a partial line held back until it is complete). The result stays valid until the next call for that direction.
    /// </summary>
    ReadOnlyMemory<byte> Process(ReadOnlyMemory<byte> received, bool fromClient);

    /// <summary>
    /// Called after each read from one side (and before its end is passed on): completes when what was read may go on
    /// to the other side. A helper holds a direction back with it to keep its protocol's order (FTP: a reply waits
    /// until the data connection the real server opened before it has reached the client). Bounded by the helper.
    /// </summary>
    ValueTask MayPassOn(bool fromClient);

    /// <summary>The side sent FIN: returns whatever is still held back for that direction.</summary>
    ReadOnlyMemory<byte> Flush(bool fromClient);

    /// <summary>The relay has ended: releases what the filter holds (listeners of expected connections).</summary>
    void Closed();
}

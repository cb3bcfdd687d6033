namespace LvsPs.Engine;

/// <summary>The socket side of one managed virtual service: it receives clients on the VIP and hands them to real servers.</summary>
internal interface IForwarder : IDisposable
{
    /// <summary>Binds the virtual address and starts receiving; throws an LvsException when the address cannot be used.</summary>
    void Start();

    /// <summary>The socket clients arrive on (for a hand-over to a new process).</summary>
    System.Net.Sockets.Socket Listener { get; }

    /// <summary>
    /// Stops taking new clients here because another process took the socket over: established connections go on, and
    /// the socket is left open until this process ends (closing it could shut it down for the new owner as well).
    /// </summary>
    void Release();

    /// <summary>
    /// Starts taking clients on a listener adopted with <see cref="ManagedService.HoldAccepting"/> (a hand-over: the new
    /// process accepts only once its configuration is restored); nothing to do for a forwarder that never holds.
    /// </summary>
    void StartAccepting();

    /// <summary>Takes once what waits to be accepted (after a hand-over; nothing to do for a socket without a queue).</summary>
    void AcceptPending();
}

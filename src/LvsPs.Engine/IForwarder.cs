namespace LvsPs.Engine;

/// <summary>The socket side of one managed virtual service: it receives clients on the VIP and hands them to real servers.</summary>
internal interface IForwarder : IDisposable
{
    /// <summary>Binds the virtual address and starts receiving; throws an LvsException when the address cannot be used.</summary>
    void Start();
}

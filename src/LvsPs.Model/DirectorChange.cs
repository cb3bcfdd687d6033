namespace LvsPs.Model;

/// <summary>
/// One change in a set applied together (Import-LvsConfiguration, ipvsadm -R): a virtual service to add, or a real
/// server to add to one.
/// </summary>
public abstract record DirectorChange
{
    private DirectorChange() { }

    /// <summary>Adds a virtual service (ipvsadm -A).</summary>
    public sealed record AddService(VirtualServiceSettings Settings) : DirectorChange;

    /// <summary>Adds a real server (ipvsadm -a).</summary>
    public sealed record AddRealServer(VirtualServiceId Service, RealServerSettings Settings) : DirectorChange;

    /// <summary>
    /// Applies <paramref name="changes"/> in order on any backend, all or nothing: when one fails, the ones already
    /// applied are undone (newest first) and the failure is rethrown. A backend that implements
    /// <see cref="IDirectorBatch"/> does this itself, faster.
    /// </summary>
    public static void ApplyAll(IDirectorBackend director, IReadOnlyList<DirectorChange> changes)
    {
        ArgumentNullException.ThrowIfNull(director);
        ArgumentNullException.ThrowIfNull(changes);
        if (director is IDirectorBatch batch)
        {
            batch.Apply(changes);
            return;
        }
        var done = new Stack<DirectorChange>();
        try
        {
            foreach (var change in changes)
            {
                switch (change)
                {
                    case AddService s: director.AddService(s.Settings); break;
                    case AddRealServer r: director.AddRealServer(r.Service, r.Settings); break;
                }
                done.Push(change);
            }
        }
        catch (LvsException)
        {
            while (done.Count > 0)
            {
                try
                {
                    switch (done.Pop())
                    {
                        case AddService s: director.DeleteService(s.Settings.Id); break;
                        case AddRealServer r: director.DeleteRealServer(r.Service, r.Settings.Id); break;
                    }
                }
                catch (LvsException)
                {
                    // already gone (a deleted service takes its real servers with it)
                }
            }
            throw;
        }
    }
}

/// <summary>A backend that applies a set of changes itself, all or nothing (the kernel backend batches them on one socket).</summary>
public interface IDirectorBatch
{
    void Apply(IReadOnlyList<DirectorChange> changes);
}

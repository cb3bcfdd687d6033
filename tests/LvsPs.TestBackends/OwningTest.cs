namespace LvsPs.TestBackends;

/// <summary>
/// A test class that owns what its tests start (directors, listeners, backends): each is kept with <see cref="Keep"/>
/// and disposed, newest first, when the test ends (xunit disposes the class after each test).
/// </summary>
public abstract class OwningTest : IDisposable
{
    private readonly List<IDisposable> _owned = new();

    /// <summary>Keeps <paramref name="owned"/> for disposal at the end of the test, and returns it.</summary>
    protected T Keep<T>(T owned) where T : IDisposable
    {
        _owned.Add(owned);
        return owned;
    }

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _owned.Clear();
        GC.SuppressFinalize(this);
    }
}

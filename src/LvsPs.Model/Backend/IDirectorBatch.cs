namespace LvsPs.Model;

/// <summary>A backend that applies a set of additions itself, all or nothing (the kernel backend batches them on one socket).</summary>
public interface IDirectorBatch
{
    /// <summary>
    /// Whether <see cref="Apply"/> batches: a director that passes the capability of another through (the health
    /// monitor) says false when the one underneath does not batch, and <see cref="DirectorChange.ApplyAll"/> then applies
    /// the changes one at a time.
    /// </summary>
    bool TakesBatches => true;

    /// <summary>Applies <see cref="DirectorChange.AddService"/> and <see cref="DirectorChange.AddRealServer"/> changes.</summary>
    void Apply(IReadOnlyList<DirectorChange> changes);
}

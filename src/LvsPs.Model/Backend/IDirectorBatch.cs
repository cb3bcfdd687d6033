namespace LvsPs.Model;

/// <summary>A backend that applies a set of additions itself, all or nothing (the kernel backend batches them on one socket).</summary>
public interface IDirectorBatch
{
    /// <summary>Applies <see cref="DirectorChange.AddService"/> and <see cref="DirectorChange.AddRealServer"/> changes.</summary>
    void Apply(IReadOnlyList<DirectorChange> changes);
}

using LvsPs.Model;

namespace LvsPs.Configuration;

/// <summary>Everything wrong with a director document; nothing is applied from a document that has any error.</summary>
public sealed class DirectorDocumentResult
{
    public DirectorDocumentResult(DesiredDirector? director, IReadOnlyList<LvsException> errors)
    {
        Director = director;
        Errors = errors;
    }

    /// <summary>The desired state; null when there are errors.</summary>
    public DesiredDirector? Director { get; }

    /// <summary>One error per problem, each naming file, line and column, with a stable error id.</summary>
    public IReadOnlyList<LvsException> Errors { get; }

    public bool Success => Errors.Count == 0;

    /// <summary>Throws one exception for the errors, if there are any.</summary>
    public void ThrowIfErrors()
    {
        if (!Success) _ = GetOrThrow();
    }

    /// <summary>The desired state, or one exception whose message lists every error.</summary>
    public DesiredDirector GetOrThrow()
    {
        if (Success) return Director!;
        if (Errors.Count == 1) throw Errors[0];
        throw LvsException.InvalidArgument(Errors[0].ErrorId,
            $"The director document has {Errors.Count} errors:{Environment.NewLine}" + string.Join(Environment.NewLine, Errors.Select(e => e.Message)),
            Errors[0].TargetObject);
    }
}

using System.Management.Automation;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>
/// What every LvsPs cmdlet shares: the translation of an <see cref="LvsException"/> into an ErrorRecord with a stable
/// error id and a fitting category. Cmdlets that act on a director derive from <see cref="DirectorCmdlet"/>.
/// </summary>
public abstract class LvsCmdlet : PSCmdlet
{
    /// <summary>Runs <paramref name="action"/>; an LvsException becomes a non-terminating error. False when it failed.</summary>
    protected bool Try(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (LvsException e)
        {
            WriteError(ToErrorRecord(e));
            return false;
        }
    }

    /// <summary>Runs <paramref name="func"/>; an LvsException becomes a non-terminating error and the result is default.</summary>
    protected T? Try<T>(Func<T> func)
    {
        try
        {
            return func();
        }
        catch (LvsException e)
        {
            WriteError(ToErrorRecord(e));
            return default;
        }
    }

    /// <summary>Stops the pipeline with an LvsException as a terminating error.</summary>
    protected void Throw(LvsException e) => ThrowTerminatingError(ToErrorRecord(e));

    public static ErrorRecord ToErrorRecord(LvsException e) =>
        new(e, e.ErrorId, Category(e.Kind), e.TargetObject);

    public static ErrorCategory Category(LvsErrorKind kind) => kind switch
    {
        LvsErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        LvsErrorKind.AlreadyExists => ErrorCategory.ResourceExists,
        LvsErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        LvsErrorKind.NotSupported => ErrorCategory.InvalidOperation,
        LvsErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        LvsErrorKind.Unavailable => ErrorCategory.ResourceUnavailable,
        LvsErrorKind.ResourceBusy => ErrorCategory.ResourceBusy,
        LvsErrorKind.ProtocolError => ErrorCategory.ProtocolError,
        _ => ErrorCategory.NotSpecified,
    };
}

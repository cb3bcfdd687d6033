namespace LvsPs.Model;

/// <summary>What went wrong, in the terms the cmdlets turn into an ErrorCategory.</summary>
public enum LvsErrorKind
{
    InvalidArgument,
    AlreadyExists,
    NotFound,
    NotSupported,
    PermissionDenied,
    Unavailable,
    ResourceBusy,
    ProtocolError,
}

/// <summary>
/// The one exception type the layers below the cmdlets throw for a failure a user can act on. <see cref="ErrorId"/> is
/// stable (tests and scripts match on it); <see cref="TargetObject"/> is the value that was refused.
/// </summary>
public sealed class LvsException : Exception
{
    public LvsException(LvsErrorKind kind, string errorId, string message, object? targetObject = null, Exception? inner = null)
        : base(Bound(message), inner)
    {
        Kind = kind;
        ErrorId = errorId;
        TargetObject = ValueText.Target(targetObject);
    }

    /// <summary>The most characters a message keeps (values in it are cut by <see cref="ValueText.Cut"/> first; this is the backstop).</summary>
    public const int MaxMessageLength = 2000;

    private static string Bound(string message) =>
        message.Length <= MaxMessageLength ? message : message[..MaxMessageLength] + $"… (message cut; {message.Length} characters)";

    public LvsErrorKind Kind { get; }

    public string ErrorId { get; }

    public object? TargetObject { get; }

    public static LvsException InvalidArgument(string errorId, string message, object? target) =>
        new(LvsErrorKind.InvalidArgument, errorId, message, target);

    public static LvsException ServiceExists(VirtualServiceId id) =>
        new(LvsErrorKind.AlreadyExists, "VirtualServiceExists", $"Virtual service '{id}' already exists.", id);

    public static LvsException ServiceNotFound(VirtualServiceId id) =>
        new(LvsErrorKind.NotFound, "VirtualServiceNotFound", $"Virtual service '{id}' does not exist.", id);

    public static LvsException RealServerExists(VirtualServiceId id, RealServerId rs) =>
        new(LvsErrorKind.AlreadyExists, "RealServerExists", $"Real server '{rs}' already exists in virtual service '{id}'.", rs);

    public static LvsException RealServerNotFound(VirtualServiceId id, RealServerId rs) =>
        new(LvsErrorKind.NotFound, "RealServerNotFound", $"Real server '{rs}' does not exist in virtual service '{id}'.", rs);

    public static LvsException NotSupported(string errorId, string message, object? target = null) =>
        new(LvsErrorKind.NotSupported, errorId, message, target);
}

namespace LvsPs.Engine.Bpf;

/// <summary>A bpf(2) call failed: which one, the errno, and for a program the verifier's log.</summary>
internal sealed class BpfException(string message, int errno, string? verifierLog = null)
    : Exception(verifierLog is { Length: > 0 } ? $"{message} (errno {errno}); verifier log:\n{verifierLog}" : $"{message} (errno {errno}).")
{
    public int Errno { get; } = errno;

    public string? VerifierLog { get; } = verifierLog;
}

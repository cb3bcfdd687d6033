namespace LvsPs.Model;

/// <summary>How much a <see cref="KernelFtpFinding"/> matters: an error means FTP will not work through kernel IPVS.</summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
public enum KernelFtpSeverity : long
{
    Warning,
    Error,
}

/// <summary>One thing kernel IPVS lacks (or will do unasked) for FTP on a virtual service, with what to do about it.</summary>
public sealed record KernelFtpFinding(string VirtualService, string Id, KernelFtpSeverity Severity, string Message);

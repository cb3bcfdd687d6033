using System.Security.Cryptography;
using System.Text;
using LvsPs.Model.IO;

namespace LvsPs.DirectorService.Status;

/// <summary>
/// The secret that unlocks changes from the status page. Either a random 256-bit token the service writes owner-only
/// (0600) at start (AtomicFile: never through a link), or an operator's secret read from a regular file that belongs to
/// the service's user and only it can read. Compared in constant time.
/// </summary>
internal sealed class StatusToken
{
    public const int MinimumSecretLength = 16;
    private const int MaximumSecretLength = 1024;
    private readonly byte[] _hash;

    private StatusToken(string secret)
    {
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>
    /// Reads the operator's secret from <paramref name="path"/> when <paramref name="readExisting"/> and it exists; else
    /// writes a fresh random token there. Throws <see cref="InvalidOperationException"/> with the reason it cannot.
    /// </summary>
    public static StatusToken Load(string path, bool readExisting)
    {
        var status = UnixFiles.LStat(path);
        if (status?.Type == UnixFiles.FileType.SymbolicLink) throw new InvalidOperationException($"the status token file '{path}' is a symbolic link; give a regular file");
        if (readExisting && status is { } existing) return new StatusToken(ReadSecret(path, existing));
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        AtomicFile.Write(path, stream => stream.Write(Encoding.ASCII.GetBytes(token + "\n")), AtomicFile.OwnerOnly);
        return new StatusToken(token);
    }

    /// <summary>True when <paramref name="given"/> is the secret; the time taken does not depend on where they differ.</summary>
    public bool Matches(string? given) =>
        given is { Length: > 0 and <= MaximumSecretLength } && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), _hash);

    private static string ReadSecret(string path, UnixFiles.Status status)
    {
        if (status.Type != UnixFiles.FileType.Regular) throw new InvalidOperationException($"the status token file '{path}' is not a regular file");
        if (status.OwnerId != PeerCredentials.EffectiveUserId) throw new InvalidOperationException($"the status token file '{path}' belongs to uid {status.OwnerId}, not to the service's user (uid {PeerCredentials.EffectiveUserId})");
        var mode = File.GetUnixFileMode(path);
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        if ((mode & others) != 0) throw new InvalidOperationException($"the status token file '{path}' can be read or written by others (mode {Convert.ToString((int)mode, 8)}); chmod 600 it");
        if (new FileInfo(path).Length > MaximumSecretLength) throw new InvalidOperationException($"the status token file '{path}' is longer than {MaximumSecretLength} bytes");
        var secret = File.ReadAllText(path).Trim();
        if (secret.Length < MinimumSecretLength) throw new InvalidOperationException($"the secret in '{path}' is shorter than {MinimumSecretLength} characters");
        return secret;
    }
}

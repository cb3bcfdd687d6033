using System.Security.Cryptography;
using System.Text;

namespace LvsPs.DirectorService.Status;

/// <summary>
/// The secret that unlocks changes from the status page. Either a random 256-bit token the service writes owner-only
/// (0600) at start, or an operator's secret read from a file that only its owner can read. Compared in constant time.
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
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) throw new InvalidOperationException($"the status token file '{path}' is a symbolic link; give a regular file");
        if (readExisting && info.Exists) return new StatusToken(ReadSecret(path));
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        WriteOwnerOnly(path, token + "\n");
        return new StatusToken(token);
    }

    /// <summary>True when <paramref name="given"/> is the secret; the time taken does not depend on where they differ.</summary>
    public bool Matches(string? given) =>
        given is { Length: > 0 and <= MaximumSecretLength } && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), _hash);

    private static string ReadSecret(string path)
    {
        var mode = File.GetUnixFileMode(path);
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        if ((mode & others) != 0) throw new InvalidOperationException($"the status token file '{path}' can be read or written by others (mode {Convert.ToString((int)mode, 8)}); chmod 600 it");
        if (new FileInfo(path).Length > MaximumSecretLength) throw new InvalidOperationException($"the status token file '{path}' is longer than {MaximumSecretLength} bytes");
        var secret = File.ReadAllText(path).Trim();
        if (secret.Length < MinimumSecretLength) throw new InvalidOperationException($"the secret in '{path}' is shorter than {MinimumSecretLength} characters");
        return secret;
    }

    /// <summary>Writes atomically: an unpredictable temporary file created exclusively (never through a link) with mode 0600, renamed over the target.</summary>
    private static void WriteOwnerOnly(string path, string text)
    {
        var dir = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(dir)) Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var temp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)) + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            {
                stream.Write(Encoding.UTF8.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}

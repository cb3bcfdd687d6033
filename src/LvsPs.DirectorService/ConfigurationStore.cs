using System.Text.Json;
using LvsPs.Model;
using LvsPs.Remote;

namespace LvsPs.DirectorService;

/// <summary>
/// Keeps the director's configuration in a JSON file, written atomically (a temporary file in the same folder, flushed
/// to disk, then renamed over the old one), so a crash or kill -9 at any moment leaves either the old or the new file.
/// </summary>
internal sealed class ConfigurationStore
{
    public ConfigurationStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    public DirectorConfiguration Load()
    {
        if (!File.Exists(Path)) return DirectorConfiguration.Empty;
        using var stream = File.OpenRead(Path);
        return JsonSerializer.Deserialize<DirectorConfiguration>(stream, ProtocolJson.Options) ?? DirectorConfiguration.Empty;
    }

    public void Save(DirectorConfiguration configuration)
    {
        var dir = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(dir);
        var temp = System.IO.Path.Combine(dir, "." + System.IO.Path.GetFileName(Path) + "." + Environment.ProcessId + ".tmp");
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, configuration, ProtocolJson.Options);
            stream.Flush(flushToDisk: true);
        }
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, Path, overwrite: true);
    }
}

using System.Text.Json;
using LvsPs.Model;
using LvsPs.Model.IO;
using LvsPs.Remote;

namespace LvsPs.DirectorService;

/// <summary>A state file the service will not start from, with the reason (the file is left as it is).</summary>
internal sealed class StateFileException : Exception
{
    public StateFileException(string path, string problem, Exception? inner = null)
        : base($"The state file '{path}' cannot be used: {problem}. It is left as it is. Fix or restore it, or start with --start-empty " +
            "(Start-LvsDirector -Service -StartEmpty), which moves it aside and starts with no configuration.", inner)
    {
        Problem = problem;
    }

    public string Problem { get; }
}

/// <summary>
/// Keeps the director's configuration in a JSON file, written with <see cref="AtomicFile"/> (an exclusive temporary with
/// an unpredictable name, renamed over the old file), so a crash or kill -9 at any moment leaves either the old or the
/// new file, and a link planted in the folder is never written through. A file that is there but is not a whole, valid
/// configuration stops the start (<see cref="StateFileException"/>): starting empty would drop what it holds.
/// </summary>
internal sealed class ConfigurationStore
{
    /// <summary>The largest state file read (a configuration of thousands of services is a few MiB).</summary>
    public const long MaxBytes = 64L << 20;

    public ConfigurationStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    /// <summary>The configuration in the file; empty when there is no file (a first start).</summary>
    public DirectorConfiguration Load()
    {
        byte[] bytes;
        try
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxBytes) throw new StateFileException(Path, $"it is {stream.Length} bytes, more than the {MaxBytes} a state file may have");
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (FileNotFoundException)
        {
            return DirectorConfiguration.Empty;
        }
        catch (DirectoryNotFoundException)
        {
            return DirectorConfiguration.Empty;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateFileException(Path, "it cannot be read: " + e.Message, e);
        }
        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty) throw new StateFileException(Path, "it is empty");
        DirectorConfiguration? configuration;
        try
        {
            configuration = JsonSerializer.Deserialize<DirectorConfiguration>(bytes, ProtocolJson.Options);
        }
        catch (JsonException e)
        {
            throw new StateFileException(Path, $"it is not a director configuration ({(e.BytePositionInLine is null ? e.Message : Where(e) + ": " + e.Message)})", e);
        }
        if (configuration is null) throw new StateFileException(Path, "it holds null, not a configuration");
        try
        {
            // everything the file holds passes the model's validation, as if a user had typed it
            if (configuration.Services.Any(s => s is null)) throw new StateFileException(Path, "its service list holds a null");
            foreach (var service in configuration.Services)
            {
                service.Settings.Validate();
                if (service.RealServers.Any(r => r is null)) throw new StateFileException(Path, $"the real servers of '{service.Settings.Id}' hold a null");
                foreach (var rs in service.RealServers) rs.Validate();
                service.HealthCheck?.Validate();
                service.SorryServer?.Validate();
            }
        }
        catch (LvsException e)
        {
            throw new StateFileException(Path, "it holds a value the director does not accept: " + e.Message, e);
        }
        return configuration;
    }

    private static string Where(JsonException e) => $"line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}";

    /// <summary>Moves the file aside (to a name with the time) so a start with no configuration keeps it; returns where, or null when there was none.</summary>
    public string? MoveAside()
    {
        if (!File.Exists(Path)) return null;
        var aside = $"{Path}.set-aside-{DateTime.UtcNow:yyyyMMddTHHmmssfffZ}";
        File.Move(Path, aside, overwrite: false);
        return aside;
    }

    public void Save(DirectorConfiguration configuration) =>
        AtomicFile.Write(Path, stream => JsonSerializer.Serialize(stream, configuration, ProtocolJson.Options));
}

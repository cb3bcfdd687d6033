namespace LvsPs.Configuration;

/// <summary>The text forms of a director.</summary>
public enum DocumentFormat
{
    Yaml,
    Json,
    Ipvsadm,
}

public static partial class DirectorDocument
{
    /// <summary>Which format <paramref name="text"/> is in: by the file's extension, else by its first rule or key.</summary>
    public static DocumentFormat DetectFormat(string text, string? path)
    {
        var ext = path is null ? "" : Path.GetExtension(path).ToLowerInvariant();
        if (ext is ".yaml" or ".yml") return DocumentFormat.Yaml;
        if (ext == ".json") return DocumentFormat.Json;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith('{') || line.StartsWith('[')) return DocumentFormat.Json;
            return line.StartsWith("-A ", StringComparison.Ordinal) || line.StartsWith("-a ", StringComparison.Ordinal) ? DocumentFormat.Ipvsadm : DocumentFormat.Yaml;
        }
        return DocumentFormat.Yaml;
    }
}

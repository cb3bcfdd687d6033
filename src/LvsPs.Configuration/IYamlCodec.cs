using System.Reflection;
using System.Runtime.Loader;
using LvsPs.Model;

namespace LvsPs.Configuration;

/// <summary>
/// The bounds of every director document reader (YAML, JSON, ipvsadm rules): input from outside is refused with a
/// clear error past them, before it can exhaust the stack or memory. docs/desired-state.md documents them.
/// </summary>
public static class DocumentLimits
{
    /// <summary>The deepest nesting of lists and mappings (a director document needs 5).</summary>
    public const int MaxDepth = 64;

    /// <summary>The longest document, in characters: 16 Mi (a director of 10,000 services with 10 real servers each is about 10 M).</summary>
    public const int MaxLength = 16 << 20;

    public static LvsException TooDeep(string source, int line, int column) => LvsException.InvalidArgument("DocumentTooDeep",
        $"{ValueText.Cut(source)}:{line}:{column}: the document nests lists and mappings deeper than {MaxDepth} levels; allowed: at most {MaxDepth} levels.", source);

    public static LvsException TooLarge(string source, int length) => LvsException.InvalidArgument("DocumentTooLarge",
        $"{ValueText.Cut(source)}: the document has {length} characters; allowed: at most {MaxLength} ({MaxLength >> 20} Mi).", source);
}

/// <summary>
/// Reads and writes YAML as <see cref="DocNode"/> trees. Implemented in LvsPs.Configuration.Yaml.dll with YamlDotNet,
/// which is loaded into an assembly load context of its own (see <see cref="YamlCodec"/>).
/// </summary>
public interface IYamlCodec
{
    /// <summary>
    /// Parses one YAML (or JSON) document. A syntax error is thrown as an <see cref="LvsException"/> with error id
    /// InvalidDirectorDocument whose message names <paramref name="source"/>, line and column.
    /// </summary>
    DocNode? Parse(string text, string source);

    /// <summary>Writes <paramref name="root"/> as a block-style YAML document, with <paramref name="header"/> as a leading comment.</summary>
    string Emit(DocNode root, string? header);

    /// <summary>The YamlDotNet assembly the codec runs on (for diagnostics and tests).</summary>
    Assembly YamlAssembly { get; }
}

/// <summary>
/// Finds the YAML codec: LvsPs.Configuration.Yaml.dll and YamlDotNet.dll in the <c>yaml</c> folder next to this
/// assembly, loaded into a private <see cref="AssemblyLoadContext"/>. Another module's YamlDotNet (powershell-yaml,
/// platyPS) in the same session therefore never collides with LvsPs's: each resolves its own copy.
/// </summary>
public static class YamlCodec
{
    private static readonly Lazy<IYamlCodec> Instance = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static IYamlCodec Current => Instance.Value;

    /// <summary>The folder the codec is loaded from.</summary>
    public static string Folder => Path.Combine(Path.GetDirectoryName(typeof(YamlCodec).Assembly.Location)!, "yaml");

    private static IYamlCodec Load()
    {
        var path = Path.Combine(Folder, "LvsPs.Configuration.Yaml.dll");
        if (!File.Exists(path))
        {
            throw LvsException.NotSupported("YamlCodecMissing", $"The YAML support of LvsPs is missing: '{path}' was not found. Reinstall the module.", path);
        }
        var context = new IsolatedContext(Folder);
        var assembly = context.LoadFromAssemblyPath(path);
        var type = assembly.GetTypes().Single(t => typeof(IYamlCodec).IsAssignableFrom(t) && !t.IsAbstract);
        return (IYamlCodec)Activator.CreateInstance(type)!;
    }

    /// <summary>Loads YamlDotNet and the codec from the yaml folder; everything else (LvsPs.Model, LvsPs.Configuration, the runtime) from the default context.</summary>
    private sealed class IsolatedContext(string folder) : AssemblyLoadContext("LvsPs.Yaml", isCollectible: false)
    {
        protected override Assembly? Load(AssemblyName name)
        {
            if (name.Name is not ("YamlDotNet" or "LvsPs.Configuration.Yaml")) return null;
            var candidate = Path.Combine(folder, name.Name + ".dll");
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }
    }
}

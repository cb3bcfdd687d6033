namespace LvsPs.Configuration;

/// <summary>
/// A node of a director document as the YAML (or JSON) parser read it, with where it starts in the file (1-based line
/// and column). The parser lives in an isolated assembly load context; these types are the only thing it hands back,
/// so no YamlDotNet type ever reaches the default context.
/// </summary>
public abstract class DocNode
{
    protected DocNode(int line, int column)
    {
        Line = line;
        Column = column;
    }

    public int Line { get; }
    public int Column { get; }
}

/// <summary>How a scalar is written: as text, or as a plain number, boolean or null.</summary>
public enum DocScalarKind
{
    /// <summary>Text; quoted when it would otherwise read as another kind.</summary>
    String,
    /// <summary>A plain (unquoted) scalar in the source; its kind is decided by the key that holds it.</summary>
    Plain,
    Number,
    Boolean,
    Null,
}

public sealed class DocScalar : DocNode
{
    public DocScalar(string value, DocScalarKind kind, int line = 0, int column = 0) : base(line, column)
    {
        Value = value;
        Kind = kind;
    }

    public string Value { get; }
    public DocScalarKind Kind { get; }

    /// <summary>True when the source quoted the scalar, so it is text whatever it looks like.</summary>
    public bool IsQuoted => Kind == DocScalarKind.String;

    public static DocScalar Text(string value) => new(value, DocScalarKind.String);
    public static DocScalar Number(long value) => new(value.ToString(System.Globalization.CultureInfo.InvariantCulture), DocScalarKind.Number);
    public static DocScalar Bool(bool value) => new(value ? "true" : "false", DocScalarKind.Boolean);

    public override string ToString() => Value;
}

public sealed class DocMapping : DocNode
{
    public DocMapping(int line = 0, int column = 0) : base(line, column) { }

    public List<KeyValuePair<DocScalar, DocNode>> Entries { get; } = new();

    public DocMapping Add(string key, DocNode value)
    {
        Entries.Add(new(DocScalar.Text(key), value));
        return this;
    }
}

public sealed class DocSequence : DocNode
{
    public DocSequence(int line = 0, int column = 0) : base(line, column) { }

    public List<DocNode> Items { get; } = new();
}

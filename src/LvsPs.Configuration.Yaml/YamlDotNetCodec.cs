using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using LvsPs.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LvsPs.Configuration.Yaml;

/// <summary>
/// <see cref="IYamlCodec"/> on YamlDotNet's event parser and emitter. The parser keeps duplicate keys and every node's
/// line and column, so the document loader can report them; anchors, aliases and tags are refused (a director
/// document has no use for them, and they would hide where a value came from).
/// </summary>
public sealed partial class YamlDotNetCodec : IYamlCodec
{
    public Assembly YamlAssembly => typeof(Parser).Assembly;

    public DocNode? Parse(string text, string source)
    {
        if (text.Length > DocumentLimits.MaxLength) throw DocumentLimits.TooLarge(source, text.Length);
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _)) return null;
            parser.Consume<DocumentStart>();
            DocNode? root = parser.Accept<DocumentEnd>(out _) ? null : ReadNode(parser, source, 1);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                var mark = parser.Current!.Start;
                throw Error(source, mark, "The file holds more than one YAML document; allowed: one director document.");
            }
            return root;
        }
        catch (YamlException e)
        {
            var message = Regex.Replace(e.Message, @"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ", "");
            // YamlDotNet marks a tab in the indentation at the start of the token it was scanning (often line 1);
            // the user needs the tab itself
            var at = message.Contains("tab", StringComparison.OrdinalIgnoreCase) && IndentationTab(text, (int)e.Start.Line) is { } tab ? tab : e.Start;
            throw Error(source, at, $"YAML syntax error: {message}");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet throws these (not a YamlException) on some malformed input, found by fuzzing
            // (tests/LvsPs.Tests/Fuzz): InvalidOperationException from Scanner.ScanPlainScalar, ArgumentException
            // ("Global tags must be valid URIs") from TagName. Still a syntax error of the document, at the last place
            // the parser reached.
            var mark = parser.Current?.Start ?? Mark.Empty;
            throw Error(source, mark, $"YAML syntax error near here: the parser could not read on ({e.Message})");
        }
    }

    /// <summary>The first tab in a line's indentation from line <paramref name="fromLine"/> on (YAML allows no tab there).</summary>
    private static Mark? IndentationTab(string text, int fromLine)
    {
        int line = 1, index = 0;
        while (index <= text.Length)
        {
            int end = text.IndexOf('\n', index);
            if (end < 0) end = text.Length;
            if (line >= fromLine)
            {
                for (int i = index; i < end && text[i] is ' ' or '\t'; i++)
                {
                    if (text[i] == '\t') return new Mark(i, line, i - index + 1);
                }
            }
            index = end + 1;
            line++;
        }
        return null;
    }

    /// <summary>Reads one node at nesting <paramref name="depth"/>; past <see cref="DocumentLimits.MaxDepth"/> it stops (YamlDotNet's parser itself keeps no recursion, this reader would).</summary>
    private static DocNode ReadNode(IParser parser, string source, int depth)
    {
        var current = parser.Current!;
        if (depth > DocumentLimits.MaxDepth && current is SequenceStart or MappingStart) throw DocumentLimits.TooDeep(source, Line(current.Start), Column(current.Start));
        if (current is AnchorAlias alias) throw Error(source, alias.Start, "YAML aliases (*name) are not allowed in a director document.");
        if (current is NodeEvent { Anchor.IsEmpty: false } anchored) throw Error(source, anchored.Start, "YAML anchors (&name) are not allowed in a director document.");
        switch (current)
        {
            case Scalar s:
                parser.MoveNext();
                if (!s.Tag.IsEmpty && !s.Tag.IsNonSpecific) throw Error(source, s.Start, $"YAML tag '{s.Tag}' is not allowed in a director document.");
                var kind = s.Style is ScalarStyle.Plain ? (IsNull(s.Value) ? DocScalarKind.Null : DocScalarKind.Plain) : DocScalarKind.String;
                return new DocScalar(s.Value, kind, Line(s.Start), Column(s.Start));
            case SequenceStart seq:
                {
                    parser.MoveNext();
                    var node = new DocSequence(Line(seq.Start), Column(seq.Start));
                    while (!parser.TryConsume<SequenceEnd>(out _)) node.Items.Add(ReadNode(parser, source, depth + 1));
                    return node;
                }
            case MappingStart map:
                {
                    parser.MoveNext();
                    var node = new DocMapping(Line(map.Start), Column(map.Start));
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        var keyMark = parser.Current!.Start;
                        if (ReadNode(parser, source, depth + 1) is not DocScalar key) throw Error(source, keyMark, "A key must be a plain name, not a list or a mapping.");
                        node.Entries.Add(new(key, ReadNode(parser, source, depth + 1)));
                    }
                    return node;
                }
            default:
                throw Error(source, current.Start, $"Unexpected YAML event {current.GetType().Name}.");
        }
    }

    private static bool IsNull(string value) => value is "" or "~" or "null" or "Null" or "NULL";

    private static int Line(Mark mark) => (int)mark.Line;
    private static int Column(Mark mark) => (int)mark.Column;

    private static LvsException Error(string source, Mark mark, string message) =>
        LvsException.InvalidArgument("InvalidDirectorDocument", $"{source}:{mark.Line}:{mark.Column}: {message}", source);

    public string Emit(DocNode root, string? header)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        if (header is not null)
        {
            foreach (var line in header.Split('\n')) writer.WriteLine(line.Length == 0 ? "#" : "# " + line);
        }
        var emitter = new Emitter(writer, 2, int.MaxValue);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        EmitNode(emitter, root);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void EmitNode(IEmitter emitter, DocNode node)
    {
        switch (node)
        {
            case DocScalar s:
                {
                    var style = s.Kind switch
                    {
                        DocScalarKind.String => LooksTyped(s.Value) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any,
                        _ => ScalarStyle.Plain,
                    };
                    emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, s.Kind == DocScalarKind.Null ? "null" : s.Value, style, true, true));
                    break;
                }
            case DocSequence seq:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, seq.Items.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in seq.Items) EmitNode(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case DocMapping map:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, map.Entries.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in map.Entries)
                {
                    EmitNode(emitter, key);
                    EmitNode(emitter, value);
                }
                emitter.Emit(new MappingEnd());
                break;
        }
    }

    /// <summary>Text that a reader would take for a number, boolean or null if it were not quoted.</summary>
    private static bool LooksTyped(string value) =>
        IsNull(value) || TypedPattern().IsMatch(value);

    [GeneratedRegex(@"^([-+]?[0-9][0-9_]*(\.[0-9]*)?([eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|true|false|yes|no|on|off|True|False|Yes|No|On|Off|TRUE|FALSE|YES|NO|ON|OFF|[-+]?\.inf|\.nan)$")]
    private static partial Regex TypedPattern();
}

using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LvsPs.Configuration;

/// <summary>Writes a <see cref="DocNode"/> tree as indented JSON (the director document's JSON form).</summary>
public static class JsonText
{
    public static string Write(DocNode root)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            Write(writer, root);
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void Write(Utf8JsonWriter writer, DocNode node)
    {
        switch (node)
        {
            case DocMapping map:
                writer.WriteStartObject();
                foreach (var (key, value) in map.Entries)
                {
                    writer.WritePropertyName(key.Value);
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case DocSequence seq:
                writer.WriteStartArray();
                foreach (var item in seq.Items) Write(writer, item);
                writer.WriteEndArray();
                break;
            case DocScalar { Kind: DocScalarKind.Null }:
                writer.WriteNullValue();
                break;
            case DocScalar { Kind: DocScalarKind.Boolean } b:
                writer.WriteBooleanValue(b.Value == "true");
                break;
            case DocScalar { Kind: DocScalarKind.Number or DocScalarKind.Plain } n when long.TryParse(n.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v):
                writer.WriteNumberValue(v);
                break;
            case DocScalar s:
                writer.WriteStringValue(s.Value);
                break;
        }
    }
}

using System.Globalization;
using LvsPs.Model;
using LvsPs.Model.Settings;

namespace LvsPs.Configuration;

/// <summary>The reader's typed access to a document's values: mappings with known keys, lists, text, numbers, flags.</summary>
public static partial class DirectorDocument
{
    private sealed partial class Reader
    {
        /// <summary>
        /// The model's own check (<paramref name="validate"/>) of what was read at <paramref name="node"/>, when that
        /// added no error since <paramref name="errorsBefore"/>; null when there were errors or the model refuses it
        /// (its error recorded at the node).
        /// </summary>
        private T? Validated<T>(DocNode node, int errorsBefore, Func<T> validate) where T : class
        {
            if (Errors.Count != errorsBefore) return null;
            try
            {
                return validate();
            }
            catch (LvsException e)
            {
                Error(node, e.ErrorId, e.Message);
                return null;
            }
        }

        private Dictionary<string, KeyValuePair<DocScalar, DocNode>>? Mapping(DocNode node, string what, string[] allowed)
        {
            if (node is not DocMapping map)
            {
                Error(node, "WrongType", $"{Capital(what)} must be a mapping of keys; allowed keys: {string.Join(", ", allowed)}.");
                return null;
            }
            var result = new Dictionary<string, KeyValuePair<DocScalar, DocNode>>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in map.Entries)
            {
                var key = entry.Key.Value;
                var known = allowed.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
                if (known is null)
                {
                    Error(entry.Key, "UnknownKey", $"Unknown key '{ValueText.Cut(key)}' in {what}; allowed: {string.Join(", ", allowed)}.");
                    continue;
                }
                if (result.TryGetValue(known, out var first))
                {
                    Error(entry.Key, "DuplicateKey", $"Key '{ValueText.Cut(known)}' appears twice in {what} (first at line {first.Key.Line}).");
                    continue;
                }
                result.Add(known, entry);
            }
            return result;
        }

        private List<DocNode>? Sequence(DocNode node, string key)
        {
            if (node is DocSequence seq) return seq.Items;
            Error(node, "WrongType", $"'{key}' must be a list (YAML '- item' lines or [a, b]).");
            return null;
        }

        private string? Text(DocNode node, string key, bool allowPlain = true)
        {
            if (node is DocScalar { Kind: DocScalarKind.String or DocScalarKind.Plain } s) return s.Value;
            Error(node, "WrongType", $"'{key}' must be text, not {Describe(node)}.");
            return null;
        }

        private uint? UInt(DocNode node, string key, uint min, uint max)
        {
            if (node is DocScalar { Kind: DocScalarKind.Plain or DocScalarKind.Number } s &&
                ulong.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            {
                if (v >= min && v <= max) return (uint)v;
                Error(node, "ValueOutOfRange", $"'{key}' {ValueText.Cut(s.Value)} is out of range; allowed: {min}..{max}.");
                return null;
            }
            Error(node, "WrongType", $"'{key}' must be a whole number in {min}..{max}, not {Describe(node)}.");
            return null;
        }

        /// <summary>A whole number in the range the model gives the setting <paramref name="key"/> of <paramref name="level"/>.</summary>
        private uint? UInt(DocNode node, SettingLevel level, string key)
        {
            var range = SettingCatalog.Get(level, key).Range ?? throw new InvalidOperationException($"Setting {level}.{key} has no range.");
            return UInt(node, key, (uint)range.Min, (uint)Math.Min(range.Max, uint.MaxValue));
        }

        /// <summary>A choice of the setting <paramref name="key"/> of <paramref name="level"/>, without the names it excludes.</summary>
        private T? Enum<T>(DocNode node, SettingLevel level, string key) where T : struct, Enum =>
            Enum<T>(node, key, SettingCatalog.Get(level, key).Excluded);

        private bool? Bool(DocNode node, string key)
        {
            if (node is DocScalar { Kind: DocScalarKind.Plain or DocScalarKind.Boolean } s)
            {
                if (s.Value is "true" or "True" or "TRUE") return true;
                if (s.Value is "false" or "False" or "FALSE") return false;
            }
            Error(node, "WrongType", $"'{key}' must be true or false, not {Describe(node)}.");
            return null;
        }

        private T? Enum<T>(DocNode node, string key, IReadOnlyList<string>? excluded = null) where T : struct, Enum
        {
            var allowed = System.Enum.GetNames<T>().Where(n => excluded is null || !excluded.Contains(n)).ToArray();
            if (node is DocScalar { Kind: DocScalarKind.String or DocScalarKind.Plain } s)
            {
                var name = allowed.FirstOrDefault(n => string.Equals(n, s.Value, StringComparison.OrdinalIgnoreCase));
                if (name is not null) return System.Enum.Parse<T>(name);
                Error(node, "InvalidValue", $"'{key}' '{ValueText.Cut(s.Value)}' is not valid; allowed: {string.Join(", ", allowed)}.");
                return null;
            }
            Error(node, "WrongType", $"'{key}' must be one of {string.Join(", ", allowed)}, not {Describe(node)}.");
            return null;
        }

        private T Flags<T>(DocNode node, string key) where T : struct, Enum
        {
            var names = node switch
            {
                DocSequence seq => seq.Items,
                DocScalar { Kind: DocScalarKind.Null } => new List<DocNode>(),
                _ => new List<DocNode> { node },
            };
            ulong value = 0;
            foreach (var item in names)
            {
                if (Enum<T>(item, key) is { } f) value |= Convert.ToUInt64(f, CultureInfo.InvariantCulture);
            }
            return (T)System.Enum.ToObject(typeof(T), value);
        }

        private static string Describe(DocNode node) => node switch
        {
            DocMapping => "a mapping",
            DocSequence => "a list",
            DocScalar { Kind: DocScalarKind.Null } => "null",
            DocScalar { Kind: DocScalarKind.String } s => $"the text '{ValueText.Cut(s.Value)}'",
            DocScalar s => $"'{ValueText.Cut(s.Value)}'",
            _ => "this",
        };

        private static string Capital(string s) => char.ToUpperInvariant(s[0]) + s[1..];
    }
}

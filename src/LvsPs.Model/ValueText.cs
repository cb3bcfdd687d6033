namespace LvsPs.Model;

/// <summary>
/// How a refused value is echoed in an error message: cut to a bounded length (a 10 MB value must not give a 10 MB
/// message) with control characters made visible, so a message stays one readable line. Every message that echoes a
/// value a user or a file gave goes through <see cref="Cut"/>; <see cref="LvsException"/> also bounds its whole message.
/// </summary>
public static class ValueText
{
    /// <summary>The most characters of a value an error message shows.</summary>
    public const int MaxShown = 100;

    /// <summary>
    /// The value as a message shows it: at most <see cref="MaxShown"/> characters (the start, then "… (N characters)"),
    /// with CR, LF, tab and other control characters written as escapes (\r, \n, \t, \u0000).
    /// </summary>
    public static string Cut(string? value)
    {
        if (value is null) return string.Empty;
        bool cut = value.Length > MaxShown;
        var shown = cut ? value.AsSpan(0, MaxShown) : value.AsSpan();
        var text = new System.Text.StringBuilder(shown.Length + 24);
        foreach (var c in shown)
        {
            switch (c)
            {
                case '\r': text.Append("\\r"); break;
                case '\n': text.Append("\\n"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (char.IsControl(c)) text.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    else text.Append(c);
                    break;
            }
        }
        if (cut) text.Append("… (").Append(value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(" characters)");
        return text.ToString();
    }

    /// <summary>A refused value kept as an error's target object: a long string is cut, anything else is kept as it is.</summary>
    public static object? Target(object? value) => value is string s && s.Length > MaxShown ? Cut(s) : value;

    /// <summary>True when the text has a control character (CR, LF, NUL, ...), which no name or path on a wire may carry.</summary>
    public static bool HasControl(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c)) return true;
        }
        return false;
    }
}

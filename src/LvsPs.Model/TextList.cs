namespace LvsPs.Model;

/// <summary>
/// A read-only list whose text is its items joined (as an Export-Csv cell or a list view shows it), where a plain
/// array would show its type name. ConvertTo-Json still writes it as an array.
/// </summary>
public sealed class TextList<T> : IReadOnlyList<T>
{
    private readonly IReadOnlyList<T> _items;
    private readonly string _separator;

    public TextList(IReadOnlyList<T> items, string separator = " ")
    {
        _items = items;
        _separator = separator;
    }

    public T this[int index] => _items[index];

    public int Count => _items.Count;

    public IEnumerator<T> GetEnumerator() => _items.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(_separator, _items);
}

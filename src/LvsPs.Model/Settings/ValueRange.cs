using System.Globalization;

namespace LvsPs.Model.Settings;

/// <summary>
/// An inclusive range of whole numbers a setting takes. The model's validation owns each range (as a named field next
/// to the check that uses it); the setting catalogue, the document reader and the tests read it from there.
/// </summary>
public readonly record struct ValueRange(ulong Min, ulong Max)
{
    /// <summary>Every value of an unsigned type of <paramref name="bits"/> bits (the range is the type's own).</summary>
    public static ValueRange Bits(int bits) => new(0, bits == 64 ? ulong.MaxValue : (1UL << bits) - 1);

    public bool Contains(long value) => value >= 0 && (ulong)value >= Min && (ulong)value <= Max;

    public bool Contains(ulong value) => value >= Min && value <= Max;

    /// <summary>"MIN..MAX", as the error messages write it.</summary>
    public override string ToString() => Min.ToString(CultureInfo.InvariantCulture) + ".." + Max.ToString(CultureInfo.InvariantCulture);
}

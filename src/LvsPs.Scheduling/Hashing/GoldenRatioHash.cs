namespace LvsPs.Scheduling.Hashing;

/// <summary>
/// The kernel's multiplicative hash (include/linux/hash.h): <c>hash_32(val, bits) = (val * GOLDEN_RATIO_32) &gt;&gt; (32 - bits)</c>
/// with GOLDEN_RATIO_32 = 0x61C88647, keeping the high bits of the product. dh, sh, lblc and lblcr use it.
/// </summary>
public static class GoldenRatioHash
{
    /// <summary>GOLDEN_RATIO_32 in include/linux/hash.h.</summary>
    public const uint GoldenRatio32 = 0x61C88647;

    /// <summary>hash_32(val, bits) for 1 &lt;= bits &lt;= 32.</summary>
    public static uint Hash32(uint value, int bits) => unchecked(value * GoldenRatio32) >> (32 - bits);
}

using System.Numerics;
using System.Runtime.CompilerServices;

namespace LvsPs.Scheduling.Hashing;

/// <summary>
/// The kernel's <c>hsiphash</c> as 64-bit kernels build it (lib/siphash.c under <c>#if BITS_PER_LONG == 64</c>): there
/// "HalfSipHash1-3" is really SipHash-1-3 with 64-bit state, keyed by two unsigned longs, truncated to 32 bits.
/// Only the one-u32 form (<c>hsiphash_1u32</c>, which <c>hsiphash(&amp;v, 4, key)</c> reduces to) is needed, by mh.
/// </summary>
public static class HalfSipHash
{
    /// <summary>hsiphash_1u32(value, {key0, key1}) on a 64-bit kernel.</summary>
    /// <remarks>Inlined so that constant keys (mh's) fold into the initial state.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hash(uint value, ulong key0, ulong key1)
    {
        // HPREAMBLE(4) = PREAMBLE(4)
        ulong v0 = 0x736f6d6570736575UL ^ key0;
        ulong v1 = 0x646f72616e646f6dUL ^ key1;
        ulong v2 = 0x6c7967656e657261UL ^ key0;
        ulong v3 = 0x7465646279746573UL ^ key1;
        ulong b = (4UL << 56) | value;
        // HPOSTAMBLE: one compression round, three finalization rounds
        v3 ^= b;
        Round(ref v0, ref v1, ref v2, ref v3);
        v0 ^= b;
        v2 ^= 0xff;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        return unchecked((uint)((v0 ^ v1) ^ (v2 ^ v3)));
    }

    /// <summary>SIPROUND (lib/siphash.c), the SipHash permutation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
    {
        unchecked
        {
            v0 += v1; v1 = BitOperations.RotateLeft(v1, 13); v1 ^= v0; v0 = BitOperations.RotateLeft(v0, 32);
            v2 += v3; v3 = BitOperations.RotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = BitOperations.RotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = BitOperations.RotateLeft(v1, 17); v1 ^= v2; v2 = BitOperations.RotateLeft(v2, 32);
        }
    }
}

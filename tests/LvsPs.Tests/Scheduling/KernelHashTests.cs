using LvsPs.Scheduling;
using LvsPs.Scheduling.Hashing;

namespace LvsPs.Tests.Scheduling;

/// <summary>
/// Known answers for the kernel's hashes. hash_32 products are worked out by hand; the SipHash vectors come from the
/// SipHash reference (github.com/veorq/SipHash vectors.h) and the kernel's own lib/siphash_kunit.c table for 64-bit
/// hsiphash, not from running this code.
/// </summary>
public class KernelHashTests
{
    [Theory]
    // 1 * 0x61C88647 = 0x61C88647; top byte 0x61
    [InlineData(1u, 8, 0x61u)]
    // 2 * 0x61C88647 = 0xC3910C8E -> 0xC3
    [InlineData(2u, 8, 0xC3u)]
    // 3 * 0x61C88647 = 0x1255992D5 -> 0x255992D5 -> 0x25
    [InlineData(3u, 8, 0x25u)]
    // 6 * 0x61C88647 = 0x24AB325AA -> 0x4AB325AA -> 0x4A
    [InlineData(6u, 8, 0x4Au)]
    // 10.0.0.1 = 0x0A000001: 0x0A000000 * 0x61C88647 keeps 0x47 * 10 = 0x2C6 in the top byte -> 0xC6000000;
    // + 0x61C88647 = 0x127C88647 -> 0x27C88647 -> 0x27
    [InlineData(0x0A000001u, 8, 0x27u)]
    // 10 bits (lblc): 0x61C88647 >> 22 = 0x187
    [InlineData(1u, 10, 0x187u)]
    [InlineData(0u, 8, 0u)]
    public void Hash32_keeps_the_high_bits_of_the_golden_ratio_product(uint value, int bits, uint expected) =>
        Assert.Equal(expected, GoldenRatioHash.Hash32(value, bits));

    [Fact]
    public void Hsiphash_matches_the_kernels_64_bit_test_vector_for_four_bytes()
    {
        // lib/siphash_kunit.c: test_key_hsiphash = {0x0706050403020100, 0x0f0e0d0c0b0a0908} on 64-bit, and
        // test_vectors_hsiphash[4] (the bytes 00 01 02 03, i.e. the little-endian u32 0x03020100) = 0x88d38328
        Assert.Equal(0x88d38328u, HalfSipHash.Hash(0x03020100u, 0x0706050403020100UL, 0x0f0e0d0c0b0a0908UL));
    }

    [Fact]
    public void The_round_function_gives_the_SipHash_2_4_reference_vectors()
    {
        // The SipHash reference vectors (key 00..0f): the empty message -> 0x726fdb47dd0e0e31, and the 15 bytes
        // 00..0e -> 0xa129ca6149be45e5 (the example in the SipHash paper). SipHash-2-4 built on the same SIPROUND.
        Assert.Equal(0x726fdb47dd0e0e31UL, SipHash24(Array.Empty<byte>()));
        Assert.Equal(0xa129ca6149be45e5UL, SipHash24(Enumerable.Range(0, 15).Select(i => (byte)i).ToArray()));
    }

    private static ulong SipHash24(byte[] m)
    {
        const ulong k0 = 0x0706050403020100UL, k1 = 0x0f0e0d0c0b0a0908UL;
        ulong v0 = 0x736f6d6570736575UL ^ k0, v1 = 0x646f72616e646f6dUL ^ k1, v2 = 0x6c7967656e657261UL ^ k0, v3 = 0x7465646279746573UL ^ k1;
        int full = m.Length / 8 * 8;
        for (int i = 0; i < full; i += 8)
        {
            ulong w = BitConverter.ToUInt64(m, i);
            v3 ^= w;
            HalfSipHash.Round(ref v0, ref v1, ref v2, ref v3);
            HalfSipHash.Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= w;
        }
        ulong b = (ulong)m.Length << 56;
        for (int i = full; i < m.Length; i++) b |= (ulong)m[i] << (8 * (i - full));
        v3 ^= b;
        HalfSipHash.Round(ref v0, ref v1, ref v2, ref v3);
        HalfSipHash.Round(ref v0, ref v1, ref v2, ref v3);
        v0 ^= b;
        v2 ^= 0xff;
        for (int i = 0; i < 4; i++) HalfSipHash.Round(ref v0, ref v1, ref v2, ref v3);
        return v0 ^ v1 ^ v2 ^ v3;
    }

    [Fact]
    public void Random_below_takes_the_high_half_and_rejects_a_short_low_half()
    {
        // ceil 7: 7 * 0x40000000 = 0x1_C0000000 -> 1; 7 * 0xFFFFFFFF = 0x6_FFFFFFF9 -> 6.
        // 7 * 0 has low half 0 < 7, and 0 < 2^32 mod 7 = 4 (2^3 = 8 = 1 mod 7, so 2^32 = 2^2 mod 7): drawn again.
        var r = new SequenceRandom(0x40000000, 0xFFFFFFFF, 0, 0x80000000);
        Assert.Equal(1u, RandomBelow.Next(r, 7));
        Assert.Equal(6u, RandomBelow.Next(r, 7));
        Assert.Equal(3u, RandomBelow.Next(r, 7)); // 0 rejected, then 7 * 0x80000000 = 0x3_80000000 -> 3
        Assert.Equal(4, r.Drawn);
    }

    [Fact]
    public void Address_fold_xors_the_ipv6_words()
    {
        var v6 = NetAddress.FromIPAddress(System.Net.IPAddress.Parse("2001:db8::1:0:0:1"));
        // 2001:db8:0:0:1:0:0:1: words 0x20010db8, 0x00000000, 0x00010000, 0x00000001 -> 0x20000db9
        Assert.Equal(0x20000db9u, v6.Fold);
        Assert.Equal(0x0A000001u, NetAddress.FromIPv4(0x0A000001).Fold);
    }
}

namespace LvsPs.Scheduling.Hashing;

/// <summary>
/// get_random_u32_below(ceil) for a non-constant ceil (drivers/char/random.c __get_random_u32_below): the high half of
/// ceil * rand, rejecting (and drawing again) when the low half falls under 2^32 mod ceil.
/// </summary>
public static class RandomBelow
{
    public static uint Next(IRandomSource random, uint ceil)
    {
        uint rand = random.NextUInt32();
        if (ceil == 0) return rand;
        ulong mult = (ulong)ceil * rand;
        if ((uint)mult < ceil)
        {
            uint bound = unchecked(0u - ceil) % ceil;
            while ((uint)mult < bound) mult = (ulong)ceil * random.NextUInt32();
        }
        return (uint)(mult >> 32);
    }
}

namespace LvsPs.Scheduling.Counters;

/// <summary>
/// The hot state of one service's destinations, struct-of-arrays: weight, flags (overloaded, removed) and the active and
/// inactive connection counters, one slot per destination in the order they were added. The kernel's list runs newest
/// first (list_add_rcu inserts at the head), so walking the slots from the highest index down is the kernel's list order,
/// and the least-connection scans read four compact int arrays instead of one object per destination.
/// <para>
/// A slot never moves while its block is current: adding appends, removing marks the slot dead. When the block is full
/// or mostly dead, <see cref="DestinationSet"/> moves the live destinations to a new block (<see cref="Migrate"/>); a
/// counter update that raced the move and landed in the retired block is carried forward by
/// <see cref="Destination"/> itself, so no connection is ever lost from a count.
/// </para>
/// </summary>
internal sealed class CounterBlock
{
    /// <summary>The destination is over its upper threshold (IP_VS_DEST_F_OVERLOAD).</summary>
    public const int OverloadedFlag = 1;

    /// <summary>The destination has been removed from the service; its slot only keeps counting its old connections.</summary>
    public const int DeadFlag = 2;

    public CounterBlock(int capacity)
    {
        Weight = new int[capacity];
        Flags = new int[capacity];
        Active = new int[capacity];
        Inactive = new int[capacity];
        Owners = new Destination?[capacity];
    }

    /// <summary>Mirrors <see cref="Destination.Weight"/>; written only under the set's lock.</summary>
    public readonly int[] Weight;

    /// <summary><see cref="OverloadedFlag"/> and <see cref="DeadFlag"/>, changed with interlocked bit operations.</summary>
    public readonly int[] Flags;

    /// <summary>ip_vs_dest.activeconns: the only copy of it.</summary>
    public readonly int[] Active;

    /// <summary>ip_vs_dest.inactconns: the only copy of it.</summary>
    public readonly int[] Inactive;

    /// <summary>Which destination each slot belongs to.</summary>
    public readonly Destination?[] Owners;

    private int _count;

    /// <summary>Slots in use (live and dead), published after the slot is written so lock-free readers see whole slots.</summary>
    public int Count => Volatile.Read(ref _count);

    public int Capacity => Weight.Length;

    /// <summary>Dead slots among <see cref="Count"/>.</summary>
    public int DeadCount { get; private set; }

    private volatile bool _retired;

    /// <summary>Set once the slots have moved to a newer block; a writer that sees it carries its update forward.</summary>
    public bool Retired => _retired;

    /// <summary>A one-slot block for a destination outside any set (a fresh or removed one, or a preview copy).</summary>
    public static CounterSlot Single(Destination owner, int weight, int flags)
    {
        var block = new CounterBlock(1);
        block.Write(0, owner, weight, flags);
        block._count = 1;
        return new CounterSlot(block, 0);
    }

    private void Write(int index, Destination owner, int weight, int flags)
    {
        Owners[index] = owner;
        Weight[index] = weight;
        Flags[index] = flags;
    }

    /// <summary>Appends a slot (the caller holds the set's lock and has checked <see cref="Capacity"/>).</summary>
    public CounterSlot Append(Destination owner, int weight, int flags)
    {
        int index = _count;
        Write(index, owner, weight, flags);
        Volatile.Write(ref _count, index + 1);
        return new CounterSlot(this, index);
    }

    /// <summary>Marks a removed destination's slot dead, which every scan skips (the caller holds the set's lock).</summary>
    public void MarkDead(int index)
    {
        Interlocked.Or(ref Flags[index], DeadFlag);
        DeadCount++;
    }

    /// <summary>
    /// Moves every destination of this block to <paramref name="next"/> (live ones, in order) or to a block of its own
    /// (dead ones), then retires this block and sweeps what is left in its counters into the new slots. Runs under the
    /// set's lock; counter updates may run concurrently and are never lost.
    /// </summary>
    public void Migrate(CounterBlock next)
    {
        int count = _count;
        var moves = new CounterSlot[count];
        for (int i = 0; i < count; i++)
        {
            var owner = Owners[i]!;
            bool dead = (Flags[i] & DeadFlag) != 0;
            moves[i] = owner.MoveTo(dead ? null : next, Weight[i], dead);
        }
        Retire();
        for (int i = 0; i < count; i++) Carry(i, moves[i]);
    }

    /// <summary>
    /// Marks the block retired once every owner points at its new slot. A writer that still adds to it after a
    /// <see cref="Carry"/> will see the flag (the carry's interlocked exchange orders after it) and carry its own update.
    /// </summary>
    public void Retire()
    {
        Interlocked.MemoryBarrier();
        _retired = true;
        Interlocked.MemoryBarrier();
    }

    /// <summary>Moves the counters of slot <paramref name="index"/> of this retired block into <paramref name="to"/>.</summary>
    public void Carry(int index, CounterSlot to)
    {
        Sweep(ref Active[index], ref to.Block.Active[to.Index]);
        Sweep(ref Inactive[index], ref to.Block.Inactive[to.Index]);
    }

    /// <summary>Moves whatever a retired counter holds into its successor, exactly once however many threads sweep it.</summary>
    public static void Sweep(ref int from, ref int to)
    {
        int residue = Interlocked.Exchange(ref from, 0);
        if (residue != 0) Interlocked.Add(ref to, residue);
    }
}

/// <summary>Where one destination's counters live: a block and an index, replaced together when the block changes.</summary>
internal sealed class CounterSlot
{
    public CounterSlot(CounterBlock block, int index)
    {
        Block = block;
        Index = index;
    }

    public readonly CounterBlock Block;

    public readonly int Index;
}

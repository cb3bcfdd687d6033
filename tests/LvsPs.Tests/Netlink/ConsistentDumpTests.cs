using LvsPs.Netlink.Protocol;
using LvsPs.Netlink.Transport;

namespace LvsPs.Tests.Netlink;

/// <summary>
/// A dump is taken only when it is a whole table: in one pass of the kernel's callback, or the same in two reads in a
/// row; never when it is flagged NLM_F_DUMP_INTR or lists an entry twice (IPVS's index-resumed dumps do when the table
/// changes between passes); and a table that keeps changing is an error, not a partial list.
/// </summary>
public sealed class ConsistentDumpTests
{
    private sealed record Entry(uint Id);

    private static Reply Dump(int parts, bool interrupted, params uint[] ids)
    {
        var reply = new Reply { Parts = parts, Interrupted = interrupted };
        foreach (var id in ids) reply.Messages.Add(new NetlinkMessage(0x20, NetlinkConstants.FlagMulti, id, 0, ReadOnlyMemory<byte>.Empty));
        return reply;
    }

    private static bool Decode(NetlinkMessage m, out Entry entry)
    {
        entry = new Entry(m.Sequence);
        return true;
    }

    private static (List<Entry> Table, int Reads) Read(params Reply[] replies)
    {
        int reads = 0;
        var table = ConsistentDump.Read<Entry, uint>(() => replies[Math.Min(reads++, replies.Length - 1)], Decode, e => e.Id, "the test table");
        return (table, reads);
    }

    [Fact]
    public void A_dump_in_one_pass_is_taken_as_it_is()
    {
        var (table, reads) = Read(Dump(1, false, 1, 2, 3));
        Assert.Equal(new uint[] { 1, 2, 3 }, table.Select(e => e.Id));
        Assert.Equal(1, reads);
    }

    [Fact]
    public void A_dump_flagged_interrupted_is_read_again()
    {
        var (table, reads) = Read(Dump(1, true, 1, 2), Dump(1, false, 1, 2, 3));
        Assert.Equal(new uint[] { 1, 2, 3 }, table.Select(e => e.Id));
        Assert.Equal(2, reads);
    }

    [Fact]
    public void A_dump_that_lists_an_entry_twice_is_read_again()
    {
        // IPVS resumes a dump at an index: a service deleted before the index between two passes repeats one
        var (table, reads) = Read(Dump(2, false, 1, 2, 2, 4), Dump(1, false, 1, 2, 4));
        Assert.Equal(new uint[] { 1, 2, 4 }, table.Select(e => e.Id));
        Assert.Equal(2, reads);
    }

    [Fact]
    public void A_dump_in_several_passes_is_taken_only_when_two_reads_in_a_row_agree()
    {
        // the first read skipped entry 3 (one added before the index between two passes shifted it past the index)
        var (table, reads) = Read(Dump(2, false, 1, 2, 4), Dump(2, false, 1, 2, 3, 4), Dump(2, false, 4, 3, 2, 1));
        Assert.Equal(new uint[] { 4, 3, 2, 1 }, table.Select(e => e.Id));
        Assert.Equal(3, reads);
    }

    [Fact]
    public void A_table_that_keeps_changing_is_an_error_not_a_partial_table()
    {
        int reads = 0;
        var e = Assert.Throws<NetlinkException>(() => ConsistentDump.Read<Entry, uint>(
            () => Dump(2, false, 1, (uint)(100 + reads++)), Decode, x => x.Id, "the virtual services"));
        Assert.Equal(ConsistentDump.MaxAttempts, reads);
        Assert.Equal(11, e.Errno); // EAGAIN
        Assert.Contains("the virtual services", e.Message);
    }
}

using LvsPs.Interop;
using LvsPs.Netlink.Protocol;

namespace LvsPs.Netlink.Transport;

/// <summary>
/// Reads a dump until it is a whole table, never a torn one. A netlink dump is answered in passes of the kernel's dump
/// callback, one receive buffer each, and the table's lock is held only during a pass. A family that numbers its
/// changes marks a dump that spanned one with NLM_F_DUMP_INTR (genl_dump_check_consistent); IPVS does not: its dumps
/// resume at an index (cb->args[0] in ip_vs_genl_dump_services and ip_vs_genl_dump_dests, net/netfilter/ipvs/ip_vs_ctl.c),
/// so an entry added or deleted between two passes shifts the rest, and the dump silently skips or repeats one (the way
/// kube-proxy once lost endpoints). So a dump is taken as it is only when it came in one pass; a dump in several passes
/// is read again until two reads in a row list the same entries; a dump that was flagged interrupted or lists an entry
/// twice is read again. After <see cref="MaxAttempts"/> reads without a consistent one it fails instead of returning
/// part of the table.
/// </summary>
public static class ConsistentDump
{
    /// <summary>The entry a reply message carries; false for a message without one.</summary>
    public delegate bool TryDecode<T>(NetlinkMessage message, out T entry);

    /// <summary>Reads of one dump before it gives up on a table that keeps changing.</summary>
    public const int MaxAttempts = 8;

    /// <param name="dump">Sends the dump request and returns its reply (an errno in the reply is returned by it as an exception).</param>
    /// <param name="decode">The entry a reply message carries, if any.</param>
    /// <param name="key">An entry's identity in the table.</param>
    /// <param name="what">What is read, for the error ("the virtual services").</param>
    public static List<T> Read<T, TKey>(Func<Reply> dump, TryDecode<T> decode, Func<T, TKey> key, string what)
        where TKey : notnull
    {
        List<T>? previous = null;
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var reply = dump();
            var entries = new List<T>(reply.Messages.Count);
            foreach (var message in reply.Messages)
            {
                if (decode(message, out var entry)) entries.Add(entry);
            }
            var keys = new HashSet<TKey>(entries.Count);
            bool repeated = entries.Any(e => !keys.Add(key(e)));
            if (reply.Interrupted || repeated)
            {
                previous = null;
                continue;
            }
            if (reply.Parts <= 1) return entries; // one pass, under the table's lock
            if (previous is not null && previous.Count == entries.Count && previous.All(e => keys.Contains(key(e)))) return entries;
            previous = entries;
        }
        throw new NetlinkException(Errno.EAGAIN,
            $"The kernel's table changed during each of {MaxAttempts} reads of {what}; no partial table was taken. Try again when the changes settle.");
    }
}

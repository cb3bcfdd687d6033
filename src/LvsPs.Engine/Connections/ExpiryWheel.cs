namespace LvsPs.Engine.Connections;

/// <summary>
/// When each connection entry is next due for an expiry check, to the second: a timing wheel of 1,024 one-second slots
/// (the role of the kernel's per-connection timers in ip_vs_conn.c). A sweep takes only the slots that came due, so its
/// cost follows the entries expiring, not the entries kept. Checks are lazy: activity does not move an entry; when its
/// slot comes due the table looks at its real idle time and schedules it again if it is not expired yet. A change that
/// makes the timeout shorter moves it earlier. Slots hold entry ids, not entries, so the wheel keeps nothing alive.
/// </summary>
internal sealed class ExpiryWheel
{
    /// <summary>Slots (seconds) ahead; a deadline further away is checked at the last one and scheduled on from there.</summary>
    public const int Slots = 1024;

    private readonly List<long>?[] _slots = new List<long>?[Slots];
    private readonly object _gate = new();
    private long _swept;

    /// <param name="now">The clock (ms ticks) the wheel starts at.</param>
    public ExpiryWheel(long now) => _swept = now / 1000;

    /// <summary>
    /// Checks <paramref name="entry"/> no later than <paramref name="deadline"/> (ms ticks): it goes in the deadline's
    /// slot unless it is already due in an earlier one.
    /// </summary>
    public void Schedule(IWheelEntry entry, long deadline)
    {
        long second = deadline <= 0 ? 0 : (deadline + 999) / 1000;
        lock (_gate)
        {
            second = Math.Clamp(second, _swept + 1, _swept + Slots - 1);
            long current = entry.WheelSecond;
            if (current != 0 && current <= second) return;
            entry.WheelSecond = second; // a reference left in a later slot is now stale and skipped there
            (_slots[second % Slots] ??= new List<long>()).Add(entry.Id);
        }
    }

    /// <summary>The ids in the slots that came due by <paramref name="now"/>, with their second; stale ones included.</summary>
    public List<(long Id, long Second)> TakeDue(long now)
    {
        var due = new List<(long, long)>();
        lock (_gate)
        {
            long until = now / 1000;
            long last = Math.Min(until, _swept + Slots); // a clock that jumped further still visits each slot once
            for (long s = _swept + 1; s <= last; s++)
            {
                int index = (int)(s % Slots);
                var list = _slots[index];
                if (list is null) continue;
                _slots[index] = null;
                // within the window each slot holds one second: s (a stale reference is told apart by Claim)
                foreach (long id in list) due.Add((id, s));
            }
            if (until > _swept) _swept = until;
        }
        return due;
    }

    /// <summary>Takes <paramref name="entry"/> off the wheel if <paramref name="second"/> is still its check; false for a stale reference.</summary>
    public bool Claim(IWheelEntry entry, long second)
    {
        lock (_gate)
        {
            if (entry.WheelSecond != second) return false;
            entry.WheelSecond = 0;
            return true;
        }
    }
}

/// <summary>What an <see cref="ExpiryWheel"/> keeps on each entry: its id, and the second it is checked at (0: not on the wheel).</summary>
internal interface IWheelEntry
{
    long Id { get; }

    long WheelSecond { get; set; }
}

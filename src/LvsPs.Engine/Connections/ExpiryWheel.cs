namespace LvsPs.Engine.Connections;

/// <summary>
/// When each connection entry is next due for an expiry check, to the second: a timing wheel of 1,024 one-second slots
/// (the role of the kernel's per-connection timers in ip_vs_conn.c). A sweep takes only the slots that came due, so its
/// cost follows the entries expiring, not the entries kept (a busy director keeps hundreds of thousands in TIME_WAIT).
/// Checks are lazy: activity does not move an entry; when its slot comes due the table looks at its real idle time and
/// schedules it again if it is not expired yet. A change that makes the timeout shorter moves it earlier.
/// </summary>
internal sealed class ExpiryWheel<T> where T : class, IWheelEntry
{
    /// <summary>Slots (seconds) ahead; a deadline further away is checked at the last one and scheduled on from there.</summary>
    public const int Slots = 1024;

    private readonly List<T>?[] _slots = new List<T>?[Slots];
    private readonly object _gate = new();
    private long _swept;

    /// <param name="now">The clock (ms ticks) the wheel starts at.</param>
    public ExpiryWheel(long now) => _swept = now / 1000;

    /// <summary>
    /// Checks <paramref name="entry"/> no later than <paramref name="deadline"/> (ms ticks): it goes in the deadline's
    /// slot unless it is already due in an earlier one.
    /// </summary>
    public void Schedule(T entry, long deadline)
    {
        long second = deadline <= 0 ? 0 : (deadline + 999) / 1000;
        lock (_gate)
        {
            second = Math.Clamp(second, _swept + 1, _swept + Slots - 1);
            long current = entry.WheelSecond;
            if (current != 0 && current <= second) return;
            entry.WheelSecond = second; // a reference left in a later slot is now stale and skipped there
            (_slots[second % Slots] ??= new List<T>()).Add(entry);
        }
    }

    /// <summary>The entries whose slot came due by <paramref name="now"/>, taken off the wheel.</summary>
    public List<T> TakeDue(long now)
    {
        var due = new List<T>();
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
                foreach (var entry in list)
                {
                    // within the window each slot holds one second, so a reference to another second is stale
                    if (entry.WheelSecond != s) continue;
                    entry.WheelSecond = 0;
                    due.Add(entry);
                }
            }
            if (until > _swept) _swept = until;
        }
        return due;
    }
}

/// <summary>What an <see cref="ExpiryWheel{T}"/> keeps on each entry: the second it is checked at (0: not on the wheel).</summary>
internal interface IWheelEntry
{
    long WheelSecond { get; set; }
}

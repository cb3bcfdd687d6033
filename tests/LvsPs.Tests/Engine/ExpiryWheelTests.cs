using LvsPs.Engine.Connections;

namespace LvsPs.Tests.Engine;

public class ExpiryWheelTests
{
    private sealed class Entry(string name) : IWheelEntry
    {
        private static long s_next;
        public long Id { get; } = Interlocked.Increment(ref s_next);
        public long WheelSecond { get; set; }
        public override string ToString() => name;
    }

    private readonly List<Entry> _all = new();

    private Entry New(string name)
    {
        var e = new Entry(name);
        _all.Add(e);
        return e;
    }

    /// <summary>The entries due (as the table takes them: stale references are not claimed).</summary>
    private string Due(ExpiryWheel wheel, long nowMs) => string.Join(",", wheel.TakeDue(nowMs)
        .Select(d => _all.Single(e => e.Id == d.Id) is var e && wheel.Claim(e, d.Second) ? e.ToString() : null)
        .OfType<string>().Order());

    [Fact]
    public void Entries_come_due_in_the_second_of_their_deadline_and_only_once()
    {
        var wheel = new ExpiryWheel(10_000);
        Entry a = New("a"), b = New("b"), c = New("c");
        wheel.Schedule(a, 11_000);
        wheel.Schedule(b, 11_001); // rounds up to second 12
        wheel.Schedule(c, 15_500);
        Assert.Equal("", Due(wheel, 10_999));
        Assert.Equal("a", Due(wheel, 11_000));
        Assert.Equal("b", Due(wheel, 12_000));
        Assert.Equal("", Due(wheel, 12_500));
        Assert.Equal("c", Due(wheel, 20_000)); // a late sweep takes everything due since the last one
        Assert.Equal("", Due(wheel, 30_000));
        Assert.Equal(0, c.WheelSecond);
    }

    [Fact]
    public void Moving_earlier_leaves_a_stale_reference_behind_and_later_does_not_move()
    {
        var wheel = new ExpiryWheel(0);
        var a = New("a");
        wheel.Schedule(a, 100_000);
        wheel.Schedule(a, 5_000); // a shorter timeout: checked at second 5
        wheel.Schedule(a, 50_000); // longer: stays at 5 (checked lazily then)
        Assert.Equal("a", Due(wheel, 5_000));
        wheel.Schedule(a, 200_000); // scheduled again after its check
        Assert.Equal("", Due(wheel, 100_000)); // the reference left at second 100 was stale
        Assert.Equal("a", Due(wheel, 200_000));
    }

    [Fact]
    public void Deadlines_past_the_wheel_and_in_the_past_are_clamped_and_a_clock_jump_visits_every_slot()
    {
        var wheel = new ExpiryWheel(0);
        Entry far = New("far"), past = New("past"), mid = New("mid");
        wheel.Schedule(far, 10_000_000); // beyond 1,024 s: checked at the last slot, second 1023
        wheel.Schedule(past, -5);        // already due: the next second
        wheel.Schedule(mid, 500_000);
        Assert.Equal(ExpiryWheel.Slots - 1, far.WheelSecond);
        Assert.Equal("past", Due(wheel, 1_000));
        Assert.Equal("far,mid", Due(wheel, 5_000_000)); // the clock jumped past the whole wheel
        Assert.Equal("", Due(wheel, 6_000_000));
    }
}

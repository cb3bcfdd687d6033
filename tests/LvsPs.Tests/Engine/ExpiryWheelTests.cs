using LvsPs.Engine.Connections;

namespace LvsPs.Tests.Engine;

public class ExpiryWheelTests
{
    private sealed class Entry(string name) : IWheelEntry
    {
        public long WheelSecond { get; set; }
        public override string ToString() => name;
    }

    private static string Due(ExpiryWheel<Entry> wheel, long nowMs) => string.Join(",", wheel.TakeDue(nowMs).Select(e => e.ToString()).Order());

    [Fact]
    public void Entries_come_due_in_the_second_of_their_deadline_and_only_once()
    {
        var wheel = new ExpiryWheel<Entry>(10_000);
        Entry a = new("a"), b = new("b"), c = new("c");
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
        var wheel = new ExpiryWheel<Entry>(0);
        var a = new Entry("a");
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
        var wheel = new ExpiryWheel<Entry>(0);
        Entry far = new("far"), past = new("past"), mid = new("mid");
        wheel.Schedule(far, 10_000_000); // beyond 1,024 s: checked at the last slot, second 1023
        wheel.Schedule(past, -5);        // already due: the next second
        wheel.Schedule(mid, 500_000);
        Assert.Equal(ExpiryWheel<Entry>.Slots - 1, far.WheelSecond);
        Assert.Equal("past", Due(wheel, 1_000));
        Assert.Equal("far,mid", Due(wheel, 5_000_000)); // the clock jumped past the whole wheel
        Assert.Equal("", Due(wheel, 6_000_000));
    }
}

using System.Net;
using LvsPs.Engine.Connections;
using LvsPs.Engine.Loop;

namespace LvsPs.Tests.Engine;

public class TimeWaitRecordsTests
{
    private static TimeWaitRecords.Record At(long id, long since) =>
        new(id, since, null!, null!, null, PeerAddress.From(new IPEndPoint(IPAddress.Loopback, (int)(1000 + id))));

    [Fact]
    public void Records_expire_oldest_first_after_two_minutes_across_chunks()
    {
        var records = new TimeWaitRecords();
        const long minute = 60_000;
        for (int i = 0; i < 5000; i++) records.Add(At(i, i)); // one a millisecond, over five chunks
        Assert.Equal(5000, records.Count);
        Assert.Empty(records.TakeExpired(2 * minute - 1));

        var first = records.TakeExpired(2 * minute + 999); // Since 0..999 have been there two minutes
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), first.Select(r => r.Id));
        for (int i = 5000; i < 5100; i++) records.Add(At(i, i));
        var rest = records.TakeExpired(2 * minute + 4_899); // leaves 4900..5099
        Assert.Equal(Enumerable.Range(1000, 3900).Select(i => (long)i), rest.Select(r => r.Id));
        Assert.Equal(Enumerable.Range(4900, 200).Select(i => (long)i), records.ToArray().Select(r => r.Id));
        Assert.Equal(1000 + 4900, records.ToArray()[0].Client.ToEndPoint().Port);
        Assert.Equal(200, records.TakeAll().Count);
        Assert.Equal(0, records.Count);
    }

    [Fact]
    public void Emptied_and_refilled_the_records_keep_their_order()
    {
        var records = new TimeWaitRecords();
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 1500; i++) records.Add(At(round * 10_000 + i, round * 1_000_000 + i));
            Assert.Equal(1500, records.ToArray().Length);
            var taken = records.TakeExpired(round * 1_000_000 + 10_000_000);
            Assert.Equal(Enumerable.Range(round * 10_000, 1500).Select(i => (long)i), taken.Select(r => r.Id));
            Assert.Equal(0, records.Count);
            Assert.Empty(records.ToArray());
        }
    }
}

using LvsPs.Engine;
using LvsPs.Model;
using LvsPs.TestBackends;

namespace LvsPs.Tests.Engine;

/// <summary>Each managed director makes its own event loops from its options and stops them when it stops.</summary>
public sealed class EventLoopOwnershipTests
{
    [Fact]
    public void A_stopped_director_leaves_no_loop_thread_behind()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var backend = HttpBackend.Start("a");
        var director = new ManagedDirector(new ManagedDirectorOptions { RunEstimator = false });
        List<Thread> threads;
        try
        {
            var vip = TestAddresses.NewVip();
            var id = VirtualServiceId.Parse($"tcp/{vip}:{TestAddresses.NewPort()}");
            director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" });
            director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(backend.EndPoint.Address, (ushort)backend.Port) });
            Assert.Equal("a", LoopbackClient.HttpGet(vip, id.Port).Backend); // relayed on the director's loops

            var loops = director.Engine.Loops;
            Assert.NotNull(loops);
            Assert.Same(loops, director.Engine.TcpLoops);
            Assert.Equal(Math.Max(1, Environment.ProcessorCount), loops.All.Count);
            threads = loops.All.Select(l => l.Thread).ToList();
            Assert.All(threads, t => Assert.True(t.IsAlive));
        }
        finally
        {
            director.Dispose();
        }
        Assert.All(threads, t => Assert.False(t.IsAlive)); // Dispose waited for each loop's thread to end
    }

    [Fact]
    public void Two_directors_do_not_share_loops_and_the_async_transport_makes_none()
    {
        using var a = new ManagedDirector(new ManagedDirectorOptions { RunEstimator = false });
        using var b = new ManagedDirector(new ManagedDirectorOptions { RunEstimator = false });
        using var async = new ManagedDirector(new ManagedDirectorOptions { RunEstimator = false, UseEventLoop = false });
        if (OperatingSystem.IsLinux())
        {
            Assert.Empty(a.Engine.Loops!.All.Intersect(b.Engine.Loops!.All));
        }
        Assert.Null(async.Engine.Loops);
        Assert.Null(async.Engine.TcpLoops);
    }
}

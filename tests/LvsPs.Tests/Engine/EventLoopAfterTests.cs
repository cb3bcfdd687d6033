using System.Net;
using System.Net.Sockets;
using LvsPs.Engine.Loop;

namespace LvsPs.Tests.Engine;

/// <summary>Work an event loop runs later on its own thread (<see cref="EventLoop.After"/>), as the fast path's FIN checks do.</summary>
public sealed class EventLoopAfterTests
{
    [Fact]
    public void Actions_run_on_the_loop_thread_in_due_order_and_never_before_their_time()
    {
        if (!OperatingSystem.IsLinux()) return;
        var loop = EventLoop.Create()!;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var ran = new List<(string Name, int Thread, long At)>();
        using var done = new ManualResetEventSlim();
        long scheduledAt = 0;
        var handler = new Handler(() =>
        {
            scheduledAt = Environment.TickCount64;
            loop.After(30, () => { ran.Add(("late", Environment.CurrentManagedThreadId, Environment.TickCount64)); done.Set(); });
            loop.After(10, () =>
            {
                ran.Add(("early", Environment.CurrentManagedThreadId, Environment.TickCount64));
                loop.After(0, () => ran.Add(("chained", Environment.CurrentManagedThreadId, Environment.TickCount64)));
            });
        });
        try
        {
            Assert.True(loop.Register(handler, socket.SafeHandle, null, EventLoop.In | EventLoop.EdgeTriggered));
            using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            sender.SendTo(new byte[] { 1 }, socket.LocalEndPoint!);
            Assert.True(done.Wait(TimeSpan.FromSeconds(10)), "the loop never ran the action due in 30 ms");
            Assert.Equal(["early", "chained", "late"], ran.Select(r => r.Name));
            Assert.All(ran, r => Assert.Equal(loop.Thread.ManagedThreadId, r.Thread));
            Assert.True(ran[0].At - scheduledAt >= 10, $"ran after {ran[0].At - scheduledAt} ms, before its 10 ms");
            Assert.True(ran[2].At - scheduledAt >= 30, $"ran after {ran[2].At - scheduledAt} ms, before its 30 ms");
        }
        finally
        {
            loop.Stop();
        }
    }

    [Fact]
    public void Only_the_loop_thread_may_schedule()
    {
        if (!OperatingSystem.IsLinux()) return;
        var loop = EventLoop.Create()!;
        try
        {
            var e = Assert.Throws<InvalidOperationException>(() => loop.After(1, () => { }));
            Assert.Contains("loop's own thread", e.Message);
        }
        finally
        {
            loop.Stop();
        }
    }

    private sealed class Handler(Action onFirstEvent) : LoopHandler
    {
        private int _events;

        internal override void OnEvent(int side, uint events)
        {
            if (Interlocked.Increment(ref _events) == 1) onFirstEvent();
        }
    }
}

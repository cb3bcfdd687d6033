namespace LvsPs.Scheduling;

/// <summary>
/// The lock a stateful scheduler's decisions take (the kernel's per-service <c>sched_lock</c>, a spin lock, in
/// ip_vs_rr.c and ip_vs_wrr.c): one interlocked exchange to enter and one store to leave, spinning and then yielding
/// when it is held. Decisions hold it for nanoseconds; a change of the set holds it while the scheduler rebuilds.
/// </summary>
internal struct SchedLock
{
    private int _held;

    public void Enter()
    {
        if (Interlocked.Exchange(ref _held, 1) == 0) return;
        EnterContended();
    }

    private void EnterContended()
    {
        var spin = new SpinWait();
        do
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
        while (Volatile.Read(ref _held) != 0 || Interlocked.Exchange(ref _held, 1) != 0);
    }

    public void Exit() => Volatile.Write(ref _held, 0);

    /// <summary>Enters <paramref name="gate"/> until the returned scope is disposed (<c>using (SchedLock.Hold(ref l))</c>).</summary>
    public static Held Hold(ref SchedLock gate)
    {
        gate.Enter();
        return new Held(ref gate);
    }

    /// <summary>The lock held, for a <c>using</c> statement.</summary>
    public readonly ref struct Held
    {
        private readonly ref SchedLock _gate;

        public Held(ref SchedLock gate) => _gate = ref gate;

        public void Dispose() => _gate.Exit();
    }
}

namespace LvsPs.TestBackends;

/// <summary>Does something after a delay on a pool thread (a PowerShell script block cannot run there).</summary>
public static class Later
{
    /// <summary>Disposes <paramref name="items"/> after <paramref name="delayMs"/> milliseconds.</summary>
    public static Task Dispose(int delayMs, params IDisposable[] items) =>
        Task.Delay(delayMs).ContinueWith(_ => { foreach (var item in items) item.Dispose(); }, TaskScheduler.Default);
}

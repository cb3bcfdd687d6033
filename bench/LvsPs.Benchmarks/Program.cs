using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace LvsPs.Benchmarks;

public static class Program
{
    /// <summary>
    /// A short in-process job (one build, 2 warm-ups, 5 iterations of ~100 ms) so all 56 cases fit in a few minutes on
    /// two cores. Pass BenchmarkDotNet options after "--", e.g. --filter *Schedule* --anyCategories.
    /// </summary>
    public static void Main(string[] args)
    {
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(5)
            .WithIterationTime(TimeInterval.FromMilliseconds(100));
        var config = DefaultConfig.Instance.AddJob(job.AsDefault()).WithOptions(ConfigOptions.DisableOptimizationsValidator);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}

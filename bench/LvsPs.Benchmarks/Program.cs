using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace LvsPs.Benchmarks;

public static class Program
{
    /// <summary>
    /// A short in-process job (one build, 3 warm-ups, 10 iterations of ~200 ms) so all 56 cases fit in about six minutes
    /// on two cores. Pass BenchmarkDotNet options after "--", e.g. --filter *Schedule* --anyCategories.
    /// </summary>
    public static void Main(string[] args)
    {
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithIterationTime(TimeInterval.FromMilliseconds(200));
        var config = DefaultConfig.Instance.AddJob(job.AsDefault()).WithOptions(ConfigOptions.DisableOptimizationsValidator);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}

using System.Reflection;
using LvsPs.Engine;
using Xunit.Sdk;

namespace LvsPs.Tests.Engine;

/// <summary>The relay paths a TCP relay test runs on: "splice" always, "sockmap" (the BPF fast path) where the process
/// may use bpf(2): as root, and always in CI (CI=true runs as root), where a director that cannot load it fails the test.</summary>
public static class RelayPaths
{
    public const string Splice = "splice", Sockmap = "sockmap";

    public static bool CanUseSockmap => Environment.UserName == "root" || Environment.GetEnvironmentVariable("CI") == "true";

    /// <summary>A director on <paramref name="path"/> (tests turn the estimator off and tick it by hand). On the sockmap
    /// path every connection joins as soon as it is connected (<see cref="LvsPs.Engine.Tcp.FastPathJoin.AtConnect"/>),
    /// so that a relay test's every byte goes through the fast path; FastPathJoinTests cover the default policy.</summary>
    public static ManagedDirector NewDirector(string path)
    {
        var director = new ManagedDirector(new ManagedDirectorOptions
        {
            RunEstimator = false,
            FastPath = path == Sockmap ? FastPath.Auto : FastPath.Off,
            FastPathJoin = LvsPs.Engine.Tcp.FastPathJoin.AtConnect,
        });
        if (director.RelayPath != path)
        {
            var why = director.RelayPathReason;
            director.Dispose();
            throw new InvalidOperationException($"the director relays by {path} only: {why}");
        }
        return director;
    }
}

/// <summary>The "sockmap" row of a relay theory, skipped (with the reason) when not root and not in CI.</summary>
public sealed class SockmapDataAttribute : DataAttribute
{
    public SockmapDataAttribute()
    {
        if (!RelayPaths.CanUseSockmap) Skip = "the BPF fast path needs root";
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => new[] { new object[] { RelayPaths.Sockmap } };
}

namespace LvsPs.Tests;

/// <summary>
/// A fact that needs root (to act as another user, or to change the network); skipped, with the reason, otherwise,
/// but never in CI (CI=true runs as root): there it runs, and fails if it cannot.
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root" && Environment.GetEnvironmentVariable("CI") != "true") Skip = "needs root";
    }
}

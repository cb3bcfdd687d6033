namespace LvsPs.Tests;

/// <summary>A fact that needs root (to act as another user, or to change the network); skipped, with the reason, otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root") Skip = "needs root";
    }
}

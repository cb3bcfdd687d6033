namespace LvsPs.KernelTests;

/// <summary>
/// The test classes that push traffic through one shared <see cref="TrafficLab"/> (building one costs the emulated
/// guest about 20 s). They run one after another, and each test leaves the director's table empty (the classes
/// flush it in Dispose), so a test never meets another's services.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TrafficLabCollection : ICollectionFixture<TrafficLab>
{
    public const string Name = "traffic lab";
}

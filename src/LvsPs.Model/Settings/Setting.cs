namespace LvsPs.Model.Settings;

/// <summary>Where a setting sits in a director's description (a document section, a DSC resource, a cmdlet's object).</summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
public enum SettingLevel : long
{
    /// <summary>The top of a director document.</summary>
    Director,
    /// <summary>The connection timeouts (ipvsadm --set).</summary>
    Timeouts,
    /// <summary>A virtual service (ipvsadm -A/-E).</summary>
    Service,
    /// <summary>A real server of a virtual service (ipvsadm -a/-e).</summary>
    RealServer,
    /// <summary>A virtual service's health check.</summary>
    HealthCheck,
    /// <summary>A content rule of a virtual service (managed engine).</summary>
    ContentRule,
    /// <summary>A connection-synchronisation daemon.</summary>
    SyncDaemon,
    /// <summary>The failover section (VRRP with keepalived).</summary>
    Failover,
    /// <summary>One director of a failover pair.</summary>
    FailoverNode,
    /// <summary>The bgp section.</summary>
    Bgp,
    /// <summary>A BGP neighbor (router).</summary>
    BgpNeighbor,
    /// <summary>One director of a BGP group.</summary>
    BgpNode,
}

/// <summary>What kind of value a setting takes, as every surface (document, DSC, schema) spells it.</summary>
public enum SettingKind : long
{
    /// <summary>Text (names, addresses, endpoints, patterns).</summary>
    Text,
    /// <summary>A whole number in <see cref="Setting.Range"/>.</summary>
    WholeNumber,
    /// <summary>true or false.</summary>
    Boolean,
    /// <summary>One name of <see cref="Setting.EnumType"/> (<see cref="Setting.Choices"/>).</summary>
    Choice,
    /// <summary>A list of flag names of <see cref="Setting.EnumType"/> (<see cref="Setting.Choices"/>).</summary>
    Flags,
    /// <summary>A list of scalars (whole numbers in <see cref="Setting.Range"/> when it is set, else text).</summary>
    List,
    /// <summary>A nested mapping, or a list of them, described by its own level.</summary>
    Section,
}

/// <summary>Which directors act on a setting.</summary>
[Flags]
public enum SettingBackends : long
{
    /// <summary>The kernel's IPVS (Connect-LvsDirector -Kernel).</summary>
    Kernel = 1,
    /// <summary>The managed engine (the in-process director and the director service).</summary>
    Managed = 2,
    Both = Kernel | Managed,
}

/// <summary>
/// One setting of a director: its document key (the cmdlets' parameter name in camelCase), the PowerShell and DSC
/// property name, the kind of value with its range or choices, its default, the backends that act on it and its level.
/// The ranges and defaults are the model's own (its validation's fields and its records' initial values).
/// </summary>
public sealed record Setting
{
    public required SettingLevel Level { get; init; }

    /// <summary>The document and DSC v3 key, camelCase.</summary>
    public required string Key { get; init; }

    public required SettingKind Kind { get; init; }

    /// <summary>The PowerShell name: the class resources' property and the cmdlets' parameter, PascalCase.</summary>
    public string Name => char.ToUpperInvariant(Key[0]) + Key[1..];

    /// <summary>The range of a whole number, or of the whole numbers of a list; null for other kinds.</summary>
    public ValueRange? Range { get; init; }

    /// <summary>The enum type of a choice or flags setting.</summary>
    public Type? EnumType { get; init; }

    /// <summary>Names of <see cref="EnumType"/> that users cannot set (as Local forwarding, which the kernel sets).</summary>
    public IReadOnlyList<string> Excluded { get; init; } = Array.Empty<string>();

    /// <summary>Words taken besides the enum's names, e.g. Inherit for a real server's PROXY setting.</summary>
    public IReadOnlyList<string> ExtraChoices { get; init; } = Array.Empty<string>();

    /// <summary>The model's default as it is written in a document (a number, true/false or a name); null: none or "not set".</summary>
    public object? Default { get; init; }

    public SettingBackends Backends { get; init; } = SettingBackends.Both;

    /// <summary>Whether the DSC resources of the level take it (false for sections and a document's shorthands).</summary>
    public bool ResourceProperty { get; init; } = true;

    /// <summary>What it means, where the model writes it once (the failover and bgp sections); null elsewhere.</summary>
    public string? Description { get; init; }

    /// <summary>The names a choice or flags setting takes (flags: the names of single bits), then the extra words.</summary>
    public IReadOnlyList<string> Choices => EnumType is null ? ExtraChoices : EnumNames().Concat(ExtraChoices).ToArray();

    private IEnumerable<string> EnumNames()
    {
        var names = Enum.GetNames(EnumType!).Where(n => !Excluded.Contains(n, StringComparer.Ordinal));
        if (Kind != SettingKind.Flags) return names;
        // a flags list names bits; None (0) is the empty list
        return names.Where(n => Convert.ToInt64(Enum.Parse(EnumType!, n), System.Globalization.CultureInfo.InvariantCulture) != 0);
    }
}

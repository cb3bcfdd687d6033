using System.Management.Automation;
using LvsPs.Model.Settings;

namespace LvsPs.Commands;

/// <summary>
/// [ValidateRange] for a parameter that is a setting of the vocabulary: the range is the model validation's own, read
/// through <see cref="SettingCatalog"/>, so a cmdlet never restates it (an attribute's arguments must be constants).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateSettingRangeAttribute(SettingLevel level, string key) : ValidateEnumeratedArgumentsAttribute
{
    public SettingLevel Level { get; } = level;

    public string Key { get; } = key;

    protected override void ValidateElement(object element)
    {
        var range = SettingCatalog.Get(Level, Key).Range ?? throw new InvalidOperationException($"Setting {Level}.{Key} has no range.");
        var value = element is PSObject pso ? pso.BaseObject : element;
        bool inRange = value switch
        {
            int i => range.Contains(i),
            long l => range.Contains(l),
            uint u => range.Contains(u),
            ulong ul => range.Contains(ul),
            ushort us => range.Contains(us),
            byte b => range.Contains(b),
            _ => false,
        };
        if (!inRange)
        {
            throw new ValidationMetadataException($"The argument {Model.ValueText.Cut(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "")} is out of range; allowed: {range}.");
        }
    }
}

using System.Management.Automation;

namespace LvsPs.Commands;

/// <summary>
/// Set-LvsFailover and Set-LvsBgp: a section of settings the director service runs (the failover pair, the BGP
/// announcements). The settings given replace the current ones and the others stay; the model validates the whole
/// result before anything changes; -WhatIf and -Confirm say what would change, from and to; -Remove takes the section
/// away. Derived cmdlets say how to reach the section, how their parameters edit it and how it reads in a message.
/// </summary>
public abstract class SettingsSectionCmdlet<TSettings> : DirectorCmdlet where TSettings : class
{
    /// <summary>Takes the settings away (the help of each cmdlet says what that stops).</summary>
    [Parameter(ParameterSetName = "Remove", Mandatory = true)]
    public SwitchParameter Remove { get; set; }

    /// <summary>Writes the result.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>The section's settings now, or null when it has none.</summary>
    private protected abstract TSettings? Current();

    /// <summary>Applies the settings (null: removes them).</summary>
    private protected abstract void Apply(TSettings? settings);

    /// <summary>The settings a director without the section starts from.</summary>
    private protected abstract TSettings Empty { get; }

    /// <summary><paramref name="from"/> with the bound parameters' values in it.</summary>
    private protected abstract TSettings Edit(TSettings from);

    /// <summary>The model's validation: returns the settings, or throws the first failure.</summary>
    private protected abstract TSettings Validate(TSettings want);

    private protected abstract IReadOnlyList<(string Key, string? From, string? To)> Differences(TSettings from, TSettings to);

    /// <summary>The section as -WhatIf names it ("failover pair vrid 51 on eth0"); with <paramref name="full"/> the rest of what joining it means.</summary>
    private protected abstract string Describe(TSettings settings, bool full);

    /// <summary>The actions as -WhatIf names them: joining, changing and leaving.</summary>
    private protected abstract (string Join, string Change, string Leave) Actions { get; }

    /// <summary>What leaving (<paramref name="want"/> null) or changing the section does beyond its own settings, as
    /// -WhatIf adds it to the target ("; stop its connection sync daemon (...)"); empty when nothing.</summary>
    private protected virtual string Consequences(TSettings current, TSettings? want) => "";

    /// <summary>Why the director cannot run the settings now (a warning), or null.</summary>
    private protected abstract string? Problem();

    /// <summary>What -PassThru writes.</summary>
    private protected abstract object? Result();

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var current = Current();
            if (Remove)
            {
                if (current is not null && ShouldProcess(Describe(current, full: false) + Consequences(current, null), Actions.Leave)) Apply(null);
                return;
            }
            var want = Validate(Edit(current ?? Empty));
            if (current is null)
            {
                if (ShouldProcess(Describe(want, full: true), Actions.Join)) Apply(want);
            }
            else
            {
                var differences = Differences(current, want);
                if (differences.Count > 0 && ShouldProcess(
                        $"{Describe(current, full: false)}: " + string.Join("; ", differences.Select(d => $"{d.Key} from {d.From ?? WhatIfText.None} to {d.To ?? WhatIfText.None}"))
                        + Consequences(current, want),
                        Actions.Change))
                {
                    Apply(want);
                }
            }
            if (Problem() is { } problem) WriteWarning(problem);
            if (PassThru) WriteObject(Result());
        });
    }
}

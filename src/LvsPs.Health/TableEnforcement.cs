using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.Health;

/// <summary>
/// Apply: brings the director's table to what the checks decided. A checked real server is in the table at its
/// configured settings while it is up (or not checked yet), at weight 0 while it is down and the action is Quiesce,
/// and not at all while it is down and the action is Remove; the sorry server is in the table exactly while every
/// real server is down. Callers hold the monitor's lock.
/// </summary>
internal sealed class TableEnforcement
{
    private readonly IDirectorBackend _table;
    private readonly Action<string> _log;

    public TableEnforcement(IDirectorBackend table, Action<string> log)
    {
        _table = table;
        _log = log;
    }

    /// <summary>What the table should hold for <paramref name="server"/> now (null: nothing).</summary>
    public static RealServerSettings? Effective(ServiceHealth sh, ServerHealth server) =>
        !server.Down ? server.Desired
        : sh.Check.FailureAction == HealthFailureAction.Quiesce ? server.Desired with { Weight = 0 }
        : null;

    /// <summary>What the table holds for real server <paramref name="id"/> of the service, or null.</summary>
    public RealServerSettings? InTable(ServiceHealth sh, RealServerId id) =>
        _table.GetService(sh.Id)?.RealServers.FirstOrDefault(r => r.Settings.Id == id)?.Settings;

    /// <summary>
    /// Brings the table's entry for <paramref name="server"/> to its effective state (<see cref="Effective"/>), from
    /// whatever the table holds: an add, an edit or a delete. With <paramref name="strict"/> a refusal is thrown,
    /// otherwise logged (a round of checks has no caller to tell).
    /// </summary>
    public void Enforce(ServiceHealth sh, ServerHealth server, bool strict = false)
    {
        var want = Effective(sh, server);
        var have = InTable(sh, server.Desired.Id);
        if (want == have) return;
        void Change()
        {
            if (want is null) _table.DeleteRealServer(sh.Id, server.Desired.Id);
            else if (have is null) _table.AddRealServer(sh.Id, want);
            else _table.EditRealServer(sh.Id, want);
        }
        var what = want is null ? $"taking {server.Desired.Id} out of {sh.Id}"
            : server.Down ? $"quiescing {server.Desired.Id} in {sh.Id}"
            : $"restoring {server.Desired.Id} in {sh.Id}";
        if (strict) Change();
        else Apply(Change, what);
    }

    /// <summary>Puts the sorry server in while every real server is down, and takes it out when one is back.</summary>
    public void UpdateSorryServer(ServiceHealth sh) => SetSorry(sh, sh.SorryServer is not null && sh.AllDown);

    public void SetSorry(ServiceHealth sh, bool active)
    {
        if (sh.SorryActive == active || sh.SorryServer is not { } sorry) return;
        Apply(() =>
        {
            if (active) _table.AddRealServer(sh.Id, sorry);
            else _table.DeleteRealServer(sh.Id, sorry.Id);
        }, (active ? "adding" : "removing") + $" sorry server {sorry.Id} in {sh.Id}");
        sh.SorryActive = active;
        _log($"{sh.Id}: sorry server {sorry.Id} {(active ? "in service: every real server is down" : "out of service")}");
    }

    private void Apply(Action action, string what)
    {
        try
        {
            action();
        }
        catch (LvsException e)
        {
            _log($"{what} failed: {e.Message}");
        }
    }
}

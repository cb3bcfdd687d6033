using LvsPs.Engine;
using LvsPs.Model;
using LvsPs.Scheduling;
using LvsPs.Scheduling.Persistence;

namespace LvsPs.Commands;

/// <summary>
/// Builds the scheduling state a preview simulates on, never the live one: the managed engine's own state copied
/// (scheduler cursor, tables, caches, templates and counters), or for another backend or a proposed service, a fresh
/// state built from the service's listing (real servers added in reverse listing order so the kernel order comes out
/// the same, with their connection counters).
/// </summary>
internal static class PreviewScheduling
{
    public static ServiceScheduler Build(IDirectorBackend director, VirtualServiceSettings settings, IReadOnlyList<RealServer>? listed, IReadOnlyList<RealServerSettings>? proposed, bool keepLiveState, GroupChoice? group = null)
    {
        if (group is { } g)
        {
            // only the chosen group's real servers: the service's scheduler runs inside the group
            listed = listed?.Where(r => r.Group == g.Name).ToList();
            proposed = proposed?.Where(r => r.Group == g.Name).ToList();
        }
        if (keepLiveState && proposed is null && LvsSession.Unwrap(director) is ManagedDirector managed && managed.CloneScheduling(settings.Id, group?.Name) is { } clone)
        {
            // the live state's copy; a changed scheduler or flags start fresh on the copy, as ipvsadm -E would
            if (!string.Equals(clone.Destinations.Scheduler.Name, settings.Scheduler, StringComparison.Ordinal)) clone.Destinations.SetScheduler(settings.Scheduler);
            if (clone.Destinations.Flags != settings.Flags) clone.Destinations.SetFlags(settings.Flags);
            clone.Settings = settings;
            return clone;
        }
        var set = new DestinationSet(settings.Scheduler, settings.Flags, SchedulerOptions.Default);
        if (proposed is not null)
        {
            // listed in the order given: add in reverse so the first given is first in the kernel's list
            for (int i = proposed.Count - 1; i >= 0; i--) set.Add(proposed[i]);
        }
        else if (listed is not null)
        {
            for (int i = listed.Count - 1; i >= 0; i--)
            {
                var rs = listed[i];
                var d = set.Add(rs.Settings);
                for (int n = 0; n < rs.ActiveConnections; n++) d.BindConnection(active: true);
                for (int n = 0; n < rs.InactiveConnections; n++) d.BindConnection(active: false);
            }
        }
        return new ServiceScheduler(set, settings);
    }
}

/// <summary>The group a previewed request goes to (<see cref="Name"/> null: the real servers without a group).</summary>
internal readonly record struct GroupChoice(string? Name);

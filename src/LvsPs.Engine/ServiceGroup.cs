using LvsPs.Model;
using LvsPs.Scheduling;
using LvsPs.Scheduling.Persistence;

namespace LvsPs.Engine;

/// <summary>
/// The real servers of one content-routing group of a managed service (the name "" holds those without a group), with
/// a scheduler and persistence of their own: the service's scheduler and persistence applied inside the group.
/// </summary>
internal sealed class ServiceGroup
{
    public ServiceGroup(string name, VirtualServiceSettings settings, SchedulerOptions options)
    {
        Name = name;
        Destinations = new DestinationSet(settings.Scheduler, settings.Flags, options);
        Scheduling = new ServiceScheduler(Destinations, settings);
    }

    /// <summary>The group's name; "" for the real servers without one.</summary>
    public string Name { get; }

    public DestinationSet Destinations { get; }

    public ServiceScheduler Scheduling { get; }

    /// <summary>The key of a real server's group.</summary>
    public static string KeyOf(RealServerSettings settings) => settings.Group ?? "";

    /// <summary>Applies a service's edited settings: a new scheduler starts fresh, flags go to the scheduler.</summary>
    public void Apply(VirtualServiceSettings old, VirtualServiceSettings settings)
    {
        if (!string.Equals(old.Scheduler, settings.Scheduler, StringComparison.Ordinal)) Destinations.SetScheduler(settings.Scheduler);
        if (old.Flags != settings.Flags) Destinations.SetFlags(settings.Flags);
        Scheduling.Settings = settings;
    }
}

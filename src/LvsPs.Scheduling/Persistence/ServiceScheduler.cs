using LvsPs.Model;

namespace LvsPs.Scheduling.Persistence;

/// <summary>
/// A virtual service's scheduling as ip_vs_core.c does it: non-persistent services ask the scheduler for every new
/// connection (ip_vs_schedule); persistent services first look for a connection template keyed as
/// ip_vs_sched_persist does (<see cref="PersistenceKey"/>) and only ask the scheduler when there is none or it is no
/// longer valid (ip_vs_check_template: destination unavailable, or weight 0 with expire_quiescent_template), then make
/// a template that lasts the persistence timeout after its last use and while it controls connections.
/// Usable without sockets: time comes from the request's timestamp, and templates expire lazily as decisions are made
/// (or when <see cref="Expire"/> is called). All members are thread-safe.
/// </summary>
public sealed class ServiceScheduler
{
    /// <summary>How often a decision sweeps all templates for expiry (the looked-up one is always checked).</summary>
    private const int SweepSeconds = 1;

    private readonly object _gate = new();
    private readonly Dictionary<PersistenceKey, PersistenceTemplate> _templates;
    private readonly List<PersistenceTemplate> _invalidated;
    private VirtualServiceSettings _settings;
    private long _nextSweep;

    public ServiceScheduler(DestinationSet destinations, VirtualServiceSettings settings)
    {
        Destinations = destinations;
        _settings = settings;
        _templates = new Dictionary<PersistenceKey, PersistenceTemplate>();
        _invalidated = new List<PersistenceTemplate>();
        _nextSweep = long.MinValue;
    }

    private ServiceScheduler(ServiceScheduler from, DestinationSet copy, Func<Destination, Destination> map)
    {
        Destinations = copy;
        _settings = from._settings;
        _nextSweep = from._nextSweep;
        _templates = from._templates.ToDictionary(kv => kv.Key, kv => kv.Value.Clone(map));
        _invalidated = from._invalidated.Select(t => t.Clone(map)).ToList();
    }

    public DestinationSet Destinations { get; }

    /// <summary>The service's settings (persistence timeout, netmask, one-packet, identity); replace on edit.</summary>
    public VirtualServiceSettings Settings
    {
        get => Volatile.Read(ref _settings);
        set => Volatile.Write(ref _settings, value);
    }

    private long Frequency => Destinations.Options.Clock.Frequency;

    /// <summary>The live templates (a snapshot).</summary>
    public IReadOnlyList<PersistenceTemplate> Templates
    {
        get { lock (_gate) return _templates.Values.ToArray(); }
    }

    /// <summary>
    /// Chooses the destination for a new connection. With persistence, binds the connection to the template (counted
    /// in <see cref="PersistenceTemplate.ControlledConnections"/> unless one-packet) and restarts its timer.
    /// </summary>
    public SchedulingDecision Schedule(in SchedulingRequest request)
    {
        var settings = Settings;
        bool onePacket = settings.OnePacket && request.Protocol == LvsProtocol.Udp;
        if (!settings.IsPersistent) return new SchedulingDecision(Destinations.Schedule(request), null, onePacket);

        long now = request.Timestamp;
        var key = PersistenceKey.For(settings, request);
        lock (_gate)
        {
            if (now - _nextSweep >= 0)
            {
                ExpireLocked(now);
                _nextSweep = now + SweepSeconds * Frequency;
            }
            if (_templates.TryGetValue(key, out var template))
            {
                if (IsDue(template, now)) template = null; // expired with no connection: removed by IsDue
                else if (!IsValid(template.Destination))
                {
                    // ip_vs_check_template: unhashed (never found again), its timer left as it is
                    _templates.Remove(key);
                    template.Invalidated = true;
                    _invalidated.Add(template);
                    template = null;
                }
            }
            if (template is null)
            {
                var d = Destinations.Schedule(request);
                if (d is null) return SchedulingDecision.None;
                ushort dport = request.DestinationPort == settings.Id.Port && settings.Id.Port != PersistenceKey.FtpPort ? d.Port : (ushort)0;
                template = new PersistenceTemplate(key, d, dport, settings.PersistenceTimeout * Frequency);
                d.BindConnection(active: false, template: true);
                _templates[key] = template;
            }
            if (!onePacket) Interlocked.Increment(ref template._controlled); // ip_vs_control_add
            template.ExpiresAt = now + template.Timeout; // ip_vs_conn_put(ct) restarts the timer
            return new SchedulingDecision(template.Destination, template, onePacket);
        }
    }

    /// <summary>A connection made from <paramref name="template"/> has ended (ip_vs_control_del).</summary>
    public void Release(PersistenceTemplate template)
    {
        Interlocked.Decrement(ref template._controlled);
    }

    /// <summary>Runs every template timer due by <paramref name="now"/>.</summary>
    public void Expire(long now)
    {
        lock (_gate) ExpireLocked(now);
    }

    /// <summary>
    /// A copy with copied templates on a copy of the destinations (<see cref="DestinationSet.Clone(SchedulerOptions?)"/>), for previews
    /// that must leave this one untouched.
    /// </summary>
    public ServiceScheduler Clone(SchedulerOptions? options = null)
    {
        lock (_gate)
        {
            var copy = Destinations.Clone(options, out var map);
            return new ServiceScheduler(this, copy, map);
        }
    }

    private bool IsValid(Destination d) =>
        d.Available && !(Destinations.Options.ExpireQuiescentTemplate && d.Weight == 0);

    private void ExpireLocked(long now)
    {
        List<PersistenceKey>? due = null;
        foreach (var (key, t) in _templates)
        {
            if (now - t.ExpiresAt >= 0) (due ??= new()).Add(key);
        }
        if (due is not null)
        {
            foreach (var key in due) IsDue(_templates[key], now);
        }
        for (int i = _invalidated.Count - 1; i >= 0; i--)
        {
            var t = _invalidated[i];
            if (FireTimer(t, now)) _invalidated.RemoveAt(i);
        }
    }

    /// <summary>Fires a live template's timer if due; true (and removed) when it expired.</summary>
    private bool IsDue(PersistenceTemplate t, long now)
    {
        if (!FireTimer(t, now)) return false;
        _templates.Remove(t.Key);
        return true;
    }

    /// <summary>
    /// ip_vs_conn_expire for a template whose timer is due: with controlled connections it is put off by 60 s
    /// (expire_later sets cp->timeout = 60*HZ); otherwise it goes and leaves its destination's persistent count.
    /// </summary>
    private bool FireTimer(PersistenceTemplate t, long now)
    {
        while (now - t.ExpiresAt >= 0)
        {
            if (t.ControlledConnections > 0)
            {
                t.Timeout = 60 * Frequency;
                t.ExpiresAt += t.Timeout;
                continue;
            }
            t.Destination.UnbindConnection(active: false, template: true);
            return true;
        }
        return false;
    }
}

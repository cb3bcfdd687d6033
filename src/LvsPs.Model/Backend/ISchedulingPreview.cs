namespace LvsPs.Model;

/// <summary>
/// A director that keeps live scheduling state (scheduler cursor, hash tables, lblc/lblcr caches, persistence
/// templates, connection counters) and can preview on a copy of it: the managed engine, and a health monitor or a
/// director service around one. Test-LvsScheduling asks for it; a director without it is previewed from its listing.
/// </summary>
public interface ISchedulingPreview
{
    /// <summary>
    /// Previews <paramref name="request"/> on copies of the live state of its service (never on the live state itself);
    /// null when this director keeps no live state for that service or group (the caller simulates from the listing).
    /// </summary>
    SchedulingPreviewResult? PreviewScheduling(SchedulingPreviewRequest request);
}

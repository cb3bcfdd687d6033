namespace LvsPs.Model;

/// <summary>
/// Virtual service flags as the kernel keeps them (include/uapi/linux/ip_vs.h IP_VS_SVC_F_*). The scheduler flags
/// mean different things to different schedulers: for sh and mh, Sched1 is "fallback" and Sched2 is "port".
/// </summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
[Flags]
public enum ServiceFlags : long
{
    None = 0,
    Persistent = 0x0001,
    /// <summary>Set by the kernel on every hashed service; never user-settable and masked out of what LvsPs shows.</summary>
    Hashed = 0x0002,
    OnePacket = 0x0004,
    Sched1 = 0x0008,
    Sched2 = 0x0010,
    Sched3 = 0x0020,
}

/// <summary>Scheduler flags by the names ipvsadm's <c>-b</c> option accepts.</summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
[Flags]
public enum SchedulerFlags : long
{
    None = 0,
    /// <summary>sh-fallback / mh-fallback: skip an unavailable destination instead of failing.</summary>
    Fallback = ServiceFlags.Sched1,
    /// <summary>sh-port / mh-port: hash the client's port as well as its address.</summary>
    Port = ServiceFlags.Sched2,
    /// <summary>The third scheduler flag (flag-3); no in-tree scheduler uses it.</summary>
    Flag3 = ServiceFlags.Sched3,
}

namespace LvsPs.Model;

/// <summary>
/// An application helper of a virtual service: layer-7 inspection for a protocol whose data connections are announced
/// inside its control connection (the kernel's ip_vs_app modules, such as ip_vs_ftp).
/// </summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
public enum ApplicationHelper : long
{
    /// <summary>Plain layer-4 forwarding.</summary>
    None = 0,

    /// <summary>
    /// FTP: the director reads the control connection, rewrites 227/229 replies and PORT/EPRT commands, and relays the
    /// data connections to the real server that holds the control connection (ip_vs_ftp).
    /// </summary>
    Ftp = 1,
}

/// <summary>Rules for <see cref="ApplicationHelper"/>: which services may have one and which get one by default.</summary>
public static class ApplicationHelpers
{
    /// <summary>The ports the FTP helper is on by default, as ip_vs_ftp's <c>ports</c> module parameter (default 21).</summary>
    public static readonly IReadOnlyList<ushort> DefaultFtpPorts = new ushort[] { 21 };

    /// <summary>The helper a new service gets when none is asked for: FTP for TCP services on port 21, else none.</summary>
    public static ApplicationHelper DefaultFor(VirtualServiceId id) =>
        !id.IsFirewallMark && id.Protocol == LvsProtocol.Tcp && DefaultFtpPorts.Contains(id.Port) ? ApplicationHelper.Ftp : ApplicationHelper.None;

    /// <summary>Throws when <paramref name="helper"/> cannot be used on <paramref name="id"/>.</summary>
    public static void Require(ApplicationHelper helper, VirtualServiceId id)
    {
        if (!Enum.IsDefined(helper))
        {
            throw LvsException.InvalidArgument("InvalidHelper", $"Application helper '{helper}' is not known; allowed: None, Ftp.", helper);
        }
        if (helper == ApplicationHelper.Ftp && (id.IsFirewallMark || id.Protocol != LvsProtocol.Tcp))
        {
            throw LvsException.InvalidArgument("HelperNeedsTcp",
                $"The FTP helper inspects a TCP control connection, so it is only for tcp/ services, not '{id}'.", id);
        }
    }
}

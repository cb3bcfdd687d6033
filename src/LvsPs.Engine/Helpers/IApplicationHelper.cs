using LvsPs.Engine.Tcp;
using LvsPs.Model;

namespace LvsPs.Engine.Helpers;

/// <summary>
/// An application helper (IPVS's ip_vs_app: FTP; content rules next): it inspects the TCP connections of the services
/// whose settings name it. Registered in an <see cref="ApplicationHelperRegistry"/>, so the TCP forwarder never knows
/// a helper by its type.
/// </summary>
internal interface IApplicationHelper
{
    /// <summary>The setting that names this helper.</summary>
    ApplicationHelper Kind { get; }

    /// <summary>The filter that inspects <paramref name="connection"/>'s bytes, set before it starts.</summary>
    ITcpStreamFilter Attach(TcpConnection connection, EngineContext context);
}

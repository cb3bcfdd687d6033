using LvsPs.Engine.Tcp;
using LvsPs.Model;

namespace LvsPs.Engine.Helpers;

/// <summary>The application helpers a director knows, by the setting that names each (<see cref="ApplicationHelper"/>).</summary>
internal sealed class ApplicationHelperRegistry
{
    private readonly Dictionary<ApplicationHelper, IApplicationHelper> _helpers = new();

    /// <summary>The engine's helpers: FTP.</summary>
    public static ApplicationHelperRegistry Standard() => new ApplicationHelperRegistry().Register(new Ftp.FtpHelper());

    /// <summary>Adds <paramref name="helper"/>; a second helper for the same setting is an error.</summary>
    public ApplicationHelperRegistry Register(IApplicationHelper helper)
    {
        if (!_helpers.TryAdd(helper.Kind, helper)) throw new InvalidOperationException($"An application helper for '{helper.Kind}' is already registered.");
        return this;
    }

    /// <summary>The filter of the helper <paramref name="connection"/>'s service names, or null for none (or one not registered).</summary>
    public ITcpStreamFilter? Attach(TcpConnection connection, EngineContext context) =>
        _helpers.TryGetValue(connection.Service.Settings.Helper, out var helper) ? helper.Attach(connection, context) : null;
}

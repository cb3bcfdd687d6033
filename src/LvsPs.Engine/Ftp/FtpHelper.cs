using LvsPs.Engine.Helpers;
using LvsPs.Engine.Tcp;
using LvsPs.Model;

namespace LvsPs.Engine.Ftp;

/// <summary>The FTP helper (ip_vs_ftp): inspects a control connection's commands and replies and relays the data
/// connections they announce.</summary>
internal sealed class FtpHelper : IApplicationHelper
{
    public ApplicationHelper Kind => ApplicationHelper.Ftp;

    public ITcpStreamFilter Attach(TcpConnection connection, EngineContext context) =>
        new FtpControlInspector(connection, context, context.Options.FtpDataTimeout);
}

namespace LvsPs.Model;

/// <summary>
/// A director reached through a director service's control socket (the client of one). Cmdlets ask for it to name
/// the service, for example when it stopped answering or was stopped by Stop-LvsDirector -Service.
/// </summary>
public interface IDirectorServiceClient
{
    /// <summary>The path of the service's control socket.</summary>
    string SocketPath { get; }
}

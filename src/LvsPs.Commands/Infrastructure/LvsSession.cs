using LvsPs.Directors;
using LvsPs.Engine;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>
/// Which director this PowerShell process's cmdlets talk to. By default that is the in-session managed director,
/// started on first use (as ipvsadm's first call loads the ip_vs module) or by Start-LvsDirector, and stopped by
/// Stop-LvsDirector, by removing the module, or when the process exits. The in-session director is built by
/// <see cref="DirectorFactory.Managed"/>: the managed engine with its health checks.
/// </summary>
public static class LvsSession
{
    private static readonly object Gate = new();
    private static IDirectorBackend? s_managed;
    private static IDirectorBackend? s_connected;

    static LvsSession()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Shutdown();
    }

    /// <summary>The in-session managed director (with its health monitor), if one is running.</summary>
    public static IDirectorBackend? ManagedDirector
    {
        get { lock (Gate) return s_managed; }
    }

    private static IDirectorBackend NewManaged(ManagedDirectorOptions? options) => DirectorFactory.Managed(options);

    /// <summary>The director the cmdlets use now, starting the in-session managed director when nothing else is connected.</summary>
    public static IDirectorBackend Current
    {
        get
        {
            lock (Gate)
            {
                return s_connected ?? (s_managed ??= NewManaged(null));
            }
        }
    }

    /// <summary>The in-session managed director, started if it is not running.</summary>
    public static IDirectorBackend InSession
    {
        get
        {
            lock (Gate) return s_managed ??= NewManaged(null);
        }
    }

    /// <summary>The director this session is connected to other than the in-session one, or null.</summary>
    public static IDirectorBackend? Connected
    {
        get { lock (Gate) return s_connected; }
    }

    /// <summary>The director the cmdlets would use, without starting anything (for completers).</summary>
    public static IDirectorBackend? CurrentIfRunning
    {
        get { lock (Gate) return s_connected ?? s_managed; }
    }

    /// <summary>Starts the in-session managed director; false when it was already running.</summary>
    public static bool StartManaged(ManagedDirectorOptions? options, out IDirectorBackend director)
    {
        lock (Gate)
        {
            if (s_managed is not null)
            {
                director = s_managed;
                return false;
            }
            director = s_managed = NewManaged(options);
            return true;
        }
    }

    /// <summary>Stops the in-session managed director, releasing every socket; false when none was running.</summary>
    public static bool StopManaged()
    {
        IDirectorBackend? d;
        lock (Gate)
        {
            d = s_managed;
            s_managed = null;
        }
        d?.Dispose();
        return d is not null;
    }

    /// <summary>Points the cmdlets at another director (null: back to the in-session managed one).</summary>
    public static void Connect(IDirectorBackend? backend)
    {
        IDirectorBackend? old;
        lock (Gate)
        {
            old = s_connected;
            s_connected = backend;
        }
        if (old is not null && !ReferenceEquals(old, backend)) old.Dispose();
    }

    /// <summary>Stops everything this session started (module removal, process exit).</summary>
    public static void Shutdown()
    {
        Connect(null);
        StopManaged();
    }
}

@{
    Synopsis    = 'Starts the managed director in this PowerShell session.'
    Description = @'
Start-LvsDirector starts the in-session managed director: the .NET forwarding engine that LvsPs runs inside this PowerShell process. It forwards in the background while the prompt stays usable, until Stop-LvsDirector, the removal of the module, or the end of the session.

You rarely need it: the managed director starts on first use, when any LvsPs cmdlet that reads or changes the configuration runs (as ipvsadm's first call loads the ip_vs kernel module). Start it explicitly to make the start visible in a script, or to start again after Stop-LvsDirector. When it is already running, the cmdlet does nothing and says so with -Verbose. A new director has no virtual services and the default timeouts.

By default the cmdlet writes nothing; use -PassThru to get the director's information (the same object Get-LvsDirector writes).

With -Service, Start-LvsDirector starts a director service instead: a process of its own, in a session of its own, that keeps running after this PowerShell ends. It keeps its configuration in a file written atomically after every change (director.json beside its socket, or -StatePath) and restores it when it starts again, runs the health checks (Set-LvsHealthCheck), serves Prometheus metrics on loopback (-MetricsEndpoint), and is reached over a Unix domain socket open only to its own user (-SocketPath). With -Backend Kernel it drives kernel IPVS instead of its own managed engine. If a service already runs at the socket, the cmdlet connects to it. For production, run the service under systemd (see examples/lvsps-director.service).

The cmdlet watches the service while it starts: when the service exits instead (its state file cannot be read, the metrics port is in use, the socket path is taken, kernel IPVS is missing), the service's own message is reported at once as the error DirectorServiceExited and the session is not connected. A state file that cannot be read is never replaced: fix it, or start with -StartEmpty, which moves it aside (director.json.set-aside-TIME) and starts with no configuration.

-FastPath chooses how the managed engine relays plain TCP connections (no FTP helper, no content rules, no PROXY protocol, not transparent). Auto, the default, moves their bytes inside the kernel with a BPF sockmap when the process may use bpf(2) (root, or CAP_BPF and CAP_NET_ADMIN), for connections that carry a conversation of small messages, from their second request (a single request and its answer, and bulk transfers, are spliced: there the sockmap costs more than it saves), and splices them otherwise. Off always splices them (splice(2) through a pipe, no copy into user space). With the director between client and server hosts the sockmap path answers more keepalive requests per director core than splice and HAProxy (docs/fast-path.md, docs/benchmarks.md). Get-LvsDirector says which path is used and why (RelayPath, RelayPathReason). With -Service it is passed to the service (--fast-path).

-StatusPage turns on the service's status page, a live web view of the director (services, real servers, health, counters and rate charts): On serves it under /status on the metrics endpoint, ADDRESS:PORT on an endpoint of its own (keep it on loopback or behind a proxy). The page is read-only unless -StatusPageActions is given; then it can quiesce, drain and restore real servers for whoever has the status token, a random secret the service writes owner-only to status.token beside its socket at every start (or the secret in -StatusTokenPath).
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Start the director and see what it offers'
            Code    = 'Start-LvsDirector -PassThru'
            Remarks = 'Starts the managed director and writes its information: Kind Managed, Target in-session, Running True, the IPVS version it emulates and its schedulers.'
        }
        @{
            Title   = 'Example 2: A director for a script, stopped at the end'
            Code    = @'
Start-LvsDirector
try {
    New-LvsVirtualService tcp/127.0.0.80:8080 -Scheduler rr | Add-LvsRealServer -Address 127.0.0.1 -Port 8081
    # ... serve ...
}
finally {
    Stop-LvsDirector
}
'@
            Remarks = 'Starts the director, configures a service on loopback, and stops the director (releasing its sockets) however the script ends.'
        }
        @{
            Title   = 'Example 3: Start a director service that outlives the session'
            Code    = "Start-LvsDirector -Service -PassThru`nNew-LvsVirtualService tcp/127.0.0.80:8080 -Scheduler wrr"
            Remarks = 'Starts the director service (its socket is /run/lvsps/director.sock for root), connects this session to it, and creates a service there; the service keeps it after this session ends and after a restart.'
        }
        @{
            Title   = 'Example 4: Start a director service whose state file is damaged'
            Code    = @'
Start-LvsDirector -Service -ErrorAction Stop   # DirectorServiceExited: "The state file '/run/lvsps/director.json' cannot be used: it is empty. ..."
Start-LvsDirector -Service -StartEmpty
'@
            Remarks = 'The first start fails at once with the service''s own message and leaves the file as it is; the second moves the file aside (kept for inspection) and starts with no configuration.'
        }
        @{
            Title   = 'Example 5: A director service with its status page'
            Code    = @'
Start-LvsDirector -Service -StatusPage 127.0.0.1:9470 -StatusPageActions
Get-Content (Join-Path (Split-Path (Get-LvsDirector).Target) 'status.token')
'@
            Remarks = 'Starts a director service whose status page is at http://127.0.0.1:9470/status and may quiesce, drain and restore real servers; the second line shows the token the page asks for before its first change.'
        }
        @{
            Title   = 'Example 6: See which path relays plain TCP, and turn the BPF sockmap fast path off'
            Code    = @'
Start-LvsDirector
Get-LvsDirector | Select-Object RelayPath, RelayPathReason
Stop-LvsDirector
Start-LvsDirector -FastPath Off
'@
            Remarks = 'Starts the in-session director, by default with the BPF sockmap fast path allowed: run as root, RelayPath is sockmap and RelayPathReason says from when a connection joins it; otherwise RelayPath is splice and the reason says bpf(2) is not permitted. With -FastPath Off RelayPath is splice and the reason says the fast path is turned off.'
        }
    )
    Links       = @('Stop-LvsDirector', 'Get-LvsDirector', 'about_LvsPs')
}

using System.Diagnostics;
using System.Net;
using LvsPs.TestBackends;
using System.Net.Sockets;

namespace LvsPs.Tests.Content;

/// <summary>
/// A real nginx from Debian in a temporary prefix, single process in the foreground, stopped and deleted on Dispose.
/// Installed with apt-get when missing and running as root; otherwise the test fails (never skips in CI).
/// </summary>
internal sealed class Nginx : IDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private Nginx(string dir, Process process)
    {
        _dir = dir;
        _process = process;
    }

    public string AccessLog => Path.Combine(_dir, "access.log");

    /// <summary>Starts nginx with <paramref name="servers"/> (server blocks) inside its http block, and waits until
    /// every port in <paramref name="ports"/> accepts.</summary>
    public static Nginx Start(string servers, params int[] ports)
    {
        string binary = Require();
        var dir = Directory.CreateTempSubdirectory("lvsps-nginx-").FullName;
        string user = Environment.UserName == "root" ? "user root root;" : "";
        File.WriteAllText(Path.Combine(dir, "nginx.conf"), $$"""
            {{user}}
            daemon off;
            master_process off;
            worker_processes 1;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log warn;
            events { worker_connections 256; }
            http {
                log_format peers '$proxy_protocol_addr:$proxy_protocol_port $remote_addr:$remote_port $http_host $request';
                access_log {{dir}}/access.log peers;
                client_body_temp_path {{dir}}/body;
                proxy_temp_path {{dir}}/proxy;
                fastcgi_temp_path {{dir}}/fastcgi;
                uwsgi_temp_path {{dir}}/uwsgi;
                scgi_temp_path {{dir}}/scgi;
                default_type text/plain;
                keepalive_requests 100;
            {{servers}}
            }
            """);
        var psi = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-p", dir, "-c", Path.Combine(dir, "nginx.conf"), "-e", Path.Combine(dir, "error.log") }) psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        var nginx = new Nginx(dir, process);
        try
        {
            foreach (int port in ports) nginx.WaitForPort(port);
        }
        catch
        {
            nginx.Dispose();
            throw;
        }
        return nginx;
    }

    private void WaitForPort(int port)
    {
        for (int i = 0; i < 600; i++) // up to 30 s: a loaded 2-core machine starts processes slowly
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited ({_process.ExitCode}): {Read("error.log")}");
            }
            try
            {
                using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                LoopbackClient.Connect(s, new IPEndPoint(IPAddress.Loopback, port));
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new TimeoutException($"nginx did not listen on port {port}: {Read("error.log")}");
    }

    private string Read(string name)
    {
        var p = Path.Combine(_dir, name);
        return File.Exists(p) ? File.ReadAllText(p) : "";
    }

    /// <summary>The lines nginx logged so far (it writes each request's line when the request ends).</summary>
    public string[] LogLines() => Read("access.log").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string Require()
    {
        const string path = "/usr/sbin/nginx";
        if (File.Exists(path)) return path;
        if (Environment.UserName == "root")
        {
            // as tests/Kernel/vm.sh installs qemu: the Debian package, when missing
            Run("apt-get", "install", "-y", "--no-install-recommends", "nginx-light");
            if (!File.Exists(path)) Run("apt-get", "install", "-y", "--no-install-recommends", "nginx");
            if (File.Exists(path)) return path;
        }
        throw new InvalidOperationException("nginx is needed (Debian package nginx-light or nginx) and could not be installed; install it, or run as root so the test can.");
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        p.WaitForExit(600_000);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

// Kernel backend benchmark: loads the same table of virtual services (5 real servers each) into kernel IPVS with
// LvsPs (KernelDirector batching, as Import-LvsConfiguration does) and with ipvsadm -R, and reads it back with LvsPs
// (GetServices) and with ipvsadm -S -n, each in a network namespace of its own. Runs as root in the test guest; see
// tests/Kernel/run-kernel-bench.sh and docs/benchmarks.md.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using LvsPs.Model;
using LvsPs.Netlink;

int services = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
int realServers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
string? results = Environment.GetEnvironmentVariable("LVS_VM_RESULTS");
var startup = DateTime.Now - Process.GetCurrentProcess().StartTime;

// the table, as ipvsadm-save text; LvsPs applies what IpvsadmRules parses from the same text
var rules = new StringBuilder();
for (int i = 0; i < services; i++)
{
    string vip = $"10.{100 + i / 62500}.{i / 250 % 250}.{i % 250 + 1}:80";
    rules.Append("-A -t ").Append(vip).Append(" -s wlc\n");
    for (int r = 1; r <= realServers; r++) rules.Append("-a -t ").Append(vip).Append(" -r 192.168.").Append(r).Append('.').Append(i % 250 + 1).Append(":8080 -m -w ").Append(r).Append('\n');
}
string table = rules.ToString();
var changes = IpvsadmRules.Parse(table);

string ipvsadmNs = NewNamespace("ipvsadm"), lvspsNs = NewNamespace("lvsps");
try
{
    var (restore, _) = Timed(() => Ip(ipvsadmNs, table, "ipvsadm", "-R"));
    var (save, ipvsadmSaved) = Timed(() => Ip(ipvsadmNs, null, "ipvsadm", "-S", "-n"));
    // the kernel's rate estimator walks every loaded service and real server (ip_vs_est.c): empty the first table so
    // that it does not slow the second run
    Ip(ipvsadmNs, null, "ipvsadm", "-C");

    using var k = new KernelDirector(lvspsNs);
    var (apply, _) = Timed(() => { k.Apply(changes); return ""; });
    var (dump, listed) = Timed(() => k.GetServices());
    var (format, lvspsSaved) = Timed(() => IpvsadmRules.Format(listed));
    // the same again in this process: what a long-lived session (the JIT done) pays
    var (dumpWarm, _) = Timed(() => k.GetServices());
    var (formatWarm, _) = Timed(() => IpvsadmRules.Format(listed));
    var (saveAgain, _) = Timed(() => Ip(lvspsNs, null, "ipvsadm", "-S", "-n"));

    // both tables are the same, and LvsPs's export is byte-equal to ipvsadm's for it
    string check = Ip(lvspsNs, null, "ipvsadm", "-S", "-n");
    if (check != ipvsadmSaved) throw new InvalidOperationException("the table LvsPs loaded differs from the one ipvsadm -R loaded");
    if (lvspsSaved != ipvsadmSaved) throw new InvalidOperationException("LvsPs's export differs from ipvsadm -S -n");
    if (listed.Count != services || listed.Any(s => s.RealServers.Count != realServers)) throw new InvalidOperationException("GetServices did not return the whole table");

    // one real server's weight changed with the whole table loaded: `ipvsadm -e` (a process, a socket, one request) and
    // what Set-LvsRealServer does on a kernel director (GetService of that one service, then EditRealServer); five
    // times each on services spread over the table, the median kept
    var ipvsadmEdits = new List<TimeSpan>();
    var lvspsEdits = new List<TimeSpan>();
    for (int t = 0; t < 5; t++)
    {
        int i = (t * 2 + 1) * services / 10;
        string vip = $"10.{100 + i / 62500}.{i / 250 % 250}.{i % 250 + 1}";
        string rip = $"192.168.1.{i % 250 + 1}";
        ipvsadmEdits.Add(Timed(() => Ip(lvspsNs, null, "ipvsadm", "-e", "-t", $"{vip}:80", "-r", $"{rip}:8080", "-m", "-w", "7")).Item1);
        var id = VirtualServiceId.Parse($"tcp/{vip}:80");
        var rs = RealServerId.Create(IPAddress.Parse("192.168.2." + (i % 250 + 1)), 8080);
        lvspsEdits.Add(Timed(() =>
        {
            var current = k.GetService(id) ?? throw new InvalidOperationException($"{id} is not loaded");
            var was = current.RealServers.Single(r => r.Id == rs.ToString());
            var settings = new RealServerSettings { Id = rs, Forwarding = was.Forwarding, Weight = 9, UpperThreshold = was.UpperThreshold, LowerThreshold = was.LowerThreshold };
            k.EditRealServer(id, settings);
            return "";
        }).Item1);
        var after = k.GetService(id)!.RealServers;
        if (after.Single(r => r.Address == rip).Weight != 7 || after.Single(r => r.Id == rs.ToString()).Weight != 9)
        {
            throw new InvalidOperationException($"the weight changes on {id} did not reach the kernel");
        }
    }
    static TimeSpan Median(List<TimeSpan> xs) => xs.OrderBy(x => x).ElementAt(xs.Count / 2);

    string kernel = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
    var report = new StringBuilder();
    report.AppendLine(CultureInfo.InvariantCulture, $"kernel {kernel}; {services:n0} services x {realServers} real servers = {changes.Count:n0} requests; .NET start-up of this program {startup.TotalSeconds:0.0} s (not in the LvsPs figures)");
    report.AppendLine();
    report.AppendLine("| Operation | ipvsadm 1.31 | LvsPs | ipvsadm / LvsPs |");
    report.AppendLine("|-----------|-------------:|------:|----------------:|");
    report.AppendLine(Row("Load the table (`ipvsadm -R` / `KernelDirector.Apply`)", restore, apply));
    report.AppendLine(Row("Read it back (`ipvsadm -S -n` / `GetServices`)", save, dump));
    report.AppendLine(Row("Read it back as ipvsadm-save text (`ipvsadm -S -n` / `GetServices` + `IpvsadmRules.Format`)", save, dump + format));
    report.AppendLine(Row("Read it back again, same process (`ipvsadm -S -n` / `GetServices`)", saveAgain, dumpWarm));
    report.AppendLine(Row("Read it back again as text (`ipvsadm -S -n` / `GetServices` + `Format`)", saveAgain, dumpWarm + formatWarm));
    report.AppendLine(RowMs($"Change one real server's weight with {services:n0} services loaded (`ipvsadm -e` / `GetService` + `EditRealServer`, as Set-LvsRealServer; median of 5)", Median(ipvsadmEdits), Median(lvspsEdits)));
    Console.Write(report);
    if (results is not null) File.WriteAllText(Path.Combine(results, "kernel-bench.md"), report.ToString());
}
finally
{
    DeleteNamespace(ipvsadmNs);
    DeleteNamespace(lvspsNs);
}

static string Row(string what, TimeSpan ipvsadm, TimeSpan lvsps) =>
    string.Create(CultureInfo.InvariantCulture, $"| {what} | {ipvsadm.TotalSeconds:0.00} s | {lvsps.TotalSeconds:0.00} s | {ipvsadm / lvsps:0.0}x |");

static string RowMs(string what, TimeSpan ipvsadm, TimeSpan lvsps) =>
    string.Create(CultureInfo.InvariantCulture, $"| {what} | {ipvsadm.TotalMilliseconds:0.0} ms | {lvsps.TotalMilliseconds:0.00} ms | {ipvsadm / lvsps:0}x |");

static (TimeSpan, T) Timed<T>(Func<T> f)
{
    var sw = Stopwatch.StartNew();
    var r = f();
    return (sw.Elapsed, r);
}

static string NewNamespace(string role)
{
    string name = $"lvsps-bench-{role}-{Environment.ProcessId}";
    Run(null, "ip", "netns", "add", name);
    // with lo down a new namespace has no local routing table, and the kernel then refuses every real server address as
    // not unicast (inet_addr_type in ip_vs_new_dest, net/netfilter/ipvs/ip_vs_ctl.c)
    Ip(name, null, "ip", "link", "set", "lo", "up");
    return name;
}

static void DeleteNamespace(string name)
{
    try { Run(null, "ip", "netns", "del", name); } catch (InvalidOperationException) { }
}

static string Ip(string ns, string? input, params string[] command) => Run(input, ["ip", "netns", "exec", ns, .. command]);

static string Run(string? input, params string[] args)
{
    var psi = new ProcessStartInfo(args[0]) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null };
    foreach (var a in args.Skip(1)) psi.ArgumentList.Add(a);
    using var p = Process.Start(psi)!;
    var stdout = p.StandardOutput.ReadToEndAsync();
    var stderr = p.StandardError.ReadToEndAsync();
    if (input is not null)
    {
        p.StandardInput.Write(input);
        p.StandardInput.Close();
    }
    if (!p.WaitForExit(TimeSpan.FromMinutes(20)))
    {
        p.Kill(true);
        throw new TimeoutException($"'{string.Join(' ', args)}' did not finish within 20 minutes.");
    }
    if (p.ExitCode != 0) throw new InvalidOperationException($"'{string.Join(' ', args)}' failed ({p.ExitCode}): {stderr.Result}");
    return stdout.Result;
}

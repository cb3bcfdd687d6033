#!/usr/bin/env bash
# Managed engine vs HAProxy (mode tcp) vs nginx stream, side by side on loopback. See docs/benchmarks.md.
#
#   bash bench/run.sh                 # 3 runs of 5 s per figure, writes the table into docs/benchmarks.md
#   bash bench/run.sh --smoke         # one run of 1 s per figure, 200 idle connections, prints only (CI: build.ps1 test)
#   options: --runs N  --seconds S  --idle N  --no-doc  --no-build  --keep (keep the temp dir)
#
#   --topology loopback|hosts  where the traffic flows (bench/lib/topology.sh): loopback (the default), or a director
#                              host between a client and a server host (network namespaces, veth, RPS); each topology
#                              has its own section in docs/benchmarks.md
# Placement on the 2-core machine: every balancer is pinned to CPU 0 (taskset -c 0, one thread/worker each); the
# backends (nginx, iperf3, a UDP echo) and the load generators (wrk, iperf3 -c, the UDP load) share CPU 1.
# LvsPs runs twice: "lvsps" as it runs by default (--fast-path auto: the BPF sockmap for conversations of small
# messages, when this runs as root) and "lvsps_splice" with the fast path off.
# Only loopback addresses, or addresses inside the namespaces made for the run, are used; every process started here is
# killed by pid on exit and the namespaces are removed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=3 seconds=5 idle=9000 doc=1 build=1 keep=0 smoke=0 warm=2 topology=loopback
command_line="bash bench/run.sh${*:+ $*}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --smoke) smoke=1 runs=1 seconds=1 idle=200 doc=0 warm=1 ;;
        --runs) runs="$2"; shift ;;
        --seconds) seconds="$2"; shift ;;
        --idle) idle="$2"; shift ;;
        --no-doc) doc=0 ;;
        --no-build) build=0 ;;
        --keep) keep=1 ;;
        --topology) topology="$2"; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

# tools from Debian's packages, installed when missing
missing=()
for t in nginx:nginx haproxy:haproxy wrk:wrk iperf3:iperf3 jq:jq taskset:util-linux ip:iproute2; do
    command -v "${t%%:*}" >/dev/null || missing+=("${t#*:}")
done
[[ -f /usr/lib/nginx/modules/ngx_stream_module.so ]] || missing+=(libnginx-mod-stream)
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "==> apt-get install ${missing[*]}"
    apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi

host_dll="$root/bench/LvsPs.BenchHost/bin/Release/net10.0/LvsPs.BenchHost.dll"
if [[ $build -eq 1 ]]; then
    echo "==> building bench/LvsPs.BenchHost (Release)"
    dotnet build "$root/bench/LvsPs.BenchHost" -c Release --nologo -v:q >/dev/null
fi

# placement: balancers on CPU 0, backends and load generators on CPU 1 (both on CPU 0 on a one-core machine)
lb_cpu=0 gen_cpu=1
[[ $(nproc) -lt 2 ]] && gen_cpu=0

# a proxy holds two descriptors per connection: raise the soft limit to the hard one (20,000 in this container)
ulimit -n "$(ulimit -Hn)"
nofile=$(ulimit -n)
max_idle=$(( (nofile - 200) / 2 ))
[[ $idle -gt $max_idle ]] && idle=$max_idle

tmp="$(mktemp -d /tmp/lvsps-bench.XXXXXX)"
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    topology_down
    [[ $keep -eq 1 ]] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT

source "$root/bench/lib/topology.sh"
source "$root/bench/lib/configs.sh"
source "$root/bench/lib/measure.sh"
source "$root/bench/lib/report.sh"

topology_up "$topology" "$lb_cpu" "$gen_cpu"
write_configs "$tmp"

# start: name command... (with its topology prefix); the started pid is the process itself (the prefixes exec)
start() {
    local name=$1; shift
    "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null &
    pids+=($!)
    eval "pid_$name=$!"
}

echo "==> starting backends (CPU $gen_cpu) and balancers (CPU $lb_cpu) in $tmp; topology: $(topology_describe)"
start backend "${on_srv[@]}" nginx -p "$tmp" -c "$tmp/backend.conf" -e "$tmp/backend.err"
start iperf "${on_srv[@]}" iperf3 -s -B "$rip" -p 15201
start udpecho "${on_srv[@]}" dotnet "$host_dll" udp-echo "$rip:15301" "$rip:15302"
start haproxy "${on_lb[@]}" haproxy -db -f "$tmp/haproxy.cfg"
start nginx "${on_lb[@]}" nginx -p "$tmp" -c "$tmp/nginx-lb.conf" -e "$tmp/nginx-lb.err"
start lvsps "${on_lb[@]}" dotnet "$host_dll" director --scheduler rr --fast-path auto \
    "${lvsps_services[@]}" \
    --hosts "$vip:19283=a.example@$rip:18081,b.example@$rip:18082"
# the same engine with the BPF sockmap fast path off (--fast-path off): every TCP relay spliced (docs/fast-path.md)
start lvsps_splice "${on_lb[@]}" dotnet "$host_dll" director --scheduler rr --fast-path off \
    --tcp "$vip:19380=$rip:18081,$rip:18082" --tcp "$vip:19381=$rip:15201"
for p in 18081 18082 15201; do wait_port "$rip" $p; done
for p in 19080 19081 19083 19180 19181 19280 19281 19283 19380 19381; do wait_port "$vip" $p; done
sleep 0.5
echo "==> LvsPs $(grep -h '^ready' "$tmp/lvsps.out" | cut -d' ' -f3-)"
echo "==> LvsPs (splice) $(grep -h '^ready' "$tmp/lvsps_splice.out" | cut -d' ' -f3-)"
lvsps_relay=$(grep -h '^ready' "$tmp/lvsps.out" | awk '{ print $4 }' | tr -d :)

balancers=(haproxy nginx lvsps lvsps_splice)
declare -A http_port=([haproxy]=19080 [nginx]=19180 [lvsps]=19280 [lvsps_splice]=19380)
declare -A bulk_port=([haproxy]=19081 [nginx]=19181 [lvsps]=19281 [lvsps_splice]=19381)
declare -A udp_port=([nginx]=19182 [lvsps]=19282)
declare -A content_port=([haproxy]=19083 [lvsps]=19283) # Host rules: HAProxy mode http vs LvsPs content rules
results="$tmp/results.tsv" # run balancer figure value
: >"$results"
loads=()

# memory per idle connection first, on freshly started balancers: once pools and heaps have grown under load, new
# connections reuse memory that is already resident and the RSS delta says little
echo "==> $idle idle connections through each balancer (fresh processes)"
run=1
for b in "${balancers[@]}"; do
    pid_var="pid_$b"
    measure_idle "$b" "${!pid_var}" "${http_port[$b]}" "$idle"
done

echo "==> warm-up (not recorded): JIT, pools and caches of every balancer"
for b in "${balancers[@]}"; do
    "${on_cli[@]}" wrk -t1 -c32 -d"${warm}s" -H 'Connection: close' "http://$vip:${http_port[$b]}/small" >/dev/null
    "${on_cli[@]}" wrk -t1 -c32 -d"${warm}s" "http://$vip:${http_port[$b]}/small" >/dev/null
done

for run in $(seq 1 "$runs"); do
    loads+=("$(cut -d' ' -f1-3 /proc/loadavg)")
    echo "==> run $run/$runs (load average ${loads[-1]})"
    for b in "${balancers[@]}"; do
        pid_var="pid_$b"; pid=${!pid_var}
        measure_wrk "$b" "$pid" "${http_port[$b]}" short
        measure_wrk "$b" "$pid" "${http_port[$b]}" keepalive
        measure_wrk "$b" "$pid" "${http_port[$b]}" big
        measure_iperf "$b" "$pid" "${bulk_port[$b]}" 1
        measure_iperf "$b" "$pid" "${bulk_port[$b]}" 4
        [[ -n "${udp_port[$b]:-}" ]] && measure_udp "$b" "$pid" "${udp_port[$b]}"
        if [[ -n "${content_port[$b]:-}" ]]; then
            measure_wrk "$b" "$pid" "${content_port[$b]}" content_short
            measure_wrk "$b" "$pid" "${content_port[$b]}" content_keepalive
        fi
    done
done

table="$tmp/table.md"
write_table "$results" >"$table"
cat "$table"

if [[ $doc -eq 1 ]]; then
    write_doc_section "$table" "$root/docs/benchmarks.md"
    echo "==> wrote docs/benchmarks.md"
fi

#!/usr/bin/env bash
# Profiles the LvsPs managed director (or, with BALANCER=haproxy|nginx, the reference it is compared with) under one
# bench/run.sh load, for a bounded time, on loopback or (TOPOLOGY=hosts) with the director between two hosts.
#   [BALANCER=lvsps|haproxy|nginx] [LVSPS_ARGS='--fast-path auto'] [TOPOLOGY=loopback|hosts] \
#     bash bench/profile.sh [short|keepalive|big|bulk|udp] [seconds] [perf|perfall|strace|cpu]
# perf: `perf record -g` of the director (JIT symbols via DOTNET_PerfMapEnabled=1), top symbols printed;
# perfall: `perf record -a` of the whole machine (where the kernel's own workers, softirq and kworker, spend the time
# that no balancer process is charged with), by command and by symbol, and by CPU;
# strace: `strace -c -f`, the system calls per request; cpu: the load's figure and the director's CPU time. Same
# placement and topologies as bench/run.sh (bench/lib/topology.sh; director on CPU 0).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kind=${1:-keepalive} seconds=${2:-5} tool=${3:-perf}
host_dll="$root/bench/LvsPs.BenchHost/bin/Release/net10.0/LvsPs.BenchHost.dll"
ulimit -n "$(ulimit -Hn)"
tmp="$(mktemp -d /tmp/lvsps-profile.XXXXXX)"
pids=()
source "$root/bench/lib/topology.sh"
cleanup() { local p; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; topology_down; rm -rf "$tmp"; }
trap cleanup EXIT
source "$root/bench/lib/configs.sh"
topology_up "${TOPOLOGY:-loopback}" 0 1
write_configs "$tmp"
"${on_srv[@]}" nginx -p "$tmp" -c "$tmp/backend.conf" -e "$tmp/backend.err" </dev/null >/dev/null 2>&1 & pids+=($!)
"${on_srv[@]}" iperf3 -s -B "$rip" -p 15201 </dev/null >/dev/null 2>&1 & pids+=($!)
"${on_srv[@]}" dotnet "$host_dll" udp-echo "$rip:15301" "$rip:15302" </dev/null >/dev/null 2>&1 & pids+=($!)
balancer=${BALANCER:-lvsps}
case $balancer in
    lvsps)
        env ${LVSPS_ENV:-} DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 "${on_lb[@]}" dotnet "$host_dll" director --scheduler rr ${LVSPS_ARGS:-} \
            "${lvsps_services[@]}" </dev/null >"$tmp/director.out" 2>&1 &
        base=19280 ;;
    haproxy) "${on_lb[@]}" haproxy -db -f "$tmp/haproxy.cfg" </dev/null >"$tmp/director.out" 2>&1 & base=19080 ;;
    nginx) "${on_lb[@]}" nginx -p "$tmp" -c "$tmp/nginx-lb.conf" -e "$tmp/nginx-lb.err" </dev/null >"$tmp/director.out" 2>&1 & base=19180 ;;
    *) echo "BALANCER must be lvsps, haproxy or nginx" >&2; exit 2 ;;
esac
director=$!; pids+=($director)
wait_port "$rip" 18081; wait_port "$vip" "$base"
load() {
    case $kind in
        short) "${on_cli[@]}" wrk --latency -t1 -c32 -d"${seconds}s" -H 'Connection: close' "http://$vip:$base/small" ;;
        keepalive) "${on_cli[@]}" wrk -t1 -c32 -d"${seconds}s" "http://$vip:$base/small" ;;
        big) "${on_cli[@]}" wrk -t1 -c32 -d"${seconds}s" "http://$vip:$base/big" ;;
        bulk) "${on_cli[@]}" iperf3 -c $vip -p $((base + 1)) -t "$seconds" -P 4 | tail -3 ;;
        udp) "${on_cli[@]}" dotnet "$host_dll" udp-load "$vip:$((base + 2))" "$seconds" 8 | awk '{ print "Requests/sec: " $1 "  p50 " $2 " ms  p99 " $3 " ms  lost " $4 }' ;;
    esac
}
load >/dev/null # warm-up (JIT, pools)
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ $tool == cpu ]]; then
    t0=$(awk '{ print $14 + $15 }' "/proc/$director/stat")
    load | grep -E 'Requests/sec|receiver| 50%| 99%'
    t1=$(awk '{ print $14 + $15 }' "/proc/$director/stat")
    echo "director CPU: $(( (t1 - t0) * 10 )) ms over ${seconds} s"
    if [[ $balancer == lvsps ]]; then
        kill -TERM "$director"; wait "$director" 2>/dev/null || true
        grep '^gc ' "$tmp/director.out" || true
    fi
elif [[ $tool == strace ]]; then
    timeout $((seconds + 5)) strace -c -f -p "$director" -o "$tmp/strace.txt" & tracer=$!
    sleep 0.5; load; kill -INT $tracer 2>/dev/null || true; wait $tracer 2>/dev/null || true
    grep -v "^strace:" "$tmp/strace.txt" | head -25
elif [[ $tool == perfall ]]; then
    perf record -F 499 -a -g -o "$tmp/perf.data" -- sleep "$seconds" 2>/dev/null & tracer=$!
    load | grep -E 'Requests/sec|receiver| 50%| 99%'; wait $tracer || true
    perf report -i "$tmp/perf.data" --no-children --sort comm --stdio -g none 2>/dev/null | grep "%" | head -12
    perf report -i "$tmp/perf.data" --no-children --sort cpu,comm --stdio -g none 2>/dev/null | grep "%" | head -16
    perf report -i "$tmp/perf.data" --no-children --sort comm,symbol --stdio -g none 2>/dev/null | grep "%" | head -40
else
    perf record -F 499 -g -p "$director" -o "$tmp/perf.data" -- sleep "$seconds" 2>/dev/null & tracer=$!
    load; wait $tracer || true
    perf report -i "$tmp/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep "%" | head -12
    perf report -i "$tmp/perf.data" --no-children --sort symbol --stdio -g none 2>/dev/null | grep "%" | head -60
fi

#!/usr/bin/env bash
# Profiles the LvsPs managed director (or, with BALANCER=haproxy|nginx, the reference it is compared with) under one
# bench/run.sh load, on loopback, for a bounded time.
#   [BALANCER=lvsps|haproxy|nginx] [LVSPS_ARGS='--fast-path auto'] bash bench/profile.sh [short|keepalive|big|bulk|udp] [seconds] [perf|perfall|strace|cpu]
# perf: `perf record -g` of the director (JIT symbols via DOTNET_PerfMapEnabled=1), top symbols printed;
# perfall: `perf record -a` of the whole machine (where the kernel's own workers, softirq and kworker, spend the time
# that no balancer process is charged with), by command and by symbol;
# strace: `strace -c -f`, the system calls per request; cpu: the load's figure and the director's CPU time. Same placement as bench/run.sh (director on CPU 0).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kind=${1:-keepalive} seconds=${2:-5} tool=${3:-perf}
host_dll="$root/bench/LvsPs.BenchHost/bin/Release/net10.0/LvsPs.BenchHost.dll"
ulimit -n "$(ulimit -Hn)"
tmp="$(mktemp -d /tmp/lvsps-profile.XXXXXX)"
pids=()
cleanup() { local p; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
source "$root/bench/lib/configs.sh"
write_configs "$tmp"
taskset -c 1 nginx -p "$tmp" -c "$tmp/backend.conf" -e "$tmp/backend.err" </dev/null >/dev/null 2>&1 & pids+=($!)
taskset -c 1 iperf3 -s -B 127.0.0.1 -p 15201 </dev/null >/dev/null 2>&1 & pids+=($!)
taskset -c 1 dotnet "$host_dll" udp-echo 127.0.0.1:15301 127.0.0.1:15302 </dev/null >/dev/null 2>&1 & pids+=($!)
balancer=${BALANCER:-lvsps}
case $balancer in
    lvsps)
        env ${LVSPS_ENV:-} DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 taskset -c 0 dotnet "$host_dll" director --scheduler rr ${LVSPS_ARGS:-} \
            --tcp 127.0.0.1:19280=127.0.0.1:18081,127.0.0.1:18082 --tcp 127.0.0.1:19281=127.0.0.1:15201 \
            --udp 127.0.0.1:19282=127.0.0.1:15301,127.0.0.1:15302 </dev/null >"$tmp/director.out" 2>&1 &
        base=19280 ;;
    haproxy) taskset -c 0 haproxy -db -f "$tmp/haproxy.cfg" </dev/null >"$tmp/director.out" 2>&1 & base=19080 ;;
    nginx) taskset -c 0 nginx -p "$tmp" -c "$tmp/nginx-lb.conf" -e "$tmp/nginx-lb.err" </dev/null >"$tmp/director.out" 2>&1 & base=19180 ;;
    *) echo "BALANCER must be lvsps, haproxy or nginx" >&2; exit 2 ;;
esac
director=$!; pids+=($director)
sleep 2
load() {
    case $kind in
        short) taskset -c 1 wrk --latency -t1 -c32 -d"${seconds}s" -H 'Connection: close' "http://127.0.0.1:$base/small" ;;
        keepalive) taskset -c 1 wrk -t1 -c32 -d"${seconds}s" "http://127.0.0.1:$base/small" ;;
        big) taskset -c 1 wrk -t1 -c32 -d"${seconds}s" "http://127.0.0.1:$base/big" ;;
        bulk) taskset -c 1 iperf3 -c 127.0.0.1 -p $((base + 1)) -t "$seconds" -P 4 | tail -3 ;;
        udp) taskset -c 1 dotnet "$host_dll" udp-load "127.0.0.1:$((base + 2))" "$seconds" 8 | awk '{ print "Requests/sec: " $1 "  p50 " $2 " ms  p99 " $3 " ms  lost " $4 }' ;;
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
    perf report -i "$tmp/perf.data" --no-children --sort comm,symbol --stdio -g none 2>/dev/null | grep "%" | head -40
else
    perf record -F 499 -g -p "$director" -o "$tmp/perf.data" -- sleep "$seconds" 2>/dev/null & tracer=$!
    load; wait $tracer || true
    perf report -i "$tmp/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep "%" | head -12
    perf report -i "$tmp/perf.data" --no-children --sort symbol --stdio -g none 2>/dev/null | grep "%" | head -60
fi

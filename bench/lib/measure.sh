# bench/run.sh: one measurement each; every figure is appended to $results as "run<TAB>balancer<TAB>figure<TAB>value".
# Uses: $tmp, $run, $seconds, $host_dll, $results, $pids, $vip and $on_cli (bench/lib/topology.sh).

record() { printf '%s\t%s\t%s\t%s\n' "$run" "$1" "$2" "$3" >>"$results"; }

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # utime + stime, in clock ticks
# busy ticks (user nice system irq softirq steal) of /proc/stat's "cpu" line (the whole machine) or "cpuN" line (one
# core): the sockmap fast path relays in softirq and in kernel work items (kworker), which no balancer process is
# charged for; in the hosts topology the director's core (cpu$lb_cpu) does all of the director host's work
machine_ticks() { awk -v line="${1:-cpu}" '$1 == line { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
snapshot() { echo "$(cpu_ticks "$1") $(machine_ticks) $(machine_ticks "cpu$lb_cpu")"; } # pid -> "process machine core"
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
tck=$(getconf CLK_TCK)

# Records, from two snapshots taken around a measurement: FIGURE_cpu (the balancer process's cores busy) and
# FIGURE_core (VALUE per core-second of it); FIGURE_machine (the whole machine's busy cores: balancer, backends, load
# generator, softirq and kernel workers) and FIGURE_mcore (VALUE per machine core-second), which charge the kernel's
# share of the work to whoever caused it; in the hosts topology also FIGURE_dcpu (the director core's busy share:
# the balancer, the softirq of every packet that reaches the director, its kworkers) and FIGURE_dcore (VALUE per
# director-core-second: what one core of a director host does).
cores_of() { awk -v t="$1" -v h="$tck" -v e="$2" 'BEGIN { printf "%.3f", t / h / e }'; } # ticks seconds -> cores busy
per_core() { awk -v v="$1" -v c="$2" 'BEGIN { printf "%.3f", (c > 0 ? v / c : 0) }'; } # value cores -> value per core-second
record_cpu() { # balancer figure value elapsed-seconds "snapshot before" "snapshot after"
    local p0 m0 c0 p1 m1 c1 cores
    read -r p0 m0 c0 <<<"$5"
    read -r p1 m1 c1 <<<"$6"
    cores=$(cores_of $((p1 - p0)) "$4")
    record "$1" "${2}_cpu" "$cores"
    record "$1" "${2}_core" "$(per_core "$3" "$cores")"
    cores=$(cores_of $((m1 - m0)) "$4")
    record "$1" "${2}_machine" "$cores"
    record "$1" "${2}_mcore" "$(per_core "$3" "$cores")"
    if [[ $topology_kind == hosts ]]; then
        cores=$(cores_of $((c1 - c0)) "$4")
        record "$1" "${2}_dcpu" "$cores"
        record "$1" "${2}_dcore" "$(per_core "$3" "$cores")"
    fi
}

to_ms() { # wrk latency (e.g. 850.00us, 1.20ms, 1.02s) to milliseconds
    awk -v x="$1" 'BEGIN { v = x + 0; if (x ~ /us$/) v /= 1000; else if (x ~ /ms$/) v = v; else if (x ~ /s$/) v *= 1000; printf "%.3f", v }'
}

measure_wrk() { # balancer pid port short|keepalive|big|content_short|content_keepalive
    local b=$1 pid=$2 port=$3 kind=$4 args=() path=/small t0 t1 out rps
    [[ $kind == short ]] && args=(-H 'Connection: close')
    # content routing: every request names b.example, which the Host rules send to the second real server
    [[ $kind == content_short ]] && args=(-H 'Connection: close' -H 'Host: b.example')
    [[ $kind == content_keepalive ]] && args=(-H 'Host: b.example')
    [[ $kind == big ]] && path=/big
    t0=$(snapshot "$pid")
    out=$("${on_cli[@]}" wrk -t1 -c32 -d"${seconds}s" --timeout 5s --latency "${args[@]}" "http://$vip:$port$path")
    t1=$(snapshot "$pid")
    echo "$out" >>"$tmp/wrk-$b-$kind.log"
    rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
    if [[ $kind == big ]]; then
        local gbps
        gbps=$(awk -v r="$rps" 'BEGIN { printf "%.3f", r * 1048576 * 8 / 1e9 }')
        record "$b" big_gbps "$gbps"
        record_cpu "$b" big_gbps "$gbps" "$seconds" "$t0" "$t1"
        return
    fi
    record "$b" "${kind}_rps" "$rps"
    record "$b" "${kind}_p50" "$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")"
    record "$b" "${kind}_p99" "$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")"
    record "$b" "${kind}_errors" "$(awk 'BEGIN { n = 0 } /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n }' <<<"$out")"
    record_cpu "$b" "${kind}_rps" "$rps" "$seconds" "$t0" "$t1"
}

measure_iperf() { # balancer pid port streams
    local b=$1 pid=$2 port=$3 streams=$4 t0 t1 gbps secs
    secs=${seconds%.*}; [[ $secs -lt 1 ]] && secs=1
    t0=$(snapshot "$pid")
    "${on_cli[@]}" iperf3 -c $vip -p "$port" -t "$secs" -P "$streams" -J >"$tmp/iperf.json" || true
    t1=$(snapshot "$pid")
    gbps=$(jq -r '(.end.sum_received.bits_per_second // 0) / 1e9 | . * 1000 | round / 1000' "$tmp/iperf.json")
    record "$b" "bulk${streams}_gbps" "$gbps"
    record_cpu "$b" "bulk${streams}_gbps" "$gbps" "$secs" "$t0" "$t1"
}

measure_udp() { # balancer pid port
    local b=$1 pid=$2 port=$3 t0 t1 out
    t0=$(snapshot "$pid")
    out=$("${on_cli[@]}" dotnet "$host_dll" udp-load "$vip:$port" "$seconds" 8)
    t1=$(snapshot "$pid")
    read -r rps p50 p99 lost <<<"$out"
    record "$b" udp_rps "$rps"
    record "$b" udp_p50 "$p50"
    record "$b" udp_p99 "$p99"
    record "$b" udp_lost "$lost"
    record_cpu "$b" udp_rps "$rps" "$seconds" "$t0" "$t1"
}

measure_idle() { # balancer pid port count: RSS delta per idle connection, in bytes
    local b=$1 pid=$2 port=$3 n=$4 rss0 rss1 idle_pid i
    rss0=$(rss_kb "$pid")
    rm -f "$tmp/idle.in" "$tmp/idle.out"
    mkfifo "$tmp/idle.in"
    "${on_cli[@]}" dotnet "$host_dll" idle "$vip:$port" "$n" <"$tmp/idle.in" >"$tmp/idle.out" &
    idle_pid=$!
    pids+=("$idle_pid")
    exec 4>"$tmp/idle.in"
    for i in $(seq 1 600); do grep -q '^ready' "$tmp/idle.out" 2>/dev/null && break; sleep 0.1; done
    sleep 1
    rss1=$(rss_kb "$pid")
    exec 4>&-
    wait "$idle_pid" || true
    record "$b" idle_bytes "$(( (rss1 - rss0) * 1024 / n ))"
    record "$b" idle_failed "$(awk '{ print $4 }' "$tmp/idle.out")"
    sleep 1
}

# bench/run.sh: the medians table and the docs/benchmarks.md section.

# figure|label|direction (higher/lower: which is better)|target ratio|reference balancer
figures='short_rps|Short connections (new TCP connection per request), requests/s|higher|1.2|haproxy
short_p50|  latency p50, ms|lower||haproxy
short_p99|  latency p99, ms|lower|1.0|haproxy
keepalive_rps|Keepalive requests (128-byte file), requests/s|higher|1.2|haproxy
keepalive_p50|  latency p50, ms|lower||haproxy
keepalive_p99|  latency p99, ms|lower|1.0|haproxy
big_gbps|1 MiB file over keepalive (wrk), Gbit/s|higher|1.0|haproxy
bulk1_gbps|Bulk, iperf3 1 stream, Gbit/s|higher|1.0|haproxy
bulk4_gbps|Bulk, iperf3 4 streams, Gbit/s|higher|1.0|haproxy
idle_bytes|Memory per idle connection (RSS delta / N, fresh process, once), bytes|lower|1.0|haproxy
short_rps_cpu|Balancer CPU during short connections, cores|lower||haproxy
keepalive_rps_cpu|Balancer CPU during keepalive, cores|lower||haproxy
bulk4_gbps_cpu|Balancer CPU during bulk 4 streams, cores|lower||haproxy
short_rps_core|Short connections per core-second|higher|1.2|haproxy
keepalive_rps_core|Keepalive requests per core-second|higher|1.2|haproxy
big_gbps_core|1 MiB file Gbit per core-second|higher|1.0|haproxy
bulk1_gbps_core|iperf3 1 stream Gbit per core-second|higher|1.0|haproxy
bulk4_gbps_core|iperf3 4 streams Gbit per core-second|higher|1.0|haproxy
short_rps_machine|Whole machine CPU during short connections (softirq and kernel workers included), cores|lower||haproxy
keepalive_rps_machine|Whole machine CPU during keepalive, cores|lower||haproxy
bulk4_gbps_machine|Whole machine CPU during bulk 4 streams, cores|lower||haproxy
short_rps_mcore|Short connections per machine core-second|higher||haproxy
keepalive_rps_mcore|Keepalive requests per machine core-second|higher||haproxy
bulk4_gbps_mcore|iperf3 4 streams Gbit per machine core-second|higher||haproxy
short_rps_dcpu|Director core busy during short connections (balancer, softirq, kworkers; hosts topology), cores|lower||haproxy
keepalive_rps_dcpu|Director core busy during keepalive (hosts topology), cores|lower||haproxy
bulk4_gbps_dcpu|Director core busy during bulk 4 streams (hosts topology), cores|lower||haproxy
short_rps_dcore|Short connections per director-core-second (hosts topology)|higher||haproxy
keepalive_rps_dcore|Keepalive requests per director-core-second (hosts topology)|higher||haproxy
big_gbps_dcore|1 MiB file Gbit per director-core-second (hosts topology)|higher||haproxy
bulk4_gbps_dcore|iperf3 4 streams Gbit per director-core-second (hosts topology)|higher||haproxy
udp_rps|UDP request/response (DNS-like, 8 clients), datagrams/s|higher|1.0|nginx
udp_p99|  UDP latency p99, ms|lower|1.0|nginx
udp_rps_core|UDP datagrams per core-second|higher|1.0|nginx
content_short_rps|Content routing by Host, new connection per request (HAProxy mode http), requests/s|higher|1.0|haproxy
content_short_p99|  latency p99, ms|lower||haproxy
content_keepalive_rps|Content routing by Host, keepalive (LvsPs routes per connection, HAProxy per request), requests/s|higher||haproxy
content_short_rps_core|Content-routed short connections per core-second|higher|1.0|haproxy
short_errors|wrk socket errors, short connections|lower||haproxy
idle_failed|Idle connections that failed to open|lower||haproxy'

medians() { # results.tsv -> "balancer figure median"
    sort -t$'\t' -k2,2 -k3,3 -k4,4g "$1" | awk -F'\t' '
        function flush() { if (n) print key, (n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2) }
        { k = $2 " " $3; if (k != key) { flush(); key = k; n = 0 } v[++n] = $4 }
        END { flush() }'
}

write_table() { # results.tsv: LvsPs as it runs by default ("lvsps") and with the fast path off ("lvsps_splice")
    local m
    m=$(medians "$1")
    echo "| Figure | HAProxy | nginx stream | LvsPs (${lvsps_relay:-?}) | LvsPs (splice) | LvsPs / reference | splice / reference | Target | Met |"
    echo "|---|---:|---:|---:|---:|---:|---:|---|---|"
    awk -v figs="$figures" '
        { val[$1 " " $2] = $3 }
        function fmt(x) { return x == "" ? "-" : (x >= 100 ? sprintf("%.0f", x) : sprintf("%.3g", x)) }
        function ratio(x, r) { return (r != "" && x != "" && r + 0 > 0) ? sprintf("%.2fx", x / r) : "-" }
        END {
            n = split(figs, lines, "\n")
            for (i = 1; i <= n; i++) {
                split(lines[i], f, "|")
                h = val["haproxy " f[1]]; g = val["nginx " f[1]]; l = val["lvsps " f[1]]; sp = val["lvsps_splice " f[1]]
                if (h == "" && g == "" && l == "" && sp == "") continue # a figure this topology does not measure
                ref = val[f[5] " " f[1]]; met = ""; target = ""
                if (f[4] != "") {
                    target = (f[3] == "higher" ? ">= " : "<= ") f[4] "x " (f[5] == "nginx" ? "nginx" : "HAProxy")
                    if (ref != "" && l != "" && ref + 0 > 0) met = (f[3] == "higher" ? (l / ref >= f[4]) : (l / ref <= f[4])) ? "yes" : "**no**"
                }
                printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", f[2], fmt(h), fmt(g), fmt(l), fmt(sp), ratio(l, ref), ratio(sp, ref), target, met
            }
        }' <<<"$m"
}

write_doc_section() { # table.md docs/benchmarks.md: replaces (or appends) the topology's "# Managed engine vs HAProxy" section
    local table=$1 doc=$2 section title="# Managed engine vs HAProxy"
    [[ $topology_kind == hosts ]] && title="# Managed engine vs HAProxy: a director between hosts"
    section=$(mktemp)
    {
        echo "$title"
        echo
        echo "Generated by \`$command_line\` on $(date -u '+%Y-%m-%d %H:%M UTC'); do not edit by hand (the analysis is in"
        echo "\"Managed engine performance notes\" below). Medians of $runs run(s) of ${seconds} s per figure; $idle idle connections."
        echo
        echo "- Machine: $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), Linux $(uname -r); load average"
        echo "  at the start of each run (the harness's own processes included): ${loads[*]}."
        echo "- Placement: each balancer pinned to CPU 0 with one thread/worker; backends and load generators on CPU 1."
        echo "- Topology: $(topology_describe)."
        echo "- Versions: $(haproxy -v | head -1 | cut -d' ' -f1-3), $(nginx -v 2>&1 | cut -d' ' -f3), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2),"
        echo "  $(iperf3 -v | head -1 | cut -d' ' -f1-2), .NET $(dotnet --version), LvsPs $(git -C "$root" rev-parse --short HEAD)."
        echo "- Backends: nginx (one worker, sendfile) serving a 128-byte and a 1 MiB file on two ports (the two real servers,"
        echo "  round-robin); one iperf3 server (iperf3's control and data connections must reach the same server); a UDP echo"
        echo "  on two ports. HAProxy 'mode tcp' (no splice options), nginx 'stream' with default buffers, LvsPs managed engine"
        echo "  (bench/LvsPs.BenchHost, scheduler rr) twice: as it runs by default (${lvsps_relay:-?}: conversations of small"
        echo "  messages join the BPF sockmap at their second request, single exchanges and bulk stay spliced) and with the fast"
        echo "  path off (splice). wrk: 1 thread, 32 connections. UDP: bench/LvsPs.BenchHost udp-load."
        echo "  \"Whole machine\" CPU is /proc/stat's busy time of both cores (softirq and kernel workers included)."
        echo
        cat "$table"
        echo
    } >"$section"
    if grep -qxF "$title" "$doc"; then
        awk -v sec="$section" -v title="$title" '
            $0 == title { while ((getline l < sec) > 0) print l; skip = 1; next }
            skip && /^# / { skip = 0 }
            !skip { print }' "$doc" >"$doc.new"
        mv "$doc.new" "$doc"
    else
        { echo; cat "$section"; } >>"$doc"
    fi
    rm -f "$section"
}

# bench/run.sh and bench/profile.sh: where the balancers, the backends and the load generators run, and how their
# packets reach each other.
#
#   loopback  Everything on 127.0.0.1 in this network namespace. Linux runs a loopback packet's receive work (the
#             softirq) on the CPU that sent it, so the work of receiving what the load generator and the backends send
#             lands on their core, and so do the BPF sockmap fast path's work items (net/core/skmsg.c queues them on
#             the CPU whose softirq received the skb).
#   hosts     A director host between a client host and a server host, as LVS runs: three network namespaces made for
#             the run (and removed after it) joined by two veth pairs. Receive Packet Steering (the rx queue's
#             rps_cpus, Documentation/networking/scaling.rst) runs the receive work of every packet that arrives at the
#             director on the balancer's CPU, as a director's NIC spreads it with RSS, and the receive work of packets
#             arriving at the client or the server on the load generator's CPU.
#
# topology_up KIND LB_CPU GEN_CPU sets:
#   vip, rip   the address the balancers listen on and the one the backends listen on
#   on_lb      command prefix for a balancer (namespace and CPU), e.g. "${on_lb[@]}" haproxy ...
#   on_cli     command prefix for a load generator
#   on_srv     command prefix for a backend
# Every prefix execs, so the pid started with it is the pid of the program itself.

topology_kind=loopback topology_ns=()

topology_up() { # loopback|hosts lb_cpu gen_cpu
    topology_kind=$1 topology_lb_cpu=$2
    local lb_cpu=$2 gen_cpu=$3
    case $topology_kind in
        loopback)
            vip=127.0.0.1 rip=127.0.0.1
            on_lb=(taskset -c "$lb_cpu") on_cli=(taskset -c "$gen_cpu") on_srv=(taskset -c "$gen_cpu")
            ;;
        hosts)
            command -v ip >/dev/null || { echo "the hosts topology needs ip (iproute2)" >&2; return 1; }
            local cli="lvsps-bench-cli-$$" dir="lvsps-bench-dir-$$" srv="lvsps-bench-srv-$$" ns
            topology_ns=("$cli" "$dir" "$srv")
            for ns in "${topology_ns[@]}"; do
                ip netns add "$ns"
                ip -n "$ns" link set lo up
            done
            # client c0 10.250.1.1 <-> d0 10.250.1.2 (the VIP) director  ds0 10.250.2.1 (the DIP) <-> s0 10.250.2.2 (the RIP) server
            ip -n "$dir" link add d0 type veth peer name c0 netns "$cli"
            ip -n "$dir" link add ds0 type veth peer name s0 netns "$srv"
            ip -n "$cli" addr add 10.250.1.1/24 dev c0
            ip -n "$dir" addr add 10.250.1.2/24 dev d0
            ip -n "$dir" addr add 10.250.2.1/24 dev ds0
            ip -n "$srv" addr add 10.250.2.2/24 dev s0
            local lb_mask gen_mask
            lb_mask=$(printf '%x' $((1 << lb_cpu))) gen_mask=$(printf '%x' $((1 << gen_cpu)))
            topology_steer "$dir" d0 "$lb_mask"
            topology_steer "$dir" ds0 "$lb_mask"
            topology_steer "$cli" c0 "$gen_mask"
            topology_steer "$srv" s0 "$gen_mask"
            vip=10.250.1.2 rip=10.250.2.2
            on_lb=(ip netns exec "$dir" taskset -c "$lb_cpu")
            on_cli=(ip netns exec "$cli" taskset -c "$gen_cpu")
            on_srv=(ip netns exec "$srv" taskset -c "$gen_cpu")
            ;;
        *) echo "unknown topology $topology_kind (loopback or hosts)" >&2; return 2 ;;
    esac
}

# steers the receive work of NS's DEV to the CPUs of MASK (sysfs is the namespace's own under ip netns exec)
topology_steer() { # ns dev mask
    ip netns exec "$1" sh -c "echo $3 > /sys/class/net/$2/queues/rx-0/rps_cpus"
    ip -n "$1" link set "$2" up
}

topology_down() {
    local ns
    for ns in "${topology_ns[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
    topology_ns=()
}

# one line for the report
topology_describe() {
    case $topology_kind in
        loopback) echo "loopback (127.0.0.1): receive work runs on the sending process's CPU" ;;
        hosts) echo "client, director and server network namespaces joined by veth pairs; receive work steered (RPS) to the receiving host's CPU: the director's packets to CPU $topology_lb_cpu" ;;
    esac
}

# waits until HOST:PORT accepts a connection, from the director's namespace (which reaches the VIP and the RIP)
wait_port() { # host port
    local i
    for i in $(seq 1 150); do
        "${on_lb[@]}" bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "port $1:$2 did not open" >&2
    return 1
}

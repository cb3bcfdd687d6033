#!/bin/sh
# Policy routing for the managed engine's transparent mode (-Transparent): the director connects to a real server from
# the client's own address, so the real server's replies are addressed to the client. They must come back through the
# director (the real server's default route, or a route to the clients, points at the director, as LVS-NAT requires),
# and the director must hand them to its own stack instead of forwarding them on: a policy rule sends TCP from the real
# server's port to a table whose only route is "local", the TPROXY recipe (kernel docs, networking/tproxy.rst).
#
#   transparent-routing.sh add|del REAL_SERVER_ADDRESS PORT [TABLE]
#
# Run as root on the director (or inside its network namespace), once per real server. TABLE defaults to 100.
set -eu
action=${1:?add or del}; rip=${2:?real server address}; port=${3:?real server port}; table=${4:-100}
case "$rip" in *:*) family=-6; any=::/0 ;; *) family=-4; any=0.0.0.0/0 ;; esac
case "$action" in
  add)
    ip "$family" rule add from "$rip" ipproto tcp sport "$port" lookup "$table"
    # one local route per table is enough; "replace" keeps a second real server from failing on it
    ip "$family" route replace local "$any" dev lo table "$table"
    ;;
  del)
    ip "$family" rule del from "$rip" ipproto tcp sport "$port" lookup "$table" || true
    if ! ip "$family" rule show | grep -q "lookup $table\$"; then ip "$family" route flush table "$table" || true; fi
    ;;
  *) echo "usage: $0 add|del REAL_SERVER_ADDRESS PORT [TABLE]" >&2; exit 2 ;;
esac

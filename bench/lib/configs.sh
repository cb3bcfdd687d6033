# bench/run.sh: configuration files for the backends and the balancers, generated into the run's temp dir.
# Addresses: the balancers listen on $vip, the backends on $rip (bench/lib/topology.sh).
# Ports: backends 18081/18082 (nginx HTTP), 15201 (iperf3), 15301/15302 (UDP echo);
# balancers HAProxy 19080/19081, nginx stream 19180/19181/19182 (udp), LvsPs 19280/19281/19282 (udp);
# content routing by Host (HAProxy mode http, LvsPs content rules): HAProxy 19083, LvsPs 19283.

write_configs() {
    local dir=$1
    # the LvsPs director's services, the same as HAProxy's and nginx stream's below (run.sh and profile.sh start it so)
    lvsps_services=(--tcp "$vip:19280=$rip:18081,$rip:18082" --tcp "$vip:19281=$rip:15201"
        --udp "$vip:19282=$rip:15301,$rip:15302")
    mkdir -p "$dir/www" "$dir/logs"
    head -c 128 /dev/zero | tr '\0' 'x' >"$dir/www/small"
    head -c 1048576 /dev/zero | tr '\0' 'y' >"$dir/www/big"

    # nginx's shared settings: one process, no master (so the pid we start is the one we measure), temp paths in $dir
    local common="daemon off; master_process off; worker_processes 1; worker_rlimit_nofile $(ulimit -Hn);
pid $dir/\$name.pid;"

    cat >"$dir/backend.conf" <<CONF
${common//\$name/backend}
error_log $dir/logs/backend.err warn;
events { worker_connections 19000; }
http {
    access_log off;
    client_body_temp_path $dir/tmp-body; proxy_temp_path $dir/tmp-proxy; fastcgi_temp_path $dir/tmp-fcgi;
    uwsgi_temp_path $dir/tmp-uwsgi; scgi_temp_path $dir/tmp-scgi;
    sendfile on; tcp_nopush on; keepalive_requests 1000000; keepalive_timeout 120s;
    server { listen $rip:18081 backlog=4096; root $dir/www; }
    server { listen $rip:18082 backlog=4096; root $dir/www; }
}
CONF

    cat >"$dir/nginx-lb.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_stream_module.so;
${common//\$name/nginx-lb}
error_log $dir/logs/nginx-lb.err warn;
events { worker_connections 19500; }
stream {
    upstream http { server $rip:18081; server $rip:18082; }
    upstream bulk { server $rip:15201; }
    upstream dns { server $rip:15301; server $rip:15302; }
    server { listen $vip:19180 backlog=4096; proxy_pass http; }
    server { listen $vip:19181 backlog=4096; proxy_pass bulk; }
    server { listen $vip:19182 udp; proxy_pass dns; proxy_responses 1; proxy_timeout 5s; }
}
CONF

    cat >"$dir/haproxy.cfg" <<CONF
global
    maxconn 9800
    nbthread 1
    log stderr local0 err
defaults
    mode tcp
    balance roundrobin
    timeout connect 5s
    timeout client 120s
    timeout server 120s
listen http
    bind $vip:19080
    server a $rip:18081
    server b $rip:18082
listen bulk
    bind $vip:19081
    server a $rip:15201
# content routing: the same Host rules as LvsPs's --hosts service (a.example -> 18081, b.example -> 18082)
frontend content
    mode http
    bind $vip:19083
    timeout http-request 10s
    use_backend content_b if { hdr(host) -i b.example }
    default_backend content_a
backend content_a
    mode http
    server a $rip:18081
backend content_b
    mode http
    server b $rip:18082
CONF
}

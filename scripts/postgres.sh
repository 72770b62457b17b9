# Throwaway PostgreSQL servers for the test suite. Source it after lib.sh, then:
#
#   start_test_postgres PORT URL_VAR CTL_VAR
#       installs Debian's postgresql if missing, runs initdb into a temporary directory and
#       starts a server on 127.0.0.1:PORT; exports its URL in URL_VAR and, in CTL_VAR, a
#       pg_ctl command line (append `start` or `stop`) that tests use to take it down and up
#   start_test_postgres_tls PORT URL_VAR CA_VAR WRONG_CA_VAR
#       the same with TLS required: a certificate authority made for the run signs the
#       server's certificate (for localhost and 127.0.0.1) and pg_hba refuses every TCP
#       connection that is not TLS; exports the URL (without sslmode), the CA's PEM file and
#       the PEM file of another CA that signed nothing of the server's
#   stop_test_postgres
#       stops every server started so far and removes their directories
#
# As root, the servers run as the `postgres` user, which refuses to run as root.

PG_WORKS=()
PG_RUN=()

pg_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

start_test_postgres() {
    local port="$1" url_var="$2" ctl_var="$3"
    ensure_apt postgresql
    local bin
    bin="$(pg_bin)"
    [[ -x "$bin/initdb" && -x "$bin/pg_ctl" ]] || die "PostgreSQL's initdb and pg_ctl were not found under /usr/lib/postgresql"
    if port_is_open 127.0.0.1 "$port"; then
        die "127.0.0.1:$port is taken; choose another port for the test PostgreSQL"
    fi
    local work
    work="$(mktemp -d "${TMPDIR:-/tmp}/alertd-pg.XXXXXX")"
    PG_WORKS+=("$work")
    if [[ "$(id -u)" -eq 0 ]]; then
        chown postgres: "$work"
        PG_RUN=(runuser -u postgres --)
    fi
    "${PG_RUN[@]}" "$bin/initdb" -D "$work/data" -U postgres --auth=trust -E UTF8 --no-instructions >"$work/initdb.log" 2>&1 \
        || { cat "$work/initdb.log" >&2; die "initdb failed"; }
    local ctl="${PG_RUN[*]} $bin/pg_ctl -D $work/data -l $work/server.log -w -t 60 -m fast"
    ctl+=" -o '-c listen_addresses=127.0.0.1 -p $port -k $work -c max_connections=200'"
    # A loopback port can be held for a minute by a client socket in TIME_WAIT that happened to
    # get it as its local port (when the port lies in Linux's ephemeral range); PostgreSQL then
    # cannot bind it. Try again while that is the reason, for up to 75 s.
    local deadline=$((SECONDS + 75)) mark
    while true; do
        mark=0
        [[ -f "$work/server.log" ]] && mark="$(wc -l <"$work/server.log")"
        eval "$ctl start" >/dev/null && break
        if tail -n "+$((mark + 1))" "$work/server.log" | grep -q 'Address already in use' \
            && ! port_is_open 127.0.0.1 "$port" && ((SECONDS < deadline)); then
            sleep 1
            continue
        fi
        cat "$work/server.log" >&2
        die "PostgreSQL did not start"
    done
    export "$url_var=postgres://postgres@127.0.0.1:$port/postgres"
    export "$ctl_var=$ctl"
    info "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $work)"
}

start_test_postgres_tls() {
    local port="$1" url_var="$2" ca_var="$3" wrong_ca_var="$4"
    ensure_apt postgresql
    local tls
    tls="$(mktemp -d "${TMPDIR:-/tmp}/alertd-pg-tls.XXXXXX")"
    PG_WORKS+=("$tls")
    make_test_certificates "$tls"
    if [[ "$(id -u)" -eq 0 ]]; then chown postgres: "$tls" "$tls/server.key" "$tls/server.pem"; fi
    start_test_postgres "$port" "$url_var" ALERTD_TEST_TLS_PG_CTL
    local data="${PG_WORKS[-1]}/data"
    printf '%s\n' 'local all all trust' 'hostssl all all 127.0.0.1/32 trust' 'hostssl all all ::1/128 trust' \
        'hostnossl all all 0.0.0.0/0 reject' 'hostnossl all all ::/0 reject' >"$data/pg_hba.conf"
    printf "ssl = on\nssl_cert_file = '%s'\nssl_key_file = '%s'\n" "$tls/server.pem" "$tls/server.key" >>"$data/postgresql.conf"
    "${PG_RUN[@]}" "$(pg_bin)/pg_ctl" -D "$data" -w reload >/dev/null || die "PostgreSQL did not reload its TLS settings"
    export "$ca_var=$tls/ca.pem" "$wrong_ca_var=$tls/wrong-ca.pem"
    info "PostgreSQL on 127.0.0.1:$port requires TLS (certificate for localhost and 127.0.0.1, CA $tls/ca.pem)"
}

stop_test_postgres() {
    local bin work
    bin="$(pg_bin)"
    for work in "${PG_WORKS[@]}"; do
        "${PG_RUN[@]}" "$bin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true
        rm -rf "$work"
    done
    PG_WORKS=()
}

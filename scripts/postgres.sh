# Throwaway PostgreSQL servers for the test suite. Source it after lib.sh, then:
#
#   start_test_postgres PORT URL_VAR CTL_VAR
#       installs Debian's postgresql if missing, runs initdb into a temporary directory and
#       starts a server on 127.0.0.1:PORT; exports its URL in URL_VAR and, in CTL_VAR, a
#       pg_ctl command line (append `start` or `stop`) that tests use to take it down and up
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
    eval "$ctl start" >/dev/null || { cat "$work/server.log" >&2; die "PostgreSQL did not start"; }
    export "$url_var=postgres://postgres@127.0.0.1:$port/postgres"
    export "$ctl_var=$ctl"
    info "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $work)"
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

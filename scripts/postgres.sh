# A throwaway PostgreSQL server for the test suite. Source it after lib.sh, then:
#
#   start_test_postgres     installs Debian's postgresql if missing, runs initdb into a
#                           temporary directory and starts a server on a loopback port;
#                           exports ALERTD_TEST_DATABASE_URL and ALERTD_TEST_PG_CTL
#   stop_test_postgres      stops it and removes the directory
#
# As root, the server runs as the `postgres` user, which refuses to run as root.

PG_WORK=""
PG_RUN=()

start_test_postgres() {
    ensure_apt postgresql
    local bin
    bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [[ -x "$bin/initdb" && -x "$bin/pg_ctl" ]] || die "PostgreSQL's initdb and pg_ctl were not found under /usr/lib/postgresql"
    local port="${ALERTD_TEST_PG_PORT:-55432}"
    if port_is_open 127.0.0.1 "$port"; then
        die "127.0.0.1:$port is taken; set ALERTD_TEST_PG_PORT to a free port"
    fi
    PG_WORK="$(mktemp -d "${TMPDIR:-/tmp}/alertd-pg.XXXXXX")"
    if [[ "$(id -u)" -eq 0 ]]; then
        chown postgres: "$PG_WORK"
        PG_RUN=(runuser -u postgres --)
    fi
    "${PG_RUN[@]}" "$bin/initdb" -D "$PG_WORK/data" -U postgres --auth=trust -E UTF8 --no-instructions >"$PG_WORK/initdb.log" 2>&1 \
        || { cat "$PG_WORK/initdb.log" >&2; die "initdb failed"; }
    "${PG_RUN[@]}" "$bin/pg_ctl" -D "$PG_WORK/data" -l "$PG_WORK/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_WORK -c max_connections=200 -c fsync=on" start >/dev/null \
        || { cat "$PG_WORK/server.log" >&2; die "PostgreSQL did not start"; }
    export ALERTD_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
    export ALERTD_TEST_PG_CTL="${PG_RUN[*]} $bin/pg_ctl -D $PG_WORK/data -l $PG_WORK/server.log -w -t 60 -o '-c listen_addresses=127.0.0.1 -p $port -k $PG_WORK'"
    info "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $PG_WORK)"
}

stop_test_postgres() {
    [[ -n "$PG_WORK" ]] || return 0
    local bin
    bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    "${PG_RUN[@]}" "$bin/pg_ctl" -D "$PG_WORK/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_WORK"
    PG_WORK=""
}

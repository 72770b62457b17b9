# Shared helpers for the scripts in scripts/ and bench/. Source it, do not run it:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# The helpers target Debian 12 (apt, dpkg) and Swift installed under /opt/swift, and use
# sudo only when not running as root.

# The repository root (the directory that holds Package.swift).
ALERTD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# section TITLE: prints a visible header between the steps of a script.
section() {
    printf '\n==> %s\n' "$*"
}

info() {
    printf '    %s\n' "$*"
}

warn() {
    printf 'warning: %s\n' "$*" >&2
}

die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# as_root COMMAND...: runs a command as root, through sudo when needed.
as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root to run '$*' and sudo is not installed"
    fi
}

# ensure_swift: makes sure `swift` is on PATH, adding /opt/swift/usr/bin when it is
# installed there.
ensure_swift() {
    if command -v swift >/dev/null 2>&1; then
        return 0
    fi
    if [[ -x /opt/swift/usr/bin/swift ]]; then
        export PATH="/opt/swift/usr/bin:$PATH"
        return 0
    fi
    die "swift not found: install Swift 6.3 (https://www.swift.org/install/) and put it on PATH"
}

# ensure_build_packages: the Debian packages alertd compiles and links against, found
# through pkg-config: librdkafka (Kafka) and SQLite (the tenant stores).
ensure_build_packages() {
    ensure_apt librdkafka-dev libsqlite3-dev pkg-config
}

# make_test_certificates DIR: writes into DIR a certificate authority made for this run
# (ca.pem), another that signs nothing (wrong-ca.pem), and a server certificate for
# localhost and 127.0.0.1 signed by the first (server.pem, server.key), with openssl.
make_test_certificates() {
    local dir="$1"
    ensure_apt openssl
    (
        cd "$dir"
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=alertd test CA" -keyout ca.key -out ca.pem
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=another CA" -keyout wrong-ca.key -out wrong-ca.pem
        openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr
        printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >server.ext
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext -out server.pem
    ) >"$dir/openssl.log" 2>&1 || { cat "$dir/openssl.log" >&2; die "openssl could not make the test certificates"; }
    chmod 600 "$dir/server.key"
}

# ensure_apt PACKAGE...: installs the Debian packages that are not installed yet. Runs
# `apt-get update` only when something has to be installed.
ensure_apt() {
    if ! command -v dpkg >/dev/null 2>&1; then
        warn "not a Debian system; make sure these are installed: $*"
        return 0
    fi
    local missing=() package
    for package in "$@"; do
        if [[ "$(dpkg -s "$package" 2>/dev/null)" != *"Status: install ok installed"* ]]; then
            missing+=("$package")
        fi
    done
    if [[ ${#missing[@]} -eq 0 ]]; then
        return 0
    fi
    info "installing ${missing[*]} (apt)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# ensure_python_modules: makes sure python3 can import yaml and jsonschema, which
# scripts/check-tenant-schema.py needs. Uses pip, or Debian's packages when the system
# Python is externally managed (PEP 668).
ensure_python_modules() {
    if ! command -v python3 >/dev/null 2>&1; then
        ensure_apt python3
    fi
    local missing=() debian=()
    if ! python3 -c 'import yaml' >/dev/null 2>&1; then
        missing+=(pyyaml)
        debian+=(python3-yaml)
    fi
    if ! python3 -c 'import jsonschema' >/dev/null 2>&1; then
        missing+=(jsonschema)
        debian+=(python3-jsonschema)
    fi
    if [[ ${#missing[@]} -eq 0 ]]; then
        return 0
    fi
    local managed
    managed="$(python3 -c 'import os, sysconfig; print(os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")))' 2>/dev/null || echo False)"
    if [[ "$managed" == "True" && "$(command -v python3)" == /usr/bin/python3 ]]; then
        ensure_apt "${debian[@]}"
    else
        info "installing Python modules: ${missing[*]} (pip)"
        python3 -m pip install --quiet "${missing[@]}"
    fi
    python3 -c 'import yaml, jsonschema' >/dev/null 2>&1 \
        || die "python3 still cannot import yaml and jsonschema (pip install pyyaml jsonschema)"
}

# make_python_venv DIR: creates a Python venv in DIR, installing Debian's python3-venv when
# the system Python lacks it.
make_python_venv() {
    local venv="$1"
    if ! command -v python3 >/dev/null 2>&1; then
        ensure_apt python3
    fi
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    if python3 -m venv "$venv" >/dev/null 2>&1; then
        return 0
    fi
    rm -rf "$venv"
    if [[ "$(command -v python3)" == /usr/bin/python3 ]]; then
        ensure_apt python3-venv
        python3 -m venv "$venv" && return 0
    fi
    die "could not create a Python venv in $venv (python3 -m venv failed; on Debian: apt-get install python3-venv)"
}

# ensure_tool_venv VENV "PINS" [PIP_OPTION...]: makes sure the Python venv VENV holds exactly
# the pinned PyPI packages PINS (space-separated), creating it and installing them when the
# venv is missing or was made for other pins.
ensure_tool_venv() {
    local venv="$1" pins="$2"
    shift 2
    if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
        info "creating the venv $venv"
        make_python_venv "$venv"
    fi
    if [[ "$(cat "$venv/.alertd-pins" 2>/dev/null)" != "$pins" ]]; then
        info "installing $pins (pip, into $venv)"
        # shellcheck disable=SC2086
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@" $pins \
            || die "pip could not install $pins into $venv (PyPI must be reachable; remove $venv to start over)"
        printf '%s' "$pins" >"$venv/.alertd-pins"
    fi
}

# port_is_open HOST PORT: true when something accepts TCP connections on HOST:PORT.
port_is_open() {
    (exec 3<>"/dev/tcp/$1/$2") >/dev/null 2>&1
}

# show_log_tail FILE [LINES]: prints the end of a log file to stderr.
show_log_tail() {
    local file="$1" lines="${2:-40}"
    if [[ -s "$file" ]]; then
        printf -- '--- last %s lines of %s ---\n' "$lines" "$file" >&2
        tail -n "$lines" "$file" >&2
        printf -- '---\n' >&2
    else
        printf '(%s is empty)\n' "$file" >&2
    fi
}

# wait_for_healthz URL PID LOG [TIMEOUT_SECONDS]: waits until URL answers 2xx. Fails,
# showing the end of LOG, when the process PID exits first or the timeout (default 120s)
# passes.
wait_for_healthz() {
    local url="$1" pid="$2" log="$3" timeout="${4:-120}"
    local deadline=$((SECONDS + timeout))
    until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
        if ! kill -0 "$pid" 2>/dev/null; then
            printf 'error: alertd exited before %s answered\n' "$url" >&2
            show_log_tail "$log"
            return 1
        fi
        if ((SECONDS >= deadline)); then
            printf 'error: %s did not answer within %ss\n' "$url" "$timeout" >&2
            show_log_tail "$log"
            return 1
        fi
        sleep 0.5
    done
}

# stop_process PID [GRACE_SECONDS]: sends SIGTERM, waits up to GRACE_SECONDS (default 15)
# for a graceful exit, then sends SIGKILL.
stop_process() {
    local pid="$1" grace="${2:-15}"
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    local deadline=$((SECONDS + grace))
    while kill -0 "$pid" 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.2
    done
    wait "$pid" 2>/dev/null || true
}

#!/usr/bin/env bash
# Runs the test suite, whole or by stage:
#
#   scripts/test.sh [STAGE...] [SWIFT-TEST-ARGUMENT...]
#
# Stages, in the order they run (naming them in another order changes nothing):
#   tools        installs and reports the tools (Swift, Python modules, the Kafka test tools,
#                Debian's prometheus and prometheus-alertmanager)
#   schema       tenant schema checks: tenants/*/tenant.yaml valid, the broken fixture rejected
#   docs         scripts/check-docs.py: the documented flags, metrics, scopes and modules match
#                the code, and links between the documents resolve
#   deploy       deployment checks: Argo CD, Kubernetes manifests, dashboard, alert rules,
#                Dockerfile (scripts/check-deploy.sh), then Terraform (scripts/check-terraform.sh)
#   fuzz         scripts/fuzz.sh, FUZZ_SECONDS (default 60) per target
#   build        swift build --build-tests
#   api          schemathesis against openapi.yaml and a live alertd, then Debian's amtool against
#                that alertd's /api/v2 and a real Alertmanager, the answers checked against the
#                Alertmanager API v2 spec (scripts/check-api.sh, scripts/check-amtool.py), then
#                `alertd tenants validate tenants`, then `alertd tenants import` on the
#                Alertmanager configurations in Tests/Fixtures/alertmanager, routed the way
#                amtool routes them (scripts/check-alertmanager-import.py); builds alertd first
#                unless `build` runs too
#   browser      scripts/check-console.py: Selenium (PyPI, in a venv) drives Debian's headless
#                Chromium through the web console (/ui/) of a live `alertd serve --dev` with two
#                tenants whose webhooks go to scripts/demo-receiver.py; screenshots of every page
#                in ALERTD_SCREENSHOTS_DIR (default .build/console-screenshots); builds alertd
#                first unless `build` runs too
#   unit         swift test without the tests that need PostgreSQL, Kafka, or Debian's Prometheus
#                and Alertmanager (UNIT_SKIPS below); starts no server
#   integration  starts three throwaway PostgreSQL servers (one requires TLS) and three Kafka-protocol
#                brokers (tansu, from PyPI; one reached over TLS through stunnel4) and runs the whole
#                swift test
#
# With no stage, every stage but `unit` runs, in that order (`integration` runs every test).
# Arguments from the first one that starts with `-` on (or everything after `--`) go to
# `swift test`, in `unit` and `integration`:
#   scripts/test.sh --filter RatingTests          the full run, swift test filtered
#   scripts/test.sh unit --filter RatingEngineTests
#   scripts/test.sh schema docs                   two cheap stages
# Exits with the status of `swift test` when a stage runs it; any other failing step stops the
# script with its own status.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh
source scripts/postgres.sh
source scripts/kafka.sh

ALL_STAGES=(tools schema docs deploy fuzz build api browser unit integration)
DEFAULT_STAGES=(tools schema docs deploy fuzz build api browser integration)

# The browser stage's PyPI tools (its venv). Selenium is given Debian's chromium and
# chromedriver, so Selenium Manager never downloads a browser or a driver.
BROWSER_TOOL_PINS="selenium==4.51.0"

# Test suites that need a server or a binary the unit stage does not provide: PostgreSQL
# (ALERTD_TEST_DATABASE_URL, ALERTD_TEST_OUTAGE_*), Kafka (ALERTD_TEST_KAFKA_BROKERS,
# ALERTD_TEST_OUTAGE_KAFKA_*), or Debian's prometheus and prometheus-alertmanager. Every test
# function parameterized over `StoreBackend.allCases` (SQLite and PostgreSQL) is left out of
# `unit` as well; unit_skips finds those in Tests/. A pattern is matched against test ids
# such as `AlertdTests.KafkaPipelineTests/alertsPosted...(...)`.
UNIT_SKIPS=(
    TenantStoreConformanceTests
    PostgresIsolationTests
    PostgresTransactionTests
    PostgresReadinessTests
    PostgresResponseHistoryTests
    PostgresTLSTests/verifyFullConnectsWithTheServersAuthority
    PostgresTLSTests/requireEncryptsWithoutCheckingTheCertificate
    PostgresTLSTests/anotherAuthorityIsRefused
    PostgresTLSTests/theSystemsAuthoritiesDoNotVouchForATestCertificate
    PostgresTLSTests/plaintextIsRefusedByAServerThatRequiresTLS
    KafkaRoundTripTests
    KafkaTLSTests
    KafkaPipelineTests
    RouterCrashTests
    PostgresOutageTests
    TracingTests
    PrometheusCompatibilityTests
    PrometheusScrapeTests
)

usage() {
    sed -n '2,/^set -euo pipefail/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
}

# in_list WORD ITEM...: whether WORD is one of the ITEMs.
in_list() {
    local word="$1" item
    shift
    for item in "$@"; do
        [[ "$item" == "$word" ]] && return 0
    done
    return 1
}

is_stage() { in_list "$1" "${ALL_STAGES[@]}"; }

selected=()
swift_test_args=()
while (($# > 0)); do
    case "$1" in
        --)
            shift
            swift_test_args+=("$@")
            break
            ;;
        -*)
            swift_test_args+=("$@")
            break
            ;;
        help)
            usage
            exit 0
            ;;
        *)
            is_stage "$1" || die "unknown stage '$1'; stages: ${ALL_STAGES[*]} (scripts/test.sh help)"
            selected+=("$1")
            shift
            ;;
    esac
done
if [[ ${#selected[@]} -eq 0 ]]; then
    selected=("${DEFAULT_STAGES[@]}")
fi

selects() { in_list "$1" "${selected[@]}"; }

# ensure_kafka_tools: install_kafka_tools once per run (it exports the library path that
# with_rdkafka_runtime needs).
ensure_kafka_tools() {
    if [[ -z "${ALERTD_RDKAFKA_LIB_DIR:-}" ]]; then
        install_kafka_tools
    fi
}

# unit_skips: the `--skip` arguments of the unit stage.
unit_skips() {
    local pattern
    for pattern in "${UNIT_SKIPS[@]}"; do
        printf -- '--skip\n%s\n' "$pattern"
    done
    # `Suite/function` of every @Test(arguments: StoreBackend.allCases) function.
    find Tests -name '*.swift' -print0 | sort -z | xargs -0 awk '
        /^(@Suite[^{]*[[:space:]])?((public|final)[[:space:]]+)*(struct|class|extension)[[:space:]]+[A-Za-z_]+/ {
            line = $0
            sub(/.*(struct|class|extension)[[:space:]]+/, "", line)
            sub(/[^A-Za-z0-9_].*/, "", line)
            suite = line
        }
        /@Test\(.*StoreBackend\.allCases/ { pending = 1 }
        pending && /func[[:space:]]+[A-Za-z_]/ {
            name = $0
            sub(/.*func[[:space:]]+/, "", name)
            sub(/[^A-Za-z0-9_].*/, "", name)
            printf "--skip\n%s/%s\n", suite, name
            pending = 0
        }
    '
}

# build_alertd: builds the alertd binary for a stage that runs it, unless the build stage
# builds everything or an earlier stage of this run built it already.
ALERTD_BUILT=0
build_alertd() {
    if selects build || ((ALERTD_BUILT)); then
        return 0
    fi
    ensure_swift
    ensure_build_packages
    section "Build (debug): alertd"
    swift build --product alertd
    ALERTD_BUILT=1
}

# run_swift_test ARGUMENT...: runs swift test with the librdkafka the test brokers need and
# exits with its status when it fails.
run_swift_test() {
    local status=0
    with_rdkafka_runtime swift test "$@" || status=$?
    if [[ $status -ne 0 ]]; then
        section "swift test failed (exit status $status)"
        exit "$status"
    fi
}

stage_tools() {
    section "Tools"
    ensure_swift
    ensure_python_modules
    info "$(swift --version 2>&1 | head -n 1)"
    info "$(python3 --version 2>&1)"
    ensure_build_packages
    ensure_kafka_tools
    # The compatibility tests run the real Prometheus and Alertmanager against alertd.
    ensure_apt prometheus prometheus-alertmanager
}

stage_schema() {
    ensure_python_modules
    section "Tenant schema: tenants/*/tenant.yaml must be valid"
    python3 scripts/check-tenant-schema.py tenants

    section "Tenant schema: the broken fixture must be rejected"
    python3 scripts/check-tenant-schema.py --expect-invalid Tests/Fixtures/tenants-broken/broken
}

stage_docs() {
    command -v python3 >/dev/null 2>&1 || ensure_apt python3
    section "Documentation: flags, metrics, scopes, modules and links match the code"
    python3 scripts/check-docs.py
}

stage_deploy() {
    ensure_python_modules
    section "Deployment: Argo CD, Kubernetes manifests, dashboard, alert rules, Dockerfile"
    scripts/check-deploy.sh

    section "Terraform: fmt, validate, terraform test, checkov"
    scripts/check-terraform.sh
}

stage_fuzz() {
    section "Fuzzing: payload decoders, tokens, key sets and tenant parsers (${FUZZ_SECONDS:-60}s per target)"
    scripts/fuzz.sh
}

stage_build() {
    ensure_swift
    ensure_build_packages
    section "Build (debug, with tests)"
    swift build --build-tests
}

stage_api() {
    build_alertd
    section "API contract: schemathesis against openapi.yaml and a live alertd"
    scripts/check-api.sh .build/debug/alertd

    section "alertd tenants validate: the demo tenants load"
    .build/debug/alertd tenants validate tenants

    section "alertd tenants import: Alertmanager configurations route as amtool routes them"
    local work
    work="$(mktemp -d "${TMPDIR:-/tmp}/alertd-import.XXXXXX")"
    "${ALERTD_TOOLS_DIR:-$HOME/.cache/alertd-tools}/api-venv/bin/python" scripts/check-alertmanager-import.py \
        --alertd .build/debug/alertd --amtool /usr/bin/amtool --fixtures Tests/Fixtures/alertmanager --work "$work"
    rm -rf "$work"
}

stage_browser() {
    build_alertd
    ensure_apt chromium chromium-driver fonts-dejavu-core
    local venv="${ALERTD_TOOLS_DIR:-$HOME/.cache/alertd-tools}/browser-venv"
    ensure_tool_venv "$venv" "$BROWSER_TOOL_PINS"

    section "Web console: Selenium and headless Chromium against a live alertd"
    local work screenshots="${ALERTD_SCREENSHOTS_DIR:-.build/console-screenshots}" status=0
    work="$(mktemp -d "${TMPDIR:-/tmp}/alertd-console.XXXXXX")"
    "$venv/bin/python" scripts/check-console.py --alertd .build/debug/alertd --work "$work" \
        --screenshots "$screenshots" || status=$?
    if [[ $status -ne 0 ]]; then
        info "kept $work: alertd.log, receiver.log, chromedriver-*.log"
        die "the web console failed its browser test (screenshots in $screenshots)"
    fi
    rm -rf "$work"
}

stage_unit() {
    ensure_swift
    ensure_build_packages
    ensure_kafka_tools
    local skips=()
    mapfile -t skips < <(unit_skips)
    section "Swift tests without servers (unit)"
    run_swift_test "${skips[@]}" ${swift_test_args[@]+"${swift_test_args[@]}"}
}

stage_integration() {
    ensure_swift
    ensure_build_packages
    ensure_kafka_tools
    # The compatibility tests run the real Prometheus and Alertmanager against alertd.
    ensure_apt prometheus prometheus-alertmanager

    # The servers' ports lie below Linux's ephemeral range (32768-60999): no client socket and
    # no listener bound to a random port elsewhere on the machine can hold one when they start.
    section "PostgreSQL for the store tests"
    trap 'stop_test_postgres; stop_test_kafka' EXIT
    start_test_postgres "${ALERTD_TEST_PG_PORT:-25432}" ALERTD_TEST_DATABASE_URL ALERTD_TEST_PG_CTL
    # A second server that one test stops and starts again, away from the shared one.
    start_test_postgres "${ALERTD_TEST_OUTAGE_PG_PORT:-25433}" ALERTD_TEST_OUTAGE_DATABASE_URL ALERTD_TEST_OUTAGE_PG_CTL
    # A third that requires TLS, with a certificate authority made for the run.
    start_test_postgres_tls "${ALERTD_TEST_TLS_PG_PORT:-25434}" ALERTD_TEST_TLS_DATABASE_URL ALERTD_TEST_TLS_CA ALERTD_TEST_TLS_WRONG_CA

    section "Kafka for the Kafka tests"
    start_test_kafka "${ALERTD_TEST_KAFKA_PORT:-29092}" ALERTD_TEST_KAFKA_BROKERS ALERTD_TEST_KAFKA_CTL
    # A second broker that one test stops and starts again, away from the shared one.
    start_test_kafka "${ALERTD_TEST_OUTAGE_KAFKA_PORT:-29093}" ALERTD_TEST_OUTAGE_KAFKA_BROKERS ALERTD_TEST_OUTAGE_KAFKA_CTL
    # A third that clients reach over TLS only, through stunnel4.
    start_test_kafka_tls "${ALERTD_TEST_TLS_KAFKA_PORT:-29094}" "${ALERTD_TEST_TLS_KAFKA_PROXY_PORT:-29095}" \
        ALERTD_TEST_KAFKA_TLS_BROKERS ALERTD_TEST_KAFKA_TLS_CA

    section "Swift tests"
    # Every server a test needs runs now: a test that finds one missing fails instead of
    # cancelling itself as it does under a plain `swift test` (TestServices).
    ALERTD_TEST_REQUIRE_SERVICES=1 run_swift_test ${swift_test_args[@]+"${swift_test_args[@]}"}
}

for stage in "${ALL_STAGES[@]}"; do
    if selects "$stage"; then
        "stage_$stage"
    fi
done

if selects unit || selects integration; then
    section "All tests passed"
else
    section "Passed: ${selected[*]}"
fi

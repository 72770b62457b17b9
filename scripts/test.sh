#!/usr/bin/env bash
# Runs the whole test suite: the tenant schema checks, then the Swift build and tests, with
# throwaway PostgreSQL servers (installed from Debian's packages if missing) for the store
# tests and a throwaway Kafka-protocol broker (tansu, from PyPI) for the Kafka tests.
# Arguments are passed to `swift test`, e.g.  scripts/test.sh --filter RatingTests
# Exits with the status of `swift test`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh
source scripts/postgres.sh
source scripts/kafka.sh

section "Tools"
ensure_swift
ensure_python_modules
info "$(swift --version 2>&1 | head -n 1)"
info "$(python3 --version 2>&1)"
install_kafka_tools
# The compatibility tests run the real Prometheus and Alertmanager against alertd.
ensure_apt prometheus prometheus-alertmanager

section "Tenant schema: tenants/*/tenant.yaml must be valid"
python3 scripts/check-tenant-schema.py tenants

section "Tenant schema: the broken fixture must be rejected"
python3 scripts/check-tenant-schema.py --expect-invalid Tests/Fixtures/tenants-broken/broken

section "Deployment: Argo CD, Kubernetes manifests, dashboard, alert rules, Dockerfile"
scripts/check-deploy.sh

section "Terraform: fmt, validate, terraform test, checkov"
scripts/check-terraform.sh

section "Fuzzing: payload decoders, tokens, key sets and tenant parsers (${FUZZ_SECONDS:-60}s per target)"
scripts/fuzz.sh

section "Build (debug, with tests)"
swift build --build-tests

section "API contract: schemathesis against openapi.yaml and a live alertd"
scripts/check-api.sh .build/debug/alertd

section "alertd tenants validate: the demo tenants load"
.build/debug/alertd tenants validate tenants

section "PostgreSQL for the store tests"
trap 'stop_test_postgres; stop_test_kafka' EXIT
start_test_postgres "${ALERTD_TEST_PG_PORT:-55432}" ALERTD_TEST_DATABASE_URL ALERTD_TEST_PG_CTL
# A second server that one test stops and starts again, away from the shared one.
start_test_postgres "${ALERTD_TEST_OUTAGE_PG_PORT:-55433}" ALERTD_TEST_OUTAGE_DATABASE_URL ALERTD_TEST_OUTAGE_PG_CTL

section "Kafka for the Kafka tests"
start_test_kafka "${ALERTD_TEST_KAFKA_PORT:-55492}" ALERTD_TEST_KAFKA_BROKERS ALERTD_TEST_KAFKA_CTL
# A second broker that one test stops and starts again, away from the shared one.
start_test_kafka "${ALERTD_TEST_OUTAGE_KAFKA_PORT:-55493}" ALERTD_TEST_OUTAGE_KAFKA_BROKERS ALERTD_TEST_OUTAGE_KAFKA_CTL

section "Swift tests"
status=0
with_rdkafka_runtime swift test "$@" || status=$?

if [[ $status -eq 0 ]]; then
    section "All tests passed"
else
    section "swift test failed (exit status $status)"
fi
exit "$status"

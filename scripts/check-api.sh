#!/usr/bin/env bash
# Runs schemathesis (PyPI) against openapi.yaml and a live alertd: `alertd serve --dev` on
# a copy of the demo tenants with a token holding every scope. Every response must match
# the spec (status, content type, headers, body schema), no request may get a 5xx, an
# undeclared method must get 405, and schema-valid bodies must be accepted except where
# schemathesis.toml explains why not.
#
# Then scripts/check-amtool.py drives Debian's amtool (prometheus-alertmanager) through
# one scenario against that alertd's Alertmanager API v2 (/api/v2, tenant acme) and against
# a throwaway real Alertmanager: every command must succeed on both and alertd's JSON must
# have every key Alertmanager's has. Each /api/v2 answer is validated against the
# Alertmanager spec in ../shared/schemas/alertmanager/openapi-v2.yaml; no token must get
# 401, and a globex token must not see or change acme's silences and alerts.
#
#   scripts/check-api.sh [BINARY]      (default .build/debug/alertd; build it first)
#
# Tools: a Python venv under ${ALERTD_TOOLS_DIR:-~/.cache/alertd-tools}/api-venv with the
# pinned schemathesis, jsonschema and PyYAML; Debian's prometheus-alertmanager (amtool).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

API_TOOL_PINS="schemathesis==4.32.5 jsonschema==4.26.0 PyYAML==6.0.4"
binary="${1:-.build/debug/alertd}"
[[ -x "$binary" ]] || die "$binary is missing; run swift build first"

venv="${ALERTD_TOOLS_DIR:-$HOME/.cache/alertd-tools}/api-venv"
ensure_tool_venv "$venv" "$API_TOOL_PINS"
ensure_apt prometheus-alertmanager

work="$(mktemp -d "${TMPDIR:-/tmp}/alertd-api.XXXXXX")"
port="${ALERTD_API_CHECK_PORT:-18480}"
cp -r tenants "$work/tenants"
"$binary" serve --dev --tenants "$work/tenants" --data-dir "$work/data" --port "$port" --log-level warning >"$work/alertd.log" 2>&1 &
pid=$!
trap 'stop_process "$pid"; rm -rf "$work"' EXIT
wait_for_healthz "http://127.0.0.1:$port/readyz" "$pid" "$work/alertd.log" 60

token="$("$binary" token --tenant acme --tenants "$work/tenants" --data-dir "$work/data" --ttl 1h \
    --scope alerts:write --scope alerts:read --scope alerts:ack --scope silences:write --scope tenant:admin)"

section "schemathesis: openapi.yaml against a live alertd"
# One worker: with two, hypothesis (under schemathesis) now and then fails inside itself
# ("AST constructor recursion depth mismatch"), which says nothing about alertd.
status=0
"$venv/bin/schemathesis" --config-file schemathesis.toml --no-color run openapi.yaml --url "http://127.0.0.1:$port" \
    --header "Authorization: Bearer $token" --checks all --max-examples "${API_CHECK_EXAMPLES:-50}" --seed 1 \
    --workers 1 >"$work/schemathesis.log" 2>&1 || status=$?
sed -n '/SUMMARY/,$p' "$work/schemathesis.log"
if [[ $status -ne 0 ]]; then
    sed -n '/= \(ERRORS\|FAILURES\) =/,/= SUMMARY =/p' "$work/schemathesis.log" | head -n 200
    grep -h '"level":"error"' "$work/alertd.log" | tail -n 20 || true
    die "schemathesis found responses that do not match openapi.yaml"
fi

# A second tenant's token, for the isolation checks: it must not reach acme's silences.
other_token="$("$binary" token --tenant globex --tenants "$work/tenants" --data-dir "$work/data" --ttl 1h \
    --scope alerts:read --scope alerts:write --scope silences:write)"

section "amtool: alertd's Alertmanager API v2 next to a real Alertmanager"
status=0
"$venv/bin/python" scripts/check-amtool.py --alertd "http://127.0.0.1:$port" --token "$token" --other-token "$other_token" \
    --alertmanager-binary /usr/bin/prometheus-alertmanager --amtool /usr/bin/amtool --work "$work/amtool" || status=$?
if [[ $status -ne 0 ]]; then
    grep -h '"level":"error"' "$work/alertd.log" | tail -n 20 || true
    die "amtool or the Alertmanager API v2 spec found answers of alertd's /api/v2 that Alertmanager's clients cannot use"
fi

#!/usr/bin/env bash
# Builds alertd and runs `alertd serve --dev` on the demo tenants in tenants/ with a local
# notification receiver (scripts/demo-receiver.py on 127.0.0.1:9099, which prints every
# notification it takes), then prints how to open the web console, a token, and the curl
# commands to post and list alerts as tenant acme.
#
# Environment: ALERTD_DATA_DIR (default .alertd), ALERTD_PORT (default 8080) and the other
# ALERTD_* variables that `alertd serve` reads. ACME_WEBHOOK_SECRET defaults to
# "dev-secret" so the demo webhook receivers can sign their payloads; acme's Slack and
# payments receivers (ACME_SLACK_WEBHOOK_URL, ACME_PAYMENTS_WEBHOOK_URL) default to the
# local receiver too. DEMO_RECEIVER_PORT (default 9099) moves the receiver; acme's
# audit-webhook in tenants/acme/tenant.yaml names port 9099.
#
# Ctrl-C (or SIGTERM to this script) shuts the server down gracefully.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

DATA_DIR="${ALERTD_DATA_DIR:-.alertd}"
PORT="${ALERTD_PORT:-8080}"
HOST="${ALERTD_HOST:-127.0.0.1}"
TENANTS_DIR="${ALERTD_TENANTS:-tenants}"
case "$HOST" in
    0.0.0.0 | "::" | "[::]") URL_HOST=127.0.0.1 ;;
    *) URL_HOST="$HOST" ;;
esac
BASE_URL="http://$URL_HOST:$PORT"
RECEIVER_PORT="${DEMO_RECEIVER_PORT:-9099}"
export ACME_WEBHOOK_SECRET="${ACME_WEBHOOK_SECRET:-dev-secret}"
export ACME_SLACK_WEBHOOK_URL="${ACME_SLACK_WEBHOOK_URL:-http://127.0.0.1:$RECEIVER_PORT/oncall-slack}"
export ACME_PAYMENTS_WEBHOOK_URL="${ACME_PAYMENTS_WEBHOOK_URL:-http://127.0.0.1:$RECEIVER_PORT/payments}"

section "Tools"
ensure_swift
ensure_apt curl
command -v python3 >/dev/null 2>&1 || ensure_apt python3
ensure_build_packages
info "$(command -v swift)"

section "Build (debug)"
swift build
BIN="$PWD/.build/debug/alertd"
[[ -x "$BIN" ]] || die "$BIN was not built"

section "Start alertd on $BASE_URL"
if port_is_open "$URL_HOST" "$PORT"; then
    die "something is already listening on $URL_HOST:$PORT; stop it or set ALERTD_PORT"
fi
mkdir -p "$DATA_DIR"
LOG="$DATA_DIR/serve.log"
: >"$LOG"
info "data dir $DATA_DIR, log $LOG"

SERVER_PID=""
TAIL_PID=""
RECEIVER_PID=""
SIGNALLED=0

cleanup() {
    if [[ -n "$SERVER_PID" ]]; then
        stop_process "$SERVER_PID" 20
    fi
    if [[ -n "$RECEIVER_PID" ]]; then
        stop_process "$RECEIVER_PID" 5
    fi
    if [[ -n "$TAIL_PID" ]]; then
        kill "$TAIL_PID" 2>/dev/null || true
    fi
}

# A background process of a non-interactive shell ignores SIGINT, so Ctrl-C is turned
# into a SIGTERM for the server, which starts its graceful shutdown. A second Ctrl-C
# kills it.
on_signal() {
    [[ -n "$SERVER_PID" ]] || exit 130
    SIGNALLED=$((SIGNALLED + 1))
    if ((SIGNALLED == 1)); then
        printf '\nstopping alertd (pid %s)...\n' "$SERVER_PID" >&2
        kill -TERM "$SERVER_PID" 2>/dev/null || true
    else
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
}

trap cleanup EXIT
trap on_signal INT TERM

if port_is_open 127.0.0.1 "$RECEIVER_PORT"; then
    warn "something already listens on 127.0.0.1:$RECEIVER_PORT; the demo receivers deliver to it"
else
    python3 scripts/demo-receiver.py --host 127.0.0.1 --port "$RECEIVER_PORT" --secret "$ACME_WEBHOOK_SECRET" &
    RECEIVER_PID=$!
    info "demo receiver on 127.0.0.1:$RECEIVER_PORT (pid $RECEIVER_PID): notifications are printed here"
fi

"$BIN" serve --dev --data-dir "$DATA_DIR" --port "$PORT" 2>>"$LOG" &
SERVER_PID=$!

wait_for_healthz "$BASE_URL/healthz" "$SERVER_PID" "$LOG" 120
info "alertd is up (pid $SERVER_PID)"

TENANT_IDS=""
for dir in "$TENANTS_DIR"/*/; do
    if [[ -f "$dir/tenant.yaml" ]]; then TENANT_IDS+="${TENANT_IDS:+, }$(basename "$dir")"; fi
done

TOKEN="$("$BIN" token --tenant acme \
    --scope alerts:write --scope alerts:read --scope alerts:ack \
    --ttl 12h --data-dir "$DATA_DIR")" || die "could not mint a token for tenant acme"

cat <<EOF

alertd is serving the tenants in $TENANTS_DIR ($TENANT_IDS) on $BASE_URL.

Web console: open $BASE_URL/ui/ and pick a demo tenant under "Development", or paste the
token below. acme's notifications go to the demo receiver, which prints them here; globex's
receivers read their secrets from /run/secrets (its container example), so its deliveries
wait (and show why on the console's Deliveries page) until those files exist.

Try the API from another terminal (the token is for tenant acme, valid 12h):

  TOKEN='$TOKEN'

  # post a critical alert
  curl -sS -X POST $BASE_URL/v1/alerts \\
    -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' \\
    -d '{"labels":{"alertname":"HighErrorRate","service":"checkout","severity":"critical"},"annotations":{"summary":"5xx ratio above 5% for 10 minutes"},"source":"prometheus"}'

  # list the tenant's alerts
  curl -sS "$BASE_URL/v1/alerts?status=firing" -H "Authorization: Bearer \$TOKEN"

  # a new token:  $BIN token --tenant acme --scope alerts:write --scope alerts:read --scope alerts:ack --data-dir $DATA_DIR

Stop: press Ctrl-C here, or run  kill -TERM $$
Server log (JSON lines) follows; it is also in $LOG.

EOF

tail -n +1 -f --pid="$SERVER_PID" "$LOG" >&2 &
TAIL_PID=$!

# `wait` returns early when a trapped signal arrives; keep waiting until the server exits.
while true; do
    if wait "$SERVER_PID"; then status=0; else status=$?; fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
done
SERVER_PID=""
sleep 0.3
if ((SIGNALLED > 0)); then
    printf 'alertd stopped (exit status %s)\n' "$status" >&2
    exit 0
fi
printf 'alertd exited with status %s\n' "$status" >&2
exit "$status"

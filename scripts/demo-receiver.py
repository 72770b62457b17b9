#!/usr/bin/env python3
"""A local HTTP receiver for alertd's notifications, for demos and tests.

    scripts/demo-receiver.py [--port 9099] [--host 127.0.0.1] [--secret SECRET]

Every POST to any path outside /-/ is a notification: the receiver prints one line about it
to stdout, for example

    [/shop] FIRING HighErrorRate service=checkout (2 alerts)
    [/oncall] SLACK [FIRING:1] HighErrorRate (P1, 0.91): checkout error ratio above 5%

and answers 200 with the body `ok` (what a Slack incoming webhook answers). It reads
alertd's webhook body (Alertmanager's webhook payload, version 4, with alertd's `tenant`
and per-alert `rating`), Slack's incoming-webhook message (`text`, `blocks`,
`attachments`) and, less specifically, any other body. With --secret, a webhook's
`X-Alertd-Signature` (HMAC-SHA256 of the body) is checked and a bad one is flagged.

Controls, for tests:

    POST /-/fail      {"status": 400, "count": 2}: the next 2 notifications are answered 400
                      (status defaults to 500; without count, every one until /-/recover)
    POST /-/recover   answer 200 again
    GET  /-/received  a JSON list of every notification received so far, failed ones too:
                      {"path", "time", "answered" (the status answered), "headers" (the
                      X-Alertd-* ones), "body" (parsed JSON, else text), "signatureValid"
                      (with --secret)}
    POST /-/reset     forget what was received and recover

Runs until SIGTERM or SIGINT. Needs Python 3.8+ and nothing outside its standard library.
"""

import argparse
import hashlib
import hmac
import html
import json
import signal
import sys
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY_BYTES = 16 * 1024 * 1024
LINE_LIMIT = 240


# ------------------------------------------------------------------------------ state


class Receiver:
    """What was received and how the next notifications are to be answered."""

    def __init__(self, secret=None):
        self.secret = secret
        self.lock = threading.Lock()
        self.received = []
        self.fail_status = None
        self.fail_remaining = None  # None: until recovered

    def fail(self, status, count):
        with self.lock:
            self.fail_status = status
            self.fail_remaining = count

    def recover(self):
        with self.lock:
            self.fail_status = None
            self.fail_remaining = None

    def reset(self):
        with self.lock:
            self.received.clear()
            self.fail_status = None
            self.fail_remaining = None

    def answer_for_next(self):
        """The status the next notification gets, counting down a limited failure."""
        with self.lock:
            if self.fail_status is None:
                return 200
            status = self.fail_status
            if self.fail_remaining is not None:
                self.fail_remaining -= 1
                if self.fail_remaining <= 0:
                    self.fail_status = None
                    self.fail_remaining = None
            return status

    def record(self, entry):
        with self.lock:
            self.received.append(entry)

    def snapshot(self):
        with self.lock:
            return list(self.received)


# ------------------------------------------------------------------------------ describing bodies


def clip(text, limit=LINE_LIMIT):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slack_text(text):
    """Slack mrkdwn as plain text: entities decoded, <url|label> links shown by label."""
    out, rest = [], str(text)
    while "<" in rest and ">" in rest.split("<", 1)[1]:
        before, after = rest.split("<", 1)
        link, rest = after.split(">", 1)
        out.append(before)
        out.append(link.split("|", 1)[1] if "|" in link else link)
    out.append(rest)
    return html.unescape("".join(out))


def describe_webhook(body):
    """`FIRING HighErrorRate service=checkout (2 alerts)` for an Alertmanager-style body."""
    alerts = [a for a in body.get("alerts") or [] if isinstance(a, dict)]
    group = body.get("groupLabels") if isinstance(body.get("groupLabels"), dict) else {}
    common = body.get("commonLabels") if isinstance(body.get("commonLabels"), dict) else {}
    first = alerts[0].get("labels") if alerts and isinstance(alerts[0].get("labels"), dict) else {}
    name = group.get("alertname") or common.get("alertname") or first.get("alertname") or "(no alertname)"
    others = " ".join(f"{key}={value}" for key, value in sorted(group.items()) if key != "alertname")
    count = len(alerts)
    truncated = body.get("truncatedAlerts")
    if isinstance(truncated, int) and truncated > 0:
        count += truncated
    status = str(body.get("status") or "?").upper()
    parts = [status, str(name)]
    if others:
        parts.append(others)
    parts.append(f"({count} alert{'' if count == 1 else 's'})")
    scores = [a.get("rating", {}).get("score") for a in alerts if isinstance(a.get("rating"), dict)]
    scores = [s for s in scores if isinstance(s, (int, float))]
    if scores:
        parts.append(f"top score {max(scores):.2f}")
    if body.get("tenant"):
        parts.append(f"tenant={body['tenant']}")
    return " ".join(parts)


def describe_slack(body):
    """`SLACK <text>` for a Slack incoming-webhook message."""
    text = body.get("text")
    if not text:
        for block in body.get("blocks") or []:
            if isinstance(block, dict) and isinstance(block.get("text"), dict) and block["text"].get("text"):
                text = block["text"]["text"]
                break
    if not text:
        for attachment in body.get("attachments") or []:
            if isinstance(attachment, dict):
                text = attachment.get("fallback") or attachment.get("title") or attachment.get("text")
                if text:
                    break
    blocks = len(body.get("blocks") or [])
    suffix = f" ({blocks} block{'' if blocks == 1 else 's'})" if blocks else ""
    return f"SLACK {clip(slack_text(text or '(no text)'))}{suffix}"


def describe(body, raw, content_type):
    if isinstance(body, dict):
        if isinstance(body.get("alerts"), list) and "status" in body:
            return describe_webhook(body)
        if any(key in body for key in ("text", "blocks", "attachments")):
            return describe_slack(body)
        return f"JSON {clip(json.dumps(body, separators=(',', ':'), ensure_ascii=False), 200)}"
    if body is not None:
        return f"JSON {clip(json.dumps(body, separators=(',', ':'), ensure_ascii=False), 200)}"
    if not raw:
        return "empty body"
    return f"{len(raw)} bytes of {content_type or 'unknown content type'}"


def parse_body(raw):
    """(parsed JSON or None, the body as text)."""
    text = raw.decode("utf-8", "replace")
    try:
        return json.loads(text), text
    except ValueError:
        return None, text


# ------------------------------------------------------------------------------ HTTP


def emit(line):
    try:
        print(line, flush=True)
    except (BrokenPipeError, ValueError):
        pass


class Handler(BaseHTTPRequestHandler):
    server_version = "alertd-demo-receiver"
    protocol_version = "HTTP/1.1"

    @property
    def receiver(self):
        return self.server.receiver

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # one line per notification on stdout is the log

    def read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks, total = [], 0
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    break
                total += size
                if total > MAX_BODY_BYTES:
                    raise ValueError("body too large")
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            raise ValueError("body too large")
        return self.rfile.read(length) if length > 0 else b""

    def reply(self, status, body, content_type="text/plain; charset=utf-8"):
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def reply_json(self, status, value):
        self.reply(status, json.dumps(value, indent=1, ensure_ascii=False) + "\n", "application/json")

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/-/received":
            self.reply_json(200, self.receiver.snapshot())
        elif path in ("/", "/-/", "/-/healthy"):
            self.reply(200, "alertd demo receiver: POST notifications to any path; "
                            "GET /-/received, POST /-/fail, /-/recover, /-/reset\n")
        else:
            self.reply(404, "not found\n")

    do_HEAD = do_GET

    def do_POST(self):
        try:
            raw = self.read_body()
        except (ValueError, OSError) as error:
            self.close_connection = True
            self.reply(400, f"cannot read the body: {error}\n")
            return
        path = self.path.split("?", 1)[0]
        if path.startswith("/-/"):
            self.control(path, raw)
        else:
            self.notification(raw)

    do_PUT = do_POST

    def control(self, path, raw):
        if path == "/-/fail":
            body, _ = parse_body(raw)
            body = body if isinstance(body, dict) else {}
            status, count = body.get("status", 500), body.get("count")
            if not isinstance(status, int) or isinstance(status, bool) or not 200 <= status <= 599:
                self.reply(400, "status must be a whole number from 200 to 599\n")
                return
            if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 1):
                self.reply(400, "count must be a whole number of at least 1, or left out\n")
                return
            self.receiver.fail(status, count)
            emit(f"[control] answering {status} to the next {count} notification(s)" if count
                 else f"[control] answering {status} until /-/recover")
            self.reply_json(200, {"status": status, "count": count})
        elif path == "/-/recover":
            self.receiver.recover()
            emit("[control] answering 200 again")
            self.reply_json(200, {"status": 200})
        elif path == "/-/reset":
            self.receiver.reset()
            emit("[control] forgot what was received")
            self.reply_json(200, {"status": 200})
        else:
            self.reply(404, "unknown control; use /-/fail, /-/recover, /-/reset or GET /-/received\n")

    def notification(self, raw):
        body, text = parse_body(raw)
        status = self.receiver.answer_for_next()
        entry = {
            "path": self.path,
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "answered": status,
            "headers": {name: value for name, value in self.headers.items() if name.lower().startswith("x-alertd-")},
            "body": body if body is not None else text,
        }
        line = f"[{self.path}] {describe(body, raw, self.headers.get('Content-Type'))}"
        if self.receiver.secret is not None and self.headers.get("X-Alertd-Signature"):
            expected = "sha256=" + hmac.new(self.receiver.secret.encode(), raw, hashlib.sha256).hexdigest()
            entry["signatureValid"] = hmac.compare_digest(expected, self.headers["X-Alertd-Signature"])
            if not entry["signatureValid"]:
                line += " [BAD SIGNATURE]"
        if status != 200:
            line += f" -> answered {status}"
        self.receiver.record(entry)
        emit(line)
        if status == 200:
            self.reply(200, "ok")
        else:
            self.reply(status, f"demo-receiver: failing on purpose ({status})\n")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, receiver):
        super().__init__(address, Handler)
        self.receiver = receiver


# ------------------------------------------------------------------------------ main


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=9099, help="port to listen on (default 9099; 0 picks a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--secret", default=None, help="check X-Alertd-Signature with this webhook secret")
    args = parser.parse_args()

    try:
        server = Server((args.host, args.port), Receiver(secret=args.secret))
    except OSError as error:
        print(f"demo-receiver: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1

    stop = threading.Event()

    def on_signal(signum, _frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    serving.start()
    host, port = server.server_address[:2]
    print(f"demo-receiver: listening on http://{host}:{port}/ (stop with Ctrl-C)", file=sys.stderr, flush=True)
    while not stop.wait(1.0):
        pass
    server.shutdown()
    server.server_close()
    print("demo-receiver: stopped", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

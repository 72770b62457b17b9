#!/usr/bin/env python3
"""Drive the real amtool against alertd's Alertmanager API v2 and a real Alertmanager.

Usage:
  check-amtool.py --alertd URL --token TOKEN [--other-token TOKEN]
                  [--alertmanager-binary PATH] [--amtool PATH] --work DIR [--spec PATH]
  check-amtool.py --only-alertmanager [--alertmanager-binary PATH] [--amtool PATH] --work DIR

Starts a throwaway Alertmanager (--alertmanager-binary, default
/usr/bin/prometheus-alertmanager) on a free loopback port, with its storage and config in
DIR, clustering off, and stops it on exit, failed or not. Then, for each target (that
Alertmanager, and alertd at URL with `Authorization: Bearer TOKEN` through amtool's
--http.config.file):

  1. amtool (--amtool, default /usr/bin/amtool) runs one scenario: two alerts added, alerts
     queried (all, by matcher, silenced, by receiver), a silence added, queried and expired,
     the config and routing tree shown, the cluster shown. Every command must exit 0 and its
     output must show what the scenario did. For the `-o json` commands, every key that
     Alertmanager's output has (recursively; for a list the union over its elements; label
     sets are not descended into) must appear in alertd's output too: alertd may add keys.
  2. Without amtool, each GET endpoint's JSON body (and POST /api/v2/silences' answer) is
     validated against the schema that the Alertmanager API v2 spec (--spec, default
     ../shared/schemas/alertmanager/openapi-v2.yaml beside the repository) names for its
     200 answer, resolved against the spec's `definitions` (JSON Schema draft 4, date-time
     checked as RFC 3339). Silences are updated and expired over HTTP.
  3. Against alertd only: no token or a bad token gets 401 everywhere; a silence with
     `matchers: []` gets 400 (application/problem+json, or Alertmanager's JSON string);
     with --other-token (another tenant's token) this tenant's silence and alerts are
     invisible, and that tenant can neither expire nor update the silence (404).

Alertmanager 0.25 (Debian's) predates fields the 0.34 spec requires (alertStatus.mutedBy,
alertGroup.routeLabels, gettableSilence.annotations); its answers are validated strictly,
and where only those fields are missing they pass as a NOTE. alertd is held to the full
0.34 spec.

--only-alertmanager runs everything against the real Alertmanager alone (no alertd, no
token): a check of this checker and of the spec validation.

Prints a PASS/FAIL table of the amtool commands per target, the HTTP checks, and the stderr
of every failed command. Exits 0 when everything passed, 1 when anything failed, 2 on a
usage problem or when the Alertmanager could not be started.
"""

import argparse
import copy
import ctypes
import datetime
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

try:
    import jsonschema
    import yaml
except ImportError as error:  # pragma: no cover - depends on the environment
    sys.exit(f"check-amtool.py needs jsonschema and PyYAML ({error}); scripts/check-api.sh installs them in its venv")

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = ROOT.parent / "shared" / "schemas" / "alertmanager" / "openapi-v2.yaml"
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
RFC3339_RE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$")
# Keys whose values are label sets: their keys come from the data, not from the API's shape.
LABEL_SET_KEYS = {"labels", "annotations", "routeLabels"}
# Fields the 0.34 spec requires that Alertmanager 0.25 does not send yet: (definition, field).
AM_025_GAPS = [("alertStatus", "mutedBy"), ("alertGroup", "routeLabels"), ("gettableSilence", "annotations")]
POLL_SECONDS = 20.0

ALERTMANAGER_CONFIG = """\
# Written by scripts/check-amtool.py: a throwaway Alertmanager for amtool to compare with.
route:
  receiver: default-webhook
  group_by: [alertname]
  group_wait: 1s
  group_interval: 5m
  repeat_interval: 4h
  routes:
    - matchers: ['severity="critical"']
      receiver: critical-webhook
receivers:
  - name: default-webhook
    webhook_configs: [{url: "http://127.0.0.1:1/default", send_resolved: false}]
  - name: critical-webhook
    webhook_configs: [{url: "http://127.0.0.1:1/critical", send_resolved: false}]
"""


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc)


def rfc3339(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


# ---------------------------------------------------------------------------------------
# Results


class Report:
    def __init__(self):
        self.rows = []  # (group, target, name, status, detail); status PASS, FAIL, NOTE, SKIP

    def add(self, group, target, name, ok, detail=""):
        status = "PASS" if ok else "FAIL"
        self.rows.append((group, target, name, status, detail))
        return ok

    def note(self, group, target, name, detail):
        self.rows.append((group, target, name, "NOTE", detail))

    def skip(self, group, target, name, detail):
        self.rows.append((group, target, name, "SKIP", detail))

    def failures(self):
        return [row for row in self.rows if row[3] == "FAIL"]


class StepResult:
    def __init__(self, label, argv, proc, error, parsed):
        self.label = label
        self.argv = argv
        self.proc = proc
        self.error = error  # None when the step passed
        self.parsed = parsed

    @property
    def ok(self):
        return self.error is None


# ---------------------------------------------------------------------------------------
# HTTP


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def content_type(self):
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def describe(self):
        text = self.body.decode("utf-8", "replace")
        return f"{self.status} {self.content_type or '(no content type)'}: {text[:300]}"


def http(method, url, token=None, body=None, timeout=15):
    data = None
    headers = {"Accept": "application/json"}
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return Response(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read())
    except (urllib.error.URLError, OSError) as error:
        return Response(0, {}, f"request failed: {error}".encode())


# ---------------------------------------------------------------------------------------
# Targets


class Target:
    def __init__(self, name, url, token, amtool, work):
        self.name = name
        self.url = url.rstrip("/")
        self.token = token
        self.amtool_path = amtool
        self.http_config = None
        if token is not None:
            self.http_config = work / f"amtool-http-{name}.yml"
            self.http_config.write_text(
                "authorization:\n  type: Bearer\n  credentials: " + json.dumps(token) + "\n")
            self.http_config.chmod(0o600)
        self.env = dict(os.environ, HOME=str(work))  # no ~/.config/amtool/config.yml of the user's

    def api(self, method, path, body=None, token="default"):
        return http(method, self.url + "/api/v2" + path, self.token if token == "default" else token, body)

    def amtool_argv(self, args):
        argv = [self.amtool_path, f"--alertmanager.url={self.url}", "--timeout=20s"]
        if self.http_config is not None:
            argv.append(f"--http.config.file={self.http_config}")
        return argv + list(args)

    def amtool(self, args):
        argv = self.amtool_argv(args)
        try:
            return subprocess.run(argv, env=self.env, capture_output=True, text=True, timeout=60, check=False)
        except subprocess.TimeoutExpired as error:
            return subprocess.CompletedProcess(argv, 124, error.stdout or "", f"timed out after 60s\n{error.stderr or ''}")


def set_parent_death_signal():
    """Runs in the Alertmanager child: it gets SIGTERM when this checker dies, even by SIGKILL."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Alertmanager:
    def __init__(self, binary, work):
        self.binary = binary
        self.dir = work / "alertmanager"
        self.log_path = self.dir / "alertmanager.log"
        self.process = None
        self.url = None

    def start(self, timeout=60):
        self.dir.mkdir(parents=True, exist_ok=True)
        config = self.dir / "alertmanager.yml"
        config.write_text(ALERTMANAGER_CONFIG)
        shutil.rmtree(self.dir / "data", ignore_errors=True)  # no silences or alerts of an earlier run
        for _ in range(3):
            port = free_port()
            self.url = f"http://127.0.0.1:{port}"
            log = open(self.log_path, "w")
            self.process = subprocess.Popen(
                [self.binary, f"--config.file={config}", f"--storage.path={self.dir / 'data'}",
                 f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=", "--log.level=warn"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, preexec_fn=set_parent_death_signal)
            log.close()
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    break
                if http("GET", self.url + "/-/ready", timeout=2).status == 200:
                    return
                time.sleep(0.3)
            if self.process.poll() is None:
                self.stop()
                raise RuntimeError(f"Alertmanager did not answer {self.url}/-/ready within {timeout}s\n{self.log_tail()}")
            # Exited: most likely lost the port to someone else; try another.
        raise RuntimeError(f"Alertmanager exited at start (status {self.process.returncode})\n{self.log_tail()}")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines=30):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


# ---------------------------------------------------------------------------------------
# JSON shapes and schemas


def shape(value, prefix="", keys=None):
    """The set of key paths in a JSON value: lists give `[]`, label sets are not descended into,
    and a key whose value is null counts as absent (amtool prints every field of its Go models,
    null for one the server left out)."""
    if keys is None:
        keys = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if item is None:
                continue
            path = f"{prefix}.{key}" if prefix else key
            keys.add(path)
            if key not in LABEL_SET_KEYS:
                shape(item, path, keys)
    elif isinstance(value, list):
        for item in value:
            shape(item, prefix + "[]", keys)
    return keys


def is_date_time(value):
    if not isinstance(value, str):
        return True
    match = RFC3339_RE.match(value)
    if not match:
        return False
    try:
        datetime.datetime.strptime(f"{match.group(1)}T{match.group(2)}", "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return False
    if match.group(5) is not None and (int(match.group(5)) > 23 or int(match.group(6)) > 59):
        return False
    return True


def is_uri(value):
    return not isinstance(value, str) or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S*$", value) is not None


FORMATS = jsonschema.FormatChecker(formats=())
FORMATS.checks("date-time")(is_date_time)
FORMATS.checks("uri")(is_uri)


class Spec:
    def __init__(self, path):
        self.doc = yaml.safe_load(Path(path).read_text())
        self.definitions = self.doc["definitions"]
        self.relaxed = copy.deepcopy(self.definitions)
        for definition, field in AM_025_GAPS:
            schema = self.relaxed[definition]
            for part in [schema] + schema.get("allOf", []):
                if field in part.get("required", []):
                    part["required"] = [name for name in part["required"] if name != field]

    def response_schema(self, path, method="get", status="200"):
        return self.doc["paths"][path][method]["responses"][status]["schema"]

    def errors(self, instance, schema, relaxed=False):
        root = dict(schema)
        root["definitions"] = self.relaxed if relaxed else self.definitions
        validator = jsonschema.Draft4Validator(root, format_checker=FORMATS)
        found = sorted(validator.iter_errors(instance), key=lambda error: list(error.absolute_path))
        return [f"{'/'.join(str(part) for part in error.absolute_path) or '(root)'}: {error.message}" for error in found]


# ---------------------------------------------------------------------------------------
# The amtool scenario


def safe(check, value):
    """CHECK(VALUE), with an answer of an unexpected shape (a crash of CHECK) as its error."""
    try:
        return check(value)
    except (AttributeError, TypeError, KeyError, IndexError, ValueError) as problem:
        return f"unexpected output ({type(problem).__name__}: {problem})"


def check_answer(response, check):
    """None when RESPONSE is a 200 whose JSON body passes CHECK, else why not."""
    if response.status != 200:
        return f"answered {response.status}"
    try:
        body = response.json()
    except ValueError:
        return "the body is not JSON"
    return safe(check, body)


def alertnames(alerts):
    return [(alert.get("labels") or {}).get("alertname") for alert in alerts or []]


def find_alert(alerts, name):
    for alert in alerts or []:
        if (alert.get("labels") or {}).get("alertname") == name:
            return alert
    return None


class Scenario:
    """One amtool run against one target; results by step label."""

    def __init__(self, target, names, report):
        self.target = target
        self.a, self.b = names
        self.report = report
        self.results = {}
        self.order = []
        self.version_warned = False

    def step(self, label, args, check=None, as_json=False, poll=False, needs=None):
        """Runs amtool ARGS; CHECK(output) returns None when the output is right, else why not.
        With POLL the command is repeated until CHECK passes (POLL_SECONDS at most)."""
        self.order.append(label)
        argv = self.target.amtool_argv(args)
        if needs is not None and not needs[0]:
            self.results[label] = StepResult(label, argv, None, f"skipped: {needs[1]}", None)
            return self.results[label]
        deadline = time.monotonic() + (POLL_SECONDS if poll else 0)
        while True:
            proc = self.target.amtool(args)
            parsed, error = None, None
            if proc.returncode != 0:
                error = f"exit status {proc.returncode}"
            elif as_json:
                try:
                    parsed = json.loads(proc.stdout)
                except ValueError as problem:
                    error = f"stdout is not JSON ({problem})"
            else:
                parsed = proc.stdout
            if error is not None:
                break  # polling waits for content, not for a command that fails
            if check is not None:
                error = safe(check, parsed)
            if error is None or time.monotonic() >= deadline:
                break
            time.sleep(0.5)
        warning = next((line for line in proc.stderr.splitlines() if "version" in line and "are different" in line), None)
        if warning and not self.version_warned:
            self.version_warned = True
            self.report.note("amtool", self.target.name, label, warning)
        self.results[label] = StepResult(label, argv, proc, error, parsed)
        return self.results[label]

    def run(self):
        a, b = self.a, self.b
        self.step("alert add A", ["alert", "add", f"alertname={a}", "severity=warning", "service=amtool-check",
                                  "--annotation=summary=amtool check alert A"])
        self.step("alert add B", ["alert", "add", f"alertname={b}", "severity=critical", "service=amtool-check",
                                  "--annotation=summary=amtool check alert B"])

        def both_shown(alerts):
            missing = [name for name in (a, b) if name not in alertnames(alerts)]
            return f"alerts {missing} not listed" if missing else None

        query = self.step("-o json alert query", ["-o", "json", "alert", "query"], both_shown, as_json=True, poll=True)
        self.step("alert query", ["alert", "query"], lambda out: None if a in out and b in out else "A or B not listed", poll=True)
        self.step("-o extended alert query", ["-o", "extended", "alert", "query"],
                  lambda out: None if a in out and b in out else "A or B not listed", poll=True)

        def only_a(alerts):
            names = set(alertnames(alerts))
            return None if names == {a} else f"expected only {a}, got {sorted(map(str, names))}"

        self.step("-o json alert query alertname=A", ["-o", "json", "alert", "query", f"alertname={a}"], only_a, as_json=True, poll=True)

        def silence_id(out):
            return None if UUID_RE.match(out.strip()) else f"expected a silence id (UUID) on stdout, got {out.strip()[:100]!r}"

        added = self.step("silence add alertname=A", ["silence", "add", f"alertname={a}", "--comment", "amtool check",
                                                      "--duration", "1h", "--author", "check-amtool"], silence_id)
        sid = added.parsed.strip() if added.ok else None
        have_sid = (sid is not None, "silence add failed")

        def lists_silence(state):
            def check(silences):
                for silence in silences or []:
                    if silence.get("id") == sid:
                        got = (silence.get("status") or {}).get("state")
                        return None if state is None or got == state else f"silence {sid} is {got}, not {state}"
                return f"silence {sid} not listed"
            return check

        self.step("-o json silence query", ["-o", "json", "silence", "query"], lists_silence("active"), as_json=True, poll=True, needs=have_sid)
        self.step("silence query", ["silence", "query"], lambda out: None if sid in out else f"{sid} not listed", needs=have_sid)
        self.step("-o extended silence query", ["-o", "extended", "silence", "query"],
                  lambda out: None if sid in out else f"{sid} not listed", needs=have_sid)
        self.step("-o json silence query alertname=A", ["-o", "json", "silence", "query", f"alertname={a}"],
                  lists_silence("active"), as_json=True, needs=have_sid)

        def a_silenced(alerts):
            alert = find_alert(alerts, a)
            if alert is None:
                return f"silenced alert {a} not listed"
            if find_alert(alerts, b) is not None:
                return f"alert {b} is not silenced but listed"
            status = alert.get("status") or {}
            if status.get("state") != "suppressed" or sid not in (status.get("silencedBy") or []):
                return f"alert {a} has status {json.dumps(status)}; expected suppressed, silencedBy [{sid}]"
            return None

        self.step("-o json alert query -s", ["-o", "json", "alert", "query", "-s"], a_silenced, as_json=True, poll=True, needs=have_sid)

        def a_hidden(alerts):
            if find_alert(alerts, a) is not None:
                return f"silenced alert {a} still listed among active alerts"
            return None if find_alert(alerts, b) is not None else f"alert {b} not listed"

        self.step("-o json alert query (A silenced)", ["-o", "json", "alert", "query"], a_hidden, as_json=True, poll=True, needs=have_sid)

        receiver = None
        alert_b = find_alert(query.parsed, b) if query.ok else None
        if alert_b and alert_b.get("receivers"):
            receiver = alert_b["receivers"][0].get("name")
        have_receiver = (receiver is not None, f"no receiver of alert {b} known from `alert query`")
        self.step("-o json alert query --receiver R", ["-o", "json", "alert", "query", f"--receiver={re.escape(receiver or '')}"],
                  lambda alerts: None if find_alert(alerts, b) else f"alert {b} not listed for receiver {receiver!r}",
                  as_json=True, needs=have_receiver)
        self.step("-o json alert query --receiver none", ["-o", "json", "alert", "query", "--receiver=no-such-receiver-xyz"],
                  lambda alerts: f"alert {b} listed for receiver no-such-receiver-xyz" if find_alert(alerts, b) else None,
                  as_json=True)

        self.step("silence expire ID", ["silence", "expire", sid or ""], needs=have_sid)
        self.step("silence query --expired", ["silence", "query", "--expired"],
                  lambda out: None if sid in out else f"{sid} not listed", poll=True, needs=have_sid)
        self.step("-o json silence query --expired", ["-o", "json", "silence", "query", "--expired"],
                  lists_silence("expired"), as_json=True, poll=True, needs=have_sid)

        def a_active_again(alerts):
            alert = find_alert(alerts, a)
            state = ((alert or {}).get("status") or {}).get("state")
            return None if state == "active" else f"alert {a} is {state or 'not listed'} after its silence expired"

        self.step("-o json alert query alertname=A (unsilenced)", ["-o", "json", "alert", "query", f"alertname={a}"],
                  a_active_again, as_json=True, poll=True, needs=have_sid)

        def yaml_with_route(out):
            try:
                config = yaml.safe_load(out)
            except yaml.YAMLError as problem:
                return f"the config is not YAML: {problem}"
            return None if isinstance(config, dict) and "route" in config else "the config has no route"

        self.step("config show", ["config", "show"], yaml_with_route)

        def status_json(status):
            cluster = (status or {}).get("cluster") or {}
            if cluster.get("status") not in ("ready", "settling", "disabled"):
                return f"cluster.status is {cluster.get('status')!r}"
            return None if isinstance((status.get("config") or {}).get("original"), str) else "config.original is not a string"

        self.step("-o json config show", ["-o", "json", "config", "show"], status_json, as_json=True)
        self.step("config routes", ["config", "routes"],
                  lambda out: None if out.startswith("Routing tree:") and "receiver:" in out else "no routing tree printed")
        self.step("config routes test", ["config", "routes", "test", f"alertname={b}", "severity=critical", "service=amtool-check"],
                  lambda out: None if out.strip() else "no receiver printed")
        self.step("cluster show", ["cluster", "show"], lambda out: None if "Cluster Status:" in out else "no cluster status printed")
        self.step("-o json cluster show", ["-o", "json", "cluster", "show"],
                  lambda cluster: None if (cluster or {}).get("status") in ("ready", "settling", "disabled")
                  else f"status is {(cluster or {}).get('status')!r}", as_json=True)
        return self


# ---------------------------------------------------------------------------------------
# The HTTP checks


class HttpChecks:
    def __init__(self, target, spec, report, name, strict, other_token=None):
        self.t = target
        self.spec = spec
        self.report = report
        self.name = name  # alertname of the alert posted here
        self.strict = strict  # False: Alertmanager 0.25, the known 0.34 gaps pass as NOTE
        self.other_token = other_token

    def ok(self, check, passed, detail=""):
        return self.report.add("http", self.t.name, check, passed, detail)

    def validate(self, check, response, schema, where=""):
        """Status 200, application/json, and a body valid against SCHEMA. Returns the body or None."""
        if where:
            check_detail = f"{where}: "
        else:
            check_detail = ""
        if response.status != 200:
            self.ok(check, False, check_detail + response.describe())
            return None
        if response.content_type != "application/json":
            self.ok(check, False, check_detail + f"content type {response.content_type!r}, not application/json")
            return None
        try:
            body = response.json()
        except ValueError as problem:
            self.ok(check, False, check_detail + f"body is not JSON: {problem}")
            return None
        errors = self.spec.errors(body, schema)
        if not errors:
            self.ok(check, True)
            return body
        if not self.strict:
            relaxed = self.spec.errors(body, schema, relaxed=True)
            if not relaxed:
                gaps = sorted({re.sub(r"^[^:]*: ", "", error) for error in errors})
                self.report.note("http", self.t.name, check, "valid but for fields Alertmanager 0.25 predates: " + "; ".join(gaps))
                return body
        self.ok(check, False, check_detail + "; ".join(errors[:6]) + (f" (and {len(errors) - 6} more)" if len(errors) > 6 else ""))
        return None

    def get(self, check, path, spec_path, poll=None):
        """GET PATH validated against the 200 schema of SPEC_PATH; POLL(body) -> error or None
        is retried (POLL_SECONDS at most) before the result counts."""
        schema = self.spec.response_schema(spec_path)
        deadline = time.monotonic() + POLL_SECONDS
        while poll is not None:
            response = self.t.api("GET", path)
            error = check_answer(response, poll)
            if response.status != 200 or error is None or time.monotonic() >= deadline:
                break
            time.sleep(0.5)
        response = self.t.api("GET", path)
        body = self.validate(f"{check} (schema)", response, schema, where=f"GET {path}")
        if body is not None and poll is not None:
            error = safe(poll, body)
            self.ok(f"{check} (content)", error is None, f"GET {path}: {error}" if error else "")
        return body

    def run(self):
        t, name = self.t, self.name
        quoted = urllib.parse.quote(f'alertname="{name}"')
        start = now_utc() - datetime.timedelta(minutes=1)
        posted = t.api("POST", "/alerts", [{
            "labels": {"alertname": name, "severity": "info", "service": "amtool-check"},
            "annotations": {"summary": "check-amtool HTTP alert"},
            "startsAt": rfc3339(start),
            "generatorURL": "http://127.0.0.1/check-amtool",
        }])
        self.ok("POST /alerts", posted.status == 200, "" if posted.status == 200 else posted.describe())

        silence = {
            "matchers": [{"name": "alertname", "value": name, "isRegex": False, "isEqual": True}],
            "startsAt": rfc3339(now_utc()), "endsAt": rfc3339(now_utc() + datetime.timedelta(hours=1)),
            "createdBy": "check-amtool", "comment": "check-amtool HTTP silence",
        }
        created = self.validate("POST /silences (schema)", t.api("POST", "/silences", silence),
                                self.spec.response_schema("/silences", "post"))
        sid = (created or {}).get("silenceID")
        if created is not None:
            self.ok("POST /silences answers a UUID", isinstance(sid, str) and bool(UUID_RE.match(sid)), f"silenceID {sid!r}")

        self.get("GET /status", "/status", "/status")
        receivers = self.get("GET /receivers", "/receivers", "/receivers") or []

        def silenced_by(sid):
            def check(alerts):
                alert = find_alert(alerts, name)
                if alert is None:
                    return f"alert {name} not listed"
                if len(alerts) != 1:
                    return f"filter alertname=\"{name}\" listed {len(alerts)} alerts"
                status = alert.get("status") or {}
                if sid and (status.get("state") != "suppressed" or sid not in (status.get("silencedBy") or [])):
                    return f"alert {name} has status {json.dumps(status)}; expected suppressed by {sid}"
                return None
            return check

        self.get("GET /alerts?filter", f"/alerts?filter={quoted}", "/alerts", poll=silenced_by(sid))
        alerts = self.get("GET /alerts", "/alerts", "/alerts") or []
        self.get("GET /alerts?active=false", "/alerts?active=false&silenced=true&inhibited=true",
                 "/alerts", poll=lambda body: None if find_alert(body, name) or not sid else f"silenced alert {name} not listed")
        self.get("GET /alerts?silenced=false", f"/alerts?silenced=false&filter={quoted}", "/alerts",
                 poll=lambda body: f"silenced alert {name} listed" if find_alert(body, name) and sid else None)
        receiver_names = {item.get("name") for item in receivers if isinstance(item, dict)}
        used = {ref.get("name") for alert in alerts for ref in alert.get("receivers") or [] if isinstance(ref, dict)}
        self.ok("alerts name known receivers", used <= receiver_names,
                f"alerts name receivers {sorted(map(str, used - receiver_names))} that GET /receivers lacks" if used - receiver_names else "")
        routed = find_alert(alerts, name) or {}
        first = ((routed.get("receivers") or [{}])[0] or {}).get("name")
        if routed and not first:
            self.ok("GET /alerts?receiver", False, f"alert {name} names no receiver (every alert reaches at least the root route's)")
        if first:
            self.get("GET /alerts?receiver", f"/alerts?receiver={urllib.parse.quote(re.escape(first))}", "/alerts",
                     poll=lambda body: None if find_alert(body, name) else f"alert {name} not listed for its receiver {first}")

        def grouped(groups):
            for group in groups or []:
                if find_alert(group.get("alerts"), name):
                    return None
            return f"no group holds alert {name}"

        self.get("GET /alerts/groups", "/alerts/groups", "/alerts/groups", poll=grouped)
        self.get("GET /alerts/groups?filter", f"/alerts/groups?filter={quoted}", "/alerts/groups", poll=grouped)

        def lists(sid, state):
            def check(silences):
                for item in silences or []:
                    if item.get("id") == sid:
                        got = (item.get("status") or {}).get("state")
                        return None if got == state else f"silence {sid} is {got}, not {state}"
                return f"silence {sid} not listed"
            return check

        if sid is None:
            self.report.skip("http", t.name, "silence checks", "POST /silences gave no silence id")
            self.get("GET /silences", "/silences", "/silences")
            self.negative(None)
            return
        self.get("GET /silences", "/silences", "/silences", poll=lists(sid, "active"))
        self.get("GET /silences?filter", f"/silences?filter={quoted}", "/silences", poll=lists(sid, "active"))
        self.get("GET /silence/{id}", f"/silence/{sid}", "/silence/{silenceID}",
                 poll=lambda body: None if body.get("id") == sid else f"id is {body.get('id')!r}")

        updated = dict(silence, id=sid, comment="check-amtool HTTP silence, updated")
        answer = self.validate("POST /silences with id (schema)", t.api("POST", "/silences", updated),
                               self.spec.response_schema("/silences", "post"))
        if answer is not None:
            new_id = answer.get("silenceID")
            self.ok("POST /silences with id keeps the id", new_id == sid, f"answered {new_id!r} for {sid}")
            self.get("GET /silence/{id} updated", f"/silence/{new_id}", "/silence/{silenceID}",
                     poll=lambda body: None if body.get("comment") == updated["comment"] else f"comment is {body.get('comment')!r}")

        missing = str(uuid.uuid4())
        response = t.api("GET", f"/silence/{missing}")
        self.ok("GET /silence/{unknown id} is 404", response.status == 404, response.describe())

        self.negative(sid)

        response = t.api("DELETE", f"/silence/{sid}")
        self.ok("DELETE /silence/{id}", response.status == 200, response.describe())
        self.get("GET /silence/{id} expired", f"/silence/{sid}", "/silence/{silenceID}",
                 poll=lambda body: None if (body.get("status") or {}).get("state") == "expired" else f"state is {(body.get('status') or {}).get('state')!r}")
        self.get("GET /silences after expiry", "/silences", "/silences", poll=lists(sid, "expired"))

    def negative(self, sid):
        t = self.t
        malformed = {"matchers": [], "startsAt": rfc3339(now_utc()), "endsAt": rfc3339(now_utc() + datetime.timedelta(hours=1)),
                     "createdBy": "check-amtool", "comment": "no matchers"}
        response = t.api("POST", "/silences", malformed)
        if self.strict:
            fine = response.status == 400 and (
                response.content_type == "application/problem+json"
                or (response.content_type == "application/json" and self._is_json_string(response)))
            self.ok("POST /silences matchers: [] is 400", fine,
                    response.describe() + ("" if fine else " (want 400 application/problem+json, or application/json holding a string)"))
        else:
            self.ok("POST /silences matchers: [] is refused", response.status in (400, 422), response.describe())
            if response.status != 400:
                self.report.note("http", t.name, "POST /silences matchers: []", f"Alertmanager 0.25 answers {response.status}, not 400")
        if t.token is None:
            return
        paths = [(path, path) for path in ("/status", "/receivers", "/alerts", "/alerts/groups", "/silences")]
        if sid:
            paths.append((f"/silence/{sid}", "/silence/{id}"))
        for token, what in ((None, "no token"), ("not-a-token", "a bad token")):
            for path, label in paths:
                response = t.api("GET", path, token=token)
                self.ok(f"GET {label} with {what} is 401", response.status == 401, response.describe())
            for method, path, body in (("POST", "/silences", malformed), ("POST", "/alerts", [{"labels": {"alertname": "x"}}])):
                response = t.api(method, path, body, token=token)
                self.ok(f"{method} {path} with {what} is 401", response.status == 401, response.describe())
            if sid:
                response = t.api("DELETE", f"/silence/{sid}", token=token)
                self.ok(f"DELETE /silence/{{id}} with {what} is 401", response.status == 401, response.describe())
        if self.other_token is None:
            self.report.skip("http", t.name, "another tenant's view", "no --other-token")
            return
        if sid is None:
            return
        other = self.other_token
        response = t.api("GET", f"/silence/{sid}", token=other)
        self.ok("other tenant: GET /silence/{id} is 404", response.status == 404, response.describe())
        response = t.api("GET", "/silences", token=other)
        error = check_answer(response, lambda silences: f"silence {sid} listed" if sid in [item.get("id") for item in silences] else None)
        self.ok("other tenant: GET /silences lacks the silence", error is None, f"{error}: {response.describe()}")
        quoted = urllib.parse.quote(f'alertname="{self.name}"')
        response = t.api("GET", f"/alerts?filter={quoted}", token=other)
        error = check_answer(response, lambda alerts: f"alert {self.name} listed" if self.name in alertnames(alerts) else None)
        self.ok("other tenant: GET /alerts lacks the alert", error is None, f"{error}: {response.describe()}")
        response = t.api("DELETE", f"/silence/{sid}", token=other)
        self.ok("other tenant: DELETE /silence/{id} is 404", response.status == 404, response.describe())
        hijack = {"id": sid, "matchers": [{"name": "alertname", "value": "hijacked", "isRegex": False, "isEqual": True}],
                  "startsAt": rfc3339(now_utc()), "endsAt": rfc3339(now_utc() + datetime.timedelta(hours=1)),
                  "createdBy": "other-tenant", "comment": "hijack"}
        response = t.api("POST", "/silences", hijack, token=other)
        self.ok("other tenant: POST /silences with the id is 404", response.status == 404, response.describe())
        response = t.api("GET", f"/silence/{sid}")
        # alertd records the token's subject as createdBy, so the comment and matchers tell
        # whether the other tenant changed the silence.
        error = check_answer(response, lambda body: None if (body.get("status") or {}).get("state") == "active"
                             and body.get("comment") == "check-amtool HTTP silence, updated"
                             and [m.get("value") for m in body.get("matchers") or []] != ["hijacked"]
                             else "the silence is no longer active, or was changed")
        self.ok("other tenant left the silence alone", error is None, f"{error}: {response.describe()}")

    @staticmethod
    def _is_json_string(response):
        try:
            return isinstance(response.json(), str)
        except ValueError:
            return False


# ---------------------------------------------------------------------------------------
# Output


def compare_shapes(report, scenarios):
    """For every -o json step that passed on both: alertd's keys include Alertmanager's."""
    reference, candidate = scenarios.get("alertmanager"), scenarios.get("alertd")
    verdicts = {}
    if reference is None or candidate is None:
        return verdicts
    for label in reference.order:
        mine, theirs = reference.results.get(label), candidate.results.get(label)
        if not label.startswith("-o json") or mine is None or theirs is None:
            continue
        if not (mine.ok and theirs.ok):
            verdicts[label] = ("SKIP", "the command failed on a target")
            continue
        missing = sorted(shape(mine.parsed) - shape(theirs.parsed))
        if missing:
            verdicts[label] = ("FAIL", "alertd's output lacks " + ", ".join(missing))
            report.add("shape", "alertd", label, False, verdicts[label][1])
        else:
            verdicts[label] = ("PASS", "")
            report.add("shape", "alertd", label, True)
    return verdicts


def print_amtool_table(scenarios, verdicts, targets):
    labels = scenarios["alertmanager"].order
    width = max(len(label) for label in labels) + 2
    header = f"{'amtool command':<{width}}" + "".join(f"{name:<14}" for name in targets) + "shape"
    print(header)
    print("-" * len(header))
    for label in labels:
        cells = []
        for name in targets:
            result = scenarios[name].results.get(label) if name in scenarios else None
            if result is None:
                cells.append("-")
            elif result.error and result.error.startswith("skipped"):
                cells.append("SKIP")
            else:
                cells.append("PASS" if result.ok else "FAIL")
        verdict = verdicts.get(label, ("-", ""))[0] if label.startswith("-o json") else "-"
        print(f"{label:<{width}}" + "".join(f"{cell:<14}" for cell in cells) + verdict)


def print_step_failures(scenarios):
    for name, scenario in scenarios.items():
        for label in scenario.order:
            result = scenario.results[label]
            if result.ok or result.proc is None:
                continue
            print(f"\n--- {name}: amtool {label}: {result.error}")
            print("    $ " + " ".join(result.argv))
            if result.proc is not None:
                for stream, text in (("stderr", result.proc.stderr), ("stdout", result.proc.stdout)):
                    lines = text.strip().splitlines()
                    if lines:
                        print(f"    {stream}:")
                        for line in lines[:20]:
                            print("      " + line)
                        if len(lines) > 20:
                            print(f"      ... ({len(lines) - 20} more lines)")


def print_rows(report, group):
    for _, target, name, status, detail in (row for row in report.rows if row[0] == group):
        print(f"{status:<5} {target:<13} {name}" + (f"\n      {detail}" if detail and status != "PASS" else ""))


# ---------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--alertd", help="alertd's base URL, e.g. http://127.0.0.1:18480")
    parser.add_argument("--token", help="a bearer token of alertd's tenant with alerts:read, alerts:write and silences:write")
    parser.add_argument("--other-token", help="a token of another tenant, for the isolation checks (skipped without it)")
    parser.add_argument("--alertmanager-binary", default="/usr/bin/prometheus-alertmanager",
                        help="the Alertmanager to compare with (default %(default)s)")
    parser.add_argument("--amtool", default="/usr/bin/amtool", help="the amtool to drive (default %(default)s)")
    parser.add_argument("--work", required=True, help="a directory for the Alertmanager's storage, config and log")
    parser.add_argument("--spec", default=str(DEFAULT_SPEC), help="the Alertmanager API v2 spec, swagger 2.0 YAML (default %(default)s)")
    parser.add_argument("--only-alertmanager", action="store_true",
                        help="check against the real Alertmanager alone (no alertd): tests this checker and the spec validation")
    args = parser.parse_args()
    if not args.only_alertmanager and not (args.alertd and args.token):
        parser.error("--alertd and --token are required (or --only-alertmanager)")
    for tool in (args.alertmanager_binary, args.amtool):
        if shutil.which(tool) is None:
            parser.error(f"{tool} is not an executable")
    if not Path(args.spec).is_file():
        parser.error(f"the spec {args.spec} is missing")

    work = Path(args.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    spec = Spec(args.spec)
    report = Report()
    version = subprocess.run([args.amtool, "--version"], capture_output=True, text=True, check=False)
    print((version.stdout or version.stderr).splitlines()[0] if (version.stdout or version.stderr) else "amtool: no version")

    def terminate(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    alertmanager = Alertmanager(args.alertmanager_binary, work)
    try:
        try:
            alertmanager.start()
        except RuntimeError as problem:
            print(f"error: {problem}", file=sys.stderr)
            return 2
        print(f"Alertmanager {alertmanager.url} (log {alertmanager.log_path})")
        targets = [Target("alertmanager", alertmanager.url, None, args.amtool, work)]
        if not args.only_alertmanager:
            targets.append(Target("alertd", args.alertd, args.token, args.amtool, work))
        run = uuid.uuid4().hex[:8]
        scenarios = {}
        for target in targets:
            names = (f"amtool_check_a_{run}", f"amtool_check_b_{run}")
            scenarios[target.name] = Scenario(target, names, report).run()
            for label in scenarios[target.name].order:
                result = scenarios[target.name].results[label]
                if result.error and result.error.startswith("skipped"):
                    report.skip("amtool", target.name, label, result.error)
                else:
                    report.add("amtool", target.name, label, result.ok, result.error or "")
        for target in targets:
            HttpChecks(target, spec, report, f"amtool_check_http_{run}", strict=target.name != "alertmanager",
                       other_token=args.other_token if target.name == "alertd" else None).run()

        verdicts = compare_shapes(report, scenarios)
        print()
        print_amtool_table(scenarios, verdicts, [target.name for target in targets])
        print_step_failures(scenarios)
        print("\nHTTP checks against the Alertmanager API v2 spec (" + os.path.relpath(args.spec) + "):")
        print_rows(report, "http")
        notes = [row for row in report.rows if row[0] == "amtool" and row[3] == "NOTE"]
        for _, target, name, _, detail in notes:
            print(f"NOTE  {target:<13} amtool {name}: {detail}")
        shape_failures = [row for row in report.rows if row[0] == "shape" and row[3] == "FAIL"]
        for _, target, name, _, detail in shape_failures:
            print(f"\n--- shape of `amtool {name}`: {detail}")
    finally:
        alertmanager.stop()

    failures = report.failures()
    checked = sum(1 for row in report.rows if row[3] in ("PASS", "FAIL"))
    print(f"\ncheck-amtool: {checked} checks, {len(failures)} failed"
          + (" (" + ", ".join(sorted({row[1] for row in failures})) + ")" if failures else "")
          + ("; Alertmanager only" if args.only_alertmanager else ""))
    if failures:
        print("failed: " + "; ".join(f"{row[1]} {row[0]} {row[2]}" for row in failures[:15])
              + (f"; and {len(failures) - 15} more" if len(failures) > 15 else ""))
        if any(row[1] == "alertmanager" for row in failures):
            print(f"Alertmanager's log: {alertmanager.log_path}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Checks `alertd tenants import` against Alertmanager itself, on the configurations in
Tests/Fixtures/alertmanager/ and the label sets of its cases.yml.

    scripts/check-alertmanager-import.py [--alertd .build/debug/alertd] [--amtool /usr/bin/amtool]
        [--fixtures Tests/Fixtures/alertmanager] [--work DIR] [--only NAME]... [--amtool-only] [--verbose]

For each fixture F (tenant id T, from cases.yml):

  Alertmanager  `amtool check-config F` must pass. Where this amtool is too old for F (it
                rejects keys with "field ... not found", e.g. msteams_configs before 0.26),
                routes are computed on a copy of F whose receivers keep only their names,
                which routing depends on alone; the table says so. Every case is sent to
                `amtool config routes test --config.file=F LABELS...`, and the cases must
                enter every route of F (computed on a copy whose routes each have a
                receiver of their own); fallbacks of parents never taken are listed.
  import        `alertd tenants import --from F --tenant T --out WORK/partial/T/tenants
                --allow-partial` must exit 0 and write WORK/partial/T/tenants/T/tenant.yaml;
                `alertd tenants validate WORK/partial/T/tenants` must exit 0, run with every
                variable the importer printed (`NAME` or `export NAME=...` lines) and every
                env:NAME of the written files set to a dummy value; no inline secret of F
                (values of password/secret/token/key/credentials fields, Slack, Teams and
                other credential-bearing URLs; not *_file paths) may appear in the written
                files or in the importer's output.
  strict        the same import without --allow-partial into WORK/strict/T/tenants: where F
                has parts the importer cannot carry over (the `importer:` policy of
                cases.yml applied to F: receiver kinds without an alertd sink, receivers
                with several integrations (or with none, if the policy says so), time
                intervals, matchers on alertd's reserved label names) it must exit
                non-zero and name each part on one
                stderr line, by path (receivers[3], route.routes[2].routes[0] in any of the
                [N] .N /N spellings) or, for receivers, by name, together with the key.
                The importer may leave out more than the policy names (message templates,
                Slack channels, resolve_timeout); when it exits non-zero it must name at
                least one part it left out, as `F: path: reason`.
  routes        for every case, `alertd tenants route WORK/partial/T/tenants --tenant T
                LABELS...` must print what amtool printed (receivers, comma-separated).

Each tenant is imported into a directory of its own so that one broken import does not
fail the validation and routing of the others. --amtool-only runs the Alertmanager half
alone (no alertd needed). Prints a table and the problems; exits 1 if there is any,
2 on bad usage. Needs Python 3.8+ and PyYAML.
"""

import argparse
import copy
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("check-alertmanager-import: needs PyYAML (pip install pyyaml, or use the venv of scripts/check-api.sh)")

REPO = Path(__file__).resolve().parent.parent

# ------------------------------------------------------------------------------ helpers


def run(argv, env=None, timeout=120):
    """(exit code, stdout, stderr); a missing program or a timeout is exit code 127/124."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=timeout)
        return done.returncode, done.stdout, done.stderr
    except FileNotFoundError as error:
        return 127, "", str(error)
    except subprocess.TimeoutExpired:
        return 124, "", f"timed out after {timeout}s"


def label_args(labels):
    """LABEL=VALUE arguments, the same for amtool and alertd; a value amtool would misread
    (quotes, backslashes, an operator character first, surrounding space) is double-quoted."""
    args = []
    for name, value in labels.items():
        if value == "" or re.search(r'["\\\n]', value) or value[0] in "=~!" or value != value.strip():
            if value == "":
                args.append(f"{name}=")
                continue
            escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            args.append(f'{name}="{escaped}"')
        else:
            args.append(f"{name}={value}")
    return args


def show_labels(labels, width=70):
    text = "{" + ", ".join(f"{k}={v}" for k, v in labels.items()) + "}"
    return text if len(text) <= width else text[: width - 1] + "…"


def integrations(receiver):
    """[(key, index)] of a receiver's integrations (non-empty *_configs lists)."""
    found = []
    for key, value in receiver.items():
        if key.endswith("_configs") and isinstance(value, list):
            found.extend((key, index) for index in range(len(value)))
    return found


def walk_routes(route, path=()):
    """(path, route) for the root (path ()) and every route under it, depth first."""
    yield path, route
    for index, child in enumerate(route.get("routes") or []):
        yield from walk_routes(child, path + (index,))


def route_name(path):
    return "route" + "".join(f".routes[{i}]" for i in path)


# Matchers: `name op value`, several per string, optionally in braces (Alertmanager 0.22+).
MATCHER_NAME = re.compile(r'\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:=~|!~|!=|=)')


def matcher_label_names(item):
    """Label names of one matchers: entry, a string that may hold several matchers."""
    parts, current, quoted, escape = [], "", False, False
    for char in str(item).strip().lstrip("{").rstrip("}"):
        # Split on commas outside double-quoted values.
        if escape:
            escape = False
        elif char == "\\":
            escape = True
        elif char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            parts.append(current)
            current = ""
            continue
        current += char
    parts.append(current)
    return [m.group(1) for m in (MATCHER_NAME.match(part) for part in parts) if m]


# ------------------------------------------------------------------------------ secrets

SECRET_KEY = re.compile(r"password|secret|token|credential|(^|_)key$|^api_key$|routing_key|service_key|user_key", re.I)
URL_KEY = re.compile(r"(^|_)url$", re.I)
SECRET_URL = re.compile(r"hooks\.slack\.com|webhook\.office\.com|logic\.azure\.com|[?&](sig|token|key|secret)=|://[^/@\s]+:[^/@\s]+@", re.I)


def inline_secrets(config):
    """[(path, value)] of the inline secrets of an Alertmanager configuration."""
    found = []

    def visit(node, path, parent_key):
        if isinstance(node, dict):
            for key, value in node.items():
                visit(value, path + [str(key)], str(key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                visit(value, path + [str(index)], parent_key)
        elif isinstance(node, (str, int)) and not isinstance(node, bool):
            key = parent_key or ""
            value = str(node)
            if key.endswith("_file") or len(value) < 6:
                return
            is_secret = bool(SECRET_KEY.search(key)) and not URL_KEY.search(key)
            if URL_KEY.search(key):
                in_slack = "slack_configs" in path or key == "slack_api_url"
                is_secret = bool(SECRET_URL.search(value)) or (in_slack and key == "api_url")
            if key in ("username", "type", "token_url"):
                is_secret = False
            if is_secret:
                found.append((".".join(path), value))

    visit(config, [], None)
    return found


# ------------------------------------------------------------------------------ unsupported parts


class Part:
    """A part of an Alertmanager configuration the importer cannot carry over, and how a
    stderr line names it."""

    def __init__(self, description, key=None, receiver=None, route=None, inhibit=None):
        self.description = description
        self.key = key  # the YAML key or label name that must be on the line
        self.receiver = receiver  # (index, name): named by receivers[index] or by name
        self.route = route  # path tuple: named by route.routes[i].routes[j] (any spelling)
        self.inhibit = inhibit  # index: named by inhibit_rules[index]

    def named_by(self, line):
        normal = re.sub(r"\[(\d+)\]", r".\1", line).replace("/", ".")
        if self.key is not None and not re.search(rf"(?<![\w-]){re.escape(self.key)}(?![\w-])", line):
            return False
        if self.receiver is not None:
            index, name = self.receiver
            by_index = re.search(rf"receivers\.{index}(?!\d)", normal)
            by_name = re.search(rf"(?<![\w.-]){re.escape(str(name))}(?![\w-])", line)
            return bool(by_index or by_name)
        if self.route is not None:
            if not self.route:  # the root route
                return bool(re.search(r"(?<![\w.])route(?!s)", normal))
            chain = ".".join(f"routes.{i}" for i in self.route)
            return bool(re.search(rf"{re.escape(chain)}(?!\d)(?!\.routes)", normal))
        if self.inhibit is not None:
            return bool(re.search(rf"inhibit_rules\.{self.inhibit}(?!\d)", normal))
        return True


def unsupported_parts(config, policy):
    parts = []
    supported = set(policy.get("supported_receiver_kinds") or [])
    one_sink = bool(policy.get("one_sink_per_receiver", True))
    for index, receiver in enumerate(config.get("receivers") or []):
        name = receiver.get("name")
        found = integrations(receiver)
        for key in sorted({key for key, _ in found if key not in supported}):
            parts.append(Part(f"receivers[{index}] ({name}): {key}", key=key, receiver=(index, name)))
        carried = [f"{key}[{i}]" for key, i in found if key in supported]
        if one_sink and len(carried) > 1:
            parts.append(Part(f"receivers[{index}] ({name}): {len(carried)} integrations ({', '.join(carried)})",
                              receiver=(index, name)))
        if not found and not policy.get("receivers_without_integrations", False):
            parts.append(Part(f"receivers[{index}] ({name}): no integration", receiver=(index, name)))
    route_keys = policy.get("unsupported_route_keys") or []
    reserved = set(policy.get("reserved_label_names") or [])
    for path, route in walk_routes(config.get("route") or {}):
        for key in route_keys:
            if route.get(key):
                parts.append(Part(f"{route_name(path)}: {key}", key=key, route=path))
        names = set((route.get("match") or {}).keys()) | set((route.get("match_re") or {}).keys())
        for item in route.get("matchers") or []:
            names.update(matcher_label_names(item))
        for label in sorted(names & reserved):
            parts.append(Part(f"{route_name(path)}: matcher on label {label}", key=label, route=path))
    for index, rule in enumerate(config.get("inhibit_rules") or []):
        names = set(rule.get("equal") or [])
        for field in ("source_match", "source_match_re", "target_match", "target_match_re"):
            names.update((rule.get(field) or {}).keys())
        for field in ("source_matchers", "target_matchers"):
            for item in rule.get(field) or []:
                names.update(matcher_label_names(item))
        for label in sorted(names & reserved):
            parts.append(Part(f"inhibit_rules[{index}]: label {label}", key=label, inhibit=index))
    for key in policy.get("unsupported_top_level_keys") or []:
        if config.get(key):
            parts.append(Part(f"{key} (top level)", key=key))
    return parts


# ------------------------------------------------------------------------------ the check


class Checker:
    def __init__(self, args):
        self.args = args
        self.problems = []
        self.rows = []
        self.notes = []
        self.work = Path(args.work).resolve()

    def problem(self, fixture, text):
        self.problems.append(f"{fixture}: {text}")

    # ---- Alertmanager

    def amtool_config(self, fixture, path, config):
        """The file amtool computes routes on: the fixture, or a routing-only copy when this
        amtool does not know some of its keys. None if the fixture is invalid."""
        code, out, err = run([self.args.amtool, "check-config", str(path)])
        if code == 0:
            return path
        unknown = re.findall(r"field (\w+) not found", out + err)
        if not unknown:
            self.problem(fixture, f"amtool check-config fails:\n{(out + err).strip()}")
            return None
        copy_path = self.routing_copy(path, config, "routing")
        code2, out2, err2 = run([self.args.amtool, "check-config", str(copy_path)])
        if code2 != 0:
            self.problem(fixture, f"amtool check-config fails on the routing-only copy too:\n{(out2 + err2).strip()}")
            return None
        self.notes.append(
            f"{fixture}: this amtool lacks {', '.join(sorted(set(unknown)))}; Alertmanager's routes computed on "
            f"{copy_path} (receivers by name only). Check the fixture with amtool 0.28 or later.")
        return copy_path

    def routing_copy(self, path, config, suffix, route=None):
        """A copy holding only what routing reads: route, time intervals, bare receivers."""
        routing = {"route": route if route is not None else config["route"]}
        for key in ("time_intervals", "mute_time_intervals"):
            if config.get(key):
                routing[key] = config[key]
        names = sorted({r["name"] for r in config.get("receivers") or []}
                       | {r.get("receiver") for _, r in walk_routes(routing["route"]) if r.get("receiver")})
        routing["receivers"] = [{"name": name} for name in names]
        target = self.work / "amtool" / f"{Path(path).stem}.{suffix}.yml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(yaml.safe_dump(routing, sort_keys=False), encoding="utf-8")
        return target

    def amtool_routes(self, config_path, labels):
        code, out, err = run([self.args.amtool, "config", "routes", "test", f"--config.file={config_path}",
                              *label_args(labels)])
        if code != 0:
            return None, (out + err).strip()
        return out.strip(), None

    def coverage(self, fixture, path, config, cases):
        """Routes no case enters, and parents whose own receiver no case ends in."""
        tree = copy.deepcopy(config["route"])
        paths = []
        for route_path, route in walk_routes(tree):
            route["receiver"] = "r" + "".join(f"-{i}" for i in route_path)
            paths.append(route_path)
        copy_path = self.routing_copy(path, config, "coverage", route=tree)
        ended = set()
        for labels in cases:
            line, error = self.amtool_routes(copy_path, labels)
            if error is not None:
                self.problem(fixture, f"coverage copy: amtool config routes test {show_labels(labels)}: {error}")
                return
            for name in filter(None, line.split(",")):
                ended.add(tuple(int(i) for i in name.split("-")[1:]))
        entered = {p[:n] for p in ended for n in range(len(p) + 1)}
        missed = [p for p in paths if p not in entered]
        for route_path in missed:
            self.problem(fixture, f"no case enters {route_name(route_path)}")
        fallbacks = [p for p in paths if p not in ended and p in entered]
        if fallbacks and self.args.verbose:
            self.notes.append(f"{fixture}: no case ends in the own receiver of " + ", ".join(map(route_name, fallbacks)))
        self.notes.append(f"{fixture}: the cases enter {len(entered)}/{len(paths)} routes and end in "
                          f"{len(ended)} of them")

    # ---- alertd

    def import_tenant(self, fixture_path, tenant, out_dir, partial):
        argv = [self.args.alertd, "tenants", "import", "--from", str(fixture_path), "--tenant", tenant,
                "--out", str(out_dir)]
        if partial:
            argv.append("--allow-partial")
        return run(argv)

    def env_for(self, stdout, tenant_dir):
        names = set()
        for line in stdout.splitlines():
            match = re.match(r"^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)(?:=.*)?\s*$", line)
            if match:
                names.add(match.group(1))
        for path in tenant_dir.rglob("*"):
            if path.is_file():
                names.update(re.findall(r"env:([A-Za-z_][A-Za-z0-9_]*)", path.read_text(encoding="utf-8", errors="replace")))
        env = dict(os.environ)
        for name in names:
            env[name] = "http://127.0.0.1:9/dummy" if "URL" in name.upper() else f"dummy-{name.lower()}"
        return env, sorted(names)

    def check_alertd(self, fixture, path, config, tenant, parts, cases, expected):
        # Partial import.
        out_dir = self.work / "partial" / tenant / "tenants"
        code, out, err = self.import_tenant(path, tenant, out_dir, partial=True)
        log = self.work / "partial" / tenant / "import.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(f"exit {code}\n--- stdout\n{out}\n--- stderr\n{err}\n", encoding="utf-8")
        if code != 0:
            self.problem(fixture, f"import --allow-partial exits {code} (see {log}):\n{err.strip()[:2000]}")
        tenant_yaml = out_dir / tenant / "tenant.yaml"
        usable = tenant_yaml.is_file()
        if not usable:
            self.problem(fixture, f"import --allow-partial wrote no {tenant_yaml}")
        env, names = self.env_for(out, out_dir / tenant if usable else out_dir)
        if usable:
            code, vout, verr = run([self.args.alertd, "tenants", "validate", str(out_dir)], env=env)
            if code != 0:
                usable = False
                self.problem(fixture, f"tenants validate {out_dir} exits {code} (with {len(names)} variables set):\n"
                             + (vout + verr).strip()[:2000])
            # No inline secret in what the importer wrote or printed.
            written = {p: p.read_text(encoding="utf-8", errors="replace")
                       for p in (out_dir / tenant).rglob("*") if p.is_file()}
            written["import stdout"] = out
            written["import stderr"] = err
            for where, value in inline_secrets(config):
                for name, text in written.items():
                    if value in text:
                        self.problem(fixture, f"the inline secret at {where} appears in {name}")
        # Strict import.
        strict_dir = self.work / "strict" / tenant / "tenants"
        code, out, err = self.import_tenant(path, tenant, strict_dir, partial=False)
        if parts:
            if code == 0:
                self.problem(fixture, f"import without --allow-partial exits 0 though {len(parts)} part(s) cannot be "
                             "carried over: " + "; ".join(p.description for p in parts))
            lines = err.splitlines()
            for part in parts:
                if not any(part.named_by(line) for line in lines):
                    self.problem(fixture, f"import without --allow-partial does not name {part.description} on stderr")
        elif code != 0 and not any(line.startswith(f"{path}: ") for line in err.splitlines()):
            self.problem(fixture, f"import without --allow-partial exits {code} without naming a part it left out:\n"
                         f"{err.strip()[:2000]}")
        # Routes.
        answers = []
        for labels in cases:
            if not usable:
                answers.append(None)
                continue
            code, out, err = run([self.args.alertd, "tenants", "route", str(out_dir), "--tenant", tenant,
                                  *label_args(labels)], env=env)
            answers.append(out.strip() if code == 0 else f"exit {code}: {(err or out).strip()[:200]}")
        return answers

    # ---- one fixture

    def check_fixture(self, name, entry, policy):
        path = Path(self.args.fixtures) / name
        fixture = name
        if not path.is_file():
            self.problem(fixture, f"{path} does not exist")
            return
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
        tenant = entry.get("tenant") or re.sub(r"[^a-z0-9-]+", "-", path.stem.lower())
        cases = []
        for index, labels in enumerate(entry.get("cases") or []):
            labels = labels or {}
            bad = [k for k, v in labels.items() if not isinstance(v, str)]
            if bad:
                self.problem(fixture, f"case {index + 1}: values of {', '.join(bad)} are not strings (quote them)")
                continue
            cases.append(labels)
        amtool_path = self.amtool_config(fixture, path, config)
        if amtool_path is None:
            return
        expected = []
        for labels in cases:
            line, error = self.amtool_routes(amtool_path, labels)
            if error is not None:
                self.problem(fixture, f"amtool config routes test {show_labels(labels)}: {error}")
            expected.append(line)
        self.coverage(fixture, amtool_path, config, cases)
        parts = unsupported_parts(config, policy)
        if self.args.verbose:
            for part in parts:
                self.notes.append(f"{fixture}: cannot be carried over: {part.description}")
        answers = [None] * len(cases)
        if not self.args.amtool_only:
            answers = self.check_alertd(fixture, path, config, tenant, parts, cases, expected)
        for index, (labels, want, got) in enumerate(zip(cases, expected, answers), start=1):
            if self.args.amtool_only:
                verdict = "-"
            elif got is None:
                verdict = "SKIP"
            else:
                verdict = "ok" if got == want else "MISMATCH"
                if got != want:
                    self.problem(fixture, f"case {index} {show_labels(labels, 200)}: Alertmanager {want!r}, alertd {got!r}")
            self.rows.append((fixture, str(index), show_labels(labels), want or "?", "" if got is None else got, verdict))
        if not self.args.amtool_only and any(a is None for a in answers):
            self.problem(fixture, "routes not compared: the imported tenant is missing or invalid")

    def report(self):
        headers = ("fixture", "#", "labels", "Alertmanager", "alertd", "")
        widths = [max(len(headers[i]), *(len(row[i]) for row in self.rows)) if self.rows else len(headers[i])
                  for i in range(len(headers))]
        widths = [min(w, 72) for w in widths]
        line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
        print(line.rstrip())
        print("  ".join("-" * w for w in widths))
        for row in self.rows:
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        print()
        for note in self.notes:
            print(f"note: {note}")
        if self.problems:
            print()
            for problem in self.problems:
                print(f"problem: {problem}")
            print(f"\ncheck-alertmanager-import: {len(self.problems)} problem(s)")
        else:
            mode = "Alertmanager half only" if self.args.amtool_only else "import, validate, secrets, strict, routes"
            print(f"check-alertmanager-import: {len(self.rows)} case(s) agree ({mode})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--alertd", default=str(REPO / ".build/debug/alertd"))
    parser.add_argument("--amtool", default=shutil.which("amtool") or "/usr/bin/amtool")
    parser.add_argument("--fixtures", default=str(REPO / "Tests/Fixtures/alertmanager"))
    parser.add_argument("--work", default=None, help="scratch directory (default: a new one under $TMPDIR)")
    parser.add_argument("--only", action="append", default=[], help="check only this fixture (file name); repeatable")
    parser.add_argument("--amtool-only", action="store_true", help="run the Alertmanager half only")
    parser.add_argument("--verbose", action="store_true", help="also list unsupported parts and untaken fallbacks")
    args = parser.parse_args()

    if not (Path(args.amtool).is_file() and os.access(args.amtool, os.X_OK)):
        print(f"check-alertmanager-import: no amtool at {args.amtool}", file=sys.stderr)
        return 2
    if not args.amtool_only and not (Path(args.alertd).is_file() and os.access(args.alertd, os.X_OK)):
        print(f"check-alertmanager-import: no alertd at {args.alertd}; build it, or pass --amtool-only", file=sys.stderr)
        return 2
    if args.work is None:
        import tempfile
        args.work = tempfile.mkdtemp(prefix="alertd-am-import.")
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    for owned in ("partial", "strict", "amtool"):  # only the subdirectories this script writes
        shutil.rmtree(work / owned, ignore_errors=True)

    cases_file = Path(args.fixtures) / "cases.yml"
    spec = yaml.safe_load(cases_file.read_text(encoding="utf-8"))
    policy = spec.get("importer") or {}
    fixtures = spec.get("fixtures") or {}
    on_disk = sorted(p.name for p in Path(args.fixtures).glob("*.yml") if p.name != "cases.yml")
    checker = Checker(args)
    for name in on_disk:
        if name not in fixtures:
            checker.problem(name, f"has no cases in {cases_file}")
    unknown = [name for name in args.only if name not in fixtures]
    if unknown:
        print(f"check-alertmanager-import: no fixture {', '.join(unknown)} in {cases_file}", file=sys.stderr)
        return 2
    for name, entry in fixtures.items():
        if args.only and name not in args.only:
            continue
        checker.check_fixture(name, entry or {}, policy)
    print(f"work directory: {work}")
    checker.report()
    return 1 if checker.problems else 0


if __name__ == "__main__":
    sys.exit(main())

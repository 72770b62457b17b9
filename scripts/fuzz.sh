#!/usr/bin/env bash
# Fuzzes alertd's payload decoders and token and tenant parsers with libFuzzer.
#
#   scripts/fuzz.sh [TARGET...]
#
# Builds fuzz/AlertdFuzz.swift together with Sources/AlertCore into one binary with
# `swiftc -sanitize=fuzzer,address`, and the fuzz/keys package (the TokenKeys module with
# jwt-kit, swift-crypto and swift-certificates, all instrumented) with SwiftPM and the same
# flags, both under .build-fuzz/; replays every input kept in fuzz/regressions/<target>/
# (inputs that once crashed), then fuzzes each target for FUZZ_SECONDS (default 60)
# starting from the seed corpus fuzz/corpus/<target>/. Targets: native-alerts,
# prometheus-alerts, alertmanager-webhook, pagerduty-event, compact-token, tenant-config,
# matcher, rating-header (a Kafka record's `alertd-rating`), jwks, jwt (all by default). The
# alert targets also check that every decoded alert reads back from the Kafka record the
# intake writes of it. A crash stops the script with exit status 1 and leaves the input in
# .build-fuzz/crashes/<target>/; fix the cause and add the input to fuzz/regressions/<target>/.
#
# Leak detection is off: Foundation's NSRegularExpression leaks its buffer when a pattern
# does not compile, so every invalid regex matcher would be reported.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh
ensure_swift

FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
ALL_TARGETS=(native-alerts prometheus-alerts alertmanager-webhook pagerduty-event compact-token tenant-config matcher rating-header jwks jwt)
KEY_TARGETS=(jwks jwt)
TARGETS=("$@")
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=("${ALL_TARGETS[@]}")

is_key_target() {
    local target
    for target in "${KEY_TARGETS[@]}"; do [[ $1 == "$target" ]] && return 0; done
    return 1
}
needs_core=false
needs_keys=false
for target in "${TARGETS[@]}"; do
    if is_key_target "$target"; then needs_keys=true; else needs_core=true; fi
done

out=".build-fuzz"
binary="$out/alertd-fuzz"
keys_binary="$out/keys/debug/alertd-keys-fuzz"
mkdir -p "$out"
if $needs_core; then
    mapfile -t sources < <(find Sources/AlertCore -name '*.swift' | sort)
    section "Fuzz build: payload decoders (swiftc -sanitize=fuzzer,address)"
    swiftc -sanitize=fuzzer,address -parse-as-library -g -Onone -module-name AlertdFuzz \
        "${sources[@]}" fuzz/AlertdFuzz.swift -o "$binary" 2> >(grep -v "Cannot export local symbol" >&2)
fi
if $needs_keys; then
    section "Fuzz build: keys and tokens (fuzz/keys, SwiftPM, -sanitize=fuzzer,address)"
    if ! swift build -c debug --package-path fuzz/keys --scratch-path "$out/keys" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >"$out/keys-build.log" 2>&1; then
        show_log_tail "$out/keys-build.log" 40
        die "the keys fuzz build failed (log: $out/keys-build.log)"
    fi
    info "$(tail -n 1 "$out/keys-build.log")"
fi

export SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
failed=()
for target in "${TARGETS[@]}"; do
    [[ -d "fuzz/corpus/$target" ]] || die "unknown fuzz target $target (no fuzz/corpus/$target)"
    target_binary="$binary"
    is_key_target "$target" && target_binary="$keys_binary"
    if compgen -G "fuzz/regressions/$target/*" >/dev/null; then
        section "Fuzz regressions: $target"
        if ! ALERTD_FUZZ_TARGET="$target" "$target_binary" fuzz/regressions/"$target"/* >"$out/$target-regressions.log" 2>&1; then
            show_log_tail "$out/$target-regressions.log" 30
            failed+=("$target (regression)")
            continue
        fi
        info "$(find "fuzz/regressions/$target" -type f | wc -l) kept inputs pass"
    fi
    section "Fuzzing $target for ${FUZZ_SECONDS}s"
    work="$out/work/$target"
    crashes="$out/crashes/$target"
    rm -rf "$work"
    mkdir -p "$work" "$crashes"
    if ALERTD_FUZZ_TARGET="$target" "$target_binary" "$work" "fuzz/corpus/$target" \
        -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
        -artifact_prefix="$crashes/" -print_final_stats=1 >"$out/$target.log" 2>&1; then
        info "$(grep -E '^stat::number_of_executed_units' "$out/$target.log" | awk '{print $2}') runs, no crash"
    else
        show_log_tail "$out/$target.log" 40
        failed+=("$target")
    fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
    die "fuzzing found crashes in: ${failed[*]} (inputs in $out/crashes/)"
fi
section "Fuzzing found no crash"

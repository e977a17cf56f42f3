#!/usr/bin/env bash
# Fuzz smoke test (issue #10): every cargo-fuzz target replays its committed corpus
# (fuzz/corpus/TARGET) and then fuzzes new inputs for FUZZ_SECONDS (default 10) seconds. Any crash,
# panic, failed invariant or hang fails the script; the crashing input is left under
# fuzz/artifacts/TARGET/. Installs what it needs when missing: cargo-fuzz (cargo install) and a C++
# compiler (apt-get, when root) for libFuzzer. Stable Rust: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass
# its nightly-only flags.
#
#   scripts/fuzz-smoke.sh [TARGET...]      FUZZ_SECONDS=30 scripts/fuzz-smoke.sh engine
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-10}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(config loaders events engine)
fi

if ! command -v c++ >/dev/null 2>&1 && ! command -v clang++ >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        echo "fuzz-smoke: installing g++ (libFuzzer is built from C++ sources)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq g++ >/dev/null
    else
        echo "fuzz-smoke: a C++ compiler is needed (apt-get install g++)" >&2
        exit 1
    fi
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz-smoke: installing cargo-fuzz"
    cargo install cargo-fuzz --locked --quiet
fi

export RUSTC_BOOTSTRAP=1
# The same flags as the long runs that made the corpus: no sanitizer (safe Rust; ASan would only
# halve the speed), debug assertions and overflow checks on.
flags=(--sanitizer none --debug-assertions)
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
build_start=$(date +%s)
if ! cargo fuzz build "${flags[@]}" >"$scratch/build.log" 2>&1; then
    grep -v '^ *Compiling' "$scratch/build.log" >&2
    exit 1
fi
echo "fuzz-smoke: fuzz targets built ($(( $(date +%s) - build_start ))s)"
failed=0
for t in "${targets[@]}"; do
    corpus="fuzz/corpus/$t"
    mkdir -p "$corpus" "fuzz/artifacts/$t" "$scratch/$t"
    common=(-artifact_prefix="fuzz/artifacts/$t/" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1)
    start=$(date +%s)
    # Replay the committed corpus, then new inputs (written to a scratch directory: the committed
    # corpus is not modified).
    if cargo fuzz run "${flags[@]}" "$t" "$corpus" -- -runs=0 "${common[@]}" >"$scratch/$t.replay.log" 2>&1 \
        && cargo fuzz run "${flags[@]}" "$t" "$scratch/$t" "$corpus" -- -max_total_time="$seconds" "${common[@]}" \
            >"$scratch/$t.log" 2>&1; then
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$scratch/$t.log" | grep -o '[0-9]*$' || echo '?')
        echo "fuzz-smoke: $t ok ($(ls "$corpus" | wc -l) corpus inputs replayed, $runs runs, $(( $(date +%s) - start ))s)"
    else
        failed=1
        echo "fuzz-smoke: $t FAILED; last lines:" >&2
        tail -n 40 "$scratch/$t.replay.log" "$scratch/$t.log" 2>/dev/null >&2 || true
        ls "fuzz/artifacts/$t" >&2
    fi
done
if [ "$failed" = 0 ]; then
    echo "fuzz-smoke: all ${#targets[@]} targets ok"
else
    echo "fuzz-smoke: failed" >&2
fi
exit "$failed"

#!/usr/bin/env bash
# Fuzz one target for a while, niced, on the seed corpus, keeping going after a finding:
#
#   fuzz/run.sh TARGET [SECONDS]        # default 1800
#
# Builds with `cargo fuzz build -O -s none` (stable Rust: no sanitizer, which needs nightly or
# RUSTC_BOOTSTRAP=1; Rust code is memory-safe, so libFuzzer's own crash, timeout and RSS
# detection is what matters), then runs the binary directly so that a source change made
# while fuzzing does not trigger a rebuild. Findings go to fuzz/artifacts/TARGET/, the log to
# fuzz/logs/TARGET-HHMMSS.log; its last line has the run's executions and coverage.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$1"
secs="${2:-1800}"
cd "$here"
[ -d "corpus/$target" ] || ./seed.sh
[ -n "${NO_BUILD:-}" ] || cargo fuzz build -O -s none "$target"
bin="$here/target/x86_64-unknown-linux-gnu/release/$target"
mkdir -p "artifacts/$target" logs
dict=()
[ -f "dict/$target.dict" ] && dict=(-dict="dict/$target.dict")
max_len=262144
[ "$target" = repair ] && max_len=8192
exec nice -n 19 "$bin" "corpus/$target" "${dict[@]}" \
    -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
    -artifact_prefix="artifacts/$target/" -print_final_stats=1 \
    > "logs/$target-$(date -u +%H%M%S).log" 2>&1

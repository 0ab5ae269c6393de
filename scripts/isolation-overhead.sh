#!/usr/bin/env bash
# Isolation overhead: worker processes (the default) against --in-process, same inputs.
#
#   scripts/isolation-overhead.sh [CORPUS_DIR] [ROUNDS] [REPEAT]
#
# CORPUS_DIR defaults to ../shared/corpus/gen/dev/input. Each run converts CORPUS_DIR given
# REPEAT times on the command line (default 5, so a run lasts long enough for start-up noise
# not to dominate), with records to a temporary file. For -j 1 and -j 2, the two modes are run
# alternately (in-process, workers, in-process, workers, … ROUNDS times each, default 7), and
# the minimum and median wall-clock times and the overhead of workers are printed: on a shared
# machine the minimum is the figure least disturbed by other load. The CPU time (user + system,
# of gongwen and its worker processes) is printed the same way: it is what isolation costs
# whatever else the machine runs. The records of both modes are checked to be byte-identical
# first. Needs a release build (cargo build --release).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CORPUS="${1:-$HERE/../shared/corpus/gen/dev/input}"
ROUNDS="${2:-7}"
REPEAT="${3:-5}"
BIN="${GONGWEN:-$HERE/target/release/gongwen}"
[ -x "$BIN" ] || { echo "isolation-overhead.sh: build first: cargo build --release" >&2; exit 2; }
[ -d "$CORPUS" ] || { echo "isolation-overhead.sh: no directory $CORPUS" >&2; exit 2; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/gongwen-iso.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

python3 - "$BIN" "$CORPUS" "$ROUNDS" "$REPEAT" "$TMP" <<'EOF'
import filecmp, resource, statistics, subprocess, sys, time

binary, corpus, rounds, repeat, tmp = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
inputs = [corpus] * repeat

def run(jobs, in_process, out):
    cmd = [binary, "convert", *inputs, "-o", out, "-j", str(jobs), "--quiet"]
    if in_process:
        cmd.append("--in-process")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu

for jobs in (1, 2):
    run(jobs, True, f"{tmp}/threads.jsonl")
    run(jobs, False, f"{tmp}/workers.jsonl")
    if not filecmp.cmp(f"{tmp}/threads.jsonl", f"{tmp}/workers.jsonl", shallow=False):
        sys.exit(f"-j {jobs}: records of workers and --in-process differ")
    wall = {True: [], False: []}
    cpu = {True: [], False: []}
    for _ in range(rounds):
        for mode in (True, False):
            w, c = run(jobs, mode, f"{tmp}/out.jsonl")
            wall[mode].append(w)
            cpu[mode].append(c)
    for name, t in (("wall", wall), ("cpu", cpu)):
        lo_t, lo_w = min(t[True]), min(t[False])
        md_t, md_w = statistics.median(t[True]), statistics.median(t[False])
        print(f"-j {jobs} {name:>4}: in-process min {lo_t:.3f}s median {md_t:.3f}s | "
              f"workers min {lo_w:.3f}s median {md_w:.3f}s | "
              f"workers vs in-process: min {100 * (lo_w / lo_t - 1):+.1f}%, "
              f"median {100 * (md_w / md_t - 1):+.1f}%")
EOF

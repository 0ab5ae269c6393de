#!/usr/bin/env bash
# Scale benchmark: does memory stay flat and throughput hold as the batch grows?
#
#   scripts/scale.sh CORPUS_DIR [JOBS] [MAX_FILES]
#
# Builds a batch of MAX_FILES (default 100000, a multiple of 1000) inputs in a temporary
# directory by hard-linking (or, across file systems, copying) the HTML and DOCX files of
# CORPUS_DIR under new names, 1000 per subdirectory, then runs `gongwen convert -j JOBS` (default 2) on the first 1 000,
# 10 000 and 100 000 of them (never past MAX_FILES) with records to /dev/null, and prints for
# each size: files, seconds, files/s, MB/s and peak RSS (from /usr/bin/time -v).
# Needs a release build (cargo build --release) and GNU time. The temporary directory is
# removed at the end.
set -euo pipefail

CORPUS="${1:?usage: scripts/scale.sh CORPUS_DIR [JOBS] [MAX_FILES]}"
JOBS="${2:-2}"
MAX="${3:-100000}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${GONGWEN:-$HERE/target/release/gongwen}"
[ -x "$BIN" ] || { echo "scale.sh: build first: cargo build --release" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "scale.sh: needs GNU time (/usr/bin/time)" >&2; exit 2; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/gongwen-scale.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

mapfile -t SRC < <(find "$CORPUS" -type f \( -name '*.html' -o -name '*.htm' -o -name '*.docx' \) | sort)
[ "${#SRC[@]}" -gt 0 ] || { echo "scale.sh: no HTML or DOCX files under $CORPUS" >&2; exit 2; }

echo "scale.sh: linking $MAX files from ${#SRC[@]} sources into $TMP" >&2
# One directory of 1000 links, then hard-linked copies of that directory (cp -al), so that
# every file has its own path while the batch costs no disk space.
first="$TMP/all/d000"
mkdir -p "$first"
for ((j = 0; j < 1000 && j < MAX; j++)); do
  s="${SRC[$((j % ${#SRC[@]}))]}"
  dst=$(printf '%s/f%04d.%s' "$first" "$j" "${s##*.}")
  ln "$s" "$dst" 2>/dev/null || cp "$s" "$dst"
done
for ((k = 1; k < MAX / 1000; k++)); do
  cp -al "$first" "$(printf '%s/all/d%03d' "$TMP" "$k")" 2>/dev/null ||
    cp -a "$first" "$(printf '%s/all/d%03d' "$TMP" "$k")"
done

printf '%-8s %8s %9s %9s %8s %12s\n' files seconds files/s MB/s 'RSS MB' failed
for n in 1000 10000 100000; do
  [ "$n" -le "$MAX" ] || break
  dirs=()
  for ((k = 0; k < n / 1000; k++)); do dirs+=("$(printf '%s/all/d%03d' "$TMP" "$k")"); done
  bytes=$(du -sbl "${dirs[@]}" | awk '{s += $1} END {print s}')
  start=$(date +%s.%N)
  set +e
  /usr/bin/time -v -o "$TMP/time.txt" "$BIN" convert "${dirs[@]}" -o - -j "$JOBS" -q \
    --errors "$TMP/errors.jsonl" >/dev/null
  rc=$?
  set -e
  end=$(date +%s.%N)
  [ "$rc" -le 1 ] || { echo "scale.sh: gongwen exited $rc" >&2; cat "$TMP/time.txt" >&2; exit 1; }
  rss=$(awk -F: '/Maximum resident set size/ {print $2}' "$TMP/time.txt")
  failed=$(wc -l <"$TMP/errors.jsonl")
  awk -v n="$n" -v s="$start" -v e="$end" -v b="$bytes" -v r="$rss" -v f="$failed" 'BEGIN {
    t = e - s; printf "%-8d %8.2f %9.0f %9.1f %8.1f %12d\n", n, t, n / t, b / 1e6 / t, r / 1024, f }'
done

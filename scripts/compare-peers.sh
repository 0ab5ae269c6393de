#!/usr/bin/env bash
# Side-by-side throughput: gongwen against the peer extractors, per format, at one -j.
#
#   scripts/compare-peers.sh CORPUS [JOBS]
#
# CORPUS is a directory of HTML, PDF and DOCX files (e.g. ../shared/corpus/gen/dev/input).
# For each format the files are linked into their own temporary directory and converted by
# gongwen (release build) and by each peer runner of ../shared/peers (install them with
# ../shared/peers/install.sh --no-libreoffice) at the same --jobs (default 2). Printed per
# format and tool: files, seconds, files/s, MB/s, peak RSS, failures, and gongwen's speed
# relative to the tool (gongwen files/s ÷ tool files/s; > 1 means gongwen is faster).
#
# Timing: gongwen's seconds are wall-clock for the whole process (start-up included). A
# peer's seconds are the ones its runner reports (files converted and written; interpreter
# start-up, imports and pool warm-up excluded), which favours the peers. Peak RSS is GNU
# time's maximum resident set size of the largest single process (for the multi-process
# runners, one worker). The *floor* is benches/floor.rs: read every byte and inflate every
# PDF stream and DOCX entry, nothing else, on the same threads. For HTML a *tokenize* row
# follows it: the floor plus html5ever's tokenizer over every page (tokens dropped), the least
# a converter that parses with an HTML5 library must do. Both time themselves in-process.
#
# Each tool runs REPEAT times (default 3) and its fastest run is shown, since other load on a
# shared machine only ever slows a run down.
#
# Env: REPEAT, PEERS (default "kreuzberg extractous pdftotext"; empty for none; also trafilatura pandoc html2text
# pdfminer pypdf python_docx), FORMATS (default "html docx pdf"), GONGWEN (binary),
# PEERS_DIR (default ../shared/peers beside the repository), PEERS_VENV.
set -euo pipefail

CORPUS="${1:?usage: scripts/compare-peers.sh CORPUS [JOBS]}"
JOBS="${2:-2}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${GONGWEN:-$HERE/target/release/gongwen}"
PEERS_DIR="${PEERS_DIR:-$HERE/../shared/peers}"
PY="${PEERS_VENV:-$(cd "$PEERS_DIR/../.." 2>/dev/null && pwd)/.peers-venv}/bin/python"
PEERS="${PEERS-kreuzberg extractous pdftotext}"
FORMATS="${FORMATS:-html docx pdf}"
REPEAT="${REPEAT:-3}"
[ -x "$BIN" ] || { echo "compare-peers.sh: build first: cargo build --release" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "compare-peers.sh: needs GNU time (/usr/bin/time)" >&2; exit 2; }
[ -x "$PY" ] || echo "compare-peers.sh: no peer venv at $PY: peers skipped (run install.sh)" >&2
(cd "$HERE" && cargo build --release --quiet --bench floor 2>/dev/null) || true
FLOOR_BIN=$(find "$HERE/target/release/deps" -maxdepth 1 -type f -executable -name 'floor-*' \
  -printf '%T@ %p\n' 2>/dev/null | sort -n | tail -1 | cut -d' ' -f2)

TMP="$(mktemp -d "${TMPDIR:-/tmp}/gongwen-peers.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

# which formats a peer runner takes
peer_formats() {
  case "$1" in
    kreuzberg | extractous) echo "html docx pdf" ;;
    pdftotext | pdfminer | pypdf) echo "pdf" ;;
    trafilatura | html2text) echo "html" ;;
    pandoc) echo "html docx" ;;
    python_docx) echo "docx" ;;
    *) echo "" ;;
  esac
}

# print one row: tool files seconds bytes rss_kb failed [ratio]
row() {
  awk -v t="$1" -v n="$2" -v s="$3" -v b="$4" -v r="$5" -v f="$6" -v g="${7:-}" 'BEGIN {
    fs = (s > 0) ? n / s : 0
    ratio = (g != "" && fs > 0) ? sprintf("%.2fx", g / fs) : "-"
    printf "  %-12s %6d %9.3f %9.1f %8.2f %8.1f %7d %10s\n", t, n, s, fs, (s > 0) ? b / 1e6 / s : 0, r / 1024, f, ratio }'
}

# the floor binary's best time over REPEAT runs on $2 (more flags after it), printed as row $1;
# uses n, bytes and g_fps of the format being measured
floor_row() {
  local label="$1" in="$2" best="" line secs r
  shift 2
  for ((r = 0; r < REPEAT; r++)); do
    line=$(/usr/bin/time -v -o "$TMP/time.$r" "$FLOOR_BIN" "$in" "$JOBS" "$@")
    secs=$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<<"$line")
    if [ -z "$best" ] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$secs
      cp "$TMP/time.$r" "$TMP/time"
    fi
  done
  row "$label" "$n" "$best" "$bytes" "$(rss_of "$TMP/time")" 0 "$g_fps"
}

elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", b - a }'; }
rss_of() { awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$1"; }

for fmt in $FORMATS; do
  case "$fmt" in
    html) pat='.*\.(html?|shtml)$' ;;
    docx) pat='.*\.docx$' ;;
    pdf) pat='.*\.pdf$' ;;
    *) echo "compare-peers.sh: unknown format $fmt" >&2; exit 2 ;;
  esac
  dir="$TMP/in-$fmt"
  mkdir -p "$dir"
  n=0
  while IFS= read -r f; do
    rel="${f#"$CORPUS"/}"
    dst="$dir/${rel//\//__}"
    ln "$f" "$dst" 2>/dev/null || cp "$f" "$dst"
    n=$((n + 1))
  done < <(find "$CORPUS" -type f -regextype posix-extended -iregex "$pat" | sort)
  [ "$n" -gt 0 ] || continue
  bytes=$(du -sbl "$dir" | cut -f1)
  echo "== $fmt: $n files, $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB, -j $JOBS"
  printf '  %-12s %6s %9s %9s %8s %8s %7s %10s\n' tool files seconds files/s MB/s 'RSS MB' failed 'gongwen÷'

  # gongwen
  g_secs=""
  for ((r = 0; r < REPEAT; r++)); do
    start=$(date +%s.%N)
    set +e
    /usr/bin/time -v -o "$TMP/time.$r" "$BIN" convert "$dir" -o "$TMP/gongwen-$fmt.jsonl" -j "$JOBS" -q \
      --errors "$TMP/gongwen-$fmt.errors.jsonl"
    set -e
    end=$(date +%s.%N)
    secs=$(elapsed "$start" "$end")
    if [ -z "$g_secs" ] || awk -v a="$secs" -v b="$g_secs" 'BEGIN { exit !(a < b) }'; then
      g_secs=$secs
      cp "$TMP/time.$r" "$TMP/time"
    fi
  done
  g_fps=$(awk -v n="$n" -v s="$g_secs" 'BEGIN { print n / s }')
  row gongwen "$n" "$g_secs" "$bytes" "$(rss_of "$TMP/time")" "$(wc -l <"$TMP/gongwen-$fmt.errors.jsonl")"

  # the floor, and for HTML the floor plus html5ever's tokenizer (the least a library parser
  # does)
  if [ -n "$FLOOR_BIN" ]; then
    floor_row floor "$dir"
    if [ "$fmt" = html ]; then floor_row tokenize "$dir" --html-tokenize; fi
  fi

  # peers
  [ -x "$PY" ] || continue
  for peer in $PEERS; do
    case " $(peer_formats "$peer") " in *" $fmt "*) ;; *) continue ;; esac
    script="$PEERS_DIR/run_$peer.py"
    [ -f "$script" ] || { echo "  $peer: no runner $script" >&2; continue; }
    best=""
    for ((r = 0; r < REPEAT; r++)); do
      set +e
      line=$(/usr/bin/time -v -o "$TMP/time.$r" "$PY" "$script" "$dir" "$TMP/$peer-$fmt.jsonl" \
        --jobs "$JOBS" 2>"$TMP/$peer-$fmt.stderr" | tail -1)
      set -e
      [[ "$line" =~ files=([0-9]+)\ ok=([0-9]+)\ failed=([0-9]+)\ seconds=([0-9.]+) ]] || continue
      secs=${BASH_REMATCH[4]}
      if [ -z "$best" ] || awk -v a="$secs" -v b="${best##* }" 'BEGIN { exit !(a < b) }'; then
        best="${BASH_REMATCH[1]} ${BASH_REMATCH[3]} $secs"
        cp "$TMP/time.$r" "$TMP/time"
      fi
    done
    if [ -n "$best" ]; then
      read -r p_files p_failed p_secs <<<"$best"
      row "$peer" "$p_files" "$p_secs" "$bytes" "$(rss_of "$TMP/time")" "$p_failed" "$g_fps"
    else
      echo "  $peer: failed (see its stderr)" >&2
      tail -3 "$TMP/$peer-$fmt.stderr" >&2 || true
    fi
  done
done

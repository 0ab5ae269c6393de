#!/usr/bin/env bash
# One line per fuzz run in fuzz/logs/: target, seconds, executions, coverage, findings.
cd "$(dirname "$0")"
for f in logs/*.log; do
    last=$(grep '^#' "$f" | tail -n 1)
    [ -n "$last" ] || continue
    echo "$(basename "$f" .log): $last"
done

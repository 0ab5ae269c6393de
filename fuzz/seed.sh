#!/usr/bin/env bash
# Copy a seed corpus for every fuzz target into fuzz/corpus/TARGET (not committed), from
# samples/ and, when present, ../shared/corpus (dev, real and suites). Files over 256 KiB are
# left out: libFuzzer runs with -max_len and large seeds only slow it down.
#
#   fuzz/seed.sh            # from the repository root or from fuzz/
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
shared="${GONGWEN_SHARED:-$root/../shared}"
max=$((256 * 1024))
sources=("$root/samples")
for d in "$root/tests/fuzz-regressions" "$shared/corpus/gen/dev/input" "$shared/corpus/real" "$shared/corpus/suites"; do
    [ -d "$d" ] && sources+=("$d")
done

for t in decode html html_tokenize pdf docx doc rtf mhtml xlsx xls repair; do mkdir -p "$here/corpus/$t"; done

put() { # put TARGET FILE: copy under its content hash so re-runs add nothing twice
    local name
    name=$(sha1sum "$2" | cut -c1-40)
    [ -e "$here/corpus/$1/$name" ] || cp "$2" "$here/corpus/$1/$name"
}

find "${sources[@]}" -type f -size -"$max"c -print0 |
while IFS= read -r -d '' f; do
    case "$f" in
    *.html | *.htm | *.shtml)
        put html "$f"; put html_tokenize "$f"; put decode "$f" ;;
    *.pdf) put pdf "$f" ;;
    *.docx) put docx "$f" ;;
    *.doc | *.wps) put doc "$f" ;;
    *.xlsx | *.xlsm) put xlsx "$f" ;;
    *.xls | *.et) put xls "$f" ;;
    *.rtf) put rtf "$f" ;;
    *.mht | *.mhtml) put mhtml "$f" ;;
    *.txt | *.md) put repair "$f"; put decode "$f" ;;
    *)
        # Regression files and extension-less files: sort by their bytes.
        if head -c 1024 "$f" | grep -aq '%PDF-'; then put pdf "$f"
        elif head -c 4 "$f" | grep -aq '^PK' && grep -aq 'xl/workbook' "$f"; then put xlsx "$f"
        elif head -c 4 "$f" | grep -aq '^PK'; then put docx "$f"
        elif head -c 8 "$f" | od -An -tx1 | grep -q 'd0 cf 11 e0 a1 b1 1a e1'; then put doc "$f"
        elif head -c 16 "$f" | grep -aq '{.rtf'; then put rtf "$f"
        elif head -c 4096 "$f" | grep -aiq '<html\|<body\|<meta\|<div\|<p>'; then
            put html "$f"; put html_tokenize "$f"; put decode "$f"
        fi ;;
    esac
done

# The repair engine's seeds: the text of the HTML seeds, tags dropped, cut to 8 KiB.
for f in "$here"/corpus/html/*; do
    sed -e 's/<[^>]*>//g' "$f" | grep -av '^[[:space:]]*$' | head -c 8192 \
        > "$here/corpus/repair/text-$(basename "$f")" || true
done
for t in decode html pdf docx xlsx xls repair; do
    echo "$t: $(find "$here/corpus/$t" -type f | wc -l) seeds"
done

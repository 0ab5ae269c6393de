#!/usr/bin/env python3
"""How much of a lossy GBK mojibake page comes back: real records garbled, converted, compared.

  cargo build --release
  target/release/gongwen convert ../shared/corpus/real ../shared/corpus/suites -o /tmp/real.jsonl
  python3 scripts/mojibake-eval.py /tmp/real.jsonl [WORKDIR]

Each record with at least 100 Han characters in its body becomes a plain page (its title and
up to 80 body lines as paragraphs, declared UTF-8), written twice: as is, and garbled as a
scraper garbles it (the UTF-8 bytes decoded by Python's `gbk` codec with errors="replace",
which loses a byte wherever it meets a pair it cannot map, and saved as UTF-8). Both sets are
converted with target/release/gongwen (or $GONGWEN); the script prints how many body characters of the
garbled pages' records differ from the clean pages' records (edit distance by difflib).

The real records, not the generated dev corpus: its documents are the ones scored.
"""
import difflib
import html
import json
import os
import subprocess
import sys
import tempfile


def pages(records, clean_dir, garbled_dir):
    n = 0
    for line in open(records, encoding="utf-8"):
        r = json.loads(line)
        body = r.get("body") or ""
        if sum(1 for c in body if "\u4e00" <= c <= "\u9fff") < 100:
            continue
        paragraphs = "".join(f"<p>{html.escape(x)}</p>\n" for x in body.split("\n")[:80])
        title = html.escape(r.get("title") or "文件")
        page = (
            '<!DOCTYPE html><html><head><meta charset="utf-8">'
            f"<title>{title}</title></head><body><div class=\"content\">{paragraphs}</div>"
            "</body></html>"
        )
        name = f"p{n:04d}.html"
        with open(os.path.join(clean_dir, name), "w", encoding="utf-8") as f:
            f.write(page)
        with open(os.path.join(garbled_dir, name), "w", encoding="utf-8") as f:
            f.write(page.encode("utf-8").decode("gbk", errors="replace"))
        n += 1
    return n


def bodies(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        out[os.path.basename(r["source"]["path"])] = r.get("body") or ""
    return out


def main(records, work):
    binary = os.environ.get("GONGWEN") or os.path.join(
        os.path.dirname(__file__), "..", "target", "release", "gongwen"
    )
    clean_dir, garbled_dir = os.path.join(work, "clean"), os.path.join(work, "garbled")
    os.makedirs(clean_dir, exist_ok=True)
    os.makedirs(garbled_dir, exist_ok=True)
    n = pages(records, clean_dir, garbled_dir)
    for d in (clean_dir, garbled_dir):
        subprocess.run([binary, "convert", d, "-o", d + ".jsonl", "-q"], check=True)
    clean, garbled = bodies(clean_dir + ".jsonl"), bodies(garbled_dir + ".jsonl")
    chars = errors = 0
    for name, a in clean.items():
        b = garbled.get(name, "")
        ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        errors += sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in ops if op != "equal")
        chars += len(a)
    print(f"pages {n} body characters {chars} differing {errors} ({errors / max(chars, 1):.2%})")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="gongwen-mojibake-"))

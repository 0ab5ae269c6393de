#!/usr/bin/env python3
"""Compare gongwen's PDF text with poppler's pdftotext, file by file.

For every PDF under the given directories (default: ../shared/corpus/real/pdf and
../shared/corpus/suites/pdf), run `pdftotext -enc UTF-8 FILE -` and gongwen's
`pdftext` example (the body blocks of `extract::pdf::extract`, joined by newlines), fold
both texts with NFKC, drop pdftotext's page-number lines and all whitespace, and print

  f1    F1 of the two texts' character multisets (the same characters come out)
  sim   1 - edit distance / length of pdftotext's text (the same reading order)
  simL  the same against `pdftotext -layout`, poppler's reading that keeps each table row on
        one line

and the mean of each.  Two similarities because the issue asks for tables read row by row:
plain pdftotext reads a table column by column (all the labels, then all the figures), so on
budgets and annual reports `sim` counts the difference between row and column order, while
`-layout` reads rows as gongwen does (and, unlike gongwen, runs two text columns together
line by line).  Neither is ground truth; a file's lower similarity shows where to look.  Files where pdftotext finds no text (scans) are listed, not scored.

With --diff, every file's differing stretches are printed too (difflib opcodes over the folded
texts: what only we have, what only pdftotext has), to see where the edit distance comes from.

With --dev DIR (e.g. ../shared/corpus/gen/dev) it instead compares gongwen's blocks with the
expected `body` of DIR/expected/*.pdf.json and prints score.py's cer (edit distance /
expected length, whitespace kept as newlines between blocks).

Usage: scripts/pdf-vs-pdftotext.py [--bin PATH] [--diff] [--dev DIR] [DIR_OR_FILE ...]
Build the binary first: cargo build --release --example pdftext
Standard library only (plus the pdftotext command).
"""
import argparse
import collections
import difflib
import glob
import json
import os
import re
import subprocess
import sys
import time
import unicodedata

PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－_·•.\s]*\d{1,4}[-—–－_·•.\s]*|第\s*\d+\s*页\s*[/／,，]?\s*(?:共\s*\d+\s*页)?|"
    r"共\s*\d+\s*页\s*第\s*\d+\s*页|\d+\s*/\s*\d+|Page\s*\d+(?:\s*of\s*\d+)?)\s*$",
    re.I)


def levenshtein(a: str, b: str) -> int:
    """Edit distance by Hyyro's bit-vector algorithm (as in shared/eval/score.py)."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    m = len(b)
    peq = {}
    for i, ch in enumerate(b):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    pv, mv, score = mask, 0, m
    for ch in a:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | ~(xh | pv)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | 1) & mask
        mh = (mh << 1) & mask
        pv = (mh | ~(xv | ph)) & mask
        mv = ph & xv
    return score


def fold(text: str, drop_page_numbers: bool) -> str:
    """NFKC, whitespace removed; with drop_page_numbers, page-number lines among the first
    and last two lines of each page (pdftotext ends pages with a form feed) are dropped."""
    kept = []
    for page in text.split("\f"):
        lines = [l for l in unicodedata.normalize("NFKC", page).splitlines() if l.strip()]
        if drop_page_numbers:
            edge = set(range(min(2, len(lines)))) | set(range(max(0, len(lines) - 2), len(lines)))
            lines = [l for i, l in enumerate(lines) if not (i in edge and PAGE_NUMBER.match(l))]
        kept += lines
    return re.sub(r"\s+", "", "".join(kept))


def f1(a: str, b: str) -> float:
    ca, cb = collections.Counter(a), collections.Counter(b)
    tp = sum((ca & cb).values())
    if not a and not b:
        return 1.0
    if tp == 0:
        return 0.0
    p, r = tp / len(a), tp / len(b)
    return 2 * p * r / (p + r)


def ours(binary: str, path: str, flags=()):
    t = time.perf_counter()
    r = subprocess.run([binary, path, *flags], capture_output=True, timeout=120)
    dt = time.perf_counter() - t
    if r.returncode != 0:
        return None, dt, r.stderr.decode("utf-8", "replace").strip()
    return r.stdout.decode("utf-8", "replace"), dt, ""


def poppler(path: str, layout: bool = False):
    mode = ["-layout"] if layout else []
    t = time.perf_counter()
    r = subprocess.run(["pdftotext", "-enc", "UTF-8", *mode, path, "-"], capture_output=True, timeout=120)
    return r.stdout.decode("utf-8", "replace"), time.perf_counter() - t


def compare_pdftotext(binary, inputs, show_diff=False):
    files = []
    for item in inputs:
        files += sorted(glob.glob(os.path.join(item, "*.pdf"))) if os.path.isdir(item) else [item]
    rows, t_ours, t_pop = [], 0.0, 0.0
    print(f"{'file':58} {'f1':>6} {'sim':>6} {'simL':>6} {'chars':>7} {'ours ms':>8} {'poppler ms':>10}")
    for path in files:
        ref, dp = poppler(path)
        got, do, err = ours(binary, path)
        t_ours += do
        t_pop += dp
        name = os.path.relpath(path)[-58:]
        ref_f = fold(ref, True)
        if got is None:
            print(f"{name:58} error: {err}")
            rows.append((0.0, 0.0, 0.0))
            continue
        got_f = fold(got, False)
        if not ref_f:
            print(f"{name:58} (pdftotext has no text: scan) ours {len(got_f)} chars")
            continue
        sim = 1 - levenshtein(got_f, ref_f) / max(1, len(ref_f))
        lay_f = fold(poppler(path, layout=True)[0], True)
        sim_layout = 1 - levenshtein(got_f, lay_f) / max(1, len(lay_f))
        score = f1(got_f, ref_f)
        rows.append((score, sim, sim_layout))
        print(f"{name:58} {score:6.3f} {sim:6.3f} {sim_layout:6.3f} {len(ref_f):7} {do*1000:8.0f} {dp*1000:10.0f}")
        if show_diff:
            print_diff(got_f, ref_f)
    if rows:
        mf = sum(r[0] for r in rows) / len(rows)
        ms = sum(r[1] for r in rows) / len(rows)
        ml = sum(r[2] for r in rows) / len(rows)
        print(f"mean f1 {mf:.4f}  min f1 {min(r[0] for r in rows):.4f}  mean sim {ms:.4f}  mean simL {ml:.4f}  "
              f"files {len(rows)}  time ours {t_ours:.2f}s pdftotext {t_pop:.2f}s")


def print_diff(got: str, ref: str, width: int = 100):
    """The stretches where the folded texts differ: ours (-) and pdftotext's (+), with offsets."""
    sm = difflib.SequenceMatcher(None, got, ref, autojunk=False)
    for op, a1, a2, b1, b2 in sm.get_opcodes():
        if op == "equal":
            continue
        if a2 > a1:
            print(f"    - ours[{a1}:{a2}] {got[a1:a2][:width]}")
        if b2 > b1:
            print(f"    + pdftotext[{b1}:{b2}] {ref[b1:b2][:width]}")


def compare_dev(binary, dev, worst):
    rows = []
    for exp_path in sorted(glob.glob(os.path.join(dev, "expected", "*.pdf.json"))):
        name = os.path.basename(exp_path)[: -len(".json")]
        exp = json.load(open(exp_path, encoding="utf-8"))["body"]
        got, _, err = ours(binary, os.path.join(dev, "input", name), ["--body"])
        got = (got or "").strip("\n")
        cer = min(1.0, levenshtein(got, exp) / max(1, len(exp)))
        rows.append((cer, name))
    rows.sort(reverse=True)
    for cer, name in rows[:worst]:
        print(f"  {name}: cer {cer:.4f}")
    print(f"mean body cer (before repair) {sum(r[0] for r in rows) / max(1, len(rows)):.4f} over {len(rows)} files")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("inputs", nargs="*")
    ap.add_argument("--bin", default="target/release/examples/pdftext")
    ap.add_argument("--dev")
    ap.add_argument("--worst", type=int, default=10)
    ap.add_argument("--diff", action="store_true")
    a = ap.parse_args()
    if a.dev:
        compare_dev(a.bin, a.dev, a.worst)
    else:
        compare_pdftotext(a.bin, a.inputs or ["../shared/corpus/real/pdf", "../shared/corpus/suites/pdf"],
                          a.diff)
    return 0


if __name__ == "__main__":
    sys.exit(main())

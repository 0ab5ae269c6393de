#!/usr/bin/env python3
"""Compare gongwen's spreadsheet records with LibreOffice's reading of the same workbooks.

For every .xls/.xlsx/.et under the given directories (default: ../shared/corpus/real and
../shared/corpus/suites), LibreOffice exports every sheet to CSV (`soffice --convert-to
csv:…:-1`, cells as shown, number formats applied) and gongwen converts the workbook. Both texts are folded
with NFKC and stripped of all white space and of CSV quoting, then compared as character
multisets, sheet by sheet:

  recall     the share of the characters of the sheets gongwen read (their cells and tab
             names) that its record holds
  precision  the share of the record's characters found in those sheets

Hidden sheets, which LibreOffice exports, are left out of both figures: gongwen leaves them
out, as a reader of the workbook sees it, and names them in a warning. Neither side is ground truth
(LibreOffice writes numbers in its own shortest form, gongwen records repairs such as a
restored `。` or a dropped space); a low figure shows where to look.

With --diff, the characters only one side has are printed for each workbook.

Usage: scripts/sheet-vs-soffice.py [--bin PATH] [--diff] [DIR_OR_FILE ...]
Build the binary first: cargo build --release.  Needs soffice (LibreOffice Calc) on the PATH.
Standard library only.
"""
import argparse
import collections
import csv
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

EXTENSIONS = (".xls", ".xlsx", ".xlsm", ".et")
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def fold(text):
    return "".join(c for c in unicodedata.normalize("NFKC", text) if not c.isspace())


def soffice_sheets(path, tmp):
    """Sheet name -> folded text of all its cells, as LibreOffice reads them."""
    out = os.path.join(tmp, "csv")
    os.makedirs(out, exist_ok=True)
    for f in glob.glob(os.path.join(out, "*")):
        os.remove(f)
    subprocess.run(["soffice", "--headless", "--convert-to", CSV_FILTER, "--outdir", out, path],
                   check=True, capture_output=True)
    stem = os.path.splitext(os.path.basename(path))[0]
    sheets = {}
    for f in sorted(glob.glob(os.path.join(out, "*.csv"))):
        name = os.path.basename(f)[len(stem) + 1:-len(".csv")]
        with open(f, encoding="utf-8", newline="") as fh:
            sheets[name] = fold("".join("".join(row) for row in csv.reader(fh)))
    return sheets


def gongwen_text(binary, path, tmp):
    out = os.path.join(tmp, "g.jsonl")
    subprocess.run([binary, "convert", path, "-o", out, "-q", "--in-process", "-j", "1"],
                   check=True, capture_output=True)
    with open(out, encoding="utf-8") as fh:
        lines = fh.readlines()
    if not lines:
        return None
    r = json.loads(lines[0])
    hidden = set()
    for w in r["warnings"]:
        m = re.match(r"\d+ hidden sheets? left out: (.*)", w)
        if m:
            hidden.update(m.group(1).split(", "))
    return fold((r["title"] or "") + r["body"]), hidden


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default="target/release/gongwen")
    ap.add_argument("--diff", action="store_true", help="print the characters only one side has")
    ap.add_argument("paths", nargs="*")
    args = ap.parse_args()
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    paths = args.paths or [os.path.join(here, "..", "shared", "corpus", d) for d in ("real", "suites")]
    files = []
    for p in paths:
        if os.path.isfile(p):
            files.append(p)
        for root, _, names in os.walk(p):
            files += [os.path.join(root, n) for n in names if n.lower().endswith(EXTENSIONS)]
    if not files:
        sys.exit("no workbooks found")
    totals = collections.Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(files):
            got = gongwen_text(args.bin, path, tmp)
            if got is None:
                print(f"{os.path.basename(path)}: no record")
                continue
            ours, hidden = got
            have = collections.Counter(ours)
            read_chars = collections.Counter()
            left_out = []
            for name, text in soffice_sheets(path, tmp).items():
                if not text:
                    continue
                # The sheets the record's warning names as hidden are left out.
                if name in hidden or name.strip() in hidden:
                    left_out.append(name)
                    continue
                # Its tab's name, which gongwen may show as a heading line, is part of what a
                # reader sees.
                read_chars += collections.Counter(text + fold(name))
            common = sum((read_chars & have).values())
            totals["sheet"] += sum(read_chars.values())
            totals["sheet_found"] += common
            totals["ours"] += sum(have.values())
            totals["ours_found"] += common
            recall = common / max(1, sum(read_chars.values()))
            precision = common / max(1, sum(have.values()))
            print(f"{os.path.basename(path)}: recall {recall:.4f} precision {precision:.4f}"
                  + (f"; left out: {', '.join(left_out)}" if left_out else ""))
            if args.diff:
                only_sheets = "".join(sorted((read_chars - have).elements()))
                only_ours = "".join(sorted((have - read_chars).elements()))
                print(f"  only LibreOffice: {only_sheets[:300]}\n  only gongwen: {only_ours[:300]}")
    print(f"all: recall {totals['sheet_found'] / max(1, totals['sheet']):.4f} "
          f"precision {totals['ours_found'] / max(1, totals['ours']):.4f} "
          f"({len(files)} workbooks)")


if __name__ == "__main__":
    main()

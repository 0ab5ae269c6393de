#!/usr/bin/env python3
"""Character-pair counts of real government pages, for the mojibake rule.

  target/release/gongwen convert ../shared/corpus/real ../shared/corpus/suites -o /tmp/real.jsonl
  python3 scripts/bigrams.py /tmp/real.jsonl > data/bigrams.tsv

Counts each pair of adjacent characters, both CJK (U+2E80 and up: Han, CJK and fullwidth
punctuation) or one CJK and one ASCII digit (every digit counted as `0`), in the title and
body of every record, and keeps the pairs seen at least twice.
When the wrong decoding lost a character's bytes, the rule weighs its candidates by how often
they pair with their neighbours: in the document first, then in these counts.

The generated dev corpus is left out on purpose: its documents are the ones scored.
"""
import collections
import json
import sys

MIN_COUNT = 2


def cjk(c):
    return ord(c) >= 0x2E80 and c != "\ufffd" and not c.isspace()


def digit(c):
    return "0" <= c <= "9"


def main(paths):
    pairs = collections.Counter()
    records = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                records += 1
                for text in (r.get("title") or "", r.get("body") or ""):
                    for a, b in zip(text, text[1:]):
                        if cjk(a) and (cjk(b) or digit(b)) or digit(a) and cjk(b):
                            pairs[("0" if digit(a) else a) + ("0" if digit(b) else b)] += 1
    kept = sorted((p, n) for p, n in pairs.items() if n >= MIN_COUNT)
    print(f"# character pairs of {records} real records, seen at least {MIN_COUNT} times "
          f"(scripts/bigrams.py)")
    for p, n in kept:
        print(f"{p}\t{n}")


if __name__ == "__main__":
    main(sys.argv[1:])

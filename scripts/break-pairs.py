#!/usr/bin/env python3
"""Han text on either side of line breaks, for measuring how paragraph_join reads a break.

  scripts/break-pairs.py EXPECTED_DIR_OR_JSONL... > pairs.tsv
  cargo run --release --example break_scores < pairs.tsv > scores.tsv
  scripts/break-pairs.py --summary scores.tsv

From the bodies of expected records (a directory of *.json) or of gongwen output (*.jsonl),
writes LABEL<TAB>BEFORE<TAB>AFTER lines with up to three Han characters on each side of:
  between  a break between two body lines, the first ending in 。 (the 。 taken off: a
           paragraph that lost its stop) or on a Han character (a heading, a label);
  inside   a break made at a random place between two Han characters of one line.
--summary prints, for several thresholds, how many of each kind reach it.
"""
import glob
import json
import os
import random
import sys


def is_han(c):
    return '\u4e00' <= c <= '\u9fff'


def tail(s, k=3):
    out = ''
    for c in reversed(s):
        if not is_han(c) or len(out) == k:
            break
        out = c + out
    return out


def head(s, k=3):
    out = ''
    for c in s:
        if not is_han(c) or len(out) == k:
            break
        out += c
    return out


def bodies(path):
    if os.path.isdir(path):
        for f in sorted(glob.glob(os.path.join(path, '*.json'))):
            with open(f, encoding='utf-8') as fh:
                yield json.load(fh)['body']
    else:
        with open(path, encoding='utf-8') as fh:
            for line in fh:
                yield json.loads(line).get('body') or ''


def pairs(paths):
    rng = random.Random(1)
    for path in paths:
        for body in bodies(path):
            lines = body.split('\n')
            for a, b in zip(lines, lines[1:]):
                a = a[:-1] if a.endswith('。') else a
                t, h = tail(a), head(b)
                if t and h:
                    yield 'between', t, h
            for a in lines:
                at = [i for i in range(1, len(a)) if is_han(a[i - 1]) and is_han(a[i])]
                if at:
                    i = rng.choice(at)
                    yield 'inside', tail(a[:i]), head(a[i:])


def summary(path):
    rows = [line.rstrip('\n').split('\t') for line in open(path, encoding='utf-8')]
    for th in (0.5, 1, 2, 3, 4):
        counts = {}
        for label, ratio, *_ in rows:
            n, hit = counts.get(label, (0, 0))
            counts[label] = (n + 1, hit + (float(ratio) >= th))
        cells = ', '.join(f'{k} {hit}/{n}' for k, (n, hit) in sorted(counts.items()))
        print(f'ln ratio >= {th}: {cells}')


def main():
    if sys.argv[1:2] == ['--summary']:
        summary(sys.argv[2])
        return
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for label, before, after in pairs(sys.argv[1:]):
        print(f'{label}\t{before}\t{after}')


if __name__ == '__main__':
    main()

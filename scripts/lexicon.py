#!/usr/bin/env python3
"""Words of general Chinese and their frequencies, for the mojibake rule.

  python3 scripts/lexicon.py PATH/TO/jieba-rs-0.11.0/src/data/dict.txt > data/lexicon.tsv

The source is the dictionary of the jieba segmenter (MIT licence), as shipped in the
jieba-rs crate: about 350,000 words with their counts in a large general corpus. Kept: words
of one to four characters, all CJK Unified Ideographs (U+4E00 to U+9FFF), counted at least
MIN_COUNT times; the same word listed twice keeps its larger count.

When the wrong decoding lost a character's bytes, the rule weighs each candidate by how well
the text around it, with the candidate in place, splits into words of this list.

Nothing of the generated dev corpus goes into the list: its documents are the ones scored.
"""
import sys

MIN_COUNT = 10


def han(c):
    return "\u4e00" <= c <= "\u9fff"


def main(path):
    words = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            word, count = parts[0], int(parts[1])
            if 1 <= len(word) <= 4 and all(han(c) for c in word) and count >= MIN_COUNT:
                words[word] = max(count, words.get(word, 0))
    print("# words of the jieba dictionary (MIT licence, via the jieba-rs crate) and their counts")
    print(f"# scripts/lexicon.py: 1 to 4 Han characters, counted at least {MIN_COUNT} times")
    for word in sorted(words):
        print(f"{word}\t{words[word]}")


if __name__ == "__main__":
    main(sys.argv[1])

#!/usr/bin/env python3
"""Wrap HTML pages into MHTML web archives, as Word's "single file web page" does, to measure
the MHTML reader against the pages' own expected records.

  python3 scripts/mhtml-wrap.py ../shared/corpus/gen/dev /tmp/devmht
  target/release/gongwen convert /tmp/devmht/input -o /tmp/devmht.jsonl -q
  python3 ../shared/eval/score.py /tmp/devmht/expected /tmp/devmht.jsonl

Each DEV/input/X.html becomes OUT/input/X.mht: multipart/related, the page's bytes
quoted-printable as they are (in whatever charset they are), the charset of its declaration
(if any) in the part's Content-Type, and a small image part after it; DEV/expected/X.html.json
is copied to OUT/expected/X.mht.json. Standard library only.
"""
import os
import quopri
import re
import shutil
import sys


def wrap(page: bytes) -> bytes:
    m = re.search(rb'charset\s*=\s*["\']?([A-Za-z0-9_-]+)', page[:2048], re.I)
    charset = m.group(1).decode() if m else "utf-8"
    boundary = "----=_NextPart_01D9A1B2.C3D4E5F6"
    head = (
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/related; boundary="{boundary}"\r\n\r\n'
        "This document is a Single File Web Page, also known as a Web Archive file.\r\n\r\n"
        f"--{boundary}\r\n"
        "Content-Location: file:///C:/page.htm\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        f'Content-Type: text/html; charset="{charset}"\r\n\r\n'
    ).encode()
    body = quopri.encodestring(page).replace(b"\n", b"\r\n")
    tail = (
        f"\r\n\r\n--{boundary}\r\n"
        "Content-Location: file:///C:/page.files/image001.png\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "Content-Type: image/png\r\n\r\niVBORw0KGgo=\r\n\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    return head + body + tail


def main():
    dev, out = sys.argv[1], sys.argv[2]
    for sub in ("input", "expected"):
        shutil.rmtree(os.path.join(out, sub), ignore_errors=True)
        os.makedirs(os.path.join(out, sub))
    n = 0
    for name in sorted(os.listdir(os.path.join(dev, "input"))):
        if not name.endswith(".html"):
            continue
        stem = name[: -len(".html")]
        with open(os.path.join(dev, "input", name), "rb") as f:
            page = f.read()
        with open(os.path.join(out, "input", stem + ".mht"), "wb") as f:
            f.write(wrap(page))
        shutil.copy(
            os.path.join(dev, "expected", name + ".json"),
            os.path.join(out, "expected", stem + ".mht.json"),
        )
        n += 1
    print(f"{n} archives in {out}/input")


if __name__ == "__main__":
    main()

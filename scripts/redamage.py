#!/usr/bin/env python3
"""Build a re-damaged HTML test set from the generated dev corpus.

Each dev HTML page (mojibake pages excepted) is used as a template: the page
chrome (head, nav, breadcrumb, metadata panel, footer, ...) is kept byte for
byte, the article content container (<div class="TRS_Editor">,
<div class="content-body"> or the Word <div class="Section1">) is rebuilt from
the EXPECTED body lines in the template's own content markup (p / word / br /
div), and the damage patterns of CORPUS.md are applied afresh with a new
random seed:

  docnum_drop  〔〕 dropped around the year: 国办发202017号, 〔201961号, 2019〕61号
  marker_drop  （ + numeral of a （一）/（1） heading marker dropped, leaving ）
  period_drop  sentence-final 。 dropped; rarely an inner 。 or ，
  halfwidth    ，：；（）？！ -> ASCII, whole page or some paragraphs; intact
               heading markers stay full-width
  para_split   a paragraph split in two mid-sentence (between two CJK characters)
  indent       leading spaces / &nbsp; / U+3000

Rates are calibrated on the dev inputs (see PROFILES).  The stray boilerplate
lines the template carries inside its content region (解读, 文件下载, ...) are
kept at the same relative position.  Pages are written as UTF-8 with the
charset declaration rewritten to utf-8; the expected JSON is copied unchanged
(it is the clean truth, independent of damage).

With --bodies RECORDS.jsonl the templates are filled with those records'
bodies instead (body, sections and doc_refs replace the template's; title and
metadata stay), in turn: text the rules were not tuned on, e.g. gongwen's own
records of the real files.

Output:
  OUT/input/<name>_r<seed>.html
  OUT/expected/<name>_r<seed>.html.json
  OUT/damage.jsonl   one line per page: patterns and every damage event applied

Usage:
  python3 scripts/redamage.py --out /tmp/redamage/clean --profile none --seeds 0
  python3 scripts/redamage.py --out /tmp/redamage --profile dev --seeds 1,2,3
  target/release/gongwen convert /tmp/redamage/input -o /tmp/redamage/out.jsonl -q
  python3 ../shared/eval/score.py /tmp/redamage/expected /tmp/redamage/out.jsonl --worst 15
  python3 scripts/redamage.py --out /tmp/redamage --analyse /tmp/redamage/out.jsonl

Standard library only.
"""
import argparse
import html
import json
import os
import random
import re
import shutil
import sys
import tempfile

# The dev corpus beside the repository: ../shared/corpus/gen/dev.
DEV = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "corpus", "gen", "dev")

DECODE = {
    "utf-8": "utf-8", "utf-8-bom": "utf-8-sig", "gbk": "gbk", "gb2312-label-gbk": "gbk",
    "gb18030": "gb18030", "mislabel-gb2312-utf8": "utf-8", "mislabel-utf8-gbk": "gbk",
}

# Per-page probability that a pattern is active, and its per-item rate range.
# Calibrated on gen/dev HTML: pattern page shares from manifest.json
# (period 40/60, indent 39/60, halfwidth 36/60, docnum 27/60, marker 17/34 pages
# that have （一）/（1） markers, para_split 9/60) and per-item rates measured by
# aligning the dev inputs with their expected bodies.
PROFILES = {
    "dev": {
        "period_drop": (0.67, (0.06, 0.5)),   # share of sentence-final 。 dropped
        "indent": (0.65, (0.15, 1.0)),        # share of lines indented
        "halfwidth": (0.60, (0.35, 0.7)),     # partial mode: share of paragraphs
        "halfwidth_whole": 0.68,              # share of halfwidth pages done whole-page
        "docnum_drop": (0.45, (0.35, 0.8)),   # share of document numbers damaged
        "marker_drop": (0.50, (0.1, 0.8)),    # share of （一）/（1） markers dropped
        "para_split": (0.15, (1, 2)),         # number of splits on the page
        "inner_period": 0.01,                 # per line, an inner 。 dropped (period pages)
        "inner_comma": 0.005,                 # per line, a ， dropped (period pages)
    },
    # every pattern on every page, dev-like per-item rates
    "heavy": {
        "period_drop": (1.0, (0.06, 0.5)),
        "indent": (1.0, (0.15, 1.0)),
        "halfwidth": (1.0, (0.35, 0.7)),
        "halfwidth_whole": 0.5,
        "docnum_drop": (1.0, (0.35, 0.8)),
        "marker_drop": (1.0, (0.1, 0.8)),
        "para_split": (1.0, (1, 3)),
        "inner_period": 0.01,
        "inner_comma": 0.005,
    },
}
PROFILES["none"] = {k: ((0.0, v[1]) if isinstance(v, tuple) else 0.0)
                    for k, v in PROFILES["dev"].items()}

BOILERPLATE = ["打印 字号", "打印字号", "【字体", "解读", "文件下载", "【打印本页】", "扫一扫在手机打开当前页",
               "相关链接", "分享到", "【我要纠错】", "浏览次数"]
HALF = str.maketrans("，：；（）？！", ",:;()?!")
FULL = str.maketrans(",:;()?!", "，：；（）？！")
CN_NUM = "一二三四五六七八九十"
CONTAINER = re.compile(r'<div class="(TRS_Editor|content-body|Section1)')
DOCNUM = re.compile(r"〔(\d{4})〕(\d+号)")
CJK = re.compile(r"[\u4e00-\u9fff]")

TXT = "font-family:仿宋_GB2312;font-size:16.0pt"
DIG = "font-family:仿宋_GB2312"


def key(s):
    """Comparison key: tags, entities, whitespace and punctuation removed."""
    s = html.unescape(re.sub(r"<[^>]*>", "", s)).translate(FULL)
    return re.sub(r"[\s\u3000\xa0〔〕。，（）：；？！、“”《》]", "", s)


# ---------------------------------------------------------------- template


class Template:
    """The template page split into prefix / content region / suffix, plus the
    content markup features the rebuilt region must imitate."""

    def __init__(self, text, style):
        lines = text.split("\n")
        op = next(k for k, x in enumerate(lines) if CONTAINER.match(x))
        depth, cl = 0, None
        for k in range(op + 1, len(lines)):
            depth += len(re.findall(r"<div\b", lines[k])) - len(re.findall(r"</div>", lines[k]))
            if lines[k].strip() == "</div>" and depth < 0:
                cl = k
                break
        self.prefix = "\n".join(lines[:op + 1]) + "\n"
        self.suffix = "\n".join(lines[cl:])
        region = "\n".join(lines[op + 1:cl])
        self.region = region
        self.style = style
        # br separator
        self.sep = "<br/>\n"
        if style == "br":
            if "<br/><br/>" in region:
                self.sep = "<br/><br/>\n"
            elif "<br/>\n<br/>" in region:
                self.sep = "<br/>\n<br/>\n"
            elif "<br>\n<br>" in region:
                self.sep = "<br>\n<br>\n"
            elif "<br/>" in region:
                self.sep = "<br/>\n"
            else:
                self.sep = "<br>\n"
        # paragraph opening tag
        if style == "p":
            tags = re.findall(r"<p(?: [^>]*)?>", region)
            tags = [t for t in tags if "text-align" not in t and t != "<p>" and "align=" not in t]
            self.p_open = max(set(tags), key=tags.count) if tags else '<p style="text-indent:2em">'
        elif style == "word":
            tags = re.findall(r'<p class="MsoNormal"[^>]*>', region)
            tags = [t for t in tags if "text-align" not in t]
            self.p_open = max(set(tags), key=tags.count) if tags else \
                '<p class="MsoNormal" style="text-indent:32.0pt;line-height:28.0pt">'
        else:
            self.p_open = "<div>"
        # heading styles
        body_region = re.sub(r"<table.*?</table>", "", region, flags=re.S)
        if "<h3" in body_region:
            self.head = "h3"
        elif "font-family:黑体" in body_region:
            self.head = "heiti"
        else:
            self.head = "plain"
            for ln in body_region.split("\n"):
                m = re.match(r"^(?:<[^>]+>|&nbsp;|\s|\u3000)*?<(b|strong)>(?:<span[^>]*>)?\s*"
                             r"(?:[一二三四五六七八九十]+、|（|\(|\)|）|\d+\.|第[一二三四五六七八九十百]+[章条])", ln)
                if m:
                    self.head = m.group(1)
                    break
        m = re.search(r"(?:、|）|\)|\.|[章条] )(?:</span>)?<(b|strong)>", body_region)
        self.runin = m.group(1) if m else "plain"
        # aligned lines and boilerplate
        self.right, self.center = set(), set()
        for m in re.finditer(r'<(p|div|span)\b[^>]*text-align:(right|center)[^>]*>(.*?)</\1>', body_region):
            (self.right if m.group(2) == "right" else self.center).add(key(m.group(3)))
        td = re.search(r"<td[^>]*>(?:<p[^>]*>)?", region)
        self.td = td.group(0) if td else "<td>"
        self.td_close = "</p></td>" if "<p" in self.td else "</td>"
        tb = re.search(r"<table[^>]*>", region)
        self.table_open = tb.group(0) if tb else '<table border="1" cellspacing="0" cellpadding="0">'
        # boilerplate items with their relative position among content items
        items = self.items(region)
        self.boiler = []
        content_seen = 0
        total = sum(1 for it in items if not self.is_boiler(it))
        for it in items:
            if self.is_boiler(it):
                frac = content_seen / total if total else 1.0
                self.boiler.append((frac, it.rstrip("\n")))
            else:
                content_seen += 1

    def items(self, region):
        region = re.sub(r"<table.*?</table>", "<table/>", region, flags=re.S)
        if self.style == "br":
            parts = re.split(r"(?:<br/?>\s*)+", region)
        else:
            parts = region.split("\n")
        return [p.strip("\n") for p in parts if p.strip()]

    @staticmethod
    def is_boiler(item):
        t = html.unescape(re.sub(r"<[^>]*>", "", item)).strip().translate(FULL)
        t = t.replace("\u3000", "").strip()
        return len(t) < 24 and any(t.startswith(b.translate(FULL)) for b in BOILERPLATE)


# ---------------------------------------------------------------- lines


class Line:
    """One body line as segments: indent / marker / bold / plain, plus flags."""

    def __init__(self, kind, segs, align=None):
        self.kind = kind          # text | heading | runin | table
        self.segs = segs          # list of [role, text]
        self.align = align        # None | right | center
        self.indent = ""

    def text(self):
        return "".join(t for _, t in self.segs)


def heading_lines(body, sections):
    """Index -> (marker, heading) for every heading line, from the expected sections."""
    out, i = {}, 0
    for sec in sections:
        mk, hd = sec["marker"], sec["heading"]
        lead = mk + (" " if re.match(r"第.+[章条]$", mk) else "")
        for j in range(i, len(body)):
            if body[j].startswith(lead + hd):
                out[j] = (lead, hd)
                i = j + 1
                break
    return out


def build_lines(exp, tpl):
    body = exp["body"].split("\n")
    heads = heading_lines(body, exp.get("sections") or [])
    lines = []
    for j, b in enumerate(body):
        if "\t" in b:
            lines.append(Line("table", [["cells", b]]))
            continue
        k = key(b)
        align = "right" if k in tpl.right else "center" if k in tpl.center else None
        if j in heads:
            lead, hd = heads[j]
            rest = b[len(lead):]
            if "。" in rest:
                p = rest.index("。") + 1
                segs = [["marker", lead], ["bold", rest[:p]]]
                if rest[p:]:
                    segs.append(["plain", rest[p:]])
                lines.append(Line("runin", segs, align))
            else:
                lines.append(Line("heading", [["marker", lead], ["bold", rest]], align))
        else:
            lines.append(Line("text", [["plain", b]], align))
    return lines


# ---------------------------------------------------------------- damage


def active(rng, prof, name):
    p, rate = prof[name]
    if rng.random() >= p:
        return None
    lo, hi = rate
    return rng.randint(lo, hi) if isinstance(lo, int) else rng.uniform(lo, hi)


def damage(lines, prof, rng, log):
    # docnum_drop
    r = active(rng, prof, "docnum_drop")
    if r is not None:
        log["patterns"].append("docnum_drop")
        for ln in lines:
            for seg in ln.segs:
                def sub(m):
                    if rng.random() >= r:
                        return m.group(0)
                    form = rng.choices(["none", "open", "close"], [0.6, 0.3, 0.1])[0]
                    new = {"none": m.group(1) + m.group(2), "open": "〔" + m.group(1) + m.group(2),
                           "close": m.group(1) + "〕" + m.group(2)}[form]
                    log["events"].append(["docnum_drop", m.group(0), new])
                    return new
                seg[1] = DOCNUM.sub(sub, seg[1])
    # marker_drop
    has_marker = any(s[0] == "marker" and re.match(r"（[%s\d]+）" % CN_NUM, s[1])
                     for ln in lines for s in ln.segs)
    r = active(rng, prof, "marker_drop") if has_marker else None
    if r is not None:
        log["patterns"].append("marker_drop")
        for ln in lines:
            seg = ln.segs[0]
            if seg[0] == "marker" and re.match(r"（[%s\d]+）" % CN_NUM, seg[1]) and rng.random() < r:
                log["events"].append(["marker_drop", seg[1] + ln.segs[1][1][:12]])
                seg[0], seg[1] = "dropped", "）"
    # period_drop
    r = active(rng, prof, "period_drop")
    if r is not None:
        log["patterns"].append("period_drop")
        for ln in lines:
            if ln.kind == "table":
                continue
            last = ln.segs[-1]
            if last[1].endswith("。") and rng.random() < r:
                last[1] = last[1][:-1]
                log["events"].append(["period_drop", ln.text()[-16:], ln.kind])
            if rng.random() < prof["inner_period"]:
                cands = [(i, m.start()) for i, s in enumerate(ln.segs) if s[0] == "plain"
                         for m in re.finditer("。", s[1][:-1])]
                if cands:
                    i, p = rng.choice(cands)
                    s = ln.segs[i]
                    before = s[1][max(0, p - 10):p + 6]
                    s[1] = s[1][:p] + s[1][p + 1:]
                    log["events"].append(["inner_period_drop", before, s[1][max(0, p - 10):p + 5]])
            if rng.random() < prof["inner_comma"]:
                cands = [(i, m.start()) for i, s in enumerate(ln.segs) if s[0] == "plain"
                         for m in re.finditer("，", s[1])]
                if cands:
                    i, p = rng.choice(cands)
                    s = ln.segs[i]
                    before = s[1][max(0, p - 10):p + 6]
                    s[1] = s[1][:p] + s[1][p + 1:]
                    log["events"].append(["comma_drop", before, s[1][max(0, p - 10):p + 5]])
    # halfwidth
    r = active(rng, prof, "halfwidth")
    if r is not None:
        whole = rng.random() < prof["halfwidth_whole"]
        log["patterns"].append("halfwidth_whole" if whole else "halfwidth_partial")
        for ln in lines:
            if ln.kind == "table" and not whole:
                continue
            if whole or rng.random() < r:
                for s in ln.segs:
                    if s[0] != "marker":        # intact markers stay full-width
                        s[1] = s[1].translate(HALF)
    # para_split
    n = active(rng, prof, "para_split")
    if n is not None:
        log["patterns"].append("para_split")
        cands = [i for i, ln in enumerate(lines) if ln.kind == "text" and ln.align is None
                 and len(ln.segs[0][1]) >= 16]
        for i in sorted(rng.sample(cands, min(n, len(cands))), reverse=True):
            t = lines[i].segs[0][1]
            pos = [p for p in range(4, len(t) - 3) if CJK.match(t[p - 1]) and CJK.match(t[p])]
            if not pos:
                continue
            p = rng.choice(pos)
            log["events"].append(["para_split", t[max(0, p - 12):p] + "|" + t[p:p + 12], p, len(t)])
            lines[i:i + 1] = [Line("text", [["plain", t[:p]]]), Line("text", [["plain", t[p:]]])]
    # indent
    r = active(rng, prof, "indent")
    if r is not None:
        kinds = ["    ", "&nbsp;&nbsp;&nbsp;&nbsp;", "\u3000\u3000", " \u3000", "mixed"]
        kind = rng.choice(kinds)
        log["patterns"].append("indent")
        for ln in lines:
            if ln.kind != "table" and ln.align is None and rng.random() < r:
                ln.indent = rng.choice(kinds[:4]) if kind == "mixed" else kind
    return lines


# ---------------------------------------------------------------- render


def esc(s):
    return html.escape(s, quote=False)


def word_spans(text, rng, cut=True):
    out = []
    for tok in re.findall(r"\d+|\D+", text):
        if tok.isdigit():
            out.append('<span lang="EN-US" style="%s">%s</span>' % (DIG, tok))
            continue
        pieces = [tok]
        if cut and len(tok) > 8 and rng.random() < 0.3:
            p = rng.randint(2, len(tok) - 2)
            pieces = [tok[:p], tok[p:]]
        out += ['<span style="%s">%s</span>' % (TXT, esc(x)) for x in pieces]
    return "".join(out)


def render_line(ln, tpl, rng):
    word = tpl.style == "word"
    span = (lambda t: word_spans(t, rng)) if word else esc

    def wrap_bold(inner, tag):
        if tag in ("b", "strong"):
            return "<%s>%s</%s>" % (tag, inner, tag)
        if tag == "heiti":
            return '<span style="font-family:黑体">%s</span>' % inner
        return inner

    if ln.kind == "heading":
        inner = span("".join(t for _, t in ln.segs))
        if tpl.head == "h3":
            return "h3", ln.indent + inner
        return "p", ln.indent + wrap_bold(inner, tpl.head)
    if ln.kind == "runin":
        style = tpl.runin
        mk = span(ln.segs[0][1])
        rest = "".join(span(t) for _, t in ln.segs[2:])
        return "p", ln.indent + mk + wrap_bold(span(ln.segs[1][1]), style) + rest
    inner = span(ln.text())
    if ln.align == "center":
        inner = "<strong>%s</strong>" % inner
    return "p", ln.indent + inner


def render(lines, tpl, rng):
    items = []       # rendered content items (without separators)
    k = 0
    while k < len(lines):
        ln = lines[k]
        if ln.kind == "table":
            rows = []
            while k < len(lines) and lines[k].kind == "table":
                cells = lines[k].segs[0][1].split("\t")
                rows.append("<tr>" + "".join(tpl.td + esc(c) + tpl.td_close for c in cells) + "</tr>")
                k += 1
            items.append(tpl.table_open + "\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>")
            continue
        kind, inner = render_line(ln, tpl, rng)
        st = tpl.style
        if ln.align:
            a = ln.align
            if st == "br":
                items.append('<span style="display:block;text-align:%s">%s</span>' % (a, inner))
            elif st == "div":
                items.append('<div style="text-align:%s">%s</div>' % (a, inner))
            elif st == "word":
                items.append('<p class="MsoNormal" style="text-align:%s">%s</p>' % (a, inner))
            else:
                items.append('<p style="text-align:%s">%s</p>' % (a, inner))
        elif kind == "h3":
            items.append("<h3>%s</h3>" % inner)
        elif st == "br":
            items.append(inner)
        elif st == "div":
            items.append("<div>%s</div>" % inner)
        else:
            items.append("%s%s</p>" % (tpl.p_open, inner))
        k += 1
    # boilerplate back at its relative position (stable order)
    n = len(items)
    inserts = sorted(((round(frac * n), i, it) for i, (frac, it) in enumerate(tpl.boiler)), reverse=True)
    for pos, _, it in inserts:
        items.insert(pos, it)
    if tpl.style == "br":
        return tpl.sep.join(items) + "\n"
    return "\n".join(items) + "\n"


def fix_charset(head):
    head = re.sub(r'(<meta\s+charset=")[^"]*(")', r"\1utf-8\2", head, flags=re.I)
    head = re.sub(r'(<meta\s+http-equiv="Content-Type"\s+content="text/html;\s*charset=)[^"]*(")',
                  r"\1utf-8\2", head, flags=re.I)
    return head


# ---------------------------------------------------------------- analysis


def analyse(out_dir, jsonl, examples=3):
    """Match each damage event of OUT/damage.jsonl against the converter's records and
    print which repairs failed, grouped by the kind of line they hit."""
    import collections
    import difflib
    recs = {}
    for l in open(jsonl, encoding="utf-8"):
        if l.strip():
            r = json.loads(l)
            recs[os.path.basename(r["source"]["path"])] = r
    bigrams = {}
    bpath = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "bigrams.tsv")
    if os.path.exists(bpath):
        for l in open(bpath, encoding="utf-8"):
            if not l.startswith("#") and "\t" in l:
                pair, n = l.rstrip("\n").split("\t")
                bigrams[pair] = int(n)
    stats = collections.defaultdict(lambda: [0, 0])      # category -> [repaired, failed]
    ex = collections.defaultdict(list)
    added = collections.Counter()                       # failed splits given a 。 at the break
    overjoins, unexplained = [], []
    for l in open(os.path.join(out_dir, "damage.jsonl"), encoding="utf-8"):
        log = json.loads(l)
        page = log["page"]
        E = json.load(open(os.path.join(out_dir, "expected", page + ".json"), encoding="utf-8"))["body"]
        El = E.split("\n")
        R = (recs.get(page) or {}).get("body", "").split("\n")
        KR = [key(r) for r in R]
        snips = []
        for ev in log["events"]:
            kind = ev[0]
            if kind == "para_split":
                left, right = ev[1].split("|")
                snips.append(key(left + right))
                kl, kr = key(left)[-6:], key(right)[:6]
                hit = next((i for i in range(len(R) - 1) if KR[i].endswith(kl) and KR[i + 1].startswith(kr)), None)
                orig = next((x for x in El if key(left + right) in key(x)), "")
                full = orig.translate(FULL)
                colon = full.find("：")
                if 0 <= colon < 12 and not re.search("[，。]", full[:colon]):
                    typ = "label：value line"
                elif full.endswith("：") and "，" in full and len(full) < 40:
                    typ = "line ending in ： (salutation/lead-in)"
                else:
                    typ = "prose, 1st piece <=9 chars" if ev[2] <= 9 else "prose"
                pair = left[-1] + right[0]
                word = bigrams.get(pair, 0) >= 8 or E.count(pair) >= 2
                cat = "para_split %s, pair %s %s" % (typ, pair, "is a word" if word else "not a word")
                cat = re.sub(r"pair \S+ ", "pair ", cat)
                failed = hit is not None
                stats[cat][failed] += 1
                if failed:
                    added[cat] += R[hit].endswith("。")
                    ex[cat].append("%s: %s%s" % (page, ev[1], "  [。 added at break]" if R[hit].endswith("。") else ""))
            elif kind == "period_drop":
                tail = key(ev[1])[-8:]
                snips.append(key(ev[1]))
                line = next((x for x in El if key(x).endswith(tail)), "")
                hit = [r for r, k in zip(R, KR) if k.endswith(tail)]
                if ev[2] == "runin":
                    typ = "marker line, one sentence" if line.count("。") == 1 else "marker line, heading。text"
                else:
                    t = line[:-1]
                    typ = "prose ending in %s" % ("digit/%" if re.search(r"[\d%]$", t) else
                                                  "）" if t.endswith("）") else "Han/other")
                cat = "period_drop " + typ
                failed = bool(hit) and not hit[0].endswith("。")
                stats[cat][failed] += 1
                if failed:
                    ex[cat].append("%s: …%s" % (page, hit[0][-24:]))
            elif kind in ("comma_drop", "inner_period_drop"):
                snips.append(key(ev[1]))
                failed = any(ev[2].translate(FULL) in r.translate(FULL) for r in R)
                stats[kind][failed] += 1
                if failed:
                    ex[kind].append("%s: %s" % (page, ev[2]))
            elif kind == "docnum_drop":
                failed = re.search("(?<!〔)" + re.escape(ev[2]), "\n".join(R)) is not None
                stats["docnum_drop " + ("none" if "〔" not in ev[2] and "〕" not in ev[2] else
                                        "open" if "〔" in ev[2] else "close")][failed] += 1
                if failed:
                    ex["docnum_drop"].append("%s: %s" % (page, ev[2]))
            elif kind == "marker_drop":
                mk = re.match(r"（[^）]+）", ev[1]).group(0)
                rest = key(ev[1][len(mk):])[:6]
                failed = not any(r.startswith(mk) and key(r[len(mk):]).startswith(rest) for r in R)
                stats["marker_drop"][failed] += 1
                if failed:
                    ex["marker_drop"].append("%s: %s" % (page, ev[1]))
        KE = [key(x) for x in El]
        for i in range(len(El) - 1):
            if any(KE[i] and k.startswith(KE[i]) and len(k) > len(KE[i]) and KE[i + 1][:6]
                   and k[len(KE[i]):].startswith(KE[i + 1][:6]) for k in KR):
                overjoins.append("%s: …%s ‖ %s…" % (page, El[i][-12:], El[i + 1][:12]))
        sm = difflib.SequenceMatcher(None, El, R, autojunk=False)
        for op, a1, a2, b1, b2 in sm.get_opcodes():
            if op != "equal":
                for x in El[a1:a2]:
                    if not any(sn and sn in key(x) for sn in snips):
                        unexplained.append("%s: %s" % (page, x[:40]))
    print("%-66s %8s %6s  %s" % ("damage event (category)", "repaired", "failed", "failed+。at break"))
    for cat in sorted(stats):
        ok, bad = stats[cat]
        print("%-66s %8d %6d  %s" % (cat, ok, bad, added[cat] if cat in added else ""))
    print("\nover-joined lines (two expected lines merged): %d" % len(overjoins))
    for x in overjoins[:examples]:
        print("   ", x)
    print("differing lines not explained by any logged event: %d" % len(unexplained))
    for x in unexplained[:examples]:
        print("   ", x)
    print("\nexamples of failures:")
    for cat in sorted(ex):
        print("  %s (%d)" % (cat, len(ex[cat])))
        for x in ex[cat][:examples]:
            print("     ", x)


# ---------------------------------------------------------------- main


def load_bodies(path):
    """The records of `path` whose body is Chinese prose of a page's length, in file order."""
    out = []
    for line in open(path, encoding="utf-8"):
        rec = json.loads(line)
        body = rec.get("body") or ""
        if 300 <= len(body) <= 20000 and len(CJK.findall(body)) > len(body) / 2:
            out.append(rec)
    if not out:
        sys.exit("redamage: no usable body in %s" % path)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev", default=DEV, help="dev corpus directory (input/, expected/, manifest.json)")
    ap.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "redamage"), help="output directory (input/ and expected/ are replaced)")
    ap.add_argument("--seeds", default="1,2,3", help="comma-separated seeds, one variant per seed")
    ap.add_argument("--profile", default="dev", choices=sorted(PROFILES))
    ap.add_argument("--only", help="only documents whose name starts with this")
    ap.add_argument("--bodies", metavar="RECORDS.jsonl",
                    help="fill the templates with these records' bodies (body, sections, doc_refs) "
                         "instead of their own: content the rules were not written on")
    ap.add_argument("--analyse", metavar="OUT.jsonl",
                    help="do not generate: match OUT/damage.jsonl against these records and report failed repairs")
    ap.add_argument("--examples", type=int, default=3, help="examples per failure category (--analyse)")
    a = ap.parse_args()
    if a.analyse:
        analyse(a.out, a.analyse, a.examples)
        return 0
    prof = PROFILES[a.profile]
    seeds = [int(s) for s in a.seeds.split(",")]
    man = json.load(open(os.path.join(a.dev, "manifest.json"), encoding="utf-8"))["documents"]
    for sub in ("input", "expected"):
        d = os.path.join(a.out, sub)
        if os.path.isdir(d):
            shutil.rmtree(d)
        os.makedirs(d)
    logf = open(os.path.join(a.out, "damage.jsonl"), "w", encoding="utf-8")
    bodies = load_bodies(a.bodies) if a.bodies else None
    written = skipped = 0
    for t, doc in enumerate(man):
        h = doc["files"].get("html")
        if not h or (a.only and not doc["name"].startswith(a.only)):
            continue
        if h.get("mojibake"):
            skipped += 1
            continue
        raw = open(os.path.join(a.dev, "input", doc["name"] + ".html"), "rb").read()
        text = raw.decode(DECODE[h["encoding_kind"]])
        expf = os.path.join(a.dev, "expected", doc["name"] + ".html.json")
        exp = json.load(open(expf, encoding="utf-8"))
        tpl = Template(text, h["content_style"])
        for seed in seeds:
            rng = random.Random("%s:%d" % (doc["name"], seed))
            log = {"page": "%s_r%d.html" % (doc["name"], seed), "template": h["template"],
                   "style": h["content_style"], "head": tpl.head, "runin": tpl.runin,
                   "patterns": [], "events": []}
            truth = exp
            if bodies:
                src = bodies[(t * len(seeds) + seeds.index(seed)) % len(bodies)]
                truth = dict(exp, body=src["body"], sections=src.get("sections") or [],
                             doc_refs=src.get("doc_refs") or [])
                log["body_from"] = src.get("source", {}).get("path")
            lines = damage(build_lines(truth, tpl), prof, rng, log)
            page = fix_charset(tpl.prefix) + render(lines, tpl, rng) + tpl.suffix
            with open(os.path.join(a.out, "input", log["page"]), "w", encoding="utf-8") as fh:
                fh.write(page)
            with open(os.path.join(a.out, "expected", log["page"] + ".json"), "w", encoding="utf-8") as fh:
                json.dump(truth, fh, ensure_ascii=False, indent=1)
            logf.write(json.dumps(log, ensure_ascii=False) + "\n")
            written += 1
    logf.close()
    print("redamage: %d pages written to %s (profile %s, seeds %s), %d mojibake templates skipped"
          % (written, a.out, a.profile, a.seeds, skipped), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

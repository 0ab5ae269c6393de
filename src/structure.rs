//! Heading structure of official documents: markers → sections.
//!
//! GB/T 9704-2012 documents number their headings `一、` (level 1), `（一）` (2), `1.` (3),
//! `（1）` (4) and `①` (5); regulations use `第X编`, `第X章`, `第X节` and `第X条`. A line that
//! starts with a marker is a heading line: standalone (the whole rest of the line is the
//! heading) or run-in (the heading ends at the first `。`, which is dropped, and the rest of the
//! line opens the section's text). A section's `text` runs to the next heading of any level.

use std::ops::Range;

use crate::document::BlockKind;
use crate::record::Section;
use crate::repair::Line;
use crate::repair::text::is_han;

/// The kind of a heading marker; fixes its level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MarkerKind {
    /// `一、`
    Han,
    /// `（一）`
    HanParen,
    /// `1.`
    Arabic,
    /// `（1）`
    ArabicParen,
    /// `①`
    Circled,
    /// `第X编`
    Part,
    /// `第X章`
    Chapter,
    /// `第X节`
    Division,
    /// `第X条`
    Article,
}

impl MarkerKind {
    /// The level of a GB/T 9704 marker, or of a regulation marker in a document with chapters
    /// and articles only.
    pub fn base_level(self) -> u8 {
        match self {
            MarkerKind::Han | MarkerKind::Chapter => 1,
            MarkerKind::HanParen | MarkerKind::Article => 2,
            MarkerKind::Arabic => 3,
            MarkerKind::ArabicParen => 4,
            MarkerKind::Circled => 5,
            MarkerKind::Part => 0,
            MarkerKind::Division => 2,
        }
    }

    pub fn is_regulation(self) -> bool {
        matches!(
            self,
            MarkerKind::Part | MarkerKind::Chapter | MarkerKind::Division | MarkerKind::Article
        )
    }
}

/// A heading marker at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub kind: MarkerKind,
    pub number: u32,
    /// Bytes of the line the marker takes, including a separating space after it.
    pub len: usize,
    /// The marker as written.
    pub raw: String,
}

impl Marker {
    /// The canonical form: `一、` `（一）` `1.` `（1）` `①` `第一章`.
    pub fn canonical(&self) -> String {
        match self.kind {
            MarkerKind::Han => format!("{}、", han_numeral(self.number)),
            MarkerKind::HanParen => format!("（{}）", han_numeral(self.number)),
            MarkerKind::Arabic => format!("{}.", self.number),
            MarkerKind::ArabicParen => format!("（{}）", self.number),
            MarkerKind::Circled => char::from_u32(0x2460 + self.number - 1)
                .map(String::from)
                .unwrap_or_default(),
            MarkerKind::Part => format!("第{}编", han_numeral(self.number)),
            MarkerKind::Chapter => format!("第{}章", han_numeral(self.number)),
            MarkerKind::Division => format!("第{}节", han_numeral(self.number)),
            MarkerKind::Article => format!("第{}条", han_numeral(self.number)),
        }
    }
}

const HAN_DIGITS: &str = "零一二三四五六七八九";

/// Parse a Chinese numeral (`一` … `九千九百九十九`, with `〇`/`零`/`两`); `None` if `s` is not one.
pub fn parse_han_numeral(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    let mut total = 0u32;
    let mut digit: Option<u32> = None;
    for c in s.chars() {
        let d = match c {
            '零' | '〇' => Some(0),
            '一' => Some(1),
            '二' | '两' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        };
        if let Some(d) = d {
            if digit.is_some_and(|p| p != 0) {
                return None;
            }
            digit = Some(d);
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => return None,
        };
        let n = match digit.take() {
            Some(n) => n,
            None if unit == 10 && total == 0 => 1,
            None => return None,
        };
        total += n * unit;
    }
    Some(total + digit.unwrap_or(0)).filter(|&n| n > 0)
}

/// Write `n` (1 ≤ n < 10 000) as a Chinese numeral the way documents number headings:
/// `十`, `十一`, `二十`, `一百零五`, `一百二十三`.
pub fn han_numeral(n: u32) -> String {
    let digits: Vec<char> = HAN_DIGITS.chars().collect();
    if n == 0 {
        return "零".into();
    }
    let mut out = String::new();
    let units = [(1000, '千'), (100, '百'), (10, '十')];
    let mut rest = n;
    let mut zero = false;
    for (unit, name) in units {
        let d = rest / unit;
        rest %= unit;
        if d > 0 {
            if zero {
                out.push('零');
                zero = false;
            }
            if !(unit == 10 && d == 1 && out.is_empty()) {
                out.push(digits[d as usize]);
            }
            out.push(name);
        } else if !out.is_empty() {
            zero = true;
        }
    }
    if rest > 0 {
        if zero {
            out.push('零');
        }
        out.push(digits[rest as usize]);
    }
    out
}

pub(crate) fn is_han_numeral_char(c: char) -> bool {
    matches!(
        c,
        '零' | '〇'
            | '一'
            | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
            | '两'
    )
}

fn fullwidth_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// Parse the heading marker at the start of `line`, in any of its written forms:
/// `一、` `一.` `一，` `（一）` `(一)` `1.` `1、` `1．` `１.` `（1）` `(1)` `⑴` `①` `第一章 `.
///
/// Look-alikes are refused: `1.5亿元` (a decimal), `2020年…` (no separator), `12.` with a digit
/// run longer than 3, a marker with nothing after it.
pub fn parse_marker(line: &str) -> Option<Marker> {
    let first = line.chars().next()?;
    let rest_after = |len: usize| line[len..].chars().next();
    let mk = |kind, number, len: usize| {
        let raw = line[..len].trim_end().to_string();
        Some(Marker {
            kind,
            number,
            len,
            raw,
        })
    };
    // ⑴..⒇ and ①..⑳
    if ('\u{2474}'..='\u{2487}').contains(&first) {
        let len = first.len_utf8();
        rest_after(len)?;
        return mk(MarkerKind::ArabicParen, first as u32 - 0x2474 + 1, len);
    }
    if ('\u{2460}'..='\u{2473}').contains(&first) {
        let len = first.len_utf8();
        rest_after(len)?;
        return mk(MarkerKind::Circled, first as u32 - 0x2460 + 1, len);
    }
    if first == '(' || first == '（' {
        let inner_start = first.len_utf8();
        let close = line[inner_start..].find([')', '）'])? + inner_start;
        let inner = &line[inner_start..close];
        let close_len = line[close..].chars().next()?.len_utf8();
        let mut len = close + close_len;
        // A separator written after the bracket as well (`（一）、基本支出`, even doubled)
        // belongs to the marker, not the heading; dots in a row are an ellipsis (`（一）...`).
        while let Some(sep @ ('、' | '.' | '．')) = rest_after(len)
            && line[len + sep.len_utf8()..]
                .chars()
                .next()
                .is_some_and(|c| !(c.is_ascii_digit() || (sep == '.' && c == '.')))
        {
            len += sep.len_utf8();
        }
        rest_after(len)?;
        if let Some(n) = parse_han_numeral(inner).filter(|_| inner.chars().count() <= 4) {
            return mk(MarkerKind::HanParen, n, len);
        }
        if !inner.is_empty()
            && inner.len() <= 9
            && inner.chars().all(|c| fullwidth_digit(c).is_some())
        {
            let n = inner
                .chars()
                .fold(0, |acc, c| acc * 10 + fullwidth_digit(c).unwrap_or(0));
            if n > 0 && n < 100 {
                return mk(MarkerKind::ArabicParen, n, len);
            }
        }
        return None;
    }
    if first == '第' {
        let body_start = first.len_utf8();
        let end = line[body_start..].find(|c: char| !is_han_numeral_char(c))? + body_start;
        let n = parse_han_numeral(&line[body_start..end])?;
        let unit = line[end..].chars().next()?;
        let kind = match unit {
            '编' => MarkerKind::Part,
            '章' => MarkerKind::Chapter,
            '节' => MarkerKind::Division,
            '条' => MarkerKind::Article,
            _ => return None,
        };
        let mut len = end + unit.len_utf8();
        // `第一条 …` / `第一章　总则`: the separator is one or more spaces (or none).
        let after = &line[len..];
        let trimmed = after.trim_start_matches([' ', '\u{3000}', '\u{a0}', '\t']);
        let had_space = trimmed.len() != after.len();
        len += after.len() - trimmed.len();
        let next = trimmed.chars().next()?;
        // `第一条规定的…` inside running text has no space; accept only a space, or a
        // chapter/part title, or an article whose next char is not a continuation particle.
        if !had_space
            && matches!(kind, MarkerKind::Article)
            && "规的中之所和或及、，,。".contains(next)
        {
            return None;
        }
        if !had_space && matches!(next, '、' | '，' | ',' | '。' | '的') {
            return None;
        }
        // `第二十条 第（一）项`: a citation of an article's item or clause, not the article.
        if matches!(kind, MarkerKind::Article) && cites_a_clause(trimmed) {
            return None;
        }
        // `第二节用于检查…。`: a section is titled with a space or in a short line; run on into
        // a sentence, the words are prose.
        if !had_space
            && matches!(kind, MarkerKind::Division | MarkerKind::Part)
            && (trimmed.contains('。') || trimmed.chars().count() > MAX_UNSPACED_DIVISION_TITLE)
        {
            return None;
        }
        return mk(kind, n, len);
    }
    if is_han_numeral_char(first) {
        let end = line.find(|c: char| !is_han_numeral_char(c))?;
        let n = parse_han_numeral(&line[..end])?;
        let sep = line[end..].chars().next()?;
        if !matches!(sep, '、' | '.' | '．' | '，' | ',') || end > 12 {
            return None;
        }
        let len = end + sep.len_utf8();
        // `一、2014年工作回顾` is a heading; `一.5` would be a decimal written oddly.
        let next = rest_after(len)?;
        if next.is_ascii_digit() && sep != '、' {
            return None;
        }
        return mk(MarkerKind::Han, n, len);
    }
    if fullwidth_digit(first).is_some() {
        let end = line.find(|c: char| fullwidth_digit(c).is_none())?;
        let digits = &line[..end];
        if digits.chars().count() > 2 {
            return None;
        }
        let n = digits
            .chars()
            .fold(0, |acc, c| acc * 10 + fullwidth_digit(c).unwrap_or(0));
        let sep = line[end..].chars().next()?;
        if !matches!(sep, '.' | '、' | '．') || n == 0 {
            return None;
        }
        let len = end + sep.len_utf8();
        let next = rest_after(len)?;
        // `1.5亿元`, `3.2%`: a decimal, not a marker; `1.2015年工作总结` is a marker before a year.
        if fullwidth_digit(next).is_some() || next == '%' {
            let after = &line[len..];
            let digits: String = after
                .chars()
                .take_while(|c| fullwidth_digit(*c).is_some())
                .collect();
            let year_follows =
                digits.chars().count() == 4 && after[digits.len()..].starts_with('年');
            if !year_follows || sep != '.' && sep != '．' && sep != '、' {
                return None;
            }
        }
        return mk(MarkerKind::Arabic, n, len);
    }
    None
}

/// Longest title of a `第X节`/`第X编` written without a space after the marker.
const MAX_UNSPACED_DIVISION_TITLE: usize = 12;

/// Whether `rest` (what follows an article's marker) opens with an item or clause number
/// (`第（一）项`, `第二款`, `第3项`): the line cites that part of the article.
fn cites_a_clause(rest: &str) -> bool {
    let Some(after) = rest.strip_prefix('第') else {
        return false;
    };
    let inner = after.trim_start_matches(['（', '(']);
    let numerals = inner
        .chars()
        .take_while(|c| is_han_numeral_char(*c) || c.is_ascii_digit())
        .count();
    numerals > 0
        && inner
            .chars()
            .skip(numerals)
            .find(|c| !matches!(c, '）' | ')'))
            .is_some_and(|c| matches!(c, '项' | '款' | '目'))
}

/// Levels of each marker kind in one document: regulation levels shift when the document has
/// `第X编` or `第X节`.
#[derive(Debug, Clone, Copy)]
struct Levels {
    has_part: bool,
    has_division: bool,
}

impl Levels {
    fn of(lines: &[Line]) -> Levels {
        let mut levels = Levels {
            has_part: false,
            has_division: false,
        };
        for l in lines {
            match heading_marker(l).map(|m| m.kind) {
                Some(MarkerKind::Part) => levels.has_part = true,
                Some(MarkerKind::Division) => levels.has_division = true,
                _ => {}
            }
        }
        levels
    }

    fn level(self, kind: MarkerKind) -> u8 {
        let part = u8::from(self.has_part);
        match kind {
            MarkerKind::Part => 1,
            MarkerKind::Chapter => 1 + part,
            MarkerKind::Division => 2 + part,
            MarkerKind::Article => 2 + part + u8::from(self.has_division),
            other => other.base_level(),
        }
    }
}

/// Whether a line is a heading line: it starts with a marker and is neither a table row nor
/// an entry of a table of contents.
pub fn heading_marker(line: &Line) -> Option<Marker> {
    if line.kind == BlockKind::TableRow {
        return None;
    }
    let marker = parse_marker(&line.text)?;
    (!is_contents_entry(&line.text)).then_some(marker)
}

/// Leader characters of a table of contents, with how many dots each stands for.
const LEADERS: &[(char, usize)] = &[
    ('…', 3),
    ('⋯', 3),
    ('.', 1),
    ('．', 1),
    ('·', 1),
    ('•', 1),
    ('・', 1),
    ('-', 1),
    ('－', 1),
    ('_', 1),
];

/// Dots of leader that end an entry of a table of contents on their own: more than an
/// ellipsis (`……`, `......`) writes.
const MIN_LEADER: usize = 7;

/// Dots of leader enough when a page number follows (`一、总则 .... 3`).
const MIN_LEADER_BEFORE_PAGE: usize = 3;

/// Whether `text` is an entry of a table of contents: it ends with a leader
/// (`一、部门主要职能………………`), perhaps followed by a page number (`第一章 总则……3`,
/// `1. 收支总表 .... 12`, `…… iv`). A heading with a leader is the contents' copy of it; the
/// heading itself comes later, without one.
pub fn is_contents_entry(text: &str) -> bool {
    contents_entry_title(text).is_some()
}

/// The title of a table of contents' entry: its text after the marker, before the leader
/// (`部门主要职能` of `一、部门主要职能………3`). `None` when `text` is no entry.
pub fn contents_entry_title(text: &str) -> Option<&str> {
    let text = text.trim_end();
    let page = text.trim_end_matches(|c: char| {
        c.is_ascii_digit() || matches!(c, 'i' | 'v' | 'x' | 'I' | 'V' | 'X' | '页' | '第')
    });
    let has_page = page.len() < text.len();
    let page = page.trim_end();
    let mut dots = 0;
    let mut leader_start = page.len();
    for (at, c) in page.char_indices().rev() {
        if c == ' ' || c == '\u{3000}' {
            continue;
        }
        match LEADERS.iter().find(|(l, _)| *l == c) {
            Some((_, n)) => {
                dots += n;
                leader_start = at;
            }
            None => break,
        }
    }
    if dots < MIN_LEADER && !(has_page && dots >= MIN_LEADER_BEFORE_PAGE) {
        return None;
    }
    let from = parse_marker(text).map_or(0, |m| m.len);
    Some(text.get(from..leader_start).unwrap_or("").trim())
}

/// The entries of a table of contents written without leaders or page numbers: the run of
/// numbered lines right after a `目录` line (`一、单位主要职能` … `9.单位“三公”经费…预算表`),
/// as `text_of(i)` gives line `i` of `len`. They list the headings that come later; they are
/// none themselves.
pub fn contents_block<'a>(len: usize, text_of: impl Fn(usize) -> &'a str) -> Range<usize> {
    let is_heading = |t: &str, word: &str| {
        t.chars()
            .filter(|c| !c.is_whitespace())
            .take(3)
            .eq(word.chars())
    };
    let Some(start) = (0..len).find(|&i| {
        let t = text_of(i);
        // Most lines are long: only a short one can be the word alone.
        t.len() <= MAX_CONTENTS_HEADING && (is_heading(t, "目录") || is_heading(t, "目次"))
    }) else {
        return 0..0;
    };
    // The entries end at the first line that is none, or whose number the block has had: the
    // headings themselves, numbered again from the start.
    let mut seen = Vec::new();
    let mut is_entry = |t: &str| {
        let t = t.trim();
        let marker = parse_marker(t).map(|m| (m.kind, m.number));
        let fresh = marker.is_none_or(|m| !seen.contains(&m));
        // A deeper list numbers afresh under each entry above it.
        if let Some((kind, _)) = marker {
            seen.retain(|&(k, _): &(MarkerKind, u32)| rank(k) <= rank(kind));
        }
        seen.extend(marker);
        fresh
            && t.chars().count() <= MAX_CONTENTS_ENTRY
            && !t.trim_end_matches('。').contains('。')
            && (marker.is_some() || is_contents_entry(t))
    };
    let end = (start + 1..len)
        .find(|&i| !is_entry(text_of(i)))
        .unwrap_or(len);
    start + 1..end
}

/// Longest `目录` line, in bytes, spaces between its characters included.
const MAX_CONTENTS_HEADING: usize = 24;

/// Longest entry of a table of contents, in characters.
const MAX_CONTENTS_ENTRY: usize = 50;

/// Build the sections of a document from its repaired lines.
pub fn sections(lines: &[Line]) -> Vec<Section> {
    let levels = Levels::of(lines);
    let contents = contents_block(lines.len(), |i| lines[i].text.as_str());
    let mut out: Vec<Section> = Vec::new();
    let mut text: Vec<&str> = Vec::new();
    let flush = |out: &mut Vec<Section>, text: &mut Vec<&str>| {
        if let Some(last) = out.last_mut() {
            let joined = text.join("\n");
            if last.text.is_empty() {
                last.text = joined;
            } else if !joined.is_empty() {
                last.text.push('\n');
                last.text.push_str(&joined);
            }
        }
        text.clear();
    };
    let mut markers: Vec<Option<Marker>> = lines.iter().map(heading_marker).collect();
    for i in 0..lines.len() {
        if markers[i].is_none()
            && lines[i].kind != BlockKind::TableRow
            && let Some(m) = item_read_as_a_decimal(&lines[i].text)
        {
            let arabic = |m: &Option<Marker>, n: u32| {
                m.as_ref()
                    .is_some_and(|m| m.kind == MarkerKind::Arabic && m.number == n)
            };
            let before = markers[..i].iter().rev().find(|m| m.is_some());
            let after = markers[i + 1..].iter().find(|m| m.is_some());
            if before.is_some_and(|b| arabic(b, m.number - 1))
                && after.is_some_and(|a| arabic(a, m.number + 1))
            {
                markers[i] = Some(m);
            }
        }
    }
    let mut attachments = AttachmentList::default();
    for (i, line) in lines.iter().enumerate() {
        let marker = markers[i].take().filter(|_| !contents.contains(&i));
        let item = attachments.holds(&line.text, marker.as_ref());
        let marker = marker.filter(|_| !item);
        let Some(marker) = marker else {
            if !out.is_empty() {
                text.push(&line.text);
            }
            continue;
        };
        flush(&mut out, &mut text);
        let rest = &line.text[marker.len..];
        let (heading, run_in) = match rest.find('。') {
            Some(i) => (&rest[..i], rest[i + '。'.len_utf8()..].trim()),
            None => (rest, ""),
        };
        out.push(Section {
            level: levels.level(marker.kind),
            marker: marker.canonical(),
            heading: heading.trim().to_string(),
            text: run_in.to_string(),
        });
    }
    flush(&mut out, &mut text);
    out
}

/// An item marker `N.` that [`parse_marker`] reads as the start of a decimal number because
/// a digit follows (`3.50年以上的…老旧房屋；`): the marker, for a caller that sees items `N-1`
/// and `N+1` around it. `N` is 2 or more: `1.5亿元` opening a list is a number.
fn item_read_as_a_decimal(text: &str) -> Option<Marker> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&digits) {
        return None;
    }
    let number: u32 = text[..digits].parse().ok()?;
    let sep = text[digits..]
        .chars()
        .next()
        .filter(|&c| c == '.' || c == '．')?;
    let len = digits + sep.len_utf8();
    let next = text[len..].chars().next()?;
    (number >= 2 && next.is_ascii_digit()).then(|| Marker {
        kind: MarkerKind::Arabic,
        number,
        len,
        raw: text[..len].to_string(),
    })
}

/// The list of attachments at the foot of a document (`附件：1.…` ⏎ `2.…`, or `附件：` ⏎ `1.…`
/// ⏎ `2.…`): its numbered lines name files, they are not headings.
#[derive(Default)]
struct AttachmentList {
    /// The number the next item of an open list has.
    next: Option<u32>,
}

impl AttachmentList {
    /// Whether the line `text`, which opens with `marker`, is the next item of an open list;
    /// every line also opens or closes the list.
    fn holds(&mut self, text: &str, marker: Option<&Marker>) -> bool {
        let item =
            marker.is_some_and(|m| m.kind == MarkerKind::Arabic && self.next == Some(m.number));
        self.next = if item {
            self.next.map(|n| n + 1)
        } else {
            Self::opened_by(text)
        };
        item
    }

    /// The number of the first item after a line that opens a list: `附件：` alone (1), or
    /// `附件：1.…` (2).
    fn opened_by(text: &str) -> Option<u32> {
        let rest = text.strip_prefix("附件")?.trim_start();
        let rest = rest.strip_prefix(['：', ':'])?.trim_start();
        if rest.is_empty() {
            return Some(1);
        }
        parse_marker(rest)
            .filter(|m| m.kind == MarkerKind::Arabic && m.number == 1)
            .map(|_| 2)
    }
}

/// The repair rule that canonicalises heading markers and restores damaged ones from their
/// neighbours' sequence (runs inside the repair engine, before paragraphs are joined).
///
/// * `(1)` `⑴` → `（1）`, `1、` `1．` `１.` → `1.`, `一.` `一，` → `一、`, `(一)` → `（一）`;
///   `第一条　…` / `第一条…` → `第一条 …` (one ASCII space).
/// * A line that opens with what is left of a marker whose numeral was lost — `)建立…`,
///   `（）建立…`, `、建立…` — gets the marker its neighbours imply: the next number of the
///   same kind in the same parent section (`（一）`, `)…`, `（三）` → `（二）`).
/// * Numbering that skips (一, 二, 四) is reported as a warning and left as it is.
pub struct MarkerRule;

/// The marker rule as it is registered in [`crate::repair::rules::ALL`].
pub static MARKERS: MarkerRule = MarkerRule;

const MARKER_RULE: &str = "heading_marker";

/// What is left of a marker whose numeral was lost, at the start of a line.
fn damaged_marker(text: &str) -> Option<(usize, Option<MarkerKind>)> {
    for (prefix, kind) in [
        ("（）", None),
        ("()", None),
        ("（)", None),
        ("(）", None),
        (")", None),
        ("）", None),
        ("、", Some(MarkerKind::Han)),
    ] {
        if let Some(rest) = text.strip_prefix(prefix)
            && (opens_with_han(rest)
                || kind.is_none() && (digits_then_cjk(rest) || latin_in_chinese(rest)))
        {
            return Some((prefix.len(), kind));
        }
    }
    None
}

/// Han text, or a quotation or title of Han text (`“国学史园”知识竞答`, `《办法》的…`), at the
/// start of an item.
fn opens_with_han(s: &str) -> bool {
    let s = s.strip_prefix(['“', '《', '「', '"']).unwrap_or(s);
    s.chars().next().is_some_and(is_han)
}

/// `Ai 和 Ri 之间…`, `R1 可以和…`: a Latin name at the start of an item of Chinese text (a
/// Han character within [`LATIN_LEAD`] characters: `Nx、Hx、Mx、Ex、Cx、I 可…`).
fn latin_in_chinese(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars().take(LATIN_LEAD).any(is_han)
}

/// Longest Latin start of an item before its Chinese text, in characters.
const LATIN_LEAD: usize = 24;

/// Whether `text` opens more round brackets than it closes.
fn leaves_a_bracket_open(text: &str) -> bool {
    let opened = text.chars().filter(|c| matches!(c, '（' | '(')).count();
    let closed = text.chars().filter(|c| matches!(c, '）' | ')')).count();
    opened > closed
}

/// `4个单位…`: a count at the start of an item, not a time or a number on its own.
fn digits_then_cjk(s: &str) -> bool {
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && s[digits..].chars().next().is_some_and(is_han)
}

/// Marker kinds that count in sequence under each other: a marker resets the counters of the
/// kinds below it.
fn rank(kind: MarkerKind) -> u8 {
    match kind {
        MarkerKind::Part => 0,
        MarkerKind::Chapter => 1,
        MarkerKind::Division => 2,
        MarkerKind::Article => 3,
        MarkerKind::Han => 4,
        MarkerKind::HanParen => 5,
        MarkerKind::Arabic => 6,
        MarkerKind::ArabicParen => 7,
        MarkerKind::Circled => 8,
    }
}

const KINDS: [MarkerKind; 9] = [
    MarkerKind::Part,
    MarkerKind::Chapter,
    MarkerKind::Division,
    MarkerKind::Article,
    MarkerKind::Han,
    MarkerKind::HanParen,
    MarkerKind::Arabic,
    MarkerKind::ArabicParen,
    MarkerKind::Circled,
];

impl crate::repair::Rule for MarkerRule {
    fn name(&self) -> &'static str {
        MARKER_RULE
    }

    fn apply(&self, lines: &mut crate::repair::Lines, cx: &mut crate::repair::Context) {
        // Last number seen per kind in the current parent section.
        let mut last: [Option<u32>; 9] = [None; 9];
        // The kind of the item each kind's current run opened under, and the last item read
        // when it was the line before and a lead-in: a document may set its lists the other
        // way up (`1.…有下列情形之一的：` ⏎ `（一）…`), and the next item of the parent's kind
        // then starts the run anew.
        let mut parent: [Option<MarkerKind>; 9] = [None; 9];
        let mut lead_in: Option<(usize, MarkerKind)> = None;
        let mut last_paren: Option<MarkerKind> = None;
        // The one parenthesised kind the document writes whole, read when first needed.
        let written_paren = std::cell::OnceCell::new();
        for idx in 0..lines.len() {
            let line = lines.get(idx);
            if line.kind == BlockKind::TableRow {
                continue;
            }
            let text = line.text.clone();
            // An entry of a table of contents has its marker written the canonical way, and
            // is no step in the headings' numbering.
            if is_contents_entry(&text) {
                if let Some(marker) = parse_marker(&text) {
                    canonicalise(lines, idx, &marker);
                }
                continue;
            }
            let marker = match parse_marker(&text) {
                Some(m) => m,
                None => {
                    let Some((len, kind)) = damaged_marker(&text) else {
                        continue;
                    };
                    // A `)` that closes the bracket the line before left open (`…（ISO` ⏎
                    // `)ISO 9001…`, `f(x` ⏎ `)x是…`) is no marker's.
                    if kind.is_none() && idx > 0 && leaves_a_bracket_open(&lines.get(idx - 1).text)
                    {
                        continue;
                    }
                    let kind = kind.unwrap_or_else(|| {
                        next_marker(lines, idx)
                            .and_then(|(next, lost)| paren_kind_before(&next, lost, &last, &parent))
                            .unwrap_or_else(|| {
                                let written = *written_paren.get_or_init(|| paren_kind_of(lines));
                                guess_paren_kind(last_paren, &last, written)
                            })
                    });
                    let number = last[rank(kind) as usize].map_or(1, |n| n + 1);
                    let mut m = Marker {
                        kind,
                        number,
                        len,
                        raw: text[..len].to_string(),
                    };
                    let canonical = m.canonical();
                    lines.replace(idx, 0..len, &canonical, MARKER_RULE);
                    m.len = canonical.len();
                    m
                }
            };
            let r = rank(marker.kind) as usize;
            if let Some(prev) = last[r]
                && marker.number > prev + 1
                && !marker.kind.is_regulation()
                && !(marker.kind == MarkerKind::Arabic
                    && marker.number == prev + 2
                    && missing_item_read_as_a_decimal(lines, idx, prev + 1))
            {
                cx.warnings.push(format!(
                    "heading numbering skips from {} to {}",
                    Marker {
                        number: prev,
                        ..marker.clone()
                    }
                    .canonical(),
                    marker.canonical()
                ));
            }
            last[r] = Some(marker.number);
            for k in KINDS {
                let under = parent[rank(k) as usize] == Some(marker.kind) && k != marker.kind;
                if rank(k) > rank(marker.kind) || under {
                    last[rank(k) as usize] = None;
                }
            }
            if marker.number == 1 {
                parent[r] = lead_in
                    .filter(|&(at, p)| at + 1 == idx && p != marker.kind)
                    .map(|(_, p)| p);
            }
            let ends_a_lead_in = lines.get(idx).text.trim_end().ends_with(['：', ':']);
            lead_in = ends_a_lead_in.then_some((idx, marker.kind));
            if matches!(marker.kind, MarkerKind::HanParen | MarkerKind::ArabicParen) {
                last_paren = Some(marker.kind);
            } else if rank(marker.kind) < rank(MarkerKind::HanParen) {
                last_paren = None;
            }
            canonicalise(lines, idx, &marker);
        }
    }
}

/// The next well-formed marker after line `idx`.
/// Whether item `number` stands between the last marker before `idx` and `idx`, read as a
/// decimal (`3.50年…`, see [`item_read_as_a_decimal`]).
fn missing_item_read_as_a_decimal(lines: &crate::repair::Lines, idx: usize, number: u32) -> bool {
    (0..idx)
        .rev()
        .map(|i| &lines.get(i).text)
        .take_while(|t| parse_marker(t).is_none())
        .any(|t| item_read_as_a_decimal(t).is_some_and(|m| m.number == number))
}

/// The next whole marker after line `idx`, and how many lines between them lost theirs.
fn next_marker(lines: &crate::repair::Lines, idx: usize) -> Option<(Marker, u32)> {
    let mut lost = 0;
    for i in idx + 1..lines.len() {
        let line = lines.get(i);
        if let Some(marker) = heading_marker(line) {
            return Some((marker, lost));
        }
        if line.kind != BlockKind::TableRow && damaged_marker(&line.text).is_some() {
            lost += 1;
        }
    }
    None
}

/// Which parenthesised kind a bare `)` stood for, judged by the next marker, `lost` lines
/// after it that lost theirs too: `（2）` continues an Arabic-parenthesised run (`（3）` after
/// one more lost), `（三）` a Chinese one; a `1.` that starts a new run sits under a `（二）`,
/// while the next `N.` of the current run means the `)` was an item inside it.
fn paren_kind_before(
    next: &Marker,
    lost: u32,
    last: &[Option<u32>; 9],
    parent: &[Option<MarkerKind>; 9],
) -> Option<MarkerKind> {
    let expects = |kind: MarkerKind| last[rank(kind) as usize].map_or(1, |n| n + 1);
    match next.kind {
        MarkerKind::ArabicParen | MarkerKind::HanParen
            if next.number == expects(next.kind) + 1 + lost =>
        {
            Some(next.kind)
        }
        MarkerKind::ArabicParen | MarkerKind::HanParen => None,
        MarkerKind::Arabic if next.number == 1 => Some(MarkerKind::HanParen),
        // Inside the current `N.`: its items are of the kind the document set under an
        // earlier `N.` (lists the other way up, `（一）`), else `（1）`.
        MarkerKind::Arabic
            if last[rank(MarkerKind::Arabic) as usize].is_some_and(|n| next.number == n + 1) =>
        {
            let under_arabic = |k: MarkerKind| parent[rank(k) as usize] == Some(MarkerKind::Arabic);
            Some(if under_arabic(MarkerKind::HanParen) {
                MarkerKind::HanParen
            } else {
                MarkerKind::ArabicParen
            })
        }
        _ => None,
    }
}

/// Which parenthesised kind a bare `)` stood for: the kind of the last parenthesised marker in
/// the current section, else the kind one level below the nearest enclosing marker.
fn guess_paren_kind(
    last_paren: Option<MarkerKind>,
    last: &[Option<u32>; 9],
    written: Option<MarkerKind>,
) -> MarkerKind {
    if let Some(k) = last_paren {
        return k;
    }
    if last[rank(MarkerKind::Arabic) as usize].is_some() {
        MarkerKind::ArabicParen
    } else {
        // A document whose whole markers in parentheses are all `（1）` numbers its items so
        // under `一、` too.
        written.unwrap_or(MarkerKind::HanParen)
    }
}

/// The parenthesised marker kind of the document's whole markers, when it writes only one.
fn paren_kind_of(lines: &crate::repair::Lines) -> Option<MarkerKind> {
    let mut kinds = (0..lines.len())
        .filter_map(|i| heading_marker(lines.get(i)))
        .map(|m| m.kind)
        .filter(|k| matches!(k, MarkerKind::HanParen | MarkerKind::ArabicParen));
    let first = kinds.next()?;
    kinds.all(|k| k == first).then_some(first)
}

/// Rewrite a marker in its canonical form (and one ASCII space after a regulation marker).
fn canonicalise(lines: &mut crate::repair::Lines, idx: usize, marker: &Marker) {
    let text = &lines.get(idx).text;
    let canonical = marker.canonical();
    let mut want = canonical.clone();
    if marker.kind.is_regulation() {
        want.push(' ');
    }
    let current = &text[..marker.len];
    if current != want {
        // Record only the marker itself when just the spacing differs.
        lines.replace(idx, 0..marker.len, &want, MARKER_RULE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_numerals_round_trip_into_the_hundreds() {
        for n in 1..=999 {
            assert_eq!(
                parse_han_numeral(&han_numeral(n)),
                Some(n),
                "{n} {}",
                han_numeral(n)
            );
        }
        assert_eq!(han_numeral(123), "一百二十三");
        assert_eq!(han_numeral(105), "一百零五");
        assert_eq!(han_numeral(11), "十一");
        assert_eq!(parse_han_numeral("一十一"), Some(11));
        assert_eq!(parse_han_numeral("年"), None);
    }

    fn kind(s: &str) -> Option<(MarkerKind, u32)> {
        parse_marker(s).map(|m| (m.kind, m.number))
    }

    #[test]
    fn markers_in_their_written_forms() {
        assert_eq!(kind("一、总体要求"), Some((MarkerKind::Han, 1)));
        assert_eq!(kind("十二、其他"), Some((MarkerKind::Han, 12)));
        assert_eq!(kind("（三）加强"), Some((MarkerKind::HanParen, 3)));
        assert_eq!(kind("(三)加强"), Some((MarkerKind::HanParen, 3)));
        assert_eq!(kind("2.推进"), Some((MarkerKind::Arabic, 2)));
        assert_eq!(kind("2、推进"), Some((MarkerKind::Arabic, 2)));
        assert_eq!(kind("２．推进"), Some((MarkerKind::Arabic, 2)));
        assert_eq!(kind("(4)建立"), Some((MarkerKind::ArabicParen, 4)));
        assert_eq!(kind("⑷建立"), Some((MarkerKind::ArabicParen, 4)));
        assert_eq!(kind("③其他"), Some((MarkerKind::Circled, 3)));
        assert_eq!(
            kind("第一百二十三条 本办法"),
            Some((MarkerKind::Article, 123))
        );
        assert_eq!(kind("第三章 资金管理"), Some((MarkerKind::Chapter, 3)));
        assert_eq!(parse_marker("（一）加强").unwrap().canonical(), "（一）");
        assert_eq!(parse_marker("1、推进").unwrap().canonical(), "1.");
        assert_eq!(parse_marker("⑴建立").unwrap().canonical(), "（1）");
        // A separator after the bracket too is part of the marker.
        let m = parse_marker("（一）、基本支出预算").unwrap();
        assert_eq!((m.kind, m.number), (MarkerKind::HanParen, 1));
        assert_eq!(&"（一）、基本支出预算"[m.len..], "基本支出预算");
        let m = parse_marker("（一）、、基本支出预算").unwrap();
        assert_eq!(&"（一）、、基本支出预算"[m.len..], "基本支出预算");
        assert_eq!(parse_marker("(2).5亿元").unwrap().len, 3);
    }

    #[test]
    fn look_alikes_are_not_markers() {
        assert_eq!(kind("1.5亿元用于"), None);
        assert_eq!(kind("1.2015年工作总结"), Some((MarkerKind::Arabic, 1)));
        assert_eq!(kind("一、2014年工作回顾"), Some((MarkerKind::Han, 1)));
        assert_eq!(kind("3.2%的增长"), None);
        assert_eq!(kind("2020年以来"), None);
        assert_eq!(kind("2021.3.5"), None);
        assert_eq!(kind("一是加强"), None);
        assert_eq!(kind("第一条规定的情形"), None);
        assert_eq!(kind("（以下简称《办法》）"), None);
        assert_eq!(kind("一、"), None);
    }

    fn lines(texts: &[&str]) -> Vec<Line> {
        texts
            .iter()
            .map(|t| Line {
                text: t.to_string(),
                kind: BlockKind::Paragraph,
            })
            .collect()
    }

    #[test]
    fn citations_and_sentences_that_open_with_a_regulation_word_are_no_headings() {
        assert_eq!(kind("第二十条 第（一）项"), None);
        assert_eq!(kind("第五条 第二款规定的情形"), None);
        assert_eq!(kind("第二节用于检查多节文档的页面处理。"), None);
        assert_eq!(kind("第二节 内容"), Some((MarkerKind::Division, 2)));
        assert_eq!(kind("第二节一般规定"), Some((MarkerKind::Division, 2)));
        assert_eq!(
            kind("第五条 第一次会议由…召集。"),
            Some((MarkerKind::Article, 5))
        );
    }

    #[test]
    fn entries_of_a_table_of_contents_are_no_headings() {
        let got = sections(&lines(&[
            "目录",
            "一、单位主要职能",
            "二、单位预算表",
            "1.收支预算总表",
            "某某福利院主要职能",
            "一、单位主要职能",
            "负责日常管理。",
        ]));
        let markers: Vec<&str> = got.iter().map(|s| s.marker.as_str()).collect();
        assert_eq!(markers, ["一、"]);
        assert_eq!(got[0].text, "负责日常管理。");
        assert_eq!(contents_block(2, |i| ["正文", "一、总则"][i]), 0..0);
        let nested = [
            "目录",
            "一、职能",
            "1.甲",
            "2.乙",
            "二、预算",
            "1.丙",
            "一、职能",
            "正文。",
        ];
        assert_eq!(contents_block(nested.len(), |i| nested[i]), 1..6);
    }

    #[test]
    fn a_list_of_attachments_holds_no_headings() {
        let got = sections(&lines(&[
            "一、工作要求",
            "正文。",
            "附件：1.资金项目情况表",
            "2.项目情况表",
            "某某管理局",
            "附件：",
            "1.实施方案",
            "2.申请表",
            "4.其他",
        ]));
        let markers: Vec<&str> = got.iter().map(|s| s.marker.as_str()).collect();
        assert_eq!(markers, ["一、", "4."]);
        assert!(got[0].text.ends_with("1.实施方案\n2.申请表"));
    }

    #[test]
    fn an_item_whose_text_opens_with_a_number_is_read_between_its_neighbours() {
        let got = sections(&lines(&[
            "一、排查范围",
            "1.违法建设的房屋；",
            "2.改变用途的房屋；",
            "3.50年以上的一般安全隐患老旧房屋；",
            "4.其他房屋。",
        ]));
        let markers: Vec<&str> = got.iter().map(|s| s.marker.as_str()).collect();
        assert_eq!(markers, ["一、", "1.", "2.", "3.", "4."]);
        assert_eq!(got[3].heading, "50年以上的一般安全隐患老旧房屋；");
        // Without an item 4 after it, or an item 2 before it, a number stays a number.
        for text in [
            &["1.违法建设的房屋；", "2.改变用途的房屋；", "3.50年以上。"][..],
            &["1.违法建设的房屋；", "3.50年以上。", "4.其他房屋。"][..],
            &["1.5亿元用于建设。", "2.其他。"][..],
        ] {
            let got = sections(&lines(text));
            assert!(
                got.iter()
                    .all(|s| !s.heading.starts_with("50") && !s.heading.starts_with('5')),
                "{got:?}"
            );
        }
    }

    #[test]
    fn sections_split_run_in_and_standalone_headings() {
        let got = sections(&lines(&[
            "前言。",
            "一、总体要求",
            "正文一。",
            "正文二。",
            "（一）明确目标。具体内容。",
            "（二）加强领导",
        ]));
        assert_eq!(got.len(), 3);
        assert_eq!(
            got[0],
            Section {
                level: 1,
                marker: "一、".into(),
                heading: "总体要求".into(),
                text: "正文一。\n正文二。".into()
            }
        );
        assert_eq!(
            got[1],
            Section {
                level: 2,
                marker: "（一）".into(),
                heading: "明确目标".into(),
                text: "具体内容。".into()
            }
        );
        assert_eq!(got[2].text, "");
    }

    #[test]
    fn contents_entries_are_not_headings() {
        for entry in [
            "一、部门主要职能………………………………",
            "1. 2024年部门收入预算总表   ……………………",
            "第一章 总则……………3",
            "（二）基本支出 .......... 12",
            "三、名词解释 ···· 第5页",
            "二、机构设置 —— ….. iv",
        ] {
            assert!(is_contents_entry(entry), "{entry}");
        }
        for heading in [
            "一、部门主要职能",
            "（一）关于……的通知",
            "二、推进“放管服”改革......",
            "三、全年完成2024",
            "1. 使用Wi-Fi",
        ] {
            assert!(!is_contents_entry(heading), "{heading}");
        }
        let got = sections(&lines(&[
            "目录",
            "一、总体要求…………………1",
            "二、主要任务…………………3",
            "一、总体要求",
            "正文。",
            "二、主要任务",
        ]));
        let headings: Vec<&str> = got.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(headings, ["总体要求", "主要任务"]);
        assert_eq!(got[0].text, "正文。");
    }

    fn run_rule(texts: &[&str]) -> (Vec<String>, Vec<crate::record::Repair>, Vec<String>) {
        use crate::repair::{Context, Lines, Rule};
        let mut l = Lines::new(lines(texts));
        let mut cx = Context::default();
        MARKERS.apply(&mut l, &mut cx);
        let (out, repairs) = l.finish();
        (
            out.into_iter().map(|l| l.text).collect(),
            repairs,
            cx.warnings,
        )
    }

    #[test]
    fn lost_numerals_are_restored_from_the_sequence() {
        let (out, repairs, _) = run_rule(&[
            "四、加强平台建设",
            "（一）加强网站建设。",
            ")建立健全机制。",
            ")依法规范。",
            "五、强化监督",
        ]);
        assert_eq!(out[2], "（二）建立健全机制。");
        assert_eq!(out[3], "（三）依法规范。");
        assert_eq!(repairs[0].before, ")");
        assert_eq!(repairs[0].after, "（二）");
        // Each case: the lines, and what the rule makes of them.
        let cases: &[(&[&str], &[&str])] = &[
            (
                &["一、总体要求", ")第一项。", "（二）第二项。"],
                &["一、总体要求", "（一）第一项。", "（二）第二项。"],
            ),
            (
                &["1.项目情况", "（1）甲。", "（）乙。"],
                &["1.项目情况", "（1）甲。", "（2）乙。"],
            ),
            // The next marker decides between the two parenthesised kinds.
            (
                &[
                    "（一）政策执行",
                    "1.进度滞后。",
                    ")4个单位资金挂账。",
                    "（2）另一问题。",
                ],
                &[
                    "（一）政策执行",
                    "1.进度滞后。",
                    "（1）4个单位资金挂账。",
                    "（2）另一问题。",
                ],
            ),
            (
                &[
                    "（一）政策执行",
                    "1.进度滞后。",
                    "（1）甲。",
                    "2.未落实。",
                    ")管理和监督方面",
                    "1.监督检查不到位。",
                ],
                &[
                    "（一）政策执行",
                    "1.进度滞后。",
                    "（1）甲。",
                    "2.未落实。",
                    "（二）管理和监督方面",
                    "1.监督检查不到位。",
                ],
            ),
            // An item that opens with a Latin name (a class notation), the lost markers in a
            // row counted toward the next whole one; no Chinese text, no item of ours.
            (
                &[
                    "1.4.3 各附加标志的含义如下：",
                    ")Nx、Hx、Mx、Ex、Cx、I 可根据船舶实际具有的功能授予；",
                    ")Ai 和 Ri 之间，根据船舶实际情况只能选一个；",
                    "（3）R1 可以和 Nx 同时授予。",
                    ")see below",
                ],
                &[
                    "1.4.3 各附加标志的含义如下：",
                    "（1）Nx、Hx、Mx、Ex、Cx、I 可根据船舶实际具有的功能授予；",
                    "（2）Ai 和 Ri 之间，根据船舶实际情况只能选一个；",
                    "（3）R1 可以和 Nx 同时授予。",
                    ")see below",
                ],
            ),
            // Lists set the other way up: the items under each `N.` count from one again.
            (
                &[
                    "1.《办法》第五十八条规定，有下列情形之一的：",
                    "（一）不予受理的；",
                    "（二）未公示的。",
                    "2.《办法》第六十条规定，有下列情形之一的：",
                    ")超越职权发放的；",
                    ")逾期发放的。",
                    "3.《办法》第六十一条规定，予以通报。",
                ],
                &[
                    "1.《办法》第五十八条规定，有下列情形之一的：",
                    "（一）不予受理的；",
                    "（二）未公示的。",
                    "2.《办法》第六十条规定，有下列情形之一的：",
                    "（一）超越职权发放的；",
                    "（二）逾期发放的。",
                    "3.《办法》第六十一条规定，予以通报。",
                ],
            ),
            // A run that opens after another run's last item is no run under it.
            (
                &[
                    "申请条件：",
                    "1.具有本市户籍。",
                    "2.年满18周岁。",
                    "申请材料：",
                    "（一）身份证；",
                    "（二）户口簿，包括：",
                    "1.户主页；",
                    "2.本人页。",
                    ")结婚证；",
                    ")近期免冠照片。",
                ],
                &[
                    "申请条件：",
                    "1.具有本市户籍。",
                    "2.年满18周岁。",
                    "申请材料：",
                    "（一）身份证；",
                    "（二）户口簿，包括：",
                    "1.户主页；",
                    "2.本人页。",
                    "（三）结婚证；",
                    "（四）近期免冠照片。",
                ],
            ),
            // The `)` that closes a bracket the line before left open.
            (
                &[
                    "本标准参照采用国际标准化组织（ISO",
                    ")ISO 9001:2015标准要求编制。",
                ],
                &[
                    "本标准参照采用国际标准化组织（ISO",
                    ")ISO 9001:2015标准要求编制。",
                ],
            ),
            (
                &["（一）认真学习", "表达式为f(x", ")x是自变量，y是因变量。"],
                &["（一）认真学习", "表达式为f(x", ")x是自变量，y是因变量。"],
            ),
            // An item that opens with a quotation.
            (
                &[
                    "二、活动内容",
                    "）“国学史园”知识竞答。",
                    "）“创承文脉”联展。",
                    "、“百物匠心”技艺",
                ],
                &[
                    "二、活动内容",
                    "（一）“国学史园”知识竞答。",
                    "（二）“创承文脉”联展。",
                    "三、“百物匠心”技艺",
                ],
            ),
            // With no marker around to go by, the kind the document writes elsewhere.
            (
                &[
                    "三、加大监督力度",
                    "（1）每年组织培训。",
                    "四、优化审批流程",
                    "）应办理审批。",
                ],
                &[
                    "三、加大监督力度",
                    "（1）每年组织培训。",
                    "四、优化审批流程",
                    "（1）应办理审批。",
                ],
            ),
            (
                &["四、优化审批流程", "）应办理审批。"],
                &["四、优化审批流程", "（一）应办理审批。"],
            ),
        ];
        for (lines, expected) in cases {
            assert_eq!(run_rule(lines).0, *expected, "{lines:?}");
        }
    }

    #[test]
    fn markers_are_canonicalised_and_recorded() {
        let (out, repairs, _) = run_rule(&[
            "一.总体要求",
            "(一)目标",
            "1、任务",
            "⑴细则",
            "第一章　总则",
            "第一条本办法",
        ]);
        assert_eq!(
            out,
            vec![
                "一、总体要求",
                "（一）目标",
                "1.任务",
                "（1）细则",
                "第一章 总则",
                "第一条 本办法"
            ]
        );
        assert_eq!(repairs.len(), 6);
        assert!(repairs.iter().all(|r| r.rule == "heading_marker"));
    }

    #[test]
    fn skipped_numbers_warn_and_stay() {
        let (out, repairs, warnings) = run_rule(&["一、甲", "二、乙", "四、丁"]);
        assert_eq!(out[2], "四、丁");
        assert!(repairs.is_empty());
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn regulation_levels_shift_with_divisions() {
        let got = sections(&lines(&[
            "第一章 总则",
            "第一节 一般规定",
            "第一条 为了规范。",
        ]));
        assert_eq!(
            got.iter().map(|s| s.level).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
    }
}

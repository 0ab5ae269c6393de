//! Whitespace: indentation (ASCII spaces, NBSP, ideographic spaces), trailing spaces,
//! zero-width characters and stray spaces between Chinese characters are removed; empty lines
//! are dropped. Paragraph breaks are kept.
//!
//! Left alone on purpose: the one space after a regulation marker (`第一章 总则`,
//! `第一条 …`; other space runs there are normalised to one ASCII space and a missing one is
//! inserted), the tabs between table cells, spaces in Latin text, and a space between two
//! multi-character Chinese words (`江苏省财政厅 司法厅`, joint issuers) which is meaningful;
//! such a kept gap is written as one ASCII space, whatever spaces and NBSPs made it. Table
//! cells are trimmed and cleaned inside the same way (`黄 \u{a0}懿` → `黄懿`), except a gap
//! before a list marker (`…活动 二、…`).
//! A space is *stray* when it touches CJK punctuation or when one of the Han words it
//! separates is a single character, the pattern of letter-spaced text (`索 引 号`, PDF glyph
//! spacing).

use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem;

use super::text::{is_cjk_punct, is_han, is_space, is_zero_width, parts_form_fields};
use super::{Context, Lines, Rule};
use crate::document::BlockKind;
use crate::structure::{Marker, MarkerKind, parse_marker};

/// Most passes over one line.
const MAX_PASSES: usize = 3;

/// The `whitespace` rule.
pub struct Whitespace;

impl Rule for Whitespace {
    fn name(&self) -> &'static str {
        "whitespace"
    }

    fn apply(&self, lines: &mut Lines, _cx: &mut Context) {
        let mut idx = 0;
        while idx < lines.len() {
            let line = lines.get(idx);
            if line
                .text
                .chars()
                .all(|c| is_space(c) || is_zero_width(c) || c == '\t')
            {
                lines.remove(idx, self.name());
                continue;
            }
            fix_line(lines, idx);
            idx += 1;
        }
    }
}

/// Clean line `idx`, recording every change. A removed zero-width character can reveal a
/// marker (`1\u{200B}.`), so the line is cleaned until nothing changes.
pub fn fix_line(lines: &mut Lines, idx: usize) {
    for _ in 0..MAX_PASSES {
        let line = lines.get(idx);
        let mut edits = if line.kind == BlockKind::TableRow {
            row_edits(&line.text)
        } else {
            line_edits(&line.text)
        };
        // An edit that writes what is already there (the one space kept after `第一条`)
        // changes nothing and [`Lines::edit`] records nothing for it: left out, a line with
        // only such edits is done now rather than after every pass rebuilt it unchanged.
        edits.retain(|(range, after)| line.text[range.clone()] != *after);
        if edits.is_empty() {
            break;
        }
        lines.edit(idx, edits, Whitespace.name());
    }
}

/// The edits that clean one text line (not a table row).
pub fn line_edits(text: &str) -> Vec<(Range<usize>, String)> {
    if !has_layout(text) {
        // Nothing to trim or squeeze (most lines): only a regulation marker's missing
        // separator can be written.
        return regulation_marker_gap(text).map_or_else(Vec::new, |gap| vec![gap]);
    }
    // Byte offsets throughout: the line is walked from one space to the next, never
    // decoded whole (`old_line_edits` in the tests is the character-indexed original).
    let mut edits = Vec::new();
    let layout = |c: char| is_space(c) || is_zero_width(c) || c == '\t';
    // Leading and trailing layout.
    let lead = text.len() - text.trim_start_matches(layout).len();
    let trail = lead + text[lead..].trim_end_matches(layout).len();
    if lead > 0 {
        edits.push((0..lead, String::new()));
    }
    let body = &text[lead..trail];
    // The separator after a regulation marker is kept (normalised).
    let marker = parse_marker(body);
    let marker_gap = marker
        .as_ref()
        .and_then(|m| regulation_gap_after(body, m))
        .map(|(r, fix)| (r.start + lead..r.end + lead, fix));
    if let Some((r, fix)) = &marker_gap {
        edits.push((r.clone(), fix.clone()));
    }
    // Other markers (`一、` `（一）` `1.`) are followed directly by their text.
    let plain_marker_end = match marker {
        Some(m) if marker_gap.is_none() && !m.kind.is_regulation() => lead + m.len,
        _ => usize::MAX,
    };
    let starts = run_chars(text, lead, trail);
    let mut k = 0;
    while let Some(&start) = starts.get(k) {
        // The kept separator is all layout and is followed by text: skip it whole.
        if let Some((r, _)) = marker_gap.as_ref().filter(|(r, _)| r.contains(&start)) {
            k += starts[k..].partition_point(|&b| b < r.end);
            continue;
        }
        // A run of spaces and zero-width characters. It starts after the first character
        // of the body and ends before its last (both are not layout).
        let mut end = start;
        let mut has_space = false;
        for c in text[start..trail].chars() {
            if is_space(c) {
                has_space = true;
            } else if !is_zero_width(c) {
                break;
            }
            end += c.len_utf8();
        }
        let drop_all = !has_space || start == plain_marker_end || stray(text, start, end);
        if drop_all {
            edits.push((start..end, String::new()));
        } else if &text[start..end] != " " {
            // A gap kept between words is one ASCII space, whatever it was written with
            // (`赵晓波\u{a0} 区党工委委员`, `办公室\u{a0}\u{a0}\u{a0} 2012年3月1日印发`).
            edits.push((start..end, " ".to_string()));
        }
        k += starts[k..].partition_point(|&b| b < end);
    }
    if trail < text.len() {
        edits.push((trail..text.len(), String::new()));
    }
    edits
}

/// The layout characters whose lead byte is also the lead byte of common CJK punctuation
/// (`E3` of `。`, `EF` of `，`), searched for whole.
static WIDE_LAYOUT: LazyLock<[memmem::Finder<'static>; 2]> = LazyLock::new(|| {
    [
        memmem::Finder::new("\u{3000}"),
        memmem::Finder::new("\u{FEFF}"),
    ]
});

/// The other layout characters' first bytes: the ASCII space, `C2` (U+00A0) and `E2`
/// (U+2000..=U+206F); what starts with one of them is decoded to be sure.
const NARROW_LAYOUT: [u8; 3] = [b' ', 0xC2, 0xE2];

/// Whether the character starting at byte `at` of `text` is [`is_space`] or
/// [`is_zero_width`].
fn run_char_at(text: &str, at: usize) -> bool {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| is_space(c) || is_zero_width(c))
}

/// The byte offsets, in order, of every [`is_space`] or [`is_zero_width`] character of
/// `text[from..to]`. Each of them is U+3000 or U+FEFF, or starts with a byte of
/// [`NARROW_LAYOUT`] (U+00A0 is `C2 A0`; U+2000..=U+206F are `E2 80 xx`/`E2 81 xx`), so the
/// vectorised byte searches below find them all without decoding the line.
fn run_chars(text: &str, from: usize, to: usize) -> Vec<usize> {
    let hay = &text.as_bytes()[from..to];
    let [a, b, c] = NARROW_LAYOUT;
    let mut at: Vec<usize> = memchr::memchr3_iter(a, b, c, hay)
        .map(|i| from + i)
        .filter(|&i| run_char_at(text, i))
        .collect();
    for finder in WIDE_LAYOUT.iter() {
        at.extend(finder.find_iter(hay).map(|i| from + i));
    }
    at.sort_unstable();
    at
}

/// Whether `text` holds a character this rule removes or squeezes: [`is_space`],
/// [`is_zero_width`] or a tab; the same as asking each character (see [`run_chars`] for why
/// the byte searches find them all).
fn has_layout(text: &str) -> bool {
    let bytes = text.as_bytes();
    let [a, b, c] = NARROW_LAYOUT;
    memchr::memchr2(a, b'\t', bytes).is_some()
        || memchr::memchr2_iter(b, c, bytes).any(|i| run_char_at(text, i))
        || WIDE_LAYOUT.iter().any(|f| f.find(bytes).is_some())
}

/// Digits of a number set apart from the Han text beside it by a space: a telephone number,
/// a postcode, an account.
const MIN_SET_APART_NUMBER: usize = 6;

/// Units and measure words that follow a number in Chinese text, with `余`/`多` (`5500余条`,
/// `10多家`) and the percent sign (`合格率为 100%`).
const UNITS: &str = "年月日号时分秒个人家天米件条章节款项次名元万亿千百岁届期份张户位支只台辆座栋层亩吨倍周篇页册类种批所场起例处部套本余多%％";

/// Words after which a date is part of the sentence (`截至 2024年12月31日`), not a date set
/// apart after a name (`XX人民政府 2020年2月19日`).
const BEFORE_DATE: &str = "自至于在从到为";

/// Whether the space between Han text `before` and the number that opens `after` is stray:
/// Chinese text sets a quantity without spaces (`自 2024年 1月`, `下属 5 家`, `第 711号`). It
/// stays before a number without a unit (`董事长 1.国际…`, a page number `识别 1`), a long one
/// (`电话 05911234567`), a year range (`书记 1961年-1973年`) and a full date after a name
/// with no sentence after it (`办公室 2016年9月1日`).
fn stray_before_quantity(before: &str, after: &str) -> bool {
    let digits = after.chars().take_while(char::is_ascii_digit).count();
    if digits >= MIN_SET_APART_NUMBER {
        return false;
    }
    let rest = after[digits..].trim_start_matches([' ', '\u{3000}']);
    let Some(unit) = rest.chars().next().filter(|&c| UNITS.contains(c)) else {
        return false;
    };
    let after_unit = &rest[unit.len_utf8()..];
    if unit == '年' && after_unit.starts_with(['-', '－', '—', '~', '～']) {
        return false;
    }
    // A full date that ends the line, after a name: a signature's or an imprint's
    // (`办公室 2016年9月1日`, `XX人民政府 2020年2月19日印发`).
    let ends_line = |after_day: &str| {
        let rest = after_day.trim_end_matches(['。', ' ', '\u{3000}']);
        rest.is_empty() || DATE_LINE_ENDS.contains(&rest)
    };
    let set_apart_date = crate::metadata::parse_date(after).is_some()
        && after
            .find(['日', '号'])
            .is_some_and(|at| ends_line(&after[at + '日'.len_utf8()..]))
        && !before
            .chars()
            .next_back()
            .is_some_and(|c| BEFORE_DATE.contains(c));
    !set_apart_date
}

/// What may follow the date of a signature or an imprint on its line.
const DATE_LINE_ENDS: &[&str] = &["印发", "发布", "印"];

/// Whether the space run `text[start..end]` is stray; the characters on either side of it are
/// text (not layout).
fn stray(text: &str, start: usize, end: usize) -> bool {
    let (Some(p), Some(q)) = (
        text[..start].chars().next_back(),
        text[end..].chars().next(),
    ) else {
        return false;
    };
    // Fields of a form set side by side on a line that opens with a label
    // (`甲方：（盖章）\u{3000}\u{3000}乙方：（盖章）`, `联系人：\u{3000}\u{3000}联系电话：`): the gap
    // before the next field's label parts them.
    if parts_form_fields(text, &text[..start], &text[end..]) {
        return false;
    }
    // Otherwise full-width punctuation carries its own spacing: a space beside it is stray.
    if is_cjk_punct(p) || is_cjk_punct(q) {
        return true;
    }
    if is_han(p) && q.is_ascii_digit() {
        return stray_before_quantity(&text[..start], &text[end..]);
    }
    // `2024 年`, `4 支`: a number and its unit.
    if p.is_ascii_digit() && UNITS.contains(q) {
        let digits = text[..start]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .count();
        return digits < MIN_SET_APART_NUMBER;
    }
    if !(is_han(p) && is_han(q)) {
        return false;
    }
    // Letter spacing: one of the two Han words is a single character.
    let head = &text[..start - p.len_utf8()];
    let before_single = !head.chars().next_back().is_some_and(is_han);
    let after_single = !text[end + q.len_utf8()..]
        .chars()
        .next()
        .is_some_and(is_han);
    !parts_padded_name(
        &text[start..end],
        before_single.then(|| padded_name_end(head)).flatten(),
        after_single
            .then(|| padded_name_start(&text[end..]))
            .flatten(),
        before_single,
        after_single,
    ) && (before_single || after_single)
}

/// Whether a gap next to a two-character name padded to the width of three parts two words,
/// as the gaps beside unpadded names do. `padded_before` and `padded_after` are the widths of
/// the padding of such a name ending before the gap or starting after it.
/// * After a padded name, before a word (`陈\u{a0} 强\u{a0} 平潭县政府办公室主任`,
///   `袁\u{3000}淳 吕兆德`): when the gap is wider than a glyph gap or narrower than the
///   padding.
/// * Before a padded name, after a word (`冷柏军  张  玮`, `张学群 崔  越`), unless the two
///   letters make a word (`关于印发  通  知`, `国务院  公  报`: letter spacing).
/// * Between two padded names (`沈  阳 贺  阳`, `张\u{3000}玮\u{3000}\u{3000}李\u{3000}强`), when
///   narrower or wider than both paddings: evenly spaced letters (`关  于  印  发`) are letter
///   spacing.
fn parts_padded_name(
    gap: &str,
    padded_before: Option<usize>,
    padded_after: Option<PaddedName>,
    before_single: bool,
    after_single: bool,
) -> bool {
    let width = gap_width(gap);
    match (padded_before, padded_after) {
        (Some(pad), None) => !after_single && (is_wide(gap) || width < pad),
        (None, Some(after)) => !before_single && !after.is_word,
        (Some(a), Some(after)) => {
            let b = after.padding;
            width < a.min(b) || width > a.max(b)
        }
        (None, None) => false,
    }
}

/// The width of a gap in ASCII spaces: an ideographic space is two.
fn gap_width(gap: &str) -> usize {
    gap.chars()
        .map(|c| match c {
            '\u{3000}' => 2,
            c if is_space(c) => 1,
            _ => 0,
        })
        .sum()
}

/// Whether a gap is wider than one ASCII space: padding typed into a text, not a glyph gap.
fn is_wide(gap: &str) -> bool {
    gap.chars().filter(|&c| is_space(c)).count() > 1 || gap.contains(['\u{3000}', '\u{a0}'])
}

/// When `head` ends with a single Han character and a wide gap (`成员：陈\u{a0} `, the
/// character after `head` being a single `强`): a two-character name padded to the width of
/// three. Returns the padding's width.
fn padded_name_end(head: &str) -> Option<usize> {
    let is_gap = |c: char| is_space(c) || is_zero_width(c);
    let gap_start = head.trim_end_matches(is_gap).len();
    let gap = &head[gap_start..];
    let before = &head[..gap_start];
    let mut chars = before.chars();
    if gap.is_empty() || !is_wide(gap) || !chars.next_back().is_some_and(is_han) {
        return None;
    }
    // The last two letters of evenly spaced ones (`年   月   日`) count: the gap after them
    // parts words as well.
    (!chars.next_back().is_some_and(is_han)).then(|| gap_width(gap))
}

/// When `tail` opens with a two-character name padded to the width of three (`张  玮`, then
/// no Han character): its padding, and whether it is a word.
fn padded_name_start(tail: &str) -> Option<PaddedName> {
    let is_gap = |c: char| is_space(c) || is_zero_width(c);
    let mut chars = tail.chars();
    if !chars.next().is_some_and(is_han) {
        return None;
    }
    let rest = chars.as_str();
    let after = rest.trim_start_matches(is_gap);
    let gap = &rest[..rest.len() - after.len()];
    let mut chars = after.chars();
    if gap.is_empty() || !is_wide(gap) || !chars.next().is_some_and(is_han) {
        return None;
    }
    let after = chars.as_str();
    if after.chars().next().is_some_and(is_han) {
        return None;
    }

    // Evenly spaced letters go on after it (`国  务  院`): letter spacing, not a name.
    let later = after.trim_start_matches(is_gap);
    let width = gap_width(gap);
    let spaced_on = later.len() < after.len()
        && gap_width(&after[..after.len() - later.len()]) == width
        && later.chars().next().is_some_and(is_han);
    let word = || {
        let first = tail.chars().next().unwrap_or_default();
        let second = rest[gap.len()..].chars().next().unwrap_or_default();
        super::lexicon::count(&[first, second]) > 0
    };
    (!spaced_on).then(|| PaddedName {
        padding: width,
        is_word: word(),
    })
}

/// A two-character name (or word) padded to the width of three, opening the text after a gap.
#[derive(Debug, Clone, Copy)]
struct PaddedName {
    /// The padding's width (see [`gap_width`]).
    padding: usize,
    /// The two characters make a word of the lexicon (`通知`, `公报`, and common names).
    is_word: bool,
}

/// For a line starting with `第X章`/`第X条`…: the byte offset where the marker and the
/// separator this rule keeps after it end.
pub fn marker_gap_end(line: &str) -> Option<usize> {
    regulation_marker_gap(line).map(|(r, _)| r.end)
}

/// For a line starting with `第X章`/`第X条`/`第X节`/`第X编`: the byte range of the separator
/// after the marker and what it should be (one ASCII space).
fn regulation_marker_gap(body: &str) -> Option<(Range<usize>, String)> {
    // Regulation markers are the `第X章` family: a line that does not start with `第` has
    // none, and is spared parsing a marker of another kind only to refuse it.
    if !body.starts_with('第') {
        return None;
    }
    regulation_gap_after(body, &parse_marker(body)?)
}

/// [`regulation_marker_gap`] for the marker `m` already parsed at the start of `body`.
fn regulation_gap_after(body: &str, m: &Marker) -> Option<(Range<usize>, String)> {
    if !matches!(
        m.kind,
        MarkerKind::Chapter | MarkerKind::Article | MarkerKind::Division | MarkerKind::Part
    ) {
        return None;
    }
    let unit_end = body.find(['章', '条', '节', '编'])? + '章'.len_utf8();
    let gap_end = unit_end
        + body[unit_end..]
            .chars()
            .take_while(|c| is_space(*c) || *c == '\t' || is_zero_width(*c))
            .map(char::len_utf8)
            .sum::<usize>();
    // Whatever follows, the marker rule writes one space after a regulation marker.
    body[gap_end..].chars().next()?;
    Some((unit_end..gap_end, " ".to_string()))
}

/// The edits that clean a table row: spaces around each cell and zero-width characters go,
/// tabs stay.
pub fn row_edits(text: &str) -> Vec<(Range<usize>, String)> {
    let mut edits = Vec::new();
    let mut start = 0;
    for cell in text.split('\t') {
        let lead = cell.len()
            - cell
                .trim_start_matches(|c| is_space(c) || is_zero_width(c))
                .len();
        let trimmed_end = cell
            .trim_end_matches(|c| is_space(c) || is_zero_width(c))
            .len();
        if lead > 0 && lead <= cell.len() {
            edits.push((start..start + lead, String::new()));
        }
        if trimmed_end > lead && trimmed_end < cell.len() {
            edits.push((start + trimmed_end..start + cell.len(), String::new()));
        }
        if trimmed_end > lead {
            // Inside the cell, as in a line: letter spacing (`黄 \u{a0}懿`, `姓  名`) and
            // zero-width characters go, a gap between words becomes one space.
            edits.extend(
                cell_gap_edits(&cell[..trimmed_end], lead)
                    .into_iter()
                    .map(|(r, after)| (start + r.start..start + r.end, after)),
            );
        }
        start += cell.len() + 1;
    }
    edits
}

/// The edits inside a table cell `cell[from..]` (its trimmed text ends where `cell` does):
/// each run of spaces and zero-width characters is dropped when it is stray or has no space,
/// else made one ASCII space.
fn cell_gap_edits(cell: &str, from: usize) -> Vec<(Range<usize>, String)> {
    let mut edits = Vec::new();
    let mut at = from;
    while at < cell.len() {
        let Some(c) = cell[at..].chars().next() else {
            break;
        };
        if !(is_space(c) || is_zero_width(c)) {
            at += c.len_utf8();
            continue;
        }
        let start = at;
        let mut has_space = false;
        while let Some(c) = cell[at..].chars().next() {
            if is_space(c) {
                has_space = true;
            } else if !is_zero_width(c) {
                break;
            }
            at += c.len_utf8();
        }
        // Items run together in one cell keep their gap (`…销售活动 二、财务…`).
        let item_follows = item_starts(&cell[at..]);
        if !has_space || !item_follows && stray(cell, start, at) {
            edits.push((start..at, String::new()));
        } else if &cell[start..at] != " " {
            edits.push((start..at, " ".to_string()));
        }
    }
    edits
}

/// Whether `s` opens with an item: a marker followed by text, not by a mark (`第一条，` cites
/// an article, and `第一条 ,` is the same once its comma is made full-width).
fn item_starts(s: &str) -> bool {
    parse_marker(s).is_some_and(|m| {
        s[m.len..]
            .trim_start_matches(is_space)
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || "“‘《（(【〔「".contains(c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repair::Line;
    use crate::repair::text::opens_with_a_field_label;

    fn run(texts: &[&str]) -> (Vec<String>, Vec<crate::record::Repair>) {
        let mut lines = Lines::new(
            texts
                .iter()
                .map(|t| Line {
                    text: t.to_string(),
                    kind: if t.contains('\t') {
                        BlockKind::TableRow
                    } else {
                        BlockKind::Paragraph
                    },
                })
                .collect(),
        );
        Whitespace.apply(&mut lines, &mut Context::default());
        let (out, repairs) = lines.finish();
        (out.into_iter().map(|l| l.text).collect(), repairs)
    }

    #[test]
    fn a_spaced_out_name_keeps_the_gap_before_the_next_word() {
        let (out, _) = run(&[
            "成员：陈\u{a0} 强\u{a0} 平潭县政府办公室主任",
            "吴国庆\u{a0} 平潭县公路局局长",
            "索 引 号：123",
        ]);
        assert_eq!(
            out,
            [
                "成员：陈强 平潭县政府办公室主任",
                "吴国庆 平潭县公路局局长",
                "索引号：123"
            ]
        );
    }

    /// Clean `lines`, expect `expected`, and check that a second pass changes nothing.
    fn cleans_to(lines: &[&str], expected: &[&str]) {
        let (out, _) = run(lines);
        assert_eq!(out, expected);
        let again: Vec<&str> = out.iter().map(String::as_str).collect();
        assert_eq!(run(&again).0, out);
    }

    #[test]
    fn names_padded_to_three_characters_stay_apart_from_their_neighbours() {
        cleans_to(
            &[
                "00149\t国际贸易理论与实务\t冷柏军  张  玮\t外语教学与研究出版社",
                "主编：张学群 崔  越",
                "沈  阳 贺  阳",
                "袁\u{3000}淳 吕兆德",
                "关  于  印  发",
                "中华人民共和国  国  务  院",
                "关于印发  通  知",
                "张\u{3000}玮\u{3000}\u{3000}李\u{3000}强\u{3000}\u{3000}王小明",
            ],
            &[
                "00149\t国际贸易理论与实务\t冷柏军 张玮\t外语教学与研究出版社",
                "主编：张学群 崔越",
                "沈阳 贺阳",
                "袁淳 吕兆德",
                "关于印发",
                "中华人民共和国国务院",
                "关于印发通知",
                "张玮 李强 王小明",
            ],
        );
    }

    #[test]
    fn a_quantity_is_set_without_spaces_but_a_value_set_apart_keeps_its_gap() {
        let (out, _) = run(&[
            "统计期限自 2024年 1月 1日至 2024 年 12 月 31 日。",
            "本部门包括下属 5 家预算单位，见国令第 711号。",
            "表1\t1 月 5 日",
            "公开政府信息 5500余条，召开发布会 12场，合格率均为 100%。",
        ]);
        assert_eq!(
            out,
            [
                "统计期限自2024年1月1日至2024年12月31日。",
                "本部门包括下属5家预算单位，见国令第711号。",
                "表1\t1月5日",
                "公开政府信息5500余条，召开发布会12场，合格率均为100%。",
            ]
        );
        for kept in [
            "XX人民政府 2020年2月19日印发",
            "办公室 2016年9月1日",
            "联系电话 059112345678",
            "董事长 1.国际标准化组织专家",
            "团委书记 1961年-1973年",
            "表1 示例数据统计表",
            "一、风险识别 1",
        ] {
            assert_eq!(run(&[kept]).0, [kept], "{kept}");
        }
    }

    /// The implementation before the byte-offset walk, kept as the oracle of the proptest
    /// below.
    fn old_line_edits(text: &str) -> Vec<(Range<usize>, String)> {
        if !text
            .chars()
            .any(|c| is_space(c) || is_zero_width(c) || c == '\t')
        {
            // Nothing to trim or squeeze (most lines): only a regulation marker's missing
            // separator can be written.
            return regulation_marker_gap(text).map_or_else(Vec::new, |gap| vec![gap]);
        }
        let mut edits = Vec::new();
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let n = chars.len();
        let end_of = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
        // Leading and trailing layout.
        let lead = chars
            .iter()
            .take_while(|(_, c)| is_space(*c) || is_zero_width(*c) || *c == '\t')
            .count();
        let trail_start = n - chars[lead..]
            .iter()
            .rev()
            .take_while(|(_, c)| is_space(*c) || is_zero_width(*c) || *c == '\t')
            .count();
        if lead > 0 {
            edits.push((0..end_of(lead), String::new()));
        }
        let body = &text[end_of(lead)..end_of(trail_start)];
        // The separator after a regulation marker is kept (normalised).
        let marker = parse_marker(body);
        let marker_gap = marker
            .as_ref()
            .and_then(|m| regulation_gap_after(body, m))
            .map(|(r, fix)| {
                let base = end_of(lead);
                (r.start + base..r.end + base, fix)
            });
        if let Some((r, fix)) = &marker_gap {
            edits.push((r.clone(), fix.clone()));
        }
        // Other markers (`一、` `（一）` `1.`) are followed directly by their text.
        let plain_marker_end = match marker {
            Some(m) if marker_gap.is_none() && !m.kind.is_regulation() => end_of(lead) + m.len,
            _ => usize::MAX,
        };
        let mut i = lead;
        while i < trail_start {
            let (b, c) = chars[i];
            if marker_gap.as_ref().is_some_and(|(r, _)| r.contains(&b)) {
                i += 1;
                continue;
            }
            if !is_space(c) && !is_zero_width(c) {
                i += 1;
                continue;
            }
            // A run of spaces and zero-width characters.
            let mut j = i;
            while j < trail_start && (is_space(chars[j].1) || is_zero_width(chars[j].1)) {
                j += 1;
            }
            let has_space = chars[i..j].iter().any(|&(_, c)| is_space(c));
            let drop_all = !has_space || b == plain_marker_end || {
                let (p, q) = (chars[i - 1].1, chars[j].1);
                old_stray(&chars, i, j, p, q)
            };
            if drop_all {
                edits.push((b..end_of(j), String::new()));
            } else if &text[b..end_of(j)] != " " {
                edits.push((b..end_of(j), " ".to_string()));
            }
            i = j;
        }
        if trail_start < n {
            edits.push((end_of(trail_start)..text.len(), String::new()));
        }
        edits
    }

    fn old_stray(chars: &[(usize, char)], i: usize, j: usize, p: char, q: char) -> bool {
        let text = |range: std::ops::Range<usize>| -> String {
            chars[range].iter().map(|&(_, c)| c).collect()
        };
        // Fields of a form side by side, on a line that opens with a label.
        if (matches!(p, '）' | '：' | ')' | ':') || text(0..i).contains(['：', ':']))
            && opens_with_a_field_label(&text(j..chars.len()))
            && opens_with_a_field_label(
                text(0..chars.len()).trim_start_matches(|c| is_space(c) || is_zero_width(c)),
            )
        {
            return false;
        }
        // Full-width punctuation carries its own spacing: a space beside it is always stray.
        if is_cjk_punct(p) || is_cjk_punct(q) {
            return true;
        }
        // Quantities: the text on either side, as characters.
        if is_han(p) && q.is_ascii_digit() {
            return stray_before_quantity(&text(0..i), &text(j..chars.len()));
        }
        if p.is_ascii_digit() && UNITS.contains(q) {
            let digits = chars[..i]
                .iter()
                .rev()
                .take_while(|(_, c)| c.is_ascii_digit())
                .count();
            return digits < MIN_SET_APART_NUMBER;
        }
        if !(is_han(p) && is_han(q)) {
            return false;
        }
        // Letter spacing: one of the two Han words is a single character.
        let before_single = i < 2 || !is_han(chars[i - 2].1);
        let after_single = j + 1 >= chars.len() || !is_han(chars[j + 1].1);
        // A name padded to three characters' width, and a word or another such name.
        let padded_before = if before_single {
            padded_name_end(&text(0..i - 1))
        } else {
            None
        };
        let padded_after = if after_single {
            padded_name_start(&text(j..chars.len()))
        } else {
            None
        };
        !parts_padded_name(
            &text(i..j),
            padded_before,
            padded_after,
            before_single,
            after_single,
        ) && (before_single || after_single)
    }

    /// The old guard of [`regulation_marker_gap`]: parse any marker, then refuse all but
    /// the regulation kinds.
    fn old_regulation_marker_gap(body: &str) -> Option<(Range<usize>, String)> {
        regulation_gap_after(body, &parse_marker(body)?)
    }

    /// Pieces of lines, chosen for the rule's corners: every kind of layout, markers, Han
    /// words of one and several characters, CJK punctuation, Latin text.
    const PIECES: &[&str] = &[
        " ",
        "  ",
        "\u{3000}",
        "\u{a0}",
        "\u{2002}",
        "\u{202f}",
        "\u{205f}",
        "\u{200b}",
        "\u{200d}",
        "\u{2060}",
        "\u{feff}",
        "\t",
        "第一条",
        "第二章",
        "第三节",
        "第一编",
        "一、",
        "（二）",
        "3.",
        "十.",
        "①",
        "加",
        "强",
        "管理",
        "江苏省财政厅",
        "，",
        "。",
        "：",
        "《",
        "》",
        "a",
        "Open",
        "2020",
        "号",
        "\u{ff0c}",
        "\u{3001}",
    ];

    fn piece_line() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop::collection::vec(prop::sample::select(PIECES), 0..12).prop_map(|v| v.concat())
    }

    proptest::proptest! {
        #[test]
        fn byte_walk_equals_character_walk(text in piece_line()) {
            proptest::prop_assert_eq!(line_edits(&text), old_line_edits(&text));
        }

        #[test]
        fn layout_test_reads_bytes_as_characters(text in piece_line()) {
            proptest::prop_assert_eq!(
                has_layout(&text),
                text.chars().any(|c| is_space(c) || is_zero_width(c) || c == '\t')
            );
        }

        #[test]
        fn regulation_gap_needs_no_marker_parse_without_di(text in piece_line()) {
            proptest::prop_assert_eq!(
                regulation_marker_gap(&text),
                old_regulation_marker_gap(&text)
            );
        }
    }

    #[test]
    fn byte_walk_equals_character_walk_on_the_unit_cases() {
        for text in [
            "    加强权力配置信息工作。",
            "加 强 管 理\u{200B}工作 。",
            "索 引 号：001",
            "《江苏省财政厅 司法厅关于政府采购的通知》",
            "一、 总体要求",
            "第一章\u{3000}\u{3000}总则",
            "第二条  本办法",
            "Open Government Data 2020 ",
            "甲\u{200b} \u{200b}乙",
            "\u{3000}",
        ] {
            assert_eq!(line_edits(text), old_line_edits(text), "{text:?}");
        }
    }

    #[test]
    fn indentation_of_every_kind_is_removed() {
        let (out, repairs) = run(&[
            "    加强权力配置信息工作。",
            "\u{a0}\u{a0}\u{3000}\u{3000}完善机制。",
            "\u{3000}\u{3000}结束。  ",
        ]);
        assert_eq!(out, vec!["加强权力配置信息工作。", "完善机制。", "结束。"]);
        assert_eq!(repairs[0].before, "    ");
        assert_eq!(repairs[0].after, "");
        assert!(repairs.iter().all(|r| r.rule == "whitespace"));
    }

    #[test]
    fn empty_lines_are_dropped_and_recorded() {
        let (out, repairs) = run(&["甲。", "", "\u{3000} ", "乙。"]);
        assert_eq!(out, vec!["甲。", "乙。"]);
        assert_eq!(repairs.len(), 2);
    }

    #[test]
    fn zero_width_and_stray_spaces_between_cjk_are_removed() {
        let (out, _) = run(&["加 强 管 理\u{200B}工作 。", "索 引 号：001"]);
        assert_eq!(out, vec!["加强管理工作。", "索引号：001"]);
    }

    #[test]
    fn meaningful_spaces_stay() {
        let (out, _) = run(&[
            "《江苏省财政厅 司法厅关于政府采购的通知》",
            "《中共中央 国务院关于全面实施预算绩效管理的意见》",
            "Open Government Data 2020",
            "第一章 总则",
        ]);
        assert_eq!(
            out,
            vec![
                "《江苏省财政厅 司法厅关于政府采购的通知》",
                "《中共中央 国务院关于全面实施预算绩效管理的意见》",
                "Open Government Data 2020",
                "第一章 总则",
            ]
        );
    }

    #[test]
    fn a_wide_gap_between_the_fields_of_a_form_stays_as_a_space() {
        cleans_to(
            &[
                "甲方：（盖章）\u{3000}\u{3000}\u{3000}乙方：（盖章）",
                "联系人：\u{3000}\u{3000}\u{3000}\u{3000}联系电话：",
                "（一）\u{3000}\u{3000}组织领导：成立工作专班",
                "依照《条例》\u{3000}\u{3000}规定执行",
                "（盖章） 乙方：",
                "甲方:   (盖章)             乙方:   (盖章)",
                "地    址：                         地    址：",
                "法定代表人（授权代表）：            法定代表人（授权代表）：",
                "签约日期：年   月   日        签约日期：  年    月",
                "性\u{a0}\u{a0}别：男\u{a0}\u{a0}\u{a0}\u{a0}民\u{a0}\u{a0}族：汉",
                "姓名：张    职务：局长",
                "联  系  人：王五",
            ],
            &[
                "甲方：（盖章） 乙方：（盖章）",
                "联系人： 联系电话：",
                "（一）组织领导：成立工作专班",
                "依照《条例》规定执行",
                "（盖章）乙方：",
                "甲方: (盖章) 乙方: (盖章)",
                "地址： 地址：",
                "法定代表人（授权代表）： 法定代表人（授权代表）：",
                "签约日期：年月日 签约日期：年月",
                "性别：男 民族：汉",
                "姓名：张 职务：局长",
                "联系人：王五",
            ],
        );
    }

    #[test]
    fn other_markers_are_followed_directly_by_their_text() {
        let (out, _) = run(&[
            "一、 总体要求",
            "（二）\u{3000}加强领导",
            "3. 推进",
            "十.\u{a0}其他",
        ]);
        assert_eq!(
            out,
            vec!["一、总体要求", "（二）加强领导", "3.推进", "十.其他"]
        );
    }

    #[test]
    fn regulation_marker_keeps_exactly_one_ascii_space() {
        let (out, _) = run(&[
            "第一章\u{3000}\u{3000}总则",
            "第二条  本办法",
            "第三条本办法适用于",
        ]);
        assert_eq!(
            out,
            vec!["第一章 总则", "第二条 本办法", "第三条 本办法适用于"]
        );
    }

    #[test]
    fn table_rows_keep_their_tabs() {
        let (out, _) = run(&[" 项目 \t2015年预算数\t\t 增减率 "]);
        assert_eq!(out, vec!["项目\t2015年预算数\t\t增减率"]);
        // Inside a cell: letter spacing goes, a gap between words is one space, items run
        // together keep theirs.
        let (out, _) = run(&[
            "2\t黄 \u{a0}懿\t结 果\t组长：赵晓波\u{a0} 区党工委委员\t活动 二、财务数据不真实",
        ]);
        assert_eq!(
            out,
            vec!["2\t黄懿\t结果\t组长：赵晓波 区党工委委员\t活动 二、财务数据不真实"]
        );
        // A gap kept between words in a line is one ASCII space.
        let (out, _) = run(&["平潭综合实验区管委会办公室\u{a0}\u{a0}\u{a0} 2012年5月17日印发"]);
        assert_eq!(out, vec!["平潭综合实验区管委会办公室 2012年5月17日印发"]);
    }
}

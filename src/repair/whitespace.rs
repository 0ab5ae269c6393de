//! Whitespace: indentation (ASCII spaces, NBSP, ideographic spaces), trailing spaces,
//! zero-width characters and stray spaces between Chinese characters are removed; empty lines
//! are dropped. Paragraph breaks are kept.
//!
//! Left alone on purpose: the one space after a regulation marker (`第一章 总则`,
//! `第一条 …`; other space runs there are normalised to one ASCII space and a missing one is
//! inserted), the tabs between table cells, spaces in Latin text, and a space between two
//! multi-character Chinese words (`江苏省财政厅 司法厅`, joint issuers) which is meaningful.
//! A space is *stray* when it touches CJK punctuation or when one of the Han words it
//! separates is a single character, the pattern of letter-spaced text (`索 引 号`, PDF glyph
//! spacing).

use std::ops::Range;

use super::text::{is_cjk_punct, is_han, is_space, is_zero_width};
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
        let edits = if line.kind == BlockKind::TableRow {
            row_edits(&line.text)
        } else {
            line_edits(&line.text)
        };
        if edits.is_empty() {
            break;
        }
        lines.edit(idx, edits, Whitespace.name());
    }
}

/// The edits that clean one text line (not a table row).
pub fn line_edits(text: &str) -> Vec<(Range<usize>, String)> {
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
            stray(&chars, i, j, p, q)
        };
        if drop_all {
            edits.push((b..end_of(j), String::new()));
        } else {
            for (k, &(at, c)) in chars.iter().enumerate().take(j).skip(i) {
                if is_zero_width(c) {
                    edits.push((at..end_of(k + 1), String::new()));
                }
            }
        }
        i = j;
    }
    if trail_start < n {
        edits.push((end_of(trail_start)..text.len(), String::new()));
    }
    edits
}

/// Whether the space run `chars[i..j]` between `p` and `q` is stray.
fn stray(chars: &[(usize, char)], i: usize, j: usize, p: char, q: char) -> bool {
    // Full-width punctuation carries its own spacing: a space beside it is always stray.
    if is_cjk_punct(p) || is_cjk_punct(q) {
        return true;
    }
    if !(is_han(p) && is_han(q)) {
        return false;
    }
    // Letter spacing: one of the two Han words is a single character.
    let before_single = i < 2 || !is_han(chars[i - 2].1);
    let after_single = j + 1 >= chars.len() || !is_han(chars[j + 1].1);
    before_single || after_single
}

/// For a line starting with `第X章`/`第X条`…: the byte offset where the marker and the
/// separator this rule keeps after it end.
pub fn marker_gap_end(line: &str) -> Option<usize> {
    regulation_marker_gap(line).map(|(r, _)| r.end)
}

/// For a line starting with `第X章`/`第X条`/`第X节`/`第X编`: the byte range of the separator
/// after the marker and what it should be (one ASCII space).
fn regulation_marker_gap(body: &str) -> Option<(Range<usize>, String)> {
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
            for (b, c) in cell[lead..trimmed_end].char_indices() {
                if is_zero_width(c) {
                    let at = start + lead + b;
                    edits.push((at..at + c.len_utf8(), String::new()));
                }
            }
        }
        start += cell.len() + 1;
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repair::Line;

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
    }
}

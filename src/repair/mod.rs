//! The repair engine: an ordered list of named rules that undo the damage scraping does to
//! disclosure text, shared by every format.
//!
//! Input is the extractor's blocks, one line each; output is the repaired lines and the audit
//! trail. Every change goes through [`Lines`], which records it as a [`Repair`] (rule, before,
//! after) and keeps its position up to date while later rules edit, join or drop lines, so
//! that each `offset` counts characters into the final `body` where `after` starts.

pub mod docnum;
pub mod furniture;
pub mod lexicon;
pub mod mojibake;
pub mod paragraph;
pub mod punct;
pub mod rules;
pub mod text;
pub mod whitespace;

use rustc_hash::FxHashMap as HashMap;

use crate::document::{Block, BlockKind};

use crate::record::Repair;
pub use docnum::normalize_doc_number;
pub use mojibake::fix_mojibake;

/// One line of text under repair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub kind: BlockKind,
}

/// A repair whose position is still relative to a line that may change.
#[derive(Debug, Clone)]
struct Pending {
    rule: &'static str,
    before: String,
    after: String,
    /// Stable id of the line the repair sits in.
    line: usize,
    /// Characters into that line where `after` starts.
    offset: usize,
    /// Folded into a later repair that rewrote all of its `after`: no longer in the log.
    folded: bool,
    /// The removal of a whole line, sitting where the line stood: no text of the line it
    /// sits in.
    removal: bool,
}

/// The lines of one document under repair, with the log of every change made to them.
#[derive(Debug, Default)]
pub struct Lines {
    lines: Vec<Line>,
    ids: Vec<usize>,
    pending: Vec<Pending>,
    /// Indices into `pending` of the repairs sitting in each line (by stable id), so that an
    /// edit only revisits its own line's repairs.
    by_line: HashMap<usize, Vec<usize>>,
    next_id: usize,
}

impl Lines {
    pub fn new(lines: Vec<Line>) -> Lines {
        let ids = (0..lines.len()).collect();
        let next_id = lines.len();
        Lines {
            lines,
            ids,
            pending: Vec::new(),
            by_line: HashMap::default(),
            next_id,
        }
    }

    pub fn from_blocks(blocks: Vec<Block>) -> Lines {
        Lines::new(
            blocks
                .into_iter()
                .map(|b| Line {
                    text: b.text,
                    kind: b.kind,
                })
                .collect(),
        )
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn get(&self, idx: usize) -> &Line {
        &self.lines[idx]
    }

    pub fn iter(&self) -> impl Iterator<Item = &Line> {
        self.lines.iter()
    }

    /// Change a line's kind (no text changes, so nothing to record).
    pub fn set_kind(&mut self, idx: usize, kind: BlockKind) {
        self.lines[idx].kind = kind;
    }

    /// Replace the byte range `range` of line `idx` with `after`, recording it under `rule`.
    /// A no-op replacement records nothing.
    ///
    /// # Panics
    /// If `range` is out of bounds or not on character boundaries.
    pub fn replace(
        &mut self,
        idx: usize,
        range: std::ops::Range<usize>,
        after: &str,
        rule: &'static str,
    ) {
        self.edit(idx, vec![(range, after.to_string())], rule);
    }

    /// Apply several non-overlapping replacements to line `idx` at once, each recorded as its
    /// own repair. Ranges are byte ranges into the line as it is before the call.
    ///
    /// # Panics
    /// If ranges overlap, are out of bounds or not on character boundaries.
    pub fn edit(
        &mut self,
        idx: usize,
        mut edits: Vec<(std::ops::Range<usize>, String)>,
        rule: &'static str,
    ) {
        edits.sort_by_key(|(r, _)| r.start);
        let id = self.ids[idx];
        let old = std::mem::take(&mut self.lines[idx].text);
        let mut new = String::with_capacity(old.len() + 16);
        let mut last = 0;
        // Char positions in the old line and the matching shift to apply to earlier repairs.
        let mut shifts: Vec<(usize, usize, isize)> = Vec::with_capacity(edits.len()); // (old_char_start, old_char_end, delta)
        let mut old_chars = 0;
        let mut new_chars = 0;
        let mut new_pending = Vec::with_capacity(edits.len());
        for (range, after) in edits {
            assert!(range.start >= last, "overlapping edits");
            let before = &old[range.clone()];
            if before == after {
                continue;
            }
            let gap = &old[last..range.start];
            let gap_chars = gap.chars().count();
            old_chars += gap_chars;
            new_chars += gap_chars;
            new.push_str(gap);
            let before_chars = before.chars().count();
            let after_chars = after.chars().count();
            let mut before = before.to_string();
            let absorbed = self.fold(id, old_chars..old_chars + before_chars, &mut before, &after);
            shifts.push((
                old_chars,
                old_chars + before_chars,
                after_chars as isize - before_chars as isize,
            ));
            new.push_str(&after);
            if !absorbed {
                new_pending.push(Pending {
                    rule,
                    before,
                    after,
                    line: id,
                    offset: new_chars,
                    folded: false,
                    removal: false,
                });
            }
            old_chars += before_chars;
            new_chars += after_chars;
            last = range.end;
        }
        new.push_str(&old[last..]);
        self.lines[idx].text = new;
        if shifts.is_empty() {
            return;
        }
        let own = self.by_line.entry(id).or_default();
        for &k in own.iter() {
            let p = &mut self.pending[k];
            p.offset = shift_offset(p.offset, &shifts);
        }
        for p in new_pending {
            own.push(self.pending.len());
            self.pending.push(p);
        }
    }

    /// Keep the log to repairs of the text as it finally reads, none inside another, for an
    /// edit of the characters `span` of line `id` (`before` → `after`), before it is made:
    /// - an earlier repair whose whole `after` the edit rewrites is folded into it: `before`
    ///   becomes what stood there before either (`?　` → `? ` → `？` is one repair, `?　` →
    ///   `？`);
    /// - an edit inside an earlier repair's `after` (a document number in a line reversed
    ///   from mojibake) is absorbed by it: that `after` is written as it will read, and the
    ///   edit is not logged apart (returns `true`).
    fn fold(
        &mut self,
        id: usize,
        span: std::ops::Range<usize>,
        before: &mut String,
        after: &str,
    ) -> bool {
        let Some(own) = self.by_line.get(&id) else {
            return false;
        };
        // Right to left, so that folding one into `before` leaves the places of the others.
        let mut own = own.clone();
        own.sort_by_key(|&k| std::cmp::Reverse(self.pending[k].offset));
        for k in own {
            let p = &mut self.pending[k];
            let n = p.after.chars().count();
            if p.folded || p.removal || n == 0 {
                continue;
            }
            let earlier = p.offset..p.offset + n;
            if earlier.start >= span.start && earlier.end <= span.end {
                let from = char_to_byte(before, earlier.start - span.start);
                if before[from..].starts_with(p.after.as_str()) {
                    before.replace_range(from..from + p.after.len(), &p.before);
                    p.folded = true;
                }
            } else if span.start >= earlier.start
                && span.end <= earlier.end
                // An insertion at either end of it is beside it, not inside.
                && (!span.is_empty() || span.start > earlier.start && span.end < earlier.end)
            {
                let from = char_to_byte(&p.after, span.start - earlier.start);
                let to = char_to_byte(&p.after, span.end - earlier.start);
                if p.after[from..to] == **before {
                    p.after.replace_range(from..to, after);
                    return true;
                }
            }
        }
        false
    }

    /// Replace the whole text of line `idx`, recording only the part that differs (common
    /// prefix and suffix are left out of `before`/`after`).
    pub fn rewrite(&mut self, idx: usize, after: &str, rule: &'static str) {
        let old = &self.lines[idx].text;
        if old == after {
            return;
        }
        let prefix = common_prefix(old, after);
        let suffix = common_suffix(&old[prefix..], &after[prefix..]);
        let range = prefix..old.len() - suffix;
        let repl = after[prefix..after.len() - suffix].to_string();
        self.edit(idx, vec![(range, repl)], rule);
    }

    /// Drop line `idx`, recording its text as `before` and an empty `after`.
    pub fn remove(&mut self, idx: usize, rule: &'static str) {
        let line = self.lines.remove(idx);
        let id = self.ids.remove(idx);
        // Repairs inside the removed line, and the removal itself, now sit where the line stood:
        // at the start of the next line, or at the end of the previous one.
        let (target, offset) = if idx < self.lines.len() {
            (self.ids[idx], 0)
        } else if idx > 0 {
            (self.ids[idx - 1], self.lines[idx - 1].text.chars().count())
        } else {
            (usize::MAX, 0)
        };
        let mut moved = self.by_line.remove(&id).unwrap_or_default();
        // The line's own repairs are folded into its removal, whose `before` is then the line
        // as it first stood: their `after` is nowhere in the final text.
        let before = self.undo(&line.text, &moved).map_or(line.text, |first| {
            for &k in &moved {
                let p = &mut self.pending[k];
                p.folded |= !p.removal;
            }
            first
        });
        for &k in &moved {
            let p = &mut self.pending[k];
            p.line = target;
            p.offset = offset;
        }
        moved.push(self.pending.len());
        self.pending.push(Pending {
            rule,
            // An empty line is only its line break.
            before: if before.is_empty() {
                "\n".to_string()
            } else {
                before
            },
            after: String::new(),
            line: target,
            offset,
            folded: false,
            removal: true,
        });
        self.by_line.entry(target).or_default().extend(moved);
    }

    /// `text` (a line) as it stood before the repairs `own` (indices into `pending`, all in
    /// that line), or `None` when one of them is not found where it says.
    fn undo(&self, text: &str, own: &[usize]) -> Option<String> {
        let mut open: Vec<&Pending> = own
            .iter()
            .map(|&k| &self.pending[k])
            .filter(|p| !p.folded && !p.removal)
            .collect();
        // Last in the line first, and at one place the last made first.
        open.reverse();
        open.sort_by_key(|p| std::cmp::Reverse(p.offset));
        let mut out = text.to_string();
        for p in open {
            let from = out.char_indices().nth(p.offset).map(|(i, _)| i);
            let from = from.or((p.offset == out.chars().count()).then_some(out.len()))?;
            if !out[from..].starts_with(p.after.as_str()) {
                return None;
            }
            out.replace_range(from..from + p.after.len(), &p.before);
        }
        Some(out)
    }

    /// Join line `idx + 1` onto line `idx` with `sep` between them, recorded as replacing the
    /// line break with `sep`.
    pub fn join_next(&mut self, idx: usize, sep: &str, rule: &'static str) {
        let next = self.lines.remove(idx + 1);
        let next_id = self.ids.remove(idx + 1);
        let id = self.ids[idx];
        let at = self.lines[idx].text.chars().count();
        let shift = at + sep.chars().count();
        let mut moved = self.by_line.remove(&next_id).unwrap_or_default();
        for &k in &moved {
            let p = &mut self.pending[k];
            p.line = id;
            p.offset += shift;
        }
        self.lines[idx].text.push_str(sep);
        self.lines[idx].text.push_str(&next.text);
        moved.push(self.pending.len());
        self.pending.push(Pending {
            rule,
            before: "\n".to_string(),
            after: sep.to_string(),
            line: id,
            offset: at,
            folded: false,
            removal: false,
        });
        self.by_line.entry(id).or_default().extend(moved);
    }

    /// Insert a new line before `idx` without recording anything (for extractors' own
    /// structure, not for repairs).
    pub fn insert(&mut self, idx: usize, line: Line) {
        self.lines.insert(idx, line);
        self.ids.insert(idx, self.next_id);
        self.next_id += 1;
    }

    /// The body (lines joined by `\n`) and the repairs with offsets into it, in the order the
    /// rules made them.
    pub fn finish(self) -> (Vec<Line>, Vec<Repair>) {
        let mut starts = HashMap::with_capacity_and_hasher(self.ids.len(), Default::default());
        let mut at = 0usize;
        for (line, id) in self.lines.iter().zip(&self.ids) {
            starts.insert(*id, at);
            at += line.text.chars().count() + 1;
        }
        let repairs = self
            .pending
            .into_iter()
            .filter(|p| !p.folded)
            .map(|p| Repair {
                rule: p.rule.to_string(),
                offset: starts.get(&p.line).copied().unwrap_or(0) + p.offset,
                before: p.before,
                after: p.after,
                field: None,
            })
            .collect();
        (self.lines, repairs)
    }
}

/// Map a character offset in a line through edits `(start, end, delta)` (old coordinates,
/// sorted): past an edit it moves by the edit's delta, inside one it is pinned to its start.
fn shift_offset(offset: usize, shifts: &[(usize, usize, isize)]) -> usize {
    let mut delta: isize = 0;
    for &(start, end, d) in shifts {
        if end <= offset {
            delta += d;
        } else {
            if start < offset {
                return (start as isize + delta) as usize;
            }
            break;
        }
    }
    (offset as isize + delta) as usize
}

/// The byte index of the `n`th character of `s` (its length past the end).
fn char_to_byte(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map(|((i, _), _)| i)
        .unwrap_or_else(|| a.len().min(b.len()))
}

fn common_suffix(a: &str, b: &str) -> usize {
    let mut n = 0;
    for (x, y) in a.chars().rev().zip(b.chars().rev()) {
        if x != y {
            break;
        }
        n += x.len_utf8();
    }
    n
}

/// What the engine returns for one document.
#[derive(Debug, Clone, Default)]
pub struct Repaired {
    pub lines: Vec<Line>,
    pub repairs: Vec<Repair>,
    pub warnings: Vec<String>,
}

impl Repaired {
    /// The body text: lines joined by `\n`.
    pub fn body(&self) -> String {
        let mut out = String::new();
        for (i, l) in self.lines.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&l.text);
        }
        out
    }
}

/// Warnings a rule adds for damage it saw but could not fully undo.
#[derive(Debug, Default)]
pub struct Context {
    pub warnings: Vec<String>,
}

/// A named repair rule.
pub trait Rule: Sync {
    fn name(&self) -> &'static str;
    fn apply(&self, lines: &mut Lines, cx: &mut Context);
}

/// Run every rule of [`rules::ALL`], in order, over the blocks of one document.
pub fn repair(blocks: Vec<Block>) -> Repaired {
    let mut lines = Lines::from_blocks(blocks);
    let mut cx = Context::default();
    for rule in rules::ALL {
        rule.apply(&mut lines, &mut cx);
    }
    let (lines, repairs) = lines.finish();
    Repaired {
        lines,
        repairs,
        warnings: cx.warnings,
    }
}

/// The punctuation, whitespace and document-number repairs applied to a short single-line
/// value (a title, a metadata value), without recording: the value as it would read in `body`.
///
/// ```
/// use gongwen::repair::clean_inline;
/// assert_eq!(clean_inline("  关于印发《办法》的通知(国办发[2020]17号) "),
///            "关于印发《办法》的通知（国办发〔2020〕17号）");
/// ```
pub fn clean_inline(s: &str) -> String {
    clean_inline_recorded(s).0
}

/// [`clean_inline`], with the repairs it made: each `offset` counts into the value it returns.
/// A line break in `s` is read as a space, and not recorded.
pub fn clean_inline_recorded(s: &str) -> (String, Vec<Repair>) {
    let mut lines = Lines::new(vec![Line {
        text: s.replace(['\n', '\r'], " "),
        kind: BlockKind::Paragraph,
    }]);
    let mut cx = Context::default();
    for rule in rules::INLINE {
        rule.apply(&mut lines, &mut cx);
    }
    let (mut out, repairs) = lines.finish();
    (out.pop().map(|l| l.text).unwrap_or_default(), repairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(texts: &[&str]) -> Lines {
        Lines::new(
            texts
                .iter()
                .map(|t| Line {
                    text: t.to_string(),
                    kind: BlockKind::Paragraph,
                })
                .collect(),
        )
    }

    fn body(lines: &[Line]) -> String {
        lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Every repair's `after` must be found in the body at its offset.
    fn assert_offsets(lines: &[Line], repairs: &[Repair]) {
        let chars: Vec<char> = body(lines).chars().collect();
        for r in repairs {
            let after: Vec<char> = r.after.chars().collect();
            if after.is_empty() || r.after == "\n" {
                continue;
            }
            assert_eq!(
                &chars[r.offset..r.offset + after.len()],
                &after[..],
                "repair {r:?}"
            );
        }
    }

    #[test]
    fn a_repair_a_later_one_rewrites_is_folded_into_it() {
        let rep = |r: &Repair| (r.rule.clone(), r.before.clone(), r.after.clone(), r.offset);
        // The later edit covers the earlier one's whole `after`.
        let mut l = lines(&["吗?\u{3000}(作者"]);
        l.replace(0, 4..7, " ", "whitespace");
        l.replace(0, 3..5, "？", "punctuation");
        let (out, repairs) = l.finish();
        assert_eq!(body(&out), "吗？(作者");
        assert_eq!(
            repairs.iter().map(rep).collect::<Vec<_>>(),
            [("punctuation".into(), "?\u{3000}".into(), "？".into(), 1)]
        );
        // The later edit lies inside the earlier one's `after`: it is written as it reads.
        let mut l = lines(&["乱码"]);
        l.replace(0, 0..6, "国办发�2008�36号", "mojibake");
        l.rewrite(0, "国办发〔2008〕36号", "doc_number");
        let (out, repairs) = l.finish();
        assert_eq!(
            repairs.iter().map(rep).collect::<Vec<_>>(),
            [("mojibake".into(), "乱码".into(), body(&out), 0)]
        );
        // A removed line takes its own repairs with it: `before` is the line as it stood.
        let mut l = lines(&["打印,关闭", "正文"]);
        l.replace(0, 6..7, "，", "punctuation");
        l.remove(0, "furniture");
        let (_, repairs) = l.finish();
        assert_eq!(
            repairs.iter().map(rep).collect::<Vec<_>>(),
            [("furniture".into(), "打印,关闭".into(), String::new(), 0)]
        );
    }

    #[test]
    fn offsets_follow_later_edits_joins_and_removals() {
        let mut l = lines(&["打印", "甲,乙", "丙,丁"]);
        l.replace(1, 3..4, "，", "punct");
        l.replace(2, 3..4, "，", "punct");
        l.replace(1, 0..0, "前", "insert");
        l.join_next(1, "", "join");
        l.remove(0, "furniture");
        let (out, repairs) = l.finish();
        assert_eq!(body(&out), "前甲，乙丙，丁");
        assert_offsets(&out, &repairs);
        assert_eq!(repairs[0].offset, 2);
        assert_eq!(repairs[1].offset, 5);
        assert_eq!(
            repairs[4],
            Repair {
                rule: "furniture".into(),
                before: "打印".into(),
                after: "".into(),
                offset: 0,
                field: None,
            }
        );
    }

    #[test]
    fn rewrite_records_only_the_difference() {
        let mut l = lines(&["现将有关事项通知如下:"]);
        l.rewrite(0, "现将有关事项通知如下：", "punct");
        let (_, repairs) = l.finish();
        assert_eq!(
            repairs,
            vec![Repair {
                rule: "punct".into(),
                before: ":".into(),
                after: "：".into(),
                offset: 10,
                field: None,
            }]
        );
    }

    #[test]
    fn multi_edit_keeps_each_change_separate() {
        let mut l = lines(&["a,b,c"]);
        l.edit(0, vec![(1..2, "，".into()), (3..4, "，".into())], "punct");
        let (out, repairs) = l.finish();
        assert_eq!(out[0].text, "a，b，c");
        assert_eq!(
            repairs.iter().map(|r| r.offset).collect::<Vec<_>>(),
            vec![1, 3]
        );
    }
}

//! Punctuation in Chinese text: half-width `, : ; ? ! ( )` become `，：；？！（）`, straight
//! quotes become paired `“ ”` / `‘ ’`, `...` and `。。。` become `……`, `--` becomes `——`.
//!
//! A mark is in Chinese context when the nearest non-space character on either side is
//! Chinese (a Han character or CJK punctuation); a pair of brackets or quotes is when what it
//! encloses holds Han text or it touches Han text. Left alone: URLs, e-mail addresses and
//! file names (masked before the scan), numbers and times (`1,000.5`, `8:30`: a mark between
//! two digits is never touched), percentages, and Latin-script runs. Spaces left beside a
//! converted full-width mark are dropped with it (`时间: 8点` → `时间：8点`).

use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem;
use regex_lite::Regex;

use super::text::{is_cjk, is_han, is_space, parts_form_fields};
use super::{Context, Lines, Rule};

/// Half-width marks and their full-width forms.
pub const MARKS: &[(char, char)] = &[
    (',', '，'),
    (':', '：'),
    (';', '；'),
    ('?', '？'),
    ('!', '！'),
    ('(', '（'),
    (')', '）'),
];

/// Spans never touched: URLs, e-mail addresses, file names.
static PROTECTED: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(&protected_pattern()));

/// The file extensions a protected file name ends with, as pattern alternatives.
const EXTENSIONS: &[&str] = &[
    "pdf", "docx?", "xlsx?", "pptx?", "wps", "ofd", "txt", "zip", "rar", "7z", "jpe?g", "png",
    "gif", "html?", "csv", "xml", "json",
];

pub(crate) fn protected_pattern() -> String {
    let ext = EXTENSIONS.join("|");
    format!(
        r"(?i)(?:https?|ftp)://[^\s\p{{Han}}，。；、“”（）《》<>]+|www\.[A-Za-z0-9.-]+[^\s\p{{Han}}，。；、“”（）《》<>]*|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|[A-Za-z0-9_()\[\]-]+(?:\.[A-Za-z0-9_-]+)*\.(?:{ext})(?-u:\b)"
    )
}

/// The spans of `text` that [`PROTECTED`] matches, each without what running text put after a
/// URL: a closing bracket the URL does not open (`（见www.xjzcsq.com)` closes the `（`) and a
/// final `.` `,` `;` `:` `!` `?`.
fn protected_spans(text: &str) -> Vec<Range<usize>> {
    PROTECTED
        .find_iter(text)
        .map(|m| {
            let span = m.as_str();
            let mut end = span.len();
            while let Some(last) = span[..end].chars().next_back() {
                let head = &span[..end];
                let trails = match last {
                    ')' => head.matches('(').count() < head.matches(')').count(),
                    '.' | ',' | ';' | ':' | '!' | '?' => true,
                    _ => false,
                };
                if !trails {
                    break;
                }
                end -= 1;
            }
            m.start()..m.start() + end
        })
        .collect()
}

/// Ellipses and dashes written with ASCII or repeated full stops: each mark with the shortest
/// run of it that counts. Matched by hand in [`runs`] (as a regular expression it cost every
/// worker process more to compile than its lines cost to scan).
const RUNS: &[(char, usize)] = &[('.', 3), ('。', 3), ('-', 2), ('－', 2)];

/// Byte ranges of the whole [`RUNS`] in `text`, in order.
fn runs(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some((start, c)) = chars.next() {
            let mut end = start + c.len_utf8();
            let mut len = 1;
            while let Some((at, _)) = chars.next_if(|&(_, next)| next == c) {
                end = at + c.len_utf8();
                len += 1;
            }
            if RUNS.iter().any(|&(mark, min)| mark == c && len >= min) {
                return Some(start..end);
            }
        }
        None
    })
}

/// The `punctuation` rule.
pub struct Punctuation;

impl Rule for Punctuation {
    fn name(&self) -> &'static str {
        "punctuation"
    }

    fn apply(&self, lines: &mut Lines, _cx: &mut Context) {
        for idx in 0..lines.len() {
            fix_line(lines, idx);
        }
    }
}

/// Most passes over one line: a converted mark is new Chinese context for its neighbours
/// (`",` → `“，`), so the line is scanned again until nothing changes.
const MAX_PASSES: usize = 32;

/// Fix the punctuation of line `idx`, recording every change.
pub fn fix_line(lines: &mut Lines, idx: usize) {
    for _ in 0..MAX_PASSES {
        let edits = line_edits(&lines.get(idx).text);
        if edits.is_empty() {
            break;
        }
        lines.edit(idx, edits, Punctuation.name());
    }
}

fn full_width(c: char) -> Option<char> {
    // Every half-width form of [`MARKS`] is ASCII (a test holds them to it): the CJK text
    // that fills a line is refused on one comparison.
    if !c.is_ascii() {
        return None;
    }
    MARKS.iter().find(|(h, _)| *h == c).map(|&(_, f)| f)
}

/// Straight quotes, paired into curly ones.
const QUOTES: [char; 2] = ['"', '\''];

/// Whether a byte is one of the half-width [`MARKS`] or [`QUOTES`]: the only single
/// characters this rule rewrites.
static MARK_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < MARKS.len() {
        table[MARKS[i].0 as usize] = true;
        i += 1;
    }
    table[QUOTES[0] as usize] = true;
    table[QUOTES[1] as usize] = true;
    table
};

/// The shortest run of each [`RUNS`] mark (`...`, `--`, …), as substring searchers: a line
/// holds a whole run exactly when it holds one of these.
static RUN_FINDERS: LazyLock<Vec<memmem::Finder<'static>>> = LazyLock::new(|| {
    RUNS.iter()
        .map(|&(mark, min)| memmem::Finder::new(&mark.to_string().repeat(min)).into_owned())
        .collect()
});

/// Whether `text` holds a whole run of [`RUNS`].
fn has_run(text: &str) -> bool {
    let bytes = text.as_bytes();
    // An ASCII mark is looked for alone first (a vectorised byte search), and its run only
    // where the mark is there at all.
    RUN_FINDERS.iter().zip(RUNS).any(|(finder, &(mark, _))| {
        (!mark.is_ascii() || memchr::memchr(mark as u8, bytes).is_some())
            && finder.find(bytes).is_some()
    })
}

/// Whether [`line_edits`] could find anything to change in `text`: it holds a half-width
/// mark, a straight quote or a whole run of [`RUNS`].
///
/// Sound because every edit [`scan`] makes starts from one of these: brackets and single
/// marks are rewritten only when [`full_width`] knows them (the ASCII [`MARKS`]; full-width
/// brackets are paired but never rewritten), quotes only when they are [`QUOTES`], ellipses
/// and dashes only where [`runs`] finds a run at least as long as its [`RUNS`] entry; the
/// spaces [`absorb_spaces`] takes are only ever taken along with such a mark. The test
/// `fast_path_equals_full_scan` holds [`line_edits`] to [`scan`] on random lines.
fn may_change(text: &str) -> bool {
    text.bytes().any(|b| MARK_BYTE[usize::from(b)]) || has_run(text) || has_clock_colon(text)
}

/// Whether a full-width colon of `text` parts a time of day ([`is_clock_time`]).
fn has_clock_colon(text: &str) -> bool {
    text.match_indices('：')
        .any(|(at, c)| is_clock_time(&text[..at], &text[at + c.len()..]))
}

/// What one byte pass over a line finds, so that [`scan`] skips the sections that have
/// nothing to look at. Every flag is a necessary condition of its section making an edit
/// (see each field); a set flag promises nothing.
#[derive(Debug, Default, Clone, Copy)]
struct Present {
    /// A half-width `(` or `)`: the only brackets [`full_width`] rewrites.
    parens: bool,
    /// A `"` / a `'`.
    double_quote: bool,
    single_quote: bool,
    /// A half-width mark of [`MARKS`] other than the brackets.
    marks: bool,
    /// A whole run of [`RUNS`].
    runs: bool,
    /// Something [`PROTECTED`] needs to match at all: `@` (e-mail), `://`, or a `.` with one of
    /// its file extensions after it or `www` before it, in any ASCII case.
    maybe_protected: bool,
}

impl Present {
    fn of(text: &str) -> Present {
        let bytes = text.as_bytes();
        let mut p = Present::default();
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'(' | b')' => p.parens = true,
                b'"' => p.double_quote = true,
                b'\'' => p.single_quote = true,
                b'@' => p.maybe_protected = true,
                b':' => p.maybe_protected |= bytes[i + 1..].starts_with(b"//"),
                b'.' => p.maybe_protected |= extension_or_www_at(bytes, i),
                _ => {}
            }
            if MARK_BYTE[usize::from(b)] && !matches!(b, b'(' | b')' | b'"' | b'\'') {
                p.marks = true;
            }
        }
        p.runs = has_run(text);
        p
    }

    fn quote(&self, q: char) -> bool {
        if q == '"' {
            self.double_quote
        } else {
            self.single_quote
        }
    }
}

/// The letters every spelling of each of [`EXTENSIONS`] starts with: the pattern up to its
/// first optional letter (`docx?` → `doc`, `jpe?g` → `jp`).
static EXTENSION_STARTS: LazyLock<Vec<&'static [u8]>> = LazyLock::new(|| {
    EXTENSIONS
        .iter()
        .map(|e| match e.find('?') {
            Some(q) => &e.as_bytes()[..q - 1],
            None => e.as_bytes(),
        })
        .collect()
});

/// Whether the `.` at `dot` starts a file extension of [`PROTECTED`] or ends a `www`, in any
/// ASCII case (the pattern is case-insensitive).
fn extension_or_www_at(bytes: &[u8], dot: usize) -> bool {
    let after = &bytes[dot + 1..];
    EXTENSION_STARTS
        .iter()
        .any(|e| after.len() >= e.len() && after[..e.len()].eq_ignore_ascii_case(e))
        || dot >= 3 && bytes[dot - 3..dot].eq_ignore_ascii_case(b"www")
}

/// The edits that fix the punctuation of one line.
pub fn line_edits(text: &str) -> Vec<(Range<usize>, String)> {
    // Fast path: nothing this rule could change (most lines).
    if !may_change(text) {
        return Vec::new();
    }
    scan(text)
}

/// [`line_edits`] without its pre-check: the whole scan of one line that holds Han text.
fn scan(text: &str) -> Vec<(Range<usize>, String)> {
    if !text.chars().any(is_han) {
        return Vec::new();
    }
    let present = Present::of(text);
    let protected: Vec<Range<usize>> = if present.maybe_protected {
        protected_spans(text)
    } else {
        Vec::new()
    };
    let keep = super::whitespace::marker_gap_end(text).unwrap_or(0);
    let is_protected = |b: usize| protected.iter().any(|r| r.contains(&b));
    // A line has at most one character per byte: sized once, never regrown.
    let mut chars: Vec<(usize, char)> = Vec::with_capacity(text.len());
    chars.extend(text.char_indices());
    let n = chars.len();
    // Neighbours that decide the context: spaces and other convertible marks are looked
    // through, so that a run of marks (`,,`, `?!`) is decided as one.
    let see_through = |c: char| c == ' ' || full_width(c).is_some() || c == '"' || c == '\'';
    let prev_solid = |i: usize| {
        chars[..i]
            .iter()
            .rev()
            .map(|&(_, c)| c)
            .find(|c| !see_through(*c))
    };
    let next_solid = |i: usize| {
        chars[i + 1..]
            .iter()
            .map(|&(_, c)| c)
            .find(|c| !see_through(*c))
    };
    // A mark right after a run of several Latin words belongs to that run.
    let after_latin_words = |i: usize| {
        let run: String = chars[..i]
            .iter()
            .rev()
            .map(|&(_, c)| c)
            .take_while(|c| !is_cjk(*c))
            .collect();
        run.trim().contains(' ') && run.chars().any(|c| c.is_ascii_alphabetic())
    };
    let chinese = |c: Option<char>| c.is_some_and(is_cjk);

    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut taken = vec![false; n];

    // Brackets, paired on a stack (half- and full-width mixed). Only a half-width bracket
    // is ever rewritten, so a line without one skips the pairing.
    let mut stack: Vec<usize> = Vec::new();
    let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
    if present.parens {
        for (i, &(b, c)) in chars.iter().enumerate() {
            match c {
                '(' | '（' if !is_protected(b) => stack.push(i),
                ')' | '）' if !is_protected(b) => pairs.push((stack.pop(), Some(i))),
                _ => {}
            }
        }
    }
    pairs.extend(stack.into_iter().map(|i| (Some(i), None)));
    for (open, close) in pairs {
        let inner_han = match (open, close) {
            (Some(o), Some(c)) => chars[o + 1..c].iter().any(|&(_, ch)| is_han(ch)),
            _ => false,
        };
        let outer = open.is_some_and(|o| chinese(prev_solid(o)))
            || close.is_some_and(|c| chinese(next_solid(c)));
        let lone_ctx = |i: usize| chinese(prev_solid(i)) || chinese(next_solid(i));
        let convert = match (open, close) {
            (Some(_), Some(_)) => inner_han || outer,
            (Some(o), None) => lone_ctx(o),
            (None, Some(c)) => lone_ctx(c),
            (None, None) => false,
        };
        if !convert {
            for i in [open, close].into_iter().flatten() {
                taken[i] = true;
            }
            continue;
        }
        for i in [open, close].into_iter().flatten() {
            taken[i] = true;
            let c = chars[i].1;
            if let Some(f) = full_width(c) {
                edits.push(absorb_spaces(&chars, i, text, f, keep));
            }
        }
    }

    // Straight quotes, paired left to right.
    for q in QUOTES {
        if !present.quote(q) {
            continue;
        }
        let pos: Vec<usize> = (0..n)
            .filter(|&i| chars[i].1 == q && !is_protected(chars[i].0))
            .collect();
        for pair in pos.chunks(2) {
            let [o, c] = pair else {
                // An unpaired double quote in Chinese context opens a quotation.
                if q == '"' && chinese(next_solid(pair[0])) && chinese(prev_solid(pair[0])) {
                    edits.push(absorb_spaces(&chars, pair[0], text, '“', keep));
                }
                continue;
            };
            let inner_han = chars[o + 1..*c].iter().any(|&(_, ch)| is_han(ch));
            let touches = is_han_opt(prev_solid(*o)) || is_han_opt(next_solid(*c));
            if inner_han || (q == '"' && touches) {
                let (l, r) = if q == '"' {
                    ('“', '”')
                } else {
                    ('‘', '’')
                };
                edits.push(absorb_spaces(&chars, *o, text, l, keep));
                edits.push(absorb_spaces(&chars, *c, text, r, keep));
            }
        }
    }

    // Single marks. `full_width` is asked first: it rules out almost every character.
    let mut number_run = NumberRun::default();
    for i in 0..if present.marks { n } else { 0 } {
        let (b, c) = chars[i];
        let Some(f) = full_width(c) else { continue };
        if taken[i] || is_protected(b) || matches!(c, '(' | ')') {
            continue;
        }
        let p = prev_solid(i);
        let q = next_solid(i);
        let between_digits = chars
            .get(i.wrapping_sub(1))
            .is_some_and(|&(_, x)| x.is_ascii_digit())
            && chars.get(i + 1).is_some_and(|&(_, x)| x.is_ascii_digit());
        let stays = if between_digits {
            !(c == ',' && number_run.lists(&chars, i))
        } else {
            !(chinese(p) || chinese(q) || q.is_none() && closes_a_chinese_line(&chars, i))
        };
        if stays {
            continue;
        }
        if !chinese(p) && after_latin_words(i) {
            continue;
        }
        // `a, b` inside a Latin run stays even next to Chinese on one side only if the other
        // side is Latin and the mark is followed by a space (English list inside Chinese).
        if c == ','
            && p.is_some_and(|x| x.is_ascii_alphabetic())
            && q.is_some_and(|x| x.is_ascii_alphabetic())
        {
            continue;
        }
        edits.push(absorb_spaces(&chars, i, text, f, keep));
    }

    // Ellipses and dashes.
    // `runs` walks the whole line: asked only when the byte pass saw a run.
    for m in runs(if present.runs { text } else { "" }) {
        if is_protected(m.start) {
            continue;
        }
        let before = text[..m.start].chars().next_back();
        let after = text[m.end..].chars().next();
        if !(chinese(before) || chinese(after)) {
            continue;
        }
        let fixed = if text[m.clone()].starts_with(['-', '－', '—']) {
            "——"
        } else {
            "……"
        };
        let first = chars.partition_point(|&(b, _)| b < m.start);
        let last = chars.partition_point(|&(b, _)| b < m.end) - 1;
        let (range, _) = absorb_spaces(&chars, first, text, '—', keep);
        let (tail, _) = absorb_spaces(&chars, last, text, '—', keep);
        let range = range.start..tail.end;
        if &text[range.clone()] != fixed {
            edits.push((range, fixed.into()));
        }
    }

    // A time of day written with a full-width colon (`16：00`) takes the ASCII one (`8:30`).
    for (at, colon) in text.match_indices('：') {
        if !is_protected(at) && is_clock_time(&text[..at], &text[at + colon.len()..]) {
            edits.push((at..at + colon.len(), ":".into()));
        }
    }

    edits.sort_by_key(|(r, _)| r.start);
    // Drop any edit that overlaps an earlier one (a space absorbed twice).
    let mut out: Vec<(Range<usize>, String)> = Vec::with_capacity(edits.len());
    for e in edits {
        if out.last().is_some_and(|(r, _)| r.end > e.0.start) {
            continue;
        }
        out.push(e);
    }
    out
}

/// The run of digits and commas a scan is in, read once for all its commas (a line of a
/// million numbers is read once, not once per comma).
#[derive(Default)]
struct NumberRun {
    /// Where the run last read ends (a char index), and whether it lists numbers.
    end: usize,
    lists: bool,
}

impl NumberRun {
    /// [`lists_numbers`] for the comma at `i`, from the run already read when `i` is in it
    /// (the scan only moves forward).
    fn lists(&mut self, chars: &[(usize, char)], i: usize) -> bool {
        if i >= self.end {
            let (lists, end) = lists_numbers(chars, i);
            *self = NumberRun { end, lists };
        }
        self.lists
    }
}

/// Whether the `,` at `i`, between two digits, parts the items of a list of numbers in
/// Chinese text (`数字 1,2,3,表示…`, `2019,2020年`) rather than the thousands of one number
/// (`1,000,000`): a group of digits after a comma is not three long, or the first is over
/// three, and Chinese text is next to the run of numbers on one side or the other. Also where
/// the run ends.
fn lists_numbers(chars: &[(usize, char)], i: usize) -> (bool, usize) {
    let in_run = |c: char| c.is_ascii_digit() || c == ',';
    let start = chars[..i]
        .iter()
        .rposition(|&(_, c)| !in_run(c))
        .map_or(0, |p| p + 1);
    let end = chars[i..]
        .iter()
        .position(|&(_, c)| !in_run(c))
        .map_or(chars.len(), |p| i + p);
    let run: String = chars[start..end].iter().map(|&(_, c)| c).collect();
    let run = run.trim_matches(',');
    let mut groups = run.split(',');
    let first = groups.next().unwrap_or("");
    let thousands = (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3);
    // Spaces are looked through; a tab parts table cells, which are no context of each other.
    let solid = |c: &&(usize, char)| c.1 != ' ';
    let before = chars[..start].iter().rev().find(solid).map(|&(_, c)| c);
    let after = chars[end..].iter().find(solid).map(|&(_, c)| c);
    // The locants of a chemical name (`2,4-滴丁酯`, `1,1,1-三氯乙烷`) are no list.
    let locants = chars
        .get(end)
        .is_some_and(|&(_, c)| matches!(c, '-' | '－' | '‑'));
    let lists = !thousands && !locants && (before.is_some_and(is_cjk) || after.is_some_and(is_cjk));
    (lists, end)
}

/// Whether the mark at `i`, the last of its line, closes Chinese text that ends in a number
/// or a time (`下午 14:30-17:30;`, `共计120人,`): `;` `,` `!` `?` after digits and the marks
/// of numbers, with Chinese text before them.
fn closes_a_chinese_line(chars: &[(usize, char)], i: usize) -> bool {
    let number = |c: char| c.is_ascii_digit() || matches!(c, ':' | '.' | '-' | '%' | '/' | ' ');
    let mark = chars[i].1;
    matches!(mark, ';' | ',' | '!' | '?')
        // (`5!` is a factorial.)
        && chars[..i]
            .last()
            .is_some_and(|&(_, c)| c == '%' || c.is_ascii_digit() && mark != '!')
        && chars[..i]
            .iter()
            .rev()
            .find(|&&(_, c)| !number(c))
            .is_some_and(|&(_, c)| is_cjk(c))
}

fn is_han_opt(c: Option<char>) -> bool {
    c.is_some_and(is_han)
}

/// Whether a colon between `before` and `after` parts the hours and minutes of a time: one or
/// two digits before it (not more), exactly two after it.
fn is_clock_time(before: &str, after: &str) -> bool {
    let hours = before.bytes().rev().take_while(u8::is_ascii_digit).count();
    let minutes = after.bytes().take_while(u8::is_ascii_digit).count();
    (1..=2).contains(&hours) && minutes == 2 && !before[..before.len() - hours].ends_with('.')
}
/// The edit turning the mark at `i` of `text` into `full`, taking along the spaces beside it
/// (the whitespace rule drops any space next to a full-width mark), but not the gap after it
/// that parts two fields of a form (`地址: 地址:`).
fn absorb_spaces(
    chars: &[(usize, char)],
    i: usize,
    text: &str,
    full: char,
    keep_before: usize,
) -> (Range<usize>, String) {
    let len = text.len();
    // The mark becomes full-width, and a space beside full-width punctuation is stray.
    let solid = |c: char| !is_space(c);
    // The separator after a regulation marker (`第一条 “…`) belongs to the marker.
    let keep = |k: usize| chars[k].0 < keep_before;
    let mut s = i;
    while s > 0 && is_space(chars[s - 1].1) && !keep(s - 1) {
        s -= 1;
    }
    if s == 0 || !solid(chars[s - 1].1) {
        s = i;
    }
    let mut e = i + 1;
    while e < chars.len() && is_space(chars[e].1) {
        e += 1;
    }
    if e == chars.len()
        || !solid(chars[e].1)
        || e > i + 1 && parts_form_fields(text, &text[..chars[i + 1].0], &text[chars[e].0..])
    {
        e = i + 1;
    }
    let end = chars.get(e).map_or(len, |&(b, _)| b);
    (chars[s].0..end, full.to_string())
}

/// Apply [`line_edits`] to a string without recording (for [`super::clean_inline`]).
pub fn fix(text: &str) -> String {
    let mut out = text.to_string();
    for _ in 0..MAX_PASSES {
        let edits = line_edits(&out);
        if edits.is_empty() {
            break;
        }
        out = apply_edits(&out, edits);
    }
    out
}

/// Apply sorted, non-overlapping edits to `text`.
pub fn apply_edits(text: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(text.len() + 8);
    let mut last = 0;
    for (r, s) in edits {
        out.push_str(&text[last..r.start]);
        out.push_str(&s);
        last = r.end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn regex_lite_reads_the_pattern_as_regex_does() {
        crate::pattern::oracle::assert_agrees(
            &protected_pattern(),
            &[
                "http://", "HTTPS://", "ftp://", "www.", "WWW.", "a@b.cn", ".pdf", ".DOCX",
                ".jpeg", ".html", "x.", "gov", ".cn", "《", "“", "中文",
            ],
        );
    }

    use super::*;

    /// The implementation before the byte pre-checks, kept as the oracle of the proptest below.
    fn old_line_edits(text: &str) -> Vec<(Range<usize>, String)> {
        // Fast path: nothing this rule could change (most clean lines).
        let candidate = text.bytes().any(|b| {
            matches!(
                b,
                b',' | b':' | b';' | b'?' | b'!' | b'(' | b')' | b'"' | b'\'' | b'.' | b'-'
            )
        }) || text.contains("。。。")
            || text.contains("－－");
        if !candidate || !text.chars().any(is_han) {
            return Vec::new();
        }
        let protected: Vec<Range<usize>> = if text.contains(['@', '.', '/']) {
            protected_spans(text)
        } else {
            Vec::new()
        };
        let keep = crate::repair::whitespace::marker_gap_end(text).unwrap_or(0);
        let is_protected = |b: usize| protected.iter().any(|r| r.contains(&b));
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let n = chars.len();
        // Neighbours that decide the context: spaces and other convertible marks are looked
        // through, so that a run of marks (`,,`, `?!`) is decided as one.
        let see_through = |c: char| c == ' ' || full_width(c).is_some() || c == '"' || c == '\'';
        let prev_solid = |i: usize| {
            chars[..i]
                .iter()
                .rev()
                .map(|&(_, c)| c)
                .find(|c| !see_through(*c))
        };
        let next_solid = |i: usize| {
            chars[i + 1..]
                .iter()
                .map(|&(_, c)| c)
                .find(|c| !see_through(*c))
        };
        // A mark right after a run of several Latin words belongs to that run.
        let after_latin_words = |i: usize| {
            let run: String = chars[..i]
                .iter()
                .rev()
                .map(|&(_, c)| c)
                .take_while(|c| !is_cjk(*c))
                .collect();
            run.trim().contains(' ') && run.chars().any(|c| c.is_ascii_alphabetic())
        };
        let chinese = |c: Option<char>| c.is_some_and(is_cjk);

        let mut edits: Vec<(Range<usize>, String)> = Vec::new();
        let mut taken = vec![false; n];

        // Brackets, paired on a stack (half- and full-width mixed).
        let mut stack: Vec<usize> = Vec::new();
        let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
        for (i, &(b, c)) in chars.iter().enumerate() {
            match c {
                '(' | '（' if !is_protected(b) => stack.push(i),
                ')' | '）' if !is_protected(b) => pairs.push((stack.pop(), Some(i))),
                _ => {}
            }
        }
        pairs.extend(stack.into_iter().map(|i| (Some(i), None)));
        for (open, close) in pairs {
            let inner_han = match (open, close) {
                (Some(o), Some(c)) => chars[o + 1..c].iter().any(|&(_, ch)| is_han(ch)),
                _ => false,
            };
            let outer = open.is_some_and(|o| chinese(prev_solid(o)))
                || close.is_some_and(|c| chinese(next_solid(c)));
            let lone_ctx = |i: usize| chinese(prev_solid(i)) || chinese(next_solid(i));
            let convert = match (open, close) {
                (Some(_), Some(_)) => inner_han || outer,
                (Some(o), None) => lone_ctx(o),
                (None, Some(c)) => lone_ctx(c),
                (None, None) => false,
            };
            if !convert {
                for i in [open, close].into_iter().flatten() {
                    taken[i] = true;
                }
                continue;
            }
            for i in [open, close].into_iter().flatten() {
                taken[i] = true;
                let c = chars[i].1;
                if let Some(f) = full_width(c) {
                    edits.push(absorb_spaces(&chars, i, text, f, keep));
                }
            }
        }

        // Straight quotes, paired left to right.
        for q in ['"', '\''] {
            let pos: Vec<usize> = (0..n)
                .filter(|&i| chars[i].1 == q && !is_protected(chars[i].0))
                .collect();
            for pair in pos.chunks(2) {
                let [o, c] = pair else {
                    // An unpaired double quote in Chinese context opens a quotation.
                    if q == '"' && chinese(next_solid(pair[0])) && chinese(prev_solid(pair[0])) {
                        edits.push(absorb_spaces(&chars, pair[0], text, '“', keep));
                    }
                    continue;
                };
                let inner_han = chars[o + 1..*c].iter().any(|&(_, ch)| is_han(ch));
                let touches = is_han_opt(prev_solid(*o)) || is_han_opt(next_solid(*c));
                if inner_han || (q == '"' && touches) {
                    let (l, r) = if q == '"' {
                        ('“', '”')
                    } else {
                        ('‘', '’')
                    };
                    edits.push(absorb_spaces(&chars, *o, text, l, keep));
                    edits.push(absorb_spaces(&chars, *c, text, r, keep));
                }
            }
        }

        // Single marks.
        let mut number_run = NumberRun::default();
        for i in 0..n {
            let (b, c) = chars[i];
            if taken[i] || is_protected(b) || matches!(c, '(' | ')') {
                continue;
            }
            let Some(f) = full_width(c) else { continue };
            let p = prev_solid(i);
            let q = next_solid(i);
            let between_digits = chars
                .get(i.wrapping_sub(1))
                .is_some_and(|&(_, x)| x.is_ascii_digit())
                && chars.get(i + 1).is_some_and(|&(_, x)| x.is_ascii_digit());
            let stays = if between_digits {
                !(c == ',' && number_run.lists(&chars, i))
            } else {
                !(chinese(p) || chinese(q) || q.is_none() && closes_a_chinese_line(&chars, i))
            };
            if stays {
                continue;
            }
            if !chinese(p) && after_latin_words(i) {
                continue;
            }
            // `a, b` inside a Latin run stays even next to Chinese on one side only if the other
            // side is Latin and the mark is followed by a space (English list inside Chinese).
            if c == ','
                && p.is_some_and(|x| x.is_ascii_alphabetic())
                && q.is_some_and(|x| x.is_ascii_alphabetic())
            {
                continue;
            }
            edits.push(absorb_spaces(&chars, i, text, f, keep));
        }

        // Ellipses and dashes.
        for m in runs(text) {
            if is_protected(m.start) {
                continue;
            }
            let before = text[..m.start].chars().next_back();
            let after = text[m.end..].chars().next();
            if !(chinese(before) || chinese(after)) {
                continue;
            }
            let fixed = if text[m.clone()].starts_with(['-', '－', '—']) {
                "——"
            } else {
                "……"
            };
            let first = chars.partition_point(|&(b, _)| b < m.start);
            let last = chars.partition_point(|&(b, _)| b < m.end) - 1;
            let (range, _) = absorb_spaces(&chars, first, text, '—', keep);
            let (tail, _) = absorb_spaces(&chars, last, text, '—', keep);
            let range = range.start..tail.end;
            if &text[range.clone()] != fixed {
                edits.push((range, fixed.into()));
            }
        }

        edits.sort_by_key(|(r, _)| r.start);
        // Drop any edit that overlaps an earlier one (a space absorbed twice).
        let mut out: Vec<(Range<usize>, String)> = Vec::with_capacity(edits.len());
        for e in edits {
            if out.last().is_some_and(|(r, _)| r.end > e.0.start) {
                continue;
            }
            out.push(e);
        }
        out
    }

    /// Pieces of lines, chosen for the rule's corners: every mark, quote and run, spaces,
    /// digits, Latin words, URLs and file names, Han text and CJK punctuation.
    const PIECES: &[&str] = &[
        ",",
        ":",
        ";",
        "?",
        "!",
        "(",
        ")",
        "\"",
        "'",
        ".",
        "..",
        "...",
        "-",
        "--",
        "。",
        "。。",
        "。。。",
        "－",
        "－－",
        "（",
        "）",
        "，",
        "“",
        " ",
        "\u{3000}",
        "8",
        "30",
        "a",
        "Open ",
        "Data",
        "www.gov.cn",
        "https://a.cn/x",
        "a@b.cn",
        "report.pdf",
        "w.",
        "x.Y",
        "1.5",
        "加强",
        "工作",
        "的",
        "第一条",
        " ",
        "%",
        "/",
        "@",
    ];

    fn piece_line() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop::collection::vec(prop::sample::select(PIECES), 0..12).prop_map(|v| v.concat())
    }

    proptest::proptest! {
        #[test]
        fn fast_path_equals_full_scan(text in piece_line()) {
            proptest::prop_assert_eq!(line_edits(&text), old_line_edits(&text));
        }

        #[test]
        fn protected_spans_need_what_the_pre_check_looks_for(text in piece_line()) {
            if !Present::of(&text).maybe_protected {
                proptest::prop_assert_eq!(PROTECTED.find(&text), None);
            }
        }
    }

    #[test]
    fn extension_starts_are_the_letters_every_spelling_has() {
        let starts: Vec<&str> = EXTENSION_STARTS
            .iter()
            .map(|s| std::str::from_utf8(s).unwrap())
            .collect();
        for e in ["pdf", "doc", "xls", "jp", "htm", "json"] {
            assert!(starts.contains(&e), "{e} in {starts:?}");
        }
        assert!(!starts.iter().any(|s| s.contains('?')));
    }

    #[test]
    fn half_width_marks_are_ascii() {
        assert!(MARKS.iter().all(|(half, _)| half.is_ascii()));
    }

    #[test]
    fn fast_path_equals_full_scan_on_the_unit_cases() {
        for text in [
            "2020年以来,我厅认真贯彻;是否落实?要落实!现总结如下:",
            "时间:每天上午8:30至12:00(北京时间,法定节假日除外)",
            "围绕做好\"六稳\"\"六保\"工作",
            "所谓'放管服'改革",
            "等等...还有。。。",
            "政务公开--新篇章",
            "网址https://www.gov.cn/zhengce/content/2020-12/28/a,b(1).htm。",
            "附件：report(2020).pdf",
            "英文名称Open Government (OG), Inc.",
            "第一条 \"办法\"",
            "加强工作。",
            "数字 1,2,3,表示",
            "共计1,234,567元",
            "下午 14:30-17:30;",
            "见Smith, Title, 2019;",
            "底,1,234家,其中2,4-滴丁酯",
        ] {
            assert_eq!(line_edits(text), old_line_edits(text), "{text}");
        }
    }

    #[test]
    fn runs_are_whole_and_at_least_their_shortest_length() {
        let text = "a..b...c。。d。。。。e-f--g－－h----";
        let found: Vec<&str> = runs(text).map(|r| &text[r]).collect();
        assert_eq!(found, ["...", "。。。。", "--", "－－", "----"]);
        assert_eq!(runs("").count(), 0);
    }

    #[test]
    fn half_width_marks_in_chinese_text_become_full_width() {
        assert_eq!(
            fix("2020年以来,我厅认真贯彻;是否落实?要落实!现总结如下:"),
            "2020年以来，我厅认真贯彻；是否落实？要落实！现总结如下："
        );
        assert_eq!(
            fix("时间:每天上午8:30至12:00(北京时间,法定节假日除外)"),
            "时间：每天上午8:30至12:00（北京时间，法定节假日除外）"
        );
        // A list of numbers, not the thousands of one.
        assert_eq!(
            fix("i——为数字 1,2,3,表示范围和程度"),
            "i——为数字 1，2，3，表示范围和程度"
        );
        assert_eq!(fix("2019,2020年连续两年"), "2019，2020年连续两年");
        // The mark that closes a line ending in a time or a number.
        assert_eq!(
            fix("冬令时上午8:00-12:00，下午 14:30-17:30;"),
            "冬令时上午8:00-12:00，下午 14:30-17:30；"
        );
        assert_eq!(fix("参加人数120人,共计35%!"), "参加人数120人，共计35%！");
        assert_eq!(fix("见Smith, Title, 2019;"), "见Smith, Title, 2019;");
        for kept in [
            "共计1,234,567元",
            "金额12,000.50万元",
            "x=1,2,3",
            "合计\t1,15403,235\t万元",
            "不再受理2,4-滴丁酯的登记申请",
            "重点管控物质包括苯、1,3-丁二烯、1,1,1-三氯乙烷等",
            "排列数为5!",
        ] {
            assert_eq!(fix(kept), kept);
        }
        assert_eq!(
            fix("截至2023年底,1,234家企业完成改造,其中,12,000名职工参加培训。"),
            "截至2023年底，1,234家企业完成改造，其中，12,000名职工参加培训。"
        );
        assert_eq!(fix("增减率(%)"), "增减率（%）");
        assert_eq!(fix("(1)建立健全制度"), "（1）建立健全制度");
        assert_eq!(fix(")建立健全制度"), "）建立健全制度");
        assert_eq!(fix("联系电话: 0512-68672751"), "联系电话：0512-68672751");
        // The gap that parts two fields of a form stays; the one before a value does not.
        assert_eq!(
            fix("甲方:(盖章) 乙方:(盖章)"),
            "甲方：（盖章） 乙方：（盖章）"
        );
        assert_eq!(fix("地址: 地址:"), "地址： 地址：");
        assert_eq!(fix("联系人: 张三 电话: 123"), "联系人：张三 电话：123");
        assert_eq!(
            fix("电话: 0591-87654321; 传真: 0591-87654322"),
            "电话：0591-87654321；传真：0591-87654322"
        );
    }

    #[test]
    fn quotes_ellipses_and_dashes() {
        assert_eq!(
            fix("围绕做好\"六稳\"\"六保\"工作"),
            "围绕做好“六稳”“六保”工作"
        );
        assert_eq!(fix("所谓'放管服'改革"), "所谓‘放管服’改革");
        assert_eq!(fix("等等...还有。。。"), "等等……还有……");
        assert_eq!(fix("政务公开--新篇章"), "政务公开——新篇章");
    }

    #[test]
    fn a_time_of_day_takes_the_ascii_colon() {
        assert_eq!(
            fix("每日16：00前报送，8：30至9：05"),
            "每日16:00前报送，8:30至9:05"
        );
        assert_eq!(fix("10：30：15开始"), "10:30:15开始");
        for kept in ["比例为1：2", "电话：0591", "1.5：30", "第120：30"] {
            assert_eq!(fix(kept), kept);
        }
    }

    #[test]
    fn numbers_urls_mail_files_and_latin_stay() {
        for s in [
            "金额1,000.5万元，日期2020-12-28，时间8:30，比例95%。",
            "网址https://www.gov.cn/zhengce/content/2020-12/28/a,b(1).htm。",
            "发送至jytbgs@126.com。",
            "附件：report(2020).pdf",
            "英文名称Open Government (OG), Inc.",
            "Don't stop: it's fine!",
        ] {
            assert_eq!(fix(s), s, "{s}");
        }
    }

    #[test]
    fn a_bracket_or_comma_after_a_url_belongs_to_the_text() {
        assert_eq!(
            fix("登录管理平台（www.xjzcsq.com)领取证书"),
            "登录管理平台（www.xjzcsq.com）领取证书"
        );
        assert_eq!(
            fix("详见https://www.gov.cn/a(1).htm,请查阅"),
            "详见https://www.gov.cn/a(1).htm，请查阅"
        );
    }

    #[test]
    fn already_clean_text_is_unchanged() {
        let s = "按照《通知》（国办发〔2020〕17号）要求，现将“十四五”规划……公布如下：";
        assert_eq!(fix(s), s);
    }
}

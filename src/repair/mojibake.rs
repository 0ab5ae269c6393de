//! Mojibake: UTF-8 text that was decoded with the wrong encoding and saved again.
//!
//! Two families are recognised, also stacked (double encoding):
//!
//! * **GBK**: UTF-8 bytes read as GBK/GB18030 (`公开` → `鍏�寮�`). Reversal encodes the
//!   text back to GBK and reads the bytes as UTF-8. Where the wrong decoder met a byte pair it
//!   could not map it wrote `U+FFFD` and one byte was lost; the character that byte belonged
//!   to cannot be recovered and comes back as `U+FFFD` (the result is *lossy*).
//! * **Latin-1 / windows-1252**: UTF-8 bytes read as a single-byte Western encoding
//!   (`关于` → `å…³äºŽ`). Every byte survives, so the reversal is exact.
//!
//! Detection asks the bytes, not a dictionary: ordinary Chinese text re-encoded to GBK is
//! almost never valid UTF-8, so a string is taken for mojibake only when its re-encoded bytes
//! form well-formed multi-byte UTF-8 throughout (holes left by `U+FFFD` aside) and decode to
//! CJK text.

use std::sync::LazyLock;

use encoding_rs::WINDOWS_1252;

use super::text::{is_cjk, is_cjk_punct, is_han};
use super::{Context, Lines, Rule};

/// Marks a byte the wrong decoder lost (never produced by the GBK encoder, never valid UTF-8).
const HOLE: u8 = 0xFF;

/// Most rounds of reversal tried (double or triple encoding).
const MAX_ROUNDS: usize = 3;

/// Reverse mojibake in `s`.
///
/// Returns `Some((fixed, lossy))` when `s` is UTF-8 text that was decoded as GBK/GB18030 or as
/// windows-1252/Latin-1 (possibly more than once); `lossy` is true when some characters could
/// not be recovered and were replaced by `U+FFFD`. Returns `None` when `s` is not mojibake,
/// which includes every ordinary Chinese or Latin text.
///
/// ```
/// use gongwen::repair::fix_mojibake;
/// assert_eq!(fix_mojibake("å…³äºŽ"), Some(("关于".to_string(), false)));
/// assert_eq!(fix_mojibake("关于政务公开"), None);
/// ```
pub fn fix_mojibake(s: &str) -> Option<(String, bool)> {
    let rev = reverse(s)?;
    // Frequencies only choose among the candidates of lost characters.
    let freq = if rev.holes.is_empty() {
        Frequencies::default()
    } else {
        Frequencies::of(&rev.text)
    };
    let (text, guessed, lost) = rev.resolve(&freq);
    Some((text, guessed + lost > 0))
}

/// A reversed string whose lost characters are still open: each `U+FFFD` it put in `text`
/// has the characters its lost byte could have made.
#[derive(Debug, Clone)]
pub struct Reversal {
    pub text: String,
    /// Byte offset in `text` of each `U+FFFD` standing for a lost character, with the
    /// characters that fit the surviving bytes.
    pub holes: Vec<(usize, Vec<char>)>,
}

/// Reverse every round of mojibake in `s`, leaving lost characters open; `None` when `s` is
/// not mojibake.
pub fn reverse(s: &str) -> Option<Reversal> {
    reverse_whole(s).or_else(|| {
        // Text is left clean beside mojibake in the markup of whole pages; a line of body
        // text is garbled whole or not at all, and is spared the run-by-run attempt.
        (s.len() > RUNS_MIN_BYTES || s.contains('<'))
            .then(|| reverse_runs(s))
            .flatten()
    })
}

/// How many characters of `s` are not ASCII: one UTF-8 lead byte (C0 or above) each, counted
/// eight bytes at a time.
fn non_ascii_chars(s: &str) -> usize {
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let mut words = s.as_bytes().chunks_exact(8);
    let mut n = 0;
    for word in &mut words {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let w = u64::from_le_bytes(w);
        // Bit 7 of each byte of `w & (w << 1)` is that byte's bit 7 and bit 6: a lead byte.
        n += (w & (w << 1) & HIGH_BITS).count_ones() as usize;
    }
    n + words.remainder().iter().filter(|&&b| b >= 0xC0).count()
}

/// Whether `s` is mojibake: exactly `reverse(s).is_some()`, without building the reversal.
///
/// A sample check needs only the answer, and most of the cost of [`reverse`] is in what it
/// builds: the decoded text, the candidates of every lost character, later rounds of a
/// double encoding, and the relaxed reversal of short runs. None of these can turn a `Some`
/// into a `None`: a reversal is `Some` when its first round is, and [`reverse_runs`] decides
/// from which runs reverse on their own.
pub fn is_mojibake(s: &str) -> bool {
    reversible_whole(s) || ((s.len() > RUNS_MIN_BYTES || s.contains('<')) && reversible_by_runs(s))
}

/// `reverse_whole(s).is_some()`: whether its first round succeeds.
fn reversible_whole(s: &str) -> bool {
    unlatin(s).is_some() || gbk_reversible(s)
}

/// `ungbk(s).is_some()`, from the counts alone ([`ungbk_with`] takes the same decision on
/// the same counts, as `tally_counts_what_the_decoder_counts` checks).
fn gbk_reversible(s: &str) -> bool {
    if s.is_ascii() || !gbk_prefix_plausible(s) {
        return false;
    }
    let mut bytes = Vec::with_capacity(s.len());
    encode_gbk(s, &mut bytes) && tally(&bytes).is_some_and(|t| acceptable(&t, false))
}

/// `reverse_runs(s).is_some()`: the same count of the characters of runs that reverse and
/// runs that do not, with the same early exit.
fn reversible_by_runs(s: &str) -> bool {
    let (mut fixed, mut kept) = (0usize, 0usize);
    let mut ahead = non_ascii_chars(s);
    let mut rest = s;
    while !rest.is_empty() {
        if fixed + ahead < 2 * kept {
            return false;
        }
        rest = &rest[encoding_rs::Encoding::ascii_valid_up_to(rest.as_bytes())..];
        let run = rest
            .bytes()
            .position(|b| b.is_ascii())
            .unwrap_or(rest.len());
        if run == 0 {
            continue;
        }
        let chars = rest[..run].chars().count();
        ahead -= chars;
        if reversible_whole(&rest[..run]) {
            fixed += chars;
        } else {
            kept += chars;
        }
        rest = &rest[run..];
    }
    fixed > 0 && fixed >= 2 * kept
}

/// Shortest text tried run by run when it is not mojibake as a whole.
const RUNS_MIN_BYTES: usize = 2048;

/// Reverse a text whose mojibake is interrupted by clean text (an HTML page whose markup
/// kept `font-family:仿宋` while its text nodes were garbled). ASCII bytes stand for
/// themselves in UTF-8, GBK and windows-1252 alike, so the runs of non-ASCII characters
/// between them are reversed one by one; the text counts as mojibake when the runs that
/// reverse hold at least twice as many characters as those that do not.
fn reverse_runs(s: &str) -> Option<Reversal> {
    let mut out = Reversal {
        text: String::with_capacity(s.len()),
        holes: Vec::new(),
    };
    let (mut fixed, mut kept) = (0usize, 0usize);
    // Runs that do not reverse on their own: (byte offset in `out.text`, length).
    let mut failed: Vec<(usize, usize)> = Vec::new();
    let mut rest = s;
    // Non-ASCII characters still ahead.
    let mut ahead = non_ascii_chars(s);
    while !rest.is_empty() {
        // Once even all the characters ahead could not outweigh the runs kept, the answer is
        // no: `fixed` can grow by at most `ahead`, and `kept` only grows.
        if fixed + ahead < 2 * kept {
            return None;
        }
        // By bytes (an ASCII byte is always a whole ASCII character in UTF-8), a word at a
        // time.
        let ascii = encoding_rs::Encoding::ascii_valid_up_to(rest.as_bytes());
        out.text.push_str(&rest[..ascii]);
        rest = &rest[ascii..];
        let run = rest
            .bytes()
            .position(|b| b.is_ascii())
            .unwrap_or(rest.len());
        if run == 0 {
            continue;
        }
        let chars = rest[..run].chars().count();
        ahead -= chars;
        match reverse_whole(&rest[..run]) {
            Some(rev) => {
                fixed += chars;
                let base = out.text.len();
                out.holes
                    .extend(rev.holes.into_iter().map(|(at, c)| (at + base, c)));
                out.text.push_str(&rev.text);
            }
            None => {
                kept += chars;
                failed.push((out.text.len(), run));
                out.text.push_str(&rest[..run]);
            }
        }
        rest = &rest[run..];
    }
    if fixed == 0 || fixed < 2 * kept {
        return None;
    }
    // The text is mojibake: a short run (`鍙�`, what is left of 号 between two tags) is
    // reversed too when its bytes are well-formed at all.
    if failed.is_empty() {
        return Some(out);
    }
    let mut text = String::with_capacity(out.text.len());
    let mut holes = Vec::with_capacity(out.holes.len());
    let mut pending = out.holes.into_iter().peekable();
    let mut last = 0;
    for (at, len) in failed {
        text.push_str(&out.text[last..at]);
        while let Some((h, c)) = pending.next_if(|(h, _)| *h < at) {
            holes.push((h - last + (text.len() - (at - last)), c));
        }
        let run = &out.text[at..at + len];
        match ungbk_with(run, true) {
            Some(rev) => {
                let base = text.len();
                holes.extend(rev.holes.into_iter().map(|(h, c)| (h + base, c)));
                text.push_str(&rev.text);
            }
            None => text.push_str(run),
        }
        last = at + len;
    }
    let shift = text.len() as isize - last as isize;
    text.push_str(&out.text[last..]);
    holes.extend(pending.map(|(h, c)| ((h as isize + shift) as usize, c)));
    Some(Reversal { text, holes })
}

fn reverse_whole(s: &str) -> Option<Reversal> {
    let mut current: Option<Reversal> = None;
    for _ in 0..MAX_ROUNDS {
        let text = current.as_ref().map_or(s, |r| r.text.as_str());
        let Some(next) = unlatin(text).or_else(|| ungbk(text)) else {
            break;
        };
        current = Some(next);
    }
    current
}

/// How often each character occurs intact in a text: the evidence used to choose among the
/// characters a lost byte could have made.
#[derive(Debug, Default)]
pub struct Frequencies {
    chars: rustc_hash::FxHashMap<char, u32>,
    /// Keyed by [`pair_key`]: one hash step per lookup instead of two.
    pairs: rustc_hash::FxHashMap<u64, u32>,
}

/// The pair `(a, b)` as one number (a `char` takes 21 bits).
fn pair_key(a: char, b: char) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

impl Frequencies {
    pub fn of(text: &str) -> Frequencies {
        let mut f = Frequencies::default();
        f.add(text);
        f
    }

    pub fn add(&mut self, text: &str) {
        let mut prev: Option<char> = None;
        for c in text.chars() {
            if c == '\u{FFFD}' || c == '\n' {
                prev = None;
                continue;
            }
            if is_cjk(c) {
                *self.chars.entry(c).or_default() += 1;
            }
            // A pair is only ever asked about with a lost character's candidate in it, and
            // candidates are never ASCII: pairs of two ASCII characters (most of the markup of a
            // raw page) are not counted.
            if let Some(p) = prev
                && !(p.is_ascii() && c.is_ascii())
            {
                *self.pairs.entry(pair_key(p, c)).or_default() += 1;
            }
            prev = Some(c);
        }
    }

    fn char(&self, c: char) -> u32 {
        self.chars.get(&c).copied().unwrap_or(0)
    }

    /// How often `a` is followed by `b`; only asked with a non-ASCII `a` or `b` (see
    /// [`Frequencies::add`]).
    fn pair(&self, a: Option<char>, b: Option<char>) -> u32 {
        match (a, b) {
            (Some(a), Some(b)) if a.is_ascii() && b.is_ascii() => {
                debug_assert!(false, "pairs of ASCII characters are not counted");
                0
            }
            (Some(a), Some(b)) => self.pairs.get(&pair_key(a, b)).copied().unwrap_or(0),
            _ => 0,
        }
    }
}

impl Reversal {
    /// Fill each lost character with the candidate seen most often intact in `freq`, or with
    /// the only candidate that is a common character (GB2312 level 1); leave `U+FFFD` where
    /// neither decides. Returns the text, how many characters were guessed and how many stay
    /// lost.
    pub fn resolve(&self, freq: &Frequencies) -> (String, usize, usize) {
        let mut out = String::with_capacity(self.text.len());
        let mut line_before = LineBefore::default();
        let (mut guessed, mut lost, mut last) = (0, 0, 0);
        for (i, (at, candidates)) in self.holes.iter().enumerate() {
            out.push_str(&self.text[last..*at]);
            last = at + '\u{FFFD}'.len_utf8();
            // The neighbours in the text, looking past markup of raw HTML
            // (`<span lang=EN-US>36</span><span>号`).
            let before = text_before(&out).filter(|c| *c != '\u{FFFD}');
            let after = text_after(&self.text[last..]).filter(|c| *c != '\u{FFFD}');
            let (line, previous_end) = line_before.of(&out);
            let rest = visible_line_after(&self.text[last..]);
            let later = self.holes[i + 1..].iter().map(|(_, c)| c.as_slice());
            // A lost character right after this one, looking past markup
            // (`绗�鍏�</span><span>绔�`).
            let next_lost = self
                .holes
                .get(i + 1)
                .filter(|(next_at, _)| *next_at == last + markup_len(&self.text[last..]))
                .map(|(_, c)| c.as_slice());
            // The lost characters just before and after, when their bytes were the same.
            let same_before = i
                .checked_sub(1)
                .and_then(|j| self.holes.get(j))
                .is_some_and(|(prev_at, prev)| {
                    prev_at + '\u{FFFD}'.len_utf8() == *at && prev == candidates
                });
            let same_after = next_lost.is_some_and(|next| next == candidates.as_slice());
            // The next lost character, wherever it is, may be a closing `〕`.
            let next_closes = self
                .holes
                .get(i + 1)
                .is_some_and(|(_, next)| next.contains(&'〕'));
            let by_context = phrase_in_line(candidates, line, &rest, later.clone())
                .or_else(|| {
                    (same_before || same_after)
                        .then(|| leader_mark(candidates))
                        .flatten()
                })
                .or_else(|| value_colon(candidates, line, &rest))
                .or_else(|| punctuation_in_context(candidates, line, &rest, later))
                .or_else(|| {
                    // A lost character right after this one is read as an ordinal's suffix
                    // when that is the only suffix it could be (`第��` → `第一章`).
                    numeral_in_sequence(candidates, &out, line, &rest, next_lost)
                })
                .or_else(|| effective_from(candidates, &rest))
                .or_else(|| lead_in_colon(candidates, line, &rest))
                .or_else(|| mark_between(candidates, before, after, line, &rest))
                .or_else(|| year_bracket(candidates, line, &rest, next_closes))
                .or_else(|| label_colon(candidates, line, &rest))
                .or_else(|| line_end_mark(candidates, line, &rest, previous_end))
                .or_else(|| mark_before_number(candidates, before, line, &rest))
                .or_else(|| marker_opening(candidates, line, &rest));
            let words = Words {
                before: han_run_before(&out),
                after: han_run_after(&self.text[last..]),
                next_lost,
            };
            let chosen = by_context
                .or_else(|| choose(candidates, before, after, freq, &words))
                .or_else(|| sentence_mark(candidates, before, after, line, &rest));
            match chosen {
                Some(c) => {
                    out.push(c);
                    guessed += 1;
                }
                None => {
                    out.push('\u{FFFD}');
                    lost += 1;
                }
            }
        }
        out.push_str(&self.text[last..]);
        (out, guessed, lost)
    }
}

/// The Han text around a lost character, for weighing its candidates by the words they make
/// (see [`super::lexicon`]).
#[derive(Default)]
struct Words<'a> {
    /// The Han characters just before, at most [`WORDS_CONTEXT`], in text order.
    before: Vec<char>,
    /// The Han characters just after, at most [`WORDS_CONTEXT`].
    after: Vec<char>,
    /// The candidates of a lost character right after this one, which then comes before
    /// `after`.
    next_lost: Option<&'a [char]>,
}

/// How much likelier the best Han candidate must make its text than the next best, as a
/// ratio of split probabilities, for the words to decide.
const WORDS_MARGIN: f64 = 8.0;

/// The ratio at which the words decide before the document's own pairs do, unless the
/// document writes the pair at least [`PAIRS_TRUSTED`] times.
const WORDS_OVERRULE: f64 = 50.0;

/// How often the document must write a candidate's pairs for them to decide before the words.
const PAIRS_TRUSTED: u32 = 3;

/// The most characters a lost character right after is weighed as, one by one: a bound on
/// the work for one lost character.
const MAX_NEXT_WEIGHED: usize = 64;

/// How many Han characters on each side of a lost one are weighed with it.
const WORDS_CONTEXT: usize = 3;

/// A Han character in no word of the list (a CJK compatibility ideograph).
const NO_WORD: char = '\u{F900}';

impl Words<'_> {
    /// The Han candidate whose text, with the characters around it, splits into the likeliest
    /// words, and the natural logarithm of how much likelier than with the next best (or, for
    /// the only candidate in the list, than with a character of no word); `None` without Han
    /// text on either side or when the likeliest is a character of no word.
    fn best(&self, candidates: &[char]) -> Option<(char, f64)> {
        self.best_weighing(candidates, true)
    }

    /// [`Words::best`], weighing only the characters next that can make a difference when
    /// `pruned` (the same answer, cheaper), or every one.
    fn best_weighing(&self, candidates: &[char], pruned: bool) -> Option<(char, f64)> {
        if self.before.is_empty() && self.after.is_empty() && self.next_lost.is_none() {
            return None;
        }
        // Only characters of the list make words. The others (most candidates: the rare
        // characters the surviving bits allow) weigh alike, so one character of no word
        // stands for them all.
        let class = |c: char| {
            if !is_han(c) {
                None
            } else if super::lexicon::count(&[c]) > 0 {
                Some(c)
            } else {
                Some(NO_WORD)
            }
        };
        let mut next: Vec<Option<char>> = match self.next_lost {
            // A lost mark next ends the run of Han text (`None`).
            Some(next) => next.iter().map(|&c| class(c)).collect(),
            None => vec![None],
        };
        next.sort_unstable();
        next.dedup();
        // Too many words could follow to weigh each: weigh the text up to the lost character
        // after, as if it began no word.
        if next.len() > MAX_NEXT_WEIGHED {
            next.retain(|n| n.is_none_or(|n| n == NO_WORD));
            if next.is_empty() {
                next.push(Some(NO_WORD));
            }
        }
        // The text after is weighed once; the text before and the candidates, for each.
        let after = super::lexicon::Tail::new(&self.after);
        let nothing = super::lexicon::Tail::new(&[]);
        let mut head = Vec::with_capacity(self.before.len() + 2);
        let mut split = |c: char, n: Option<char>| {
            head.clear();
            head.extend_from_slice(&self.before);
            head.push(c);
            match n {
                Some(n) => {
                    head.push(n);
                    after.split_with(&head)
                }
                None if self.next_lost.is_none() => after.split_with(&head),
                // A lost mark ends the text.
                None => nothing.split_with(&head),
            }
        };
        let mut classes: Vec<char> = candidates.iter().filter_map(|&c| class(c)).collect();
        classes.sort_unstable();
        classes.dedup();
        // Of the characters that may come next, each split weighs either as a character on
        // its own, where the most frequent of them does best, or inside a word, which then
        // begins with it (and the text after) or holds the candidate before it. Only those
        // are weighed one by one.
        let lookup = super::lexicon::lookup;
        let alone = next
            .iter()
            .filter_map(|&n| n.filter(|&n| n != NO_WORD))
            .max_by_key(|&n| lookup(&[n]).0);
        let first_after = self.after.first().copied();
        let begins_word = |n: char| {
            first_after.is_some_and(|a| {
                let (count, longer) = lookup(&[n, a]);
                count > 0 || longer
            })
        };
        let b = self.before.len();
        let joins_word = |c: char, n: char| {
            (0..=b).any(|from| {
                let mut word = [' '; WORDS_CONTEXT + 2];
                let len = b - from + 2;
                if len > super::lexicon::MAX_WORD {
                    return false;
                }
                word[..b - from].copy_from_slice(&self.before[from..]);
                word[b - from] = c;
                word[b - from + 1] = n;
                let (count, longer) = lookup(&word[..len]);
                count > 0 || longer
            })
        };
        let mut scored: Vec<(f64, char)> = classes
            .iter()
            .map(|&c| {
                let best = next
                    .iter()
                    .filter(|&&n| match n {
                        Some(n) if n != NO_WORD && pruned => {
                            Some(n) == alone || begins_word(n) || joins_word(c, n)
                        }
                        _ => true,
                    })
                    .map(|&n| split(c, n))
                    .fold(f64::NEG_INFINITY, f64::max);
                (best, c)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        // The same text with a character of no word in its place: what a candidate adds.
        let unknown = next
            .iter()
            .map(|&n| split(NO_WORD, n))
            .fold(f64::NEG_INFINITY, f64::max);
        if scored.first().is_some_and(|(_, c)| *c == NO_WORD) {
            return None;
        }
        match scored.as_slice() {
            [(only, c)] => Some((*c, only - unknown)),
            [(first, c), (second, _), ..] => Some((*c, first - second)),
            _ => None,
        }
    }
}

/// The Han characters at the end of `s`, looking past HTML tags, at most [`WORDS_CONTEXT`].
fn han_run_before(s: &str) -> Vec<char> {
    let mut run = Vec::new();
    let mut s = s;
    while run.len() < WORDS_CONTEXT {
        if s.ends_with('>') {
            match s.rfind('<') {
                Some(i) => s = &s[..i],
                None => break,
            }
            continue;
        }
        match s.chars().next_back() {
            Some(c) if is_han(c) => {
                run.push(c);
                s = &s[..s.len() - c.len_utf8()];
            }
            _ => break,
        }
    }
    run.reverse();
    run
}

/// The Han characters at the start of `s`, looking past HTML tags, at most
/// [`WORDS_CONTEXT`].
fn han_run_after(s: &str) -> Vec<char> {
    let mut run = Vec::new();
    let mut s = s;
    while run.len() < WORDS_CONTEXT {
        s = &s[markup_len(s)..];
        match s.chars().next() {
            Some(c) if is_han(c) => {
                run.push(c);
                s = &s[c.len_utf8()..];
            }
            _ => break,
        }
    }
    run
}

/// The last character of `s` outside HTML tags.
fn text_before(s: &str) -> Option<char> {
    let mut s = s;
    while s.ends_with('>') {
        s = &s[..s.rfind('<')?];
    }
    s.chars().next_back()
}

/// The marks written several in a row, as leaders and dashes (`目录……1`, `——`, and `――`,
/// the dash GB2312 pages decode to).
const LEADER_MARKS: [char; 3] = ['…', '—', '―'];

/// The leader mark among the candidates of a lost character in a run of lost characters with
/// the same bytes: a run of one character is a leader or a dash, not a word.
fn leader_mark(candidates: &[char]) -> Option<char> {
    LEADER_MARKS.into_iter().find(|m| candidates.contains(m))
}

/// How many bytes of HTML tags `s` starts with.
fn markup_len(s: &str) -> usize {
    let mut rest = s;
    while rest.starts_with('<') {
        match rest.find('>') {
            Some(i) => rest = &rest[i + 1..],
            None => break,
        }
    }
    s.len() - rest.len()
}

/// The first character of `s` outside HTML tags.
fn text_after(s: &str) -> Option<char> {
    let mut s = s;
    while s.starts_with('<') {
        s = &s[s.find('>')? + 1..];
    }
    s.chars().next()
}

/// The best of `candidates` between `before` and `after`: a counter after a number, the full
/// stop at the end of a line; the one whose pairs with its neighbours occur most often intact;
/// failing that, the one making a common word with a neighbour; the most frequent Han
/// candidate; the only common character; the only one the document has intact anywhere.
/// `None` when nothing decides.
fn choose(
    candidates: &[char],
    before: Option<char>,
    after: Option<char>,
    freq: &Frequencies,
    words: &Words,
) -> Option<char> {
    // After a number, a lost character is most likely a counter or unit.
    if before.is_some_and(|c| c.is_ascii_digit())
        && let Some(c) = AFTER_DIGIT.chars().find(|c| candidates.contains(c))
    {
        return Some(c);
    }
    // At the end of a line a lost CJK mark is, overwhelmingly, the full stop.
    if after.is_none_or(|c| c == '\n') && before.is_some() && candidates.contains(&'。') {
        return Some('。');
    }
    // Weighed once, when first asked.
    let by_words = std::cell::OnceCell::new();
    let words_decide = |margin: f64| {
        by_words
            .get_or_init(|| words.best(candidates))
            .filter(|(_, lead)| *lead >= margin.ln())
            .map(|(c, _)| c)
    };
    let pairs = |c: char| {
        // A CJK character never counted intact is in no counted pair (`Frequencies::add`
        // counts the character wherever it counts a pair with it): one lookup, not two, for
        // the many rare candidates.
        if is_cjk(c) && freq.char(c) == 0 {
            return 0;
        }
        freq.pair(before, Some(c)) + freq.pair(Some(c), after)
    };
    // Pairs the document writes often decide; the words may overrule a pair seen once or
    // twice (`机�，` → `机制，`, not the `划，` of `规划，`).
    let by_pairs = unique_best(candidates.iter().copied(), pairs);
    if let Some((c, n)) = by_pairs
        && n >= PAIRS_TRUSTED
    {
        return Some(c);
    }
    if let Some(c) = words_decide(WORDS_OVERRULE) {
        return Some(c);
    }
    if let Some((c, _)) = by_pairs {
        return Some(c);
    }
    if let Some(c) = words_decide(WORDS_MARGIN) {
        return Some(c);
    }
    // No evidence in the document (a character whose bytes the wrong decoder lost wherever
    // it stood): the one candidate that makes a common word with a neighbour (`公�` → `公开`).
    let words = |c: char| {
        u32::from(before.is_some_and(|b| super::paragraph::is_common_word(b, c)))
            + u32::from(after.is_some_and(|a| super::paragraph::is_common_word(c, a)))
    };
    if let Some(c) = unique_max(candidates.iter().copied(), words) {
        return Some(c);
    }
    // Then how often real pages pair each Han candidate with these neighbours (`办结�1` →
    // `办结率1`, not the `现` the document writes intact elsewhere). Marks are left to the
    // document: real pages write a document number's brackets in too many ways.
    let corpus = |c: char| corpus_pair(before, Some(c)) + corpus_pair(Some(c), after);
    let han = candidates.iter().copied().filter(|c| is_han(*c));
    if let Some(c) = unique_max(han, corpus) {
        return Some(c);
    }
    let han = candidates.iter().copied().filter(|c| is_han(*c));
    if let Some(c) = unique_max(han, |c| freq.char(c)) {
        return Some(c);
    }
    let mut common = candidates.iter().copied().filter(|&c| is_common(c));
    if let (Some(c), None) = (common.next(), common.next()) {
        return Some(c);
    }
    // The one candidate the document writes anywhere intact, a mark among rare characters
    // (`、` or one of seven CJK Extension A ideographs).
    if let Some(c) = unique_max(candidates.iter().copied(), |c| u32::from(freq.char(c) > 0)) {
        return Some(c);
    }
    // The one mark of Chinese text among symbols and characters that Chinese text all but
    // never writes (kana, bopomofo, CJK Extension A…), when no candidate is a hanzi of GB2312:
    // the `。` of `任务�现将`, the `：` of `时间�2024年`, whose every copy the wrong decoder
    // lost.
    if candidates.iter().any(|&c| is_gb2312_hanzi(c)) {
        return None;
    }
    let mut marks = candidates
        .iter()
        .copied()
        .filter(|c| USUAL_MARKS.contains(*c));
    match (marks.next(), marks.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// The marks that end a sentence or part of one.
const SENTENCE_MARKS: &str = "，。、；：？！";

/// The sentence mark among the candidates that real pages most often write between `before`
/// and `after` (`兼油画�1960年` → `。`, `建党70�90周年` → `、`), when nothing else decided. Not
/// before a document number's year (`国办发�2008�36号`): the `docnum` rule knows its
/// brackets.
fn sentence_mark(
    candidates: &[char],
    before: Option<char>,
    after: Option<char>,
    line: &str,
    rest: &str,
) -> Option<char> {
    before?;
    if in_document_number(line, rest) {
        return None;
    }
    let marks = candidates
        .iter()
        .copied()
        .filter(|c| SENTENCE_MARKS.contains(*c));
    unique_max(marks, |c| {
        corpus_pair(before, Some(c)) + corpus_pair(Some(c), after)
    })
}

/// Whether a character between `line` and `rest` is a bracket of a document number: before
/// its year (`国办发�2008�36号`), or after it (`国办发〔2008�36号`). Its `号` may be lost too.
fn in_document_number(line: &str, rest: &str) -> bool {
    let serial_then_number = |s: &str| {
        let n = leading_digits(s);
        // `号`, or its `U+FFFD` when it was lost too.
        n > 0 && s[n..].trim_start().starts_with(['号', '\u{FFFD}'])
    };
    // A year, one character (the closing bracket or its `U+FFFD`), a serial number, `号`.
    let year = leading_digits(rest);
    if year == 4 {
        let mut tail = rest[year..].chars();
        tail.next();
        if serial_then_number(tail.as_str()) {
            return true;
        }
    }
    let line = line.trim_end();
    let year = line.len() - line.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    year == 4 && serial_then_number(rest)
}

/// The punctuation of Chinese text.
const USUAL_MARKS: &str = "，。、；：？！“”‘’（）《》〈〉〔〕【】「」『』—…·～％";

/// A hanzi of GB2312, the 6,763 characters of everyday Chinese (GBK bytes B0A1 to F7FE).
fn is_gb2312_hanzi(c: char) -> bool {
    gbk_bytes(c).is_some_and(|[a, b]| (0xB0..=0xF7).contains(&a) && b >= 0xA1)
}

/// HTML elements that start a new line of text.
const BLOCK_TAGS: &[&str] = &[
    "p", "div", "br", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table",
    "section", "article", "ul", "ol", "title", "body",
];

/// Whether `tag` (the text after `<`) opens or closes a block element.
fn is_block_tag(tag: &str) -> bool {
    let name = tag.trim_start_matches('/').as_bytes();
    let end = name
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(name.len());
    let name = &name[..end];
    // No block tag name is longer than `section` or `article`: longer names are not looked up.
    name.len() <= 7
        && BLOCK_TAGS
            .iter()
            .any(|b| name.eq_ignore_ascii_case(b.as_bytes()))
}

/// The text of the line `s` ends in: back to the last newline or block element of raw HTML,
/// without the markup of inline elements. The definition [`LineBefore`] keeps up to date, and
/// its test oracle.
#[cfg(test)]
fn visible_line_before(s: &str) -> String {
    let mut start = s.rfind('\n').map_or(0, |i| i + 1);
    for (i, _) in s[start..].rmatch_indices('<') {
        if is_block_tag(&s[start + i + 1..]) {
            start += i;
            break;
        }
    }
    strip_tags(&s[start..], usize::MAX)
}

/// [`visible_line_before`] of a text that only grows, kept up to date as it grows: asked
/// before every lost character of a page, it would otherwise strip the markup of the whole
/// line each time (a page of raw HTML may have no newline at all).
#[derive(Debug, Default)]
struct LineBefore {
    /// Bytes of the text read so far: up to a `<` whose tag name may still grow, if any.
    read: usize,
    /// The visible text of the current line up to `read`.
    visible: String,
    in_tag: bool,
    /// The last visible character of the last line before this one that had any.
    previous_end: Option<char>,
}

impl LineBefore {
    /// The visible text of the line `text` ends with, and [`LineBefore::previous_end`].
    fn of(&mut self, text: &str) -> (&str, Option<char>) {
        while let Some(c) = text[self.read..].chars().next() {
            let at = self.read;
            if c == '<' {
                let name = text[at + 1..].trim_start_matches('/');
                if name.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    // The name runs to the end of the text so far: decided when it ends.
                    break;
                }
                if is_block_tag(&text[at + 1..]) {
                    self.end_line();
                }
                self.in_tag = true;
            } else if c == '\n' {
                self.end_line();
                self.in_tag = false;
            } else if c == '>' && self.in_tag {
                self.in_tag = false;
            } else if !self.in_tag {
                self.visible.push(c);
            }
            self.read += c.len_utf8();
        }
        // A tag whose name is still open at the end reads as the text so far says.
        let pending = &text[self.read..];
        if pending.starts_with('<') && is_block_tag(&pending[1..]) {
            return ("", self.previous_end);
        }
        (&self.visible, self.previous_end)
    }

    fn end_line(&mut self) {
        if let Some(end) = self.visible.trim_end().chars().next_back() {
            self.previous_end = Some(end);
        }
        self.visible.clear();
    }
}

/// The text of the line `s` starts: up to the next newline or block element, without the
/// markup of inline elements (at most `MAX_CONTEXT` characters).
///
/// One pass that stops as soon as the answer is complete, rather than finding the end of the
/// line first: [`visible_line_after_by_search`], kept as its test oracle, is the definition.
fn visible_line_after(s: &str) -> String {
    let limit = MAX_CONTEXT * 4;
    let bytes = s.as_bytes();
    let mut out = String::new();
    let mut in_tag = false;
    let mut at = 0;
    loop {
        // The line ends at the first newline, or at the first `<` (inside a tag or not) that
        // opens a block element; outside a tag, `>` is text.
        let found = if in_tag {
            memchr::memchr3(b'<', b'>', b'\n', &bytes[at..])
        } else {
            memchr::memchr2(b'<', b'\n', &bytes[at..])
        };
        let stop = found.map_or(bytes.len(), |n| at + n);
        if !in_tag && push_capped(&mut out, &s[at..stop], limit) {
            return out;
        }
        if found.is_none() {
            return out;
        }
        match bytes[stop] {
            b'<' if !is_block_tag(&s[stop + 1..]) => in_tag = true,
            b'>' => in_tag = false,
            // A newline or a block element.
            _ => return out,
        }
        at = stop + 1;
    }
}

/// Append `piece` to `out`, cut after the first of its characters that brings `out` to
/// `limit` bytes or more, as [`strip_tags_by_char`] does character by character; `true` when
/// that happened (`out` was shorter than `limit`, or empty, before).
fn push_capped(out: &mut String, piece: &str, limit: usize) -> bool {
    let before = out.len();
    out.push_str(piece);
    if out.len() > before && out.len() >= limit {
        // The first character boundary at or past the limit, past the text before.
        let mut cut = limit.max(before + 1);
        while !out.is_char_boundary(cut) {
            cut += 1;
        }
        out.truncate(cut);
        return true;
    }
    false
}

/// [`visible_line_after`] by finding the end of the line first: its definition and test
/// oracle.
#[cfg(test)]
fn visible_line_after_by_search(s: &str) -> String {
    let mut end = s.find('\n').unwrap_or(s.len());
    for (i, _) in s[..end].match_indices('<') {
        if is_block_tag(&s[i + 1..]) {
            end = i;
            break;
        }
    }
    strip_tags(&s[..end], MAX_CONTEXT)
}

/// Most characters of the following text looked at.
const MAX_CONTEXT: usize = 64;

/// `s` without `<…>` markup, at most `max` characters: the text is cut after the first
/// character that brings it to `4 * max` bytes or more.
///
/// Copies the text between tags whole: [`strip_tags_by_char`], kept as its test oracle, is
/// the definition.
#[cfg(test)]
fn strip_tags(s: &str, max: usize) -> String {
    let limit = max.saturating_mul(4);
    let mut out = String::with_capacity(s.len().min(limit.saturating_add(4)));
    let mut rest = s;
    loop {
        // Outside a tag: text up to the next `<` (a `>` here is text).
        let lt = memchr::memchr(b'<', rest.as_bytes()).unwrap_or(rest.len());
        if push_capped(&mut out, &rest[..lt], limit) {
            return out;
        }
        if lt == rest.len() {
            return out;
        }
        // Inside a tag: everything up to the next `>` (another `<` changes nothing).
        match memchr::memchr(b'>', &rest.as_bytes()[lt..]) {
            Some(gt) => rest = &rest[lt + gt + 1..],
            None => return out,
        }
    }
}

/// [`strip_tags`] character by character: its definition and test oracle.
#[cfg(test)]
fn strip_tags_by_char(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => {
                out.push(c);
                if out.len() >= max.saturating_mul(4) {
                    break;
                }
            }
            _ => {}
        }
    }
    out
}

/// Suffixes of a `第…` ordinal whose lost numeral follows from the one before, as
/// [`is_ordinal_suffix`] matches them.
#[cfg(test)]
const ORDINAL_SUFFIXES: &str = "编章节条款";

/// How far back the previous ordinal is looked for, in bytes.
const ORDINAL_LOOKBACK: usize = 8192;

/// What a rule or notice says takes effect from (`本办法自2014年1月1日起施行`,
/// `自印发之日起实施`): the `自` before a date or an occasion when the line goes on to one of
/// [`EFFECTIVE`] and `自` is a candidate (`至` is one too: its bytes differ in the last).
fn effective_from(candidates: &[char], rest: &str) -> Option<char> {
    if !candidates.contains(&'自') {
        return None;
    }
    let rest: String = rest.chars().take(24).collect();
    let dated = rest.starts_with(|c: char| c.is_ascii_digit())
        || OCCASIONS.iter().any(|o| rest.starts_with(o));
    (dated && EFFECTIVE.iter().any(|e| rest.contains(e))).then_some('自')
}

/// The colon of a lead-in that ends its line (`现将有关事项通知如下�` → `：`): what follows
/// is the list it announces.
fn lead_in_colon(candidates: &[char], line: &str, rest: &str) -> Option<char> {
    let ends_lead_in = LEAD_INS.iter().any(|l| line.trim_end().ends_with(l));
    (ends_lead_in && rest.trim().is_empty() && candidates.contains(&'：')).then_some('：')
}

/// A lost mark its neighbours show, where the candidates hold it:
/// * the leader or dash the character before or after is (`……�` → `………`, `―�《` → `――《`);
/// * the dash of a range between numbers (`1956�1976年`, `6月10日�12日` → `—`);
/// * the opening quotation mark or bracket of one the line closes later, having opened none
///   (`构建了�4+6+4”` → `“`, `行动计划�2018～2020年）` → `（`).
///
/// `before` and `after` are the characters beside the lost one; `line` is the text before it
/// on its line, `rest` the text after.
fn mark_between(
    candidates: &[char],
    before: Option<char>,
    after: Option<char>,
    line: &str,
    rest: &str,
) -> Option<char> {
    let fits = |c: char| candidates.contains(&c);
    // A list item's number closed by `）` is no bracket (`两方面�1）…`).
    let item_number = rest
        .trim_start_matches(|c: char| c.is_ascii_alphanumeric())
        .starts_with('）')
        && !rest.starts_with('）');
    // First the opener, which the line's own close shows (`日�12345”` opens a quotation
    // rather than a range).
    if !item_number && !in_document_number(line, rest) {
        // (Cheapest first: the line before is counted only for an opener that fits and closes.)
        let opener = OPENERS.into_iter().find_map(|(open, close, reach)| {
            let closes_first = || {
                rest.chars()
                    .take(reach)
                    .take_while(|&c| c != '\n')
                    .find(|&c| c == open || c == close)
                    == Some(close)
            };
            let none_open = || line.matches(open).count() == line.matches(close).count();
            (fits(open) && closes_first() && none_open()).then_some(open)
        });
        if opener.is_some() {
            return opener;
        }
    }
    if let Some(leader) = [before, after]
        .into_iter()
        .flatten()
        .find(|c| LEADER_MARKS.contains(c) && fits(*c))
    {
        return Some(leader);
    }
    let numeric = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    let range = numeric(after) && (numeric(before) || before.is_some_and(|c| "年月日".contains(c)));
    (fits('—') && range).then_some('—')
}

/// How many ASCII digits `s` starts with, in bytes.
fn leading_digits(s: &str) -> usize {
    s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len()
}

/// Whether `s` starts with a year of 19xx or 20xx.
fn starts_with_year(s: &str) -> bool {
    leading_digits(s) >= 4 && (s.starts_with("19") || s.starts_with("20"))
}

/// The brackets and quotation marks [`mark_between`] opens where the line closes one, with
/// how many characters on the close must come: a quotation runs longer than a bracket's note.
const OPENERS: [(char, char, usize); 3] = [('“', '”', 40), ('（', '）', 20), ('《', '》', 30)];

/// A bracket around the year of a document number whose serial has no `号` after it
/// (`LS�2025�00021`, `府办专督�2020�24`): a year of 19xx or 20xx, then `〕` or a lost
/// character that may be one (`next_closes`), then the serial's digits: the lost character
/// before opens with `〔`, and the lost character after `〔` and a year closes it.
/// ([`in_document_number`] leaves the brackets before a `号` to the `docnum` rule.) Not in a
/// list of years (`2019�2020�2021连续三年`): the issuer's abbreviation comes before the
/// bracket, and a serial is no year.
fn year_bracket(candidates: &[char], line: &str, rest: &str, next_closes: bool) -> Option<char> {
    // The serial's digits, not a date's (`2011〔3月`) or a year's.
    let serial = |s: &str| {
        let digits = leading_digits(s);
        digits > 0
            && !(digits == 4 && starts_with_year(s))
            && !s[digits..].starts_with(['年', '月', '日', '.', '．', '-', '、'])
    };
    let issuer = line
        .chars()
        .next_back()
        .is_some_and(|c| !c.is_ascii_digit() && !is_cjk_punct(c));
    if candidates.contains(&'〔') && issuer && starts_with_year(rest) {
        let mut after = rest[4..].chars();
        let closed = match after.next() {
            Some('〕') => true,
            Some('\u{FFFD}') => next_closes,
            _ => false,
        };
        return (closed && serial(after.as_str())).then_some('〔');
    }
    let opened = line
        .len()
        .checked_sub(4 + '〔'.len_utf8())
        .and_then(|at| line.get(at..))
        .is_some_and(|tail| tail.starts_with('〔') && starts_with_year(&tail['〔'.len_utf8()..]));
    (candidates.contains(&'〕') && opened && serial(rest)).then_some('〕')
}

/// The mark that ends a line, where the full stop is not a candidate (the lost character was
/// one of the full-width forms `，：；！？（）…`, `EF BC xx`): a line of real pages ends in
/// `：` (a salutation, a lead-in, a label) or `；` (a list item) and all but never in `，`,
/// which would run the line into the next. `；` where the line before ended in one or the
/// line is a list item, and the closer of a bracket the line left open.
fn line_end_mark(
    candidates: &[char],
    line: &str,
    rest: &str,
    previous_end: Option<char>,
) -> Option<char> {
    if !rest.trim().is_empty() || line.trim().is_empty() || candidates.contains(&'。') {
        return None;
    }
    // The closer of a bracket the line left open, whatever was lost inside it (`（统一社会信用
    // 代码：9135…2N0QLDBY�`).
    let mut open = Vec::new();
    for c in line.chars() {
        if let Some(close) = closer_of(c) {
            open.push(close);
        } else if open.last() == Some(&c) {
            open.pop();
        }
    }
    if let Some(close) = open.last() {
        return candidates.contains(close).then_some(*close);
    }
    // (A lead-in's `：` is [`lead_in_colon`]'s.) A list item (`1.具有独立承担民事责任的能力�`)
    // ends in `；` where it does not end in `。`.
    let item = crate::structure::parse_marker(line.trim_start()).is_some();
    if (item || previous_end == Some('；')) && candidates.contains(&'；') {
        return Some('；');
    }
    candidates.contains(&'：').then_some('：')
}

/// The opening bracket of a heading's marker at the start of a line (`�1�5个县…` →
/// `（1）5个县…`, `�一�加强…`): a numeral of one or two digits or up to three Han numerals,
/// then `）` or a lost character. (Its closer is the open bracket's, in
/// [`punctuation_in_context`].)
fn marker_opening(candidates: &[char], line: &str, rest: &str) -> Option<char> {
    if !line.trim().is_empty() || !candidates.contains(&'（') {
        return None;
    }
    let digits = leading_digits(rest);
    let numerals = rest.len()
        - rest
            .trim_start_matches(|c| "一二三四五六七八九十".contains(c))
            .len();
    let numeral = if (1..=2).contains(&digits) {
        digits
    } else if (1..=3).contains(&(numerals / '一'.len_utf8())) {
        numerals
    } else {
        return None;
    };
    rest[numeral..]
        .starts_with(['）', '\u{FFFD}'])
        .then_some('（')
}

/// Labels of codes and numbers (`统一社会信用代码`, `联系电话`, `账号`).
const CODE_LABELS: &[&str] = &[
    "代码", "编号", "编码", "号码", "电话", "传真", "邮编", "账号", "帐号",
];

/// The colon between a label of a code or number and its value, inside a line
/// (`…有限公司（统一社会信用代码�91350…）` → `：`, not the bracket's closer).
fn value_colon(candidates: &[char], line: &str, rest: &str) -> Option<char> {
    let labelled = CODE_LABELS.iter().any(|l| line.ends_with(l));
    let value = rest.starts_with(|c: char| c.is_ascii_alphanumeric())
        && rest.chars().take_while(char::is_ascii_alphanumeric).count() >= MIN_CODE;
    (labelled && value && candidates.contains(&'：')).then_some('：')
}

/// Shortest value read by [`value_colon`]: a code or a number, not a count (`电话3部`).
const MIN_CODE: usize = 5;

/// `、` or `。` before a number: between numbers a list's `、` (`建党70�90周年`, `36�38�40`,
/// phone numbers), and after words the `。` before a sentence that opens with a year or a
/// date (`…收藏�2010年在…`, `…之一�10月15日，在…`), unless a list of dates goes on. Not in
/// a document number (`综实管〔2011�16号`).
fn mark_before_number(
    candidates: &[char],
    before: Option<char>,
    line: &str,
    rest: &str,
) -> Option<char> {
    if !(candidates.contains(&'、') && candidates.contains(&'。')) || in_document_number(line, rest)
    {
        return None;
    }
    let n = leading_digits(rest);
    if n == 0 {
        return None;
    }
    if before.is_some_and(|c| c.is_ascii_digit()) {
        return Some('、');
    }
    if !before.is_some_and(is_han) {
        return None;
    }
    let tail = &rest[n..];
    let year = n == 4 && starts_with_year(rest) && tail.starts_with('年');
    let date = (1..=2).contains(&n)
        && tail.strip_prefix('月').is_some_and(|t| {
            let d = leading_digits(t);
            (1..=2).contains(&d) && t[d..].starts_with('日') && !t[d..].starts_with("日、")
        });
    (year || date).then_some('。')
}

/// Words a label of a form or notice ends with (`报名时间：2024年3月7日`, `附件：1.…`).
const LABEL_ENDS: &[&str] = &[
    "时间",
    "日期",
    "地点",
    "地址",
    "电话",
    "传真",
    "邮编",
    "邮箱",
    "网址",
    "附件",
    "联系人",
    "对象",
    "条件",
    "方式",
    "内容",
    "范围",
    "期限",
];

/// The colon after a label that opens its line (`报名时间�2024年3月7日` → `：`): the line so far
/// is a few Han characters ending with one of [`LABEL_ENDS`], and its value follows. A
/// sentence that opens with such a word and a comma (`考试时间，另行通知。`) reads the same;
/// on real pages the label is far the commoner.
fn label_colon(candidates: &[char], line: &str, rest: &str) -> Option<char> {
    let label = line.trim_start();
    let fits = candidates.contains(&'：')
        && label.chars().nth(MAX_LABEL).is_none()
        && label.chars().nth(1).is_some()
        && label.chars().all(is_han)
        && LABEL_ENDS.iter().any(|end| label.ends_with(end))
        && rest.starts_with(|c: char| c.is_ascii_digit() || is_han(c));
    fits.then_some('：')
}

/// How a lead-in ends, before its colon.
const LEAD_INS: &[&str] = &[
    "如下",
    "如下所示",
    "以下",
    "下列",
    "包括",
    "主要有",
    "分别是",
    "分别为",
];

/// The occasions a document takes effect from, after its `自`.
const OCCASIONS: &[&str] = &["印发之日", "发布之日", "公布之日", "下发之日", "颁布之日"];

/// How a document's taking effect is said, after the date, as far as it tells (`起施行`,
/// `起实施`, whose last character may be lost too).
const EFFECTIVE: &[&str] = &["起施", "起实施", "起执行", "起生效", "起试行"];

/// A lost numeral of a counted marker, the next in its sequence: `第�条` after `第五条` is
/// `第六条` (the first `第�章` is `第一章`), and `（�）` after `（二）` in the same line is
/// `（三）` — when that numeral is one of the candidates.
fn numeral_in_sequence(
    candidates: &[char],
    out: &str,
    line: &str,
    rest: &str,
    next_lost: Option<&[char]>,
) -> Option<char> {
    let mut next = rest.chars().next()?;
    if let Some(lost) = next_lost {
        let mut suffixes = lost.iter().filter(|c| is_ordinal_suffix(**c));
        next = match (suffixes.next(), suffixes.next()) {
            (Some(c), None) => *c,
            _ => return None,
        };
    }
    let line = line.trim_end();
    let (prefix, previous) = if is_ordinal_suffix(next) {
        let head = line.trim_end_matches(is_numeral_char);
        let prefix = &line[head.len()..];
        if !head.ends_with('第') {
            return None;
        }
        let from = out.len().saturating_sub(ORDINAL_LOOKBACK);
        let from = (from..out.len())
            .find(|i| out.is_char_boundary(*i))
            .unwrap_or(out.len());
        (prefix, last_ordinal(&out[from..], '第', next))
    } else if matches!(next, '）' | ')') {
        let head = line.trim_end_matches(is_numeral_char);
        let prefix = &line[head.len()..];
        if !head.ends_with(['（', '(']) {
            return None;
        }
        let scope = &head[..head.len() - head.chars().next_back().map_or(0, char::len_utf8)];
        (
            prefix,
            last_ordinal(scope, '（', '）').or_else(|| last_ordinal(scope, '(', ')')),
        )
    } else {
        return None;
    };
    let expected = crate::structure::han_numeral(previous.unwrap_or(0) + 1);
    let rest_of_numeral = expected.strip_prefix(prefix)?;
    let mut cs = rest_of_numeral.chars();
    match (cs.next(), cs.next()) {
        (Some(c), None) if candidates.contains(&c) => Some(c),
        _ => None,
    }
}

/// A digit of an ordinal (`第十二章`): a Han numeral ([`crate::structure`]'s) but `两`, which
/// counts and never orders.
fn is_numeral_char(c: char) -> bool {
    c != '两' && crate::structure::is_han_numeral_char(c)
}

/// Whether `c` is one of [`ORDINAL_SUFFIXES`] (a `match` rather than a search of the string:
/// asked of every candidate of a lost character followed by another).
fn is_ordinal_suffix(c: char) -> bool {
    matches!(c, '编' | '章' | '节' | '条' | '款')
}

/// The value of the last `open` numeral `close` in `s` (`第五条`, `（二）`).
fn last_ordinal(s: &str, open: char, close: char) -> Option<u32> {
    let mut end = s.len();
    while let Some(at) = s[..end].rfind(close) {
        let head = s[..at].trim_end_matches(is_numeral_char);
        if head.ends_with(open) && head.len() < at {
            return crate::structure::parse_han_numeral(&s[head.len()..at]);
        }
        end = at;
    }
    None
}

/// Bracket pairs of Chinese text, for a lost closing bracket: the pairs [`closer_of`] knows,
/// kept as its test oracle.
#[cfg(test)]
const BRACKETS: &[(char, char)] = &[
    ('（', '）'),
    ('《', '》'),
    ('“', '”'),
    ('‘', '’'),
    ('〔', '〕'),
    ('【', '】'),
    ('「', '」'),
    ('『', '』'),
    ('〈', '〉'),
];

/// The closer of an opening bracket of [`BRACKETS`]; a `match`, asked of every character
/// of the line before each lost character.
fn closer_of(c: char) -> Option<char> {
    match c {
        '（' => Some('）'),
        '《' => Some('》'),
        '“' => Some('”'),
        '‘' => Some('’'),
        '〔' => Some('〕'),
        '【' => Some('】'),
        '「' => Some('」'),
        '『' => Some('』'),
        '〈' => Some('〉'),
        _ => None,
    }
}

/// Longest list item after a lost `、` (`收集、会商、研判`); a longer run after a lost mark
/// is a new sentence.
const MAX_LIST_ITEM: usize = 4;

/// The character of a whole line of page furniture ([`super::furniture::PHRASES`]) that the
/// line's lost characters can all be (`���在手机打开当前�` → `扫一扫在手机打开当前页`): the
/// line, whitespace aside, is the phrase with each lost character one of its candidates.
/// `line` is the text before the lost character on its line, `rest` the text after it, whose
/// `U+FFFD`s are the lost characters of `later`, in order.
fn phrase_in_line<'c>(
    candidates: &[char],
    line: &str,
    rest: &str,
    mut later: impl Iterator<Item = &'c [char]>,
) -> Option<char> {
    // Most lines are longer than any phrase: counted only that far.
    let max = super::furniture::MAX_PHRASE_CHARS;
    let visible = |s: &str| s.chars().filter(|c| !c.is_whitespace()).take(max).count();
    if visible(line) + 1 + visible(rest) > max {
        return None;
    }
    let before: Vec<char> = line.chars().filter(|c| !c.is_whitespace()).collect();
    let after: Vec<char> = rest.chars().filter(|c| !c.is_whitespace()).collect();
    let len = before.len() + 1 + after.len();
    let after_holes: Vec<&[char]> = (0..after.iter().filter(|&&c| c == '\u{FFFD}').count())
        .map_while(|_| later.next())
        .collect();
    super::furniture::PHRASES.iter().find_map(|phrase| {
        let p: Vec<char> = phrase.chars().collect();
        if p.len() != len || p[..before.len()] != before[..] {
            return None;
        }
        let c = p[before.len()];
        if !candidates.contains(&c) {
            return None;
        }
        let mut holes = after_holes.iter();
        let fits = p[before.len() + 1..]
            .iter()
            .zip(&after)
            .all(|(&want, &got)| {
                if got == '\u{FFFD}' {
                    holes.next().is_some_and(|h| h.contains(&want))
                } else {
                    want == got
                }
            });
        fits.then_some(c)
    })
}

/// A lost punctuation mark that the line itself shows, where the candidates hold it:
/// the closing bracket of the innermost bracket the line left open (`（一�加强` → `（一）`);
/// between `、` and `。`, a short run up to the next mark is a list item (`收集�会商、` →
/// `收集、会商、`) and a longer one a new sentence (`…回应。依托门户网站…`). `line` is the text
/// before the lost character on its line, `rest` the text after it.
fn punctuation_in_context<'c>(
    candidates: &[char],
    line: &str,
    rest: &str,
    mut later: impl Iterator<Item = &'c [char]>,
) -> Option<char> {
    // The closers still owed, innermost last; a lost character after the opener may have
    // been its closer, so then nothing is owed for sure.
    let mut open: Vec<Option<char>> = Vec::new();
    for c in line.chars() {
        if let Some(close) = closer_of(c) {
            open.push(Some(close));
        } else if c == '(' {
            open.push(Some('）'));
        } else if c == '\u{FFFD}' {
            if let Some(top) = open.last_mut() {
                *top = None;
            }
        } else if open
            .last()
            .is_some_and(|top| *top == Some(c) || (c == ')' && *top == Some('）')))
        {
            open.pop();
        }
    }
    if let Some(close) = open.last() {
        // Not where the line closes it later (`（2021�2025）`: `－`): as many closes of its
        // kind left open in the rest of the line as brackets of that kind are open here
        // (`（电话（0591�8765）`: the one `）` later closes the outer bracket).
        let closed_later = |close: char| {
            let depth = open.iter().filter(|o| **o == Some(close)).count();
            let (mut inner, mut unmatched) = (0usize, 0usize);
            for c in rest.chars().take_while(|&c| c != '\n') {
                if closer_of(c) == Some(close) {
                    inner += 1;
                } else if c == close {
                    match inner.checked_sub(1) {
                        Some(n) => inner = n,
                        None => unmatched += 1,
                    }
                }
            }
            unmatched >= depth
        };
        return close.filter(|&c| candidates.contains(&c) && !closed_later(c));
    }
    // A short label at the end of its cell or line ends in `：` (`发文机关�` in a metadata
    // table).
    let label = line.trim();
    if rest.trim().is_empty()
        && candidates.contains(&'：')
        && (2..=MAX_LABEL).contains(&label.chars().count())
        && label
            .chars()
            .all(|c| is_han(c) || c == ' ' || c == '\u{3000}' || c == '\u{FFFD}')
    {
        return Some('：');
    }
    // `二、` of a heading: the line so far is a numeral.
    let numeral = line.trim();
    if candidates.contains(&'、')
        && (1..=3).contains(&numeral.chars().count())
        && crate::structure::parse_han_numeral(numeral).is_some()
    {
        return Some('、');
    }
    if !(candidates.contains(&'、') && candidates.contains(&'。')) {
        return None;
    }
    // A run-in heading ends in `。`: `（一）加强政民互动�依托…`.
    if let Some(m) = crate::structure::parse_marker(line)
        && !line[m.len..].is_empty()
        && line[m.len..].chars().all(is_han)
    {
        return Some('。');
    }
    // The Han run after the mark; a lost character in it that cannot be a mark (its candidates
    // are all Han) is one of its characters (`评审�评�专家从…`: `审`).
    let item: String = rest
        .chars()
        .take_while(|&c| {
            is_han(c)
                || c == '\u{FFFD}' && later.next().is_some_and(|l| l.iter().all(|&c| is_han(c)))
        })
        .collect();
    let n = item.chars().count();
    match rest[item.len()..].chars().next() {
        _ if n == 0 => None,
        // Another item of the list follows: `收集�会商�研判、`.
        Some('、' | '\u{FFFD}') if n <= MAX_LIST_ITEM + 2 => Some('、'),
        Some('，' | '；' | '。') if n <= MAX_LIST_ITEM => Some('、'),
        // A new sentence: `…回应关切�依托门户网站“…`.
        _ if n >= MIN_SENTENCE && !item.contains('等') => Some('。'),
        _ => None,
    }
}

/// Longest metadata label (`信息公开目录编号`).
const MAX_LABEL: usize = 8;

/// Shortest run of Han characters after a lost mark read as a new sentence.
const MIN_SENTENCE: usize = 6;

/// Characters that follow a number, most likely first (`36号`, `2020年`, `3个`).
pub const AFTER_DIGIT: &str = "号年月日个件项次条元万亿人名家天批期届";

/// The item with the highest non-zero score, if exactly one has it.
fn unique_max(items: impl Iterator<Item = char>, score: impl Fn(char) -> u32) -> Option<char> {
    unique_best(items, score).map(|(c, _)| c)
}

/// [`unique_max`] with its score.
fn unique_best(
    items: impl Iterator<Item = char>,
    score: impl Fn(char) -> u32,
) -> Option<(char, u32)> {
    let mut best: Option<(u32, char)> = None;
    let mut tie = false;
    for c in items {
        let n = score(c);
        if n == 0 {
            continue;
        }
        match best {
            Some((m, _)) if m > n => {}
            Some((m, _)) if m == n => tie = true,
            _ => {
                best = Some((n, c));
                tie = false;
            }
        }
    }
    best.filter(|_| !tie).map(|(n, c)| (c, n))
}

/// A GB2312 level-1 hanzi (the 3,755 most common characters: GBK bytes B0A1–D7F9).
fn is_common(c: char) -> bool {
    gbk_bytes(c).is_some_and(|[a, b]| (0xB0..=0xD7).contains(&a) && b >= 0xA1)
}

/// The two GBK bytes of a non-ASCII character: the first double-byte code the decoder reads
/// as `c`, else the encoder's double-byte answer (other decoders, such as Python's, map a few
/// codes differently). Looked up in a table `build.rs` writes, because encoding_rs encodes GBK
/// hanzi by search, which is slow line after line, and building the table costs every worker
/// process millions of instructions.
fn gbk_bytes(c: char) -> Option<[u8; 2]> {
    // GBK's double-byte codes are all in the Basic Multilingual Plane, the table's extent.
    let bytes = *GBK_BYTES.as_chunks::<2>().0.get(c as usize)?;
    (bytes != [0, 0]).then_some(bytes)
}

/// GBK bytes of each Basic Multilingual Plane character, two per character, `00 00` for none.
/// Character pairs of real government pages and their counts (`scripts/bigrams.py`), 12 bytes
/// each, sorted by key (see `build.rs`).
static BIGRAMS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/bigrams.bin"));

/// The characters that begin (end) some pair of [`BIGRAMS`], one bit per Basic Multilingual
/// Plane character (see `build.rs`).
static BIGRAM_FIRSTS: &[u8; 0x1_0000 / 8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/bigram_firsts.bin"));
static BIGRAM_SECONDS: &[u8; 0x1_0000 / 8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/bigram_seconds.bin"));

/// Whether `c` may be in a pair of [`BIGRAMS`] by the bit set `set` (always, past the BMP).
fn may_pair(set: &[u8; 0x1_0000 / 8], c: char) -> bool {
    set.get(c as usize / 8)
        .is_none_or(|byte| byte & (1 << (c as usize % 8)) != 0)
}

/// How often real pages have `a` followed by `b` (0 when either is missing); every ASCII digit
/// counts as `0`.
pub(crate) fn corpus_pair(a: Option<char>, b: Option<char>) -> u32 {
    let (Some(a), Some(b)) = (a, b) else { return 0 };
    let digit_class = |c: char| if c.is_ascii_digit() { '0' } else { c };
    let (a, b) = (digit_class(a), digit_class(b));
    if !may_pair(BIGRAM_FIRSTS, a) || !may_pair(BIGRAM_SECONDS, b) {
        return 0;
    }
    let key = pair_key(a, b);
    let entry = |i: usize| {
        let e = &BIGRAMS[12 * i..12 * i + 12];
        let k = u64::from_le_bytes(e[..8].try_into().expect("8 bytes"));
        (k, u32::from_le_bytes(e[8..].try_into().expect("4 bytes")))
    };
    let (mut lo, mut hi) = (0, BIGRAMS.len() / 12);
    while lo < hi {
        let mid = (lo + hi) / 2;
        match entry(mid).0.cmp(&key) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return entry(mid).1,
        }
    }
    0
}

static GBK_BYTES: &[u8; 2 * 0x1_0000] = include_bytes!(concat!(env!("OUT_DIR"), "/gbk_bytes.bin"));

/// One bit per byte pair `x << 8 | y` (byte `pair / 8`, bit `pair % 8`): GBK maps the pair
/// to one real (not private-use) character.
static GBK_REAL_PAIRS: &[u8; 0x1_0000 / 8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/gbk_real_pairs.bin"));

/// GBK bytes of `s` into `out`, `U+FFFD` as [`HOLE`]; `false` when a character has no GBK
/// form.
fn encode_gbk(s: &str, out: &mut Vec<u8>) -> bool {
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c as u8);
        } else if c == '\u{FFFD}' {
            out.push(HOLE);
        } else if c == '€' {
            // WHATWG GBK decodes a lone 0x80 as the euro sign.
            out.push(0x80);
        } else if let Some(b) = gbk_bytes(c) {
            out.extend_from_slice(&b);
        } else {
            return false;
        }
    }
    true
}

/// Whether GBK maps the pair `(x, y)` to a real (not private-use) character, the way a strict
/// decoder sees it: both WHATWG's GBK and code page 936 (Python's `gbk`), see `build.rs`.
fn gbk_pair_valid(x: u8, y: u8) -> bool {
    let pair = usize::from(u16::from_be_bytes([x, y]));
    GBK_REAL_PAIRS[pair / 8] & (1 << (pair % 8)) != 0
}

/// One round of windows-1252/Latin-1 reversal.
fn unlatin(s: &str) -> Option<Reversal> {
    if s.is_ascii() || !s.chars().all(|c| latin_byte(c).is_some()) {
        return None;
    }
    // In raw HTML the no-break space U+00A0 (byte A0 of a character such as 栏, E6 A0 8F)
    // was written back as `&nbsp;`: read it as that byte where it completes a character.
    let mut bytes = Vec::with_capacity(s.len());
    let mut entity = Vec::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with(NBSP_ENTITY) {
            entity.push(bytes.len());
            bytes.push(0xA0);
            rest = &rest[NBSP_ENTITY.len()..];
            continue;
        }
        bytes.push(latin_byte(c)?);
        rest = &rest[c.len_utf8()..];
    }
    let mut text = String::with_capacity(bytes.len());
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            text.push(b as char);
            i += 1;
            continue;
        }
        let len = match b {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => 0,
        };
        if len > 0
            && let Some(seq) = bytes.get(i..i + len)
            && let Ok(ch) = std::str::from_utf8(seq)
        {
            text.push_str(ch);
            multibyte += 1;
            i += len;
            continue;
        }
        if entity.binary_search(&i).is_ok() {
            text.push_str(NBSP_ENTITY);
        } else {
            text.push('\u{FFFD}');
            invalid += 1;
        }
        i += 1;
    }
    if multibyte < 1 || invalid * 4 > multibyte {
        return None;
    }
    // Bytes the wrong decoder could not map are lost for good: nothing to choose from.
    let holes = text
        .match_indices('\u{FFFD}')
        .map(|(at, _)| (at, Vec::new()))
        .collect();
    Some(Reversal { text, holes })
}

/// How raw HTML writes a no-break space.
const NBSP_ENTITY: &str = "&nbsp;";

/// The byte windows-1252 (or, for its five undefined bytes, Latin-1) decodes to `c`.
fn latin_byte(c: char) -> Option<u8> {
    let u = c as u32;
    // Every windows-1252 character lies below U+2123 (`™`).
    if u > 0x2122 {
        return None;
    }
    if u < 0x80 || (0xA0..=0xFF).contains(&u) || matches!(u, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D) {
        return Some(u as u8);
    }
    WINDOWS_1252_HIGH
        .iter()
        .position(|&h| h == c)
        .map(|k| 0x80 + k as u8)
}

/// What windows-1252 decodes the bytes 0x80–0x9F to (U+FFFD for its five undefined bytes,
/// which [`latin_byte`] handles first).
static WINDOWS_1252_HIGH: std::sync::LazyLock<[char; 32]> = std::sync::LazyLock::new(|| {
    let mut out = ['\u{FFFD}'; 32];
    for (k, slot) in out.iter_mut().enumerate() {
        let byte = [0x80 + k as u8];
        let (text, _) = WINDOWS_1252.decode_without_bom_handling(&byte);
        if let Some(c) = text.chars().next()
            && !matches!(byte[0], 0x81 | 0x8D | 0x8F | 0x90 | 0x9D)
        {
            *slot = c;
        }
    }
    out
});

/// One round of GBK reversal.
fn ungbk(s: &str) -> Option<Reversal> {
    if s.is_ascii() || !gbk_prefix_plausible(s) {
        return None;
    }
    ungbk_with(s, false)
}

/// GBK reversal; `relaxed` accepts any well-formed result, however short (for a short run
/// inside text already known to be mojibake).
fn ungbk_with(s: &str, relaxed: bool) -> Option<Reversal> {
    let mut bytes = Vec::with_capacity(s.len());
    if !encode_gbk(s, &mut bytes) {
        return None;
    }
    let decoded = if bytes.len() > TALLY_FIRST_BYTES {
        // Decide from the counts alone, and build the text (with the candidates of every lost
        // character) only for a reversal that is kept: a long text that is not mojibake (a
        // whole page with clean text in it) fails, often early, at an invalid sequence.
        if !acceptable(&tally(&bytes)?, relaxed) {
            return None;
        }
        decode_with_holes(&bytes)
    } else {
        // A short run is usually mojibake once it got here: decoding it straight away spares
        // the second pass over its bytes.
        let decoded = decode_with_holes(&bytes);
        if decoded.invalid > 0 || !acceptable(&Tally::of(&decoded), relaxed) {
            return None;
        }
        decoded
    };
    Some(Reversal {
        text: decoded.text,
        holes: decoded.holes,
    })
}

/// Encoded texts longer than this are tallied before they are decoded.
const TALLY_FIRST_BYTES: usize = 512;

/// Whether a GBK reversal with these counts is kept; `relaxed` accepts any well-formed
/// result, however short.
fn acceptable(tally: &Tally, relaxed: bool) -> bool {
    let recovered = tally.multibyte;
    let lost = tally.lost - tally.repeats;
    let strict_fail = recovered < 2 || lost > 2 * recovered || tally.cjk * 2 < recovered;
    if (strict_fail && !relaxed) || recovered + tally.lost == 0 {
        return false;
    }
    // Rare characters (CJK Extension A, `䣩`) are what chance bytes make, not what a
    // government text says: a "reversal" made of them is not one (`杩涗）` → `进䣩`).
    tally.rare * MAX_RARE_SHARE <= recovered
}

impl Tally {
    /// The counts of a decoded text.
    fn of(decoded: &Decoded) -> Tally {
        Tally {
            multibyte: decoded.multibyte,
            cjk: decoded.cjk,
            rare: decoded
                .text
                .chars()
                .filter(|c| ('\u{3400}'..='\u{4DBF}').contains(c))
                .count(),
            lost: decoded.lost,
            repeats: decoded.repeats,
        }
    }
}

/// The counts [`decode_with_holes`] would make of `bytes`, without building its text; `None`
/// as soon as it would find a sequence that is not UTF-8 at all (its `invalid > 0`).
#[derive(Debug, Default, PartialEq, Eq)]
struct Tally {
    /// Multi-byte characters decoded intact.
    multibyte: usize,
    /// Of those, CJK characters.
    cjk: usize,
    /// Of those, rare (CJK Extension A) characters.
    rare: usize,
    /// Characters with a lost byte.
    lost: usize,
    /// Of those, the ones whose bytes repeat those of the lost character just before: the
    /// dots of a leader (`目录……1`, every `…` of which loses a byte) are one loss, not many.
    repeats: usize,
}

/// Whether the lost character at `at` follows the one at `previous` and has the same bytes.
fn repeats(bytes: &[u8], previous: &std::ops::Range<usize>, at: std::ops::Range<usize>) -> bool {
    previous.end == at.start && bytes[previous.clone()] == bytes[at]
}

fn tally(bytes: &[u8]) -> Option<Tally> {
    let mut t = Tally::default();
    let mut previous_lost = 0..0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] < 0x80 {
            i += 1;
            continue;
        }
        let (seq, next) = sequence_at(bytes, i);
        match seq {
            Seq::Ascii(_) => {}
            Seq::LostLead => t.lost += 1,
            Seq::Holed(len) => {
                t.lost += 1;
                if repeats(bytes, &previous_lost, i..i + len) {
                    t.repeats += 1;
                }
                previous_lost = i..i + len;
            }
            Seq::BadLead | Seq::Malformed => return None,
            Seq::Whole(len) => {
                // One whole sequence is one character when it is UTF-8 at all.
                let c = std::str::from_utf8(&bytes[i..i + len])
                    .ok()?
                    .chars()
                    .next()?;
                t.multibyte += 1;
                t.cjk += usize::from(is_cjk(c));
                // U+FFFD and ASCII, the decoder's other output, are never rare.
                t.rare += usize::from(('\u{3400}'..='\u{4DBF}').contains(&c));
            }
        }
        i = next;
    }
    Some(t)
}

/// A reversal may hold at most one rare (CJK Extension A) character in this many.
const MAX_RARE_SHARE: usize = 20;

/// A cheap look at the first characters: ordinary Chinese text re-encoded to GBK breaks UTF-8
/// within a few characters, so most lines are ruled out without encoding them whole.
///
/// Most ordinary text is ruled out by its first character alone (see
/// [`first_char_breaks_utf8`]); [`gbk_prefix_plausible_in_full`] is the definition.
fn gbk_prefix_plausible(s: &str) -> bool {
    !first_char_breaks_utf8(s) && gbk_prefix_plausible_in_full(s)
}

/// Whether the GBK bytes of the first character of `s` already make the prefix implausible,
/// whatever follows: its lead byte is a UTF-8 continuation byte (80–BF), which can never
/// start a sequence, or a two-byte UTF-8 lead (C2–DF) followed by a trail byte that cannot
/// continue it. The check in full trims only a sequence left incomplete at the end of the
/// prefix, and these two bytes are never one: a continuation byte is no lead, and a C2–DF
/// lead has both its bytes there. So the invalid sequence at the start is always seen.
fn first_char_breaks_utf8(s: &str) -> bool {
    let Some(c) = s.chars().next() else {
        return false;
    };
    if c.is_ascii() || c == '\u{FFFD}' || c == '€' {
        return false;
    }
    match gbk_bytes(c) {
        Some([0x80..=0xBF, _]) => true,
        Some([0xC2..=0xDF, trail]) => !(0x80..=0xBF).contains(&trail),
        _ => false,
    }
}

/// [`gbk_prefix_plausible`] by encoding up to twelve characters and checking them whole.
fn gbk_prefix_plausible_in_full(s: &str) -> bool {
    const PREFIX_CHARS: usize = 12;
    let mut buf = [0u8; PREFIX_CHARS * 2];
    let mut len = 0;
    for c in s.chars().take(PREFIX_CHARS) {
        let bytes: &[u8] = if c.is_ascii() {
            &[c as u8]
        } else if c == '\u{FFFD}' {
            &[HOLE]
        } else if c == '€' {
            &[0x80]
        } else if let Some(b) = gbk_bytes(c) {
            buf[len..len + 2].copy_from_slice(&b);
            len += 2;
            continue;
        } else {
            return false;
        };
        buf[len] = bytes[0];
        len += 1;
    }
    let buf = &buf[..len];
    // Leave out a sequence the end of the prefix cut short.
    let mut cut = buf.len();
    for back in 1..=buf.len().min(3) {
        let b = buf[buf.len() - back];
        if b < 0x80 {
            break;
        }
        if b >= 0xC0 && b != HOLE {
            let need = match b {
                0xF0.. => 4,
                0xE0.. => 3,
                _ => 2,
            };
            if back < need {
                cut = buf.len() - back;
            }
            break;
        }
    }
    !has_invalid(&buf[..cut])
}

/// Whether [`decode_with_holes`] would find a byte sequence that is not UTF-8 at all in
/// `bytes` (its `invalid > 0`), without building the text.
fn has_invalid(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        let (seq, next) = sequence_at(bytes, i);
        match seq {
            Seq::BadLead | Seq::Malformed => return true,
            Seq::Whole(len) if std::str::from_utf8(&bytes[i..i + len]).is_err() => return true,
            _ => {}
        }
        i = next;
    }
    false
}

/// One step of reading UTF-8 where [`HOLE`] stands for a lost byte.
enum Seq {
    Ascii(u8),
    /// The lead byte was lost; its continuation bytes are skipped.
    LostLead,
    /// A byte that cannot start a sequence.
    BadLead,
    /// A lead byte whose sequence is cut short or broken.
    Malformed,
    /// A sequence of this length with a lost byte inside.
    Holed(usize),
    /// A complete sequence of this length (still to be checked as UTF-8).
    Whole(usize),
}

/// The sequence at `bytes[i]` and where the next one starts.
fn sequence_at(bytes: &[u8], i: usize) -> (Seq, usize) {
    let b = bytes[i];
    let len = match b {
        0x00..=0x7F => return (Seq::Ascii(b), i + 1),
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        HOLE => {
            let mut j = i + 1;
            while j < bytes.len() && j < i + 4 && matches!(bytes[j], 0x80..=0xBF | HOLE) {
                j += 1;
            }
            return (Seq::LostLead, j);
        }
        _ => return (Seq::BadLead, i + 1),
    };
    let seq = &bytes[i..(i + len).min(bytes.len())];
    if seq.len() < len || seq[1..].iter().any(|&c| !matches!(c, 0x80..=0xBF | HOLE)) {
        (Seq::Malformed, i + 1)
    } else if seq.contains(&HOLE) {
        (Seq::Holed(len), i + len)
    } else {
        (Seq::Whole(len), i + len)
    }
}

struct Decoded {
    text: String,
    /// Multi-byte characters decoded intact.
    multibyte: usize,
    /// Of those, CJK characters.
    cjk: usize,
    /// Characters with a lost byte, written as `U+FFFD`.
    lost: usize,
    /// Of those, the ones that repeat the bytes of the lost character just before (see
    /// [`Tally::repeats`]).
    repeats: usize,
    /// Byte sequences that are not UTF-8 at all.
    invalid: usize,
    /// Where each lost character's `U+FFFD` is in `text`, with what it could have been.
    holes: Vec<(usize, Vec<char>)>,
}

/// Decode UTF-8 where [`HOLE`] stands for one unknown byte: a sequence with a hole becomes one
/// `U+FFFD` and keeps the alignment of what follows.
fn decode_with_holes(bytes: &[u8]) -> Decoded {
    let mut out = Decoded {
        text: String::with_capacity(bytes.len()),
        multibyte: 0,
        cjk: 0,
        lost: 0,
        repeats: 0,
        invalid: 0,
        holes: Vec::new(),
    };
    let mut previous_lost = 0..0;
    let mut i = 0;
    while i < bytes.len() {
        let (seq, next) = sequence_at(bytes, i);
        match seq {
            Seq::Ascii(b) => out.text.push(b as char),
            Seq::LostLead => {
                out.holes.push((out.text.len(), Vec::new()));
                out.text.push('\u{FFFD}');
                out.lost += 1;
            }
            Seq::BadLead => {
                out.invalid += 1;
                out.holes.push((out.text.len(), Vec::new()));
                out.text.push('\u{FFFD}');
            }
            Seq::Malformed => {
                out.invalid += 1;
                out.text.push('\u{FFFD}');
            }
            Seq::Holed(len) => {
                out.lost += 1;
                if repeats(bytes, &previous_lost, i..i + len) {
                    out.repeats += 1;
                }
                previous_lost = i..i + len;
                out.holes.push((
                    out.text.len(),
                    candidates(&bytes[i..i + len], bytes.get(i + len).copied()),
                ));
                out.text.push('\u{FFFD}');
            }
            Seq::Whole(len) => match std::str::from_utf8(&bytes[i..i + len]) {
                Ok(ch) => {
                    out.multibyte += 1;
                    if ch.chars().all(is_cjk) {
                        out.cjk += 1;
                    }
                    out.text.push_str(ch);
                }
                Err(_) => {
                    out.invalid += 1;
                    out.text.push('\u{FFFD}');
                }
            },
        }
        i = next;
    }
    out
}

/// The characters a sequence with one lost continuation byte could have been. The lost byte
/// `x` was read by the wrong decoder as the lead of a pair with the byte after it, `y`, and
/// that pair failed (which is why it was lost); `y` is the next byte of the sequence or, for
/// the last byte, the byte after the sequence.
///
/// Computed from the ranges UTF-8 allows at each position rather than by trying all 64
/// bytes: [`candidates_by_trial`], kept as its test oracle, is the definition.
fn candidates(seq: &[u8], after: Option<u8>) -> Vec<char> {
    let mut holes = (0..seq.len()).filter(|&k| seq[k] == HOLE);
    let k = match (holes.next(), holes.next(), holes.next()) {
        (Some(k), None, _) => k,
        (Some(k), Some(k2), None) if k2 == k + 1 => return candidates_two_lost(seq, k, after),
        _ => return Vec::new(),
    };
    let Some(base) = known_bits(seq, k..k + 1) else {
        return Vec::new();
    };
    let shift = 6 * (seq.len() - 1 - k);
    // The bytes `x` as a set, bit `x - 0x80`: those UTF-8 allows here, less those whose pair
    // with the byte after the wrong decoder would have read (and so not lost).
    let mut bits = unread_before(allowed_at(seq[0], k), seq.get(k + 1).copied().or(after));
    let mut out = Vec::with_capacity(bits.count_ones() as usize);
    while bits != 0 {
        // `x & 0x3F` is `x - 0x80`, the bit's number.
        let low = bits.trailing_zeros();
        bits &= bits - 1;
        // Always a char: the ranges above exclude surrogates, overlong forms and values past
        // U+10FFFF.
        if let Some(c) = char::from_u32(base | (low << shift)) {
            out.push(c);
        }
    }
    out
}

/// The characters a sequence could have been whose continuation bytes at `k` and `k + 1` were
/// both lost: a decoder that takes `0x80` for no lead at all (Python's `gbk`) loses it and
/// then the byte after, when that one makes no pair with the next byte either (`。`, E3 80 82,
/// before `<` reads `銆��` — E3 survives in `銆`). By the same rule as [`candidates`], each
/// lost byte `x` made no character with the byte the decoder read after it. Found by trial:
/// sequences lose two bytes rarely.
fn candidates_two_lost(seq: &[u8], k: usize, after: Option<u8>) -> Vec<char> {
    let Some(base) = known_bits(seq, k..k + 2) else {
        return Vec::new();
    };
    let (shift1, shift2) = (6 * (seq.len() - 1 - k), 6 * (seq.len() - 2 - k));
    // The second lost byte made no character with the byte after it.
    let second = unread_before(allowed_at(seq[0], k + 1), seq.get(k + 2).copied().or(after));
    let mut out = Vec::new();
    let mut first = allowed_at(seq[0], k);
    while first != 0 {
        let x1 = first.trailing_zeros();
        first &= first - 1;
        // The first lost byte made no character with the second.
        let mut pairs = second & LOST_BEFORE[x1 as usize];
        while pairs != 0 {
            let x2 = pairs.trailing_zeros();
            pairs &= pairs - 1;
            if let Some(c) = char::from_u32(base | (x1 << shift1) | (x2 << shift2)) {
                out.push(c);
            }
        }
    }
    out
}

/// The code point of a UTF-8 sequence whose bytes in `lost` (continuation bytes) are unknown,
/// with zero bits for them; `None` when the lead announces another length or a known byte is
/// not what UTF-8 allows there (a lost or impossible lead: no byte in 80–BF makes the sequence
/// UTF-8).
fn known_bits(seq: &[u8], lost: std::ops::Range<usize>) -> Option<u32> {
    let lead = seq[0];
    let len = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    if lost.start == 0 || lost.end > len || seq.len() != len {
        return None;
    }
    let mut base = u32::from(lead) & (0x7F >> len);
    for (j, &b) in seq.iter().enumerate().skip(1) {
        let bits = if lost.contains(&j) {
            0
        } else if (0x80..=0xBF).contains(&b) && allowed_at(lead, j) & (1 << (b - 0x80)) != 0 {
            b & 0x3F
        } else {
            return None;
        };
        base = (base << 6) | u32::from(bits);
    }
    Some(base)
}

/// The bytes UTF-8 allows at position `j` of a sequence led by `lead`, as a set (bit
/// `x - 0x80`): RFC 3629, the rule `str::from_utf8` applies, which narrows the second byte
/// after E0, ED, F0 and F4. The ranges exclude surrogates, overlong forms and values past
/// U+10FFFF.
fn allowed_at(lead: u8, j: usize) -> u64 {
    let (lo, hi) = match (j, lead) {
        (1, 0xE0) => (0xA0u8, 0xBFu8),
        (1, 0xED) => (0x80, 0x9F),
        (1, 0xF0) => (0x90, 0xBF),
        (1, 0xF4) => (0x80, 0x8F),
        _ => (0x80, 0xBF),
    };
    (u64::MAX >> (63 - (hi - 0x80))) & (u64::MAX << (lo - 0x80))
}

/// `bytes` (a set, bit `x - 0x80`) less those a strict GBK decoder reads as a pair with
/// `next` (and so would not have lost); `0x80` leads no pair. A lost or unknown `next` takes
/// nothing away.
fn unread_before(mut bytes: u64, next: Option<u8>) -> u64 {
    if let Some(y) = next.filter(|&y| y != HOLE) {
        for x in 0x81..=0xBFu8 {
            if gbk_pair_valid(x, y) {
                bytes &= !(1 << (x - 0x80));
            }
        }
    }
    bytes
}

/// For each continuation byte `x` (index `x - 0x80`), the continuation bytes `y` (bit
/// `y - 0x80`) that a strict GBK decoder does not read as a pair after it, so that it loses
/// `x`: all of them after `0x80`, which leads no pair.
static LOST_BEFORE: LazyLock<[u64; 64]> = LazyLock::new(|| {
    let mut table = [0u64; 64];
    for (i, mask) in table.iter_mut().enumerate() {
        let x = 0x80 + i as u8;
        for y in 0x80..=0xBFu8 {
            if x == 0x80 || !gbk_pair_valid(x, y) {
                *mask |= 1 << (y - 0x80);
            }
        }
    }
    table
});

/// [`candidates_two_lost`] by trial: the definition, and its test oracle.
#[cfg(test)]
fn candidates_two_lost_by_trial(seq: &[u8], k: usize, after: Option<u8>) -> Vec<char> {
    if k == 0 {
        return Vec::new();
    }
    let y = seq.get(k + 2).copied().or(after).filter(|&y| y != HOLE);
    let lost = |x: u8, next: Option<u8>| x == 0x80 || next.is_none_or(|n| !gbk_pair_valid(x, n));
    let mut out = Vec::new();
    let mut buf = [0u8; 4];
    buf[..seq.len()].copy_from_slice(seq);
    for x1 in 0x80..=0xBFu8 {
        for x2 in 0x80..=0xBFu8 {
            if !lost(x1, Some(x2)) || !lost(x2, y) {
                continue;
            }
            buf[k] = x1;
            buf[k + 1] = x2;
            if let Some(c) = std::str::from_utf8(&buf[..seq.len()])
                .ok()
                .and_then(|s| s.chars().next())
            {
                out.push(c);
            }
        }
    }
    out
}

/// [`candidates`] by trying every continuation byte for the lost one: the definition, and
/// the test oracle of the range arithmetic.
#[cfg(test)]
fn candidates_by_trial(seq: &[u8], after: Option<u8>) -> Vec<char> {
    let holes: Vec<usize> = (0..seq.len()).filter(|&k| seq[k] == HOLE).collect();
    let k = match holes[..] {
        [k] => k,
        [k, k2] if k2 == k + 1 => return candidates_two_lost_by_trial(seq, k, after),
        _ => return Vec::new(),
    };
    let y = seq.get(k + 1).copied().or(after);
    let mut out = Vec::with_capacity(64);
    let mut buf = [0u8; 4];
    for x in 0x80..=0xBFu8 {
        if y.is_some_and(|y| y != HOLE && x != 0x80 && gbk_pair_valid(x, y)) {
            continue;
        }
        buf[..seq.len()].copy_from_slice(seq);
        buf[k] = x;
        if let Some(c) = std::str::from_utf8(&buf[..seq.len()])
            .ok()
            .and_then(|s| s.chars().next())
        {
            out.push(c);
        }
    }
    out
}

/// The `mojibake` rule: reverses mojibake line by line and warns when a reversal was lossy.
pub struct Mojibake;

impl Rule for Mojibake {
    fn name(&self) -> &'static str {
        "mojibake"
    }

    fn apply(&self, lines: &mut Lines, cx: &mut Context) {
        // Reverse every line first, so that lost characters are chosen by what the whole
        // document shows intact.
        let mut found: Vec<(usize, Reversal)> = Vec::new();
        for idx in 0..lines.len() {
            let text = &lines.get(idx).text;
            if !text.is_ascii()
                && let Some(rev) = reverse(text)
            {
                found.push((idx, rev));
            }
        }
        if found.is_empty() {
            return;
        }
        let mut freq = Frequencies::default();
        if found.iter().any(|(_, r)| !r.holes.is_empty()) {
            let mut k = 0;
            for idx in 0..lines.len() {
                if found.get(k).is_some_and(|(i, _)| *i == idx) {
                    freq.add(&found[k].1.text);
                    k += 1;
                } else {
                    freq.add(&lines.get(idx).text);
                }
            }
        }
        let (mut guessed, mut lost) = (0, 0);
        for (idx, rev) in found {
            let (fixed, g, l) = rev.resolve(&freq);
            guessed += g;
            lost += l;
            lines.rewrite(idx, &fixed, self.name());
        }
        if guessed + lost > 0 {
            cx.warnings.push(format!(
                "mojibake reversed with loss: {guessed} characters inferred from the rest of the \
                 document, {lost} could not be recovered (U+FFFD)"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    const LINE_PIECES: [&str; 14] = [
        "<p>",
        "</div>",
        "<span class=x>",
        "</span>",
        "\n",
        "文",
        "a",
        "<",
        ">",
        "/",
        "p",
        "<br/>",
        "<td",
        "\u{FFFD}",
    ];

    proptest::proptest! {
        #[test]
        fn the_line_before_kept_up_to_date_is_the_line_before(
            picks in proptest::collection::vec(0..LINE_PIECES.len(), 0..30)
        ) {
            let mut text = String::new();
            let mut kept = LineBefore::default();
            for k in picks {
                text.push_str(LINE_PIECES[k]);
                let expected = visible_line_before(&text);
                proptest::prop_assert_eq!(kept.of(&text).0, expected.as_str(), "{:?}", text);
            }
        }
    }

    use encoding_rs::GBK;

    use super::*;

    /// [`choose`] with no words around the lost character: the document's and real pages'
    /// evidence alone.
    fn choose_on_pairs(
        candidates: &[char],
        before: Option<char>,
        after: Option<char>,
        freq: &Frequencies,
    ) -> Option<char> {
        choose(candidates, before, after, freq, &Words::default())
    }

    fn as_gbk_mojibake(s: &str) -> String {
        // What a scraper does: UTF-8 bytes decoded as GBK (encoding_rs maps every pair).
        GBK.decode_without_bom_handling(s.as_bytes()).0.into_owned()
    }

    fn as_latin_mojibake(s: &str) -> String {
        WINDOWS_1252
            .decode_without_bom_handling(s.as_bytes())
            .0
            .into_owned()
    }

    /// UTF-8 text as Python's `gbk` decoder garbles it (`errors="replace"`): a byte pair it
    /// cannot map loses its first byte to one U+FFFD.
    mod python_gbk {
        pub const LEADER: &str = "涓\u{FFFD}銆侀儴闂ㄤ富瑕佽亴鑳解\u{FFFD}︹\u{FFFD}︹\u{FFFD}︹\u{FFFD}︹\u{FFFD}︹\u{FFFD}︹\u{FFFD}︹\u{FFFD}\u{FFFD}1\n浜屻\u{FFFD}侀儴闂ㄦ満鏋勮\u{FFFD}剧疆";
        pub const CHAPTERS: &str = "<p>绗\u{FFFD}涓冪珷 鐩戠潱妫\u{FFFD}鏌\u{FFFD}</p><p>绗\u{FFFD}鍏\u{FFFD}</span><span>绔\u{FFFD} 淇濋殰鎺\u{FFFD}鏂\u{FFFD}</p>";
        pub const FULL_STOP_BEFORE_YEAR: &str = "浠栨搮闀胯姳楦熴\u{FFFD}佸北姘达紝鍏兼补鐢汇\u{FFFD}\u{FFFD}1960骞磋繘鍏ョ編闄\u{FFFD}";
        pub const DOCUMENT_NUMBER: &str = "鏍规嵁銆婂浗鍔￠櫌鍔炲叕鍘呭叧浜庢柦琛岀殑鎰忚\u{FFFD}併\u{FFFD}嬶紙鍥藉姙鍙戙\u{FFFD}\u{FFFD}2008銆\u{FFFD}36鍙凤級瑕佹眰";
        /// `同时废止。`: `止` (`E6 AD A2`) before `。` (`E3 80 82`) leaves the pair `A2 E3`,
        /// which code page 936 does not map (GB18030 reads `€`).
        pub const REPEALED: &str = "鍚屾椂搴熸\u{FFFD}\u{FFFD}銆\u{FFFD}</span></p>";
        pub const SCAN_ON_MOBILE: &str = "<p>鎵\u{FFFD}涓\u{FFFD}鎵\u{FFFD}鍦ㄦ墜鏈烘墦寮\u{FFFD}褰撳墠椤\u{FFFD}</p><p>鍏抽棴绐楀彛</p>";
        pub const AS_FOLLOWS: &str =
            "<p>鐜板皢涓昏\u{FFFD}佸伐浣滄儏鍐垫\u{FFFD}荤粨濡備笅锛\u{FFFD}</p>";
        pub const TAKES_EFFECT: &str = "<p>鏈\u{FFFD}鍔炴硶鑷\u{FFFD}2014骞\u{FFFD}1鏈\u{FFFD}1鏃ヨ捣鏂借\u{FFFD}屻\u{FFFD}\u{FFFD}</p>";
        /// `――《江城子》`: every `―` (`E2 80 95`) lost its `80`.
        pub const DASHES: &str = "<p>鍗佸勾鐢熸\u{FFFD}讳袱鑼\u{FFFD}鑼\u{FFFD}锛岃嚜闅惧繕銆傗\u{FFFD}曗\u{FFFD}曘\u{FFFD}婃睙鍩庡瓙銆\u{FFFD}</p>";
        pub const RANGE: &str = "<p>绗\u{FFFD}涓\u{FFFD}涓\u{FFFD}闃舵\u{FFFD}碉紝1956鈥\u{FFFD}1976骞达紝鍩轰簬绗﹀彿閫昏緫</p>";
        pub const OPENING_QUOTE: &str =
            "<p>鏋勫缓浜嗏\u{FFFD}\u{FFFD}4+6+4鈥濆彂灞曟牸灞\u{FFFD}</p>";
        pub const SERIAL_WITHOUT_HAO: &str =
            "<p>锛堥椊锛塋S銆\u{FFFD}2025銆\u{FFFD}00021 鏋楁辰</p>";
        pub const SIGN_UP_TIME: &str =
            "<p>鎶ュ悕鏃堕棿锛\u{FFFD}2024骞\u{FFFD}3鏈\u{FFFD}7鏃\u{FFFD}</p>";
        pub const SALUTATION: &str = "<p>鍚勭墖鍖虹\u{FFFD}＄悊灞\u{FFFD}锛屽尯鐩村悇鍗曚綅锛\u{FFFD}</p><p>涓鸿繘涓\u{FFFD}姝ヨ\u{FFFD}勮寖绠＄悊锛岀幇灏嗘湁鍏充簨椤归\u{FFFD}氱煡濡備笅銆\u{FFFD}</p>";
        pub const HOURS: &str = "<p>宸ヤ綔鏃ワ紱</p><p>涓嬪崍15:00-18:00锛\u{FFFD}</p>";
        pub const ANNIVERSARIES: &str =
            "<p>濡傦細寤哄厷70銆\u{FFFD}90鍛ㄥ勾绾\u{FFFD}蹇电敾灞\u{FFFD}</p>";
        pub const DATED_SENTENCE: &str = "<p>鏄\u{FFFD}鍥藉姟闄㈤噸澶ф按鍒╁伐绋嬩箣涓\u{FFFD}銆\u{FFFD}10鏈\u{FFFD}15鏃ワ紝鍦ㄩ噾绉\u{FFFD}涓捐\u{FFFD}\u{FFFD}</p>";
        pub const COUNTED_MARKER: &str = "<p>婊炵暀鍦ㄤ埂闀囪储鏀挎墍銆\u{FFFD}</p><p>锛\u{FFFD}2锛\u{FFFD}2涓\u{FFFD}鍘匡紙甯傘\u{FFFD}佸尯锛夌殑鐩稿叧璧勯噾</p>";
        pub const CREDIT_CODE: &str = "<p>7.澶\u{FFFD}鍘熸亽杈剧幆澧冪\u{FFFD}戞妧鏈夐檺鍏\u{FFFD}鍙革紙缁熶竴绀句細淇＄敤浠ｇ爜锛\u{FFFD}91210100XK2N0QLDBY锛\u{FFFD}</p>";
        pub const FIRST_REVIEW: &str = "鑷\u{FFFD}鐒惰祫婧愪富绠￠儴闂ㄥ簲褰撹嚜鏀跺埌鐢宠\u{FFFD}锋潗鏂欎箣鏃ヨ捣瀹屾垚鍒濆\u{FFFD}°\u{FFFD}傛湭缁忔壒鍑嗕笉寰楄皟鏁\u{FFFD}";
    }

    #[test]
    fn a_leader_of_lost_dots_is_mojibake_and_comes_back_as_dots() {
        // Every `…` of the leader lost a byte: counted as one loss, the line is mojibake.
        let (fixed, lossy) = fix_mojibake(python_gbk::LEADER).expect("mojibake");
        assert!(lossy);
        assert!(fixed.contains("、部门主要职能……………"), "{fixed}");
        assert!(fixed.ends_with("1\n二、部门机构设置"), "{fixed}");
    }

    #[test]
    fn a_lost_mark_its_neighbours_show_comes_back() {
        let (fixed, _) = fix_mojibake(python_gbk::DASHES).expect("mojibake");
        assert!(fixed.contains("自难忘。――《江城子》"), "{fixed}");
        let (fixed, _) = fix_mojibake(python_gbk::RANGE).expect("mojibake");
        assert!(fixed.contains("1956—1976年"), "{fixed}");
        let (fixed, _) = fix_mojibake(python_gbk::OPENING_QUOTE).expect("mojibake");
        assert!(fixed.contains("构建了“4+6+4”"), "{fixed}");
        let dashes = ['—', '―', '┄'];
        // The leader beside it, a range between numbers, a quotation closed later.
        assert_eq!(mark_between(&dashes, Some('―'), None, "", ""), Some('―'));
        assert_eq!(
            mark_between(&['…', '┆'], None, Some('…'), "", ""),
            Some('…')
        );
        assert_eq!(
            mark_between(&dashes, Some('日'), Some('1'), "", "12日"),
            Some('—')
        );
        assert_eq!(
            mark_between(&['“', '”'], Some('了'), Some('4'), "构建了", "4+6+4”格局"),
            Some('“')
        );
        // Not a leader the candidates lack, nor a dash beside a word, nor an opening mark
        // inside a quotation or before one that opens first.
        assert_eq!(mark_between(&['┄'], Some('―'), None, "", ""), None);
        assert_eq!(
            mark_between(&dashes, Some('年'), Some('至'), "", "至今"),
            None
        );
        assert_eq!(
            mark_between(&['“', '”'], Some('了'), Some('4'), "“构建了", "4+6+4”格局"),
            None
        );
        assert_eq!(
            mark_between(&['“', '”'], Some('了'), Some('4'), "构建了", "4“6”格局"),
            None
        );
        // A bracket the line closes soon after; not before a list item's number, a document
        // number's year, or a close far off.
        let fullwidth = ['（', '）', '，', '：'];
        let plan = "2018～2020年）的通知";
        assert_eq!(
            mark_between(&fullwidth, Some('划'), Some('2'), "行动计划", plan),
            Some('（')
        );
        assert_eq!(
            mark_between(&fullwidth, Some('面'), Some('1'), "两方面", "1）2022年光伏"),
            None
        );
        let notice = ['〔', '〕', '《', '》', '。'];
        let rest = "2016\u{FFFD}41号）和福建省《实施意见》";
        assert_eq!(
            mark_between(&notice, Some('发'), Some('2'), "（国发", rest),
            None
        );
        let far = "1-5月光伏装机同比增长较快，行业景气度持续回升，整体（详见附表）";
        assert_eq!(
            mark_between(&fullwidth, Some('涨'), Some('1'), "高涨", far),
            None
        );
    }

    #[test]
    fn a_lost_character_is_the_closer_of_the_brackets_the_line_does_not_close_later() {
        let fullwidth = ['）', '－', '，'];
        let later = std::iter::empty();
        assert_eq!(
            punctuation_in_context(&fullwidth, "规划（2021", "2025）》，下", later),
            None
        );
        // Closed, or closing only the outer bracket (`（咨询电话（0591�8765）`).
        for (line, rest) in [
            ("规划（2021—2025", "》，下"),
            ("（咨询电话（0591", "87654321）"),
        ] {
            let later = std::iter::empty();
            assert_eq!(
                punctuation_in_context(&fullwidth, line, rest, later),
                Some('）'),
                "{line}"
            );
        }
    }

    #[test]
    fn the_brackets_of_a_year_before_a_serial_without_its_hao() {
        let marks = ['〔', '〕', '。', '、', '《', '》'];
        assert_eq!(
            year_bracket(&marks, "府办专督", "2020\u{FFFD}24来文", true),
            Some('〔')
        );
        assert_eq!(year_bracket(&marks, "LS", "2025〕00021", false), Some('〔'));
        assert_eq!(
            year_bracket(&marks, "府办专督〔2020", "24来文", false),
            Some('〕')
        );
        // A year that goes on as a date or a title, or a next lost character that cannot
        // close it.
        assert_eq!(
            year_bracket(&marks, "回院", "2011\u{FFFD}3月1日", true),
            None
        );
        assert_eq!(
            year_bracket(&marks, "发布的", "2018\u{FFFD}国智能", true),
            None
        );
        assert_eq!(
            year_bracket(&marks, "府办专督", "2020\u{FFFD}24来文", false),
            None
        );
        assert_eq!(year_bracket(&marks, "截至〔2020", "年底", false), None);
        assert_eq!(
            year_bracket(&['。', '、'], "府办专督", "2020〕24", true),
            None
        );
        let (fixed, _) = fix_mojibake(python_gbk::SERIAL_WITHOUT_HAO).expect("mojibake");
        assert!(fixed.contains("LS〔2025〕00021"), "{fixed}");
    }

    #[test]
    fn no_bracket_in_a_list_of_years_nor_a_range_before_a_quotation() {
        let marks = ['〔', '〕', '。', '、', '《', '》'];
        // `我市2019、2020、2021连续三年`, `在2018、2019、2020三个年度`.
        assert_eq!(
            year_bracket(&marks, "我市2019", "2020\u{FFFD}2021连续三年", true),
            None
        );
        assert_eq!(
            year_bracket(&marks, "我市", "2019\u{FFFD}2020、2021连续", true),
            None
        );
        // A quotation the line closes opens after a date, rather than a range.
        let dashes = ['—', '“', '”', '…'];
        assert_eq!(
            mark_between(&dashes, Some('日'), Some('1'), "6月10日", "12345”热线"),
            Some('“')
        );
    }

    #[test]
    fn a_full_width_mark_lost_at_the_end_of_a_line_is_a_colon_or_the_semicolon_before() {
        let forms = ['，', '：', '；', '！', '？', '（', '）'];
        assert_eq!(line_end_mark(&forms, "区直各单位", "", None), Some('：'));
        assert_eq!(
            line_end_mark(&forms, "下午15:00-18:00", "", Some('；')),
            Some('；')
        );
        // Not inside a line, not a lone character, not where the full stop may be it.
        assert_eq!(line_end_mark(&forms, "区直各单位", "为进一步", None), None);
        assert_eq!(line_end_mark(&forms, " ", "", None), None);
        assert_eq!(
            line_end_mark(&['。', '、', '：'], "区直各单位", "", None),
            None
        );
        // A list item, a bracket left open. (A lead-in's colon is `lead_in_colon`'s.)
        assert_eq!(
            line_end_mark(&forms, "1.具有独立承担民事责任的能力", "", Some('：')),
            Some('；')
        );
        assert_eq!(
            line_end_mark(&forms, "（三）审核把关（9月上旬至10月上旬", "", None),
            Some('）')
        );
        let (fixed, _) = fix_mojibake(python_gbk::SALUTATION).expect("mojibake");
        assert!(
            fixed.starts_with("<p>各片区管理局，区直各单位：</p>"),
            "{fixed}"
        );
        let (fixed, _) = fix_mojibake(python_gbk::HOURS).expect("mojibake");
        assert!(fixed.ends_with("<p>下午15:00-18:00；</p>"), "{fixed}");
        // The line before, as the kept line sees it.
        let mut kept = LineBefore::default();
        let text = "<p>夏令时；</p>\n<p>冬令时";
        assert_eq!(kept.of(text), ("冬令时", Some('；')));
    }

    #[test]
    fn before_a_number_a_lost_mark_lists_numbers_or_ends_the_sentence_before_a_date() {
        let marks = ['、', '。', '〔', '〕'];
        assert_eq!(
            mark_before_number(&marks, Some('0'), "建党70", "90周年"),
            Some('、')
        );
        assert_eq!(
            mark_before_number(&marks, Some('藏'), "收藏", "2010年在国家会议中心"),
            Some('。')
        );
        assert_eq!(
            mark_before_number(&marks, Some('一'), "之一", "10月15日，在金秀"),
            Some('。')
        );
        // Not counts, dates going on as a list, document numbers, or without both marks.
        assert_eq!(
            mark_before_number(&marks, Some('住'), "同住", "6个枢纽"),
            None
        );
        assert_eq!(
            mark_before_number(&marks, Some('于'), "定于", "6月10日、11日"),
            None
        );
        assert_eq!(
            mark_before_number(&marks, Some('管'), "综实管", "2011\u{FFFD}16号"),
            None
        );
        assert_eq!(
            mark_before_number(&['、', '，'], Some('0'), "70", "90周年"),
            None
        );
        let (fixed, _) = fix_mojibake(python_gbk::ANNIVERSARIES).expect("mojibake");
        assert!(fixed.contains("建党70、90周年"), "{fixed}");
        let (fixed, _) = fix_mojibake(python_gbk::DATED_SENTENCE).expect("mojibake");
        assert!(fixed.contains("工程之一。10月15日"), "{fixed}");
    }

    #[test]
    fn a_lost_bracket_that_opens_a_line_before_a_numeral_opens_its_marker() {
        let forms = ['（', '，', '：'];
        assert_eq!(marker_opening(&forms, "", "2\u{FFFD}2个县"), Some('（'));
        assert_eq!(marker_opening(&forms, " ", "十二）加强领导"), Some('（'));
        // Not inside a line, nor before a number that is no marker.
        assert_eq!(marker_opening(&forms, "共", "2\u{FFFD}2个县"), None);
        assert_eq!(marker_opening(&forms, "", "2024年"), None);
        assert_eq!(marker_opening(&forms, "", "一是加强"), None);
        assert_eq!(marker_opening(&['，', '：'], "", "2\u{FFFD}"), None);
        let (fixed, _) = fix_mojibake(python_gbk::COUNTED_MARKER).expect("mojibake");
        assert!(fixed.contains("<p>（2）2个县"), "{fixed}");
    }

    #[test]
    fn a_lost_mark_after_a_label_is_its_colon() {
        // A label that opens its line, before its value; not after other words, inside a
        // sentence, before a mark, or without the colon among the candidates.
        let marks = ['，', '：', '；', '。'];
        for (candidates, line, rest, expected) in [
            (&marks[..], "报名时间", "2024年3月7日", Some('：')),
            (&marks, "附件", "1.知识竞答工作方案", Some('：')),
            (&marks, "目前", "全市已建成", None),
            (&marks, "会议确定了召开时间", "地点另行通知", None),
            (&marks, "报名时间", "（另行通知）", None),
            (&['，', '；'], "报名时间", "2024年", None),
        ] {
            assert_eq!(label_colon(candidates, line, rest), expected, "{line}");
        }
        let (fixed, _) = fix_mojibake(python_gbk::SIGN_UP_TIME).expect("mojibake");
        assert!(fixed.starts_with("<p>报名时间：2024年"), "{fixed}");
        // The label of a code or number inside a line, before five or more letters and
        // digits; not a short number, other words, or without the colon.
        let forms = ['）', '，', '：'];
        let code = "有限公司（统一社会信用代码";
        for (candidates, line, rest, expected) in [
            (&forms[..], code, "91210100XK2N0QLDBY", Some('：')),
            (&forms, "联系电话", "05912316313", Some('：')),
            (&forms, "联系电话", "0591-23163133", None),
            (&forms, "电话", "3部", None),
            (&forms, "有限公司", "91210100XK", None),
            (&['）', '，'], code, "91210100XK", None),
        ] {
            assert_eq!(value_colon(candidates, line, rest), expected, "{line}");
        }
        let (fixed, _) = fix_mojibake(python_gbk::CREDIT_CODE).expect("mojibake");
        assert!(
            fixed.contains("（统一社会信用代码：91210100XK2N0QLDBY）"),
            "{fixed}"
        );
    }

    #[test]
    fn a_lost_mark_after_a_lead_in_at_the_end_of_its_line_is_its_colon() {
        assert_eq!(
            lead_in_colon(&['，', '：', '。'], "现将主要工作情况总结如下", ""),
            Some('：')
        );
        let forms = ['，', '：', '；', '！', '？', '（', '）'];
        assert_eq!(lead_in_colon(&forms, "其职责包括", ""), Some('：'));
        assert_eq!(lead_in_colon(&forms, "（一）申请条件包括", ""), Some('：'));
        // Not inside a sentence, nor after other words.
        assert_eq!(
            lead_in_colon(&['，', '：'], "情况如下", "一是加强领导"),
            None
        );
        assert_eq!(lead_in_colon(&['，', '：'], "总结经验", ""), None);
        let (fixed, _) = fix_mojibake(python_gbk::AS_FOLLOWS).expect("mojibake");
        assert!(fixed.contains("总结如下：</p>"), "{fixed}");
    }

    #[test]
    fn a_lost_character_before_the_date_a_rule_takes_effect_is_from() {
        let rest = "2013年12月23日起施行，有效期4年。";
        assert_eq!(effective_from(&['至', '自', '臭'], rest), Some('自'));
        // The date's characters and the last of `施行` lost too.
        let lossy = "2013\u{FFFD}12\u{FFFD}23日起施\u{FFFD},";
        assert_eq!(effective_from(&['至', '自'], lossy), Some('自'));
        assert_eq!(
            effective_from(&['至', '自'], "印发之日起实施。"),
            Some('自')
        );
        // A period up to a date is `至`'s.
        assert_eq!(effective_from(&['至', '自'], "2013年12月23日止。"), None);
        assert_eq!(effective_from(&['至', '臭'], rest), None);
        let (fixed, _) = fix_mojibake(python_gbk::TAKES_EFFECT).expect("mojibake");
        assert!(fixed.contains("办法自2014年1月1日起施"), "{fixed}");
    }

    #[test]
    fn a_byte_lost_before_a_pair_only_gb18030_maps_is_still_a_candidate() {
        let (fixed, _) = fix_mojibake(python_gbk::REPEALED).expect("mojibake");
        assert_eq!(fixed, "同时废止。</span></p>");
    }

    #[test]
    fn a_line_of_furniture_is_read_whole_where_its_lost_characters_fit() {
        let (fixed, _) = fix_mojibake(python_gbk::SCAN_ON_MOBILE).expect("mojibake");
        assert_eq!(fixed, "<p>扫一扫在手机打开当前页</p><p>关闭窗口</p>");
        // Only a whole line: the same characters in running text are left to the rest.
        assert_eq!(
            phrase_in_line(
                &['扫', '所'],
                "请",
                "一扫在手机打开当前页",
                std::iter::empty()
            ),
            None
        );
        assert_eq!(
            phrase_in_line(
                &['扫', '所'],
                "",
                "一\u{FFFD}在手机打开当前页",
                [&['扫', '所'][..]].into_iter()
            ),
            Some('扫')
        );
    }

    #[test]
    fn a_lost_numeral_is_read_past_the_markup_before_its_lost_suffix() {
        // `第八章`'s numeral and suffix both lost, with a tag between them.
        let (fixed, _) = fix_mojibake(python_gbk::CHAPTERS).expect("mojibake");
        assert!(fixed.contains("第七章 监督检查"), "{fixed}");
        assert!(fixed.contains("第八</span><span>章 保障措施"), "{fixed}");
    }

    #[test]
    fn a_lost_mark_before_a_number_is_the_one_real_pages_write_there() {
        let (fixed, _) = fix_mojibake(python_gbk::FULL_STOP_BEFORE_YEAR).expect("mojibake");
        assert!(fixed.contains("兼油画。1960年"), "{fixed}");
        // A document number's brackets are left to the `docnum` rule.
        let (fixed, _) = fix_mojibake(python_gbk::DOCUMENT_NUMBER).expect("mojibake");
        assert!(
            !fixed.contains("发。2008") && !fixed.contains("2008。36"),
            "{fixed}"
        );
        assert!(in_document_number("（国办发", "2008\u{FFFD}36号）"));
        assert!(in_document_number("（国办发〔2008", "36\u{FFFD}）"));
        assert!(!in_document_number("兼油画", "1960年进入"));
        assert!(!in_document_number("共有", "2008人参加"));
    }

    #[test]
    fn the_words_of_general_chinese_choose_a_lost_character() {
        let (fixed, _) = fix_mojibake(python_gbk::FIRST_REVIEW).expect("mojibake");
        assert!(fixed.contains("完成初审。未经批准"), "{fixed}");
        let chars = |s: &str| s.chars().collect::<Vec<char>>();
        // The document's pairs say `划` (`规划，` twice); the words say `协调机制`, far likelier.
        let freq = Frequencies::of("规划，规划，");
        let words = Words {
            before: chars("协调机"),
            after: vec![],
            next_lost: None,
        };
        assert_eq!(
            choose(&['划', '制'], Some('机'), Some('，'), &freq, &words),
            Some('制')
        );
        assert_eq!(
            choose_on_pairs(&['划', '制'], Some('机'), Some('，'), &freq),
            Some('划'),
            "without the words, the document's pairs decide"
        );
        // With the character after lost too, the pair of both is weighed (`保障措施`).
        let words = Words {
            before: chars("保障"),
            after: vec![],
            next_lost: Some(&['斀', '施', '料', '文']),
        };
        assert_eq!(words.best(&['掀', '措', '掫']).map(|(c, _)| c), Some('措'));
    }

    proptest::proptest! {
        #[test]
        fn weighing_fewer_characters_next_gives_the_same_answer(
            before in proptest::collection::vec(proptest::sample::select(WORD_CHARS), 0..=WORDS_CONTEXT),
            after in proptest::collection::vec(proptest::sample::select(WORD_CHARS), 0..=WORDS_CONTEXT),
            candidates in proptest::collection::vec(proptest::sample::select(WORD_CHARS), 1..6),
            next in proptest::option::of(proptest::collection::vec(proptest::sample::select(WORD_CHARS), 1..8)),
        ) {
            let words = Words { before, after, next_lost: next.as_deref() };
            let pruned = words.best_weighing(&candidates, true);
            let every = words.best_weighing(&candidates, false);
            proptest::prop_assert_eq!(pruned.map(|b| b.0), every.map(|b| b.0));
            if let (Some((_, a)), Some((_, b))) = (pruned, every) {
                proptest::prop_assert!((a - b).abs() < 1e-9);
            }
        }
    }

    /// Characters that make many words with each other, a mark, and a rare character.
    const WORD_CHARS: &[char] = &[
        '中', '华', '人', '民', '政', '府', '公', '开', '信', '息', '工', '作', '审', '计', '措',
        '施', '保', '障', '初', '分', '的', '。', '㡂',
    ];

    #[test]
    fn a_lost_mark_among_characters_chinese_never_writes_is_that_mark() {
        // `。` (E3 80 82) with its middle byte lost: the others are CJK Extension A.
        let candidates = ['。', '㡂', '㢂', '㣂', '㤂', '㥂', '㦂', '㧂'];
        let freq = Frequencies::default();
        let words = Words::default();
        assert_eq!(
            choose(&candidates, Some('务'), Some('现'), &freq, &words),
            Some('。')
        );
        // Not when a hanzi of GB2312 is among them.
        assert_ne!(
            choose(&['。', '审'], Some('务'), Some('现'), &freq, &words),
            Some('。')
        );
    }

    #[test]
    fn a_full_stop_that_lost_both_continuation_bytes_is_restored() {
        // Python's `gbk` decoder loses 0x80 and then 0x82 before `<`: `。` (E3 80 82) leaves
        // E3 in `ㄣ` and two U+FFFD.
        let page = "<p>鐧昏\u{FFFD}版満鏋勫紑灞曠洃鐫ｅ拰璇勪环绛夋椿鍔ㄣ\u{FFFD}\u{FFFD}</p>";
        let (fixed, lossy) = fix_mojibake(page).unwrap();
        assert!(lossy);
        assert!(fixed.ends_with("监督和评价等活动。</p>"), "{fixed}");
        let open = candidates_two_lost(&[0xE3, HOLE, HOLE], 1, Some(b'<'));
        assert!(open.contains(&'。') && open.contains(&'、'));
        // B0 A1 is a GBK character (啊): the decoder would have kept the two bytes, so
        // U+3C21 (E3 B0 A1) is no candidate.
        assert!(!open.contains(&'\u{3C21}'));
    }

    #[test]
    fn the_only_candidate_written_intact_elsewhere_is_chosen() {
        // `、` lost between 施 and 监 could also be seven CJK Extension A ideographs; the
        // page writes `、` intact after 织.
        let page = "<p>缁勭粐銆佸疄鏂姐\u{FFFD}佺洃鐫ｅ拰璇勪环绛夋椿鍔ㄣ\u{FFFD}\u{FFFD}</p>";
        let (fixed, _) = fix_mojibake(page).unwrap();
        assert_eq!(fixed, "<p>组织、实施、监督和评价等活动。</p>");
    }

    #[test]
    fn dense_gbk_tables_agree_with_the_decoder() {
        use encoding_rs::DecoderResult;
        let cp936_unmapped: Vec<u16> = include_str!("../../data/cp936-unmapped.txt")
            .lines()
            .filter_map(|l| u16::from_str_radix(l.split('#').next()?.trim(), 16).ok())
            .collect();
        assert_eq!(cp936_unmapped.len(), 81);
        let mut first: std::collections::HashMap<char, [u8; 2]> = Default::default();
        for lead in 0x80..=0xFEu8 {
            for trail in 0..=0xFEu8 {
                let mut out = [0u16; 4];
                let (result, _, written) = GBK
                    .new_decoder_without_bom_handling()
                    .decode_to_utf16_without_replacement(&[lead, trail], &mut out, true);
                let decoded = matches!(result, DecoderResult::InputEmpty) && written == 1;
                // Code page 936 (Python's `gbk`) leaves a few of them unmapped: a strict
                // decoder of either loses the lead.
                let cp936 = !cp936_unmapped.contains(&u16::from_be_bytes([lead, trail]));
                let real = decoded && !(0xE000..=0xF8FF).contains(&out[0]) && cp936;
                assert_eq!(gbk_pair_valid(lead, trail), real, "{lead:02X} {trail:02X}");
                if decoded && let Some(c) = char::from_u32(u32::from(out[0])) {
                    first.entry(c).or_insert([lead, trail]);
                }
            }
        }
        for (c, bytes) in first {
            assert_eq!(gbk_bytes(c), Some(bytes), "{c}");
        }
        assert_eq!(gbk_bytes('\u{A0}'), None);
        assert_eq!(gbk_bytes('😀'), None);
    }

    #[test]
    fn gbk_bytes_of_characters_the_decoder_never_yields_are_the_encoders() {
        let mut encoder_only = 0;
        for c in (0..=0xFFFF).filter_map(char::from_u32) {
            let text = c.to_string();
            let (bytes, _, had_errors) = GBK.encode(&text);
            let encoded = (!had_errors && bytes.len() == 2).then(|| [bytes[0], bytes[1]]);
            match gbk_bytes(c) {
                // The decoder's code, checked by `dense_gbk_tables_agree_with_the_decoder`.
                Some(b) if GBK.decode_without_bom_handling(&b).0 == text => {}
                found => {
                    assert_eq!(found, encoded, "U+{:04X}", c as u32);
                    encoder_only += usize::from(found.is_some());
                }
            }
        }
        assert!(encoder_only > 0);
    }

    #[test]
    fn latin_bytes_agree_with_the_encoder() {
        for u in 0..=0x2200u32 {
            let Some(c) = char::from_u32(u) else { continue };
            let mut buf = [0u8; 4];
            let (bytes, _, had_errors) = WINDOWS_1252.encode(c.encode_utf8(&mut buf));
            let expected = if u < 0x80
                || (0xA0..=0xFF).contains(&u)
                || matches!(u, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D)
            {
                Some(u as u8)
            } else {
                (!had_errors && bytes.len() == 1).then(|| bytes[0])
            };
            assert_eq!(latin_byte(c), expected, "U+{u:04X}");
        }
    }

    proptest::proptest! {
        #[test]
        fn invalid_check_agrees_with_the_decoder(bytes in proptest::collection::vec(
            proptest::sample::select(vec![0x41u8, 0x80, 0x8F, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE5,
                0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFE, HOLE]), 0..12)) {
            proptest::prop_assert_eq!(has_invalid(&bytes), decode_with_holes(&bytes).invalid > 0);
        }
    }

    /// Bytes that exercise every branch of UTF-8 reading with holes.
    const SEQ_BYTES: [u8; 20] = [
        0x41, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE5, 0xED, 0xEF, 0xF0,
        0xF3, 0xF4, 0xF5, 0xFE, HOLE,
    ];

    proptest::proptest! {
        #[test]
        fn tally_counts_what_the_decoder_counts(bytes in proptest::collection::vec(
            proptest::sample::select(SEQ_BYTES.to_vec()), 0..16)) {
            let decoded = decode_with_holes(&bytes);
            let expected = (decoded.invalid == 0).then(|| Tally::of(&decoded));
            proptest::prop_assert_eq!(tally(&bytes), expected);
        }

        #[test]
        fn candidates_by_range_are_the_candidates_by_trial(
            lead in proptest::sample::select(vec![0xC2u8, 0xDF, 0xE0, 0xE5, 0xED, 0xEF, 0xF0,
                0xF3, 0xF4]),
            rest in proptest::collection::vec(
                proptest::sample::select(SEQ_BYTES.to_vec()), 3),
            hole in 0..5usize,
            after in proptest::option::of(proptest::sample::select(SEQ_BYTES.to_vec())),
        ) {
            // Shaped as `sequence_at` hands them over: a lead byte and as many bytes as it
            // announces, one of them (or none, or the lead) lost.
            let len = match lead {
                0xC2..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            let mut seq = vec![lead];
            seq.extend_from_slice(&rest[..len - 1]);
            if hole < len {
                seq[hole] = HOLE;
            }
            proptest::prop_assert_eq!(candidates(&seq, after), candidates_by_trial(&seq, after));
        }

        #[test]
        fn candidates_of_every_real_continuation_agree(
            lead in 0xC2..=0xF4u8, b1 in 0x80..=0xBFu8, b2 in 0x80..=0xBFu8,
            hole in 1..4usize, after in proptest::option::of(proptest::num::u8::ANY),
        ) {
            let len = match lead { 0xC2..=0xDF => 2, 0xE0..=0xEF => 3, _ => 4 };
            let mut seq = vec![lead, b1, b2, 0x80][..len].to_vec();
            seq[hole.min(len - 1)] = HOLE;
            proptest::prop_assert_eq!(candidates(&seq, after), candidates_by_trial(&seq, after));
        }

        #[test]
        fn the_line_after_in_one_pass_is_the_line_after(
            picks in proptest::collection::vec(0..LINE_PIECES.len(), 0..120)
        ) {
            let text: String = picks.into_iter().map(|k| LINE_PIECES[k]).collect();
            for (start, _) in text.char_indices().take(12) {
                let s = &text[start..];
                proptest::prop_assert_eq!(visible_line_after(s), visible_line_after_by_search(s));
            }
        }

        #[test]
        fn strip_tags_by_piece_is_strip_tags_by_char(
            picks in proptest::collection::vec(0..LINE_PIECES.len(), 0..30),
            max in proptest::sample::select(vec![0usize, 1, 2, 3, 5, 64, usize::MAX]),
        ) {
            let text: String = picks.into_iter().map(|k| LINE_PIECES[k]).collect();
            proptest::prop_assert_eq!(strip_tags(&text, max), strip_tags_by_char(&text, max));
        }
    }

    proptest::proptest! {
        #[test]
        fn non_ascii_characters_are_counted_by_words(
            picks in proptest::collection::vec(0..LINE_PIECES.len(), 0..40)
        ) {
            let text: String = picks.into_iter().map(|k| LINE_PIECES[k]).collect();
            for start in 0..text.len().min(9) {
                if let Some(s) = text.get(start..) {
                    proptest::prop_assert_eq!(
                        non_ascii_chars(s),
                        s.chars().filter(|c| !c.is_ascii()).count()
                    );
                }
            }
        }
    }

    #[test]
    fn the_line_after_in_one_pass_is_cut_where_the_search_cuts_it() {
        let long = "文".repeat(90);
        for s in [
            format!("{long}<p>x"),
            format!("ab<span>{long}</span>\n{long}"),
            format!("a{long}"),
            format!("ab{long}"),
            format!("<b title=\"<p>\">{long}"),
            format!("x>y<i>{long}"),
            format!("{}<td>", "a".repeat(300)),
        ] {
            assert_eq!(
                visible_line_after(&s),
                visible_line_after_by_search(&s),
                "{s}"
            );
            assert_eq!(
                strip_tags(&s, MAX_CONTEXT),
                strip_tags_by_char(&s, MAX_CONTEXT),
                "{s}"
            );
        }
        // A limit of nothing still keeps the first character, as the oracle does.
        for s in ["\n", "文<p>", "<b>ab"] {
            assert_eq!(strip_tags(s, 0), strip_tags_by_char(s, 0), "{s}");
        }
    }

    proptest::proptest! {
        #[test]
        fn is_mojibake_is_whether_reverse_reverses(
            picks in proptest::collection::vec(0..12usize, 0..60),
            long in proptest::bool::ANY,
        ) {
            let pieces = [
                as_gbk_mojibake("关于政务公开工作的通知"),
                as_gbk_mojibake("第一条"),
                as_latin_mojibake("关于政务公开"),
                as_latin_mojibake(&as_latin_mojibake("年度报告")),
                as_gbk_mojibake("号"),
                "关于政务公开工作".to_string(),
                "<p class=\"仿宋\">".to_string(),
                "</span>".to_string(),
                "abc 12 ".to_string(),
                "鍏\u{FFFD}寮\u{FFFD}".to_string(),
                "Café".to_string(),
                "\n".to_string(),
            ];
            let mut text: String = picks.iter().map(|&k| pieces[k].as_str()).collect();
            if long {
                // Past RUNS_MIN_BYTES, where text without markup is tried run by run too.
                let filler = text.clone();
                while !filler.is_empty() && text.len() <= RUNS_MIN_BYTES {
                    text.push(' ');
                    text.push_str(&filler);
                }
            }
            proptest::prop_assert_eq!(is_mojibake(&text), reverse(&text).is_some(), "{:?}", text);
        }
    }

    proptest::proptest! {
        #[test]
        fn the_first_character_shortcut_never_changes_plausibility(
            chars in proptest::collection::vec(
                proptest::prop_oneof![
                    0x4E00..0x9FA6u32,
                    0x3000..0x3020u32,
                    proptest::sample::select(vec![0x41u32, 0x20, 0x3C, 0xFFFD, 0x20AC, 0xB7, 0xE9]),
                ],
                1..16,
            )
        ) {
            let s: String = chars.into_iter().filter_map(char::from_u32).collect();
            if first_char_breaks_utf8(&s) {
                proptest::prop_assert!(!gbk_prefix_plausible_in_full(&s), "{:?}", s);
            }
        }
    }

    #[test]
    fn the_first_character_shortcut_holds_for_every_character_alone_and_followed() {
        for c in (0x80..=0xFFFF).filter_map(char::from_u32) {
            for follow in ["", "a", "鍏", "\u{FFFD}", "文文文文文文"] {
                let s = format!("{c}{follow}");
                if first_char_breaks_utf8(&s) {
                    assert!(!gbk_prefix_plausible_in_full(&s), "{s:?}");
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn every_cjk_character_of_a_counted_pair_is_counted(
            picks in proptest::collection::vec(0..LINE_PIECES.len(), 0..40)
        ) {
            let text: String = picks.into_iter().map(|k| LINE_PIECES[k]).collect();
            let freq = Frequencies::of(&format!("{text}公开。\n“加强”{text}"));
            for &key in freq.pairs.keys() {
                for c in [key >> 32, key & 0xFFFF_FFFF].into_iter().filter_map(|u| char::from_u32(u as u32)) {
                    proptest::prop_assert!(!is_cjk(c) || freq.char(c) > 0, "{:?}", c);
                }
            }
        }
    }

    #[test]
    fn character_classes_by_match_agree_with_their_lists() {
        for c in (0..=0xFFFF).filter_map(char::from_u32) {
            let bracket = BRACKETS
                .iter()
                .find(|(o, _)| *o == c)
                .map(|(_, close)| *close);
            assert_eq!(closer_of(c), bracket, "{c}");
            assert_eq!(is_ordinal_suffix(c), ORDINAL_SUFFIXES.contains(c), "{c}");
            assert_eq!(
                is_numeral_char(c),
                "一二三四五六七八九十百千零〇".contains(c),
                "{c}"
            );
        }
    }

    #[test]
    fn latin1_mojibake_is_reversed_exactly() {
        assert_eq!(fix_mojibake("å…³äºŽ"), Some(("关于".to_string(), false)));
        let s = "关于做好2021年政务公开工作的通知（国办发〔2021〕12号）";
        assert_eq!(
            fix_mojibake(&as_latin_mojibake(s)),
            Some((s.to_string(), false))
        );
    }

    #[test]
    fn gbk_mojibake_is_reversed_exactly_where_no_byte_was_lost() {
        assert_eq!(fix_mojibake("鍏充簬"), Some(("关于".to_string(), false)));
        let s = "各市审计局：现将有关事项通知如下。";
        let m = as_gbk_mojibake(s);
        if !m.contains('\u{FFFD}') {
            assert_eq!(fix_mojibake(&m), Some((s.to_string(), false)));
        }
    }

    #[test]
    fn gbk_mojibake_with_lost_bytes_is_lossy_but_keeps_alignment() {
        // 公开工作 as UTF-8 read by a strict GBK decoder: 鍏�寮�宸ヤ綔. `开` pairs with `工` on
        // real pages; of the candidates before it, only `公` makes a word with `开`. Guessed,
        // so still lossy.
        let (fixed, lossy) = fix_mojibake("鍏�寮�宸ヤ綔").unwrap();
        assert!(lossy);
        assert_eq!(fixed, "公开工作");
        let (fixed, lossy) = fix_mojibake("鏀垮姟鍏�寮�宸ヤ綔鎬荤粨").unwrap();
        assert!(lossy);
        assert_eq!(fixed, "政务公开工作总结");
    }

    #[test]
    fn latin1_mojibake_in_raw_html_keeps_its_nbsp_entities() {
        // 栏 is E6 A0 8F: its A0 came back as &nbsp; when the page was written.
        let page = "<li>ä¸“é¢˜ä¸“æ&nbsp;\u{8f}</li>&nbsp;<p>x</p>";
        assert_eq!(
            fix_mojibake(page),
            Some(("<li>专题专栏</li>&nbsp;<p>x</p>".to_string(), false))
        );
    }

    #[test]
    fn mojibake_between_clean_markup_is_reversed_run_by_run() {
        let page = format!(
            "<p style=\"font-family:仿宋_GB2312\">{}</p>\n<p style=\"font-family:仿宋\">{}</p>",
            as_latin_mojibake("第一条 为了规范不动产登记资料查询工作"),
            as_latin_mojibake("第二条 本办法适用于全市行政区域")
        );
        assert_eq!(
            fix_mojibake(&page).map(|(t, _)| t),
            Some(
                "<p style=\"font-family:仿宋_GB2312\">第一条 为了规范不动产登记资料查询工作</p>\n<p style=\"font-family:仿宋\">第二条 本办法适用于全市行政区域</p>"
                    .to_string()
            )
        );
    }

    #[test]
    fn short_lossy_runs_between_tags_are_reversed_once_the_text_is_mojibake() {
        // 号 (E5 8F B7) alone in its span lost its last byte: 鍙 + U+FFFD.
        let page = "<p>鏀垮姟鍏\u{FFFD}寮\u{FFFD}宸ヤ綔</p><span>36</span><span>鍙\u{FFFD}</span><p>宸ヤ綔鎬荤粨</p>";
        let (fixed, lossy) = fix_mojibake(page).unwrap();
        assert!(lossy);
        assert!(fixed.starts_with("<p>政务"), "{fixed}");
        assert!(fixed.contains("<span>36</span><span>号</span>"), "{fixed}");
        assert!(fixed.ends_with("<p>工作总结</p>"), "{fixed}");
    }

    #[test]
    fn double_encoding_is_reversed() {
        let s = "政务公开工作年度报告";
        let twice = as_latin_mojibake(&as_latin_mojibake(s));
        assert_eq!(fix_mojibake(&twice), Some((s.to_string(), false)));
        let mixed = as_latin_mojibake("鍏充簬");
        assert_eq!(fix_mojibake(&mixed), Some(("关于".to_string(), false)));
    }

    #[test]
    fn a_line_is_recognised_whatever_its_length_and_alignment() {
        let s = "一、加强政策解读和回应关切，提升公开实效。现将有关情况报告如下";
        for n in 0..s.chars().count() - 4 {
            let part: String = s.chars().skip(n).collect();
            let m = as_gbk_mojibake(&part);
            assert!(reverse(&m).is_some(), "{part} {m}");
        }
    }

    #[test]
    fn ordinary_text_is_not_mojibake() {
        for s in [
            "关于政务公开",
            "国办发〔2020〕17号",
            "Café au lait",
            "ASCII only",
            "二〇〇八年三月五日",
            "鍏", // a lone rare character is not evidence
            "项目\t2015年预算数\t增减率（%）",
            "é",
        ] {
            assert_eq!(fix_mojibake(s), None, "{s}");
        }
    }

    #[test]
    fn rule_records_the_change_and_warns_when_lossy() {
        let mut lines = Lines::new(vec![super::super::Line {
            text: "鏀垮姟鍏�寮�".into(),
            kind: crate::document::BlockKind::Paragraph,
        }]);
        let mut cx = Context::default();
        Mojibake.apply(&mut lines, &mut cx);
        let (out, repairs) = lines.finish();
        // Both lost characters are guessed (`务公`, `公开` on real pages), with a warning.
        assert_eq!(out[0].text, "政务公开");
        assert_eq!(repairs.len(), 1);
        assert_eq!(repairs[0].rule, "mojibake");
        assert_eq!(cx.warnings.len(), 1);
    }

    #[test]
    fn lost_marks_are_read_from_their_line() {
        let marks: &[char] = &['、', '。', '〃', '《', '》', '〔', '〕', '】', '」'];
        let label_marks: &[char] = &['，', '：', '；', '）'];
        let cases: &[(&[char], &str, &str, Option<char>)] = &[
            // The closer of the innermost open bracket.
            (marks, "根据《关于加强管理的通知", "要求", Some('》')),
            (marks, "财预〔2011", "416号", Some('〕')),
            // Not when a lost character after the opener may have been its closer.
            (marks, "《意见\u{FFFD}（财预〔2011〕416号", "有关", None),
            // `二、` of a heading, a run-in heading's `。`, list items and new sentences.
            (marks, "二", "严格依申请公开办理", Some('、')),
            (
                marks,
                "（一）加强政民互动",
                "依托门户网站“厅长信箱”",
                Some('。'),
            ),
            (
                marks,
                "健全政务舆情收集",
                "会商\u{FFFD}研判、回应",
                Some('、'),
            ),
            (marks, "研判、回应", "评估机制，明确专人负责", Some('、')),
            (
                marks,
                "切实提高可读性",
                "厅长做客在线访谈栏目，",
                Some('。'),
            ),
            // Nothing decides: a short run before an opening bracket, a list closed by `等`.
            (marks, "做好回应", "按照《通知》要求", None),
            (marks, "登记", "归档等工作流程，", None),
            // A label at the end of its cell.
            (label_marks, "发文机关", "", Some('：')),
            (label_marks, "发文机关", "福建省水利厅", None),
            // Only candidates are chosen.
            (&['个', '中'], "根据《通知", "要求", None),
        ];
        for &(candidates, line, rest, expected) in cases {
            assert_eq!(
                punctuation_in_context(candidates, line, rest, std::iter::empty()),
                expected,
                "{line}|{rest}"
            );
        }
    }

    #[test]
    fn without_evidence_in_the_document_a_common_word_decides() {
        let freq = Frequencies::of("加强加强加强");
        assert_eq!(
            choose_on_pairs(&['开', '强', '弄'], Some('公'), Some('内'), &freq),
            Some('开')
        );
        assert_eq!(
            choose_on_pairs(&['开', '强', '弄'], Some('x'), None, &freq),
            Some('强')
        );
    }

    #[test]
    fn a_lost_han_character_after_a_lost_mark_belongs_to_the_next_sentence() {
        let marks: &[char] = &['、', '。', '〃', '《', '》'];
        let han: &[char] = &['审', '宠', '实'];
        let (line, rest) = (
            "组织专家进行评审",
            "评\u{FFFD}专家从专家库中随机抽取,与申请单位",
        );
        // `审` was lost in `评审专家`: the next run is a sentence, not a list item.
        assert_eq!(
            punctuation_in_context(marks, line, rest, [han].into_iter()),
            Some('。')
        );
        // A lost mark there instead: `评` is a short item of a list.
        assert_eq!(
            punctuation_in_context(marks, line, rest, [marks].into_iter()),
            Some('、')
        );
    }

    #[test]
    fn then_the_pairs_of_real_pages_decide_among_han_candidates() {
        // Pairs every real page has and the table must hold, digits as one class.
        assert!(corpus_pair(Some('机'), Some('制')) > 0);
        assert_eq!(
            corpus_pair(Some('率'), Some('7')),
            corpus_pair(Some('率'), Some('0'))
        );
        assert!(corpus_pair(Some('率'), Some('1')) > 0);
        assert_eq!(corpus_pair(Some('制'), None), 0);
        // The document writes `现` intact and never `率`: its counts alone would pick `现`.
        let freq = Frequencies::of("现将情况报告如下。现场");
        assert_eq!(
            choose_on_pairs(&['现', '率'], Some('结'), Some('1'), &freq),
            Some('率')
        );
        assert_eq!(
            choose_on_pairs(&['划', '制'], Some('机'), Some('，'), &freq),
            Some('制')
        );
        // Marks are not weighed by the table (a document number's bracket after `发`).
        let freq = Frequencies::default();
        assert_eq!(
            choose_on_pairs(&['、', '〔'], Some('发'), Some('2'), &freq),
            None
        );
    }

    #[test]
    fn a_lost_ordinal_numeral_follows_the_one_before() {
        let cands = ['一', '个', '中', '三', '七'];
        assert_eq!(
            numeral_in_sequence(&cands, "", "第", "章 总则", None),
            Some('一')
        );
        assert_eq!(
            numeral_in_sequence(
                &['六', '公', '兰'],
                "第五条 …。\n",
                "第",
                "条 登记机构",
                None
            ),
            Some('六')
        );
        assert_eq!(
            numeral_in_sequence(&cands, "第十二条 …\n", "第十", "条 实施", None),
            Some('三')
        );
        // `（�）` after `（二）` in the same line.
        assert_eq!(
            numeral_in_sequence(
                &cands,
                "",
                "下列材料：（一）申请书；（二）方案；（",
                "）相关证明",
                None
            ),
            Some('三')
        );
        // The suffix itself lost: the next lost character's only possible suffix.
        assert_eq!(
            numeral_in_sequence(&cands, "", "第", "\u{FFFD} 总则", Some(&['竟', '章', '站'])),
            Some('一')
        );
        assert_eq!(
            numeral_in_sequence(&cands, "", "第", "\u{FFFD} 总则", Some(&['竟', '站'])),
            None
        );
        // The expected numeral is not among the candidates.
        assert_eq!(
            numeral_in_sequence(&['个', '中'], "", "第", "章", None),
            None
        );
        assert_eq!(numeral_in_sequence(&cands, "", "今年", "章", None), None);
    }
}

//! Paragraph-level repairs: broken paragraphs are joined (`paragraph_join`) and a lost
//! sentence-final `。` is restored (`sentence_period`).
//!
//! Both rules classify each line first ([`Class`]): headings (a marker, a damaged marker
//! `）…`, or a heading block), table rows, date lines (`2021年3月5日`, `二〇〇八年三月五日`),
//! salutations and lead-ins ending in `：`, signatures (a short line without punctuation ending
//! in an organisation word: `安徽省审计厅`) and `label：value` lines (`地址：南京市北京西路63号`).
//!
//! A line that stops mid-sentence is told from a line that lost its `。` by the join itself:
//! it is joined to the next line when it ends in a comma or an opening bracket, when the next
//! line starts with punctuation that cannot open a paragraph, when its last character cannot
//! end a sentence (`的`, `和`, …), when the next line's first character cannot start one, or
//! when the two characters across the break form a pair that the document uses elsewhere
//! (`人|员`, `安|全`): a word cut in two.

use rustc_hash::FxHashSet as HashSet;
use std::sync::LazyLock;

use regex_lite::Regex;

use super::text::{first_char, is_cjk_punct, is_han, last_char};
use super::{Context, Line, Lines, Rule};
use crate::document::BlockKind;
use crate::structure::parse_marker;

/// Characters a sentence does not end on.
pub const NO_END: &str =
    "的和及与或在对为将把被向从由以于并而且之其是但因如若按据经给让使暨即所第各每该本";

/// Characters a paragraph does not start with.
pub const NO_START: &str = "的了们者";

/// Punctuation that cannot open a paragraph (it continues the previous one).
pub const CONTINUING_PUNCT: &str = "，。、；：？！）》」』〕】”’…—,.;:?!)";

/// Punctuation a broken line can end on.
pub const OPEN_END_PUNCT: &str = "，、（《「『〔【“‘,(";

/// Words a signature line (落款) ends on.
pub const ORG_SUFFIXES: &[&str] = &[
    "厅",
    "局",
    "委",
    "委员会",
    "办公室",
    "办",
    "政府",
    "公司",
    "中心",
    "部",
    "院",
    "会",
    "处",
    "所",
    "站",
    "队",
    "馆",
    "组",
    "社",
    // Banks (`…总行`, `…分行`, `…农商行`), not the verbs on `行` (`执行`, `施行`, `举行`).
    "银行",
    "总行",
    "分行",
    "支行",
    "商行",
    "室",
    "府",
    "党委",
    "总队",
    "支队",
    "集团",
];

/// Closing formulas that take a `。` although they are short: `特此公告`, `此复`.
pub const CLOSING_FORMULAS: &[&str] = &[
    "此复",
    "此函",
    "特此通报",
    "特此复函",
    "特此函复",
    "特此公告",
    "特此通知",
    "特此通告",
    "特此函告",
    "特此批复",
    "特此报告",
    "特此说明",
    "特此证明",
    "特此公示",
];

/// Shortest run of prose without any punctuation that gets its `。` back (shorter lines are
/// captions, names, labels).
const MIN_BARE_PROSE: usize = 10;

/// Longest signature line.
const MAX_SIGNATURE: usize = 25;

static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(DATE_LINE_PATTERN));

pub(crate) const DATE_LINE_PATTERN: &str = r"^(?:(?:[0-9０-９X]{4}|X{2,3})\s*年\s*[0-9０-９X]{1,2}\s*月\s*[0-9０-９X]{1,2}\s*日|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日|[0-9]{4}[-./][0-9]{1,2}[-./][0-9]{1,2})$";

// The line tests below match by hand: as regular expressions (`\S`, negated classes
// repeated ten times) they cost every worker process more to compile than all its lines cost
// to test.

/// Words of a time span besides its numbers (`即日起至2024年12月31日`, `每周一至周五上午9:00-12:00`).
const TIME_SPAN_WORDS: &[&str] = &[
    "即日起",
    "即日",
    "截至",
    "截止",
    "以前",
    "之前",
    "以后",
    "之后",
    "期间",
    "上旬",
    "中旬",
    "下旬",
    "上午",
    "下午",
    "中午",
    "晚上",
    "全天",
    "每周",
    "每天",
    "每日",
    "星期",
    "周",
    "至",
    "到",
    "起",
    "止",
    "前",
    "底",
    "初",
    "末",
    "和",
    "及",
];

/// Most characters of a line that is a time span.
const MAX_TIME_SPAN: usize = 40;

/// Whether `text` is a time span and nothing else (`2024年6月至12月`,
/// `2024年3月1日至3月31日`, `即日起至2024年12月31日`): the value of a `时间` item, no sentence.
fn is_time_span(text: &str) -> bool {
    const UNITS: &str = "年月日号时分秒点";
    const NUMERALS: &str = "〇○零一二三四五六七八九十";
    // A span that runs on (`5月20日至31日，` ⏎ `京沪高速…`) is the head of a sentence.
    if text.chars().count() > MAX_TIME_SPAN || text.ends_with(['，', ',', '、']) {
        return false;
    }
    // One opening with a connective goes on from the line before (`时间：2024年6月28日` ⏎
    // `至2024年7月3日`).
    if text.starts_with([
        '至', '到', '起', '止', '前', '和', '及', '-', '—', '~', '～',
    ]) {
        return false;
    }
    let (mut units, mut digits) = (0, 0);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c.is_ascii_digit() || ('０'..='９').contains(&c) {
            digits += 1;
        } else if UNITS.contains(c) {
            units += 1;
        } else if !NUMERALS.contains(c) && !"-—~～－–:：.．/／()（）、，, \u{3000}".contains(c)
        {
            match TIME_SPAN_WORDS.iter().find(|w| rest.starts_with(*w)) {
                Some(w) => {
                    rest = &rest[w.len()..];
                    continue;
                }
                None => return false,
            }
        }
        rest = &rest[c.len_utf8()..];
    }
    digits > 0 && units > 0
}

/// A signature and a date on one line, set apart by spaces (`XXXX人民政府            2020年2月19日`,
/// one space once the whitespace rule has run). (By hand: as a prefix of [`DATE_LINE`] the
/// signature makes the pattern try every start of every line.)
fn date_after_signature(text: &str) -> bool {
    let Some(gap) = text.rfind([' ', '\u{3000}', '\u{a0}']) else {
        return false;
    };
    let head = text[..gap].trim_end();
    let date = text[gap..].trim_start();
    !head.is_empty() && !head.contains(char::is_whitespace) && DATE_LINE.is_match(date)
}

/// Numerals of a Han enumeration marker (`一、`), at most [`MAX_HAN_ENUM`] of them.
const HAN_ENUM_NUMERALS: &str = "一二三四五六七八九十";

/// Most numerals in a Han enumeration marker.
const MAX_HAN_ENUM: usize = 3;

/// `一、2014年工作情况`: a chapter marker the structure parser refuses when a digit follows.
/// Any character but whitespace may follow the `、`.
fn is_han_enumeration(text: &str) -> bool {
    let rest = text.trim_start_matches(|c| HAN_ENUM_NUMERALS.contains(c));
    let numerals = text[..text.len() - rest.len()].chars().count();
    (1..=MAX_HAN_ENUM).contains(&numerals)
        && rest
            .strip_prefix('、')
            .and_then(|r| r.chars().next())
            .is_some_and(|c| !c.is_whitespace())
}

/// Numerals a day ends with in an imprint line.
const DAY_NUMERALS: &str = "0123456789０１２３４５６７８９〇○零一二三四五六七八九十";

/// The imprint line of a document (版记): `…办公室　2012年5月17日印发`, ending in a day
/// numeral, `日`, optional whitespace and `印发`.
pub(crate) fn is_issued_line(text: &str) -> bool {
    text.strip_suffix("印发")
        .and_then(|s| s.trim_end().strip_suffix('日'))
        .and_then(|s| s.chars().next_back())
        .is_some_and(|c| DAY_NUMERALS.contains(c))
}

/// Longest label of a `label：value` line.
const MAX_LABEL_VALUE_LABEL: usize = 10;

/// Marks a label never contains (besides the colons, the first of which ends it).
const NOT_IN_LABEL: [char; 4] = ['，', '。', '；', ','];

/// Marks a value never contains.
const NOT_IN_VALUE: [char; 5] = ['，', '。', '；', ',', ';'];

/// `地址：南京市北京西路63号`: a short label, a colon and a value without sentence
/// punctuation.
fn is_label_value(text: &str) -> bool {
    let Some((label, value)) = text.split_once(['：', ':']) else {
        return false;
    };
    (1..=MAX_LABEL_VALUE_LABEL).contains(&label.chars().count())
        && !label.contains(NOT_IN_LABEL)
        && !value.contains(NOT_IN_VALUE)
}

/// What a line is, for the paragraph rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Heading,
    TableRow,
    Date,
    /// Ends in a colon: a salutation (`各市审计局：`) or a lead-in (`通知如下：`).
    Colon,
    Signature,
    /// A line without sentence punctuation whose parts are separated by spaces: a name and
    /// a post (`吴国庆　平潭县公路局局长`), a caption, a two-part subtitle.
    Spaced,
    /// `地址：南京市北京西路63号`: a label and a value without sentence punctuation.
    LabelValue,
    Prose,
}

/// Whether a line starts with a heading marker, including a marker whose opening bracket and
/// numeral were lost (`）加强领导`).
pub fn starts_with_marker(text: &str) -> bool {
    if parse_marker(text).is_some() || is_han_enumeration(text) {
        return true;
    }
    let mut cs = text.chars();
    matches!(cs.next(), Some(')' | '）')) && cs.next().is_some_and(is_han)
}

/// Values of a `label：value` line that make it a sentence (a definition: `指本级财政…`).
pub const DEFINITION_STARTS: &[&str] = &["指", "是指"];

/// Shortest text after a marker that makes a marker line a list item of running prose rather
/// than a heading (headings are short: `二、加强政策解读和回应关切，提升公开实效`).
const MIN_ITEM_PROSE: usize = 25;

/// Whether a line that starts with a marker is content rather than a bare heading: a run-in
/// heading followed by its text (`（一）明确了总体要求。《办法》…`), an article
/// (`第十九条 审计、财政等部门…`), a definition (`1.基本支出：指…`) or a long list item.
pub fn marker_line_is_content(text: &str) -> bool {
    let rest = match parse_marker(text) {
        Some(m) => {
            use crate::structure::MarkerKind as K;
            match m.kind {
                K::Article => return true,
                K::Chapter | K::Part | K::Division => return false,
                _ => &text[m.len..],
            }
        }
        // A damaged marker `）…`: the rest follows the bracket.
        None => text
            .get(text.chars().next().map_or(0, char::len_utf8)..)
            .unwrap_or(""),
    };
    let body = rest.trim_end_matches('。');
    if body.contains('。') {
        return true;
    }
    if is_label_value(rest) {
        return is_definition(rest);
    }
    rest.chars().count() >= MIN_ITEM_PROSE
}

/// `label：value` where the value is a definition sentence (`基本支出：指…`).
fn is_definition(text: &str) -> bool {
    text.split_once(['：', ':'])
        .is_some_and(|(_, value)| DEFINITION_STARTS.iter().any(|d| value.starts_with(d)))
}

/// Whether a space separates two Han characters somewhere inside the line.
fn has_inner_gap(text: &str) -> bool {
    let mut prev_han = false;
    let mut in_gap = false;
    for c in text.chars() {
        if crate::repair::text::is_space(c) {
            in_gap = prev_han || in_gap;
            continue;
        }
        if in_gap && is_han(c) {
            return true;
        }
        in_gap = false;
        prev_han = is_han(c);
    }
    false
}

/// Classify one line.
pub fn classify(line: &Line) -> Class {
    let text = line.text.as_str();
    match line.kind {
        BlockKind::TableRow => return Class::TableRow,
        BlockKind::Heading { .. } => return Class::Heading,
        BlockKind::Paragraph => {}
    }
    if starts_with_marker(text) {
        return if marker_line_is_content(text) {
            Class::Prose
        } else {
            Class::Heading
        };
    }
    if DATE_LINE.is_match(text) || date_after_signature(text) || is_time_span(text) {
        return Class::Date;
    }
    if matches!(last_char(text), Some('：' | ':')) {
        return Class::Colon;
    }
    let len = text.chars().count();
    let bare = !text
        .chars()
        .any(|c| is_cjk_punct(c) || c.is_ascii_punctuation());
    if bare && len <= MAX_SIGNATURE && ORG_SUFFIXES.iter().any(|s| text.ends_with(s)) {
        return Class::Signature;
    }
    if is_issued_line(text) {
        return Class::Signature;
    }
    if !text.contains(['，', '。', '；', '：']) && has_inner_gap(text) {
        return Class::Spaced;
    }
    if is_label_value(text) && !is_definition(text) {
        return Class::LabelValue;
    }
    Class::Prose
}

/// The `paragraph_join` rule.
pub struct ParagraphJoin;

impl Rule for ParagraphJoin {
    fn name(&self) -> &'static str {
        "paragraph_join"
    }

    fn apply(&self, lines: &mut Lines, cx: &mut Context) {
        // The marker rule ran after punctuation: a canonical marker (`七.` → `七、`) is new
        // Chinese context for the marks beside it.
        for idx in 0..lines.len() {
            if starts_with_marker(&lines.get(idx).text) {
                super::whitespace::fix_line(lines, idx);
                super::punct::fix_line(lines, idx);
            }
        }
        // A join can make the next decision different (the joined line now ends otherwise,
        // its punctuation was refreshed, a pair of characters now stands twice in the text),
        // so passes repeat, each over the text as it stands, until nothing joins: a second
        // run of the engine then finds nothing more to join.
        let mut joined = false;
        for _ in 0..MAX_JOIN_PASSES {
            let pairs = HanPairs::new(lines);
            if !join_pass(lines, &pairs, self.name()) {
                break;
            }
            joined = true;
        }
        // A joined line can start a heading the marker rule has not seen whole.
        if joined {
            crate::structure::MARKERS.apply(lines, cx);
            for idx in 0..lines.len() {
                if starts_with_marker(&lines.get(idx).text) {
                    super::punct::fix_line(lines, idx);
                }
            }
        }
    }
}

/// Most passes of [`ParagraphJoin`].
const MAX_JOIN_PASSES: usize = 4;

/// One pass over the document; whether anything was joined.
fn join_pass(lines: &mut Lines, pairs: &HanPairs, rule: &'static str) -> bool {
    let mut any = false;
    let mut idx = 0;
    let mut joined = false;
    while idx + 1 < lines.len() {
        if should_join(lines.get(idx), lines.get(idx + 1), pairs) {
            lines.join_next(idx, "", rule);
            joined = true;
            any = true;
            continue;
        }
        if joined {
            refresh(lines, idx);
            joined = false;
        }
        idx += 1;
    }
    if joined {
        refresh(lines, idx);
    }
    any
}

/// A joined line can hold what only the join made whole (a document number split across
/// the break, a half-width mark that now touches Chinese): run those rules on it again.
fn refresh(lines: &mut Lines, idx: usize) {
    super::whitespace::fix_line(lines, idx);
    let edits = super::docnum::line_edits(&lines.get(idx).text);
    if !edits.is_empty() {
        lines.edit(idx, edits, super::docnum::DocNumberRule.name());
    }
    super::punct::fix_line(lines, idx);
}

/// The pairs of adjacent Han characters a document uses at least twice, as its lines stand
/// before a pass of joins, asked one pair at a time.
///
/// Only the few breaks that no other sign decides ask, so rather than count every pair of
/// the document up front ([`han_pairs`], kept as the test oracle) each asked pair is searched
/// for in a copy of the text: the two characters side by side are a substring, and UTF-8
/// finds a character's bytes only at that character.
struct HanPairs {
    /// The lines joined by `\n`, copied before a pass of joins. `\n` is not Han, so no pair spans
    /// two lines, as in the lines themselves.
    text: String,
}

impl HanPairs {
    fn new(lines: &Lines) -> HanPairs {
        let mut text = String::with_capacity(lines.iter().map(|l| l.text.len() + 1).sum());
        for l in lines.iter() {
            text.push_str(&l.text);
            text.push('\n');
        }
        HanPairs { text }
    }

    /// Whether the Han characters `a` and `b` stand side by side at least twice (a pair of a
    /// character with itself counts in runs too: `aaa` holds `aa` twice).
    fn contains(&self, a: char, b: char) -> bool {
        let mut buf = [0u8; 8];
        let len = a.encode_utf8(&mut buf).len();
        let needle_len = len + b.encode_utf8(&mut buf[len..]).len();
        let finder = memchr::memmem::Finder::new(&buf[..needle_len]);
        let hay = self.text.as_bytes();
        let Some(first) = finder.find(hay) else {
            return false;
        };
        // The next occurrence may overlap this one by `b` (when `a == b`).
        finder.find(&hay[first + len..]).is_some()
    }
}

/// Every pair of adjacent Han characters seen at least twice inside the lines, packed into a
/// `u64`.
#[cfg(test)]
fn han_pairs<'a>(lines: impl Iterator<Item = &'a str>) -> HashSet<u64> {
    let mut seen = HashSet::default();
    let mut set = HashSet::default();
    for l in lines {
        let mut prev: Option<char> = None;
        for c in l.chars() {
            if let Some(p) = prev.filter(|p| is_han(*p) && is_han(c)) {
                // A pair counts as a word of the document from its second occurrence: one
                // occurrence is as often two words side by side.
                let k = pack(p, c);
                if !seen.insert(k) {
                    set.insert(k);
                }
            }
            prev = Some(c);
        }
    }
    set
}

fn pack(a: char, b: char) -> u64 {
    (u64::from(a as u32) << 32) | u64::from(b as u32)
}

fn should_join(a: &Line, b: &Line, pairs: &HanPairs) -> bool {
    let (Some(end), Some(start)) = (last_char(&a.text), first_char(&b.text)) else {
        return false;
    };
    // The characters at the break (and the start of the next line) decide most pairs (a line
    // ending in `。` is whole), and cost far less to read than the lines' classes, so they
    // are asked first.
    // A value broken off its label may go on with a line that reads as a signature on its
    // own (`名称：太原市政府采购` ⏎ `代理服务中心`), on strong signs only: a name the value
    // ends with often makes a word with the signature's first character (`联系人：李明` ⏎
    // `白城市财政局`).
    let mut value_goes_on = false;
    let continues = if number_split_at_hyphen(&a.text, start) {
        a.kind == BlockKind::Paragraph
    } else if is_han(start)
        && a.text.contains(['：', ':'])
        && (value_cut_short(&a.text)
            || opens_with_connective(&b.text)
            || one_char_clause(&b.text)
            || is_han(end)
                && (joins_a_word(end, start, pairs)
                    || PLACE_UNITS.contains(start)
                    || word_spans_break(&a.text, &b.text))
            || unclosed(&a.text))
        && classify(a) == Class::LabelValue
        && !is_label_value(&b.text)
    {
        // A value broken off its label (`地址：太` ⏎ `原市迎泽区…`, `时间：2024年6月28日` ⏎
        // `至2024年7月3日`, `名称：…交易中` ⏎ `心…`, `通信地址：南宁` ⏎ `市民族大道152号`).
        value_goes_on = value_cut_short(&a.text)
            || unclosed(&a.text)
            || is_han(end) && pairs.contains(end, start);
        true
    } else if breaks_mid_sentence(a, b, end, start, pairs) {
        // A gapped line (`刘建宁 区交通与建设局副局长、`) that ends open runs on too, as does
        // one inside a title (`《中共中央 国务院关于全面实施预` ⏎ `算绩效管理的意见》`). A line
        // that reads as a signature (`清理结果经局党组会` ⏎ `议审议通过后，…`) runs on into a
        // sentence, which no signature is followed by.
        match classify(a) {
            Class::Prose => true,
            Class::Spaced => OPEN_END_PUNCT.contains(end) || unclosed(&a.text),
            // (Not the `。` at its end, which `sentence_period` may have added.)
            Class::Signature => b.text.trim_end_matches('。').contains(['，', '。', '；']),
            _ => false,
        }
    } else if is_han(end) && lead_in_cut_short(&a.text, &b.text) {
        classify(a) == Class::Prose
    } else {
        // The end of a value broken off a `label：value` line.
        is_han(end) && finishes_a_value(&b.text) && classify(a) == Class::LabelValue
    };
    continues
        && !starts_with_marker(&b.text)
        && attribution_at_end(&b.text) != Some(0)
        && !parallel_lines(&a.text, &b.text)
        && match classify(b) {
            Class::Prose | Class::LabelValue | Class::Colon => true,
            Class::Signature => value_goes_on,
            _ => false,
        }
        && b.kind == BlockKind::Paragraph
        && !super::furniture::is_furniture(&b.text)
}

/// Whether two lines are set in parallel, as lines of verse and slogans are (`首阳为拙；柳惠为工`
/// ⏎ `饱食安步，在仕代农`, `首问责任，一站服务` ⏎ `一次告知，即时受理`): each of two or more
/// short clauses, parted by `，` `；` `、`, as long as its fellow. A sentence cut in two does
/// not fall into clauses of the same lengths.
fn parallel_lines(a: &str, b: &str) -> bool {
    let shape = |t: &str| -> Option<Vec<usize>> {
        let t = t.trim_end_matches(['。', '；', '，', '！', '？']);
        let clauses: Vec<usize> = t
            .split(['，', '；', '、'])
            .map(|c| c.chars().count())
            .collect();
        (clauses.len() >= 2
            && clauses
                .iter()
                .all(|&n| (2..=MAX_PARALLEL_CLAUSE).contains(&n)))
        .then_some(clauses)
    };
    shape(a).is_some_and(|sa| shape(b).is_some_and(|sb| sa == sb))
}

/// Longest clause of a line set in parallel with the next ([`parallel_lines`]).
const MAX_PARALLEL_CLAUSE: usize = 8;

/// Longest start of a salutation or lead-in cut off its end (`各设区市民政局，厅` ⏎
/// `机关各处室、厅属各单位：`).
const MAX_CUT_LEAD_IN: usize = 20;

/// Whether `a` is the start of the salutation or lead-in `b` ends (with `：`): `a` is short,
/// lists (a `，` or `、` inside, as addressees do) and holds no sentence end, and neither does
/// `b`. A sentence that lost its `。` before a lead-in is longer; a short heading over one
/// (`证明` ⏎ `[单位名称]：`, `…主要职能` ⏎ `…主要职责是：`) lists nothing.
fn lead_in_cut_short(a: &str, b: &str) -> bool {
    let sentence_end = |t: &str| t.contains(['。', '！', '？', '；']);
    b.ends_with('：')
        && a.chars().count() <= MAX_CUT_LEAD_IN
        && a.contains(['，', '、'])
        && !sentence_end(a)
        && !sentence_end(b)
}

/// Whether a line starts with the end of a value broken off the line before and goes on to
/// the next label (`联系人：政策法规` ⏎ `处李鑫；联系电话：…`): a few Han characters, then `；`
/// or `，`, then a label of its own.
fn finishes_a_value(text: &str) -> bool {
    let Some(cut) = text.find(['；', '，']) else {
        return false;
    };
    let head = &text[..cut];
    let n = head.chars().count();
    (1..=MAX_VALUE_TAIL).contains(&n) && head.chars().all(is_han) && text[cut..].contains('：')
}

/// Longest end of a value taken from the start of the next line.
const MAX_VALUE_TAIL: usize = 6;

/// Whether a line ends inside a number written with a hyphen, the next line holding its rest
/// (`联系电话：0531-` ⏎ `81426501。`, `2020-` ⏎ `2021年`): digits, `-`, a digit.
fn number_split_at_hyphen(a: &str, start: char) -> bool {
    let mut tail = a.chars().rev();
    start.is_ascii_digit()
        && tail.next() == Some('-')
        && tail.next().is_some_and(|c| c.is_ascii_digit())
}

/// Whether the text at a break between prose lines says the sentence goes on: `end` is the
/// first line's last character, `start` the next one's first.
fn breaks_mid_sentence(a: &Line, b: &Line, end: char, start: char, pairs: &HanPairs) -> bool {
    if CONTINUING_PUNCT.contains(start) && !matches!(start, ')' | '）') {
        return !crate::repair::text::is_terminal(end) && end != '。';
    }
    if OPEN_END_PUNCT.contains(end) {
        return true;
    }
    // A closing bracket or quotation inside the sentence (`…地址（因道路规划等原因除外）` ⏎
    // `的，应当…`).
    if matches!(end, '）' | '》' | '”') && NO_START.contains(start) {
        return true;
    }
    if !is_han(end) {
        // A number the sentence goes on from (`…增长12.5%` ⏎ `的主要原因是…`).
        return (end.is_ascii_alphanumeric() || end == '%') && NO_START.contains(start);
    }
    (NO_END.contains(end) || ends_on_a_word_that_goes_on(&a.text)) && !ends_on_a_noun(&a.text)
        || NO_START.contains(start)
        || opens_with_connective(&b.text)
        || opens_with_a_count(&b.text)
        || unclosed(&a.text)
        || dangling_start(&a.text)
        || clause_cut_short(&a.text, &b.text)
        || bare_adverbial(&a.text)
        || one_char_clause(&b.text)
        || two_char_clause(&b.text)
        || enumeration_spans_break(&a.text, &b.text)
        || (is_han(start)
            && (joins_a_word(end, start, pairs) || word_spans_break(&a.text, &b.text)))
}

/// Whether the Han text at a break reads as a word cut in two: the likeliest split into
/// words of general Chinese ([`super::lexicon`]) of the few Han characters on either side,
/// taken together, is at least [`WORD_SPAN_RATIO`] times likelier than the two sides split
/// apart (`继续跟` ⏎ `踪检查`: `跟踪`; `以个人名义` ⏎ `反映的`: none, and a break between
/// paragraphs rarely makes one).
///
/// Lines of names (`顾宁` ⏎ `夏德峰`, `联系人：李明` ⏎ `白城市财政局`) are left alone: names make
/// words across a break too often (`宁夏`, `明白`).
fn word_spans_break(a: &str, b: &str) -> bool {
    use super::lexicon::split_log_probability as likelihood;
    let run_before = a.chars().rev().take_while(|&c| is_han(c)).count();
    let run_after = b.chars().take_while(|&c| is_han(c)).count();
    if run_before == 0 || run_after == 0 || names_only(a) || names_only(b) {
        return false;
    }
    let mut before: Vec<char> = a
        .chars()
        .rev()
        .take(run_before.min(WORD_SPAN_CONTEXT))
        .collect();
    before.reverse();
    let after: Vec<char> = b.chars().take(run_after.min(WORD_SPAN_CONTEXT)).collect();
    let apart = likelihood(&before) + likelihood(&after);
    before.extend_from_slice(&after);
    likelihood(&before) - apart >= WORD_SPAN_RATIO.ln()
}

/// How many Han characters on each side of a break are weighed by [`word_spans_break`].
const WORD_SPAN_CONTEXT: usize = 3;

/// Whether a line (or the value of a `label：value` line) holds nothing but names: items
/// between `、`, `，` or spaces of two or three Han characters, the first a common surname
/// (`于明`, `夏德峰、钱芳鹏`, `联系人：李明`).
fn names_only(text: &str) -> bool {
    let value = text.rsplit_once(['：', ':']).map_or(text, |(_, v)| v);
    let mut items = value
        .split(['、', '，', ',', ' ', '\u{3000}'])
        .filter(|s| !s.is_empty())
        .peekable();
    items.peek().is_some()
        && items.all(|item| {
            let n = item.chars().count();
            (2..=3).contains(&n)
                && item.chars().all(is_han)
                && item.chars().next().is_some_and(|c| SURNAMES.contains(c))
        })
}

/// The commonest Chinese surnames (the first hundred, which most people bear).
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘\
于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺\
顾毛郝龚邵万钱严覃武戴莫孔向汤";

/// How much likelier the text across a break must be read whole than apart for a word to be
/// taken as cut by the break. Measured on the dev and the real bodies
/// (`scripts/break-pairs.py`), a ratio of e² (7.4) spans 57% of breaks made at random inside
/// a line and none of 3,852 breaks between lines but for 10 that were sentences we had cut.
const WORD_SPAN_RATIO: f64 = 7.389;

/// Whether `end` and `start`, the characters on either side of a break, form a word: one the
/// document writes whole elsewhere, one of [`COMMON_WORDS`], or a pair real pages write often.
fn joins_a_word(end: char, start: char, pairs: &HanPairs) -> bool {
    pairs.contains(end, start)
        || COMMON_PAIRS.contains(&pack(end, start))
        || super::mojibake::corpus_pair(Some(end), Some(start)) >= CORPUS_PAIR_MIN
}

/// The units of a Chinese address after a place name (`南宁` ⏎ `市民族大道`): a value line
/// does not go on to a new line with one.
const PLACE_UNITS: &str = "省市区县镇乡村街路道巷号";

/// How often real pages (`data/bigrams.tsv`) must write two characters side by side for a
/// line break between them to be read as one inside a word (`法定时` / `限答复`: `时限` 10
/// times). Lower, pairs as common as `动开` (`活动` ⏎ `开展`) join list items.
const CORPUS_PAIR_MIN: u32 = 8;

/// Whether a line leaves a bracket or quotation open (`…关于加强审计整改工作的通`).
fn unclosed(text: &str) -> bool {
    let mut depth = [0i32; 3];
    for c in text.chars() {
        match c {
            '《' => depth[0] += 1,
            '》' => depth[0] -= 1,
            '（' => depth[1] += 1,
            '）' => depth[1] -= 1,
            '“' => depth[2] += 1,
            '”' => depth[2] -= 1,
            _ => {}
        }
    }
    depth.iter().any(|&d| d > 0)
}

/// Longest sentence start left dangling at a break: a sentence that begins after the line's
/// last `。` and stops within this many characters (`…网站公开。对审计`) was cut off; a
/// sentence that only lost its `。` is longer.
const MAX_DANGLING_START: usize = 4;

/// Prepositions that open an adverbial phrase before a sentence's subject or verb
/// (`按照综合预算的原则，…`, `为贯彻落实上级决策部署，…`).
const OPENING_PREPOSITIONS: &[&str] = &[
    "按照", "根据", "依据", "依照", "为了", "为", "针对", "围绕", "结合", "随着", "对照",
];

/// Longest line read as an adverbial phrase cut off its sentence.
const MAX_BARE_ADVERBIAL: usize = 12;

/// Whether a line is only the start of an adverbial phrase: it opens with one of the
/// [`OPENING_PREPOSITIONS`], is short and holds no punctuation at all (`按照综合` ⏎
/// `预算的原则，…`). A sentence that lost its `。` has its verb; a heading has a marker.
fn bare_adverbial(text: &str) -> bool {
    OPENING_PREPOSITIONS.iter().any(|p| text.starts_with(p))
        && text.chars().count() <= MAX_BARE_ADVERBIAL
        && !text
            .chars()
            .any(|c| is_cjk_punct(c) || c.is_ascii_punctuation())
}

/// Whether a line ends with a sentence that has only begun (`…按规定公开。对审计`): the
/// text after the last sentence end is a few Han characters.
fn dangling_start(text: &str) -> bool {
    let Some((head, tail)) = text.rsplit_once(['。', '！', '？', '；']) else {
        return false;
    };
    let n = tail.chars().count();
    !head.is_empty() && (1..=MAX_DANGLING_START).contains(&n) && tail.chars().all(is_han)
}

/// Longest last clause of a line read as a clause cut off by a break: a sentence's last
/// clause after `，` is longer (`…，劲头十足。`), but for the few [`SHORT_LAST_CLAUSES`].
const MAX_CUT_CLAUSE: usize = 3;

/// Fewest characters before the last clause of a line cut off by a break: the first part of a
/// paragraph cut in two. Shorter lines are headings and slogans (`抓党建，促发展`), forms and
/// profiles (`张三，男，汉族`), closings (`以上报告，请审议`).
const MIN_CUT_HEAD: usize = 10;

/// Openers of a sentence that go on after their `，` (`会上，` `据介绍，`): a line that holds one
/// and a clause of a few characters after it was cut off (`会上，县` ⏎ `住建局…`).
const SENTENCE_OPENERS: &[&str] = &[
    "会上",
    "会议上",
    "据介绍",
    "据悉",
    "据了解",
    "近日",
    "近年来",
    "目前",
    "当前",
    "此外",
    "同时",
    "另外",
    "今年以来",
    "下一步",
    "为此",
    "对此",
];

/// Short clauses that do end a sentence after a `，`: closings (`…，请查收。`), results
/// (`…，已整改`), a field's description (`…，可选`), a pointer (`…，见附件`).
const SHORT_LAST_CLAUSES: &[&str] = &[
    "等",
    "等等",
    "摄",
    "谢谢",
    "此复",
    "为盼",
    "是盼",
    "盼复",
    "特此",
    "请查收",
    "请知悉",
    "望周知",
    "请周知",
    "请审议",
    "请审定",
    "请审阅",
    "请批示",
    "已整改",
    "已办结",
    "已完成",
    "已落实",
    "已销号",
    "属实",
    "不属实",
    "见附件",
    "见附表",
    "见下表",
    "下同",
    "各一份",
    "可选",
    "必选",
    "必填",
    "选填",
    "同上",
    "无",
];

/// Whether line `a` ends with a clause that has only begun and `b` goes on with it
/// (`…仔细看老师亲笔示范，一笔` ⏎ `一划临摹…`, `…收悉，我委会` ⏎ `同相关部门…`): after its
/// last `，` or `；`, one to [`MAX_CUT_CLAUSE`] Han characters, after at least
/// [`MIN_CUT_HEAD`] or a sentence's opener ([`SENTENCE_OPENERS`]). Not in a line of names,
/// not before a label (`联系人：…`), and not when `b` ends with the same clause (`…，已整改` ⏎
/// `…，已整改`: items of a list). Measured on the dev bodies and the real records, the last
/// clause of a paragraph is that short only in `…，等等。`; of breaks made at random inside a
/// line after a `，`, 40% leave one.
fn clause_cut_short(a: &str, b: &str) -> bool {
    let Some((head, tail)) = a.rsplit_once(['，', '；']) else {
        return false;
    };
    // (Counted no further than they can matter: this is asked at most breaks.)
    let n = tail.chars().take(MAX_CUT_CLAUSE + 1).count();
    let ends_alike = || {
        b.trim_end_matches(['。', '；', '，'])
            .rsplit_once(['，', '；'])
            .is_some_and(|(_, t)| t == tail)
    };
    (1..=MAX_CUT_CLAUSE).contains(&n)
        && tail.chars().all(is_han)
        && (head.chars().take(MIN_CUT_HEAD).count() == MIN_CUT_HEAD
            || SENTENCE_OPENERS.contains(&head.rsplit(['。', '！', '？']).next().unwrap_or(head)))
        && !SHORT_LAST_CLAUSES.contains(&tail)
        && !ends_alike()
        && !names_only(a)
        && !super::text::opens_with_a_label(b)
}

/// Words no sentence ends on: modal verbs and prepositions that need what follows them
/// (`上述单位不得` ⏎ `继续从事…`). Only words that are none of a sentence's usual last words
/// (`即可`, `审议通过`, `正在进行` end sentences, and are not here).
const NO_END_WORDS: &[&str] = &[
    "不得",
    "应当",
    "必须",
    "能够",
    "按照",
    "根据",
    "依据",
    "依照",
    "对于",
    "关于",
    "为了",
    "如果",
    "由于",
    "对照",
    "针对",
    "围绕",
    "包括",
    "以及",
    "上述",
    "下列",
    "不断",
    "切实",
    "确保",
    "进一步",
    "认真",
    "积极",
    "不",
    "是否",
    "同比",
    "环比",
    "都能",
    "均能",
    "就能",
    "也能",
    "还能",
    "不能",
];

/// Nouns that end on a character or word of a preposition (`据`, `依据`): a heading or a
/// sentence may end on them (`…的背景和主要依据`, `…提供数据`).
const NOUNS_OF_PREPOSITIONS: &[&str] = &[
    "主要依据",
    "重要依据",
    "法律依据",
    "政策依据",
    "制定依据",
    "的依据",
    "参考依据",
    "证据",
    "数据",
    "单据",
    "票据",
    "凭据",
    "论据",
];

/// Whether `text` ends on one of the [`NOUNS_OF_PREPOSITIONS`].
fn ends_on_a_noun(text: &str) -> bool {
    NOUNS_OF_PREPOSITIONS.iter().any(|w| text.ends_with(w))
}

/// Whether `text` ends on one of the [`NO_END_WORDS`], or on the 起 of a `自…起` not yet
/// followed by its verb (`《办法》自2021年8月30日起` ⏎ `施行`).
fn ends_on_a_word_that_goes_on(text: &str) -> bool {
    NO_END_WORDS.iter().any(|w| text.ends_with(w))
        || text.strip_suffix('起').is_some_and(|head| {
            let clause = head.rsplit(['，', '。', '；', '：']).next().unwrap_or(head);
            clause.contains('自') && clause.chars().count() <= MAX_FROM_CLAUSE
        })
}

/// Longest `自…` before its `起`, in characters (`自本公告发布之日`, `自2021年8月30日`).
const MAX_FROM_CLAUSE: usize = 16;

/// Measure words a count is written with (`三十九条`, `5个`): a count opens no paragraph.
const COUNT_UNITS: &str = "条章节款项个名家件次处类";

/// Whether `text` opens with a count in Han numerals (`三十九条，主要包括…`): the rest of a
/// sentence broken after the count before it (`《办法》共七章` ⏎ `三十九条…`).
fn opens_with_a_count(text: &str) -> bool {
    let numerals = text
        .chars()
        .take_while(|c| "一二三四五六七八九十百千两".contains(*c))
        .count();
    numerals > 0
        && text
            .chars()
            .nth(numerals)
            .is_some_and(|c| COUNT_UNITS.contains(c))
}

/// Conjunctions and prepositions that join what stands before them to what follows: a line
/// does not open with one (`和整改台账。`, `至2024年7月3日`) unless it starts a word there
/// (`及时`, `和谐`, `至于`), which [`opens_with_connective`] asks of the word lists.
const CONNECTIVES: &str = "和及与或并而且至";

/// Whether `text` opens with one of the [`CONNECTIVES`] used as one: the character and the
/// next are no word of [`COMMON_WORDS`] or of real pages' pairs.
fn opens_with_connective(text: &str) -> bool {
    let mut cs = text.chars();
    let (Some(c), Some(next)) = (cs.next(), cs.next()) else {
        return false;
    };
    CONNECTIVES.contains(c)
        && !(is_han(next)
            && (is_common_word(c, next)
                || super::mojibake::corpus_pair(Some(c), Some(next)) >= CORPUS_PAIR_MIN))
}

/// Values of one character that stand whole (`性别：男`, `是否公开：是`).
const SHORT_VALUES: &str = "无有是否男女";

/// Whether a `label：value` line's value is one Han character that is no whole value: the
/// start of a value the line break cut off (`地址：太`, `联系方式：吴`). (Two can be a name.)
fn value_cut_short(text: &str) -> bool {
    let Some((_, value)) = text.split_once(['：', ':']) else {
        return false;
    };
    let mut cs = value.trim().chars();
    matches!((cs.next(), cs.next()), (Some(c), None) if is_han(c) && !SHORT_VALUES.contains(c))
}

/// Connectives that go on with a second predicate of the same subject (`…，并提供…`).
const PREDICATE_CONNECTIVES: &str = "并且而又还";

/// Whether a line opens with a clause of two characters followed by a second predicate
/// (`标注，并提供…`): a verb cut off its sentence at the break. A paragraph opens with a
/// clause of two characters only as an adverb or connective of its own (`近日，…`,
/// `第一，…`, `王强，1978年5月生`), never followed by `并`.
fn two_char_clause(text: &str) -> bool {
    let mut cs = text.chars();
    matches!(
        (cs.next(), cs.next(), cs.next(), cs.next()),
        (Some(a), Some(b), Some('，'), Some(c))
            if is_han(a) && is_han(b) && PREDICATE_CONNECTIVES.contains(c)
    )
}

/// Longest item of an enumeration on either side of a break, in characters.
const MAX_ENUM_ITEM: usize = 6;

/// Characters that make `等` part of a word rather than the end of an enumeration
/// (`一等奖`, `同等`, `平等`, `对等`).
const NOT_BEFORE_ETC: &str = "一二三四五六七八九十同平对均相何";

/// Whether a break falls inside an enumeration (`…科研学术、临床` ⏎ `实践、商业落地的…`,
/// `…宪法、民法典、老年人权益` ⏎ `保护等方面的法律知识。`): the first line ends on a short item
/// after a `、`, and the next opens with a short item closed by `、` or `等`. A paragraph
/// does not end on an open list. A line that lost its `。` after a list is followed by a new
/// sentence, which opens with a preposition or has its list as its subject
/// (`公安、消防等部门要…`).
fn enumeration_spans_break(a: &str, b: &str) -> bool {
    let item = |t: &str| t.chars().all(is_han) && (1..=MAX_ENUM_ITEM).contains(&t.chars().count());
    let Some((a_head, a_tail)) = a.rsplit_once('、') else {
        return false;
    };
    let Some(cut) = b.find(|c: char| !is_han(c) || c == '等') else {
        return false;
    };
    let (b_head, b_rest) = b.split_at(cut);
    let opens_with_item = match b_rest.chars().next() {
        Some('、') => item(b_head),
        Some('等') => {
            (b_head.is_empty() || item(b_head))
                && !b_head
                    .chars()
                    .last()
                    .is_some_and(|c| NOT_BEFORE_ETC.contains(c))
        }
        _ => false,
    };
    // Not the `、` of a heading's marker (`二、工作要求`), nor a line that is all list, as a
    // list set out in lines is (`于明、白芳、顾宁` ⏎ `夏德峰、钱芳鹏`).
    opens_with_item
        && item(a_tail)
        && !a_head.split('、').all(item)
        && !names_only(b)
        && !OPENING_PREPOSITIONS.iter().any(|p| b.starts_with(p))
        && !list_is_a_subject(b)
        && crate::structure::parse_marker(a).is_none_or(|m| m.len <= a_head.len())
}

/// Verbs a sentence whose subject is a list goes on with (`公安、消防等部门要…`).
const SUBJECT_VERBS: &[&str] = &["要", "应当", "应", "须", "负责", "将"];

/// What the bodies of such a list end with, before their verb.
const BODY_NOUNS: &[&str] = &[
    "部门", "单位", "机构", "机关", "组织", "企业", "人员", "局", "委", "办", "院", "所", "中心",
];

/// How far after the list's `等` (or the start of its last item) the verb of
/// [`list_is_a_subject`] comes, in characters.
const MAX_SUBJECT_HEAD: usize = 6;

/// Whether a line opens with a list of bodies that is its sentence's subject
/// (`公安、消防等部门要做好…`, `教育、卫生部门负责…`): a new sentence, not the rest of a list
/// the line before broke off (`有处诉、有` ⏎ `人管、有人办、有回应。`).
fn list_is_a_subject(b: &str) -> bool {
    let clause = b.split(['，', '。', '；', '：']).next().unwrap_or(b);
    let Some(last) = clause.rfind('、') else {
        return false;
    };
    let after = &clause[last + '、'.len_utf8()..];
    let after = after.split_once('等').map_or(after, |(_, rest)| rest);
    let head = after
        .char_indices()
        .nth(MAX_SUBJECT_HEAD)
        .map_or(after, |(at, _)| &after[..at]);
    SUBJECT_VERBS.iter().any(|verb| {
        head.match_indices(verb)
            .any(|(at, _)| BODY_NOUNS.iter().any(|noun| head[..at].ends_with(noun)))
    })
}

/// Whether a line opens with a one-character clause (`则，严格…`, `知》（…`): the tail of a
/// word cut at the break.
fn one_char_clause(text: &str) -> bool {
    let mut cs = text.chars();
    matches!((cs.next(), cs.next()), (Some(a), Some(b)) if is_han(a) && "，、；》）”（".contains(b))
}

/// Two-character words of official documents, as data: a break between their characters is a
/// word cut in two.
pub const COMMON_WORDS: &str = "人员 职责 安全 热点 统筹 部署 原则 规范 标注 通知 教育 统一 名义 程序 \
工作 管理 建设 服务 信息 公开 政务 政府 部门 单位 机关 机构 组织 领导 负责 责任 制度 机制 体系 \
措施 要求 规定 办法 条例 法律 法规 规章 文件 政策 解读 回应 关切 社会 公众 群众 企业 项目 资金 \
预算 决算 支出 收入 经费 财政 审计 监督 检查 考核 评价 评估 整改 落实 推进 加强 完善 健全 提高 \
提升 开展 实施 执行 办理 申请 答复 受理 处理 处置 发布 报送 报告 情况 问题 事项 内容 范围 方式 \
时间 地点 期限 标准 依据 程序 流程 环节 平台 网站 栏目 专栏 系统 数据 资料 档案 材料 意见 建议 \
提案 代表 委员 会议 培训 宣传 舆情 舆论 媒体 新闻 发展 改革 经济 民生 保障 服务 质量 效率 效果 \
水平 能力 作用 目标 任务 重点 领域 行业 全面 全省 全市 全区 全国 各级 各类 相关 有关 具体 主要 \
重要 重大 及时 准确 依法 合法 公平 公正 透明 廉洁 协调 配合 沟通 联系 电话 地址 邮编 网址 \
采购 招标 投标 合同 供应 价格 金额 数量 记录 结果 公示 公告 通告 批复 批准 审批 审核 审查 备案 \
登记 注册 许可 处罚 强制 征收 补助 补贴 救助 救济 扶贫 就业 社保 医疗 卫生 健康 环境 生态 \
交通 运输 水利 农业 农村 林业 自然 资源 规划 住房 城乡 应急 消防 生产 经营 市场 价格 统计";

/// [`COMMON_WORDS`] packed as character pairs.
static COMMON_PAIRS: LazyLock<HashSet<u64>> = LazyLock::new(|| {
    COMMON_WORDS
        .split_whitespace()
        .filter_map(|w| {
            let mut cs = w.chars();
            match (cs.next(), cs.next(), cs.next()) {
                (Some(a), Some(b), None) => Some(pack(a, b)),
                _ => None,
            }
        })
        .collect()
});

/// Whether `a` and `b` form one of the [`COMMON_WORDS`].
pub fn is_common_word(a: char, b: char) -> bool {
    COMMON_PAIRS.contains(&pack(a, b))
}

/// The `sentence_period` rule.
pub struct SentencePeriod;

impl Rule for SentencePeriod {
    fn name(&self) -> &'static str {
        "sentence_period"
    }

    fn apply(&self, lines: &mut Lines, _cx: &mut Context) {
        let bare_items = lists_written_bare(lines);
        let contents_lines = contents_block(lines);
        let contents = contents_titles(lines, contents_lines.clone());
        // The lines of running prose that lost their `。`, which their list's siblings count
        // as ended.
        let prose: Vec<bool> = (0..lines.len())
            .map(|idx| needs_period(lines.get(idx)))
            .collect();
        let siblings = items_short_of_their_siblings_period(lines, &prose);
        // Inside the list of attachments (`附件：1.…` ⏎ `2.…` ⏎ `3.…`): names, not sentences.
        let mut attachments = false;
        for (idx, &prose) in prose.iter().enumerate() {
            let line = lines.get(idx);
            attachments = line.text.starts_with("附件")
                || attachments && parse_marker(&line.text).is_some_and(|m| m.number > 1);
            // (A caption may have a note of its own between it and the table: `（2023年度）`,
            // `（单位：万元）`.)
            let table_at =
                |at: usize| at < lines.len() && lines.get(at).kind == BlockKind::TableRow;
            let note_at = |at: usize| at < lines.len() && is_caption_note(&lines.get(at).text);
            let caption = (table_at(idx + 1) || note_at(idx + 1) && table_at(idx + 2))
                && is_caption(&line.text);
            if !caption
                && !attachments
                && !contents_lines.contains(&idx)
                // An entry of a table of contents standing alone, as `heading_marker` reads it.
                && !crate::structure::is_contents_entry(&line.text)
                && (siblings.contains(&idx) || prose)
                && !heads_an_entry_of(&contents, &line.text)
                && !bare_items.contains(&idx)
            {
                let len = line.text.len();
                lines.replace(idx, len..len, "。", self.name());
                // The `。` is Chinese context for a half-width mark before it (`（a(）` ⏎
                // `（a（）。`): settled now, as a second run would.
                super::punct::fix_line(lines, idx);
            }
        }
    }
}

/// The titles of the document's table of contents (`部门主要职能`), without brackets.
/// `block` is the document's table of contents without leaders ([`contents_block`]).
fn contents_titles(lines: &Lines, block: std::ops::Range<usize>) -> Vec<String> {
    let unled = block.map(|idx| {
        let text = lines.get(idx).text.as_str();
        text[parse_marker(text).map_or(0, |m| m.len)..].trim()
    });
    (0..lines.len())
        .filter_map(|idx| crate::structure::contents_entry_title(&lines.get(idx).text))
        .chain(unled)
        .map(without_brackets)
        .filter(|t| t.chars().filter(|&c| is_han(c)).count() >= MIN_CONTENTS_TITLE)
        .collect()
}

/// The lines of a table of contents without leaders ([`crate::structure::contents_block`]).
fn contents_block(lines: &Lines) -> std::ops::Range<usize> {
    crate::structure::contents_block(lines.len(), |i| lines.get(i).text.as_str())
}

/// Fewest Han characters of a contents' title that marks a line as its heading.
const MIN_CONTENTS_TITLE: usize = 3;

fn without_brackets(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '（' | '）' | '(' | ')' | ' ' | '\u{3000}'))
        .collect()
}

/// Whether `text` is the heading of an entry of the table of contents: it ends with the
/// entry's title (`2024年部门预算编制说明`, `上海市…办事处（部门）主要职能` for `部门主要职能`),
/// or with most of it (`上海市普陀区司法局主要职能`: two thirds, and at least
/// [`MIN_CONTENTS_TITLE`] + 1 characters). A heading written without a marker is no sentence,
/// and gets no `。`.
fn heads_an_entry_of(contents: &[String], text: &str) -> bool {
    if contents.is_empty() || text.contains(['，', '。', '；', '：']) {
        return false;
    }
    let text = without_brackets(text);
    contents.iter().any(|t| {
        let common = t
            .chars()
            .rev()
            .zip(text.chars().rev())
            .take_while(|(a, b)| a == b)
            .count();
        let len = t.chars().count();
        common == len || common > MIN_CONTENTS_TITLE && 3 * common >= 2 * len
    })
}

/// Longest note between a caption and its table, in characters.
const MAX_CAPTION_NOTE: usize = 20;

/// Whether a line reads as a caption's note (`（2023年度）`, `（单位：万元）`): short, and all in
/// brackets.
fn is_caption_note(text: &str) -> bool {
    let t = text.trim();
    t.chars().count() <= MAX_CAPTION_NOTE
        && t.starts_with(['（', '('])
        && t.ends_with(['）', ')'])
        && t.matches(['（', '(']).count() == 1
}

/// Whether a line right above a table reads as its caption: a line without sentence
/// punctuation (`2026年部门收入预算总表`, `表1  示例数据统计表`, `第二十条 第（一）项`), which a
/// sentence that lost its `。` just before a table rarely is.
fn is_caption(text: &str) -> bool {
    !text.contains(['，', '。', '；', '：', '！', '？', ',', ';', ':'])
}

/// The items of numbered lists whose siblings end in `。` but which end bare: the one item
/// of `一、…。` `二、…。` `三、…。` `四、…1月4日` that lost its `。`. A list is a run of lines
/// with markers of one kind numbered 1, 2, 3, … (other lines may come between). An item that
/// `prose` marks as running prose that lost its `。` counts as ended. A bare item gets its
/// `。` when:
/// - the list has at least three items, every item ends in `。` or bare (on a Han character,
///   a letter or a digit), and at least twice as many in `。` as bare;
/// - the list's items end in `；` (and `。`), and its last item, which has no text under it,
///   ends bare (`1.…；` `2.…。` `3.本项目的特定资格要求：无`);
/// - the list has two items, the other ends in `。`, and the bare one is a sentence (at least
///   [`MIN_PAIR_SENTENCE`] characters, no colon) with no text under it (`（1）4个单位的资金653.54万元长期挂账未清理` ⏎ `（2）…未按规定用途使用。`).
///
/// Lists of headings, which end bare, are left alone: the first rule takes a short item
/// (under [`MIN_PAIR_SENTENCE`] characters) only with no text under it, the last two take
/// only items with no text under them, and leave a regulation's articles alone.
fn items_short_of_their_siblings_period(lines: &Lines, prose: &[bool]) -> Vec<usize> {
    use crate::structure::MarkerKind;
    // The open run of each marker kind, with the number of its last item.
    let mut runs: Vec<(MarkerKind, u32, Vec<Item>)> = Vec::new();
    let mut out = Vec::new();
    let rest = |i: &Item| &lines.get(i.idx).text.trim_end()[i.marker_len..];
    let field = |i: &Item| is_label_value(rest(i));
    let sentence_like = |i: &Item| {
        let rest = rest(i);
        !rest.contains(['：', ':'])
            && rest.chars().filter(|&c| is_han(c)).count() >= MIN_FIELD_LIST_SENTENCE
    };
    // Text under an item: the next line is neither a marker nor a table row.
    let has_text_under = |i: &Item| {
        i.idx + 1 < lines.len() && {
            let next = lines.get(i.idx + 1);
            next.kind != BlockKind::TableRow && parse_marker(&next.text).is_none()
        }
    };
    let leaf = |i: &Item| is_leaf(lines, i.idx, i.kind);
    let close = |items: &[Item], out: &mut Vec<usize>| {
        if let [init @ .., last] = items
            && !init.is_empty()
            && last.bare
            && !last.kind.is_regulation()
            && init.iter().all(|i| i.semi || i.ended)
            && init.iter().any(|i| i.semi)
            && leaf(last)
        {
            out.push(last.idx);
            return;
        }
        let ended = items.iter().filter(|i| i.ended).count();
        let bare = items.iter().filter(|i| i.bare).count();
        if let [a, b] = items
            && ended == 1
            && bare == 1
            && !a.kind.is_regulation()
        {
            let bare = if a.bare { a } else { b };
            if sentence_like(bare)
                && rest(bare).chars().count() >= MIN_PAIR_SENTENCE
                && !field(bare)
                && leaf(bare)
            {
                out.push(bare.idx);
            }
            return;
        }
        if items.len() < MIN_LIST_ITEMS || ended + bare != items.len() {
            return;
        }
        if ended >= 2 * bare {
            // A short item with text under it is a heading among items that are sentences
            // (`三、主要内容` among long headings read as prose).
            out.extend(
                items
                    .iter()
                    .filter(|i| i.bare && (leaf(i) || rest(i).chars().count() >= MIN_PAIR_SENTENCE))
                    .map(|i| i.idx),
            );
            return;
        }
        // A list of fields (`1.项目编号：…` `2.预算金额：…`) with a sentence among them that
        // lost its `。` (`7.本项目不接受联合体投标`), which has no text under it as a heading
        // would. (Weighed only here: most lists are decided above.)
        let fields = items.iter().filter(|i| field(i)).count();
        let plain = || items.iter().filter(|i| i.bare && !field(i));
        let sentences = plain().count();
        if fields >= 2
            && sentences > 0
            && fields + ended >= 2 * sentences
            && plain().all(|i| sentence_like(i) && !has_text_under(i))
        {
            out.extend(plain().map(|i| i.idx));
        }
    };
    for (idx, &prose) in prose.iter().enumerate() {
        let line = lines.get(idx);
        if line.kind == BlockKind::TableRow {
            continue;
        }
        let Some(marker) = parse_marker(&line.text) else {
            continue;
        };
        let text = line.text.trim_end();
        let ended = text.ends_with('。') || prose;
        let item = Item {
            idx,
            kind: marker.kind,
            ended,
            semi: text.ends_with('；'),
            bare: !ended && last_char(text).is_some_and(|c| is_han(c) || c.is_ascii_alphanumeric()),
            marker_len: marker.len.min(text.len()),
        };
        match runs.iter_mut().find(|r| r.0 == marker.kind) {
            Some(run) if marker.number == run.1 + 1 => {
                run.1 = marker.number;
                run.2.push(item);
            }
            Some(run) => {
                close(&run.2, &mut out);
                run.1 = marker.number;
                run.2 = if marker.number == 1 {
                    vec![item]
                } else {
                    Vec::new()
                };
            }
            None if marker.number == 1 => runs.push((marker.kind, 1, vec![item])),
            None => {}
        }
    }
    for run in &runs {
        close(&run.2, &mut out);
    }
    out
}

/// Whether the item at `idx`, with a marker of `kind`, is a leaf: what follows is a sibling
/// or a marker of a higher level, not one of its own items or text.
fn is_leaf(lines: &Lines, idx: usize, kind: crate::structure::MarkerKind) -> bool {
    idx + 1 == lines.len() || {
        let next = lines.get(idx + 1);
        next.kind != BlockKind::TableRow
            && parse_marker(&next.text).is_some_and(|m| m.kind.base_level() <= kind.base_level())
    }
}

/// Fewest items of a list for its items' `。` to decide a bare one's.
const MIN_LIST_ITEMS: usize = 3;

/// Fewest characters of the bare item of a list of two for it to be read as a sentence
/// (`4个单位的资金653.54万元长期挂账未清理`), not a heading (`完善工作机制`).
const MIN_PAIR_SENTENCE: usize = 12;

/// Fewest Han characters of a sentence among a list's fields.
const MIN_FIELD_LIST_SENTENCE: usize = 6;

/// An item of a numbered list, for [`items_short_of_their_siblings_period`].
struct Item {
    /// Its line.
    idx: usize,
    /// Its marker's kind.
    kind: crate::structure::MarkerKind,
    /// Ends in `。`, or is prose that lost it.
    ended: bool,
    /// Ends in `；`.
    semi: bool,
    /// Ends bare: on a Han character, a letter or a digit.
    bare: bool,
    /// Bytes of the marker: the item's text follows.
    marker_len: usize,
}

/// Whether a line of running prose lost its final `。`.
pub fn needs_period(line: &Line) -> bool {
    let text = line.text.as_str();
    let Some(end) = last_char(text) else {
        return false;
    };
    if attribution_at_end(text).is_some() {
        return false;
    }
    if end.is_ascii_alphanumeric() || end == '%' {
        return sentence_ends_in_ascii(line);
    }
    if end == '》' {
        return sentence_ends_in_title(line);
    }
    if end == '）' {
        return sentence_ends_in_aside(line);
    }
    if end == '”' {
        return sentence_ends_in_quotation(line);
    }
    if !is_han(end) || end == '〇' {
        return false;
    }
    if CLOSING_FORMULAS.contains(&text) {
        return true;
    }
    if classify(line) != Class::Prose || is_doc_number_line(text) || is_title_line(text) {
        return false;
    }
    // A line cut off on a word that needs what follows (`…条件是否`, `…装机同比`) is no
    // sentence, whatever comes after it.
    if ends_on_a_word_that_goes_on(text) && !ends_on_a_noun(text) {
        return false;
    }
    // An item's own marker is no sentence punctuation: `a）第二级第一行` is a short label.
    let text = &text[list_item_prefix(text)..];
    let has_punct = text
        .chars()
        .any(|c| is_cjk_punct(c) && c != '“' && c != '”');
    has_punct || text.chars().count() >= MIN_BARE_PROSE
}

/// The lines of lists written without `。`: runs of at least [`MIN_LIST_ITEMS`] items in a
/// row opened alike (one bullet, letters, numbered levels; see [`list_item_prefix`]), none of
/// them ending in `。`. Their items are the list's style, not sentences that lost their stop.
fn lists_written_bare(lines: &Lines) -> Vec<usize> {
    let opener = |text: &str| {
        let first = text.chars().next()?;
        (list_item_prefix(text) > 0).then(|| {
            if first.is_ascii_alphabetic() {
                'a'
            } else if first.is_ascii_digit() {
                '0'
            } else {
                first
            }
        })
    };
    let mut out = Vec::new();
    let mut run: Vec<usize> = Vec::new();
    let mut run_opener = None;
    let close = |run: &mut Vec<usize>, out: &mut Vec<usize>| {
        if run.len() >= MIN_LIST_ITEMS
            && run
                .iter()
                .all(|&i| !lines.get(i).text.trim_end().ends_with('。'))
        {
            out.append(run);
        }
        run.clear();
    };
    for idx in 0..lines.len() {
        let line = lines.get(idx);
        let this = (line.kind != BlockKind::TableRow)
            .then(|| opener(&line.text))
            .flatten();
        if this.is_none() || this != run_opener {
            close(&mut run, &mut out);
        }
        run_opener = this;
        if this.is_some() {
            run.push(idx);
        }
    }
    close(&mut run, &mut out);
    out
}

/// Bullets that open the items of a list.
const BULLETS: &[char] = &[
    '•', '·', '●', '○', '■', '□', '◆', '◇', '▪', '►', '▶', '➢', '✓', '√', '-', '*',
];

/// Bytes of the item marker that opens `text` outside the GB/T 9704 markers: a bullet
/// (`•`), a letter or number before a half bracket or stop (`a）`, `1）`, `A.`), a numbered
/// level (`1.2.1.`); 0 when there is none.
fn list_item_prefix(text: &str) -> usize {
    let mut chars = text.char_indices().peekable();
    let Some((_, first)) = chars.next() else {
        return 0;
    };
    let after = |i: usize| {
        i + text[i..]
            .chars()
            .take_while(|c| matches!(c, ' ' | '\u{3000}' | '\u{a0}'))
            .map(char::len_utf8)
            .sum::<usize>()
    };
    if BULLETS.contains(&first) {
        return after(first.len_utf8());
    }
    if first.is_ascii_alphabetic() {
        return match chars.next() {
            Some((i, c @ ('）' | ')' | '.' | '．' | '、'))) => after(i + c.len_utf8()),
            _ => 0,
        };
    }
    if !first.is_ascii_digit() {
        return 0;
    }
    // Digits, then `）`, or groups of digits joined by stops (`1.2.1.`, at least two groups).
    let mut end = 0;
    let mut groups = 0;
    let mut in_digits = false;
    for (i, c) in text.char_indices() {
        if c.is_ascii_digit() {
            in_digits = true;
            continue;
        }
        if !in_digits {
            break;
        }
        in_digits = false;
        match c {
            '）' | ')' if groups == 0 => return after(i + c.len_utf8()),
            '.' | '．' => {
                groups += 1;
                end = i + c.len_utf8();
            }
            _ => break,
        }
    }
    if in_digits {
        groups += 1;
        end = text.len();
    }
    if groups >= 2 && end < text.len() {
        after(end)
    } else {
        0
    }
}

/// Whether a line of prose that ends on a book title is a sentence that lost its `。`: the
/// title follows the Han text of a clause (`我厅研究制定了《办法》`, `…，印发《实施方案》`),
/// which is a sentence of its own or has clauses before it. A title alone, a title after a
/// label (`附件：《…》`) or a list marker, and table rows get none.
fn sentence_ends_in_title(line: &Line) -> bool {
    let text = line.text.trim_end();
    let Some(open) = text.rfind('《') else {
        return false;
    };
    let head = &text[..open];
    if text.contains('\t')
        || !last_char(head).is_some_and(is_han)
        || head.contains(['：', ':'])
        || classify(line) != Class::Prose
        || is_title_line(text)
    {
        return false;
    }
    head.contains(['，', '。', '；'])
        || head.chars().filter(|&c| is_han(c)).count() >= MIN_TITLE_SENTENCE
}

/// Whether a paragraph of prose that ends on a bracketed aside lost its `。`: the aside
/// (`（地址：…；电话：028-86853390）`, `（以下简称《办法》）`) closes the last sentence of a
/// paragraph whose earlier sentences end in `。`, and follows that sentence's text. A line
/// without a full sentence before the aside (`（二）`, `附件：实施细则（试行）`,
/// `关于…的通知（征求意见稿）`) and table rows get none.
fn sentence_ends_in_aside(line: &Line) -> bool {
    let text = line.text.trim_end();
    let Some(open) = text.rfind('（') else {
        return false;
    };
    let head = &text[..open];
    if text.contains('\t')
        || text[open + '（'.len_utf8()..].contains(['。', '（'])
        || !last_char(head).is_some_and(|c| is_han(c) || c.is_ascii_alphanumeric() || c == '》')
        || classify(line) != Class::Prose
    {
        return false;
    }
    // The last sentence: what follows the last `。` before the aside.
    head.rfind('。').is_some_and(|at| {
        let sentence = &head[at + '。'.len_utf8()..];
        sentence.chars().filter(|&c| is_han(c)).count() >= MIN_ASIDE_SENTENCE
    })
}

/// The dashes that set off an attribution, two of one kind.
const ATTRIBUTION_DASHES: [&str; 2] = ["——", "――"];

/// Where the attribution a line ends with begins (its dashes, a byte offset): the source of a
/// quotation or poem, which is no sentence of its own and no part of the line before. The
/// source names its era (`——（宋）陆游`, `――唐·李白《静夜思》`), or a work (`――《无题》`,
/// `——摘自《人民日报》`) or a person (`——杜甫`) after a whole sentence or a line of its own. A
/// phrase after a dash (`…只有一个——实干`, `一是抓好春耕生产——稳粮保供`, `每周一——周五`)
/// is none.
fn attribution_at_end(text: &str) -> Option<usize> {
    // Only the end of a line can hold one: the dashes and at most a source after them.
    let mut from = text.len().saturating_sub(4 * (MAX_ATTRIBUTION + 2));
    while !text.is_char_boundary(from) {
        from += 1;
    }
    // (By the dashes' lead byte: a substring search sets up a searcher each time, which costs
    // more than the few bytes it reads here.)
    let bytes = text.as_bytes();
    let at = memchr::memrchr_iter(0xE2, &bytes[from..])
        .map(|i| from + i)
        .find(|&i| {
            ATTRIBUTION_DASHES
                .iter()
                .any(|d| bytes[i..].starts_with(d.as_bytes()))
        })?;
    let dashes = 2 * '—'.len_utf8();
    let source = text[at + dashes..].trim();
    let before = text[..at].trim_end();
    let whole_before =
        before.is_empty() || before.ends_with(['。', '！', '？', '”', '」', '』', '…', '》', '）']);
    let chars: Vec<char> = source.chars().collect();
    let han = |s: &[char]| !s.is_empty() && s.iter().all(|&c| is_han(c));
    let name = |s: &[char]| {
        (2..=4).contains(&s.len())
            && han(s)
            && SURNAMES.contains(s[0])
            && !"一二三四五六七八九十日".contains(s[s.len() - 1])
    };
    // `（宋）陆游`: an era of one or two characters in brackets, then a name.
    let era = || {
        let open = matches!(chars.first(), Some('（' | '('));
        let close = chars.iter().position(|&c| matches!(c, '）' | ')'));
        open && close.is_some_and(|k| {
            (2..=3).contains(&k)
                && han(&chars[1..k])
                && (2..=4).contains(&(chars.len() - k - 1))
                && han(&chars[k + 1..])
        })
    };
    // `唐·李白《静夜思》`: an era of one character, a name, perhaps the work.
    let dotted = || {
        chars.get(1) == Some(&'·')
            && chars.first().is_some_and(|&c| is_han(c))
            && chars.len() <= MAX_ATTRIBUTION
    };
    // `《无题》`, `李商隐《无题》`, `摘自《人民日报》`: a work, after at most a few characters.
    let work = || {
        let Some(k) = source.find('《') else {
            return false;
        };
        let lead: Vec<char> = source[..k].chars().collect();
        source.ends_with('》')
            && lead.len() <= 4
            && (lead.is_empty() || han(&lead))
            && chars.len() <= MAX_ATTRIBUTION
    };
    let found = era() || dotted() || whole_before && (work() || name(&chars));
    (found && !source.contains(['，', '。', '；', '！', '？', '：', '—', '―'])).then_some(at)
}

/// Longest attribution after its dashes, in characters.
const MAX_ATTRIBUTION: usize = 20;

/// Whether a line of prose that ends on a quotation is a sentence that lost its `。` after it:
/// the quotation is a phrase of the sentence (`…，确保“有人管、有专业的人管”`, `…，“于是做这个
/// 事情的人也越来越多”`), with a clause before it. A quotation that ends its own sentence inside
/// (`“……。”`), a quoted phrase ending a heading (`灰色地带中的“爬虫”`, `广州制造业的“新名片”`)
/// and table rows get none.
fn sentence_ends_in_quotation(line: &Line) -> bool {
    let text = line.text.trim_end();
    let Some(open) = text.rfind('“') else {
        return false;
    };
    let head = &text[..open];
    let quoted = &text[open + '“'.len_utf8()..];
    let quoted = quoted.strip_suffix('”').unwrap_or(quoted);
    !text.contains('\t')
        && last_char(quoted).is_some_and(is_han)
        && head.contains(['，', '。', '；'])
        && classify(line) == Class::Prose
        && !starts_with_marker(text)
}

/// Fewest Han characters of the sentence before an aside for the paragraph to be read as
/// having lost its `。` after it.
const MIN_ASIDE_SENTENCE: usize = 6;

/// How many Han characters before its closing title make a line with no other punctuation a
/// sentence (`我厅研究制定了《办法》`).
const MIN_TITLE_SENTENCE: usize = 6;

/// Whether a line of prose that ends on an e-mail address, a telephone number or another
/// ASCII word is a sentence that lost its `。`: a paragraph with a sentence before
/// (`…报送回执。请各单位…联系电话：0571-28131207`), a contact clause after another clause
/// (`联系人：朱学军，联系电话：028-61297182`), or a running clause without any label
/// (`二、通过电子邮件将意见发送至jytbgs@126.com`, `…进行抽查，抽查比例不低于35%`). A `label：value` line (`电话：0898-65310760`),
/// a label with a list (`联系方式：田明，0898-65523579`) and table rows get none.
fn sentence_ends_in_ascii(line: &Line) -> bool {
    let text = line.text.trim_end();
    if text.contains('\t') {
        return false;
    }
    // The last clause, and the ASCII word it ends with.
    let clause_at = text.rfind(['，', '；', '。']).map_or(0, |i| {
        i + text[i..].chars().next().map_or(0, char::len_utf8)
    });
    let clause = &text[clause_at..];
    // The ASCII word: an address, a number or a plain word written right after Han text or a
    // label (not a URL or a formula, not a number set off by spaces in a line that wrapped).
    let head = clause.trim_end_matches(|c: char| {
        c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '_' | '-' | '+' | '%')
    });
    if !last_char(head).is_some_and(|c| is_han(c) || matches!(c, '：' | ':'))
        || classify(line) != Class::Prose
    {
        return false;
    }
    if text[..clause_at].contains('。') {
        return true;
    }
    let labelled =
        |s: &str| s.ends_with(['：', ':']) && s.chars().filter(|&c| is_han(c)).count() >= 2;
    if clause_at > 0 && labelled(head) {
        return true;
    }
    // A running clause without any label: the only one, when long enough for a sentence, or
    // the last of several when it ends on a percentage (`…进行抽查，抽查比例不低于35%`; a
    // plain number may go on in the next line: `地上建筑面积36794` ⏎ `9.86㎡`).
    let least = if clause_at == 0 {
        MIN_ASCII_SENTENCE
    } else if text.ends_with('%') {
        MIN_ASCII_CLAUSE
    } else {
        return false;
    };
    !text.contains(['：', ':']) && head.chars().filter(|&c| is_han(c)).count() >= least
}

/// Fewest Han characters before the percentage that ends the last clause of a line of
/// several clauses for the line to be read as a sentence.
const MIN_ASCII_CLAUSE: usize = 2;

/// Fewest Han characters before the ASCII word for a line without punctuation to be read as
/// a sentence.
const MIN_ASCII_SENTENCE: usize = 6;

/// Longest line taken for a document number or a title standing alone.
const MAX_MASTHEAD_LINE: usize = 40;

/// A document number standing as a line (`〔2020〕12号`, `国办发〔2020〕17号`,
/// `〔20XX〕第XX号`): no sentence ends in one.
fn is_doc_number_line(text: &str) -> bool {
    let t = text.trim();
    t.ends_with('号')
        && t.chars().count() <= MAX_MASTHEAD_LINE
        && t.find('〔').is_some_and(|open| t[open..].contains('〕'))
        && !t.contains(['，', '。', '；', '：'])
}

/// What the titles of official documents end with (GB/T 9704 document types).
const DOCUMENT_TYPES: &[&str] = &[
    "通知", "通告", "公告", "决定", "意见", "办法", "报告", "请示", "批复", "纪要", "决议", "公报",
    "规定", "细则", "方案", "规划", "命令", "议案", "函", "通报", "条例", "章程", "规则",
];

/// A title standing as a line (`关于印发《…办法》的通知`, `XXXX人民政府公告`): it ends with a
/// document type, holds no sentence punctuation and closes every bracket it opens (a line
/// that stops inside `《…` is a sentence broken before its continuation).
fn is_title_line(text: &str) -> bool {
    let t = text.trim();
    let balanced = |open: char, close: char| t.matches(open).count() == t.matches(close).count();
    DOCUMENT_TYPES.iter().any(|d| t.ends_with(d))
        && t.chars().count() <= MAX_MASTHEAD_LINE
        && !t.contains(['，', '。', '；', '：', '！', '？', ','])
        && balanced('《', '》')
        && balanced('（', '）')
        && balanced('“', '”')
}

#[cfg(test)]
mod tests {
    #[test]
    fn regex_lite_reads_the_pattern_as_regex_does() {
        crate::pattern::oracle::assert_agrees(
            DATE_LINE_PATTERN,
            &[
                "2021",
                "２０２１",
                "二〇二一",
                "年",
                "3",
                "12",
                "月",
                "5",
                "日",
                "十二",
                "-",
                "/",
                "X",
            ],
        );
    }

    use super::*;

    #[test]
    fn a_clause_cut_short_at_a_break_is_joined() {
        for (a, b) in [
            (
                "学员们仔细看老师亲笔示范，一笔",
                "一划临摹，反复练习，劲头十足。",
            ),
            (
                "您提出的建议收悉，我委会",
                "同相关部门积极承办，现答复如下：",
            ),
            ("会上，县", "住建局、县公安局负责同志作了详细解答。"),
            (
                "相同切割工艺下，金刚线越细，固结",
                "在钢线基体上的金刚石微粉颗粒越小。",
            ),
        ] {
            assert_eq!(
                run(&ParagraphJoin, &[a, b]),
                vec![format!("{a}{b}")],
                "{a} | {b}"
            );
        }
        for pair in [
            // A short last clause that does end a sentence.
            [
                "与三个基团相连时，补充一个氢，等等",
                "如化合物的键序不是整数，则用虚线表示。",
            ],
            ["附件已上传至平台，请查收", "联系人将另行通知各单位。"],
            ["该数值应大于或等于1，可选", "否则属于错误描述，默认为1。"],
            // Headings and slogans, lists of results and of names, a label next.
            [
                "抓党建，促发展",
                "今年以来，县委组织部坚持把党建工作抓在手上。",
            ],
            [
                "经查，该小区路灯损坏问题，待整改",
                "经查，该路段积水问题，待整改",
            ],
            ["经核实，该单位档案管理不够规范，待整改", "联系人：张三"],
            ["张建国，李明华，王芳，赵刚", "会议由县长张建国主持。"],
            // A last clause of a sentence that lost its `。`.
            ["各单位要高度重视，认真整改", "联系人将另行通知各单位。"],
        ] {
            assert_eq!(run(&ParagraphJoin, &pair), pair, "{pair:?}");
        }
    }

    #[test]
    fn a_break_inside_an_enumeration_is_joined() {
        for (a, b) in [
            (
                "打造集科研学术、临床",
                "实践、商业落地的产业上下游联动平台。",
            ),
            (
                "用群众听得懂的家常话宣讲宪法、民法典、老年人权益",
                "保护等方面的法律知识。",
            ),
            ("自治区领导许永锞、周异决、卢", "献匾、钱学明参加大会。"),
            ("让企业问题有处诉、有", "人管、有人办、有回应。"),
            (
                "积极采用人工智能技术解决各种应用问题，包括智能监控、医疗诊断、智能",
                "家居、政务法务等，为人类带来福祉。",
            ),
        ] {
            assert_eq!(
                run(&ParagraphJoin, &[a, b]),
                vec![format!("{a}{b}")],
                "{a} | {b}"
            );
        }
        for pair in [
            // A heading's marker is no enumeration.
            ["二、工作要求", "各处室、各单位要高度重视。"],
            // An item too long to be cut, before a new sentence.
            [
                "对优秀传统文化、推动机关文化建设起到了积极推动作用",
                "书画展入选作者、市规划和自然资源委机关干部张娟发言。",
            ],
            // `等` inside a word.
            ["展现了刻苦学习、快速成长", "一等奖获得者发言。"],
            // The next line opens with no list.
            ["会议听取了财政、审计", "工作汇报。"],
            // Lines that are all list.
            ["计算机、通信、电子", "机械、化工、材料"],
            // A new sentence whose subject is a list, or that opens with a preposition.
            [
                "会议要求，各单位要加强协调、配合",
                "公安、消防等部门要做好应急准备。",
            ],
            ["会议强调，要统筹发展、安全", "教育、卫生部门负责组织实施。"],
            [
                "第一条　为了规范行政执法、监督",
                "根据有关法律、法规，制定本办法。",
            ],
            ["参会人员：于明、白芳、顾宁", "夏德峰、钱芳鹏"],
        ] {
            assert!(!enumeration_spans_break(pair[0], pair[1]), "{pair:?}");
        }
    }

    #[test]
    fn han_enumeration_needs_one_to_three_numerals_and_no_space_after_the_comma() {
        for (text, expected) in [
            ("一、2014年工作情况", true),
            ("十二、加强领导", true),
            ("一二三、x", true),
            ("一二三四、x", false),
            ("一、", false),
            ("一、 加强", false),
            ("一，加强", false),
            ("（一）加强", false),
        ] {
            assert_eq!(is_han_enumeration(text), expected, "{text}");
        }
    }

    #[test]
    fn issued_line_ends_in_a_day_and_yin_fa() {
        for (text, expected) in [
            ("省政府办公厅　2012年5月17日印发", true),
            ("2012年5月17日 \u{3000}印发", true),
            ("二〇一二年五月十七日印发", true),
            ("２０１２年５月１７日印发", true),
            ("日印发", false),
            ("2012年5月17日印发。", false),
            ("5月印发", false),
        ] {
            assert_eq!(is_issued_line(text), expected, "{text}");
        }
    }

    #[test]
    fn label_value_is_a_short_label_a_colon_and_a_value_without_sentence_marks() {
        for (text, expected) in [
            ("地址：南京市北京西路63号", true),
            ("电话:025-12345678", true),
            ("联系人：张三：李四", true),
            ("a;b：c", true),
            ("：无标签", false),
            ("一二三四五六七八九十一：太长", false),
            ("一二三四五六七八九十：正好", true),
            ("地址，南京：北京西路", false),
            ("地址：南京，北京西路", false),
            ("地址：南京;北京西路", false),
            ("没有冒号", false),
        ] {
            assert_eq!(is_label_value(text), expected, "{text}");
        }
    }

    #[test]
    fn a_time_span_standing_as_a_line_is_no_sentence() {
        for (text, expected) in [
            ("2024年6月至12月", false),
            ("2024年3月1日至3月31日", false),
            ("即日起至2024年12月31日", false),
            ("每周一至周五上午9:00-12:00", false),
            ("2025年1月1日-2025年12月31日", false),
            // A span that runs on, or words beside it: a sentence.
            ("5月20日至31日京沪高速封闭施工", true),
            ("活动于2024年6月至12月举办，请各单位认真组织", true),
        ] {
            assert_eq!(needs_period(&line(text)), expected, "{text}");
        }
        assert!(!is_time_span("5月20日至31日，"));
        assert!(!is_time_span("至此"));
    }

    #[test]
    fn a_sentence_ending_on_a_book_title_lost_its_period() {
        for (text, expected) in [
            ("我厅研究制定了《办法》", true),
            ("为进一步规范管理，印发《实施方案》", true),
            ("《中华人民共和国政府信息公开条例》", false),
            ("附件：《关于开展专项检查的通知》", false),
            ("1.《政府信息公开条例》", false),
            ("相关文件《办法》", false),
            ("我厅研究制定了《办法》。", false),
            ("名称\t《办法》", false),
        ] {
            assert_eq!(needs_period(&line(text)), expected, "{text}");
        }
    }

    #[test]
    fn a_sentence_ending_on_a_quotation_lost_its_period() {
        for (text, expected) in [
            ("要压实关键环节监管，确保“有人管、有专业的人管”", true),
            ("模式已经相对成熟，“于是做这个事情的人也越来越多”", true),
            ("打造“国际美湾”背后，是敢为人先的产业“创新力”", true),
            ("美妆有望成为广州制造业的“新名片”", false),
            ("灰色地带中的“爬虫”", false),
            ("他说：“我们要把这件事办好。”", false),
            ("模式已经相对成熟，“于是做这个事情的人也越来越多”。", false),
            ("一、深入推进改革，做好“放管服”", false),
            ("名称\t“放管服”", false),
        ] {
            assert_eq!(needs_period(&line(text)), expected, "{text}");
        }
    }

    #[test]
    fn the_source_of_a_quotation_is_no_sentence() {
        for (text, expected) in [
            ("——（宋）陆游", false),
            ("读书破万卷，下笔如有神。——杜甫", false),
            ("4.蜡烛有心还惜别，替人垂泪到天明。――唐·杜牧《赠别》", false),
            ("当时明月在，曾照彩云归。――李商隐《无题》", false),
            ("不忘初心，方得始终。——摘自《人民日报》", false),
            // A clause or phrase after the dash ends a sentence: it names no era, work or
            // person, or follows no whole sentence.
            ("各地要抓紧落实——要求各地在五月底前报送材料", true),
            ("会议强调——进一步压实安全生产责任", true),
            ("我们的目标只有一个——人民满意", true),
            ("答案只有一个——实干", true),
            ("受理时间为每周一——周五", true),
            ("一是抓好春耕生产——稳粮保供", true),
            ("一个中心——两个基本点", true),
            ("全市开展“文明交通”主题宣传活动——我市在行动", true),
        ] {
            assert_eq!(needs_period(&line(text)), expected, "{text}");
        }
    }

    fn line(t: &str) -> Line {
        Line {
            text: t.into(),
            kind: if t.contains('\t') {
                BlockKind::TableRow
            } else {
                BlockKind::Paragraph
            },
        }
    }

    /// Each of `texts`, alone, gets its `。` back.
    fn each_gets_its_period(texts: &[&str]) {
        for t in texts {
            assert_eq!(run(&SentencePeriod, &[t]), vec![format!("{t}。")], "{t}");
        }
    }

    /// Run together, only the lines of `texts` at `at` get a `。`.
    fn only_these_get_their_period(texts: &[&str], at: &[usize]) {
        let mut want: Vec<String> = texts.iter().map(|s| s.to_string()).collect();
        for &i in at {
            want[i].push('。');
        }
        assert_eq!(run(&SentencePeriod, texts), want);
    }

    /// Each of `texts`, alone, is left as it is.
    fn each_is_left(texts: &[&str]) {
        for t in texts {
            assert_eq!(run(&SentencePeriod, &[t]), vec![t.to_string()], "{t}");
        }
    }

    #[test]
    fn a_line_opening_with_a_connective_goes_on_from_the_line_before() {
        assert_eq!(
            run(
                &ParagraphJoin,
                &["各单位要建立问题清单", "和整改台账，逐项销号。"]
            ),
            ["各单位要建立问题清单和整改台账，逐项销号。"]
        );
        // `及时` is a word: the line starts a sentence of its own.
        assert_eq!(
            run(
                &ParagraphJoin,
                &["（一）发挥政府公报作用", "及时报送规范性文件。"]
            )
            .len(),
            2
        );
        assert_eq!(
            run(&ParagraphJoin, &["地址：太", "原市迎泽区新建路1号"]),
            ["地址：太原市迎泽区新建路1号"]
        );
        assert_eq!(
            run(&ParagraphJoin, &["时间：2024年6月28日", "至2024年7月3日"]),
            ["时间：2024年6月28日至2024年7月3日"]
        );
        assert_eq!(
            run(&ParagraphJoin, &["项目联系人：肖鑫", "电话：020-83150476"]).len(),
            2
        );
        assert_eq!(
            run(&ParagraphJoin, &["性别：男", "汉族，大学学历。"]).len(),
            2
        );
    }

    #[test]
    fn words_that_need_what_follows_and_counts_carry_a_sentence_on() {
        assert_eq!(
            run(
                &ParagraphJoin,
                &["自本公告发布之日起，上述单位不得", "继续从事相关经营活动。"]
            ),
            ["自本公告发布之日起，上述单位不得继续从事相关经营活动。"]
        );
        assert_eq!(
            run(
                &ParagraphJoin,
                &["《办法》共七章", "三十九条，主要包括以下内容："]
            ),
            ["《办法》共七章三十九条，主要包括以下内容："]
        );
        assert_eq!(
            run(&ParagraphJoin, &["联系方式：钱丽", "萍，025-83508494"]),
            ["联系方式：钱丽萍，025-83508494"]
        );
        assert_eq!(
            run(
                &ParagraphJoin,
                &["地点：交易中心开标室（地址：太原", "市政务服务中心四楼）"]
            ),
            ["地点：交易中心开标室（地址：太原市政务服务中心四楼）"]
        );
        assert_eq!(
            run(
                &ParagraphJoin,
                &["各设区市民政局，厅", "机关各处室、厅属各单位："]
            ),
            ["各设区市民政局，厅机关各处室、厅属各单位："]
        );
        assert_eq!(run(&ParagraphJoin, &["证明", "[单位名称]："]).len(), 2);
        assert_eq!(
            run(&ParagraphJoin, &["通信地址：南宁", "市民族大道152号"]),
            ["通信地址：南宁市民族大道152号"]
        );
        // The rest of a value that reads as a signature on its own.
        assert_eq!(
            run(
                &ParagraphJoin,
                &[
                    "地点：广州市公",
                    "共资源交易中心",
                    "方式：登录广州市公共资源交易中心网站下载",
                    "开标地点：广州市公共资源交易中心",
                ]
            ),
            [
                "地点：广州市公共资源交易中心",
                "方式：登录广州市公共资源交易中心网站下载",
                "开标地点：广州市公共资源交易中心"
            ]
        );
        // A line that reads as a signature, or is gapped inside a title, before the rest of
        // its sentence.
        assert_eq!(
            run(
                &ParagraphJoin,
                &["清理结果经局党组会", "议审议通过后，通过门户网站公开。"]
            ),
            ["清理结果经局党组会议审议通过后，通过门户网站公开。"]
        );
        assert_eq!(
            run(
                &ParagraphJoin,
                &[
                    "根据《中共中央 国务院关于全面实施预",
                    "算绩效管理的意见》，制定本办法。"
                ]
            ),
            ["根据《中共中央 国务院关于全面实施预算绩效管理的意见》，制定本办法。"]
        );
        assert_eq!(
            run(
                &ParagraphJoin,
                &["请各单位高度重视，对照", "通知要求认真自查。"]
            ),
            ["请各单位高度重视，对照通知要求认真自查。"]
        );
        for pair in [
            ["山西省应急管理厅", "2024年1月5日"],
            ["中共平潭县委员会", "平潭县人民政府"],
        ] {
            assert_eq!(run(&ParagraphJoin, &pair), pair.to_vec(), "{pair:?}");
        }
        // A signature after a whole value stays a line of its own.
        assert_eq!(
            run(&ParagraphJoin, &["联系人：王强", "山西省应急管理厅"]).len(),
            2
        );
        assert_eq!(
            run(
                &ParagraphJoin,
                &["《办法》自2021年8月30日起", "施行，有效期3年。"]
            ),
            ["《办法》自2021年8月30日起施行，有效期3年。"]
        );
        assert_eq!(
            run(
                &ParagraphJoin,
                &["按照综合", "预算的原则，所有收入和支出均纳入部门预算管理。"]
            ),
            ["按照综合预算的原则，所有收入和支出均纳入部门预算管理。"]
        );
        // A sentence that ends on a usual last word stays whole.
        assert_eq!(
            run(
                &ParagraphJoin,
                &["经局党组会议审议通过", "十年来，我局坚持依法行政。"]
            )
            .len(),
            2
        );
    }

    #[test]
    fn a_table_of_contents_and_the_headings_it_lists_get_no_period() {
        let out = run(
            &SentencePeriod,
            &[
                "目录",
                "一、单位主要职能",
                "6.2024年预算单位政府性基金预算支出功能分类预算表",
                "上海市普陀区社会福利院主要职能",
                "福利院是收养社会孤老的事业单位",
            ],
        );
        assert_eq!(out[2], "6.2024年预算单位政府性基金预算支出功能分类预算表");
        assert_eq!(out[3], "上海市普陀区社会福利院主要职能");
        assert_eq!(out[4], "福利院是收养社会孤老的事业单位。");
    }

    #[test]
    fn a_gapped_entry_that_ends_open_runs_on() {
        assert_eq!(
            run(
                &ParagraphJoin,
                &[
                    "刘建宁 区交通与建设局副局长、",
                    "平潭县政府常务副县长",
                    "吴国庆 平潭县公路局局长"
                ]
            ),
            [
                "刘建宁 区交通与建设局副局长、平潭县政府常务副县长",
                "吴国庆 平潭县公路局局长"
            ]
        );
    }

    fn run(rule: &dyn Rule, texts: &[&str]) -> Vec<String> {
        let mut lines = Lines::new(texts.iter().map(|t| line(t)).collect());
        rule.apply(&mut lines, &mut Context::default());
        lines.finish().0.into_iter().map(|l| l.text).collect()
    }

    use proptest::prelude::*;

    proptest::proptest! {
        #[test]
        fn asked_pairs_are_the_counted_pairs(
            texts in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(&["人", "员", "安", "全", "人人", "，", "a", "1"][..]),
                    0..10,
                ).prop_map(|v| v.concat()),
                0..5,
            )
        ) {
            let lines = Lines::new(texts.iter().map(|t| line(t)).collect());
            let pairs = HanPairs::new(&lines);
            let counted = han_pairs(texts.iter().map(String::as_str));
            for a in ['人', '员', '安', '全'] {
                for b in ['人', '员', '安', '全'] {
                    prop_assert_eq!(pairs.contains(a, b), counted.contains(&pack(a, b)), "{}{}", a, b);
                }
            }
        }
    }

    #[test]
    fn classes_of_body_lines() {
        assert_eq!(classify(&line("各市审计局：")), Class::Colon);
        assert_eq!(classify(&line("2021年3月5日")), Class::Date);
        assert_eq!(classify(&line("二〇〇八年三月五日")), Class::Date);
        assert_eq!(classify(&line("安徽省审计厅")), Class::Signature);
        assert_eq!(
            classify(&line("内蒙古自治区人力资源和社会保障厅")),
            Class::Signature
        );
        assert_eq!(classify(&line("一、总体要求")), Class::Heading);
        assert_eq!(classify(&line("）加强领导")), Class::Heading);
        assert_eq!(
            classify(&line("地址：南京市北京西路63号")),
            Class::LabelValue
        );
        assert_eq!(classify(&line("序号\t姓名")), Class::TableRow);
        assert_eq!(
            classify(&line("现将有关事项通知如下，请遵照执行")),
            Class::Prose
        );
    }

    #[test]
    fn a_value_cut_off_its_label_line_is_joined() {
        assert_eq!(
            run(
                &ParagraphJoin,
                &["联系人：政策法规", "处李鑫；联系电话：0531-81426501。"]
            ),
            vec!["联系人：政策法规处李鑫；联系电话：0531-81426501。"]
        );
        for pair in [
            ["地址：南京市北京西路63号", "邮编：210024"],
            ["联系人：李鑫", "电话：0531-81426501；传真：0531-81426502"],
            ["联系人：李鑫", "请于本周内报送，逾期不候。"],
        ] {
            assert_eq!(run(&ParagraphJoin, &pair), pair.to_vec(), "{pair:?}");
        }
    }

    #[test]
    fn a_word_cut_in_two_is_joined() {
        assert_eq!(
            run(
                &ParagraphJoin,
                &[
                    "各单位要严格执行24小时值班制度，值班人",
                    "员要坚守岗位。值班人员要保持通信畅通。",
                ]
            ),
            vec!["各单位要严格执行24小时值班制度，值班人员要坚守岗位。值班人员要保持通信畅通。"]
        );
        assert_eq!(
            run(&ParagraphJoin, &["按照统", "一要求完善目录，统一公开。"]),
            vec!["按照统一要求完善目录，统一公开。"]
        );
        // A pair real pages write often (`时限`, `价值`), with no other evidence in the
        // document; a pair they write rarely (`动开`) is no evidence.
        assert_eq!(
            run(
                &ParagraphJoin,
                &["申请4件。已全部按照法定时", "限答复，其中予以公开8件。"]
            ),
            vec!["申请4件。已全部按照法定时限答复，其中予以公开8件。"]
        );
        // A bracket closed inside the sentence, which goes on with `的`.
        assert_eq!(
            run(
                &ParagraphJoin,
                &[
                    "持证人改变经营地址（因城市建设等客观原因除外）",
                    "的，应当重新申领许可证。"
                ]
            ),
            vec!["持证人改变经营地址（因城市建设等客观原因除外）的，应当重新申领许可证。"]
        );
        let items = ["开展社区法治宣传活动", "开展至少1次团体心理治疗。"];
        assert_eq!(run(&ParagraphJoin, &items), items.to_vec());
        // Lines set in parallel: verse, slogans.
        for lines in [
            ["首阳为拙；柳惠为工", "饱食安步，在仕代农。"],
            ["首问责任，一站服务", "一次告知，即时受理。"],
        ] {
            assert_eq!(run(&ParagraphJoin, &lines), lines.to_vec());
        }
        // The source of a quotation on a line of its own.
        for lines in [
            ["《冬夜读书示子聿》", "——（宋）陆游"],
            ["读书破万卷，下笔如有神", "——杜甫"],
            ["举头望明月，低头思故乡", "――唐·李白《静夜思》"],
        ] {
            assert_eq!(run(&ParagraphJoin, &lines), lines.to_vec());
        }
        // A clause or phrase after a dash is no source: the sentence goes on.
        for (a, b) in [
            ("各地要抓紧落实", "——要求各地在五月底前报送材料。"),
            (
                "全体干部职工要以饱满的热情投入工作，努力做到",
                "——人民满意。",
            ),
            ("一张蓝图绘到底，一任接着一任干", "——久久为功。"),
        ] {
            assert_eq!(run(&ParagraphJoin, &[a, b]), vec![format!("{a}{b}")]);
        }
        // A word of general Chinese across the break (`跟踪`, `理事会`, `血缘`), which neither
        // the document nor the common pairs hold.
        for (a, b) in [
            ("自治区审计厅将继续跟", "踪检查审计发现问题的整改情况。"),
            (
                "通过制定村规民约、成立村民建房理事",
                "会等方式，强化建房联动监管。",
            ),
            ("上面写着，阳阳和我不具备血", "缘关系。"),
            // A clause of two characters before a second predicate is the end of a phrase.
            (
                "对文件的文号、成文日期等要素进行规范",
                "标注，并提供全文检索和下载功能。",
            ),
            ("反映问题要实事", "求是，以个人名义反映的提倡签署真实姓名。"),
            (
                "对文件的文号、成文日期、发布日期、有效",
                "性等要素进行规范标注。",
            ),
            ("地址：武汉市武", "昌区卓刀泉北路2号"),
            // A number the sentence goes on from.
            (
                "2023年支出决算1000万元，比上年增长12.5%",
                "的主要原因是人员经费增加。",
            ),
        ] {
            assert_eq!(
                run(&ParagraphJoin, &[a, b]),
                vec![format!("{a}{b}")],
                "{a} | {b}"
            );
        }
        // A number broken at its hyphen, whatever the line's class.
        assert_eq!(
            run(
                &ParagraphJoin,
                &["联系人：政策法规处李鑫；联系电话：0531-", "81426501。"]
            ),
            vec!["联系人：政策法规处李鑫；联系电话：0531-81426501。"]
        );
        for pair in [
            ["编号：A-", "12"],
            ["电话：0531", "-81426501。"],
            ["阶段-", "2021年"],
        ] {
            assert_eq!(run(&ParagraphJoin, &pair), pair.to_vec(), "{pair:?}");
        }
        assert_eq!(
            run(
                &ParagraphJoin,
                &["坚持“一事一审”原", "则，严格履行审核程序。"]
            ),
            vec!["坚持“一事一审”原则，严格履行审核程序。"]
        );
        assert_eq!(
            run(
                &ParagraphJoin,
                &["根据《关于加强审计整改工作的通", "知》要求，现通知如下："]
            ),
            vec!["根据《关于加强审计整改工作的通知》要求，现通知如下："]
        );
        assert_eq!(
            run(
                &ParagraphJoin,
                &["各单位要严格执行值班制度，值班人", "员要坚守岗位。"]
            ),
            vec!["各单位要严格执行值班制度，值班人员要坚守岗位。"]
        );
        assert_eq!(
            run(&ParagraphJoin, &["公开征求意见，", "并及时反馈。"]),
            vec!["公开征求意见，并及时反馈。"]
        );
        // A sentence that has only begun when the line ends (the seed page).
        assert_eq!(
            run(
                &ParagraphJoin,
                &[
                    "并按规定在省厅政府信息公开网站公开。对审计",
                    "权力清单实行动态管理，分类建立健全权力运行监督管理细则。"
                ]
            ),
            vec![
                "并按规定在省厅政府信息公开网站公开。对审计权力清单实行动态管理，分类建立健全权力运行监督管理细则。"
            ]
        );
        // A run-in heading's text can be split too.
        assert_eq!(
            run(
                &ParagraphJoin,
                &[
                    "二、加强安全工作。重点检查消防安全、用电安",
                    "全和网络安全。"
                ]
            ),
            vec!["二、加强安全工作。重点检查消防安全、用电安全和网络安全。"]
        );
    }

    #[test]
    fn a_complete_line_is_not_joined() {
        for pair in [
            ["一、总体要求", "加强领导。"],
            ["各市审计局：", "现将有关事项通知如下。"],
            ["安徽省审计厅", "2021年3月5日"],
            ["全年未发生负面舆情", "反映问题要实事求是。"],
            ["切实加强基层组织工作", "文体委员会要认真履职。"],
            ["全年未发生负面舆情", "此外，我局还开展了专项检查。"],
            ["经研究决定任命以下同志", "王强，男，1975年生。"],
            [
                "今年以来，我局工作取得积极成效",
                "未来，我局将继续深化政务公开工作。",
            ],
            ["主要体现在以下几个方面", "第一，明确了适用范围。"],
            [
                "一、起草《太原市政府信息公开工作规定（试行）》的背景和主要依据",
                "为深入贯彻落实《条例》，结合我市实际，起草了本规定。",
            ],
            [
                "现任市交通运输局综合科科长，拟任市交通运输局副局长",
                "王强，1978年5月生。",
            ],
            // Names, one a line or one an item, make words across a break (`宁夏`, `明白`).
            ["顾宁", "夏德峰"],
            ["于明、白芳、顾宁", "夏德峰、钱芳鹏"],
            ["联系人：李明", "白城市财政局"],
            [
                "以个人名义反映的提倡签署真实姓名",
                "以单位名义反映的应加盖单位公章。",
            ],
            [
                "工作取得了积极成效。下一步继续加强管理",
                "全年未发生负面舆情。",
            ],
            ["现就有关事项说明", "（一）明确了总体要求。"],
            ["工作取得了积极成效", "）规范了工作程序。"],
            ["项目\t金额", "合计\t100"],
        ] {
            assert_eq!(run(&ParagraphJoin, &pair), pair.to_vec(), "{pair:?}");
        }
    }

    #[test]
    fn running_prose_gets_its_period_back() {
        assert_eq!(
            run(&SentencePeriod, &["加大政策解读力度，及时回应社会关切"]),
            vec!["加大政策解读力度，及时回应社会关切。"]
        );
        assert_eq!(run(&SentencePeriod, &["特此公告"]), vec!["特此公告。"]);
        assert_eq!(run(&SentencePeriod, &["此复"]), vec!["此复。"]);
        // A sentence on a verb in `行`, above the signature of a bank.
        assert_eq!(
            run(
                &SentencePeriod,
                &["本通知自发布之日起执行", "中国人民银行福建省分行"]
            ),
            vec!["本通知自发布之日起执行。", "中国人民银行福建省分行"]
        );
    }

    #[test]
    fn a_sentence_ending_on_an_address_or_number_gets_its_period() {
        each_gets_its_period(&[
            "二、通过电子邮件将意见发送至jytbgs@126.com",
            "联系人：朱学军，联系电话：028-61297182",
            "（二）及时报送回执。请各单位按时报送，联系人：汤丽，联系电话：0571-28131207",
        ]);
        each_is_left(&[
            "电话：0898-65310760",
            "联系方式：田明，0898-65523579",
            "邮箱abc@x.cn",
            "官网自行下载。下载地址：http://www.example.cn/a.aspx?id=1",
            "目前单价从 2019 年降低到 2022 年 Q1",
            "依法订立补充。公式x=-b±b2-4ac2a",
            "收入合计\t10145.88",
        ]);
        // A sentence broken inside a title's brackets is prose.
        assert_eq!(
            run(
                &SentencePeriod,
                &["按照《国务院办公厅关于做好政务公开工作的通知》要求做好公开工作"]
            ),
            vec!["按照《国务院办公厅关于做好政务公开工作的通知》要求做好公开工作。"]
        );
        each_gets_its_period(&[
            "第十九条 审计、财政等部门依照各自职责实施监督",
            "3.项目支出：指在基本支出之外为完成特定行政任务所发生的支出",
            "2.韦永红，女，汉族，1968年11月生，博士研究生，现任综合规划处副处长",
            "）完善了监督机制。《办法》将违法违规行为纳入信用管理",
        ]);
        assert_eq!(
            run(&SentencePeriod, &["自本公告发布之日起5个工作日"]),
            vec!["自本公告发布之日起5个工作日。"]
        );
        assert_eq!(
            run(
                &SentencePeriod,
                &["（六）明确了法律责任。《办法》规定了相应的法律责任"]
            ),
            vec!["（六）明确了法律责任。《办法》规定了相应的法律责任。"]
        );
    }

    #[test]
    fn a_sentence_ending_on_a_percentage_or_an_aside_gets_its_period() {
        each_gets_its_period(&[
            "资金总额266.05亿元。截至审计时，已支出254.36亿元，支出率为95.6%",
            "我厅采取“四不两直”方式，对各地自查情况进行抽查，抽查比例不低于35%",
            "统计期限至2023年12月31日止。如对本报告有疑问，请与办公室联系（地址：成都市青羊区上汪家拐街39号；电话：028-86853390）",
            "现将有关事项通知如下。各地印发了《实施办法》（以下简称《办法》）",
        ]);
        each_is_left(&[
            "（二）",
            "附件：实施细则（试行）",
            "关于印发《管理办法》的通知（征求意见稿）",
            "一、加强组织领导（牵头单位：市发改委）",
            "请于10日前报送。联系人（电话）",
            "现予公布。（此页无正文）",
            "增长率\t5.6%",
            "占比5.6%",
            "总建筑面积516192.36㎡，地上建筑面积36794",
            "变换关系中字符的数量，默认为1",
        ]);
    }

    #[test]
    fn a_list_item_gets_the_period_its_siblings_have() {
        let items = [
            "一、登录门户网站，在“意见征集”栏目中提出意见。",
            "二、通过电子邮件将意见发送至jytbgs@126.com。",
            "征求意见的说明。",
            "三、通过信函将意见寄至学生资助管理中心。",
            "四、意见反馈截止时间为2012年1月4日",
            "征求意见期间，我厅将认真研究公众提出的意见建议。",
        ];
        only_these_get_their_period(&items, &[4]);
        // A sentence among fields, with no text under it.
        let items = [
            "1.项目编号：苏ZC2013-F1-0744",
            "2.预算金额：753.83万元",
            "3.采购需求：本项目采购内容为相关技术服务，按要求提交成果。",
            "4.本项目不接受联合体投标",
            "二、申请人的资格要求",
        ];
        only_these_get_their_period(&items, &[3]);
        // A heading among fields has text under it.
        let items = [
            "1.项目编号：苏ZC2013-F1-0744",
            "2.预算金额：753.83万元",
            "3.其他需要说明的事项",
            "投标人应当按时提交投标文件。",
        ];
        assert_eq!(run(&SentencePeriod, &items), items.to_vec());
        // One bare item in two is no pattern; nor are two items with a short one.
        for items in [
            &["1.加强组织领导。", "2.完善工作机制", "3.强化督促检查"][..],
            &["（一）加强组织领导。", "（二）完善工作机制"][..],
        ] {
            assert_eq!(run(&SentencePeriod, items), items.to_vec(), "{items:?}");
        }
        // Items that lost their `。` themselves count as ended.
        let items = [
            "一、登录门户网站，在“意见征集”栏目中提出意见。",
            "二、通过电子邮件将意见发送至jytbgs@126.com",
            "三、通过信函将意见寄至学生资助管理中心。",
            "四、意见反馈截止时间为2012年1月4日",
            "征求意见期间，我厅将认真研究公众提出的意见建议。",
        ];
        only_these_get_their_period(&items, &[1, 3]);
        // The last item of a list in `；`.
        let items = [
            "1.满足《中华人民共和国政府采购法》第二十二条规定；",
            "2.落实政府采购政策需满足的资格要求：本项目专门面向中小企业采购。",
            "3.本项目的特定资格要求：无",
            "三、获取招标文件",
        ];
        only_these_get_their_period(&items, &[2]);
        // ... unless it has text or items under it.
        for next in ["（1）采购方式", "供应商应当具备下列条件。"] {
            let items = [
                "1.具有独立承担民事责任的能力；",
                "2.具有良好的商业信誉；",
                "3.其他条件",
                next,
            ];
            assert_eq!(run(&SentencePeriod, &items), items.to_vec(), "{items:?}");
        }
        // A sentence in a list of two, with no text under it.
        let items = [
            "1.项目建设进度滞后。19个项目未按计划开工或完工。",
            "（1）4个单位的资金653.54万元长期挂账未清理",
            "（2）4个县（市、区）的相关资金40.31万元未按规定用途使用。",
            "2.部分政策未落实到位。",
        ];
        only_these_get_their_period(&items, &[1]);
        let items = [
            "（1）4个单位的资金653.54万元长期挂账未清理。",
            "（2）4个县（市、区）的相关资金40.31万元未按规定用途使用",
            "2.部分政策未落实到位。",
        ];
        only_these_get_their_period(&items, &[1]);
        // A short heading with text under it, among long headings that read as prose.
        let items = [
            "一、《太原市政府信息公开工作规定（试行）》出台的背景和主要依据",
            "近年来，我市政务公开工作取得积极进展。",
            "二、《太原市政府信息公开工作规定（试行）》的起草过程和意见采纳情况",
            "起草过程中，广泛征求了各方面意见。",
            "三、主要内容",
            "《规定》共六章三十条。",
            "四、《太原市政府信息公开工作规定（试行）》的主要创新点和特色做法",
            "一是明确了公开主体。",
        ];
        let out = run(&SentencePeriod, &items);
        assert_eq!(out[4], "三、主要内容", "{out:?}");
        // A heading of two, with text under it, stays bare.
        let items = [
            "（1）2023年度部门收入预算安排情况说明",
            "本年收入预算1000万元。",
            "（2）支出预算安排情况。本年支出预算1000万元。",
        ];
        assert_eq!(run(&SentencePeriod, &items), items.to_vec());
    }

    #[test]
    fn the_headings_a_table_of_contents_lists_get_no_period() {
        let lines = [
            "目录",
            "一、部门主要职能……………………",
            "二、部门预算编制说明………………",
            "上海市普陀区司法局主要职能",
            "上海市普陀区司法局是区政府工作部门，负责全区司法行政工作",
            "2026年部门预算编制说明",
            "现将部门预算编制情况说明",
        ];
        only_these_get_their_period(&lines, &[4, 6]);
    }

    #[test]
    fn list_items_in_their_own_style_get_no_period() {
        // A marker outside GB/T 9704 is no sentence punctuation: these are short labels.
        each_is_left(&[
            "a）第二级第一行",
            "1）列表",
            "1.2.1.第三级第一行",
            "• 保留原文档",
        ]);
        each_gets_its_period(&[
            "a）加强组织领导，完善工作机制",
            "1.5亿元用于建设，完成了投资任务",
        ]);
        // A bulleted list none of whose items ends in `。` is written so.
        let items = [
            "•删除页眉、页脚、脚注、页码等元素，确保语义连贯",
            "•输出符合人类阅读顺序的文本，适用于单栏、多栏及复杂排版",
            "•保留原文档的结构，包括标题、段落、列表等",
        ];
        assert_eq!(run(&SentencePeriod, &items), items.to_vec());
        // One item of a list that ends its items in `。` lost its own.
        let items = [
            "•删除页眉、页脚、脚注、页码等元素，确保语义连贯。",
            "•输出符合人类阅读顺序的文本，适用于单栏、多栏及复杂排版",
            "•保留原文档的结构，包括标题、段落、列表等。",
        ];
        assert_eq!(run(&SentencePeriod, &items)[1], format!("{}。", items[1]));
    }

    #[test]
    fn lists_of_headings_or_of_clauses_keep_their_ends() {
        for items in [
            // Headings end bare.
            &[
                "一、总体要求",
                "二、主要任务",
                "三、保障措施",
                "四、工作要求",
            ][..],
            // Clauses end in `；`, the last in `。`.
            &[
                "（一）预算公开；",
                "（二）决算公开；",
                "（三）三公经费",
                "（四）其他。",
            ][..],
            // Numbering that does not run on is no list.
            &[
                "一、加强领导。",
                "三、完善机制。",
                "四、强化督查。",
                "五、严格考核",
            ][..],
        ] {
            assert_eq!(run(&SentencePeriod, items), items.to_vec(), "{items:?}");
        }
    }

    #[test]
    fn lines_that_end_without_period_by_convention_are_left() {
        each_is_left(&[
            "一、制定背景",
            "（一）基本支出",
            "1.采购人信息",
            "各市审计局：",
            "安徽省审计厅",
            "2021年3月5日",
            "二〇〇八年三月五日",
            "地址：南京市北京西路63号",
            "合同履行期限：24个月",
            "项目概况",
            "序号\t姓名\t拟聘单位",
            "联系电话：0512-68672751",
            "收支预算总表（单位：万元）",
            "已经结束。",
            "联系电话：0512-68672751",
            "网址：www.gov.cn",
            "联系方式：许芳，025-83709811",
            "吴国庆\u{a0} 平潭县公路局局长",
            "传承红色基因 \u{a0}革命精神血脉永续",
            "平潭综合实验区管委会办公室\u{a0}\u{a0} 2012年5月17日印发",
            "一、2014年政府信息公开工作情况",
            "三、突出重点工作，全面推进审计信息公开",
            "2.项目名称：江苏省预算管理一体化系统运维服务项目",
            "第二章 组织实施",
            "〔2020〕XX号",
            "国办发〔2020〕17号",
            "XXXX人民政府公告",
            "关于印发《政府信息公开工作考核办法》的通知",
            "20XX年XX月XX日",
            "XXXX 年 XX月 XX 日",
            "XXXX人民政府            2020年2月19日",
        ]);
        // The items of a list of attachments.
        let list = [
            "附件：1.知识竞答工作要求",
            "2.数字微展览、工作案例、视频微课等作品报送要求",
            "3.2024年高校“礼敬中华优秀传统文化”宣传教育活动成果征集表",
        ];
        assert_eq!(run(&SentencePeriod, &list), list.to_vec());
        // A caption right above its table.
        assert_eq!(
            run(
                &SentencePeriod,
                &[
                    "2026年部门收入预算总表",
                    "编制部门：上海市普陀区司法局\t单位：元",
                    "上表列出了本部门全部收入来源和金额",
                ]
            ),
            vec![
                "2026年部门收入预算总表",
                "编制部门：上海市普陀区司法局\t单位：元",
                "上表列出了本部门全部收入来源和金额。"
            ]
        );
        // A caption with its note (`（2023年度）`) between it and the table.
        let captioned = [
            "财政项目支出绩效目标填报表",
            "（2023年度）",
            "项目名称\t司法行政业务",
        ];
        assert_eq!(run(&SentencePeriod, &captioned), captioned.to_vec());
        // A placeholder date, titles of letters and bulletins, lines cut on a word that needs
        // what follows.
        each_is_left(&[
            "XXX 年 XX 月 XX 日",
            "福州市人民政府关于同意设立某某开发区的函",
            "关于2023年度政务公开工作考核情况的通报",
            "申请人应当说明生产经营能力、条件是否",
            "今年1-5月全国光伏新增装机同比",
            "请大家互相转告，愿大家都能",
            "未经批准的项目不能",
        ]);
        // A sentence ending on a noun of such a word still gets its `。`.
        each_gets_its_period(&["评价结果作为以后年度资金分配的重要依据"]);
    }

    #[test]
    fn a_line_cut_on_a_word_that_needs_what_follows_runs_on() {
        assert_eq!(
            run(
                &ParagraphJoin,
                &[
                    "申请人应当说明生产经营能力、条件是否",
                    "发生变化，并提交材料。"
                ]
            ),
            ["申请人应当说明生产经营能力、条件是否发生变化，并提交材料。"]
        );
    }
}

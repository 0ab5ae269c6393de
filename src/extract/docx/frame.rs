//! The official-document frame (GB/T 9704) around the body: the red masthead (`XX文件`), the
//! 发文字号 line, the title (one to three centred lines) at the top; the signature (落款) and
//! its date at the bottom.
//!
//! The masthead, number and title lines are taken out of the body; the signature and date stay
//! in it and are only read. Values are kept as printed (the metadata stage normalises them).
//!
//! Recognised at the top, in any order the GB/T 9704 layouts use: 份号 / 密级 / 紧急程度 marks
//! (dropped); a `…文件` masthead, a joint masthead (issuers stacked beside a `文件` box, all
//! above the number line), or a decree masthead (`…令` over `第N号`); the 发文字号 line, bare or
//! in parentheses, with or without `签发人`; one to three centred (or Title-styled) title lines,
//! which stop at a blank line, the number line, a heading marker (`第一章`, `一、`), a numbered
//! or dated line, a parenthesised note, or a line ending in `：`. At the bottom: the last date
//! line (`2021年3月5日`, `二〇〇八年三月五日`) among the last six lines, and the issuer on the
//! line before it when it reads as an organisation.

use std::sync::LazyLock;

use regex_lite::Regex;

use crate::pattern::compile;

use super::Align;
use super::body::{Para, Sizes};

#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Frame {
    pub title: Option<String>,
    pub masthead: Option<String>,
    pub doc_number: Option<String>,
    pub signature: Option<String>,
    pub date: Option<String>,
    /// Indices of the paragraphs that are frame, not body.
    pub dropped: Vec<usize>,
}

// Digits in the patterns are ASCII or fullwidth, as in the repair rules and the structure
// parser: Unicode `\d` (the digits of every script) made every worker process compile automata
// several times larger.

/// Longest issuer code (`国办发`) of a 发文字号 line.
const MAX_ISSUER: usize = 24;

/// A 发文字号 line. The issuer is the shortest run that lets the rest match, bounded by
/// [`doc_number_line`], not here: the class repeated twenty-four times cost every worker
/// process millions of instructions to compile.
static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| compile(DOC_NUMBER_PATTERN));
// Template placeholders (`XX发〔20XX〕XX号`) count as digits: the line is still the number.
pub(crate) const DOC_NUMBER_PATTERN: &str = r"^(?P<issuer>[\p{Han}A-Za-z]+?)[〔\[［【(（]?[0-9０-９X]{4}[〕\]］】)）]?第?[0-9０-９X]{1,5}号$";
static DATE: LazyLock<Regex> = LazyLock::new(|| compile(DATE_PATTERN));
pub(crate) const DATE_PATTERN: &str = r"^(?:[0-9０-９]{4}\s*年\s*[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*日|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)$";
static DECREE_NUMBER: LazyLock<Regex> = LazyLock::new(|| compile(DECREE_NUMBER_PATTERN));
pub(crate) const DECREE_NUMBER_PATTERN: &str = r"^第\s*[0-9０-９一二三四五六七八九十百零〇]*\s*号$";
static MARKER: LazyLock<Regex> = LazyLock::new(|| compile(MARKER_PATTERN));
pub(crate) const MARKER_PATTERN: &str = r"^(?:第[一二三四五六七八九十百零〇0-9０-９]+[章节条编]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十0-9０-９]+[)）]|[0-9０-９]+[.．、])";

// Compiling a pattern costs a worker up to ~2 ms (`DOC_NUMBER`'s `\p{Han}` class most), more
// than reading a small file: these three compile and run theirs only on a line with the last
// (and first) character it requires.

fn is_doc_number(text: &str) -> bool {
    text.ends_with('号')
        && DOC_NUMBER
            .captures(text)
            .is_some_and(|c| c["issuer"].chars().count() <= MAX_ISSUER)
}

static DATE_AT_END: LazyLock<Regex> = LazyLock::new(|| compile(DATE_AT_END_PATTERN));
pub(crate) const DATE_AT_END_PATTERN: &str =
    r"\s[0-9０-９]{4}\s*年\s*[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*日$";

/// Whether a line ends with a date set off by a space (`XX人民政府 2021年3月5日`).
fn ends_with_date(text: &str) -> bool {
    text.ends_with('日') && DATE_AT_END.is_match(text)
}

fn is_date(text: &str) -> bool {
    text.ends_with('日') && DATE.is_match(text)
}

fn is_decree_number(text: &str) -> bool {
    text.starts_with('第') && text.ends_with('号') && DECREE_NUMBER.is_match(text)
}

static BARE_NUMBER: LazyLock<Regex> = LazyLock::new(|| compile(BARE_NUMBER_PATTERN));
/// A number with no issuer code, as printed under a masthead that names the issuer: a
/// letter's `〔2021〕5号`, an announcement's `〔2021〕第3号` or `2021年第3号`, a template's
/// `〔2020〕号` with the number left blank.
pub(crate) const BARE_NUMBER_PATTERN: &str =
    r"^[〔\[［【(（]?[0-9０-９X]{4}(?:[〕\]］】)）]|年)第?[0-9０-９X]{0,5}号$";

fn is_bare_number(text: &str) -> bool {
    text.ends_with('号') && BARE_NUMBER.is_match(text)
}

/// The number a line under a masthead prints: a 发文字号 (`国办发〔2020〕17号`), a bare one
/// (`〔2021〕5号`) or a decree's `第5号`.
fn masthead_number(text: &str) -> Option<String> {
    doc_number_line(text).or_else(|| {
        // An upward report prints its signer beside the number (`〔2021〕5号  签发人：张三`).
        let text = text.split("签发人").next().unwrap_or(text);
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        (is_bare_number(&compact) || is_decree_number(&compact)).then(|| text.trim().to_string())
    })
}

/// The kinds a masthead names after its issuer: `XX文件`, `XX人民政府公告`, `XX会议纪要`,
/// `XX人民政府令`.
const MASTHEAD_KINDS: &[&str] = &["文件", "公告", "通告", "通报", "会议纪要", "纪要", "令"];

/// A telegram's kind, `XX办公厅发电`: a masthead's only after an organisation's name
/// (`…光伏发电` ends many a title), so not one of [`MASTHEAD_KINDS`].
const TELEGRAM_KIND: &str = "发电";

/// `issuer` without the kind of document a masthead names after it, if any.
pub(super) fn strip_kind(issuer: &str) -> &str {
    MASTHEAD_KINDS
        .iter()
        .chain(&[TELEGRAM_KIND])
        .find_map(|k| issuer.strip_suffix(k))
        .unwrap_or(issuer)
}

/// Whether a line, without its spaces, has a name's shape: 2 to 40 characters, no `关于` (a
/// title's) and no sentence punctuation.
fn name_shaped(compact: &str) -> bool {
    (2..=40).contains(&compact.chars().count())
        && !compact.contains("关于")
        && !compact.contains(['。', '，', '：', ':', '、'])
}

/// A line that reads as a masthead when the number line follows it: an issuer's name alone (a
/// letter's letterhead, `XX人民政府`) or with the kind of document it issues (`XX人民政府公告`,
/// `XX会议纪要`), never a title (`关于…的通知`) or a sentence.
fn masthead_over_number(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    name_shaped(&compact)
        && (is_organisation(&compact) || MASTHEAD_KINDS.iter().any(|k| compact.ends_with(k)))
}

/// A line that names an issuer, alone or with the kind of document it issues
/// (`XX市人民政府`, `XX市人民政府通告`, `国务院办公厅发电`): stricter than
/// [`masthead_over_number`], for a masthead with no number line under it to confirm it.
fn names_issuer(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    name_shaped(&compact) && is_organisation(strip_kind(&compact))
}

/// The 发文字号 a line prints, without its surrounding parentheses or a 签发人 part.
pub(super) fn doc_number_line(text: &str) -> Option<String> {
    let text = text.split("签发人").next().unwrap_or(text);
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let inner = compact
        .strip_prefix(['（', '('])
        .and_then(|s| s.strip_suffix(['）', ')']))
        .unwrap_or(&compact);
    is_doc_number(inner).then(|| inner.to_string())
}

/// Marks printed above the masthead: 份号 (copy number), 密级 and 紧急程度 (`机密★1年`, `特急`),
/// or bare decoration (`★`).
fn is_copy_mark(text: &str) -> bool {
    let t = text.trim();
    t.chars().all(|c| !c.is_alphanumeric())
        || (t.len() <= 8 && t.chars().all(|c| c.is_ascii_digit()))
        || t.contains('★')
        || matches!(t, "特急" | "加急" | "特提" | "平急" | "急件")
}

/// An attachment's label standing alone: `附件`, `附件1`, `附件二：`.
fn is_attachment_label(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    compact.strip_prefix("附件").is_some_and(|rest| {
        let rest = rest.trim_end_matches(['：', ':']);
        rest.chars().count() <= 3
            && rest
                .chars()
                .all(|c| c.is_numeric() || "一二三四五六七八九十-－".contains(c))
    })
}

fn is_masthead(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    compact.ends_with("文件")
        && compact.chars().count() <= 40
        && compact.chars().count() > 3
        && !compact.contains("关于")
}

/// Whether `name` reads as an organisation rather than a person.
pub(crate) fn is_organisation(name: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "局",
        "厅",
        "委员会",
        "委",
        "政府",
        "办公室",
        "办公厅",
        "办",
        "部",
        "院",
        "中心",
        "会",
        "处",
        "所",
        "站",
        "队",
        "署",
        "室",
        "公司",
        "集团",
        "大学",
        "学院",
        "学校",
        "馆",
        "社",
        "党组",
        "支部",
        "科",
        "组",
        "行",
        "监狱",
        "法院",
        "检察院",
        "银行",
        "协会",
        "联合会",
    ];
    let n = name.chars().count();
    (4..=60).contains(&n) && SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// How many paragraphs from the start have their font size measured (see
/// [`body_size`]).
pub(super) const SIZED_PARAS: usize = 40;

/// The font size most measured text is set in (half-points), weighted by characters; a table
/// row counts in the size most of its text is set in, where tables count (see below).
fn body_size(paras: &[Para]) -> Option<u16> {
    // Text outside tables decides when there is enough of it: a table's small type is not
    // what the text is set in. Headings and centred lines (titles) are not text.
    let measured = |in_tables: bool| {
        let mut sizes = Sizes::default();
        let mut chars = 0;
        let text = |p: &&Para| p.heading.is_none() && p.align != Align::Center;
        for p in paras.iter().filter(|p| in_tables && p.table_row || text(p)) {
            if let Some(size) = p.size {
                sizes.add(size, &p.text);
                chars += p.text.chars().count();
            }
        }
        (sizes.take_most(), chars)
    };
    match measured(false) {
        (size, chars) if chars >= MIN_BODY_SAMPLE => size,
        _ => measured(true).0,
    }
}

/// How many measured characters outside tables set the body size without the tables'.
const MIN_BODY_SAMPLE: usize = 100;

/// Whether a paragraph is set in display type: at least a fifth and 2 points larger than the
/// body text (a title in 二号 over a body in 三号, 22 pt over 16 pt; Word's 26 pt Title over 11
/// pt text).
fn display_size(p: &Para, body: Option<u16>) -> bool {
    match (p.size, body) {
        (Some(size), Some(body)) => {
            let (size, body) = (u32::from(size), u32::from(body));
            size * 5 >= body * 6 && size >= body + 4
        }
        _ => false,
    }
}

/// Whether a line reads as a title line rather than body text: centred, Title-styled or set
/// in display type, and shaped as a title. A line set in display type only is no title when
/// it reads as a masthead (an issuer's name, `XX人民政府通告`): a masthead is printed larger
/// still than the title.
fn title_like(p: &Para, body: Option<u16>) -> bool {
    let n = p.text.chars().count();
    let compact = || -> String { p.text.chars().filter(|c| !c.is_whitespace()).collect() };
    (p.align == Align::Center
        || p.title_style
        || (display_size(p, body) && !masthead_over_number(&p.text) && !names_issuer(&p.text)))
        // A table of contents' heading.
        && !matches!(compact().as_str(), "目录" | "目次")
        && !p.numbered
        && !p.table_row
        && n <= 80
        && !MARKER.is_match(&p.text)
        && !p.text.ends_with(['：', ':', '。'])
        && !is_date(&p.text)
        // A minutes' `XX人民政府办公室 2021年3月5日` line under its number.
        && !ends_with_date(&p.text)
        // `（2021年3月5日省政府第10次常务会议通过）` under a title is body, not title.
        && !(p.text.starts_with(['（', '(']) && p.text.ends_with(['）', ')']))
}

/// Recognise the frame in the body paragraphs (notes excluded).
pub(super) fn recognise(paras: &[Para]) -> Frame {
    let mut frame = Frame::default();
    let mut title_lines: Vec<usize> = Vec::new();
    let mut title_closed = false;
    let body = body_size(paras);
    joint_masthead(paras, &mut frame);
    let mut seen = 0;
    for (i, p) in paras.iter().enumerate() {
        if p.table_row {
            // A layout table holding the masthead (issuers in one cell, `文件` in the next).
            if frame.masthead.is_none() && title_lines.is_empty() && is_masthead(&p.text) {
                let issuers = p.text.split('\t').next().unwrap_or_default();
                frame.masthead = Some(issuers.chars().filter(|c| !c.is_whitespace()).collect());
                frame.dropped.push(i);
                continue;
            }
            break;
        }
        if frame.dropped.contains(&i) {
            continue;
        }
        if p.text.is_empty() {
            if !title_lines.is_empty() {
                title_closed = true;
            }
            continue;
        }
        seen += 1;
        if seen > 10 {
            break;
        }
        let nothing_yet =
            frame.masthead.is_none() && title_lines.is_empty() && frame.doc_number.is_none();
        if nothing_yet && is_copy_mark(&p.text) {
            frame.dropped.push(i);
            continue;
        }
        // An attachment sent as a file of its own opens with its label (`附件1`) over its
        // title: the label stays in the body, the title is still read.
        if nothing_yet && is_attachment_label(&p.text) {
            continue;
        }
        let decree = || {
            p.text.trim_end().ends_with('令')
                && paras[i + 1..]
                    .iter()
                    .find(|q| !q.text.is_empty())
                    .is_some_and(|q| is_decree_number(q.text.trim()))
        };
        let over_number = || {
            masthead_over_number(&p.text)
                && paras[i + 1..]
                    .iter()
                    .find(|q| !q.text.is_empty())
                    .is_some_and(|q| !q.table_row && masthead_number(&q.text).is_some())
        };
        // A letterhead (GB/T 9704's 信函格式, or a 通知 or 证明 form): the issuer's name
        // alone in display type, with no number line under it, over a title in display type
        // but smaller: half as large again at least (57 pt over 22 pt, as printed), or apart
        // from it by a blank line. A name only a little larger, right over the rest, is a
        // title's first line (`XX市人民政府办公室` ⏎ `关于印发…的通知`).
        let letterhead = || {
            let Some(next) = paras[i + 1..].iter().position(|q| !q.text.is_empty()) else {
                return false;
            };
            let q = &paras[i + 1 + next];
            let apart = next > 0;
            let much_larger = match (p.size, q.size) {
                (Some(head), Some(title)) => 2 * u32::from(head) >= 3 * u32::from(title),
                _ => false,
            };
            display_size(p, body)
                && names_issuer(&p.text)
                && title_like(q, body)
                && display_size(q, body)
                && q.size < p.size
                && (much_larger || apart)
        };
        if nothing_yet && (is_masthead(&p.text) || decree() || over_number() || letterhead()) {
            frame.masthead = Some(p.text.chars().filter(|c| !c.is_whitespace()).collect());
            frame.dropped.push(i);
            continue;
        }
        if frame.doc_number.is_none()
            && let Some(number) = doc_number_line(&p.text).or_else(|| {
                frame
                    .masthead
                    .is_some()
                    .then(|| masthead_number(&p.text))
                    .flatten()
            })
        {
            frame.doc_number = Some(number);
            frame.dropped.push(i);
            if !title_lines.is_empty() {
                title_closed = true;
            }
            continue;
        }
        if title_lines.is_empty() && frame.masthead.is_some() && p.text.contains("签发人") {
            frame.dropped.push(i);
            continue;
        }
        // A title's next line is set as its first: centred (or Title-styled) under a centred
        // one, in type as large under one read by its size; not a heading under it.
        let continues = |first: &Para| {
            if first.align == Align::Center || first.title_style {
                p.align == Align::Center || p.title_style
            } else {
                p.size >= first.size
            }
        };
        if !title_closed
            && title_lines.len() < 3
            && title_like(p, body)
            && title_lines.first().is_none_or(|&f| continues(&paras[f]))
        {
            title_lines.push(i);
            continue;
        }
        break;
    }
    if !title_lines.is_empty() {
        let mut title = String::new();
        for &i in &title_lines {
            join_title(&mut title, &paras[i].text);
        }
        frame.title = Some(title);
        frame.dropped.extend(&title_lines);
    }
    frame.dropped.sort_unstable();

    // The 落款: a date line near the end, the issuer on the line before it.
    let tail: Vec<usize> = (0..paras.len())
        .rev()
        .filter(|&i| !paras[i].text.is_empty() && !paras[i].table_row)
        .take(6)
        .collect();
    for (k, &i) in tail.iter().enumerate() {
        let text = paras[i].text.trim_matches(['（', '）', '(', ')']);
        if is_date(text) && frame.dropped.binary_search(&i).is_err() {
            frame.date = Some(text.to_string());
            if let Some(&prev) = tail.get(k + 1) {
                let line = paras[prev].text.trim();
                if is_organisation(line) && frame.dropped.binary_search(&prev).is_err() {
                    frame.signature = Some(line.to_string());
                }
            }
            break;
        }
    }
    frame
}

/// A joint masthead: several issuers' names stacked, with `文件` beside them (often in a text
/// box), all above the 发文字号 (or 签发人) line. Everything above that line is masthead when
/// one piece is `…文件` and every piece is a short line.
fn joint_masthead(paras: &[Para], frame: &mut Frame) {
    let head: Vec<usize> = (0..paras.len())
        .filter(|&i| !paras[i].text.is_empty())
        .take_while(|&i| !paras[i].table_row)
        .take(12)
        .collect();
    let Some(pos) = head.iter().position(|&i| {
        let t = &paras[i].text;
        masthead_number(t).is_some() || t.contains("签发人")
    }) else {
        return;
    };
    let pieces = &head[..pos];
    let short = |t: &str| t.chars().count() <= 30 && !t.contains(['。', '：', ':']);
    if pieces.len() < 2
        || !pieces.iter().all(|&i| short(&paras[i].text))
        || !pieces
            .iter()
            .any(|&i| paras[i].text.trim_end().ends_with("文件"))
    {
        return;
    }
    let name = |i: usize| {
        let t: String = paras[i]
            .text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        t.strip_suffix("文件").map(str::to_string).unwrap_or(t)
    };
    frame.masthead = pieces
        .iter()
        .map(|&i| name(i))
        .find(|n| is_organisation(n))
        .or_else(|| Some(name(pieces[0])));
    frame.dropped.extend(pieces);
}

/// Title lines run on (a Chinese title is cut anywhere, even inside `2016`); only a title
/// without any CJK character gets a space between its lines.
fn join_title(title: &mut String, line: &str) {
    let latin = |s: &str| !s.chars().any(|c| c as u32 >= 0x2E80);
    if !title.is_empty() && latin(title) && latin(line) {
        title.push(' ');
    }
    title.push_str(line);
}

#[cfg(test)]
mod tests {
    #[test]
    fn regex_lite_reads_the_patterns_as_regex_does() {
        let pieces = [
            "国办发",
            "2020",
            "２０２０",
            "XX",
            "〔",
            "〕",
            "17",
            "号",
            "第",
            "二〇二〇",
            "年",
            "十二",
            "月",
            "日",
            "章",
            "条",
            "一、",
            "（一）",
            "1.",
            " ",
        ];
        for pattern in [
            DOC_NUMBER_PATTERN,
            DATE_PATTERN,
            DECREE_NUMBER_PATTERN,
            BARE_NUMBER_PATTERN,
            DATE_AT_END_PATTERN,
            MARKER_PATTERN,
        ] {
            crate::pattern::oracle::assert_agrees(pattern, &pieces);
        }
    }

    use super::*;

    fn para(text: &str, align: Align) -> Para {
        Para {
            text: text.to_string(),
            align,
            ..Para::default()
        }
    }

    #[test]
    fn number_lines_with_damage_and_parentheses() {
        assert_eq!(
            doc_number_line("（黑环发〔2014〕9号）").as_deref(),
            Some("黑环发〔2014〕9号")
        );
        assert_eq!(
            doc_number_line("闽水201393号").as_deref(),
            Some("闽水201393号")
        );
        assert_eq!(
            doc_number_line("成财〔2014〕33号　　签发人：张三").as_deref(),
            Some("成财〔2014〕33号")
        );
        assert_eq!(doc_number_line("根据国发〔2004〕10号文件精神"), None);
        assert_eq!(
            doc_number_line("XX发〔20XX〕XX号").as_deref(),
            Some("XX发〔20XX〕XX号")
        );
        assert_eq!(
            doc_number_line("黑环发〔２０１４〕９号").as_deref(),
            Some("黑环发〔２０１４〕９号")
        );
    }

    #[test]
    fn the_issuer_is_at_most_max_issuer_characters() {
        // Placeholder `X`s after the issuer count as digits, not as issuer letters.
        let longest = format!("{}XXXX12号", "字".repeat(MAX_ISSUER));
        assert_eq!(doc_number_line(&longest), Some(longest.clone()));
        assert_eq!(doc_number_line(&format!("字{longest}")), None);
        let placeholder_issuer = format!("{}XXXXXX12号", "字".repeat(MAX_ISSUER - 2));
        assert!(doc_number_line(&placeholder_issuer).is_some());
    }

    #[test]
    fn display_type_is_measured_against_the_body_size_without_overflow() {
        let sized = |size: u16| Para {
            size: Some(size),
            ..para("标题", Align::Left)
        };
        assert!(display_size(&sized(44), Some(32)));
        assert!(!display_size(&sized(36), Some(32)));
        assert!(display_size(&sized(u16::MAX), Some(u16::MAX / 2)));
        assert!(!display_size(&sized(u16::MAX), Some(u16::MAX)));
        assert!(!display_size(&sized(44), None));
    }

    #[test]
    fn masthead_number_split_title_and_signature() {
        let paras = vec![
            para("福建省水利厅文件", Align::Center),
            para("", Align::Left),
            para("闽水〔2013〕93号", Align::Center),
            para("", Align::Center),
            para("福建省水利厅", Align::Center),
            para("关于做好2013年政务公开重点工作的通知", Align::Center),
            para("", Align::Left),
            para("各设区市水利局：", Align::Left),
            para("正文。", Align::Left),
            para("福建省水利厅", Align::Right),
            para("2013年7月18日", Align::Right),
        ];
        let frame = recognise(&paras);
        assert_eq!(frame.masthead.as_deref(), Some("福建省水利厅文件"));
        assert_eq!(frame.doc_number.as_deref(), Some("闽水〔2013〕93号"));
        assert_eq!(
            frame.title.as_deref(),
            Some("福建省水利厅关于做好2013年政务公开重点工作的通知")
        );
        assert_eq!(frame.signature.as_deref(), Some("福建省水利厅"));
        assert_eq!(frame.date.as_deref(), Some("2013年7月18日"));
        assert_eq!(frame.dropped, vec![0, 2, 4, 5]);
    }

    #[test]
    fn a_letterhead_in_display_type_with_no_number_is_the_masthead_over_the_title() {
        let sized = |text: &str, align: Align, size: u16| Para {
            size: Some(size),
            ..para(text, align)
        };
        let read = |head: &str, title: &str| {
            let paras = vec![
                // GB/T 9704's letterhead: the issuer's name in red 57 pt, spread over the line.
                sized(head, Align::Left, 114),
                para("", Align::Left),
                sized(title, Align::Center, 44),
                sized("各有关单位：", Align::Left, 32),
                sized("为做好有关工作，现将有关事项通知如下。", Align::Left, 32),
                sized("XX市人民政府", Align::Right, 32),
                sized("2020年2月19日", Align::Right, 32),
            ];
            let frame = recognise(&paras);
            (frame.masthead, frame.title, frame.dropped)
        };
        for (head, title) in [
            ("XX市人民政府", "关于做好春节期间安全生产工作的通知"),
            ("XX市人民政府", "证  明"),
            ("XX市人民政府通告", "关于禁止燃放烟花爆竹的通告"),
            ("国务院办公厅发电", "关于做好防汛工作的紧急通知"),
        ] {
            let (masthead, got, dropped) = read(head, title);
            assert_eq!(masthead.as_deref(), Some(head), "{head}");
            assert_eq!(got.as_deref(), Some(title), "{head}");
            assert_eq!(dropped, vec![0, 2], "{head}");
        }
        // A title ending in a kind of document is no letterhead, nor a name over body-sized
        // centred text, over larger type or over body text.
        let paras = vec![
            sized(
                "辽宁省水利厅水文监测站点运维服务项目招标公告",
                Align::Center,
                52,
            ),
            para("", Align::Left),
            sized("项目概况", Align::Center, 44),
            sized("为做好有关工作，现将有关事项通知如下。", Align::Left, 32),
        ];
        let frame = recognise(&paras);
        assert_eq!(frame.masthead, None);
        assert_eq!(
            frame.title.as_deref(),
            Some("辽宁省水利厅水文监测站点运维服务项目招标公告")
        );
        let paras = vec![
            sized("XX市人民政府", Align::Left, 114),
            sized("项目概况", Align::Center, 32),
            sized("为做好有关工作，现将有关事项通知如下。", Align::Left, 32),
        ];
        assert_eq!(recognise(&paras).masthead, None);
        let paras = vec![
            sized("XX市人民政府", Align::Left, 44),
            sized("关于做好春节期间安全生产工作的通知", Align::Center, 48),
        ];
        assert_eq!(recognise(&paras).masthead, None);
        // A name a little larger right over the rest is a title's first line.
        for (head, rest) in [
            (
                "XX市人民政府办公室",
                "关于印发XX市安全生产专项整治三年行动方案的通知",
            ),
            ("XX市律师协会", "章  程"),
        ] {
            let paras = vec![
                sized(head, Align::Center, 52),
                sized(rest, Align::Center, 44),
                sized("为做好有关工作，现将有关事项通知如下。", Align::Left, 32),
            ];
            let frame = recognise(&paras);
            assert_eq!(frame.masthead, None, "{head}");
            assert_eq!(frame.title, Some(format!("{head}{rest}")), "{head}");
        }
        // `发电` ends a telegram's masthead after an organisation only: a title may end in it.
        let paras = vec![
            sized("浅谈农村分布式光伏发电", Align::Left, 44),
            sized("为做好有关工作，现将有关事项说明如下。", Align::Left, 32),
        ];
        assert_eq!(
            recognise(&paras).title.as_deref(),
            Some("浅谈农村分布式光伏发电")
        );
        let paras = vec![
            sized("XX省人民政府办公厅发电", Align::Left, 44),
            sized("为做好有关工作，现将有关事项说明如下。", Align::Left, 32),
        ];
        assert_eq!(recognise(&paras).title, None);
        let paras = vec![
            sized("XX市人民政府", Align::Left, 114),
            sized("为做好有关工作，现将有关事项通知如下。", Align::Left, 32),
        ];
        assert_eq!(recognise(&paras).masthead, None);
    }

    #[test]
    fn letterheads_announcements_and_minutes_over_their_number() {
        let read = |head: &str, number: &str| {
            let paras = vec![
                para(head, Align::Center),
                para(number, Align::Center),
                para("关于禁止燃放烟花爆竹的通告", Align::Center),
                para("各有关单位：", Align::Left),
                para("正文。", Align::Left),
            ];
            let frame = recognise(&paras);
            (frame.masthead, frame.doc_number, frame.title, frame.dropped)
        };
        for (head, number) in [
            ("福州市人民政府通告", "榕政告〔2021〕2号"),
            ("福州市人民政府", "榕政函〔2020〕15号"),
            ("国家税务总局公告", "2021年第5号"),
            ("福州市人民政府公告", "〔2021〕第3号"),
            ("市政府常务会议纪要", "〔2021〕12号"),
            ("福州市人民政府令", "第 5 号"),
        ] {
            let (masthead, doc_number, title, dropped) = read(head, number);
            assert_eq!(masthead.as_deref(), Some(head), "{head}");
            assert_eq!(doc_number.as_deref(), Some(number), "{head}");
            assert_eq!(
                title.as_deref(),
                Some("关于禁止燃放烟花爆竹的通告"),
                "{head}"
            );
            assert_eq!(dropped, vec![0, 1, 2], "{head}");
        }
        // An upward report's number with its signer beside it.
        let (masthead, doc_number, title, dropped) = read(
            "福州市人民政府办公室",
            "〔2021〕5号\u{3000}\u{3000}签发人：张三",
        );
        assert_eq!(masthead.as_deref(), Some("福州市人民政府办公室"));
        assert_eq!(doc_number.as_deref(), Some("〔2021〕5号"));
        assert_eq!(title.as_deref(), Some("关于禁止燃放烟花爆竹的通告"));
        assert_eq!(dropped, vec![0, 1, 2]);
        // A title over its number is no masthead: it stays the title.
        let (masthead, doc_number, title, _) =
            read("国务院办公厅关于印发方案的通知", "国办发〔2020〕17号");
        assert_eq!(masthead, None);
        assert_eq!(doc_number.as_deref(), Some("国办发〔2020〕17号"));
        assert_eq!(title.as_deref(), Some("国务院办公厅关于印发方案的通知"));
        // An attachment's label over its title stays in the body.
        let paras = vec![
            para("附件1", Align::Left),
            para("2019年1月考试时间安排表", Align::Center),
            para("正文。", Align::Left),
        ];
        let frame = recognise(&paras);
        assert_eq!(frame.title.as_deref(), Some("2019年1月考试时间安排表"));
        assert_eq!(frame.dropped, vec![1]);
        // Minutes: the issuer and date line under the number is no title.
        let paras = vec![
            para("会议纪要", Align::Center),
            para("〔2021〕12号", Align::Center),
            para("福州市人民政府办公厅 2021年3月5日", Align::Center),
            para("正文。", Align::Left),
        ];
        let frame = recognise(&paras);
        assert_eq!(frame.doc_number.as_deref(), Some("〔2021〕12号"));
        assert_eq!(frame.title, None);
        // A joint masthead over a number with no issuer code.
        let paras = vec![
            para("文件", Align::Center),
            para("福州市人民政府", Align::Center),
            para("福州市财政局", Align::Center),
            para("〔2020〕7号", Align::Center),
            para("关于开展检查的通知", Align::Center),
        ];
        let frame = recognise(&paras);
        assert_eq!(frame.masthead.as_deref(), Some("福州市人民政府"));
        assert_eq!(frame.doc_number.as_deref(), Some("〔2020〕7号"));
        assert_eq!(frame.title.as_deref(), Some("关于开展检查的通知"));
        // A bare year and number with no masthead over it is not taken for a number.
        let paras = vec![
            para("〔2021〕5号", Align::Center),
            para("正文。", Align::Left),
        ];
        assert_eq!(recognise(&paras).doc_number, None);
    }

    #[test]
    fn joint_masthead_with_a_separate_wenjian_box() {
        let paras = vec![
            para("文件", Align::Center),
            para("某某省人民政府", Align::Center),
            para("某某省财政厅", Align::Center),
            para("某政发〔2020〕3号　　签发人：张三", Align::Left),
            para("关于某事的请示", Align::Center),
            para("省政府：", Align::Left),
        ];
        let frame = recognise(&paras);
        assert_eq!(frame.masthead.as_deref(), Some("某某省人民政府"));
        assert_eq!(frame.doc_number.as_deref(), Some("某政发〔2020〕3号"));
        assert_eq!(frame.title.as_deref(), Some("关于某事的请示"));
        assert_eq!(frame.dropped, vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn copy_marks_and_decree_mastheads() {
        let paras = vec![
            para("000123", Align::Left),
            para("机密★1年", Align::Left),
            para("某某市人民政府令", Align::Center),
            para("第 12 号", Align::Center),
            para(
                "《某某市管理办法》已经市政府常务会议通过，现予公布。",
                Align::Left,
            ),
        ];
        let frame = recognise(&paras);
        assert_eq!(frame.masthead.as_deref(), Some("某某市人民政府令"));
        assert_eq!(frame.doc_number.as_deref(), Some("第 12 号"));
        assert_eq!(frame.dropped, vec![0, 1, 2, 3]);
    }

    #[test]
    fn masthead_in_a_layout_table() {
        let mut row = para("某某省财政厅 某某省人力资源和社会保障厅\t文件", Align::Left);
        row.table_row = true;
        let paras = vec![
            row,
            para("某财社〔2021〕8号", Align::Center),
            para("关于某事的通知", Align::Center),
        ];
        let frame = recognise(&paras);
        assert_eq!(
            frame.masthead.as_deref(),
            Some("某某省财政厅某某省人力资源和社会保障厅")
        );
        assert_eq!(frame.dropped, vec![0, 1, 2]);
    }

    #[test]
    fn title_stops_at_a_centred_chapter_heading() {
        let paras = vec![
            para("黑龙江省生态环境厅生态环", Align::Center),
            para("境行政处罚自由裁量基准规定", Align::Center),
            para("（黑环发〔2014〕9号）", Align::Center),
            para("第一章 总则", Align::Center),
        ];
        let frame = recognise(&paras);
        assert_eq!(
            frame.title.as_deref(),
            Some("黑龙江省生态环境厅生态环境行政处罚自由裁量基准规定")
        );
        assert_eq!(frame.dropped, vec![0, 1, 2]);
    }
}

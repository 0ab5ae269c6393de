//! Document numbers (发文字号): issuer code + year + serial + `号`, normalised to the
//! GB/T 9704-2012 form `国办发〔2020〕17号`.
//!
//! Damaged forms undone: both brackets lost (`国办发202017号`), one lost (`〔201961号`,
//! `2019〕61号`), other brackets (`[2020]` `【2020】` `(2020)` `（2020）` `﹝2020﹞` `［2020］`
//! `〖2020〗`), spaces inside (`〔 2020 〕`), `第` before the serial (`〔2020〕第17号`), leading
//! zeros (`〔2020〕017号`) and full-width digits.
//!
//! Look-alikes are never touched: the year must lie between 1949 and next year; without any
//! bracket the issuer must look like an issuer code (not an address such as `中山路20211号`,
//! not an `ICP备` number) and `第` is not accepted; hotline numbers, amounts (`202017元`),
//! dates, index numbers (`002985886/202012-00023`) and article numbers have no issuer + `号`
//! shape and are not matched.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::{Context, Lines, Rule};

/// Words that end the text before an issuer code (`按照国办发…`, `以成财…`): the issuer starts
/// after the last of them in the run of Han characters before the number.
pub const ISSUER_BOUNDARIES: &[&str] = &[
    "贯彻落实",
    "按照",
    "依据",
    "根据",
    "依照",
    "参照",
    "对照",
    "落实",
    "贯彻",
    "执行",
    "印发",
    "转发",
    "下发",
    "制发",
    "遵照",
    "结合",
    "通过",
    "关于",
    "详见",
    "以",
    "和",
    "及",
    "与",
    "的",
    "于",
    "据",
    "按",
    "见",
    "即",
    "或",
    "暨",
    "并",
    "是",
    "为",
    "由",
    "经",
    "将",
    "对",
    "在",
];

/// Last characters that make a Han run an address or a place, not an issuer code; used only
/// when no bracket is left to vouch for the number.
pub const NOT_ISSUER_ENDINGS: &str = "路街道巷弄里村镇楼室座幢栋区县市省层院园场门站号";

/// Longest issuer code accepted when no bracket is left.
const MAX_BARE_ISSUER: usize = 8;

/// Compiled with `regex`, not [`crate::pattern`]: it runs on every clause with a 号 and a
/// year, where `regex-lite`'s matching cost three times the compilation it saves.
static DOC_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&doc_number_pattern()).expect("document number pattern"));

pub(crate) fn doc_number_pattern() -> String {
    // U+FFFD: a bracket lost to lossy mojibake reversal.
    let open = r"[〔\[【(（﹝［〖〘⦗{｛\u{FFFD}]";
    let close = r"[〕\]】)）﹞］〗〙⦘}｝\u{FFFD}]";
    let d = r"[0-9０-９]";
    let sp = r"[ \u{3000}\u{a0}]*";
    format!(
        r"(?P<iss>\p{{Han}}+){sp}(?:(?P<o>{open}){sp}(?P<y1>{d}{{4}}){sp}(?P<c1>{close})?|(?P<y2>{d}{{4}}){sp}(?P<c2>{close})|(?P<y3>{d}{{4}})){sp}(?P<di>第{sp})?(?P<n>{d}{{1,5}}){sp}号"
    )
}

/// A document number found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocNumber {
    /// The issuer code (`国办发`).
    pub issuer: String,
    pub year: u32,
    pub serial: u32,
    /// Byte range of the whole number, issuer included.
    pub range: Range<usize>,
    /// Byte range from the end of the issuer to the end of `号`.
    pub tail: Range<usize>,
}

impl DocNumber {
    /// The GB/T 9704 form: `国办发〔2020〕17号`.
    pub fn canonical(&self) -> String {
        format!("{}〔{}〕{}号", self.issuer, self.year, self.serial)
    }

    /// The canonical form of the part after the issuer: `〔2020〕17号`.
    pub fn canonical_tail(&self) -> String {
        format!("〔{}〕{}号", self.year, self.serial)
    }
}

/// The latest plausible year of a document number: next year.
fn max_year() -> u32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // Days to civil year, good enough for a bound (the year changes within a day of truth).
    let year = 1970 + (secs / 86_400 * 400 / 146_097) as u32;
    year + 1
}

fn digits(s: &str) -> Option<u32> {
    let mut n: u32 = 0;
    for c in s.chars() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            '０'..='９' => c as u32 - '０' as u32,
            _ => return None,
        };
        n = n.checked_mul(10)?.checked_add(d)?;
    }
    Some(n)
}

/// Where the issuer code starts inside a run of Han characters: after the last occurrence of
/// any of the [`ISSUER_BOUNDARIES`] that leaves at least [`MIN_ISSUER`] characters of the run
/// after it, or at 0. (`岚经发` keeps its `经`: no issuer code is one character.)
///
/// Each word's last occurrence is what counts, and a word whose last occurrence leaves too few
/// characters counts for nothing (not even its earlier occurrences). So the answer is the
/// greatest end, at most [`MIN_ISSUER`] characters before the run's end, at which some word
/// ends whose last occurrence does not end later: walking the ends back, the first such end
/// is it. The issuer is a few characters long, so the walk stops early, where the forward
/// search it replaces read the whole run once per word ([`issuer_start_by_search`] is kept as
/// the test oracle).
fn issuer_start(run: &str) -> usize {
    let latest = latest_issuer_start(run);
    let ends_late = |w: &&str| run.rfind(*w).is_some_and(|i| i + w.len() > latest);
    for (end, _) in run.char_indices().rev() {
        if end > latest {
            continue;
        }
        let head = &run[..end];
        if ISSUER_BOUNDARIES
            .iter()
            .any(|w| head.ends_with(*w) && !ends_late(w))
        {
            return end;
        }
    }
    0
}

/// What follows the digits of a date (`2011年6月9日`), never the first character of an issuer
/// code written right after a number.
const DATE_UNITS: &[char] = &['年', '月', '日'];

/// Fewest characters of an issuer code (`国发`).
const MIN_ISSUER: usize = 2;

/// The latest start of an issuer code in `run`: [`MIN_ISSUER`] characters before its end (0
/// for a shorter run).
fn latest_issuer_start(run: &str) -> usize {
    run.char_indices()
        .rev()
        .nth(MIN_ISSUER - 1)
        .map_or(0, |(i, _)| i)
}

/// [`issuer_start`] as one search per word.
#[cfg(test)]
fn issuer_start_by_search(run: &str) -> usize {
    let latest = latest_issuer_start(run);
    let mut best = 0;
    for word in ISSUER_BOUNDARIES {
        if let Some(i) = run.rfind(word) {
            let end = i + word.len();
            if end <= latest && end > best {
                best = end;
            }
        }
    }
    best
}

fn from_captures(text: &str, caps: &Captures<'_>) -> Option<DocNumber> {
    let run = caps.name("iss")?;
    let mut start = run.start() + issuer_start(run.as_str());
    // `自2011年6月9日闽岚综实管…`: the 日 of a date is not the issuer's.
    if start == run.start() && text[..start].ends_with(|c: char| c.is_ascii_digit()) {
        let rest = &text[start..run.end()];
        if rest.starts_with(DATE_UNITS) && rest.chars().count() > MIN_ISSUER {
            start += rest.chars().next().map_or(0, char::len_utf8);
        }
    }
    let issuer = &text[start..run.end()];
    let bare = caps.name("y3").is_some();
    let year = digits(
        caps.name("y1")
            .or_else(|| caps.name("y2"))
            .or_else(|| caps.name("y3"))?
            .as_str(),
    )?;
    if !(1949..=max_year()).contains(&year) {
        return None;
    }
    let n = caps.name("n")?;
    let serial = digits(n.as_str())?;
    if serial == 0 {
        return None;
    }
    let end = caps.get(0)?.end();
    if bare {
        let before = text[..run.start()].chars().next_back();
        let after = text[end..].chars().next();
        // `苏ICP备…号-1`
        let last = issuer.chars().next_back()?;
        if caps.name("di").is_some()
            || n.as_str().chars().count() > 4
            || issuer.chars().count() > MAX_BARE_ISSUER
            || NOT_ISSUER_ENDINGS.contains(last)
            || before.is_some_and(|c| c.is_ascii_alphanumeric())
            || after.is_some_and(|c| c.is_ascii_digit())
            || text[end..].starts_with('-')
                && text[end + 1..].starts_with(|c: char| c.is_ascii_digit())
        {
            return None;
        }
    }
    Some(DocNumber {
        issuer: issuer.to_string(),
        year,
        serial,
        range: start..end,
        tail: run.end()..end,
    })
}

/// Every document number in `text`, in order.
pub fn find(text: &str) -> impl Iterator<Item = DocNumber> + '_ {
    spans_with_hao(text).flat_map(move |span| {
        // The regex has no look-around, so a match inside a span is what a search of the
        // whole text finds there: the haystack ends with the span, the search starts at it.
        let haystack = &text[..span.end];
        let mut at = span.start;
        std::iter::from_fn(move || {
            let caps = DOC_NUMBER.captures_at(haystack, at)?;
            at = caps.get(0)?.end();
            Some(caps)
        })
        .filter_map(move |caps| from_captures(text, &caps))
    })
}

/// Whether no document number can hold `c`: ASCII other than a space, a digit or a bracket,
/// and the Chinese punctuation that ends a clause. (A cheap superset of what the pattern
/// cannot match, which is all splitting needs.)
fn breaks_numbers(c: char) -> bool {
    if c.is_ascii() {
        !(c == ' ' || c.is_ascii_digit() || "[](){}".contains(c))
    } else {
        "，。、；：？！“”‘’《》…—".contains(c)
    }
}

/// Whether `span` holds four digits in a row, ASCII or fullwidth: the year every document
/// number has.
fn has_year(span: &str) -> bool {
    let mut run = 0;
    for c in span.chars() {
        if c.is_ascii_digit() || ('０'..='９').contains(&c) {
            run += 1;
            if run == 4 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// The stretches of `text` between [`breaks_numbers`] characters that hold a 号 and a year, in
/// order: a document number lies inside one, and the regex need not read the prose between
/// them.
fn spans_with_hao(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let hao = from + text[from..].find('号')?;
        let start = text[..hao]
            .char_indices()
            .rev()
            .find(|&(_, c)| breaks_numbers(c))
            .map_or(0, |(i, c)| i + c.len_utf8())
            .max(from);
        let end = text[hao..]
            .char_indices()
            .find(|&(_, c)| breaks_numbers(c))
            .map_or(text.len(), |(i, _)| hao + i);
        from = end;
        Some(start..end)
    })
    .filter(|span| has_year(&text[span.clone()]))
}

/// [`find`] as one search of the whole text.
#[cfg(test)]
fn find_by_whole_search(text: &str) -> Vec<DocNumber> {
    DOC_NUMBER
        .captures_iter(text)
        .filter_map(|caps| from_captures(text, &caps))
        .collect()
}

/// Normalise a metadata value to the GB/T 9704 form of the document number it holds:
/// `皖审办202112号` → `皖审办〔2021〕12号`, `国办发[2020]17号` → `国办发〔2020〕17号`.
/// `None` when the value holds no document number.
///
/// ```
/// use gongwen::repair::normalize_doc_number;
/// assert_eq!(normalize_doc_number("国办发[2020]17号").as_deref(), Some("国办发〔2020〕17号"));
/// assert_eq!(normalize_doc_number("2020-12-28"), None);
/// ```
pub fn normalize_doc_number(s: &str) -> Option<String> {
    let cleaned: String = s
        .chars()
        .filter(|c| !super::text::is_zero_width(*c))
        .collect();
    find(cleaned.trim()).next().map(|d| d.canonical())
}

/// The normalised document numbers cited in `body`, in order of first appearance, no repeats.
///
/// Where nothing marks where an issuer code starts (`对此类对象如果不顾闽岚综实管〔2011〕16号`),
/// the run of Han characters before the number can carry words that are not the code. The
/// document itself settles it when it also cites the same year and serial under an issuer that
/// ends the longer one (`（闽岚综实管〔2011〕16号）`): that shorter issuer is the code.
pub fn doc_refs(body: &str) -> Vec<String> {
    let found: Vec<DocNumber> = find(body).collect();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for d in &found {
        let issuer = found
            .iter()
            .filter(|o| {
                (o.year, o.serial) == (d.year, d.serial)
                    && o.issuer.len() < d.issuer.len()
                    && d.issuer.ends_with(o.issuer.as_str())
            })
            .map(|o| o.issuer.as_str())
            .min_by_key(|i| i.len())
            .unwrap_or(&d.issuer);
        let c = format!("{issuer}〔{}〕{}号", d.year, d.serial);
        if seen.insert(c.clone()) {
            out.push(c);
        }
    }
    out
}

/// The edits that put every document number of `text` into canonical form. The issuer is
/// never changed: each edit covers the number from the end of the issuer to `号`
/// (`国办发202017号`: `202017号` → `〔2020〕17号`).
pub fn line_edits(text: &str) -> Vec<(Range<usize>, String)> {
    find(text)
        .filter_map(|d| {
            let fixed = d.canonical_tail();
            (text[d.tail.clone()] != fixed).then_some((d.tail, fixed))
        })
        .collect()
}

/// The `doc_number` rule: rewrites every damaged document number into its canonical form.
pub struct DocNumberRule;

impl Rule for DocNumberRule {
    fn name(&self) -> &'static str {
        "doc_number"
    }

    fn apply(&self, lines: &mut Lines, _cx: &mut Context) {
        for idx in 0..lines.len() {
            let edits = line_edits(&lines.get(idx).text);
            if !edits.is_empty() {
                lines.edit(idx, edits, self.name());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> Option<String> {
        normalize_doc_number(s)
    }

    proptest::proptest! {
        #[test]
        fn backward_walk_finds_the_issuer_where_the_searches_did(
            words in proptest::collection::vec(
                proptest::sample::select(&["按照", "以", "和", "国办发", "成财", "以以", "落实", "贯彻落实", "实", "的", "财"][..]),
                0..8,
            )
        ) {
            let run = words.concat();
            proptest::prop_assert_eq!(issuer_start(&run), issuer_start_by_search(&run));
        }

        /// Searching only the spans around each 号 finds what one search of the whole text
        /// finds.
        #[test]
        fn spans_find_what_the_whole_search_finds(
            pieces in proptest::collection::vec(
                proptest::sample::select(&[
                    "国办发", "〔", "〕", "[", "]", "(", "（", "2020", "２０２０", "17", "号", "第",
                    " ", "\u{3000}", "，", "。", "：", "a", "-", "1", "根据", "文", "\n", "\u{FFFD}",
                    "苏ICP备", "路", "《", "》", "…",
                ][..]),
                0..24,
            )
        ) {
            let text = pieces.concat();
            proptest::prop_assert_eq!(find(&text).collect::<Vec<_>>(), find_by_whole_search(&text));
        }
    }

    #[test]
    fn a_number_is_found_in_each_clause_and_across_spaces() {
        let text =
            "根据国办发〔2020〕17号，按照 皖审办 2021 12号和川府发[2019]3号文。苏ICP备12345号-1";
        let found: Vec<String> = find(text).map(|d| d.canonical()).collect();
        assert_eq!(
            found,
            [
                "国办发〔2020〕17号",
                "皖审办〔2021〕12号",
                "川府发〔2019〕3号"
            ]
        );
        assert_eq!(find(text).collect::<Vec<_>>(), find_by_whole_search(text));
    }

    #[test]
    fn a_boundary_word_that_ends_the_run_counts_for_nothing() {
        for run in [
            "以成财以",
            "按照国办发",
            "认真贯彻落实国办发",
            "国办发",
            "以",
            "和以和",
            "",
            "岚经发",
            "根据岚经发",
        ] {
            assert_eq!(issuer_start(run), issuer_start_by_search(run), "{run}");
        }
        assert_eq!(issuer_start("以成财以"), 0);
        // No issuer code is one character: `经` of `岚经发` is no boundary.
        let found: Vec<String> = find("根据岚经发〔2016〕289号文件")
            .map(|d| d.canonical())
            .collect();
        assert_eq!(found, ["岚经发〔2016〕289号"]);
    }

    #[test]
    fn every_damaged_form_becomes_the_gbt9704_form() {
        for s in [
            "国办发202017号",
            "国办发〔2020〕17号",
            "国办发〔202017号",
            "国办发2020〕17号",
            "国办发[2020]17号",
            "国办发【2020】17号",
            "国办发(2020)17号",
            "国办发（2020）17号",
            "国办发﹝2020﹞17号",
            "国办发［2020］17号",
            "国办发〔 2020 〕17号",
            "国办发〔2020〕第17号",
            "国办发〔2020〕017号",
            "国办发〔２０２０〕１７号",
            "国办发 〔2020〕 17 号",
            "国办发\u{FFFD}2020\u{FFFD}17号",
        ] {
            assert_eq!(norm(s).as_deref(), Some("国办发〔2020〕17号"), "{s}");
        }
        assert_eq!(
            norm("皖审办202112号").as_deref(),
            Some("皖审办〔2021〕12号")
        );
        assert_eq!(
            norm("国办公开办函〔201961号").as_deref(),
            Some("国办公开办函〔2019〕61号")
        );
    }

    #[test]
    fn look_alikes_are_not_document_numbers() {
        for s in [
            "省政府热线12345",
            "共计202017元",
            "2020-12-28",
            "002985886/202012-00023",
            "第10条",
            "2020年第3号公告",
            "审计厅2020年第3号公告",
            "南京市中山路20211号",
            "苏ICP备20211234号-1",
            "国办发〔1900〕17号",
            "国办发〔2999〕17号",
            "国办发〔2020〕0号",
            "公告2020第12号",
        ] {
            assert_eq!(norm(s), None, "{s}");
        }
    }

    #[test]
    fn issuer_starts_after_the_words_before_it() {
        assert_eq!(
            doc_refs("认真贯彻落实国办发202017号、皖政办秘〔202066号工作部署"),
            vec!["国办发〔2020〕17号", "皖政办秘〔2020〕66号"]
        );
        assert_eq!(
            doc_refs("成都市财政局以成财2021〕44号印发《办法》"),
            vec!["成财〔2021〕44号"]
        );
        assert_eq!(
            doc_refs("按照国办发〔2013〕73号和国办发〔2010〕5号要求"),
            vec!["国办发〔2013〕73号", "国办发〔2010〕5号"]
        );
    }

    #[test]
    fn the_documents_own_citations_settle_where_an_issuer_starts() {
        assert_eq!(
            doc_refs("《通告》（闽岚综实管〔2011〕16号）……对象如果不顾闽岚综实管〔2011〕16号通告"),
            vec!["闽岚综实管〔2011〕16号"]
        );
        // Another serial is another number: nothing to settle.
        assert_eq!(
            doc_refs("（岚综管〔2011〕16号）……如不顾闽岚综管〔2011〕17号"),
            vec!["岚综管〔2011〕16号", "如不顾闽岚综管〔2011〕17号"]
        );
    }

    #[test]
    fn a_date_before_an_issuer_is_not_part_of_it() {
        assert_eq!(
            doc_refs("自2011年6月9日闽岚综实管〔2011〕16号通告发布以后"),
            vec!["闽岚综实管〔2011〕16号"]
        );
        assert_eq!(
            doc_refs("2020年3月5日日政发〔2020〕8号"),
            vec!["日政发〔2020〕8号"]
        );
    }

    #[test]
    fn refs_are_deduplicated_in_first_appearance_order() {
        assert_eq!(
            doc_refs("（国发〔2004〕10号）……国办发〔2020〕17号……（国发〔2004〕10号）"),
            vec!["国发〔2004〕10号", "国办发〔2020〕17号"]
        );
    }

    #[test]
    fn a_number_without_brackets_is_recorded_from_the_end_of_its_issuer() {
        let mut lines = Lines::new(vec![crate::repair::Line {
            text: "认真贯彻落实国办发202017号、皖政办秘2020〕66号工作部署".into(),
            kind: crate::document::BlockKind::Paragraph,
        }]);
        DocNumberRule.apply(&mut lines, &mut Context::default());
        let (_, repairs) = lines.finish();
        let pairs: Vec<(&str, &str)> = repairs
            .iter()
            .map(|r| (r.before.as_str(), r.after.as_str()))
            .collect();
        assert_eq!(
            pairs,
            vec![("202017号", "〔2020〕17号"), ("2020〕66号", "〔2020〕66号")]
        );
    }

    #[test]
    fn rule_rewrites_only_the_damaged_tail() {
        let mut lines = Lines::new(vec![crate::repair::Line {
            text: "按照《通知》（国办公开办函〔201961号）和国发〔2004〕10号要求".into(),
            kind: crate::document::BlockKind::Paragraph,
        }]);
        DocNumberRule.apply(&mut lines, &mut Context::default());
        let (out, repairs) = lines.finish();
        assert_eq!(
            out[0].text,
            "按照《通知》（国办公开办函〔2019〕61号）和国发〔2004〕10号要求"
        );
        assert_eq!(repairs.len(), 1);
        assert_eq!(repairs[0].rule, "doc_number");
        let chars: Vec<char> = out[0].text.chars().collect();
        let after: String = chars
            [repairs[0].offset..repairs[0].offset + repairs[0].after.chars().count()]
            .iter()
            .collect();
        assert_eq!(after, repairs[0].after);
    }
}

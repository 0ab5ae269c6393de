//! Label/value pairs of a disclosure panel → typed metadata.
//!
//! Extractors hand over the pairs as found, in panel order, with labels as printed: full
//! (`索引号`, `发文机关`, `索 引 号`), or cut short by scraping (`号`, `引号`, `类`, `称`). A full
//! label maps through [`LABELS`]; a damaged one is recovered from the labels it could be the
//! tail of, narrowed by the shape of its value (an index number, a document number, a date, a
//! validity word, a topic of the national classification) and by the fields the panel already
//! filled; every guessed label adds a warning. Values are normalised: dates to `YYYY-MM-DD`,
//! publication times to `YYYY-MM-DDTHH:MM:00+08:00`, keywords to a list, document numbers to
//! the GB/T 9704 form.

use crate::record::Metadata;

/// A typed metadata field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    IndexNo,
    Category,
    Topic,
    Publisher,
    DocNumber,
    IssuedDate,
    WrittenDate,
    Validity,
    Keywords,
    Source,
    PublishedAt,
    Title,
}

/// Every label we know, with the field it fills. Labels are written without spaces.
pub const LABELS: &[(&str, Field)] = &[
    ("索引号", Field::IndexNo),
    ("索取号", Field::IndexNo),
    ("信息索引号", Field::IndexNo),
    ("信息索引", Field::IndexNo),
    ("信息分类", Field::Category),
    ("信息类别", Field::Category),
    ("体裁分类", Field::Category),
    ("公文种类", Field::Category),
    ("信息类型", Field::Category),
    ("内容分类", Field::Topic),
    ("主题分类", Field::Topic),
    ("主题类别", Field::Topic),
    ("发布机构", Field::Publisher),
    ("发文机构", Field::Publisher),
    ("发文机关", Field::Publisher),
    ("发文单位", Field::Publisher),
    ("发布单位", Field::Publisher),
    ("发布机关", Field::Publisher),
    ("制发机关", Field::Publisher),
    ("文号", Field::DocNumber),
    ("发文字号", Field::DocNumber),
    ("发文文号", Field::DocNumber),
    ("文件编号", Field::DocNumber),
    ("发文日期", Field::IssuedDate),
    ("发布日期", Field::IssuedDate),
    ("生成日期", Field::IssuedDate),
    ("公开日期", Field::IssuedDate),
    ("成文日期", Field::WrittenDate),
    ("印发日期", Field::WrittenDate),
    ("有效性", Field::Validity),
    ("时效性", Field::Validity),
    ("生效日期", Field::Validity),
    ("效力状态", Field::Validity),
    ("主题词", Field::Keywords),
    ("关键词", Field::Keywords),
    ("关键字", Field::Keywords),
    ("文章来源", Field::Source),
    ("信息来源", Field::Source),
    ("来源", Field::Source),
    ("发表时间", Field::PublishedAt),
    ("发布时间", Field::PublishedAt),
    ("更新时间", Field::PublishedAt),
    ("日期", Field::PublishedAt),
    ("时间", Field::PublishedAt),
    ("名称", Field::Title),
    ("标题", Field::Title),
    ("文件名称", Field::Title),
];

/// Labels of a document's terms and dates that have no field of their own (`生效时间`,
/// `废止日期`): their values go to `extra` under the whole label. Known so that a label ending
/// in a field's label (`时间` of `生效时间`) is not cut down to it.
pub const OTHER_LABELS: &[&str] = &[
    "生效时间",
    "废止时间",
    "废止日期",
    "失效时间",
    "失效日期",
    "施行时间",
    "施行日期",
    "实施时间",
    "实施日期",
    "执行时间",
    "执行日期",
    "有效期",
    "有效期限",
    "生效期限",
    "截止日期",
    "截止时间",
    "开始时间",
    "开始日期",
    "结束时间",
    "结束日期",
    "起始时间",
    "起始日期",
    "终止时间",
    "终止日期",
];

/// Whether `label` is one of the [`OTHER_LABELS`].
pub fn is_other_label(label: &str) -> bool {
    OTHER_LABELS.contains(&squeeze(label).as_str())
}

/// The field a full label names.
pub fn field_of(label: &str) -> Option<Field> {
    let label = squeeze(label);
    LABELS.iter().find(|(l, _)| *l == label).map(|&(_, f)| f)
}

/// Whether `label` is a known label or the tail of one (`号` of `索引号`).
pub fn is_label(label: &str) -> bool {
    let label = squeeze(label);
    !candidates(&label).is_empty()
        || (label.contains('\u{FFFD}') && garbled(&label, "", &[]).is_some())
}

/// Topics of the national government-information topic classification (主题分类); a value
/// made of these is a topic, not a category.
const TOPIC_TERMS: &[&str] = &[
    "综合政务",
    "国民经济管理",
    "国有资产监管",
    "财政",
    "金融",
    "审计",
    "国土资源",
    "能源",
    "农业",
    "林业",
    "水利",
    "工业",
    "交通",
    "商贸",
    "海关",
    "旅游",
    "市场监管",
    "安全生产监管",
    "城乡建设",
    "环境保护",
    "科技",
    "教育",
    "文化",
    "广电",
    "新闻出版",
    "卫生",
    "体育",
    "人口与计划生育",
    "妇女儿童工作",
    "劳动",
    "人事",
    "监察",
    "公安",
    "安全",
    "司法",
    "民政",
    "扶贫",
    "救灾",
    "民族",
    "宗教",
    "对外事务",
    "港澳台侨工作",
    "国防",
    "其他",
];

fn squeeze(label: &str) -> String {
    let kept = |c: &char| {
        !c.is_whitespace()
            && !matches!(
                c,
                '\u{2002}' | '\u{2003}' | '\u{3000}' | '\u{a0}' | ':' | '：'
            )
    };
    // Most labels have nothing to drop: copied whole, without growing a string char by char.
    if label.chars().all(|c| kept(&c)) {
        return label.to_string();
    }
    let mut out = String::with_capacity(label.len());
    out.extend(label.chars().filter(kept));
    out
}

/// Fields whose label ends with `tail` (a label cut short keeps its last characters).
fn candidates(tail: &str) -> Vec<Field> {
    if tail.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<Field> = Vec::new();
    for &(l, f) in LABELS {
        if l.ends_with(tail) && !out.contains(&f) {
            out.push(f);
        }
    }
    out
}

/// Whether a value has the shape a field's values have (empty values fit anything).
fn fits(field: Field, value: &str) -> bool {
    if value.is_empty() {
        return true;
    }
    match field {
        Field::IndexNo => {
            value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.'))
                && value.chars().filter(char::is_ascii_digit).count() >= 6
        }
        Field::DocNumber => value.ends_with('号') && value.chars().any(|c| c.is_ascii_digit()),
        // A value with a time of day is a publication time, not a document date.
        Field::IssuedDate | Field::WrittenDate => {
            parse_date(value).is_some() && parse_datetime(value).is_none()
        }
        Field::PublishedAt => parse_datetime(value).is_some(),
        // A date under `生效日期` is the date it takes effect, not a validity.
        Field::Validity => VALIDITY_STATUSES.contains(&value),
        Field::Topic => value
            .split(['、', ',', '，', ' ', '/'])
            .all(|t| t.is_empty() || TOPIC_TERMS.contains(&t)),
        Field::Category => !value
            .split(['、', ',', '，', ' ', '/'])
            .all(|t| t.is_empty() || TOPIC_TERMS.contains(&t)),
        Field::Publisher | Field::Source => {
            !value.chars().any(|c| c.is_ascii_digit()) || value.chars().count() > 12
        }
        Field::Keywords | Field::Title => true,
    }
}

/// What a page prints for a document's validity (有效性).
pub(crate) const VALIDITY_STATUSES: &[&str] = &[
    "有效",
    "现行有效",
    "失效",
    "废止",
    "已废止",
    "已失效",
    "部分失效",
    "修订",
    "已修订",
    "已修改",
];

/// A validity as the record writes it: the statuses that say 有效, 失效 or 废止 in other
/// words (`现行有效`, `已失效`, `已废止`) in those words; any other (`部分失效`, `已修订`) as
/// printed.
fn validity(value: &str) -> &str {
    match value {
        "现行有效" => "有效",
        "已失效" => "失效",
        "已废止" => "废止",
        other => other,
    }
}

/// Fields whose values [`fits`] recognises reliably: numbers and dates.
fn has_strict_shape(field: Field) -> bool {
    matches!(
        field,
        Field::IndexNo
            | Field::DocNumber
            | Field::IssuedDate
            | Field::WrittenDate
            | Field::PublishedAt
            | Field::Validity
    )
}

/// Resolve a label (full or damaged) to a field, given its value and the fields already filled.
/// Returns the field and whether it was a guess.
fn resolve(label: &str, value: &str, filled: &[Field]) -> Option<(Field, bool)> {
    let label = squeeze(label);
    if let Some(f) = field_of(&label) {
        return Some((f, false));
    }
    if label.contains('\u{FFFD}') {
        return garbled(&label, value, filled).map(|f| (f, true));
    }
    if label.chars().count() > 3 {
        return None;
    }
    let all = candidates(&label);
    let open: Vec<Field> = all
        .iter()
        .copied()
        .filter(|f| !filled.contains(f))
        .collect();
    let pool = if open.is_empty() { &all } else { &open };
    // A cut-short label is guessed where its value has the field's shape; failing that, as a
    // field whose shape is loose (a topic outside the known terms), never as one whose shape
    // is strict: `字号：大 中 小` is a font-size switch, not a 发文字号.
    pool.iter()
        .copied()
        .find(|&f| fits(f, value))
        .or_else(|| pool.iter().copied().find(|&f| !has_strict_shape(f)))
        .map(|f| (f, true))
}

/// The field of a label that lost characters to mojibake (`索�号`, `素�号`): a label of the
/// same length that agrees with it everywhere but at the lost characters and at most one
/// other, whose values have the value's shape, and not yet filled.
fn garbled(label: &str, value: &str, filled: &[Field]) -> Option<Field> {
    let chars: Vec<char> = label.chars().collect();
    let known = chars.iter().filter(|c| **c != '\u{FFFD}').count();
    let mut found: Option<Field> = None;
    for &(l, f) in LABELS {
        if l.chars().count() != chars.len() || filled.contains(&f) || !fits(f, value) {
            continue;
        }
        let wrong = l
            .chars()
            .zip(&chars)
            .filter(|(a, b)| **b != '\u{FFFD}' && a != *b)
            .count();
        if wrong <= 1 && known - wrong >= 1 {
            match found {
                Some(g) if g != f => return None,
                _ => found = Some(f),
            }
        }
    }
    found
}

/// The label of the day a disclosure system filed a document, a weaker date of issue.
const FILING_DATE: &str = "生成日期";

/// Labels of the page's controls and counters, never the document's metadata
/// (`字号：大 中 小`, `浏览次数：12`): kept out of `extra`, as are the labels that begin or end
/// with one (`字体大小`, `打印 字号`); see [`is_page_control`].
const PAGE_CONTROLS: &[&str] = &[
    "字号",
    "字体",
    "分享到",
    "浏览次数",
    "点击数",
    "访问量",
    "浏览量",
    "阅读量",
    "阅读次数",
];

/// Whether a label (squeezed) is a page control's: one of [`PAGE_CONTROLS`], or one beginning
/// or ending with one. Only labels of no field reach the test, so `发文字号` is not one.
fn is_page_control(label: &str) -> bool {
    PAGE_CONTROLS
        .iter()
        .any(|c| label.starts_with(c) || label.ends_with(c))
}

/// Map raw `fields` onto `known` (typed fields an extractor already filled, which win), adding a
/// warning for every label that had to be guessed.
pub fn build(
    fields: &[(String, String)],
    mut known: Metadata,
    warnings: &mut Vec<String>,
) -> Metadata {
    // Exact labels first, so a damaged label can be narrowed by what is already taken.
    let mut filled: Vec<Field> = fields.iter().filter_map(|(l, _)| field_of(l)).collect();
    let mut out = Metadata::default();
    // The day of the first publication date printed without a time: a time of another day
    // (a `PubDate` the CMS wrote when it generated the page) is not this page's.
    let mut published_day: Option<String> = None;
    // `生成日期`, the day a disclosure system filed the document, is its date of issue only
    // where the page prints no 发文日期 or 发布日期 (moe.gov.cn's panel shows 生成日期
    // 2024-06-04 and its info line 发布日期 2024-06-13).
    let is_filing_date = |label: &str| squeeze(label) == FILING_DATE;
    let issue_printed = fields.iter().any(|(l, v)| {
        !is_filing_date(l)
            && field_of(l) == Some(Field::IssuedDate)
            && parse_date(&clean_value(v)).is_some()
    });
    for (label, value) in fields {
        let value = clean_value(value);
        if issue_printed && is_filing_date(label) {
            if !value.is_empty() {
                out.extra.entry(FILING_DATE.to_string()).or_insert(value);
            }
            continue;
        }
        let Some((field, guessed)) = resolve(label, &value, &filled) else {
            let label = squeeze(label);
            if !label.is_empty() && !value.is_empty() && !is_page_control(&label) {
                out.extra.entry(label).or_insert(value);
            }
            continue;
        };
        // A date under `生效日期` is no validity: it is kept under its label.
        if field == Field::Validity && !value.is_empty() && !fits(field, &value) {
            let label = squeeze(label);
            if !label.is_empty() {
                out.extra.entry(label).or_insert(value);
            }
            continue;
        }
        if guessed && !value.is_empty() {
            filled.push(field);
            warnings.push(format!(
                "metadata label {:?} read as {}",
                squeeze(label),
                field_name(field)
            ));
        }
        if field == Field::PublishedAt && out.published_at.is_none() {
            match (parse_datetime(&value), parse_date(&value)) {
                (None, Some(day)) => {
                    published_day.get_or_insert(day);
                }
                (Some(time), _)
                    if published_day
                        .as_deref()
                        .is_some_and(|day| !time.starts_with(day)) =>
                {
                    warnings.push(format!(
                        "publication time {value:?} is not on the printed publication day: left out"
                    ));
                    continue;
                }
                _ => {}
            }
        }
        set(&mut out, field, &value);
    }
    // A publication date printed without a time is the date of issue (`发布时间：2018-04-19`
    // says what `发布日期` does): `published_at` is kept for a time of day.
    if out.issued_date.is_none() {
        out.issued_date = published_day;
    }
    // Typed fields the extractor knew directly fill what the panel left empty.
    merge(&mut known, out);
    known
}

fn merge(known: &mut Metadata, panel: Metadata) {
    macro_rules! fill {
        ($($f:ident),*) => {$(
            if known.$f.is_none() { known.$f = panel.$f; }
        )*};
    }
    fill!(
        index_no,
        category,
        topic,
        publisher,
        doc_number,
        issued_date,
        written_date,
        validity,
        source,
        published_at
    );
    if known.keywords.is_empty() {
        known.keywords = panel.keywords;
    }
    if known.breadcrumb.is_empty() {
        known.breadcrumb = panel.breadcrumb;
    }
    for (k, v) in panel.extra {
        known.extra.entry(k).or_insert(v);
    }
    if let Some(dn) = known.doc_number.take() {
        known.doc_number = normalize_doc_number(&dn);
    }
}

fn field_name(f: Field) -> &'static str {
    match f {
        Field::IndexNo => "index_no",
        Field::Category => "category",
        Field::Topic => "topic",
        Field::Publisher => "publisher",
        Field::DocNumber => "doc_number",
        Field::IssuedDate => "issued_date",
        Field::WrittenDate => "written_date",
        Field::Validity => "validity",
        Field::Keywords => "keywords",
        Field::Source => "source",
        Field::PublishedAt => "published_at",
        Field::Title => "title",
    }
}

fn clean_value(v: &str) -> String {
    let v = v.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '\u{3000}' | '\u{a0}' | '\u{2002}' | '\u{2003}')
    });
    v.to_string()
}

/// Values a panel prints for "none" (`主题分类：无`): the field stays empty.
const NO_VALUE: &[&str] = &["无", "暂无", "空", "-", "—", "/", "／", "null", "NULL"];

fn set(m: &mut Metadata, field: Field, value: &str) {
    if value.is_empty() || NO_VALUE.contains(&value) {
        return;
    }
    let slot = |s: &mut Option<String>, v: Option<String>| {
        // The first value stands, unless the page cut it short for display (`成都体育学院附属体...`)
        // and a later one (a `<meta>`'s) is it whole.
        let cut_short = s.as_deref().and_then(|old| {
            let stem = old.trim_end_matches(['.', '…', '。']);
            (stem.len() < old.len()).then_some(stem)
        });
        if s.is_none()
            || cut_short.is_some_and(|stem| {
                v.as_deref()
                    .is_some_and(|v| v.len() > stem.len() && v.starts_with(stem))
            })
        {
            *s = v;
        }
    };
    match field {
        Field::IndexNo => slot(&mut m.index_no, Some(value.to_string())),
        Field::Category => slot(&mut m.category, Some(value.to_string())),
        Field::Topic => slot(&mut m.topic, Some(value.to_string())),
        Field::Publisher => slot(&mut m.publisher, name_of(value)),
        // `文号：无` (or `有`, `/`): no document number.
        Field::DocNumber => slot(
            &mut m.doc_number,
            value
                .chars()
                .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c) || c == '〔')
                .then(|| value.to_string()),
        ),
        Field::IssuedDate => slot(&mut m.issued_date, parse_date(value)),
        Field::WrittenDate => slot(&mut m.written_date, parse_date(value)),
        Field::Validity => slot(&mut m.validity, Some(validity(value).to_string())),
        Field::Keywords => {
            if m.keywords.is_empty() {
                m.keywords = split_keywords(value);
            }
        }
        Field::Source => slot(&mut m.source, name_of(value)),
        Field::PublishedAt => slot(&mut m.published_at, parse_datetime(value)),
        Field::Title => {
            m.extra
                .entry("名称".into())
                .or_insert_with(|| value.to_string());
        }
    }
}

/// A source or publisher without what a page's info line ran into it: a date or time after
/// it (`云南日报          2016-08-11 08:13:00`, `广西日报 2024-10-17 08:03`), the controls
/// after a wide gap (`宣教中心     【字体：`) or after a labelled one (`区融媒体中心 字号：大 中
/// 小`), and a trailing separator (`洪湖市人民政府　|`).
fn name_of(value: &str) -> Option<String> {
    let is_gap = |c: char| c.is_whitespace() || matches!(c, '\u{3000}' | '\u{a0}');
    let mut end = value.len();
    let mut chars = value.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !is_gap(c) {
            continue;
        }
        let mut run = 1;
        let mut after = value.len();
        while let Some(&(j, d)) = chars.peek() {
            if !is_gap(d) {
                after = j;
                break;
            }
            run += 1;
            chars.next();
        }
        let rest = &value[after..];
        let dated = rest.starts_with(|d: char| d.is_ascii_digit()) && parse_date(rest).is_some();
        let controls = run >= 2 && rest.starts_with(['【', '[', '|', '｜'])
            || rest
                .split_once(['：', ':'])
                .is_some_and(|(label, _)| PAGE_CONTROLS.contains(&squeeze(label).as_str()));
        if dated || controls {
            end = i;
            break;
        }
    }
    let name = value[..end].trim_end_matches(|c: char| is_gap(c) || matches!(c, '|' | '｜'));
    (!name.is_empty()).then(|| name.to_string())
}

/// Split a keyword list on commas, semicolons, ideographic commas and spaces.
pub fn split_keywords(v: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for k in v.split([',', '，', ';', '；', '、', ' ', '\u{3000}', '|']) {
        let k = k.trim();
        if !k.is_empty() && !out.iter().any(|o| o == k) {
            out.push(k.to_string());
        }
    }
    out
}

/// The document number in GB/T 9704 form, or the value as printed when it holds none.
fn normalize_doc_number(v: &str) -> Option<String> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    Some(crate::repair::normalize_doc_number(v).unwrap_or_else(|| v.to_string()))
}

fn han_digit(c: char) -> Option<u32> {
    "〇一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .map(|p| p as u32)
        .or(if c == '零' || c == 'О' {
            Some(0)
        } else {
            None
        })
}

/// Parse `2020-12-28`, `2020/12/28`, `2020.12.28`, `2020年12月28日`, `二〇〇八年三月五日`
/// (with anything after the date, such as a time) into `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<String> {
    parse_ymd(s.trim()).map(|(y, m, d, _)| format!("{y:04}-{m:02}-{d:02}"))
}

/// Parse a date with a time `HH:MM[:SS]` (or `HH时MM分`) into `YYYY-MM-DDTHH:MM:00+08:00`
/// (China time): to the minute, as the record convention has it, so that a page printing
/// seconds and its `PubDate` printing none give the same value.
/// A date without a time gives `None`: the time is not invented.
pub fn parse_datetime(s: &str) -> Option<String> {
    let (y, m, d, rest) = parse_ymd(s.trim())?;
    let rest = rest.trim_start_matches([' ', 'T', '\u{3000}', '\u{a0}']);
    // `10∶08`: the ratio sign stands for the colon on some pages.
    let mut parts = rest.split([':', '：', '∶', '时', '分', '点']).map(|p| {
        p.trim()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
    });
    let hh: u32 = parts.next()?.parse().ok()?;
    let mm: u32 = parts.next()?.parse().ok()?;
    let ss: u32 = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
    if hh > 23 || mm > 59 || ss > 59 {
        return None;
    }
    Some(format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:00+08:00"))
}

/// `(year, month, day, rest of the string)`.
fn parse_ymd(s: &str) -> Option<(u32, u32, u32, &str)> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut nums: Vec<u32> = Vec::new();
    let mut i = 0;
    let mut end = s.len();
    while i < chars.len() && nums.len() < 3 {
        let (_, c) = chars[i];
        let mut n = 0u32;
        let mut len = 0;
        if c.is_ascii_digit() {
            while i < chars.len() && chars[i].1.is_ascii_digit() && len < 4 {
                n = n * 10 + chars[i].1.to_digit(10)?;
                i += 1;
                len += 1;
            }
        } else if nums.is_empty() && han_digit(c).is_some() {
            while i < chars.len() && len < 4 {
                let Some(d) = han_digit(chars[i].1) else {
                    break;
                };
                n = n * 10 + d;
                i += 1;
                len += 1;
            }
        } else if !nums.is_empty()
            && matches!(
                c,
                '十' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九'
            )
        {
            let start = i;
            while i < chars.len() && "十一二三四五六七八九".contains(chars[i].1) {
                i += 1;
            }
            let text: String = chars[start..i].iter().map(|&(_, c)| c).collect();
            n = crate::structure::parse_han_numeral(&text)?;
            len = 1;
        } else {
            return None;
        }
        if len == 0 {
            return None;
        }
        nums.push(n);
        // Separator after the number.
        let sep = chars.get(i).map(|&(_, c)| c);
        let expected_sep = match nums.len() {
            1 => matches!(sep, Some('-' | '/' | '.' | '年' | '－')),
            2 => matches!(sep, Some('-' | '/' | '.' | '月' | '－')),
            _ => true,
        };
        if !expected_sep {
            return None;
        }
        if nums.len() == 3 {
            if sep == Some('日') || sep == Some('号') {
                i += 1;
            }
            end = chars.get(i).map_or(s.len(), |&(b, _)| b);
        } else {
            i += 1;
        }
    }
    if nums.len() != 3 {
        return None;
    }
    let (y, m, d) = (nums[0], nums[1], nums[2]);
    if !(1900..=2100).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some((y, m, d, &s[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_loses_what_its_info_line_ran_into_it() {
        for (value, expected) in [
            ("云南日报          2016-08-11 08:13:00", Some("云南日报")),
            ("广西日报 2024-10-17 08:03", Some("广西日报")),
            (
                "宣教中心     2022-11-14 14:59:48     【字体：",
                Some("宣教中心"),
            ),
            ("洪湖市人民政府\u{3000}|", Some("洪湖市人民政府")),
            (
                "国际交流合作处 重庆国际文旅之窗",
                Some("国际交流合作处 重庆国际文旅之窗"),
            ),
            ("新华社  人民日报", Some("新华社  人民日报")),
            ("区融媒体中心 字号：大 中 小", Some("区融媒体中心")),
            ("|", None),
        ] {
            assert_eq!(name_of(value).as_deref(), expected, "{value}");
        }
    }

    #[test]
    fn a_validity_in_other_words_is_written_as_the_contract_names_it() {
        for (printed, expected) in [
            ("已废止", "废止"),
            ("已失效", "失效"),
            ("现行有效", "有效"),
            ("有效", "有效"),
            ("部分失效", "部分失效"),
            ("已修订", "已修订"),
        ] {
            let fields = vec![("有效性".to_string(), printed.to_string())];
            let m = build(&fields, Metadata::default(), &mut Vec::new());
            assert_eq!(m.validity.as_deref(), Some(expected), "{printed}");
        }
    }

    #[test]
    fn a_date_under_a_validity_label_is_kept_under_its_label() {
        let fields = vec![
            ("生效日期".to_string(), "2020-01-01".to_string()),
            ("有效性".to_string(), "有效".to_string()),
            ("期".to_string(), "2020-02-03".to_string()),
        ];
        let m = build(&fields, Metadata::default(), &mut Vec::new());
        assert_eq!(m.validity.as_deref(), Some("有效"));
        assert_eq!(
            m.extra.get("生效日期").map(String::as_str),
            Some("2020-01-01")
        );
        // A cut-short label with a date is a date's, never the validity's.
        assert_eq!(m.issued_date.as_deref(), Some("2020-02-03"));
        let fields = vec![("生效日期".to_string(), "有效".to_string())];
        let m = build(&fields, Metadata::default(), &mut Vec::new());
        assert_eq!(m.validity.as_deref(), Some("有效"));
    }

    #[test]
    fn a_value_cut_short_for_display_gives_way_to_the_whole() {
        let m = build(
            &pairs(&[
                ("来源", "综合自学习强国、川观新闻、成都体育学院附属体..."),
                (
                    "来源",
                    "综合自学习强国、川观新闻、成都体育学院附属体育医院等",
                ),
            ]),
            Metadata::default(),
            &mut Vec::new(),
        );
        assert_eq!(
            m.source.as_deref(),
            Some("综合自学习强国、川观新闻、成都体育学院附属体育医院等")
        );
        // A value that was not cut short stands.
        let m = build(
            &pairs(&[("来源", "四川日报"), ("来源", "四川日报社")]),
            Metadata::default(),
            &mut Vec::new(),
        );
        assert_eq!(m.source.as_deref(), Some("四川日报"));
    }

    #[test]
    fn page_controls_stay_out_of_extra() {
        let fields = vec![
            ("字号".to_string(), "〖大 中 小〗".to_string()),
            ("浏览次数".to_string(), "12".to_string()),
            ("字体大小".to_string(), "大".to_string()),
            ("打印 字号".to_string(), "大".to_string()),
            ("公开方式".to_string(), "主动公开".to_string()),
        ];
        let m = build(&fields, Metadata::default(), &mut Vec::new());
        assert_eq!(m.extra.len(), 1, "{:?}", m.extra);
        assert_eq!(
            m.extra.get("公开方式").map(String::as_str),
            Some("主动公开")
        );
    }

    #[test]
    fn a_cut_short_label_is_guessed_only_where_a_strict_shape_fits() {
        // `字号` ends 发文字号, but `大` is no document number: the font-size switch.
        assert_eq!(resolve("字号", "〖大 中 小〗", &[]), None);
        assert_eq!(
            resolve("字号", "国办发〔2020〕17号", &[]),
            Some((Field::DocNumber, true))
        );
        // A loose shape still takes the guess: a topic outside the known terms.
        assert_eq!(
            resolve("类", "卫生健康", &[Field::Category]),
            Some((Field::Topic, true))
        );
    }

    #[test]
    fn dates_in_their_printed_forms() {
        assert_eq!(parse_date("2020-12-28").as_deref(), Some("2020-12-28"));
        assert_eq!(parse_date("2021年3月5日").as_deref(), Some("2021-03-05"));
        assert_eq!(parse_date("2020/1/2").as_deref(), Some("2020-01-02"));
        assert_eq!(
            parse_date("二〇〇八年三月五日").as_deref(),
            Some("2008-03-05")
        );
        assert_eq!(
            parse_date("二〇二〇年十二月二十八日").as_deref(),
            Some("2020-12-28")
        );
        assert_eq!(parse_date("有效"), None);
        assert_eq!(parse_date("2020"), None);
        assert_eq!(
            parse_datetime("2020-12-28 14:39").as_deref(),
            Some("2020-12-28T14:39:00+08:00")
        );
        assert_eq!(
            parse_datetime("2013-06-07 11:10:05").as_deref(),
            Some("2013-06-07T11:10:00+08:00")
        );
        assert_eq!(parse_datetime("2013-06-07"), None);
        assert_eq!(
            parse_datetime("2021年09月06日 10∶08").as_deref(),
            Some("2021-09-06T10:08:00+08:00")
        );
        assert_eq!(field_of("更新时间"), Some(Field::PublishedAt));
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn damaged_labels_are_recovered_from_value_shape_and_what_is_taken() {
        let mut w = Vec::new();
        let m = build(
            &pairs(&[
                ("号", "002985886/202012-00023"),
                ("信息分类", "计划总结"),
                ("类", "综合政务"),
                ("关", "安徽省审计厅"),
                ("号", "皖审办〔2021〕12号"),
                ("期", "2020-12-28"),
                ("词", "审计 公开"),
                ("称", "安徽省审计厅2020年政务公开工作总结"),
            ]),
            Metadata::default(),
            &mut w,
        );
        assert_eq!(m.index_no.as_deref(), Some("002985886/202012-00023"));
        assert_eq!(m.category.as_deref(), Some("计划总结"));
        assert_eq!(m.topic.as_deref(), Some("综合政务"));
        assert_eq!(m.publisher.as_deref(), Some("安徽省审计厅"));
        assert_eq!(m.doc_number.as_deref(), Some("皖审办〔2021〕12号"));
        assert_eq!(m.keywords, vec!["审计", "公开"]);
        assert_eq!(
            m.extra.get("名称").map(String::as_str),
            Some("安徽省审计厅2020年政务公开工作总结")
        );
        assert!(w.len() >= 6, "{w:?}");
    }

    #[test]
    fn labels_that_lost_characters_to_mojibake() {
        let mut w = Vec::new();
        let m = build(
            &pairs(&[
                ("素 \u{FFFD} 号", "003600847/2009-69898"),
                ("发文\u{FFFD}关", "福建省水利厅"),
                ("\u{FFFD}\u{FFFD}", "无从判断"),
            ]),
            Metadata::default(),
            &mut w,
        );
        assert_eq!(m.index_no.as_deref(), Some("003600847/2009-69898"));
        assert_eq!(m.publisher.as_deref(), Some("福建省水利厅"));
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(is_label("素 \u{FFFD} 号："));
        assert!(!is_label("\u{FFFD}\u{FFFD}"));
        // The value must have the field's shape.
        let m = build(
            &pairs(&[("素\u{FFFD}号", "福建省水利厅")]),
            Metadata::default(),
            &mut w,
        );
        assert_eq!(m.index_no, None);
    }

    #[test]
    fn spaced_labels_and_times() {
        let mut w = Vec::new();
        let m = build(
            &pairs(&[
                ("索 引 号", "x-1"),
                ("有 效 性", "有效"),
                ("发表时间", "2020-12-28 14:39"),
            ]),
            Metadata::default(),
            &mut w,
        );
        assert_eq!(m.index_no.as_deref(), Some("x-1"));
        assert_eq!(m.validity.as_deref(), Some("有效"));
        assert_eq!(m.published_at.as_deref(), Some("2020-12-28T14:39:00+08:00"));
        assert!(w.is_empty());
    }

    #[test]
    fn placeholders_and_label_synonyms() {
        let m = build(
            &pairs(&[
                ("主题分类", "无"),
                ("文号", "暂无"),
                ("信息索引", "360A12-07-2024-0008-1"),
                ("发文机构", "教育部办公厅"),
            ]),
            Metadata::default(),
            &mut Vec::new(),
        );
        assert_eq!(m.topic, None);
        assert_eq!(m.doc_number, None);
        assert_eq!(m.index_no.as_deref(), Some("360A12-07-2024-0008-1"));
        assert_eq!(m.publisher.as_deref(), Some("教育部办公厅"));
    }

    #[test]
    fn a_filing_date_gives_way_to_a_printed_date_of_issue() {
        let filed_then_issued = pairs(&[("生成日期", "2024-06-04"), ("发布日期", "2024-06-13")]);
        let m = build(&filed_then_issued, Metadata::default(), &mut Vec::new());
        assert_eq!(m.issued_date.as_deref(), Some("2024-06-13"));
        assert_eq!(
            m.extra.get("生成日期").map(String::as_str),
            Some("2024-06-04")
        );
        // Alone it is the date of issue.
        let m = build(
            &pairs(&[("生成日期", "2024-06-04")]),
            Metadata::default(),
            &mut Vec::new(),
        );
        assert_eq!(m.issued_date.as_deref(), Some("2024-06-04"));
    }

    #[test]
    fn a_publication_time_off_the_printed_day_is_left_out() {
        let mut w = Vec::new();
        // The page prints the day; the CMS's PubDate comes later with another day.
        let m = build(
            &pairs(&[("日期", "2021/09/06"), ("发布时间", "2023-11-10 15:33:34")]),
            Metadata::default(),
            &mut w,
        );
        assert_eq!(m.published_at, None);
        assert_eq!(w.len(), 1, "{w:?}");
        // The printed day is the date of issue.
        assert_eq!(m.issued_date.as_deref(), Some("2021-09-06"));
        // On the same day it is kept; 时 and 分 separate the time too.
        let m = build(
            &pairs(&[
                ("日期", "2020年09月15日"),
                ("发布时间", "2020年09月15日 09时32分"),
            ]),
            Metadata::default(),
            &mut Vec::new(),
        );
        assert_eq!(m.published_at.as_deref(), Some("2020-09-15T09:32:00+08:00"));
        // A date of issue printed as such stays.
        let m = build(
            &pairs(&[("发布时间", "2018-04-19"), ("发布日期", "2018-04-18")]),
            Metadata::default(),
            &mut Vec::new(),
        );
        assert_eq!(m.issued_date.as_deref(), Some("2018-04-18"));
        assert_eq!(m.published_at, None);
    }
}

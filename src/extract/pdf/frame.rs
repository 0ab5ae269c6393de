//! The frame of an official document: what its Info dictionary and XMP say, and what its first
//! page carries above the body (masthead `XX文件`, 发文字号 line, title) and its 落款 date.
//!
//! In: the parsed PDF and the lines of its pages. Out: an [`Info`], a [`FirstPage`] (the lines
//! it identified are removed from page 1), the raw 成文日期. What always holds: values are raw
//! (brackets and dates are normalised by the metadata module); the 落款 date stays in the body.

use std::sync::LazyLock;

use lopdf::{Document as PdfDocument, Object};
use regex_lite::Regex;

use crate::pattern::compile;

use super::font::deref;
use super::layout::{self, Line};
use crate::document::{Block, Document};

/// What the document information dictionary and XMP metadata say.
#[derive(Debug, Default)]
pub(crate) struct Info {
    pub(crate) title: Option<String>,
    pub(crate) author: Option<String>,
}

/// Read Title and Author from the Info dictionary, falling back to XMP `dc:title`/`dc:creator`.
pub(crate) fn info(pdf: &PdfDocument) -> Info {
    let mut info = Info::default();
    if let Ok(dict) = pdf
        .trailer
        .get(b"Info")
        .map(|o| deref(pdf, o))
        .and_then(|o| o.as_dict())
    {
        let text = |key: &[u8]| -> Option<String> {
            let o = deref(pdf, dict.get(key).ok()?);
            let s = lopdf::decode_text_string(o).ok()?;
            let s = s.trim().trim_matches('\0').trim().to_string();
            (!s.is_empty()).then_some(s)
        };
        info.title = text(b"Title");
        info.author = text(b"Author");
    }
    if (info.title.is_none() || info.author.is_none())
        && let Some(xmp) = xmp(pdf)
    {
        if info.title.is_none() {
            info.title = xmp_field(&xmp, "dc:title");
        }
        if info.author.is_none() {
            info.author = xmp_field(&xmp, "dc:creator");
        }
    }
    // Word and WPS often leave a file name or a placeholder as the title.
    if info.title.as_deref().is_some_and(|t| {
        let lower = t.to_ascii_lowercase();
        lower.ends_with(".doc")
            || lower.ends_with(".docx")
            || lower.ends_with(".wps")
            || lower.starts_with("microsoft")
            || !t.chars().any(|c| c as u32 >= 0x3400)
    }) {
        info.title = None;
    }
    info
}

fn xmp(pdf: &PdfDocument) -> Option<String> {
    let catalog = pdf.catalog().ok()?;
    let Object::Stream(s) = deref(pdf, catalog.get(b"Metadata").ok()?) else {
        return None;
    };
    let data = s
        .decompressed_content_with_limit(4 << 20)
        .unwrap_or_else(|_| s.content.clone());
    Some(String::from_utf8_lossy(&data).into_owned())
}

fn xmp_field(xmp: &str, tag: &str) -> Option<String> {
    let start = xmp.find(&format!("<{tag}"))?;
    let end = xmp[start..].find(&format!("</{tag}>"))? + start;
    let inner = &xmp[start..end];
    let li = inner.find("<rdf:li")?;
    let open = inner[li..].find('>')? + li + 1;
    let close = inner[open..].find("</rdf:li>")? + open;
    let v = inner[open..close]
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    let v = v.trim().to_string();
    (!v.is_empty()).then_some(v)
}

/// What the first page carried above the body.
#[derive(Debug, Default)]
pub(crate) struct FirstPage {
    pub(crate) title: Option<String>,
    pub(crate) doc_number: Option<String>,
}

// Digits in the patterns are ASCII or fullwidth, as in the repair rules and the structure
// parser: Unicode `\d` (the digits of every script) made every worker process compile automata
// several times larger.

/// Longest issuer code (`国办发`) of a 发文字号 line.
const MAX_ISSUER: usize = 16;

/// A 发文字号 line (compacted: no whitespace), with the 签发人 an upward document prints
/// beside it. The issuer run is bounded by [`doc_number`], not here: it always ends at a
/// bracket, space or digit, so both agree, and the class repeated sixteen times cost every
/// worker process millions of instructions to compile.
static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| compile(DOC_NUMBER_PATTERN));
pub(crate) const DOC_NUMBER_PATTERN: &str = r"^[(（]?((?P<issuer>[\p{Han}A-Za-z]+)[〔\[［(（【]?\s*[0-9０-９]{4}\s*[〕\]］)）】]?\s*第?\s*[0-9０-９]{1,5}\s*号)[)）]?(签发人.*)?$";

/// The 发文字号 a line prints, without its surrounding parentheses.
fn doc_number(line: &str) -> Option<&str> {
    let c = DOC_NUMBER.captures(line)?;
    if c["issuer"].chars().count() > MAX_ISSUER {
        return None;
    }
    Some(c.get(1)?.as_str())
}

static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| compile(DATE_LINE_PATTERN));
pub(crate) const DATE_LINE_PATTERN: &str = r"^([0-9０-９]{4}\s*年\s*[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*日|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)$";

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Find and remove the masthead, the document-number line and the title from the first page
/// that has text.
pub(crate) fn first_page(pages: &mut [Vec<Line>], info_title: Option<&str>) -> FirstPage {
    let body = layout::body_size(pages);
    let mut found = FirstPage::default();
    let Some(lines) = pages.iter_mut().find(|p| !p.is_empty()) else {
        return found;
    };
    let head = lines.len().min(10);
    let mut remove = vec![false; lines.len()];
    for (i, l) in lines[..head].iter().enumerate() {
        let t = compact(&l.text);
        if i < 3 && t.ends_with("文件") && l.size > body * 1.3 {
            remove[i] = true;
        } else if found.doc_number.is_none()
            && let Some(number) = doc_number(&t)
        {
            found.doc_number = Some(number.to_string());
            remove[i] = true;
        }
    }
    // The title: the lines that spell the Info title, when the head holds them; else the
    // first run of consecutive lines in the largest type on the page's head, of lines that
    // can be a title (not a table row, mostly Han text: not a rating box's `增持（维持）` over
    // the text or a row of garbled glyphs).
    if let Some((from, to)) = info_title.and_then(|t| spelled_at(&lines[..head], &remove, t)) {
        for r in &mut remove[from..to] {
            *r = true;
        }
        found.title = info_title.map(str::to_string);
    } else {
        let max = lines[..head]
            .iter()
            .zip(&remove)
            .filter(|(l, r)| !**r && can_be_title(l))
            .map(|(l, _)| l.size)
            .fold(0.0f32, f32::max);
        if max > body * 1.12 {
            let mut title = String::new();
            let mut started = false;
            for (i, l) in lines[..head].iter().enumerate() {
                if remove[i] {
                    continue;
                }
                if (l.size - max).abs() < 0.5 && can_be_title(l) {
                    started = true;
                    title.push_str(&l.text);
                    remove[i] = true;
                } else if started {
                    break;
                }
            }
            if !title.is_empty() {
                found.title = Some(title);
            }
        }
    }
    let mut i = 0;
    lines.retain(|_| {
        i += 1;
        !remove[i - 1]
    });
    found
}

/// Whether a line can be (part of) a title: one cell (no table row), and mostly Han
/// text (at least half of all it prints; a title set vertically has a line per character).
fn can_be_title(line: &Line) -> bool {
    let printed = line.text.chars().filter(|c| !c.is_whitespace()).count();
    let han = line.text.chars().filter(|&c| c as u32 >= 0x3400).count();
    line.cells == 1 && han >= 1 && 2 * han >= printed
}

/// The lines `from..to` of `head` (none of them `removed`) whose text, run together, spells
/// `title` (spaces aside); the first such run.
fn spelled_at(head: &[Line], removed: &[bool], title: &str) -> Option<(usize, usize)> {
    let want = compact(title);
    if want.chars().count() < 2 {
        return None;
    }
    (0..head.len()).find_map(|from| {
        let mut got = String::new();
        for (to, l) in head.iter().enumerate().skip(from) {
            if removed[to] {
                return None;
            }
            got.push_str(&compact(&l.text));
            if got == want {
                return Some((from, to + 1));
            }
            if !want.starts_with(&got) {
                return None;
            }
        }
        None
    })
}

/// The 落款 date: a date-only line among the last lines of the body.
pub(crate) fn written_date(blocks: &[Block]) -> Option<String> {
    blocks
        .iter()
        .rev()
        .take(4)
        .map(|b| compact(&b.text))
        .find(|t| DATE_LINE.is_match(t))
}

const ORG_SUFFIXES: &[&str] = &[
    "局",
    "厅",
    "委",
    "委员会",
    "政府",
    "办公室",
    "办公厅",
    "部",
    "院",
    "中心",
    "所",
    "站",
    "会",
    "处",
    "署",
    "室",
    "馆",
    "队",
    "社",
    "公司",
    "集团",
    "大学",
    "学校",
    "科",
    "办",
    "庭",
    "府",
];

/// Add the Info Author as `发布机构` when it names an organisation (not a person or a tool).
pub(crate) fn fill_publisher(doc: &mut Document, info: &Info) {
    let Some(author) = info.author.as_deref() else {
        return;
    };
    let a = compact(author);
    let han = a.chars().filter(|&c| c as u32 >= 0x3400).count();
    if han >= 4 && ORG_SUFFIXES.iter().any(|s| a.ends_with(s)) {
        doc.fields.push(("发布机构".to_string(), a));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panel_value_keeps_the_spaces_between_its_words() {
        let line = "词道路运输 公路建设  规范性文件";
        let (label, value) = label_without_colon(&compact(line)).unwrap();
        assert_eq!(label, "词");
        assert_eq!(spaced_value(line, &value), "道路运输 公路建设 规范性文件");
        // A label spaced out letter by letter is still skipped whole.
        let line = "关 键 词 道路运输 公路建设";
        let (_, value) = label_without_colon(&compact(line)).unwrap();
        assert_eq!(spaced_value(line, &value), "道路运输 公路建设");
    }

    #[test]
    fn regex_lite_reads_the_patterns_as_regex_does() {
        let pieces = [
            "国办发",
            "2020",
            "〔",
            "〕",
            "17",
            "号",
            "第",
            "签发人",
            "：",
            "张三",
            "二〇二〇",
            "年",
            "3",
            "月",
            "日",
            "附件",
            "责任编辑",
            "ICP备",
            "当前位置",
            "您",
            "的",
        ];
        for pattern in [
            DOC_NUMBER_PATTERN,
            DATE_LINE_PATTERN,
            CHROME_TAIL_PATTERN,
            BREADCRUMB_PATTERN,
        ] {
            crate::pattern::oracle::assert_agrees(pattern, &pieces);
        }
    }

    use super::*;

    #[test]
    fn doc_number_lines() {
        for (line, number) in [
            ("国办发〔2020〕17号", "国办发〔2020〕17号"),
            ("（成财〔2014〕33号）", "成财〔2014〕33号"),
            ("国办发[2020]17号", "国办发[2020]17号"),
            ("黑环发202017号", "黑环发202017号"),
        ] {
            assert_eq!(doc_number(line), Some(number), "{line}");
        }
        // An upward document's number line also names who signed it.
        assert_eq!(
            doc_number(&compact("川审报〔2021〕5号          签发人：张三")),
            Some("川审报〔2021〕5号")
        );
        assert_eq!(doc_number("各市审计局："), None);
        let longest = format!("{}〔2020〕17号", "字".repeat(MAX_ISSUER));
        assert_eq!(doc_number(&longest), Some(longest.as_str()));
        assert_eq!(doc_number(&format!("字{longest}")), None);
    }

    #[test]
    fn panel_lines_with_and_without_colons() {
        assert_eq!(
            label_pairs("来源：本网发布时间：2012-11-02 08:32:00"),
            vec![
                ("来源".to_string(), "本网".to_string()),
                ("发布时间".to_string(), "2012-11-02 08:32:00".to_string())
            ]
        );
        assert_eq!(
            label_pairs("号：成财〔2014〕33号"),
            vec![("号".to_string(), "成财〔2014〕33号".to_string())]
        );
        assert_eq!(
            label_without_colon("有效性失效"),
            Some(("有效性".to_string(), "失效".to_string()))
        );
        assert_eq!(
            label_without_colon("别政策文件"),
            Some(("别".to_string(), "政策文件".to_string()))
        );
    }

    #[test]
    fn date_lines() {
        assert!(DATE_LINE.is_match("2021年3月5日"));
        assert!(DATE_LINE.is_match("二〇〇八年三月五日"));
        assert!(DATE_LINE.is_match("２０２１年３月５日"));
        assert!(!DATE_LINE.is_match("2021年3月5日起施行"));
    }

    #[test]
    fn the_title_is_text_not_a_table_row_and_the_info_title_is_found_where_it_stands() {
        let line = |text: &str, y: f32, size: f32| layout::Line {
            text: text.to_string(),
            x0: 72.0,
            x1: 400.0,
            y,
            size,
            cells: text.split('\t').count(),
            cell_x: vec![(72.0, 400.0)],
            page: 0,
            in_cell: None,
            column: None,
        };
        let page = |head: Vec<layout::Line>| {
            let mut lines = head;
            for k in 0..6 {
                lines.push(line("正文内容，写到这里。", 600.0 - 20.0 * k as f32, 16.0));
            }
            vec![lines]
        };
        // An invoice's codes in the largest type, in two cells; then the title.
        let mut pages = page(vec![
            line("91460300MAA92DJN95\t91110108690017781B", 760.0, 24.0),
            line("关于开展检查的通知", 720.0, 22.0),
        ]);
        let found = first_page(&mut pages, None);
        assert_eq!(found.title.as_deref(), Some("关于开展检查的通知"));
        assert_eq!(pages[0][0].text, "91460300MAA92DJN95\t91110108690017781B");
        // A title in the body's type, under a line that is not part of it.
        let mut pages = page(vec![
            line("某某市财政局", 760.0, 16.0),
            line("关于开展检查", 720.0, 16.0),
            line("的通知", 700.0, 16.0),
        ]);
        let found = first_page(&mut pages, Some("关于开展检查的通知"));
        assert_eq!(found.title.as_deref(), Some("关于开展检查的通知"));
        assert_eq!(pages[0][0].text, "某某市财政局");
        assert_eq!(pages[0][1].text, "正文内容，写到这里。");
    }

    #[test]
    fn publisher_only_for_organisations() {
        let mut doc = Document::default();
        for author in ["张三", "Administrator", "成都市财政局"] {
            let info = Info {
                title: None,
                author: Some(author.to_string()),
            };
            fill_publisher(&mut doc, &info);
        }
        assert_eq!(
            doc.fields,
            vec![("发布机构".to_string(), "成都市财政局".to_string())]
        );
    }
}

/// What the chrome of a web page printed to PDF carried.
#[derive(Debug, Default)]
pub(crate) struct Chrome {
    pub(crate) title: Option<String>,
    pub(crate) fields: Vec<(String, String)>,
    pub(crate) breadcrumb: Vec<String>,
}

/// Labels of disclosure panels and article info lines, longest first where one ends another.
const LABELS: &[&str] = &[
    "索引号",
    "信息分类",
    "信息类别",
    "内容分类",
    "主题分类",
    "体裁分类",
    "发文日期",
    "发布日期",
    "成文日期",
    "有效性",
    "发布机构",
    "发文机关",
    "发文字号",
    "文号",
    "名称",
    "标题",
    "主题词",
    "关键词",
    "文章来源",
    "来源",
    "发表时间",
    "发布时间",
    "日期",
    "时间",
    "浏览次数",
    "字号",
    "字体",
];

static CHROME_TAIL: LazyLock<Regex> = LazyLock::new(|| compile(CHROME_TAIL_PATTERN));
pub(crate) const CHROME_TAIL_PATTERN: &str = r"^[(（]?(附件[：:]$|相关附件|责任编辑|分享到|【打印|打印关闭|打印本页|【关闭|主办单位|承办单位|网站标识码|建议使用|扫一扫|相关链接|技术支持|版权所有|【我要纠错】|联系我们|网站地图|ICP|.*ICP备)";

static BREADCRUMB: LazyLock<Regex> = LazyLock::new(|| compile(BREADCRUMB_PATTERN));
pub(crate) const BREADCRUMB_PATTERN: &str = r"^(您)?当前(的)?位置[：:]";

/// Split a panel or info line into label/value pairs. Damaged labels (only their last one or
/// two characters left) are accepted at the start of the line.
fn label_pairs(line: &str) -> Vec<(String, String)> {
    // Find label positions: a known label (or, at the start, a suffix of one) right before a
    // colon.
    let chars: Vec<char> = line.chars().collect();
    let mut marks: Vec<(usize, usize, String)> = Vec::new(); // (label start, value start, label)
    for (i, &c) in chars.iter().enumerate() {
        if c != '：' && c != ':' {
            continue;
        }
        // Digits on both sides: a time, not a label.
        if i > 0 && chars[i - 1].is_ascii_digit() {
            continue;
        }
        let before: String = chars[..i].iter().filter(|c| !c.is_whitespace()).collect();
        let start_of_line =
            marks.is_empty() && chars[..i].iter().filter(|c| !c.is_whitespace()).count() <= 6;
        let label = LABELS
            .iter()
            .find(|l| before.ends_with(*l))
            .map(|l| l.to_string())
            .or_else(|| {
                start_of_line
                    .then(|| before.clone())
                    .filter(|b| !b.is_empty())
            });
        let Some(label) = label else { continue };
        // Label start in chars: walk back over the label's characters (ignoring whitespace).
        let mut need = label.chars().count();
        let mut s = i;
        while need > 0 && s > 0 {
            s -= 1;
            if !chars[s].is_whitespace() {
                need -= 1;
            }
        }
        marks.push((s, i + 1, label));
    }
    let mut out = Vec::new();
    for (k, (_, value_start, label)) in marks.iter().enumerate() {
        let end = marks.get(k + 1).map_or(chars.len(), |m| m.0);
        let value: String = chars[*value_start..end.max(*value_start)].iter().collect();
        // Page furniture after a value: 【字体：大 中 小】, [打印].
        let value = value.split(['【', '[']).next().unwrap_or("");
        out.push((label.clone(), value.trim().to_string()));
    }
    out
}

/// A panel line whose label and value were printed without a colon (`索引号0069…`,
/// `有效性失效`), possibly with a damaged label (its last one or two characters: `别政策文件`):
/// the longest known label, or label ending, the line starts with.
fn label_without_colon(line: &str) -> Option<(String, String)> {
    if let Some(l) = LABELS
        .iter()
        .filter(|l| line.starts_with(*l))
        .max_by_key(|l| l.len())
    {
        let value = &line[l.len()..];
        return Some((l.to_string(), value.trim().to_string()));
    }
    for n in [2, 1] {
        let head: String = line.chars().take(n).collect();
        let rest = &line[head.len()..];
        if !rest.is_empty()
            && LABELS
                .iter()
                .any(|l| l.chars().count() > n && l.ends_with(&head))
        {
            return Some((head, rest.trim().to_string()));
        }
    }
    None
}

/// `value`, read from the compacted `line`, with the spaces `line` prints between its words
/// (`关键词 道路运输 公路建设`: the keywords are separate), each run of them as one space.
fn spaced_value(line: &str, value: &str) -> String {
    let line = line.trim();
    let mut skip = compact(line).chars().count() - value.chars().count();
    let mut start = line.len();
    for (i, c) in line.char_indices() {
        if c.is_whitespace() {
            continue;
        }
        if skip == 0 {
            start = i;
            break;
        }
        skip -= 1;
    }
    line[start..]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Strip the navigation, metadata panel, info line and footer of a web page printed to PDF.
/// `None` (and nothing removed) when the first page does not look like one.
pub(crate) fn strip_page_chrome(
    pages: &mut [Vec<Line>],
    info_title: Option<&str>,
) -> Option<Chrome> {
    let body = layout::body_size(pages);
    let first = pages.iter().position(|p| !p.is_empty())?;
    let lines = &pages[first];
    let head = lines.len().min(40);
    let looks_printed = lines[..head]
        .iter()
        .filter(|l| l.text.starts_with('•'))
        .count()
        >= 2
        || lines[..head]
            .iter()
            .any(|l| BREADCRUMB.is_match(&compact(&l.text)));
    if !looks_printed {
        return None;
    }
    // The title: the first line in the largest type, else the line that spells the Info title.
    let max = lines[..head].iter().map(|l| l.size).fold(0.0f32, f32::max);
    let want = info_title.map(compact);
    let by_info = want.as_ref().and_then(|w| {
        lines[..head].iter().position(|l| {
            let t = compact(&l.text);
            !t.starts_with('•') && t.chars().count() >= 4 && w.starts_with(&t)
        })
    });
    let big = max > body * 1.12;
    let title_at = match by_info {
        Some(i) => i,
        None if big => lines[..head]
            .iter()
            .position(|l| (l.size - max).abs() < 0.5)?,
        None => return None,
    };
    let mut chrome = Chrome::default();
    // Above the title: bullet groups (site navigation, then the breadcrumb), panel lines.
    let mut groups: Vec<Vec<String>> = Vec::new();
    let mut prev_bullet: Option<&Line> = None;
    for l in &lines[..title_at] {
        let t = compact(&l.text);
        if let Some(item) = t.strip_prefix('•') {
            let new_group = prev_bullet.is_none_or(|p| p.y - l.y > 1.25 * (l.size * 1.65));
            if new_group {
                groups.push(Vec::new());
            }
            if let Some(g) = groups.last_mut() {
                g.push(item.to_string());
            }
            prev_bullet = Some(l);
            continue;
        }
        prev_bullet = None;
        if let Some(m) = BREADCRUMB.find(&t) {
            chrome.breadcrumb = t[m.end()..]
                .split(['>', '＞', '»', '›'])
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            continue;
        }
        let pairs = label_pairs(&l.text);
        if pairs.is_empty() {
            chrome
                .fields
                .extend(label_without_colon(&t).map(|(k, v)| (k, spaced_value(&l.text, &v))));
        }
        chrome.fields.extend(pairs);
    }
    if chrome.breadcrumb.is_empty() && groups.len() >= 2 {
        chrome.breadcrumb = groups.pop().unwrap_or_default();
    }
    // The title (one or more lines in the title's type).
    let size = lines[title_at].size;
    let mut end = title_at;
    let mut title = String::new();
    while end < lines.len()
        && (lines[end].size - size).abs() < 0.5
        && (size > body * 1.12 || end == title_at)
    {
        title.push_str(&lines[end].text);
        end += 1;
    }
    chrome.title = Some(title);
    // Info lines right below the title (日期：… 来源：… 【字体：大 中 小】).
    while end < lines.len() {
        let t = compact(&lines[end].text);
        let info_line = t.contains("【字体")
            || t.contains("浏览次数")
            || ["日期：", "发布时间：", "来源：", "时间：", "日期:", "来源:"]
                .iter()
                .any(|p| t.contains(p))
                && t.chars().count() < 80;
        if !info_line {
            break;
        }
        chrome.fields.extend(
            label_pairs(&lines[end].text)
                .into_iter()
                .filter(|(k, _)| k != "字体" && k != "字号"),
        );
        end += 1;
    }
    pages[first].drain(..end);
    // The footer chrome: from the first line of the trailing run of chrome lines.
    for p in (0..pages.len()).rev() {
        let lines = &mut pages[p];
        let Some(cut) = lines
            .iter()
            .position(|l| CHROME_TAIL.is_match(&compact(&l.text)))
        else {
            if lines.is_empty() {
                continue;
            }
            break;
        };
        lines.truncate(cut);
        if cut > 0 {
            break;
        }
    }
    Some(chrome)
}

//! The frame of an official document: what its Info dictionary and XMP say, and what its first
//! page carries above the body (masthead `XX文件`, 发文字号 line, title) and its 落款 date.
//!
//! In: the parsed PDF and the lines of its pages. Out: an [`Info`], a [`FirstPage`] (the lines
//! it identified are removed from page 1), the raw 成文日期. What always holds: values are raw
//! (brackets and dates are normalised by the metadata module); the 落款 date stays in the body.

use std::sync::LazyLock;

use lopdf::{Document as PdfDocument, Object};
use regex::Regex;

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

static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[(（]?([\p{Han}A-Za-z]{1,16}[〔\[［(（【]?\s*\d{4}\s*[〕\]］)）】]?\s*第?\s*\d{1,5}\s*号)[)）]?(\s+签发人.*)?$",
    )
    .expect("valid regex")
});

static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)$",
    )
    .expect("valid regex")
});

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
            && let Some(c) = DOC_NUMBER.captures(&t)
        {
            found.doc_number = Some(c[1].to_string());
            remove[i] = true;
        }
    }
    // The title: the first run of consecutive lines in the largest type on the page's head.
    let max = lines[..head]
        .iter()
        .zip(&remove)
        .filter(|(_, r)| !**r)
        .map(|(l, _)| l.size)
        .fold(0.0f32, f32::max);
    if max > body * 1.12 {
        let mut title = String::new();
        let mut started = false;
        for (i, l) in lines[..head].iter().enumerate() {
            if remove[i] {
                if started {
                    continue;
                }
                continue;
            }
            if (l.size - max).abs() < 0.5 {
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
    } else if let Some(t) = info_title {
        // Same type as the body: the title is the first line(s) if they spell the Info title.
        let want = compact(t);
        let mut got = String::new();
        for (i, l) in lines[..head.min(3)].iter().enumerate() {
            if remove[i] {
                continue;
            }
            got.push_str(&compact(&l.text));
            if got == want {
                for r in remove.iter_mut().take(i + 1) {
                    *r = true;
                }
                found.title = Some(t.to_string());
                break;
            }
            if !want.starts_with(&got) {
                break;
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
    use super::*;

    #[test]
    fn doc_number_lines() {
        for (line, number) in [
            ("国办发〔2020〕17号", "国办发〔2020〕17号"),
            ("（成财〔2014〕33号）", "成财〔2014〕33号"),
            ("国办发[2020]17号", "国办发[2020]17号"),
            ("黑环发202017号", "黑环发202017号"),
        ] {
            let c = DOC_NUMBER.captures(line).expect(line);
            assert_eq!(&c[1], number);
        }
        assert!(DOC_NUMBER.captures("各市审计局：").is_none());
    }

    #[test]
    fn date_lines() {
        assert!(DATE_LINE.is_match("2021年3月5日"));
        assert!(DATE_LINE.is_match("二〇〇八年三月五日"));
        assert!(!DATE_LINE.is_match("2021年3月5日起施行"));
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

//! One file from bytes to record: extract → repair → structure → metadata.

use std::ops::Range;

use sha2::{Digest, Sha256};

use crate::config::Limits;
use crate::document::Block;
use crate::error::{FileError, Stage};
use crate::extract;
use crate::metadata;
use crate::record::{Format, Record, Source};
use crate::repair;
use crate::structure;

/// Convert one file's bytes, already known to be of `format`, into its record.
///
/// # Errors
/// A [`FileError`] (stage `extract`) when the extractor cannot read the file at all.
pub fn convert(
    path: &str,
    format: Format,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Record, FileError> {
    let mut doc = extract::extract(format, bytes, limits).map_err(|e| FileError {
        path: path.to_string(),
        stage: Stage::Extract,
        kind: e.kind().to_string(),
        message: crate::error::chain(&e),
    })?;
    let mut warnings = std::mem::take(&mut doc.warnings);
    // The lines the frame stage takes out of the text, each range numbered as the lines stood
    // when it went: the extractor's corrections of the lines left are renumbered through them.
    let mut removed: Vec<Range<usize>> = Vec::new();
    let before = doc.blocks.len();
    if let Some(number) = crate::frame::strip_head(&mut doc.blocks, doc.title.as_deref()) {
        doc.fields.push(("发文字号".to_string(), number));
    }
    removed.push(0..before - doc.blocks.len());
    let (status, status_line) = crate::frame::take_status(&mut doc.blocks, &mut doc.title);
    if let Some(status) = status {
        doc.fields.push(("有效性".to_string(), status));
    }
    removed.extend(status_line.map(|i| i..i + 1));
    if let Some((title, number)) = doc
        .title
        .as_deref()
        .and_then(crate::frame::split_title_number)
    {
        doc.title = Some(title);
        doc.fields.push(("发文字号".to_string(), number));
    } else if let Some(number) = doc.title.as_deref().and_then(crate::frame::trailing_number) {
        doc.fields.push(("发文字号".to_string(), number));
    }
    let title_repairs = doc.title.as_mut().map(tidy_title).unwrap_or_default();
    let imprint = crate::frame::strip_imprint(&mut doc.blocks);
    removed.extend(imprint.as_ref().map(|(r, _)| r.clone()));
    let caption = crate::frame::strip_title_at_foot(&mut doc.blocks, doc.title.as_deref());
    removed.extend(caption.map(|i| i..i + 1));
    let corrected = doc.corrected.drain(..).filter_map(|(i, rule, text)| {
        let i = removed.iter().try_fold(i, |i, r| match i {
            _ if r.contains(&i) => None,
            _ if i >= r.end => Some(i - r.len()),
            _ => Some(i),
        })?;
        Some((i, rule, text))
    });
    let repaired = repair_with_corrections(doc.blocks, corrected.collect());
    for w in &repaired.warnings {
        // A rule that runs again after joins may see the same damage twice.
        if !warnings.contains(w) {
            warnings.push(w.clone());
        }
    }
    let mut body = repaired.body();
    let mut repairs = repaired.repairs;
    if body.chars().count() > limits.max_text_chars {
        // Repairs in the cut-off text would point past the body.
        let kept = limits.max_text_chars;
        repairs.retain(|r| r.offset < kept || (r.offset == kept && r.after.is_empty()));
        let cut = body
            .char_indices()
            .nth(limits.max_text_chars)
            .map(|(i, _)| i)
            .unwrap_or(body.len());
        body.truncate(cut);
        // An extractor that stopped reading at the limit has said so already.
        let warning = format!("body truncated to {} characters", limits.max_text_chars);
        if !warnings.contains(&warning) {
            warnings.push(warning);
        }
    }
    repairs.extend(title_repairs);
    // An empty body says why, unless the extractor already has (`no text layer`): a page that
    // only links its document, or one whose text a script loads.
    if body.trim().is_empty() && !warnings.iter().any(|w| w == "no text layer") {
        warnings.push(if doc.attachments.is_empty() {
            "no body text found".to_string()
        } else {
            format!(
                "no body text found; the document is in its {} attachment(s)",
                doc.attachments.len()
            )
        });
    }
    let sections = structure::sections(&repaired.lines);
    let doc_refs = repair::rules::doc_refs(&body);
    let mut metadata = metadata::build(&doc.fields, doc.metadata, &mut warnings);
    if let Some((_, lines)) = imprint {
        metadata.extra.insert("版记".to_string(), lines.join("\n"));
    }
    let encoding = doc.encoding;
    Ok(Record {
        source: Source {
            path: path.to_string(),
            format,
            bytes: bytes.len() as u64,
            sha256: hex(&Sha256::digest(bytes)),
            encoding: encoding.as_ref().map(|e| e.name.clone()),
            encoding_source: encoding.map(|e| e.source),
        },
        title: doc.title,
        metadata,
        sections,
        doc_refs,
        body,
        attachments: doc.attachments,
        repairs,
        warnings,
    })
}

/// Run the repair engine over `blocks`, first recording the corrections the extractor made
/// (each block's text before it, and the rule) as the first repair of their lines.
fn repair_with_corrections(
    mut blocks: Vec<Block>,
    corrected: Vec<(usize, &'static str, String)>,
) -> repair::Repaired {
    if corrected.is_empty() {
        return repair::repair(blocks);
    }
    let mut after = Vec::with_capacity(corrected.len());
    for (idx, rule, before) in corrected {
        if let Some(block) = blocks.get_mut(idx) {
            after.push((idx, rule, std::mem::replace(&mut block.text, before)));
        }
    }
    let mut lines = repair::Lines::from_blocks(blocks);
    for (idx, rule, text) in after {
        lines.rewrite(idx, &text, rule);
    }
    let mut cx = repair::Context::default();
    for rule in repair::rules::ALL {
        rule.apply(&mut lines, &mut cx);
    }
    let (lines, repairs) = lines.finish();
    repair::Repaired {
        lines,
        repairs,
        warnings: cx.warnings,
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Clean the title as a line of the body is cleaned (its stray spaces, `2024 年` → `2024年`,
/// half-width punctuation, a document number's brackets), and record each change with its
/// offset into the title.
fn tidy_title(title: &mut String) -> Vec<crate::record::Repair> {
    let (clean, mut repairs) = crate::repair::clean_inline_recorded(title);
    for r in &mut repairs {
        r.field = Some("title".to_string());
    }
    *title = clean;
    repairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_cleaned_of_stray_spaces_and_each_change_recorded() {
        let mut title = "淮安市人民政府2024 年政府信息公开工作年度报告".to_string();
        let repairs = tidy_title(&mut title);
        assert_eq!(title, "淮安市人民政府2024年政府信息公开工作年度报告");
        assert_eq!(repairs.len(), 1);
        let r = &repairs[0];
        assert_eq!(
            (r.before.as_str(), r.after.as_str(), r.offset),
            (" ", "", 11)
        );
        assert_eq!(r.field.as_deref(), Some("title"));
        let mut kept = "中共中央办公厅 国务院办公厅关于印发《方案》的通知".to_string();
        assert!(tidy_title(&mut kept).is_empty());
        assert_eq!(kept, "中共中央办公厅 国务院办公厅关于印发《方案》的通知");
    }

    #[test]
    fn an_html_title_is_cleaned_in_the_record_and_each_change_recorded() {
        let page = "<html><head><title>行政处罚信息公开表(金罚决字[2024]36号)</title></head><body>\
            <div class=\"content\"><p>当事人因违反有关规定，被依法给予警告并处罚款，现予以公开，特此公告，请广泛知悉。</p></div>\
            </body></html>";
        let r = convert("p.html", Format::Html, page.as_bytes(), &Limits::default()).unwrap();
        let title = r.title.as_deref().unwrap_or_default();
        assert_eq!(title, "行政处罚信息公开表（金罚决字〔2024〕36号）");
        let recorded: Vec<_> = r
            .repairs
            .iter()
            .filter(|p| p.field.as_deref() == Some("title"))
            .collect();
        assert!(recorded.len() >= 3, "{recorded:?}");
        // Each change stands at its offset in the title.
        for p in recorded {
            let at: String = title
                .chars()
                .skip(p.offset)
                .take(p.after.chars().count())
                .collect();
            assert_eq!(at, p.after, "{p:?}");
        }
    }

    #[test]
    fn an_empty_body_says_why() {
        let page = "<html><body><div class=\"nav\"><a href=\"/\">首页</a></div>\
            <div><a href=\"/files/notice.pdf\">关于开展检查工作的通知.pdf</a></div></body></html>";
        let r = convert("p.html", Format::Html, page.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(r.body, "");
        assert_eq!(
            r.warnings,
            vec!["no body text found; the document is in its 1 attachment(s)"]
        );
        let page = "<html><body><p>国务院办公厅关于开展政府信息公开检查工作的通知，请认真贯彻执行。</p></body></html>";
        let r = convert("p.html", Format::Html, page.as_bytes(), &Limits::default()).unwrap();
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }
}

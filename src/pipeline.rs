//! One file from bytes to record: extract → repair → structure → metadata.

use sha2::{Digest, Sha256};

use crate::config::Limits;
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
    let doc = extract::extract(format, bytes, limits).map_err(|e| FileError {
        path: path.to_string(),
        stage: Stage::Extract,
        kind: e.kind().to_string(),
        message: crate::error::chain(&e),
    })?;
    let mut doc = doc;
    let mut warnings = std::mem::take(&mut doc.warnings);
    if let Some(number) = crate::frame::strip_head(&mut doc.blocks, doc.title.as_deref()) {
        doc.fields.push(("发文字号".to_string(), number));
    }
    let repaired = repair::repair(doc.blocks);
    warnings.extend(repaired.warnings.iter().cloned());
    let mut body = repaired.body();
    if body.chars().count() > limits.max_text_chars {
        let cut = body
            .char_indices()
            .nth(limits.max_text_chars)
            .map(|(i, _)| i)
            .unwrap_or(body.len());
        body.truncate(cut);
        warnings.push(format!(
            "body truncated to {} characters",
            limits.max_text_chars
        ));
    }
    let sections = structure::sections(&repaired.lines);
    let doc_refs = repair::rules::doc_refs(&body);
    let metadata = metadata::build(&doc.fields, doc.metadata, &mut warnings);
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
        repairs: repaired.repairs,
        warnings,
    })
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

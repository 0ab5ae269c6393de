//! What every fuzz target checks of a conversion: no panic (libFuzzer reports it), a record
//! that serializes to one valid UTF-8 JSON line within the limits, or an error with a specific
//! kind. Limits are small so that no input can make a target slow.

#![allow(dead_code)]

use gongwen::config::Limits;
use gongwen::pipeline;
use gongwen::record::Format;

/// Small limits: every extractor must respect them whatever the input.
pub fn limits() -> Limits {
    Limits {
        max_file_bytes: 1 << 20,
        max_stream_bytes: 1 << 20,
        max_inflated_bytes: 4 << 20,
        max_zip_entries: 64,
        max_zip_ratio: 200,
        max_xml_depth: 64,
        max_pdf_pages: 16,
        max_pdf_objects: 20_000,
        max_html_depth: 64,
        max_text_chars: 20_000,
    }
}

/// The kinds an in-memory conversion may fail with. `io` and `panic` are never right here:
/// nothing is read from disk, and a panic is a bug.
const KINDS: &[&str] = &["malformed", "encrypted", "unsupported", "limit", "empty"];

/// Convert `data` as `format` and check the outcome.
pub fn convert(format: Format, data: &[u8]) {
    let limits = limits();
    match pipeline::convert("fuzz/input", format, data, &limits) {
        Ok(record) => {
            let chars = record.body.chars().count();
            assert!(
                chars <= limits.max_text_chars,
                "body has {chars} characters, over {}",
                limits.max_text_chars
            );
            for r in &record.repairs {
                assert!(r.offset <= chars, "repair {r:?} past the body's {chars}");
            }
            let line = serde_json::to_vec(&record).expect("a record serializes");
            assert!(std::str::from_utf8(&line).is_ok(), "record is not UTF-8");
            assert!(!line.contains(&b'\n'), "record spans lines");
            let back: serde_json::Value = serde_json::from_slice(&line).expect("record reparses");
            assert_eq!(back["body"].as_str(), Some(record.body.as_str()));
        }
        Err(e) => {
            assert!(
                KINDS.contains(&e.kind.as_str()),
                "unexpected error kind {:?}: {}",
                e.kind,
                e.message
            );
            let line = serde_json::to_vec(&e).expect("an error line serializes");
            assert!(std::str::from_utf8(&line).is_ok());
        }
    }
}

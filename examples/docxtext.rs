//! Print what the DOCX extractor makes of files, as one JSON object per file:
//! `{"path", "title", "fields", "blocks": [[kind, text]…], "warnings"}` or `{"path", "error"}`.
//!
//! `cargo run --release --example docxtext -- FILE.docx…`

use gongwen::config::Limits;
use gongwen::document::BlockKind;
use gongwen::extract::docx;

fn main() {
    let limits = Limits::default();
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                println!(
                    "{}",
                    serde_json::json!({"path": path, "error": e.to_string()})
                );
                continue;
            }
        };
        match docx::extract(&bytes, &limits) {
            Ok(doc) => {
                let blocks: Vec<(String, String)> = doc
                    .blocks
                    .iter()
                    .map(|b| {
                        let kind = match b.kind {
                            BlockKind::Paragraph => "p".to_string(),
                            BlockKind::TableRow => "tr".to_string(),
                            BlockKind::Heading { level } => format!("h{}", level.unwrap_or(0)),
                        };
                        (kind, b.text.clone())
                    })
                    .collect();
                println!(
                    "{}",
                    serde_json::json!({
                        "path": path,
                        "title": doc.title,
                        "fields": doc.fields,
                        "publisher": doc.metadata.publisher,
                        "extra": doc.metadata.extra,
                        "blocks": blocks,
                        "warnings": doc.warnings,
                    })
                );
            }
            Err(e) => println!(
                "{}",
                serde_json::json!({"path": path, "kind": e.kind(), "error": gongwen::error::chain(&e)})
            ),
        }
    }
}

//! What the fuzz targets check, shared with `tests/fuzz_regressions.rs` (which includes this
//! file) so that every input the fuzzers found is checked the same way in `cargo test`.
//!
//! * [`convert`]: the whole pipeline on bytes of one format: no panic, a record that
//!   serializes to one valid UTF-8 JSON line within the limits, or an error of a specific kind.
//!   Limits are small so that no input can make a target slow.
//! * [`decode`]: charset sniffing and decoding.
//! * [`repair`]: the repair engine's promises on arbitrary text.

#![allow(dead_code)]

use std::collections::HashMap;

use gongwen::config::Limits;
use gongwen::document::{Block, BlockKind};
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
        // Small enough that the fuzzer reaches the streaming path too.
        max_html_tree_bytes: 64 << 10,
        max_sheet_cells: 100_000,
    }
}

/// Replace libFuzzer's panic hook (print, then abort) with one that lets panics raised in
/// source files whose path contains `contained` unwind silently, to be caught where gongwen
/// contains them, and aborts on every other.
pub fn abort_on_panics_outside(contained: &'static str) {
    std::panic::set_hook(Box::new(move |info| {
        if info
            .location()
            .is_some_and(|l| l.file().contains(contained))
        {
            return;
        }
        eprintln!("{info}");
        std::process::abort();
    }));
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
            for r in record.repairs.iter().filter(|r| r.field.is_none()) {
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

/// Charset sniffing and decoding of markup bytes: no panic, bytes that are valid UTF-8 (without
/// a byte order mark) come out unchanged whatever charset they declare, and malformed
/// sequences are never replaced without a warning.
pub fn decode(data: &[u8]) {
    let _ = gongwen::decode::declared_charset(&data[..data.len().min(4096)]);
    let d = gongwen::decode::decode_markup(data);
    let has_bom = encoding_rs::Encoding::for_bom(data).is_some();
    if let Ok(s) = std::str::from_utf8(data)
        && !has_bom
        // ISO-2022-JP is ASCII with escape sequences: a page labelled so may switch sets.
        && !data.contains(&0x1b)
    {
        assert_eq!(
            d.text, s,
            "valid UTF-8 decoded as {} ({:?}) changed",
            d.encoding, d.source
        );
    }
    // Decoding was lossy when the chosen encoding finds malformed sequences in the bytes (after
    // the BOM): then there must be a warning. (A U+FFFD the bytes encode is no loss.)
    let enc = encoding_rs::Encoding::for_label(d.encoding.as_bytes()).expect("a WHATWG name");
    let enc = if enc == encoding_rs::GBK {
        encoding_rs::GB18030
    } else {
        enc
    };
    let body = match encoding_rs::Encoding::for_bom(data) {
        Some((_, n)) => &data[n..],
        None => data,
    };
    let (_, lossy) = enc.decode_without_bom_handling(body);
    if lossy {
        assert!(
            !d.warnings.is_empty(),
            "malformed {} sequences replaced without a warning",
            d.encoding
        );
    }
}

fn counted(c: char) -> bool {
    gongwen::repair::text::is_han(c) || c.is_ascii_digit()
}

fn count(into: &mut HashMap<char, i64>, s: &str, sign: i64) {
    for c in s.chars().filter(|c| counted(*c)) {
        *into.entry(c).or_default() += sign;
    }
}

/// The repair engine on arbitrary text, one block per line (a line holding a tab is a table
/// row, one starting with `#` a heading). Checks what `tests/repair_props.rs` states: no
/// panic, every repair's offset inside the body, no Han character or digit appearing or
/// vanishing except through a recorded repair, and idempotence. `clean_inline` (titles,
/// metadata values) must not panic either.
pub fn repair(data: &[u8]) {
    if data.len() > 8192 {
        return;
    }
    let text = String::from_utf8_lossy(data);
    let blocks: Vec<Block> = text
        .split('\n')
        .map(|l| {
            if let Some(h) = l.strip_prefix('#') {
                Block {
                    text: h.to_string(),
                    kind: BlockKind::Heading { level: Some(1) },
                }
            } else if l.contains('\t') {
                Block {
                    text: l.to_string(),
                    kind: BlockKind::TableRow,
                }
            } else {
                Block::paragraph(l)
            }
        })
        .collect();
    for b in &blocks {
        let _ = gongwen::repair::clean_inline(&b.text);
    }
    let mut expected = HashMap::new();
    for b in &blocks {
        count(&mut expected, &b.text, 1);
    }
    let once = gongwen::repair::repair(blocks);
    let body = once.body();
    let len = body.chars().count();
    for r in &once.repairs {
        assert!(r.offset <= len, "{r:?} past the body's {len} characters");
        count(&mut expected, &r.before, -1);
        count(&mut expected, &r.after, 1);
    }
    let mut got = HashMap::new();
    count(&mut got, &body, 1);
    expected.retain(|_, n| *n != 0);
    assert_eq!(got, expected, "Han characters or digits changed unrecorded");

    let again: Vec<Block> = once
        .lines
        .iter()
        .map(|l| Block {
            text: l.text.clone(),
            kind: l.kind,
        })
        .collect();
    let twice = gongwen::repair::repair(again);
    assert_eq!(twice.body(), body, "a second pass changed the body");
    assert!(
        twice.repairs.is_empty(),
        "second pass repaired: {:?}",
        twice.repairs
    );
}

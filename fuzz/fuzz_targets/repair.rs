//! The repair engine on arbitrary text, one block per line (a line holding a tab is a table
//! row, one starting with `#` a heading). Checks what `tests/repair_props.rs` states:
//!
//! * no panic, and every repair's offset lies inside the body;
//! * no Han character or digit appears or vanishes except through a recorded repair;
//! * the engine is idempotent: run on its own output it changes nothing.
//!
//! `clean_inline`, the title/metadata variant, must not panic either.

#![no_main]

use std::collections::HashMap;

use gongwen::document::{Block, BlockKind};
use gongwen::repair;
use libfuzzer_sys::fuzz_target;

fn counted(c: char) -> bool {
    repair::text::is_han(c) || c.is_ascii_digit()
}

fn count(into: &mut HashMap<char, i64>, s: &str, sign: i64) {
    for c in s.chars().filter(|c| counted(*c)) {
        *into.entry(c).or_default() += sign;
    }
}

fuzz_target!(|data: &[u8]| {
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
        let _ = repair::clean_inline(&b.text);
    }
    let mut expected = HashMap::new();
    for b in &blocks {
        count(&mut expected, &b.text, 1);
    }
    let once = repair::repair(blocks);
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
    let twice = repair::repair(again);
    assert_eq!(twice.body(), body, "a second pass changed the body");
    assert!(
        twice.repairs.is_empty(),
        "second pass repaired: {:?}",
        twice.repairs
    );
});

//! Every input the fuzzers found a bug with, checked exactly as the fuzz target checks it:
//! `fuzz/fuzz_targets/common.rs` is included here, so a regression fails `cargo test` the way
//! it failed the fuzzer.
//!
//! Inputs live in `tests/fuzz-regressions/TARGET/`, one file each, named for what they
//! found. To add one: minimise it (`fuzz/target/…/release/TARGET -minimize_crash=1
//! -max_total_time=60 CRASH`), copy it there, fix the bug; this test picks it up.

#[path = "../fuzz/fuzz_targets/common.rs"]
mod harness;

use std::path::PathBuf;

use gongwen::record::Format;

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(target);
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

/// Run `check` on every input of `target`, naming the input that fails.
fn replay(target: &str, check: impl Fn(&[u8]) + std::panic::RefUnwindSafe) {
    let mut failed = Vec::new();
    for (path, bytes) in inputs(target) {
        if std::panic::catch_unwind(|| check(&bytes)).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "fuzz regressions fail again: {failed:#?}"
    );
}

#[test]
fn docx_regressions() {
    replay("docx", |b| harness::convert(Format::Docx, b));
}

#[test]
fn doc_regressions() {
    replay("doc", |b| harness::convert(Format::Doc, b));
}

#[test]
fn rtf_regressions() {
    replay("rtf", |b| harness::convert(Format::Rtf, b));
}

#[test]
fn mhtml_regressions() {
    replay("mhtml", |b| harness::convert(Format::Mhtml, b));
}

#[test]
fn xlsx_regressions() {
    replay("xlsx", |b| harness::convert(Format::Xlsx, b));
}

#[test]
fn xls_regressions() {
    replay("xls", |b| harness::convert(Format::Xls, b));
}

#[test]
fn pdf_regressions() {
    replay("pdf", |b| harness::convert(Format::Pdf, b));
}

#[test]
fn html_regressions() {
    replay("html", |b| harness::convert(Format::Html, b));
}

#[test]
fn decode_regressions() {
    replay("decode", harness::decode);
}

#[test]
fn repair_regressions() {
    replay("repair", harness::repair);
}

/// Findings not fixed yet, kept so they are not lost. This test checks that each still fails
/// its check, so that the day one is fixed it says so: then move the file to its target's
/// directory, where the test above keeps it fixed.
///
/// * `open/repair/mojibake-reversed-only-on-second-pass.txt` (8 KiB of a real page, partly
///   mojibake): a paragraph whose mojibake the first pass leaves alone (its punctuation still
///   half-width) is reversed, correctly, on a second pass.
/// * `open/repair/doc-number-and-heading-marker-on-second-pass.txt` (not minimised: the
///   minimiser drifted to the mojibake case): a second pass drops the space before
///   `〔2011〕416号` and puts one after `第十八条`.
#[test]
fn open_repair_findings_still_fail() {
    let open = inputs("open/repair");
    assert!(!open.is_empty());
    for (path, bytes) in open {
        assert!(
            std::panic::catch_unwind(|| harness::repair(&bytes)).is_err(),
            "{} passes now: move it to tests/fuzz-regressions/repair/",
            path.display()
        );
    }
}

//! DOCX extraction against the shared corpus (`../shared/corpus`, not part of this repository;
//! run with `cargo test --test docx_corpus -- --ignored`).
//!
//! * gen/dev: the extracted blocks, joined as the body would be, against each expected `body`,
//!   after folding only the half-width punctuation the corpus damages on purpose (and `⑴`,
//!   which the structure stage canonicalises); the error is counted per line (an upper bound of
//!   the character error rate) so the test needs no edit-distance library.
//! * real and suites: every DOCX converts or fails with a stable error kind.

use std::collections::HashMap;
use std::path::Path;

use gongwen::config::Limits;
use gongwen::extract::docx;

const DEV: &str = "../shared/corpus/gen/dev";

fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            ',' => out.push('，'),
            ';' => out.push('；'),
            '(' => out.push('（'),
            ')' => out.push('）'),
            '?' => out.push('？'),
            '!' => out.push('！'),
            ':' => out.push('：'),
            '\u{2474}'..='\u{2487}' => {
                out.push_str(&format!("（{}）", c as u32 - 0x2474 + 1));
            }
            c => out.push(c),
        }
    }
    out
}

/// Characters of `expected` lines that `got` does not reproduce exactly, by line LCS.
fn line_errors(got: &[String], expected: &[String]) -> usize {
    let (n, m) = (got.len(), expected.len());
    let mut table = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[i][j] = if got[i] == expected[j] {
                table[i + 1][j + 1] + expected[j].chars().count() + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let total: usize = expected.iter().map(|l| l.chars().count() + 1).sum();
    total - table[0][0]
}

fn expected_body(name: &str) -> serde_json::Value {
    let path = Path::new(DEV).join("expected").join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("expected file")).unwrap()
}

#[test]
#[ignore = "needs ../shared corpus"]
fn dev_docx_bodies_titles_and_fields_match() {
    let limits = Limits::default();
    let mut files: Vec<_> = std::fs::read_dir(Path::new(DEV).join("input"))
        .expect("the dev corpus")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 60);
    let (mut errors, mut chars, mut titles, mut numbers) = (0usize, 0usize, 0usize, 0usize);
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let doc = docx::extract(&std::fs::read(path).unwrap(), &limits)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let exp = expected_body(&name);
        let got: Vec<String> = doc.blocks.iter().map(|b| fold(&b.text)).collect();
        let want: Vec<String> = exp["body"]
            .as_str()
            .unwrap()
            .split('\n')
            .map(fold)
            .collect();
        errors += line_errors(&got, &want);
        chars += want.iter().map(|l| l.chars().count() + 1).sum::<usize>();
        titles += usize::from(doc.title.as_deref() == exp["title"].as_str());
        let fields: HashMap<&str, &str> = doc
            .fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let number = exp["metadata"]["doc_number"].as_str();
        // The printed number may have lost its 〔〕 (damage); compare digits only.
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        numbers += usize::from(fields.get("发文字号").map(|s| digits(s)) == number.map(digits));
        assert_eq!(
            doc.metadata.publisher.as_deref(),
            exp["metadata"]["publisher"].as_str(),
            "{name}"
        );
    }
    let rate = errors as f64 / chars as f64;
    eprintln!("line-level error rate {rate:.4}, titles {titles}/60, doc numbers {numbers}/60");
    // Lines still differ where the corpus damaged them (dropped 。, 〔〕, split paragraphs):
    // the repair engine's part, so the bound here is loose.
    assert!(rate < 0.15, "{rate}");
    assert_eq!(titles, 60);
    assert_eq!(numbers, 60);
}

#[test]
#[ignore = "needs ../shared corpus"]
fn real_and_suite_docx_files_convert_or_fail_clearly() {
    let limits = Limits::default();
    let mut seen = 0;
    for dir in ["../shared/corpus/real/docx", "../shared/corpus/suites/docx"] {
        for entry in std::fs::read_dir(dir).expect("the shared corpus") {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            match docx::extract(&bytes, &limits) {
                Ok(doc) => assert!(!doc.blocks.is_empty(), "{}: no text", path.display()),
                Err(e) => assert!(
                    ["unsupported", "encrypted", "malformed", "limit"].contains(&e.kind()),
                    "{}: {e}",
                    path.display()
                ),
            }
            seen += 1;
        }
    }
    assert!(seen >= 30, "{seen}");
}

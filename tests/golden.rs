//! Golden records: every file in `samples/` has its expected record in `tests/golden/NAME.json`,
//! compared as parsed JSON values. A missing golden file fails the test. After a deliberate
//! change, regenerate with `GONGWEN_BLESS=1 cargo test --test golden` and review the diff.

mod common;

use std::fs;

use common::*;
use serde_json::Value;

#[test]
fn every_sample_matches_its_golden_record() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().join("samples.jsonl");
    let run = convert(&[
        crate_dir().join("samples").as_os_str(),
        "-o".as_ref(),
        o.as_os_str(),
        "-q".as_ref(),
    ]);
    assert_eq!(run.status.code(), Some(0));
    let records = read_jsonl(&o);
    assert_schema_valid(&records);
    let bless = std::env::var_os("GONGWEN_BLESS").is_some();
    let mut mismatches = Vec::new();
    for record in &records {
        let name = record["source"]["path"].as_str().unwrap();
        let golden = crate_dir()
            .join("tests/golden")
            .join(format!("{name}.json"));
        if bless {
            fs::write(
                &golden,
                serde_json::to_string_pretty(record).unwrap() + "\n",
            )
            .unwrap();
            continue;
        }
        let text = fs::read_to_string(&golden)
            .unwrap_or_else(|_| panic!("missing golden record {}", golden.display()));
        let expected: Value = serde_json::from_str(&text).unwrap();
        if &expected != record {
            mismatches.push(name.to_string());
        }
    }
    assert!(
        mismatches.is_empty(),
        "records differ from their golden files: {mismatches:?}"
    );
}

/// The seed page (`samples/anhui-audit-2020-summary.html`, the real scraped 安徽省审计厅 page):
/// what its golden record must carry, pinned independently of the golden file.
#[test]
fn seed_page_record_carries_its_repairs() {
    let run = convert(&[
        crate_dir()
            .join("samples/anhui-audit-2020-summary.html")
            .as_os_str(),
        "-o".as_ref(),
        "-".as_ref(),
        "-q".as_ref(),
    ]);
    let record: Value = serde_json::from_slice(&run.stdout).unwrap();
    let refs: Vec<&str> = record["doc_refs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for want in [
        "国办发〔2020〕17号",
        "皖政办秘〔2020〕66号",
        "皖政办〔2014〕25号",
        "国办公开办函〔2019〕61号",
    ] {
        assert!(refs.contains(&want), "{want} missing from {refs:?}");
    }
    let repairs = record["repairs"].as_array().unwrap();
    let has = |rule: &str, before: &str, after: &str| {
        repairs
            .iter()
            .any(|r| r["rule"] == rule && r["before"] == before && r["after"] == after)
    };
    assert!(
        has("doc_number", "202017号", "〔2020〕17号"),
        "doc_number repair"
    );
    assert!(
        has("doc_number", "〔201961号", "〔2019〕61号"),
        "one-bracket doc_number repair"
    );
    assert!(has("heading_marker", ")", "（二）"), "restored marker");
    assert!(
        repairs
            .iter()
            .any(|r| r["rule"] == "furniture" && r["before"] == "文件下载" && r["after"] == "")
    );
    // Every recorded `after` is found in the body at its offset: a repair that a later one
    // rewrote is folded into it.
    let body: Vec<char> = record["body"].as_str().unwrap().chars().collect();
    for r in repairs {
        let after: Vec<char> = r["after"].as_str().unwrap().chars().collect();
        let at = r["offset"].as_u64().unwrap() as usize;
        // A repair of another field (the title) counts its offset there.
        if after.is_empty() || after == ['\n'] || r.get("field").is_some() {
            continue;
        }
        assert!(
            body.get(at..at + after.len()) == Some(&after[..]),
            "repair {r}"
        );
    }
    let sections = record["sections"].as_array().unwrap();
    let under_four: Vec<&str> = sections
        .iter()
        .skip_while(|s| s["marker"] != "四、")
        .skip(1)
        .take_while(|s| s["level"] != 1)
        .map(|s| s["marker"].as_str().unwrap())
        .collect();
    assert_eq!(under_four, vec!["（一）", "（二）", "（三）", "（四）"]);
    assert_eq!(record["metadata"]["index_no"], "002985886/202012-00023");
    assert_eq!(record["metadata"]["issued_date"], "2020-12-28");
    assert_eq!(
        record["metadata"]["published_at"],
        "2020-12-28T14:39:00+08:00"
    );
}

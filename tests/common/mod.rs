//! Helpers shared by the integration tests: running the binary, reading JSONL, checking records
//! against the published JSON Schema.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gongwen"))
}

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run `gongwen convert ARGS…`.
pub fn convert(args: &[&std::ffi::OsStr]) -> Output {
    bin()
        .arg("convert")
        .args(args)
        .output()
        .expect("run gongwen")
}

pub fn read_jsonl(path: &Path) -> Vec<Value> {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    text.lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

/// Panic unless every record is valid against `schema/record.schema.json`.
pub fn assert_schema_valid(records: &[Value]) {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(crate_dir().join("schema/record.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    for r in records {
        let errors: Vec<String> = validator
            .iter_errors(r)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "record {} violates the schema: {errors:#?}",
            r["source"]["path"]
        );
    }
}

//! The torture corpus (`tests/hostile/mod.rs`) mixed with good files, through the CLI in its
//! default mode.
//!
//! * Every good file's record is byte-identical to a clean run over the good files alone.
//! * Every hostile file yields what its item expects: exactly one error line of a specific
//!   kind, a record carrying a specific warning, a record, or nothing (skipped).
//! * The run ends before a deadline, and (full-size variant) its peak RSS, children included,
//!   stays under 1 GiB.
//!
//! `cargo test` runs the small corpus mixed with `samples/`. The full-size corpus (gigabyte
//! bombs, a 200 MB page) mixed with `../shared/corpus/gen/dev/input` is ignored by default:
//! `cargo test --release --test hostile -- --ignored --nocapture`.

mod common;
#[path = "hostile/mod.rs"]
mod hostile;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use hostile::{Expect, Size};
use serde_json::Value;

/// What one run of the binary produced.
struct Run {
    status: i32,
    /// Record lines by `source.path`, as written.
    records: BTreeMap<String, String>,
    /// Error lines by path (a path may appear more than once: that is a failure).
    errors: Vec<Value>,
    stderr: String,
    elapsed: Duration,
    /// Peak resident set size of the process and the children it waited for, in KiB.
    max_rss_kib: u64,
}

/// Run `gongwen convert INPUTS… -o OUT --errors ERR -j 2 ARGS…` and wait for it at most `deadline`
/// (then kill it and fail). The peak RSS comes from `wait4`, which reports the largest of the
/// process's own peak and those of every descendant it reaped: worker processes included.
fn run(dir: &Path, name: &str, inputs: &[&Path], args: &[&str], deadline: Duration) -> Run {
    let out = dir.join(format!("{name}.jsonl"));
    let err = dir.join(format!("{name}.errors.jsonl"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gongwen"));
    cmd.arg("convert")
        .args(inputs)
        .args([OsStr::new("-o"), out.as_os_str()])
        .args([OsStr::new("--errors"), err.as_os_str()])
        .args(["-j", "2"])
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let started = Instant::now();
    #[allow(
        clippy::zombie_processes,
        reason = "reaped by wait4 below, or killed and waited for"
    )]
    let mut child = cmd.spawn().expect("spawn gongwen");
    let stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let pid = child.id() as libc::pid_t;
    let (status, rusage) = loop {
        let mut status = 0;
        // SAFETY: a zeroed rusage is a valid value to be overwritten by wait4.
        let mut rusage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: pid is our own child, not yet reaped; both pointers are valid.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut rusage) };
        assert!(r >= 0, "wait4: {}", std::io::Error::last_os_error());
        if r == pid {
            break (status, rusage);
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("gongwen ran past its deadline of {deadline:?} on {name}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = started.elapsed();
    let stderr = reader.join().unwrap();
    assert!(
        libc::WIFEXITED(status),
        "gongwen died on a signal ({status}): {stderr}"
    );
    let mut records = BTreeMap::new();
    for line in std::fs::read_to_string(&out).unwrap_or_default().lines() {
        let v: Value = serde_json::from_str(line).expect("a JSON record line");
        let path = v["source"]["path"].as_str().unwrap().to_string();
        assert!(
            records.insert(path.clone(), line.to_string()).is_none(),
            "two records for {path}"
        );
    }
    let errors = std::fs::read_to_string(&err)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON error line"))
        .collect();
    Run {
        status: libc::WEXITSTATUS(status),
        records,
        errors,
        stderr,
        elapsed,
        max_rss_kib: rusage.ru_maxrss as u64,
    }
}

/// Check a mixed run against a clean run of the good files and the items' expectations;
/// returns a table of what each hostile file gave.
fn check(clean: &Run, mixed: &Run, hostile_dir: &Path, max_text_chars: usize) -> Vec<String> {
    // Good files: byte-identical records, no error lines.
    for (path, line) in &clean.records {
        assert_eq!(
            mixed.records.get(path),
            Some(line),
            "record of good file {path} differs in the mixed run"
        );
    }
    let clean_errors: Vec<&str> = clean
        .errors
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    let mut table = Vec::new();
    for item in hostile::items() {
        let name = item.name;
        assert!(
            hostile_dir.join(name).exists(),
            "hostile file {name} missing"
        );
        let errors: Vec<&Value> = mixed
            .errors
            .iter()
            .filter(|e| e["path"].as_str() == Some(name))
            .collect();
        let record = mixed
            .records
            .get(name)
            .map(|l| serde_json::from_str::<Value>(l).unwrap());
        let got = match (&record, errors.as_slice()) {
            (None, []) => "skipped".to_string(),
            (None, [e]) => format!("error:{} ({})", e["kind"], e["message"]),
            (Some(r), []) => format!("record, warnings {}", r["warnings"]),
            _ => panic!("{name}: record {record:?} and error lines {errors:?}"),
        };
        match item.expect {
            Expect::Error(kind) => {
                assert_eq!(errors.len(), 1, "{name}: want one {kind} error, got {got}");
                assert_eq!(errors[0]["kind"], kind, "{name}: got {got}");
            }
            Expect::Warning(text) => {
                let r = record
                    .as_ref()
                    .unwrap_or_else(|| panic!("{name}: got {got}"));
                let warnings = r["warnings"].as_array().unwrap();
                assert!(
                    warnings
                        .iter()
                        .any(|w| w.as_str().is_some_and(|w| w.contains(text))),
                    "{name}: no warning with {text:?}: got {got}"
                );
            }
            Expect::Record => {
                assert!(record.is_some(), "{name}: want a record, got {got}");
            }
            Expect::Skipped => {
                assert_eq!(got, "skipped", "{name}: want it skipped");
            }
        }
        if let Some(r) = &record {
            assert!(
                r["body"].as_str().unwrap().chars().count() <= max_text_chars,
                "{name}: body over --max-text-chars"
            );
        }
        table.push(format!("{name:<28} {got}"));
    }
    // Nothing else failed: every error line is a hostile file's (or failed in the clean run).
    for e in &mixed.errors {
        let path = e["path"].as_str().unwrap();
        assert!(
            hostile::items().iter().any(|i| i.name == path) || clean_errors.contains(&path),
            "unexpected error line {e}"
        );
    }
    assert_eq!(
        mixed.records.len(),
        clean.records.len()
            + hostile::items()
                .iter()
                .filter(|i| matches!(i.expect, Expect::Record | Expect::Warning(_)))
                .count(),
        "the mixed run has records for other files"
    );
    assert_eq!(mixed.status, 1, "some files failed: {}", mixed.stderr);
    table
}

/// The limits the small corpus is converted with (the full one uses the defaults).
const SMALL_LIMITS: &[&str] = &[
    "--max-stream-bytes",
    "4194304",
    "--max-text-chars",
    "1000000",
    "--max-pdf-objects",
    "10000",
];

#[test]
fn small_torture_corpus_mixed_with_samples_leaves_good_records_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let hostile_dir = tmp.path().join("hostile");
    hostile::write_corpus(&hostile_dir, Size::Small).unwrap();
    let samples = common::crate_dir().join("samples");
    let deadline = Duration::from_secs(300);
    // Smaller budgets, so that the small bombs cross them cheaply.
    let args = SMALL_LIMITS;
    let clean = run(tmp.path(), "clean", &[&samples], args, deadline);
    assert_eq!(clean.status, 0, "{}", clean.stderr);
    let sample_count = std::fs::read_dir(&samples).unwrap().count();
    assert_eq!(clean.records.len(), sample_count, "{}", clean.stderr);
    let mixed = run(
        tmp.path(),
        "mixed",
        &[&samples, &hostile_dir],
        args,
        deadline,
    );
    let table = check(&clean, &mixed, &hostile_dir, 1_000_000);
    eprintln!("{}", table.join("\n"));
}

/// The full-size corpus mixed with the dev corpus: needs `../shared` and about 250 MB of disk.
#[test]
#[ignore = "full-size torture corpus: gigabyte bombs and a 200 MB page, needs ../shared"]
fn full_torture_corpus_mixed_with_dev_corpus_stays_under_one_gib() {
    let dev = common::crate_dir().join("../shared/corpus/gen/dev/input");
    assert!(dev.is_dir(), "{} is missing", dev.display());
    let tmp = match std::env::var_os("GONGWEN_HOSTILE_TMP") {
        Some(dir) => tempfile::tempdir_in(dir),
        None => tempfile::tempdir(),
    }
    .unwrap();
    let hostile_dir = tmp.path().join("hostile");
    let made = Instant::now();
    hostile::write_corpus(&hostile_dir, Size::Full).unwrap();
    eprintln!("full corpus written in {:.1?}", made.elapsed());
    let deadline = Duration::from_secs(900);
    let clean = run(tmp.path(), "clean", &[dev.as_path()], &[], deadline);
    let mixed = run(
        tmp.path(),
        "mixed",
        &[dev.as_path(), &hostile_dir],
        &[],
        deadline,
    );
    let table = check(&clean, &mixed, &hostile_dir, 20_000_000);
    eprintln!("{}", table.join("\n"));
    eprintln!(
        "clean: {:.1?}, peak RSS {} MiB; mixed: {:.1?}, peak RSS {} MiB",
        clean.elapsed,
        clean.max_rss_kib >> 10,
        mixed.elapsed,
        mixed.max_rss_kib >> 10
    );
    assert!(
        mixed.max_rss_kib < 1 << 20,
        "peak RSS {} MiB is over 1 GiB",
        mixed.max_rss_kib >> 10
    );
}

/// Each hostile file alone, with its time and peak RSS: the table in the report.
/// `GONGWEN_HOSTILE_SIZE=full cargo test --release --test hostile -- --ignored measure --nocapture`
#[test]
#[ignore = "measurement, prints a table"]
fn measure_each_hostile_file() {
    let size = match std::env::var("GONGWEN_HOSTILE_SIZE").as_deref() {
        Ok("full") => Size::Full,
        _ => Size::Small,
    };
    let tmp = match std::env::var_os("GONGWEN_HOSTILE_TMP") {
        Some(dir) => tempfile::tempdir_in(dir),
        None => tempfile::tempdir(),
    }
    .unwrap();
    let dir = tmp.path().join("hostile");
    let paths: Vec<PathBuf> = hostile::write_corpus(&dir, size).unwrap();
    for (item, path) in hostile::items().iter().zip(&paths) {
        let args: &[&str] = match size {
            Size::Small => SMALL_LIMITS,
            Size::Full => &[],
        };
        let r = run(
            tmp.path(),
            item.name,
            &[path],
            args,
            Duration::from_secs(900),
        );
        let got = match (r.records.values().next(), r.errors.first()) {
            (Some(l), _) => {
                let v: Value = serde_json::from_str(l).unwrap();
                format!("record, warnings {}", v["warnings"])
            }
            (None, Some(e)) => format!("error:{} {}", e["kind"], e["message"]),
            (None, None) => "skipped".to_string(),
        };
        eprintln!(
            "{:<28} {:>11} B {:>7.2}s {:>6} MiB  {got}",
            item.name,
            std::fs::metadata(path).unwrap().len(),
            r.elapsed.as_secs_f64(),
            r.max_rss_kib >> 10
        );
    }
}

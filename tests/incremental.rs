//! Scheduled runs: `--state`, `--deleted`, `--shard`, compressed and split output, and a run
//! killed with SIGKILL at any moment ending, once started again, exactly like an uninterrupted
//! run.

mod common;

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::*;

/// `n` copies of the sample pages under new names, in a few subdirectories, each copy made
/// distinct by a comment so that every file has its own content hash.
fn corpus(dir: &Path, n: usize) {
    let samples: Vec<Vec<u8>> = {
        let mut paths: Vec<PathBuf> = fs::read_dir(crate_dir().join("samples"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        paths.iter().map(|p| fs::read(p).unwrap()).collect()
    };
    assert!(!samples.is_empty(), "samples/ holds the sample pages");
    for i in 0..n {
        let sub = dir.join(format!("d{:02}", i % 7));
        fs::create_dir_all(&sub).unwrap();
        let mut bytes = samples[i % samples.len()].clone();
        bytes.extend_from_slice(format!("\n<!-- copy {i} -->\n").as_bytes());
        fs::write(sub.join(format!("p{i:04}.html")), bytes).unwrap();
    }
}

struct Run<'a> {
    input: &'a Path,
    out: PathBuf,
    state: PathBuf,
    deleted: PathBuf,
}

impl Run<'_> {
    fn args(&self, extra: &[&str]) -> Vec<OsString> {
        let mut args: Vec<OsString> = vec![
            "convert".into(),
            self.input.into(),
            "-o".into(),
            self.out.clone().into(),
            "--state".into(),
            self.state.clone().into(),
            "--deleted".into(),
            self.deleted.clone().into(),
            "-q".into(),
            "-j".into(),
            "2".into(),
        ];
        args.extend(extra.iter().map(OsString::from));
        args
    }

    /// Run to the end; returns how long the run took.
    fn complete(&self) -> Duration {
        let start = Instant::now();
        let out = bin().args(self.args(&[])).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        start.elapsed()
    }

    /// Start the run, kill it with SIGKILL after `delay`, then, unless it had already
    /// committed its state (a run is complete once it has), run it again to the end.
    ///
    /// Returns whether the kill interrupted the run.
    fn killed_then_resumed(&self, delay: Duration) -> bool {
        let before = self.last_run();
        let mut child = bin().args(self.args(&[])).spawn().unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let interrupted = self.last_run() == before;
        if interrupted {
            self.complete();
        }
        interrupted
    }

    /// The number of the last committed run (0 before the first).
    fn last_run(&self) -> i64 {
        if !self.state.exists() {
            return 0;
        }
        let conn = rusqlite::Connection::open(&self.state).unwrap();
        conn.query_row("SELECT value FROM meta WHERE name = 'run'", [], |r| {
            r.get(0)
        })
        .unwrap_or(0)
    }

    /// The state database's rows, every column.
    fn state_rows(&self) -> Vec<Vec<String>> {
        let conn = rusqlite::Connection::open(&self.state).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT path, key, size, mtime_ns, hex(hash), rules, outcome, seen FROM files
                 ORDER BY path",
            )
            .unwrap();
        let rows = stmt
            .query_map([], |r| {
                (0..8)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .unwrap();
        let mut all: Vec<Vec<String>> = rows.map(Result::unwrap).collect();
        let run: i64 = conn
            .query_row("SELECT value FROM meta WHERE name = 'run'", [], |r| {
                r.get(0)
            })
            .unwrap();
        all.push(vec![format!("run {run}")]);
        all
    }
}

fn lines(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
        .lines()
        .map(str::to_string)
        .collect()
}

fn assert_same(reference: &Run, resumed: &Run, when: &str) {
    assert_eq!(lines(&reference.out), lines(&resumed.out), "records {when}");
    assert_eq!(
        lines(&reference.deleted),
        lines(&resumed.deleted),
        "deleted lines {when}"
    );
    assert_eq!(reference.state_rows(), resumed.state_rows(), "state {when}");
}

/// Change the corpus between runs: two files deleted, one edited, one touched, one added.
fn change(input: &Path) {
    fs::remove_file(input.join("d00/p0000.html")).unwrap();
    fs::remove_file(input.join("d03/p0010.html")).unwrap();
    let edited = input.join("d01/p0001.html");
    let mut bytes = fs::read(&edited).unwrap();
    bytes.extend_from_slice(b"<!-- edited -->");
    fs::write(&edited, bytes).unwrap();
    let touched = input.join("d02/p0002.html");
    let bytes = fs::read(&touched).unwrap();
    fs::write(&touched, bytes).unwrap();
    fs::copy(input.join("d04/p0004.html"), input.join("d04/new.html")).unwrap();
}

#[test]
fn a_run_killed_at_any_moment_ends_like_an_uninterrupted_one() {
    let mut interrupted = 0;
    // Kills at these fractions of the time the same run takes uninterrupted, so that they
    // land mid-run whether the binary is a debug or a release build.
    for percent in [0u32, 10, 30, 55, 80] {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        corpus(&input, 240);
        let run = |name: &str, n: u32| Run {
            input: &input,
            out: dir.path().join(format!("{name}-{n}.jsonl")),
            state: dir.path().join(format!("{name}.db")),
            deleted: dir.path().join(format!("{name}-{n}-deleted.jsonl")),
        };

        // A first run, from an empty state.
        let (reference, resumed) = (run("ref", 1), run("kill", 1));
        let delay = reference.complete() * percent / 100;
        interrupted += usize::from(resumed.killed_then_resumed(delay));
        assert_same(
            &reference,
            &resumed,
            &format!("of a first run killed after {percent}% of its time"),
        );
        assert_eq!(lines(&reference.out).len(), 240);

        // An incremental run after files were deleted, edited, touched and added.
        change(&input);
        let (reference, resumed) = (run("ref", 2), run("kill", 2));
        let delay = reference.complete() * percent / 100;
        interrupted += usize::from(resumed.killed_then_resumed(delay));
        assert_same(
            &reference,
            &resumed,
            &format!("of an incremental run killed after {percent}% of its time"),
        );
        let converted: Vec<String> = lines(&reference.out)
            .iter()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["source"]["path"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(
            converted,
            ["d01/p0001.html", "d04/new.html"],
            "only what changed"
        );
        let gone: Vec<String> = lines(&reference.deleted)
            .iter()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["path"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(gone, ["d00/p0000.html", "d03/p0010.html"]);
    }
    assert!(interrupted >= 4, "only {interrupted} kills landed mid-run");
}

#[test]
fn a_third_run_with_nothing_changed_converts_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    corpus(&input, 20);
    for n in 1..=2 {
        let run = Run {
            input: &input,
            out: dir.path().join(format!("out-{n}.jsonl")),
            state: dir.path().join("state.db"),
            deleted: dir.path().join(format!("deleted-{n}.jsonl")),
        };
        run.complete();
        let expected = if n == 1 { 20 } else { 0 };
        assert_eq!(lines(&run.out).len(), expected, "run {n}");
        assert!(lines(&run.deleted).is_empty());
    }
}

#[test]
fn shards_split_a_corpus_into_disjoint_parts_whose_union_is_a_single_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    corpus(&input, 60);
    let whole = dir.path().join("whole.jsonl");
    let status = bin()
        .args(["convert", "-q"])
        .arg(&input)
        .arg("-o")
        .arg(&whole)
        .status()
        .unwrap();
    assert!(status.success());
    let mut union = Vec::new();
    for k in 0..3 {
        let part = dir.path().join(format!("shard{k}.jsonl"));
        let status = bin()
            .args(["convert", "-q", "--shard", &format!("{k}/3")])
            .arg(&input)
            .arg("-o")
            .arg(&part)
            .status()
            .unwrap();
        assert!(status.success());
        let got = lines(&part);
        assert!(!got.is_empty() && got.len() < 60, "shard {k} holds a part");
        union.extend(got);
    }
    let mut whole = lines(&whole);
    whole.sort();
    union.sort();
    assert_eq!(union, whole);
}

#[test]
fn compressed_split_output_holds_the_same_records() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    corpus(&input, 25);
    let plain = dir.path().join("plain.jsonl");
    let zst = dir.path().join("out.jsonl.zst");
    for (out, extra) in [(&plain, vec![]), (&zst, vec!["--split-records", "10"])] {
        let status = bin()
            .args(["convert", "-q"])
            .args(extra)
            .arg(&input)
            .arg("-o")
            .arg(out)
            .status()
            .unwrap();
        assert!(status.success());
    }
    let mut text = Vec::new();
    for k in 0..3 {
        let part = gongwen::output::part_path(&zst, k);
        let bytes = zstd::decode_all(&fs::read(&part).unwrap()[..]).unwrap();
        assert_eq!(
            bytes.iter().filter(|&&b| b == b'\n').count(),
            if k < 2 { 10 } else { 5 }
        );
        text.extend(bytes);
    }
    assert!(!gongwen::output::part_path(&zst, 3).exists());
    assert_eq!(text, fs::read(&plain).unwrap());
}

#[test]
fn bad_shards_and_state_on_stdout_are_usage_errors() {
    for args in [
        vec!["--shard", "3/3", "-o", "x.jsonl"],
        vec!["--shard", "1", "-o", "x.jsonl"],
        vec!["--split-records", "0", "-o", "x.jsonl"],
        vec!["--state", "s.db", "-o", "-"],
    ] {
        let out = bin()
            .arg("convert")
            .arg(crate_dir().join("samples"))
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

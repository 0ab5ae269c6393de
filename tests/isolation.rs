//! Worker-process isolation end to end: a file that hangs, aborts, overflows its stack or eats
//! memory costs that file only; a worker killed with `kill -9` loses nothing; worker processes,
//! recycled or not, write exactly what the in-process path writes.
//!
//! Faults are injected with the test-only `GONGWEN_WORKER_FAULT` variable, read by the hidden
//! worker only (see `src/worker.rs`).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

/// The sample files (at the top and in `sub/`), plus copies of the HTML ones named
/// `PREFIX-NAME` for each prefix, plus a broken PDF and a file of no supported format.
fn tree(prefixes: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir_all(input.join("sub")).unwrap();
    for entry in fs::read_dir(crate_dir().join("samples")).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        fs::copy(&p, input.join(&name)).unwrap();
        fs::copy(&p, input.join("sub").join(&name)).unwrap();
        if name.ends_with(".html") {
            for prefix in prefixes {
                fs::copy(&p, input.join(format!("{prefix}-{name}"))).unwrap();
            }
        }
    }
    fs::write(input.join("broken.pdf"), b"%PDF-1.7\nnot a pdf at all").unwrap();
    fs::write(input.join("notes.txt"), "plain text, no supported format").unwrap();
    dir
}

/// How many samples there are, and how many of them are HTML pages.
fn samples() -> (usize, usize) {
    let names: Vec<String> = fs::read_dir(crate_dir().join("samples"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let html = names.iter().filter(|n| n.ends_with(".html")).count();
    (names.len(), html)
}

/// `gongwen convert DIR/in -o DIR/NAME.jsonl --errors DIR/NAME.errors.jsonl --quiet ARGS…`
/// with `fault` in the environment; returns the run, the output and the errors file's bytes.
fn run(dir: &Path, name: &str, fault: &str, args: &[&str]) -> (Output, Vec<u8>, Vec<u8>) {
    let out = dir.join(format!("{name}.jsonl"));
    let errors = dir.join(format!("{name}.errors.jsonl"));
    let run = bin()
        .arg("convert")
        .arg(dir.join("in"))
        .arg("-o")
        .arg(&out)
        .arg("--errors")
        .arg(&errors)
        .arg("--quiet")
        .args(args)
        .env("GONGWEN_WORKER_FAULT", fault)
        .output()
        .expect("run gongwen");
    let read = |p: &PathBuf| fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    (run, read(&out), read(&errors))
}

fn lines(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8(bytes.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The `source.path` of each record.
fn paths(records: &[Value]) -> Vec<String> {
    records
        .iter()
        .map(|r| r["source"]["path"].as_str().unwrap().to_string())
        .collect()
}

fn stderr(run: &Output) -> String {
    String::from_utf8_lossy(&run.stderr).into_owned()
}

#[test]
fn workers_write_exactly_what_the_in_process_path_writes() {
    let dir = tree(&[]);
    let (base, records, errors) = run(dir.path(), "threads", "", &["--in-process", "-j", "2"]);
    assert_eq!(base.status.code(), Some(1), "{}", stderr(&base));
    // Every sample, twice.
    assert_eq!(lines(&records).len(), 2 * samples().0);
    assert_eq!(lines(&errors).len(), 1, "the broken PDF");
    for (name, args) in [
        ("j1", &["-j", "1"][..]),
        ("j3", &["-j", "3"]),
        ("recycled", &["-j", "2", "--recycle-after", "1"]),
    ] {
        let (w, r, e) = run(dir.path(), name, "", args);
        assert_eq!(w.status.code(), Some(1), "{name}: {}", stderr(&w));
        assert!(r == records, "{name}: records differ from --in-process");
        assert!(e == errors, "{name}: errors differ from --in-process");
    }
}

#[test]
fn what_a_worker_prints_never_reaches_the_output() {
    let dir = tree(&["noisy"]);
    let (base, records, errors) = run(dir.path(), "threads", "", &["--in-process"]);
    assert_eq!(base.status.code(), Some(1), "{}", stderr(&base));
    let fault = "noise:noisy-anhui-audit-2020-summary.html,noise:sub/gbk-regulation-notice.html";
    let (w, r, e) = run(dir.path(), "noisy", fault, &["-j", "2"]);
    assert_eq!(w.status.code(), Some(1), "{}", stderr(&w));
    assert!(r == records, "records differ from --in-process");
    assert!(e == errors, "error lines differ from --in-process");
    assert!(
        !stderr(&w).contains("noise"),
        "worker stderr is kept, not forwarded"
    );
}

#[test]
fn a_file_that_hangs_aborts_overflows_or_eats_memory_costs_that_file_only() {
    let dir = tree(&["hang", "abort", "stack", "oom"]);
    let (base, records, _) = run(dir.path(), "threads", "", &["--in-process"]);
    assert_eq!(base.status.code(), Some(1), "{}", stderr(&base));
    let fault = "hang:hang-gbk-regulation-notice.html,abort:abort-gbk-regulation-notice.html,\
                 stack:stack-gbk-regulation-notice.html,oom:oom-gbk-regulation-notice.html";
    for jobs in ["1", "2"] {
        let started = Instant::now();
        let (w, r, e) = run(
            dir.path(),
            &format!("faults-j{jobs}"),
            fault,
            &["-j", jobs, "--timeout", "5", "--max-memory", "256M"],
        );
        assert_eq!(w.status.code(), Some(1), "{}", stderr(&w));
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the hang was cut"
        );
        let failed: Vec<(String, String, String, String)> = lines(&e)
            .iter()
            .filter(|l| l["stage"] == "worker")
            .map(|l| {
                let s = |k: &str| l[k].as_str().unwrap().to_string();
                (s("path"), s("stage"), s("kind"), s("message"))
            })
            .collect();
        let kinds: Vec<(&str, &str)> = failed
            .iter()
            .map(|(p, _, k, _)| (p.as_str(), k.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("abort-gbk-regulation-notice.html", "crashed"),
                ("hang-gbk-regulation-notice.html", "timeout"),
                ("oom-gbk-regulation-notice.html", "out_of_memory"),
                ("stack-gbk-regulation-notice.html", "crashed"),
            ],
            "-j {jobs}"
        );
        let message = |path: &str| &failed.iter().find(|f| f.0.starts_with(path)).unwrap().3;
        assert!(message("abort").contains("SIGABRT"), "{}", message("abort"));
        assert!(
            message("stack").contains("overflow"),
            "{}",
            message("stack")
        );
        assert!(
            message("oom").contains("memory allocation"),
            "{}",
            message("oom")
        );
        assert!(message("hang").contains("5 s"), "{}", message("hang"));
        // Every other file converted as in-process, in order.
        let faulty = |rec: &Value| {
            let path = rec["source"]["path"].as_str().unwrap();
            ["hang-", "abort-", "stack-", "oom-"]
                .iter()
                .any(|p| path == format!("{p}gbk-regulation-notice.html"))
        };
        let expected: Vec<Value> = lines(&records).into_iter().filter(|r| !faulty(r)).collect();
        assert_eq!(paths(&lines(&r)), paths(&expected), "-j {jobs}");
        assert!(
            lines(&r) == expected,
            "-j {jobs}: records differ from --in-process"
        );
        // The broken PDF fails as it does in-process.
        assert_eq!(lines(&e).len(), 5);
    }
}

/// The worker processes whose parent is `parent`.
fn children(parent: u32) -> Vec<i32> {
    let mut pids = Vec::new();
    for entry in fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // `pid (comm) state ppid …`; comm may hold spaces, so split after its `)`.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if ppid == Some(parent) {
            pids.push(pid);
        }
    }
    pids
}

#[test]
fn kill_9_of_the_workers_mid_run_loses_nothing() {
    // `000-slow-…` comes first and takes its worker 3 s: long enough to be killed on it.
    let dir = tree(&["000-slow"]);
    let (base, records, errors) = run(dir.path(), "threads", "", &["--in-process"]);
    assert_eq!(base.status.code(), Some(1), "{}", stderr(&base));
    let out = dir.path().join("killed.jsonl");
    let errs = dir.path().join("killed.errors.jsonl");
    let child = Command::new(env!("CARGO_BIN_EXE_gongwen"))
        .arg("convert")
        .arg(dir.path().join("in"))
        .args(["-j", "2", "-o"])
        .arg(&out)
        .arg("--errors")
        .arg(&errs)
        .env(
            "GONGWEN_WORKER_FAULT",
            "slow:000-slow-anhui-audit-2020-summary.html",
        )
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut workers = Vec::new();
    while workers.len() < 2 && started.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(20));
        workers = children(child.id());
    }
    std::thread::sleep(Duration::from_millis(1000).saturating_sub(started.elapsed()));
    // The worker on the slow file is still at it; the other may have finished and exited.
    let killed = workers
        .iter()
        .filter(|&&pid| {
            let pid = rustix::process::Pid::from_raw(pid).unwrap();
            rustix::process::kill_process(pid, rustix::process::Signal::KILL).is_ok()
        })
        .count();
    let done = child.wait_with_output().unwrap();
    assert!(killed >= 1, "no worker process killed");
    assert_eq!(done.status.code(), Some(1), "{}", stderr(&done));
    assert!(fs::read(&out).unwrap() == records, "records differ");
    assert!(fs::read(&errs).unwrap() == errors, "error lines differ");
    assert!(
        stderr(&done).contains("1 failed"),
        "only the broken PDF failed: {}",
        stderr(&done)
    );
    assert!(
        stderr(&done).contains("files sent again after their worker was killed"),
        "{}",
        stderr(&done)
    );
}

#[test]
fn a_file_whose_worker_is_killed_every_time_is_retried_once_then_crashed() {
    // `sigkill` makes the worker kill itself with SIGKILL on the file, as `kill -9` would:
    // the file is sent once more to a fresh worker, then reported.
    let dir = tree(&["killed"]);
    let (w, r, e) = run(
        dir.path(),
        "killed",
        "sigkill:killed-anhui-audit-2020-summary.html",
        &["-j", "1"],
    );
    assert_eq!(w.status.code(), Some(1), "{}", stderr(&w));
    let e = lines(&e);
    assert_eq!(
        e[1]["path"], "killed-anhui-audit-2020-summary.html",
        "{e:?}"
    );
    assert_eq!(e[1]["kind"], "crashed");
    let message = e[1]["message"].as_str().unwrap();
    assert!(
        message.contains("SIGKILL") && message.contains("twice"),
        "{message}"
    );
    // Every sample twice and every page once more, but the killed one.
    let (all, html) = samples();
    assert_eq!(
        lines(&r).len(),
        2 * all + html - 1,
        "every other supported file"
    );
}

#[test]
fn the_worker_subcommand_is_hidden() {
    let help = bin().arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains("convert"));
    assert!(!text.contains("worker"), "{text}");
}

#[test]
fn in_process_refuses_worker_only_flags() {
    let dir = tree(&[]);
    let run = convert(&[
        dir.path().join("in").as_os_str(),
        "-o".as_ref(),
        dir.path().join("o.jsonl").as_os_str(),
        "--in-process".as_ref(),
        "--timeout".as_ref(),
        "5".as_ref(),
    ]);
    assert_eq!(run.status.code(), Some(2));
}

#[test]
fn with_state_a_file_that_timed_out_is_converted_again_by_the_next_run() {
    let dir = tree(&["hang"]);
    let state = dir.path().join("state.db");
    let state_args = ["--state", state.to_str().unwrap(), "--timeout", "5"];
    let fault = "hang:hang-gbk-regulation-notice.html";
    let (first, r1, e1) = run(dir.path(), "first", fault, &state_args);
    assert_eq!(first.status.code(), Some(1), "{}", stderr(&first));
    assert!(!paths(&lines(&r1)).contains(&"hang-gbk-regulation-notice.html".to_string()));
    assert!(lines(&e1).iter().any(|e| e["kind"] == "timeout"));
    // Next run, nothing changed and no fault: only the timed-out file is converted again (the
    // broken PDF's failure stands: it is a fact about the file, not about the run).
    let (second, r2, e2) = run(dir.path(), "second", "", &state_args);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert_eq!(paths(&lines(&r2)), ["hang-gbk-regulation-notice.html"]);
    assert!(lines(&e2).is_empty());
}

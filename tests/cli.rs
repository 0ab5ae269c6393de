//! The `convert` command end to end: output contract, ordering, exit codes, errors file.

mod common;

use std::ffi::OsStr;
use std::fs;

use common::*;

fn os<S: AsRef<OsStr> + ?Sized>(s: &S) -> &OsStr {
    s.as_ref()
}

#[test]
fn samples_convert_and_every_record_matches_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl");
    let run = convert(&[
        os(&crate_dir().join("samples")),
        os("-o"),
        os(&out),
        os("--quiet"),
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(run.stderr.is_empty(), "--quiet prints nothing");
    let records = read_jsonl(&out);
    assert!(records.len() >= 2);
    assert_schema_valid(&records);
    let paths: Vec<&str> = records
        .iter()
        .map(|r| r["source"]["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "records in path order");
}

/// A directory mixing good pages, a broken PDF, an unsupported file and a nested folder.
fn mixed_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let samples = crate_dir().join("samples");
    for i in 0..12 {
        let sub = dir.path().join(format!("d{}", i % 3));
        fs::create_dir_all(&sub).unwrap();
        for entry in fs::read_dir(&samples).unwrap() {
            let p = entry.unwrap().path();
            if p.extension().is_some_and(|e| e == "html") {
                fs::copy(
                    &p,
                    sub.join(format!(
                        "{i:02}-{}",
                        p.file_name().unwrap().to_string_lossy()
                    )),
                )
                .unwrap();
            }
        }
    }
    fs::write(
        dir.path().join("d1/broken.pdf"),
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage",
    )
    .unwrap();
    fs::write(
        dir.path().join("notes.txt"),
        "plain text, not a disclosure file",
    )
    .unwrap();
    fs::write(
        dir.path().join(".hidden.html"),
        "<html><body>hidden</body></html>",
    )
    .unwrap();
    dir
}

#[test]
fn output_is_identical_whatever_the_job_count() {
    let tree = mixed_tree();
    let out = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for jobs in ["1", "2", "7"] {
        let o = out.path().join(format!("j{jobs}.jsonl"));
        let e = out.path().join(format!("e{jobs}.jsonl"));
        let run = convert(&[
            os(tree.path()),
            os("-o"),
            os(&o),
            os("--errors"),
            os(&e),
            os("-j"),
            os(jobs),
            os("-q"),
        ]);
        assert_eq!(run.status.code(), Some(1), "the broken PDF fails the run");
        outputs.push((fs::read(&o).unwrap(), fs::read(&e).unwrap()));
    }
    assert!(outputs.windows(2).all(|w| w[0] == w[1]));
    let records = read_jsonl(&out.path().join("j1.jsonl"));
    assert_eq!(records.len(), 24);
    assert!(
        records
            .iter()
            .all(|r| !r["source"]["path"].as_str().unwrap().contains("hidden"))
    );
    assert_eq!(
        records[0]["source"]["path"],
        "d0/00-anhui-audit-2020-summary.html"
    );
}

#[test]
fn a_failed_file_is_one_error_line_and_the_batch_goes_on() {
    let tree = mixed_tree();
    let out = tempfile::tempdir().unwrap();
    let (o, e) = (out.path().join("o.jsonl"), out.path().join("e.jsonl"));
    let run = convert(&[os(tree.path()), os("-o"), os(&o), os("--errors"), os(&e)]);
    assert_eq!(run.status.code(), Some(1));
    let errors = read_jsonl(&e);
    assert_eq!(errors.len(), 1);
    let err = errors[0].as_object().unwrap();
    assert_eq!(err["path"], "d1/broken.pdf");
    assert_eq!(err["stage"], "extract");
    for key in ["path", "stage", "kind", "message"] {
        assert!(
            err[key].as_str().is_some_and(|s| !s.is_empty()),
            "{key} in {err:?}"
        );
    }
    let summary = String::from_utf8_lossy(&run.stderr);
    assert!(
        summary.contains("26 files seen, 24 converted, 1 skipped, 1 failed"),
        "{summary}"
    );
    assert!(summary.contains("failed by kind:"), "{summary}");
}

#[test]
fn files_of_no_supported_format_are_skipped_not_failed() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "hello").unwrap();
    fs::write(dir.path().join("b.png"), b"\x89PNG\r\n\x1a\n....").unwrap();
    fs::write(
        dir.path().join("page.pdf"),
        "<html><body><p>这是一个网页，扩展名却是pdf。</p></body></html>",
    )
    .unwrap();
    let o = dir.path().join("o.jsonl");
    let run = convert(&[os(dir.path()), os("-o"), os(&o)]);
    assert_eq!(run.status.code(), Some(0));
    let records = read_jsonl(&o);
    assert_eq!(records.len(), 1);
    assert_eq!(
        records[0]["source"]["format"], "html",
        "format comes from the bytes, not the name"
    );
    assert!(String::from_utf8_lossy(&run.stderr).contains("2 skipped"));
}

#[test]
fn bad_usage_and_unwritable_output_exit_2_and_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let o = dir.path().join("o.jsonl");
    let run = convert(&[os(&dir.path().join("missing")), os("-o"), os(&o)]);
    assert_eq!(run.status.code(), Some(2));
    let run = bin().arg("convert").output().unwrap();
    assert_eq!(run.status.code(), Some(2));
    let run = convert(&[
        os(&crate_dir().join("samples")),
        os("-o"),
        os(&dir.path().join("no/such/dir/o.jsonl")),
    ]);
    assert_eq!(run.status.code(), Some(2));
    let run = convert(&[
        os(&crate_dir().join("samples")),
        os("-o"),
        os(&o),
        os("--errors"),
        os(&dir.path().join("no/such/e.jsonl")),
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no output and no temporary file left"
    );
}

#[test]
fn records_can_go_to_stdout() {
    let run = convert(&[
        os(&crate_dir().join("samples")),
        os("-o"),
        os("-"),
        os("-q"),
    ]);
    assert_eq!(run.status.code(), Some(0));
    let text = String::from_utf8(run.stdout).unwrap();
    assert_eq!(
        text.lines().count(),
        fs::read_dir(crate_dir().join("samples")).unwrap().count()
    );
}

#[test]
fn an_existing_output_is_replaced_whole() {
    let dir = tempfile::tempdir().unwrap();
    let o = dir.path().join("o.jsonl");
    fs::write(&o, "old content\n").unwrap();
    let run = convert(&[os(&crate_dir().join("samples")), os("-o"), os(&o), os("-q")]);
    assert_eq!(run.status.code(), Some(0));
    let text = fs::read_to_string(&o).unwrap();
    assert!(!text.contains("old content"));
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "the temporary file was renamed, not left beside"
    );
}

#[test]
fn a_closed_stdout_ends_the_run_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let tree = mixed_tree();
    let mut child = bin()
        .arg("convert")
        .arg(tree.path())
        .args(["-o", "-", "-q", "-j", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The pipe is closed now; the run must notice and end, not wait on its own queues.
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("gongwen kept running after its reader went away");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
}

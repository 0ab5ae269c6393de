//! A `convert` run: inputs are walked lazily, converted on `jobs` worker threads, and written
//! in input order through a bounded reordering window, so memory does not grow with the number
//! of files and the output is the same whatever `jobs` is.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, IsTerminal, Read};
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::config::{Config, Limits};
use crate::discover::{self, Input, Sniffed};
use crate::error::{FileError, Stage};
use crate::output::Sink;
use crate::pipeline;

/// What one run did, for the summary on stderr.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub seen: u64,
    pub converted: u64,
    pub skipped: u64,
    pub failed: BTreeMap<String, u64>,
    pub repairs: BTreeMap<String, u64>,
    pub bytes: u64,
    pub elapsed: Duration,
}

impl Summary {
    pub fn failed_total(&self) -> u64 {
        self.failed.values().sum()
    }

    /// The one summary printed at the end of a run.
    pub fn render(&self) -> String {
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        let mut out = format!(
            "gongwen: {} files seen, {} converted, {} skipped, {} failed in {:.2}s ({:.1} MB/s, {:.0} files/s)",
            self.seen,
            self.converted,
            self.skipped,
            self.failed_total(),
            secs,
            self.bytes as f64 / 1e6 / secs,
            self.seen as f64 / secs
        );
        if !self.failed.is_empty() {
            let kinds: Vec<String> = self
                .failed
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect();
            out.push_str(&format!("\n  failed by kind: {}", kinds.join(", ")));
        }
        if !self.repairs.is_empty() {
            let rules: Vec<String> = self
                .repairs
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect();
            out.push_str(&format!("\n  repairs by rule: {}", rules.join(", ")));
        }
        out
    }
}

/// Why a run could not go on at all (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("cannot write {what}")]
    Output {
        what: String,
        #[source]
        source: io::Error,
    },
}

/// The result of converting one input.
enum Outcome {
    Converted {
        line: Vec<u8>,
        repairs: Vec<(String, u64)>,
        bytes: u64,
    },
    Skipped {
        bytes: u64,
    },
    Failed {
        error: FileError,
        bytes: u64,
    },
}

/// Convert one input file: read, sniff, convert, serialise; a panic becomes an error.
fn convert_input(input: &Input, limits: &Limits) -> Outcome {
    let rel = input.rel.clone();
    let fail = |stage, kind: &str, message: String, bytes| Outcome::Failed {
        error: FileError {
            path: rel.clone(),
            stage,
            kind: kind.to_string(),
            message,
        },
        bytes,
    };
    let bytes = match read_bounded(&input.path, limits.max_file_bytes) {
        Ok(b) => b,
        Err(ReadError::TooLarge(n)) => {
            return fail(
                Stage::Read,
                "too_large",
                format!(
                    "file is {n} bytes, over the limit of {}",
                    limits.max_file_bytes
                ),
                n,
            );
        }
        Err(ReadError::Io(e)) => return fail(Stage::Read, "io", e.to_string(), 0),
    };
    let size = bytes.len() as u64;
    let format = match discover::sniff(&bytes) {
        Sniffed::Supported(f) => f,
        Sniffed::Legacy(what) => {
            return fail(
                Stage::Detect,
                "unsupported",
                format!("{what} is not supported"),
                size,
            );
        }
        Sniffed::Other => return Outcome::Skipped { bytes: size },
    };
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        pipeline::convert(&rel, format, &bytes, limits)
    }));
    match result {
        Ok(Ok(record)) => {
            let mut counts: HashMap<&str, u64> = HashMap::new();
            for r in &record.repairs {
                *counts.entry(r.rule.as_str()).or_default() += 1;
            }
            let repairs = counts
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            match serde_json::to_vec(&record) {
                Ok(line) => Outcome::Converted {
                    line,
                    repairs,
                    bytes: size,
                },
                Err(e) => fail(Stage::Extract, "serialize", e.to_string(), size),
            }
        }
        Ok(Err(error)) => Outcome::Failed { error, bytes: size },
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            fail(
                Stage::Extract,
                "panic",
                format!("converter panicked: {msg}"),
                size,
            )
        }
    }
}

enum ReadError {
    TooLarge(u64),
    Io(io::Error),
}

fn read_bounded(path: &std::path::Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let len = file.metadata().map_err(ReadError::Io)?.len();
    if len > max {
        return Err(ReadError::TooLarge(len));
    }
    let mut buf = Vec::with_capacity(len as usize);
    file.take(max + 1)
        .read_to_end(&mut buf)
        .map_err(ReadError::Io)?;
    if buf.len() as u64 > max {
        return Err(ReadError::TooLarge(buf.len() as u64));
    }
    Ok(buf)
}

/// Records in flight per worker: the reordering window.
const WINDOW_PER_JOB: usize = 32;

/// Run a conversion as configured.
///
/// # Errors
/// [`RunError`] when the output or errors file cannot be written; file failures are counted
/// in the summary instead.
pub fn run(config: &Config) -> Result<Summary, RunError> {
    let started = Instant::now();
    let out_err = |what: &str| {
        let what = what.to_string();
        move |source| RunError::Output { what, source }
    };
    let mut out = Sink::open(&config.output).map_err(out_err("output"))?;
    let mut errs = match &config.errors {
        Some(p) => Some(
            Sink::open(&crate::config::OutputTarget::File(p.clone()))
                .map_err(out_err("errors file"))?,
        ),
        None => None,
    };
    let progress = progress_bar(config.quiet);
    let jobs = config.jobs.max(1);
    let window = jobs * WINDOW_PER_JOB;

    // Tokens bound the reordering window: the walker takes one per file, the writer gives it
    // back once that file's outcome is written.
    let (token_tx, token_rx) = sync_channel::<()>(window);
    for _ in 0..window {
        token_tx.send(()).expect("token channel open");
    }
    let (job_tx, job_rx) = sync_channel::<(usize, Result<Input, discover::WalkError>)>(jobs * 2);
    let job_rx = Arc::new(Mutex::new(job_rx));
    let (res_tx, res_rx) = sync_channel::<(usize, Outcome)>(window);

    let mut summary = Summary::default();
    let mut write_result: Result<(), RunError> = Ok(());
    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    std::thread::scope(|scope| {
        scope.spawn(|| walk_inputs(&config.inputs, job_tx, token_rx));
        for _ in 0..jobs {
            let job_rx = Arc::clone(&job_rx);
            let res_tx = res_tx.clone();
            let limits = &config.limits;
            scope.spawn(move || worker(job_rx, res_tx, limits));
        }
        drop(res_tx);
        write_result = write_in_order(
            res_rx,
            token_tx,
            &mut out,
            errs.as_mut(),
            &mut summary,
            &progress,
        );
    });
    panic::set_hook(previous_hook);
    if let Some(pb) = &progress {
        pb.finish_and_clear();
    }
    match write_result {
        Err(RunError::Output { source, .. })
            if source.kind() == io::ErrorKind::BrokenPipe && out.target().is_none() => {}
        other => other?,
    }
    out.commit().map_err(out_err("output"))?;
    if let Some(e) = errs {
        e.commit().map_err(out_err("errors file"))?;
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

fn walk_inputs(
    roots: &[std::path::PathBuf],
    job_tx: SyncSender<(usize, Result<Input, discover::WalkError>)>,
    token_rx: Receiver<()>,
) {
    for (idx, item) in discover::walk(roots).enumerate() {
        if token_rx.recv().is_err() || job_tx.send((idx, item)).is_err() {
            return;
        }
    }
}

type JobReceiver = Arc<Mutex<Receiver<(usize, Result<Input, discover::WalkError>)>>>;

fn worker(job_rx: JobReceiver, res_tx: SyncSender<(usize, Outcome)>, limits: &Limits) {
    loop {
        let job = match job_rx.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok((idx, item)) = job else { return };
        let outcome = match item {
            Ok(input) => convert_input(&input, limits),
            Err(e) => Outcome::Failed {
                error: FileError {
                    path: e.rel,
                    stage: Stage::Read,
                    kind: "io".into(),
                    message: e.message,
                },
                bytes: 0,
            },
        };
        if res_tx.send((idx, outcome)).is_err() {
            return;
        }
    }
}

fn write_in_order(
    res_rx: Receiver<(usize, Outcome)>,
    token_tx: SyncSender<()>,
    out: &mut Sink,
    mut errs: Option<&mut Sink>,
    summary: &mut Summary,
    progress: &Option<indicatif::ProgressBar>,
) -> Result<(), RunError> {
    let mut pending: BTreeMap<usize, Outcome> = BTreeMap::new();
    let mut next = 0usize;
    let write_err = |source| RunError::Output {
        what: "output".into(),
        source,
    };
    for (idx, outcome) in res_rx {
        pending.insert(idx, outcome);
        while let Some(outcome) = pending.remove(&next) {
            next += 1;
            summary.seen += 1;
            match outcome {
                Outcome::Converted {
                    line,
                    repairs,
                    bytes,
                } => {
                    out.write_line(&line).map_err(write_err)?;
                    summary.converted += 1;
                    summary.bytes += bytes;
                    for (rule, n) in repairs {
                        *summary.repairs.entry(rule).or_default() += n;
                    }
                }
                Outcome::Skipped { bytes } => {
                    summary.skipped += 1;
                    summary.bytes += bytes;
                }
                Outcome::Failed { error, bytes } => {
                    summary.bytes += bytes;
                    *summary.failed.entry(error.kind.clone()).or_default() += 1;
                    if let Some(e) = errs.as_deref_mut() {
                        let line = serde_json::to_vec(&error).unwrap_or_default();
                        e.write_line(&line).map_err(|source| RunError::Output {
                            what: "errors file".into(),
                            source,
                        })?;
                    }
                }
            }
            if let Some(pb) = progress {
                pb.set_position(summary.seen);
                pb.set_message(format!("{} failed", summary.failed_total()));
            }
            // The walker may already be done; a closed token channel is fine.
            let _ = token_tx.try_send(());
        }
    }
    Ok(())
}

fn progress_bar(quiet: bool) -> Option<indicatif::ProgressBar> {
    if quiet || !io::stderr().is_terminal() {
        return None;
    }
    let pb = indicatif::ProgressBar::new_spinner();
    pb.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {pos} files [{elapsed_precise}] {per_sec} {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    pb.enable_steady_tick(Duration::from_millis(200));
    Some(pb)
}

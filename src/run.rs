//! A `convert` run: inputs are walked lazily, converted on `jobs` workers, and written in input
//! order through a bounded reordering window, so memory does not grow with the number of files
//! and the output is the same whatever `jobs` is.
//!
//! A worker is a supervised worker process ([`crate::worker`]: a file that hangs, crashes or
//! eats memory costs that file only) or, with `--in-process`, a thread of this process; both
//! convert a file with the same `convert_input` and give byte-identical output.
//!
//! With `--shard K/N` the walker passes on only the inputs of that shard. With `--state`, the
//! walker looks up each input's previous row (on its own read connection, which sees the state
//! as the last completed run left it), workers leave unchanged files unread, and the writer
//! records each outcome in the run's write transaction, which is committed after every output
//! file is in place (see [`crate::state`] and the README, "Scheduled runs").

use std::collections::{BTreeMap, HashMap};
use std::io::{self, IsTerminal, Read};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::AtomicU64;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::config::{Config, Limits, Shard};
use crate::discover::{self, Input, Sniffed};
use crate::error::{FileError, Stage};
use crate::output::Sink;
use crate::pipeline;
use crate::record::Record;
use crate::state::{self, Fingerprint, Lookup, Previous, State, StateError};
use crate::worker;

/// What one run did, for the summary on stderr.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub seen: u64,
    pub converted: u64,
    pub skipped: u64,
    /// Files unchanged since the state database's last run, not converted again.
    pub unchanged: u64,
    /// Files in the state database gone since its last run.
    pub deleted: u64,
    pub failed: BTreeMap<String, u64>,
    pub repairs: BTreeMap<String, u64>,
    pub bytes: u64,
    pub elapsed: Duration,
    /// Standard output was closed by its reader before every record was written.
    pub stdout_closed: bool,
    /// Files sent again to a fresh worker process after theirs was killed from outside.
    pub retried: u64,
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
        if self.unchanged > 0 || self.deleted > 0 {
            out.push_str(&format!(
                "\n  incremental: {} unchanged, {} deleted",
                self.unchanged, self.deleted
            ));
        }
        if !self.failed.is_empty() {
            let kinds: Vec<String> = self
                .failed
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect();
            out.push_str(&format!("\n  failed by kind: {}", kinds.join(", ")));
        }
        if self.retried > 0 {
            out.push_str(&format!(
                "\n  workers: {} files sent again after their worker was killed",
                self.retried
            ));
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
    #[error("cannot use the state database")]
    State(#[from] StateError),
    #[error("cannot start a worker process")]
    Worker(#[source] io::Error),
}

/// How one input's conversion ended.
pub(crate) enum Kind {
    Converted {
        line: Vec<u8>,
        repairs: Vec<(String, u64)>,
    },
    Skipped,
    Failed(FileError),
    /// Unchanged since the state database's last run: not converted again.
    Unchanged,
}

/// The result of converting one input.
pub(crate) struct Outcome {
    pub rel: String,
    pub kind: Kind,
    /// Bytes read.
    pub bytes: u64,
    /// What the file is now, when a state database is kept (a zero hash when unread).
    pub fingerprint: Option<Fingerprint>,
}

/// What the worker knows of the previous runs, when a state database is kept.
pub(crate) struct Incremental<'a> {
    pub rules: &'a str,
    pub previous: Option<Previous>,
}

fn mtime_ns(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i64)
}

/// Convert one input file: read, sniff, convert, serialise; a panic becomes an error.
///
/// `buf` is the worker's read buffer, reused from file to file.
pub(crate) fn convert_input(
    input: &Input,
    limits: &Limits,
    incremental: Option<Incremental>,
    buf: &mut Vec<u8>,
) -> Outcome {
    let rel = input.rel.clone();
    let keep_state = incremental.is_some();
    let mut fingerprint = Fingerprint {
        size: 0,
        mtime_ns: 0,
        hash: [0; 32],
    };
    let done = |kind, bytes, fingerprint: Fingerprint| Outcome {
        rel: rel.clone(),
        kind,
        bytes,
        fingerprint: keep_state.then_some(fingerprint),
    };
    let fail = |stage, kind: &str, message: String| {
        Kind::Failed(FileError {
            path: rel.clone(),
            stage,
            kind: kind.to_string(),
            message,
        })
    };
    let file = match std::fs::File::open(&input.path).and_then(|f| Ok((f.metadata()?, f))) {
        Ok(f) => f,
        Err(e) => return done(fail(Stage::Read, "io", e.to_string()), 0, fingerprint),
    };
    let (meta, file) = file;
    fingerprint.size = meta.len();
    fingerprint.mtime_ns = mtime_ns(&meta);
    let previous = incremental
        .as_ref()
        .and_then(|i| Some((i.rules, i.previous.as_ref()?)));
    if let Some((rules, prev)) = previous
        && prev.current_by_stat(rules, fingerprint.size, fingerprint.mtime_ns) == Some(true)
    {
        fingerprint.hash = prev.fingerprint.hash;
        return done(Kind::Unchanged, 0, fingerprint);
    }
    let bytes = match read_bounded(file, meta.len(), limits.max_file_bytes, buf) {
        Ok(b) => b,
        Err(ReadError::TooLarge(n)) => {
            let message = format!(
                "file is {n} bytes, over the limit of {}",
                limits.max_file_bytes
            );
            return done(fail(Stage::Read, "too_large", message), n, fingerprint);
        }
        Err(ReadError::Io(e)) => {
            return done(fail(Stage::Read, "io", e.to_string()), 0, fingerprint);
        }
    };
    let size = bytes.len() as u64;
    if keep_state {
        fingerprint.size = size;
        fingerprint.hash = *blake3::hash(bytes).as_bytes();
        if let Some((rules, prev)) = previous
            && prev.current_by_hash(rules, &fingerprint.hash)
        {
            return done(Kind::Unchanged, size, fingerprint);
        }
    }
    let format = match discover::sniff(bytes) {
        Sniffed::Supported(f) => f,
        Sniffed::Other => return done(Kind::Skipped, size, fingerprint),
    };
    let kind = match guarded(&rel, || pipeline::convert(&rel, format, bytes, limits)) {
        Ok(record) => {
            let mut counts: HashMap<&str, u64> = HashMap::new();
            for r in &record.repairs {
                *counts.entry(r.rule.as_str()).or_default() += 1;
            }
            let repairs = counts
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            match serde_json::to_vec(&record) {
                Ok(line) => Kind::Converted { line, repairs },
                Err(e) => fail(Stage::Extract, "serialize", e.to_string()),
            }
        }
        Err(error) => Kind::Failed(error),
    };
    done(kind, size, fingerprint)
}

enum ReadError {
    TooLarge(u64),
    Io(io::Error),
}

/// Read a whole file of about `len` bytes into `buf`, never more than `max` bytes.
fn read_bounded(
    file: std::fs::File,
    len: u64,
    max: u64,
    buf: &mut Vec<u8>,
) -> Result<&[u8], ReadError> {
    if len > max {
        return Err(ReadError::TooLarge(len));
    }
    buf.clear();
    buf.reserve(len as usize + 1);
    file.take(max + 1).read_to_end(buf).map_err(ReadError::Io)?;
    if buf.len() as u64 > max {
        return Err(ReadError::TooLarge(buf.len() as u64));
    }
    Ok(buf)
}

/// A read buffer grown past this by one large file is given back rather than kept.
pub(crate) const KEEP_BUFFER_BYTES: usize = 8 << 20;

/// Run one conversion, turning a panic inside it into that file's error (kind `panic`), so
/// the batch goes on.
fn guarded(
    path: &str,
    convert: impl FnOnce() -> Result<Record, FileError>,
) -> Result<Record, FileError> {
    panic::catch_unwind(AssertUnwindSafe(convert)).unwrap_or_else(|payload| {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Err(FileError {
            path: path.to_string(),
            stage: Stage::Extract,
            kind: "panic".into(),
            message: format!("converter panicked: {msg}"),
        })
    })
}

/// Records in flight per worker: the reordering window.
const WINDOW_PER_JOB: usize = 32;

/// Window tokens the writer gives back at a time, so that the walker wakes once per this many
/// files rather than once per file. It holds back fewer than this, and the window is at least
/// 32, so at least 25 files are always on their way to the writer: it never waits for a file
/// the walker waits to send.
const TOKEN_BATCH: usize = 8;

/// One input handed to a worker: its position, the input, and its previous state.
pub(crate) struct Job {
    pub idx: usize,
    pub item: Result<Input, discover::WalkError>,
    pub previous: Option<Previous>,
}

/// The outcome of an input the walker could not read.
pub(crate) fn walk_failure(e: discover::WalkError) -> Outcome {
    Outcome {
        kind: Kind::Failed(FileError {
            path: e.rel.clone(),
            stage: Stage::Read,
            kind: "io".into(),
            message: e.message,
        }),
        rel: e.rel,
        bytes: 0,
        fingerprint: None,
    }
}

/// Run a conversion as configured.
///
/// With a state database, the run's outputs (records, errors, deleted lines) are committed
/// first and the state last, so a run killed at any moment leaves the previous state in force
/// and the next run redoes this run's work in full.
///
/// # Errors
/// [`RunError`] when the output or errors file cannot be written, or the state database
/// cannot be used; file failures are counted in the summary instead.
pub fn run(config: &Config) -> Result<Summary, RunError> {
    let started = Instant::now();
    let out_err = |what: &str| {
        let what = what.to_string();
        move |source| RunError::Output { what, source }
    };
    let mut state = match &config.state {
        Some(p) => Some(State::open(p)?),
        None => None,
    };
    let lookup = match &config.state {
        Some(p) => Some(Lookup::open(p)?),
        None => None,
    };
    let rules = state::rules_version();
    let jobs = config.jobs.max(1);
    let keep_state = config.state.is_some();
    // Worker processes are started before anything is written: a run that cannot start them
    // stops here.
    let mut processes = match &config.isolation {
        Some(isolation) => (0..jobs)
            .map(|_| worker::Process::start(isolation, &config.limits, keep_state))
            .collect::<Result<Vec<_>, _>>()
            .map_err(RunError::Worker)?,
        None => Vec::new(),
    };
    let mut out = Sink::open(&config.output, config.split_records).map_err(out_err("output"))?;
    let mut errs = match &config.errors {
        Some(p) => Some(
            Sink::open(&crate::config::OutputTarget::File(p.clone()), None)
                .map_err(out_err("errors file"))?,
        ),
        None => None,
    };
    let progress = progress_bar(config.quiet);
    let window = jobs * WINDOW_PER_JOB;

    // Tokens bound the reordering window: the walker takes one per file, the writer gives it
    // back once that file's outcome is written (in batches, see `TOKEN_BATCH`). The job queue
    // holds the whole window, so the walker only ever waits for tokens.
    let (token_tx, token_rx) = sync_channel::<()>(window);
    for _ in 0..window {
        token_tx.send(()).expect("token channel open");
    }
    let (job_tx, job_rx) = sync_channel::<Job>(window);
    let job_rx = Arc::new(Mutex::new(job_rx));
    let (res_tx, res_rx) = sync_channel::<(usize, Outcome)>(window);

    let mut summary = Summary::default();
    let mut write_result: Result<(), RunError> = Ok(());
    let mut walk_result: Result<(), RunError> = Ok(());
    let retried = AtomicU64::new(0);
    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    std::thread::scope(|scope| {
        let shard = config.shard;
        let walker = scope
            .spawn(move || walk_inputs(&config.inputs, shard, lookup.as_ref(), job_tx, token_rx));
        for _ in 0..jobs {
            let job_rx = Arc::clone(&job_rx);
            let res_tx = res_tx.clone();
            let limits = &config.limits;
            let rules = rules.as_str();
            match (&config.isolation, processes.pop()) {
                (Some(settings), Some(process)) => {
                    let supervisor = worker::Supervisor {
                        settings,
                        limits,
                        keep_state,
                        retried: &retried,
                    };
                    scope.spawn(move || supervisor.run(process, &job_rx, res_tx));
                }
                _ => {
                    scope
                        .spawn(move || worker(job_rx, res_tx, limits, keep_state.then_some(rules)));
                }
            }
        }
        // Only the workers hold the job queue and the result channel: when the writer gives
        // up (a closed pipe), the workers stop, the queue closes and the walker stops too.
        drop(job_rx);
        drop(res_tx);
        write_result = write_in_order(
            res_rx,
            token_tx,
            &mut out,
            errs.as_mut(),
            state.as_mut().map(|s| (s, rules.as_str())),
            &mut summary,
            &progress,
        );
        walk_result = walker
            .join()
            .unwrap_or_else(|payload| panic::resume_unwind(payload));
    });
    panic::set_hook(previous_hook);
    summary.retried = retried.into_inner();
    if let Some(pb) = &progress {
        pb.finish_and_clear();
    }
    match write_result {
        // The reader of standard output went away (`gongwen … -o - | head`): stop quietly, as
        // a Unix filter does, and record nothing in the state, since not every record was read.
        Err(RunError::Output { source, .. })
            if source.kind() == io::ErrorKind::BrokenPipe && out.target().is_none() =>
        {
            summary.elapsed = started.elapsed();
            summary.stdout_closed = true;
            return Ok(summary);
        }
        other => other?,
    }
    walk_result?;
    if let Some(state) = state.as_mut() {
        let mut deleted = match &config.deleted {
            Some(p) => Some(
                Sink::open(&crate::config::OutputTarget::File(p.clone()), None)
                    .map_err(out_err("deleted file"))?,
            ),
            None => None,
        };
        summary.deleted = state.take_deleted(config.shard, |path, hash| {
            if let Some(d) = deleted.as_mut() {
                let line = DeletedLine {
                    path,
                    blake3: blake3::Hash::from_slice(hash)
                        .map(|h| h.to_hex().to_string())
                        .unwrap_or_default(),
                };
                let line = serde_json::to_vec(&line).unwrap_or_default();
                d.write_line(&line).map_err(out_err("deleted file"))?;
            }
            Ok::<(), RunError>(())
        })?;
        if let Some(d) = deleted {
            d.commit().map_err(out_err("deleted file"))?;
        }
    }
    out.commit().map_err(out_err("output"))?;
    if let Some(e) = errs {
        e.commit().map_err(out_err("errors file"))?;
    }
    if let Some(state) = state {
        state.commit()?;
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// One line of `--deleted`: an input gone since the last run, and its last content hash.
#[derive(serde::Serialize)]
struct DeletedLine<'a> {
    path: &'a str,
    blake3: String,
}

fn walk_inputs(
    roots: &[std::path::PathBuf],
    shard: Shard,
    lookup: Option<&Lookup>,
    job_tx: SyncSender<Job>,
    token_rx: Receiver<()>,
) -> Result<(), RunError> {
    let items = discover::walk(roots).filter(|item| match item {
        Ok(input) => shard.contains(&input.rel),
        Err(e) => shard.contains(&e.rel),
    });
    for (idx, item) in items.enumerate() {
        let previous = match (&item, lookup) {
            (Ok(input), Some(l)) => l.get(&input.rel)?,
            _ => None,
        };
        if token_rx.recv().is_err() {
            return Ok(());
        }
        let job = Job {
            idx,
            item,
            previous,
        };
        if job_tx.send(job).is_err() {
            return Ok(());
        }
    }
    Ok(())
}

type JobReceiver = Arc<Mutex<Receiver<Job>>>;

fn worker(
    job_rx: JobReceiver,
    res_tx: SyncSender<(usize, Outcome)>,
    limits: &Limits,
    rules: Option<&str>,
) {
    let mut buf = Vec::new();
    loop {
        let job = match job_rx.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok(Job {
            idx,
            item,
            previous,
        }) = job
        else {
            return;
        };
        let outcome = match item {
            Ok(input) => {
                let incremental = rules.map(|rules| Incremental { rules, previous });
                let outcome = convert_input(&input, limits, incremental, &mut buf);
                if buf.capacity() > KEEP_BUFFER_BYTES {
                    buf = Vec::new();
                }
                outcome
            }
            Err(e) => walk_failure(e),
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
    mut state: Option<(&mut State, &str)>,
    summary: &mut Summary,
    progress: &Option<indicatif::ProgressBar>,
) -> Result<(), RunError> {
    let mut pending: BTreeMap<usize, Outcome> = BTreeMap::new();
    let mut next = 0usize;
    let mut owed = 0usize;
    let write_err = |source| RunError::Output {
        what: "output".into(),
        source,
    };
    for (idx, outcome) in res_rx {
        pending.insert(idx, outcome);
        while let Some(outcome) = pending.remove(&next) {
            next += 1;
            summary.seen += 1;
            summary.bytes += outcome.bytes;
            let label = match outcome.kind {
                Kind::Converted { line, repairs } => {
                    out.write_line(&line).map_err(write_err)?;
                    summary.converted += 1;
                    for (rule, n) in repairs {
                        *summary.repairs.entry(rule).or_default() += n;
                    }
                    Some("converted".to_string())
                }
                Kind::Skipped => {
                    summary.skipped += 1;
                    Some("skipped".to_string())
                }
                Kind::Failed(error) => {
                    *summary.failed.entry(error.kind.clone()).or_default() += 1;
                    if let Some(e) = errs.as_deref_mut() {
                        let line = serde_json::to_vec(&error).unwrap_or_default();
                        e.write_line(&line).map_err(|source| RunError::Output {
                            what: "errors file".into(),
                            source,
                        })?;
                    }
                    Some(format!("failed:{}", error.kind))
                }
                Kind::Unchanged => {
                    summary.unchanged += 1;
                    None
                }
            };
            if let (Some((state, rules)), Some(fp)) = (state.as_mut(), &outcome.fingerprint) {
                match label {
                    Some(label) => state.record(&outcome.rel, fp, rules, &label)?,
                    None => state.touch(&outcome.rel, fp.mtime_ns)?,
                }
            }
            if let Some(pb) = progress {
                pb.set_position(summary.seen);
                pb.set_message(format!("{} failed", summary.failed_total()));
            }
            owed += 1;
            if owed >= TOKEN_BATCH {
                for _ in 0..owed {
                    // The walker may already be done; a closed token channel is fine.
                    let _ = token_tx.try_send(());
                }
                owed = 0;
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_a_conversion_becomes_that_files_error() {
        let err = guarded("a/b.pdf", || panic!("index out of bounds")).unwrap_err();
        assert_eq!((err.path.as_str(), err.kind.as_str()), ("a/b.pdf", "panic"));
        assert_eq!(err.stage, Stage::Extract);
        assert!(
            err.message.contains("index out of bounds"),
            "{}",
            err.message
        );
        let formatted = guarded("c.html", || panic!("{} of {}", 3, 4)).unwrap_err();
        assert!(formatted.message.contains("3 of 4"));
    }
}

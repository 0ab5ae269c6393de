//! Conversions in supervised worker processes: a file that hangs, overflows the stack, aborts
//! or eats memory costs that file only.
//!
//! `catch_unwind` catches panics, not the rest. So a `convert` run starts `-j` *worker
//! processes* (this same executable, as the hidden subcommand `gongwen worker`, given the run's
//! limits as flags) and drives each one from a *supervisor* thread. The supervisor sends the
//! worker the path of each file; the worker reads and converts it exactly as the in-process
//! path does ([`crate::run`]'s `convert_input`) and sends back the serialised record line or
//! the error. The run's reordering window and writer are unchanged, so records still come out
//! in input order, byte for byte as `--in-process` writes them.
//!
//! # What the supervisor does when a worker fails
//!
//! | event | the file gets | then |
//! |---|---|---|
//! | no answer within `--timeout` | kind `timeout` (stage `worker`) | the worker is killed (`SIGKILL`), a fresh one started |
//! | allocation refused under `--max-memory` (`RLIMIT_AS`) | kind `out_of_memory` | a fresh worker |
//! | the worker dies (abort, stack overflow, `SIGSEGV`, an exit) | kind `crashed`, with the signal or exit status and the last lines of its stderr | a fresh worker |
//! | the worker is killed from outside (`SIGKILL`, `SIGTERM`, `SIGINT`, `SIGHUP`) | nothing: the file is sent again to a fresh worker, once; killed a second time, kind `crashed` | a fresh worker |
//!
//! Files sent to a worker behind the one it died on are sent again to its successor. A worker
//! is replaced after `--recycle-after` files (its memory given back to the system). Out of
//! memory is recognised by the line Rust's allocation-failure handler writes on stderr
//! (`memory allocation of N bytes failed`) before it aborts; each worker's stderr is drained
//! by a thread of the supervisor that keeps its last [`TAIL_BYTES`] for these messages, so
//! nothing a worker prints can block it or reach the run's own output.
//!
//! # Wire protocol
//!
//! Over the worker's stdin (requests) and a private copy of its stdout (responses): the worker
//! points its own descriptor 1 at stderr before converting anything, so nothing a library
//! prints can corrupt a frame. Every frame is a little-endian `u32` payload length, then the
//! payload. Inside a payload, integers are little-endian, and a *string* is a `u32` byte
//! length followed by that many bytes (UTF-8, except a path: the platform's raw bytes).
//!
//! Request, one per file:
//!
//! | field | encoding |
//! |---|---|
//! | path | string: the file to read; the worker reads it itself |
//! | rel | string: the path relative to its argument, as in `source.path` |
//! | previous | `u8` 0; or 1, then size `u64`, mtime_ns `i64`, blake3 `[u8; 32]`, rules string, outcome string (the file's row in `--state`) |
//!
//! Response, one per request, in request order:
//!
//! | field | encoding |
//! |---|---|
//! | outcome | `u8`: 0 converted, 1 skipped, 2 failed, 3 unchanged |
//! | bytes | `u64`: bytes read |
//! | fingerprint | `u8` 0; or 1, then size `u64`, mtime_ns `i64`, blake3 `[u8; 32]` |
//! | *converted* | `u32` count of (rule string, `u64` repairs) pairs, then the record line: the rest of the payload, JSON without its newline |
//! | *failed* | stage `u8` (0 read, 1 detect, 2 extract, 3 repair, 4 structure, 5 worker), kind string, message string |
//!
//! Up to [`PIPELINE`] requests are in flight per worker, so a worker never waits for its
//! supervisor between files; the deadline of a file runs from the moment its worker is free
//! to start on it. A worker exits at the end of its input.
//!
//! Linux (rlimits, `PR_SET_PDEATHSIG`, `F_SETPIPE_SZ`, signals, `poll`); built and tested there only.

use std::collections::VecDeque;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, BufRead, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitCode, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rustix::process::Signal;

use crate::config::{Isolation, Limits};
use crate::discover::Input;
use crate::error::{FileError, Stage};
use crate::run::{self, Incremental, Job, Kind, Outcome};
use crate::state::{self, Fingerprint, Previous};

/// Requests in flight per worker: one being converted, one waiting in its pipe, so that a
/// supervisor scheduled late does not leave its worker idle. No more: a file sent behind one
/// that hangs waits for that one's timeout (then goes to the fresh worker), while the other
/// workers may have run out of files; with two, at most one file per hang is held up.
pub const PIPELINE: usize = 2;

/// Size asked for the pipe a worker's responses come through (Linux), so that the records
/// of the files in flight fit in it and the worker never waits to write one.
const RESPONSE_PIPE_BYTES: usize = 1 << 20;

/// Bytes of a worker's stderr kept for the error message of a file it died on.
pub const TAIL_BYTES: usize = 8 << 10;

/// Largest frame sent or accepted (a record line of the largest input, with room); a larger
/// record fails with kind `too_large`.
const MAX_FRAME: usize = 1 << 31;

/// A response buffer grown past this by one large record is given back rather than kept.
const KEEP_BUFFER_BYTES: usize = 8 << 20;

// ---------------------------------------------------------------------------------------------
// The wire format.

fn put_u32(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&n.to_le_bytes());
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_u32(out, bytes.len() as u32);
    out.extend_from_slice(bytes);
}

fn put_fingerprint(out: &mut Vec<u8>, fp: &Fingerprint) {
    out.extend_from_slice(&fp.size.to_le_bytes());
    out.extend_from_slice(&fp.mtime_ns.to_le_bytes());
    out.extend_from_slice(&fp.hash);
}

/// Reads the fields of one payload in order; every read fails cleanly past its end.
struct Fields<'a>(&'a [u8]);

impl<'a> Fields<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }
    fn string(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?.to_vec()).ok()
    }
    fn fingerprint(&mut self) -> Option<Fingerprint> {
        Some(Fingerprint {
            size: self.u64()?,
            mtime_ns: self.i64()?,
            hash: self.take(32)?.try_into().ok()?,
        })
    }
}

/// One file for a worker to convert.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Request {
    input: Input,
    previous: Option<Previous>,
}

fn encode_request(request: &Request, out: &mut Vec<u8>) {
    out.clear();
    put_u32(out, 0);
    put_bytes(out, request.input.path.as_os_str().as_bytes());
    put_bytes(out, request.input.rel.as_bytes());
    match &request.previous {
        None => out.push(0),
        Some(p) => {
            out.push(1);
            put_fingerprint(out, &p.fingerprint);
            put_bytes(out, p.rules.as_bytes());
            put_bytes(out, p.outcome.as_bytes());
        }
    }
    let len = (out.len() - 4) as u32;
    out[..4].copy_from_slice(&len.to_le_bytes());
}

fn decode_request(payload: &[u8]) -> Option<Request> {
    let mut f = Fields(payload);
    let path = PathBuf::from(OsStr::from_bytes(f.bytes()?));
    let rel = f.string()?;
    let previous = match f.u8()? {
        0 => None,
        1 => Some(Previous {
            fingerprint: f.fingerprint()?,
            rules: f.string()?,
            outcome: f.string()?,
        }),
        _ => return None,
    };
    f.0.is_empty().then_some(Request {
        input: Input { path, rel },
        previous,
    })
}

const STAGES: [Stage; 6] = [
    Stage::Read,
    Stage::Detect,
    Stage::Extract,
    Stage::Repair,
    Stage::Structure,
    Stage::Worker,
];

fn encode_response(outcome: &Outcome, out: &mut Vec<u8>) {
    out.clear();
    put_u32(out, 0);
    let tag = match &outcome.kind {
        Kind::Converted { .. } => 0,
        Kind::Skipped => 1,
        Kind::Failed(_) => 2,
        Kind::Unchanged => 3,
    };
    out.push(tag);
    out.extend_from_slice(&outcome.bytes.to_le_bytes());
    match &outcome.fingerprint {
        None => out.push(0),
        Some(fp) => {
            out.push(1);
            put_fingerprint(out, fp);
        }
    }
    match &outcome.kind {
        Kind::Converted { line, repairs } => {
            put_u32(out, repairs.len() as u32);
            for (rule, n) in repairs {
                put_bytes(out, rule.as_bytes());
                out.extend_from_slice(&n.to_le_bytes());
            }
            out.extend_from_slice(line);
        }
        Kind::Failed(e) => {
            let stage = STAGES.iter().position(|s| *s == e.stage).unwrap_or(5);
            out.push(stage as u8);
            put_bytes(out, e.kind.as_bytes());
            put_bytes(out, e.message.as_bytes());
        }
        Kind::Skipped | Kind::Unchanged => {}
    }
    let len = (out.len() - 4) as u32;
    out[..4].copy_from_slice(&len.to_le_bytes());
}

/// The outcome a response describes; `rel` is the file's relative path, which the response
/// does not repeat.
fn decode_response(payload: &[u8], rel: &str) -> Option<Outcome> {
    let mut f = Fields(payload);
    let tag = f.u8()?;
    let bytes = f.u64()?;
    let fingerprint = match f.u8()? {
        0 => None,
        1 => Some(f.fingerprint()?),
        _ => return None,
    };
    let kind = match tag {
        0 => {
            let n = f.u32()? as usize;
            let mut repairs = Vec::with_capacity(n.min(64));
            for _ in 0..n {
                repairs.push((f.string()?, f.u64()?));
            }
            Kind::Converted {
                line: std::mem::take(&mut f.0).to_vec(),
                repairs,
            }
        }
        1 => Kind::Skipped,
        2 => Kind::Failed(FileError {
            path: rel.to_string(),
            stage: *STAGES.get(f.u8()? as usize)?,
            kind: f.string()?,
            message: f.string()?,
        }),
        3 => Kind::Unchanged,
        _ => return None,
    };
    f.0.is_empty().then(|| Outcome {
        rel: rel.to_string(),
        kind,
        bytes,
        fingerprint,
    })
}

/// Read one frame into `buf`; `Ok(false)` at a clean end of input.
fn read_frame(input: &mut impl BufRead, buf: &mut Vec<u8>) -> io::Result<bool> {
    let mut len = [0u8; 4];
    if input.fill_buf()?.is_empty() {
        return Ok(false);
    }
    input.read_exact(&mut len)?;
    let len = u32::from_le_bytes(len) as usize;
    buf.clear();
    buf.resize(len, 0);
    input.read_exact(buf)?;
    Ok(true)
}

// ---------------------------------------------------------------------------------------------
// The worker process.

/// The hidden `gongwen worker` subcommand: convert the files requested on stdin until it
/// closes, one response each on the protocol descriptor (see the module doc).
///
/// `max_memory` caps the address space (`RLIMIT_AS`); `keep_state` hashes what is read and
/// honours the previous state sent with each file, as a `--state` run does.
pub fn serve(max_memory: Option<u64>, keep_state: bool, limits: Limits) -> ExitCode {
    match serve_inner(max_memory, keep_state, &limits) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gongwen worker: {e}");
            ExitCode::from(2)
        }
    }
}

fn serve_inner(max_memory: Option<u64>, keep_state: bool, limits: &Limits) -> io::Result<()> {
    // The frames get a descriptor of their own; descriptor 1 becomes stderr.
    let mut frames = File::from(rustix::io::dup(io::stdout())?);
    rustix::stdio::dup2_stdout(io::stderr())?;
    // A hung worker must not outlive a supervisor killed with `kill -9`.
    rustix::process::set_parent_process_death_signal(Some(Signal::KILL))?;
    if let Some(bytes) = max_memory {
        cap_address_space(bytes)?;
    }
    // Panics are caught and reported per file by the conversion itself.
    std::panic::set_hook(Box::new(|_| {}));
    let faults = Faults::from_env();
    let rules = keep_state.then(state::rules_version);
    let mut stdin = io::stdin().lock();
    let (mut request, mut response, mut buf) = (Vec::new(), Vec::new(), Vec::new());
    while read_frame(&mut stdin, &mut request)? {
        let Request { input, previous } = decode_request(&request)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "malformed request"))?;
        faults.inject(&input.rel);
        let incremental = rules
            .as_deref()
            .map(|rules| Incremental { rules, previous });
        let outcome = run::convert_input(&input, limits, incremental, &mut buf);
        if buf.capacity() > run::KEEP_BUFFER_BYTES {
            buf = Vec::new();
        }
        encode_response(&outcome, &mut response);
        if response.len() - 4 > MAX_FRAME {
            let message = format!("record of {} bytes, over {MAX_FRAME}", response.len() - 4);
            let too_large = Outcome {
                kind: Kind::Failed(FileError {
                    path: input.rel.clone(),
                    stage: Stage::Worker,
                    kind: "too_large".into(),
                    message,
                }),
                ..outcome
            };
            encode_response(&too_large, &mut response);
        }
        frames.write_all(&response)?;
        if response.capacity() > KEEP_BUFFER_BYTES {
            response = Vec::new();
        }
    }
    Ok(())
}

/// Cap this process's address space at `bytes` (never above a hard limit already in force).
fn cap_address_space(bytes: u64) -> io::Result<()> {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let hard = getrlimit(Resource::As).maximum;
    let cap = hard.map_or(bytes, |h| h.min(bytes));
    setrlimit(
        Resource::As,
        Rlimit {
            current: Some(cap),
            maximum: hard,
        },
    )?;
    Ok(())
}

/// **Test-only** fault injection, so that the tests can make a worker hang, abort, overflow
/// its stack or run out of memory (real inputs that do so are not at hand: the extractors
/// are robust). Read by the hidden worker only, from `GONGWEN_WORKER_FAULT`: comma-separated
/// `FAULT:NAME` pairs, where `NAME` is a file name or relative path and `FAULT` is one of
/// `hang` (sleep for ever), `slow` (sleep 3 s, then convert), `noise` (print 200 KiB on
/// stdout and stderr, then convert), `abort`, `sigkill` (as if killed with `kill -9`),
/// `stack` (unbounded recursion) and `oom` (allocate until refused).
/// Unset in any real run.
struct Faults(Vec<(String, String)>);

impl Faults {
    const VAR: &str = "GONGWEN_WORKER_FAULT";

    fn from_env() -> Faults {
        let spec = std::env::var(Self::VAR).unwrap_or_default();
        Faults(
            spec.split(',')
                .filter_map(|pair| pair.split_once(':'))
                .map(|(fault, name)| (fault.trim().to_string(), name.trim().to_string()))
                .collect(),
        )
    }

    fn inject(&self, rel: &str) {
        for (fault, name) in &self.0 {
            if !names(rel, name) {
                continue;
            }
            match fault.as_str() {
                "hang" => loop {
                    std::thread::sleep(Duration::from_secs(3600));
                },
                "slow" => std::thread::sleep(Duration::from_secs(3)),
                "noise" => {
                    // 200 KiB to stdout and stderr, more than a pipe holds, then convert.
                    let noise = "噪声 noise\n".repeat(16 << 10);
                    print!("{noise}");
                    eprint!("{noise}");
                    let _ = io::stdout().flush();
                }
                "abort" => std::process::abort(),
                "sigkill" => {
                    let me = rustix::process::getpid();
                    let _ = rustix::process::kill_process(me, Signal::KILL);
                }
                "stack" => {
                    std::hint::black_box(recurse(0));
                }
                "oom" => {
                    let mut hog: Vec<Vec<u8>> = Vec::new();
                    loop {
                        let mut block = Vec::<u8>::with_capacity(64 << 20);
                        block.push(1);
                        hog.push(std::hint::black_box(block));
                    }
                }
                _ => {}
            }
        }
    }
}

/// Whether `name` is the relative path `rel` or its last components.
fn names(rel: &str, name: &str) -> bool {
    rel == name || rel.strip_suffix(name).is_some_and(|r| r.ends_with('/'))
}

/// Recursion that only a stack overflow ends (for the `stack` fault).
fn recurse(depth: u64) -> u64 {
    let frame = std::hint::black_box([depth as u8; 1024]);
    if depth == u64::MAX {
        return 0;
    }
    recurse(depth + 1) + u64::from(frame[0])
}

// ---------------------------------------------------------------------------------------------
// The supervisor.

/// A running worker process and its pipes.
pub struct Process {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: ChildStdout,
    stderr: Option<JoinHandle<Vec<u8>>>,
    /// Bytes read from the worker not yet taken as a whole frame.
    received: Vec<u8>,
    /// Requests sent.
    sent: u64,
    reaped: bool,
}

/// Why no response came.
enum Silence {
    TimedOut,
    /// The worker closed its end, sent garbage, or could not be read.
    Broken(String),
}

/// How a worker ended.
struct Death {
    status: Option<ExitStatus>,
    stderr: String,
    /// Killed by its supervisor, after it broke the protocol and did not exit.
    killed: bool,
}

impl Process {
    /// Start a worker with the run's limits.
    ///
    /// # Errors
    /// The executable cannot be started.
    pub fn start(settings: &Isolation, limits: &Limits, keep_state: bool) -> io::Result<Process> {
        let mut cmd = Command::new(&settings.exe);
        cmd.arg("worker").args(crate::cli::limit_flags(limits));
        if let Some(bytes) = settings.max_memory {
            cmd.arg(format!("--max-memory={bytes}"));
        }
        if keep_state {
            cmd.arg("--keep-state");
        }
        // Only the last lines of a worker's stderr are kept, for one message: a backtrace
        // would push out the line that says what happened.
        cmd.env("RUST_BACKTRACE", "0");
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn()?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::other("worker started without its pipes"));
        };
        // A larger pipe is an optimisation only; where refused, the default one works.
        #[cfg(target_os = "linux")]
        let _ = rustix::pipe::fcntl_setpipe_size(&stdout, RESPONSE_PIPE_BYTES);
        let stderr = std::thread::Builder::new()
            .name("gongwen-worker-stderr".into())
            .stack_size(64 << 10)
            .spawn(move || keep_tail(stderr));
        let stderr = match stderr {
            Ok(handle) => handle,
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(e);
            }
        };
        Ok(Process {
            child,
            stdin: Some(stdin),
            stdout,
            stderr: Some(stderr),
            received: Vec::new(),
            sent: 0,
            reaped: false,
        })
    }

    fn send(&mut self, frame: &[u8]) -> io::Result<()> {
        let stdin = self
            .stdin
            .as_mut()
            .ok_or_else(|| io::Error::from(io::ErrorKind::BrokenPipe))?;
        stdin.write_all(frame)?;
        self.sent += 1;
        Ok(())
    }

    /// Wait until `deadline` for the next whole response; its payload is then
    /// `self.received[4..4 + len]`, and `len` is returned.
    fn receive(&mut self, deadline: Instant) -> Result<usize, Silence> {
        use rustix::event::{PollFd, PollFlags, Timespec, poll};
        loop {
            if self.received.len() >= 4 {
                let len = u32::from_le_bytes(self.received[..4].try_into().unwrap_or_default());
                let len = len as usize;
                if len > MAX_FRAME {
                    return Err(Silence::Broken(format!("sent a frame of {len} bytes")));
                }
                if self.received.len() >= 4 + len {
                    return Ok(len);
                }
                self.received.reserve(4 + len - self.received.len());
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Silence::TimedOut);
            }
            let timeout = Timespec {
                tv_sec: left.as_secs() as _,
                tv_nsec: left.subsec_nanos() as _,
            };
            let mut fds = [PollFd::new(&self.stdout, PollFlags::IN)];
            match poll(&mut fds, Some(&timeout)) {
                Ok(0) | Err(rustix::io::Errno::INTR) => continue,
                Ok(_) => {}
                Err(e) => return Err(Silence::Broken(format!("could not be polled: {e}"))),
            }
            if self.received.capacity() - self.received.len() < 16 << 10 {
                self.received.reserve(64 << 10);
            }
            match rustix::io::read(
                &self.stdout,
                rustix::buffer::spare_capacity(&mut self.received),
            ) {
                Ok(0) => return Err(Silence::Broken("closed its output".into())),
                Ok(_) | Err(rustix::io::Errno::INTR) | Err(rustix::io::Errno::AGAIN) => {}
                Err(e) => return Err(Silence::Broken(format!("could not be read: {e}"))),
            }
        }
    }

    /// Drop the frame of `len` payload bytes just received.
    fn consume(&mut self, len: usize) {
        self.received.drain(..4 + len);
        if self.received.capacity() > KEEP_BUFFER_BYTES && self.received.len() < 4096 {
            self.received.shrink_to(64 << 10);
        }
    }

    /// Wait for the worker to end (killing it after `grace`), and collect its stderr tail.
    fn reap(mut self, grace: Duration) -> Death {
        self.stdin = None;
        let until = Instant::now() + grace;
        let mut status = None;
        let mut killed = false;
        let mut pause = Duration::from_micros(200);
        loop {
            match self.child.try_wait() {
                Ok(Some(s)) => {
                    status = Some(s);
                    break;
                }
                Ok(None) if Instant::now() < until => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(20));
                }
                Ok(None) => {
                    killed = self.child.kill().is_ok();
                    status = self.child.wait().ok();
                    break;
                }
                Err(_) => break,
            }
        }
        self.reaped = true;
        let tail = self
            .stderr
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default();
        Death {
            status,
            stderr: String::from_utf8_lossy(&tail).into_owned(),
            killed,
        }
    }

    /// Kill the worker now.
    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.reaped = true;
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if !self.reaped {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Drain a worker's stderr to its end, keeping the last [`TAIL_BYTES`].
fn keep_tail(mut stderr: impl Read) -> Vec<u8> {
    let mut tail = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match stderr.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => {
                tail.extend_from_slice(&chunk[..n]);
                if tail.len() > 2 * TAIL_BYTES {
                    tail.drain(..tail.len() - TAIL_BYTES);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    if tail.len() > TAIL_BYTES {
        tail.drain(..tail.len() - TAIL_BYTES);
    }
    tail
}

/// A file taken from the run's queue for this supervisor's worker.
struct Pending {
    idx: usize,
    request: Request,
    /// Already sent once to a worker that was killed from outside.
    retried: bool,
}

/// What becomes of the file a worker died on.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    /// Killed from outside: send the file again, to a fresh worker.
    Retry,
    Failed {
        kind: &'static str,
        message: String,
    },
}

fn signal_name(raw: i32) -> Option<&'static str> {
    let names = [
        (Signal::HUP, "SIGHUP"),
        (Signal::INT, "SIGINT"),
        (Signal::QUIT, "SIGQUIT"),
        (Signal::ILL, "SIGILL"),
        (Signal::TRAP, "SIGTRAP"),
        (Signal::ABORT, "SIGABRT"),
        (Signal::BUS, "SIGBUS"),
        (Signal::FPE, "SIGFPE"),
        (Signal::KILL, "SIGKILL"),
        (Signal::SEGV, "SIGSEGV"),
        (Signal::PIPE, "SIGPIPE"),
        (Signal::TERM, "SIGTERM"),
        (Signal::XCPU, "SIGXCPU"),
        (Signal::XFSZ, "SIGXFSZ"),
        (Signal::SYS, "SIGSYS"),
    ];
    names
        .iter()
        .find(|(s, _)| s.as_raw() == raw)
        .map(|(_, n)| *n)
}

/// The last lines of a worker's stderr before any backtrace, for an error message (at most
/// ~300 characters).
fn last_lines(stderr: &str) -> String {
    let mut lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if let Some(at) = lines
        .iter()
        .rposition(|l| l.starts_with("stack backtrace:"))
    {
        lines.truncate(at);
    }
    lines.retain(|l| {
        let frame = l
            .split_once(':')
            .is_some_and(|(n, _)| n.parse::<u32>().is_ok());
        !(frame || l.starts_with("at ") || l.starts_with("note: "))
    });
    let joined = lines[lines.len().saturating_sub(2)..].join(" / ");
    let start = joined.char_indices().rev().nth(299).map_or(0, |(i, _)| i);
    joined[start..].to_string()
}

/// Decide what a worker's death means for the file it was converting.
fn verdict(death: &Death, retried: bool, max_memory: Option<u64>) -> Verdict {
    let detail = last_lines(&death.stderr);
    if let Some(line) = death
        .stderr
        .lines()
        .rfind(|l| l.contains("memory allocation of"))
    {
        let detail = line.trim();
        let cap = max_memory.map_or("no cap".to_string(), |b| format!("cap {b} bytes"));
        return Verdict::Failed {
            kind: "out_of_memory",
            message: format!("worker ran out of memory ({cap}): {detail}"),
        };
    }
    let signal = death.status.and_then(|s| s.signal());
    let from_outside = !death.killed
        && [Signal::KILL, Signal::TERM, Signal::INT, Signal::HUP]
            .iter()
            .any(|s| Some(s.as_raw()) == signal);
    if from_outside && !retried {
        return Verdict::Retry;
    }
    let mut message = match (signal, death.status.and_then(|s| s.code())) {
        (Some(sig), _) => format!(
            "worker killed by signal {sig} ({})",
            signal_name(sig).unwrap_or("unknown")
        ),
        (None, Some(code)) => format!("worker exited with status {code}"),
        (None, None) => "worker ended".to_string(),
    };
    if from_outside {
        message.push_str(
            " twice on this file (from outside, or by the kernel's out-of-memory killer)",
        );
    }
    if !detail.is_empty() {
        message.push_str(": ");
        message.push_str(&detail);
    }
    Verdict::Failed {
        kind: "crashed",
        message,
    }
}

fn failed(rel: &str, kind: &str, message: String) -> Outcome {
    Outcome {
        rel: rel.to_string(),
        kind: Kind::Failed(FileError {
            path: rel.to_string(),
            stage: Stage::Worker,
            kind: kind.to_string(),
            message,
        }),
        bytes: 0,
        fingerprint: None,
    }
}

/// What the run's queue gave.
enum Taken {
    Job(Job),
    /// Nothing now (only when not waiting).
    Empty,
    /// The walker is done.
    Closed,
}

fn take(queue: &Mutex<Receiver<Job>>, wait: bool) -> Taken {
    if wait {
        return match queue.lock().map(|rx| rx.recv()) {
            Ok(Ok(job)) => Taken::Job(job),
            _ => Taken::Closed,
        };
    }
    // Another supervisor waiting on the queue holds its lock: the queue is empty.
    match queue.try_lock().map(|rx| rx.try_recv()) {
        Ok(Ok(job)) => Taken::Job(job),
        Ok(Err(TryRecvError::Disconnected)) => Taken::Closed,
        Ok(Err(TryRecvError::Empty)) | Err(_) => Taken::Empty,
    }
}

/// One supervisor thread: feed `process` (and its successors) the jobs of `queue`, and send
/// each file's outcome to `results`, until the queue is closed and drained or `results` is.
pub(crate) struct Supervisor<'a> {
    pub settings: &'a Isolation,
    pub limits: &'a Limits,
    pub keep_state: bool,
    /// Counts the files sent again after their worker was killed from outside.
    pub retried: &'a AtomicU64,
}

impl Supervisor<'_> {
    pub(crate) fn run(
        &self,
        first: Process,
        queue: &Mutex<Receiver<Job>>,
        results: SyncSender<(usize, Outcome)>,
    ) {
        let mut process = Some(first);
        // Taken from the queue, not sent yet: files to send again after a worker died.
        let mut waiting: VecDeque<Pending> = VecDeque::new();
        // Sent, oldest first: the worker is converting the first one.
        let mut in_flight: VecDeque<Pending> = VecDeque::new();
        // When the worker became free to start on the first file in flight.
        let mut started = Instant::now();
        let mut frame = Vec::new();
        let mut open = true;
        let recycle = self.settings.recycle_after.max(1);
        loop {
            // Keep the worker's pipeline full, but send no worker more than `recycle` files.
            while in_flight.len() < PIPELINE {
                if process.as_ref().is_some_and(|p| p.sent >= recycle) {
                    if !in_flight.is_empty() {
                        break;
                    }
                    if let Some(old) = process.take() {
                        old.reap(Duration::from_secs(5));
                    }
                }
                let pending = match waiting.pop_front() {
                    Some(p) => p,
                    None if !open => break,
                    None => match take(queue, in_flight.is_empty()) {
                        Taken::Job(Job {
                            idx,
                            item,
                            previous,
                        }) => match item {
                            Ok(input) => Pending {
                                idx,
                                request: Request { input, previous },
                                retried: false,
                            },
                            Err(e) => {
                                if results.send((idx, run::walk_failure(e))).is_err() {
                                    return;
                                }
                                continue;
                            }
                        },
                        Taken::Empty => break,
                        Taken::Closed => {
                            open = false;
                            break;
                        }
                    },
                };
                if process.is_none() {
                    match Process::start(self.settings, self.limits, self.keep_state) {
                        Ok(p) => process = Some(p),
                        Err(e) => {
                            let rel = &pending.request.input.rel;
                            let outcome =
                                failed(rel, "crashed", format!("cannot start a worker: {e}"));
                            if results.send((pending.idx, outcome)).is_err() {
                                return;
                            }
                            continue;
                        }
                    }
                }
                let Some(p) = process.as_mut() else { break };
                encode_request(&pending.request, &mut frame);
                if p.send(&frame).is_err() {
                    // The worker is gone: its death is seen below on the files in flight, or
                    // else it died between files and is simply replaced.
                    waiting.push_front(pending);
                    if in_flight.is_empty()
                        && let Some(dead) = process.take()
                    {
                        dead.reap(Duration::from_secs(1));
                    }
                    break;
                }
                if in_flight.is_empty() {
                    started = Instant::now();
                }
                in_flight.push_back(pending);
            }
            if in_flight.is_empty() {
                if !open && waiting.is_empty() {
                    break;
                }
                continue;
            }
            let Some(p) = process.as_mut() else {
                // Files in flight always have their worker.
                break;
            };
            let outcome = match p.receive(started + self.settings.timeout) {
                Ok(len) => {
                    let head = in_flight.pop_front().expect("a file in flight");
                    started = Instant::now();
                    let rel = &head.request.input.rel;
                    match decode_response(&p.received[4..4 + len], rel) {
                        Some(outcome) => {
                            p.consume(len);
                            Some((head.idx, outcome))
                        }
                        None => {
                            in_flight.push_front(head);
                            self.bury(
                                &mut process,
                                &mut in_flight,
                                &mut waiting,
                                "sent a malformed response",
                            )
                        }
                    }
                }
                Err(Silence::TimedOut) => {
                    let head = in_flight.pop_front().expect("a file in flight");
                    if let Some(p) = process.take() {
                        p.kill();
                    }
                    requeue(&mut in_flight, &mut waiting);
                    let secs = self.settings.timeout.as_secs_f64();
                    let message = format!("no result within {secs} s; worker killed");
                    Some((
                        head.idx,
                        failed(&head.request.input.rel, "timeout", message),
                    ))
                }
                Err(Silence::Broken(why)) => {
                    self.bury(&mut process, &mut in_flight, &mut waiting, &why)
                }
            };
            if let Some(result) = outcome
                && results.send(result).is_err()
            {
                return;
            }
        }
        if let Some(p) = process {
            p.reap(Duration::from_secs(5));
        }
    }

    /// The worker died (or broke the protocol) on the first file in flight: reap it, send the
    /// other files again to its successor, and decide what the first one gets.
    fn bury(
        &self,
        process: &mut Option<Process>,
        in_flight: &mut VecDeque<Pending>,
        waiting: &mut VecDeque<Pending>,
        why: &str,
    ) -> Option<(usize, Outcome)> {
        let mut head = in_flight.pop_front()?;
        let death = match process.take() {
            Some(p) => p.reap(Duration::from_secs(2)),
            None => Death {
                status: None,
                stderr: String::new(),
                killed: false,
            },
        };
        requeue(in_flight, waiting);
        match verdict(&death, head.retried, self.settings.max_memory) {
            Verdict::Retry => {
                head.retried = true;
                self.retried.fetch_add(1, Ordering::Relaxed);
                waiting.push_front(head);
                None
            }
            Verdict::Failed { kind, mut message } => {
                if death.killed || death.status.is_some_and(|s| s.success()) {
                    message = format!("worker {why}");
                }
                Some((head.idx, failed(&head.request.input.rel, kind, message)))
            }
        }
    }
}

/// Put the files in flight back at the front of the waiting queue, in order.
fn requeue(in_flight: &mut VecDeque<Pending>, waiting: &mut VecDeque<Pending>) {
    while let Some(p) = in_flight.pop_back() {
        waiting.push_front(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(frame: &[u8]) -> &[u8] {
        let len = u32::from_le_bytes(frame[..4].try_into().unwrap()) as usize;
        assert_eq!(len, frame.len() - 4);
        &frame[4..]
    }

    #[test]
    fn requests_round_trip() {
        let fp = Fingerprint {
            size: 12,
            mtime_ns: -3,
            hash: [7; 32],
        };
        for previous in [
            None,
            Some(Previous {
                fingerprint: fp,
                rules: "gongwen 0.1.0 record 1".into(),
                outcome: "failed:io".into(),
            }),
        ] {
            let request = Request {
                input: Input {
                    path: PathBuf::from("/tmp/目录/a b.html"),
                    rel: "目录/a b.html".into(),
                },
                previous,
            };
            let mut frame = Vec::new();
            encode_request(&request, &mut frame);
            assert_eq!(decode_request(payload(&frame)), Some(request));
        }
    }

    #[test]
    fn responses_round_trip() {
        let fp = Fingerprint {
            size: 5,
            mtime_ns: 1_700_000_000_000_000_000,
            hash: [9; 32],
        };
        let kinds = [
            Kind::Converted {
                line: br#"{"body":"\u4e00"}"#.to_vec(),
                repairs: vec![("punctuation".into(), 3), ("mojibake".into(), 1)],
            },
            Kind::Skipped,
            Kind::Unchanged,
            Kind::Failed(FileError {
                path: "x/y.pdf".into(),
                stage: Stage::Extract,
                kind: "malformed".into(),
                message: "no trailer".into(),
            }),
        ];
        for (i, kind) in kinds.into_iter().enumerate() {
            let outcome = Outcome {
                rel: "x/y.pdf".into(),
                kind,
                bytes: 77,
                fingerprint: (i % 2 == 0).then(|| fp.clone()),
            };
            let mut frame = Vec::new();
            encode_response(&outcome, &mut frame);
            let back = decode_response(payload(&frame), "x/y.pdf").unwrap();
            let (mut a, mut b) = (Vec::new(), Vec::new());
            encode_response(&outcome, &mut a);
            encode_response(&back, &mut b);
            assert_eq!(a, b);
            assert_eq!((back.rel.as_str(), back.bytes), ("x/y.pdf", 77));
            // A truncated response is refused, never misread.
            assert!(decode_response(&payload(&frame)[..9], "x/y.pdf").is_none());
        }
    }

    fn death(raw: i32, stderr: &str) -> Death {
        Death {
            status: Some(ExitStatus::from_raw(raw)),
            stderr: stderr.into(),
            killed: false,
        }
    }

    #[test]
    fn deaths_are_classified_by_signal_and_stderr() {
        let oom = death(
            Signal::ABORT.as_raw(),
            "memory allocation of 67108864 bytes failed\nstack backtrace:\n   0: x\n",
        );
        let Verdict::Failed { kind, message } = verdict(&oom, false, Some(1 << 28)) else {
            panic!("retried");
        };
        assert_eq!(kind, "out_of_memory");
        assert_eq!(
            message,
            "worker ran out of memory (cap 268435456 bytes): \
             memory allocation of 67108864 bytes failed"
        );

        let stack = death(
            Signal::ABORT.as_raw(),
            "\nthread 'main' has overflowed its stack\nfatal runtime error: stack overflow\n\
             stack backtrace:\n   0: std::sys::abort\n             at ./x.rs:1:2\n\
             note: Some details are omitted\n",
        );
        let Verdict::Failed { kind, message } = verdict(&stack, false, None) else {
            panic!("retried");
        };
        assert_eq!(kind, "crashed");
        assert_eq!(
            message,
            "worker killed by signal 6 (SIGABRT): thread 'main' has overflowed its stack / \
             fatal runtime error: stack overflow"
        );

        let killed = death(Signal::KILL.as_raw(), "");
        assert_eq!(verdict(&killed, false, None), Verdict::Retry);
        let Verdict::Failed { kind, message } = verdict(&killed, true, None) else {
            panic!("retried twice");
        };
        assert_eq!(kind, "crashed");
        assert!(message.contains("SIGKILL") && message.contains("twice"));

        let broke = Death {
            killed: true,
            ..death(Signal::KILL.as_raw(), "")
        };
        assert!(matches!(
            verdict(&broke, false, None),
            Verdict::Failed {
                kind: "crashed",
                ..
            }
        ));

        let exited = death(3 << 8, "gongwen worker: bad\n");
        let Verdict::Failed { message, .. } = verdict(&exited, false, None) else {
            panic!("retried");
        };
        assert_eq!(message, "worker exited with status 3: gongwen worker: bad");
    }

    #[test]
    fn the_stderr_tail_is_bounded() {
        let noise = vec![b'x'; 5 * TAIL_BYTES];
        let mut input = noise.clone();
        input.extend_from_slice(b"\nlast words\n");
        let tail = keep_tail(&input[..]);
        assert_eq!(tail.len(), TAIL_BYTES);
        assert!(tail.ends_with(b"last words\n"));
    }

    #[test]
    fn faults_match_a_file_name_or_a_relative_path() {
        assert!(names("a/b.html", "a/b.html"));
        assert!(names("x/a/b.html", "a/b.html"));
        assert!(names("x/a/b.html", "b.html"));
        assert!(!names("xa/b.html", "a/b.html"));
        assert!(!names("a/b.html.bak", "b.html"));
    }
}

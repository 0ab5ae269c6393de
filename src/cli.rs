//! Command-line flags (clap) and their validation into a [`Config`].

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::config::{Config, Isolation, Limits, OutputTarget, Shard};

#[derive(Debug, Parser)]
#[command(
    name = "gongwen",
    version,
    about = "Scraped Chinese government disclosure files (HTML, PDF, DOCX) → clean, structured JSON Lines"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per process: the size difference between the variants does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert files and directories (walked recursively, hidden files skipped) to JSON Lines.
    Convert(ConvertArgs),
    /// Internal: the worker process a `convert` run starts; it converts the files sent to it
    /// over standard input (see `src/worker.rs` for the protocol).
    #[command(hide = true)]
    Worker(WorkerArgs),
}

/// Flags of the hidden `worker` subcommand, set by the supervising `convert` run.
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Address-space cap (`RLIMIT_AS`) of this process, in bytes.
    #[arg(long, value_name = "BYTES")]
    pub max_memory: Option<u64>,
    /// Hash what is read and honour the previous state sent with each file (`--state`).
    #[arg(long)]
    pub keep_state: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
}

impl WorkerArgs {
    /// The limits the supervising run passed.
    pub fn limits(self) -> Limits {
        self.limits.into_limits()
    }
}

/// The flags that give a worker process `limits` (the inverse of parsing [`LimitArgs`]).
pub fn limit_flags(limits: &Limits) -> Vec<String> {
    let Limits {
        max_file_bytes,
        max_stream_bytes,
        max_inflated_bytes,
        max_zip_entries,
        max_zip_ratio,
        max_xml_depth,
        max_pdf_pages,
        max_pdf_objects,
        max_html_depth,
        max_text_chars,
        max_html_tree_bytes,
        max_sheet_cells,
    } = limits;
    vec![
        format!("--max-file-bytes={max_file_bytes}"),
        format!("--max-stream-bytes={max_stream_bytes}"),
        format!("--max-inflated-bytes={max_inflated_bytes}"),
        format!("--max-zip-entries={max_zip_entries}"),
        format!("--max-zip-ratio={max_zip_ratio}"),
        format!("--max-xml-depth={max_xml_depth}"),
        format!("--max-pdf-pages={max_pdf_pages}"),
        format!("--max-pdf-objects={max_pdf_objects}"),
        format!("--max-html-depth={max_html_depth}"),
        format!("--max-text-chars={max_text_chars}"),
        format!("--max-html-tree-bytes={max_html_tree_bytes}"),
        format!("--max-sheet-cells={max_sheet_cells}"),
    ]
}

/// `--max-memory`: a byte count with an optional binary suffix (`512M`, `2G`, `2GiB`,
/// `1048576`), or `none` for no cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryCap(pub Option<u64>);

fn parse_memory(text: &str) -> Result<MemoryCap, String> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("none") {
        return Ok(MemoryCap(None));
    }
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, suffix) = t.split_at(digits);
    let shift = match suffix.to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        "T" | "TB" | "TIB" => 40,
        _ => return Err(format!("{text:?} is not a size such as 512M, 2G or none")),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size such as 512M, 2G or none"))?;
    let bytes = n
        .checked_mul(1 << shift)
        .filter(|&b| b > 0)
        .ok_or_else(|| format!("{text:?} is not a usable size"))?;
    Ok(MemoryCap(Some(bytes)))
}

/// `--timeout`: seconds, fractions allowed.
fn parse_timeout(text: &str) -> Result<Duration, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0 && *s < 1e9)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("{text:?} is not a number of seconds above 0"))
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Files or directories to convert.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Where to write the records (`-` for standard output); written atomically.
    #[arg(short, long, value_name = "OUT.jsonl")]
    pub output: PathBuf,
    /// Where to write one JSON line per file that could not be converted.
    #[arg(long, value_name = "ERRORS.jsonl")]
    pub errors: Option<PathBuf>,
    /// Worker processes, or threads with --in-process (default: the number of CPUs).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// No progress bar and no summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// Convert only the inputs whose path hash falls in shard K of N (0 <= K < N).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Start a new numbered output file (`OUT.00001.jsonl`, …) every N records.
    #[arg(long, value_name = "N")]
    pub split_records: Option<u64>,
    /// State database of scheduled runs: convert only new and changed files.
    #[arg(long, value_name = "STATE.db")]
    pub state: Option<PathBuf>,
    /// Write one JSON line per input gone since the last run (needs --state).
    #[arg(long, value_name = "DELETED.jsonl", requires = "state")]
    pub deleted: Option<PathBuf>,
    /// Convert in threads of this process instead of worker processes: no timeout, memory
    /// cap or crash isolation.
    #[arg(long, conflicts_with_all = ["timeout", "max_memory", "recycle_after"])]
    pub in_process: bool,
    /// Seconds one file may take; then its worker is killed and the file fails as `timeout`
    /// [default: 60].
    #[arg(long, value_name = "SECS", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,
    /// Address space of each worker process (`512M`, `2G`, `none`); a file that needs more
    /// fails as `out_of_memory` [default: 2G].
    #[arg(long, value_name = "BYTES", value_parser = parse_memory)]
    pub max_memory: Option<MemoryCap>,
    /// Files one worker process converts before a fresh one replaces it [default: 1000].
    #[arg(long, value_name = "N")]
    pub recycle_after: Option<u64>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Resource limits; every default is safe for untrusted input.
#[derive(Debug, Args)]
pub struct LimitArgs {
    /// Largest input file, in bytes.
    #[arg(long, value_name = "BYTES")]
    pub max_file_bytes: Option<u64>,
    /// Most bytes one compressed stream or zip entry may inflate to.
    #[arg(long, value_name = "BYTES")]
    pub max_stream_bytes: Option<u64>,
    /// Most bytes all streams of one file may inflate to.
    #[arg(long, value_name = "BYTES")]
    pub max_inflated_bytes: Option<u64>,
    /// Most entries in a DOCX zip.
    #[arg(long, value_name = "N")]
    pub max_zip_entries: Option<usize>,
    /// Largest compression ratio of a zip entry.
    #[arg(long, value_name = "N")]
    pub max_zip_ratio: Option<u64>,
    /// Deepest XML nesting.
    #[arg(long, value_name = "N")]
    pub max_xml_depth: Option<usize>,
    /// Most PDF pages read.
    #[arg(long, value_name = "N")]
    pub max_pdf_pages: Option<usize>,
    /// Most objects in a PDF.
    #[arg(long, value_name = "N")]
    pub max_pdf_objects: Option<usize>,
    /// Deepest HTML nesting walked.
    #[arg(long, value_name = "N")]
    pub max_html_depth: Option<usize>,
    /// Most characters of body text kept per file (the rest is cut with a warning).
    #[arg(long, value_name = "N")]
    pub max_text_chars: Option<usize>,
    /// Largest HTML page read into a document tree (larger ones are read as a text stream).
    #[arg(long, value_name = "BYTES")]
    pub max_html_tree_bytes: Option<usize>,
    /// Most cells the sheets of an Excel 97–2003 workbook may span together.
    #[arg(long, value_name = "N")]
    pub max_sheet_cells: Option<u64>,
}

impl LimitArgs {
    pub(crate) fn into_limits(self) -> Limits {
        let d = Limits::default();
        Limits {
            max_file_bytes: self.max_file_bytes.unwrap_or(d.max_file_bytes),
            max_stream_bytes: self.max_stream_bytes.unwrap_or(d.max_stream_bytes),
            max_inflated_bytes: self.max_inflated_bytes.unwrap_or(d.max_inflated_bytes),
            max_zip_entries: self.max_zip_entries.unwrap_or(d.max_zip_entries),
            max_zip_ratio: self.max_zip_ratio.unwrap_or(d.max_zip_ratio),
            max_xml_depth: self.max_xml_depth.unwrap_or(d.max_xml_depth),
            max_pdf_pages: self.max_pdf_pages.unwrap_or(d.max_pdf_pages),
            max_pdf_objects: self.max_pdf_objects.unwrap_or(d.max_pdf_objects),
            max_html_depth: self.max_html_depth.unwrap_or(d.max_html_depth),
            max_text_chars: self.max_text_chars.unwrap_or(d.max_text_chars),
            max_html_tree_bytes: self.max_html_tree_bytes.unwrap_or(d.max_html_tree_bytes),
            max_sheet_cells: self.max_sheet_cells.unwrap_or(d.max_sheet_cells),
        }
    }
}

/// A flag combination that cannot run.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error("input path does not exist: {0}")]
    MissingInput(PathBuf),
    #[error("--jobs must be at least 1")]
    ZeroJobs,
    #[error("--shard must be K/N with 0 <= K < N, not {0:?}")]
    BadShard(String),
    #[error("--split-records must be at least 1")]
    ZeroSplit,
    #[error("--split-records and --state need an output file, not standard output")]
    NeedsFile,
    #[error("--recycle-after must be at least 1")]
    ZeroRecycle,
    #[error("cannot find this program's executable to start worker processes")]
    NoExecutable(#[source] std::io::Error),
}

/// Parse `K/N` with `0 <= K < N`.
fn parse_shard(text: &str) -> Option<Shard> {
    let (k, n) = text.split_once('/')?;
    let index: u64 = k.trim().parse().ok()?;
    let count: u64 = n.trim().parse().ok()?;
    (index < count).then_some(Shard { index, count })
}

impl ConvertArgs {
    /// Validate the flags into a run configuration.
    ///
    /// # Errors
    /// [`UsageError`] for a missing input path, zero jobs, a malformed shard, zero records
    /// per split, or `--split-records`/`--state` with output to standard output.
    pub fn into_config(self) -> Result<Config, UsageError> {
        if let Some(missing) = self.paths.iter().find(|p| !p.exists()) {
            return Err(UsageError::MissingInput(missing.clone()));
        }
        let jobs = match self.jobs {
            Some(0) => return Err(UsageError::ZeroJobs),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        let output = if self.output.as_os_str() == "-" {
            OutputTarget::Stdout
        } else {
            OutputTarget::File(self.output)
        };
        let shard = match &self.shard {
            Some(text) => parse_shard(text).ok_or_else(|| UsageError::BadShard(text.clone()))?,
            None => Shard::ALL,
        };
        if self.split_records == Some(0) {
            return Err(UsageError::ZeroSplit);
        }
        if output == OutputTarget::Stdout && (self.split_records.is_some() || self.state.is_some())
        {
            return Err(UsageError::NeedsFile);
        }
        if self.recycle_after == Some(0) {
            return Err(UsageError::ZeroRecycle);
        }
        let isolation = if self.in_process {
            None
        } else {
            Some(Isolation {
                exe: std::env::current_exe().map_err(UsageError::NoExecutable)?,
                timeout: self.timeout.unwrap_or(Isolation::DEFAULT_TIMEOUT),
                max_memory: self
                    .max_memory
                    .map_or(Some(Isolation::DEFAULT_MAX_MEMORY), |m| m.0),
                recycle_after: self
                    .recycle_after
                    .unwrap_or(Isolation::DEFAULT_RECYCLE_AFTER),
            })
        };
        Ok(Config {
            inputs: self.paths,
            output,
            errors: self.errors,
            jobs,
            quiet: self.quiet,
            limits: self.limits.into_limits(),
            shard,
            split_records: self.split_records,
            state: self.state,
            deleted: self.deleted,
            isolation,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_k_of_n_counted_from_zero() {
        assert_eq!(parse_shard("0/4"), Some(Shard { index: 0, count: 4 }));
        assert_eq!(parse_shard("3/4"), Some(Shard { index: 3, count: 4 }));
        assert_eq!(parse_shard("4/4"), None);
        assert_eq!(parse_shard("1"), None);
        assert_eq!(parse_shard("a/2"), None);
    }

    #[test]
    fn memory_caps_take_binary_suffixes_or_none() {
        assert_eq!(parse_memory("2G"), Ok(MemoryCap(Some(2 << 30))));
        assert_eq!(parse_memory("512M"), Ok(MemoryCap(Some(512 << 20))));
        assert_eq!(parse_memory("512mib"), Ok(MemoryCap(Some(512 << 20))));
        assert_eq!(parse_memory("4096"), Ok(MemoryCap(Some(4096))));
        assert_eq!(parse_memory("none"), Ok(MemoryCap(None)));
        assert!(parse_memory("0").is_err());
        assert!(parse_memory("2X").is_err());
        assert!(parse_memory("G").is_err());
        assert!(parse_memory("99999999999T").is_err());
    }

    #[test]
    fn timeouts_are_positive_seconds() {
        assert_eq!(parse_timeout("60"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_timeout("0.5"), Ok(Duration::from_millis(500)));
        assert!(parse_timeout("0").is_err());
        assert!(parse_timeout("-1").is_err());
        assert!(parse_timeout("inf").is_err());
    }

    #[test]
    fn limit_flags_parse_back_to_the_same_limits() {
        let limits = Limits {
            max_file_bytes: 1,
            max_stream_bytes: 2,
            max_inflated_bytes: 3,
            max_zip_entries: 4,
            max_zip_ratio: 5,
            max_xml_depth: 6,
            max_pdf_pages: 7,
            max_pdf_objects: 8,
            max_html_depth: 9,
            max_text_chars: 10,
            max_html_tree_bytes: 11,
            max_sheet_cells: 12,
        };
        let args = ["gongwen", "worker"]
            .into_iter()
            .map(String::from)
            .chain(limit_flags(&limits));
        let Command::Worker(worker) = Cli::try_parse_from(args).unwrap().command else {
            panic!("not the worker subcommand");
        };
        assert_eq!(worker.limits(), limits);
    }
}

//! Validated run configuration and the resource limits every stage respects.

use std::path::PathBuf;
use std::time::Duration;

/// Resource limits. Every one is configurable; the defaults are safe for untrusted input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest input file read, in bytes.
    pub max_file_bytes: u64,
    /// Most bytes one compressed stream (PDF stream, zip entry) may inflate to.
    pub max_stream_bytes: u64,
    /// Most bytes all streams of one file may inflate to together.
    pub max_inflated_bytes: u64,
    /// Most entries a DOCX zip may hold.
    pub max_zip_entries: usize,
    /// Largest ratio of uncompressed to compressed size of a zip entry.
    pub max_zip_ratio: u64,
    /// Deepest XML element nesting.
    pub max_xml_depth: usize,
    /// Most pages read from a PDF.
    pub max_pdf_pages: usize,
    /// Most objects a PDF may hold.
    pub max_pdf_objects: usize,
    /// Deepest HTML element nesting walked; deeper content is flattened into its ancestor.
    pub max_html_depth: usize,
    /// Most characters of body text kept per file; the rest is cut with a warning.
    pub max_text_chars: usize,
    /// Largest HTML page read into a document tree; larger pages are read as a stream of text
    /// (no content detection, metadata panel or attachments), with a warning.
    pub max_html_tree_bytes: usize,
    /// Most cells the sheets of an Excel 97–2003 workbook may span together (its parser lays
    /// each sheet out as a dense grid of its used range).
    pub max_sheet_cells: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 256 << 20,
            max_stream_bytes: 64 << 20,
            max_inflated_bytes: 256 << 20,
            max_zip_entries: 10_000,
            max_zip_ratio: 200,
            max_xml_depth: 256,
            max_pdf_pages: 5_000,
            max_pdf_objects: 2_000_000,
            max_html_depth: 512,
            max_text_chars: 20_000_000,
            max_html_tree_bytes: 16 << 20,
            max_sheet_cells: 4 << 20,
        }
    }
}

/// Where records go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputTarget {
    Stdout,
    File(PathBuf),
}

/// Shard `index` of `count` (`--shard K/N`, `0 <= K < N`): the inputs whose relative path's
/// [`shard_key`](crate::state::shard_key) is `index` modulo `count`. The shards of one `count`
/// split any set of paths into disjoint parts whose union is the whole, on any machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// The one shard holding every input.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// Whether the input with relative path `rel` belongs to this shard.
    pub fn contains(&self, rel: &str) -> bool {
        self.count <= 1 || crate::state::shard_key(rel) as u64 % self.count == self.index
    }
}

/// A validated `convert` run.
#[derive(Debug, Clone)]
pub struct Config {
    pub inputs: Vec<PathBuf>,
    pub output: OutputTarget,
    pub errors: Option<PathBuf>,
    pub jobs: usize,
    pub quiet: bool,
    pub limits: Limits,
    /// Convert only the inputs of this shard.
    pub shard: Shard,
    /// Start a new numbered output file every this many records.
    pub split_records: Option<u64>,
    /// The state database of scheduled runs: convert only new and changed files.
    pub state: Option<PathBuf>,
    /// Where to write one line per input that disappeared since the last run (needs `state`).
    pub deleted: Option<PathBuf>,
    /// Convert in supervised worker processes (the default), or in threads of this process
    /// when `None` (`--in-process`).
    pub isolation: Option<Isolation>,
}

/// How conversions are isolated in worker processes (see [`crate::worker`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Isolation {
    /// The executable started as `EXE worker …`: this program.
    pub exe: PathBuf,
    /// Longest one file may take before its worker is killed (kind `timeout`).
    pub timeout: Duration,
    /// Address-space cap of each worker (`RLIMIT_AS`), in bytes; `None` for no cap.
    pub max_memory: Option<u64>,
    /// Files one worker converts before it is replaced by a fresh one.
    pub recycle_after: u64,
}

impl Isolation {
    /// `--timeout` default: one minute per file.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
    /// `--max-memory` default: 2 GiB of address space per worker.
    pub const DEFAULT_MAX_MEMORY: u64 = 2 << 30;
    /// `--recycle-after` default.
    pub const DEFAULT_RECYCLE_AFTER: u64 = 1000;
}

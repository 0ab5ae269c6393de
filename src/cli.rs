//! Command-line flags (clap) and their validation into a [`Config`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::{Config, Limits, OutputTarget, Shard};

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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert files and directories (walked recursively, hidden files skipped) to JSON Lines.
    Convert(ConvertArgs),
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
    /// Worker threads (default: the number of CPUs).
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
}

impl LimitArgs {
    fn into_limits(self) -> Limits {
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
}

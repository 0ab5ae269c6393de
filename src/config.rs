//! Validated run configuration and the resource limits every stage respects.

use std::path::PathBuf;

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
        }
    }
}

/// Where records go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputTarget {
    Stdout,
    File(PathBuf),
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
}

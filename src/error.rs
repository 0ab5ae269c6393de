//! The error line written for a file that could not be converted, and its parts.
//!
//! Each stage has its own error enum (`extract::html::HtmlError`, …); they meet here, at the
//! file boundary, where the path and the stage are added once.

use serde::Serialize;

/// The pipeline stage a file failed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Read,
    Detect,
    Extract,
    Repair,
    Structure,
    /// The worker process converting the file: it timed out, ran out of memory or died.
    Worker,
}

/// One line of the errors file: `{"path", "stage", "kind", "message"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileError {
    pub path: String,
    pub stage: Stage,
    /// A short stable word downstream tools can group by: `io`, `too_large`, `malformed`,
    /// `encrypted`, `unsupported`, `limit`, `panic`, …; and, with stage `worker`, `timeout`,
    /// `out_of_memory` and `crashed` (see [`crate::worker`]).
    pub kind: String,
    pub message: String,
}

/// Render an error and its chain of sources as one line: `outer: inner: innermost`.
pub fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(e) = source {
        let s = e.to_string();
        if !out.ends_with(&s) {
            out.push_str(": ");
            out.push_str(&s);
        }
        source = e.source();
    }
    out
}

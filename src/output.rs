//! Where records and error lines go: a file written atomically, or standard output.
//!
//! A file target is written to a temporary file in the same directory and renamed over the
//! target only by [`Sink::commit`], so an interrupted run never leaves a half-written file
//! behind (the previous file, if any, stays as it was).

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::config::OutputTarget;

/// An output stream of JSON lines.
pub enum Sink {
    Stdout(BufWriter<io::Stdout>),
    File {
        tmp: BufWriter<tempfile::NamedTempFile>,
        target: PathBuf,
    },
}

impl Sink {
    /// Open `target` for writing.
    ///
    /// # Errors
    /// When the temporary file cannot be created in the target's directory.
    pub fn open(target: &OutputTarget) -> io::Result<Sink> {
        match target {
            OutputTarget::Stdout => Ok(Sink::Stdout(BufWriter::with_capacity(
                1 << 16,
                io::stdout(),
            ))),
            OutputTarget::File(path) => {
                let dir = match path.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let tmp = tempfile::Builder::new()
                    .prefix(&format!(".{name}."))
                    .suffix(".tmp")
                    .tempfile_in(&dir)?;
                Ok(Sink::File {
                    tmp: BufWriter::with_capacity(1 << 16, tmp),
                    target: path.clone(),
                })
            }
        }
    }

    /// Write one line (a newline is added).
    ///
    /// # Errors
    /// Any write error, `BrokenPipe` included (the caller decides what it means).
    pub fn write_line(&mut self, line: &[u8]) -> io::Result<()> {
        let w: &mut dyn Write = match self {
            Sink::Stdout(w) => w,
            Sink::File { tmp, .. } => tmp,
        };
        w.write_all(line)?;
        w.write_all(b"\n")
    }

    /// Flush and, for a file, sync and rename it over the target.
    ///
    /// # Errors
    /// When flushing, syncing or renaming fails.
    pub fn commit(self) -> io::Result<()> {
        match self {
            Sink::Stdout(mut w) => w.flush(),
            Sink::File { tmp, target } => {
                let tmp = tmp.into_inner().map_err(|e| e.into_error())?;
                tmp.as_file().sync_all()?;
                tmp.persist(&target).map_err(|e| e.error)?;
                Ok(())
            }
        }
    }

    pub fn target(&self) -> Option<&Path> {
        match self {
            Sink::Stdout(_) => None,
            Sink::File { target, .. } => Some(target),
        }
    }
}

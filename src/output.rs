//! Where records and error lines go: files written atomically, or standard output.
//!
//! A file target is written to a temporary file in the same directory and renamed over the
//! target only once it is complete ([`Sink::commit`], or when a split part is full), so an
//! interrupted run never leaves a half-written file behind (the previous file, if any, stays
//! as it was). A target that exists and is no regular file (`/dev/null`, a named pipe, the
//! `/dev/fd/N` of a shell's process substitution) is written in place instead: a device or a
//! pipe cannot be replaced, and a rename would put a file where it was.
//!
//! * **Compression**: a target ending in `.zst` is compressed with zstd (level 3), one ending
//!   in `.gz` with gzip, on the fly; anything else is plain text. Standard output is plain.
//! * **Splitting**: with `split = Some(n)`, a new numbered file is started every `n` lines.
//!   Part `k` of `out.jsonl.zst` is `out.0000k.jsonl.zst` (five digits, from 0, inserted before
//!   `.jsonl`; a name without `.jsonl` gets `.0000k` appended). Part 0 is always written, even
//!   when empty. A part is renamed into place as soon as it holds `n` lines.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::config::OutputTarget;

/// How a file target is compressed, decided by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    Plain,
    Gzip,
    Zstd,
}

impl Codec {
    /// The codec a path's extension asks for: `.zst` → zstd, `.gz` → gzip, else plain.
    pub fn for_path(path: &Path) -> Codec {
        match path.extension().and_then(|e| e.to_str()) {
            Some("zst") => Codec::Zstd,
            Some("gz") => Codec::Gzip,
            _ => Codec::Plain,
        }
    }
}

/// The path of part `k` of a split output: `dir/out.jsonl.zst` → `dir/out.0000k.jsonl.zst`.
pub fn part_path(target: &Path, k: u64) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let numbered = match name.find(".jsonl") {
        Some(i) => format!("{}.{k:05}{}", &name[..i], &name[i..]),
        None => format!("{name}.{k:05}"),
    };
    target.with_file_name(numbered)
}

/// Where a file's bytes go.
pub enum Dest {
    /// A temporary file beside the target, renamed over it when complete.
    Temp(tempfile::NamedTempFile),
    /// The target itself: it exists and is no regular file (a device, a pipe).
    InPlace(File),
}

impl Dest {
    fn open(target: &Path) -> io::Result<Dest> {
        let special = std::fs::metadata(target).is_ok_and(|m| !m.is_file() && !m.is_dir());
        if special {
            return Ok(Dest::InPlace(
                std::fs::OpenOptions::new().write(true).open(target)?,
            ));
        }
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        // Read-write for the owner, readable by others, less the umask, as a file created
        // directly would be (a temporary file is otherwise private).
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        Ok(Dest::Temp(builder.tempfile_in(&dir)?))
    }

    /// Make the written bytes the target's: sync the temporary file and rename it over the
    /// target. (Written in place, they already are.)
    fn commit(self, target: &Path) -> io::Result<()> {
        match self {
            Dest::Temp(tmp) => {
                tmp.as_file().sync_all()?;
                tmp.persist(target).map_err(|e| e.error)?;
                sync_dir(target);
            }
            Dest::InPlace(_) => {}
        }
        Ok(())
    }
}

impl Write for Dest {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Dest::Temp(f) => f.write(buf),
            Dest::InPlace(f) => f.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Dest::Temp(f) => f.flush(),
            Dest::InPlace(f) => f.flush(),
        }
    }
}

/// One file being written: its destination, behind its encoder.
pub enum Part {
    Plain(BufWriter<Dest>),
    Gzip(flate2::write::GzEncoder<BufWriter<Dest>>),
    Zstd(zstd::Encoder<'static, BufWriter<Dest>>),
}

impl Part {
    fn create(target: &Path, codec: Codec) -> io::Result<Part> {
        let buf = BufWriter::with_capacity(1 << 16, Dest::open(target)?);
        Ok(match codec {
            Codec::Plain => Part::Plain(buf),
            Codec::Gzip => Part::Gzip(flate2::write::GzEncoder::new(
                buf,
                flate2::Compression::default(),
            )),
            Codec::Zstd => Part::Zstd(zstd::Encoder::new(buf, 3)?),
        })
    }

    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Part::Plain(w) => w,
            Part::Gzip(w) => w,
            Part::Zstd(w) => w,
        }
    }

    /// Finish the encoder and make the file the target's ([`Dest::commit`]).
    fn commit(self: Box<Self>, target: &Path) -> io::Result<()> {
        let buf = match *self {
            Part::Plain(w) => w,
            Part::Gzip(w) => w.finish()?,
            Part::Zstd(w) => w.finish()?,
        };
        buf.into_inner().map_err(|e| e.into_error())?.commit(target)
    }
}

/// Make a rename durable: sync the directory holding `path` (best effort; not every platform
/// can open a directory).
fn sync_dir(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// An output stream of JSON lines.
pub enum Sink {
    Stdout(BufWriter<io::Stdout>),
    File {
        target: PathBuf,
        codec: Codec,
        /// Lines per part, when split.
        split: Option<u64>,
        part: Option<Box<Part>>,
        /// Number of the part being written.
        part_no: u64,
        /// Lines in the part being written.
        lines: u64,
    },
}

impl Sink {
    /// Open `target` for writing, in one file or split every `split` lines.
    ///
    /// # Errors
    /// When the temporary file cannot be created in the target's directory.
    pub fn open(target: &OutputTarget, split: Option<u64>) -> io::Result<Sink> {
        match target {
            OutputTarget::Stdout => Ok(Sink::Stdout(BufWriter::with_capacity(
                1 << 16,
                io::stdout(),
            ))),
            OutputTarget::File(path) => {
                let split = split.filter(|&n| n > 0);
                let codec = Codec::for_path(path);
                let first = match split {
                    Some(_) => part_path(path, 0),
                    None => path.clone(),
                };
                Ok(Sink::File {
                    part: Some(Box::new(Part::create(&first, codec)?)),
                    target: path.clone(),
                    codec,
                    split,
                    part_no: 0,
                    lines: 0,
                })
            }
        }
    }

    /// Write one line (a newline is added).
    ///
    /// # Errors
    /// Any write error, `BrokenPipe` included (the caller decides what it means).
    pub fn write_line(&mut self, line: &[u8]) -> io::Result<()> {
        match self {
            Sink::Stdout(w) => {
                w.write_all(line)?;
                w.write_all(b"\n")
            }
            Sink::File {
                target,
                codec,
                split,
                part,
                part_no,
                lines,
            } => {
                if part.is_none() {
                    *part_no += 1;
                    *part = Some(Box::new(Part::create(
                        &part_path(target, *part_no),
                        *codec,
                    )?));
                }
                let w = part.as_mut().expect("part open").writer();
                w.write_all(line)?;
                w.write_all(b"\n")?;
                *lines += 1;
                if let Some(n) = *split
                    && *lines == n
                {
                    let full = part.take().expect("part open");
                    full.commit(&part_path(target, *part_no))?;
                    *lines = 0;
                }
                Ok(())
            }
        }
    }

    /// Flush and, for a file, finish, sync and rename it over the target.
    ///
    /// # Errors
    /// When flushing, syncing or renaming fails.
    pub fn commit(self) -> io::Result<()> {
        match self {
            Sink::Stdout(mut w) => w.flush(),
            Sink::File {
                target,
                split,
                part,
                part_no,
                ..
            } => match part {
                Some(p) if split.is_some() => p.commit(&part_path(&target, part_no)),
                Some(p) => p.commit(&target),
                None => Ok(()),
            },
        }
    }

    pub fn target(&self) -> Option<&Path> {
        match self {
            Sink::Stdout(_) => None,
            Sink::File { target, .. } => Some(target),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_numbers_go_before_the_jsonl_extension() {
        assert_eq!(
            part_path(Path::new("d/out.jsonl.zst"), 3),
            PathBuf::from("d/out.00003.jsonl.zst")
        );
        assert_eq!(
            part_path(Path::new("records"), 12),
            PathBuf::from("records.00012")
        );
    }

    #[test]
    fn codec_follows_the_extension() {
        assert_eq!(Codec::for_path(Path::new("a.jsonl.zst")), Codec::Zstd);
        assert_eq!(Codec::for_path(Path::new("a.jsonl.gz")), Codec::Gzip);
        assert_eq!(Codec::for_path(Path::new("a.jsonl")), Codec::Plain);
    }

    fn read(path: &Path) -> String {
        let bytes = std::fs::read(path).unwrap();
        let mut text = String::new();
        match Codec::for_path(path) {
            Codec::Plain => text = String::from_utf8(bytes).unwrap(),
            Codec::Gzip => {
                io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut text)
                    .unwrap();
            }
            Codec::Zstd => text = String::from_utf8(zstd::decode_all(&bytes[..]).unwrap()).unwrap(),
        }
        text
    }

    #[test]
    fn compressed_targets_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.jsonl", "a.jsonl.gz", "a.jsonl.zst"] {
            let path = dir.path().join(name);
            let mut sink = Sink::open(&OutputTarget::File(path.clone()), None).unwrap();
            sink.write_line(b"{\"n\":1}").unwrap();
            sink.write_line(b"{\"n\":2}").unwrap();
            sink.commit().unwrap();
            assert_eq!(read(&path), "{\"n\":1}\n{\"n\":2}\n", "{name}");
        }
    }

    #[test]
    fn a_pipe_is_written_in_place_not_replaced() {
        // `-o /dev/null`, `-o >(zstd > x)`: renamed over, the device or pipe would become a
        // file (a run once replaced the machine's /dev/null so).
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("records.jsonl");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        let mut sink = Sink::open(&OutputTarget::File(fifo.clone()), None).unwrap();
        sink.write_line(b"{\"n\":1}").unwrap();
        sink.commit().unwrap();
        // (Asked first: were the pipe replaced, its reader would wait for a writer for ever.)
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
        assert_eq!(reader.join().unwrap(), "{\"n\":1}\n");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file beside it");
    }

    #[test]
    fn split_starts_a_new_part_every_n_lines() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.jsonl.zst");
        let mut sink = Sink::open(&OutputTarget::File(target.clone()), Some(2)).unwrap();
        for n in 0..5 {
            sink.write_line(format!("{n}").as_bytes()).unwrap();
        }
        sink.commit().unwrap();
        assert_eq!(read(&part_path(&target, 0)), "0\n1\n");
        assert_eq!(read(&part_path(&target, 1)), "2\n3\n");
        assert_eq!(read(&part_path(&target, 2)), "4\n");
        assert!(!target.exists());
        assert!(!part_path(&target, 3).exists());
    }

    #[test]
    fn split_output_of_an_empty_run_is_one_empty_part() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.jsonl");
        Sink::open(&OutputTarget::File(target.clone()), Some(10))
            .unwrap()
            .commit()
            .unwrap();
        assert_eq!(read(&part_path(&target, 0)), "");
    }
}

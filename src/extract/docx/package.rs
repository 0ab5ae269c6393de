//! The OPC package: the zip container, read part by part through a bounded reader, and the
//! relationships that name the main document and its styles, numbering and notes.
//!
//! Declared sizes in the zip directory are never trusted: every entry is inflated through
//! [`Read::take`] with a bound that is the smallest of the per-stream limit, what is left of
//! the per-file inflation budget, and the compression-ratio allowance, so a zip bomb stops at
//! the bound without ever being allocated.

use std::io::{Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

use super::DocxError;
use super::xml;
use crate::config::Limits;

/// Entries smaller than this inflated size are not held to the compression-ratio limit: tiny
/// repetitive XML parts legitimately compress far beyond any sane ratio.
const RATIO_FLOOR: u64 = 1 << 20;

/// The first chunk [`Package::part_prefix`] inflates.
const FIRST_CHUNK: u64 = 16 << 10;

/// Which limit bounds an entry's inflation.
#[derive(Clone, Copy)]
enum Bound {
    Ratio,
    Stream,
    Budget,
}

pub(crate) struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    limits: &'a Limits,
    inflated: u64,
}

impl<'a> Package<'a> {
    pub(crate) fn open(bytes: &'a [u8], limits: &'a Limits) -> Result<Package<'a>, DocxError> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(DocxError::from_zip)?;
        if archive.len() > limits.max_zip_entries {
            return Err(DocxError::TooManyEntries {
                entries: archive.len(),
                limit: limits.max_zip_entries,
            });
        }
        Ok(Package {
            archive,
            limits,
            inflated: 0,
        })
    }

    /// Inflate every entry through the bounds of [`Package::part`], keeping nothing: for a
    /// package another parser reads next, which must not meet an entry past the limits.
    ///
    /// # Errors
    /// The errors of [`Package::part`], for the first entry that breaks a bound.
    pub(crate) fn verify(&mut self) -> Result<(), DocxError> {
        for index in 0..self.archive.len() {
            let file = self.archive.by_index(index).map_err(DocxError::from_zip)?;
            if file.is_dir() {
                continue;
            }
            let name = file
                .name()
                .map_or_else(|_| format!("entry {index}"), |n| n.into_owned());
            let (bound, kind) = Self::bound(self.limits, self.inflated, file.compressed_size());
            let read = std::io::copy(
                &mut file.take(bound.saturating_add(1)),
                &mut std::io::sink(),
            )
            .map_err(DocxError::Io)?;
            if read > bound {
                return Err(Self::exceeded(self.limits, name, kind));
            }
            self.inflated += read;
        }
        Ok(())
    }

    /// The inflated bytes of part `name` (no leading `/`), or `None` when the package has no
    /// such part. Names are matched exactly first, then ignoring ASCII case and with `\` read
    /// as `/` (some writers disagree with their own relationships about case, a few zip tools
    /// on Windows write backslashes).
    ///
    /// # Errors
    /// A limit error when the part inflates past its bound; `encrypted` for an encrypted
    /// entry; `malformed`/`io` for a broken entry.
    pub(crate) fn part(&mut self, name: &str) -> Result<Option<Vec<u8>>, DocxError> {
        self.inflate(name, u64::MAX, |_| true)
            .map(|part| part.map(|(bytes, _)| bytes))
    }

    /// The start of part `name`, inflated a chunk at a time (the first [`FIRST_CHUNK`] bytes,
    /// each next chunk twice the one before) until `enough` says the bytes so far are, and
    /// whether they are the whole part. `None` when the package has no such part; the errors
    /// and bounds of [`Package::part`].
    pub(crate) fn part_prefix(
        &mut self,
        name: &str,
        enough: impl FnMut(&[u8]) -> bool,
    ) -> Result<Option<(Vec<u8>, bool)>, DocxError> {
        self.inflate(name, FIRST_CHUNK, enough)
    }

    fn inflate(
        &mut self,
        name: &str,
        first_chunk: u64,
        mut enough: impl FnMut(&[u8]) -> bool,
    ) -> Result<Option<(Vec<u8>, bool)>, DocxError> {
        let index = match self.archive.index_for_name(name) {
            Some(i) => i,
            None => match self
                .archive
                .file_names()
                .position(|n| n.is_ok_and(|n| same_part(&n, name)))
            {
                Some(i) => i,
                None => return Ok(None),
            },
        };
        let file = self.archive.by_index(index).map_err(DocxError::from_zip)?;
        let (bound, kind) = Self::bound(self.limits, self.inflated, file.compressed_size());
        let declared = file.size();
        let mut reader = file.take(bound.saturating_add(1));
        // Room for the declared size, within the bound and 64 MB (a header may lie; room not
        // written to is never touched): a large part is inflated without growing and copying.
        let mut out =
            Vec::with_capacity(declared.min(bound).min(64 << 20).min(first_chunk) as usize);
        crate::extract::huge_pages(&mut out);
        let mut chunk = first_chunk;
        loop {
            let before = out.len() as u64;
            let got = (&mut reader)
                .take(chunk)
                .read_to_end(&mut out)
                .map_err(DocxError::Io)? as u64;
            let whole = got < chunk;
            if out.len() as u64 > bound {
                return Err(Self::exceeded(self.limits, name.to_string(), kind));
            }
            self.inflated += out.len() as u64 - before;
            if whole || enough(&out) {
                return Ok(Some((out, whole)));
            }
            chunk = chunk.saturating_mul(2);
        }
    }

    /// How far an entry of `compressed` bytes may inflate: the smallest of the per-stream
    /// limit, what is left of the per-file budget and the ratio allowance, and which of them
    /// that is.
    fn bound(limits: &Limits, inflated: u64, compressed: u64) -> (u64, Bound) {
        let stream = limits.max_stream_bytes;
        let budget = limits.max_inflated_bytes.saturating_sub(inflated);
        let ratio = compressed
            .saturating_mul(limits.max_zip_ratio)
            .max(RATIO_FLOOR);
        let bound = stream.min(budget).min(ratio);
        let kind = if bound == ratio {
            Bound::Ratio
        } else if bound == stream {
            Bound::Stream
        } else {
            Bound::Budget
        };
        (bound, kind)
    }

    /// The error of entry `part` inflating past a bound of `kind`.
    fn exceeded(limits: &Limits, part: String, kind: Bound) -> DocxError {
        match kind {
            Bound::Ratio => DocxError::Ratio {
                part,
                limit: limits.max_zip_ratio,
            },
            Bound::Stream => DocxError::StreamTooLarge {
                part,
                limit: limits.max_stream_bytes,
            },
            Bound::Budget => DocxError::InflatedTooLarge {
                limit: limits.max_inflated_bytes,
            },
        }
    }

    /// The relationships of `source` (`""` for the package): `(type suffix, resolved target)`.
    /// Missing or unreadable relationship parts give an empty list.
    pub(crate) fn relationships(
        &mut self,
        source: &str,
    ) -> Result<Vec<(String, String)>, DocxError> {
        let (dir, file) = source.rsplit_once('/').unwrap_or(("", source));
        let rels_name = if dir.is_empty() {
            format!("_rels/{file}.rels")
        } else {
            format!("{dir}/_rels/{file}.rels")
        };
        let Some(bytes) = self.part(&rels_name)? else {
            return Ok(Vec::new());
        };
        let bytes = xml::utf8(&bytes);
        let mut reader = xml::reader(&bytes);
        let mut out = Vec::new();
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                    if e.local_name().as_ref() == "Relationship" =>
                {
                    if xml::attr(&e, "TargetMode").as_deref() == Some("External") {
                        continue;
                    }
                    let (Some(kind), Some(target)) =
                        (xml::attr_str(&e, "Type"), xml::attr_str(&e, "Target"))
                    else {
                        continue;
                    };
                    let kind = kind.rsplit('/').next().unwrap_or("").to_string();
                    out.push((kind, resolve(dir, &target)));
                }
                Ok(quick_xml::events::Event::Eof) | Err(_) => break,
                Ok(_) => {}
            }
        }
        Ok(out)
    }
}

fn same_part(entry: &str, name: &str) -> bool {
    let entry = entry.strip_prefix('/').unwrap_or(entry);
    entry.len() == name.len()
        && entry
            .bytes()
            .zip(name.bytes())
            .all(|(a, b)| a.eq_ignore_ascii_case(&b) || (a == b'\\' && b == b'/'))
}

/// Resolve a relationship target against the directory of its source part.
fn resolve(dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None if dir.is_empty() => target.to_string(),
        None => format!("{dir}/{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

impl DocxError {
    fn from_zip(e: ZipError) -> DocxError {
        match e {
            ZipError::UnsupportedArchive(ZipError::PASSWORD_REQUIRED)
            | ZipError::InvalidPassword => DocxError::Encrypted,
            ZipError::Io(e) => DocxError::Io(e),
            ZipError::UnsupportedArchive(_) | ZipError::CompressionMethodNotSupported(_) => {
                DocxError::UnsupportedZip(e)
            }
            e => DocxError::Zip(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn part_names_match_across_case_and_backslashes() {
        assert!(super::same_part("Word\\Document.xml", "word/document.xml"));
        assert!(super::same_part("/word/document.xml", "word/document.xml"));
        assert!(!super::same_part("word/document2.xml", "word/document.xml"));
    }

    #[test]
    fn targets_resolve_against_their_source_directory() {
        assert_eq!(resolve("word", "styles.xml"), "word/styles.xml");
        assert_eq!(resolve("word", "/word/numbering.xml"), "word/numbering.xml");
        assert_eq!(resolve("word", "../docProps/core.xml"), "docProps/core.xml");
        assert_eq!(resolve("", "word/document.xml"), "word/document.xml");
    }
}

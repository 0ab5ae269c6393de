//! Walk the inputs in sorted order and sniff each file's format from its bytes.
//!
//! Directories are walked lazily, one directory listing at a time, sorted by file name, so
//! files come out in the component-wise order of their relative paths and no list of all paths
//! is ever held. Hidden files and directories (a name starting with `.`) are skipped.

use std::path::{Path, PathBuf};

use crate::record::Format;

/// One file to convert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    /// The path relative to the argument it was found under, with `/` separators; a file given
    /// directly is named by its file name.
    pub rel: String,
}

/// A directory entry that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkError {
    pub rel: String,
    pub message: String,
}

/// Every input file under `roots`, in order: each root in the order given, each directory
/// sorted by name.
pub fn walk(roots: &[PathBuf]) -> impl Iterator<Item = Result<Input, WalkError>> + '_ {
    roots.iter().flat_map(|root| {
        let base = if root.is_dir() {
            root.clone()
        } else {
            root.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
            .filter_map(move |entry| match entry {
                Ok(e) if e.file_type().is_file() => Some(Ok(Input {
                    rel: relative(&base, e.path()),
                    path: e.into_path(),
                })),
                Ok(_) => None,
                Err(err) => {
                    let rel = err.path().map(|p| relative(&base, p)).unwrap_or_default();
                    Some(Err(WalkError {
                        rel,
                        message: err.to_string(),
                    }))
                }
            })
    })
}

fn relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// What the bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Supported(Format),
    /// Not a format gongwen converts.
    Other,
}

/// Decide the format from the bytes: `%PDF-` in the first KiB, a zip holding
/// `word/document.xml` (DOCX), `xl/workbook.xml` (XLSX) or `OFD.xml` (OFD), an OLE compound
/// file holding a Word document or an Excel workbook, `{\rtf`, a MIME web archive, or
/// markup.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    let head = &bytes[..bytes.len().min(1024)];
    if find(head, b"%PDF-").is_some() {
        return Sniffed::Supported(Format::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return if find(bytes, b"word/document.xml").is_some() {
            Sniffed::Supported(Format::Docx)
        } else if find(bytes, b"xl/workbook.xml").is_some() {
            Sniffed::Supported(Format::Xlsx)
        } else if find(bytes, b"OFD.xml").is_some() {
            // The Chinese fixed-layout format (GB/T 33190) that e-government systems issue
            // beside PDF: a zip whose entry point is `OFD.xml`.
            Sniffed::Supported(Format::Ofd)
        } else {
            Sniffed::Other
        };
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // The streams at the top of the compound file: a Word document embedded in a
        // workbook (or a workbook in a presentation) lies deeper and says nothing. A file whose
        // directory cannot be read is sniffed by the names anywhere in its bytes, for its
        // reader to report the damage.
        let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
        let top: Option<Vec<String>> = cfb::CompoundFile::open(std::io::Cursor::new(bytes))
            .ok()
            .map(|file| {
                file.read_root_storage()
                    .map(|e| e.name().to_string())
                    .collect()
            });
        let has = |name: &str| match &top {
            Some(names) => names.iter().any(|n| n.eq_ignore_ascii_case(name)),
            None => find(bytes, &utf16(name)).is_some(),
        };
        // An encrypted OOXML package is an OLE file holding an `EncryptedPackage` stream: the
        // DOCX extractor reports it as `encrypted`.
        if has("EncryptedPackage") {
            return Sniffed::Supported(Format::Docx);
        }
        // A Word 97–2003 or WPS text document holds a `WordDocument` stream; other compound
        // files (presentations, installers) are not documents.
        if has("WordDocument") {
            return Sniffed::Supported(Format::Doc);
        }
        // An Excel 97–2003 (or WPS) workbook holds a `Workbook` stream, an Excel 5/95 one a
        // `Book` stream.
        if has("Workbook") || has("Book") {
            return Sniffed::Supported(Format::Xls);
        }
        return Sniffed::Other;
    }
    if crate::extract::docx::rtf::is_rtf(bytes) {
        return Sniffed::Supported(Format::Rtf);
    }
    if crate::extract::mhtml::is_mhtml(bytes) {
        return Sniffed::Supported(Format::Mhtml);
    }
    if looks_like_markup(bytes) {
        return Sniffed::Supported(Format::Html);
    }
    Sniffed::Other
}

const MARKUP_TAGS: &[&[u8]] = &[
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<body",
    b"<meta",
    b"<title",
    b"<div",
    b"<p>",
    b"<p ",
    b"<table",
    b"<span",
    b"<br",
    b"<a ",
    b"<script",
    b"<link",
    b"<style",
];

fn looks_like_markup(bytes: &[u8]) -> bool {
    let window = &bytes[..bytes.len().min(4096)];
    // UTF-16 pages: look at the low bytes only.
    let narrowed: Vec<u8>;
    let window = if window.starts_with(&[0xFF, 0xFE]) {
        narrowed = window[2..].iter().step_by(2).copied().collect();
        &narrowed[..]
    } else if window.starts_with(&[0xFE, 0xFF]) {
        narrowed = window[3..].iter().step_by(2).copied().collect();
        &narrowed[..]
    } else {
        window.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(window)
    };
    let start = window
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(window.len());
    if window.get(start) != Some(&b'<') {
        return false;
    }
    let lower: Vec<u8> = window.iter().map(u8::to_ascii_lowercase).collect();
    MARKUP_TAGS.iter().any(|t| find(&lower, t).is_some())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_bytes_not_names() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Sniffed::Supported(Format::Pdf));
        assert_eq!(
            sniff(b"\xEF\xBB\xBF<!DOCTYPE html><html>"),
            Sniffed::Supported(Format::Html)
        );
        assert_eq!(
            sniff(b"  \n<html lang=zh>"),
            Sniffed::Supported(Format::Html)
        );
        assert_eq!(
            sniff(b"PK\x03\x04....word/document.xml...."),
            Sniffed::Supported(Format::Docx)
        );
        assert_eq!(
            sniff(b"PK\x03\x04....xl/workbook.xml...."),
            Sniffed::Supported(Format::Xlsx)
        );
        assert_eq!(
            sniff(b"PK\x03\x04....ppt/presentation.xml...."),
            Sniffed::Other
        );
        assert_eq!(sniff(b"hello world"), Sniffed::Other);
        assert_eq!(sniff(b""), Sniffed::Other);
        let ole = |stream: &str| {
            let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0];
            b.extend(stream.encode_utf16().flat_map(u16::to_le_bytes));
            b
        };
        assert_eq!(sniff(&ole("WordDocument")), Sniffed::Supported(Format::Doc));
        assert_eq!(
            sniff(b"PK\x03\x04....Doc_0/Document.xml....OFD.xml...."),
            Sniffed::Supported(Format::Ofd)
        );
        assert_eq!(sniff(&ole("Workbook")), Sniffed::Supported(Format::Xls));
        assert_eq!(sniff(&ole("Book")), Sniffed::Supported(Format::Xls));
        assert_eq!(sniff(&ole("PowerPoint Document")), Sniffed::Other);
        // In a readable compound file only the top streams count: a workbook embedding a
        // Word document is a workbook, a presentation embedding a chart's workbook is none.
        let compound = |top: &str, embedded: &str| {
            use std::io::Write;
            let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
            file.create_stream(format!("/{top}"))
                .unwrap()
                .write_all(&[0; 64])
                .unwrap();
            file.create_storage("/MBD0001").unwrap();
            file.create_stream(format!("/MBD0001/{embedded}"))
                .unwrap()
                .write_all(&[0; 64])
                .unwrap();
            file.flush().unwrap();
            file.into_inner().into_inner()
        };
        assert_eq!(
            sniff(&compound("Workbook", "WordDocument")),
            Sniffed::Supported(Format::Xls)
        );
        assert_eq!(
            sniff(&compound("PowerPoint Document", "Workbook")),
            Sniffed::Other
        );
        assert_eq!(
            sniff(b"\xEF\xBB\xBF\r\n{\\rtf1\\ansi\\ansicpg936 ...}"),
            Sniffed::Supported(Format::Rtf)
        );
        assert_eq!(sniff(b"{\\rtx1}"), Sniffed::Other);
        assert_eq!(
            sniff(b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n\r\n"),
            Sniffed::Supported(Format::Mhtml)
        );
        assert_eq!(
            sniff(&ole("EncryptedPackage")),
            Sniffed::Supported(Format::Docx)
        );
    }

    #[test]
    fn walk_is_sorted_relative_and_skips_hidden() {
        let dir = tempfile::tempdir().unwrap();
        for p in [
            "b/z.html",
            "b/a.pdf",
            "a.html",
            ".hidden/x.html",
            "b/.y.html",
            "c.txt",
        ] {
            let path = dir.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let rels: Vec<String> = walk(&[dir.path().to_path_buf()])
            .map(|r| r.unwrap().rel)
            .collect();
        assert_eq!(rels, vec!["a.html", "b/a.pdf", "b/z.html", "c.txt"]);
        let single: Vec<String> = walk(&[dir.path().join("b/z.html")])
            .map(|r| r.unwrap().rel)
            .collect();
        assert_eq!(single, vec!["z.html"]);
    }
}

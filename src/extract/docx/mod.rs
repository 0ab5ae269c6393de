//! DOCX (and `.docm`, `.dotx`, WPS-saved OOXML) → [`Document`], rendering what Word shows.
//!
//! In: the bytes of an OPC zip package. Out: the body paragraphs in order, one [`Block`] per
//! paragraph or table row, with Word's automatic list markers (`一、`, `（一）`, `1.`, `⑴`…)
//! rendered from `numbering.xml` and prepended exactly as Word shows them; heading-styled
//! paragraphs as [`BlockKind::Heading`]; footnotes and endnotes after the body, each opened by
//! its label (`[1]`, `[i]`), which also marks its reference in the text; headers and footers
//! never.
//!
//! The official-document frame is recognised (`frame`): the masthead, title and 发文字号
//! lines leave the body and become `title` and the raw fields `发文字号`, `发布机构`; the 落款
//! date (kept in the body) becomes `成文日期`, as printed. Document properties go to
//! `metadata.extra` under their own names (`title`, `creator`, `keywords`, `Company`, custom
//! names…; `app.xml` statistics left out); the core title is the title when the page prints
//! none and the property is not a file name. `metadata.publisher` is the signature, else the
//! masthead, else the core author when it names an organisation.
//!
//! Degradations become warnings, never failures: a malformed styles, numbering, notes or
//! properties part is ignored; malformed XML after some body text keeps the text before it; a
//! list format Word can show but we cannot is shown as decimal.
//!
//! What always holds: every zip entry is inflated through a bounded reader (per-entry,
//! per-file and compression-ratio limits, whatever the directory declares); XML nesting is
//! limited; no DTD or external entity is read; nothing is repaired here (half-width punctuation,
//! split paragraphs and the like are the repair engine's).
//!
//! Pipeline: `package` (zip, relationships) → `styles` and `numbering` → `body`
//! (streaming paragraphs) → `frame` → blocks and fields.

pub mod binary;
mod body;
mod frame;
mod numbering;
pub(crate) mod package;
mod props;
pub mod rtf;
mod styles;
pub(crate) mod xml;

use crate::config::Limits;
use crate::document::{Block, BlockKind, Document};

pub(crate) use body::join_into;
use body::{Para, Story};
pub(crate) use frame::is_organisation;
use numbering::Numbering;
use package::Package;
use styles::Styles;

/// Why a DOCX file could not be read. `kind()` gives the stable error kind.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("legacy binary word document (ole .doc or .wps) is not supported")]
    Legacy,
    #[error("the document is password-encrypted")]
    Encrypted,
    #[error("not a zip package")]
    NotZip,
    #[error("unreadable zip package")]
    Zip(#[source] zip::result::ZipError),
    #[error("unsupported zip feature")]
    UnsupportedZip(#[source] zip::result::ZipError),
    #[error("no main document part in the package")]
    NoDocument,
    #[error("malformed xml in {part}")]
    Xml {
        part: String,
        #[source]
        source: quick_xml::Error,
    },
    #[error("{entries} zip entries, more than the limit of {limit}")]
    TooManyEntries { entries: usize, limit: usize },
    #[error("zip entry {part} inflates past {limit} bytes")]
    StreamTooLarge { part: String, limit: u64 },
    #[error("zip entries inflate past {limit} bytes in total")]
    InflatedTooLarge { limit: u64 },
    #[error("zip entry {part} compresses more than {limit}:1")]
    Ratio { part: String, limit: u64 },
    #[error("xml in {part} nests deeper than {limit}")]
    XmlTooDeep { part: String, limit: usize },
    #[error("reading a zip entry failed")]
    Io(#[source] std::io::Error),
}

impl DocxError {
    /// The stable kind: `malformed`, `unsupported`, `limit` or `encrypted`.
    pub fn kind(&self) -> &'static str {
        match self {
            DocxError::Legacy | DocxError::UnsupportedZip(_) => "unsupported",
            DocxError::Encrypted => "encrypted",
            DocxError::NotZip
            | DocxError::Zip(_)
            | DocxError::NoDocument
            | DocxError::Xml { .. } => "malformed",
            DocxError::TooManyEntries { .. }
            | DocxError::StreamTooLarge { .. }
            | DocxError::InflatedTooLarge { .. }
            | DocxError::Ratio { .. }
            | DocxError::XmlTooDeep { .. } => "limit",
            // The package is read from memory: a corrupt or cut deflate stream, a CRC mismatch
            // or an entry past the end of the file is damage, never an I/O failure.
            DocxError::Io(_) => "malformed",
        }
    }

    fn is_limit(&self) -> bool {
        self.kind() == "limit"
    }
}

/// Paragraph alignment, as far as the frame recognition cares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Align {
    #[default]
    Left,
    Center,
    Right,
}

impl Align {
    fn from_jc(v: &str) -> Align {
        match v {
            "center" => Align::Center,
            "right" | "end" => Align::Right,
            _ => Align::Left,
        }
    }
}

const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Extract a DOCX file.
///
/// # Errors
/// [`DocxError`]: `unsupported` for a legacy OLE `.doc`/`.wps` file or a zip feature we do not
/// read; `encrypted` for a password-protected document; `limit` when the package breaks one
/// of `limits`; `malformed` when it is not a readable OOXML package; `io` when an entry cannot
/// be inflated. A broken auxiliary part (styles, numbering, notes, properties) only adds a
/// warning.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<Document, DocxError> {
    if bytes.starts_with(OLE_MAGIC) {
        return Err(if is_encrypted_ole(bytes) {
            DocxError::Encrypted
        } else {
            DocxError::Legacy
        });
    }
    if !bytes.starts_with(b"PK") {
        return Err(DocxError::NotZip);
    }
    let mut package = Package::open(bytes, limits)?;
    let mut doc = Document::default();
    let depth = limits.max_xml_depth;

    let package_rels = package.relationships("")?;
    let main = package_rels
        .iter()
        .find(|(kind, _)| kind == "officeDocument")
        .map(|(_, target)| target.clone())
        .unwrap_or_else(|| "word/document.xml".to_string());
    let main_bytes = match package.part(&main)? {
        Some(b) => b,
        None => package
            .part("word/document.xml")?
            .ok_or(DocxError::NoDocument)?,
    };
    let rels = package.relationships(&main)?;
    let dir = main.rsplit_once('/').map_or("", |(d, _)| d);
    let target = |kind: &str, default: &str| {
        rels.iter()
            .find(|(k, _)| k == kind)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| {
                if dir.is_empty() {
                    default.to_string()
                } else {
                    format!("{dir}/{default}")
                }
            })
    };

    // Whether the paragraphs name styles or lists is read off the first `SCANNED` bytes of the
    // main part: a search of all of it costs as much as a tenth of its reading when it names
    // none (20 MB of table in a real exam schedule). A longer part whose reading meets one
    // further on is read again with them.
    let head = &main_bytes[..main_bytes.len().min(SCANNED)];
    let mut named = memchr::memmem::find(head, b"pStyle").is_some();
    let mut lists = named || memchr::memmem::find(head, b"numPr").is_some();
    let mut certain = head.len() == main_bytes.len();
    let styles_part = target("styles", "styles.xml");
    let numbering_part = target("numbering", "numbering.xml");
    let (styles, mut numbering, paras, note_refs) = loop {
        let mut warnings = Vec::new();
        let styles = load_styles(&mut package, &styles_part, named, depth, &mut warnings)?;
        let mut numbering = if lists {
            auxiliary(&mut package, &numbering_part, &mut warnings, |b| {
                Numbering::parse(b, depth)
            })?
            .unwrap_or_default()
        } else {
            Numbering::default()
        };
        numbering.link_styles(|id| styles.get(styles.index(id))?.num_id);
        let mut story = Story {
            styles: &styles,
            numbering: &mut numbering,
            max_depth: depth,
            part: &main,
            note_refs: Vec::new(),
            sized_paras: frame::SIZED_PARAS,
            damaged: None,
            named_style: false,
            listed: false,
        };
        let paras = story.read(&main_bytes)?;
        let missed = (!named && story.named_style, !lists && story.listed);
        if !certain && missed != (false, false) {
            named |= missed.0;
            lists |= named || missed.1;
            certain = true;
            continue;
        }
        if let Some(e) = story.damaged.take() {
            warnings.push(format!(
                "text after the damage kept out: {}",
                crate::error::chain(&e)
            ));
        }
        let note_refs = std::mem::take(&mut story.note_refs);
        doc.warnings.append(&mut warnings);
        break (styles, numbering, paras, note_refs);
    };
    drop(main_bytes);
    let unrendered = numbering.unrendered_formats();
    if unrendered > 0 {
        doc.warnings.push(format!(
            "{unrendered} list levels use a numbering format shown as decimal"
        ));
    }

    let mut notes: Vec<Para> = Vec::new();
    for (endnote, kind, default) in [
        (false, "footnotes", "footnotes.xml"),
        (true, "endnotes", "endnotes.xml"),
    ] {
        if !note_refs.iter().any(|r| r.endnote == endnote) {
            continue;
        }
        let part = target(kind, default);
        let read = auxiliary(&mut package, &part, &mut doc.warnings, |b| {
            Story {
                styles: &styles,
                numbering: &mut numbering,
                max_depth: depth,
                part: &part,
                note_refs: Vec::new(),
                sized_paras: 0,
                damaged: None,
                named_style: false,
                listed: false,
            }
            .read(b)
        })?
        .unwrap_or_default();
        let mut by_id: std::collections::HashMap<&str, Vec<&Para>> = Default::default();
        for p in read.iter().filter(|p| !p.text.is_empty()) {
            if let Some(id) = p.note.as_deref() {
                by_id.entry(id).or_default().push(p);
            }
        }
        for r in note_refs.iter().filter(|r| r.endnote == endnote) {
            let mut first = true;
            for p in by_id.get(r.id.as_str()).into_iter().flatten() {
                let text = if first {
                    format!("{} {}", r.label, p.text)
                } else {
                    p.text.clone()
                };
                first = false;
                notes.push(Para {
                    text,
                    heading: None,
                    ..(*p).clone()
                });
            }
        }
    }

    let properties = read_properties(&mut package, &package_rels, depth, &mut doc.warnings)?;
    let frame = frame::recognise(&paras);
    build(&mut doc, &paras, &notes, frame, &properties, limits);
    Ok(doc)
}

/// How many bytes from the start of the main part are searched for a named style or list.
const SCANNED: usize = 256 << 10;

/// The styles of `styles.xml` a document needs: all of them when its paragraphs name styles
/// (`named`). One whose paragraphs name none takes only the default paragraph style and the
/// document defaults: the size of every run that sets none, which tells a letterhead in
/// display type from the body under it. They come first, so the part (often 350 KB of latent,
/// table and character styles) is inflated only as far as them.
fn load_styles(
    package: &mut Package<'_>,
    part: &str,
    named: bool,
    depth: usize,
    warnings: &mut Vec<String>,
) -> Result<Styles, DocxError> {
    if named {
        return Ok(
            auxiliary(package, part, warnings, |b| Styles::parse(b, depth))?.unwrap_or_default(),
        );
    }
    let mut defaults = None;
    let prefix = package.part_prefix(part, |b| {
        defaults = Styles::parse_defaults(b, depth);
        defaults.is_some()
    });
    let ignored = |e: &DocxError| format!("{part} ignored: {}", crate::error::chain(e));
    Ok(match (defaults, prefix) {
        (Some(styles), _) => styles,
        // No default paragraph style: the whole part, read as always; one that breaks after
        // its defaults still gives them.
        (None, Ok(Some((bytes, true)))) => match Styles::parse(&bytes, depth) {
            Ok(styles) => styles,
            Err(e) if e.is_limit() => return Err(e),
            Err(e) => {
                warnings.push(ignored(&e));
                Styles::parse_defaults(&bytes, depth).unwrap_or_default()
            }
        },
        (None, Err(e)) if e.is_limit() => return Err(e),
        // A damaged entry (a corrupt stream, a wrong checksum) loses its styles only, as it
        // did when the part went unread.
        (None, Err(e)) => {
            warnings.push(ignored(&e));
            Styles::default()
        }
        (None, _) => Styles::default(),
    })
}

/// Read and parse an optional part; a malformed one becomes a warning, a broken limit an error.
fn auxiliary<T>(
    package: &mut Package<'_>,
    part: &str,
    warnings: &mut Vec<String>,
    parse: impl FnOnce(&[u8]) -> Result<T, DocxError>,
) -> Result<Option<T>, DocxError> {
    let Some(bytes) = package.part(part)? else {
        return Ok(None);
    };
    match parse(&bytes) {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_limit() => Err(e),
        Err(e) => {
            warnings.push(format!("{part} ignored: {}", crate::error::chain(&e)));
            Ok(None)
        }
    }
}

fn read_properties(
    package: &mut Package<'_>,
    rels: &[(String, String)],
    depth: usize,
    warnings: &mut Vec<String>,
) -> Result<Vec<(String, String)>, DocxError> {
    let find = |suffix: &str, default: &str| {
        rels.iter()
            .find(|(k, _)| k == suffix)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| default.to_string())
    };
    let mut out = Vec::new();
    for (kind, default) in [
        ("core-properties", "docProps/core.xml"),
        ("extended-properties", "docProps/app.xml"),
    ] {
        let part = find(kind, default);
        if let Some(v) = auxiliary(package, &part, warnings, |b| props::simple(b, &part, depth))? {
            out.extend(v);
        }
    }
    let part = find("custom-properties", "docProps/custom.xml");
    if let Some(v) = auxiliary(package, &part, warnings, |b| props::custom(b, depth))? {
        for (k, v) in v {
            if !out.iter().any(|(o, _)| *o == k) {
                out.push((k, v));
            }
        }
    }
    Ok(out)
}

/// Assemble the document from the paragraphs, the recognised frame and the properties.
fn build(
    doc: &mut Document,
    paras: &[Para],
    notes: &[Para],
    frame: frame::Frame,
    properties: &[(String, String)],
    limits: &Limits,
) {
    let mut chars = 0usize;
    let mut dropped = frame.dropped.iter().peekable();
    for (i, p) in paras.iter().enumerate() {
        if dropped.peek() == Some(&&i) {
            dropped.next();
            continue;
        }
        if p.text.is_empty() {
            continue;
        }
        chars += p.text.chars().count();
        if chars > limits.max_text_chars {
            doc.warnings.push(format!(
                "docx text cut at {} characters",
                limits.max_text_chars
            ));
            break;
        }
        doc.blocks.push(block(p));
    }
    doc.blocks.extend(notes.iter().map(block));

    let property = |name: &str| {
        properties
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    doc.title = frame.title.clone().or_else(|| {
        property("title")
            .filter(|t| meaningful_title(t))
            .map(str::to_string)
    });
    let author = property("creator").filter(|a| frame::is_organisation(a));
    let masthead = frame
        .masthead
        .as_deref()
        .map(frame::strip_kind)
        .filter(|m| frame::is_organisation(m));
    let publisher = frame.signature.as_deref().or(masthead).or(author);
    if let Some(number) = &frame.doc_number {
        doc.fields.push(("发文字号".to_string(), number.clone()));
    }
    if let Some(date) = &frame.date {
        doc.fields.push(("成文日期".to_string(), date.clone()));
    }
    if let Some(p) = publisher {
        doc.fields.push(("发布机构".to_string(), p.to_string()));
        doc.metadata.publisher = Some(p.to_string());
    }
    for (k, v) in properties {
        doc.metadata
            .extra
            .entry(k.clone())
            .or_insert_with(|| v.clone());
    }
}

/// Whether a core `title` property names the document rather than a file or a template.
pub(crate) fn meaningful_title(title: &str) -> bool {
    let lower = title.to_lowercase();
    !(lower.contains(".doc")
        || lower.contains(".wps")
        || lower.starts_with("microsoft word")
        || lower.contains("untitled")
        || lower.contains("{{")
        || title.trim().chars().count() < 2
        || title.starts_with("文档")
        || title.starts_with("新建")
        // The 发文字号 typed into the title box (`〔2020〕号`).
        || (title.trim_end().ends_with('号') && title.contains(['〔', '[', '【'])))
}

fn block(p: &Para) -> Block {
    Block {
        text: p.text.clone(),
        kind: if p.table_row {
            BlockKind::TableRow
        } else if let Some(level) = p.heading {
            BlockKind::Heading { level: Some(level) }
        } else {
            BlockKind::Paragraph
        },
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// An encrypted OOXML file is an OLE container holding an `EncryptedPackage` stream.
fn is_encrypted_ole(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    contains(bytes, &needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_property_that_is_a_file_template_or_number_is_not_the_title() {
        for t in [
            "通知.docx",
            "Microsoft Word - 通知",
            "文档1",
            "〔2020〕号",
            "国办发〔2020〕17号",
        ] {
            assert!(!meaningful_title(t), "{t}");
        }
        assert!(meaningful_title("关于开展格式检查工作的通知"));
    }
}

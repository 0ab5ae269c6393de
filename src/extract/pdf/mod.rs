//! PDF: lopdf parses the file; our own content-stream interpreter ([`content`]), font and CMap
//! layer ([`font`], [`cmap`]) and layout analysis ([`layout`]) turn it into text, and
//! [`frame`] finds what the first page of an official document carries (masthead, document
//! number, title) and the 落款 date.
//!
//! In: the bytes of a PDF file and the [`Limits`]. Out: a [`Document`] whose blocks are the body
//! paragraphs in reading order (table rows as `\t`-joined cells), with `title`, raw `fields`
//! (`发文字号`, `成文日期`, `发布机构`) and `warnings` for every degradation (no text layer,
//! fonts without a usable map, damaged or truncated files).
//!
//! What always holds: no text is invented (a glyph with no Unicode map yields nothing); every
//! stream inflates within `max_stream_bytes` and all of them together within
//! `max_inflated_bytes`; at most `max_pdf_pages` pages are read and at most twice
//! `max_text_chars` glyph codes collected (then `max_text_chars` characters kept), each cut
//! with a warning; text repairs are left to the repair engine.

mod cmap;
mod content;
mod font;
mod frame;
mod layout;
mod lexer;
mod truetype;

use lopdf::{Dictionary, Document as PdfDocument, LoadOptions, Object, ObjectId};

use crate::config::Limits;
use crate::document::{Block, BlockKind, Document};

use content::{Budget, Interpreter};
pub(crate) use content::{Glyph, PageText};
use font::{FontCache, deref};
pub(crate) use frame::Info;

/// Why a PDF could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// Not a PDF, or damaged beyond what the cross-reference rebuild can recover.
    #[error("malformed pdf")]
    Malformed(#[source] lopdf::Error),
    /// Encrypted with a non-empty user password (or an unsupported security handler).
    #[error("encrypted pdf needs a password")]
    Encrypted,
    /// More objects than `max_pdf_objects`.
    #[error("pdf has {count} objects, more than the limit of {limit}")]
    TooManyObjects { count: usize, limit: usize },
    /// The file parsed but has no page tree.
    #[error("pdf has no pages")]
    NoPages,
}

impl PdfError {
    /// The stable error kind written to the errors file.
    pub fn kind(&self) -> &'static str {
        match self {
            PdfError::Malformed(_) | PdfError::NoPages => "malformed",
            PdfError::Encrypted => "encrypted",
            PdfError::TooManyObjects { .. } => "limit",
        }
    }
}

/// Extract a PDF file.
///
/// # Errors
/// [`PdfError::Malformed`] when lopdf cannot parse the file even after rebuilding its
/// cross-reference table, [`PdfError::Encrypted`] when the empty user password does not open
/// it, [`PdfError::TooManyObjects`] past `max_pdf_objects`, [`PdfError::NoPages`] when it has
/// no readable page. Damage that still leaves text (a truncated stream, a stream past the
/// inflate limit, pages past `max_pdf_pages`) becomes a warning instead.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<Document, PdfError> {
    extract_with_frame(bytes, limits).map(|(doc, _)| doc)
}

/// All the text a record carries, in page order (the title when it was printed on the first
/// page, the 发文字号, the body blocks), one per line: what `scripts/pdf-vs-pdftotext.py`
/// compares with poppler.
///
/// # Errors
/// As [`extract`].
#[doc(hidden)]
pub fn page_text(bytes: &[u8], limits: &Limits) -> Result<String, PdfError> {
    let (doc, title_on_page) = extract_with_frame(bytes, limits)?;
    let mut lines: Vec<&str> = Vec::new();
    if title_on_page {
        lines.extend(doc.title.as_deref());
    }
    lines.extend(
        doc.fields
            .iter()
            .filter(|(k, _)| k == "发文字号")
            .map(|(_, v)| v.as_str()),
    );
    lines.extend(doc.blocks.iter().map(|b| b.text.as_str()));
    Ok(lines.join("\n"))
}

/// [`extract`], and whether the title was found on the first page (not only in the Info
/// dictionary).
fn extract_with_frame(bytes: &[u8], limits: &Limits) -> Result<(Document, bool), PdfError> {
    // lopdf holds every object in memory before they can be counted: a file of tiny objects
    // (eleven million fit in 256 MiB) would take gigabytes. Count their `endobj`s first.
    let declared = count(bytes, b"endobj");
    if declared > limits.max_pdf_objects {
        return Err(PdfError::TooManyObjects {
            count: declared,
            limit: limits.max_pdf_objects,
        });
    }
    let options = LoadOptions {
        max_decompressed_size: Some(limits.max_stream_bytes.min(usize::MAX as u64) as usize),
        ..LoadOptions::default()
    };
    let pdf = match PdfDocument::load_mem_with_options(bytes, options) {
        Ok(pdf) => pdf,
        Err(lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword) => {
            return Err(PdfError::Encrypted);
        }
        Err(e) => return Err(PdfError::Malformed(e)),
    };
    if pdf.is_encrypted() {
        return Err(PdfError::Encrypted);
    }
    if pdf.objects.len() > limits.max_pdf_objects {
        return Err(PdfError::TooManyObjects {
            count: pdf.objects.len(),
            limit: limits.max_pdf_objects,
        });
    }
    let mut doc = Document::default();
    if pdf.xref_recovery.is_some() {
        doc.warnings
            .push("damaged cross-reference table rebuilt".to_string());
    }
    // A page tree that lists a page twice (or loops back on itself) would read it again, and
    // its text would then look like a running header repeated on every page and be dropped.
    let mut seen = std::collections::HashSet::new();
    let mut page_ids: Vec<ObjectId> = Vec::new();
    let mut listed_twice = false;
    for id in pdf
        .page_iter()
        .take(limits.max_pdf_pages.saturating_mul(4).saturating_add(1))
    {
        if !seen.insert(id) {
            listed_twice = true;
            continue;
        }
        page_ids.push(id);
        if page_ids.len() > limits.max_pdf_pages {
            break;
        }
    }
    if listed_twice {
        doc.warnings
            .push("the page tree lists a page more than once; it was read once".to_string());
    }
    if page_ids.is_empty() {
        return Err(PdfError::NoPages);
    }
    if page_ids.len() > limits.max_pdf_pages {
        doc.warnings.push(format!(
            "only the first {} pages were read",
            limits.max_pdf_pages
        ));
    }
    let mut fonts = FontCache::default();
    let mut budget = Budget {
        inflate_left: limits.max_inflated_bytes,
        max_stream: limits.max_stream_bytes.min(usize::MAX as u64) as usize,
        truncated: false,
        glyphs_left: limits.max_text_chars.saturating_mul(2),
        glyphs_cut: false,
        forms_cut: false,
    };
    let mut pages = Pages::default();
    let mut unmapped: Vec<String> = Vec::new();
    for &page_id in page_ids.iter().take(limits.max_pdf_pages) {
        pages.push(read_page(
            &pdf,
            page_id,
            &mut fonts,
            &mut budget,
            &mut unmapped,
        ));
    }
    if budget.glyphs_cut {
        doc.warnings.push(format!(
            "text shown past {} glyphs was not read",
            limits.max_text_chars.saturating_mul(2)
        ));
    }
    if budget.forms_cut {
        doc.warnings.push(format!(
            "a page draws more than {} form xobjects; the rest were not read",
            content::MAX_FORMS_PER_PAGE
        ));
    }
    if budget.truncated {
        doc.warnings.push(
            "a content stream could not be inflated within the limits or is damaged; its text is missing"
                .to_string(),
        );
    }
    for name in &unmapped {
        doc.warnings.push(match name.strip_prefix('\0') {
            Some(name) => {
                format!("font {name} has no ToUnicode map; its text was read from its embedded cmap table")
            }
            None => format!("font {name} has no usable unicode map; its text is missing"),
        });
    }
    let info = frame::info(&pdf);
    let title_on_page = pages.lay_out(&mut doc, &info, limits);
    Ok((doc, title_on_page))
}

/// The pages of a document as the layout stage reads them (PDF, and OFD through the same
/// stage): lines, page boxes and rules, page by page.
#[derive(Default)]
pub(crate) struct Pages {
    lines: Vec<Vec<layout::Line>>,
    media: Vec<[f32; 4]>,
    rules: Vec<Vec<[f32; 4]>>,
    vrules: Vec<Vec<[f32; 4]>>,
    glyphs: usize,
}

impl Pages {
    /// Add the next page, its glyphs and rules in the upright frame ([`PageText::finish`] ran).
    pub(crate) fn push(&mut self, page: PageText) {
        self.glyphs += page.glyphs.len();
        self.media.push(page.media);
        self.lines.push(layout::page_lines(&page, self.lines.len()));
        self.vrules
            .push(page.vrules[..page.visible_vrules].to_vec());
        self.rules.push(page.rules);
    }

    /// Lay the pages out into `doc`: running headers and footers dropped, tables, the
    /// official-document frame (title, 发文字号, 成文日期), paragraphs. Returns whether the
    /// title was read from the first page.
    pub(crate) fn lay_out(self, doc: &mut Document, info: &Info, limits: &Limits) -> bool {
        let Pages {
            lines: mut pages,
            media,
            rules,
            vrules,
            glyphs,
        } = self;
        if glyphs == 0 || pages.iter().all(Vec::is_empty) {
            doc.warnings.push("no text layer".to_string());
            doc.title = info.title.clone();
            frame::fill_publisher(doc, info);
            return false;
        }
        layout::remove_headers_footers(&mut pages, &media);
        for (((lines, &m), r), v) in pages.iter_mut().zip(&media).zip(&rules).zip(&vrules) {
            layout::split_columns(lines, m, r);
            layout::join_spanning_cells(lines, r);
            layout::group_ruled_rows(lines, r);
            layout::merge_wrapped_cells(lines, r);
            layout::fill_ruled_cells(lines, v, m);
            layout::merge_row_spans(lines, r);
            layout::remove_side_page_number(lines, m);
        }
        layout::join_cells_across_pages(&mut pages, &rules);
        layout::drop_repeated_table_headers(&mut pages);
        let title_on_page;
        if let Some(chrome) = frame::strip_page_chrome(&mut pages, info.title.as_deref()) {
            title_on_page = chrome.title.is_some();
            doc.title = chrome.title.or(info.title.clone());
            doc.fields.extend(chrome.fields);
            doc.metadata.breadcrumb = chrome.breadcrumb;
        } else {
            let found = frame::first_page(&mut pages, info.title.as_deref());
            title_on_page = found.title.is_some();
            doc.title = found.title.or(info.title.clone());
            if let Some(number) = found.doc_number {
                doc.fields.push(("发文字号".to_string(), number));
            }
        }
        let paragraphs = layout::paragraphs(&pages);
        let mut chars = 0usize;
        for p in paragraphs {
            chars += p.text.chars().count();
            if chars > limits.max_text_chars {
                doc.warnings
                    .push(format!("text cut at {} characters", limits.max_text_chars));
                break;
            }
            doc.blocks.push(Block {
                text: p.text,
                kind: if p.table_row {
                    BlockKind::TableRow
                } else {
                    BlockKind::Paragraph
                },
            });
        }
        if let Some(date) = frame::written_date(&doc.blocks)
            && !doc.fields.iter().any(|(k, _)| k == "成文日期")
        {
            doc.fields.push(("成文日期".to_string(), date));
        }
        frame::fill_publisher(doc, info);
        title_on_page
    }
}

/// Run a page's content streams.
fn read_page(
    pdf: &PdfDocument,
    page_id: ObjectId,
    fonts: &mut FontCache,
    budget: &mut Budget,
    unmapped: &mut Vec<String>,
) -> PageText {
    let mut page = PageText {
        media: [0.0, 0.0, 595.0, 842.0],
        ..PageText::default()
    };
    let Ok(dict) = pdf.get_dictionary(page_id) else {
        return page;
    };
    // What is shown: the crop box (the media box when there is none).
    let page_box = |key: &[u8]| -> Option<[f32; 4]> {
        let a = inherited(pdf, dict, key)?.as_array().ok()?;
        let v: Vec<f32> = a
            .iter()
            .map(|o| font::number(deref(pdf, o)))
            .collect::<Option<_>>()?;
        (v.len() == 4).then(|| {
            [
                v[0].min(v[2]),
                v[1].min(v[3]),
                v[0].max(v[2]),
                v[1].max(v[3]),
            ]
        })
    };
    if let Some(b) = page_box(b"CropBox").or_else(|| page_box(b"MediaBox"))
        && b[2] - b[0] > 1.0
        && b[3] - b[1] > 1.0
    {
        page.media = b;
    }
    let resources = inherited(pdf, dict, b"Resources").and_then(|o| o.as_dict().ok());
    let mut data = Vec::new();
    let contents = dict.get(b"Contents").ok();
    let streams: Vec<&Object> = match contents.map(|o| deref(pdf, o)) {
        Some(Object::Array(items)) => items.iter().collect(),
        Some(o @ Object::Stream(_)) => vec![o],
        _ => Vec::new(),
    };
    for s in streams {
        if let Object::Stream(stream) = deref(pdf, s)
            && let Some(d) = budget.decode(stream)
        {
            // Most pages have one stream: it becomes the data as it is, not a copy of it.
            if data.is_empty() {
                data = d;
            } else {
                data.extend_from_slice(&d);
            }
            data.push(b'\n');
        }
    }
    let mut interp = Interpreter::new(pdf, fonts, budget, &mut page);
    interp.run(&data, resources);
    for name in std::mem::take(&mut interp.unmapped_fonts) {
        if !unmapped.contains(&name) {
            unmapped.push(name);
        }
    }
    for name in std::mem::take(&mut interp.fallback_fonts) {
        let name = format!("\0{name}");
        if !unmapped.contains(&name) {
            unmapped.push(name);
        }
    }
    page.finish();
    page
}

/// Occurrences of `needle` in `hay`. memchr's searcher skips ahead by vector blocks; a byte-wise
/// scan for the first byte stopped at every `e` of the compressed streams.
fn count(hay: &[u8], needle: &[u8]) -> usize {
    memchr::memmem::find_iter(hay, needle).count()
}

/// A page attribute, looked up through the `/Parent` chain.
fn inherited<'a>(pdf: &'a PdfDocument, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..32 {
        if let Ok(v) = node.get(key) {
            return Some(deref(pdf, v));
        }
        node = deref(pdf, node.get(b"Parent").ok()?).as_dict().ok()?;
    }
    None
}

/// The lines of every page with their geometry, for the `pdftext` example's `--lines` view.
#[doc(hidden)]
pub fn debug_lines(bytes: &[u8], limits: &Limits) -> Vec<String> {
    let Ok(pdf) = PdfDocument::load_mem(bytes) else {
        return Vec::new();
    };
    let mut fonts = FontCache::default();
    let mut budget = Budget {
        inflate_left: limits.max_inflated_bytes,
        max_stream: limits.max_stream_bytes as usize,
        truncated: false,
        glyphs_left: limits.max_text_chars.saturating_mul(2),
        glyphs_cut: false,
        forms_cut: false,
    };
    let mut out = Vec::new();
    for (page_no, page_id) in pdf.page_iter().enumerate().take(limits.max_pdf_pages) {
        let page = read_page(&pdf, page_id, &mut fonts, &mut budget, &mut Vec::new());
        out.extend(describe_lines(&page, page_no));
    }
    out
}

/// One page's rules and layout lines with their geometry, one line of text each.
pub(crate) fn describe_lines(page: &PageText, page_no: usize) -> Vec<String> {
    let mut out = Vec::new();
    for r in &page.rules {
        out.push(format!(
            "p{page_no} rule y={:.1} x={:.1}..{:.1}",
            r[1], r[0], r[2]
        ));
    }
    for r in &page.vrules {
        out.push(format!(
            "p{page_no} vrule x={:.1} y={:.1}..{:.1}",
            r[0], r[1], r[3]
        ));
    }
    for l in layout::page_lines(page, page_no) {
        out.push(format!(
            "p{} y={:.1} x={:.1}..{:.1} size={:.1} cells={} {}",
            l.page, l.y, l.x0, l.x1, l.size, l.cells, l.text
        ));
    }
    out
}

//! OFD (GB/T 33190), the fixed-layout format Chinese e-government systems issue beside PDF.
//!
//! An OFD file is a zip: `OFD.xml` names the document root (`Doc_0/Document.xml`), which lists
//! the pages; each page's `Content.xml` places text objects (`TextObject`, its `TextCode`s
//! with their glyph offsets `DeltaX`/`DeltaY`, in millimetres from the page's top left) and
//! path objects. The zip is read through the DOCX package reader (bounded inflation, entry and
//! ratio limits); the glyphs and straight path segments of each page become a [`PageText`] in
//! points with y growing upwards, and the PDF layout stage reads them from there: lines,
//! tables, running headers, the official-document frame, paragraphs.
//! What always holds: text comes only from `TextCode` elements, in the order of the page's
//! glyph positions, not of the XML; template pages (`TemplatePage`), annotations and
//! signatures are not read.

use quick_xml::events::{BytesStart, Event};

use super::docx::DocxError;
use super::docx::package::Package;
use super::docx::xml;
use super::pdf::{Glyph, Info, PageText, Pages};
use crate::config::Limits;
use crate::document::Document;

/// Why an OFD file could not be read. `kind()` gives the stable error kind.
#[derive(Debug, thiserror::Error)]
pub enum OfdError {
    /// The zip container or one of its XML parts, as the DOCX reader reports them: not a zip,
    /// a broken entry or XML, or a limit.
    #[error(transparent)]
    Part(#[from] DocxError),
    #[error("no OFD.xml or no document root in the package")]
    NoDocument,
}

impl OfdError {
    /// The stable kind: `malformed`, `unsupported`, `limit` or `encrypted`.
    pub fn kind(&self) -> &'static str {
        match self {
            OfdError::Part(e) => e.kind(),
            OfdError::NoDocument => "malformed",
        }
    }
}

/// Points per millimetre: OFD measures in millimetres, the layout stage in points.
const PT_PER_MM: f32 = 72.0 / 25.4;

/// The page box when neither the page nor the document gives one: A4.
const A4: [f32; 4] = [0.0, 0.0, 210.0, 297.0];

/// Extract an OFD file.
///
/// # Errors
/// [`OfdError`]: the package reader's error (`malformed`, `limit`, `encrypted`) for the zip,
/// `malformed` when `OFD.xml` or the document root is missing or its XML is broken, `limit`
/// when XML nests past `max_xml_depth`. A missing or broken page only adds a warning.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<Document, OfdError> {
    let Opened {
        mut package,
        root,
        listing,
        base,
    } = open(bytes, limits)?;
    let base = base.as_str();
    let mut doc = Document::default();
    if listing.pages.len() > limits.max_pdf_pages {
        doc.warnings.push(format!(
            "only the first {} pages were read",
            limits.max_pdf_pages
        ));
    }
    let mut pages = Pages::default();
    // Glyphs that may still be placed: bounds memory on a hostile page, as for a PDF.
    let mut glyphs_left = limits.max_text_chars.saturating_mul(2);
    for location in listing.pages.iter().take(limits.max_pdf_pages) {
        let name = resolve(base, location);
        let page = match package.part(&name) {
            Ok(Some(content)) => {
                read_page(&content, &name, listing.page_box, limits, &mut glyphs_left)
            }
            Ok(None) => Err(format!("page {name} is missing from the package")),
            Err(e) if e.kind() == "limit" => return Err(e.into()),
            Err(e) => Err(format!("page {name} could not be read: {e}")),
        };
        match page {
            Ok(page) => pages.push(page),
            Err(warning) => {
                doc.warnings.push(warning);
                pages.push(PageText::default());
            }
        }
    }
    if glyphs_left == 0 {
        doc.warnings.push(format!(
            "text past {} glyphs was not read",
            limits.max_text_chars.saturating_mul(2)
        ));
    }
    let info = Info {
        title: root.title,
        author: root.author,
    };
    pages.lay_out(&mut doc, &info, limits);
    Ok(doc)
}

/// The layout lines of every page with their geometry, as `pdf::debug_lines` prints a PDF's
/// (the `pdftext` example's `--lines`); empty when the package cannot be read.
pub fn debug_lines(bytes: &[u8], limits: &Limits) -> Vec<String> {
    let read = || -> Result<Vec<String>, OfdError> {
        let Opened {
            mut package,
            listing,
            base,
            ..
        } = open(bytes, limits)?;
        let base = base.as_str();
        let mut glyphs_left = limits.max_text_chars.saturating_mul(2);
        let mut out = Vec::new();
        for (page_no, location) in listing.pages.iter().enumerate() {
            let name = resolve(base, location);
            let Some(content) = package.part(&name)? else {
                continue;
            };
            let Ok(page) = read_page(&content, &name, listing.page_box, limits, &mut glyphs_left)
            else {
                continue;
            };
            out.extend(super::pdf::describe_lines(&page, page_no));
        }
        Ok(out)
    };
    read().unwrap_or_default()
}

/// An OFD package with its entry and its document's list of pages read.
struct Opened<'a> {
    package: Package<'a>,
    root: Entry,
    listing: Listing,
    /// The folder of the document root, against which its pages' locations resolve.
    base: String,
}

fn open<'a>(bytes: &'a [u8], limits: &'a Limits) -> Result<Opened<'a>, OfdError> {
    let mut package = Package::open(bytes, limits)?;
    let entry = package.part("OFD.xml")?.ok_or(OfdError::NoDocument)?;
    let root = read_entry(&entry, limits)?;
    let doc_root = root.doc_root.clone().ok_or(OfdError::NoDocument)?;
    let doc_root = doc_root.trim_start_matches('/').to_string();
    let document = package.part(&doc_root)?.ok_or(OfdError::NoDocument)?;
    let listing = read_document(&document, &doc_root, limits)?;
    let base = doc_root
        .rsplit_once('/')
        .map_or("", |(dir, _)| dir)
        .to_string();
    Ok(Opened {
        package,
        root,
        listing,
        base,
    })
}

/// What `OFD.xml` says of the (first) document.
#[derive(Default)]
struct Entry {
    doc_root: Option<String>,
    title: Option<String>,
    author: Option<String>,
}

fn read_entry(bytes: &[u8], limits: &Limits) -> Result<Entry, OfdError> {
    let mut entry = Entry::default();
    walk(bytes, "OFD.xml", limits, |found| {
        let Found::End(element, text) = found else {
            return;
        };
        let value = || Some(text.trim().to_string()).filter(|t| !t.is_empty());
        match element {
            "DocRoot" if entry.doc_root.is_none() => entry.doc_root = value(),
            "Title" if entry.title.is_none() => entry.title = value(),
            "Author" if entry.author.is_none() => entry.author = value(),
            _ => {}
        }
    })?;
    Ok(entry)
}

/// What the document root lists: the pages' content parts, in order, and the page box.
struct Listing {
    pages: Vec<String>,
    page_box: [f32; 4],
}

fn read_document(bytes: &[u8], part: &str, limits: &Limits) -> Result<Listing, OfdError> {
    let mut pages = Vec::new();
    let mut page_box = None;
    walk(bytes, part, limits, |found| match found {
        Found::Start(e) => {
            if local(e) == "Page"
                && let Some(location) = xml::attr_str(e, "BaseLoc")
            {
                pages.push(location);
            }
        }
        Found::End("PhysicalBox", text) if page_box.is_none() => {
            page_box = numbers(text).and_then(self::page_box);
        }
        Found::End(..) => {}
    })?;
    Ok(Listing {
        pages,
        page_box: page_box.unwrap_or(A4),
    })
}

/// The local name of an element (without its `ofd:` prefix).
fn local(e: &BytesStart<'_>) -> String {
    e.local_name().into_inner().to_string()
}

/// What [`walk`] reports: an element's start tag, or its end with the text directly in it.
enum Found<'a, 'b> {
    Start(&'a BytesStart<'b>),
    End(&'a str, &'a str),
}

/// Read a part's XML, reporting every element's start and end to `found`.
fn walk(
    bytes: &[u8],
    part: &str,
    limits: &Limits,
    mut found: impl FnMut(Found<'_, '_>),
) -> Result<(), OfdError> {
    let mut reader = xml::reader(bytes);
    let mut open: Vec<(String, String)> = Vec::new();
    loop {
        let event = reader.read_event().map_err(|source| DocxError::Xml {
            part: part.to_string(),
            source,
        })?;
        match event {
            Event::Start(e) => {
                if open.len() >= limits.max_xml_depth {
                    return Err(DocxError::XmlTooDeep {
                        part: part.to_string(),
                        limit: limits.max_xml_depth,
                    }
                    .into());
                }
                found(Found::Start(&e));
                open.push((local(&e), String::new()));
            }
            Event::Empty(e) => {
                found(Found::Start(&e));
                found(Found::End(&local(&e), ""));
            }
            Event::Text(t) => {
                if let Some((_, text)) = open.last_mut() {
                    text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, text)) = open.last_mut() {
                    xml::push_ref(text, &r);
                }
            }
            Event::End(_) => {
                if let Some((name, text)) = open.pop() {
                    found(Found::End(&name, &text));
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// A part name: absolute (`/Doc_0/…`) from the package root, else relative to `base`.
fn resolve(base: &str, location: &str) -> String {
    match location.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None if base.is_empty() => location.to_string(),
        None => format!("{base}/{location}"),
    }
}

/// The numbers of an attribute such as `Boundary="39.14 37.0 133.71 16.17"`.
fn numbers(text: &str) -> Option<Vec<f32>> {
    text.split_whitespace()
        .map(|t| t.parse::<f32>().ok().filter(|v| v.is_finite()))
        .collect()
}

/// A box `[x, y, width, height]` with a positive size.
fn page_box(v: Vec<f32>) -> Option<[f32; 4]> {
    (v.len() == 4 && v[2] > 0.0 && v[3] > 0.0).then(|| [v[0], v[1], v[2], v[3]])
}

/// A glyph offset list (`DeltaX`, `DeltaY`): numbers, with `g N D` standing for `N` times `D`.
fn deltas(text: &str) -> Vec<f32> {
    let mut out = Vec::new();
    let mut tokens = text.split_whitespace();
    while let Some(t) = tokens.next() {
        if out.len() >= MAX_DELTAS {
            break;
        }
        if t == "g" {
            let count = tokens.next().and_then(|n| n.parse::<usize>().ok());
            let value = tokens.next().and_then(|v| v.parse::<f32>().ok());
            if let (Some(count), Some(value)) = (count, value) {
                out.extend(std::iter::repeat_n(
                    value,
                    count.min(MAX_DELTAS - out.len()),
                ));
            }
        } else if let Ok(v) = t.parse::<f32>() {
            out.push(v);
        }
    }
    out
}

/// Most offsets read for one text code (a damaged `g` count must not allocate gigabytes).
const MAX_DELTAS: usize = 100_000;

/// The text object being read: where its text codes are placed and at what size.
#[derive(Clone, Copy)]
struct TextObject {
    origin: (f32, f32),
    /// `CTM` of the object (`a b c d e f`), applied to the text codes' positions.
    ctm: [f32; 6],
    size: f32,
}

/// The text code being read.
struct TextCode {
    x: f32,
    y: f32,
    dx: Vec<f32>,
    dy: Vec<f32>,
    text: String,
}

/// Read one page's content into glyphs and rules, in points, y upwards.
fn read_page(
    bytes: &[u8],
    part: &str,
    document_box: [f32; 4],
    limits: &Limits,
    glyphs_left: &mut usize,
) -> Result<PageText, String> {
    let mut reader = xml::reader(bytes);
    let mut page = PageText::default();
    // The page's own box, when it gives one, else the document's.
    let mut own_box: Option<[f32; 4]> = None;
    let mut segments: Vec<[f32; 4]> = Vec::new();
    let mut object: Option<TextObject> = None;
    let mut code: Option<TextCode> = None;
    let mut path: Option<((f32, f32), bool)> = None;
    let mut in_box = false;
    let mut in_path_data = false;
    let mut depth = 0usize;
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => return Err(format!("page {part} has malformed xml: {e}")),
        };
        let opening = matches!(event, Event::Start(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                depth += usize::from(opening);
                if depth > limits.max_xml_depth {
                    return Err(format!(
                        "page {part} nests deeper than {}",
                        limits.max_xml_depth
                    ));
                }
                match local(&e).as_str() {
                    "PhysicalBox" => in_box = object.is_none() && path.is_none(),
                    "TextObject" => {
                        let boundary = xml::attr_str(&e, "Boundary")
                            .and_then(|b| numbers(&b))
                            .filter(|b| b.len() == 4)
                            .unwrap_or_else(|| vec![0.0; 4]);
                        let ctm = xml::attr_str(&e, "CTM")
                            .and_then(|c| numbers(&c))
                            .filter(|c| c.len() == 6)
                            .map_or([1.0, 0.0, 0.0, 1.0, 0.0, 0.0], |c| {
                                [c[0], c[1], c[2], c[3], c[4], c[5]]
                            });
                        let size = xml::attr_str(&e, "Size")
                            .and_then(|s| s.trim().parse::<f32>().ok())
                            .filter(|s| s.is_finite() && *s > 0.0)
                            .unwrap_or(3.5);
                        object = Some(TextObject {
                            origin: (boundary[0], boundary[1]),
                            ctm,
                            size,
                        });
                    }
                    "TextCode" => {
                        let num = |name: &str| {
                            xml::attr_str(&e, name).and_then(|v| v.trim().parse::<f32>().ok())
                        };
                        let (x, y) = (num("X").unwrap_or(0.0), num("Y").unwrap_or(0.0));
                        code = Some(TextCode {
                            x,
                            y,
                            dx: xml::attr_str(&e, "DeltaX").map_or_else(Vec::new, |d| deltas(&d)),
                            dy: xml::attr_str(&e, "DeltaY").map_or_else(Vec::new, |d| deltas(&d)),
                            text: String::new(),
                        });
                    }
                    "PathObject" => {
                        let origin = xml::attr_str(&e, "Boundary")
                            .and_then(|b| numbers(&b))
                            .filter(|b| b.len() == 4)
                            .map_or((0.0, 0.0), |b| (b[0], b[1]));
                        let stroked = xml::attr_str(&e, "Stroke").is_none_or(|s| s != "false");
                        path = Some((origin, stroked));
                    }
                    "AbbreviatedData" => in_path_data = path.is_some(),
                    _ => {}
                }
            }
            Event::Text(t) => {
                let text = t.xml10_content();
                if let Some(code) = code.as_mut() {
                    code.text.push_str(&text);
                } else if in_box {
                    if let Some(b) = numbers(&text).and_then(page_box) {
                        own_box.get_or_insert(b);
                    }
                } else if in_path_data && let Some((origin, true)) = path {
                    path_segments(&text, origin, &mut segments);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(code) = code.as_mut() {
                    xml::push_ref(&mut code.text, &r);
                }
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                match e.local_name().into_inner() {
                    "TextCode" => {
                        if let (Some(c), Some(o)) = (code.take(), object) {
                            place(&c, o, &mut page, glyphs_left);
                        }
                    }
                    "TextObject" => object = None,
                    "PathObject" => path = None,
                    "AbbreviatedData" => in_path_data = false,
                    "PhysicalBox" => in_box = false,
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let page_mm = own_box.unwrap_or(document_box);
    // Millimetres from the top left to points from the bottom left.
    let height = page_mm[3];
    for g in &mut page.glyphs {
        g.x *= PT_PER_MM;
        g.y = (height - g.y) * PT_PER_MM;
        g.w *= PT_PER_MM;
        g.size *= PT_PER_MM;
    }
    page.rules = segments
        .into_iter()
        .map(|[x0, y0, x1, y1]| {
            [
                x0 * PT_PER_MM,
                (height - y0) * PT_PER_MM,
                x1 * PT_PER_MM,
                (height - y1) * PT_PER_MM,
            ]
        })
        .collect();
    page.media = [0.0, 0.0, page_mm[2] * PT_PER_MM, page_mm[3] * PT_PER_MM];
    page.dirs = [page.glyphs.len(), 0, 0, 0];
    page.finish();
    Ok(page)
}

/// Add the glyphs of one text code to `page`, in millimetres from the page's top left.
fn place(code: &TextCode, object: TextObject, page: &mut PageText, glyphs_left: &mut usize) {
    let [a, b, c, d, e, f] = object.ctm;
    let scale = (a * d - b * c).abs().sqrt();
    let size = object.size * if scale > 0.0 { scale } else { 1.0 };
    let (mut x, mut y) = (code.x, code.y);
    for (i, ch) in code.text.chars().enumerate() {
        if *glyphs_left == 0 {
            return;
        }
        *glyphs_left -= 1;
        // The advance to the next glyph, or the glyph's own width for the last one.
        let advance = code.dx.get(i).copied();
        let width = advance.unwrap_or(if ch.is_ascii() { size / 2.0 } else { size });
        let start = page.text.len() as u32;
        page.text.push(ch);
        let (px, py) = (a * x + c * y + e, b * x + d * y + f);
        page.glyphs.push(Glyph {
            x: object.origin.0 + px,
            y: object.origin.1 + py,
            w: width.abs().min(4.0 * size) * if scale > 0.0 { scale } else { 1.0 },
            size,
            start,
            end: page.text.len() as u32,
        });
        x += code.dx.get(i).copied().unwrap_or(width);
        y += code.dy.get(i).copied().unwrap_or(0.0);
    }
}

/// The straight segments of a path's `AbbreviatedData` (`M`/`S` move, `L` line, `C` close),
/// offset by the path's origin; curves and arcs move the pen without a segment.
fn path_segments(data: &str, origin: (f32, f32), out: &mut Vec<[f32; 4]>) {
    let tokens: Vec<&str> = data.split_whitespace().collect();
    let num = |k: usize| tokens.get(k).and_then(|t| t.parse::<f32>().ok());
    let (mut pen, mut start) = ((0.0f32, 0.0f32), (0.0f32, 0.0f32));
    let mut k = 0;
    while k < tokens.len() && out.len() < MAX_SEGMENTS {
        let args = match tokens[k] {
            "M" | "S" | "L" => 2,
            "Q" => 4,
            "B" => 6,
            "A" => 7,
            "C" => 0,
            _ => {
                k += 1;
                continue;
            }
        };
        let end = if args >= 2 {
            match (num(k + args - 1), num(k + args)) {
                (Some(x), Some(y)) => (x, y),
                _ => break,
            }
        } else {
            start
        };
        match tokens[k] {
            "M" | "S" => start = end,
            "L" | "C" => out.push([
                origin.0 + pen.0,
                origin.1 + pen.1,
                origin.0 + end.0,
                origin.1 + end.1,
            ]),
            _ => {}
        }
        pen = end;
        k += args + 1;
    }
}

/// Most path segments kept per page.
const MAX_SEGMENTS: usize = 20_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_offsets_expand_their_repetitions() {
        assert_eq!(deltas("3.17 g 3 5 2.5"), vec![3.17, 5.0, 5.0, 5.0, 2.5]);
        assert_eq!(deltas("g x 5 1"), vec![1.0]);
        assert_eq!(deltas("g 4000000000 1 g 4000000000 2").len(), MAX_DELTAS);
    }

    #[test]
    fn part_names_resolve_against_the_document_root() {
        assert_eq!(
            resolve("Doc_0", "Pages/Page_0/Content.xml"),
            "Doc_0/Pages/Page_0/Content.xml"
        );
        assert_eq!(
            resolve("Doc_0", "/Doc_0/Pages/Page_1/Content.xml"),
            "Doc_0/Pages/Page_1/Content.xml"
        );
    }

    #[test]
    fn path_data_gives_its_straight_segments() {
        let mut out = Vec::new();
        path_segments("S 0 0 L 156 0 C", (28.0, 83.5), &mut out);
        assert_eq!(
            out,
            vec![[28.0, 83.5, 184.0, 83.5], [184.0, 83.5, 28.0, 83.5]]
        );
    }
}

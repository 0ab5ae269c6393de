//! Spreadsheets → [`Document`]: Excel 2007+ workbooks (`.xlsx`, `.xlsm`, WPS `.et` saved as
//! OOXML) and Excel 97–2003 workbooks (`.xls`, WPS `.et`), the form in which many departments
//! publish their budgets, final accounts and registers.
//!
//! In: the bytes of the workbook, parsed with the `calamine` crate. Out: every visible
//! worksheet in tab order, each opened by its name as a heading line when the workbook shows
//! more than one (a default name such as `Sheet1`, or one the sheet's first line already
//! says, is left out), then its rows in order:
//!
//! * a row with one filled cell is text: each line of the cell a paragraph (the caption of a
//!   table, the paragraphs of an explanatory sheet), which the repair engine treats as any
//!   other paragraph;
//! * a row with more is a table row: cells from the sheet's first used column to the row's
//!   last filled one joined by `\t`, empty cells kept so columns line up, the lines of a cell
//!   run together (`编\n号` is `编号`, Latin words keep a space);
//! * empty rows show nothing; merged cells show their value once, in their first cell.
//!
//! Hidden sheets are left out, as the workbook shows itself, and named in a warning.
//!
//! Values read as Excel shows them where they carry no format to follow: whole numbers without
//! a decimal point, others to 15 significant digits (no `0.30000000000000004`), dates as
//! `2026-01-05` (with the time when there is one), durations as `hh:mm:ss`, booleans as
//! `TRUE`/`FALSE`, errors as `#DIV/0!`. A formula shows its cached result.
//!
//! A sheet's first line, when it is a caption (one cell, short, not a sentence), heads the
//! sheet: the first sheet's is the title and leaves the body, the others' are heading lines.
//! Without a caption on the first sheet, the title is the workbook's title property when it
//! names the document. Document properties go to `metadata.extra` under the names the Word readers use
//! (`title`, `creator`, `Company`…); the creator or company is the publisher when it names an
//! organisation.
//!
//! What always holds: an OOXML workbook is first inflated entry by entry through the bounded
//! reader of the DOCX package (per-entry, per-file and ratio limits), and its cells are
//! streamed, never laid out as a dense grid; an Excel 97–2003 workbook's record stream is
//! walked first as the parser walks it ([`spanned_cells`]), one whose sheets span more than
//! `max_sheet_cells` cells (which the parser would allocate densely) fails as `limit`, and the
//! parser reads a fresh container holding just the streams checked ([`Biff::container`]).
//! A panic inside the parser is contained as `malformed`. Text past `max_text_chars` is cut
//! with a warning.

use std::io::{Cursor, Read, Write};

use calamine::{CellErrorType, Data, DataRef, ExcelDateTime, Reader, SheetType, SheetVisible};

use super::docx::{DocxError, is_organisation, join_into, meaningful_title, package::Package};
use crate::config::Limits;
use crate::document::{Block, BlockKind, Document};

/// Why a workbook could not be read. `kind()` gives the stable error kind.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("the workbook is password-encrypted")]
    Encrypted,
    #[error(transparent)]
    Package(#[from] DocxError),
    #[error("unreadable xlsx workbook")]
    Xlsx(#[source] calamine::XlsxError),
    #[error("unreadable xls workbook")]
    Xls(#[source] calamine::XlsError),
    #[error("not a readable ole compound file")]
    Container(#[source] std::io::Error),
    #[error("no Workbook stream in the compound file")]
    NoWorkbook,
    #[error("damaged workbook records: the spreadsheet parser gave up")]
    Damaged,
    #[error("the sheets span {cells} cells, more than the limit of {limit}")]
    TooManyCells { cells: u64, limit: u64 },
}

impl SheetError {
    /// The stable kind: `encrypted`, `limit`, `malformed`, or the package's.
    pub fn kind(&self) -> &'static str {
        match self {
            SheetError::Encrypted => "encrypted",
            SheetError::Package(e) => e.kind(),
            SheetError::TooManyCells { .. } => "limit",
            SheetError::Xlsx(calamine::XlsxError::Password)
            | SheetError::Xls(calamine::XlsError::Password) => "encrypted",
            SheetError::Xlsx(_)
            | SheetError::Xls(_)
            | SheetError::Container(_)
            | SheetError::NoWorkbook
            | SheetError::Damaged => "malformed",
        }
    }
}

/// One worksheet as read: its name and its filled cells `(row, column, text)`.
struct Sheet {
    name: String,
    cells: Vec<(u32, u32, String)>,
}

/// What was read of a workbook: its sheets, its properties, and whether reading stopped at
/// `max_text_chars`.
struct Workbook {
    sheets: Vec<Sheet>,
    /// The names of the hidden worksheets, left out.
    hidden: Vec<String>,
    properties: Vec<(String, String)>,
    cut: bool,
}

/// Collects the filled cells of the sheets as they are read, counting their characters.
struct Cells<'l> {
    limits: &'l Limits,
    chars: usize,
    cut: bool,
}

impl Cells<'_> {
    /// Keep a cell's text unless it is empty; `false` once the text of the cells kept passes
    /// `max_text_chars` (that cell is not kept).
    fn keep(
        &mut self,
        into: &mut Vec<(u32, u32, String)>,
        row: u32,
        col: u32,
        text: String,
    ) -> bool {
        if text.is_empty() {
            return true;
        }
        self.chars += text.chars().count();
        if self.chars > self.limits.max_text_chars {
            self.cut = true;
            return false;
        }
        into.push((row, col, text));
        true
    }
}

/// Extract an Excel 2007+ (OOXML) workbook.
///
/// # Errors
/// A limit error when an entry inflates past its bound, `encrypted` for a protected workbook,
/// `malformed` when it is not a readable workbook.
pub fn extract_xlsx(bytes: &[u8], limits: &Limits) -> Result<Document, SheetError> {
    let mut package = Package::open(bytes, limits)?;
    // Every entry, images included: the parser reads whatever part a relationship names.
    package.verify()?;
    drop(package);
    let read = contained(|| {
        let mut book = calamine::Xlsx::new(Cursor::new(bytes)).map_err(SheetError::Xlsx)?;
        let properties = book
            .workbook_properties()
            .map(properties)
            .unwrap_or_default();
        let metadata = book.sheets_metadata().to_vec();
        workbook(&metadata, properties, limits, |name, kept, cells| {
            let mut reader = book
                .worksheet_cells_reader(name)
                .map_err(SheetError::Xlsx)?;
            while let Some(cell) = reader.next_cell().map_err(SheetError::Xlsx)? {
                let (row, col) = cell.get_position();
                if !kept.keep(cells, row, col, ref_text(cell.get_value())) {
                    break;
                }
            }
            Ok(())
        })
    })?;
    Ok(build(read, limits))
}

/// Extract an Excel 97–2003 (BIFF) workbook.
///
/// # Errors
/// `limit` when its sheets span more than `max_sheet_cells` cells, `encrypted` for a protected
/// workbook, `malformed` when it is not a readable workbook.
pub fn extract_xls(bytes: &[u8], limits: &Limits) -> Result<Document, SheetError> {
    let biff = Biff::read(bytes)?;
    let cells = spanned_cells(&biff.stream);
    if cells > limits.max_sheet_cells {
        return Err(SheetError::TooManyCells {
            cells,
            limit: limits.max_sheet_cells,
        });
    }
    let container = biff.container()?;
    drop(biff);
    let read = contained(|| {
        let mut book =
            calamine::Xls::new(Cursor::new(container.as_slice())).map_err(SheetError::Xls)?;
        let properties = book
            .workbook_properties()
            .map(properties)
            .unwrap_or_default();
        let metadata = book.sheets_metadata().to_vec();
        workbook(&metadata, properties, limits, |name, kept, cells| {
            let range = book.worksheet_range(name).map_err(SheetError::Xls)?;
            let (top, left) = range.start().unwrap_or((0, 0));
            for (row, col, value) in range.used_cells() {
                let (row, col) = (top + row as u32, left + col as u32);
                if !kept.keep(cells, row, col, data_text(value)) {
                    break;
                }
            }
            Ok(())
        })
    })?;
    Ok(build(read, limits))
}

/// The sheets a reader of the workbook sees, in tab order, each read by `read_sheet`, which
/// offers its cells to [`Cells::keep`] until one is declined; none after the sheet the text
/// limit cut.
fn workbook(
    metadata: &[calamine::Sheet],
    properties: Vec<(String, String)>,
    limits: &Limits,
    mut read_sheet: impl FnMut(&str, &mut Cells, &mut Vec<(u32, u32, String)>) -> Result<(), SheetError>,
) -> Result<Workbook, SheetError> {
    let mut kept = Cells {
        limits,
        chars: 0,
        cut: false,
    };
    let (shown, hidden) = worksheets(metadata);
    let mut sheets = Vec::new();
    for name in shown {
        let mut cells = Vec::new();
        read_sheet(&name, &mut kept, &mut cells)?;
        sheets.push(Sheet { name, cells });
        if kept.cut {
            break;
        }
    }
    Ok(Workbook {
        sheets,
        hidden,
        properties,
        cut: kept.cut,
    })
}

/// Run the spreadsheet parser on a file. Its record and formula readers index the bytes a
/// record claims without checking them against the record (fuzzing finds such panics within
/// seconds): a panic there is damage to the file, reported as `malformed`, not a crash.
fn contained(read: impl FnOnce() -> Result<Workbook, SheetError>) -> Result<Workbook, SheetError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or(Err(SheetError::Damaged))
}

/// The names of the worksheets a reader of the workbook sees, in tab order, and of the hidden
/// ones (chart, dialog and macro sheets are neither).
fn worksheets(sheets: &[calamine::Sheet]) -> (Vec<String>, Vec<String>) {
    let (shown, hidden): (Vec<_>, Vec<_>) = sheets
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .partition(|s| s.visible == SheetVisible::Visible);
    let names =
        |sheets: Vec<&calamine::Sheet>| sheets.into_iter().map(|s| s.name.clone()).collect();
    (names(shown), names(hidden))
}

/// The document properties under the names the Word readers give them.
fn properties(p: calamine::WorkbookProperties) -> Vec<(String, String)> {
    let named = [
        ("title", p.title),
        ("subject", p.subject),
        ("creator", p.creator),
        ("keywords", p.keywords),
        ("description", p.description),
        ("lastModifiedBy", p.last_modified_by),
        ("created", p.created),
        ("modified", p.modified),
        ("category", p.category),
        ("Company", p.company),
        ("Manager", p.manager),
    ];
    let mut out: Vec<(String, String)> = named
        .into_iter()
        .filter_map(|(k, v)| {
            let v = v?.trim().to_string();
            (!v.is_empty()).then(|| (k.to_string(), v))
        })
        .collect();
    let mut custom: Vec<_> = p.custom_properties.into_iter().collect();
    custom.sort();
    out.extend(custom.into_iter().filter(|(_, v)| !v.trim().is_empty()));
    out
}

/// The record of what was read. The lines rendered are held to `max_text_chars`, the tabs of
/// wide rows counted.
fn build(read: Workbook, limits: &Limits) -> Document {
    let Workbook {
        sheets,
        hidden,
        properties,
        mut cut,
    } = read;
    let mut doc = Document::default();
    let shown: Vec<Sheet> = sheets.into_iter().filter(|s| !s.cells.is_empty()).collect();
    let named = shown.len() > 1;
    let mut chars = 0usize;
    for (i, sheet) in shown.into_iter().enumerate() {
        if chars > limits.max_text_chars {
            cut = true;
            break;
        }
        let rows = rows(sheet.cells);
        let mut blocks = Vec::new();
        for row in &rows {
            let from = blocks.len();
            render_row(row, &mut blocks);
            chars += blocks[from..]
                .iter()
                .map(|b: &Block| b.text.chars().count())
                .sum::<usize>();
            if chars > limits.max_text_chars {
                blocks.truncate(from);
                break;
            }
        }
        // A sheet's first line, when a caption, heads it: the first sheet's is the workbook's
        // title, the others' are headings (no sentence that lost its `。`).
        if let Some(b) = blocks.first_mut()
            && b.kind == BlockKind::Paragraph
            && is_caption(&b.text)
        {
            if i == 0 {
                doc.title = Some(blocks.remove(0).text);
            } else {
                b.kind = BlockKind::Heading { level: None };
            }
        }
        let says_name = blocks
            .first()
            .map(|b| b.text.as_str())
            .into_iter()
            .chain(if i == 0 { doc.title.as_deref() } else { None })
            .any(|line| squash(line).contains(&squash(&sheet.name)));
        if named && !default_name(&sheet.name) && !says_name {
            doc.blocks.push(Block {
                text: sheet.name.trim().to_string(),
                kind: BlockKind::Heading { level: None },
            });
        }
        doc.blocks.extend(blocks);
    }
    if !hidden.is_empty() {
        doc.warnings.push(format!(
            "{} hidden sheet{} left out: {}",
            hidden.len(),
            if hidden.len() == 1 { "" } else { "s" },
            hidden.join(", ")
        ));
    }
    if cut || chars > limits.max_text_chars {
        doc.warnings.push(format!(
            "spreadsheet text cut at {} characters",
            limits.max_text_chars
        ));
    }
    let property = |name: &str| {
        properties
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    if doc.title.is_none() {
        doc.title = property("title")
            .filter(|t| meaningful_title(t) && !t.to_lowercase().contains(".xls"))
            .map(str::to_string);
    }
    if let Some(p) = property("creator")
        .or(property("Company"))
        .filter(|p| is_organisation(p))
    {
        doc.fields.push(("发布机构".to_string(), p.to_string()));
        doc.metadata.publisher = Some(p.to_string());
    }
    for (k, v) in &properties {
        doc.metadata
            .extra
            .entry(k.clone())
            .or_insert_with(|| v.clone());
    }
    doc
}

/// The filled cells grouped by row, in order, each row's cells in column order, numbered from
/// the first column the sheet's table rows use (a caption standing alone further left does
/// not shift the table).
fn rows(mut cells: Vec<(u32, u32, String)>) -> Vec<Vec<(u32, String)>> {
    cells.sort_unstable_by_key(|&(r, c, _)| (r, c));
    let mut out: Vec<Vec<(u32, String)>> = Vec::new();
    let mut current = None;
    for (r, c, text) in cells {
        if current != Some(r) {
            out.push(Vec::new());
            current = Some(r);
        }
        if let Some(row) = out.last_mut() {
            row.push((c, text));
        }
    }
    let table_rows = out.iter().filter(|row| row.len() > 1);
    if let Some(left) = table_rows
        .filter_map(|row| row.first())
        .map(|&(c, _)| c)
        .min()
    {
        for row in out.iter_mut().filter(|row| row.len() > 1) {
            for (c, _) in row.iter_mut() {
                *c -= left;
            }
        }
    }
    out
}

/// One row's blocks: the lines of a lone cell as paragraphs, else one table row.
fn render_row(row: &[(u32, String)], out: &mut Vec<Block>) {
    if let [(_, text)] = row {
        out.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(Block::paragraph),
        );
        return;
    }
    let width = row.last().map_or(0, |&(c, _)| c as usize + 1);
    let mut cells = vec![String::new(); width];
    for (c, text) in row {
        let cell = &mut cells[*c as usize];
        for line in text.lines() {
            join_into(cell, line);
        }
    }
    out.push(Block::table_row(&cells));
}

/// Whether a first line reads as the workbook's caption: short, one line, not a sentence or a
/// label.
fn is_caption(text: &str) -> bool {
    let n = text.chars().count();
    (2..=60).contains(&n)
        && !text.ends_with(['。', '：', ':', '；', ';', '，', ','])
        && !text.contains('\t')
}

/// A name the spreadsheet program gave the sheet: `Sheet1`, `工作表1`, `Sheet 2`.
fn default_name(name: &str) -> bool {
    let name = name.trim();
    ["sheet", "工作表"].iter().any(|p| {
        name.len() > p.len()
            && name.is_char_boundary(p.len())
            && name[..p.len()].eq_ignore_ascii_case(p)
            && name[p.len()..].trim().bytes().all(|b| b.is_ascii_digit())
    })
}

/// `s` without white space, for comparing a sheet name with a line.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text a cell shows, read off the streamed OOXML reader.
fn ref_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => clean(s),
        DataRef::SharedString(s) => clean(s),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number(*f),
        DataRef::Bool(b) => boolean(*b),
        DataRef::DateTime(d) => date_time(d),
        DataRef::Error(e) => error(e),
        DataRef::Empty => String::new(),
    }
}

/// The text a cell shows, read off a parsed range.
fn data_text(value: &Data) -> String {
    match value {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => clean(s),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => boolean(*b),
        Data::DateTime(d) => date_time(d),
        Data::Error(e) => error(e),
        Data::Empty => String::new(),
    }
}

/// Cell text with its line ends unified and its ends trimmed.
fn clean(s: &str) -> String {
    let s = s.trim();
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s.to_string()
    }
}

fn boolean(b: bool) -> String {
    if b { "TRUE" } else { "FALSE" }.to_string()
}

fn error(e: &CellErrorType) -> String {
    e.to_string()
}

/// A number as a spreadsheet shows it in a general format: whole numbers without a point,
/// others to 15 significant digits with trailing zeros dropped.
fn number(f: f64) -> String {
    if !f.is_finite() {
        return String::new();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    let magnitude = f.abs().log10().floor() as i32;
    let decimals = (14 - magnitude).clamp(0, 30) as usize;
    let s = format!("{f:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".to_string() } else { s }
}

/// A date as `2026-01-05`, with `hh:mm` or `hh:mm:ss` when it has a time; a time of day alone
/// (a serial under one) as the time; a duration as `hh:mm:ss`.
fn date_time(d: &ExcelDateTime) -> String {
    let v = d.as_f64();
    if d.is_duration() {
        let secs = (v * 86_400.0).round() as i64;
        return format!(
            "{:02}:{:02}:{:02}",
            secs / 3600,
            (secs % 3600) / 60,
            secs % 60
        );
    }
    let (y, m, day, h, min, s, _) = d.to_ymd_hms_milli();
    let time = match (h, min, s) {
        (0, 0, 0) => None,
        (h, min, 0) => Some(format!("{h:02}:{min:02}")),
        (h, min, s) => Some(format!("{h:02}:{min:02}:{s:02}")),
    };
    if (0.0..1.0).contains(&v) {
        return time.unwrap_or_else(|| "00:00".to_string());
    }
    let date = format!("{y:04}-{m:02}-{day:02}");
    match time {
        Some(t) => format!("{date} {t}"),
        None => date,
    }
}

const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// The property-set streams copied into the rebuilt container, for the workbook's properties.
const PROPERTY_STREAMS: [&str; 2] = [
    "/\u{5}SummaryInformation",
    "/\u{5}DocumentSummaryInformation",
];

/// An Excel 97–2003 workbook as read from its container: the BIFF record stream (`Workbook`, or
/// `Book` in Excel 5/95 files) and the property-set streams.
struct Biff {
    stream: Vec<u8>,
    properties: Vec<(&'static str, Vec<u8>)>,
}

impl Biff {
    /// Read the streams of the compound file `bytes`.
    fn read(bytes: &[u8]) -> Result<Biff, SheetError> {
        if !bytes.starts_with(OLE_MAGIC) {
            return Err(SheetError::Container(std::io::Error::other(
                "no compound file signature",
            )));
        }
        let mut file =
            cfb::CompoundFile::open(Cursor::new(bytes)).map_err(SheetError::Container)?;
        if file.exists("/EncryptedPackage") {
            return Err(SheetError::Encrypted);
        }
        let name = ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"]
            .into_iter()
            .find(|n| file.is_stream(n))
            .ok_or(SheetError::NoWorkbook)?;
        let mut read = |name: &str| -> Result<Vec<u8>, SheetError> {
            let mut stream = file.open_stream(name).map_err(SheetError::Container)?;
            // A stream's declared length is bounded by the file it is read from.
            let mut out = Vec::with_capacity((stream.len() as usize).min(bytes.len()));
            (&mut stream)
                .take(bytes.len() as u64)
                .read_to_end(&mut out)
                .map_err(SheetError::Container)?;
            Ok(out)
        };
        let stream = read(name)?;
        let properties = PROPERTY_STREAMS
            .into_iter()
            .filter_map(|n| Some((n, read(n).ok()?)))
            .collect();
        Ok(Biff { stream, properties })
    }

    /// A new compound file holding these streams and nothing else. The parser has a compound
    /// file reader of its own, which may read a damaged container differently from the one
    /// the record stream was checked in: it gets this container, whose streams are the bytes
    /// checked.
    fn container(&self) -> Result<Vec<u8>, SheetError> {
        let write = || -> std::io::Result<Vec<u8>> {
            let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new()))?;
            file.create_stream("/Workbook")?.write_all(&self.stream)?;
            for (name, bytes) in &self.properties {
                file.create_stream(name)?.write_all(bytes)?;
            }
            file.flush()?;
            Ok(file.into_inner().into_inner())
        };
        write().map_err(SheetError::Container)
    }
}

/// How many cells the parser reserves for a `DIMENSIONS` record, computed as it computes it:
/// BIFF8 rows are 32-bit (a 14- or 16-byte record), earlier ones 16-bit (10 bytes), other
/// lengths are an error; the last row and column are one past the end; a first column past
/// 255 or after the last reads as 0; and the row and column counts are taken in wrapping 32-bit
/// arithmetic, so a first row after the last asks for billions of rows.
fn dimensions_reserve(data: &[u8]) -> Option<u64> {
    let u16_at = |at: usize| {
        data.get(at..at + 2)
            .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let u32_at = |at: usize| {
        data.get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let (rf, rl, mut cf, cl) = match data.len() {
        10 => (u16_at(0)?, u16_at(2)?, u16_at(4)?, u16_at(6)?),
        14 | 16 => (u32_at(0)?, u32_at(4)?, u16_at(8)?, u16_at(10)?),
        _ => return None,
    };
    if cf > 0xFF || cl < cf {
        cf = 0;
    }
    let (end_row, end_col) = if rl >= 1 && cl >= 1 {
        (rl - 1, cl - 1)
    } else {
        (rf, cf)
    };
    let rows = end_row.wrapping_sub(rf).wrapping_add(1);
    let cols = end_col.wrapping_sub(cf).wrapping_add(1);
    Some(u64::from(rows) * u64::from(cols))
}

/// How many cells the parser would lay out for the sheets of a BIFF record stream, walked as
/// it walks them: the globals from the start to their `EOF`, then each sheet from the offset
/// its `BOUNDSHEET` record gives to its `EOF` (records of embedded substreams skipped). For each
/// sheet, the larger of the box a `DIMENSIONS` record declares (which the parser reserves) and
/// the box its cell records span (which it allocates as a dense grid); summed over the sheets,
/// which the parser holds all at once. Records cut short end a walk.
fn spanned_cells(stream: &[u8]) -> u64 {
    /// Row and column bounds, inclusive; `None` while no cell is seen.
    #[derive(Default)]
    struct Bounds(Option<(u32, u32, u32, u32)>);
    impl Bounds {
        fn add(&mut self, row: u32, first: u32, last: u32) {
            let (r0, r1, c0, c1) = self.0.get_or_insert((row, row, first, last));
            *r0 = (*r0).min(row);
            *r1 = (*r1).max(row);
            *c0 = (*c0).min(first);
            *c1 = (*c1).max(last);
        }
        fn area(&self) -> u64 {
            self.0.map_or(0, |(r0, r1, c0, c1)| {
                (u64::from(r1 - r0) + 1) * (u64::from(c1.saturating_sub(c0)) + 1)
            })
        }
    }
    let u16_at = |d: &[u8], at: usize| d.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let u32_at = |d: &[u8], at: usize| {
        d.get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    // The records from `at` on, `(type, data)`, as long as they are whole.
    let records = |mut at: usize| {
        std::iter::from_fn(move || {
            let kind = u16_at(stream, at)?;
            let len = usize::from(u16_at(stream, at + 2)?);
            let data = stream.get(at + 4..at + 4 + len)?;
            at += 4 + len;
            Some((kind, data))
        })
    };
    let sheets: Vec<usize> = records(0)
        .take_while(|&(kind, _)| kind != 0x000A)
        .filter(|&(kind, _)| kind == 0x0085)
        .filter_map(|(_, data)| u32_at(data, 0))
        .map(|pos| pos as usize)
        .collect();
    let mut total = 0u64;
    for pos in sheets {
        let mut cells = Bounds::default();
        let mut declared = 0u64;
        let (mut seen_bof, mut depth) = (false, 0usize);
        for (kind, data) in records(pos) {
            if depth > 0 {
                match kind {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            match kind {
                // BOF: the sheet's own, or an embedded substream's (a chart).
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                // DIMENSIONS: what the parser reserves for it.
                0x0200 => declared = declared.max(dimensions_reserve(data).unwrap_or(0)),
                // NUMBER, LABEL, RSTRING, BOOLERR, FORMULA, RK, LABELSST: one cell at row,
                // column.
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x0006 | 0x027E | 0x00FD => {
                    if let (Some(r), Some(c)) = (u16_at(data, 0), u16_at(data, 2)) {
                        cells.add(r.into(), c.into(), c.into());
                    }
                }
                // MULRK: a run of cells from the first column to the last (the final two
                // bytes).
                0x00BD if data.len() >= 6 => {
                    if let (Some(r), Some(c0), Some(c1)) = (
                        u16_at(data, 0),
                        u16_at(data, 2),
                        u16_at(data, data.len() - 2),
                    ) {
                        cells.add(r.into(), c0.into(), c1.max(c0).into());
                    }
                }
                _ => {}
            }
        }
        total = total.saturating_add(cells.area().max(declared));
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// An OOXML workbook of `sheets` (name, visible, sheet XML rows) with `shared` strings.
    fn xlsx(sheets: &[(&str, bool, &str)], shared: &[&str], core_title: Option<&str>) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let mut put = |name: &str, body: String| {
            zip.start_file(name, opts).unwrap();
            zip.write_all(body.as_bytes()).unwrap();
        };
        let mut types = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
        );
        for i in 1..=sheets.len() {
            types.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
        }
        types.push_str(r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#);
        put("[Content_Types].xml", types);
        put("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#.to_string());
        let mut book = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
        );
        let mut rels = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
        );
        for (i, (name, visible, _)) in sheets.iter().enumerate() {
            let n = i + 1;
            let state = if *visible { "" } else { r#" state="hidden""# };
            book.push_str(&format!(
                r#"<sheet name="{name}" sheetId="{n}"{state} r:id="rId{n}"/>"#
            ));
            rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
        }
        book.push_str("</sheets></workbook>");
        let k = sheets.len() + 1;
        rels.push_str(&format!(r#"<Relationship Id="rId{k}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#));
        put("xl/workbook.xml", book);
        put("xl/_rels/workbook.xml.rels", rels);
        for (i, (_, _, rows)) in sheets.iter().enumerate() {
            put(
                &format!("xl/worksheets/sheet{}.xml", i + 1),
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
                ),
            );
        }
        let sst: String = shared
            .iter()
            .map(|s| format!("<si><t xml:space=\"preserve\">{s}</t></si>"))
            .collect();
        put(
            "xl/sharedStrings.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sst}</sst>"#
            ),
        );
        let title = core_title.map_or(String::new(), |t| format!("<dc:title>{t}</dc:title>"));
        put(
            "docProps/core.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">{title}<dc:creator>成都市财政局</dc:creator></cp:coreProperties>"#
            ),
        );
        zip.finish().unwrap().into_inner()
    }

    /// A shared-string cell.
    fn s(at: &str, i: usize) -> String {
        format!(r#"<c r="{at}" t="s"><v>{i}</v></c>"#)
    }

    /// A number cell.
    fn n(at: &str, v: &str) -> String {
        format!(r#"<c r="{at}"><v>{v}</v></c>"#)
    }

    fn row(r: u32, cells: &[String]) -> String {
        format!(r#"<row r="{r}">{}</row>"#, cells.concat())
    }

    fn texts(doc: &Document) -> Vec<(&str, BlockKind)> {
        doc.blocks
            .iter()
            .map(|b| (b.text.as_str(), b.kind))
            .collect()
    }

    #[test]
    fn rows_become_captions_paragraphs_and_table_rows() {
        let shared = [
            "2026年部门收支预算总表",
            "项目",
            "预算数",
            "一、财政拨款收入",
            "编\n号",
            "说明：本表\n按功能分类列示。",
        ];
        let rows = [
            row(1, &[s("A1", 0)]),
            row(3, &[s("A3", 1), s("C3", 2), s("D3", 4)]),
            row(
                4,
                &[
                    s("A4", 3),
                    n("B4", "1234.5"),
                    n("C4", "0.30000000000000004"),
                    r#"<c r="D4"><f>B4*2</f><v>2469</v></c>"#.to_string(),
                ],
            ),
            row(6, &[s("A6", 5)]),
        ]
        .concat();
        let bytes = xlsx(&[("收支总表", true, &rows)], &shared, None);
        let doc = extract_xlsx(&bytes, &Limits::default()).unwrap();
        assert_eq!(doc.title.as_deref(), Some("2026年部门收支预算总表"));
        assert_eq!(
            texts(&doc),
            [
                ("项目\t\t预算数\t编号", BlockKind::TableRow),
                ("一、财政拨款收入\t1234.5\t0.3\t2469", BlockKind::TableRow),
                ("说明：本表", BlockKind::Paragraph),
                ("按功能分类列示。", BlockKind::Paragraph),
            ]
        );
        assert_eq!(doc.metadata.publisher.as_deref(), Some("成都市财政局"));
        assert_eq!(doc.metadata.extra["creator"], "成都市财政局");
    }

    #[test]
    fn visible_sheets_are_named_and_hidden_ones_left_out() {
        let shared = [
            "说明",
            "收入",
            "支出",
            "隐藏的数据",
            "名词解释",
            "2026年收支总表",
        ];
        let one = row(1, &[s("A1", 0)]);
        let two = [row(1, &[s("A1", 5)]), row(2, &[s("B2", 1), s("C2", 2)])].concat();
        let hidden = row(1, &[s("A1", 3)]);
        let four = row(1, &[s("A1", 4)]);
        let bytes = xlsx(
            &[
                ("Sheet1", true, &one),
                ("收支表", true, &two),
                ("数据", false, &hidden),
                ("名词解释", true, &four),
                ("Sheet3", true, ""),
            ],
            &shared,
            Some("2026年单位预算"),
        );
        let doc = extract_xlsx(&bytes, &Limits::default()).unwrap();
        // The first sheet's default name is not shown, so its caption is the title.
        assert_eq!(doc.title.as_deref(), Some("说明"));
        assert_eq!(
            texts(&doc),
            [
                ("收支表", BlockKind::Heading { level: None }),
                // A later sheet's caption heads it.
                ("2026年收支总表", BlockKind::Heading { level: None }),
                ("收入\t支出", BlockKind::TableRow),
                // The sheet's first line says its name: not repeated.
                ("名词解释", BlockKind::Heading { level: None }),
            ]
        );
        assert_eq!(doc.metadata.extra["title"], "2026年单位预算");
        assert_eq!(doc.warnings, ["1 hidden sheet left out: 数据"]);
    }

    #[test]
    fn the_title_property_serves_when_no_caption_opens_the_book() {
        let rows = row(1, &[s("A1", 0), s("B1", 1)]);
        let bytes = xlsx(
            &[("表", true, &rows)],
            &["项目", "金额"],
            Some("2026年单位预算"),
        );
        let doc = extract_xlsx(&bytes, &Limits::default()).unwrap();
        assert_eq!(doc.title.as_deref(), Some("2026年单位预算"));
        assert_eq!(texts(&doc), [("项目\t金额", BlockKind::TableRow)]);
    }

    #[test]
    fn text_past_the_limit_is_cut_with_a_warning() {
        let rows: String = (1..=50)
            .map(|r| row(r, &[s(&format!("A{r}"), 0), s(&format!("B{r}"), 0)]))
            .collect();
        let bytes = xlsx(&[("表", true, &rows)], &["十个字的单元格内容啊"], None);
        let limits = Limits {
            max_text_chars: 95,
            ..Limits::default()
        };
        let doc = extract_xlsx(&bytes, &limits).unwrap();
        // Nine cells of ten characters fit: four rows, and the fifth row's first cell.
        assert_eq!(doc.blocks.len(), 5);
        assert_eq!(doc.blocks[4].kind, BlockKind::Paragraph);
        assert!(doc.warnings.iter().any(|w| w.contains("cut at 95")));
    }

    #[test]
    fn the_tabs_of_wide_rows_count_toward_the_limit() {
        // Cells in the first and the last column: 16 383 tabs a row.
        let rows: String = (1..=10)
            .map(|r| row(r, &[s(&format!("A{r}"), 0), s(&format!("XFD{r}"), 0)]))
            .collect();
        let bytes = xlsx(&[("表", true, &rows)], &["值"], None);
        let limits = Limits {
            max_text_chars: 40_000,
            ..Limits::default()
        };
        let doc = extract_xlsx(&bytes, &limits).unwrap();
        assert_eq!(doc.blocks.len(), 2);
        assert_eq!(doc.blocks[0].text.matches('\t').count(), 16_383);
        assert!(doc.warnings.iter().any(|w| w.contains("cut at 40000")));
    }

    #[test]
    fn an_inflation_bomb_fails_as_a_limit_before_parsing() {
        let rows = row(1, &[s("A1", 0)]);
        let huge = "x".repeat(3 << 20);
        let bytes = xlsx(&[("表", true, &rows)], &[&huge], None);
        let limits = Limits {
            max_stream_bytes: 1 << 20,
            ..Limits::default()
        };
        let e = extract_xlsx(&bytes, &limits).unwrap_err();
        assert_eq!(e.kind(), "limit", "{e}");
    }

    #[test]
    fn values_read_as_a_general_format_shows_them() {
        assert_eq!(number(1234.0), "1234");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(0.1 + 0.2), "0.3");
        assert_eq!(number(1234.56), "1234.56");
        assert_eq!(number(-12.5), "-12.5");
        assert_eq!(number(1e20), "100000000000000000000");
        assert_eq!(number(f64::NAN), "");
        let date = |v: f64| {
            date_time(&ExcelDateTime::new(
                v,
                calamine::ExcelDateTimeType::DateTime,
                false,
            ))
        };
        assert_eq!(date(46027.0), "2026-01-05");
        assert_eq!(date(46027.5), "2026-01-05 12:00");
        assert_eq!(date(0.75), "18:00");
        let span = ExcelDateTime::new(1.5, calamine::ExcelDateTimeType::TimeDelta, false);
        assert_eq!(date_time(&span), "36:00:00");
        assert!(default_name("Sheet12") && default_name("工作表3") && default_name("sheet 1"));
        assert!(!default_name("Sheet") && !default_name("收支总表"));
    }

    /// A BIFF record.
    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut out = kind.to_le_bytes().to_vec();
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
        out
    }

    fn cell(kind: u16, r: u16, c: u16) -> Vec<u8> {
        let mut data = r.to_le_bytes().to_vec();
        data.extend(c.to_le_bytes());
        data.extend([0; 8]);
        record(kind, &data)
    }

    #[test]
    fn dimensions_are_read_as_the_parser_reserves_them() {
        let biff8 = |rf: u32, rl: u32, cf: u16, cl: u16| {
            let mut d = rf.to_le_bytes().to_vec();
            d.extend(rl.to_le_bytes());
            d.extend(cf.to_le_bytes());
            d.extend(cl.to_le_bytes());
            d.extend([0, 0]);
            d
        };
        assert_eq!(dimensions_reserve(&biff8(0, 10, 0, 4)), Some(40));
        // A first row after the last wraps to four billion rows.
        assert_eq!(
            dimensions_reserve(&biff8(5, 3, 0, 2)),
            Some(((1u64 << 32) - 2) * 2)
        );
        // A first column past 255 reads as 0.
        assert_eq!(dimensions_reserve(&biff8(0, 1, 300, 400)), Some(400));
        assert_eq!(dimensions_reserve(&[0; 12]), None);
        let biff5 = [0, 0, 2, 0, 0, 0, 3, 0, 0, 0];
        assert_eq!(dimensions_reserve(&biff5), Some(6));
    }

    #[test]
    fn the_cells_a_biff_stream_spans_are_counted_per_sheet() {
        let bof = record(0x0809, &[0; 16]);
        let eof = record(0x000A, &[]);
        // Sheet one: two cells far apart, a grid of 65 536 × 200.
        let one = [
            bof.clone(),
            cell(0x0203, 0, 0),
            cell(0x00FD, 65_535, 199),
            eof.clone(),
        ]
        .concat();
        // Sheet two: a DIMENSIONS record declaring 10 rows × 4 columns, a MULRK row of
        // columns 2–5, and an embedded chart whose far cell the parser skips.
        let mut dims = 0u32.to_le_bytes().to_vec();
        dims.extend(10u32.to_le_bytes());
        dims.extend(0u16.to_le_bytes());
        dims.extend(4u16.to_le_bytes());
        dims.extend([0, 0]);
        let mut mulrk = 3u16.to_le_bytes().to_vec();
        mulrk.extend(2u16.to_le_bytes());
        mulrk.extend([0; 12]);
        mulrk.extend(5u16.to_le_bytes());
        let two = [
            bof.clone(),
            record(0x0200, &dims),
            record(0x00BD, &mulrk),
            bof.clone(),
            cell(0x0203, 60_000, 200),
            eof.clone(),
            eof.clone(),
        ]
        .concat();
        let boundsheet = |pos: usize| {
            record(
                0x0085,
                &[&(pos as u32).to_le_bytes()[..], &[0, 0, 1, 0, b'S']].concat(),
            )
        };
        // The globals, then a stray byte that throws a walk from the start off the records,
        // then the sheets, found only at the offsets the BOUNDSHEET records give.
        let globals_len = bof.len() + 2 * boundsheet(0).len() + eof.len();
        let at_one = globals_len + 1;
        let at_two = at_one + one.len();
        let stream = [
            bof.clone(),
            boundsheet(at_one),
            boundsheet(at_two),
            eof.clone(),
            vec![0xFF],
            one,
            two,
        ]
        .concat();
        assert_eq!(spanned_cells(&stream), 65_536 * 200 + 10 * 4);
        // Cut anywhere, the stream is still counted without a panic.
        for cut in 0..stream.len() {
            spanned_cells(&stream[..cut]);
        }
    }
}

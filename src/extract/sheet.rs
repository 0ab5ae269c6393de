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
//! A number shows as its cell's format shows it when that is a plain number format
//! ([`format`]: `#,##0.00`, `0.00%`…; read from the styles of an `.xlsx`, from the `FORMAT`
//! and `XF` records of a BIFF8 `.xls` by [`scan`]). Other values read as Excel's general
//! format shows them: whole numbers without a decimal point, others to 15 significant digits
//! (no `0.30000000000000004`), dates as `2026-01-05` (with the time when there is one),
//! durations as `hh:mm:ss`, booleans as `TRUE`/`FALSE`, errors as `#DIV/0!`. A formula shows
//! its cached result.
//!
//! A sheet's first line, when it is a caption (one cell, short, not a sentence, not the first
//! of a list of short items), heads the sheet: the first sheet's is the title and leaves the
//! body, the others' are heading lines. A label above it (`附件1`) is a heading line. A caption
//! naming the sheet's kind (`使用说明`) or, when the title property names the document, the
//! sheet's own name heads the sheet instead, and the title property is the title. Document
//! properties go to `metadata.extra` under the names the Word readers use (`title`, `creator`,
//! `Company`…); the creator, else the company, is the publisher when it names an organisation.
//!
//! What always holds: an OOXML workbook is first inflated entry by entry through the bounded
//! reader of the DOCX package (per-entry, per-file and ratio limits), and its cells are
//! streamed, never laid out as a dense grid; an Excel 97–2003 workbook's record stream is
//! walked first as the parser walks it ([`scan`]), one whose sheets span more than
//! `max_sheet_cells` cells (which the parser would allocate densely) fails as `limit`, and the
//! parser reads a fresh container holding just the streams checked ([`Biff::container`]).
//! A panic inside the parser is contained as `malformed`. Text past `max_text_chars` is cut
//! with a warning.

use std::io::{Cursor, Read, Write};

mod format;

use calamine::{CellErrorType, Data, DataRef, ExcelDateTime, Reader, SheetType, SheetVisible};

use super::docx::{DocxError, is_organisation, join_into, meaningful_title, package::Package, xml};
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
    #[error(
        "the cells copy {chars} characters of shared strings, more than the limit of {limit} (4 × max-text-chars)"
    )]
    TooMuchText { chars: u64, limit: u64 },
    #[error("damaged workbook records: {0}")]
    Records(&'static str),
}

/// How many times `max_text_chars` the cells of an Excel 97–2003 workbook may copy out of its
/// shared strings: the parser gives each cell its own copy before any text is cut.
const SHARED_TEXT_FACTOR: u64 = 4;

impl SheetError {
    /// The stable kind: `encrypted`, `limit`, `malformed`, or the package's.
    pub fn kind(&self) -> &'static str {
        match self {
            SheetError::Encrypted => "encrypted",
            SheetError::Package(e) => e.kind(),
            SheetError::TooManyCells { .. } | SheetError::TooMuchText { .. } => "limit",
            SheetError::Xlsx(calamine::XlsxError::Password)
            | SheetError::Xls(calamine::XlsError::Password) => "encrypted",
            SheetError::Xlsx(_)
            | SheetError::Xls(_)
            | SheetError::Container(_)
            | SheetError::NoWorkbook
            | SheetError::Damaged
            | SheetError::Records(_) => "malformed",
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
    /// Cells past the grid of a sheet, left out.
    outside: usize,
    /// Warnings for the sheets the parser gave up on.
    unreadable: Vec<String>,
}

/// An error with its sources, `: `-joined.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// Collects the filled cells of the sheets as they are read, counting their characters.
struct Cells<'l> {
    limits: &'l Limits,
    chars: usize,
    cut: bool,
    /// Cells past the grid of a sheet, left out.
    outside: usize,
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
        // Past the grid of a sheet (1 048 576 rows × 16 384 columns): no program shows it,
        // and a row reaching column ZZZZZZ would be laid out billions of cells wide.
        if row >= 1 << 20 || col >= 1 << 14 {
            self.outside += 1;
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
    if sheets_share_a_part(&mut package)? {
        return Err(SheetError::Records("two sheets in one part"));
    }
    drop(package);
    let read = contained(|| {
        let mut book = calamine::Xlsx::new(Cursor::new(bytes)).map_err(SheetError::Xlsx)?;
        let properties = book
            .workbook_properties()
            .map(properties)
            .unwrap_or_default();
        let metadata = book.sheets_metadata().to_vec();
        workbook(&metadata, properties, limits, |name, kept, cells| {
            // The number formats, read in a pass of their own; without them, numbers show in
            // the general form.
            let styles = book.worksheet_style(name).ok();
            let mut reader = book
                .worksheet_cells_reader(name)
                .map_err(SheetError::Xlsx)?;
            while let Some(cell) = reader.next_cell().map_err(SheetError::Xlsx)? {
                let (row, col) = cell.get_position();
                let value = cell.get_value();
                let number = match value {
                    DataRef::Float(f) => Some(*f),
                    DataRef::Int(i) => Some(*i as f64),
                    _ => None,
                };
                let shown = number.and_then(|n| {
                    let style = styles.as_ref()?.get((row, col))?;
                    format::format_number(n, &style.number_format.as_ref()?.format_code)
                });
                let text = shown.unwrap_or_else(|| ref_text(value));
                if !kept.keep(cells, row, col, text) {
                    break;
                }
            }
            Ok(())
        })
    })?;
    Ok(build(read, limits))
}

/// Whether two sheets of an OOXML workbook name one part (one relationship, or two with one
/// target): the parser would inflate and read it again for each.
fn sheets_share_a_part(package: &mut Package) -> Result<bool, SheetError> {
    use quick_xml::events::Event;
    let book = package
        .relationships("")?
        .into_iter()
        .find(|(kind, _)| kind == "officeDocument")
        .map_or_else(|| "xl/workbook.xml".to_string(), |(_, target)| target);
    let Some(bytes) = package.part(&book)? else {
        return Ok(false);
    };
    let bytes = xml::utf8(&bytes);
    let mut reader = xml::reader(&bytes);
    let mut ids = std::collections::HashSet::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sheet" => {
                if let Some(id) = xml::attr_str(&e, "id")
                    && !ids.insert(id)
                {
                    return Ok(true);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    let mut targets = std::collections::HashSet::new();
    Ok(package
        .relationships(&book)?
        .into_iter()
        .filter(|(kind, _)| kind == "worksheet")
        .any(|(_, target)| !targets.insert(target.to_ascii_lowercase())))
}

/// Extract an Excel 97–2003 (BIFF) workbook.
///
/// # Errors
/// `limit` when its sheets span more than `max_sheet_cells` cells, `encrypted` for a protected
/// workbook, `malformed` when it is not a readable workbook.
pub fn extract_xls(bytes: &[u8], limits: &Limits) -> Result<Document, SheetError> {
    let mut biff = Biff::read(bytes)?;
    let scan = scan(&biff.stream);
    if let Some(damage) = scan.damage {
        return Err(SheetError::Records(damage));
    }
    if scan.cells > limits.max_sheet_cells {
        return Err(SheetError::TooManyCells {
            cells: scan.cells,
            limit: limits.max_sheet_cells,
        });
    }
    let text_limit = (limits.max_text_chars as u64).saturating_mul(SHARED_TEXT_FACTOR);
    if scan.shared_text > text_limit {
        return Err(SheetError::TooMuchText {
            chars: scan.shared_text,
            limit: text_limit,
        });
    }
    // The formulas' tokens, which the parser would decode (in time quadratic in a formula's
    // spaces) for nothing: every cell shows its cached value.
    for &at in &scan.formula_lengths {
        biff.stream[at..at + 2].fill(0);
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
            // The sheets are in BOUNDSHEET order, as the scan read them.
            let formats = metadata
                .iter()
                .position(|s| s.name == name)
                .and_then(|i| scan.formats.get(i));
            let (top, left) = range.start().unwrap_or((0, 0));
            for (row, col, value) in range.used_cells() {
                let (row, col) = (top + row as u32, left + col as u32);
                let number = match value {
                    Data::Float(f) => Some(*f),
                    Data::Int(i) => Some(*i as f64),
                    _ => None,
                };
                let shown =
                    number.and_then(|n| format::format_number(n, formats?.get(&(row, col))?));
                if !kept.keep(cells, row, col, shown.unwrap_or_else(|| data_text(value))) {
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
        outside: 0,
    };
    let (shown, hidden) = worksheets(metadata);
    let mut sheets = Vec::new();
    let mut failed = Vec::new();
    for name in shown {
        let mut cells = Vec::new();
        // A sheet the parser gives up on keeps the cells read before, and the others stand.
        if let Err(e) = read_sheet(&name, &mut kept, &mut cells) {
            failed.push((name.clone(), e));
        }
        sheets.push(Sheet { name, cells });
        if kept.cut {
            break;
        }
    }
    if sheets.iter().all(|s| s.cells.is_empty()) && !failed.is_empty() {
        return Err(failed.swap_remove(0).1);
    }
    let unreadable = failed
        .into_iter()
        .map(|(name, e)| format!("sheet {name:?} read only in part: {}", error_chain(&e)))
        .collect();
    Ok(Workbook {
        sheets,
        hidden,
        properties,
        cut: kept.cut,
        outside: kept.outside,
        unreadable,
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
        outside,
        unreadable,
    } = read;
    let mut doc = Document::default();
    doc.warnings.extend(unreadable);
    let property = |name: &str| {
        properties
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let property_title =
        property("title").filter(|t| meaningful_title(t) && !t.to_lowercase().contains(".xls"));
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
        // title, the others' are headings (no sentence that lost its `。`). A label before
        // it (`附件1`) heads it too; a caption that only names the sheet or its kind
        // (`使用说明`, `目录`) is a heading, the title left to the properties.
        let at = usize::from(
            blocks.len() > 1 && is_attachment_label(&blocks[0].text) && is_paragraph(&blocks[1]),
        );
        if let Some(b) = blocks.get(at)
            && b.kind == BlockKind::Paragraph
            && is_caption(&b.text)
            && !opens_a_list(&blocks[at..])
        {
            // A caption naming the sheet is the title still when the properties have none.
            let names_sheet = is_generic_caption(&b.text)
                || squash(&b.text) == squash(&sheet.name) && property_title.is_some();
            if i == 0 && !names_sheet {
                doc.title = Some(blocks.remove(at).text);
            } else {
                blocks[at].kind = BlockKind::Heading { level: None };
            }
            if at == 1 {
                blocks[0].kind = BlockKind::Heading { level: None };
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
    if outside > 0 {
        doc.warnings.push(format!(
            "{outside} cell{} past the sheet grid (1 048 576 rows × 16 384 columns) left out",
            if outside == 1 { "" } else { "s" }
        ));
    }
    if cut || chars > limits.max_text_chars {
        doc.warnings.push(format!(
            "spreadsheet text cut at {} characters",
            limits.max_text_chars
        ));
    }
    if doc.title.is_none() {
        doc.title = property_title.map(str::to_string);
    }
    if let Some(p) = property("creator")
        .filter(|p| is_organisation(p))
        .or(property("Company").filter(|p| is_organisation(p)))
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

fn is_paragraph(b: &Block) -> bool {
    b.kind == BlockKind::Paragraph
}

/// The label of an attachment or a numbered table set above its caption: `附件1`, `附表 2：`,
/// `表3`.
fn is_attachment_label(text: &str) -> bool {
    let t = squash(text);
    let t = t.trim_end_matches([':', '：']);
    ["附件", "附表", "表"].iter().any(|p| {
        t.strip_prefix(p).is_some_and(|n| {
            n.chars().count() <= 3
                && n.chars()
                    .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
        })
    })
}

/// A caption that names the kind of sheet, not the document: `使用说明`, `目录`, `封面`.
fn is_generic_caption(text: &str) -> bool {
    const GENERIC: &[&str] = &[
        "说明",
        "使用说明",
        "填表说明",
        "填报说明",
        "目录",
        "封面",
        "备注",
    ];
    GENERIC.contains(&squash(text).as_str()) || is_attachment_label(text)
}

/// Whether `lines` open with a list of short one-cell items (`北京市`, `天津市`, `河北省`):
/// its first item is no caption.
fn opens_a_list(lines: &[Block]) -> bool {
    lines.len() >= 3
        && lines[..3]
            .iter()
            .all(|b| is_paragraph(b) && is_caption(&b.text) && b.text.chars().count() <= 10)
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
    if f.abs() >= 1e15 {
        return large_number(f);
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

/// A number of 16 digits or more to 15 significant digits, as a spreadsheet keeps them: the
/// digits and then zeros (`123456789012345000`, the 18-digit code typed as a number), in
/// scientific form past 21 digits (`1.5E+30`).
fn large_number(f: f64) -> String {
    let s = format!("{f:.14e}");
    let Some((mantissa, exp)) = s.split_once('e') else {
        return s;
    };
    let exp: usize = exp.parse().unwrap_or(0);
    if exp > 20 {
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        return format!("{mantissa}E+{exp}");
    }
    let mut out: String = mantissa.chars().filter(|&c| c != '.').collect();
    out.extend(std::iter::repeat_n('0', (exp + 1).saturating_sub(15)));
    out
}

/// A date as `2026-01-05`, with `hh:mm` or `hh:mm:ss` when it has a time; a time of day alone
/// (a serial under one) as the time; a duration as `hh:mm:ss`.
fn date_time(d: &ExcelDateTime) -> String {
    let v = d.as_f64();
    if d.is_duration() {
        let secs = (v * 86_400.0).round() as i64;
        let (sign, secs) = if secs < 0 { ("-", -secs) } else { ("", secs) };
        return format!(
            "{sign}{:02}:{:02}:{:02}",
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
            // Version 3 (512-byte sectors): the parser rejects a version 4 file whose streams
            // are all 4 096 bytes or more (no mini stream: "Empty Root directory").
            let mut file =
                cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))?;
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

/// What the parser would build from a BIFF record stream, walked as it walks it: the globals
/// from the start to their `EOF`, then each sheet from the offset its `BOUNDSHEET` record
/// gives to its `EOF` (records of embedded substreams skipped). Records cut short end a walk.
#[derive(Debug, Default, PartialEq)]
struct Scan {
    /// Cells laid out: for each sheet, the larger of the box a `DIMENSIONS` record declares
    /// (which the parser reserves) and the box its cells span (which it allocates as a dense
    /// grid), summed over the sheets, which the parser holds all at once.
    cells: u64,
    /// Characters of shared strings the cells copy: the parser gives every `LABELSST` cell
    /// its own copy of the string.
    shared_text: u64,
    /// Where the record stream makes the parser's work grow faster than the file: two sheets
    /// at one offset (each walked again), or a record continued more than
    /// [`MAX_CONTINUES`] times (the parser takes continuations off the front of a list).
    damage: Option<&'static str>,
    /// The offsets of the formula token lengths (`cce`) of the sheets' `FORMULA` records.
    formula_lengths: Vec<usize>,
    /// For each sheet (in `BOUNDSHEET` order), the format code of each number cell whose
    /// format is not the general one; BIFF8 only.
    formats: Vec<std::collections::HashMap<(u32, u32), std::rc::Rc<str>>>,
}

/// The most `CONTINUE` records one record may have: 16 384 of the 8 224 bytes Excel writes in
/// each are 134 MB, more than any shared string table.
const MAX_CONTINUES: usize = 16_384;

/// The records of `stream` from `at` on, `(type, offset of the data, data)`, as long as they
/// are whole.
fn records(stream: &[u8], mut at: usize) -> impl Iterator<Item = (u16, usize, &[u8])> {
    std::iter::from_fn(move || {
        let kind = u16_at(stream, at)?;
        let len = usize::from(u16_at(stream, at + 2)?);
        let data = stream.get(at + 4..at + 4 + len)?;
        let item = (kind, at + 4, data);
        at += 4 + len;
        Some(item)
    })
}

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    d.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Walk a BIFF record stream as the parser will (see [`Scan`]).
fn scan(stream: &[u8]) -> Scan {
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
    let mut out = Scan::default();
    // Consecutive CONTINUE records, counted wherever the walks pass.
    let mut continues = 0usize;
    let mut count_continue = |kind: u16, damage: &mut Option<&'static str>| {
        continues = if kind == 0x003C { continues + 1 } else { 0 };
        if continues > MAX_CONTINUES {
            *damage = Some("a record continued more than 16 384 times");
        }
    };
    let mut sheets = Vec::new();
    let mut sst: Option<Vec<&[u8]>> = None;
    let mut in_sst = false;
    // BIFF8 number formats: FORMAT records (index, code), and each XF record's format index.
    let mut biff8 = false;
    let mut codes: std::collections::HashMap<u16, std::rc::Rc<str>> = Default::default();
    let mut xf_formats: Vec<u16> = Vec::new();
    for (kind, _, data) in records(stream, 0) {
        count_continue(kind, &mut out.damage);
        match kind {
            0x000A => break,
            0x0809 => biff8 = u16_at(data, 0) == Some(0x0600),
            0x041E => {
                if let (Some(index), Some(code)) = (u16_at(data, 0), xl_unicode_string(data, 2)) {
                    codes.insert(index, code.into());
                }
            }
            0x00E0 => xf_formats.extend(u16_at(data, 2)),
            0x0085 => sheets.extend(u32_at(data, 0).map(|pos| pos as usize)),
            0x00FC => {
                sst = Some(vec![data]);
                in_sst = true;
                continue;
            }
            0x003C if in_sst => {
                if let Some(parts) = sst.as_mut() {
                    parts.push(data);
                }
                continue;
            }
            _ => {}
        }
        in_sst = false;
    }
    let lengths = sst.map(|parts| sst_lengths(&parts)).unwrap_or_default();
    let mut offsets = sheets.clone();
    offsets.sort_unstable();
    offsets.dedup();
    if offsets.len() < sheets.len() {
        out.damage = Some("two sheets at one offset");
        return out;
    }
    // The code of XF record `xf`'s format, unless general.
    let code_of = |xf: u16| -> Option<std::rc::Rc<str>> {
        if !biff8 {
            return None;
        }
        let index = *xf_formats.get(usize::from(xf))?;
        codes
            .get(&index)
            .cloned()
            .or_else(|| builtin_format(index).map(std::rc::Rc::from))
    };
    for pos in sheets {
        let mut cells = Bounds::default();
        let mut declared = 0u64;
        let mut formats = std::collections::HashMap::new();
        let mut format = |r: u32, c: u32, xf: Option<u16>| {
            if let Some(code) = xf.and_then(&code_of) {
                formats.insert((r, c), code);
            }
        };
        let (mut seen_bof, mut depth) = (false, 0usize);
        // Where the parser puts a STRING record's cell: the last formula's place.
        let mut formula_at = (0u32, 0u32);
        for (kind, at, data) in records(stream, pos) {
            count_continue(kind, &mut out.damage);
            if depth > 0 {
                match kind {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let row_col = || Some((u32::from(u16_at(data, 0)?), u32::from(u16_at(data, 2)?)));
            match kind {
                // BOF: the sheet's own, or an embedded substream's (a chart).
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                // DIMENSIONS: what the parser reserves for it.
                0x0200 => declared = declared.max(dimensions_reserve(data).unwrap_or(0)),
                // FORMULA: a cell, the place of a STRING record after it, and formula tokens
                // (which the parser reads, and gongwen does not need).
                0x0006 if data.len() >= 20 => {
                    if let Some((r, c)) = row_col() {
                        cells.add(r, c, c);
                        formula_at = (r, c);
                        format(r, c, u16_at(data, 4));
                    }
                    out.formula_lengths.push(at + 20);
                }
                0x0207 => cells.add(formula_at.0, formula_at.1, formula_at.1),
                // LABELSST: a cell holding a copy of a shared string.
                0x00FD => {
                    if let Some((r, c)) = row_col() {
                        cells.add(r, c, c);
                    }
                    let text = u32_at(data, 6)
                        .and_then(|i| lengths.get(i as usize))
                        .copied()
                        .unwrap_or(0);
                    out.shared_text = out.shared_text.saturating_add(u64::from(text));
                }
                // NUMBER, RK: a number cell, and its XF record.
                0x0203 | 0x027E => {
                    if let Some((r, c)) = row_col() {
                        cells.add(r, c, c);
                        format(r, c, u16_at(data, 4));
                    }
                }
                // LABEL, RSTRING, BOOLERR: one cell at row, column.
                0x0204 | 0x00D6 | 0x0205 => {
                    if let Some((r, c)) = row_col() {
                        cells.add(r, c, c);
                    }
                }
                // MULRK: a run of cells from the first column to the last (the final two
                // bytes), each 6 bytes: its XF record and its number.
                0x00BD if data.len() >= 6 => {
                    if let (Some((r, c0)), Some(c1)) = (row_col(), u16_at(data, data.len() - 2)) {
                        cells.add(r, c0, u32::from(c1).max(c0));
                        let runs = data[4..data.len() - 2].chunks_exact(6);
                        for (c, run) in (c0..=u32::from(c1)).zip(runs) {
                            format(r, c, u16_at(run, 0));
                        }
                    }
                }
                _ => {}
            }
        }
        out.cells = out.cells.saturating_add(cells.area().max(declared));
        out.formats.push(formats);
    }
    out
}

/// A BIFF8 `XLUnicodeString` at `at`: a character count, a flags byte (bit 0: two bytes a
/// character, else one, Latin-1), the characters.
fn xl_unicode_string(data: &[u8], at: usize) -> Option<String> {
    let count = usize::from(u16_at(data, at)?);
    let wide = data.get(at + 2)? & 1 != 0;
    let chars = data.get(at + 3..)?;
    if wide {
        let units: Vec<u16> = chars
            .chunks_exact(2)
            .take(count)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .collect();
        Some(String::from_utf16_lossy(&units))
    } else {
        Some(chars.iter().take(count).map(|&b| char::from(b)).collect())
    }
}

/// The codes of the built-in number formats a workbook need not write out (the plain number
/// ones: others keep the general form anyway).
fn builtin_format(index: u16) -> Option<&'static str> {
    Some(match index {
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        5 => "\"$\"#,##0_);(\"$\"#,##0)",
        6 => "\"$\"#,##0_);[Red](\"$\"#,##0)",
        7 => "\"$\"#,##0.00_);(\"$\"#,##0.00)",
        8 => "\"$\"#,##0.00_);[Red](\"$\"#,##0.00)",
        9 => "0%",
        10 => "0.00%",
        37 => "#,##0_);(#,##0)",
        38 => "#,##0_);[Red](#,##0)",
        39 => "#,##0.00_);(#,##0.00)",
        40 => "#,##0.00_);[Red](#,##0.00)",
        _ => return None,
    })
}

/// The length in characters of each string of a shared string table (the `SST` record's data,
/// then its `CONTINUE` records'), read as the parser reads them, as far as they can be read:
/// a count, flags (high byte, rich text runs, extended data), the characters, which may go on
/// in the next part after a flags byte of their own, then the runs and extended data.
fn sst_lengths(parts: &[&[u8]]) -> Vec<u32> {
    let mut lengths = Vec::new();
    let mut next = parts.iter().skip(1);
    let Some(mut data) = parts.first().and_then(|d| d.get(8..)) else {
        return lengths;
    };
    /// Skip `n` bytes, into the next parts as needed.
    fn skip<'a>(
        data: &mut &'a [u8],
        next: &mut impl Iterator<Item = &'a &'a [u8]>,
        mut n: usize,
    ) -> Option<()> {
        while n > 0 {
            if data.is_empty() {
                *data = next.next()?;
                continue;
            }
            let l = n.min(data.len());
            *data = &data[l..];
            n -= l;
        }
        Some(())
    }
    loop {
        if data.is_empty() {
            match next.next() {
                Some(part) => data = part,
                None => break,
            }
            if data.is_empty() {
                lengths.push(0);
                continue;
            }
        }
        let (Some(cch), Some(&flags)) = (u16_at(data, 0), data.get(2)) else {
            break;
        };
        data = &data[3..];
        let mut high = flags & 1 != 0;
        let mut extra = 0usize;
        if flags & 8 != 0 {
            let Some(runs) = u16_at(data, 0) else { break };
            extra += 4 * usize::from(runs);
            data = &data[2..];
        }
        if flags & 4 != 0 {
            let Some(ext) = u32_at(data, 0) else { break };
            extra += ext as usize;
            data = &data[4..];
        }
        let mut left = usize::from(cch);
        while left > 0 {
            let width = if high { 2 } else { 1 };
            let l = left.min(data.len() / width);
            data = &data[l * width..];
            left -= l;
            if left > 0 {
                let Some((&flags, rest)) = next.next().and_then(|p| p.split_first()) else {
                    break;
                };
                high = flags & 1 != 0;
                data = rest;
            }
        }
        if left > 0 || skip(&mut data, &mut next, extra).is_none() {
            break;
        }
        lengths.push(u32::from(cch));
    }
    lengths
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
    fn a_caption_is_found_under_an_attachment_label_but_not_atop_a_list() {
        let shared = [
            "附件1",
            "2026年部门收支总表",
            "项目",
            "金额",
            "北京市",
            "天津市",
            "河北省",
        ];
        let rows = [
            row(1, &[s("A1", 0)]),
            row(2, &[s("A2", 1)]),
            row(3, &[s("A3", 2), s("B3", 3)]),
        ]
        .concat();
        let bytes = xlsx(&[("Sheet1", true, &rows)], &shared, None);
        let doc = extract_xlsx(&bytes, &Limits::default()).unwrap();
        assert_eq!(doc.title.as_deref(), Some("2026年部门收支总表"));
        assert_eq!(
            texts(&doc),
            [
                ("附件1", BlockKind::Heading { level: None }),
                ("项目\t金额", BlockKind::TableRow),
            ]
        );
        let list = [
            row(1, &[s("A1", 4)]),
            row(2, &[s("A2", 5)]),
            row(3, &[s("A3", 6)]),
        ]
        .concat();
        let bytes = xlsx(&[("Sheet1", true, &list)], &shared, None);
        let doc = extract_xlsx(&bytes, &Limits::default()).unwrap();
        assert_eq!(doc.title, None);
        assert_eq!(doc.blocks.len(), 3);
    }

    #[test]
    fn cells_past_the_grid_are_left_out() {
        let rows = row(1, &[s("A1", 0), s("ZZZZZZ1", 1)]);
        let bytes = xlsx(
            &[("Sheet1", true, &rows)],
            &["本表按功能分类列示。", "远处"],
            None,
        );
        let doc = extract_xlsx(&bytes, &Limits::default()).unwrap();
        assert_eq!(
            texts(&doc),
            [("本表按功能分类列示。", BlockKind::Paragraph)]
        );
        assert!(
            doc.warnings[0].starts_with("1 cell past the sheet grid"),
            "{:?}",
            doc.warnings
        );
    }

    /// `bytes` with each entry's text passed through `edit` (`None` drops the entry).
    fn rezip(bytes: &[u8], edit: impl Fn(&str, String) -> Option<String>) -> Vec<u8> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let name = entry.name().unwrap().to_string();
            let mut body = String::new();
            entry.read_to_string(&mut body).unwrap();
            if let Some(body) = edit(&name, body) {
                out.start_file(name, zip::write::SimpleFileOptions::default())
                    .unwrap();
                out.write_all(body.as_bytes()).unwrap();
            }
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn a_sheet_the_parser_cannot_read_leaves_the_others() {
        let rows = row(1, &[s("A1", 0)]);
        let bytes = xlsx(
            &[("一", true, &rows), ("二", true, &rows)],
            &["本表按功能分类列示。"],
            None,
        );
        let bytes = rezip(&bytes, |name, body| {
            (name != "xl/worksheets/sheet2.xml").then_some(body)
        });
        let doc = extract_xlsx(&bytes, &Limits::default()).unwrap();
        assert_eq!(
            texts(&doc),
            [("本表按功能分类列示。", BlockKind::Paragraph)]
        );
        assert!(
            doc.warnings[0].starts_with("sheet \"二\" read only in part"),
            "{:?}",
            doc.warnings
        );
        // With no sheet left, the error.
        let bytes = rezip(&bytes, |name, body| {
            (name != "xl/worksheets/sheet1.xml").then_some(body)
        });
        assert!(extract_xlsx(&bytes, &Limits::default()).is_err());
    }

    #[test]
    fn numbers_show_as_their_cells_format_them() {
        let rows = row(
            1,
            &[
                r#"<c r="A1" s="1"><v>12733.6</v></c>"#.to_string(),
                r#"<c r="B1" s="2"><v>0.1523</v></c>"#.to_string(),
                r#"<c r="C1" s="3"><v>3.33333333333</v></c>"#.to_string(),
                r#"<c r="D1"><v>0.1</v></c>"#.to_string(),
            ],
        );
        let bytes = xlsx(&[("Sheet1", true, &rows)], &[], None);
        let styles = r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.00&quot;元&quot;"/></numFmts><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="4" applyNumberFormat="1"/><xf numFmtId="10" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>"#;
        let mut zip = zip::ZipWriter::new_append(Cursor::new(bytes)).unwrap();
        zip.start_file("xl/styles.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(styles.as_bytes()).unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        let doc = extract_xlsx(&bytes, &Limits::default()).unwrap();
        assert_eq!(
            texts(&doc),
            [("12,733.60\t15.23%\t3.33元\t0.1", BlockKind::TableRow)]
        );
    }

    #[test]
    fn two_sheets_in_one_part_are_damage() {
        let rows = row(1, &[s("A1", 0)]);
        let bytes = xlsx(&[("一", true, &rows), ("二", true, &rows)], &["项目"], None);
        // Point the second sheet at the first's relationship.
        let bytes = rezip(&bytes, |name, body| {
            Some(if name == "xl/workbook.xml" {
                body.replace("r:id=\"rId2\"", "r:id=\"rId1\"")
            } else {
                body
            })
        });
        let err = extract_xlsx(&bytes, &Limits::default()).unwrap_err();
        assert_eq!(err.kind(), "malformed", "{err}");
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
        // The first sheet's default name is not shown; its caption only names its kind, so
        // it heads the sheet and the title property is the title.
        assert_eq!(doc.title.as_deref(), Some("2026年单位预算"));
        assert_eq!(
            texts(&doc),
            [
                ("说明", BlockKind::Heading { level: None }),
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
        let back = ExcelDateTime::new(-0.0625, calamine::ExcelDateTimeType::TimeDelta, false);
        assert_eq!(date_time(&back), "-01:30:00");
        // 15 significant digits at every magnitude.
        assert_eq!(number(123_456_789_012_345_000.0), "123456789012345000");
        assert_eq!(number(-1_234_567_890_123_456.7), "-1234567890123460");
        assert_eq!(number(1.5e30), "1.5E+30");
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
        assert_eq!(scan(&stream).cells, 65_536 * 200 + 10 * 4);
        // Cut anywhere, the stream is still counted without a panic.
        for cut in 0..stream.len() {
            scan(&stream[..cut]);
        }
    }

    /// A stream of globals (`globals` records between BOF and EOF, then one BOUNDSHEET for
    /// each sheet) followed by the sheets (each between BOF and EOF).
    fn biff_stream(globals: &[Vec<u8>], sheets: &[Vec<u8>], offsets: Option<&[usize]>) -> Vec<u8> {
        let bof = record(0x0809, &[0; 16]);
        let eof = record(0x000A, &[]);
        let boundsheet = |pos: usize| {
            record(
                0x0085,
                &[&(pos as u32).to_le_bytes()[..], &[0, 0, 1, 0, b'S']].concat(),
            )
        };
        let head =
            bof.len() + globals.concat().len() + sheets.len() * boundsheet(0).len() + eof.len();
        let mut at = head;
        let mut bodies = Vec::new();
        let mut places = Vec::new();
        for sheet in sheets {
            let body = [bof.clone(), sheet.clone(), eof.clone()].concat();
            places.push(at);
            at += body.len();
            bodies.push(body);
        }
        let places = offsets.map_or(places, <[usize]>::to_vec);
        let mut out = [bof.clone(), globals.concat()].concat();
        for p in places {
            out.extend(boundsheet(p));
        }
        out.extend(eof);
        out.extend(bodies.concat());
        out
    }

    #[test]
    fn the_shared_text_the_cells_copy_is_counted() {
        // Two strings: 300 compressed characters, then 200 wide ones of which the SST record
        // holds 50, the rest going on in a CONTINUE record after its own flags byte; then a
        // rich string with 2 runs.
        let mut sst = 3u32.to_le_bytes().to_vec();
        sst.extend(3u32.to_le_bytes());
        sst.extend(300u16.to_le_bytes());
        sst.push(0);
        sst.extend([b'a'; 300]);
        sst.extend(200u16.to_le_bytes());
        sst.push(1);
        sst.extend([0x2D, 0x4E].repeat(50));
        let mut cont = vec![1];
        cont.extend([0x2D, 0x4E].repeat(150));
        cont.extend(7u16.to_le_bytes());
        cont.push(8);
        cont.extend(2u16.to_le_bytes());
        cont.extend(b"chapter");
        cont.extend([0; 8]);
        let label = |r: u16, isst: u32| {
            let mut d = r.to_le_bytes().to_vec();
            d.extend([0, 0, 0, 0]);
            d.extend(isst.to_le_bytes());
            record(0x00FD, &d)
        };
        let sheet = [
            label(0, 0),
            label(1, 1),
            label(2, 1),
            label(3, 2),
            label(4, 9),
        ]
        .concat();
        let stream = biff_stream(
            &[record(0x00FC, &sst), record(0x003C, &cont)],
            &[sheet],
            None,
        );
        let parts = [&sst[..], &cont[..]];
        assert_eq!(sst_lengths(&parts), [300, 200, 7]);
        let found = scan(&stream);
        assert_eq!(found.shared_text, 300 + 2 * 200 + 7);
        assert_eq!(found.cells, 5);
        assert_eq!(found.damage, None);
    }

    #[test]
    fn a_string_record_lands_at_the_last_formula_s_place() {
        // No formula before it: the parser puts it at A1, and a number far away makes the
        // grid 65 536 × 256.
        let string = record(0x0207, &[1, 0, 0, b'x']);
        let sheet = [string.clone(), cell(0x0203, 65_535, 255)].concat();
        assert_eq!(scan(&biff_stream(&[], &[sheet], None)).cells, 65_536 * 256);
        // After a formula at (65 535, 255): the string is its value, the grid one cell.
        let mut formula = 65_535u16.to_le_bytes().to_vec();
        formula.extend(255u16.to_le_bytes());
        formula.extend([0; 16]);
        formula.extend(3u16.to_le_bytes());
        formula.extend([0x1E, 1, 0]);
        let sheet = [record(0x0006, &formula), string].concat();
        let stream = biff_stream(&[], &[sheet], None);
        let found = scan(&stream);
        assert_eq!(found.cells, 1);
        // The formula's token length is found, to be cleared.
        let [at] = found.formula_lengths[..] else {
            panic!("{:?}", found.formula_lengths)
        };
        assert_eq!(u16_at(&stream, at), Some(3));
    }

    #[test]
    fn records_that_multiply_the_parser_s_work_are_damage() {
        let sheet = cell(0x0203, 0, 0);
        let once = biff_stream(&[], std::slice::from_ref(&sheet), None);
        assert_eq!(scan(&once).damage, None);
        // Two BOUNDSHEETs at the offset of one sheet.
        let at = once.len()
            - [record(0x0809, &[0; 16]), sheet.clone(), record(0x000A, &[])]
                .concat()
                .len()
            + record(0x0085, &[0; 9]).len();
        let twice = biff_stream(&[], &[sheet.clone(), sheet.clone()], Some(&[at, at]));
        assert_eq!(scan(&twice).damage, Some("two sheets at one offset"));
        // A record continued by empty CONTINUE records past the bound.
        let empty = record(0x003C, &[]);
        let mut globals = vec![record(0x00FC, &[0; 8])];
        globals.extend(std::iter::repeat_n(empty, MAX_CONTINUES + 1));
        let continued = biff_stream(&globals, &[sheet], None);
        assert!(scan(&continued).damage.is_some());
    }

    #[test]
    fn number_formats_are_read_from_the_format_and_xf_records() {
        let mut format = 164u16.to_le_bytes().to_vec();
        format.extend(5u16.to_le_bytes());
        format.push(0);
        format.extend(b"0.00%");
        let xf = |ifmt: u16| {
            let mut d = vec![0, 0];
            d.extend(ifmt.to_le_bytes());
            d.extend([0; 16]);
            record(0x00E0, &d)
        };
        let mut number = 1u16.to_le_bytes().to_vec();
        number.extend(0u16.to_le_bytes());
        number.extend(1u16.to_le_bytes());
        number.extend(0.5f64.to_le_bytes());
        // MULRK on row 2, columns 2 and 3: XF 0 (general), then XF 2 (`#,##0.00`).
        let mut mulrk = 2u16.to_le_bytes().to_vec();
        mulrk.extend(2u16.to_le_bytes());
        mulrk.extend([0, 0, 0, 0, 0, 0]);
        mulrk.extend([2, 0, 0, 0, 0, 0]);
        mulrk.extend(3u16.to_le_bytes());
        let sheet = [record(0x0203, &number), record(0x00BD, &mulrk)].concat();
        let globals = [record(0x041E, &format), xf(0), xf(164), xf(4)];
        let mut stream = biff_stream(&globals, &[sheet], None);
        // Only a BIFF8 globals BOF (version 0x0600) has formats read.
        assert!(scan(&stream).formats[0].is_empty());
        stream[4..6].copy_from_slice(&0x0600u16.to_le_bytes());
        let formats = &scan(&stream).formats[0];
        let code = |r, c| formats.get(&(r, c)).map(|code| code.to_string());
        assert_eq!(code(1, 0).as_deref(), Some("0.00%"));
        assert_eq!(code(2, 2), None);
        assert_eq!(code(2, 3).as_deref(), Some("#,##0.00"));
    }

    #[test]
    fn a_workbook_without_property_streams_is_read() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/department-budget-2026.xls"
        ))
        .unwrap();
        let mut biff = Biff::read(&bytes).unwrap();
        biff.properties.clear();
        // No stream small enough for a mini stream.
        assert!(biff.stream.len() >= 4096);
        let container = biff.container().unwrap();
        assert!(calamine::Xls::new(Cursor::new(container.as_slice())).is_ok());
    }
}

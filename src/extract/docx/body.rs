//! A story part (`document.xml`, `footnotes.xml`, `endnotes.xml`) streamed into paragraphs as
//! Word shows them.
//!
//! One pass of quick-xml events, no tree: a stack of open paragraphs (text boxes nest them), a
//! stack of open tables, and a stack of open complex fields. What always holds:
//! * only `w:t` text is read, so deleted text (`w:delText`), field instructions (`w:instrText`)
//!   and property text never leak in; `w:del`, `w:moveFrom`, `mc:Fallback`, property-change
//!   records (`w:pPrChange`…), `w:sdtPr` and ruby text are skipped whole, as is the content
//!   of a content control that shows its placeholder prompt;
//! * a complex field shows only its result (between `separate` and `end`);
//! * runs marked `w:vanish` are hidden;
//! * every finished paragraph gets its list marker from [`Numbering`] in document order, so
//!   counters see paragraphs exactly as Word does;
//! * table cells become one [`Para`] per row with cells joined by `\t`; a continued vertical
//!   merge is an empty cell; a nested table is flattened into its cell, its cells separated by
//!   spaces.

use std::io::BufRead;

use quick_xml::events::{BytesStart, Event};

use super::numbering::{Marker, Numbering, Suffix};
use super::styles::Styles;
use super::xml;
use super::{Align, DocxError};

/// One paragraph (or table row) as Word shows it, before the official-document frame is
/// recognised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Para {
    pub text: String,
    pub heading: Option<u8>,
    pub align: Align,
    pub numbered: bool,
    pub table_row: bool,
    pub title_style: bool,
    /// The font size of its smallest visible text, in half-points (`w:sz`), where measured
    /// (the first [`Story::sized_paras`] paragraphs) and known.
    pub size: Option<u16>,
    /// The footnote or endnote this paragraph belongs to (note parts only).
    pub note: Option<String>,
}

/// A footnote or endnote reference met in the body, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NoteRef {
    pub endnote: bool,
    pub id: String,
    pub label: String,
}

#[derive(Debug, Default)]
struct OpenPara {
    text: String,
    style: Option<usize>,
    num_id: Option<u32>,
    ilvl: Option<u8>,
    outline: Option<u8>,
    align: Option<Align>,
    /// The smallest font size a run with visible text sets itself.
    min_size: Option<u16>,
    /// Visible text in a run that sets no size (its size is the paragraph style's).
    unsized_text: bool,
}

impl OpenPara {
    /// Add visible text from a run of font size `size` (`None` when the run sets none).
    fn push_text(&mut self, text: &str, size: Option<Option<u16>>) {
        self.text.push_str(text);
        if let Some(size) = size
            && !text.trim().is_empty()
        {
            match size {
                Some(s) => self.min_size = Some(self.min_size.map_or(s, |m| m.min(s))),
                None => self.unsized_text = true,
            }
        }
    }
}

#[derive(Debug, Default)]
struct OpenTable {
    cells: Vec<String>,
    cell: String,
    /// The cell continues a vertical merge: shown empty, so columns stay aligned.
    merged_continue: bool,
    /// The cell continues a legacy horizontal merge (`w:hMerge`): not a cell of its own.
    merged_into_left: bool,
    row_deleted: bool,
    /// The row's measured cell paragraphs by font size.
    sizes: Sizes,
}

/// Characters counted by the font size they are set in.
#[derive(Debug, Default)]
pub(super) struct Sizes(Vec<(u16, usize)>);

impl Sizes {
    pub(super) fn add(&mut self, size: u16, text: &str) {
        let n = text.chars().count();
        match self.0.iter_mut().find(|(s, _)| *s == size) {
            Some((_, total)) => *total += n,
            None => self.0.push((size, n)),
        }
    }

    /// The size most characters are set in (the smaller on a tie), and the count emptied.
    pub(super) fn take_most(&mut self) -> Option<u16> {
        let size = self
            .0
            .iter()
            .max_by_key(|&&(size, n)| (n, std::cmp::Reverse(size)))
            .map(|&(size, _)| size);
        self.0.clear();
        size
    }
}

/// Elements whose whole content Word does not show.
fn skipped(name: &str) -> bool {
    matches!(
        name,
        "del"
            | "moveFrom"
            | "Fallback"
            | "sdtPr"
            | "pPrChange"
            | "rPrChange"
            | "sectPrChange"
            | "tblPrChange"
            | "trPrChange"
            | "tcPrChange"
            | "tblGridChange"
            | "numberingChange"
            | "sectPr"
            | "instrText"
            | "delText"
            | "delInstrText"
            | "rt"
    )
}

/// Whether [`Story::read`] acts on (or skips whole, which it may do with effect) the element of
/// this local name: a property container holding none of these can be skipped unread.
fn read_by_story(name: &[u8]) -> bool {
    matches!(
        name,
        b"p" | b"pPr"
            | b"rPr"
            | b"r"
            | b"t"
            | b"trPr"
            | b"tcPr"
            | b"tbl"
            | b"tr"
            | b"tc"
            | b"vMerge"
            | b"hMerge"
            | b"footnote"
            | b"endnote"
            | b"pStyle"
            | b"ilvl"
            | b"numId"
            | b"outlineLvl"
            | b"jc"
            | b"textpath"
            | b"vanish"
            | b"tab"
            | b"ptab"
            | b"br"
            | b"cr"
            | b"noBreakHyphen"
            | b"sym"
            | b"footnoteReference"
            | b"endnoteReference"
            | b"fldChar"
            | b"sdtContent"
            | b"del"
            | b"moveFrom"
            | b"Fallback"
            | b"sdtPr"
            | b"pPrChange"
            | b"rPrChange"
            | b"sectPrChange"
            | b"tblPrChange"
            | b"trPrChange"
            | b"tcPrChange"
            | b"tblGridChange"
            | b"numberingChange"
            | b"sectPr"
            | b"instrText"
            | b"delText"
            | b"delInstrText"
            | b"rt"
    )
}

pub(super) struct Story<'a> {
    pub styles: &'a Styles,
    pub numbering: &'a mut Numbering,
    pub max_depth: usize,
    pub part: &'a str,
    /// Note references met so far (filled while reading the main document).
    pub note_refs: Vec<NoteRef>,
    /// How many paragraphs, from the start, get their font size measured: the title is read
    /// from the first ones, against the size most of them are set in. Reading run properties
    /// costs time, so not every paragraph's is read.
    pub sized_paras: usize,
    /// Set when the part turned malformed after some text was read: the error, kept as a
    /// warning, and the text up to it.
    pub damaged: Option<DocxError>,
    /// Set when a paragraph names a style (`w:pStyle`), and when one is in a list
    /// (`w:numId`): what the caller may have read the part's styles and lists for.
    pub named_style: bool,
    pub listed: bool,
}

impl Story<'_> {
    /// Read one story part into its paragraphs, in order.
    ///
    /// # Errors
    /// `malformed` when the XML cannot be read; `limit` when it nests deeper than allowed.
    pub(super) fn read(&mut self, bytes: &[u8]) -> Result<Vec<Para>, DocxError> {
        let bytes = xml::utf8(bytes);
        let mut reader = xml::reader(&bytes);
        let mut out = Vec::new();
        let mut paras: Vec<OpenPara> = Vec::new();
        let mut tables: Vec<OpenTable> = Vec::new();
        let mut fields: Vec<bool> = Vec::new();
        let mut note: Option<String> = None;
        let mut depth = 0usize;
        // An `w:sdt` showing its placeholder (`w:showingPlcHdr`): its content is prompt text.
        let mut placeholder = false;
        let (mut in_t, mut in_ppr, mut in_rpr, mut in_run, mut hidden) =
            (false, false, false, false, false);
        let (mut in_trpr, mut in_tcpr) = (false, false);
        // Plain events are read without quick-xml (see `xml::plain_event`) where it is between
        // events in its text state (after a tag, not after text or a reference), in a part
        // that is UTF-8 throughout; elsewhere quick-xml reads, and finds any damage.
        let text = std::str::from_utf8(&bytes).ok();
        let mut skipper = xml::Skipper::new(read_by_story);
        // The current run's own font size; `None` outside the measured paragraphs.
        let mut run_size: Option<Option<u16>> = None;
        let mut between = false;
        loop {
            let plain = match text {
                Some(text) if between => {
                    let rest: &[u8] = reader.get_ref();
                    text.get(text.len() - rest.len()..)
                        .and_then(xml::plain_event)
                }
                _ => None,
            };
            let event = match plain {
                Some((event, len)) => {
                    reader.stream().consume(len);
                    event
                }
                None => match reader.read_event() {
                    Ok(event) => {
                        between =
                            matches!(event, Event::Start(_) | Event::Empty(_) | Event::End(_));
                        event
                    }
                    // Damage after some text: keep what was read, say so.
                    Err(e) if !out.is_empty() || !paras.is_empty() => {
                        self.damaged = Some(xml::xml_error(self.part)(e));
                        break;
                    }
                    Err(e) => return Err(xml::xml_error(self.part)(e)),
                },
            };
            let (e, is_start) = match event {
                Event::Text(t) => {
                    if in_t
                        && !hidden
                        && fields.iter().all(|&r| r)
                        && let Some(p) = paras.last_mut()
                    {
                        p.push_text(&t.xml10_content(), run_size);
                    }
                    continue;
                }
                Event::CData(t) => {
                    if in_t
                        && !hidden
                        && fields.iter().all(|&r| r)
                        && let Some(p) = paras.last_mut()
                    {
                        p.push_text(&t, run_size);
                    }
                    continue;
                }
                Event::GeneralRef(r) => {
                    if in_t
                        && !hidden
                        && fields.iter().all(|&r| r)
                        && let Some(p) = paras.last_mut()
                    {
                        xml::push_ref(&mut p.text, &r);
                    }
                    continue;
                }
                Event::End(end) => {
                    depth = depth.saturating_sub(1);
                    match xml::split_name(end.name().as_ref()).1 {
                        "t" => in_t = false,
                        "pPr" => in_ppr = false,
                        "rPr" => in_rpr = false,
                        "r" => {
                            in_run = false;
                            hidden = false;
                            run_size = None;
                        }
                        "trPr" => in_trpr = false,
                        "tcPr" => in_tcpr = false,
                        "p" => {
                            if let Some(open) = paras.pop() {
                                let in_cell = !tables.is_empty();
                                self.finish(open, in_cell, note.as_ref(), &mut out, &mut tables);
                            }
                        }
                        "tc" => {
                            if let Some(t) = tables.last_mut() {
                                let cell = std::mem::take(&mut t.cell);
                                if t.merged_into_left {
                                    if let Some(left) = t.cells.last_mut() {
                                        join_into(left, &cell);
                                    }
                                } else {
                                    t.cells.push(if t.merged_continue {
                                        String::new()
                                    } else {
                                        cell
                                    });
                                }
                            }
                        }
                        "tr" => {
                            if let Some(t) = tables.last_mut() {
                                let cells = std::mem::take(&mut t.cells);
                                let size = t.sizes.take_most();
                                if !t.row_deleted && cells.iter().any(|c| !c.is_empty()) {
                                    if tables.len() > 1 {
                                        let row = cells.join(" ");
                                        let at = tables.len() - 2;
                                        let parent = &mut tables[at];
                                        join_into(&mut parent.cell, &row);
                                    } else {
                                        out.push(Para {
                                            text: cells.join("\t"),
                                            table_row: true,
                                            size,
                                            note: note.clone(),
                                            ..Para::default()
                                        });
                                    }
                                }
                            }
                        }
                        "tbl" => {
                            tables.pop();
                        }
                        "footnote" | "endnote" => note = None,
                        _ => {}
                    }
                    continue;
                }
                Event::Start(e) => (e, true),
                Event::Empty(e) => (e, false),
                Event::Eof => break,
                _ => continue,
            };
            if is_start {
                depth += 1;
                xml::check_depth(depth, self.max_depth, self.part)?;
            }
            let qname = e.name();
            let (prefix, name) = xml::split_name(qname.as_ref());
            if in_trpr && name == "del" {
                if let Some(t) = tables.last_mut() {
                    t.row_deleted = true;
                }
                continue;
            }
            let placeholder_content = name == "sdtContent" && std::mem::take(&mut placeholder);
            if skipped(name) || placeholder_content {
                if is_start {
                    // Skipped unread; the subtree is never looked at.
                    let inner = xml::skip(&mut reader, qname).map_err(xml::xml_error(self.part))?;
                    depth -= 1;
                    if name == "sdtPr" {
                        placeholder = memchr::memmem::find(inner, b"showingPlcHdr").is_some();
                    }
                }
                continue;
            }
            // Property containers (run, cell, row and table properties, the table grid,
            // drawings) are mostly elements nothing here reads: skipped unread when so.
            let sized = out.len() < self.sized_paras;
            if is_start
                && in_run
                && name == "rPr"
                && let Some(size) = run_size.as_mut()
            {
                // Read from the bytes: the properties are still skipped when nothing else in
                // them is read (when read, the `sz` below finds the same).
                *size = xml::run_size_ahead(reader.get_ref());
            }
            if is_start
                && !in_t
                && matches!(
                    name,
                    "rPr" | "tcPr" | "trPr" | "tblPr" | "tblGrid" | "drawing" | "tcBorders"
                )
                && skipper
                    .skip_unless(&mut reader, qname, self.max_depth.saturating_sub(depth))
                    .map_err(xml::xml_error(self.part))?
            {
                depth -= 1;
                continue;
            }
            match name {
                "p" if is_start => paras.push(OpenPara::default()),
                "p" => {
                    // An empty `<w:p/>` still counts as a (blank) paragraph.
                    self.finish(
                        OpenPara::default(),
                        !tables.is_empty(),
                        note.as_ref(),
                        &mut out,
                        &mut tables,
                    );
                }
                "pPr" if is_start => in_ppr = true,
                "rPr" if is_start => in_rpr = true,
                "r" if is_start => {
                    in_run = true;
                    hidden = false;
                    run_size = sized.then_some(None);
                }
                "t" if is_start && prefix != Some("a") => in_t = true,
                "trPr" if is_start => in_trpr = true,
                "tcPr" if is_start => in_tcpr = true,
                "tbl" if is_start => tables.push(OpenTable::default()),
                "tr" => {
                    if let Some(t) = tables.last_mut() {
                        t.cells.clear();
                        t.row_deleted = false;
                    }
                }
                "tc" => {
                    if let Some(t) = tables.last_mut() {
                        t.cell.clear();
                        t.merged_continue = false;
                        t.merged_into_left = false;
                    }
                }
                "vMerge" if in_tcpr => {
                    if let Some(t) = tables.last_mut() {
                        t.merged_continue = xml::attr(&e, "val").as_deref() != Some("restart");
                    }
                }
                "hMerge" if in_tcpr => {
                    if let Some(t) = tables.last_mut() {
                        t.merged_into_left = xml::attr(&e, "val").as_deref() != Some("restart");
                    }
                }
                "footnote" | "endnote" => {
                    let separator = matches!(
                        xml::attr(&e, "type").as_deref(),
                        Some("separator" | "continuationSeparator" | "continuationNotice")
                    );
                    if separator {
                        if is_start {
                            xml::skip(&mut reader, qname).map_err(xml::xml_error(self.part))?;
                            depth -= 1;
                        }
                    } else {
                        note = xml::attr_str(&e, "id");
                    }
                }
                _ if in_ppr && !in_rpr => {
                    let Some(p) = paras.last_mut() else {
                        continue;
                    };
                    match name {
                        "pStyle" => {
                            self.named_style = true;
                            p.style = xml::attr(&e, "val").and_then(|v| self.styles.index(&v));
                        }
                        "ilvl" => p.ilvl = xml::attr_num(&e, "val"),
                        "numId" => {
                            self.listed = true;
                            p.num_id = xml::attr_num(&e, "val");
                        }
                        "outlineLvl" => p.outline = xml::attr_num(&e, "val"),
                        "jc" => p.align = xml::attr(&e, "val").map(|v| Align::from_jc(&v)),
                        _ => {}
                    }
                }
                // VML WordArt (the red masthead of many older files) keeps its text in an
                // attribute; it shows as a line of its own.
                "textpath" => {
                    if let Some(text) = xml::attr_str(&e, "string").filter(|t| !t.trim().is_empty())
                    {
                        match tables.last_mut() {
                            Some(t) => join_into(&mut t.cell, &text),
                            None => out.push(Para {
                                text: trim(&text).to_string(),
                                align: Align::Center,
                                note: note.clone(),
                                ..Para::default()
                            }),
                        }
                    }
                }
                "vanish" if in_rpr && in_run && !in_ppr => hidden = xml::on_off(&e),
                "sz" if in_rpr && in_run && !in_ppr => {
                    if let Some(size) = run_size.as_mut() {
                        *size = xml::attr_num(&e, "val");
                    }
                }
                _ if in_run && !in_rpr && !hidden && fields.iter().all(|&r| r) => {
                    let Some(p) = paras.last_mut() else {
                        continue;
                    };
                    match name {
                        "tab" | "ptab" => p.text.push(' '),
                        "br" => match xml::attr(&e, "type").as_deref() {
                            Some("page" | "column") => {}
                            _ => p.text.push('\n'),
                        },
                        "cr" => p.text.push('\n'),
                        "noBreakHyphen" => p.text.push('-'),
                        "sym" => {
                            if let Some(c) = symbol(&e) {
                                p.text.push(c);
                            }
                        }
                        "footnoteReference" | "endnoteReference" => {
                            if let Some(id) = xml::attr_str(&e, "id") {
                                let endnote = name == "endnoteReference";
                                let n = self
                                    .note_refs
                                    .iter()
                                    .filter(|r| r.endnote == endnote)
                                    .count()
                                    + 1;
                                let label = note_label(n as u32, endnote);
                                p.text.push_str(&label);
                                self.note_refs.push(NoteRef { endnote, id, label });
                            }
                        }
                        "fldChar" => field_char(&e, &mut fields),
                        _ => {}
                    }
                }
                "fldChar" => field_char(&e, &mut fields),
                _ => {}
            }
        }
        // Unclosed paragraphs at the end of a truncated part still show.
        while let Some(open) = paras.pop() {
            let in_cell = !tables.is_empty();
            self.finish(open, in_cell, note.as_ref(), &mut out, &mut tables);
        }
        Ok(out)
    }

    /// Resolve a finished paragraph's list marker and heading level, and put it where it
    /// belongs: the current table cell, or the output.
    fn finish(
        &mut self,
        open: OpenPara,
        in_cell: bool,
        note: Option<&String>,
        out: &mut Vec<Para>,
        tables: &mut [OpenTable],
    ) {
        let style = self.styles.get(open.style);
        let num_id = open
            .num_id
            .or(style.and_then(|s| s.num_id))
            .filter(|&n| n != 0);
        let marker = num_id.and_then(|num_id| {
            let ilvl = open
                .ilvl
                .or_else(|| style.and_then(|s| s.ilvl))
                .or_else(|| style.and_then(|s| self.numbering.level_for_style(num_id, &s.id)))
                .unwrap_or(0);
            self.numbering.next(num_id, ilvl)
        });
        let heading = match open.outline {
            Some(o) if o < 9 => Some(o + 1),
            Some(_) => None,
            None => style.and_then(|s| s.heading),
        };
        let numbered = marker.as_ref().is_some_and(|m| !m.text.is_empty());
        let text = match marker.filter(|m| !m.text.is_empty()) {
            // The common case: the run text itself, trimmed in place.
            None => trim_owned(open.text),
            Some(m) => with_marker(m, trim(&open.text)),
        };
        let style_size = open.unsized_text.then(|| {
            style
                .and_then(|s| s.size)
                .or_else(|| self.styles.default_size())
        });
        let size = match (open.min_size, style_size) {
            (Some(a), Some(Some(b))) => Some(a.min(b)),
            (Some(a), None) => Some(a),
            (None, Some(b)) => b,
            // Text in an unknown size beside sized runs: the smallest is not known.
            (Some(_), Some(None)) | (None, None) => None,
        };
        if in_cell {
            if let Some(t) = tables.last_mut() {
                join_into(&mut t.cell, &text.replace('\n', " "));
                if let Some(size) = size {
                    t.sizes.add(size, &text);
                }
            }
            return;
        }
        let align = open
            .align
            .or_else(|| style.and_then(|s| s.align))
            .unwrap_or_default();
        let title_style = style.is_some_and(|s| s.is_title);
        let base = Para {
            text: String::new(),
            heading,
            align,
            numbered,
            table_row: false,
            title_style,
            size,
            note: note.cloned(),
        };
        if text.contains('\n') {
            // A line break inside a paragraph shows as a new line: one Para per line.
            push_lines(out, &text, base);
        } else {
            out.push(Para { text, ..base });
        }
    }
}

/// A finished paragraph as the paragraphs Word shows: one per line where a line break parts
/// it, the first keeping `base.numbered`; a paragraph with no text stays, empty, keeping only
/// its alignment and note.
pub(super) fn push_lines(out: &mut Vec<Para>, text: &str, base: Para) {
    let mut lines = text
        .split('\n')
        .map(trim)
        .filter(|l| !l.is_empty())
        .peekable();
    if lines.peek().is_none() {
        out.push(Para {
            align: base.align,
            note: base.note,
            ..Para::default()
        });
        return;
    }
    let mut first = true;
    for line in lines {
        out.push(Para {
            text: line.to_string(),
            numbered: base.numbered && first,
            ..base.clone()
        });
        first = false;
    }
}

/// A finished table row: one paragraph of its cells parted by tabs, unless every cell is
/// empty.
pub(super) fn push_row(out: &mut Vec<Para>, cells: Vec<String>) {
    if cells.iter().any(|c| !c.is_empty()) {
        out.push(Para {
            text: cells.join("\t"),
            table_row: true,
            ..Para::default()
        });
    }
}

/// A paragraph's text after the list marker Word shows before it.
pub(super) fn with_marker(marker: Marker, body: &str) -> String {
    let mut text = marker.text;
    let gap = match marker.suffix {
        Suffix::Nothing => false,
        Suffix::Space => true,
        // A tab after a marker ending in punctuation (`一、`, `1.`) shows as alignment only, as
        // after `①` or `⑴`; after `第一章`, `A` or a bare `2.1` it separates words.
        Suffix::Tab => text
            .chars()
            .last()
            .is_some_and(|c| c.is_alphabetic() || c.is_ascii_digit()),
    };
    if gap && !body.is_empty() {
        text.push(' ');
    }
    text.push_str(body);
    text
}

fn field_char(e: &BytesStart<'_>, fields: &mut Vec<bool>) {
    match xml::attr(e, "fldCharType").as_deref() {
        Some("begin") => fields.push(false),
        Some("separate") => {
            if let Some(f) = fields.last_mut() {
                *f = true;
            }
        }
        Some("end") => {
            fields.pop();
        }
        _ => {}
    }
}

/// `[1]` for footnotes, `[i]` for endnotes (Word's default numbering of each).
pub(super) fn note_label(n: u32, endnote: bool) -> String {
    let mut s = String::from("[");
    super::numbering::format_number(
        n,
        if endnote {
            super::numbering::NumFmt::LowerRoman
        } else {
            super::numbering::NumFmt::Decimal
        },
        &mut s,
    );
    s.push(']');
    s
}

/// The character a `w:sym` draws: a Unicode code point as is; a Symbol/Wingdings private-use
/// code mapped where it has a Unicode twin, else dropped.
fn symbol(e: &BytesStart<'_>) -> Option<char> {
    let code = xml::attr(e, "char")?;
    let code = u32::from_str_radix(&code, 16).ok()?;
    match code {
        0xF0B7 => Some('•'),
        0xF0FC => Some('✓'),
        0xF0FE => Some('☑'),
        0xF0A8 | 0xF06F => Some('□'),
        0xF0D7 => Some('×'),
        0xE000..=0xF8FF => None,
        c => char::from_u32(c),
    }
}

/// Whitespace Word shows as indentation or alignment around a paragraph, including U+3000 and
/// no-break spaces.
fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}')
}

/// [`trim`] without a new allocation.
fn trim_owned(mut s: String) -> String {
    let trimmed = trim(&s);
    if trimmed.len() != s.len() {
        let start = trimmed.as_ptr() as usize - s.as_ptr() as usize;
        let end = start + trimmed.len();
        s.truncate(end);
        s.drain(..start);
    }
    s
}

/// Append a finished paragraph of a table cell to the cell: a space between them unless both
/// sides are CJK.
pub(crate) fn join_into(cell: &mut String, piece: &str) {
    let piece = trim(piece);
    if piece.is_empty() {
        return;
    }
    if let (Some(a), Some(b)) = (cell.chars().last(), piece.chars().next())
        && !(is_cjk(a) && is_cjk(b))
    {
        cell.push(' ');
    }
    cell.push_str(piece);
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

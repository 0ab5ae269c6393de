//! RTF documents (what report systems and Word's "Save as RTF" write, often under a `.doc`
//! name) → the paragraphs the DOCX reader makes, so the same official-document frame, blocks
//! and fields come out.
//!
//! In: the bytes of an RTF file (`{\rtf1 …`). Out: a [`Document`] built as for a DOCX file, by
//! [`super::frame`] and [`super::build`].
//!
//! One pass over the bytes, a stack of group states, no tree:
//! * text is decoded in the code page of its font's `\fcharset` (`134` → GBK), else the
//!   document's `\ansicpg`; `\uN` is a Unicode character whose `\ucN` fallback characters are
//!   skipped; a DBCS character split over two `\'hh` escapes is decoded whole;
//! * destinations that are not body text (font, colour and style tables, list definitions,
//!   pictures, headers and footers, footnotes, comments, field instructions, and every `\*`
//!   group) show nothing; a field shows its result; a list item shows the marker the writer
//!   put in `\listtext` (`一、`, `（一）`); hidden (`\v`) and deleted text is left out;
//! * `\par` ends a paragraph, `\line` breaks a line, `\tab` is a space; in a table (`\intbl`)
//!   paragraphs join their cell, `\cell` ends the cell and `\row` the row, one paragraph of
//!   tab-separated cells; nested cells (`\nestcell`) are flattened into their cell;
//! * `\qc` and `\qr` align, `\outlinelevelN` makes a heading, `\fsN` sizes the text (the
//!   title rules read it); the `\info` group's `\title` and `\author` are the document
//!   properties `title` and `creator`.
//!
//! What always holds: groups nest at most `limits.max_xml_depth` deep (a deeper file fails
//! with kind `limit`), at most `limits.max_text_chars` characters are kept, `\binN` skips its
//! bytes without reading them, and nothing is repaired here.

use std::collections::HashMap;

use encoding_rs::Encoding;

use super::body::{Para, join_into, push_lines, push_row};
use super::styles::heading_level_from_name;
use super::{Align, frame};
use crate::config::Limits;
use crate::document::Document;

/// Why an RTF file could not be read. `kind()` gives the stable error kind.
#[derive(Debug, thiserror::Error)]
pub enum RtfError {
    #[error("not an rtf document")]
    NotRtf,
    #[error("rtf groups nest deeper than {limit}")]
    TooDeep { limit: usize },
}

impl RtfError {
    /// The stable kind: `malformed` or `limit`.
    pub fn kind(&self) -> &'static str {
        match self {
            RtfError::NotRtf => "malformed",
            RtfError::TooDeep { .. } => "limit",
        }
    }
}

/// Whether `bytes` start an RTF document (after a byte order mark or white space).
pub fn is_rtf(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes[start..].starts_with(b"{\\rtf")
}

/// Destinations whose text is not body text, sorted (they are looked up by binary search).
const SKIPPED: &[&str] = &[
    "annotation",
    "atnauthor",
    "atndate",
    "atnid",
    "atnparent",
    "atnref",
    "atntime",
    "author",
    "bkmkend",
    "bkmkstart",
    "colortbl",
    "comment",
    "company",
    "datastore",
    "do",
    "doccomm",
    "fldinst",
    "footer",
    "footerf",
    "footerl",
    "footerr",
    "footnote",
    "ftncn",
    "ftnsep",
    "ftnsepc",
    "generator",
    "header",
    "headerf",
    "headerl",
    "headerr",
    "keywords",
    "latentstyles",
    "listoverridetable",
    "listtable",
    "nonshppict",
    "object",
    "operator",
    "pict",
    "pn",
    "pntxta",
    "pntxtb",
    "printim",
    "revtbl",
    "rsidtbl",
    "shp",
    "subject",
    "template",
    "themedata",
    "title",
    "xmlnstbl",
];

/// Where the text of a group goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dest {
    Body,
    /// Not shown.
    Skip,
    FontTable,
    /// The style sheet: style names are read.
    StyleSheet,
    /// The document information group, not shown but for its properties.
    Info,
    /// A document property of `\info`.
    Property(&'static str),
    /// A time of `\info` (`\creatim`, `\revtim`), read from `\yr`, `\mo`…
    Time(&'static str),
}

/// The state a group inherits and restores.
#[derive(Debug, Clone, Copy)]
struct State {
    dest: Dest,
    /// Fallback characters after `\uN`.
    uc: usize,
    font: Option<i32>,
    size: Option<u16>,
    hidden: bool,
    align: Align,
    in_table: bool,
    outline: Option<u8>,
    /// A list item's marker (`\listtext`): a tab after it shows as Word shows it.
    list_text: bool,
    /// The paragraph style (`\sN`).
    style: Option<i32>,
    /// Double-byte text is being written (`\dbch`), and its size (`\afs` after `\dbch`).
    dbch: bool,
    dbch_size: Option<u16>,
    /// Where the text of an alternative inside a skipped group goes: a shape's text box
    /// (`\shptxt`), the Unicode version of a `\upr` (`\ud`), an object's result.
    resume: Dest,
}

impl Default for State {
    fn default() -> State {
        State {
            dest: Dest::Body,
            uc: 1,
            font: None,
            size: None,
            hidden: false,
            align: Align::Left,
            in_table: false,
            outline: None,
            list_text: false,
            style: None,
            dbch: false,
            dbch_size: None,
            resume: Dest::Skip,
        }
    }
}

/// The paragraph a text box interrupted, and the group depth of the text box.
#[derive(Debug)]
struct Interrupted {
    depth: usize,
    open: String,
    open_size: Option<u16>,
    cell: String,
    cells: Vec<String>,
}

/// Extract an RTF document.
///
/// # Errors
/// `malformed` when the bytes do not start an RTF document; `limit` when its groups nest deeper
/// than `limits.max_xml_depth`.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<Document, RtfError> {
    if !is_rtf(bytes) {
        return Err(RtfError::NotRtf);
    }
    let mut reader = Reader::new(limits.max_text_chars);
    reader.read(bytes, limits.max_xml_depth)?;
    let mut doc = Document::default();
    if reader.budget == 0 {
        doc.warnings.push(format!(
            "rtf text cut at {} characters",
            limits.max_text_chars
        ));
    }
    let paras = reader.finish();
    let frame = frame::recognise(&paras);
    super::build(&mut doc, &paras, &[], frame, &reader.properties, limits);
    Ok(doc)
}

struct Reader {
    stack: Vec<State>,
    state: State,
    /// Fonts by number: the encoding of their `\fcharset`, `None` for the document's.
    fonts: HashMap<i32, Option<&'static Encoding>>,
    /// The font table entry being read, and its charset.
    font_entry: Option<(i32, Option<u8>)>,
    ansi: &'static Encoding,
    default_font: Option<i32>,
    /// Bytes of text not decoded yet, and the encoding they are in.
    pending: Vec<u8>,
    pending_in: Option<&'static Encoding>,
    /// Fallback characters still to skip after a `\uN`.
    skip: usize,
    paras: Vec<Para>,
    open: String,
    open_size: Option<u16>,
    cell: String,
    cells: Vec<String>,
    /// Document properties, and the one being read.
    properties: Vec<(String, String)>,
    property: String,
    /// Characters still to keep.
    budget: usize,
    interrupted: Vec<Interrupted>,
    /// Paragraph style names by number, and the style sheet entry being read.
    styles: HashMap<i32, String>,
    style_entry: Option<i32>,
    /// The `\info` time being read: year, month, day, hour, minute, second.
    time: [u16; 6],
}

impl Reader {
    fn new(budget: usize) -> Reader {
        Reader {
            stack: Vec::new(),
            state: State::default(),
            fonts: HashMap::new(),
            font_entry: None,
            ansi: encoding_rs::WINDOWS_1252,
            default_font: None,
            pending: Vec::new(),
            pending_in: None,
            skip: 0,
            paras: Vec::new(),
            open: String::new(),
            open_size: None,
            cell: String::new(),
            cells: Vec::new(),
            properties: Vec::new(),
            property: String::new(),
            budget,
            interrupted: Vec::new(),
            styles: HashMap::new(),
            style_entry: None,
            time: [0; 6],
        }
    }

    fn read(&mut self, bytes: &[u8], max_depth: usize) -> Result<(), RtfError> {
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            i += 1;
            match b {
                b'{' => {
                    self.flush();
                    if self.stack.len() >= max_depth {
                        return Err(RtfError::TooDeep { limit: max_depth });
                    }
                    self.stack.push(self.state);
                    self.skip = 0;
                }
                b'}' => {
                    self.flush();
                    self.close_group();
                    if self.stack.is_empty() {
                        // The end of the document: anything after it is not RTF.
                        break;
                    }
                }
                b'\\' => i = self.control(bytes, i),
                b'\r' | b'\n' => {}
                _ => self.byte(b),
            }
        }
        self.flush();
        Ok(())
    }

    /// Read the control word or symbol after a backslash at `i`; returns where reading goes on.
    fn control(&mut self, bytes: &[u8], mut i: usize) -> usize {
        let Some(&c) = bytes.get(i) else {
            return i;
        };
        if !c.is_ascii_alphabetic() {
            i += 1;
            match c {
                b'\'' => {
                    let hex = bytes
                        .get(i..i + 2)
                        .and_then(|h| std::str::from_utf8(h).ok());
                    if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                        self.byte(b);
                        return i + 2;
                    }
                }
                b'*' => {
                    // An ignorable destination: never body text.
                    self.state.dest = Dest::Skip;
                }
                b'\\' | b'{' | b'}' => self.byte(c),
                b'~' => self.text(" "),
                b'_' => self.text("-"),
                b'\r' | b'\n' => self.paragraph_end(),
                _ => {}
            }
            return i;
        }
        let start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
        }
        let word = std::str::from_utf8(&bytes[start..i]).unwrap_or("");
        let digits = i;
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        while bytes.get(i).is_some_and(u8::is_ascii_digit) && i - digits < 10 {
            i += 1;
        }
        let param = std::str::from_utf8(&bytes[digits..i])
            .ok()
            .and_then(|p| p.parse::<i32>().ok());
        if bytes.get(i) == Some(&b' ') {
            i += 1;
        }
        if word == "bin" {
            // Binary data: skipped, whatever it holds.
            self.flush();
            let n = param.unwrap_or(0).max(0) as usize;
            return i.saturating_add(n).min(bytes.len());
        }
        self.word(word, param);
        i
    }

    fn word(&mut self, word: &str, param: Option<i32>) {
        let on = param != Some(0);
        match word {
            "fonttbl" => {
                self.flush();
                self.state.dest = Dest::FontTable;
            }
            "stylesheet" => {
                self.flush();
                self.state.dest = Dest::StyleSheet;
            }
            "s" if self.state.dest == Dest::StyleSheet => {
                self.style_entry = param;
                self.property.clear();
            }
            "s" => self.state.style = param,
            "dbch" => self.state.dbch = true,
            "loch" | "hich" => self.state.dbch = false,
            "afs" if self.state.dbch => {
                self.state.dbch_size = param.and_then(|p| u16::try_from(p).ok());
            }
            "f" if self.state.dest == Dest::FontTable => {
                self.font_entry = param.map(|n| (n, None));
            }
            "fcharset" if self.state.dest == Dest::FontTable => {
                if let Some((_, charset)) = self.font_entry.as_mut() {
                    *charset = param.and_then(|p| u8::try_from(p).ok());
                }
            }
            "info" => {
                self.flush();
                self.state.dest = Dest::Info;
            }
            "creatim" | "revtim" if self.state.dest == Dest::Info => {
                self.flush();
                self.state.dest = Dest::Time(if word == "creatim" {
                    "created"
                } else {
                    "modified"
                });
                self.time = [0; 6];
            }
            "yr" | "mo" | "dy" | "hr" | "min" | "sec"
                if matches!(self.state.dest, Dest::Time(_)) =>
            {
                let i = ["yr", "mo", "dy", "hr", "min", "sec"]
                    .iter()
                    .position(|w| *w == word)
                    .unwrap_or(0);
                self.time[i] = param.unwrap_or(0).clamp(0, 9999) as u16;
            }
            "title" | "author" if self.state.dest == Dest::Info => {
                self.flush();
                self.state.dest = Dest::Property(if word == "title" { "title" } else { "creator" });
                self.property.clear();
            }
            // A group of alternatives, one of which is shown where the group stands.
            "shp" | "upr" | "object" => {
                self.flush();
                self.state.resume = self.state.dest;
                self.state.dest = Dest::Skip;
            }
            "ud" | "result" => self.state.dest = self.state.resume,
            "shptxt" => {
                self.flush();
                self.state.dest = self.state.resume;
                if self.state.dest == Dest::Body {
                    // The text box's paragraphs come before the one holding the shape.
                    self.interrupted.push(Interrupted {
                        depth: self.stack.len(),
                        open: std::mem::take(&mut self.open),
                        open_size: self.open_size.take(),
                        cell: std::mem::take(&mut self.cell),
                        cells: std::mem::take(&mut self.cells),
                    });
                    self.state.in_table = false;
                }
            }
            w if SKIPPED.binary_search(&w).is_ok() => {
                self.flush();
                self.state.dest = Dest::Skip;
            }
            "ansicpg" => {
                if let Some(e) = param
                    .and_then(|p| u16::try_from(p).ok())
                    .and_then(super::binary::code_page)
                {
                    self.ansi = e;
                }
            }
            "deff" => self.default_font = param,
            "uc" => self.state.uc = param.unwrap_or(1).clamp(0, 8) as usize,
            "u" => {
                if let Some(n) = param {
                    // Negative for code points past 32767.
                    let code = if n < 0 { n + 65536 } else { n };
                    if let Some(c) = u32::try_from(code).ok().and_then(char::from_u32) {
                        self.flush();
                        let mut buf = [0u8; 4];
                        self.text(c.encode_utf8(&mut buf));
                    }
                    self.skip = self.state.uc;
                }
            }
            "par" | "sect" => self.paragraph_end(),
            "line" => self.text("\n"),
            "listtext" | "pntext" => self.state.list_text = true,
            // After a marker ending in punctuation (`一、`, `1.`) a tab only aligns; after `第一章`
            // or a bare `2.1` it parts words (as `body::with_marker`).
            "tab" if self.state.list_text => {
                self.flush();
                if self
                    .open
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_alphabetic() || c.is_ascii_digit())
                {
                    self.text(" ");
                }
            }
            "tab" => self.text(" "),
            "emdash" => self.text("—"),
            "endash" => self.text("–"),
            "lquote" => self.text("‘"),
            "rquote" => self.text("’"),
            "ldblquote" => self.text("“"),
            "rdblquote" => self.text("”"),
            "bullet" => self.text("•"),
            "emspace" | "enspace" | "qmspace" => self.text(" "),
            "cell" => self.cell_end(),
            "nestcell" => {
                self.flush();
                let text = std::mem::take(&mut self.open);
                join_into(&mut self.cell, &text.replace('\n', " "));
            }
            "row" => self.row_end(),
            "pard" => {
                self.flush();
                self.state.style = None;
                self.state.align = Align::Left;
                self.state.in_table = false;
                self.state.outline = None;
            }
            "plain" => {
                self.flush();
                self.state.size = None;
                self.state.dbch_size = None;
                self.state.hidden = false;
                self.state.font = None;
            }
            "intbl" => self.state.in_table = on,
            "qc" => self.state.align = Align::Center,
            "qr" => self.state.align = Align::Right,
            "ql" | "qj" | "qd" => self.state.align = Align::Left,
            "outlinelevel" => self.state.outline = param.and_then(|p| u8::try_from(p).ok()),
            "f" => {
                self.flush();
                self.state.font = param;
            }
            "fs" => self.state.size = param.and_then(|p| u16::try_from(p).ok()),
            "v" | "deleted" => {
                self.flush();
                self.state.hidden = on;
            }
            _ => {}
        }
    }

    fn close_group(&mut self) {
        if self
            .interrupted
            .last()
            .is_some_and(|i| i.depth == self.stack.len())
        {
            if self.open.chars().any(|c| !c.is_whitespace()) {
                self.state.in_table = false;
                self.paragraph_end();
            }
            if let Some(i) = self.interrupted.pop() {
                self.open = i.open;
                self.open_size = i.open_size;
                self.cell = i.cell;
                self.cells = i.cells;
            }
        }
        match self.state.dest {
            Dest::FontTable => {
                if let Some((n, charset)) = self.font_entry.take() {
                    self.fonts.insert(n, charset.and_then(charset_encoding));
                }
            }
            Dest::Time(name) => {
                let [y, mo, d, h, mi, s] = self.time;
                if y > 0 && (1..=12).contains(&mo) && (1..=31).contains(&d) {
                    // Local time, as RTF writes it: no zone.
                    let value = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
                    if !self.properties.iter().any(|(k, _)| k == name) {
                        self.properties.push((name.to_string(), value));
                    }
                }
            }
            Dest::StyleSheet => {
                if let Some(n) = self.style_entry.take() {
                    let name = self
                        .property
                        .trim()
                        .trim_end_matches(';')
                        .trim()
                        .to_string();
                    self.styles.insert(n, name);
                }
                self.property.clear();
            }
            Dest::Property(name) => {
                let value = self.property.trim().trim_end_matches(';').trim();
                if !value.is_empty() && !self.properties.iter().any(|(k, _)| k == name) {
                    self.properties.push((name.to_string(), value.to_string()));
                }
                self.property.clear();
            }
            _ => {}
        }
        if let Some(state) = self.stack.pop() {
            self.state = state;
        }
        self.skip = 0;
    }

    /// The encoding of text in the current font.
    fn encoding(&self) -> &'static Encoding {
        self.state
            .font
            .or(self.default_font)
            .and_then(|f| self.fonts.get(&f).copied().flatten())
            .unwrap_or(self.ansi)
    }

    /// A byte of text (or of an `\'hh` escape).
    fn byte(&mut self, b: u8) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        if !self.shown() {
            return;
        }
        let enc = self.encoding();
        if self.pending_in.is_some_and(|p| p != enc) {
            self.flush();
        }
        self.pending_in = Some(enc);
        self.pending.push(b);
    }

    /// Decode the pending bytes.
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let enc = self.pending_in.take().unwrap_or(self.ansi);
        let bytes = std::mem::take(&mut self.pending);
        let (text, _) = enc.decode_without_bom_handling(&bytes);
        self.push_text(&text);
    }

    /// Whether text in the current state is kept (body text or a property being read).
    fn shown(&self) -> bool {
        match self.state.dest {
            Dest::Body => !self.state.hidden,
            Dest::Property(_) | Dest::StyleSheet => true,
            Dest::Skip | Dest::FontTable | Dest::Info | Dest::Time(_) => false,
        }
    }

    /// Text a control word stands for, after the text read before it.
    fn text(&mut self, s: &str) {
        self.flush();
        self.push_text(s);
    }

    fn push_text(&mut self, s: &str) {
        match self.state.dest {
            Dest::Property(_) | Dest::StyleSheet => {
                if self.property.len() < 4096 {
                    self.property.push_str(s);
                }
                return;
            }
            Dest::Body if !self.state.hidden => {}
            _ => return,
        }
        for c in s.chars() {
            if self.budget == 0 {
                return;
            }
            self.budget -= 1;
            if c == '\n' {
                self.open.push('\n');
                continue;
            }
            if (c as u32) < 0x20 {
                continue;
            }
            self.open.push(c);
            // Double-byte characters take their own size where the writer gives one.
            let size = if (c as u32) >= 0x2E80 {
                self.state.dbch_size.or(self.state.size)
            } else {
                self.state.size
            };
            if !c.is_whitespace()
                && let Some(size) = size
            {
                self.open_size = Some(self.open_size.map_or(size, |s| s.min(size)));
            }
        }
    }

    fn paragraph_end(&mut self) {
        self.flush();
        if self.state.dest != Dest::Body {
            return;
        }
        if self.state.in_table {
            let text = std::mem::take(&mut self.open);
            join_into(&mut self.cell, &text.replace('\n', " "));
            self.open_size = None;
            return;
        }
        let text = std::mem::take(&mut self.open);
        let style = self.state.style.and_then(|s| self.styles.get(&s));
        let heading = match self.state.outline {
            Some(o) => (o < 9).then_some(o + 1),
            None => style.and_then(|name| heading_level_from_name(name)),
        };
        let base = Para {
            heading,
            align: self.state.align,
            title_style: style.is_some_and(|n| n.eq_ignore_ascii_case("title") || n == "标题"),
            size: self.open_size.take(),
            ..Para::default()
        };
        push_lines(&mut self.paras, &text, base);
    }

    fn cell_end(&mut self) {
        self.flush();
        if self.state.dest != Dest::Body {
            return;
        }
        let text = std::mem::take(&mut self.open);
        join_into(&mut self.cell, &text.replace('\n', " "));
        self.cells.push(std::mem::take(&mut self.cell));
        self.open_size = None;
    }

    fn row_end(&mut self) {
        self.flush();
        if self.state.dest != Dest::Body {
            return;
        }
        self.open.clear();
        push_row(&mut self.paras, std::mem::take(&mut self.cells));
    }

    /// The paragraphs, with text after the last `\par` (a file cut short) as one more.
    fn finish(&mut self) -> Vec<Para> {
        self.flush();
        if self.open.chars().any(|c| !c.is_whitespace()) {
            self.state.dest = Dest::Body;
            self.state.in_table = false;
            self.paragraph_end();
        }
        std::mem::take(&mut self.paras)
    }
}

/// The encoding of a font's `\fcharset`; `None` for ANSI and the charsets that mean "the
/// document's code page".
fn charset_encoding(charset: u8) -> Option<&'static Encoding> {
    let cp = match charset {
        134 => 936,
        136 => 950,
        128 => 932,
        129 => 949,
        238 => 1250,
        204 => 1251,
        161 => 1253,
        162 => 1254,
        177 => 1255,
        178 => 1256,
        186 => 1257,
        163 => 1258,
        222 => 874,
        _ => return None,
    };
    super::binary::code_page(cp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::BlockKind;

    fn blocks(doc: &Document) -> Vec<(&str, BlockKind)> {
        doc.blocks
            .iter()
            .map(|b| (b.text.as_str(), b.kind))
            .collect()
    }

    fn texts(rtf: &str) -> Vec<String> {
        let doc = extract(rtf.as_bytes(), &Limits::default()).unwrap();
        doc.blocks.into_iter().map(|b| b.text).collect()
    }

    #[test]
    fn text_is_decoded_in_its_fonts_code_page_and_unicode_skips_its_fallback() {
        // `各单位` in GBK under a GB2312 font, `通知` in GBK under an ANSI font of a code page
        // 936 document, `附件：` as \u with one-byte and two-byte fallbacks, and a GBK pair
        // with a colour change between its bytes.
        let rtf = concat!(
            r"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fcharset0 Times;}{\f1\fcharset134 \'cb\'ce\'cc\'e5;}}",
            r"\pard\f1 \'b8\'f7\'b5\'a5\'ce\'bb\f0 \'cd\'a8\'d6\'aa\par",
            r"\pard\uc1\u38468?\u20214?{\uc2\u65306\'a3\'ba}\par",
            r"\pard\f1\'b8\cf1\'f7\par}",
        );
        assert_eq!(texts(rtf), ["各单位通知", "附件：", "各"]);
        // In a Western document only the GB2312 font's bytes are GBK.
        let western = concat!(
            r"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0\fcharset0 Times;}{\f1\fcharset134 SimSun;}}",
            r"\pard\f1 \'b8\'f7\f0 caf\'e9\par}",
        );
        assert_eq!(texts(western), ["各café"]);
    }

    #[test]
    fn tables_fields_lists_and_hidden_text_read_as_word_shows_them() {
        let rtf = concat!(
            r"{\rtf1\ansi{\fonttbl{\f0 Times;}}{\colortbl;\red0\green0\blue0;}",
            r"{\stylesheet{\s0 Normal;}}{\info{\title \u20851?\u20110?\u36890?\u30693?}{\author Org}}",
            r"{\header \pard page header\par}",
            r"\pard{\listtext\pard\plain \u19968?\u12289?\tab}Intro{\v hidden}\par",
            r"\pard See {\field{\*\fldinst HYPERLINK x}{\fldrslt annex}}.\par",
            r"\trowd\pard\intbl A1\cell B\par more\cell\row",
            r"\pard{\*\bkmkstart x}End{\pict 89504e47}\line next{\bin3 \}\}}\par}",
        );
        let doc = extract(rtf.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(
            blocks(&doc),
            [
                ("一、Intro", BlockKind::Paragraph),
                ("See annex.", BlockKind::Paragraph),
                ("A1\tB more", BlockKind::TableRow),
                ("End", BlockKind::Paragraph),
                ("next", BlockKind::Paragraph),
            ]
        );
        assert_eq!(doc.title.as_deref(), Some("关于通知"));
        assert_eq!(
            doc.metadata.extra.get("creator").map(String::as_str),
            Some("Org")
        );
    }

    #[test]
    fn alignment_size_and_outline_reach_the_frame_rules() {
        let rtf = concat!(
            r"{\rtf1\ansi\ansicpg936",
            r"\pard\qc\fs44 \u20851?\u20110?\u24320?\u23637?\u26816?\u26597?\u30340?\u36890?\u30693?\par",
            r"\pard\fs32\outlinelevel0 \u19968?\u12289?\u24635?\u35201?\u27714?\par",
            r"\pard\fs32 \u27491?\u25991?\u12290?\par}",
        );
        let doc = extract(rtf.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(doc.title.as_deref(), Some("关于开展检查的通知"));
        assert_eq!(
            blocks(&doc),
            [
                ("一、总要求", BlockKind::Heading { level: Some(1) }),
                ("正文。", BlockKind::Paragraph),
            ]
        );
    }

    #[test]
    fn text_boxes_unicode_alternatives_styles_and_times_are_read() {
        let rtf = concat!(
            r"{\rtf1\ansi\ansicpg936{\stylesheet{\s0 Normal;}{\s15\qc Title;}{\s1 heading 1;}}",
            r"{\info{\upr{\title ??}{\*\ud{\title \u36890?\u30693?}}}{\creatim\yr2022\mo2\dy18\hr9\min5}}",
            // A text box, sized for double-byte text only, anchored in the second paragraph.
            r"\pard\s15\fs32 \u26631?\u39064?\par",
            r"\pard\fs32 Top {\shp{\*\shpinst{\sp{\sn wzName}{\sv x}}{\shptxt\pard{\dbch\afs28 \u26576?\u24066?}\par}}} line\par",
            r"\pard\s1\fs32 \u19968?\u12289?\par",
            r"\pard\fs32 \u27491?\u25991?\par}",
        );
        let doc = extract(rtf.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(
            blocks(&doc),
            [
                ("某市", BlockKind::Paragraph),
                ("Top  line", BlockKind::Paragraph),
                ("一、", BlockKind::Heading { level: Some(1) }),
                ("正文", BlockKind::Paragraph),
            ]
        );
        // The Title-styled paragraph is the title; the \upr's Unicode version is the title
        // property.
        assert_eq!(doc.title.as_deref(), Some("标题"));
        let extra = &doc.metadata.extra;
        assert_eq!(extra.get("title").map(String::as_str), Some("通知"));
        assert_eq!(
            extra.get("created").map(String::as_str),
            Some("2022-02-18T09:05:00")
        );
        // The text box comes before the paragraph that holds it, in its double-byte size (14
        // pt), which is what the frame rules see.
        let mut reader = Reader::new(1000);
        reader.read(rtf.as_bytes(), 100).unwrap();
        let paras = reader.finish();
        let got: Vec<(&str, Option<u16>)> = paras
            .iter()
            .map(|p| (p.text.as_str(), p.size))
            .take(3)
            .collect();
        assert_eq!(
            got,
            [
                ("标题", Some(32)),
                ("某市", Some(28)),
                ("Top  line", Some(32))
            ]
        );
    }

    #[test]
    fn skipped_destinations_are_sorted_for_their_search() {
        assert!(SKIPPED.windows(2).all(|w| w[0] < w[1]), "{SKIPPED:?}");
    }

    #[test]
    fn what_is_not_rtf_or_nests_too_deep_fails_with_its_kind() {
        let limits = Limits::default();
        assert_eq!(extract(b"<html>", &limits).unwrap_err().kind(), "malformed");
        let deep = format!("{{\\rtf1 {}x", "{".repeat(limits.max_xml_depth + 1));
        assert_eq!(
            extract(deep.as_bytes(), &limits).unwrap_err().kind(),
            "limit"
        );
        // A file cut short keeps the text it has; one cut at the text limit says so.
        assert_eq!(texts(r"{\rtf1\ansi \pard cut here"), ["cut here"]);
        let small = Limits {
            max_text_chars: 4,
            ..Limits::default()
        };
        let doc = extract(br"{\rtf1 abcdefgh\par}", &small).unwrap();
        assert_eq!(doc.blocks[0].text, "abcd");
        assert!(doc.warnings.iter().any(|w| w.contains("cut at 4")));
    }
}

//! Legacy Word 97–2003 binary documents (`.doc`; WPS Office saves `.wps` the same way) →
//! the paragraphs the DOCX reader makes, so the same official-document frame, blocks and fields
//! come out ([MS-DOC]).
//!
//! In: an OLE compound file (read with `cfb`) holding a `WordDocument` stream and its table
//! stream (`0Table` or `1Table`, as the FIB says). Out: a [`Document`] built exactly as for a
//! DOCX file, by [`super::frame`] and [`super::build`].
//!
//! * The FIB locates the piece table (`Clx`), the paragraph and character property pages
//!   (`PlcBtePapx`, `PlcBteChpx`) and the style sheet (`STSH`).
//! * The main document is read, then each text box is put before the paragraph holding its
//!   shape's anchor (`PlcSpaMom`, `PlcftxbxTxt`), where the DOCX reader finds it inline; a
//!   numbered note reference (`0x02`) becomes `[1]` (footnotes) or `[i]` (endnotes), and the
//!   notes follow the body, each opened by its label, as for DOCX. Headers, footers and
//!   comments are stories of their own and stay out.
//! * A field shows its result (between its separator and its end), never its instructions;
//!   hidden and deleted text (`sprmCFVanish`, `sprmCFRMarkDel`) is left out; pictures and other
//!   anchors (`0x01`, `0x08`) show nothing; a tab reads as a space and a line break (`0x0B`)
//!   as a new line.
//! * Table cells end with `0x07` and rows with a row mark (`sprmPFTtp`): each row becomes one
//!   paragraph of tab-separated cells, a nested table is flattened into its cell.
//! * A paragraph's alignment and outline level come from its own properties, else its style's
//!   (following `istdBase`); its heading level from the outline level or a built-in heading
//!   style; its size from the smallest `sprmCHps` of its visible runs, else its style's.
//! * A list paragraph (`sprmPIlfo`, `sprmPIlvl`) shows the marker Word shows: the lists
//!   (`PlfLst` with their levels, `PlfLfo`) become the DOCX reader's numbering, which counts
//!   and formats them (`一、`, `（一）`, `1.`).
//! * Document properties come from the `SummaryInformation` property set, under the names the
//!   DOCX reader uses (`title`, `creator`…), 8-bit strings in its code page.
//!
//! What it does not do: embedded objects (an equation, a chart) show nothing, linked text
//! boxes are read box by box, and Word 6.0/95 files (an older FIB) are reported
//! `unsupported`. Every offset read from the file is checked against its stream: damage ends
//! the text early with a warning, or fails the file as `malformed`, never a panic.
//!
//! [MS-DOC]: https://learn.microsoft.com/en-us/openspecs/office_file_formats/ms-doc/

use std::collections::HashMap;
use std::io::{Cursor, Read};

use super::body::{Para, join_into, note_label, push_lines, push_row, with_marker};
use super::numbering::{BinaryLevel, NumFmt, Numbering, Suffix};
use super::{Align, frame};
use crate::config::Limits;
use crate::document::Document;

/// Why a binary Word document could not be read. `kind()` gives the stable error kind.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error("not a readable ole compound file")]
    Container(#[source] std::io::Error),
    #[error("no WordDocument stream in the compound file")]
    NoWordStream,
    #[error("the document is password-encrypted")]
    Encrypted,
    #[error("word 6.0/95 binary document (nFib {0:#x}) is not supported")]
    Old(u16),
    #[error("malformed {0}")]
    Malformed(&'static str),
    #[error("reading the {stream} stream failed")]
    Io {
        stream: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("stream {stream} is {size} bytes, more than the limit of {limit}")]
    StreamTooLarge {
        stream: &'static str,
        size: u64,
        limit: u64,
    },
}

impl DocError {
    /// The stable kind: `malformed`, `unsupported`, `limit` or `encrypted`.
    pub fn kind(&self) -> &'static str {
        match self {
            DocError::Container(_)
            | DocError::NoWordStream
            | DocError::Malformed(_)
            | DocError::Io { .. } => "malformed",
            DocError::Encrypted => "encrypted",
            DocError::Old(_) => "unsupported",
            DocError::StreamTooLarge { .. } => "limit",
        }
    }
}

/// `wIdent` of a Word document's FIB.
const WORD_IDENT: u16 = 0xA5EC;
/// The `nFib` of Word 97, the oldest FIB this reader knows.
const NFIB_WORD97: u16 = 0xC1;
/// The size of a formatted disk page (FKP).
const PAGE: usize = 512;
/// How many text boxes are read.
const MAX_TEXT_BOXES: usize = 4096;
/// How deep a style's `istdBase` chain is followed.
const MAX_STYLE_CHAIN: usize = 16;

/// Extract a Word 97–2003 binary document.
///
/// # Errors
/// [`DocError`]: `malformed` when the bytes are no compound file holding a Word document, or
/// its FIB or piece table cannot be read; `encrypted` for a password-protected (or obfuscated)
/// document; `unsupported` for a Word 6.0/95 file; `limit` when a stream is larger than
/// `limits.max_stream_bytes`.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<Document, DocError> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(DocError::Container)?;
    if !file.is_stream("/WordDocument") {
        return Err(DocError::NoWordStream);
    }
    let word = read_stream(
        &mut file,
        "/WordDocument",
        "WordDocument",
        limits,
        bytes.len(),
    )?;
    let fib = Fib::parse(&word)?;
    let table_name = if fib.table_one { "1Table" } else { "0Table" };
    if !file.is_stream(format!("/{table_name}")) {
        return Err(DocError::Malformed("fib: its table stream is missing"));
    }
    let table = read_stream(
        &mut file,
        &format!("/{table_name}"),
        table_name,
        limits,
        bytes.len(),
    )?;
    // Paragraph properties too large for their page (a table row's cell definitions) live in
    // the Data stream.
    let data = if file.is_stream("/Data") {
        read_stream(&mut file, "/Data", "Data", limits, bytes.len())?
    } else {
        Vec::new()
    };
    let properties = if file.is_stream(SUMMARY) {
        let mut s = Vec::new();
        file.open_stream(SUMMARY)
            .and_then(|mut stream| stream.by_ref().take(MAX_SUMMARY).read_to_end(&mut s))
            .ok()
            .and_then(|_| summary(&s))
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    drop(file);

    let mut doc = Document::default();
    let pieces = pieces(
        fib.slice(&table, fib.clx)
            .ok_or(DocError::Malformed("piece table"))?,
    )?;
    let styles = match fib.slice(&table, fib.stsh) {
        Some(stsh) if !stsh.is_empty() => StyleSheet::parse(stsh).unwrap_or_else(|| {
            doc.warnings
                .push("style sheet unreadable: styles ignored".to_string());
            StyleSheet::default()
        }),
        _ => StyleSheet::default(),
    };
    let papx = Bte::parse(fib.slice(&table, fib.papx));
    let chpx = Bte::parse(fib.slice(&table, fib.chpx));
    let numbering = lists(&fib, &table).unwrap_or_else(|| {
        doc.warnings
            .push("list definitions unreadable: list numbers not shown".to_string());
        Numbering::default()
    });
    let boxes = text_boxes(&fib, &table);
    let mut anchors: Vec<(u32, usize)> = boxes
        .iter()
        .enumerate()
        .filter_map(|(i, b)| Some((b.2?, i)))
        .collect();
    anchors.sort_unstable();
    let mut reader = Reader {
        numbering,
        data: &data,
        word: &word,
        styles: &styles,
        papx: Fkps::new(papx, &word, FkpKind::Para),
        chpx: Fkps::new(chpx, &word, FkpKind::Char),
        paras: Vec::new(),
        open: String::new(),
        open_size: None,
        cell: String::new(),
        cells: Vec::new(),
        fields: Vec::new(),
        in_instructions: 0,
        damaged: false,
        note_at: note_refs(&fib, &table),
        met: Vec::new(),
        anchors,
        next_anchor: 0,
        box_at: vec![None; boxes.len()],
        last_chars: None,
    };
    let mut budget = limits.max_text_chars;
    reader.read(&pieces, fib.story(Story::Main), &mut budget);
    let mut paras = reader.finish_story();
    // Each text box goes where its shape is anchored, before the paragraph holding the anchor,
    // as the DOCX reader reads it; one whose shape is not found follows the body.
    reader.note_at.clear();
    let (base, end) = fib.story(Story::TextBoxes);
    let mut placed: Vec<(usize, Vec<Para>)> = Vec::new();
    for (i, &(from, to, _)) in boxes.iter().enumerate() {
        let range = (base.saturating_add(from), base.saturating_add(to).min(end));
        reader.read(&pieces, range, &mut budget);
        let at = reader
            .box_at
            .get(i)
            .copied()
            .flatten()
            .unwrap_or(paras.len());
        placed.push((at, reader.finish_story()));
    }
    // From the last place back, so that each place still counts the body's paragraphs; boxes
    // at one place keep their order.
    placed.sort_by_key(|(at, _)| *at);
    for (at, box_paras) in placed.into_iter().rev() {
        let at = at.min(paras.len());
        paras.splice(at..at, box_paras);
    }
    let mut notes = Vec::new();
    let texts = |endnote: bool| {
        let plc = if endnote {
            fib.endnote_texts
        } else {
            fib.footnote_texts
        };
        cps(fib.slice(&table, plc))
    };
    let (footnotes, endnotes) = (texts(false), texts(true));
    for note in std::mem::take(&mut reader.met) {
        let (story, starts) = if note.endnote {
            (Story::Endnotes, &endnotes)
        } else {
            (Story::Footnotes, &footnotes)
        };
        let (base, end) = fib.story(story);
        let (Some(&from), Some(&to)) = (starts.get(note.index), starts.get(note.index + 1)) else {
            continue;
        };
        let range = (base.saturating_add(from), base.saturating_add(to).min(end));
        reader.read(&pieces, range, &mut budget);
        let mut first = true;
        for p in reader
            .finish_story()
            .into_iter()
            .filter(|p| !p.text.is_empty())
        {
            let text = if first {
                format!("{} {}", note.label, p.text)
            } else {
                p.text
            };
            first = false;
            notes.push(Para {
                text,
                heading: None,
                ..p
            });
        }
    }
    if reader.damaged {
        doc.warnings
            .push("the piece table points past the WordDocument stream: text cut there".into());
    }
    let frame = frame::recognise(&paras);
    super::build(&mut doc, &paras, &notes, frame, &properties, limits);
    Ok(doc)
}

fn read_stream<F: Read + std::io::Seek>(
    file: &mut cfb::CompoundFile<F>,
    path: &str,
    stream: &'static str,
    limits: &Limits,
    file_len: usize,
) -> Result<Vec<u8>, DocError> {
    let mut s = file
        .open_stream(path)
        .map_err(|source| DocError::Io { stream, source })?;
    let size = s.len();
    if size > limits.max_stream_bytes {
        return Err(DocError::StreamTooLarge {
            stream,
            size,
            limit: limits.max_stream_bytes,
        });
    }
    // No stream holds more than the file: a size the directory claims is no reason to allocate.
    let mut out = Vec::with_capacity(size.min(file_len as u64) as usize);
    s.read_to_end(&mut out)
        .map_err(|source| DocError::Io { stream, source })?;
    Ok(out)
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The parts of the File Information Block this reader uses.
#[derive(Debug, Clone, Copy, Default)]
struct Fib {
    /// Whether the table stream is `1Table` (else `0Table`).
    table_one: bool,
    /// Characters of the main document, and of the stories after it in character positions:
    /// footnotes, headers, macros, comments, endnotes, text boxes.
    ccp_text: u32,
    ccp: [u32; 6],
    /// `(fc, lcb)` of the style sheet, the character and paragraph property bin tables and the
    /// piece table, in the table stream.
    stsh: (u32, u32),
    chpx: (u32, u32),
    papx: (u32, u32),
    clx: (u32, u32),
    /// `(fc, lcb)` of the list definitions (`PlfLst`, their levels after them) and the list
    /// format overrides (`PlfLfo`).
    lst: (u32, u32),
    lfo: (u32, u32),
    /// `(fc, lcb)` of where footnote and endnote references stand in the main document, and of
    /// where each note's text starts in its story.
    footnote_refs: (u32, u32),
    footnote_texts: (u32, u32),
    endnote_refs: (u32, u32),
    endnote_texts: (u32, u32),
    /// `(fc, lcb)` of the shapes anchored in the main document (`PlcSpaMom`) and of the text
    /// boxes' texts with the shapes they belong to (`PlcftxbxTxt`).
    shapes: (u32, u32),
    text_boxes: (u32, u32),
}

/// The stories of a document, in the order of their character positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[expect(
    dead_code,
    reason = "stories that are not read still place the ones after them"
)]
enum Story {
    Main,
    Footnotes,
    Headers,
    Macros,
    Comments,
    Endnotes,
    TextBoxes,
}

impl Fib {
    fn parse(word: &[u8]) -> Result<Fib, DocError> {
        let bad = || DocError::Malformed("fib");
        if u16_at(word, 0).ok_or_else(bad)? != WORD_IDENT {
            return Err(bad());
        }
        let nfib = u16_at(word, 2).ok_or_else(bad)?;
        if nfib < NFIB_WORD97 {
            return Err(DocError::Old(nfib));
        }
        let flags = u16_at(word, 0x0A).ok_or_else(bad)?;
        // fEncrypted, fObfuscated.
        if flags & 0x0100 != 0 || flags & 0x8000 != 0 {
            return Err(DocError::Encrypted);
        }
        // FibBase (32 bytes), then csw and fibRgW, cslw and fibRgLw, cbRgFcLcb and the pairs.
        let csw = usize::from(u16_at(word, 32).ok_or_else(bad)?);
        let lw = 34 + 2 * csw;
        let cslw = usize::from(u16_at(word, lw).ok_or_else(bad)?);
        let rg_lw = lw + 2;
        let ccp_text = u32_at(word, rg_lw + 4 * 3).ok_or_else(bad)?;
        // ccpFtn, ccpHdd, ccpMcr, ccpAtn, ccpEdn, ccpTxbx.
        let mut ccp = [0u32; 6];
        for (i, c) in ccp.iter_mut().enumerate() {
            if 4 + i < cslw {
                *c = u32_at(word, rg_lw + 4 * (4 + i)).ok_or_else(bad)?;
            }
        }
        let fc_lcb = rg_lw + 4 * cslw;
        let count = usize::from(u16_at(word, fc_lcb).ok_or_else(bad)?);
        let pair = |i: usize| -> Result<(u32, u32), DocError> {
            if i >= count {
                return Ok((0, 0));
            }
            let at = fc_lcb + 2 + 8 * i;
            Ok((
                u32_at(word, at).ok_or_else(bad)?,
                u32_at(word, at + 4).ok_or_else(bad)?,
            ))
        };
        Ok(Fib {
            table_one: flags & 0x0200 != 0,
            ccp_text,
            ccp,
            footnote_refs: pair(2)?,
            footnote_texts: pair(3)?,
            endnote_refs: pair(46)?,
            endnote_texts: pair(47)?,
            shapes: pair(40)?,
            text_boxes: pair(56)?,
            stsh: pair(1)?,
            chpx: pair(12)?,
            papx: pair(13)?,
            clx: pair(33)?,
            lst: pair(73)?,
            lfo: pair(74)?,
        })
    }

    /// The character positions of a story.
    fn story(&self, story: Story) -> (u32, u32) {
        let i = story as usize;
        let start = std::iter::once(self.ccp_text)
            .chain(self.ccp)
            .take(i)
            .fold(0u32, u32::saturating_add);
        let len = if i == 0 {
            self.ccp_text
        } else {
            self.ccp[i - 1]
        };
        (start, start.saturating_add(len))
    }

    /// The bytes `(fc, lcb)` points at in `stream`, when they lie inside it.
    fn slice<'a>(&self, stream: &'a [u8], (fc, lcb): (u32, u32)) -> Option<&'a [u8]> {
        let start = fc as usize;
        stream.get(start..start.checked_add(lcb as usize)?)
    }
}

/// A run of text of the piece table: character positions `cp..cp_end` stored at byte `fc` of
/// the WordDocument stream, one byte a character (`compressed`, CP1252) or two (UTF-16LE).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    cp: u32,
    cp_end: u32,
    fc: u32,
    compressed: bool,
}

/// The pieces of a `Clx`: its `Prc` entries skipped, its `Pcdt` read.
fn pieces(clx: &[u8]) -> Result<Vec<Piece>, DocError> {
    let bad = || DocError::Malformed("piece table");
    let mut at = 0;
    loop {
        match clx.get(at) {
            Some(0x01) => {
                let cb = usize::from(u16_at(clx, at + 1).ok_or_else(bad)?);
                at += 3 + cb;
            }
            Some(0x02) => {
                let lcb = u32_at(clx, at + 1).ok_or_else(bad)? as usize;
                let plc = clx.get(at + 5..at + 5 + lcb).ok_or_else(bad)?;
                // n + 1 character positions, then n eight-byte piece descriptors.
                if plc.len() < 4 || (plc.len() - 4) % 12 != 0 {
                    return Err(bad());
                }
                let n = (plc.len() - 4) / 12;
                let mut out = Vec::with_capacity(n);
                for i in 0..n {
                    let cp = u32_at(plc, 4 * i).ok_or_else(bad)?;
                    let cp_end = u32_at(plc, 4 * (i + 1)).ok_or_else(bad)?;
                    let raw = u32_at(plc, 4 * (n + 1) + 8 * i + 2).ok_or_else(bad)?;
                    if cp_end < cp {
                        return Err(bad());
                    }
                    let compressed = raw & 0x4000_0000 != 0;
                    let fc = raw & 0x3FFF_FFFF;
                    out.push(Piece {
                        cp,
                        cp_end,
                        fc: if compressed { fc / 2 } else { fc },
                        compressed,
                    });
                }
                return Ok(out);
            }
            _ => return Err(bad()),
        }
    }
}

/// A bin table (`PlcBtePapx`, `PlcBteChpx`): the first stream offset each property page
/// covers, and the page's number.
#[derive(Debug, Default)]
struct Bte {
    fcs: Vec<u32>,
    pages: Vec<u32>,
}

impl Bte {
    fn parse(plc: Option<&[u8]>) -> Bte {
        let Some(plc) = plc.filter(|p| p.len() >= 12 && (p.len() - 4) % 8 == 0) else {
            return Bte::default();
        };
        let n = (plc.len() - 4) / 8;
        let word = |i: usize| u32_at(plc, 4 * i).unwrap_or(0);
        Bte {
            fcs: (0..=n).map(word).collect(),
            pages: (0..n).map(|i| word(n + 1 + i) & 0x003F_FFFF).collect(),
        }
    }

    /// The page covering stream offset `fc`.
    fn page(&self, fc: u32) -> Option<u32> {
        let i = self.fcs.partition_point(|&f| f <= fc).checked_sub(1)?;
        if fc >= *self.fcs.get(i + 1)? {
            return None;
        }
        self.pages.get(i).copied()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FkpKind {
    Para,
    Char,
}

/// The property pages of one bin table, looked up by stream offset; the run last found is
/// kept, since text is read in order.
struct Fkps<'a> {
    bte: Bte,
    word: &'a [u8],
    kind: FkpKind,
    /// The run last found: `fc..fc_end`, and its `grpprl` (with the style index first for
    /// paragraph properties).
    last: Option<(u32, u32, &'a [u8])>,
}

impl<'a> Fkps<'a> {
    fn new(bte: Bte, word: &'a [u8], kind: FkpKind) -> Fkps<'a> {
        Fkps {
            bte,
            word,
            kind,
            last: None,
        }
    }

    /// The properties of the run holding stream offset `fc` (empty when it has none).
    fn at(&mut self, fc: u32) -> &'a [u8] {
        if let Some((lo, hi, props)) = self.last
            && (lo..hi).contains(&fc)
        {
            return props;
        }
        let found = self.find(fc);
        self.last = found;
        found.map_or(&[], |(_, _, p)| p)
    }

    fn find(&self, fc: u32) -> Option<(u32, u32, &'a [u8])> {
        let pn = self.bte.page(fc)? as usize;
        let page = self
            .word
            .get(pn.checked_mul(PAGE)?..(pn + 1).checked_mul(PAGE)?)?;
        let crun = usize::from(page[PAGE - 1]);
        let rgfc = |i: usize| u32_at(page, 4 * i);
        let mut lo = 0;
        let mut hi = crun;
        // The run `j` with rgfc[j] <= fc < rgfc[j + 1].
        while lo < hi {
            let mid = (lo + hi) / 2;
            if rgfc(mid + 1)? <= fc {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let j = lo;
        if j >= crun {
            return None;
        }
        let (start, end) = (rgfc(j)?, rgfc(j + 1)?);
        if fc < start {
            return None;
        }
        let rg = 4 * (crun + 1);
        let props: &[u8] = match self.kind {
            FkpKind::Para => {
                // BxPap: a word offset and 12 bytes of layout hints.
                let offset = 2 * usize::from(*page.get(rg + 13 * j)?);
                if offset == 0 {
                    &[]
                } else {
                    let cb = usize::from(*page.get(offset)?);
                    let (from, len) = if cb == 0 {
                        (offset + 2, 2 * usize::from(*page.get(offset + 1)?))
                    } else {
                        (offset + 1, (2 * cb).saturating_sub(1))
                    };
                    page.get(from..from + len)?
                }
            }
            FkpKind::Char => {
                let offset = 2 * usize::from(*page.get(rg + j)?);
                if offset == 0 {
                    &[]
                } else {
                    let cb = usize::from(*page.get(offset)?);
                    page.get(offset + 1..offset + 1 + cb)?
                }
            }
        };
        Some((start, end, props))
    }
}

/// The single property modifiers (sprms) of a `grpprl`, as `(sprm, operand)`.
fn sprms(grpprl: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let sprm = u16_at(grpprl, at)?;
        let len = match sprm >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            // Variable: a size byte first; sprmTDefTable and sprmTDefTable10 have a size word.
            _ if sprm == 0xD608 || sprm == 0xD606 => {
                usize::from(u16_at(grpprl, at + 2)?).checked_sub(1)? + 2
            }
            _ => usize::from(*grpprl.get(at + 2)?) + 1,
        };
        let operand = grpprl.get(at + 2..at + 2 + len)?;
        at += 2 + len;
        Some((sprm, operand))
    })
}

const SPRM_P_JC80: u16 = 0x2403;
const SPRM_P_JC: u16 = 0x2461;
const SPRM_P_FIN_TABLE: u16 = 0x2416;
const SPRM_P_FTTP: u16 = 0x2417;
const SPRM_P_ITAP: u16 = 0x6649;
const SPRM_P_INNER_CELL: u16 = 0x244B;
const SPRM_P_INNER_TTP: u16 = 0x244C;
const SPRM_P_OUT_LVL: u16 = 0x2640;
const SPRM_P_ILFO: u16 = 0x460B;
const SPRM_P_HUGE_PAPX: u16 = 0x6646;
const SPRM_P_ILVL: u16 = 0x260A;
const SPRM_C_HPS: u16 = 0x4A43;
const SPRM_C_VANISH: u16 = 0x083C;
const SPRM_C_RMARK_DEL: u16 = 0x0800;

/// Paragraph properties, as far as this reader uses them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct ParaProps {
    istd: u16,
    align: Option<Align>,
    outline: Option<u8>,
    /// Table depth: 0 outside tables.
    depth: u32,
    /// The mark ends a row of the outermost table.
    row_end: bool,
    /// The mark ends a cell or a row of a nested table.
    inner_cell: bool,
    inner_row_end: bool,
    /// The list (1-based list format override) and level; `Some(0)` takes a style's list off.
    ilfo: Option<u16>,
    ilvl: Option<u8>,
}

impl ParaProps {
    fn apply(&mut self, grpprl: &[u8]) {
        for (sprm, op) in sprms(grpprl) {
            let byte = op.first().copied().unwrap_or(0);
            match sprm {
                SPRM_P_JC80 | SPRM_P_JC => {
                    self.align = Some(match byte {
                        1 => Align::Center,
                        2 => Align::Right,
                        _ => Align::Left,
                    });
                }
                SPRM_P_OUT_LVL => self.outline = Some(byte),
                SPRM_P_FIN_TABLE => self.depth = self.depth.max(u32::from(byte != 0)),
                SPRM_P_ITAP => self.depth = u32_at(op, 0).unwrap_or(self.depth),
                SPRM_P_FTTP => self.row_end = byte != 0,
                SPRM_P_INNER_CELL => self.inner_cell = byte != 0,
                SPRM_P_INNER_TTP => self.inner_row_end = byte != 0,
                SPRM_P_ILFO => self.ilfo = u16_at(op, 0),
                SPRM_P_ILVL => self.ilvl = Some(byte),
                _ => {}
            }
        }
    }
}

/// Character properties, as far as this reader uses them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct CharProps {
    /// Half-points.
    size: Option<u16>,
    hidden: bool,
}

impl CharProps {
    fn apply(&mut self, grpprl: &[u8]) {
        for (sprm, op) in sprms(grpprl) {
            match sprm {
                SPRM_C_HPS => self.size = u16_at(op, 0).or(self.size),
                // 0 off, 1 on; 0x80 and 0x81 take the style's value, or its opposite.
                SPRM_C_VANISH | SPRM_C_RMARK_DEL => {
                    let v = op.first().copied().unwrap_or(0);
                    self.hidden = match v {
                        0 => false,
                        1 => true,
                        0x81 => !self.hidden,
                        _ => self.hidden,
                    };
                }
                _ => {}
            }
        }
    }
}

/// One style of the style sheet, its properties resolved along its `istdBase` chain.
#[derive(Debug, Clone, Default)]
struct Style {
    /// The built-in style identifier (`sti`): 1–9 are the headings, 62 the title.
    sti: u16,
    para: ParaProps,
    chars: CharProps,
}

#[derive(Debug, Default)]
struct StyleSheet {
    styles: Vec<Style>,
}

/// The document summary property set, and how much of it is read.
const SUMMARY: &str = "/\u{5}SummaryInformation";
const MAX_SUMMARY: u64 = 1 << 20;

/// The document properties of a `SummaryInformation` property set ([MS-OLEPS]), under the
/// names the DOCX reader gives the same properties (`title`, `creator`, `created`…).
fn summary(stream: &[u8]) -> Option<Vec<(String, String)>> {
    const NAMES: [(u32, &str); 10] = [
        (2, "title"),
        (3, "subject"),
        (4, "creator"),
        (5, "keywords"),
        (6, "description"),
        (7, "Template"),
        (8, "lastModifiedBy"),
        (12, "created"),
        (13, "modified"),
        (18, "Application"),
    ];
    if u16_at(stream, 0)? != 0xFFFE {
        return None;
    }
    let set = u32_at(stream, 44)? as usize;
    let count = u32_at(stream, set + 4)? as usize;
    let entry = |i: usize| {
        Some((
            u32_at(stream, set + 8 + 8 * i)?,
            u32_at(stream, set + 12 + 8 * i)?,
        ))
    };
    let entries: Vec<(u32, usize)> = (0..count.min(1024))
        .map_while(entry)
        .map(|(id, offset)| (id, set + offset as usize))
        .collect();
    // PID_CODEPAGE: the code page of the 8-bit strings.
    let codepage = entries
        .iter()
        .find(|(id, _)| *id == 1)
        .and_then(|(_, at)| u16_at(stream, at + 4));
    // Without a known code page, the one of the Chinese documents this reader is for.
    let encoding = codepage.and_then(code_page).unwrap_or(encoding_rs::GBK);
    let mut out = Vec::new();
    for (id, at) in entries {
        let Some((_, name)) = NAMES.iter().find(|(pid, _)| *pid == id) else {
            continue;
        };
        let value = match u32_at(stream, at)? & 0xFFFF {
            // VT_LPSTR: a byte count (with the terminating zero), then the bytes.
            0x1E => {
                let len = u32_at(stream, at + 4)? as usize;
                let bytes = stream.get(at + 8..at + 8 + len)?;
                let bytes = bytes.split(|&b| b == 0).next().unwrap_or(bytes);
                encoding.decode_without_bom_handling(bytes).0.into_owned()
            }
            // VT_LPWSTR: a character count, then UTF-16.
            0x1F => {
                let len = u32_at(stream, at + 4)? as usize;
                let units: Vec<u16> = stream
                    .get(at + 8..at + 8 + 2 * len)?
                    .chunks_exact(2)
                    .map(|u| u16::from_le_bytes([u[0], u[1]]))
                    .take_while(|&u| u != 0)
                    .collect();
                String::from_utf16_lossy(&units)
            }
            // VT_FILETIME: 100-nanosecond intervals since 1601.
            0x40 => {
                let low = u64::from(u32_at(stream, at + 4)?);
                let high = u64::from(u32_at(stream, at + 8)?);
                match file_time((high << 32) | low) {
                    Some(t) => t,
                    None => continue,
                }
            }
            _ => continue,
        };
        let value = value.trim();
        if !value.is_empty() {
            out.push((name.to_string(), value.to_string()));
        }
    }
    Some(out)
}

/// The encoding of a Windows code page, when it is one this reader knows.
pub(super) fn code_page(cp: u16) -> Option<&'static encoding_rs::Encoding> {
    Some(match cp {
        65001 => encoding_rs::UTF_8,
        936 | 20936 => encoding_rs::GBK,
        54936 => encoding_rs::GB18030,
        950 => encoding_rs::BIG5,
        932 => encoding_rs::SHIFT_JIS,
        949 => encoding_rs::EUC_KR,
        874 => encoding_rs::WINDOWS_874,
        1250..=1258 => encoding_rs::Encoding::for_label(format!("windows-{cp}").as_bytes())?,
        _ => return None,
    })
}

/// A FILETIME as an ISO 8601 UTC time (`2012-09-27T09:00:00Z`); `None` for zero or a time
/// before 1970 (an unset date).
fn file_time(ticks: u64) -> Option<String> {
    const UNIX_FROM_1601: u64 = 11_644_473_600;
    let secs = (ticks / 10_000_000).checked_sub(UNIX_FROM_1601)?;
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    ))
}

/// The `ilfo` that takes a paragraph out of the list its style puts it in.
const NO_LIST: u16 = 0xF801;

/// `sti` of the built-in Title style.
const STI_TITLE: u16 = 62;

impl StyleSheet {
    /// The style sheet (`STSH`); `None` when its header cannot be read. A style that cannot be
    /// read is an empty slot.
    fn parse(stsh: &[u8]) -> Option<StyleSheet> {
        let cb_stshi = usize::from(u16_at(stsh, 0)?);
        let stshi = stsh.get(2..2 + cb_stshi)?;
        let cstd = usize::from(u16_at(stshi, 0)?);
        let cb_base = usize::from(u16_at(stshi, 2)?);
        let mut raw: Vec<Option<RawStyle<'_>>> = Vec::with_capacity(cstd);
        let mut at = 2 + cb_stshi;
        for _ in 0..cstd {
            let Some(cb) = u16_at(stsh, at).map(usize::from) else {
                break;
            };
            let std = stsh.get(at + 2..at + 2 + cb);
            at += 2 + cb;
            raw.push(
                std.filter(|s| !s.is_empty())
                    .and_then(|s| std_entry(s, cb_base)),
            );
        }
        let styles = (0..raw.len())
            .map(|i| {
                let mut chain = Vec::new();
                let mut j = i;
                while let Some(Some(r)) = raw.get(j) {
                    if chain.len() >= MAX_STYLE_CHAIN || chain.contains(&j) {
                        break;
                    }
                    chain.push(j);
                    if r.base == NO_BASE {
                        break;
                    }
                    j = usize::from(r.base);
                }
                let mut style = Style {
                    sti: raw[i].map_or(STI_USER, |r| r.sti),
                    ..Style::default()
                };
                for &j in chain.iter().rev() {
                    if let Some(r) = raw[j] {
                        style.para.apply(r.papx);
                        style.chars.apply(r.chpx);
                    }
                }
                style.para.istd = i as u16;
                style
            })
            .collect();
        Some(StyleSheet { styles })
    }

    fn get(&self, istd: u16) -> Option<&Style> {
        self.styles.get(usize::from(istd))
    }
}

/// One `STD` as stored: its built-in identifier, its base style and its paragraph and
/// character property grpprls.
#[derive(Debug, Clone, Copy)]
struct RawStyle<'a> {
    sti: u16,
    base: u16,
    papx: &'a [u8],
    chpx: &'a [u8],
}

/// The `istdBase` of a style based on none.
const NO_BASE: u16 = 0x0FFF;
/// The `sti` of a user-defined style.
const STI_USER: u16 = 0x0FFE;

fn std_entry(std: &[u8], cb_base: usize) -> Option<RawStyle<'_>> {
    let sti = u16_at(std, 0)? & 0x0FFF;
    let word = u16_at(std, 2)?;
    let stk = word & 0x000F;
    let base = word >> 4;
    let cupx = u16_at(std, 4)? & 0x000F;
    // The name (an Xstz: a length, UTF-16 characters, a terminating zero) after the base.
    let cch = usize::from(u16_at(std, cb_base)?);
    let mut at = cb_base + 2 + 2 * cch + 2;
    let mut upx: Vec<&[u8]> = Vec::new();
    for _ in 0..cupx {
        if at % 2 == 1 {
            at += 1;
        }
        let cb = usize::from(u16_at(std, at)?);
        upx.push(std.get(at + 2..at + 2 + cb)?);
        at += 2 + cb;
    }
    let (papx, chpx): (&[u8], &[u8]) = match (stk, upx.as_slice()) {
        // A paragraph style: its UpxPapx starts with its own index.
        (1, [papx, chpx, ..]) => (papx.get(2..).unwrap_or(&[]), chpx),
        (2, [chpx, ..]) => (&[], chpx),
        _ => (&[], &[]),
    };
    Some(RawStyle {
        sti,
        base,
        papx,
        chpx,
    })
}

/// Reads the text of the main document into paragraphs.
struct Reader<'a> {
    numbering: Numbering,
    /// The Data stream.
    data: &'a [u8],
    word: &'a [u8],
    styles: &'a StyleSheet,
    papx: Fkps<'a>,
    chpx: Fkps<'a>,
    paras: Vec<Para>,
    /// The paragraph being read, and the smallest size of its visible text.
    open: String,
    open_size: Option<u16>,
    /// The cell being read (its finished paragraphs), and the row's finished cells.
    cell: String,
    cells: Vec<String>,
    /// Open fields, innermost last: whether each is past its separator (showing its result);
    /// and how many are not (their text is instructions, never shown).
    fields: Vec<bool>,
    in_instructions: usize,
    /// The piece table pointed outside the stream.
    damaged: bool,
    /// The main document's note references by character position: endnote or footnote, and
    /// the note's index; the references met so far, in order.
    note_at: HashMap<u32, (bool, usize)>,
    met: Vec<MetNote>,
    /// The text boxes' anchors in the main document in order (with each box's index), the
    /// next one to pass, and for each box the number of paragraphs finished when the reading
    /// passed its anchor.
    anchors: Vec<(u32, usize)>,
    next_anchor: usize,
    box_at: Vec<Option<usize>>,
    /// The character properties last worked out, by paragraph style and run properties.
    last_chars: Option<((u16, usize, usize), CharProps)>,
}

/// A note reference met in the main document.
#[derive(Debug, Clone)]
struct MetNote {
    endnote: bool,
    index: usize,
    label: String,
}

impl Reader<'_> {
    /// Read the characters at positions `from..to` of `pieces`, at most `budget` of them.
    fn read(&mut self, pieces: &[Piece], (from, to): (u32, u32), budget: &mut usize) {
        for piece in pieces {
            let (lo, hi) = (piece.cp.max(from), piece.cp_end.min(to));
            if lo >= hi {
                continue;
            }
            let count = (hi - lo) as usize;
            let width = if piece.compressed { 1 } else { 2 };
            let Some(start) = (piece.fc as usize).checked_add((lo - piece.cp) as usize * width)
            else {
                self.damaged = true;
                return;
            };
            let Some(bytes) = start
                .checked_add(count * width)
                .and_then(|stop| self.word.get(start..stop))
            else {
                self.damaged = true;
                return;
            };
            let unit = |k: usize| u16::from_le_bytes([bytes[2 * k], bytes[2 * k + 1]]);
            let mut i = 0;
            while i < count {
                let fc = (start + i * width) as u32;
                let cp = lo + i as u32;
                let c = if piece.compressed {
                    cp1252(bytes[i])
                } else {
                    match unit(i) {
                        // A surrogate pair is one character; a lone half is none.
                        high @ 0xD800..=0xDBFF
                            if i + 1 < count && (0xDC00..0xE000).contains(&unit(i + 1)) =>
                        {
                            i += 1;
                            char::decode_utf16([high, unit(i)])
                                .next()
                                .and_then(Result::ok)
                                .unwrap_or('\u{FFFD}')
                        }
                        u => char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}'),
                    }
                };
                i += 1;
                self.char(c, fc, cp);
                if *budget == 0 {
                    return;
                }
                *budget -= 1;
            }
        }
    }

    /// End what a story left open (text after its last paragraph mark, a table not closed)
    /// and hand over its paragraphs.
    fn finish_story(&mut self) -> Vec<Para> {
        if self.open.chars().any(|c| !c.is_whitespace()) {
            let para = self.para_props(None);
            self.end_paragraph(&para);
        }
        self.open.clear();
        self.cell.clear();
        self.cells.clear();
        self.fields.clear();
        self.in_instructions = 0;
        std::mem::take(&mut self.paras)
    }

    fn char(&mut self, c: char, fc: u32, cp: u32) {
        while let Some(&(anchor, i)) = self.anchors.get(self.next_anchor)
            && anchor <= cp
        {
            self.box_at[i] = Some(self.paras.len());
            self.next_anchor += 1;
        }
        match c {
            '\u{13}' => {
                self.fields.push(false);
                self.in_instructions += 1;
                return;
            }
            '\u{14}' => {
                if let Some(f) = self.fields.last_mut()
                    && !*f
                {
                    *f = true;
                    self.in_instructions -= 1;
                }
                return;
            }
            '\u{15}' => {
                if self.fields.pop() == Some(false) {
                    self.in_instructions -= 1;
                }
                return;
            }
            _ => {}
        }
        let marks = matches!(c, '\r' | '\u{7}' | '\u{C}');
        // Text of field instructions never shows; paragraph and cell marks still count.
        if !marks && self.in_instructions > 0 {
            return;
        }
        let chars = self.char_props(fc);
        if chars.hidden && !marks {
            return;
        }
        match c {
            '\r' | '\u{C}' => {
                let props = self.para_props(Some(fc));
                if c == '\u{C}' && props.depth == 0 && self.open.trim().is_empty() {
                    // A page or section break between paragraphs.
                    self.open.clear();
                    return;
                }
                if props.inner_row_end {
                    self.open.clear();
                } else if props.depth > 0 {
                    let (text, _) = self.take_paragraph(&props);
                    join_into(&mut self.cell, &text.replace('\n', " "));
                } else {
                    self.end_paragraph(&props);
                }
                self.open_size = None;
            }
            '\u{7}' => {
                let props = self.para_props(Some(fc));
                if props.row_end {
                    self.open.clear();
                    push_row(&mut self.paras, std::mem::take(&mut self.cells));
                } else {
                    let (text, _) = self.take_paragraph(&props);
                    join_into(&mut self.cell, &text.replace('\n', " "));
                    self.cells.push(std::mem::take(&mut self.cell));
                }
                self.open_size = None;
            }
            // An automatically numbered note reference: its label, as the DOCX reader writes it.
            '\u{2}' => {
                if let Some(&(endnote, index)) = self.note_at.get(&cp) {
                    let n = self.met.iter().filter(|m| m.endnote == endnote).count() + 1;
                    let label = note_label(n as u32, endnote);
                    self.open.push_str(&label);
                    self.met.push(MetNote {
                        endnote,
                        index,
                        label,
                    });
                }
            }
            '\u{B}' => self.open.push('\n'),
            '\t' => self.open.push(' '),
            '\u{1E}' => self.open.push('-'),
            c if (c as u32) < 0x20 => {}
            c => {
                self.open.push(c);
                if !c.is_whitespace() {
                    self.open_size = match (self.open_size, chars.size) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                }
            }
        }
    }

    /// The character properties at stream offset `fc`: its paragraph style's, then its run's.
    /// Text is read in runs, so the last answer is kept for the next character of the run.
    fn char_props(&mut self, fc: u32) -> CharProps {
        let istd = self.para_style_at(fc);
        let run = self.chpx.at(fc);
        let key = (istd, run.as_ptr() as usize, run.len());
        if let Some((k, props)) = self.last_chars
            && k == key
        {
            return props;
        }
        let mut props = self.styles.get(istd).map(|s| s.chars).unwrap_or_default();
        props.apply(run);
        self.last_chars = Some((key, props));
        props
    }

    /// The style of the paragraph holding stream offset `fc`.
    fn para_style_at(&mut self, fc: u32) -> u16 {
        u16_at(self.papx.at(fc), 0).unwrap_or(0)
    }

    /// The properties of the paragraph whose mark is at `fc` (the Normal style's without one).
    fn para_props(&mut self, fc: Option<u32>) -> ParaProps {
        let grpprl = fc.map_or(&[][..], |fc| self.papx.at(fc));
        let istd = u16_at(grpprl, 0).unwrap_or(0);
        let mut props = self.styles.get(istd).map(|s| s.para).unwrap_or_default();
        props.istd = istd;
        let own = grpprl.get(2..).unwrap_or(&[]);
        props.apply(own);
        // sprmPHugePapx: the rest of the properties, at an offset of the Data stream.
        if let Some((_, op)) = sprms(own).find(|(sprm, _)| *sprm == SPRM_P_HUGE_PAPX)
            && let Some(at) = u32_at(op, 0).map(|a| a as usize)
            && let Some(cb) = u16_at(self.data, at).map(usize::from)
            && let Some(huge) = self.data.get(at + 2..at + 2 + cb)
        {
            props.apply(huge);
        }
        props
    }

    /// The paragraph read so far, trimmed, after the list marker it shows (and whether it
    /// shows one).
    fn take_paragraph(&mut self, props: &ParaProps) -> (String, bool) {
        let text = std::mem::take(&mut self.open);
        let marker = props
            .ilfo
            .filter(|&i| i != 0 && i != NO_LIST)
            .and_then(|ilfo| {
                self.numbering
                    .next(u32::from(ilfo), props.ilvl.unwrap_or(0))
            })
            .filter(|m| !m.text.is_empty());
        match marker {
            Some(m) => (with_marker(m, text.trim()), true),
            None => (text.trim().to_string(), false),
        }
    }

    fn end_paragraph(&mut self, props: &ParaProps) {
        let (text, numbered) = self.take_paragraph(props);
        let style = self.styles.get(props.istd);
        let heading = match props.outline {
            Some(o) if o < 9 => Some(o + 1),
            Some(_) => None,
            None => style
                .map(|s| s.sti)
                .filter(|sti| (1..=9).contains(sti))
                .map(|sti| sti as u8),
        };
        let base = Para {
            heading,
            numbered,
            align: props.align.unwrap_or_default(),
            title_style: style.is_some_and(|s| s.sti == STI_TITLE),
            size: self.open_size,
            ..Para::default()
        };
        push_lines(&mut self.paras, &text, base);
    }
}

/// The document's lists: the list definitions (`PlfLst`, each `LSTF` with its nine levels, or
/// one for a simple list, stored after it) and the list format overrides (`PlfLfo`) that
/// paragraphs name. `None` when they are present but cannot be read.
fn lists(fib: &Fib, table: &[u8]) -> Option<Numbering> {
    if fib.lst.1 == 0 || fib.lfo.1 == 0 {
        return Some(Numbering::default());
    }
    let plf = fib.slice(table, fib.lst)?;
    let count = usize::try_from(i16::from_le_bytes(plf.get(0..2)?.try_into().ok()?)).ok()?;
    let mut at = (fib.lst.0 as usize).checked_add(fib.lst.1 as usize)?;
    let mut lists = Vec::with_capacity(count);
    for i in 0..count {
        let lstf = plf.get(2 + 28 * i..2 + 28 * (i + 1))?;
        let lsid = u32_at(lstf, 0)?;
        let simple = lstf[26] & 0x01 != 0;
        let mut levels = Vec::new();
        for _ in 0..if simple { 1 } else { 9 } {
            let (level, size) = list_level(table.get(at..)?)?;
            levels.push(level);
            at += size;
        }
        lists.push((lsid, levels));
    }
    let lfo = fib.slice(table, fib.lfo)?;
    let lfo_count = u32_at(lfo, 0)? as usize;
    let mut data = 4usize.checked_add(lfo_count.checked_mul(16)?)?;
    let mut overrides = Vec::with_capacity(lfo_count.min(lfo.len() / 16));
    for i in 0..lfo_count {
        let entry = lfo.get(4 + 16 * i..4 + 16 * (i + 1))?;
        let lsid = u32_at(entry, 0)?;
        let levels = usize::from(entry[12]);
        let mut starts = [None; 9];
        // LFOData: a character position, then the level overrides.
        data += 4;
        for _ in 0..levels {
            let start = u32_at(lfo, data)?;
            let flags = u32_at(lfo, data + 4)?;
            data += 8;
            let ilvl = (flags & 0x0F) as usize;
            if flags & 0x10 != 0 && ilvl < 9 {
                starts[ilvl] = Some(start);
            }
            if flags & 0x20 != 0 {
                let (_, size) = list_level(lfo.get(data..)?)?;
                data += size;
            }
        }
        overrides.push((lsid, starts));
    }
    Some(Numbering::from_binary(lists, overrides))
}

/// One `LVL` at the start of `bytes`, and its size.
fn list_level(bytes: &[u8]) -> Option<(BinaryLevel, usize)> {
    let lvlf = bytes.get(..28)?;
    let start = u32_at(lvlf, 0)?;
    let flags = lvlf[5];
    let follow = lvlf[15];
    let cb_chpx = usize::from(lvlf[24]);
    let cb_papx = usize::from(lvlf[25]);
    let restart_lim = lvlf[26];
    let xst = 28 + cb_papx + cb_chpx;
    let cch = usize::from(u16_at(bytes, xst)?);
    let units = bytes.get(xst + 2..xst + 2 + 2 * cch)?;
    let mut text = String::new();
    for c in char::decode_utf16(
        units
            .chunks_exact(2)
            .map(|u| u16::from_le_bytes([u[0], u[1]])),
    ) {
        match c {
            // A placeholder: the number of the level it names (0-based).
            Ok(c) if (c as u32) < 9 => {
                text.push('%');
                text.push(char::from(b'1' + c as u8));
            }
            Ok(c) => text.push(c),
            Err(_) => text.push('\u{FFFD}'),
        }
    }
    let level = BinaryLevel {
        start,
        fmt: NumFmt::from_msonfc(lvlf[4]),
        text,
        // fNoRestart: the level restarts only after levels up to ilvlRestartLim.
        restart: (flags & 0x08 != 0).then_some(restart_lim),
        legal: flags & 0x04 != 0,
        suffix: match follow {
            1 => Suffix::Space,
            2 => Suffix::Nothing,
            _ => Suffix::Tab,
        },
    };
    Some((level, xst + 2 + 2 * cch))
}

/// The text boxes of the main document: each one's character positions in the text box
/// story, and the position of the shape it belongs to in the main document when found.
fn text_boxes(fib: &Fib, table: &[u8]) -> Vec<(u32, u32, Option<u32>)> {
    // PlcSpaMom: anchors, then 26-byte FSPAs starting with the shape id.
    let spa = fib.slice(table, fib.shapes).unwrap_or(&[]);
    let n = spa.len().saturating_sub(4) / 30;
    let anchor_of = |spid: u32| {
        (0..n)
            .find(|&i| u32_at(spa, 4 * (n + 1) + 26 * i) == Some(spid))
            .and_then(|i| u32_at(spa, 4 * i))
    };
    // PlcftxbxTxt: text positions, then 22-byte FTXBXS naming the shape at offset 14. The last
    // entry ends the story.
    let txbx = fib.slice(table, fib.text_boxes).unwrap_or(&[]);
    let m = txbx.len().saturating_sub(4) / 26;
    (0..m.min(MAX_TEXT_BOXES))
        .filter_map(|i| {
            let (from, to) = (u32_at(txbx, 4 * i)?, u32_at(txbx, 4 * (i + 1))?);
            let lid = u32_at(txbx, 4 * (m + 1) + 22 * i + 14)?;
            (lid != 0 && from < to).then(|| (from, to, anchor_of(lid)))
        })
        .collect()
}

/// The character positions of a PLC whose entries are `entry` bytes each (its `n + 1`
/// positions come first); empty when it cannot be read.
fn plc_cps(plc: Option<&[u8]>, entry: usize) -> Vec<u32> {
    let Some(plc) = plc.filter(|p| p.len() >= 4) else {
        return Vec::new();
    };
    let n = (plc.len() - 4) / (4 + entry);
    (0..=n).filter_map(|i| u32_at(plc, 4 * i)).collect()
}

/// The character positions of a PLC with no data (`PlcffndTxt`, `PlcfendTxt`).
fn cps(plc: Option<&[u8]>) -> Vec<u32> {
    plc.map_or_else(Vec::new, |p| {
        p.chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    })
}

/// Where the main document refers to its footnotes and endnotes: character position →
/// (endnote, the note's index).
fn note_refs(fib: &Fib, table: &[u8]) -> HashMap<u32, (bool, usize)> {
    let mut out = HashMap::new();
    for (endnote, plc) in [(false, fib.footnote_refs), (true, fib.endnote_refs)] {
        let cps = plc_cps(fib.slice(table, plc), 2);
        // The last position ends the table; the others are references.
        for (i, &cp) in cps.iter().take(cps.len().saturating_sub(1)).enumerate() {
            out.entry(cp).or_insert((endnote, i));
        }
    }
    out
}

/// A byte of a compressed piece: CP1252, whose undefined bytes read as the C1 controls.
fn cp1252(b: u8) -> char {
    const HIGH: [u16; 32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ];
    match b {
        0x80..=0x9F => char::from_u32(u32::from(HIGH[usize::from(b - 0x80)])).unwrap_or('\u{FFFD}'),
        _ => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::document::BlockKind;

    const IN_TABLE: &[u8] = &[0x16, 0x24, 1];
    const ROW_END: &[u8] = &[0x16, 0x24, 1, 0x17, 0x24, 1];
    const CENTER: &[u8] = &[0x03, 0x24, 1];
    /// Where the text starts in the WordDocument stream.
    const TEXT_AT: usize = 1024;

    /// A Word 97 binary document: each of `paras` is a paragraph's text with its mark (`\r`,
    /// or `\u{7}` in a table) and its paragraph properties, stored as one UTF-16 piece with
    /// one property page; `streams` are added as they are.
    fn word_doc(paras: &[(&str, &[u8])], streams: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let main = paras
            .iter()
            .map(|(t, _)| t.encode_utf16().count())
            .sum::<usize>();
        word_doc_with(paras, main as u32, [0; 6], &[], streams)
    }

    /// [`word_doc`] with stories after the main document: `paras` holds them all in order,
    /// the first `main` characters the main document's, `ccp` the other stories' sizes, and
    /// `plcs` the table stream structures each FIB pair index points at.
    fn word_doc_with(
        paras: &[(&str, &[u8])],
        main: u32,
        ccp: [u32; 6],
        plcs: &[(usize, Vec<u8>)],
        streams: &[(&str, Vec<u8>)],
    ) -> Vec<u8> {
        let text: Vec<u16> = paras.iter().flat_map(|(t, _)| t.encode_utf16()).collect();
        let mut word = vec![0u8; TEXT_AT];
        word[0..2].copy_from_slice(&WORD_IDENT.to_le_bytes());
        word[2..4].copy_from_slice(&NFIB_WORD97.to_le_bytes());
        // csw 14, cslw 22, cbRgFcLcb 93.
        word[32..34].copy_from_slice(&14u16.to_le_bytes());
        let lw = 34 + 28;
        word[lw..lw + 2].copy_from_slice(&22u16.to_le_bytes());
        word[lw + 2 + 12..lw + 2 + 16].copy_from_slice(&main.to_le_bytes());
        for (i, c) in ccp.iter().enumerate() {
            let at = lw + 2 + 4 * (4 + i);
            word[at..at + 4].copy_from_slice(&c.to_le_bytes());
        }
        let fc_lcb = lw + 2 + 88;
        word[fc_lcb..fc_lcb + 2].copy_from_slice(&93u16.to_le_bytes());
        for u in &text {
            word.extend_from_slice(&u.to_le_bytes());
        }
        // One paragraph property page after the text.
        let page_no = word.len().div_ceil(PAGE);
        word.resize(page_no * PAGE, 0);
        let mut page = vec![0u8; PAGE];
        let crun = paras.len();
        let mut fc = TEXT_AT as u32;
        page[0..4].copy_from_slice(&fc.to_le_bytes());
        let mut free = PAGE - 1;
        for (i, (t, grpprl)) in paras.iter().enumerate() {
            fc += 2 * t.encode_utf16().count() as u32;
            page[4 * (i + 1)..4 * (i + 2)].copy_from_slice(&fc.to_le_bytes());
            // PapxInFkp: 0, a word count, the style index (0) and the grpprl, padded.
            let words = (2 + grpprl.len()).div_ceil(2);
            let size = 2 + 2 * words;
            free = (free - size) & !1;
            page[free + 1] = words as u8;
            page[free + 4..free + 4 + grpprl.len()].copy_from_slice(grpprl);
            page[4 * (crun + 1) + 13 * i] = (free / 2) as u8;
        }
        page[PAGE - 1] = crun as u8;
        word.extend_from_slice(&page);
        let text_end = fc;

        let mut table = Vec::new();
        // Clx: one piece, UTF-16 at TEXT_AT.
        table.push(0x02);
        table.extend_from_slice(&16u32.to_le_bytes());
        table.extend_from_slice(&0u32.to_le_bytes());
        table.extend_from_slice(&(text.len() as u32).to_le_bytes());
        table.extend_from_slice(&[0, 0]);
        table.extend_from_slice(&(TEXT_AT as u32).to_le_bytes());
        table.extend_from_slice(&[0, 0]);
        let clx = (0u32, table.len() as u32);
        let bte_at = table.len() as u32;
        table.extend_from_slice(&(TEXT_AT as u32).to_le_bytes());
        table.extend_from_slice(&text_end.to_le_bytes());
        table.extend_from_slice(&(page_no as u32).to_le_bytes());
        let bte = (bte_at, 12u32);
        let mut pairs = vec![(13, bte), (33, clx)];
        for (i, plc) in plcs {
            pairs.push((*i, (table.len() as u32, plc.len() as u32)));
            table.extend_from_slice(plc);
        }
        for (i, (fc, lcb)) in pairs {
            let at = fc_lcb + 2 + 8 * i;
            word[at..at + 4].copy_from_slice(&fc.to_le_bytes());
            word[at + 4..at + 8].copy_from_slice(&lcb.to_le_bytes());
        }

        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        for (name, bytes) in [("/WordDocument", &word), ("/0Table", &table)]
            .into_iter()
            .chain(streams.iter().map(|(n, b)| (*n, b)))
        {
            file.create_stream(name).unwrap().write_all(bytes).unwrap();
        }
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    fn texts(doc: &Document) -> Vec<(&str, BlockKind)> {
        doc.blocks
            .iter()
            .map(|b| (b.text.as_str(), b.kind))
            .collect()
    }

    #[test]
    fn paragraphs_cells_and_rows_come_out_as_the_docx_reader_gives_them() {
        let bytes = word_doc(
            &[
                ("关于开展检查的通知\r", CENTER),
                ("各单位：\r", &[]),
                ("序号\u{7}", IN_TABLE),
                ("单位\u{7}", IN_TABLE),
                ("\u{7}", ROW_END),
                ("1\u{7}", IN_TABLE),
                ("市财政局\r", IN_TABLE),
                ("机关\u{7}", IN_TABLE),
                ("\u{7}", ROW_END),
                ("特此通知。\r", &[]),
            ],
            &[],
        );
        let doc = extract(&bytes, &Limits::default()).unwrap();
        assert_eq!(doc.title.as_deref(), Some("关于开展检查的通知"));
        assert_eq!(
            texts(&doc),
            [
                ("各单位：", BlockKind::Paragraph),
                ("序号\t单位", BlockKind::TableRow),
                ("1\t市财政局机关", BlockKind::TableRow),
                ("特此通知。", BlockKind::Paragraph),
            ]
        );
    }

    #[test]
    fn fields_show_their_result_and_control_characters_nothing() {
        let bytes = word_doc(
            &[
                (
                    "详见\u{13} HYPERLINK \"http://x\" \u{14}附件\u{15}，共\u{1}\u{8}2页\tA\u{1E}B\u{B}下一行\r",
                    &[],
                ),
                ("\u{13}PAGE\u{15}\r", &[]),
            ],
            &[],
        );
        let doc = extract(&bytes, &Limits::default()).unwrap();
        assert_eq!(
            texts(&doc),
            [
                ("详见附件，共2页 A-B", BlockKind::Paragraph),
                ("下一行", BlockKind::Paragraph),
            ]
        );
    }

    /// An FSPA of `PlcSpaMom`: a shape anchored in the main document, its id first.
    fn shape(spid: u32) -> Vec<u8> {
        let mut e = spid.to_le_bytes().to_vec();
        e.resize(26, 0);
        e
    }

    /// An FTXBXS of `PlcftxbxTxt`: a text box of the shape `lid`.
    fn text_box(lid: u32) -> Vec<u8> {
        let mut e = vec![0u8; 22];
        e[14..18].copy_from_slice(&lid.to_le_bytes());
        e
    }

    /// A PLC: its character positions, then its entries.
    fn plc(cps: &[u32], entries: &[Vec<u8>]) -> Vec<u8> {
        let mut b: Vec<u8> = cps.iter().flat_map(|c| c.to_le_bytes()).collect();
        for e in entries {
            b.extend_from_slice(e);
        }
        b
    }

    #[test]
    fn notes_follow_the_body_under_the_labels_their_references_get() {
        // Main (6 characters), footnotes (5), endnotes (5).
        let bytes = word_doc_with(
            &[
                ("正文\u{2}\u{2}。\r", &[]),
                ("\u{2}脚注。\r", &[]),
                ("\u{2}尾注。\r", &[]),
            ],
            6,
            [5, 0, 0, 0, 5, 0],
            &[
                (2, plc(&[2, 6], &[vec![1, 0]])),
                (3, plc(&[0, 5, 6], &[])),
                (46, plc(&[3, 6], &[vec![1, 0]])),
                (47, plc(&[0, 5, 6], &[])),
            ],
            &[],
        );
        let doc = extract(&bytes, &Limits::default()).unwrap();
        assert_eq!(
            texts(&doc),
            [
                ("正文[1][i]。", BlockKind::Paragraph),
                ("[1] 脚注。", BlockKind::Paragraph),
                ("[i] 尾注。", BlockKind::Paragraph),
            ]
        );
    }

    #[test]
    fn a_text_box_stands_before_the_paragraph_that_anchors_it() {
        // The anchor (`\u{8}`) is character 8 of the main document; an unanchored box and
        // the story's closing entry follow.
        let paras: &[(&str, &[u8])] = &[
            ("第一段。\r", &[]),
            ("第二段\u{8}内容。\r", &[]),
            ("第三段。\r", &[]),
            ("框内文字\r", &[]),
            ("无主文字\r", &[]),
            ("\r", &[]),
        ];
        let bytes = word_doc_with(
            paras,
            18,
            [0, 0, 0, 0, 0, 11],
            &[
                (40, plc(&[8, 18], &[shape(1025)])),
                (
                    56,
                    plc(&[0, 5, 10, 11], &[text_box(1025), text_box(7), text_box(0)]),
                ),
            ],
            &[],
        );
        let doc = extract(&bytes, &Limits::default()).unwrap();
        let body: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            body,
            [
                "第一段。",
                "框内文字",
                "第二段内容。",
                "第三段。",
                "无主文字"
            ]
        );
    }

    #[test]
    fn text_boxes_stored_out_of_anchor_order_still_stand_at_their_anchors() {
        // Anchors at characters 0 (shape 2) and 6 (shape 1); the story holds shape 1's box first.
        let paras: &[(&str, &[u8])] = &[
            ("\u{8}第一段\r", &[]),
            ("第二段\u{8}\r", &[]),
            ("框一\r", &[]),
            ("框二\r", &[]),
            ("\r", &[]),
        ];
        let bytes = word_doc_with(
            paras,
            10,
            [0, 0, 0, 0, 0, 7],
            &[
                (40, plc(&[0, 8, 10], &[shape(2), shape(1)])),
                (
                    56,
                    plc(&[0, 3, 6, 7], &[text_box(1), text_box(2), text_box(0)]),
                ),
            ],
            &[],
        );
        let doc = extract(&bytes, &Limits::default()).unwrap();
        let body: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(body, ["框二", "第一段", "框一", "第二段"]);
    }

    #[test]
    fn damaged_and_foreign_files_fail_with_their_kind() {
        let limits = Limits::default();
        let kind = |b: &[u8]| extract(b, &limits).unwrap_err().kind();
        assert_eq!(kind(b"not a compound file"), "malformed");
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        file.create_stream("/Workbook")
            .unwrap()
            .write_all(b"x")
            .unwrap();
        file.flush().unwrap();
        let workbook = file.into_inner().into_inner();
        assert!(matches!(
            extract(&workbook, &limits),
            Err(DocError::NoWordStream)
        ));
        let good = word_doc(&[("正文\r", &[])], &[]);
        let mut file = cfb::CompoundFile::open(Cursor::new(good.clone())).unwrap();
        let mut word = Vec::new();
        file.open_stream("/WordDocument")
            .unwrap()
            .read_to_end(&mut word)
            .unwrap();
        let with_word = |patch: &dyn Fn(&mut Vec<u8>)| {
            let mut w = word.clone();
            patch(&mut w);
            let mut f = cfb::CompoundFile::open(Cursor::new(good.clone())).unwrap();
            f.create_stream("/WordDocument")
                .unwrap()
                .write_all(&w)
                .unwrap();
            f.flush().unwrap();
            f.into_inner().into_inner()
        };
        // Encrypted, obfuscated, Word 95, not a FIB, a piece table past the stream's end.
        assert_eq!(kind(&with_word(&|w| w[0x0B] |= 0x01)), "encrypted");
        assert_eq!(kind(&with_word(&|w| w[0x0B] |= 0x80)), "encrypted");
        assert!(matches!(
            extract(
                &with_word(&|w| w[2..4].copy_from_slice(&0x65u16.to_le_bytes())),
                &limits
            ),
            Err(DocError::Old(0x65))
        ));
        assert_eq!(kind(&with_word(&|w| w[0] = 0)), "malformed");
        let cut = with_word(&|w| w.truncate(TEXT_AT + 1));
        let doc = extract(&cut, &limits).unwrap();
        assert!(doc.blocks.is_empty());
        assert!(
            doc.warnings.iter().any(|w| w.contains("text cut")),
            "{:?}",
            doc.warnings
        );
        // A stream larger than the limit.
        let small = Limits {
            max_stream_bytes: 100,
            ..Limits::default()
        };
        assert_eq!(extract(&good, &small).unwrap_err().kind(), "limit");
    }

    #[test]
    fn list_levels_render_as_word_shows_them() {
        // An LVL: chineseCounting (msonfc 0x25), start 1, no suffix, text `（\u{1}）`.
        let lvl = |nfc: u8, text: &str, follow: u8| {
            let mut b = vec![0u8; 28];
            b[0..4].copy_from_slice(&1u32.to_le_bytes());
            b[4] = nfc;
            b[15] = follow;
            let units: Vec<u16> = text.encode_utf16().collect();
            b.extend_from_slice(&(units.len() as u16).to_le_bytes());
            for u in units {
                b.extend_from_slice(&u.to_le_bytes());
            }
            b
        };
        let level = |nfc, text: &str| list_level(&lvl(nfc, text, 2)).unwrap().0;
        let first = level(0x25, "\u{0}、");
        let second = level(0x25, "（\u{1}）");
        let third = level(0x00, "\u{2}.");
        assert_eq!(
            (first.text.as_str(), first.fmt),
            ("%1、", NumFmt::ChineseCounting)
        );
        let mut numbering =
            Numbering::from_binary(vec![(7, vec![first, second, third])], vec![(7, [None; 9])]);
        let mut next = |ilvl| with_marker(numbering.next(1, ilvl).unwrap(), "正文");
        assert_eq!(next(0), "一、正文");
        assert_eq!(next(1), "（一）正文");
        assert_eq!(next(1), "（二）正文");
        assert_eq!(next(2), "1.正文");
        assert_eq!(next(0), "二、正文");
        assert_eq!(next(1), "（一）正文");
        // A level cut short is no level.
        assert!(list_level(&lvl(0, "\u{0}.", 0)[..30]).is_none());
    }

    #[test]
    fn summary_properties_are_read_in_their_code_page() {
        // A property set with a code page (936), a title, an author and a creation time.
        let mut props: Vec<(u32, Vec<u8>)> = vec![(1, {
            let mut v = 2u32.to_le_bytes().to_vec();
            v.extend_from_slice(&936u16.to_le_bytes());
            v.extend_from_slice(&[0, 0]);
            v
        })];
        for (id, s) in [(2u32, "关于印发办法的通知"), (4, "辽宁省水利厅")] {
            let (bytes, _, _) = encoding_rs::GBK.encode(s);
            let mut v = 0x1Eu32.to_le_bytes().to_vec();
            v.extend_from_slice(&(bytes.len() as u32 + 1).to_le_bytes());
            v.extend_from_slice(&bytes);
            v.push(0);
            while !v.len().is_multiple_of(4) {
                v.push(0);
            }
            props.push((id, v));
        }
        // 2012-09-27T09:00:00Z.
        let ticks: u64 = (1_348_736_400 + 11_644_473_600) * 10_000_000;
        let mut v = 0x40u32.to_le_bytes().to_vec();
        v.extend_from_slice(&ticks.to_le_bytes());
        props.push((12, v));
        let mut set = Vec::new();
        let header = 8 + 8 * props.len();
        let mut offset = header;
        for (id, v) in &props {
            set.extend_from_slice(&id.to_le_bytes());
            set.extend_from_slice(&(offset as u32).to_le_bytes());
            offset += v.len();
        }
        let mut body = Vec::new();
        body.extend_from_slice(&(offset as u32).to_le_bytes());
        body.extend_from_slice(&(props.len() as u32).to_le_bytes());
        body.extend_from_slice(&set);
        for (_, v) in &props {
            body.extend_from_slice(v);
        }
        let mut stream = vec![0u8; 48];
        stream[0..2].copy_from_slice(&0xFFFEu16.to_le_bytes());
        stream[24..28].copy_from_slice(&1u32.to_le_bytes());
        stream[44..48].copy_from_slice(&48u32.to_le_bytes());
        stream.extend_from_slice(&body);
        let got = summary(&stream).unwrap();
        assert_eq!(
            got,
            [
                ("title".to_string(), "关于印发办法的通知".to_string()),
                ("creator".to_string(), "辽宁省水利厅".to_string()),
                ("created".to_string(), "2012-09-27T09:00:00Z".to_string()),
            ]
        );
        // The author names an organisation: it is the publisher, as for DOCX.
        let doc = extract(
            &word_doc(&[("正文。\r", &[])], &[(SUMMARY, stream)]),
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(doc.metadata.publisher.as_deref(), Some("辽宁省水利厅"));
        assert_eq!(doc.title.as_deref(), Some("关于印发办法的通知"));
        assert!(summary(b"\x00\x00").is_none());
        assert_eq!(file_time(0), None);
    }
}

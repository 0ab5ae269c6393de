//! The torture corpus, built in code: files that try to make a converter panic, hang, or run
//! out of memory, each with what gongwen must make of it.
//!
//! Every item comes in two sizes. [`Size::Small`] is what `cargo test` converts, with
//! `--max-stream-bytes 4194304 --max-text-chars 1000000 --max-pdf-objects 10000`: the corpus
//! is a few MiB, converts in seconds, and still crosses every limit (bombs inflate past those
//! budgets, HTML is nested 100 000 deep). [`Size::Full`] is the real thing for manual and CI runs, with the default
//! limits (`cargo run --release --example make-hostile -- DIR`): bombs that inflate to
//! gigabytes, a 200 MB HTML page.
//!
//! Files are streamed to a writer, so writing the full corpus never holds a large file in
//! memory; the bombs are deflated from blocks of one repeated byte.

#![allow(dead_code)]

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::{DeflateEncoder, ZlibEncoder};

/// Which version of the corpus to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// Small enough for `cargo test`.
    Small,
    /// Gigabyte bombs and a 200 MB page.
    Full,
}

/// What gongwen must make of a hostile file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Exactly one error line with this kind.
    Error(&'static str),
    /// A record whose warnings include one containing this text.
    Warning(&'static str),
    /// A record (no particular warning).
    Record,
    /// Not a supported format: counted as skipped, neither record nor error line.
    Skipped,
}

/// One file of the corpus.
pub struct Item {
    /// File name, which also says what it claims to be.
    pub name: &'static str,
    /// What it is.
    pub what: &'static str,
    pub expect: Expect,
    write: fn(Size, &mut dyn Write) -> io::Result<()>,
}

impl Item {
    /// The file's bytes (only for small items: a full-size item may be gigabytes' worth of
    /// work to produce, use [`write_corpus`]).
    pub fn bytes(&self, size: Size) -> Vec<u8> {
        let mut out = Vec::new();
        (self.write)(size, &mut out).expect("write to memory");
        out
    }
}

/// Every item of the corpus.
pub fn items() -> Vec<Item> {
    vec![
        Item {
            name: "zip-bomb.docx",
            what: "document.xml deflated from gigabytes of zeros (honest sizes in the zip directory)",
            expect: Expect::Error("limit"),
            write: |s, w| zip_bomb(s, w, false),
        },
        Item {
            name: "zip-bomb-lying-sizes.docx",
            what: "the same bomb, the zip directory claiming it inflates to 1 KiB",
            // Caught as damage: the entry inflates past the size its directory declares.
            expect: Expect::Error("malformed"),
            write: |s, w| zip_bomb(s, w, true),
        },
        Item {
            name: "billion-laughs.docx",
            what: "document.xml with a DOCTYPE of ten entities each ten times the one before",
            // Entities are never expanded: the reference reads as nothing.
            expect: Expect::Record,
            write: billion_laughs,
        },
        Item {
            name: "deep-xml.docx",
            what: "document.xml nested 20 000 elements deep (under 1 MiB, so the ratio check lets it through)",
            expect: Expect::Error("limit"),
            write: deep_xml,
        },
        Item {
            name: "truncated.docx",
            what: "a valid DOCX cut in half",
            expect: Expect::Error("malformed"),
            write: |_, w| {
                let full = docx(&[("word/document.xml", &document_xml(&paragraphs(200)))]);
                w.write_all(&full[..full.len() / 2])
            },
        },
        Item {
            name: "pdf-xref-loop.pdf",
            what: "two xref sections whose /Prev point at each other",
            expect: Expect::Warning("damaged cross-reference table rebuilt"),
            write: pdf_xref_loop,
        },
        Item {
            name: "pdf-page-tree-cycle.pdf",
            what: "a page tree whose /Kids hold the tree itself and whose page is its own parent",
            expect: Expect::Warning("lists a page more than once"),
            write: pdf_page_tree_cycle,
        },
        Item {
            name: "pdf-length-lies-long.pdf",
            what: "a content stream whose /Length runs far past the end of the file",
            expect: Expect::Record,
            write: |_, w| pdf_length_lies(w, 1 << 30),
        },
        Item {
            name: "pdf-length-lies-short.pdf",
            what: "a content stream whose /Length is 3 bytes",
            expect: Expect::Record,
            write: |_, w| pdf_length_lies(w, 3),
        },
        Item {
            name: "pdf-many-objects.pdf",
            what: "ten million tiny objects (20 000 in the small corpus, past its --max-pdf-objects)",
            expect: Expect::Error("limit"),
            write: pdf_many_objects,
        },
        Item {
            name: "pdf-inflate-bomb.pdf",
            what: "a content stream that inflates to gigabytes of zeros",
            expect: Expect::Warning("could not be inflated within the limits"),
            write: pdf_inflate_bomb,
        },
        Item {
            name: "pdf-text-bomb.pdf",
            what: "a content stream that inflates to tens of millions of glyphs in short strings",
            expect: Expect::Warning("glyphs was not read"),
            write: pdf_text_bomb,
        },
        Item {
            name: "pdf-form-loop.pdf",
            what: "a content stream that draws Form XObject A, which draws B, which draws A",
            expect: Expect::Record,
            write: pdf_form_loop,
        },
        Item {
            name: "pdf-form-fanout.pdf",
            what: "twelve levels of Form XObjects each drawing the next ten times (10^12 draws)",
            expect: Expect::Warning("form xobjects; the rest were not read"),
            write: pdf_form_fanout,
        },
        Item {
            name: "truncated.pdf",
            what: "a valid PDF cut in half",
            expect: Expect::Warning("damaged cross-reference table rebuilt"),
            write: |_, w| {
                let full = pdf_with_text(&pdf_text_content(60));
                w.write_all(&full[..full.len() / 2])
            },
        },
        Item {
            name: "empty.html",
            what: "zero bytes",
            expect: Expect::Skipped,
            write: |_, _| Ok(()),
        },
        Item {
            name: "empty.pdf",
            what: "zero bytes",
            expect: Expect::Skipped,
            write: |_, _| Ok(()),
        },
        Item {
            name: "empty.docx",
            what: "zero bytes",
            expect: Expect::Skipped,
            write: |_, _| Ok(()),
        },
        Item {
            name: "random.html",
            what: "64 KiB of random bytes",
            expect: Expect::Skipped,
            write: |_, w| w.write_all(&random_bytes(1, 64 << 10)),
        },
        Item {
            name: "random.pdf",
            what: "64 KiB of random bytes",
            expect: Expect::Skipped,
            write: |_, w| w.write_all(&random_bytes(2, 64 << 10)),
        },
        Item {
            name: "random.docx",
            what: "64 KiB of random bytes",
            expect: Expect::Skipped,
            write: |_, w| w.write_all(&random_bytes(3, 64 << 10)),
        },
        Item {
            name: "random-after-header.pdf",
            what: "a PDF header followed by 64 KiB of random bytes",
            expect: Expect::Error("malformed"),
            write: |_, w| {
                w.write_all(b"%PDF-1.7\n")?;
                w.write_all(&random_bytes(4, 64 << 10))
            },
        },
        Item {
            name: "random-after-header.docx",
            what: "a zip local header naming word/document.xml followed by 64 KiB of random bytes",
            expect: Expect::Error("malformed"),
            write: |_, w| {
                w.write_all(b"PK\x03\x04\x14\x00\x00\x00\x08\x00\x00\x00\x00\x00")?;
                w.write_all(&[0; 12])?;
                w.write_all(&17u16.to_le_bytes())?;
                w.write_all(&0u16.to_le_bytes())?;
                w.write_all(b"word/document.xml")?;
                w.write_all(&random_bytes(5, 64 << 10))
            },
        },
        Item {
            name: "random-after-header.html",
            what: "an <html> tag followed by 64 KiB of random bytes",
            expect: Expect::Warning("replaced with U+FFFD"),
            write: |_, w| {
                w.write_all(b"<html><body><p>")?;
                w.write_all(&random_bytes(6, 64 << 10))
            },
        },
        Item {
            name: "deep-nesting.html",
            what: "<div> nested 100 000 deep around the text",
            expect: Expect::Warning("nested deeper"),
            write: deep_html,
        },
        Item {
            name: "huge.html",
            what: "a 200 MB page of paragraphs (2 MB in the small corpus)",
            expect: Expect::Record,
            write: huge_html,
        },
        Item {
            name: "invalid-gbk.html",
            what: "a GBK page with lead bytes lacking their trail byte and bytes GBK never uses",
            expect: Expect::Warning("replaced with U+FFFD"),
            write: invalid_gbk,
        },
        Item {
            name: "invalid-utf8.html",
            what: "a page declared UTF-8 with overlong forms, lone continuation bytes and surrogates",
            expect: Expect::Warning("replaced with U+FFFD"),
            write: invalid_utf8,
        },
        Item {
            name: "deep-groups.rtf",
            what: "RTF groups nested 100 000 deep around the text",
            expect: Expect::Error("limit"),
            write: deep_rtf,
        },
        Item {
            name: "rtf-bin-lies.rtf",
            what: "an RTF whose \\bin claims two gigabytes of binary data after a paragraph",
            expect: Expect::Record,
            write: |_, w| w.write_all(b"{\\rtf1\\ansi \\pard before\\par{\\bin2147483647 \\par}}"),
        },
        Item {
            name: "rtf-text-flood.rtf",
            what: "an RTF of one paragraph of 50 million characters (1.1 million in the small corpus)",
            expect: Expect::Warning("rtf text cut"),
            write: rtf_flood,
        },
        Item {
            name: "mime-without-page.mht",
            what: "a MIME web archive holding only an image",
            expect: Expect::Error("malformed"),
            write: |_, w| {
                w.write_all(
                    b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n\
                      --b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n\
                      iVBORw0KGgo=\r\n--b--\r\n",
                )
            },
        },
        Item {
            name: "zip-bomb.xlsx",
            what: "a workbook whose shared strings deflate from gigabytes of spaces",
            expect: Expect::Error("limit"),
            write: xlsx_bomb,
        },
        Item {
            name: "far-cells.xlsx",
            what: "a workbook with a cell at A1 and one at XFD1048576 (a dense grid would be \
                   17 billion cells)",
            expect: Expect::Record,
            write: |_, w| w.write_all(&far_cells_xlsx()),
        },
        Item {
            name: "far-cells.xls",
            what: "an Excel 97–2003 workbook whose two cells span 65 536 × 65 536 cells",
            expect: Expect::Error("limit"),
            write: |_, w| w.write_all(&far_cells_xls()),
        },
        Item {
            name: "string-at-a1.xls",
            what: "an Excel 97–2003 workbook whose formula string comes before any formula \
                   (the parser puts it at A1) and whose other cell is at (65 535, 65 535)",
            expect: Expect::Error("limit"),
            write: |_, w| {
                let string = xls_record(0x0207, &[1, 0, 0, b'x']);
                w.write_all(&xls_book(
                    &[],
                    &[string, xls_number(65_535, 65_535)].concat(),
                ))
            },
        },
        Item {
            name: "shared-string-copies.xls",
            what: "an Excel 97–2003 workbook of 20 000 cells each showing one shared string of \
                   65 535 characters (the parser copies it into each: 2.6 GB)",
            expect: Expect::Error("limit"),
            write: |_, w| w.write_all(&shared_string_copies()),
        },
        Item {
            name: "wide-row.xlsx",
            what: "a workbook with a cell at A1 and one at column ZZZZZZ (321 272 405 columns \
                   wide)",
            expect: Expect::Record,
            write: |_, w| {
                let sheet = sheet_xml(
                    r#"<row r="1"><c r="A1" t="inlineStr"><is><t>起</t></is></c><c r="ZZZZZZ1" t="inlineStr"><is><t>止</t></is></c></row>"#,
                );
                w.write_all(&xlsx_of("xl/worksheets/sheet1.xml", &sheet, None))
            },
        },
        Item {
            name: "sheets-in-one-part.xlsx",
            what: "a workbook of 2 000 sheets naming one part (the parser would read it 2 000 \
                   times)",
            expect: Expect::Error("malformed"),
            write: |_, w| {
                let rows: String = (1..=2000)
                    .map(|r| format!(r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"#))
                    .collect();
                let sheets: String = (1..=2000)
                    .map(|i| format!(r#"<sheet name="S{i}" sheetId="{i}" r:id="rId1"/>"#))
                    .collect();
                let book = format!(
                    r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}</sheets></workbook>"#
                );
                w.write_all(&xlsx_of(
                    "xl/worksheets/sheet1.xml",
                    &sheet_xml(&rows),
                    Some(&book),
                ))
            },
        },
    ]
}

/// A stored workbook of the [`XLSX_PARTS`] and `part`, with `book` as its workbook part.
fn xlsx_of(name: &str, part: &str, book: Option<&str>) -> Vec<u8> {
    let parts: Vec<(&str, &str)> = XLSX_PARTS
        .iter()
        .map(|&(n, text)| match book {
            Some(book) if n == "xl/workbook.xml" => (n, book),
            _ => (n, text),
        })
        .chain([(name, part)])
        .collect();
    stored_zip(&parts)
}

/// A BIFF record.
fn xls_record(kind: u16, data: &[u8]) -> Vec<u8> {
    let mut out = kind.to_le_bytes().to_vec();
    out.extend((data.len() as u16).to_le_bytes());
    out.extend(data);
    out
}

/// A NUMBER record at `row`, `col`.
fn xls_number(row: u16, col: u16) -> Vec<u8> {
    let mut data = row.to_le_bytes().to_vec();
    data.extend(col.to_le_bytes());
    data.extend(0u16.to_le_bytes());
    data.extend(1.0f64.to_le_bytes());
    xls_record(0x0203, &data)
}

/// An Excel 97–2003 workbook of one sheet: BIFF8 globals holding `globals`, then a worksheet
/// of `cells`, in a compound file.
fn xls_book(globals: &[u8], cells: &[u8]) -> Vec<u8> {
    // BOF: BIFF8, of the globals (5) or of a worksheet (0x10).
    let bof = |kind: u8| {
        xls_record(
            0x0809,
            &[0x00, 0x06, kind, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        )
    };
    let eof = xls_record(0x000A, &[]);
    // BOUNDSHEET8 (9 bytes): where the sheet's BOF is, visible, a worksheet, named `S`.
    let globals_len = bof(5).len() + globals.len() + (4 + 9) + eof.len();
    let mut sheet = (globals_len as u32).to_le_bytes().to_vec();
    sheet.extend([0, 0, 1, 0, b'S']);
    let stream = [
        bof(5),
        globals.to_vec(),
        xls_record(0x0085, &sheet),
        eof.clone(),
        bof(0x10),
        cells.to_vec(),
        eof,
    ]
    .concat();
    let mut file = cfb::CompoundFile::create(io::Cursor::new(Vec::new())).expect("in memory");
    file.create_stream("/Workbook")
        .and_then(|mut s| s.write_all(&stream))
        .expect("in memory");
    file.into_inner().into_inner()
}

/// One shared string of 65 535 characters (`一`, in an SST record and its CONTINUE records)
/// shown by 20 000 cells.
fn shared_string_copies() -> Vec<u8> {
    let chars: Vec<u8> = [0x00u8, 0x4E].repeat(65_535);
    let mut first = 1u32.to_le_bytes().to_vec();
    first.extend(1u32.to_le_bytes());
    first.extend(65_535u16.to_le_bytes());
    first.push(1);
    let room = (8224 - first.len()) / 2 * 2;
    first.extend(&chars[..room]);
    let mut sst = xls_record(0x00FC, &first);
    for piece in chars[room..].chunks(8222) {
        sst.extend(xls_record(0x003C, &[&[1u8][..], piece].concat()));
    }
    let cells: Vec<u8> = (0..20_000u32)
        .flat_map(|k| {
            let mut d = ((k / 100) as u16).to_le_bytes().to_vec();
            d.extend(((k % 100) as u16).to_le_bytes());
            d.extend([0, 0]);
            d.extend(0u32.to_le_bytes());
            xls_record(0x00FD, &d)
        })
        .collect();
    xls_book(&sst, &cells)
}

/// Write every item into `dir`; returns the paths in item order.
pub fn write_corpus(dir: &Path, size: Size) -> io::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)?;
    let mut paths = Vec::new();
    for item in items() {
        let path = dir.join(item.name);
        let mut file = io::BufWriter::with_capacity(1 << 20, fs::File::create(&path)?);
        (item.write)(size, &mut file)?;
        file.flush()?;
        paths.push(path);
    }
    Ok(paths)
}

// ---------------------------------------------------------------------------------------------
// Building blocks.

/// Deterministic pseudo-random bytes (xorshift64*), so the corpus is the same on every run.
pub fn random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        out.extend_from_slice(&x.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    out.truncate(len);
    out
}

/// How many bytes a bomb inflates to.
fn bomb_bytes(size: Size) -> u64 {
    match size {
        // Past the --max-stream-bytes of the small test (4 MiB) and the zip ratio limit.
        Size::Small => 8 << 20,
        Size::Full => 4 << 30,
    }
}

/// Feed `n` bytes of `fill` into `w`, 1 MiB at a time.
fn feed(w: &mut (impl Write + ?Sized), n: u64, fill: u8) -> io::Result<()> {
    let block = vec![fill; 1 << 20];
    let mut left = n;
    while left > 0 {
        let k = left.min(block.len() as u64) as usize;
        w.write_all(&block[..k])?;
        left -= k as u64;
    }
    Ok(())
}

/// Raw deflate of `prefix`, `n` bytes of `fill`, then `suffix`; with the CRC-32 and total size.
fn deflate_bomb(prefix: &[u8], n: u64, fill: u8, suffix: &[u8]) -> (Vec<u8>, u32, u64) {
    let mut crc = flate2::Crc::new();
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::best());
    crc.update(prefix);
    enc.write_all(prefix).unwrap();
    let block = vec![fill; 1 << 20];
    let mut left = n;
    while left > 0 {
        let k = left.min(block.len() as u64) as usize;
        crc.update(&block[..k]);
        enc.write_all(&block[..k]).unwrap();
        left -= k as u64;
    }
    crc.update(suffix);
    enc.write_all(suffix).unwrap();
    let total = prefix.len() as u64 + n + suffix.len() as u64;
    (enc.finish().unwrap(), crc.sum(), total)
}

/// One entry of a hand-written zip: name, method (0 stored, 8 deflate), data as stored,
/// CRC-32, and the uncompressed size the directory claims.
struct Entry<'a> {
    name: &'a str,
    method: u16,
    data: &'a [u8],
    crc: u32,
    size: u32,
}

/// A zip written by hand, so that sizes may lie.
fn write_zip(w: &mut dyn Write, entries: &[Entry]) -> io::Result<()> {
    let mut central = Vec::new();
    let mut offset = 0u32;
    for e in entries {
        let mut local = Vec::new();
        local.extend_from_slice(b"PK\x03\x04");
        local.extend_from_slice(&20u16.to_le_bytes()); // version needed
        local.extend_from_slice(&0u16.to_le_bytes()); // flags
        local.extend_from_slice(&e.method.to_le_bytes());
        local.extend_from_slice(&0u32.to_le_bytes()); // time, date
        local.extend_from_slice(&e.crc.to_le_bytes());
        local.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
        local.extend_from_slice(&e.size.to_le_bytes());
        local.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        local.extend_from_slice(&0u16.to_le_bytes()); // extra
        local.extend_from_slice(e.name.as_bytes());
        w.write_all(&local)?;
        w.write_all(e.data)?;

        central.extend_from_slice(b"PK\x01\x02");
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        central.extend_from_slice(&local[4..30]);
        central.extend_from_slice(&[0; 6]); // comment len, disk, internal attrs
        central.extend_from_slice(&0u32.to_le_bytes()); // external attrs
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(e.name.as_bytes());
        offset += (local.len() + e.data.len()) as u32;
    }
    let n = entries.len() as u16;
    let mut end = Vec::new();
    end.extend_from_slice(b"PK\x05\x06");
    end.extend_from_slice(&[0; 4]);
    end.extend_from_slice(&n.to_le_bytes());
    end.extend_from_slice(&n.to_le_bytes());
    end.extend_from_slice(&(central.len() as u32).to_le_bytes());
    end.extend_from_slice(&offset.to_le_bytes());
    end.extend_from_slice(&0u16.to_le_bytes());
    w.write_all(&central)?;
    w.write_all(&end)
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;
const RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

fn document_xml(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}</w:body></w:document>"#
    )
}

fn paragraphs(n: usize) -> String {
    (0..n)
        .map(|i| format!("<w:p><w:r><w:t>第{i}段：关于加强政务公开工作的通知。</w:t></w:r></w:p>"))
        .collect()
}

/// A DOCX with the content types, package relationships and the given parts, deflated.
fn docx(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut all = vec![
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
    ];
    all.extend_from_slice(parts);
    let deflated: Vec<(Vec<u8>, u32, u32)> = all
        .iter()
        .map(|(_, text)| {
            let (data, crc, size) = deflate_bomb(text.as_bytes(), 0, 0, b"");
            (data, crc, size as u32)
        })
        .collect();
    let entries: Vec<Entry> = all
        .iter()
        .zip(&deflated)
        .map(|((name, _), (data, crc, size))| Entry {
            name,
            method: 8,
            data,
            crc: *crc,
            size: *size,
        })
        .collect();
    let mut out = Vec::new();
    write_zip(&mut out, &entries).unwrap();
    out
}

fn zip_bomb(size: Size, w: &mut dyn Write, lie: bool) -> io::Result<()> {
    // Well-formed XML all the way: a paragraph whose text is gigabytes of spaces.
    let head = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body><w:p><w:r><w:t xml:space="preserve">"#
    );
    let tail = "</w:t></w:r></w:p></w:body></w:document>";
    let (data, crc, total) = deflate_bomb(head.as_bytes(), bomb_bytes(size), b' ', tail.as_bytes());
    let plain = |text: &'static str| {
        let (d, c, n) = deflate_bomb(text.as_bytes(), 0, 0, b"");
        (d, c, n as u32)
    };
    let (ct, ct_crc, ct_n) = plain(CONTENT_TYPES);
    let (rels, rels_crc, rels_n) = plain(RELS);
    write_zip(
        w,
        &[
            Entry {
                name: "[Content_Types].xml",
                method: 8,
                data: &ct,
                crc: ct_crc,
                size: ct_n,
            },
            Entry {
                name: "_rels/.rels",
                method: 8,
                data: &rels,
                crc: rels_crc,
                size: rels_n,
            },
            Entry {
                name: "word/document.xml",
                method: 8,
                data: &data,
                crc,
                size: if lie {
                    1024
                } else {
                    total.min(u32::MAX as u64) as u32
                },
            },
        ],
    )
}

/// The parts of a one-sheet workbook around its shared strings (`sharedStrings.xml`).
const XLSX_PARTS: [(&str, &str); 4] = [
    (
        "[Content_Types].xml",
        r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#,
    ),
    (
        "_rels/.rels",
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    ),
    (
        "xl/workbook.xml",
        r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="表" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    ),
    (
        "xl/_rels/workbook.xml.rels",
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
    ),
];

fn sheet_xml(cells: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{cells}</sheetData></worksheet>"#
    )
}

fn xlsx_bomb(size: Size, w: &mut dyn Write) -> io::Result<()> {
    let head = r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t xml:space="preserve">"#;
    let (data, crc, total) =
        deflate_bomb(head.as_bytes(), bomb_bytes(size), b' ', b"</t></si></sst>");
    let sheet = sheet_xml(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#);
    let plain: Vec<(&str, Vec<u8>, u32, u32)> = XLSX_PARTS
        .iter()
        .map(|&(name, text)| (name, text.to_string()))
        .chain([("xl/worksheets/sheet1.xml", sheet)])
        .map(|(name, text)| {
            let (d, c, n) = deflate_bomb(text.as_bytes(), 0, 0, b"");
            (name, d, c, n as u32)
        })
        .collect();
    let mut entries: Vec<Entry> = plain
        .iter()
        .map(|(name, data, crc, size)| Entry {
            name,
            method: 8,
            data,
            crc: *crc,
            size: *size,
        })
        .collect();
    entries.push(Entry {
        name: "xl/sharedStrings.xml",
        method: 8,
        data: &data,
        crc,
        size: total.min(u32::MAX as u64) as u32,
    });
    write_zip(w, &entries)
}

fn far_cells_xlsx() -> Vec<u8> {
    let sheet = sheet_xml(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>起</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>止</t></is></c></row>"#,
    );
    let parts: Vec<(&str, &str)> = XLSX_PARTS
        .iter()
        .copied()
        .chain([("xl/worksheets/sheet1.xml", sheet.as_str())])
        .collect();
    stored_zip(&parts)
}

/// A zip of `parts`, stored uncompressed.
fn stored_zip(parts: &[(&str, &str)]) -> Vec<u8> {
    let crcs: Vec<u32> = parts
        .iter()
        .map(|(_, text)| {
            let mut crc = flate2::Crc::new();
            crc.update(text.as_bytes());
            crc.sum()
        })
        .collect();
    let entries: Vec<Entry> = parts
        .iter()
        .zip(&crcs)
        .map(|((name, text), crc)| Entry {
            name,
            method: 0,
            data: text.as_bytes(),
            crc: *crc,
            size: text.len() as u32,
        })
        .collect();
    let mut out = Vec::new();
    write_zip(&mut out, &entries).expect("writing to memory");
    out
}

/// An OLE compound file whose `Workbook` stream holds the globals and one sheet with a number
/// at A1 and another at row 65 536, column 65 536: the BIFF parser's dense grid would be
/// 4 billion cells.
fn far_cells_xls() -> Vec<u8> {
    xls_book(
        &[],
        &[xls_number(0, 0), xls_number(65_535, 65_535)].concat(),
    )
}

fn billion_laughs(_: Size, w: &mut dyn Write) -> io::Result<()> {
    let mut dtd = String::from("<!DOCTYPE w:document [<!ENTITY lol0 \"lol\">");
    for i in 1..10 {
        let prev = format!("&lol{};", i - 1).repeat(10);
        dtd.push_str(&format!("<!ENTITY lol{i} \"{prev}\">"));
    }
    dtd.push(']');
    dtd.push('>');
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>{dtd}<w:document {W}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"#
    );
    w.write_all(&docx(&[("word/document.xml", &xml)]))
}

fn deep_xml(_: Size, w: &mut dyn Write) -> io::Result<()> {
    let depth = 20_000;
    let body = format!(
        "{}<w:p><w:r><w:t>深</w:t></w:r></w:p>{}",
        "<w:sdt><w:sdtContent>".repeat(depth),
        "</w:sdtContent></w:sdt>".repeat(depth)
    );
    w.write_all(&docx(&[("word/document.xml", &document_xml(&body))]))
}

/// A PDF from object bodies (object `i + 1` is `objects[i]`), with a correct xref table and
/// `/Root 1 0 R`.
fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

const FONT: &[u8] =
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";

/// `lines` lines of text in Helvetica.
fn pdf_text_content(lines: usize) -> Vec<u8> {
    let mut c = b"BT /F1 11 Tf 72 800 Td 14 TL\n".to_vec();
    for i in 0..lines {
        c.extend_from_slice(format!("(Line {i} of a hostile test document.) Tj T*\n").as_bytes());
    }
    c.extend_from_slice(b"ET");
    c
}

/// Catalog, page tree, one page showing `content` with F1 and the given extra resources.
fn pdf_objects(content: &[u8], xobjects: &str) -> Vec<Vec<u8>> {
    vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
             /Resources << /Font << /F1 5 0 R >> {xobjects} >> >>"
        )
        .into_bytes(),
        stream("", content),
        FONT.to_vec(),
    ]
}

fn pdf_with_text(content: &[u8]) -> Vec<u8> {
    pdf(&pdf_objects(content, ""))
}

fn pdf_xref_loop(_: Size, w: &mut dyn Write) -> io::Result<()> {
    // A complete file, then two update sections whose /Prev point at each other, the last one
    // named by startxref. Offsets are written with ten digits so lengths are known up front.
    let mut out = pdf_with_text(&pdf_text_content(3));
    let section = |prev: usize| {
        format!(
            "xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 6 /Root 1 0 R /Prev {prev:010} >>\n"
        )
    };
    let first = out.len();
    let second = first + section(0).len();
    out.extend_from_slice(section(second).as_bytes());
    out.extend_from_slice(section(first).as_bytes());
    out.extend_from_slice(format!("startxref\n{second}\n%%EOF\n").as_bytes());
    w.write_all(&out)
}

fn pdf_page_tree_cycle(_: Size, w: &mut dyn Write) -> io::Result<()> {
    let mut objects = pdf_objects(&pdf_text_content(3), "");
    // The tree lists itself among its kids; the page claims to be a tree whose kid is itself.
    objects[1] = b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>".to_vec();
    objects[2] = b"<< /Type /Page /Parent 3 0 R /Kids [3 0 R] /MediaBox [0 0 595 842] \
        /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
        .to_vec();
    w.write_all(&pdf(&objects))
}

fn pdf_length_lies(w: &mut dyn Write, length: usize) -> io::Result<()> {
    let content = pdf_text_content(5);
    let mut objects = pdf_objects(&content, "");
    let mut s = format!("<< /Length {length} >>\nstream\n").into_bytes();
    s.extend_from_slice(&content);
    s.extend_from_slice(b"\nendstream");
    objects[3] = s;
    w.write_all(&pdf(&objects))
}

fn pdf_many_objects(size: Size, w: &mut dyn Write) -> io::Result<()> {
    let n: usize = match size {
        Size::Small => 20_000,
        Size::Full => 10_000_000,
    };
    w.write_all(b"%PDF-1.7\n")?;
    for o in pdf_objects(&pdf_text_content(1), "").iter().enumerate() {
        w.write_all(format!("{} 0 obj\n", o.0 + 1).as_bytes())?;
        w.write_all(o.1)?;
        w.write_all(b"\nendobj\n")?;
    }
    for i in 6..n {
        w.write_all(format!("{i} 0 obj 0 endobj\n").as_bytes())?;
    }
    // No xref table: the reader rebuilds it by scanning every object.
    w.write_all(b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
}

fn pdf_inflate_bomb(size: Size, w: &mut dyn Write) -> io::Result<()> {
    let mut zlib = ZlibEncoder::new(Vec::new(), Compression::best());
    zlib.write_all(&pdf_text_content(2))?;
    zlib.write_all(b"\n")?;
    feed(&mut zlib, bomb_bytes(size), b' ')?;
    let data = zlib.finish()?;
    let mut objects = pdf_objects(b"", "");
    objects[3] = stream("/Filter /FlateDecode", &data);
    w.write_all(&pdf(&objects))
}

fn pdf_text_bomb(size: Size, w: &mut dyn Write) -> io::Result<()> {
    // Past the glyph budget (twice --max-text-chars: 40 million by default) in the full corpus,
    // past the small test's (2 million) in the small one; in short strings, each of which fits
    // the budget, so that collecting glyphs up to the budget is what is tested.
    let glyphs: u64 = match size {
        Size::Small => 3 << 20,
        Size::Full => 56 << 20,
    };
    let show = format!("({}) Tj\n", "A".repeat(64));
    let mut zlib = ZlibEncoder::new(Vec::new(), Compression::best());
    zlib.write_all(b"BT /F1 1 Tf 0 0 Td\n")?;
    for _ in 0..glyphs / 64 {
        zlib.write_all(show.as_bytes())?;
    }
    zlib.write_all(b"ET")?;
    let data = zlib.finish()?;
    let mut objects = pdf_objects(b"", "");
    objects[3] = stream("/Filter /FlateDecode", &data);
    w.write_all(&pdf(&objects))
}

fn pdf_form_loop(_: Size, w: &mut dyn Write) -> io::Result<()> {
    let mut objects = pdf_objects(
        b"BT /F1 11 Tf 72 800 Td (Before the forms.) Tj ET /A Do",
        "/XObject << /A 6 0 R >>",
    );
    let res = "/Resources << /Font << /F1 5 0 R >> /XObject << /A 6 0 R /B 7 0 R >> >>";
    objects.push(stream(
        &format!("/Type /XObject /Subtype /Form /BBox [0 0 595 842] {res}"),
        b"BT /F1 11 Tf 72 700 Td (In form A.) Tj ET /B Do /A Do",
    ));
    objects.push(stream(
        &format!("/Type /XObject /Subtype /Form /BBox [0 0 595 842] {res}"),
        b"BT /F1 11 Tf 72 600 Td (In form B.) Tj ET /A Do /B Do",
    ));
    w.write_all(&pdf(&objects))
}

fn pdf_form_fanout(_: Size, w: &mut dyn Write) -> io::Result<()> {
    // Form k (object 6 + k) draws form k + 1 ten times; the last shows one word.
    let levels = 12;
    let mut objects = pdf_objects(b"/X0 Do", "/XObject << /X0 6 0 R >>");
    for k in 0..levels {
        let (content, res) = if k + 1 < levels {
            (
                format!("/X{} Do ", k + 1).repeat(10),
                format!("/Resources << /XObject << /X{} {} 0 R >> >>", k + 1, 7 + k),
            )
        } else {
            (
                "BT /F1 11 Tf 72 800 Td (laugh) Tj ET".to_string(),
                "/Resources << /Font << /F1 5 0 R >> >>".to_string(),
            )
        };
        objects.push(stream(
            &format!("/Type /XObject /Subtype /Form /BBox [0 0 595 842] {res}"),
            content.as_bytes(),
        ));
    }
    w.write_all(&pdf(&objects))
}

fn deep_rtf(_: Size, w: &mut dyn Write) -> io::Result<()> {
    let depth = 100_000;
    w.write_all(b"{\\rtf1\\ansi ")?;
    w.write_all(&b"{".repeat(depth))?;
    w.write_all(b"\\u28145?")?;
    w.write_all(&b"}".repeat(depth))?;
    w.write_all(b"}")
}

fn rtf_flood(size: Size, w: &mut dyn Write) -> io::Result<()> {
    let chars: u64 = match size {
        Size::Small => 1_100_000,
        Size::Full => 50_000_000,
    };
    w.write_all(b"{\\rtf1\\ansi \\pard ")?;
    feed(w, chars, b'x')?;
    w.write_all(b"\\par}")
}

fn deep_html(_: Size, w: &mut dyn Write) -> io::Result<()> {
    let depth = 100_000;
    w.write_all(
        b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>deep</title></head><body>",
    )?;
    w.write_all(&b"<div>".repeat(depth))?;
    w.write_all("深层嵌套的正文。".as_bytes())?;
    w.write_all(&b"</div>".repeat(depth))?;
    w.write_all(b"</body></html>")
}

fn huge_html(size: Size, w: &mut dyn Write) -> io::Result<()> {
    let target: u64 = match size {
        Size::Small => 2_000_000,
        Size::Full => 200_000_000,
    };
    w.write_all(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>大页面</title></head><body>\n"
            .as_bytes(),
    )?;
    let para = "<p>按照《中华人民共和国政府信息公开条例》要求，现将本机关2020年政府信息公开工作情况报告如下。</p>\n";
    let mut written = 0u64;
    while written < target {
        w.write_all(para.as_bytes())?;
        written += para.len() as u64;
    }
    w.write_all(b"</body></html>\n")
}

fn invalid_gbk(_: Size, w: &mut dyn Write) -> io::Result<()> {
    let (good, _, _) = encoding_rs::GBK.encode(
        "<html><head><meta charset=\"gbk\"><title>通知</title></head><body><p>关于做好政务公开工作的通知",
    );
    w.write_all(&good)?;
    // A lead byte before ASCII, 0x80 and 0xFF (never valid), a lead byte at a paragraph end.
    w.write_all(b"\x81 \x80\xff\xfe")?;
    w.write_all(&encoding_rs::GBK.encode("各单位：请认真落实。").0)?;
    w.write_all(b"\xd6</p></body></html>\xb0")
}

fn invalid_utf8(_: Size, w: &mut dyn Write) -> io::Result<()> {
    w.write_all(
        "<html><head><meta charset=\"utf-8\"><title>通知</title></head><body><p>关于做好政务公开工作的通知"
            .as_bytes(),
    )?;
    // Overlong '/', a lone continuation byte, an encoded surrogate, a cut sequence, 0xFE.
    w.write_all(b"\xc0\xaf \x80 \xed\xa0\x80 \xe4\xb8 \xfe")?;
    w.write_all("各单位：请认真落实。</p></body></html>".as_bytes())
}

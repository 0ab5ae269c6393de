//! Fonts: how the bytes of a text-showing operator become character codes, Unicode text and
//! glyph widths.
//!
//! In: a font dictionary (and the document, to resolve references). Out: a [`Font`] that splits
//! strings into codes, maps each code to Unicode and gives its advance width in text space.
//! What always holds: text comes only from a map the file or a standard defines (ToUnicode,
//! a predefined CMap, the Adobe CID→Unicode tables, a named encoding, glyph names); a code with
//! no map yields no text, and a font whose codes cannot be mapped at all is reported through
//! [`Font::unmapped`] so the caller can warn, never invented text.
//!
//! Parsing a font is the expensive part; [`FontCache`] parses each font object once per
//! document, and predefined CMaps are loaded once per thread.

use std::collections::HashMap;
use std::rc::Rc;

use encoding_rs::{BIG5, Encoding, GB18030, MACINTOSH, WINDOWS_1252};
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::cmap::{CMap, code_value};

/// How raw bytes split into codes and what the codes mean before ToUnicode.
#[derive(Debug)]
enum Encoder {
    /// A simple font: one byte per code, mapped through a 256-entry table.
    Simple(Box<[Option<char>; 256]>),
    /// Identity-H/V: two bytes per code, code = CID.
    Identity,
    /// A predefined Unicode CMap (UniGB-UCS2-H, UniGB-UTF16-H, …): codes are UTF-16BE.
    Utf16,
    /// A predefined CMap over a legacy multi-byte charset (GBK-EUC-H → GB18030 bytes,
    /// B5pc-H → Big5 bytes), decoded with encoding_rs.
    Legacy(&'static Encoding, Charset),
    /// An embedded CMap stream mapping codes to CIDs.
    Embedded(Box<CMap>),
    /// Another predefined CMap, known to hayro-cmap only.
    Predefined(Rc<hayro_cmap::CMap>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Charset {
    Gbk,
    Gbk2k,
    Big5,
}

/// Advance widths, in glyph space units.
#[derive(Debug, Default)]
struct Widths {
    first: u32,
    simple: Vec<f32>,
    /// CID ranges `(low, high, width)` from `/W`, sorted.
    cid: Vec<(u32, u32, f32)>,
    default: f32,
}

impl Widths {
    fn simple_width(&self, code: u32) -> Option<f32> {
        let i = code.checked_sub(self.first)? as usize;
        self.simple.get(i).copied().filter(|&w| w > 0.0)
    }

    fn cid_width(&self, cid: u32) -> f32 {
        let idx = self.cid.partition_point(|r| r.0 <= cid);
        match idx.checked_sub(1).map(|i| self.cid[i]) {
            Some((_, high, w)) if cid <= high => w,
            _ => self.default,
        }
    }
}

/// A parsed font.
#[derive(Debug)]
pub(crate) struct Font {
    encoder: Encoder,
    to_unicode: Option<CMap>,
    /// CID → Unicode for the Adobe character collections (Adobe-GB1-UCS2, …).
    collection: Option<Rc<hayro_cmap::CMap>>,
    /// Last resort: glyph id → Unicode from the embedded font's own `cmap` table, with the
    /// CID → glyph id map (`None` = identity).
    embedded: Option<EmbeddedMap>,
    widths: Widths,
    /// Glyph space → text space (1/1000, or a Type3 FontMatrix).
    scale: f32,
    pub(crate) vertical: bool,
    /// True when no source of Unicode text exists for this font.
    pub(crate) unmapped: bool,
    pub(crate) name: String,
}

/// The text of one character code.
pub(crate) struct Code {
    pub(crate) len: usize,
    /// Advance width in text space (before font size).
    pub(crate) width: f32,
    /// A single-byte code 32, to which word spacing applies.
    pub(crate) is_space: bool,
}

impl Font {
    /// Split the next code off `bytes` (non-empty), append its Unicode text to `out`.
    /// Whether text comes from the embedded font's own cmap table (a degradation).
    pub(crate) fn uses_embedded_cmap(&self) -> bool {
        self.embedded.is_some()
    }

    pub(crate) fn next_code(&self, bytes: &[u8], out: &mut String) -> Code {
        let len = self.split(bytes);
        let raw = &bytes[..len];
        let code = code_value(raw);
        let cid = self.cid(code, raw);
        let before = out.len();
        let mapped = self
            .to_unicode
            .as_ref()
            .is_some_and(|m| m.unicode(code, len as u8, out))
            && out.len() > before;
        if !mapped {
            out.truncate(before);
            self.fallback_unicode(code, raw, cid, out);
        }
        let width = match &self.encoder {
            Encoder::Simple(_) => self.widths.simple_width(code).unwrap_or(500.0),
            _ => match cid {
                Some(cid) => self.widths.cid_width(cid),
                None if len == 1 => self.widths.default / 2.0,
                None => self.widths.default,
            },
        };
        Code {
            len,
            width: width * self.scale,
            is_space: len == 1 && code == 32,
        }
    }

    fn split(&self, bytes: &[u8]) -> usize {
        let two = bytes.len().min(2);
        match &self.encoder {
            Encoder::Simple(_) => 1,
            Encoder::Identity => match &self.to_unicode {
                Some(m) if m.has_codespaces() && bytes.len() == 1 => 1,
                _ => two,
            },
            Encoder::Utf16 => {
                if bytes.len() >= 4 && (0xD8..=0xDB).contains(&bytes[0]) {
                    4
                } else {
                    two
                }
            }
            Encoder::Legacy(_, charset) => {
                let lead = bytes[0];
                let multi = match charset {
                    Charset::Gbk | Charset::Gbk2k => (0x81..=0xFE).contains(&lead),
                    Charset::Big5 => (0x81..=0xFE).contains(&lead),
                };
                if !multi {
                    1
                } else if *charset == Charset::Gbk2k
                    && bytes.len() >= 4
                    && bytes[1].is_ascii_digit()
                {
                    4
                } else {
                    two
                }
            }
            Encoder::Embedded(cmap) => cmap.split(bytes, 2),
            Encoder::Predefined(_) => two,
        }
    }

    fn cid(&self, code: u32, raw: &[u8]) -> Option<u32> {
        match &self.encoder {
            Encoder::Simple(_) => None,
            Encoder::Identity => Some(code),
            Encoder::Embedded(cmap) => cmap.cid(code, raw.len() as u8),
            Encoder::Predefined(cmap) => cmap.lookup_cid_code(code, raw.len() as u8),
            Encoder::Utf16 | Encoder::Legacy(..) => None,
        }
    }

    fn fallback_unicode(&self, code: u32, raw: &[u8], cid: Option<u32>, out: &mut String) {
        match &self.encoder {
            Encoder::Simple(table) => {
                if let Some(c) = table[(code & 0xFF) as usize] {
                    out.push(c);
                }
            }
            Encoder::Utf16 => {
                let units = raw
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]));
                out.extend(char::decode_utf16(units).flatten());
            }
            Encoder::Legacy(encoding, _) => {
                let (text, _, had_errors) = encoding.decode(raw);
                if !had_errors {
                    out.push_str(&text);
                }
            }
            Encoder::Identity | Encoder::Embedded(_) | Encoder::Predefined(_) => {
                if let (Some(cid), Some(table)) = (cid, &self.collection) {
                    match table.lookup_bf_string(cid) {
                        Some(hayro_cmap::BfString::Char(c)) => out.push(c),
                        Some(hayro_cmap::BfString::String(s)) => out.push_str(&s),
                        None => {}
                    }
                } else if let (Some(cid), Some((glyphs, cid_to_gid))) = (cid, &self.embedded) {
                    let gid = match cid_to_gid {
                        Some(map) => map.get(cid as usize).copied(),
                        None => u16::try_from(cid).ok(),
                    };
                    if let Some(c) = gid.and_then(|g| glyphs.get(&g)) {
                        out.push(*c);
                    }
                }
            }
        }
    }
}

thread_local! {
    /// The predefined CMaps this thread has loaded. Inflating and parsing one (Adobe-GB1-UCS2
    /// above all) costs more than reading a short document, and a worker reads file after file.
    /// Only CMaps that loaded are kept, so whatever names the files give, the map holds at most
    /// the CMaps hayro-cmap embeds.
    static LOADED: std::cell::RefCell<HashMap<Vec<u8>, Rc<hayro_cmap::CMap>>> =
        std::cell::RefCell::new(HashMap::new());
}

/// Parses each font of a document once.
#[derive(Default)]
pub(crate) struct FontCache {
    fonts: HashMap<ObjectId, Rc<Font>>,
    predefined: HashMap<Vec<u8>, Option<Rc<hayro_cmap::CMap>>>,
}

impl FontCache {
    /// The font for a `/Font` resource entry.
    pub(crate) fn get(&mut self, doc: &Document, entry: &Object) -> Option<Rc<Font>> {
        if let Object::Reference(id) = entry
            && let Some(font) = self.fonts.get(id)
        {
            return Some(font.clone());
        }
        let dict = deref(doc, entry).as_dict().ok()?;
        let font = Rc::new(self.parse(doc, dict));
        if let Object::Reference(id) = entry {
            self.fonts.insert(*id, font.clone());
        }
        Some(font)
    }

    fn predefined(&mut self, name: &[u8]) -> Option<Rc<hayro_cmap::CMap>> {
        if let Some(m) = self.predefined.get(name) {
            return m.clone();
        }
        let loaded = LOADED.with_borrow_mut(|loaded| {
            if let Some(m) = loaded.get(name) {
                return Some(m.clone());
            }
            let m = hayro_cmap::load_embedded(hayro_cmap::CMapName::from_bytes(name))
                .and_then(|data| hayro_cmap::CMap::parse(data, hayro_cmap::load_embedded))
                .map(Rc::new)?;
            loaded.insert(name.to_vec(), m.clone());
            Some(m)
        });
        self.predefined.insert(name.to_vec(), loaded.clone());
        loaded
    }

    fn parse(&mut self, doc: &Document, dict: &Dictionary) -> Font {
        let subtype = name_of(doc, dict, b"Subtype").unwrap_or_default();
        let name = name_of(doc, dict, b"BaseFont")
            .map(|n| String::from_utf8_lossy(&n).into_owned())
            .unwrap_or_default();
        let to_unicode = stream_of(doc, dict, b"ToUnicode")
            .map(|data| CMap::parse(&data))
            .filter(|m| !m.is_empty());
        if subtype == b"Type0" {
            self.parse_type0(doc, dict, to_unicode, name)
        } else {
            parse_simple(doc, dict, to_unicode, name, subtype == b"Type3")
        }
    }

    fn parse_type0(
        &mut self,
        doc: &Document,
        dict: &Dictionary,
        to_unicode: Option<CMap>,
        name: String,
    ) -> Font {
        let descendant = dict
            .get(b"DescendantFonts")
            .ok()
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok());
        let mut collection_name: Option<(Vec<u8>, Vec<u8>)> = None;
        let mut embedded = None;
        let mut widths = Widths {
            default: 1000.0,
            ..Widths::default()
        };
        if let Some(desc) = descendant {
            if let Some(info) = desc
                .get(b"CIDSystemInfo")
                .ok()
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_dict().ok())
            {
                let registry = string_of(doc, info, b"Registry").unwrap_or_default();
                let ordering = string_of(doc, info, b"Ordering").unwrap_or_default();
                collection_name = Some((registry, ordering));
            }
            if to_unicode.is_none() {
                embedded = embedded_glyph_map(doc, desc);
            }
            if let Some(dw) = desc.get(b"DW").ok().and_then(|o| number(deref(doc, o))) {
                widths.default = dw;
            }
            if let Some(w) = desc
                .get(b"W")
                .ok()
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_array().ok())
            {
                widths.cid = parse_cid_widths(doc, w);
            }
        }
        let mut vertical = false;
        let encoding = dict.get(b"Encoding").ok().map(|o| deref(doc, o));
        let encoder = match encoding {
            Some(Object::Name(n)) => {
                vertical = n.ends_with(b"-V");
                self.predefined_encoder(n)
            }
            Some(Object::Stream(s)) => {
                let data = s
                    .decompressed_content()
                    .unwrap_or_else(|_| s.content.clone());
                let cmap = CMap::parse(&data);
                if let Some(Object::Name(n)) = s.dict.get(b"UseCMap").ok().map(|o| deref(doc, o))
                    && cmap.is_empty()
                {
                    self.predefined_encoder(n)
                } else if cmap.is_empty()
                    && let Some(base) = cmap.use_cmap.clone()
                {
                    self.predefined_encoder(&base)
                } else {
                    Encoder::Embedded(Box::new(cmap))
                }
            }
            _ => Encoder::Identity,
        };
        // CID → Unicode through the collection's UCS2 table when the ToUnicode map is missing or
        // partial: Adobe-GB1, -CNS1, -Japan1, -Korea1.
        let collection = collection_name.and_then(|(registry, ordering)| {
            let family = hayro_cmap::CidFamily::from_registry_ordering(&registry, &ordering);
            let ucs2 = family.ucs2_cmap()?;
            self.predefined(ucs2.to_bytes())
        });
        let direct = matches!(encoder, Encoder::Utf16 | Encoder::Legacy(..));
        let embedded = if collection.is_some() { None } else { embedded };
        let unmapped =
            to_unicode.is_none() && collection.is_none() && !direct && embedded.is_none();
        Font {
            encoder,
            to_unicode,
            collection,
            embedded,
            widths,
            scale: 0.001,
            vertical,
            unmapped,
            name,
        }
    }

    fn predefined_encoder(&mut self, name: &[u8]) -> Encoder {
        let base = name
            .strip_suffix(b"-H")
            .or_else(|| name.strip_suffix(b"-V"))
            .unwrap_or(name);
        match base {
            b"Identity" => Encoder::Identity,
            b"UniGB-UCS2" | b"UniGB-UTF16" | b"UniCNS-UCS2" | b"UniCNS-UTF16" | b"UniJIS-UCS2"
            | b"UniJIS-UTF16" | b"UniKS-UCS2" | b"UniKS-UTF16" => Encoder::Utf16,
            b"GBK-EUC" | b"GBpc-EUC" | b"GBKp-EUC" | b"GB-EUC" => {
                Encoder::Legacy(GB18030, Charset::Gbk)
            }
            b"GBK2K" => Encoder::Legacy(GB18030, Charset::Gbk2k),
            b"B5pc" | b"ETen-B5" | b"ETenms-B5" | b"HKscs-B5" => {
                Encoder::Legacy(BIG5, Charset::Big5)
            }
            _ => match self.predefined(name) {
                Some(cmap) => Encoder::Predefined(cmap),
                None => Encoder::Identity,
            },
        }
    }
}

fn parse_simple(
    doc: &Document,
    dict: &Dictionary,
    to_unicode: Option<CMap>,
    name: String,
    type3: bool,
) -> Font {
    let mut table: Box<[Option<char>; 256]> = Box::new([None; 256]);
    let mut base = if type3 { None } else { Some(WINDOWS_1252) };
    let mut has_differences = false;
    match dict.get(b"Encoding").ok().map(|o| deref(doc, o)) {
        Some(Object::Name(n)) => base = base_encoding(n).or(base),
        Some(Object::Dictionary(enc)) => {
            if let Some(n) = name_of(doc, enc, b"BaseEncoding") {
                base = base_encoding(&n).or(base);
            }
            if let Some(diffs) = enc
                .get(b"Differences")
                .ok()
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_array().ok())
            {
                fill_base(&mut table, base);
                base = None;
                has_differences = true;
                let mut code = 0usize;
                for item in diffs {
                    match deref(doc, item) {
                        Object::Integer(i) => code = (*i).clamp(0, 255) as usize,
                        Object::Name(glyph) => {
                            if code < 256 {
                                table[code] = glyph_to_char(glyph);
                            }
                            code += 1;
                        }
                        _ => {}
                    }
                }
            }
        }
        _ => {}
    }
    if !has_differences {
        fill_base(&mut table, base);
    }
    let first = dict
        .get(b"FirstChar")
        .ok()
        .and_then(|o| number(deref(doc, o)))
        .unwrap_or(0.0)
        .max(0.0) as u32;
    let simple = dict
        .get(b"Widths")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_array().ok())
        .map(|a| {
            a.iter()
                .map(|o| number(deref(doc, o)).unwrap_or(0.0))
                .collect()
        })
        .unwrap_or_default();
    let scale = if type3 {
        dict.get(b"FontMatrix")
            .ok()
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .and_then(|o| number(deref(doc, o)))
            .unwrap_or(0.001)
    } else {
        0.001
    };
    let unmapped = to_unicode.is_none() && table.iter().all(Option::is_none);
    Font {
        encoder: Encoder::Simple(table),
        to_unicode,
        collection: None,
        embedded: None,
        widths: Widths {
            first,
            simple,
            cid: Vec::new(),
            default: 500.0,
        },
        scale,
        vertical: false,
        unmapped,
        name,
    }
}

/// Glyph id → Unicode from an embedded font program, and the CID → glyph id map (`None`:
/// identity).
type EmbeddedMap = (HashMap<u16, char>, Option<Vec<u16>>);

/// The embedded font program's glyph → Unicode map and the CID → glyph map of a CIDFont.
fn embedded_glyph_map(doc: &Document, desc: &Dictionary) -> Option<EmbeddedMap> {
    let descriptor = deref(doc, desc.get(b"FontDescriptor").ok()?)
        .as_dict()
        .ok()?;
    let program = stream_of(doc, descriptor, b"FontFile2")
        .or_else(|| stream_of(doc, descriptor, b"FontFile3"))?;
    let glyphs = super::truetype::glyph_to_unicode(&program);
    if glyphs.is_empty() {
        return None;
    }
    let cid_to_gid = match desc.get(b"CIDToGIDMap").ok().map(|o| deref(doc, o)) {
        Some(Object::Stream(s)) => {
            let data = s.decompressed_content_with_limit(1 << 20).ok()?;
            Some(
                data.chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect(),
            )
        }
        _ => None,
    };
    Some((glyphs, cid_to_gid))
}

fn base_encoding(name: &[u8]) -> Option<&'static Encoding> {
    match name {
        b"WinAnsiEncoding" | b"StandardEncoding" | b"PDFDocEncoding" => Some(WINDOWS_1252),
        b"MacRomanEncoding" => Some(MACINTOSH),
        _ => None,
    }
}

fn fill_base(table: &mut [Option<char>; 256], base: Option<&'static Encoding>) {
    let Some(encoding) = base else { return };
    // A few encodings serve every simple font: each byte is decoded once per thread, not 224
    // decoder calls per font.
    type Decoded = Vec<(&'static Encoding, Box<[Option<char>; 256]>)>;
    thread_local! {
        static DECODED: std::cell::RefCell<Decoded> = const { std::cell::RefCell::new(Vec::new()) };
    }
    DECODED.with_borrow_mut(|decoded| {
        if let Some((_, t)) = decoded.iter().find(|(e, _)| *e == encoding) {
            table.copy_from_slice(&t[..]);
            return;
        }
        let mut t: Box<[Option<char>; 256]> = Box::new([None; 256]);
        for (i, slot) in t.iter_mut().enumerate().skip(32) {
            let byte = [i as u8];
            let (text, errors) = encoding.decode_without_bom_handling(&byte);
            if !errors {
                *slot = text.chars().next();
            }
        }
        table.copy_from_slice(&t[..]);
        decoded.push((encoding, t));
    });
}

/// Unicode for a glyph name: `uniXXXX`, `uXXXX[XX]`, single letters and digits, and the common
/// Latin punctuation names of the Adobe Glyph List.
pub(crate) fn glyph_to_char(name: &[u8]) -> Option<char> {
    let name = std::str::from_utf8(name).ok()?;
    let name = name.split('.').next().unwrap_or(name);
    if let Some(hex) = name.strip_prefix("uni")
        && hex.len() >= 4
    {
        return u32::from_str_radix(&hex[..4], 16)
            .ok()
            .and_then(char::from_u32);
    }
    if let Some(hex) = name.strip_prefix('u')
        && (4..=6).contains(&hex.len())
        && let Ok(v) = u32::from_str_radix(hex, 16)
    {
        return char::from_u32(v);
    }
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_ascii_alphabetic()
    {
        return Some(c);
    }
    GLYPH_NAMES.iter().find(|(n, _)| *n == name).map(|e| e.1)
}

const GLYPH_NAMES: &[(&str, char)] = &[
    ("AE", 'Æ'),
    ("Eacute", 'É'),
    ("OE", 'Œ'),
    ("Odieresis", 'Ö'),
    ("Udieresis", 'Ü'),
    ("aacute", 'á'),
    ("acircumflex", 'â'),
    ("adieresis", 'ä'),
    ("ae", 'æ'),
    ("agrave", 'à'),
    ("ampersand", '&'),
    ("aring", 'å'),
    ("asciicircum", '^'),
    ("asciitilde", '~'),
    ("asterisk", '*'),
    ("at", '@'),
    ("backslash", '\\'),
    ("bar", '|'),
    ("braceleft", '{'),
    ("braceright", '}'),
    ("bracketleft", '['),
    ("bracketright", ']'),
    ("bullet", '•'),
    ("ccedilla", 'ç'),
    ("colon", ':'),
    ("comma", ','),
    ("copyright", '©'),
    ("degree", '°'),
    ("dollar", '$'),
    ("eacute", 'é'),
    ("ecircumflex", 'ê'),
    ("egrave", 'è'),
    ("eight", '8'),
    ("ellipsis", '…'),
    ("emdash", '—'),
    ("endash", '–'),
    ("equal", '='),
    ("exclam", '!'),
    ("ff", 'ﬀ'),
    ("fi", 'ﬁ'),
    ("five", '5'),
    ("fl", 'ﬂ'),
    ("four", '4'),
    ("grave", '`'),
    ("greater", '>'),
    ("guillemotleft", '«'),
    ("guillemotright", '»'),
    ("hyphen", '-'),
    ("iacute", 'í'),
    ("less", '<'),
    ("minus", '−'),
    ("multiply", '×'),
    ("nine", '9'),
    ("nbspace", '\u{a0}'),
    ("numbersign", '#'),
    ("oacute", 'ó'),
    ("odieresis", 'ö'),
    ("one", '1'),
    ("paragraph", '¶'),
    ("parenleft", '('),
    ("parenright", ')'),
    ("percent", '%'),
    ("period", '.'),
    ("periodcentered", '·'),
    ("plus", '+'),
    ("plusminus", '±'),
    ("question", '?'),
    ("quotedbl", '"'),
    ("quotedblleft", '“'),
    ("quotedblright", '”'),
    ("quoteleft", '‘'),
    ("quoteright", '’'),
    ("quotesingle", '\''),
    ("registered", '®'),
    ("section", '§'),
    ("semicolon", ';'),
    ("seven", '7'),
    ("six", '6'),
    ("slash", '/'),
    ("space", ' '),
    ("sterling", '£'),
    ("three", '3'),
    ("trademark", '™'),
    ("two", '2'),
    ("uacute", 'ú'),
    ("udieresis", 'ü'),
    ("underscore", '_'),
    ("yen", '¥'),
    ("zero", '0'),
];

fn parse_cid_widths(doc: &Document, w: &[Object]) -> Vec<(u32, u32, f32)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < w.len() {
        let Some(first) = number(deref(doc, &w[i])) else {
            break;
        };
        let first = first.max(0.0) as u32;
        match w.get(i + 1).map(|o| deref(doc, o)) {
            Some(Object::Array(list)) => {
                for (k, o) in list.iter().enumerate().take(65_536) {
                    if let Some(v) = number(deref(doc, o)) {
                        let cid = first.saturating_add(k as u32);
                        out.push((cid, cid, v));
                    }
                }
                i += 2;
            }
            Some(o) => {
                let last = number(o).unwrap_or(0.0).max(0.0) as u32;
                let v = w.get(i + 2).and_then(|o| number(deref(doc, o)));
                if let Some(v) = v {
                    out.push((first, last.max(first), v));
                }
                i += 3;
            }
            None => break,
        }
    }
    out.sort_by_key(|r| r.0);
    out
}

/// Follow references (a bounded number of hops, so reference loops end).
pub(crate) fn deref<'a>(doc: &'a Document, mut obj: &'a Object) -> &'a Object {
    for _ in 0..32 {
        match obj {
            Object::Reference(id) => match doc.get_object(*id) {
                Ok(o) => obj = o,
                Err(_) => return &Object::Null,
            },
            _ => return obj,
        }
    }
    &Object::Null
}

pub(crate) fn number(obj: &Object) -> Option<f32> {
    match obj {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn name_of(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<Vec<u8>> {
    match deref(doc, dict.get(key).ok()?) {
        Object::Name(n) => Some(n.clone()),
        _ => None,
    }
}

fn string_of(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<Vec<u8>> {
    match deref(doc, dict.get(key).ok()?) {
        Object::String(s, _) => Some(s.clone()),
        Object::Name(n) => Some(n.clone()),
        _ => None,
    }
}

fn stream_of(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<Vec<u8>> {
    match deref(doc, dict.get(key).ok()?) {
        Object::Stream(s) => Some(
            s.decompressed_content_with_limit(16 << 20)
                .unwrap_or_else(|_| s.content.clone()),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names_map_to_unicode() {
        assert_eq!(glyph_to_char(b"uni4E2D"), Some('中'));
        assert_eq!(glyph_to_char(b"u1F600"), Some('😀'));
        assert_eq!(glyph_to_char(b"comma"), Some(','));
        assert_eq!(glyph_to_char(b"A"), Some('A'));
        assert_eq!(glyph_to_char(b"zero.tnum"), Some('0'));
        assert_eq!(glyph_to_char(b"g123"), None);
    }

    #[test]
    fn adobe_gb1_table_maps_cids() {
        let mut cache = FontCache::default();
        let table = cache.predefined(b"Adobe-GB1-UCS2").expect("embedded table");
        // CID 4559 is 中 in Adobe-GB1 (GB 2312 row 54, cell 48).
        assert_eq!(
            table.lookup_bf_string(4559),
            Some(hayro_cmap::BfString::Char('中'))
        );
    }
}

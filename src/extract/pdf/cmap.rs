//! CMap streams embedded in a PDF: `/ToUnicode` maps (code → Unicode text) and embedded
//! `/Encoding` CMaps (code → CID).
//!
//! In: the decoded bytes of a CMap stream. Out: a [`CMap`] that splits a string of character
//! codes by its codespace ranges and looks codes up. What always holds: a code is identified by
//! its value *and* its byte length (`<41>` and `<0041>` are different codes); lookups never
//! allocate; a malformed CMap yields whatever entries could be read, never an error.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Hashes a code key (`(len << 32) | code`) with one multiply: these maps are looked up once
/// per glyph shown, where SipHash was a tenth of the interpreter's time. The high half is
/// folded in before and after the multiply, so keys that differ only in their high bits still
/// land in different buckets.
#[derive(Default)]
struct CodeHasher(u64);

impl Hasher for CodeHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        let h = (self.0 ^ n ^ (n >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 32);
    }
}

type CodeMap<V> = HashMap<u64, V, BuildHasherDefault<CodeHasher>>;

/// One codespace range: `n` bytes, each byte between the matching bytes of `low` and `high`.
#[derive(Debug, Clone, Copy)]
struct Codespace {
    len: u8,
    low: [u8; 4],
    high: [u8; 4],
}

impl Codespace {
    fn contains(&self, bytes: &[u8]) -> bool {
        let n = self.len as usize;
        bytes.len() >= n && (0..n).all(|i| bytes[i] >= self.low[i] && bytes[i] <= self.high[i])
    }
}

/// A range of codes mapped to consecutive destinations.
#[derive(Debug, Clone)]
struct Range {
    len: u8,
    low: u32,
    high: u32,
    dest: RangeDest,
}

#[derive(Debug, Clone)]
enum RangeDest {
    /// `bfrange` with a base string: the last UTF-16 unit is incremented.
    Base(Vec<u16>),
    /// `bfrange` with an array of strings, one per code.
    Array(Vec<Box<str>>),
    /// `cidrange`: the first CID.
    Cid(u32),
}

/// A parsed CMap.
#[derive(Debug, Default, Clone)]
pub(crate) struct CMap {
    codespaces: Vec<Codespace>,
    /// `bfchar` entries, keyed by `(len << 32) | code`.
    chars: CodeMap<Box<str>>,
    /// `cidchar` entries.
    cids: CodeMap<u32>,
    ranges: Vec<Range>,
    /// The name given to `usecmap`, if any (a predefined CMap this one extends).
    pub(crate) use_cmap: Option<Vec<u8>>,
}

fn key(code: u32, len: u8) -> u64 {
    (u64::from(len) << 32) | u64::from(code)
}

/// Big-endian value of up to four bytes.
pub(crate) fn code_value(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0u32, |acc, &b| (acc << 8) | u32::from(b))
}

impl CMap {
    /// Parse a CMap stream. Unknown or malformed parts are skipped.
    pub(crate) fn parse(data: &[u8]) -> CMap {
        let mut cmap = CMap::default();
        let mut lexer = Lexer { data, pos: 0 };
        let mut operands: Vec<Token> = Vec::new();
        let mut last_name: Option<Vec<u8>> = None;
        while let Some(token) = lexer.next() {
            match token {
                Token::Keyword(k) => {
                    match k {
                        b"begincodespacerange" => cmap.read_codespaces(&mut lexer),
                        b"beginbfchar" => cmap.read_bfchar(&mut lexer),
                        b"beginbfrange" => cmap.read_bfrange(&mut lexer),
                        b"begincidchar" => cmap.read_cidchar(&mut lexer),
                        b"begincidrange" => cmap.read_cidrange(&mut lexer),
                        b"usecmap" => cmap.use_cmap = last_name.take(),
                        _ => {}
                    }
                    operands.clear();
                }
                Token::Name(n) => last_name = Some(n.to_vec()),
                other => {
                    if operands.len() < 8 {
                        operands.push(other);
                    }
                }
            }
        }
        cmap.ranges.sort_by_key(|r| (r.len, r.low));
        cmap
    }

    /// Whether this CMap maps anything at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.chars.is_empty() && self.ranges.is_empty() && self.cids.is_empty()
    }

    pub(crate) fn has_codespaces(&self) -> bool {
        !self.codespaces.is_empty()
    }

    fn read_codespaces(&mut self, lexer: &mut Lexer<'_>) {
        loop {
            let Some(Token::Hex(low)) = lexer.next_or_end(b"endcodespacerange") else {
                return;
            };
            let Some(Token::Hex(high)) = lexer.next_or_end(b"endcodespacerange") else {
                return;
            };
            let len = low.len().min(high.len());
            if !(1..=4).contains(&len) {
                continue;
            }
            let mut cs = Codespace {
                len: len as u8,
                low: [0; 4],
                high: [0; 4],
            };
            cs.low[..len].copy_from_slice(&low[..len]);
            cs.high[..len].copy_from_slice(&high[..len]);
            self.codespaces.push(cs);
        }
    }

    fn read_bfchar(&mut self, lexer: &mut Lexer<'_>) {
        loop {
            let Some(Token::Hex(src)) = lexer.next_or_end(b"endbfchar") else {
                return;
            };
            let dst = match lexer.next_or_end(b"endbfchar") {
                Some(Token::Hex(d)) => utf16_to_boxed(&d),
                Some(Token::Name(n)) => match crate::extract::pdf::font::glyph_to_char(n) {
                    Some(c) => c.to_string().into(),
                    None => continue,
                },
                _ => return,
            };
            if (1..=4).contains(&src.len()) {
                self.chars
                    .insert(key(code_value(&src), src.len() as u8), dst);
            }
        }
    }

    fn read_bfrange(&mut self, lexer: &mut Lexer<'_>) {
        loop {
            let Some(Token::Hex(low)) = lexer.next_or_end(b"endbfrange") else {
                return;
            };
            let Some(Token::Hex(high)) = lexer.next_or_end(b"endbfrange") else {
                return;
            };
            let dest = match lexer.next_or_end(b"endbfrange") {
                Some(Token::Hex(d)) => RangeDest::Base(utf16_units(&d)),
                Some(Token::ArrayStart) => {
                    let mut items = Vec::new();
                    while let Some(t) = lexer.next() {
                        match t {
                            Token::Hex(d) => items.push(utf16_to_string(&d).into_boxed_str()),
                            Token::ArrayEnd => break,
                            _ => {}
                        }
                    }
                    RangeDest::Array(items)
                }
                _ => return,
            };
            self.push_range(&low, &high, dest);
        }
    }

    fn read_cidchar(&mut self, lexer: &mut Lexer<'_>) {
        loop {
            let Some(Token::Hex(src)) = lexer.next_or_end(b"endcidchar") else {
                return;
            };
            let Some(Token::Number(cid)) = lexer.next_or_end(b"endcidchar") else {
                return;
            };
            if (1..=4).contains(&src.len()) && cid >= 0.0 {
                self.cids
                    .insert(key(code_value(&src), src.len() as u8), cid as u32);
            }
        }
    }

    fn read_cidrange(&mut self, lexer: &mut Lexer<'_>) {
        loop {
            let Some(Token::Hex(low)) = lexer.next_or_end(b"endcidrange") else {
                return;
            };
            let Some(Token::Hex(high)) = lexer.next_or_end(b"endcidrange") else {
                return;
            };
            let Some(Token::Number(cid)) = lexer.next_or_end(b"endcidrange") else {
                return;
            };
            if cid >= 0.0 {
                self.push_range(&low, &high, RangeDest::Cid(cid as u32));
            }
        }
    }

    fn push_range(&mut self, low: &[u8], high: &[u8], dest: RangeDest) {
        let len = low.len();
        if !(1..=4).contains(&len) {
            return;
        }
        let (lo, hi) = (code_value(low), code_value(high));
        if hi < lo {
            return;
        }
        self.ranges.push(Range {
            len: len as u8,
            low: lo,
            high: hi,
            dest,
        });
    }

    fn find_range(&self, code: u32, len: u8) -> Option<&Range> {
        // Ranges are few (hundreds at most); sorted by (len, low), so search the first that
        // could contain the code and scan back a little for overlapping ranges.
        let idx = self
            .ranges
            .partition_point(|r| (r.len, r.low) <= (len, code));
        self.ranges[..idx]
            .iter()
            .rev()
            .take_while(|r| r.len == len)
            .find(|r| code <= r.high)
    }

    /// Whether a Unicode mapping exists for this code.
    fn maps(&self, code: u32, len: u8) -> bool {
        self.chars.contains_key(&key(code, len))
            || self
                .find_range(code, len)
                .is_some_and(|r| !matches!(r.dest, RangeDest::Cid(_)))
    }

    /// Split the next code off `bytes` (non-empty) by the codespace ranges: the longest code
    /// that fits a codespace range and has a mapping, else the shortest that fits a range,
    /// else one byte (or `default_len` when the CMap has no codespace at all).
    pub(crate) fn split(&self, bytes: &[u8], default_len: usize) -> usize {
        if self.codespaces.is_empty() {
            return default_len.clamp(1, bytes.len().max(1)).min(bytes.len());
        }
        let mut shortest = None;
        let mut mapped = None;
        for cs in &self.codespaces {
            if cs.contains(bytes) {
                let n = cs.len as usize;
                if shortest.is_none_or(|s| n < s) {
                    shortest = Some(n);
                }
                if mapped.is_none_or(|m| n > m) && self.maps(code_value(&bytes[..n]), cs.len) {
                    mapped = Some(n);
                }
            }
        }
        mapped.or(shortest).unwrap_or(1).min(bytes.len())
    }

    /// Append the Unicode text of a code to `out`; false when the code is not mapped.
    pub(crate) fn unicode(&self, code: u32, len: u8, out: &mut String) -> bool {
        if let Some(s) = self.chars.get(&key(code, len)) {
            out.push_str(s);
            return true;
        }
        if let Some(r) = self.find_range(code, len) {
            let offset = code - r.low;
            match &r.dest {
                RangeDest::Base(units) => {
                    let Some((&last, head)) = units.split_last() else {
                        return false;
                    };
                    let last = u32::from(last) + offset;
                    for c in char::decode_utf16(head.iter().copied()).flatten() {
                        out.push(c);
                    }
                    if last <= 0xFFFF {
                        if let Some(c) = char::from_u32(last) {
                            out.push(c);
                        }
                    } else if let Some(c) = char::from_u32(last) {
                        out.push(c);
                    }
                    return true;
                }
                RangeDest::Array(items) => {
                    if let Some(s) = items.get(offset as usize) {
                        out.push_str(s);
                        return true;
                    }
                }
                RangeDest::Cid(_) => {}
            }
        }
        false
    }

    /// The CID of a code in an encoding CMap.
    pub(crate) fn cid(&self, code: u32, len: u8) -> Option<u32> {
        if let Some(&cid) = self.cids.get(&key(code, len)) {
            return Some(cid);
        }
        match self.find_range(code, len)?.dest {
            RangeDest::Cid(first) => first.checked_add(code - self.find_range(code, len)?.low),
            _ => None,
        }
    }
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    let mut units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| {
            if c.len() == 2 {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from(c[0])
            }
        })
        .collect();
    if units.is_empty() {
        units.push(0);
    }
    units
}

/// [`utf16_to_string`], boxed; the common single BMP character without the intermediate
/// `String` and its shrinking reallocation.
fn utf16_to_boxed(bytes: &[u8]) -> Box<str> {
    if let [hi, lo] = *bytes
        && let Some(c) = char::from_u32(u32::from(u16::from_be_bytes([hi, lo])))
        && c != '\0'
    {
        return Box::from(&*c.encode_utf8(&mut [0; 4]));
    }
    utf16_to_string(bytes).into()
}

fn utf16_to_string(bytes: &[u8]) -> String {
    char::decode_utf16(utf16_units(bytes))
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .filter(|&c| c != '\0')
        .collect()
}

/// The bytes of a hex string. A ToUnicode map is thousands of entries of a few bytes each:
/// up to eight are kept inline instead of in an allocation of their own.
#[derive(Debug, Clone)]
enum HexBytes {
    Inline(u8, [u8; 8]),
    Heap(Vec<u8>),
}

impl HexBytes {
    fn push(&mut self, b: u8) {
        match self {
            HexBytes::Inline(n, buf) if usize::from(*n) < buf.len() => {
                buf[usize::from(*n)] = b;
                *n += 1;
            }
            HexBytes::Inline(_, buf) => {
                let mut v = buf.to_vec();
                v.push(b);
                *self = HexBytes::Heap(v);
            }
            HexBytes::Heap(v) => v.push(b),
        }
    }
}

impl std::ops::Deref for HexBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            HexBytes::Inline(n, buf) => &buf[..usize::from(*n)],
            HexBytes::Heap(v) => v,
        }
    }
}

impl PartialEq for HexBytes {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token<'a> {
    Hex(HexBytes),
    Name(&'a [u8]),
    Number(f64),
    Keyword(&'a [u8]),
    ArrayStart,
    ArrayEnd,
    Other,
}

/// A PostScript-ish tokenizer, enough for CMap files.
struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    ) || b.is_ascii_whitespace()
        || b == 0
}

impl<'a> Lexer<'a> {
    /// The next token, or `None` when the `end` keyword (or the end of data) comes first.
    fn next_or_end(&mut self, end: &[u8]) -> Option<Token<'a>> {
        match self.next()? {
            Token::Keyword(k) if k == end => None,
            t => Some(t),
        }
    }

    fn next(&mut self) -> Option<Token<'a>> {
        let d = self.data;
        loop {
            while self.pos < d.len() && (d[self.pos].is_ascii_whitespace() || d[self.pos] == 0) {
                self.pos += 1;
            }
            if self.pos < d.len() && d[self.pos] == b'%' {
                while self.pos < d.len() && d[self.pos] != b'\n' && d[self.pos] != b'\r' {
                    self.pos += 1;
                }
                continue;
            }
            break;
        }
        let &b = d.get(self.pos)?;
        self.pos += 1;
        Some(match b {
            b'<' if d.get(self.pos) == Some(&b'<') => {
                self.pos += 1;
                Token::Other
            }
            b'>' if d.get(self.pos) == Some(&b'>') => {
                self.pos += 1;
                Token::Other
            }
            b'<' => {
                let mut out = HexBytes::Inline(0, [0; 8]);
                let mut hi: Option<u8> = None;
                while let Some(&c) = d.get(self.pos) {
                    self.pos += 1;
                    if c == b'>' {
                        break;
                    }
                    let v = match c {
                        b'0'..=b'9' => c - b'0',
                        b'a'..=b'f' => c - b'a' + 10,
                        b'A'..=b'F' => c - b'A' + 10,
                        _ => continue,
                    };
                    match hi.take() {
                        Some(h) => out.push(h << 4 | v),
                        None => hi = Some(v),
                    }
                }
                if let Some(h) = hi {
                    out.push(h << 4);
                }
                Token::Hex(out)
            }
            b'(' => {
                let mut depth = 1;
                while let Some(&c) = d.get(self.pos) {
                    self.pos += 1;
                    match c {
                        b'\\' => self.pos += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                Token::Other
            }
            b'[' => Token::ArrayStart,
            b']' => Token::ArrayEnd,
            b'{' | b'}' | b'>' | b')' => Token::Other,
            b'/' => {
                let start = self.pos;
                while self.pos < d.len() && !is_delim(d[self.pos]) {
                    self.pos += 1;
                }
                Token::Name(&d[start..self.pos])
            }
            _ => {
                let start = self.pos - 1;
                while self.pos < d.len() && !is_delim(d[self.pos]) {
                    self.pos += 1;
                }
                let word = &d[start..self.pos];
                match std::str::from_utf8(word).ok().and_then(|s| s.parse().ok()) {
                    Some(n) => Token::Number(n),
                    None => Token::Keyword(word),
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(cmap: &CMap, code: u32, len: u8) -> Option<String> {
        let mut s = String::new();
        cmap.unicode(code, len, &mut s).then_some(s)
    }

    #[test]
    fn bfchar_and_bfrange_with_array() {
        let cmap = CMap::parse(
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
              1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
              2 beginbfchar <0003> <0020> <0A1B> <4E2D> endbfchar\n\
              2 beginbfrange <0010> <0012> <6587> <0020> <0021> [<56FD> <D840DC00>] endbfrange\n\
              endcmap CMapName currentdict /CMap defineresource pop end end",
        );
        assert_eq!(text(&cmap, 0x0A1B, 2).as_deref(), Some("中"));
        assert_eq!(text(&cmap, 0x0010, 2).as_deref(), Some("文"));
        assert_eq!(text(&cmap, 0x0012, 2).as_deref(), Some("斉"));
        assert_eq!(text(&cmap, 0x0020, 2).as_deref(), Some("国"));
        assert_eq!(text(&cmap, 0x0021, 2).as_deref(), Some("\u{20000}"));
        assert_eq!(text(&cmap, 0x0A1B, 1), None);
        assert_eq!(cmap.split(&[0x0A, 0x1B], 1), 2);
    }

    #[test]
    fn mixed_codespace_prefers_longest_mapped_code() {
        let cmap = CMap::parse(
            b"2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange\n\
              2 beginbfchar <41> <0041> <8140> <4E02> endbfchar",
        );
        assert_eq!(cmap.split(&[0x41, 0x81], 2), 1);
        assert_eq!(cmap.split(&[0x81, 0x40], 1), 2);
        assert_eq!(text(&cmap, 0x8140, 2).as_deref(), Some("丂"));
    }

    #[test]
    fn cidrange_maps_codes_to_cids() {
        let cmap = CMap::parse(
            b"1 begincodespacerange <8140> <FEFE> endcodespacerange\n\
              1 begincidrange <B0A1> <B0FE> 1000 endcidrange /GBK-EUC-H usecmap",
        );
        assert_eq!(cmap.cid(0xB0A3, 2), Some(1002));
        assert_eq!(cmap.cid(0xB0A3, 1), None);
    }
}

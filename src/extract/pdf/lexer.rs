//! A content-stream tokenizer: bytes in, `(operator, operands)` out.
//!
//! What always holds: it never fails — a malformed token is skipped and reading goes on, so
//! the text before and after a damaged spot is kept; inline images (`BI … ID … EI`) are skipped
//! whole; nesting of arrays and dictionaries is bounded. Operands are lopdf [`Object`]s so the
//! interpreter reads them like any other PDF object.

use lopdf::{Dictionary, Object, StringFormat};

const MAX_DEPTH: usize = 32;
const MAX_OPERANDS: usize = 64;

pub(crate) struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

const WHITE: u8 = 1;
const DELIM: u8 = 2;

/// The class of every byte, looked up once per byte instead of a chain of comparisons: the
/// scan for the end of a number or operator is the lexer's innermost loop.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let white = b" \n\r\t\x0c\0";
    let mut i = 0;
    while i < white.len() {
        t[white[i] as usize] = WHITE;
        i += 1;
    }
    let delim = b"()<>[]{}/%";
    let mut i = 0;
    while i < delim.len() {
        t[delim[i] as usize] = DELIM;
        i += 1;
    }
    t
};

fn is_white(b: u8) -> bool {
    CLASS[b as usize] == WHITE
}

fn is_delim(b: u8) -> bool {
    CLASS[b as usize] == DELIM
}

fn is_regular(b: u8) -> bool {
    CLASS[b as usize] == 0
}

enum Token<'a> {
    /// An operand, pushed onto the list the caller passed: an [`Object`] is large, and moving
    /// it out through the return value and again into the list cost more than lexing it.
    Operand,
    Keyword(&'a [u8]),
    ArrayEnd,
    DictEnd,
    Skip,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Lexer { data, pos: 0 }
    }

    /// The next operator and its operands (`operands` is cleared and refilled). The operator
    /// is any run of regular characters that is not a number: unknown ones (garbage included)
    /// are for the caller to ignore.
    pub(crate) fn next_op(&mut self, operands: &mut Vec<Object>) -> Option<&'a [u8]> {
        operands.clear();
        loop {
            match self.token(0, operands)? {
                Token::Operand => {
                    if operands.len() > MAX_OPERANDS {
                        operands.pop();
                    }
                }
                Token::Keyword(b"BI") => {
                    self.skip_inline_image();
                    operands.clear();
                }
                Token::Keyword(k) => return Some(k),
                Token::ArrayEnd | Token::DictEnd | Token::Skip => {}
            }
        }
    }

    fn skip_white(&mut self) {
        let d = self.data;
        while self.pos < d.len() {
            if is_white(d[self.pos]) {
                self.pos += 1;
            } else if d[self.pos] == b'%' {
                while self.pos < d.len() && d[self.pos] != b'\n' && d[self.pos] != b'\r' {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// The next token; an operand is pushed onto `out`.
    fn token(&mut self, depth: usize, out: &mut Vec<Object>) -> Option<Token<'a>> {
        self.skip_white();
        let d = self.data;
        let &b = d.get(self.pos)?;
        Some(match b {
            b'(' => {
                self.pos += 1;
                out.push(Object::String(self.literal(), StringFormat::Literal));
                Token::Operand
            }
            b'<' if d.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                out.push(self.dict(depth));
                Token::Operand
            }
            b'<' => {
                self.pos += 1;
                out.push(Object::String(self.hex(), StringFormat::Hexadecimal));
                Token::Operand
            }
            b'>' if d.get(self.pos + 1) == Some(&b'>') => {
                self.pos += 2;
                Token::DictEnd
            }
            b'[' => {
                self.pos += 1;
                out.push(self.array(depth));
                Token::Operand
            }
            b']' => {
                self.pos += 1;
                Token::ArrayEnd
            }
            b'/' => {
                self.pos += 1;
                out.push(Object::Name(self.name()));
                Token::Operand
            }
            b'+' | b'-' | b'.' | b'0'..=b'9' => {
                let start = self.pos;
                while self.pos < d.len() && is_regular(d[self.pos]) {
                    self.pos += 1;
                }
                let word = &d[start..self.pos];
                match parse_number(word) {
                    Some(o) => {
                        out.push(o);
                        Token::Operand
                    }
                    None => Token::Skip,
                }
            }
            _ if is_regular(b) => {
                let start = self.pos;
                while self.pos < d.len() && is_regular(d[self.pos]) {
                    self.pos += 1;
                }
                let operand = match &d[start..self.pos] {
                    b"true" => Object::Boolean(true),
                    b"false" => Object::Boolean(false),
                    b"null" => Object::Null,
                    k => return Some(Token::Keyword(k)),
                };
                out.push(operand);
                Token::Operand
            }
            _ => {
                self.pos += 1;
                Token::Skip
            }
        })
    }

    fn array(&mut self, depth: usize) -> Object {
        let mut items = Vec::new();
        if depth >= MAX_DEPTH {
            return Object::Array(items);
        }
        while let Some(t) = self.token(depth + 1, &mut items) {
            match t {
                Token::ArrayEnd => break,
                Token::Operand | Token::Keyword(_) | Token::DictEnd | Token::Skip => {}
            }
        }
        Object::Array(items)
    }

    fn dict(&mut self, depth: usize) -> Object {
        let mut dict = Dictionary::new();
        if depth >= MAX_DEPTH {
            return Object::Dictionary(dict);
        }
        let mut key: Option<Vec<u8>> = None;
        let mut value = Vec::with_capacity(1);
        while let Some(t) = self.token(depth + 1, &mut value) {
            match t {
                Token::Operand => match value.pop() {
                    Some(Object::Name(n)) if key.is_none() => key = Some(n),
                    Some(o) => {
                        if let Some(k) = key.take() {
                            dict.set(k, o);
                        }
                    }
                    None => {}
                },
                Token::DictEnd => break,
                Token::Keyword(_) | Token::ArrayEnd | Token::Skip => {}
            }
        }
        Object::Dictionary(dict)
    }

    fn name(&mut self) -> Vec<u8> {
        let d = self.data;
        let start = self.pos;
        let end = d[start..]
            .iter()
            .position(|&b| !is_regular(b))
            .map_or(d.len(), |i| start + i);
        // Most names have no `#xx` escape: copy them whole.
        if !d[start..end].contains(&b'#') {
            self.pos = end;
            return d[start..end].to_vec();
        }
        let mut out = Vec::with_capacity(end - start);
        while self.pos < d.len() && is_regular(d[self.pos]) {
            let c = d[self.pos];
            if c == b'#'
                && let Some(v) = d
                    .get(self.pos + 1..self.pos + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                self.pos += 3;
                continue;
            }
            out.push(c);
            self.pos += 1;
        }
        out
    }

    fn hex(&mut self) -> Vec<u8> {
        let d = self.data;
        let mut out = Vec::new();
        let mut hi: Option<u8> = None;
        while let Some(&c) = d.get(self.pos) {
            self.pos += 1;
            let v = match c {
                b'>' => break,
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => continue,
            };
            match hi.take() {
                Some(h) => out.push((h << 4) | v),
                None => hi = Some(v),
            }
        }
        if let Some(h) = hi {
            out.push(h << 4);
        }
        out
    }

    fn literal(&mut self) -> Vec<u8> {
        let d = self.data;
        // Most strings hold no escape and no nested parenthesis: copy them whole.
        if let Some(i) = memchr::memchr3(b'(', b')', b'\\', &d[self.pos..])
            && d[self.pos + i] == b')'
        {
            let out = d[self.pos..self.pos + i].to_vec();
            self.pos += i + 1;
            return out;
        }
        let mut out = Vec::new();
        let mut depth = 1usize;
        while let Some(&c) = d.get(self.pos) {
            self.pos += 1;
            match c {
                b'(' => {
                    depth += 1;
                    out.push(c);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    out.push(c);
                }
                b'\\' => {
                    let Some(&e) = d.get(self.pos) else { break };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if d.get(self.pos) == Some(&b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match d.get(self.pos) {
                                    Some(&o @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(o - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xFF) as u8);
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(c),
            }
        }
        out
    }

    /// Skip an inline image after `BI`: its dictionary, `ID`, the data, `EI`.
    fn skip_inline_image(&mut self) {
        let d = self.data;
        // Find the ID keyword.
        while self.pos + 1 < d.len() {
            if d[self.pos] == b'I'
                && d[self.pos + 1] == b'D'
                && (self.pos == 0 || is_white(d[self.pos - 1]))
                && d.get(self.pos + 2).is_none_or(|&b| is_white(b))
            {
                self.pos += 3;
                break;
            }
            self.pos += 1;
        }
        // Find whitespace, EI, whitespace or end.
        while self.pos + 1 < d.len() {
            if d[self.pos] == b'E'
                && d[self.pos + 1] == b'I'
                && self.pos > 0
                && is_white(d[self.pos - 1])
                && d.get(self.pos + 2)
                    .is_none_or(|&b| is_white(b) || is_delim(b))
            {
                self.pos += 2;
                return;
            }
            self.pos += 1;
        }
        self.pos = d.len();
    }
}

fn parse_number(word: &[u8]) -> Option<Object> {
    if let Some(o) = plain_number(word) {
        return Some(o);
    }
    let s = std::str::from_utf8(word).ok()?;
    if !s.contains('.')
        && let Ok(i) = s.parse::<i64>()
    {
        return Some(Object::Integer(i));
    }
    // Lenient: "--5", "5.-3" and the like occur in the wild; take the longest valid prefix.
    let trimmed = s.trim_start_matches(['+', '-']);
    let negative = s.len() - trimmed.len() > 0 && s.starts_with('-');
    let end = trimmed
        .char_indices()
        .scan(false, |dot, (i, c)| {
            if c.is_ascii_digit() || (c == '.' && !std::mem::replace(dot, true)) {
                Some(i + 1)
            } else {
                None
            }
        })
        .last()?;
    let v: f32 = trimmed[..end]
        .parse()
        .ok()
        .or_else(|| (trimmed[..end] == *".").then_some(0.0))?;
    Some(Object::Real(if negative { -v } else { v }))
}

/// The common case without building a `str`: `[-]digits` (at most 18) as an integer, and
/// `[-]digits.digits` whose digits make a number below 2^24 with at most 10 after the point as
/// a real. For those, one `f32` division of two exactly represented values is correctly
/// rounded, so the result is bit for bit what `str::parse::<f32>` gives; anything else is
/// `None` and goes the general way.
fn plain_number(word: &[u8]) -> Option<Object> {
    const POW10: [f32; 11] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];
    let (negative, digits) = match word.split_first()? {
        (b'-', rest) => (true, rest),
        _ => (false, word),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut int: i64 = 0;
    let mut dot = None;
    for (i, &b) in digits.iter().enumerate() {
        match b {
            b'0'..=b'9' => int = int * 10 + i64::from(b - b'0'),
            b'.' if dot.is_none() => dot = Some(i),
            _ => return None,
        }
    }
    let Some(dot) = dot else {
        return Some(Object::Integer(if negative { -int } else { int }));
    };
    let scale = digits.len() - dot - 1;
    if digits.len() == 1 || scale >= POW10.len() || int >= 1 << 24 {
        return None;
    }
    let v = int as f32 / POW10[scale];
    Some(Object::Real(if negative { -v } else { v }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(data: &[u8]) -> Vec<(String, Vec<Object>)> {
        let mut lexer = Lexer::new(data);
        let mut operands = Vec::new();
        let mut out = Vec::new();
        while let Some(op) = lexer.next_op(&mut operands) {
            out.push((String::from_utf8_lossy(op).into_owned(), operands.clone()));
        }
        out
    }

    #[test]
    fn reads_operators_with_their_operands() {
        let got = ops(b"BT /F1 12 Tf 1 0 0 1 72.5 -700 Tm [(a\\)b) -250 <4E2D>] TJ ET");
        assert_eq!(got.len(), 5);
        assert_eq!(got[1].0, "Tf");
        assert_eq!(
            got[1].1,
            vec![Object::Name(b"F1".to_vec()), Object::Integer(12)]
        );
        assert_eq!(got[2].1[4], Object::Real(72.5));
        let Object::Array(items) = &got[3].1[0] else {
            panic!("array")
        };
        assert_eq!(
            items[0],
            Object::String(b"a)b".to_vec(), StringFormat::Literal)
        );
        assert_eq!(items[1], Object::Integer(-250));
        assert_eq!(
            items[2],
            Object::String(vec![0x4E, 0x2D], StringFormat::Hexadecimal)
        );
    }

    #[test]
    fn skips_inline_images_and_keeps_going_after_garbage() {
        let got =
            ops(b"BI /W 2 /H 2 /BPC 8 ID \x00EI\xff\x01 EI Q ) } q /Span <</ActualText (x)>> BDC");
        let names: Vec<&str> = got.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(names, vec!["Q", "q", "BDC"]);
        assert!(matches!(got[2].1[1], Object::Dictionary(_)));
    }

    #[test]
    fn octal_escapes_and_odd_numbers() {
        let got = ops(b"(\\101\\60x) Tj --5 .5 Td");
        assert_eq!(
            got[0].1[0],
            Object::String(b"A0x".to_vec(), StringFormat::Literal)
        );
        assert_eq!(got[1].1, vec![Object::Real(-5.0), Object::Real(0.5)]);
    }

    #[test]
    fn plain_numbers_parse_as_the_general_path_does() {
        fn general(word: &str) -> Option<Object> {
            if !word.contains('.')
                && let Ok(i) = word.parse::<i64>()
            {
                return Some(Object::Integer(i));
            }
            let (negative, t) = match word.strip_prefix('-') {
                Some(t) => (true, t),
                None => (false, word),
            };
            let v: f32 = t.parse().ok()?;
            Some(Object::Real(if negative { -v } else { v }))
        }
        for w in [
            "0",
            "-0",
            "12",
            "-345",
            "595.276",
            "-0.5",
            ".5",
            "5.",
            "0.000",
            "-0.000",
            "841.89",
            "16777215.",
            "1677721.5",
            "0.1",
            "0.3",
            "3.14159",
            "123456.7",
            "0.0000001",
            "9.999999",
        ] {
            let fast = plain_number(w.as_bytes());
            assert_eq!(fast, general(w), "{w}");
            if let Some(Object::Real(r)) = fast {
                assert_eq!(
                    r.to_bits(),
                    w.trim_start_matches('-')
                        .parse::<f32>()
                        .map(|v| if w.starts_with('-') { -v } else { v })
                        .unwrap()
                        .to_bits(),
                    "{w}"
                );
            }
        }
        for w in [
            "-",
            ".",
            "1.2.3",
            "+5",
            "16777216.5",
            "1.23456789012",
            "1e5",
        ] {
            assert_eq!(plain_number(w.as_bytes()), None, "{w}");
        }
    }
}

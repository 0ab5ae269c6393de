//! A byte-level HTML tokenizer that drives html5ever's tree builder, for the pages the
//! extractor parses.
//!
//! html5ever's own tokenizer walks its input one `char` at a time through a buffer queue of
//! tendrils, and on the extractor's pages that costs about twice what its tree builder does.
//! [`parse`] reads the same text by bytes instead — `memchr` to the next `<`, `&` or NUL in a
//! run of text, one pass over a tag's name and attributes — and hands html5ever's
//! [`TreeBuilder`] the tokens html5ever's tokenizer would have handed it, with the options
//! [`Html::parse_document`] uses, so the tree comes out the same.
//!
//! What comes in is a whole page as `&str`; what goes out is the [`Html`] that
//! `Html::parse_document` would build from it, or `None` where this tokenizer would rather not
//! say (a page over 4 GiB, a tree builder answer it has no use for), in which case the caller
//! parses with html5ever.
//!
//! What always holds, and where it comes from:
//!
//! * The tokens follow html5ever 0.40's tokenizer (itself the WHATWG tokenizer) state for state:
//!   newline normalization, ASCII-lowercased names, the first of duplicate attributes, NUL
//!   replaced where the spec says, character references through html5ever's own
//!   [`NAMED_ENTITIES`] and C1 table with its legacy and attribute-value rules, comments,
//!   bogus comments, DOCTYPEs with their force-quirks flag, CDATA in foreign content, the
//!   RCDATA, RAWTEXT, script data (escapes included) and PLAINTEXT states the tree builder asks
//!   for, and html5ever's habit of dropping a U+FEFF after a `</script>` or a `<meta charset>`.
//! * Character tokens are cut where convenient, not where html5ever cuts them: the tree builder
//!   splits runs on whitespace itself and scraper joins adjacent text, so the cut is invisible.
//!   The one place a token boundary shows is the newline dropped after `<pre>`, `<listing>`
//!   and `<textarea>`: html5ever forgets it on any token, a parse error included, so the two
//!   parse errors that can come between such a tag and a newline (`</>` and a numeric reference
//!   with no `;` or a bad value) are passed on; no other parse error is.
//! * `tests` compare every tree with html5ever's, node for node; `tests/` and the fuzz target
//!   `html_tokenize` do the same on generated and mutated pages.

use ego_tree::NodeId;
use html5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    Doctype, EndTag, StartTag, Tag, TagKind, Token, TokenSink, TokenSinkResult,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts};
use html5ever::{Attribute, LocalName, QualName, ns};
use memchr::{memchr, memchr2, memchr3};
use scraper::{Html, HtmlTreeSink};
use std::borrow::Cow;

/// Tendrils count their length in `u32`; a longer page is left to html5ever.
const MAX_INPUT_BYTES: usize = u32::MAX as usize;

/// The line number handed to the tree builder with every token. Only a sink that implements
/// `set_current_line` reads it, and scraper's does not.
const LINE: u64 = 1;

/// The replacement for a NUL where the spec replaces it.
const REPLACEMENT: &str = "\u{FFFD}";

/// The byte order mark html5ever drops at the start of its input.
const BOM: &str = "\u{FEFF}";

/// The largest code point.
const MAX_CODE_POINT: u32 = 0x10FFFF;

/// Parse `text` as [`Html::parse_document`] would, or `None` when the caller should.
pub fn parse(text: &str) -> Option<Html> {
    parse_keeping(text, None)
}

/// The attributes html5ever's tree builder reads itself: `type` of an `<input>` in a table,
/// `color`, `face` and `size` of a `<font>` that ends foreign content, `encoding` of a
/// MathML `<annotation-xml>` holding HTML, `shadowrootmode` of a `<template>`, and a
/// `<meta>`'s `charset`, `http-equiv` and `content` (an encoding indicator, after which the
/// tokenizer drops a U+FEFF). [`parse_keeping`] keeps them whatever it is asked to keep, or
/// the tree would not be html5ever's.
pub const TREE_BUILDER_READS: [&str; 9] = [
    "type",
    "color",
    "face",
    "size",
    "encoding",
    "shadowrootmode",
    "charset",
    "http-equiv",
    "content",
];

/// Whether `name` is a formatting element's: the tree builder compares all the attributes of
/// those (no more than three alike in its list of active formatting elements), so
/// [`parse_keeping`] keeps all of theirs.
pub fn is_formatting(name: &LocalName) -> bool {
    use html5ever::local_name as n;
    matches!(
        *name,
        n!("a")
            | n!("b")
            | n!("big")
            | n!("code")
            | n!("em")
            | n!("font")
            | n!("i")
            | n!("nobr")
            | n!("s")
            | n!("small")
            | n!("strike")
            | n!("strong")
            | n!("tt")
            | n!("u")
    )
}

/// [`parse`], keeping only the attributes named in `keep` (lower case, as written: foreign
/// content's `xlink:href`, not `href`), the [`TREE_BUILDER_READS`] and all those of
/// formatting elements ([`is_formatting`]) when it is given: the tree html5ever builds, less
/// every other attribute.
pub fn parse_keeping(text: &str, keep: Option<&[&str]>) -> Option<Html> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let text = normalize_newlines(text);
    if text.len() > MAX_INPUT_BYTES {
        return None;
    }
    let mut tokenizer = Tokenizer::new(&text);
    tokenizer.keep = keep;
    tokenizer.run()?;
    let Tokenizer { tb, .. } = tokenizer;
    Some(html5ever::tree_builder::TreeSink::finish(tb.sink))
}

/// The input stream preprocessed as the spec says: every CRLF pair and every lone CR become LF.
fn normalize_newlines(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let Some(first) = memchr(b'\r', bytes) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    let mut cr = first;
    loop {
        out.push_str(&text[from..cr]);
        out.push('\n');
        from = cr + 1;
        if bytes.get(from) == Some(&b'\n') {
            from += 1;
        }
        match memchr(b'\r', &bytes[from..]) {
            Some(off) => cr = from + off,
            None => break,
        }
    }
    out.push_str(&text[from..]);
    Cow::Owned(out)
}

/// What the tokenizer reads next, as the tree builder last set it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Data,
    Raw(RawKind),
    Plaintext,
    /// The input is used up.
    Eof,
}

/// The script data double escape start and end states: the letters from `from`, then a space,
/// `/` or `>`, switch to `on_script` when they spell `script` (in any case) and to `otherwise`
/// when not; anything else after the letters goes on in `otherwise`. The new state and where
/// reading goes on, `None` when the input ends first.
fn double_escape(
    bytes: &[u8],
    from: usize,
    on_script: Script,
    otherwise: Script,
) -> Option<(Script, usize)> {
    let end = from
        + bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
    match *bytes.get(end)? {
        t if is_space(t) || t == b'/' || t == b'>' => {
            let script = bytes[from..end].eq_ignore_ascii_case(b"script");
            Some((if script { on_script } else { otherwise }, end + 1))
        }
        _ => Some((otherwise, end)),
    }
}

/// The spec's whitespace inside tags (CR is gone after newline normalization).
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0C | b' ')
}

/// A character reference as read at an `&`.
enum CharRef {
    /// Not a reference: the `&` is a character of its own.
    Literal,
    /// The reference stands for `chars[..len]` and ends before byte `end`; `error` when
    /// html5ever reports a parse error before it emits the characters (numeric references only:
    /// see the module doc).
    Chars {
        chars: [char; 2],
        len: usize,
        end: usize,
        error: bool,
    },
}

/// The states of the attribute part of a tag, named as in the spec.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AttrState {
    BeforeName,
    AfterName,
    BeforeValue,
    AfterValueQuoted,
    SelfClosing,
}

/// The script data states that decide where a script ends, named as in the spec.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Data,
    LessThan,
    EndTagOpen,
    EscapeStart,
    EscapeStartDash,
    Escaped,
    EscapedDash,
    EscapedDashDash,
    EscapedLessThan,
    EscapedEndTagOpen,
    DoubleEscaped,
    DoubleEscapedDash,
    DoubleEscapedDashDash,
    DoubleEscapedLessThan,
}

/// The comment states, named as in the spec.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Comment {
    Start,
    StartDash,
    Body,
    LessThan,
    LessThanBang,
    LessThanBangDash,
    LessThanBangDashDash,
    EndDash,
    End,
    EndBang,
}

/// The DOCTYPE states after the keyword, named as in the spec.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dt {
    Start,
    BeforeName,
    Name,
    AfterName,
    AfterKeyword(bool),
    BeforeId(bool),
    IdDouble(bool),
    IdSingle(bool),
    AfterId(bool),
    Between,
    Bogus,
}

struct Tokenizer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// The whole input as one shared tendril: text tokens and attribute values are slices of it.
    input: StrTendril,
    pos: usize,
    tb: TreeBuilder<NodeId, HtmlTreeSink>,
    /// The name of the last start tag emitted, for the appropriate-end-tag rule.
    last_start_tag: Option<LocalName>,
    /// Text read but not yet handed on: the input bytes `span`, or `owned` once the text is
    /// no longer one slice of the input.
    span: (usize, usize),
    owned: String,
    /// The attributes to keep (names in lower case), or `None` for all of them.
    keep: Option<&'a [&'a str]>,
}

impl<'a> Tokenizer<'a> {
    fn new(text: &'a str) -> Self {
        Tokenizer {
            text,
            bytes: text.as_bytes(),
            input: StrTendril::from_slice(text),
            pos: 0,
            tb: TreeBuilder::new(
                HtmlTreeSink::new(Html::new_document()),
                TreeBuilderOpts::default(),
            ),
            last_start_tag: None,
            span: (0, 0),
            owned: String::new(),
            keep: None,
        }
    }

    /// Whether the attribute named `name` (as written) is kept.
    fn keeps(&self, name: &str) -> bool {
        self.keep.is_none_or(|keep| {
            keep.iter()
                .chain(&TREE_BUILDER_READS)
                .any(|k| k.eq_ignore_ascii_case(name))
        })
    }

    fn run(&mut self) -> Option<()> {
        let mut mode = Mode::Data;
        loop {
            mode = match mode {
                Mode::Data => self.data()?,
                Mode::Raw(RawKind::ScriptData) => self.script()?,
                Mode::Raw(kind @ (RawKind::Rcdata | RawKind::Rawtext)) => self.raw(kind)?,
                Mode::Raw(RawKind::ScriptDataEscaped(_)) => return None,
                Mode::Plaintext => {
                    self.push_replacing_nul(self.pos, self.bytes.len());
                    self.pos = self.bytes.len();
                    Mode::Eof
                }
                Mode::Eof => break,
            };
        }
        self.flush()?;
        self.emit(Token::EOFToken)?;
        self.tb.end();
        Some(())
    }

    // ---- text ----

    fn push_span(&mut self, from: usize, to: usize) {
        if from == to {
            return;
        }
        if !self.owned.is_empty() {
            self.owned.push_str(&self.text[from..to]);
        } else if self.span.0 == self.span.1 {
            self.span = (from, to);
        } else if self.span.1 == from {
            self.span.1 = to;
        } else {
            self.owned.push_str(&self.text[self.span.0..self.span.1]);
            self.span = (0, 0);
            self.owned.push_str(&self.text[from..to]);
        }
    }

    fn push_str(&mut self, s: &str) {
        if self.span.0 != self.span.1 {
            self.owned.push_str(&self.text[self.span.0..self.span.1]);
            self.span = (0, 0);
        }
        self.owned.push_str(s);
    }

    /// Text `from..to` with each NUL as U+FFFD (RCDATA, RAWTEXT, script data, PLAINTEXT).
    fn push_replacing_nul(&mut self, from: usize, to: usize) {
        let mut at = from;
        while let Some(off) = memchr(0, &self.bytes[at..to]) {
            self.push_span(at, at + off);
            self.push_str(REPLACEMENT);
            at += off + 1;
        }
        self.push_span(at, to);
    }

    /// Hand the pending text to the tree builder.
    fn flush(&mut self) -> Option<()> {
        let tendril = if !self.owned.is_empty() {
            let t = StrTendril::from_slice(&self.owned);
            self.owned.clear();
            t
        } else if self.span.0 != self.span.1 {
            let (from, to) = self.span;
            self.span = (0, 0);
            self.input.subtendril(from as u32, (to - from) as u32)
        } else {
            return Some(());
        };
        self.emit(Token::CharacterTokens(tendril))
    }

    /// A token other than a tag: the tree builder must go on as it was.
    fn emit(&mut self, token: Token) -> Option<()> {
        match self.tb.process_token(token, LINE) {
            TokenSinkResult::Continue => Some(()),
            _ => None,
        }
    }

    /// A token other than text, after the text before it.
    fn emit_after_text(&mut self, token: Token) -> Option<()> {
        self.flush()?;
        self.emit(token)
    }

    fn parse_error(&mut self) -> Option<()> {
        self.emit_after_text(Token::ParseError(Cow::Borrowed("")))
    }

    fn slice_tendril(&self, from: usize, to: usize) -> StrTendril {
        self.input.subtendril(from as u32, (to - from) as u32)
    }

    // ---- the data state ----

    fn data(&mut self) -> Option<Mode> {
        loop {
            let Some(off) = memchr3(b'<', b'&', 0, &self.bytes[self.pos..]) else {
                self.push_span(self.pos, self.bytes.len());
                self.pos = self.bytes.len();
                return Some(Mode::Eof);
            };
            let at = self.pos + off;
            self.push_span(self.pos, at);
            match self.bytes[at] {
                0 => {
                    self.emit_after_text(Token::NullCharacterToken)?;
                    self.pos = at + 1;
                }
                b'&' => self.text_char_ref(at)?,
                _ => {
                    let mode = self.tag_open(at)?;
                    if mode != Mode::Data {
                        return Some(mode);
                    }
                }
            }
        }
    }

    /// A character reference in text (data or RCDATA), at the `&` at `amp`.
    fn text_char_ref(&mut self, amp: usize) -> Option<()> {
        match self.char_ref(amp, false) {
            CharRef::Literal => {
                self.push_span(amp, amp + 1);
                self.pos = amp + 1;
            }
            CharRef::Chars {
                chars,
                len,
                end,
                error,
            } => {
                if error {
                    self.parse_error()?;
                }
                let mut buf = [0u8; 4];
                for c in &chars[..len] {
                    self.push_str(c.encode_utf8(&mut buf));
                }
                self.pos = end;
            }
        }
        Some(())
    }

    /// After a `<` at `lt` in the data state.
    fn tag_open(&mut self, lt: usize) -> Option<Mode> {
        let p = lt + 1;
        match self.bytes.get(p) {
            None => {
                self.push_span(lt, p);
                self.pos = p;
                Some(Mode::Eof)
            }
            Some(b'!') => self.markup_declaration(p + 1),
            Some(b'/') => match self.bytes.get(p + 1) {
                None => {
                    self.push_span(lt, p + 1);
                    self.pos = p + 1;
                    Some(Mode::Eof)
                }
                Some(c) if c.is_ascii_alphabetic() => self.tag(EndTag, p + 1),
                Some(b'>') => {
                    // `</>`: no token, but a parse error (see the module doc).
                    self.parse_error()?;
                    self.pos = p + 2;
                    Some(Mode::Data)
                }
                Some(_) => self.bogus_comment(p + 1),
            },
            Some(c) if c.is_ascii_alphabetic() => self.tag(StartTag, p),
            Some(b'?') => self.bogus_comment(p),
            Some(_) => {
                // Not a tag: the `<` is text, and what follows is read as data.
                self.push_span(lt, p);
                self.pos = p;
                Some(Mode::Data)
            }
        }
    }

    // ---- tags ----

    /// A tag whose name starts at `start`.
    fn tag(&mut self, kind: TagKind, start: usize) -> Option<Mode> {
        let bytes = self.bytes;
        let mut end = start;
        let mut plain = true;
        while let Some(&b) = bytes.get(end) {
            if is_space(b) || b == b'/' || b == b'>' {
                break;
            }
            plain &= b != 0 && !b.is_ascii_uppercase();
            end += 1;
        }
        if end == bytes.len() {
            // EOF in the tag name: the tag is dropped.
            self.pos = end;
            return Some(Mode::Eof);
        }
        let name = if plain {
            LocalName::from(&self.text[start..end])
        } else {
            LocalName::from(&*lower_name(&self.text[start..end]))
        };
        self.attributes(kind, name, end)
    }

    /// The rest of a tag from its name's end at `at` (before attribute name state).
    fn attributes(&mut self, kind: TagKind, name: LocalName, mut i: usize) -> Option<Mode> {
        let bytes = self.bytes;
        // A formatting element keeps all its attributes: the tree builder compares them.
        let keep_all = self.keep.is_none() || is_formatting(&name);
        let mut attrs: Vec<Attribute> = Vec::new();
        let mut self_closing = false;
        let mut duplicate = false;
        let mut state = AttrState::BeforeName;
        // The attribute being read: its name (`None` for one the caller does not keep), and
        // its value once read.
        let mut attr_name: Option<Option<LocalName>> = None;
        loop {
            let Some(&b) = bytes.get(i) else {
                // EOF in a tag: the tag is dropped.
                self.pos = i;
                return Some(Mode::Eof);
            };
            match state {
                AttrState::BeforeName | AttrState::AfterName => match b {
                    _ if is_space(b) => i += 1,
                    b'/' => {
                        i += 1;
                        state = AttrState::SelfClosing;
                    }
                    b'>' => {
                        i += 1;
                        break;
                    }
                    b'=' if state == AttrState::AfterName => {
                        i += 1;
                        state = AttrState::BeforeValue;
                    }
                    _ => {
                        if let Some(n) = attr_name.take() {
                            push_attr(&mut attrs, &mut duplicate, n, StrTendril::new());
                        }
                        // The name's first character is taken whatever it is (`=` included).
                        let start = i;
                        let mut end = i + 1;
                        let mut plain = b != 0 && !b.is_ascii_uppercase();
                        while let Some(&c) = bytes.get(end) {
                            if is_space(c) || c == b'/' || c == b'>' || c == b'=' {
                                break;
                            }
                            plain &= c != 0 && !c.is_ascii_uppercase();
                            end += 1;
                        }
                        let text = &self.text[start..end];
                        attr_name = Some((keep_all || self.keeps(text)).then(|| {
                            if plain {
                                LocalName::from(text)
                            } else {
                                LocalName::from(&*lower_name(text))
                            }
                        }));
                        i = end;
                        match bytes.get(end) {
                            None => {}
                            Some(b'=') => {
                                i += 1;
                                state = AttrState::BeforeValue;
                            }
                            // A space: after attribute name; `/` and `>` are read there too.
                            Some(_) => state = AttrState::AfterName,
                        }
                    }
                },
                AttrState::BeforeValue => match b {
                    _ if is_space(b) => i += 1,
                    b'"' | b'\'' => {
                        let (value, next) = self.quoted_value(i + 1, b)?;
                        if let Some(n) = attr_name.take() {
                            push_attr(&mut attrs, &mut duplicate, n, value);
                        }
                        match next {
                            Some(next) => {
                                i = next;
                                state = AttrState::AfterValueQuoted;
                            }
                            None => {
                                self.pos = bytes.len();
                                return Some(Mode::Eof);
                            }
                        }
                    }
                    b'>' => {
                        i += 1;
                        break;
                    }
                    _ => {
                        let (value, next) = self.unquoted_value(i);
                        if let Some(n) = attr_name.take() {
                            push_attr(&mut attrs, &mut duplicate, n, value);
                        }
                        i = next;
                        match bytes.get(i) {
                            None => {
                                self.pos = i;
                                return Some(Mode::Eof);
                            }
                            Some(b'>') => {
                                i += 1;
                                break;
                            }
                            Some(_) => {
                                i += 1;
                                state = AttrState::BeforeName;
                            }
                        }
                    }
                },
                AttrState::AfterValueQuoted => match b {
                    _ if is_space(b) => {
                        i += 1;
                        state = AttrState::BeforeName;
                    }
                    b'/' => {
                        i += 1;
                        state = AttrState::SelfClosing;
                    }
                    b'>' => {
                        i += 1;
                        break;
                    }
                    _ => state = AttrState::BeforeName,
                },
                AttrState::SelfClosing => {
                    if b == b'>' {
                        self_closing = true;
                        i += 1;
                        break;
                    }
                    state = AttrState::BeforeName;
                }
            }
        }
        if let Some(n) = attr_name.take() {
            push_attr(&mut attrs, &mut duplicate, n, StrTendril::new());
        }
        self.pos = i;
        self.emit_tag(Tag {
            kind,
            name,
            self_closing,
            attrs,
            had_duplicate_attributes: duplicate,
        })
    }

    /// A quoted attribute value from `start` to its closing `quote`: the value and the index
    /// after the quote, or `None` for the index at EOF.
    fn quoted_value(&mut self, start: usize, quote: u8) -> Option<(StrTendril, Option<usize>)> {
        let bytes = self.bytes;
        let mut i = start;
        let mut owned: Option<String> = None;
        loop {
            let Some(off) = memchr3(quote, b'&', 0, &bytes[i..]) else {
                return Some((StrTendril::new(), None));
            };
            let at = i + off;
            match bytes[at] {
                0 => {
                    let o = owned.get_or_insert_with(String::new);
                    o.push_str(&self.text[i..at]);
                    o.push_str(REPLACEMENT);
                    i = at + 1;
                }
                b'&' => {
                    let o = owned.get_or_insert_with(String::new);
                    o.push_str(&self.text[i..at]);
                    i = self.attr_char_ref(at, o);
                }
                _ => {
                    let value = match owned {
                        Some(mut o) => {
                            o.push_str(&self.text[i..at]);
                            StrTendril::from_slice(&o)
                        }
                        None => self.slice_tendril(start, at),
                    };
                    return Some((value, Some(at + 1)));
                }
            }
        }
    }

    /// An unquoted attribute value from `start`: the value and the index of the space, `>` or
    /// EOF that ends it.
    fn unquoted_value(&mut self, start: usize) -> (StrTendril, usize) {
        let bytes = self.bytes;
        let mut i = start;
        let mut owned: Option<String> = None;
        let mut end = start;
        while let Some(&b) = bytes.get(end) {
            match b {
                _ if is_space(b) || b == b'>' => break,
                0 => {
                    let o = owned.get_or_insert_with(String::new);
                    o.push_str(&self.text[i..end]);
                    o.push_str(REPLACEMENT);
                    end += 1;
                    i = end;
                }
                b'&' => {
                    let o = owned.get_or_insert_with(String::new);
                    o.push_str(&self.text[i..end]);
                    end = self.attr_char_ref(end, o);
                    i = end;
                }
                _ => end += 1,
            }
        }
        let value = match owned {
            Some(mut o) => {
                o.push_str(&self.text[i..end]);
                StrTendril::from_slice(&o)
            }
            None => self.slice_tendril(start, end),
        };
        (value, end)
    }

    /// A character reference in an attribute value, appended to `out`; the index after it.
    fn attr_char_ref(&self, amp: usize, out: &mut String) -> usize {
        match self.char_ref(amp, true) {
            CharRef::Literal => {
                out.push('&');
                amp + 1
            }
            CharRef::Chars {
                chars, len, end, ..
            } => {
                out.extend(&chars[..len]);
                end
            }
        }
    }

    /// Hand a tag to the tree builder; the mode it asks for next.
    fn emit_tag(&mut self, tag: Tag) -> Option<Mode> {
        self.flush()?;
        if tag.kind == StartTag {
            self.last_start_tag = Some(tag.name.clone());
        }
        Some(match self.tb.process_token(Token::TagToken(tag), LINE) {
            TokenSinkResult::Continue => Mode::Data,
            TokenSinkResult::Plaintext => Mode::Plaintext,
            TokenSinkResult::RawData(kind) => Mode::Raw(kind),
            TokenSinkResult::Script(_) | TokenSinkResult::EncodingIndicator(_) => {
                // html5ever's tokenizer returns to its driver here, and the driver's next
                // `feed` drops a byte order mark at the front of what is left.
                if self.text[self.pos..].starts_with(BOM) {
                    self.pos += BOM.len();
                }
                Mode::Data
            }
        })
    }

    // ---- character references ----

    /// The character reference at the `&` at `amp`, read as html5ever's `CharRefTokenizer`
    /// reads it.
    fn char_ref(&self, amp: usize, in_attribute: bool) -> CharRef {
        let bytes = self.bytes;
        let start = amp + 1;
        match bytes.get(start) {
            Some(b'#') => self.numeric_char_ref(start + 1),
            Some(c) if c.is_ascii_alphanumeric() => {
                // The longest name that is an entity, read while the name read so far is a
                // prefix of one (NAMED_ENTITIES holds every prefix, as (0, 0)).
                let mut k = start;
                let mut best: Option<(usize, (u32, u32))> = None;
                while k < bytes.len() && bytes[k].is_ascii() {
                    match NAMED_ENTITIES.get(&self.text[start..=k]) {
                        Some(&m) => {
                            if m.0 != 0 {
                                best = Some((k + 1, m));
                            }
                            k += 1;
                        }
                        None => break,
                    }
                }
                let Some((end, (c1, c2))) = best else {
                    return CharRef::Literal;
                };
                if bytes[end - 1] != b';'
                    && in_attribute
                    && bytes
                        .get(end)
                        .is_some_and(|&b| b == b'=' || b.is_ascii_alphanumeric())
                {
                    return CharRef::Literal;
                }
                let (Some(a), Some(b)) = (char::from_u32(c1), char::from_u32(c2)) else {
                    return CharRef::Literal;
                };
                CharRef::Chars {
                    chars: [a, b],
                    len: if c2 == 0 { 1 } else { 2 },
                    end,
                    error: false,
                }
            }
            _ => CharRef::Literal,
        }
    }

    /// A numeric character reference whose `#` ends before `p`.
    fn numeric_char_ref(&self, mut p: usize) -> CharRef {
        let bytes = self.bytes;
        let base = match bytes.get(p) {
            Some(b'x' | b'X') => {
                p += 1;
                16
            }
            _ => 10,
        };
        let mut num: u32 = 0;
        let mut too_big = false;
        let mut seen_digit = false;
        while let Some(d) = bytes.get(p).and_then(|&b| (b as char).to_digit(base)) {
            num = num.wrapping_mul(base);
            if num > MAX_CODE_POINT {
                too_big = true;
            }
            num = num.wrapping_add(d);
            seen_digit = true;
            p += 1;
        }
        if !seen_digit {
            return CharRef::Literal;
        }
        let mut error = false;
        if bytes.get(p) == Some(&b';') {
            p += 1;
        } else {
            error = true;
        }
        let (c, bad) = match num {
            n if n > MAX_CODE_POINT || too_big => ('\u{FFFD}', true),
            0x00 | 0xD800..=0xDFFF => ('\u{FFFD}', true),
            0x80..=0x9F => match C1_REPLACEMENTS[(num - 0x80) as usize] {
                Some(c) => (c, true),
                None => (char::from_u32(num).unwrap_or('\u{FFFD}'), true),
            },
            0x01..=0x08 | 0x0B | 0x0D..=0x1F | 0x7F | 0xFDD0..=0xFDEF => {
                (char::from_u32(num).unwrap_or('\u{FFFD}'), true)
            }
            n if (n & 0xFFFE) == 0xFFFE => (char::from_u32(n).unwrap_or('\u{FFFD}'), true),
            n => (char::from_u32(n).unwrap_or('\u{FFFD}'), false),
        };
        CharRef::Chars {
            chars: [c, '\0'],
            len: 1,
            end: p,
            error: error || bad,
        }
    }

    // ---- RCDATA, RAWTEXT and script data ----

    /// RCDATA or RAWTEXT, up to the appropriate end tag.
    fn raw(&mut self, kind: RawKind) -> Option<Mode> {
        let rcdata = kind == RawKind::Rcdata;
        loop {
            let rest = &self.bytes[self.pos..];
            let found = if rcdata {
                memchr3(b'<', b'&', 0, rest)
            } else {
                memchr2(b'<', 0, rest)
            };
            let Some(off) = found else {
                self.push_span(self.pos, self.bytes.len());
                self.pos = self.bytes.len();
                return Some(Mode::Eof);
            };
            let at = self.pos + off;
            self.push_span(self.pos, at);
            match self.bytes[at] {
                0 => {
                    self.push_str(REPLACEMENT);
                    self.pos = at + 1;
                }
                b'&' => self.text_char_ref(at)?,
                _ => {
                    if self.bytes.get(at + 1) == Some(&b'/')
                        && let Some(q) = self.appropriate_end_tag(at + 2)
                    {
                        return self.raw_end_tag(at + 2, q);
                    }
                    self.push_span(at, at + 1);
                    self.pos = at + 1;
                }
            }
        }
    }

    /// Whether the ASCII letters from `start` name the last start tag and end where an end
    /// tag may (a space, `/` or `>`): the index after the letters if so.
    fn appropriate_end_tag(&self, start: usize) -> Option<usize> {
        let last = self.last_start_tag.as_ref()?;
        let q = start
            + self.bytes[start..]
                .iter()
                .take_while(|b| b.is_ascii_alphabetic())
                .count();
        let terminated = self
            .bytes
            .get(q)
            .is_some_and(|&b| is_space(b) || b == b'/' || b == b'>');
        (terminated && q > start && self.text[start..q].eq_ignore_ascii_case(last)).then_some(q)
    }

    /// The end tag whose letters are `start..q`, as the raw text's end.
    fn raw_end_tag(&mut self, start: usize, q: usize) -> Option<Mode> {
        let name = LocalName::from(&*self.text[start..q].to_ascii_lowercase());
        self.attributes(EndTag, name, q)
    }

    /// Script data, escapes included, up to the appropriate end tag. The text is the input
    /// itself (NULs replaced); the states only decide which `</script` ends it.
    fn script(&mut self) -> Option<Mode> {
        let bytes = self.bytes;
        let len = bytes.len();
        let from = self.pos;
        let mut s = Script::Data;
        let mut i = from;
        let end_tag = loop {
            match s {
                Script::Data => match memchr(b'<', &bytes[i..]) {
                    Some(off) => {
                        i += off + 1;
                        s = Script::LessThan;
                    }
                    None => break None,
                },
                Script::Escaped | Script::DoubleEscaped => match memchr2(b'-', b'<', &bytes[i..]) {
                    Some(off) => {
                        let at = i + off;
                        i = at + 1;
                        s = match (s, bytes[at]) {
                            (Script::Escaped, b'-') => Script::EscapedDash,
                            (Script::Escaped, _) => Script::EscapedLessThan,
                            (_, b'-') => Script::DoubleEscapedDash,
                            _ => Script::DoubleEscapedLessThan,
                        };
                    }
                    None => break None,
                },
                Script::EndTagOpen | Script::EscapedEndTagOpen => {
                    if let Some(q) = self.appropriate_end_tag(i) {
                        break Some((i, q));
                    }
                    // Not the end: the letters are script text, and what follows is read in
                    // the state the `<` was read in.
                    i += bytes[i..]
                        .iter()
                        .take_while(|b| b.is_ascii_alphabetic())
                        .count();
                    s = if s == Script::EndTagOpen {
                        Script::Data
                    } else {
                        Script::Escaped
                    };
                }
                _ => {
                    let Some(&b) = bytes.get(i) else {
                        break None;
                    };
                    // Each arm either consumes `b` (i += 1) or reconsumes it in another state.
                    match s {
                        Script::LessThan => match b {
                            b'/' => {
                                i += 1;
                                s = Script::EndTagOpen;
                            }
                            b'!' => {
                                i += 1;
                                s = Script::EscapeStart;
                            }
                            _ => s = Script::Data,
                        },
                        Script::EscapeStart | Script::EscapeStartDash => {
                            if b == b'-' {
                                i += 1;
                                s = if s == Script::EscapeStart {
                                    Script::EscapeStartDash
                                } else {
                                    Script::EscapedDashDash
                                };
                            } else {
                                s = Script::Data;
                            }
                        }
                        Script::EscapedDash | Script::DoubleEscapedDash => {
                            let double = s == Script::DoubleEscapedDash;
                            i += 1;
                            s = match (b, double) {
                                (b'-', false) => Script::EscapedDashDash,
                                (b'-', true) => Script::DoubleEscapedDashDash,
                                (b'<', false) => Script::EscapedLessThan,
                                (b'<', true) => Script::DoubleEscapedLessThan,
                                (_, false) => Script::Escaped,
                                (_, true) => Script::DoubleEscaped,
                            };
                        }
                        Script::EscapedDashDash | Script::DoubleEscapedDashDash => {
                            let double = s == Script::DoubleEscapedDashDash;
                            i += 1;
                            s = match (b, double) {
                                (b'-', _) => s,
                                (b'<', false) => Script::EscapedLessThan,
                                (b'<', true) => Script::DoubleEscapedLessThan,
                                (b'>', _) => Script::Data,
                                (_, false) => Script::Escaped,
                                (_, true) => Script::DoubleEscaped,
                            };
                        }
                        Script::EscapedLessThan => {
                            if b == b'/' {
                                i += 1;
                                s = Script::EscapedEndTagOpen;
                            } else if b.is_ascii_alphabetic() {
                                // Script data double escape start: `script` double-escapes.
                                let Some((next, at)) =
                                    double_escape(bytes, i, Script::DoubleEscaped, Script::Escaped)
                                else {
                                    break None;
                                };
                                (s, i) = (next, at);
                            } else {
                                s = Script::Escaped;
                            }
                        }
                        Script::DoubleEscapedLessThan => {
                            if b == b'/' {
                                // Script data double escape end: `/script` ends it.
                                let Some((next, at)) = double_escape(
                                    bytes,
                                    i + 1,
                                    Script::Escaped,
                                    Script::DoubleEscaped,
                                ) else {
                                    break None;
                                };
                                (s, i) = (next, at);
                            } else {
                                s = Script::DoubleEscaped;
                            }
                        }
                        _ => return None,
                    }
                }
            }
        };
        match end_tag {
            Some((start, q)) => {
                self.push_replacing_nul(from, start - 2);
                self.raw_end_tag(start, q)
            }
            None => {
                self.push_replacing_nul(from, len);
                self.pos = len;
                Some(Mode::Eof)
            }
        }
    }

    // ---- comments, DOCTYPEs, CDATA ----

    /// After `<!` at `p`.
    fn markup_declaration(&mut self, p: usize) -> Option<Mode> {
        let rest = &self.bytes[p..];
        if rest.starts_with(b"--") {
            return self.comment(p + 2);
        }
        if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"doctype") {
            return self.doctype(p + 7);
        }
        // The tree builder's answer depends on the text before this.
        self.flush()?;
        if rest.starts_with(b"[CDATA[")
            && self
                .tb
                .adjusted_current_node_present_but_not_in_html_namespace()
        {
            return self.cdata(p + 7);
        }
        self.bogus_comment(p)
    }

    /// A bogus comment from `start` to the next `>`.
    fn bogus_comment(&mut self, start: usize) -> Option<Mode> {
        let end = memchr(b'>', &self.bytes[start..]).map_or(self.bytes.len(), |o| start + o);
        let comment = replace_nul(&self.text[start..end]);
        self.pos = (end + 1).min(self.bytes.len());
        self.emit_after_text(Token::CommentToken(comment))?;
        Some(Mode::Data)
    }

    /// A comment whose `<!--` ends before `start`, through html5ever's comment states.
    fn comment(&mut self, start: usize) -> Option<Mode> {
        let mut out = String::new();
        let mut state = Comment::Start;
        let mut chars = self.text[start..].char_indices();
        let mut end = self.bytes.len();
        let mut reconsume: Option<char> = None;
        loop {
            let c = match reconsume.take() {
                Some(c) => c,
                None => match chars.next() {
                    Some((_, c)) => c,
                    None => break,
                },
            };
            let consumed_to = start + chars.offset();
            let mut done = false;
            match state {
                Comment::Start => match c {
                    '-' => state = Comment::StartDash,
                    '>' => done = true,
                    '\0' => {
                        out.push_str(REPLACEMENT);
                        state = Comment::Body;
                    }
                    c => {
                        out.push(c);
                        state = Comment::Body;
                    }
                },
                Comment::StartDash => match c {
                    '-' => state = Comment::End,
                    '>' => done = true,
                    '\0' => {
                        out.push('-');
                        out.push_str(REPLACEMENT);
                        state = Comment::Body;
                    }
                    c => {
                        out.push('-');
                        out.push(c);
                        state = Comment::Body;
                    }
                },
                Comment::Body => match c {
                    '<' => {
                        out.push('<');
                        state = Comment::LessThan;
                    }
                    '-' => state = Comment::EndDash,
                    '\0' => out.push_str(REPLACEMENT),
                    c => out.push(c),
                },
                Comment::LessThan => match c {
                    '!' => {
                        out.push('!');
                        state = Comment::LessThanBang;
                    }
                    '<' => out.push('<'),
                    c => {
                        reconsume = Some(c);
                        state = Comment::Body;
                    }
                },
                Comment::LessThanBang => {
                    if c == '-' {
                        state = Comment::LessThanBangDash;
                    } else {
                        reconsume = Some(c);
                        state = Comment::Body;
                    }
                }
                Comment::LessThanBangDash => {
                    if c == '-' {
                        state = Comment::LessThanBangDashDash;
                    } else {
                        reconsume = Some(c);
                        state = Comment::EndDash;
                    }
                }
                Comment::LessThanBangDashDash => {
                    reconsume = Some(c);
                    state = Comment::End;
                }
                Comment::EndDash => match c {
                    '-' => state = Comment::End,
                    '\0' => {
                        out.push('-');
                        out.push_str(REPLACEMENT);
                        state = Comment::Body;
                    }
                    c => {
                        out.push('-');
                        out.push(c);
                        state = Comment::Body;
                    }
                },
                Comment::End => match c {
                    '>' => done = true,
                    '!' => state = Comment::EndBang,
                    '-' => out.push('-'),
                    c => {
                        out.push_str("--");
                        reconsume = Some(c);
                        state = Comment::Body;
                    }
                },
                Comment::EndBang => match c {
                    '-' => {
                        out.push_str("--!");
                        state = Comment::EndDash;
                    }
                    '>' => done = true,
                    '\0' => {
                        out.push_str("--!");
                        out.push_str(REPLACEMENT);
                        state = Comment::Body;
                    }
                    c => {
                        out.push_str("--!");
                        out.push(c);
                        state = Comment::Body;
                    }
                },
            }
            if done {
                end = consumed_to;
                break;
            }
        }
        self.pos = end;
        self.emit_after_text(Token::CommentToken(StrTendril::from_slice(&out)))?;
        Some(Mode::Data)
    }

    /// A DOCTYPE whose keyword ends before `start`, through html5ever's DOCTYPE states.
    fn doctype(&mut self, start: usize) -> Option<Mode> {
        let text = self.text;
        let mut d = Doctype::default();
        let mut state = Dt::Start;
        let mut i = start;
        let mut reconsume = false;
        loop {
            if state == Dt::AfterName && !reconsume {
                let rest = &self.bytes[i..];
                if rest.len() >= 6 && rest[..6].eq_ignore_ascii_case(b"public") {
                    i += 6;
                    state = Dt::AfterKeyword(true);
                    continue;
                }
                if rest.len() >= 6 && rest[..6].eq_ignore_ascii_case(b"system") {
                    i += 6;
                    state = Dt::AfterKeyword(false);
                    continue;
                }
            }
            let Some(c) = text[i..].chars().next() else {
                // EOF.
                match state {
                    Dt::Start | Dt::BeforeName => {
                        d = Doctype::default();
                        d.force_quirks = true;
                    }
                    Dt::Bogus => {}
                    _ => d.force_quirks = true,
                }
                break;
            };
            if reconsume {
                reconsume = false;
            }
            let next = i + c.len_utf8();
            let space = matches!(c, '\t' | '\n' | '\x0C' | ' ');
            let mut done = false;
            let mut advance = true;
            match state {
                Dt::Start => {
                    if !space {
                        advance = false;
                    }
                    state = Dt::BeforeName;
                }
                Dt::BeforeName => match c {
                    _ if space => {}
                    '\0' => {
                        d = Doctype::default();
                        d.name = Some(StrTendril::from_slice(REPLACEMENT));
                        state = Dt::Name;
                    }
                    '>' => {
                        d = Doctype::default();
                        d.force_quirks = true;
                        done = true;
                    }
                    c => {
                        d = Doctype::default();
                        let mut name = StrTendril::new();
                        name.push_char(c.to_ascii_lowercase());
                        d.name = Some(name);
                        state = Dt::Name;
                    }
                },
                Dt::Name => match c {
                    _ if space => state = Dt::AfterName,
                    '>' => done = true,
                    '\0' => push_opt(&mut d.name, '\u{FFFD}'),
                    c => push_opt(&mut d.name, c.to_ascii_lowercase()),
                },
                Dt::AfterName => match c {
                    _ if space => {}
                    '>' => done = true,
                    _ => {
                        d.force_quirks = true;
                        advance = false;
                        state = Dt::Bogus;
                    }
                },
                Dt::AfterKeyword(public) | Dt::BeforeId(public) => match c {
                    _ if space => state = Dt::BeforeId(public),
                    '"' => {
                        *id(&mut d, public) = Some(StrTendril::new());
                        state = Dt::IdDouble(public);
                    }
                    '\'' => {
                        *id(&mut d, public) = Some(StrTendril::new());
                        state = Dt::IdSingle(public);
                    }
                    '>' => {
                        d.force_quirks = true;
                        done = true;
                    }
                    _ => {
                        d.force_quirks = true;
                        advance = false;
                        state = Dt::Bogus;
                    }
                },
                Dt::IdDouble(public) | Dt::IdSingle(public) => {
                    let quote = if matches!(state, Dt::IdDouble(_)) {
                        '"'
                    } else {
                        '\''
                    };
                    match c {
                        _ if c == quote => {
                            state = if public {
                                Dt::AfterId(true)
                            } else {
                                Dt::AfterId(false)
                            }
                        }
                        '\0' => push_opt(id(&mut d, public), '\u{FFFD}'),
                        '>' => {
                            d.force_quirks = true;
                            done = true;
                        }
                        c => push_opt(id(&mut d, public), c),
                    }
                }
                Dt::AfterId(true) | Dt::Between => match c {
                    _ if space => state = Dt::Between,
                    '>' => done = true,
                    '"' => {
                        d.system_id = Some(StrTendril::new());
                        state = Dt::IdDouble(false);
                    }
                    '\'' => {
                        d.system_id = Some(StrTendril::new());
                        state = Dt::IdSingle(false);
                    }
                    _ => {
                        d.force_quirks = true;
                        advance = false;
                        state = Dt::Bogus;
                    }
                },
                Dt::AfterId(false) => match c {
                    _ if space => {}
                    '>' => done = true,
                    _ => {
                        advance = false;
                        state = Dt::Bogus;
                    }
                },
                Dt::Bogus => {
                    if c == '>' {
                        done = true;
                    }
                }
            }
            if advance {
                i = next;
            } else {
                reconsume = true;
            }
            if done {
                break;
            }
        }
        self.pos = i;
        self.emit_after_text(Token::DoctypeToken(d))?;
        Some(Mode::Data)
    }

    /// A CDATA section in foreign content, from `start` to `]]>`: its text, each NUL a
    /// NUL character token.
    fn cdata(&mut self, start: usize) -> Option<Mode> {
        let bytes = self.bytes;
        let end = memchr::memmem::find(&bytes[start..], b"]]>").map_or(bytes.len(), |o| start + o);
        let mut at = start;
        while let Some(off) = memchr(0, &bytes[at..end]) {
            self.push_span(at, at + off);
            self.emit_after_text(Token::NullCharacterToken)?;
            at += off + 1;
        }
        self.push_span(at, end);
        self.pos = (end + 3).min(bytes.len());
        Some(Mode::Data)
    }
}

/// The public or the system identifier of `d`.
fn id(d: &mut Doctype, public: bool) -> &mut Option<StrTendril> {
    if public {
        &mut d.public_id
    } else {
        &mut d.system_id
    }
}

/// Append `c` to an optional tendril, creating it if need be.
fn push_opt(t: &mut Option<StrTendril>, c: char) {
    t.get_or_insert_with(StrTendril::new).push_char(c);
}

/// A tag or attribute name as the tokenizer builds it: ASCII upper case lowered, NUL as U+FFFD.
fn lower_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c.to_ascii_lowercase()),
        }
    }
    out
}

/// `s` with each NUL as U+FFFD, as a tendril.
fn replace_nul(s: &str) -> StrTendril {
    if !s.as_bytes().contains(&0) {
        return StrTendril::from_slice(s);
    }
    StrTendril::from_slice(&s.replace('\0', REPLACEMENT))
}

/// Add an attribute unless the tag has one of that name already (the first one wins), or
/// its name is `None` (one the caller does not keep).
fn push_attr(
    attrs: &mut Vec<Attribute>,
    duplicate: &mut bool,
    name: Option<LocalName>,
    value: StrTendril,
) {
    let Some(name) = name else {
        return;
    };
    if attrs.iter().any(|a| a.name.local == name) {
        *duplicate = true;
        return;
    }
    attrs.push(Attribute {
        name: QualName::new(None, ns!(), name),
        value,
    });
}

/// Parse `text` both ways, for the differential tests and the fuzz target: `Ok(true)` when
/// [`parse`] built html5ever's tree, `Ok(false)` when it declined, `Err` with where the trees
/// first differ otherwise.
///
/// # Errors
/// Where the two trees first differ, as [`tree_difference`] tells it.
pub fn compare_with_html5ever(text: &str) -> Result<bool, String> {
    let Some(fast) = parse(text) else {
        return Ok(false);
    };
    match tree_difference(&fast, &Html::parse_document(text)) {
        None => Ok(true),
        Some(d) => Err(d),
    }
}

/// Where two trees first differ, or `None` when they are the same: node kinds in document
/// order and nesting, element names with namespace and prefix, attributes in order, text,
/// comments, DOCTYPE fields and the quirks mode. Parse errors are not compared.
pub fn tree_difference(a: &Html, b: &Html) -> Option<String> {
    use ego_tree::iter::Edge;
    use scraper::Node;
    if a.quirks_mode != b.quirks_mode {
        return Some(format!(
            "quirks mode {:?} vs {:?}",
            a.quirks_mode, b.quirks_mode
        ));
    }
    let mut left = a.tree.root().traverse();
    let mut right = b.tree.root().traverse();
    let mut index = 0usize;
    loop {
        index += 1;
        let (l, r) = match (left.next(), right.next()) {
            (None, None) => return None,
            (Some(l), Some(r)) => (l, r),
            (l, r) => {
                return Some(format!(
                    "event {index}: one tree ends first ({} vs {})",
                    l.is_some(),
                    r.is_some()
                ));
            }
        };
        let (l, r) = match (l, r) {
            (Edge::Open(l), Edge::Open(r)) => (l, r),
            (Edge::Close(_), Edge::Close(_)) => continue,
            _ => return Some(format!("event {index}: open vs close")),
        };
        let same = match (l.value(), r.value()) {
            (Node::Document, Node::Document) | (Node::Fragment, Node::Fragment) => true,
            (Node::Doctype(x), Node::Doctype(y)) => {
                x.name() == y.name()
                    && x.public_id() == y.public_id()
                    && x.system_id() == y.system_id()
            }
            (Node::Comment(x), Node::Comment(y)) => **x == **y,
            (Node::Text(x), Node::Text(y)) => **x == **y,
            (Node::ProcessingInstruction(x), Node::ProcessingInstruction(y)) => {
                *x.target == *y.target && *x.data == *y.data
            }
            (Node::Element(x), Node::Element(y)) => {
                x.name == y.name
                    && x.attrs.len() == y.attrs.len()
                    && x.attrs
                        .iter()
                        .zip(y.attrs.iter())
                        .all(|((xn, xv), (yn, yv))| xn == yn && **xv == **yv)
            }
            _ => false,
        };
        if !same {
            return Some(format!("event {index}: {:?} vs {:?}", l.value(), r.value()));
        }
    }
}

#[cfg(test)]
mod tests;

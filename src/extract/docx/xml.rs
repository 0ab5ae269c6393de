//! Small helpers shared by the part parsers: a configured quick-xml reader over a part's bytes,
//! attribute lookup by local name, entity references, and the nesting-depth guard.

use std::borrow::Cow;

use std::io::BufRead;
use std::sync::LazyLock;

use quick_xml::Reader;
use quick_xml::events::{BytesEnd, BytesRef, BytesStart, BytesText, Event};
use quick_xml::name::QName;

use super::DocxError;

/// A reader over one part, tolerant of the small syntax slips Word-compatible writers make
/// (mismatched end-tag names, a stray `&`). No DTD is ever read, so no external entity is
/// resolved.
pub(crate) fn reader(bytes: &[u8]) -> Reader<&[u8]> {
    let mut reader = Reader::from_reader(bytes);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_dangling_amp = true;
    config.allow_unmatched_ends = true;
    reader
}

/// Skip the content of the element `name` whose start tag was just read, and its end tag;
/// return the content's bytes.
///
/// Same result as [`Reader::read_to_end`] (nested elements of the same name included), found
/// with a substring search for the end tag instead of tokenizing every event in between: the
/// bulk of `styles.xml` (table styles, latent styles) and run properties cost a `memmem` each.
/// When no end tag is found, the reader's own `read_to_end` decides (the same error as before).
///
/// # Errors
/// quick-xml's error when the part ends before the element does.
pub(super) fn skip<'a>(
    reader: &mut Reader<&'a [u8]>,
    name: QName<'_>,
) -> Result<&'a [u8], quick_xml::Error> {
    let rest: &'a [u8] = reader.get_ref();
    let Some(end) = end_tag(rest, name.as_ref().as_bytes()) else {
        let start = reader.buffer_position();
        let span = reader.read_to_end(name)?;
        let from = (span.start - start) as usize;
        let to = (span.end - start) as usize;
        return Ok(rest.get(from..to).unwrap_or_default());
    };
    reader.stream().consume(end);
    read_end(reader)?;
    Ok(&rest[..end])
}

/// Read the end tag the reader stands at (found by a substring search). An ASCII one, the
/// norm, is stepped over directly: quick-xml would read the same span (see [`tag_len`]) as an
/// end tag without fail, since unmatched end names are allowed.
fn read_end(reader: &mut Reader<&[u8]>) -> Result<(), quick_xml::Error> {
    let rest: &[u8] = reader.get_ref();
    if rest.starts_with(b"</")
        && let Some(len) = tag_len(rest)
        && rest[..len].is_ascii()
    {
        reader.stream().consume(len);
        return Ok(());
    }
    match reader.read_event()? {
        Event::End(_) => {}
        other => debug_assert!(false, "end tag expected, got {other:?}"),
    }
    Ok(())
}

/// The font size (`w:sz`, half-points) set in the run properties whose start tag was just
/// read, `rest` being the part after it, read from the bytes without parsing the element, so
/// that the properties can still be skipped unread. Only the run's own properties count: the
/// scan stops at their end or at a tracked change's record of the former ones
/// (`w:rPrChange`), whichever comes first.
pub(super) fn run_size_ahead(rest: &[u8]) -> Option<u16> {
    static RPR: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"rPr"));
    static SZ: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"sz"));
    let scope = &rest[..RPR.find(rest).unwrap_or(rest.len())];
    SZ.find_iter(scope).find_map(|at| {
        let opens = at > 0 && matches!(scope[at - 1], b':' | b'<');
        let ends = matches!(
            scope.get(at + 2),
            Some(b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>')
        );
        if !(opens && ends) {
            return None;
        }
        let tag = &scope[at..];
        let tag = &tag[..memchr::memchr(b'>', tag)?];
        let val = memchr::memmem::find(tag, b"val=")? + 4;
        // The quoted value, read as `attr_num` reads it when the properties are parsed.
        let quote = *tag.get(val)?;
        let value = tag.get(val + 1..)?;
        let value = &value[..memchr::memchr(quote, value)?];
        std::str::from_utf8(value).ok()?.trim().parse().ok()
    })
}

/// The next event in `rest` and the bytes it spans, exactly as quick-xml's reader (configured
/// by [`reader`]) would return it from between two events, for the plain shapes nearly every
/// event of a story part has: a start, empty or end tag, or text running up to the next tag
/// with no reference in it. quick-xml spends several hundred instructions on each event (a
/// state machine, a UTF-8 check per event, a stack of open names that is only consulted when
/// end names are checked, which they are not); this takes a few per byte, on a part whose
/// UTF-8 the caller checked once, whole.
///
/// `None` for every other shape (comments, CDATA, processing instructions, references, a
/// tag or text that runs to the end of the part): the caller then reads the event with
/// quick-xml, which gives it (or its error) as always.
///
/// Only valid where quick-xml would be between events in its text state: after a start,
/// empty or end tag it read, or after an event this returned and the caller consumed.
pub(super) fn plain_event(rest: &str) -> Option<(Event<'_>, usize)> {
    let bytes = rest.as_bytes();
    if *bytes.first()? != b'<' {
        let i = memchr::memchr2(b'<', b'&', bytes)?;
        if bytes[i] != b'<' {
            return None;
        }
        return Some((Event::Text(BytesText::from_escaped(&rest[..i])), i));
    }
    let len = tag_len(bytes)?;
    let tag = &rest[..len];
    let event = match bytes.get(1)? {
        b'!' | b'?' => return None,
        b'/' => {
            // Trailing whitespace is not part of the name, unless there is nothing else.
            let content = &tag[2..len - 1];
            let name = match content.bytes().rposition(|b| !is_space(b)) {
                Some(last) => &content[..=last],
                None => content,
            };
            Event::End(BytesEnd::new(name))
        }
        _ => match tag[1..].strip_suffix("/>") {
            Some(content) => Event::Empty(BytesStart::from_content(content, name_len(content))),
            None => {
                let content = &tag[1..len - 1];
                Event::Start(BytesStart::from_content(content, name_len(content)))
            }
        },
    };
    Some((event, len))
}

/// The length of the tag `rest` starts with, up to its first `>` outside a quoted value, as
/// quick-xml finds it; `None` when the part ends first. A plain loop: tags and attribute values
/// are a few dozen bytes, too short for `memchr`'s setup to pay.
fn tag_len(rest: &[u8]) -> Option<usize> {
    let mut i = 1;
    loop {
        match *rest.get(i)? {
            b'>' => return Some(i + 1),
            quote @ (b'"' | b'\'') => {
                i += 1;
                while *rest.get(i)? != quote {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// XML whitespace, as quick-xml reads it.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Where a tag's name ends: at the first whitespace.
fn name_len(content: &str) -> usize {
    content.bytes().position(is_space).unwrap_or(content.len())
}

/// A qualified name split at its first `:` into prefix and local name, as quick-xml's
/// `QName::decompose` splits it, with a byte scan: names are a few bytes, and the standard
/// library's `str::find` costs several times more on them.
pub(super) fn split_name(qname: &str) -> (Option<&str>, &str) {
    match qname.bytes().position(|b| b == b':') {
        Some(c) => (Some(&qname[..c]), &qname[c + 1..]),
        None => (None, qname),
    }
}

/// Where the end tag `</name>` closing an element whose content starts `content` begins,
/// counting nested start tags of the same name as quick-xml does; `None` when there is none.
fn end_tag(content: &[u8], name: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    for at in memchr::memmem::find_iter(content, name) {
        let after = content.get(at + name.len()).copied();
        let ends_name =
            |b: Option<u8>| matches!(b, Some(b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n'));
        if at >= 2 && &content[at - 2..at] == b"</" {
            if !matches!(after, Some(b'>' | b' ' | b'\t' | b'\r' | b'\n')) {
                continue;
            }
            if depth == 0 {
                return Some(at - 2);
            }
            depth -= 1;
        } else if at >= 1 && content[at - 1] == b'<' && ends_name(after) {
            // A nested start tag: it only opens an element when it is not `<name …/>`.
            let close = memchr::memchr(b'>', &content[at..])?;
            if content[at + close - 1] != b'/' {
                depth += 1;
            }
        }
    }
    None
}

/// How many skipped contents a [`Skipper`] remembers: enough for the run, paragraph-mark, cell
/// and row properties of a table's columns.
const REMEMBERED: usize = 24;

/// Skips elements whose content the caller would read event by event only to act on nothing,
/// remembering the last few it skipped as the part's own bytes: Word repeats the same run and
/// cell properties thousands of times in a table, and a repeat is recognised by one comparison
/// instead of a scan of its tags.
pub(super) struct Skipper<'a> {
    /// The local names the caller acts on.
    wanted: fn(&[u8]) -> bool,
    /// Skipped contents, the most recently used first: the bytes up to and including the one
    /// after the end tag's name (all that decided the skip), where the end tag starts, and how
    /// many start tags came before it.
    seen: Vec<(&'a [u8], usize, usize)>,
}

impl<'a> Skipper<'a> {
    pub(super) fn new(wanted: fn(&[u8]) -> bool) -> Skipper<'a> {
        Skipper {
            wanted,
            seen: Vec::with_capacity(REMEMBERED),
        }
    }

    /// Skip the element `name` whose start tag was just read, like [`skip`], but only when its
    /// content holds no element whose local name `wanted` accepts, nests at most `max_nesting`
    /// deep, and has no comment, CDATA section or processing instruction. Returns whether it
    /// was skipped; when not, the reader has not moved.
    ///
    /// # Errors
    /// quick-xml's error when the end tag found cannot be read.
    pub(super) fn skip_unless(
        &mut self,
        reader: &mut Reader<&'a [u8]>,
        name: QName<'_>,
        max_nesting: usize,
    ) -> Result<bool, quick_xml::Error> {
        let rest: &'a [u8] = reader.get_ref();
        let name = name.as_ref().as_bytes();
        let known = self.seen.iter().position(|&(content, end, starts)| {
            starts <= max_nesting
                && rest.starts_with(content)
                && content[end + 2..content.len() - 1] == *name
        });
        let end = match known {
            Some(i) => {
                self.seen[..=i].rotate_right(1);
                self.seen[0].1
            }
            None => {
                let Some((end, starts)) = plain_content(rest, name, self.wanted, max_nesting)
                else {
                    return Ok(false);
                };
                self.seen.truncate(REMEMBERED - 1);
                self.seen
                    .insert(0, (&rest[..end + 2 + name.len() + 1], end, starts));
                end
            }
        };
        reader.stream().consume(end);
        // The end tag is `</name>` (the scan saw its name): stepped over unless quick-xml
        // would read a quote in the name as opening a value.
        if rest.get(end + 2 + name.len()) == Some(&b'>')
            && !name.contains(&b'"')
            && !name.contains(&b'\'')
        {
            reader.stream().consume(name.len() + 3);
            return Ok(true);
        }
        read_end(reader)?;
        Ok(true)
    }
}

/// Where the end tag `</name>` of the element whose content starts `content` begins, and how
/// many start tags come before it, in one pass over the tags' opening `<` only; `None` as soon
/// as a tag is a comment, CDATA section or processing instruction, opens another `name`, has a
/// local name `wanted` accepts (start or end tag), or there are more start tags than
/// `max_nesting` (which bounds their nesting). What decides is the content up to and including
/// the byte after the end tag's name.
fn plain_content(
    content: &[u8],
    name: &[u8],
    wanted: fn(&[u8]) -> bool,
    max_nesting: usize,
) -> Option<(usize, usize)> {
    let mut starts = 0usize;
    let mut at = 0;
    loop {
        let lt = at + memchr::memchr(b'<', &content[at..])?;
        let tag = &content[lt + 1..];
        let (is_end, tag) = match tag.first()? {
            b'!' | b'?' => return None,
            b'/' => (true, &tag[1..]),
            _ => (false, tag),
        };
        let name_end = tag
            .iter()
            .position(|&b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>'))?;
        let qname = &tag[..name_end];
        if qname == name {
            return is_end.then_some((lt, starts));
        }
        // Names are a few bytes: a plain scan beats memchr's setup.
        let local = match qname.iter().position(|&b| b == b':') {
            Some(c) => &qname[c + 1..],
            None => qname,
        };
        if wanted(local) {
            return None;
        }
        if !is_end {
            starts += 1;
            if starts > max_nesting {
                return None;
            }
        }
        at = lt + 1;
    }
}

/// The part as UTF-8: UTF-8 parts (the norm) are borrowed; a UTF-16 part with a BOM is
/// transcoded once.
pub(crate) fn utf8(bytes: &[u8]) -> Cow<'_, [u8]> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let (text, _, _) = encoding_rs::UTF_16LE.decode(bytes);
        let text = text.replacen("encoding=\"UTF-16\"", "encoding=\"UTF-8\"", 1);
        Cow::Owned(text.into_bytes())
    } else {
        Cow::Borrowed(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
    }
}

/// The raw value of the attribute whose local name is `name`, ignoring its prefix.
pub(super) fn attr<'a>(e: &'a BytesStart<'_>, name: &str) -> Option<Cow<'a, str>> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| a.value)
}

/// The unescaped text value of the attribute whose local name is `name`.
pub(crate) fn attr_str(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(
            |a| match a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
                Ok(v) => v.into_owned(),
                Err(_) => a.value.into_owned(),
            },
        )
}

/// `w:val` parsed as a number.
pub(super) fn attr_num<T: std::str::FromStr>(e: &BytesStart<'_>, name: &str) -> Option<T> {
    let v = attr(e, name)?;
    v.trim().parse().ok()
}

/// Whether an on/off property (`<w:b/>`, `<w:vanish w:val="false"/>`) is on.
pub(super) fn on_off(e: &BytesStart<'_>) -> bool {
    !matches!(
        attr(e, "val").as_deref(),
        Some("0" | "false" | "off" | "none")
    )
}

/// Append the character an entity or character reference stands for. Only the five predefined
/// entities exist in a DOCX part; anything else is dropped.
pub(crate) fn push_ref(out: &mut String, r: &BytesRef<'_>) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
        return;
    }
    out.push_str(match &**r {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => "",
    });
}

/// Nesting-depth guard: call on every start tag.
pub(super) fn check_depth(depth: usize, max: usize, part: &str) -> Result<(), DocxError> {
    if depth > max {
        Err(DocxError::XmlTooDeep {
            part: part.to_string(),
            limit: max,
        })
    } else {
        Ok(())
    }
}

/// Wrap a quick-xml error with the part it came from.
pub(super) fn xml_error(part: &str) -> impl FnOnce(quick_xml::Error) -> DocxError + '_ {
    move |source| DocxError::Xml {
        part: part.to_string(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_run_size_is_read_ahead_of_skipping_its_properties() {
        let size = |xml: &str| run_size_ahead(xml.as_bytes());
        assert_eq!(
            size(r#"<w:b/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr><w:t>"#),
            Some(44)
        );
        assert_eq!(size(r#"<w:szCs w:val="44"/></w:rPr>"#), None);
        assert_eq!(size(r#"<sz val='32'/></rPr>"#), Some(32));
        // As the parsed properties read it: trimmed, a whole number.
        assert_eq!(size(r#"<w:sz w:val=" 52"/></w:rPr>"#), Some(52));
        assert_eq!(size(r#"<w:sz w:val="21.5"/></w:rPr>"#), None);
        // The former size a tracked change records is not the run's.
        assert_eq!(
            size(r#"<w:b/><w:rPrChange><w:rPr><w:sz w:val="20"/></w:rPr></w:rPrChange></w:rPr>"#),
            None
        );
        // Nor is a size in a later run.
        assert_eq!(
            size(r#"<w:b/></w:rPr><w:t>x</w:t></w:r><w:r><w:rPr><w:sz w:val="20"/>"#),
            None
        );
    }

    fn after_start(xml: &str) -> (Reader<&[u8]>, String) {
        let mut r = reader(xml.as_bytes());
        match r.read_event().unwrap() {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                (r, name)
            }
            other => panic!("start expected, got {other:?}"),
        }
    }

    #[test]
    fn skip_counts_nested_elements_of_the_same_name() {
        let xml = "<w:a><w:a x='1'>x</w:a ><w:a/><w:ab></w:ab></w:a><w:b/>";
        let (mut r, name) = after_start(xml);
        let inner = skip(&mut r, QName(&name)).unwrap();
        assert_eq!(inner, b"<w:a x='1'>x</w:a ><w:a/><w:ab></w:ab>");
        assert!(matches!(r.read_event().unwrap(), Event::Empty(e) if e.name().as_ref() == "w:b"));
        assert_eq!(r.buffer_position(), xml.len() as u64);
    }

    #[test]
    fn skip_without_end_tag_fails_as_read_to_end_does() {
        let (mut r, name) = after_start("<w:a><w:b/>");
        assert!(skip(&mut r, QName(&name)).is_err());
    }

    #[test]
    fn skip_unless_reads_on_when_a_wanted_element_is_inside() {
        let xml = "<w:rPr><w:sz w:val='32'/><w:vanish/></w:rPr><w:t/>";
        let (mut r, name) = after_start(xml);
        assert!(
            !Skipper::new(|n| n == b"vanish")
                .skip_unless(&mut r, QName(&name), 8)
                .unwrap()
        );
        assert!(matches!(r.read_event().unwrap(), Event::Empty(e) if e.name().as_ref() == "w:sz"));

        let xml = "<w:rPr><w:sz w:val='32'/><w:rFonts><w:x/></w:rFonts></w:rPr><w:t/>";
        let (mut r, name) = after_start(xml);
        assert!(
            !Skipper::new(|n| n == b"vanish")
                .skip_unless(&mut r, QName(&name), 2)
                .unwrap()
        );
        assert!(
            Skipper::new(|n| n == b"vanish")
                .skip_unless(&mut r, QName(&name), 3)
                .unwrap()
        );
        assert!(matches!(r.read_event().unwrap(), Event::Empty(e) if e.name().as_ref() == "w:t"));

        // A nested element of the same name, or a wanted end tag: read on.
        let xml = "<w:rPr><w:rPr/></w:rPr>";
        let (mut r, name) = after_start(xml);
        assert!(
            !Skipper::new(|n| n == b"vanish")
                .skip_unless(&mut r, QName(&name), 8)
                .unwrap()
        );
        let xml = "<w:rPr><w:x></w:vanish></w:rPr>";
        let (mut r, name) = after_start(xml);
        assert!(
            !Skipper::new(|n| n == b"vanish")
                .skip_unless(&mut r, QName(&name), 8)
                .unwrap()
        );
        let xml = "<w:rPr><w:x></w:x ></w:rPr\n>tail";
        let (mut r, name) = after_start(xml);
        assert!(
            Skipper::new(|n| n == b"vanish")
                .skip_unless(&mut r, QName(&name), 8)
                .unwrap()
        );
        assert!(matches!(r.read_event().unwrap(), Event::Text(_)));

        let xml = "<w:rPr><!-- <w:vanish/> --></w:rPr>";
        let (mut r, name) = after_start(xml);
        assert!(
            !Skipper::new(|n| n == b"vanish")
                .skip_unless(&mut r, QName(&name), 8)
                .unwrap()
        );
    }

    /// Every event (or the error that ends them) of `xml` as `Debug` text, read by quick-xml
    /// alone or, with `plain`, by [`plain_event`] wherever the story reader uses it.
    fn events(xml: &str, plain: bool) -> Vec<String> {
        let mut reader = reader(xml.as_bytes());
        let mut out = Vec::new();
        let mut between = false;
        loop {
            let rest: &[u8] = reader.get_ref();
            let fast = if plain && between {
                plain_event(&xml[xml.len() - rest.len()..])
            } else {
                None
            };
            let was_plain = fast.is_some();
            let event = match fast {
                Some((event, len)) => {
                    reader.stream().consume(len);
                    Ok(event)
                }
                None => reader.read_event(),
            };
            out.push(format!("{event:?}"));
            match event {
                Ok(Event::Eof) | Err(_) => return out,
                Ok(Event::Start(_) | Event::Empty(_) | Event::End(_)) => between = true,
                Ok(_) => between = was_plain,
            }
        }
    }

    #[test]
    fn plain_events_are_the_events_quick_xml_reads() {
        for xml in [
            "<w:p w:rsidR=\"00\"><w:r><w:t xml:space='preserve'> a b </w:t></w:r></w:p>",
            "<a x='>' y=\"'>\"/><b>t&amp;u&#x41;v</b><c>\r\nx\ry</c>",
            "<a></a  ><b></ ><c></c\t\n></d ></></e x='1'>",
            "<a><![CDATA[<x>]]><!-- c --><?pi x?>t</a>",
            "<a>text at the end",
            "<a><b x='unclosed></b></a>",
            "<a><b",
            "<><a/ ><  b>< /c>",
            "<w:t>中文</w:t><w:t a='中'>&lt;</w:t>",
            "<a>& b</a>",
        ] {
            assert_eq!(events(xml, true), events(xml, false), "{xml}");
        }
    }

    #[test]
    fn skip_unless_remembers_content_only_for_its_own_name_and_nesting() {
        let xml = "<w:rPr><w:sz/><w:b></w:b></w:rPr><w:rPr><w:sz/><w:b></w:b></w:rPr>\
                   <w:tcPr><w:sz/><w:b></w:b></w:rPr></w:tcPr>\
                   <w:rPr><w:sz/><w:b></w:b></w:rPr><w:t/>";
        let mut skipper = Skipper::new(|n| n == b"rPr");
        let (mut r, name) = after_start(xml);
        assert!(skipper.skip_unless(&mut r, QName(&name), 8).unwrap());
        assert!(matches!(r.read_event().unwrap(), Event::Start(e) if e.name().as_ref() == "w:rPr"));
        // A repeat: recognised, and skipped the same.
        assert!(skipper.skip_unless(&mut r, QName(&name), 8).unwrap());
        // The same bytes open another element's content: its own end tag decides.
        assert!(
            matches!(r.read_event().unwrap(), Event::Start(e) if e.name().as_ref() == "w:tcPr")
        );
        assert!(!skipper.skip_unless(&mut r, QName("w:tcPr"), 8).unwrap());
        assert!(r.read_to_end(QName("w:tcPr")).is_ok());
        // A repeat nested deeper than allowed: scanned, not skipped.
        assert!(matches!(r.read_event().unwrap(), Event::Start(e) if e.name().as_ref() == "w:rPr"));
        assert!(!skipper.skip_unless(&mut r, QName(&name), 1).unwrap());
        assert!(skipper.skip_unless(&mut r, QName(&name), 2).unwrap());
        assert!(matches!(r.read_event().unwrap(), Event::Empty(e) if e.name().as_ref() == "w:t"));
    }
}

//! Small helpers shared by the part parsers: a configured quick-xml reader over a part's bytes,
//! attribute lookup by local name, entity references, and the nesting-depth guard.

use std::borrow::Cow;

use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::QName;

use super::DocxError;

/// A reader over one part, tolerant of the small syntax slips Word-compatible writers make
/// (mismatched end-tag names, a stray `&`). No DTD is ever read, so no external entity is
/// resolved.
pub(super) fn reader(bytes: &[u8]) -> Reader<&[u8]> {
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
    // The end tag itself, read as an event so the reader's own bookkeeping stays right.
    match reader.read_event()? {
        Event::End(_) => {}
        other => debug_assert!(false, "end tag expected, got {other:?}"),
    }
    Ok(&rest[..end])
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

/// Skip the element `name` whose start tag was just read, like [`skip`], but only when its
/// content holds no element whose local name `wanted` accepts, nests at most `max_nesting`
/// deep, and has no comment, CDATA section or processing instruction: content the caller
/// would read event by event only to act on nothing. Returns whether it was skipped; when not,
/// the reader has not moved.
///
/// # Errors
/// quick-xml's error when the end tag found cannot be read.
pub(super) fn skip_unless(
    reader: &mut Reader<&[u8]>,
    name: QName<'_>,
    wanted: fn(&[u8]) -> bool,
    max_nesting: usize,
) -> Result<bool, quick_xml::Error> {
    let rest: &[u8] = reader.get_ref();
    let Some(end) = plain_content(rest, name.as_ref().as_bytes(), wanted, max_nesting) else {
        return Ok(false);
    };
    reader.stream().consume(end);
    match reader.read_event()? {
        Event::End(_) => {}
        other => debug_assert!(false, "end tag expected, got {other:?}"),
    }
    Ok(true)
}

/// Where the end tag `</name>` of the element whose content starts `content` begins, in one
/// pass over the tags' opening `<` only; `None` as soon as a tag is a comment, CDATA section
/// or processing instruction, opens another `name`, has a local name `wanted` accepts (start
/// or end tag), or there are more start tags than `max_nesting` (which bounds their nesting).
fn plain_content(
    content: &[u8],
    name: &[u8],
    wanted: fn(&[u8]) -> bool,
    max_nesting: usize,
) -> Option<usize> {
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
            return is_end.then_some(lt);
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
pub(super) fn utf8(bytes: &[u8]) -> Cow<'_, [u8]> {
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
pub(super) fn attr_str(e: &BytesStart<'_>, name: &str) -> Option<String> {
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
pub(super) fn push_ref(out: &mut String, r: &BytesRef<'_>) {
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
        assert!(!skip_unless(&mut r, QName(&name), |n| n == b"vanish", 8).unwrap());
        assert!(matches!(r.read_event().unwrap(), Event::Empty(e) if e.name().as_ref() == "w:sz"));

        let xml = "<w:rPr><w:sz w:val='32'/><w:rFonts><w:x/></w:rFonts></w:rPr><w:t/>";
        let (mut r, name) = after_start(xml);
        assert!(!skip_unless(&mut r, QName(&name), |n| n == b"vanish", 2).unwrap());
        assert!(skip_unless(&mut r, QName(&name), |n| n == b"vanish", 3).unwrap());
        assert!(matches!(r.read_event().unwrap(), Event::Empty(e) if e.name().as_ref() == "w:t"));

        // A nested element of the same name, or a wanted end tag: read on.
        let xml = "<w:rPr><w:rPr/></w:rPr>";
        let (mut r, name) = after_start(xml);
        assert!(!skip_unless(&mut r, QName(&name), |n| n == b"vanish", 8).unwrap());
        let xml = "<w:rPr><w:x></w:vanish></w:rPr>";
        let (mut r, name) = after_start(xml);
        assert!(!skip_unless(&mut r, QName(&name), |n| n == b"vanish", 8).unwrap());
        let xml = "<w:rPr><w:x></w:x ></w:rPr\n>tail";
        let (mut r, name) = after_start(xml);
        assert!(skip_unless(&mut r, QName(&name), |n| n == b"vanish", 8).unwrap());
        assert!(matches!(r.read_event().unwrap(), Event::Text(_)));

        let xml = "<w:rPr><!-- <w:vanish/> --></w:rPr>";
        let (mut r, name) = after_start(xml);
        assert!(!skip_unless(&mut r, QName(&name), |n| n == b"vanish", 8).unwrap());
    }
}

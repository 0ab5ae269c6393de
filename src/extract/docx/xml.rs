//! Small helpers shared by the part parsers: a configured quick-xml reader over a part's bytes,
//! attribute lookup by local name, entity references, and the nesting-depth guard.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart};

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

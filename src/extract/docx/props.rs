//! Document properties: `docProps/core.xml` (Dublin Core: title, creator, subject, keywords…),
//! `docProps/app.xml` (application, company…) and `docProps/custom.xml` (named user
//! properties), as `(name, value)` pairs in part order. Empty values are left out.

use quick_xml::events::Event;

use super::DocxError;
use super::xml;

/// Read the simple child elements of the root (`core.xml`, `app.xml`): `(local name, text)`.
///
/// # Errors
/// `limit` when the part nests deeper than allowed; unreadable XML ends the list early.
pub(super) fn simple(
    bytes: &[u8],
    part: &str,
    max_depth: usize,
) -> Result<Vec<(String, String)>, DocxError> {
    let bytes = xml::utf8(bytes);
    let mut reader = xml::reader(&bytes);
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<(String, String)> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                depth += 1;
                xml::check_depth(depth, max_depth, part)?;
                current =
                    (depth == 2).then(|| (e.local_name().as_ref().to_string(), String::new()));
            }
            Ok(Event::Text(t)) => {
                if let Some((_, v)) = current.as_mut() {
                    v.push_str(&t.xml10_content());
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let Some((_, v)) = current.as_mut() {
                    xml::push_ref(v, &r);
                }
            }
            Ok(Event::End(_)) => {
                if depth == 2
                    && let Some((k, v)) = current.take()
                    && !v.trim().is_empty()
                    && !STATISTICS.contains(&k.as_str())
                {
                    out.push((k, v.trim().to_string()));
                }
                depth = depth.saturating_sub(1);
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    Ok(out)
}

/// `app.xml` bookkeeping that says nothing about the document's content or origin.
const STATISTICS: &[&str] = &[
    "Pages",
    "Words",
    "Characters",
    "CharactersWithSpaces",
    "Lines",
    "Paragraphs",
    "TotalTime",
    "DocSecurity",
    "ScaleCrop",
    "LinksUpToDate",
    "SharedDoc",
    "HyperlinksChanged",
    "revision",
];

/// Read `custom.xml`: `(property name, value text)`.
///
/// # Errors
/// `limit` when the part nests deeper than allowed; unreadable XML ends the list early.
pub(super) fn custom(bytes: &[u8], max_depth: usize) -> Result<Vec<(String, String)>, DocxError> {
    let bytes = xml::utf8(bytes);
    let mut reader = xml::reader(&bytes);
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<(String, String)> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                depth += 1;
                xml::check_depth(depth, max_depth, "custom.xml")?;
                if depth == 2 && e.local_name().as_ref() == "property" {
                    current = xml::attr_str(&e, "name").map(|n| (n, String::new()));
                }
            }
            Ok(Event::Text(t)) => {
                if depth >= 3
                    && let Some((_, v)) = current.as_mut()
                {
                    v.push_str(&t.xml10_content());
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if depth >= 3
                    && let Some((_, v)) = current.as_mut()
                {
                    xml::push_ref(v, &r);
                }
            }
            Ok(Event::End(_)) => {
                if depth == 2
                    && let Some((k, v)) = current.take()
                    && !v.trim().is_empty()
                {
                    out.push((k, v.trim().to_string()));
                }
                depth = depth.saturating_sub(1);
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    Ok(out)
}

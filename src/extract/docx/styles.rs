//! `styles.xml`: paragraph styles with what the body needs from them, resolved once through
//! their `basedOn` chains — the list (`w:numPr`), the outline level (from `w:outlineLvl` or a
//! built-in heading name in any UI language), the alignment, the font size, and whether the
//! style is Title; and the document's default font size (`w:docDefaults`).

use std::collections::HashMap;

use quick_xml::events::Event;

use super::xml;
use super::{Align, DocxError};

/// What one paragraph style contributes, already resolved through its `basedOn` chain.
#[derive(Debug, Clone, Default)]
pub(super) struct Style {
    pub id: String,
    pub num_id: Option<u32>,
    pub ilvl: Option<u8>,
    /// Heading level 1–9 from the outline level or a built-in heading name.
    pub heading: Option<u8>,
    pub align: Option<Align>,
    /// Font size in half-points (`w:sz`), from the style's run properties.
    pub size: Option<u16>,
    pub is_title: bool,
}

/// Own (unresolved) properties, as written in the part.
#[derive(Debug, Default)]
struct Own {
    id: String,
    name: String,
    based_on: Option<String>,
    num_id: Option<u32>,
    ilvl: Option<u8>,
    outline: Option<u8>,
    align: Option<Align>,
    size: Option<u16>,
    is_default: bool,
}

#[derive(Debug, Default)]
pub(super) struct Styles {
    styles: Vec<Style>,
    by_id: HashMap<String, usize>,
    default_para: Option<usize>,
    /// The document's default font size in half-points (`w:docDefaults/w:rPrDefault`).
    default_size: Option<u16>,
}

impl Styles {
    pub(super) fn parse(bytes: &[u8], max_depth: usize) -> Result<Styles, DocxError> {
        Styles::parse_until(bytes, max_depth, false).map(|(styles, _)| styles)
    }

    /// What a document whose paragraphs name no style takes from `styles.xml`, read from its
    /// start (see [`super::package::Package::part_prefix`]): the default paragraph style and
    /// the document defaults, which come before the other styles. `Some` once the default
    /// paragraph style has ended in `bytes`; `None` when `bytes` stop before that (a
    /// part cut short, or one with no default paragraph style, which then reads as a whole).
    pub(super) fn parse_defaults(bytes: &[u8], max_depth: usize) -> Option<Styles> {
        match Styles::parse_until(bytes, max_depth, true) {
            Ok((styles, true)) => Some(styles),
            _ => None,
        }
    }

    /// The styles of `bytes`, and whether the reading stopped at the end of the default
    /// paragraph style, as asked by `until_default`.
    fn parse_until(
        bytes: &[u8],
        max_depth: usize,
        until_default: bool,
    ) -> Result<(Styles, bool), DocxError> {
        const PART: &str = "styles.xml";
        let bytes = xml::utf8(bytes);
        let mut reader = xml::reader(&bytes);
        let mut own: Vec<Own> = Vec::new();
        let mut current: Option<Own> = None;
        let (mut depth, mut in_ppr) = (0usize, false);
        // In a style's own run properties, or in the document defaults' (not a paragraph
        // mark's, which live in `w:pPr`).
        let (mut in_rpr, mut in_defaults) = (false, false);
        let mut default_size = None;
        let mut stopped = false;
        loop {
            let event = reader.read_event().map_err(xml::xml_error(PART))?;
            let (e, is_start) = match &event {
                Event::Start(e) => (e, true),
                Event::Empty(e) => (e, false),
                Event::End(e) => {
                    match e.local_name().as_ref() {
                        "style" => {
                            let default = current.as_ref().is_some_and(|s| s.is_default);
                            own.extend(current.take());
                            // Not before the styles it is based on, when they come later.
                            if until_default && default && based_on_read(&own) {
                                stopped = true;
                                break;
                            }
                        }
                        "pPr" => in_ppr = false,
                        "rPr" => in_rpr = false,
                        "docDefaults" => in_defaults = false,
                        _ => {}
                    }
                    depth = depth.saturating_sub(1);
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            if is_start {
                depth += 1;
                xml::check_depth(depth, max_depth, PART)?;
            }
            let name = e.local_name();
            match name.as_ref() {
                "style" => {
                    if xml::attr(e, "type")
                        .as_deref()
                        .is_none_or(|t| t == "paragraph")
                    {
                        current = Some(Own {
                            id: xml::attr_str(e, "styleId").unwrap_or_default(),
                            is_default: xml::attr(e, "default")
                                .is_some_and(|v| matches!(v.as_ref(), "1" | "true" | "on")),
                            ..Own::default()
                        });
                        if !is_start {
                            own.extend(current.take());
                        }
                    } else if is_start {
                        // Table, character and numbering styles: skipped unread.
                        xml::skip(&mut reader, e.name()).map_err(xml::xml_error(PART))?;
                        depth -= 1;
                    }
                }
                "docDefaults" if is_start => in_defaults = true,
                "rPr" if is_start && !in_ppr && (current.is_some() || in_defaults) => {
                    in_rpr = true;
                }
                "sz" if in_rpr && in_defaults => default_size = xml::attr_num(e, "val"),
                "latentStyles" | "rPr" | "tblPr" | "tcPr" | "trPr" | "tblStylePr"
                | "pPrDefault" | "pPrChange" | "rPrChange"
                    if is_start =>
                {
                    xml::skip(&mut reader, e.name()).map_err(xml::xml_error(PART))?;
                    depth -= 1;
                }
                "pPr" if is_start => in_ppr = true,
                _ => {
                    let Some(cur) = current.as_mut() else {
                        continue;
                    };
                    match name.as_ref() {
                        "name" => cur.name = xml::attr_str(e, "val").unwrap_or_default(),
                        "basedOn" => cur.based_on = xml::attr_str(e, "val"),
                        "numId" if in_ppr => cur.num_id = xml::attr_num(e, "val"),
                        "ilvl" if in_ppr => cur.ilvl = xml::attr_num(e, "val"),
                        "outlineLvl" if in_ppr => cur.outline = xml::attr_num(e, "val"),
                        "sz" if in_rpr => cur.size = xml::attr_num(e, "val"),
                        "jc" if in_ppr => {
                            cur.align = xml::attr(e, "val").map(|v| Align::from_jc(&v))
                        }
                        _ => {}
                    }
                }
            }
        }
        let styles = Styles {
            default_size,
            ..Styles::resolve(own)
        };
        Ok((styles, stopped))
    }

    fn resolve(own: Vec<Own>) -> Styles {
        let by_id: HashMap<String, usize> = own
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        let chain = |start: usize| {
            let mut seen = Vec::with_capacity(4);
            let mut at = Some(start);
            while let Some(i) = at {
                if seen.contains(&i) || seen.len() >= 32 {
                    break;
                }
                seen.push(i);
                at = own[i]
                    .based_on
                    .as_deref()
                    .and_then(|b| by_id.get(b).copied());
            }
            seen
        };
        let styles = (0..own.len())
            .map(|i| {
                let chain = chain(i);
                let first = |f: &dyn Fn(&Own) -> Option<u8>| chain.iter().find_map(|&j| f(&own[j]));
                let heading = chain.iter().find_map(|&j| {
                    let s = &own[j];
                    match s.outline {
                        Some(o) if o < 9 => Some(o + 1),
                        Some(_) => Some(0),
                        // The id only speaks when the style has no name (WPS writes `1`…).
                        None if s.name.is_empty() => heading_level_from_name(&s.id),
                        None => heading_level_from_name(&s.name),
                    }
                });
                Style {
                    id: own[i].id.clone(),
                    num_id: chain.iter().find_map(|&j| own[j].num_id),
                    ilvl: first(&|s| s.ilvl),
                    heading: heading.filter(|&h| h > 0),
                    align: chain.iter().find_map(|&j| own[j].align),
                    size: chain.iter().find_map(|&j| own[j].size),
                    is_title: chain.iter().any(|&j| {
                        let n = own[j].name.to_lowercase();
                        n == "title" || n == "标题" || own[j].id == "Title"
                    }),
                }
            })
            .collect();
        let default_para = own.iter().position(|s| s.is_default);
        Styles {
            styles,
            by_id,
            default_para,
            default_size: None,
        }
    }

    /// The index of style `id`, for [`Styles::get`].
    pub(super) fn index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The document's default font size in half-points.
    pub(super) fn default_size(&self) -> Option<u16> {
        self.default_size
    }

    /// The style at `index`, or the default paragraph style when `index` is `None`.
    pub(super) fn get(&self, index: Option<usize>) -> Option<&Style> {
        index.or(self.default_para).and_then(|i| self.styles.get(i))
    }
}

/// Whether every style the last of `own` is based on, directly or not, is in `own`.
fn based_on_read(own: &[Own]) -> bool {
    let mut at = own.last();
    for _ in 0..32 {
        match at.and_then(|s| s.based_on.as_deref()) {
            None => return true,
            Some(base) => at = own.iter().find(|s| s.id == base),
        }
        if at.is_none() {
            return false;
        }
    }
    // A chain of 32 or a loop: as far as it resolves, which is as far as it ever will.
    true
}

/// The level of a built-in heading style from its name (`heading 1`, `标题 1`, `Überschrift 1`,
/// `見出し 1`…) or a WPS-style numeric id (`1`, `2`).
pub(super) fn heading_level_from_name(name: &str) -> Option<u8> {
    let name = name.trim();
    let digit_at = name.find(|c: char| c.is_ascii_digit())?;
    let (prefix, digits) = name.split_at(digit_at);
    let level: u8 = digits.trim().parse().ok()?;
    if !(1..=9).contains(&level) {
        return None;
    }
    let prefix = prefix.trim().to_lowercase();
    const PREFIXES: &[&str] = &[
        "",
        "heading",
        "标题",
        "標題",
        "見出し",
        "제목",
        "überschrift",
        "titre",
        "título",
        "titolo",
        "kop",
        "заголовок",
        "nagłówek",
        "rubrik",
        "otsikko",
        "overskrift",
    ];
    PREFIXES.contains(&prefix.as_str()).then_some(level)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_names_in_any_ui_language() {
        assert_eq!(heading_level_from_name("heading 1"), Some(1));
        assert_eq!(heading_level_from_name("标题 2"), Some(2));
        assert_eq!(heading_level_from_name("Heading3"), Some(3));
        assert_eq!(heading_level_from_name("2"), Some(2));
        assert_eq!(heading_level_from_name("toc 1"), None);
        assert_eq!(heading_level_from_name("List Number 2"), None);
    }

    #[test]
    fn based_on_chain_carries_numbering_and_outline() {
        let xml = r#"<w:styles xmlns:w="w">
          <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
          <w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>
            <w:pPr><w:numPr><w:numId w:val="3"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
          <w:style w:type="paragraph" w:styleId="Mine"><w:name w:val="My Heading"/><w:basedOn w:val="H1"/>
            <w:pPr><w:jc w:val="center"/></w:pPr></w:style>
        </w:styles>"#;
        let styles = Styles::parse(xml.as_bytes(), 64).unwrap();
        let mine = styles.get(styles.index("Mine")).unwrap();
        assert_eq!(mine.num_id, Some(3));
        assert_eq!(mine.heading, Some(1));
        assert_eq!(mine.align, Some(Align::Center));
        assert_eq!(styles.get(None).unwrap().id, "Normal");
    }
}

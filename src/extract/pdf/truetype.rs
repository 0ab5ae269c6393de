//! The `cmap` table of an embedded TrueType/OpenType font, read backwards: glyph id → Unicode.
//!
//! In: the bytes of a `/FontFile2` (or an OpenType `/FontFile3`) stream. Out: a glyph-id →
//! character map from the font's Unicode `cmap` subtables (formats 4 and 12). It is the last
//! resort for a font with no ToUnicode map and no known character collection: the characters
//! are the ones the font's maker assigned to the glyphs, never guessed. What always holds:
//! every read is bounds-checked; a malformed table yields an empty map.

use std::collections::HashMap;

fn u16_at(d: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*d.get(i)?, *d.get(i + 1)?]))
}

fn u32_at(d: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *d.get(i)?,
        *d.get(i + 1)?,
        *d.get(i + 2)?,
        *d.get(i + 3)?,
    ]))
}

/// Most mappings read from one font (a CJK font has ~30 000 glyphs).
const MAX_ENTRIES: usize = 200_000;

/// Glyph id → Unicode from the font's Unicode cmap subtables; empty when there is none.
pub(crate) fn glyph_to_unicode(font: &[u8]) -> HashMap<u16, char> {
    let mut out = HashMap::new();
    let _ = read(font, &mut out);
    out
}

fn read(font: &[u8], out: &mut HashMap<u16, char>) -> Option<()> {
    let tables = u16_at(font, 4)? as usize;
    let mut cmap = None;
    for t in 0..tables.min(64) {
        let rec = 12 + 16 * t;
        if font.get(rec..rec + 4)? == b"cmap" {
            cmap = Some(u32_at(font, rec + 8)? as usize);
        }
    }
    let cmap = cmap?;
    let count = u16_at(font, cmap + 2)? as usize;
    // Prefer full Unicode (3,10 / 0,4), then BMP (3,1 / 0,x).
    let mut best: Option<(u8, usize)> = None;
    for k in 0..count.min(64) {
        let rec = cmap + 4 + 8 * k;
        let (platform, encoding) = (u16_at(font, rec)?, u16_at(font, rec + 2)?);
        let offset = cmap + u32_at(font, rec + 4)? as usize;
        let rank = match (platform, encoding) {
            (3, 10) | (0, 4) | (0, 6) => 2,
            (3, 1) | (0, _) => 1,
            _ => continue,
        };
        if best.is_none_or(|b| rank > b.0) {
            best = Some((rank, offset));
        }
    }
    let (_, sub) = best?;
    match u16_at(font, sub)? {
        4 => format4(font, sub, out),
        12 => format12(font, sub, out),
        _ => None,
    }
}

fn insert(out: &mut HashMap<u16, char>, gid: u16, code: u32) {
    if gid != 0
        && out.len() < MAX_ENTRIES
        && let Some(c) = char::from_u32(code)
    {
        // Keep the first (lowest) code point for a glyph shared by several.
        out.entry(gid).or_insert(c);
    }
}

fn format4(d: &[u8], sub: usize, out: &mut HashMap<u16, char>) -> Option<()> {
    let segs = u16_at(d, sub + 6)? as usize / 2;
    let ends = sub + 14;
    let starts = ends + 2 * segs + 2;
    let deltas = starts + 2 * segs;
    let offsets = deltas + 2 * segs;
    for s in 0..segs {
        let end = u16_at(d, ends + 2 * s)?;
        let start = u16_at(d, starts + 2 * s)?;
        let delta = u16_at(d, deltas + 2 * s)?;
        let range = u16_at(d, offsets + 2 * s)? as usize;
        if start > end || start == 0xFFFF {
            continue;
        }
        for code in start..=end {
            let gid = if range == 0 {
                code.wrapping_add(delta)
            } else {
                let at = offsets + 2 * s + range + 2 * usize::from(code - start);
                match u16_at(d, at) {
                    Some(0) | None => continue,
                    Some(g) => g.wrapping_add(delta),
                }
            };
            insert(out, gid, u32::from(code));
        }
    }
    Some(())
}

fn format12(d: &[u8], sub: usize, out: &mut HashMap<u16, char>) -> Option<()> {
    let groups = u32_at(d, sub + 12)? as usize;
    for g in 0..groups.min(MAX_ENTRIES) {
        let rec = sub + 16 + 12 * g;
        let (start, end, first) = (u32_at(d, rec)?, u32_at(d, rec + 4)?, u32_at(d, rec + 8)?);
        if end < start || end - start > 0x10FFFF {
            continue;
        }
        for code in start..=end {
            if let Ok(gid) = u16::try_from(first + (code - start)) {
                insert(out, gid, code);
            }
            if out.len() >= MAX_ENTRIES {
                return Some(());
            }
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal font: a table directory with only `cmap`, one (3,1) format-4 subtable mapping
    /// U+4E2D..U+4E2E to glyphs 5..6.
    fn font() -> Vec<u8> {
        let mut sub = Vec::new();
        let segs: u16 = 2;
        for v in [4u16, 0, 0, segs * 2, 0, 0, 0] {
            sub.extend(v.to_be_bytes());
        }
        for v in [0x4E2Eu16, 0xFFFF, 0, 0x4E2D, 0xFFFF] {
            sub.extend(v.to_be_bytes()); // ends, pad, starts
        }
        for v in [5u16.wrapping_sub(0x4E2D), 1, 0, 0] {
            sub.extend(v.to_be_bytes()); // deltas, range offsets
        }
        let mut cmap = Vec::new();
        for v in [0u16, 1, 3, 1] {
            cmap.extend(v.to_be_bytes());
        }
        cmap.extend(12u32.to_be_bytes());
        cmap.extend(sub);
        let mut f = vec![0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        f.extend(b"cmap");
        f.extend([0u8; 4]);
        f.extend(28u32.to_be_bytes());
        f.extend((cmap.len() as u32).to_be_bytes());
        f.extend(cmap);
        f
    }

    #[test]
    fn format4_maps_glyphs_back_to_unicode() {
        let map = glyph_to_unicode(&font());
        assert_eq!(map.get(&5), Some(&'中'));
        assert_eq!(map.get(&6), Some(&'丮'));
        assert_eq!(map.len(), 2);
    }

    #[test]
    fn garbage_gives_an_empty_map() {
        assert!(glyph_to_unicode(b"not a font").is_empty());
        let mut f = font();
        f.truncate(40);
        assert!(glyph_to_unicode(&f).len() <= 2);
    }
}

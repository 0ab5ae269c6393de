//! Mojibake: UTF-8 text that was decoded with the wrong encoding and saved again.
//!
//! Two families are recognised, also stacked (double encoding):
//!
//! * **GBK**: UTF-8 bytes read as GBK/GB18030 (`公开` → `鍏�寮�`). Reversal encodes the
//!   text back to GBK and reads the bytes as UTF-8. Where the wrong decoder met a byte pair it
//!   could not map it wrote `U+FFFD` and one byte was lost; the character that byte belonged
//!   to cannot be recovered and comes back as `U+FFFD` (the result is *lossy*).
//! * **Latin-1 / windows-1252**: UTF-8 bytes read as a single-byte Western encoding
//!   (`关于` → `å…³äºŽ`). Every byte survives, so the reversal is exact.
//!
//! Detection asks the bytes, not a dictionary: ordinary Chinese text re-encoded to GBK is
//! almost never valid UTF-8, so a string is taken for mojibake only when its re-encoded bytes
//! form well-formed multi-byte UTF-8 throughout (holes left by `U+FFFD` aside) and decode to
//! CJK text.

use encoding_rs::{GBK, WINDOWS_1252};

use super::text::is_cjk;
use super::{Context, Lines, Rule};

/// Marks a byte the wrong decoder lost (never produced by the GBK encoder, never valid UTF-8).
const HOLE: u8 = 0xFF;

/// Most rounds of reversal tried (double or triple encoding).
const MAX_ROUNDS: usize = 3;

/// Reverse mojibake in `s`.
///
/// Returns `Some((fixed, lossy))` when `s` is UTF-8 text that was decoded as GBK/GB18030 or as
/// windows-1252/Latin-1 (possibly more than once); `lossy` is true when some characters could
/// not be recovered and were replaced by `U+FFFD`. Returns `None` when `s` is not mojibake,
/// which includes every ordinary Chinese or Latin text.
///
/// ```
/// use gongwen::repair::fix_mojibake;
/// assert_eq!(fix_mojibake("å…³äºŽ"), Some(("关于".to_string(), false)));
/// assert_eq!(fix_mojibake("关于政务公开"), None);
/// ```
pub fn fix_mojibake(s: &str) -> Option<(String, bool)> {
    let mut current: Option<(String, bool)> = None;
    for _ in 0..MAX_ROUNDS {
        let text = current.as_ref().map_or(s, |(t, _)| t.as_str());
        let Some((next, lossy)) = unlatin(text).or_else(|| ungbk(text)) else {
            break;
        };
        let was_lossy = current.as_ref().is_some_and(|(_, l)| *l);
        current = Some((next, lossy || was_lossy));
    }
    current
}

/// One round of windows-1252/Latin-1 reversal.
fn unlatin(s: &str) -> Option<(String, bool)> {
    if s.is_ascii() {
        return None;
    }
    let mut bytes = Vec::with_capacity(s.len());
    for c in s.chars() {
        bytes.push(latin_byte(c)?);
    }
    let decoded = decode_with_holes(&bytes);
    if decoded.multibyte < 1 || decoded.invalid * 4 > decoded.multibyte {
        return None;
    }
    Some((decoded.text, decoded.invalid > 0))
}

/// The byte windows-1252 (or, for its five undefined bytes, Latin-1) decodes to `c`.
fn latin_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if u < 0x80 || (0xA0..=0xFF).contains(&u) || matches!(u, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D) {
        return Some(u as u8);
    }
    let mut buf = [0u8; 4];
    let (bytes, _, had_errors) = WINDOWS_1252.encode(c.encode_utf8(&mut buf));
    (!had_errors && bytes.len() == 1).then(|| bytes[0])
}

/// One round of GBK reversal.
fn ungbk(s: &str) -> Option<(String, bool)> {
    if s.is_ascii() {
        return None;
    }
    let mut bytes = Vec::with_capacity(s.len());
    for (i, part) in s.split('\u{FFFD}').enumerate() {
        if i > 0 {
            bytes.push(HOLE);
        }
        if part.is_empty() {
            continue;
        }
        let (enc, _, had_errors) = GBK.encode(part);
        if had_errors {
            return None;
        }
        bytes.extend_from_slice(&enc);
    }
    let decoded = decode_with_holes(&bytes);
    let recovered = decoded.multibyte;
    if decoded.invalid > 0
        || recovered < 2
        || decoded.lost > recovered
        || decoded.cjk * 2 < recovered
    {
        return None;
    }
    Some((decoded.text, decoded.lost > 0))
}

struct Decoded {
    text: String,
    /// Multi-byte characters decoded intact.
    multibyte: usize,
    /// Of those, CJK characters.
    cjk: usize,
    /// Characters with a lost byte, written as `U+FFFD`.
    lost: usize,
    /// Byte sequences that are not UTF-8 at all.
    invalid: usize,
}

/// Decode UTF-8 where [`HOLE`] stands for one unknown byte: a sequence with a hole becomes one
/// `U+FFFD` and keeps the alignment of what follows.
fn decode_with_holes(bytes: &[u8]) -> Decoded {
    let mut out = Decoded {
        text: String::with_capacity(bytes.len()),
        multibyte: 0,
        cjk: 0,
        lost: 0,
        invalid: 0,
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            out.text.push(b as char);
            i += 1;
            continue;
        }
        let len = match b {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            HOLE => {
                // The lead byte itself was lost: skip its continuation bytes.
                let mut j = i + 1;
                while j < bytes.len() && j < i + 4 && matches!(bytes[j], 0x80..=0xBF | HOLE) {
                    j += 1;
                }
                out.text.push('\u{FFFD}');
                out.lost += 1;
                i = j;
                continue;
            }
            _ => {
                out.invalid += 1;
                out.text.push('\u{FFFD}');
                i += 1;
                continue;
            }
        };
        let seq = &bytes[i..(i + len).min(bytes.len())];
        if seq.len() < len || seq[1..].iter().any(|&c| !matches!(c, 0x80..=0xBF | HOLE)) {
            out.invalid += 1;
            out.text.push('\u{FFFD}');
            i += 1;
            continue;
        }
        if seq.contains(&HOLE) {
            out.lost += 1;
            out.text.push('\u{FFFD}');
        } else {
            match std::str::from_utf8(seq) {
                Ok(ch) => {
                    out.multibyte += 1;
                    if ch.chars().all(is_cjk) {
                        out.cjk += 1;
                    }
                    out.text.push_str(ch);
                }
                Err(_) => {
                    out.invalid += 1;
                    out.text.push('\u{FFFD}');
                }
            }
        }
        i += len;
    }
    out
}

/// The `mojibake` rule: reverses mojibake line by line and warns when a reversal was lossy.
pub struct Mojibake;

impl Rule for Mojibake {
    fn name(&self) -> &'static str {
        "mojibake"
    }

    fn apply(&self, lines: &mut Lines, cx: &mut Context) {
        let mut lost = 0usize;
        for idx in 0..lines.len() {
            let text = &lines.get(idx).text;
            if text.is_ascii() {
                continue;
            }
            if let Some((fixed, lossy)) = fix_mojibake(text) {
                if lossy {
                    lost += fixed.matches('\u{FFFD}').count();
                }
                lines.rewrite(idx, &fixed, self.name());
            }
        }
        if lost > 0 {
            cx.warnings.push(format!(
                "mojibake reversed with loss: {lost} characters could not be recovered (U+FFFD)"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn as_gbk_mojibake(s: &str) -> String {
        // What a scraper does: UTF-8 bytes decoded as GBK (encoding_rs maps every pair).
        GBK.decode_without_bom_handling(s.as_bytes()).0.into_owned()
    }

    fn as_latin_mojibake(s: &str) -> String {
        WINDOWS_1252
            .decode_without_bom_handling(s.as_bytes())
            .0
            .into_owned()
    }

    #[test]
    fn latin1_mojibake_is_reversed_exactly() {
        assert_eq!(fix_mojibake("å…³äºŽ"), Some(("关于".to_string(), false)));
        let s = "关于做好2021年政务公开工作的通知（国办发〔2021〕12号）";
        assert_eq!(
            fix_mojibake(&as_latin_mojibake(s)),
            Some((s.to_string(), false))
        );
    }

    #[test]
    fn gbk_mojibake_is_reversed_exactly_where_no_byte_was_lost() {
        assert_eq!(fix_mojibake("鍏充簬"), Some(("关于".to_string(), false)));
        let s = "各市审计局：现将有关事项通知如下。";
        let m = as_gbk_mojibake(s);
        if !m.contains('\u{FFFD}') {
            assert_eq!(fix_mojibake(&m), Some((s.to_string(), false)));
        }
    }

    #[test]
    fn gbk_mojibake_with_lost_bytes_is_lossy_but_keeps_alignment() {
        // 公开工作 as UTF-8 read by a strict GBK decoder: 鍏�寮�宸ヤ綔
        let (fixed, lossy) = fix_mojibake("鍏�寮�宸ヤ綔").unwrap();
        assert!(lossy);
        assert_eq!(fixed, "\u{FFFD}\u{FFFD}工作");
        let (fixed, lossy) = fix_mojibake("鏀垮姟鍏�寮�宸ヤ綔鎬荤粨").unwrap();
        assert!(lossy);
        assert_eq!(fixed, "政务\u{FFFD}\u{FFFD}工作总结");
    }

    #[test]
    fn double_encoding_is_reversed() {
        let s = "政务公开工作年度报告";
        let twice = as_latin_mojibake(&as_latin_mojibake(s));
        assert_eq!(fix_mojibake(&twice), Some((s.to_string(), false)));
        let mixed = as_latin_mojibake("鍏充簬");
        assert_eq!(fix_mojibake(&mixed), Some(("关于".to_string(), false)));
    }

    #[test]
    fn ordinary_text_is_not_mojibake() {
        for s in [
            "关于政务公开",
            "国办发〔2020〕17号",
            "Café au lait",
            "ASCII only",
            "二〇〇八年三月五日",
            "鍏", // a lone rare character is not evidence
            "项目\t2015年预算数\t增减率（%）",
            "é",
        ] {
            assert_eq!(fix_mojibake(s), None, "{s}");
        }
    }

    #[test]
    fn rule_records_the_change_and_warns_when_lossy() {
        let mut lines = Lines::new(vec![super::super::Line {
            text: "鏀垮姟鍏�寮�".into(),
            kind: crate::document::BlockKind::Paragraph,
        }]);
        let mut cx = Context::default();
        Mojibake.apply(&mut lines, &mut cx);
        let (out, repairs) = lines.finish();
        assert_eq!(out[0].text, "政务\u{FFFD}\u{FFFD}");
        assert_eq!(repairs.len(), 1);
        assert_eq!(repairs[0].rule, "mojibake");
        assert_eq!(cx.warnings.len(), 1);
    }
}

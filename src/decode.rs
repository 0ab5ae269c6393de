//! Bytes → text for markup: a byte order mark, then a declared charset the bytes agree with,
//! then sniffing.
//!
//! Policy, in order:
//! 1. A UTF-8 or UTF-16 byte order mark decides (`encoding_source: bom`).
//! 2. A `<meta charset>` or `<meta http-equiv="Content-Type" content="…charset=…">` in the first
//!    4 KiB is honoured only when the bytes agree with it (`meta`). Bytes that are valid UTF-8
//!    and contain multi-byte sequences are UTF-8 whatever the label says (GBK text is almost
//!    never valid UTF-8); a page labelled UTF-8 whose bytes are not valid UTF-8 is sniffed.
//!    ASCII agrees with every label except an ASCII-incompatible one (ISO-2022-JP) when the
//!    bytes hold no escape sequence: such a page is ASCII, and its SO/SI bytes stay.
//! 3. Otherwise chardetng guesses (`sniffed`) from the bytes outside tags.
//!
//! `gb2312` and `gbk` labels decode as GB18030, their superset, so characters outside GB2312
//! (王堃, 〇) and outside GBK (䶮) survive. A declaration that lost, and any decoding with
//! malformed sequences, adds a warning.

use encoding_rs::{Encoding, GB18030, GBK, REPLACEMENT, UTF_8, UTF_16BE, UTF_16LE};

use crate::record::EncodingSource;

/// The outcome of decoding one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The encoding the text was decoded with, by its WHATWG name (`UTF-8`, `GBK`, `gb18030`,
    /// `UTF-16LE`, …).
    pub encoding: &'static str,
    pub source: EncodingSource,
    pub warnings: Vec<String>,
}

/// How far into the file a charset declaration is looked for.
const PRESCAN_BYTES: usize = 4096;

/// Decode markup bytes by the policy in the module docs.
pub fn decode_markup(bytes: &[u8]) -> Decoded {
    decode_markup_sniffing(bytes, usize::MAX)
}

/// [`decode_markup`], with sniffing (when it comes to that) shown only the first
/// `sniff_bytes` bytes: for huge files, whose sniffing would otherwise cost time in proportion
/// to their size.
pub fn decode_markup_sniffing(bytes: &[u8], sniff_bytes: usize) -> Decoded {
    let mut warnings = Vec::new();
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, lossy) = decode_with(enc, &bytes[bom_len..]);
        if lossy {
            warnings.push(format!(
                "malformed {} sequences replaced with U+FFFD",
                enc.name()
            ));
        }
        return Decoded {
            text,
            encoding: enc.name(),
            source: EncodingSource::Bom,
            warnings,
        };
    }
    let declared = declared_charset(&bytes[..bytes.len().min(PRESCAN_BYTES)]);
    // Validated once: the verdict and, when the page is read as UTF-8, its text come from it.
    let valid = std::str::from_utf8(bytes).ok();
    let utf8 = utf8_verdict(bytes, valid.is_some());
    let chosen = match declared {
        Some(label_enc) => {
            let agrees = match utf8 {
                Utf8::Multibyte => label_enc == UTF_8,
                Utf8::Invalid => label_enc != UTF_8,
                // ASCII agrees with every label but ISO-2022-JP's, which reads SO and SI as
                // errors: a page so labelled without a single escape sequence is ASCII.
                Utf8::Ascii => label_enc.is_ascii_compatible() || bytes.contains(&0x1b),
            };
            if agrees {
                (label_enc, EncodingSource::Meta)
            } else {
                let enc = sniff(&bytes[..bytes.len().min(sniff_bytes)], utf8);
                warnings.push(format!(
                    "declared charset {} overruled: the bytes are {}",
                    label_enc.name(),
                    enc.name()
                ));
                (enc, EncodingSource::Sniffed)
            }
        }
        None => (
            sniff(&bytes[..bytes.len().min(sniff_bytes)], utf8),
            EncodingSource::Sniffed,
        ),
    };
    let (enc, source) = chosen;
    let (enc, name) = widen(enc, bytes);
    let (text, lossy) = match valid {
        // What `decode_with` does for valid UTF-8, without validating the bytes again.
        Some(s) if enc == UTF_8 => (s.to_string(), false),
        _ => decode_with(enc, bytes),
    };
    if lossy {
        warnings.push(format!("malformed {name} sequences replaced with U+FFFD"));
    }
    Decoded {
        text,
        encoding: name,
        source,
        warnings,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Utf8 {
    Ascii,
    Multibyte,
    Invalid,
}

/// What the bytes are as UTF-8; `valid` is whether `std::str::from_utf8(bytes)` succeeds.
fn utf8_verdict(bytes: &[u8], valid: bool) -> Utf8 {
    debug_assert_eq!(valid, std::str::from_utf8(bytes).is_ok());
    if bytes.is_ascii() {
        Utf8::Ascii
    } else if valid {
        Utf8::Multibyte
    } else {
        // A file cut mid-character is still UTF-8: allow an incomplete sequence at the end.
        match std::str::from_utf8(bytes) {
            Err(e) if e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4 => {
                Utf8::Multibyte
            }
            _ => Utf8::Invalid,
        }
    }
}

fn sniff(bytes: &[u8], utf8: Utf8) -> &'static Encoding {
    if utf8 != Utf8::Invalid {
        return UTF_8;
    }
    let text = outside_tags(bytes);
    let (prefix, whole) = sniff_prefix(&text);
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(prefix, whole);
    det.guess(Some(b"cn"), chardetng::Utf8Detection::Allow)
}

/// How many non-ASCII bytes the detector reads: about 250 Han characters in a double-byte
/// encoding, which settles GBK against Big5, EUC-KR and the Japanese encodings. The detector
/// reads each byte once per candidate encoding (about 2,000 instructions a byte on Chinese
/// text), so a whole page would cost more than everything else done to it.
const SNIFF_NON_ASCII: usize = 512;

/// The part of `text` the detector reads, and whether it is all of `text`. A cut prefix ends
/// just before an ASCII byte, so that no multi-byte character of any candidate encoding is cut,
/// and is fed as an unfinished stream (chardetng's way of judging a prefix).
fn sniff_prefix(text: &[u8]) -> (&[u8], bool) {
    let mut seen = 0;
    for (i, &b) in text.iter().enumerate() {
        if b >= 0x80 {
            seen += 1;
        } else if seen >= SNIFF_NON_ASCII {
            return (&text[..i], false);
        }
    }
    (text, true)
}

/// The bytes outside `<…>`, each tag standing as one space: what the detector should judge.
/// Markup is ASCII noise to it, and on an ordinary page half the bytes, which it would read
/// one by one for each of its candidate encodings.
fn outside_tags(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 2);
    let mut rest = bytes;
    while let Some(lt) = memchr::memchr(b'<', rest) {
        out.extend_from_slice(&rest[..lt]);
        // A `<` never closed is text.
        let Some(gt) = memchr::memchr(b'>', &rest[lt..]) else {
            rest = &rest[lt..];
            break;
        };
        out.push(b' ');
        rest = &rest[lt + gt + 1..];
    }
    out.extend_from_slice(rest);
    out
}

/// GBK (and the gb2312 label, which WHATWG maps to GBK) decodes as GB18030, its superset; the
/// name reported stays GBK unless the bytes need GB18030's four-byte sequences.
fn widen(enc: &'static Encoding, bytes: &[u8]) -> (&'static Encoding, &'static str) {
    if enc == GBK || enc == GB18030 {
        let needs_18030 = has_gb18030_four_byte(bytes);
        (
            GB18030,
            if needs_18030 || enc == GB18030 {
                GB18030.name()
            } else {
                GBK.name()
            },
        )
    } else {
        (enc, enc.name())
    }
}

fn has_gb18030_four_byte(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
        } else if i + 1 < bytes.len() && (0x30..=0x39).contains(&bytes[i + 1]) {
            return true;
        } else {
            i += 2;
        }
    }
    false
}

fn decode_with(enc: &'static Encoding, bytes: &[u8]) -> (String, bool) {
    if enc == UTF_8
        && let Ok(s) = std::str::from_utf8(bytes)
    {
        return (s.to_string(), false);
    }
    let (text, lossy) = enc.decode_without_bom_handling(bytes);
    (text.into_owned(), lossy)
}

/// Find a charset declaration in the prescan window (a simplified WHATWG prescan: `<meta`
/// tags with `charset=` in a `charset` or `content` attribute). UTF-16 labels in a meta tag
/// mean UTF-8, as the HTML standard says; labels of the replacement encoding are passed over.
pub fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut at = 0;
    while let Some(pos) = find(&lower[at..], b"<meta") {
        let start = at + pos;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(cs) = find(tag, b"charset") {
            let mut v = &tag[cs + b"charset".len()..];
            v = trim_ascii_start(v);
            if let Some(rest) = v.strip_prefix(b"=") {
                let rest = trim_ascii_start(rest);
                let rest = rest
                    .strip_prefix(b"\"")
                    .or_else(|| rest.strip_prefix(b"'"))
                    .unwrap_or(rest);
                let label_end = rest
                    .iter()
                    .position(|&b| {
                        matches!(
                            b,
                            b'"' | b'\'' | b';' | b' ' | b'/' | b'>' | b'\t' | b'\n' | b'\r'
                        )
                    })
                    .unwrap_or(rest.len());
                // A label for the replacement encoding (`hz-gb-2312`, `iso-2022-kr`, …) would
                // turn the whole page into one U+FFFD: it declares nothing we can use.
                if let Some(enc) = Encoding::for_label(&rest[..label_end])
                    && enc != REPLACEMENT
                {
                    return Some(if enc == UTF_16LE || enc == UTF_16BE {
                        UTF_8
                    } else {
                        enc
                    });
                }
            }
        }
        at = end.max(start + 1);
        if at >= lower.len() {
            break;
        }
    }
    None
}

fn trim_ascii_start(v: &[u8]) -> &[u8] {
    let n = v.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &v[n..]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`decode_markup_sniffing`] as it was before it validated UTF-8 only once: the oracle of
    /// that shortcut.
    fn decode_markup_validating_twice(bytes: &[u8], sniff_bytes: usize) -> Decoded {
        fn utf8_verdict_validating_twice(bytes: &[u8]) -> Utf8 {
            if bytes.is_ascii() {
                Utf8::Ascii
            } else if std::str::from_utf8(bytes).is_ok() {
                Utf8::Multibyte
            } else {
                match std::str::from_utf8(bytes) {
                    Err(e) if e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4 => {
                        Utf8::Multibyte
                    }
                    _ => Utf8::Invalid,
                }
            }
        }
        let mut warnings = Vec::new();
        if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
            let (text, lossy) = decode_with(enc, &bytes[bom_len..]);
            if lossy {
                warnings.push(format!(
                    "malformed {} sequences replaced with U+FFFD",
                    enc.name()
                ));
            }
            return Decoded {
                text,
                encoding: enc.name(),
                source: EncodingSource::Bom,
                warnings,
            };
        }
        let declared = declared_charset(&bytes[..bytes.len().min(PRESCAN_BYTES)]);
        let utf8 = utf8_verdict_validating_twice(bytes);
        let (enc, source) = match declared {
            Some(label_enc) => {
                let agrees = match utf8 {
                    Utf8::Multibyte => label_enc == UTF_8,
                    Utf8::Invalid => label_enc != UTF_8,
                    Utf8::Ascii => label_enc.is_ascii_compatible() || bytes.contains(&0x1b),
                };
                if agrees {
                    (label_enc, EncodingSource::Meta)
                } else {
                    let enc = sniff(&bytes[..bytes.len().min(sniff_bytes)], utf8);
                    warnings.push(format!(
                        "declared charset {} overruled: the bytes are {}",
                        label_enc.name(),
                        enc.name()
                    ));
                    (enc, EncodingSource::Sniffed)
                }
            }
            None => (
                sniff(&bytes[..bytes.len().min(sniff_bytes)], utf8),
                EncodingSource::Sniffed,
            ),
        };
        let (enc, name) = widen(enc, bytes);
        let (text, lossy) = decode_with(enc, bytes);
        if lossy {
            warnings.push(format!("malformed {name} sequences replaced with U+FFFD"));
        }
        Decoded {
            text,
            encoding: name,
            source,
            warnings,
        }
    }

    proptest::proptest! {
        #[test]
        fn validating_once_decodes_as_validating_twice(
            picks in proptest::collection::vec(0..10usize, 0..24),
            cut in 0..4usize,
        ) {
            let gbk = GBK.encode("关于政务公开工作的通知").0.into_owned();
            let pieces: [&[u8]; 10] = [
                b"<meta charset=\"utf-8\">",
                b"<meta charset=\"gbk\">",
                b"<p>",
                "关于印发通知".as_bytes(),
                &gbk,
                b"ascii text ",
                &[0x81, 0x20],
                &[0xE5, 0x85],
                &[0xEF, 0xBB, 0xBF],
                "王堃䶮".as_bytes(),
            ];
            let mut bytes: Vec<u8> = picks.iter().flat_map(|&k| pieces[k].iter().copied()).collect();
            // Sometimes cut mid-character.
            bytes.truncate(bytes.len().saturating_sub(cut));
            for sniff_bytes in [usize::MAX, 16] {
                proptest::prop_assert_eq!(
                    decode_markup_sniffing(&bytes, sniff_bytes),
                    decode_markup_validating_twice(&bytes, sniff_bytes)
                );
            }
        }
    }

    fn page(charset: &str, body: &str) -> String {
        format!(
            "<html><head><meta charset=\"{charset}\"><title>t</title></head><body>{body}</body></html>"
        )
    }

    #[test]
    fn the_detector_reads_a_prefix_cut_before_an_ascii_byte() {
        let long = "关于印发通知，".repeat(200);
        let gbk = GBK.encode(&format!("{long}a{long}")).0.into_owned();
        let (prefix, whole) = sniff_prefix(&gbk);
        assert!(!whole);
        assert_eq!(prefix, GBK.encode(&long).0.as_ref());
        // Past the limit without an ASCII byte: all of it, as the whole stream.
        let han = GBK.encode(&long.repeat(2)).0.into_owned();
        assert_eq!(sniff_prefix(&han), (&han[..], true));
        assert_eq!(sniff_prefix(b"ascii only"), (&b"ascii only"[..], true));
    }

    /// Every HTML page of the shared corpora, decoded and encoded again in each legacy
    /// encoding a Chinese page comes in: the detector reading the prefix guesses what it
    /// guesses reading the whole page.
    #[test]
    #[ignore = "needs ../shared/corpus; run with --ignored --nocapture"]
    fn corpus_pages_sniff_the_same_from_their_prefix() {
        let crate_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut compared = 0;
        let mut differ = Vec::new();
        for root in [
            "../shared/corpus/gen/dev/input",
            "../shared/corpus/real",
            "../shared/corpus/suites",
        ] {
            let root = crate_dir.join(root);
            assert!(root.is_dir(), "{} is missing", root.display());
            for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
                let entry = entry.unwrap();
                let name = entry.file_name().to_string_lossy().to_lowercase();
                if !entry.file_type().is_file()
                    || !(name.ends_with(".html") || name.ends_with(".htm"))
                {
                    continue;
                }
                let text = decode_markup(&std::fs::read(entry.path()).unwrap()).text;
                for enc in [
                    GBK,
                    encoding_rs::BIG5,
                    encoding_rs::SHIFT_JIS,
                    encoding_rs::EUC_KR,
                ] {
                    let bytes = enc.encode(&text).0.into_owned();
                    let text = outside_tags(&bytes);
                    if sniff_prefix(&text).1 {
                        continue;
                    }
                    let mut det =
                        chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
                    det.feed(&text, true);
                    let whole = det.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
                    let prefix = sniff(&bytes, Utf8::Invalid);
                    compared += 1;
                    if prefix != whole {
                        differ.push(format!(
                            "{} as {}: {} from the prefix, {} from the whole",
                            entry.path().display(),
                            enc.name(),
                            prefix.name(),
                            whole.name()
                        ));
                    }
                }
            }
        }
        eprintln!("{compared} long pages compared");
        assert!(compared > 100, "only {compared} pages long enough to cut");
        assert!(differ.is_empty(), "{}", differ.join("\n"));
    }

    #[test]
    fn the_detector_is_shown_the_text_outside_tags() {
        assert_eq!(
            outside_tags(b"<p class=\"x\">\xd5\xfd</p>a < b"),
            b" \xd5\xfd a < b".to_vec()
        );
        assert_eq!(outside_tags(b"no markup"), b"no markup".to_vec());
    }

    #[test]
    fn utf8_page_declared_utf8() {
        let d = decode_markup(page("utf-8", "关于印发通知").as_bytes());
        assert_eq!((d.encoding, d.source), ("UTF-8", EncodingSource::Meta));
        assert!(d.text.contains("关于印发通知"));
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn gbk_page_round_trips_and_gb2312_label_reads_gbk_characters() {
        let html = page("gb2312", "责任编辑：王堃 二〇二〇年");
        let (bytes, _, lossy) = GBK.encode(&html);
        assert!(!lossy);
        let d = decode_markup(&bytes);
        assert_eq!((d.encoding, d.source), ("GBK", EncodingSource::Meta));
        assert!(d.text.contains("王堃 二〇二〇年"), "{}", d.text);
    }

    #[test]
    fn gb18030_only_characters_survive() {
        let html = page("gb18030", "责任编辑：䶮");
        let (bytes, _, _) = GB18030.encode(&html);
        let d = decode_markup(&bytes);
        assert_eq!(d.encoding, "gb18030");
        assert!(d.text.contains('䶮'));
    }

    #[test]
    fn gb2312_label_on_utf8_bytes_loses() {
        let d = decode_markup(page("gb2312", "政府信息公开工作年度报告").as_bytes());
        assert_eq!((d.encoding, d.source), ("UTF-8", EncodingSource::Sniffed));
        assert!(d.text.contains("政府信息公开工作年度报告"));
        assert!(d.warnings[0].contains("overruled"), "{:?}", d.warnings);
    }

    #[test]
    fn utf8_label_on_gbk_bytes_loses() {
        let html = page(
            "utf-8",
            "安徽省审计厅2020年政务公开工作总结，认真贯彻落实国办发文件精神，全面对标年度政务公开考评内容",
        );
        let (bytes, _, _) = GBK.encode(&html);
        let d = decode_markup(&bytes);
        assert_eq!(d.source, EncodingSource::Sniffed);
        assert!(d.text.contains("安徽省审计厅"), "{} {}", d.encoding, d.text);
        assert!(!d.warnings.is_empty());
    }

    #[test]
    fn a_replacement_encoding_label_is_no_declaration() {
        let d = decode_markup(page("hz-gb-2312", "通知").as_bytes());
        assert_eq!((d.encoding, d.source), ("UTF-8", EncodingSource::Sniffed));
        assert!(d.text.contains("通知"), "{}", d.text);
    }

    #[test]
    fn bom_wins_and_utf16_reads() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in page("utf-8", "通知").encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode_markup(&bytes);
        assert_eq!((d.encoding, d.source), ("UTF-16LE", EncodingSource::Bom));
        assert!(d.text.contains("通知"));
    }

    #[test]
    fn http_equiv_declaration_is_found() {
        let head = br#"<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=GB2312">"#;
        assert_eq!(declared_charset(head), Some(GBK));
    }

    #[test]
    fn invalid_sequences_are_replaced_with_a_warning() {
        let mut bytes = page("gbk", "通知").into_bytes();
        bytes.extend_from_slice(&[0x81, 0x20]);
        let d = decode_markup(&bytes);
        assert!(
            d.warnings.iter().any(|w| w.contains("U+FFFD")),
            "{:?}",
            d.warnings
        );
    }
}

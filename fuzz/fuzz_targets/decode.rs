//! Charset sniffing and decoding of markup bytes: no panic, and bytes that are valid UTF-8
//! (without a byte order mark) come out unchanged — a declared charset never garbles them.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = gongwen::decode::declared_charset(&data[..data.len().min(4096)]);
    let d = gongwen::decode::decode_markup(data);
    let has_bom = encoding_rs::Encoding::for_bom(data).is_some();
    if let Ok(s) = std::str::from_utf8(data)
        && !has_bom
        // ISO-2022-JP is ASCII with escape sequences: a page labelled so may switch sets.
        && !data.contains(&0x1b)
    {
        assert_eq!(
            d.text, s,
            "valid UTF-8 decoded as {} ({:?}) changed",
            d.encoding, d.source
        );
    }
    if !d.text.contains('\u{fffd}') || data.windows(3).any(|w| w == "\u{fffd}".as_bytes()) {
        // Nothing was replaced, or the input had U+FFFD itself: a lossy warning is optional.
    } else {
        assert!(
            !d.warnings.is_empty() || d.encoding.contains("16"),
            "U+FFFD appeared without a warning ({})",
            d.encoding
        );
    }
});

//! The rules' regular expressions, compiled with `regex-lite`.
//!
//! Every worker process compiles the patterns it uses once, on first use. `regex` builds
//! several engines and the UTF-8 automata of each Unicode class for a pattern (100–200 µs
//! each, about a millisecond for a worker's set, as long as converting two pages); `regex-lite`
//! compiles one in a tenth of that. These patterns run on a few lines of a page (anchored
//! line tests, behind cheap pre-checks), where its slower matching costs nothing that shows.
//! The document-number search of the repair engine, which runs on every clause holding a
//! `号` and a year, stays with `regex`.
//!
//! `regex-lite` has no Unicode classes, so the two the patterns use are written out here,
//! as `regex` (Unicode 16) defines them: [`expand`] turns `\p{Han}` and `\s` into these
//! ranges, and `(?-u:\b)` into `\b` (ASCII in `regex-lite`). The patterns keep their usual
//! spelling, and the tests compile each one with both crates and compare the matches.
//! One difference is left: `(?i)` folds ASCII letters only, where `regex` also folds `ſ`
//! (U+017F) with `s` and the Kelvin sign (U+212A) with `k`.

use regex_lite::Regex;

/// Unicode `Script=Han`, as character-class ranges.
pub const HAN: &str = r"\u{2E80}-\u{2E99}\u{2E9B}-\u{2EF3}\u{2F00}-\u{2FD5}\u{3005}\u{3007}\u{3021}-\u{3029}\u{3038}-\u{303B}\u{3400}-\u{4DBF}\u{4E00}-\u{9FFF}\u{F900}-\u{FA6D}\u{FA70}-\u{FAD9}\u{16FE2}-\u{16FE3}\u{16FF0}-\u{16FF1}\u{20000}-\u{2A6DF}\u{2A700}-\u{2B739}\u{2B740}-\u{2B81D}\u{2B820}-\u{2CEA1}\u{2CEB0}-\u{2EBE0}\u{2EBF0}-\u{2EE5D}\u{2F800}-\u{2FA1D}\u{30000}-\u{3134A}\u{31350}-\u{323AF}";

/// Unicode `White_Space` (what `regex` means by `\s`), as character-class ranges.
pub const SPACE: &str = r"\u{9}-\u{D}\u{20}\u{85}\u{A0}\u{1680}\u{2000}-\u{200A}\u{2028}-\u{2029}\u{202F}\u{205F}\u{3000}";

/// Compile `pattern`, written for `regex`, with `regex-lite` (see [`expand`]).
///
/// # Panics
/// The pattern is invalid: patterns are constants, so a test catches it.
pub fn compile(pattern: &str) -> Regex {
    Regex::new(&expand(pattern)).unwrap_or_else(|e| panic!("pattern {pattern:?}: {e}"))
}

/// `pattern` with `\p{Han}` and `\s` written out as [`HAN`] and [`SPACE`] (bracketed outside a
/// class, bare inside one) and `(?-u:\b)` as `\b`. Other escapes pass through.
///
/// # Panics
/// Another Unicode class (`\p{…}`, `\P{…}`) or a negated `\S`: no pattern uses one.
pub fn expand(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() * 2);
    let mut in_class = false;
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix(r"(?-u:\b)") {
            out.push_str(r"\b");
            rest = after;
            continue;
        }
        let class = |ranges: &str| {
            if in_class {
                ranges.to_string()
            } else {
                format!("[{ranges}]")
            }
        };
        if let Some(after) = rest.strip_prefix(r"\p{Han}") {
            out.push_str(&class(HAN));
            rest = after;
            continue;
        }
        if let Some(after) = rest.strip_prefix(r"\s") {
            out.push_str(&class(SPACE));
            rest = after;
            continue;
        }
        assert!(
            !(rest.starts_with(r"\p") || rest.starts_with(r"\P") || rest.starts_with(r"\S")),
            "pattern {pattern:?}: only \\p{{Han}} and \\s are written out"
        );
        if c == '\\' {
            // An escape and the character it escapes pass through together (`\[` opens no
            // class); `\u{…}` and the like are copied as they are.
            let mut chars = rest.chars();
            chars.next();
            let escaped = chars.next().map_or(0, char::len_utf8);
            out.push_str(&rest[..1 + escaped]);
            rest = &rest[1 + escaped..];
            continue;
        }
        match c {
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            _ => {}
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The check that `regex-lite` reads a pattern as `regex` does, for the tests of the modules
/// that own the patterns.
#[cfg(test)]
pub(crate) mod oracle {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    /// Characters every pattern is tried with besides its own: Han, CJK and ASCII
    /// punctuation, digits of both widths, letters, and the spaces `\s` covers.
    const COMMON: &str =
        "中国发文第号年月日一二〇，。：:；（）()[]〔〕【】 \u{3000}\u{a0}\t\n09０９aZx.-/@_";

    /// Both crates find the same matches, with the same groups, on random texts made of the
    /// pattern's own characters, [`COMMON`] and `pieces`.
    pub fn assert_agrees(pattern: &str, pieces: &[&str]) {
        let full = regex::Regex::new(pattern).unwrap();
        let lite = super::compile(pattern);
        let mut alphabet: Vec<String> = pattern
            .chars()
            .chain(COMMON.chars())
            .map(String::from)
            .collect();
        alphabet.extend(pieces.iter().map(|p| p.to_string()));
        alphabet.sort();
        alphabet.dedup();
        let noise = proptest::collection::vec(proptest::sample::select(alphabet), 0..24)
            .prop_map(|v| v.concat());
        // Texts the pattern matches, alone and between noise: proptest writes them from the
        // pattern without its anchors and ASCII word boundaries, which it cannot generate.
        let unanchored = pattern
            .trim_start_matches('^')
            .replace('$', "")
            .replace(r"(?-u:\b)", "");
        let matching = || {
            proptest::string::string_regex(&unanchored)
                .unwrap_or_else(|e| panic!("{pattern:?}: {e}"))
        };
        let texts = prop_oneof![
            noise.clone(),
            matching(),
            (noise.clone(), matching(), noise)
                .prop_map(|(a, m, b): (String, String, String)| format!("{a}{m}{b}")),
        ]
        .prop_filter("the one difference the module documents", |t| {
            !t.contains(['\u{17F}', '\u{212A}'])
        });
        let mut runner = TestRunner::new(Config {
            cases: 3000,
            ..Config::default()
        });
        let matched = std::cell::Cell::new(0u32);
        runner
            .run(&texts, |text| {
                let a: Vec<Vec<_>> = full
                    .captures_iter(&text)
                    .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect())
                    .collect();
                let b: Vec<Vec<_>> = lite
                    .captures_iter(&text)
                    .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect())
                    .collect();
                if !a.is_empty() {
                    matched.set(matched.get() + 1);
                }
                prop_assert_eq!(a, b, "{:?} on {:?}", pattern, text);
                Ok(())
            })
            .unwrap();
        // Texts the pattern matches were tried too, not only texts both reject.
        assert!(
            matched.get() >= 30,
            "{pattern:?} matched only {} texts",
            matched.get()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `regex` and `regex-lite` agree on every Unicode scalar value for `pattern`.
    fn agree_on_every_char(pattern: &str) -> Result<(), char> {
        let full = regex::Regex::new(pattern).unwrap();
        let lite = compile(pattern);
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = c.encode_utf8(&mut buf);
            if full.is_match(s) != lite.is_match(s) {
                return Err(c);
            }
        }
        Ok(())
    }

    #[test]
    fn han_and_space_are_what_regex_means_by_them() {
        for p in [r"^\p{Han}$", r"^\s$", r"^[\p{Han}A-Z]$", r"^[^\s\p{Han}]$"] {
            assert_eq!(agree_on_every_char(p), Ok(()), "{p}");
        }
    }

    #[test]
    fn escapes_pass_through_and_classes_are_tracked() {
        assert_eq!(expand(r"\[a\]\s"), format!(r"\[a\][{SPACE}]"));
        assert_eq!(expand(r"[\s\]]\s"), format!(r"[{SPACE}\]][{SPACE}]"));
        assert_eq!(expand(r"x(?-u:\b)"), r"x\b");
        assert_eq!(expand(r"\u{3000}号"), r"\u{3000}号");
    }

    #[test]
    #[should_panic(expected = "only")]
    fn other_unicode_classes_are_refused() {
        expand(r"\p{Greek}");
    }
}

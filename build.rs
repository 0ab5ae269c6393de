//! Build-time tables, so that no worker process pays for them at run time.
//!
//! The mojibake rule asks for the GBK bytes of nearly every character it reverses. Built at
//! run time from encoding_rs these tables cost every worker process about 8.6 million
//! instructions before its first file; written here they are part of the binary (136 KiB).
//!
//! Writes to `OUT_DIR`, read by `src/repair/mojibake.rs`:
//!
//! * `gbk_bytes.bin`: two bytes per Basic Multilingual Plane character, in code point order:
//!   its GBK double-byte code, or `00 00` when it has none.
//! * `gbk_real_pairs.bin`: one bit per byte pair `x << 8 | y` (byte `pair / 8`, bit
//!   `pair % 8`): GBK decodes the pair to one real (not private-use) character, and so does
//!   the narrower GBK of Windows code page 936 (Python's `gbk`, the scrapers' decoder): the
//!   pairs only GB18030 maps (`data/cp936-unmapped.txt`: `€` at `A2 E3`, the ideographic
//!   description characters at `A9 89`…) lose their first byte there.
//! * `bigrams.bin`: the character pairs of `data/bigrams.tsv` (see `scripts/bigrams.py`),
//!   12 bytes each in ascending order of their key `a << 32 | b`: the key and the count, both
//!   little-endian.
//! * `bigram_firsts.bin`, `bigram_seconds.bin`: one bit per Basic Multilingual Plane character
//!   (byte `c / 8`, bit `c % 8`): it is the first (second) character of some pair, so that the
//!   mojibake rule skips the search for the hundreds of candidates no pair holds.
//! * `lexicon.bin`: the words of `data/lexicon.tsv` (see `scripts/lexicon.py`), 12 bytes each
//!   in ascending order of their key, the word's characters 16 bits each from the top
//!   (`一二` is `4E00 4E8C 0000 0000`), then the count, both little-endian. The first entry,
//!   key 0, holds the sum of all counts.

use std::path::Path;

use encoding_rs::{EncoderResult, GBK};

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    // The rules version of `--state` names the code and data that make a record, so that a
    // build whose rules changed converts every input again, with no version to remember to
    // bump.
    println!("cargo::rerun-if-changed=src");
    println!("cargo::rerun-if-changed=data");
    println!(
        "cargo::rustc-env=GONGWEN_RULES_HASH={:016x}",
        tree_hash(&["src", "data"])
    );
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out);
    let (bytes, real_pairs) = gbk_tables();
    std::fs::write(out.join("gbk_bytes.bin"), bytes).expect("write gbk_bytes.bin");
    std::fs::write(out.join("gbk_real_pairs.bin"), real_pairs).expect("write gbk_real_pairs.bin");
    println!("cargo::rerun-if-changed=data/bigrams.tsv");
    let tsv = std::fs::read_to_string("data/bigrams.tsv").expect("read data/bigrams.tsv");
    let (pairs, firsts, seconds) = bigrams(&tsv);
    std::fs::write(out.join("bigrams.bin"), pairs).expect("write bigrams.bin");
    std::fs::write(out.join("bigram_firsts.bin"), firsts).expect("write bigram_firsts.bin");
    std::fs::write(out.join("bigram_seconds.bin"), seconds).expect("write bigram_seconds.bin");
    println!("cargo::rerun-if-changed=data/lexicon.tsv");
    let tsv = std::fs::read_to_string("data/lexicon.tsv").expect("read data/lexicon.tsv");
    let (table, index) = lexicon(&tsv);
    std::fs::write(out.join("lexicon.bin"), table).expect("write lexicon.bin");
    std::fs::write(out.join("lexicon_index.bin"), index).expect("write lexicon_index.bin");
}

/// `data/lexicon.tsv` (`word<TAB>count` lines, `#` comments) as the table and the index
/// described above.
fn lexicon(tsv: &str) -> (Vec<u8>, Vec<u8>) {
    let mut words: Vec<(u64, u32)> = tsv
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (word, count) = l.split_once('\t').expect("word TAB count");
            let chars: Vec<char> = word.chars().collect();
            assert!(
                (1..=4).contains(&chars.len())
                    && chars
                        .iter()
                        .all(|&c| ('\u{4E00}'..='\u{9FFF}').contains(&c)),
                "not a word of one to four Han characters: {word:?}"
            );
            let key = chars
                .iter()
                .enumerate()
                .fold(0u64, |k, (i, &c)| k | (u64::from(c) << (48 - 16 * i)));
            (key, count.parse().expect("a count"))
        })
        .collect();
    words.sort_unstable();
    words.dedup_by_key(|w| w.0);
    let total = words.iter().map(|w| u64::from(w.1)).sum::<u64>();
    let total = u32::try_from(total).expect("the counts sum to less than 2^32");
    let words: Vec<(u64, u32)> = std::iter::once((0, total)).chain(words).collect();
    let index = (0..=0x1_0000u64)
        .flat_map(|c| {
            let first = words.partition_point(|(k, _)| k >> 48 < c);
            u32::try_from(first)
                .expect("fewer words than 2^32")
                .to_le_bytes()
        })
        .collect();
    let table = words
        .iter()
        .flat_map(|(k, n)| k.to_le_bytes().into_iter().chain(n.to_le_bytes()))
        .collect();
    (table, index)
}

/// `data/bigrams.tsv` (`AB<TAB>count` lines, `#` comments) as the table described above, and
/// the two bit sets described above.
fn bigrams(tsv: &str) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let mut pairs: Vec<(u64, u32)> = tsv
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (pair, count) = l.split_once('\t').expect("pair TAB count");
            let mut cs = pair.chars();
            let (Some(a), Some(b), None) = (cs.next(), cs.next(), cs.next()) else {
                panic!("not a pair of characters: {pair:?}");
            };
            let key = (u64::from(a) << 32) | u64::from(b);
            (key, count.parse().expect("a count"))
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup_by_key(|p| p.0);
    let mut firsts = vec![0u8; 0x1_0000 / 8];
    let mut seconds = vec![0u8; 0x1_0000 / 8];
    let mark = |set: &mut Vec<u8>, c: u64| {
        // Characters past the Basic Multilingual Plane are always looked up.
        if let Some(byte) = set.get_mut((c / 8) as usize) {
            *byte |= 1 << (c % 8);
        }
    };
    for (k, _) in &pairs {
        mark(&mut firsts, k >> 32);
        mark(&mut seconds, k & 0xFFFF_FFFF);
    }
    let table = pairs
        .iter()
        .flat_map(|(k, n)| k.to_le_bytes().into_iter().chain(n.to_le_bytes()))
        .collect();
    (table, firsts, seconds)
}

/// GBK trail bytes.
fn gbk_trails() -> impl Iterator<Item = u8> {
    (0x40..=0x7Eu8).chain(0x80..=0xFE)
}

/// The character table and the real-pair bit set described in the module comment.
fn gbk_tables() -> (Vec<u8>, Vec<u8>) {
    let mut bytes = vec![0u8; 2 * 0x1_0000];
    let mut real_pairs = vec![0u8; 0x1_0000 / 8];
    // Every double-byte code, each followed by a line feed, decoded in one call: a code the
    // decoder maps yields exactly one character before its line feed; a malformed one yields
    // U+FFFD (and its trail byte again when that is ASCII), never eating the line feed.
    let mut input = Vec::with_capacity(126 * 190 * 3);
    for lead in 0x81..=0xFEu8 {
        for trail in gbk_trails() {
            input.extend_from_slice(&[lead, trail, b'\n']);
        }
    }
    let decoded = GBK.decode_without_bom_handling(&input).0;
    let mut pieces = decoded.split('\n');
    for lead in 0x81..=0xFEu8 {
        for trail in gbk_trails() {
            let piece = pieces.next().unwrap_or("\u{FFFD}");
            let mut chars = piece.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                continue;
            };
            if c == '\u{FFFD}' || c as u32 > 0xFFFF {
                continue;
            }
            let pair = usize::from(u16::from_be_bytes([lead, trail]));
            if !(0xE000..=0xF8FF).contains(&(c as u32)) {
                real_pairs[pair / 8] |= 1 << (pair % 8);
            }
            // The first code that decodes to a character is its code.
            let slot = &mut bytes[2 * c as usize..][..2];
            if slot == [0, 0] {
                slot.copy_from_slice(&[lead, trail]);
            }
        }
    }
    // Characters the encoder maps although the decoder never yields them (other decoders,
    // such as Python's, map a few codes differently): the encoder's double-byte answer.
    for c in (0..=0xFFFF).filter_map(char::from_u32) {
        let slot = &mut bytes[2 * c as usize..][..2];
        if slot != [0, 0] {
            continue;
        }
        let mut utf8 = [0u8; 4];
        let mut gbk = [0u8; 4];
        let (result, _, written) = GBK.new_encoder().encode_from_utf8_without_replacement(
            c.encode_utf8(&mut utf8),
            &mut gbk,
            true,
        );
        if matches!(result, EncoderResult::InputEmpty) && written == 2 {
            slot.copy_from_slice(&gbk[..2]);
        }
    }
    for pair in cp936_unmapped() {
        let pair = usize::from(pair);
        real_pairs[pair / 8] &= !(1 << (pair % 8));
    }
    (bytes, real_pairs)
}

/// FNV-1a (64 bits) of the relative path and bytes of every file under `roots`, in path order.
fn tree_hash(roots: &[&str]) -> u64 {
    fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
        let entries = std::fs::read_dir(dir).expect("read a source directory");
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, files);
            } else {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for root in roots {
        walk(Path::new(root), &mut files);
    }
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for file in &files {
        feed(file.to_string_lossy().as_bytes());
        feed(&[0]);
        feed(&std::fs::read(file).expect("read a source file"));
        feed(&[0]);
    }
    hash
}

/// The double-byte codes of `data/cp936-unmapped.txt` (hexadecimal, one per line, `#`
/// comments): those WHATWG's GBK maps to a real character and code page 936 leaves unmapped.
fn cp936_unmapped() -> Vec<u16> {
    let path = "data/cp936-unmapped.txt";
    println!("cargo::rerun-if-changed={path}");
    let text = std::fs::read_to_string(path).expect("read data/cp936-unmapped.txt");
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(|l| u16::from_str_radix(l, 16).expect("a hexadecimal code"))
        .collect()
}

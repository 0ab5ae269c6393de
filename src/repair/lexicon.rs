//! Words of general Chinese with their counts (`data/lexicon.tsv`, from the jieba
//! dictionary), and how well a run of Han characters splits into them.
//!
//! The split is the one of greatest probability under a unigram word model, as the jieba
//! segmenter finds it: each word `w` weighs `count(w) / total`, a character in no word weighs
//! `1 / total`, and a split weighs the product of its words. `完成初审` splits as `完成|初审`,
//! far likelier than any split of `完成分审`; the pair counts of `成分` (a word of its own)
//! would have preferred the latter.

/// The table `build.rs` writes: 12 bytes a word, its key (characters 16 bits each from the
/// top) and its count; the first entry, key 0, holds the sum of all counts.
static LEXICON: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon.bin"));

/// The longest word of the list, in characters.
pub const MAX_WORD: usize = 4;

fn entry(i: usize) -> (u64, u32) {
    let e = &LEXICON[12 * i..12 * i + 12];
    let key = u64::from_le_bytes(e[..8].try_into().expect("8 bytes"));
    (key, u32::from_le_bytes(e[8..].try_into().expect("4 bytes")))
}

/// The key of `word`, or `None` when it is no possible entry (empty, too long, or holding a
/// character outside the Basic Multilingual Plane).
fn key(word: &[char]) -> Option<u64> {
    if word.is_empty() || word.len() > MAX_WORD {
        return None;
    }
    word.iter().enumerate().try_fold(0u64, |k, (i, &c)| {
        let c = u16::try_from(u32::from(c)).ok()?;
        Some(k | (u64::from(c) << (48 - 16 * i)))
    })
}

/// For each Basic Multilingual Plane character and one past the last, the index in
/// [`LEXICON`] of the first word beginning with it or a later character.
static INDEX: &[u8; 4 * 0x1_0001] = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon_index.bin"));

fn index(c: usize) -> usize {
    let at = 4 * c;
    u32::from_le_bytes(INDEX[at..at + 4].try_into().expect("4 bytes")) as usize
}

/// How often the list counts `word` (0 when it is not in the list).
pub fn count(word: &[char]) -> u32 {
    lookup(word).0
}

/// How often the list counts `word`, and whether some longer word begins with it.
pub fn lookup(word: &[char]) -> (u32, bool) {
    let Some(key) = key(word).filter(|&k| k != 0) else {
        return (0, false);
    };
    // The words of one first character, in order: the character alone comes first.
    let first = (key >> 48) as usize;
    let (mut lo, mut hi) = (index(first), index(first + 1));
    if word.len() == 1 {
        let n = if lo < hi && entry(lo).0 == key {
            entry(lo).1
        } else {
            0
        };
        return (n, hi - lo > usize::from(n > 0));
    }
    let end = hi;
    while lo < hi {
        let mid = (lo + hi) / 2;
        if entry(mid).0 < key {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    // `lo` is the first word not before `word`: `word` itself, or a word it begins, if any.
    let prefix_bits = 64 - 16 * word.len() as u32;
    let same_prefix = |i: usize| i < end && entry(i).0 >> prefix_bits == key >> prefix_bits;
    if lo < end && entry(lo).0 == key {
        (entry(lo).1, same_prefix(lo + 1))
    } else {
        (0, same_prefix(lo))
    }
}

/// The natural logarithm of the probability of the likeliest split of `run` into words.
pub fn split_log_probability(run: &[char]) -> f64 {
    Tail::new(run).split_with(&[])
}

/// The end of a text whose splits are weighed once, for the likeliest split of many texts
/// that differ only before it: the characters around a lost one, each candidate in turn.
pub struct Tail {
    chars: Vec<char>,
    /// `best[j]`: the natural logarithm of the probability of the likeliest split of
    /// `chars[j..]`.
    best: Vec<f64>,
}

impl Tail {
    pub fn new(chars: &[char]) -> Tail {
        let mut tail = Tail {
            chars: chars.to_vec(),
            best: vec![0.0; chars.len() + 1],
        };
        for i in (0..chars.len()).rev() {
            tail.best[i] = likeliest_from(chars, i, |j| tail.best[j]);
        }
        tail
    }

    /// The natural logarithm of the probability of the likeliest split of `head` followed by
    /// this tail.
    pub fn split_with(&self, head: &[char]) -> f64 {
        // The head and as much of the tail as a word starting in the head can reach.
        let reach = self.chars.len().min(MAX_WORD - 1);
        let mut text = [' '; 32];
        let mut best = [0.0f64; 32];
        if head.len() + reach > text.len() {
            let mut whole = head.to_vec();
            whole.extend_from_slice(&self.chars);
            return Tail::new(&whole).best[0];
        }
        text[..head.len()].copy_from_slice(head);
        text[head.len()..head.len() + reach].copy_from_slice(&self.chars[..reach]);
        let text = &text[..head.len() + reach];
        for i in (0..head.len()).rev() {
            best[i] = likeliest_from(text, i, |j| {
                if j >= head.len() {
                    self.best[j - head.len()]
                } else {
                    best[j]
                }
            });
        }
        if head.is_empty() {
            self.best[0]
        } else {
            best[0]
        }
    }
}

/// The likeliest split of `text[i..]` (and of the text beyond it, which `best_from` weighs
/// from any later place) that begins with a word or character at `i`.
fn likeliest_from(text: &[char], i: usize, best_from: impl Fn(usize) -> f64) -> f64 {
    let log_total = log_total();
    // A character in no word counts once.
    let mut b = -log_total + best_from(i + 1);
    // No word begins with a character that begins no entry.
    let c = text[i] as usize;
    if c <= 0xFFFF && index(c) != index(c + 1) {
        for len in 1..=MAX_WORD.min(text.len() - i) {
            let (n, longer) = lookup(&text[i..i + len]);
            if n > 0 {
                b = b.max(ln(n) - log_total + best_from(i + len));
            }
            if !longer {
                break;
            }
        }
    }
    b
}

/// The natural logarithm of the sum of all counts.
fn log_total() -> f64 {
    static LOG_TOTAL: std::sync::LazyLock<f64> =
        std::sync::LazyLock::new(|| f64::from(entry(0).1).ln());
    *LOG_TOTAL
}

/// The natural logarithm of a count, from a table for the many small ones.
fn ln(n: u32) -> f64 {
    static SMALL: std::sync::LazyLock<Vec<f64>> =
        std::sync::LazyLock::new(|| (0..4096u32).map(|n| f64::from(n).ln()).collect());
    SMALL
        .get(n as usize)
        .copied()
        .unwrap_or_else(|| f64::from(n).ln())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Characters that make many words with each other, and a few that make none.
    const ALPHABET: &[char] = &[
        '中', '华', '人', '民', '政', '府', '公', '开', '信', '息', '工', '作', '审', '计', '的',
        '。', 'a', '𠀀',
    ];

    proptest! {
        #[test]
        fn a_text_splits_the_same_with_its_tail_weighed_apart(
            head in proptest::collection::vec(proptest::sample::select(ALPHABET), 0..8),
            tail in proptest::collection::vec(proptest::sample::select(ALPHABET), 0..8),
        ) {
            let mut whole = head.clone();
            whole.extend_from_slice(&tail);
            let apart = Tail::new(&tail).split_with(&head);
            prop_assert!((apart - split_log_probability(&whole)).abs() < 1e-9);
        }

        #[test]
        fn a_longer_word_is_announced_by_its_prefix(
            word in proptest::collection::vec(proptest::sample::select(ALPHABET), 1..4),
            next in proptest::sample::select(ALPHABET),
        ) {
            let mut longer = word.clone();
            longer.push(next);
            if count(&longer) > 0 {
                prop_assert!(lookup(&word).1, "{longer:?} is a word");
            }
        }
    }

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn words_are_found_and_others_are_not() {
        assert!(count(&chars("遵循")) > 1000);
        assert!(count(&chars("措施")) > 1000);
        assert!(count(&chars("的")) > 0);
        assert_eq!(count(&chars("障措")), 0);
        assert_eq!(count(&chars("")), 0);
        assert_eq!(
            count(&chars("中华人民共和国")),
            0,
            "longer than the longest word"
        );
        assert_eq!(count(&['𠀀']), 0, "past the Basic Multilingual Plane");
        let longer = |s: &str| lookup(&chars(s)).1;
        assert_eq!(lookup(&chars("中华")).0, count(&chars("中华")));
        assert!(longer("中") && longer("中华") && longer("政府"));
        assert!(!longer("中华人"), "no word of the list begins 中华人");
        assert!(!longer("障措"));
    }

    #[test]
    fn the_likeliest_split_prefers_the_text_of_words() {
        let p = |s: &str| split_log_probability(&chars(s));
        assert!(p("完成初审") > p("完成分审"));
        assert!(p("应当遵循依法") > p("应当遵往依法"));
        assert!(p("保障措施") > p("保障掀施"));
        assert!(p("未经批准") > p("本经批准"));
        assert!(p("协调机制") > p("协调机划"));
        // Weighed with its tail apart, a text splits as it does whole.
        let tail = Tail::new(&chars("审。未经批准"));
        for head in ["完成初", "完成分", "", "初"] {
            let whole = format!("{head}审。未经批准");
            assert!(
                (tail.split_with(&chars(head)) - p(&whole)).abs() < 1e-9,
                "{head}"
            );
        }
        // Every split is a product of probabilities below 1.
        assert!(p("的") < 0.0);
        assert_eq!(p(""), 0.0);
    }
}

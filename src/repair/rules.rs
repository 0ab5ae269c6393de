//! The rules of the repair engine, in the order they run.
//!
//! | # | rule | fixes |
//! |---|---|---|
//! | 1 | `mojibake` | UTF-8 read as GBK or windows-1252 (also twice) |
//! | 2 | `furniture` | page controls let into the content (`打印`, `【关闭窗口】`, …) |
//! | 3 | `whitespace` | indentation, zero-width and stray spaces; empty lines |
//! | 4 | `doc_number` | damaged 发文字号 → `国办发〔2020〕17号` |
//! | 5 | `punctuation` | half-width marks, straight quotes, `...`, `--` in Chinese text |
//! | 6 | `heading_marker` | damaged heading markers ([`crate::structure::MARKERS`]) |
//! | 7 | `paragraph_join` | paragraphs split mid-sentence |
//! | 8 | `sentence_period` | a lost sentence-final `。` |
//!
//! The order matters: text must be readable (mojibake) before anything is matched; furniture
//! is matched on whole lines before whitespace is touched; document numbers are normalised
//! before punctuation so `(2020)` becomes `〔2020〕`, not `（2020）`; markers are restored
//! before joining so a restored heading is never joined; periods are added last, to whole
//! paragraphs.

use super::Rule;
use super::docnum::DocNumberRule;
use super::furniture::Furniture;
use super::mojibake::Mojibake;
use super::paragraph::{ParagraphJoin, SentencePeriod};
use super::punct::Punctuation;
use super::whitespace::Whitespace;

pub use super::docnum::doc_refs;

/// Every rule, in order.
pub static ALL: &[&dyn Rule] = &[
    &Mojibake,
    &Furniture,
    &Whitespace,
    &DocNumberRule,
    &Punctuation,
    &crate::structure::MARKERS,
    &ParagraphJoin,
    &SentencePeriod,
];

/// The rules [`super::clean_inline`] applies to a single-line value.
pub static INLINE: &[&dyn Rule] = &[&Whitespace, &DocNumberRule, &Punctuation];

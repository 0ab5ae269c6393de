//! The common intermediate document every extractor produces and every later stage reads.
//!
//! An extractor turns one file's bytes into a [`Document`]: the content as an ordered list of
//! [`Block`]s (paragraphs, table rows, headings it knows of from markup or styles), the raw
//! label/value pairs of its metadata panel, the typed metadata it knows directly (document
//! properties, the 发文字号 line of a printed page), attachments and warnings. Nothing in it is
//! repaired yet: the repair engine and structure extraction work on it the same way for every
//! format.

use crate::record::{Attachment, EncodingSource, Metadata};

/// What kind of line a block is, as far as the extractor can tell from markup or layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// Running text (or anything the extractor cannot classify).
    Paragraph,
    /// A line the source marks as a heading (an `<h3>`, a bold standalone line, a Word heading
    /// style or outline level). `level` is the source's own level when it has one.
    Heading { level: Option<u8> },
    /// One table row; cells are joined with `\t`.
    TableRow,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub text: String,
    pub kind: BlockKind,
}

impl Block {
    pub fn paragraph(text: impl Into<String>) -> Block {
        Block {
            text: text.into(),
            kind: BlockKind::Paragraph,
        }
    }

    pub fn table_row(cells: &[String]) -> Block {
        Block {
            text: cells.join("\t"),
            kind: BlockKind::TableRow,
        }
    }
}

/// The encoding an extractor decided on for a text format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodingInfo {
    pub name: String,
    pub source: EncodingSource,
}

#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The content title, when the extractor found one.
    pub title: Option<String>,
    pub blocks: Vec<Block>,
    /// Raw label/value pairs as found (labels may be damaged, values unnormalised); mapped to
    /// typed metadata by [`crate::metadata`].
    pub fields: Vec<(String, String)>,
    /// Typed metadata the extractor knows directly. Values here win over `fields` only where
    /// the field is still empty after mapping the panel.
    pub metadata: Metadata,
    pub attachments: Vec<Attachment>,
    pub warnings: Vec<String>,
    pub encoding: Option<EncodingInfo>,
    /// Corrections the extractor already made to block text (block index, rule, text before),
    /// such as reversing a mojibake page it had to read clean to find its content. The repair
    /// engine records each as the first repair of its line, so nothing changes silently.
    pub corrected: Vec<(usize, &'static str, String)>,
}

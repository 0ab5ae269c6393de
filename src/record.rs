//! The output record: one JSON object per converted input file.
//!
//! This module *is* the wire contract with downstream systems; `schema/record.schema.json`
//! publishes the same shape as a JSON Schema and the tests check every record against it.
//!
//! ```text
//! {
//!   "source":   {"path", "format": "html"|"pdf"|"docx", "bytes", "sha256",
//!                "encoding": "GBK"|"UTF-8"|…|null, "encoding_source": "bom"|"meta"|"sniffed"|null},
//!   "title":    str|null,
//!   "metadata": {index_no, category, topic, publisher, doc_number, issued_date, written_date,
//!                validity, keywords: [str], source, published_at, breadcrumb: [str],
//!                extra: {label: value}},
//!   "sections": [{"level", "marker", "heading", "text"}],
//!   "doc_refs": [str],
//!   "body":     str,
//!   "attachments": [{"name", "href"}],
//!   "repairs":  [{"rule", "before", "after", "offset"}],
//!   "warnings": [str]
//! }
//! ```
//!
//! * `body` holds the document text only, one paragraph per line, headings as their own lines
//!   with their markers, table rows as tab-separated cells, no trailing newline.
//! * Dates are `YYYY-MM-DD`; `published_at` is `YYYY-MM-DDTHH:MM:00+08:00` (to the minute).
//! * `repairs[].offset` counts characters (Unicode scalar values) into `body` where `after`
//!   starts; a removed line has an empty `after` and the offset where it stood.
//! * Fields a format cannot carry are `null` or empty, never invented.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Version of the record layout; bumped on any change a consumer could notice.
pub const SCHEMA_VERSION: &str = "1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Html,
    Pdf,
    Docx,
    Ofd,
    /// Word 97–2003 binary (`.doc`, and `.wps` saved the same way).
    Doc,
    /// Rich Text Format (often saved under a `.doc` name).
    Rtf,
    /// An MHTML web archive (`.mht`, Word's single file web page), read as the page it holds.
    Mhtml,
    /// An Excel 2007+ workbook (`.xlsx`, `.xlsm`, WPS `.et` saved as OOXML).
    Xlsx,
    /// An Excel 97–2003 workbook (`.xls`, WPS `.et`).
    Xls,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Ofd => "ofd",
            Format::Doc => "doc",
            Format::Rtf => "rtf",
            Format::Mhtml => "mhtml",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
        }
    }
}

/// How the character encoding of a text input was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EncodingSource {
    /// A byte order mark.
    Bom,
    /// A `<meta charset>` or `http-equiv` declaration that the bytes agree with.
    Meta,
    /// Statistical sniffing (no declaration, or one the bytes contradict).
    Sniffed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub path: String,
    pub format: Format,
    pub bytes: u64,
    pub sha256: String,
    pub encoding: Option<String>,
    pub encoding_source: Option<EncodingSource>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    pub index_no: Option<String>,
    pub category: Option<String>,
    pub topic: Option<String>,
    pub publisher: Option<String>,
    pub doc_number: Option<String>,
    pub issued_date: Option<String>,
    pub written_date: Option<String>,
    pub validity: Option<String>,
    pub keywords: Vec<String>,
    pub source: Option<String>,
    pub published_at: Option<String>,
    pub breadcrumb: Vec<String>,
    pub extra: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub level: u8,
    pub marker: String,
    pub heading: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub name: String,
    pub href: String,
}

/// One change a repair rule made to the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repair {
    pub rule: String,
    pub before: String,
    pub after: String,
    /// Characters into `body` (or into `field`) where `after` starts.
    pub offset: usize,
    /// The field the change was made in when it is not `body`: `title`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub source: Source,
    pub title: Option<String>,
    pub metadata: Metadata,
    pub sections: Vec<Section>,
    pub doc_refs: Vec<String>,
    pub body: String,
    pub attachments: Vec<Attachment>,
    pub repairs: Vec<Repair>,
    pub warnings: Vec<String>,
}

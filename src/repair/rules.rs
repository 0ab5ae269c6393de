//! The rules of the repair engine, in the order they run.

use super::Rule;

/// Every rule, in order.
pub static ALL: &[&dyn Rule] = &[];

/// The normalised document numbers cited in `body`, in order of first appearance, no repeats.
pub fn doc_refs(body: &str) -> Vec<String> {
    let _ = body;
    Vec::new()
}

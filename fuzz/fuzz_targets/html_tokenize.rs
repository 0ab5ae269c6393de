//! The byte-level tokenizer against html5ever's on arbitrary text: whenever
//! `gongwen::extract::tokenize::parse` answers, its tree must be the one
//! `scraper::Html::parse_document` builds, node for node (see `tokenize::tree_difference`).
//! Bytes that are not UTF-8 are read lossily, as text reaches the parser only after decoding.
//!
//! `seed.sh` does not know this target yet: seed it from the html target's corpus
//! (`mkdir -p fuzz/corpus/html_tokenize && cp fuzz/corpus/html/* fuzz/corpus/html_tokenize/`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(difference) = gongwen::extract::tokenize::compare_with_html5ever(&text) {
        panic!("the trees differ: {difference}");
    }
});

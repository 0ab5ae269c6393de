//! The whole pipeline on arbitrary bytes taken as an MHTML web archive: see `common.rs` for
//! what is checked.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::convert(gongwen::record::Format::Mhtml, data);
});

//! The whole pipeline on arbitrary bytes taken as an Excel 97–2003 (BIFF) workbook: see `common.rs` for what is
//! checked.
//!
//! The spreadsheet parser panics on damaged records, and gongwen contains those panics (the
//! file fails as `malformed`); libFuzzer's hook aborts on every panic, contained or not, so
//! the hook here lets the parser's own pass. A panic anywhere else still aborts.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: common::abort_on_panics_outside("/calamine-"),
    |data: &[u8]| {
        common::convert(gongwen::record::Format::Xls, data);
    }
);

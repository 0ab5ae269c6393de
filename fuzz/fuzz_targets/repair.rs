//! The repair engine on arbitrary text: see [`common::repair`].

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| common::repair(data));

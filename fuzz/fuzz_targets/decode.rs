//! Charset sniffing and decoding: see [`common::decode`].

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| common::decode(data));

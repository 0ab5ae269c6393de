//! gongwen turns scraped Chinese government information-disclosure files (HTML pages, PDFs,
//! DOCX) into clean, structured JSON Lines.
//!
//! The pipeline, one file at a time: [`discover`] walks the inputs in sorted order and sniffs
//! each file's format from its bytes; [`extract`] turns the bytes into a common
//! [`document::Document`] (HTML decodes its charset through [`decode`] first); [`repair`] runs
//! the ordered, named repair rules over the text and records every change; [`structure`] finds
//! the heading structure; [`metadata`] maps label/value pairs to typed fields; [`pipeline`]
//! assembles the [`record::Record`]; [`output`] writes records in input order, atomically.
//! [`run`] drives a batch; each file is converted in a supervised [`worker`] process (a file
//! that hangs, crashes or eats memory costs that file only) or, with `--in-process`, a thread.

pub mod cli;
pub mod config;
pub mod decode;
pub mod discover;
pub mod document;
pub mod error;
pub mod extract;
pub mod frame;
pub mod metadata;
pub mod output;
pub mod pattern;
pub mod pipeline;
pub mod record;
pub mod repair;
pub mod run;
pub mod state;
pub mod structure;
pub mod worker;

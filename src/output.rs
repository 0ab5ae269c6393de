//! The JSONL writer.

//! Criterion benchmark: docx (to be written with its issue).
fn main() {}

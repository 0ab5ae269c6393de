//! Criterion benchmark: html (to be written with its issue).
fn main() {}

//! Criterion benchmark: pdf (to be written with its issue).
fn main() {}

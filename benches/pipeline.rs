//! Criterion benchmark: pipeline (to be written with its issue).
fn main() {}

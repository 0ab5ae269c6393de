//! Criterion benchmark: repair (to be written with its issue).
fn main() {}

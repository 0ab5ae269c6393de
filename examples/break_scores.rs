//! How much likelier the Han text across a line break reads as one run of words than as two
//! (the measure `paragraph_join` weighs a break with; see `word_spans_break`).
//!
//! Reads `LABEL<TAB>BEFORE<TAB>AFTER` lines (as `scripts/break-pairs.py` writes them) and
//! prints `LABEL<TAB>LOG_RATIO<TAB>BEFORE<TAB>AFTER`:
//!
//! ```text
//! python3 scripts/break-pairs.py ../shared/corpus/gen/dev/expected > /tmp/pairs.tsv
//! cargo run --release --example break_scores < /tmp/pairs.tsv > /tmp/scores.tsv
//! ```
use std::io::{BufRead, Write};

use gongwen::repair::lexicon::split_log_probability as likelihood;

fn main() -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let mut fields = line.split('\t');
        let (Some(label), Some(before), Some(after)) =
            (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let a: Vec<char> = before.chars().collect();
        let b: Vec<char> = after.chars().collect();
        let whole: Vec<char> = a.iter().chain(&b).copied().collect();
        let ratio = likelihood(&whole) - likelihood(&a) - likelihood(&b);
        writeln!(out, "{label}\t{ratio:.3}\t{before}\t{after}")?;
    }
    Ok(())
}

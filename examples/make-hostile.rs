//! Write the torture corpus (`tests/hostile/mod.rs`) into a directory, with a manifest of what
//! gongwen must make of each file.
//!
//! ```sh
//! cargo run --release --example make-hostile -- DIR          # full size: GiB bombs, 200 MB page
//! cargo run --release --example make-hostile -- --small DIR  # the cargo-test sizes
//! ```
//!
//! The files go to `DIR/files/` (convert that directory); `DIR/MANIFEST.tsv` lists
//! `name<TAB>expected<TAB>what`, where expected is `error:KIND`, `warning:TEXT`, `record` or
//! `skipped`.

#[path = "../tests/hostile/mod.rs"]
mod hostile;

use std::io::Write;
use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let mut size = hostile::Size::Full;
    let mut dir = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--small" => size = hostile::Size::Small,
            _ if dir.is_none() => dir = Some(PathBuf::from(arg)),
            _ => {
                eprintln!("usage: make-hostile [--small] DIR");
                std::process::exit(2);
            }
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: make-hostile [--small] DIR");
        std::process::exit(2);
    };
    let files = dir.join("files");
    let paths = hostile::write_corpus(&files, size)?;
    let mut manifest = std::fs::File::create(dir.join("MANIFEST.tsv"))?;
    for (item, path) in hostile::items().iter().zip(&paths) {
        let expect = match item.expect {
            hostile::Expect::Error(kind) => format!("error:{kind}"),
            hostile::Expect::Warning(text) => format!("warning:{text}"),
            hostile::Expect::Record => "record".to_string(),
            hostile::Expect::Skipped => "skipped".to_string(),
        };
        writeln!(manifest, "{}\t{expect}\t{}", item.name, item.what)?;
        let len = std::fs::metadata(path)?.len();
        println!("{:>12}  {:<28} {expect}", len, item.name);
    }
    println!("wrote {} files to {}", paths.len(), files.display());
    Ok(())
}

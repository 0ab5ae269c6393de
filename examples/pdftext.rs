//! Print what the PDF extractor reads from a file: the body blocks joined by `\n`.
//!
//! `cargo run --release --example pdftext -- FILE.pdf [--frame] [--body] [--lines]`: prints the
//! title, the 发文字号 and the body blocks, one per line (`--body`: the blocks only; `--frame`:
//! title, fields and warnings to stderr too; `--lines`: the layout lines with their geometry).

use std::io::Write;
use std::process::ExitCode;

/// Write `text` and a newline to stdout; a closed pipe (`pdftext … | head`) ends quietly.
fn emit(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pdftext: {e}");
            ExitCode::from(1)
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: pdftext FILE.pdf [--frame]");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    if args.iter().any(|a| a == "--lines") {
        let limits = gongwen::config::Limits::default();
        let lines = if path.to_lowercase().ends_with(".ofd") {
            gongwen::extract::ofd::debug_lines(&bytes, &limits)
        } else {
            gongwen::extract::pdf::debug_lines(&bytes, &limits)
        };
        return emit(&lines.join("\n"));
    }
    match gongwen::extract::pdf::extract(&bytes, &gongwen::config::Limits::default()) {
        Ok(doc) => {
            if args.iter().any(|a| a == "--frame") {
                eprintln!("title: {:?}", doc.title);
                eprintln!("fields: {:?}", doc.fields);
                eprintln!("warnings: {:?}", doc.warnings);
            }
            if args.iter().any(|a| a == "--body") {
                let text: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
                return emit(&text.join("\n"));
            }
            match gongwen::extract::pdf::page_text(&bytes, &gongwen::config::Limits::default()) {
                Ok(text) => emit(&text),
                Err(e) => {
                    eprintln!("{path}: error ({}): {e}", e.kind());
                    ExitCode::SUCCESS
                }
            }
        }
        Err(e) => {
            eprintln!("{path}: error ({}): {e}", e.kind());
            ExitCode::from(1)
        }
    }
}

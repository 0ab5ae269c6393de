//! The floor: the least work any converter must do on a corpus, which is to read every byte
//! and inflate every compressed stream (each PDF `FlateDecode` stream, each DOCX zip entry),
//! and nothing else. `scripts/compare-peers.sh` compares gongwen's time with it.
//!
//! `cargo bench --bench floor -- DIR [JOBS]` walks DIR (sorted, as gongwen does), splits the
//! files over JOBS threads (default 2) and prints one line:
//! `floor files=N bytes=B inflated=I seconds=S`.
//!
//! With `--html-tokenize` it also runs html5ever's tokenizer over each HTML file (its bytes
//! read as UTF-8, every token dropped) and prints `floor+tokenize …`: the least an HTML
//! converter that parses with an HTML5 library does, without a tree, decoding or output.

use std::io::Read;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

/// Inflate every `stream … endstream` body of a PDF that zlib accepts; return the bytes out.
fn inflate_pdf(bytes: &[u8], out: &mut Vec<u8>) -> u64 {
    let mut total = 0;
    let mut at = 0;
    while let Some(i) = find(&bytes[at..], b"stream") {
        let mut start = at + i + b"stream".len();
        if bytes[..at + i].ends_with(b"end") {
            at = start;
            continue;
        }
        if bytes.get(start) == Some(&b'\r') {
            start += 1;
        }
        if bytes.get(start) == Some(&b'\n') {
            start += 1;
        }
        let Some(len) = find(&bytes[start..], b"endstream") else {
            break;
        };
        out.clear();
        let mut z = flate2::read::ZlibDecoder::new(&bytes[start..start + len]);
        if z.read_to_end(out).is_ok() || !out.is_empty() {
            total += out.len() as u64;
        }
        at = start + len + b"endstream".len();
    }
    total
}

/// Read every entry of a zip (DOCX) to its end; return the bytes out.
fn inflate_zip(bytes: &[u8], out: &mut Vec<u8>) -> u64 {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return 0;
    };
    let mut total = 0;
    for i in 0..zip.len() {
        if let Ok(mut entry) = zip.by_index(i) {
            out.clear();
            if entry.read_to_end(out).is_ok() {
                total += out.len() as u64;
            }
        }
    }
    total
}

/// Drops every token: tokenizing is the cost measured.
struct Discard;

impl TokenSink for Discard {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        std::hint::black_box(token);
        TokenSinkResult::Continue
    }
}

/// Tokenize an HTML page with html5ever; return the bytes tokenized.
fn tokenize_html(bytes: &[u8]) -> u64 {
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from(String::from_utf8_lossy(bytes).as_ref()));
    let tokenizer = Tokenizer::new(Discard, Default::default());
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    bytes.len() as u64
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn main() {
    let mut args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let tokenize = args.iter().any(|a| a == "--html-tokenize");
    args.retain(|a| a != "--html-tokenize");
    let Some(dir) = args.first() else {
        eprintln!("usage: cargo bench --bench floor -- DIR [JOBS]");
        return;
    };
    let jobs: usize = args.get(1).and_then(|j| j.parse().ok()).unwrap_or(2);
    let started = Instant::now();
    let roots = [PathBuf::from(dir)];
    let paths = Mutex::new(gongwen::discover::walk(&roots).filter_map(Result::ok));
    let totals = Mutex::new((0u64, 0u64, 0u64, 0u64));
    std::thread::scope(|s| {
        for _ in 0..jobs.max(1) {
            s.spawn(|| {
                let (mut buf, mut out) = (Vec::new(), Vec::new());
                let (mut files, mut bytes, mut inflated, mut tokenized) = (0, 0, 0, 0);
                loop {
                    let next = paths.lock().unwrap().next();
                    let Some(input) = next else { break };
                    buf.clear();
                    let Ok(mut f) = std::fs::File::open(&input.path) else {
                        continue;
                    };
                    if f.read_to_end(&mut buf).is_err() {
                        continue;
                    }
                    files += 1;
                    bytes += buf.len() as u64;
                    inflated += if buf.starts_with(b"PK") {
                        inflate_zip(&buf, &mut out)
                    } else if find(&buf[..buf.len().min(1024)], b"%PDF-").is_some() {
                        inflate_pdf(&buf, &mut out)
                    } else {
                        if tokenize {
                            tokenized += tokenize_html(&buf);
                        }
                        0
                    };
                }
                let mut t = totals.lock().unwrap();
                t.0 += files;
                t.1 += bytes;
                t.2 += inflated;
                t.3 += tokenized;
            });
        }
    });
    let (files, bytes, inflated, tokenized) = *totals.lock().unwrap();
    let seconds = started.elapsed().as_secs_f64();
    if tokenize {
        println!(
            "floor+tokenize files={files} bytes={bytes} inflated={inflated} \
             tokenized={tokenized} seconds={seconds:.4}"
        );
    } else {
        println!("floor files={files} bytes={bytes} inflated={inflated} seconds={seconds:.4}");
    }
}

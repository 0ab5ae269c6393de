//! Criterion benchmark: PDF extraction (`extract::pdf::extract`), bytes of PDF per second.
//!
//! Always runs on a multi-page PDF built in memory (Identity-H + ToUnicode CJK text, a
//! table-like layout); also on the dev corpus PDFs when `../shared/corpus/gen/dev/input` is
//! present.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongwen::config::Limits;
use gongwen::extract::pdf::extract;
use lopdf::{Document, Object, Stream, StringFormat, dictionary};

const TO_UNICODE: &[u8] = b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
1 beginbfrange <0001> <0FA0> <4E00> endbfrange\n";

/// A document of `pages` pages of 25 lines of 25 CJK glyphs each.
fn synthetic(pages: usize) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let cid = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "SimSun",
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::String(b"Adobe".to_vec(), StringFormat::Literal),
            "Ordering" => Object::String(b"Identity".to_vec(), StringFormat::Literal),
            "Supplement" => 0,
        },
    });
    let tu = doc.add_object(Stream::new(dictionary! {}, TO_UNICODE.to_vec()));
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "SimSun",
        "Encoding" => "Identity-H", "DescendantFonts" => vec![cid.into()], "ToUnicode" => tu,
    });
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for p in 0..pages {
        let mut content = String::new();
        for line in 0..25 {
            let x = if line % 6 == 0 { 104 } else { 72 };
            content.push_str(&format!("BT /F1 16 Tf {x} {} Td <", 760 - line * 28));
            for g in 0..25 {
                content.push_str(&format!("{:04X}", 1 + (p * 625 + line * 25 + g) % 4000));
            }
            content.push_str("> Tj ET\n");
        }
        let mut stream = Stream::new(dictionary! {}, content.into_bytes());
        stream.compress().expect("compress");
        let content_id = doc.add_object(stream);
        kids.push(
            doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Contents" => content_id,
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
            })
            .into(),
        );
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Count" => pages as i64, "Kids" => kids },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}

fn bench(c: &mut Criterion) {
    let limits = Limits::default();
    let mut group = c.benchmark_group("pdf");
    let doc = synthetic(20);
    group.throughput(Throughput::Bytes(doc.len() as u64));
    group.bench_function("synthetic-20-pages", |b| {
        b.iter(|| extract(&doc, &limits).expect("extracts"))
    });
    if let Ok(dir) = std::fs::read_dir("../shared/corpus/gen/dev/input") {
        let mut files: Vec<Vec<u8>> = dir
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
            .filter_map(|p| std::fs::read(p).ok())
            .collect();
        files.sort();
        let total: usize = files.iter().map(Vec::len).sum();
        group.throughput(Throughput::Bytes(total as u64));
        group.sample_size(10);
        group.bench_function("dev-corpus", |b| {
            b.iter(|| {
                for f in &files {
                    let _ = extract(f, &limits);
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

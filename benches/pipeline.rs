//! Criterion benchmarks: one file end to end (extract → repair → structure → metadata → JSON),
//! per sample file, and the JSONL serialisation of a record alone.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongwen::config::Limits;
use gongwen::discover::{Sniffed, sniff};

fn bench(c: &mut Criterion) {
    let limits = Limits::default();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("samples/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let mut group = c.benchmark_group("end_to_end");
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let Sniffed::Supported(format) = sniff(&bytes) else {
            continue;
        };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(format!("{}/{name}", format.as_str()), |b| {
            b.iter(|| {
                let record =
                    gongwen::pipeline::convert(&name, format, black_box(&bytes), &limits).unwrap();
                serde_json::to_vec(&record).unwrap()
            })
        });
        let record = gongwen::pipeline::convert(&name, format, &bytes, &limits).unwrap();
        let json_len = serde_json::to_vec(&record).unwrap().len();
        group.throughput(Throughput::Bytes(json_len as u64));
        group.bench_function(format!("jsonl_writer/{name}"), |b| {
            b.iter(|| serde_json::to_vec(black_box(&record)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

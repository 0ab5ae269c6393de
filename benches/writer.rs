//! Criterion benchmarks of the JSONL writer (MB/s of JSON through `Throughput::Bytes`): the
//! records of the sample files serialised and written through [`gongwen::output::Sink`] to a
//! plain, a zstd and a gzip file in a temporary directory, committed (synced and renamed) at
//! the end, as a run does.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongwen::config::{Limits, OutputTarget};
use gongwen::discover::{Sniffed, sniff};
use gongwen::output::Sink;

/// Records of every sample file, repeated to make a batch of some size.
fn records() -> Vec<gongwen::record::Record> {
    let limits = Limits::default();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("samples/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let Sniffed::Supported(format) = sniff(&bytes) else {
            continue;
        };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        out.push(gongwen::pipeline::convert(&name, format, &bytes, &limits).unwrap());
    }
    let one = out.clone();
    for _ in 0..24 {
        out.extend(one.iter().cloned());
    }
    out
}

fn bench(c: &mut Criterion) {
    let records = records();
    let json_bytes: usize = records
        .iter()
        .map(|r| serde_json::to_vec(r).unwrap().len() + 1)
        .sum();
    let dir = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("writer");
    group.throughput(Throughput::Bytes(json_bytes as u64));
    for name in ["out.jsonl", "out.jsonl.zst", "out.jsonl.gz"] {
        let target = OutputTarget::File(dir.path().join(name));
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut sink = Sink::open(&target, None).unwrap();
                for r in &records {
                    let line = serde_json::to_vec(black_box(r)).unwrap();
                    sink.write_line(&line).unwrap();
                }
                sink.commit().unwrap();
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Criterion benchmark of structure extraction (heading markers → sections), in MB/s.
//!
//! The input is built in code: a long regulation-and-report-like document whose lines carry
//! every marker family (`第X章`, `第X条`, `一、`, `（一）`, `1.`, `（1）`, `①`) between prose
//! paragraphs and table rows.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongwen::document::BlockKind;
use gongwen::repair::Line;
use gongwen::structure;

const PROSE: &str = "为加强财政专项资金管理，提高资金使用效益，根据有关法律法规，结合本市实际，制定本办法。资金使用单位应当按照规定的用途使用资金，不得截留、挤占、挪用。";

fn document(chapters: usize) -> Vec<Line> {
    let line = |text: String, kind| Line { text, kind };
    let mut lines = Vec::new();
    let mut article = 0;
    for c in 1..=chapters {
        let han = structure::han_numeral(c as u32);
        lines.push(line(format!("第{han}章 总则"), BlockKind::Paragraph));
        for _ in 0..4 {
            article += 1;
            let han = structure::han_numeral(article);
            lines.push(line(format!("第{han}条 {PROSE}"), BlockKind::Paragraph));
            lines.push(line(PROSE.to_string(), BlockKind::Paragraph));
        }
        lines.push(line(format!("{han}、加强用权公开"), BlockKind::Paragraph));
        for (i, m) in ["（一）", "1.", "（1）", "①"].iter().enumerate() {
            lines.push(line(
                format!("{m}落实任务{i}。{PROSE}"),
                BlockKind::Paragraph,
            ));
        }
        lines.push(line("项目\t金额（万元）".into(), BlockKind::TableRow));
        lines.push(line("1.基本建设\t1,000.5".into(), BlockKind::TableRow));
    }
    lines
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("structure");
    for (name, chapters) in [("page_8kb", 3), ("document_1mb", 400)] {
        let lines = document(chapters);
        let bytes: usize = lines.iter().map(|l| l.text.len() + 1).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(name, |b| b.iter(|| structure::sections(black_box(&lines))));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

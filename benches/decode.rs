//! Criterion benchmarks of charset detection and decoding alone (MB/s through
//! `Throughput::Bytes`), on pages built in code so that every path of the policy is timed:
//! a UTF-8 page that declares UTF-8, a GBK page that declares gb2312, a GBK page that claims
//! UTF-8 (the declaration loses and chardetng sniffs), an undeclared GBK page (sniffed), and a
//! UTF-16LE page with a byte order mark.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use encoding_rs::GBK;

const PARAGRAPH: &str = "　　为进一步加强预算管理，提高财政资金使用效益，根据《中华人民共和国预算法》\
和国办发〔2020〕17号文件精神，现将有关事项通知如下，请各单位认真贯彻执行。";

fn page(meta: &str, paragraphs: usize) -> String {
    let mut s = format!(
        "<!DOCTYPE html><html><head>{meta}<title>关于加强预算管理的通知_某某市审计局</title></head>\
         <body><div class=\"TRS_Editor\">"
    );
    for i in 0..paragraphs {
        s.push_str(&format!(
            "<p style=\"text-indent:2em\">{i}{PARAGRAPH}</p>\n"
        ));
    }
    s.push_str("</div></body></html>");
    s
}

fn cases() -> Vec<(&'static str, Vec<u8>)> {
    let gbk = |s: &str| GBK.encode(s).0.into_owned();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in page("", 40).encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    vec![
        (
            "utf8_declared",
            page("<meta charset=\"utf-8\">", 40).into_bytes(),
        ),
        ("gbk_declared", gbk(&page("<meta charset=\"gb2312\">", 40))),
        (
            "gbk_mislabelled_utf8",
            gbk(&page("<meta charset=\"utf-8\">", 40)),
        ),
        ("gbk_undeclared", gbk(&page("", 40))),
        ("utf16le_bom", utf16),
    ]
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode");
    for (name, bytes) in cases() {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| gongwen::decode::decode_markup(black_box(&bytes)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

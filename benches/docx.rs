//! Criterion benchmark: DOCX extraction (zip + streaming XML + numbering + frame), measured in
//! input bytes per second.
//!
//! The default input is built in code: a GB/T 9704-style notice with a masthead, a multilevel
//! chineseCounting list, heading styles and a budget table, about 100 KB of text. Set
//! `GONGWEN_DOCX_BENCH` to a `.docx` path to measure a real file as well. The dev corpus DOCX
//! files (`../shared/corpus/gen/dev/input`, Word-sized `styles.xml` parts) are measured too
//! when present, all of them per iteration, as the PDF benchmark does.
//!
//! Word 97–2003 binary documents (`docx::binary`): the `.doc` sample, and every `.doc` of the
//! directory `GONGWEN_DOC_BENCH` names when set (the dev DOCX files saved as `.doc` by
//! LibreOffice, say; see the README, "Quality"), all of them per iteration.
//!
//! Spreadsheets (`sheet`): the `.xlsx` and `.xls` samples, and the real workbooks of
//! `../shared/corpus/real/other` when present, all of them per iteration.

use std::hint::black_box;
use std::io::{Cursor, Write};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongwen::config::Limits;
use gongwen::extract::{docx, sheet};
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

fn synthetic() -> Vec<u8> {
    let mut body = String::new();
    let center = |t: &str| {
        format!(
            r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:color w:val="FF0000"/></w:rPr><w:t>{t}</w:t></w:r></w:p>"#
        )
    };
    body += &center("某某省财政厅文件");
    body += &center("某财〔2021〕12号");
    body += &center("某某省财政厅关于做好2021年政务公开工作的通知");
    body += "<w:p><w:r><w:t>各市财政局，厅机关各处室：</w:t></w:r></w:p>";
    for i in 0..40 {
        let lvl = [0, 1, 2, 3][i % 4];
        let style = ["Heading1", "Heading2", "Heading3", "Normal"][i % 4];
        body += &format!(
            r#"<w:p><w:pPr><w:pStyle w:val="{style}"/><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/></w:rPr><w:t>标题第{i}项</w:t></w:r></w:p>"#
        );
        for _ in 0..4 {
            body += r#"<w:p><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/></w:rPr><w:t xml:space="preserve">　　按照《国务院办公厅关于印发2021年政务公开工作要点的通知》（国办发〔2021〕12号）要求，</w:t></w:r><w:r><w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/></w:rPr><w:t>进一步加大主动公开力度，围绕重点工作及时准确发布权威信息，提升政策解读质量。</w:t></w:r></w:p>"#;
        }
    }
    body += "<w:tbl>";
    for r in 0..60 {
        body += "<w:tr>";
        for c in 0..5 {
            body += &format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"1800\" w:type=\"dxa\"/></w:tcPr><w:p><w:r><w:t>{r}.{c}万元</w:t></w:r></w:p></w:tc>"
            );
        }
        body += "</w:tr>";
    }
    body += "</w:tbl>";
    body += r#"<w:p><w:pPr><w:jc w:val="right"/></w:pPr><w:r><w:t>某某省财政厅</w:t></w:r></w:p><w:p><w:pPr><w:jc w:val="right"/></w:pPr><w:r><w:t>2021年3月5日</w:t></w:r></w:p>"#;
    let numbering = r#"<w:abstractNum w:abstractNumId="0">
      <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="%1、"/></w:lvl>
      <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="（%2）"/></w:lvl>
      <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:suff w:val="nothing"/><w:lvlText w:val="%3."/></w:lvl>
      <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedParen"/><w:suff w:val="nothing"/><w:lvlText w:val="%4"/></w:lvl>
    </w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#;
    let styles = r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
      <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>"#;
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default();
    let mut put = |name: &str, text: String| {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    };
    put(
        "_rels/.rels",
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string(),
    );
    put(
        "word/document.xml",
        format!("<w:document {W}><w:body>{body}</w:body></w:document>"),
    );
    put(
        "word/numbering.xml",
        format!("<w:numbering {W}>{numbering}</w:numbering>"),
    );
    put(
        "word/styles.xml",
        format!("<w:styles {W}>{styles}</w:styles>"),
    );
    zip.finish().unwrap().into_inner()
}

fn bench(c: &mut Criterion) {
    let limits = Limits::default();
    let mut inputs = vec![("synthetic".to_string(), synthetic())];
    if let Ok(path) = std::env::var("GONGWEN_DOCX_BENCH") {
        let bytes = std::fs::read(&path).expect("GONGWEN_DOCX_BENCH names a readable file");
        inputs.push((path, bytes));
    }
    let mut group = c.benchmark_group("docx");
    for (name, bytes) in &inputs {
        assert!(docx::extract(bytes, &limits).is_ok(), "{name} must convert");
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(name.as_str(), |b| {
            b.iter(|| docx::extract(black_box(bytes), &limits).unwrap())
        });
    }
    let dev = files_in("../shared/corpus/gen/dev/input", &["docx"]);
    bench_all(&mut group, "dev-corpus", &dev, |f| {
        let _ = docx::extract(f, &limits);
    });
    group.finish();

    let mut group = c.benchmark_group("doc");
    let sample = std::fs::read("samples/budget-disclosure-notice.doc").expect("the .doc sample");
    assert!(docx::binary::extract(&sample, &limits).is_ok());
    group.throughput(Throughput::Bytes(sample.len() as u64));
    group.bench_function("sample", |b| {
        b.iter(|| docx::binary::extract(black_box(&sample), &limits).unwrap())
    });
    if let Some(dir) = std::env::var_os("GONGWEN_DOC_BENCH") {
        let files = files_in(dir, &["doc"]);
        bench_all(&mut group, "directory", &files, |f| {
            let _ = docx::binary::extract(f, &limits);
        });
    }
    group.finish();

    let mut group = c.benchmark_group("sheet");
    for (name, extract) in [
        ("xlsx", sheet::extract_xlsx as fn(&[u8], &Limits) -> _),
        ("xls", sheet::extract_xls),
    ] {
        let sample = std::fs::read(format!("samples/department-budget-2026.{name}"))
            .expect("the spreadsheet samples");
        assert!(extract(&sample, &limits).is_ok());
        group.throughput(Throughput::Bytes(sample.len() as u64));
        group.bench_function(format!("sample-{name}"), |b| {
            b.iter(|| extract(black_box(&sample), &limits).unwrap())
        });
    }
    let real = files_in("../shared/corpus/real/other", &["xls", "xlsx"]);
    bench_all(&mut group, "real-workbooks", &real, |f| {
        let _ = if f.starts_with(b"PK") {
            sheet::extract_xlsx(f, &limits)
        } else {
            sheet::extract_xls(f, &limits)
        };
    });
    group.finish();
}

/// The files of `dir` with one of the extensions `ext`, in name order; none when `dir` is
/// missing.
fn files_in(dir: impl AsRef<std::path::Path>, ext: &[&str]) -> Vec<Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| ext.iter().any(|x| e.eq_ignore_ascii_case(x)))
        })
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| std::fs::read(p).ok())
        .collect()
}

/// Measure `convert` over all of `files` per iteration, as `name`, when there are any.
fn bench_all(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    files: &[Vec<u8>],
    convert: impl Fn(&[u8]),
) {
    if files.is_empty() {
        return;
    }
    let total: usize = files.iter().map(Vec::len).sum();
    group.throughput(Throughput::Bytes(total as u64));
    group.sample_size(10);
    group.bench_function(name, |b| {
        b.iter(|| {
            for f in files {
                convert(black_box(f));
            }
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);

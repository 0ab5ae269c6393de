//! Criterion benchmark of the repair engine over a large damaged document, in MB/s.
//!
//! The input is built in code (no corpus needed): about 1 MB of disclosure text carrying
//! every damage the rules undo (half-width punctuation, lost brackets in document numbers,
//! indentation, furniture lines, split paragraphs, lost full stops, a few mojibake lines),
//! mixed with clean paragraphs and table rows, as scraped pages look.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongwen::document::Block;
use gongwen::repair;

const PARAGRAPHS: &[&str] = &[
    "    2020年以来,我厅在省政务公开办的有力指导帮助下,认真贯彻落实国办发202017号、皖政办秘〔202066号工作部署,全面对标年度政务公开考评内容,紧密结合审计工作实际。",
    "\u{3000}\u{3000}按照《关于规范政府信息公开平台有关事项的通知》(国办公开办函2019〕61号)和国办及省政府信息公开专栏建设标准进行政府信息公开栏目优化改造",
    "一、加强用权公开、依法公开权力配置信息",
    ")建立健全舆情收集研判回应机制。建立政务舆情收集、研判、处置和回应机制,明确专人负责网络政务舆情日常监测",
    "时间:2013年6月7日至2013年6月14日,每天上午8:30至12:00,下午14:30至17:30(北京时间,法定节假日除外)",
    "各单位要严格执行领导带班和24小时值班制度,值班人",
    "员要坚守岗位,保持通信畅通,遇有重大突发情况要按规定及时报告,不得迟报、漏报、瞒报",
    "打印 字号:大 中 小",
    "网址:https://www.gov.cn/zhengce/content/2020-12/28/content_5573.htm,电子邮件:jytbgs@126.com",
    "全年按时办理省政府热线12345留言办理1件、审计在线咨询11件、政民互动留言答复14件。",
    "围绕做好\"六稳\"\"六保\"工作,进一步加大审计相关政策文件制定...",
    "åŠ å¼ºæ”¿åŠ¡å…¬å¼€å·¥ä½œ",
    "鍔犲己鏀垮姟鍏紑宸ヤ綔銆",
    "安徽省审计厅",
    "2021年3月5日",
];

const ROWS: &[&[&str]] = &[
    &[
        "项目",
        "2025年预算数",
        "2024年预算数",
        "增减额",
        "增减率(%)",
    ],
    &[
        "一般公共预算拨款收入",
        "6031.97",
        "5150.96",
        "881.01",
        "17.1",
    ],
];

fn document(target_bytes: usize) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut bytes = 0;
    let mut i = 0usize;
    while bytes < target_bytes {
        let b = if i % 17 == 16 {
            let row: Vec<String> = ROWS[i % ROWS.len()].iter().map(|s| s.to_string()).collect();
            Block::table_row(&row)
        } else {
            Block::paragraph(PARAGRAPHS[i % PARAGRAPHS.len()])
        };
        bytes += b.text.len() + 1;
        blocks.push(b);
        i += 1;
    }
    blocks
}

fn bench(c: &mut Criterion) {
    let doc = document(1 << 20);
    let bytes: usize = doc.iter().map(|b| b.text.len() + 1).sum();
    let mut group = c.benchmark_group("repair");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("engine_1mb", |b| {
        b.iter_batched(
            || doc.clone(),
            |blocks| black_box(repair::repair(blocks)),
            criterion::BatchSize::LargeInput,
        )
    });
    // A typical page: 8 KB.
    let page = document(8 << 10);
    let page_bytes: usize = page.iter().map(|b| b.text.len() + 1).sum();
    group.throughput(Throughput::Bytes(page_bytes as u64));
    group.bench_function("engine_8kb_page", |b| {
        b.iter_batched(
            || page.clone(),
            |blocks| black_box(repair::repair(blocks)),
            criterion::BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

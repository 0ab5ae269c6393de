//! OFD extraction on packages built in code: the page's text objects laid out by the PDF layout
//! stage (title by type size, 发文字号, paragraphs), glyph offsets with `g` repetitions, a
//! rule under the masthead, and broken packages failing with a stable kind.

use std::io::{Cursor, Write};

use gongwen::config::Limits;
use gongwen::extract::ofd;
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

const NS: &str = r#"xmlns:ofd="http://www.ofdspec.org/2016""#;

/// A package of `parts` (name, content).
fn package(parts: &[(&str, String)]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in parts {
        zip.start_file(*name, SimpleFileOptions::default()).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A text object at (x, y) mm (its top left), `size` mm, every glyph `advance` mm apart.
fn text(x: f32, y: f32, size: f32, advance: f32, text: &str) -> String {
    let n = text.chars().count();
    format!(
        r#"<ofd:TextObject ID="1" Font="1" Size="{size}" Boundary="{x} {y} 170 {h}"><ofd:TextCode X="0" Y="{size}" DeltaX="g {gaps} {advance}">{text}</ofd:TextCode></ofd:TextObject>"#,
        h = size * 1.2,
        gaps = n.saturating_sub(1),
    )
}

/// An OFD file of one A4 page holding `content` (text and path objects).
fn ofd_file(content: &str, title: Option<&str>) -> Vec<u8> {
    let info = title.map_or(String::new(), |t| format!("<ofd:Title>{t}</ofd:Title>"));
    package(&[
        (
            "OFD.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {NS} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID>{info}</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#
            ),
        ),
        (
            "Doc_0/Document.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Document {NS}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages><ofd:Page ID="2" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>"#
            ),
        ),
        (
            "Doc_0/Pages/Page_0/Content.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Page {NS}><ofd:Content><ofd:Layer ID="3">{content}</ofd:Layer></ofd:Content></ofd:Page>"#
            ),
        ),
    ])
}

#[test]
fn an_official_letter_reads_its_frame_and_paragraphs() {
    let body = "根据有关规定，现将有关事项通知如下，请认真贯彻执行。";
    let content = [
        text(40.0, 37.0, 14.7, 12.4, "测试市卫生局文件"),
        text(81.0, 73.6, 5.6, 5.6, "测卫发〔2011〕76号"),
        r#"<ofd:PathObject ID="9" Boundary="28 83.5 156 1"><ofd:AbbreviatedData>S 0 0 L 156 0 C</ofd:AbbreviatedData></ofd:PathObject>"#.to_string(),
        text(52.0, 105.0, 7.7, 7.7, "关于同意张三同志辞职的批复"),
        text(28.0, 129.0, 5.6, 5.6, "区中医院："),
        text(39.0, 139.0, 5.6, 5.6, body),
    ]
    .concat();
    let doc = ofd::extract(&ofd_file(&content, None), &Limits::default()).expect("extracts");
    assert_eq!(doc.title.as_deref(), Some("关于同意张三同志辞职的批复"));
    assert!(
        doc.fields
            .iter()
            .any(|(k, v)| k == "发文字号" && v == "测卫发〔2011〕76号"),
        "{:?}",
        doc.fields
    );
    let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(texts, ["区中医院：", body]);
}

#[test]
fn the_document_title_is_the_fallback_and_glyph_offsets_place_words() {
    // Two words on one baseline, far apart: two cells of a row, read left to right although
    // the right one comes first in the XML.
    let content = [
        text(120.0, 50.0, 5.0, 5.0, "联系电话"),
        text(30.0, 50.0, 5.0, 5.0, "申请单位"),
    ]
    .concat();
    let doc = ofd::extract(
        &ofd_file(&content, Some("申请表 &amp; 说明")),
        &Limits::default(),
    )
    .expect("extracts");
    assert_eq!(doc.title.as_deref(), Some("申请表 & 说明"));
    let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(texts, ["申请单位\t联系电话"]);
}

#[test]
fn broken_packages_fail_with_a_stable_kind() {
    let limits = Limits::default();
    // No document root named.
    let no_root = package(&[(
        "OFD.xml",
        format!("<ofd:OFD {NS}><ofd:DocBody></ofd:DocBody></ofd:OFD>"),
    )]);
    assert_eq!(
        ofd::extract(&no_root, &limits).unwrap_err().kind(),
        "malformed"
    );
    // Not a zip at all.
    assert_eq!(
        ofd::extract(b"OFD.xml but no zip", &limits)
            .unwrap_err()
            .kind(),
        "malformed"
    );
    // A page part that is missing is a warning, not a failure.
    let missing_page = package(&[
        (
            "OFD.xml",
            format!(
                "<ofd:OFD {NS}><ofd:DocBody><ofd:DocRoot>/Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
            ),
        ),
        (
            "Doc_0/Document.xml",
            format!(
                r#"<ofd:Document {NS}><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>"#
            ),
        ),
    ]);
    let doc = ofd::extract(&missing_page, &limits).expect("a record with warnings");
    assert!(
        doc.warnings.iter().any(|w| w.contains("missing")),
        "{:?}",
        doc.warnings
    );
    assert!(doc.warnings.iter().any(|w| w == "no text layer"));
}

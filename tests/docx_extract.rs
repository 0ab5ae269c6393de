//! DOCX extraction on packages built in code: automatic numbering (chineseCounting `%1、`,
//! `（%2）`, restarts, style-linked lists), headings, tables, tracked changes, fields, notes,
//! the official-document frame, properties, and the safety limits.

use std::io::{Cursor, Write};

use gongwen::config::Limits;
use gongwen::document::{Block, BlockKind, Document};
use gongwen::extract::docx::{self, DocxError};
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

/// A package with `body` as the content of `w:body` and optional styles, numbering, footnotes
/// and core properties.
struct Package<'a> {
    body: &'a str,
    styles: Option<&'a str>,
    numbering: Option<&'a str>,
    footnotes: Option<&'a str>,
    core: Option<&'a str>,
}

impl<'a> Package<'a> {
    fn new(body: &'a str) -> Self {
        Package {
            body,
            styles: None,
            numbering: None,
            footnotes: None,
            core: None,
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default();
        let mut put = |name: &str, text: &str| {
            zip.start_file(name, opts).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        };
        put(
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#,
        );
        put(
            "_rels/.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#,
        );
        put(
            "word/document.xml",
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{}</w:body></w:document>"#,
                self.body
            ),
        );
        if let Some(s) = self.styles {
            put("word/styles.xml", &format!("<w:styles {W}>{s}</w:styles>"));
        }
        if let Some(n) = self.numbering {
            put(
                "word/numbering.xml",
                &format!("<w:numbering {W}>{n}</w:numbering>"),
            );
        }
        if let Some(f) = self.footnotes {
            put(
                "word/footnotes.xml",
                &format!("<w:footnotes {W}>{f}</w:footnotes>"),
            );
        }
        if let Some(c) = self.core {
            put(
                "docProps/core.xml",
                &format!(
                    r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">{c}</cp:coreProperties>"#
                ),
            );
        }
        zip.finish().unwrap().into_inner()
    }

    fn extract(&self) -> Document {
        docx::extract(&self.bytes(), &Limits::default()).unwrap()
    }
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

fn numbered(num: u32, ilvl: u8, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
    )
}

fn texts(doc: &Document) -> Vec<&str> {
    doc.blocks.iter().map(|b| b.text.as_str()).collect()
}

const GONGWEN_LIST: &str = r#"
  <w:abstractNum w:abstractNumId="0">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="%1、"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="（%2）"/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:suff w:val="nothing"/><w:lvlText w:val="%3."/></w:lvl>
    <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedParen"/><w:suff w:val="nothing"/><w:lvlText w:val="%4"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>"#;

#[test]
fn chinese_counting_list_renders_markers_as_word_shows_them() {
    let body = [
        numbered(1, 0, "总体要求"),
        numbered(1, 1, "加强审核"),
        numbered(1, 2, "明确责任。"),
        numbered(1, 3, "第一项"),
        numbered(1, 3, "第二项"),
        numbered(1, 1, "规范流程"),
        numbered(1, 0, "工作安排"),
        numbered(1, 1, "第一阶段"),
    ]
    .concat();
    let doc = Package {
        numbering: Some(GONGWEN_LIST),
        ..Package::new(&body)
    }
    .extract();
    assert_eq!(
        texts(&doc),
        [
            "一、总体要求",
            "（一）加强审核",
            "1.明确责任。",
            "⑴第一项",
            "⑵第二项",
            "（二）规范流程",
            "二、工作安排",
            "（一）第一阶段"
        ]
    );
}

#[test]
fn start_override_restarts_a_list_and_plain_nums_continue() {
    let body = [
        numbered(1, 0, "甲"),
        numbered(1, 0, "乙"),
        numbered(2, 0, "新列表"),
        numbered(2, 0, "新列表二"),
    ]
    .concat();
    let doc = Package {
        numbering: Some(GONGWEN_LIST),
        ..Package::new(&body)
    }
    .extract();
    assert_eq!(
        texts(&doc),
        ["一、甲", "二、乙", "一、新列表", "二、新列表二"]
    );
}

#[test]
fn style_linked_list_numbers_heading_styled_paragraphs() {
    let styles = r#"
      <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
      <w:style w:type="paragraph" w:styleId="1"><w:name w:val="标题 1"/><w:basedOn w:val="Normal"/>
        <w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/>
        <w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="Chapter"><w:name w:val="Chapter"/><w:basedOn w:val="1"/></w:style>"#;
    let body = r#"<w:p><w:pPr><w:pStyle w:val="1"/></w:pPr><w:r><w:t>总则</w:t></w:r></w:p>
        <w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>目的</w:t></w:r></w:p>
        <w:p><w:r><w:t>正文。</w:t></w:r></w:p>
        <w:p><w:pPr><w:pStyle w:val="Chapter"/></w:pPr><w:r><w:t>附则</w:t></w:r></w:p>"#;
    let doc = Package {
        styles: Some(styles),
        numbering: Some(GONGWEN_LIST),
        ..Package::new(body)
    }
    .extract();
    assert_eq!(
        doc.blocks,
        [
            Block {
                text: "一、总则".into(),
                kind: BlockKind::Heading { level: Some(1) }
            },
            Block {
                text: "（一）目的".into(),
                kind: BlockKind::Heading { level: Some(2) }
            },
            Block::paragraph("正文。"),
            Block {
                text: "二、附则".into(),
                kind: BlockKind::Heading { level: Some(1) }
            },
        ]
    );
}

#[test]
fn styles_and_lists_named_only_far_into_a_long_part_are_read() {
    // The main part is searched for named styles and lists at its start only; a part that
    // names its first ones past that (here after 300 KB of table) is read again with them.
    // The heading style comes after 64 KB of other styles: past what is inflated of
    // `styles.xml` for a part that names no style.
    let other: String = (0..1000)
        .map(|i| {
            format!(
                r#"<w:style w:type="character" w:styleId="c{i}"><w:name w:val="c{i}"/></w:style>"#
            )
        })
        .collect();
    let styles = format!(
        r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>{other}
      <w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/>
        <w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>"#
    );
    assert!(styles.len() > 64 << 10);
    let row =
        "<w:tr><w:tc><w:p><w:r><w:t>2019年1月5日上午 9:00-11:30</w:t></w:r></w:p></w:tc></w:tr>";
    let table = format!("<w:tbl>{}</w:tbl>", row.repeat(4000));
    assert!(table.len() > 300 << 10);
    let read = |tail: &str| {
        let body = format!("{table}{}{tail}", p("说明如下。"));
        Package {
            styles: Some(&styles),
            numbering: Some(GONGWEN_LIST),
            ..Package::new(&body)
        }
        .extract()
    };
    let doc = read(
        &[
            r#"<w:p><w:pPr><w:pStyle w:val="1"/></w:pPr><w:r><w:t>经费保障</w:t></w:r></w:p>"#
                .to_string(),
            p("本办法自发布之日起施行。"),
        ]
        .concat(),
    );
    let last = &doc.blocks[doc.blocks.len() - 2..];
    assert_eq!(
        last[0],
        Block {
            text: "经费保障".into(),
            kind: BlockKind::Heading { level: Some(2) }
        }
    );
    let doc = read(&[numbered(1, 0, "总体要求"), numbered(1, 0, "工作安排")].concat());
    assert_eq!(
        texts(&doc)[texts(&doc).len() - 2..],
        ["一、总体要求", "二、工作安排"]
    );
}

#[test]
fn articles_with_space_suffix_continue_across_chapters() {
    let numbering = r#"
      <w:abstractNum w:abstractNumId="5"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="space"/><w:lvlText w:val="第%1章"/></w:lvl></w:abstractNum>
      <w:abstractNum w:abstractNumId="6"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="space"/><w:lvlText w:val="第%1条"/></w:lvl></w:abstractNum>
      <w:num w:numId="5"><w:abstractNumId w:val="5"/></w:num>
      <w:num w:numId="6"><w:abstractNumId w:val="6"/></w:num>"#;
    let body = [
        numbered(5, 0, "总则"),
        numbered(6, 0, "为了规范。"),
        numbered(6, 0, "本办法适用于全省。"),
        numbered(5, 0, "附则"),
        numbered(6, 0, "本办法自发布之日起施行。"),
    ]
    .concat();
    let doc = Package {
        numbering: Some(numbering),
        ..Package::new(&body)
    }
    .extract();
    assert_eq!(
        texts(&doc),
        [
            "第一章 总则",
            "第一条 为了规范。",
            "第二条 本办法适用于全省。",
            "第二章 附则",
            "第三条 本办法自发布之日起施行。"
        ]
    );
}

#[test]
fn table_rows_are_tab_separated_with_merged_cells_once() {
    let cell = |t: &str| format!("<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>");
    let merged_start = r#"<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>办公室</w:t></w:r></w:p></w:tc>"#;
    let merged_cont = r#"<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"#;
    let nested = format!(
        "<w:tc><w:tbl><w:tr>{}{}</w:tr></w:tbl><w:p/></w:tc>",
        cell("内表甲"),
        cell("内表乙")
    );
    let body = format!(
        "{}<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>{}",
        p("表前。"),
        cell("事项"),
        cell("责任部门"),
        cell("材料汇总"),
        merged_start,
        cell("格式检查"),
        merged_cont,
        p("表后。"),
    ) + &format!("<w:tbl><w:tr>{}{}</w:tr></w:tbl>", cell("外表"), nested);
    let doc = Package::new(&body).extract();
    assert_eq!(
        texts(&doc),
        [
            "表前。",
            "事项\t责任部门",
            "材料汇总\t办公室",
            "格式检查\t",
            "表后。",
            "外表\t内表甲 内表乙"
        ]
    );
    assert_eq!(doc.blocks[1].kind, BlockKind::TableRow);
}

#[test]
fn tracked_insertions_are_kept_and_deletions_dropped() {
    let body = r#"<w:p><w:r><w:t>保留</w:t></w:r><w:ins w:id="1" w:author="a"><w:r><w:t>插入</w:t></w:r></w:ins><w:del w:id="2" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del><w:r><w:t>文字</w:t></w:r></w:p>
      <w:p><w:pPr><w:pPrChange w:id="3"><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr></w:pPrChange></w:pPr><w:r><w:t>原编号已撤销</w:t></w:r></w:p>
      <w:p><w:moveFrom><w:r><w:t>移走</w:t></w:r></w:moveFrom><w:moveTo><w:r><w:t>移入</w:t></w:r></w:moveTo></w:p>"#;
    let doc = Package {
        numbering: Some(GONGWEN_LIST),
        ..Package::new(body)
    }
    .extract();
    assert_eq!(texts(&doc), ["保留插入文字", "原编号已撤销", "移入"]);
}

#[test]
fn fields_show_their_result_and_alternate_content_one_branch() {
    let body = r#"<w:p><w:r><w:t xml:space="preserve">日期：</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DATE \@ "yyyy年M月d日" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2021年3月5日</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
      <w:p><w:fldSimple w:instr=" AUTHOR "><w:r><w:t>办公室</w:t></w:r></w:fldSimple><w:hyperlink r:id="rId9"><w:r><w:t>链接</w:t></w:r></w:hyperlink></w:p>
      <w:p><w:r><w:t>前</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>后</w:t></w:r></w:p>
      <w:p><w:sdt><w:sdtPr><w:alias w:val="x"/></w:sdtPr><w:sdtContent><w:r><w:t>控件</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:t>A&amp;B</w:t><w:tab/><w:t>C</w:t></w:r></w:sdtContent></w:sdt></w:p>"#;
    let doc = Package::new(body).extract();
    assert_eq!(
        texts(&doc),
        [
            "日期：2021年3月5日",
            "办公室链接",
            "框内",
            "前后",
            "控件A&B C"
        ]
    );
}

#[test]
fn footnotes_follow_the_body_with_their_labels() {
    let body = r#"<w:p><w:r><w:t>正文</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r></w:p>"#;
    let footnotes = r#"<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
      <w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> 注释文字。</w:t></w:r></w:p></w:footnote>"#;
    let doc = Package {
        footnotes: Some(footnotes),
        ..Package::new(body)
    }
    .extract();
    assert_eq!(texts(&doc), ["正文[1]", "[1] 注释文字。"]);
}

#[test]
fn official_frame_gives_title_number_publisher_and_date() {
    let center = |t: &str| {
        format!(r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>"#)
    };
    let right = |t: &str| {
        format!(r#"<w:p><w:pPr><w:jc w:val="right"/></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>"#)
    };
    let body = [
        center("成都市财政局文件"),
        "<w:p/>".to_string(),
        center("成财〔2014〕33号"),
        "<w:p/>".to_string(),
        center("成都市财政局关于开展规范性文件"),
        center("清理工作的通知"),
        "<w:p/>".to_string(),
        p("各区（市）县财政局："),
        p("　　现将有关事项通知如下。"),
        right("成都市财政局"),
        right("2014年7月14日"),
    ]
    .concat();
    let doc = Package {
        core: Some("<dc:title>成都市财政局关于开展规范性文件清理工作的通知</dc:title><dc:creator>成都市财政局</dc:creator><cp:keywords>清理</cp:keywords>"),
        ..Package::new(&body)
    }
    .extract();
    assert_eq!(
        doc.title.as_deref(),
        Some("成都市财政局关于开展规范性文件清理工作的通知")
    );
    assert_eq!(
        texts(&doc),
        [
            "各区（市）县财政局：",
            "现将有关事项通知如下。",
            "成都市财政局",
            "2014年7月14日"
        ]
    );
    let field = |name: &str| {
        doc.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(field("发文字号"), Some("成财〔2014〕33号"));
    assert_eq!(field("成文日期"), Some("2014年7月14日"));
    assert_eq!(field("发布机构"), Some("成都市财政局"));
    assert_eq!(doc.metadata.publisher.as_deref(), Some("成都市财政局"));
    assert_eq!(
        doc.metadata.extra.get("keywords").map(String::as_str),
        Some("清理")
    );
}

#[test]
fn a_title_set_in_display_type_is_read_though_not_centred() {
    // Bold paragraphs, each of a size of its own (half-points).
    let sized = |lines: &[(u16, &str)]| {
        let body: String = lines
            .iter()
            .map(|(size, t)| {
                format!(
                    r#"<w:p><w:r><w:rPr><w:b/><w:sz w:val="{size}"/></w:rPr><w:t>{t}</w:t></w:r></w:p>"#
                )
            })
            .collect();
        Package::new(&body).extract()
    };
    // A run's own size: 26 pt over a body in 11 pt, left-aligned.
    let doc = sized(&[
        (52, "测试文档"),
        (22, "删除页眉、页脚、脚注、页码等元素，确保语义连贯。"),
        (22, "输出符合人类阅读顺序的文本。"),
    ]);
    assert_eq!(doc.title.as_deref(), Some("测试文档"));
    assert_eq!(texts(&doc).len(), 2);

    // A heading style's size (22 pt) over the defaults' 10.5 pt, under an attachment label.
    let styles = r#"<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="21"/></w:rPr></w:rPrDefault></w:docDefaults>
      <w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
      <w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/>
        <w:pPr><w:outlineLvl w:val="0"/><w:rPr><w:sz w:val="18"/></w:rPr></w:pPr><w:rPr><w:b/><w:sz w:val="44"/></w:rPr></w:style>"#;
    let body = [
        p("附件2"),
        r#"<w:p><w:pPr><w:pStyle w:val="1"/></w:pPr><w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t>2019年考试时间安排表</w:t></w:r></w:p>"#.to_string(),
        p("说明：专业名称前标注“★”为停考专业，不再接受新生报名。"),
    ]
    .concat();
    let doc = Package {
        styles: Some(styles),
        ..Package::new(&body)
    }
    .extract();
    assert_eq!(doc.title.as_deref(), Some("2019年考试时间安排表"));

    // Body-sized lines, and a larger issuer's name (a masthead, not a title), are no title.
    let doc = sized(&[
        (44, "XX市人民政府"),
        (32, "关于做好有关工作的说明"),
        (32, "现将有关事项说明如下。"),
    ]);
    assert_eq!(doc.title, None);
    assert_eq!(texts(&doc)[0], "XX市人民政府");
}

#[test]
fn a_letterhead_is_told_from_the_body_by_the_default_style_size() {
    // The 通知 form: a letterhead in 57 pt over a centred 22 pt title; the body's runs set no
    // size and no paragraph names a style, so the body is in the default paragraph style's
    // 16 pt, which only `styles.xml` says.
    let styles = r#"<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/>
        <w:rPr><w:sz w:val="32"/></w:rPr></w:style>"#;
    let body = [
        r#"<w:p><w:pPr><w:jc w:val="distribute"/></w:pPr><w:r><w:rPr><w:color w:val="FF0000"/><w:sz w:val="114"/></w:rPr><w:t>XX市人民政府</w:t></w:r></w:p>"#,
        r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:sz w:val="44"/></w:rPr><w:t>关于做好春节期间安全生产工作的通知</w:t></w:r></w:p>"#,
        &p("各有关单位："),
        &p("为做好春节期间安全生产工作，现将有关事项通知如下。"),
    ]
    .concat();
    let read = |styles: &str| {
        Package {
            styles: Some(styles),
            ..Package::new(&body)
        }
        .extract()
    };
    let doc = read(styles);
    assert_eq!(
        doc.title.as_deref(),
        Some("关于做好春节期间安全生产工作的通知")
    );
    assert_eq!(texts(&doc)[0], "各有关单位：");

    // Only the start of `styles.xml` is inflated, as far as the default paragraph style,
    // however far in it comes; with none, the document defaults' size is read from the whole.
    let latent: String = (0..2000)
        .map(|i| format!(r#"<w:lsdException w:name="Style {i}" w:uiPriority="99"/>"#))
        .collect();
    let far = format!(
        r#"<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="21"/></w:rPr></w:rPrDefault></w:docDefaults>
        <w:latentStyles>{latent}</w:latentStyles>{styles}"#
    );
    assert!(far.len() > 64 << 10);
    assert_eq!(
        read(&far).title.as_deref(),
        Some("关于做好春节期间安全生产工作的通知")
    );
    let no_default = format!(
        r#"<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="32"/></w:rPr></w:rPrDefault></w:docDefaults>
        <w:latentStyles>{latent}</w:latentStyles>"#
    );
    assert_eq!(
        read(&no_default).title.as_deref(),
        Some("关于做好春节期间安全生产工作的通知")
    );
    // A default style based on one further on is read with it: here the body is in the
    // base's 28 pt, so the 22 pt line is no title and the 57 pt name no letterhead.
    let based_later = format!(
        r#"<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="21"/></w:rPr></w:rPrDefault></w:docDefaults>
        <w:latentStyles>{latent}</w:latentStyles>
        <w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/><w:basedOn w:val="Base"/></w:style>
        <w:latentStyles>{latent}</w:latentStyles>
        <w:style w:type="paragraph" w:styleId="Base"><w:name w:val="Base"/><w:rPr><w:sz w:val="56"/></w:rPr></w:style>"#
    );
    let doc = read(&based_later);
    assert_eq!(doc.title, None);
    assert_eq!(texts(&doc)[0], "XX市人民政府");
}

#[test]
fn a_damaged_styles_part_costs_its_styles_only() {
    let body = [
        r#"<w:p><w:r><w:rPr><w:sz w:val="114"/></w:rPr><w:t>XX市人民政府</w:t></w:r></w:p>"#,
        r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:sz w:val="44"/></w:rPr><w:t>关于做好春节期间安全生产工作的通知</w:t></w:r></w:p>"#,
        &p("为做好春节期间安全生产工作，现将有关事项通知如下。"),
    ]
    .concat();
    let mut bytes = Package {
        styles: Some(r#"<w:style w:type="paragraph" w:default="1" w:styleId="a"/>"#),
        ..Package::new(&body)
    }
    .bytes();
    // A wrong checksum for `word/styles.xml`, in its local header and in the directory.
    let name = b"word/styles.xml";
    let mut damaged = 0;
    for (signature, crc_at) in [(b"PK\x03\x04", 14), (b"PK\x01\x02", 16)] {
        let header = (0..bytes.len() - 46)
            .find(|&i| {
                bytes[i..].starts_with(signature) && {
                    let name_at = if crc_at == 14 { i + 30 } else { i + 46 };
                    bytes[name_at..].starts_with(name)
                }
            })
            .expect("the styles entry");
        bytes[header + crc_at] ^= 0xFF;
        damaged += 1;
    }
    assert_eq!(damaged, 2);
    let doc = docx::extract(&bytes, &Limits::default()).expect("a record");
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.contains("styles.xml ignored")),
        "{:?}",
        doc.warnings
    );
    assert!(texts(&doc).iter().any(|t| t.contains("现将有关事项")));
}

#[test]
fn a_line_under_a_centred_title_joins_it_only_centred() {
    let para = |size: u16, centred: bool, t: &str| {
        let jc = if centred {
            r#"<w:pPr><w:jc w:val="center"/></w:pPr>"#
        } else {
            ""
        };
        format!(r#"<w:p>{jc}<w:r><w:rPr><w:sz w:val="{size}"/></w:rPr><w:t>{t}</w:t></w:r></w:p>"#)
    };
    let row = |t: &str| {
        format!(
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:rPr><w:sz w:val="21"/></w:rPr><w:t>{t}</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:rPr><w:sz w:val="21"/></w:rPr><w:t>{t}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#
        )
    };
    // A heading in larger type than the text, under a centred title.
    let body = [
        para(44, true, "2024年度科技项目申报指南"),
        para(32, false, "申报条件"),
        para(
            24,
            false,
            "申报单位应当具备独立法人资格，具有较强的研发能力。",
        ),
    ]
    .concat();
    let doc = Package::new(&body).extract();
    assert_eq!(doc.title.as_deref(), Some("2024年度科技项目申报指南"));
    assert_eq!(texts(&doc)[0], "申报条件");
    // The text's own size over a list of names in a table's small type.
    let mut body = vec![
        para(44, true, "关于拟任干部人选的公示"),
        para(32, false, "拟任人选名单"),
    ];
    body.extend((0..12).map(|_| row("张三，男，1980年出生，大学学历，现任某局办公室主任")));
    let doc = Package::new(&body.concat()).extract();
    assert_eq!(doc.title.as_deref(), Some("关于拟任干部人选的公示"));
    assert_eq!(texts(&doc)[0], "拟任人选名单");
}

#[test]
fn legacy_ole_documents_are_unsupported() {
    let mut ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    ole.resize(2048, 0);
    let err = docx::extract(&ole, &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), "unsupported");
    let mut encrypted = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    let err = docx::extract(&encrypted, &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), "encrypted");
    let err = docx::extract(b"hello", &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), "malformed");
}

#[test]
fn a_zip_bomb_stops_at_the_bound_whatever_it_declares() {
    // 8 MiB of spaces deflates to ~8 KiB: a ratio of ~1000:1. Reading stops at the bound.
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file(
        "word/document.xml",
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated),
    )
    .unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..8 {
        zip.write_all(&zeros).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    let err = docx::extract(&bytes, &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), "limit");
    assert!(matches!(err, DocxError::Ratio { .. }), "{err:?}");
    let small = Limits {
        max_stream_bytes: 1 << 20,
        max_zip_ratio: 100_000,
        ..Limits::default()
    };
    let err = docx::extract(&bytes, &small).unwrap_err();
    assert!(matches!(err, DocxError::StreamTooLarge { .. }), "{err:?}");
}

#[test]
fn deep_xml_is_a_limit_error() {
    let body = "<w:sdt><w:sdtContent>".repeat(300) + &"</w:sdtContent></w:sdt>".repeat(300);
    let err = docx::extract(&Package::new(&body).bytes(), &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), "limit");
}

#[test]
fn too_many_entries_is_a_limit_error() {
    let bytes = Package::new(&p("x")).bytes();
    let limits = Limits {
        max_zip_entries: 2,
        ..Limits::default()
    };
    let err = docx::extract(&bytes, &limits).unwrap_err();
    assert!(
        matches!(
            err,
            DocxError::TooManyEntries {
                entries: 3,
                limit: 2
            }
        ),
        "{err:?}"
    );
}

#[test]
fn damaged_packages_never_panic() {
    let body = [
        numbered(1, 0, "总体要求"),
        numbered(1, 1, "加强审核"),
        p("正文&amp;内容"),
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc></w:tr></w:tbl>".to_string(),
    ]
    .concat();
    let bytes = Package {
        numbering: Some(GONGWEN_LIST),
        core: Some("<dc:title>标题</dc:title>"),
        ..Package::new(&body)
    }
    .bytes();
    let limits = Limits::default();
    for cut in (0..bytes.len()).step_by(7) {
        let _ = docx::extract(&bytes[..cut], &limits);
    }
    for at in (0..bytes.len()).step_by(5) {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0x5A;
        if let Ok(doc) = docx::extract(&damaged, &limits) {
            assert!(doc.blocks.iter().all(|b| !b.text.contains('\u{0}')));
        }
    }
}

#[test]
fn legacy_horizontal_merge_is_one_cell() {
    let body = r#"<w:tbl><w:tr>
      <w:tc><w:tcPr><w:hMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>合并</w:t></w:r></w:p></w:tc>
      <w:tc><w:tcPr><w:hMerge/></w:tcPr><w:p/></w:tc>
      <w:tc><w:p><w:r><w:t>右</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
    assert_eq!(texts(&Package::new(body).extract()), ["合并\t右"]);
}

#[test]
fn content_control_placeholders_are_prompts_not_text() {
    let body = r#"<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>单击此处输入文字。</w:t></w:r></w:p></w:sdtContent></w:sdt>
      <w:p><w:sdt><w:sdtPr><w:alias w:val="单位"/></w:sdtPr><w:sdtContent><w:r><w:t>办公室</w:t></w:r></w:sdtContent></w:sdt></w:p>"#;
    assert_eq!(texts(&Package::new(body).extract()), ["办公室"]);
}

#[test]
fn vml_wordart_masthead_is_recognised_and_left_out() {
    let body = r#"<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textpath string="某某市财政局文件"/></v:shape></w:pict></w:r></w:p>
      <w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>某财〔2021〕3号</w:t></w:r></w:p>
      <w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>关于某事的通知</w:t></w:r></w:p>
      <w:p><w:r><w:t>各单位：</w:t></w:r></w:p>"#;
    let doc = Package::new(body).extract();
    assert_eq!(texts(&doc), ["各单位："]);
    assert_eq!(doc.title.as_deref(), Some("关于某事的通知"));
    assert_eq!(doc.metadata.publisher.as_deref(), Some("某某市财政局"));
}

#[test]
fn utf16_parts_and_missing_package_relationships_are_read() {
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-16"?><w:document {W}><w:body><w:p><w:r><w:t>宽字符正文</w:t></w:r></w:p></w:body></w:document>"#
    );
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(xml.encode_utf16().flat_map(u16::to_le_bytes));
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("word/document.xml", SimpleFileOptions::default())
        .unwrap();
    zip.write_all(&utf16).unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let doc = docx::extract(&bytes, &Limits::default()).unwrap();
    assert_eq!(texts(&doc), ["宽字符正文"]);
}

#[test]
fn damage_after_some_text_keeps_the_text_with_a_warning() {
    let body = format!("{}{}<!-- never closed", p("前文"), p("后文"));
    let doc = Package::new(&body).extract();
    assert_eq!(texts(&doc), ["前文", "后文"]);
    assert_eq!(doc.warnings.len(), 1, "{:?}", doc.warnings);
    let err = docx::extract(
        &Package::new("<!-- never closed").bytes(),
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), "malformed");
}

#[test]
fn external_entities_are_never_resolved() {
    let xml = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY big "AAAAAAAAAA">]><w:document {W}><w:body><w:p><w:r><w:t>前&xxe;&big;后</w:t></w:r></w:p></w:body></w:document>"#
    );
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("word/document.xml", SimpleFileOptions::default())
        .unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let doc = docx::extract(&bytes, &Limits::default()).unwrap();
    assert_eq!(texts(&doc), ["前后"]);
}

#[test]
fn the_main_part_is_found_through_the_package_relationships() {
    // A template or macro-enabled file (`.dotx`, `.docm`) may name its main part anything.
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default();
    zip.start_file("_rels/.rels", opts).unwrap();
    zip.write_all(br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/main.xml"/></Relationships>"#).unwrap();
    zip.start_file("word/main.xml", opts).unwrap();
    zip.write_all(
        format!(
            "<w:document {W}><w:body>{}</w:body></w:document>",
            p("模板正文")
        )
        .as_bytes(),
    )
    .unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let doc = docx::extract(&bytes, &Limits::default()).unwrap();
    assert_eq!(texts(&doc), ["模板正文"]);
}

#[test]
fn breaks_symbols_and_hyphens_render_as_shown() {
    let body = r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>
      <w:p><w:r><w:t>电话</w:t><w:noBreakHyphen/><w:t>号码</w:t><w:sym w:font="Wingdings" w:char="F0FC"/><w:softHyphen/><w:br w:type="page"/><w:t>完</w:t></w:r></w:p>"#;
    let doc = Package::new(body).extract();
    // The two centred lines are a title split with a line break.
    assert_eq!(doc.title.as_deref(), Some("第一行第二行"));
    assert_eq!(texts(&doc), ["电话-号码✓完"]);
}

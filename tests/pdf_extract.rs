//! PDF extraction on small PDFs built in code: CJK fonts and CMaps, graphics-state handling,
//! Form XObjects, layout, and damaged or hostile files.

use gongwen::config::Limits;
use gongwen::document::Document as Extracted;
use gongwen::extract::pdf::extract;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat, dictionary};

/// A real-world-style ToUnicode CMap (as Word and LibreOffice write them).
const TO_UNICODE: &[u8] = b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n\
3 beginbfchar\n<0001> <4E2D>\n<0002> <6587>\n<0003> <3002>\nendbfchar\n\
1 beginbfrange\n<0010> <0012> [<516C> <6587> <4EF6>]\nendbfrange\n\
endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";

fn lit(s: &str) -> Object {
    Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
}

/// A Type0 font over a CIDFontType2 descendant.
fn type0(
    doc: &mut Document,
    encoding: Object,
    ordering: &str,
    to_unicode: Option<&[u8]>,
) -> ObjectId {
    let cid = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType2",
        "BaseFont" => "SimSun",
        "CIDSystemInfo" => dictionary! {
            "Registry" => lit("Adobe"),
            "Ordering" => lit(ordering),
            "Supplement" => 0,
        },
        "DW" => 1000,
    });
    let mut font = dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => "SimSun",
        "Encoding" => encoding,
        "DescendantFonts" => vec![cid.into()],
    };
    if let Some(map) = to_unicode {
        let id = doc.add_object(Stream::new(dictionary! {}, map.to_vec()));
        font.set("ToUnicode", id);
    }
    doc.add_object(font)
}

fn helvetica(doc: &mut Document) -> ObjectId {
    doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    })
}

/// One A4 page with the given content and resources; returns the file's bytes.
fn build(doc: Document, content: &[u8], resources: Dictionary) -> Vec<u8> {
    build_with(doc, &[content], resources, |_| {})
}

/// A4 pages with the given contents, sharing one set of resources.
fn build_pages(doc: Document, contents: &[&[u8]], resources: Dictionary) -> Vec<u8> {
    build_with(doc, contents, resources, |_| {})
}

/// [`build_pages`], with a last step (encryption) before saving.
fn build_with(
    mut doc: Document,
    contents: &[&[u8]],
    resources: Dictionary,
    last: impl FnOnce(&mut Document),
) -> Vec<u8> {
    let pages_id = doc.new_object_id();
    let kids: Vec<Object> = contents
        .iter()
        .map(|content| {
            let content_id = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
            doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Contents" => content_id,
                "Resources" => resources.clone(),
            })
            .into()
        })
        .collect();
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Count" => kids.len() as i64,
            "Kids" => kids,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    last(&mut doc);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}

fn text(doc: &Extracted) -> String {
    doc.blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn run(bytes: &[u8]) -> Extracted {
    extract(bytes, &Limits::default()).expect("extracts")
}

#[test]
fn identity_h_with_to_unicode() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    let bytes = build(
        doc,
        b"BT /F1 16 Tf 72 700 Td <0001000200100011001200030003> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    assert_eq!(text(&run(&bytes)), "中文公文件。。");
}

#[test]
fn predefined_unigb_ucs2_h() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "UniGB-UCS2-H".into(), "GB1", None);
    let bytes = build(
        doc,
        b"BT /F1 16 Tf 72 700 Td <4E2D658750CF> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    let d = run(&bytes);
    assert_eq!(text(&d), "中文像");
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn gbk_euc_h_without_to_unicode() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "GBK-EUC-H".into(), "GB1", None);
    let (gbk, _, _) = encoding_rs::GBK.encode("关于印发通知的函");
    let mut content = b"BT /F1 16 Tf 72 700 Td <".to_vec();
    for b in gbk.iter() {
        content.extend(format!("{b:02X}").bytes());
    }
    content.extend(b"> Tj ET");
    let bytes = build(
        doc,
        &content,
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    assert_eq!(text(&run(&bytes)), "关于印发通知的函");
}

#[test]
fn identity_h_without_any_map_warns_and_invents_nothing() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", None);
    let bytes = build(
        doc,
        b"BT /F1 16 Tf 72 700 Td <00010002> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    let d = run(&bytes);
    assert_eq!(text(&d), "");
    assert!(
        d.warnings
            .iter()
            .any(|w| w.contains("no usable unicode map"))
    );
}

#[test]
fn q_and_big_q_restore_the_font() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    let f2 = helvetica(&mut doc);
    let bytes = build(
        doc,
        b"BT /F1 16 Tf 72 700 Td <0001> Tj ET\n\
          q BT /F2 16 Tf 90 700 Td (AB) Tj ET Q\n\
          BT 72 600 Td <0002> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => f1, "F2" => f2 } },
    );
    let d = run(&bytes);
    assert!(text(&d).starts_with("中AB"), "{}", text(&d));
    assert!(text(&d).ends_with('文'), "{}", text(&d));
}

#[test]
fn tj_kerning_spaces_latin_words_only() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    let f2 = helvetica(&mut doc);
    let bytes = build(
        doc,
        b"BT /F2 12 Tf 72 700 Td [(Hel) 20 (lo) -400 (World)] TJ ET\n\
          BT /F1 12 Tf 72 500 Td [<0001> -40 <0002>] TJ ET",
        dictionary! { "Font" => dictionary! { "F1" => f1, "F2" => f2 } },
    );
    assert_eq!(text(&run(&bytes)), "Hello World\n中文");
}

#[test]
fn form_xobject_with_its_own_resources() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    let form = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => dictionary! { "Font" => dictionary! { "FX" => f1 } },
        },
        b"BT /FX 16 Tf 72 700 Td <00010002> Tj ET".to_vec(),
    ));
    let bytes = build(
        doc,
        b"q /X1 Do Q",
        dictionary! { "XObject" => dictionary! { "X1" => form } },
    );
    assert_eq!(text(&run(&bytes)), "中文");
}

#[test]
fn actual_text_replaces_the_glyphs_it_covers() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    let bytes = build(
        doc,
        b"BT /F1 16 Tf 72 700 Td /Span <</ActualText (AB)>> BDC <00010002> Tj EMC <0003> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    assert_eq!(text(&run(&bytes)), "AB。");
}

#[test]
fn wrapped_lines_join_and_indents_start_paragraphs() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    // 25 glyphs of 16 pt fill 400 pt: lines from x=72 reach the right margin at 472.
    let full = "0001".repeat(25);
    let content = format!(
        "BT /F1 16 Tf 104 700 Td <{first}> Tj ET\n\
         BT /F1 16 Tf 72 672 Td <{full}> Tj ET\n\
         BT /F1 16 Tf 72 644 Td <00020003> Tj ET\n\
         BT /F1 16 Tf 104 616 Td <{first}> Tj ET\n\
         BT /F1 16 Tf 72 588 Td <00020003> Tj ET\n\
         BT /F1 16 Tf 72 560 Td <{full}> Tj ET",
        first = "0001".repeat(23),
    );
    let bytes = build(
        doc,
        content.as_bytes(),
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    let d = run(&bytes);
    let paragraphs: Vec<usize> = d.blocks.iter().map(|b| b.text.chars().count()).collect();
    assert_eq!(paragraphs, vec![23 + 25 + 2, 23 + 2, 25], "{}", text(&d));
}

#[test]
fn page_numbers_and_running_headers_are_dropped() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    let f2 = helvetica(&mut doc);
    let bytes = build(
        doc,
        b"BT /F1 16 Tf 72 700 Td <00010002> Tj ET\n\
          BT /F2 14 Tf 280 40 Td (- 1 -) Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => f1, "F2" => f2 } },
    );
    assert_eq!(text(&run(&bytes)), "中文");
}

#[test]
fn no_text_layer_gives_an_empty_body_and_a_warning() {
    let doc = Document::with_version("1.5");
    let bytes = build(doc, b"q 100 0 0 100 0 0 cm 0 0 1 1 re f Q", dictionary! {});
    let d = run(&bytes);
    assert!(d.blocks.is_empty());
    assert!(d.warnings.iter().any(|w| w == "no text layer"));
}

#[test]
fn info_title_and_organisation_author() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    let info = doc.add_object(dictionary! {
        "Title" => Object::string_literal("中文"),
        "Author" => Object::String(
            [&[0xFE, 0xFF][..], &utf16("成都市财政局")].concat(),
            StringFormat::Hexadecimal,
        ),
    });
    doc.trailer.set("Info", info);
    let bytes = build(
        doc,
        b"BT /F1 16 Tf 72 700 Td <0001> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    let d = run(&bytes);
    assert!(
        d.fields
            .contains(&("发布机构".to_string(), "成都市财政局".to_string())),
        "{:?}",
        d.fields
    );
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect()
}

#[test]
fn stream_past_the_inflate_limit_is_a_warning() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    // Kilobytes of operators that inflate far past a 4 KiB limit; the limit stops the inflate
    // before the whole stream is ever held.
    let mut content = b"BT /F1 16 Tf 72 700 Td <0001> Tj ET\n".to_vec();
    content.extend(std::iter::repeat_n(b' ', 1 << 20));
    let pages_id = doc.new_object_id();
    let mut stream = Stream::new(dictionary! {}, content);
    stream.compress().expect("compress");
    let content_id = doc.add_object(stream);
    let page = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Contents" => content_id,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => f1 } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("save");
    let limits = Limits {
        max_stream_bytes: 4096,
        ..Limits::default()
    };
    let d = extract(&bytes, &limits).expect("extracts with a warning");
    assert!(
        d.warnings.iter().any(|w| w.contains("inflated")),
        "{:?}",
        d.warnings
    );
}

#[test]
fn reference_loops_end() {
    let mut doc = Document::with_version("1.5");
    let a = doc.new_object_id();
    let b = doc.new_object_id();
    doc.objects.insert(a, Object::Reference(b));
    doc.objects.insert(b, Object::Reference(a));
    let bytes = build(
        doc,
        b"BT /F1 16 Tf 72 700 Td <0001> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => a } },
    );
    let d = run(&bytes);
    assert!(d.blocks.is_empty());
}

#[test]
fn truncated_and_garbage_files_fail_cleanly() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    let bytes = build(
        doc,
        b"BT /F1 16 Tf 72 700 Td <00010002> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    for cut in [
        bytes.len() / 4,
        bytes.len() / 2,
        bytes.len() * 3 / 4,
        bytes.len() - 30,
    ] {
        match extract(&bytes[..cut], &Limits::default()) {
            Ok(_) => {}
            Err(e) => assert_eq!(e.kind(), "malformed", "{e}"),
        }
    }
    let err = extract(b"not a pdf at all", &Limits::default()).expect_err("garbage");
    assert_eq!(err.kind(), "malformed");
}

#[test]
fn object_limit_is_an_error_of_kind_limit() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    let bytes = build(
        doc,
        b"BT /F1 16 Tf 72 700 Td <0001> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    let limits = Limits {
        max_pdf_objects: 3,
        ..Limits::default()
    };
    assert_eq!(extract(&bytes, &limits).expect_err("limit").kind(), "limit");
}

/// Every PDF of the shared corpus extracts or fails with a clear error (no panic, no hang).
#[test]
#[ignore = "needs ../shared corpus"]
fn shared_corpus_pdfs_extract_or_fail_cleanly() {
    let mut seen = 0;
    for dir in [
        "../shared/corpus/real/pdf",
        "../shared/corpus/suites/pdf",
        "../shared/corpus/gen/dev/input",
    ] {
        let entries = std::fs::read_dir(dir).expect("corpus directory");
        for entry in entries {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "pdf") {
                continue;
            }
            let bytes = std::fs::read(&path).expect("read");
            match extract(&bytes, &Limits::default()) {
                Ok(d) => assert!(
                    !d.blocks.is_empty() || d.warnings.iter().any(|w| w == "no text layer"),
                    "{}: empty without a warning",
                    path.display()
                ),
                Err(e) => panic!("{}: {e}", path.display()),
            }
            seen += 1;
        }
    }
    assert!(seen >= 80, "only {seen} files");
}

/// A minimal TrueType font: a table directory with only `cmap`, one (3,1) format-4 subtable
/// mapping U+4E2D..U+4E2E to glyphs 5..6.
fn tiny_truetype() -> Vec<u8> {
    let mut sub = Vec::new();
    for v in [4u16, 0, 0, 4, 0, 0, 0, 0x4E2E, 0xFFFF, 0, 0x4E2D, 0xFFFF] {
        sub.extend(v.to_be_bytes());
    }
    for v in [5u16.wrapping_sub(0x4E2D), 1, 0, 0] {
        sub.extend(v.to_be_bytes());
    }
    let mut cmap = Vec::new();
    for v in [0u16, 1, 3, 1] {
        cmap.extend(v.to_be_bytes());
    }
    cmap.extend(12u32.to_be_bytes());
    cmap.extend(sub);
    let mut f = vec![0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    f.extend(b"cmap");
    f.extend([0u8; 4]);
    f.extend(28u32.to_be_bytes());
    f.extend((cmap.len() as u32).to_be_bytes());
    f.extend(cmap);
    f
}

#[test]
fn no_map_falls_back_to_the_embedded_cmap_table_with_a_warning() {
    let mut doc = Document::with_version("1.5");
    let program = doc.add_object(Stream::new(dictionary! {}, tiny_truetype()));
    let descriptor = doc.add_object(dictionary! {
        "Type" => "FontDescriptor", "FontName" => "Tiny", "FontFile2" => program,
    });
    let cid = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "Tiny",
        "CIDSystemInfo" => dictionary! {
            "Registry" => lit("Adobe"), "Ordering" => lit("Identity"), "Supplement" => 0,
        },
        "FontDescriptor" => descriptor,
        "CIDToGIDMap" => "Identity",
    });
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Tiny",
        "Encoding" => "Identity-H", "DescendantFonts" => vec![cid.into()],
    });
    let bytes = build(
        doc,
        b"BT /F1 16 Tf 72 700 Td <00050006> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => font } },
    );
    let d = run(&bytes);
    assert_eq!(text(&d), "中丮");
    assert!(
        d.warnings.iter().any(|w| w.contains("embedded cmap table")),
        "{:?}",
        d.warnings
    );
}

fn encrypted(user_password: &'static str, aes: bool) -> Vec<u8> {
    use lopdf::encryption::crypt_filters::{Aes128CryptFilter, CryptFilter};
    use lopdf::{EncryptionState, EncryptionVersion, Permissions};
    use std::collections::BTreeMap;
    use std::sync::Arc;

    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    build_with(
        doc,
        &[b"BT /F1 16 Tf 72 700 Td <00010002> Tj ET"],
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
        |doc| {
            doc.trailer.set(
                "ID",
                Object::Array(vec![
                    Object::string_literal(b"0123456789abcdef".to_vec()),
                    Object::string_literal(b"fedcba9876543210".to_vec()),
                ]),
            );
            let version = if aes {
                let filter: Arc<dyn CryptFilter> = Arc::new(Aes128CryptFilter);
                EncryptionVersion::V4 {
                    document: doc,
                    encrypt_metadata: true,
                    crypt_filters: BTreeMap::from([(b"StdCF".to_vec(), filter)]),
                    stream_filter: b"StdCF".to_vec(),
                    string_filter: b"StdCF".to_vec(),
                    owner_password: "owner",
                    user_password,
                    permissions: Permissions::all(),
                }
            } else {
                EncryptionVersion::V2 {
                    document: doc,
                    owner_password: "owner",
                    user_password,
                    key_length: 128,
                    permissions: Permissions::all(),
                }
            };
            let state = EncryptionState::try_from(version).expect("encryption state");
            doc.encrypt(&state).expect("encrypt");
        },
    )
}

#[test]
fn empty_user_password_is_decrypted_rc4_and_aes() {
    for aes in [false, true] {
        assert_eq!(text(&run(&encrypted("", aes))), "中文", "aes {aes}");
    }
}

#[test]
fn a_real_user_password_fails_with_kind_encrypted() {
    let err = extract(&encrypted("secret", false), &Limits::default()).expect_err("password");
    assert_eq!(err.kind(), "encrypted");
}

#[test]
fn broken_cross_reference_table_is_rebuilt_with_a_warning() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    let mut bytes = build(
        doc,
        b"BT /F1 16 Tf 72 700 Td <00010002> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    // Point startxref at nonsense: the table must be rebuilt by scanning for objects.
    let at = bytes
        .windows(9)
        .rposition(|w| w == b"startxref")
        .expect("startxref");
    let tail = b"startxref\n999999\n%%EOF\n";
    bytes.truncate(at);
    bytes.extend_from_slice(tail);
    let d = run(&bytes);
    assert_eq!(text(&d), "中文");
    assert!(
        d.warnings.iter().any(|w| w.contains("cross-reference")),
        "{:?}",
        d.warnings
    );
}

#[test]
fn vertical_writing_reads_columns_right_to_left() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-V".into(), "Identity", Some(TO_UNICODE));
    let bytes = build(
        doc,
        b"BT /F1 16 Tf 300 700 Td <000100020010> Tj ET\n\
          BT /F1 16 Tf 270 700 Td <00110003> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    assert_eq!(text(&run(&bytes)).replace('\n', ""), "中文公文。");
}

#[test]
fn text_past_the_limit_is_cut_with_a_warning() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    let content = format!(
        "BT /F1 16 Tf 72 700 Td <{}> Tj ET\nBT /F1 16 Tf 72 600 Td <{}> Tj ET",
        "0001".repeat(5),
        "0002".repeat(50)
    );
    let bytes = build(
        doc,
        content.as_bytes(),
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    let limits = Limits {
        max_text_chars: 8,
        ..Limits::default()
    };
    let d = extract(&bytes, &limits).expect("extracts");
    assert!(text(&d).chars().count() <= 8, "{}", text(&d));
    assert!(!d.warnings.is_empty());
}

#[test]
fn ruled_table_rows_read_row_by_row_with_wrapped_cells() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    // Two rows of a ruled two-column table; the first row's left cell wraps over two lines
    // and its right cell is centred between them; the columns are drawn one after the other.
    let bytes = build(
        doc,
        b"0.5 w 72 720 m 372 720 l S 72 660 m 372 660 l S 72 620 m 372 620 l S\n\
          72 620 m 72 720 l S 200 620 m 200 720 l S 372 620 m 372 720 l S\n\
          BT /F1 12 Tf 80 700 Td <00010002> Tj ET\n\
          BT /F1 12 Tf 80 680 Td <0010> Tj ET\n\
          BT /F1 12 Tf 80 636 Td <0011> Tj ET\n\
          BT /F1 12 Tf 210 690 Td <0012> Tj ET\n\
          BT /F1 12 Tf 210 636 Td <0003> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    let d = run(&bytes);
    assert_eq!(text(&d), "中文公\t件\n文\t。");
    assert!(
        d.blocks
            .iter()
            .all(|b| b.kind == gongwen::document::BlockKind::TableRow)
    );
}

#[test]
fn rows_without_rules_between_them_in_one_ruled_band_stay_rows() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    // One ruled band holding two rows of three cells (an e-invoice's flight lines); the first
    // cell of the first row wraps onto a second line.
    let bytes = build(
        doc,
        b"0.5 w 72 720 m 372 720 l S 72 600 m 372 600 l S\n\
          BT /F1 12 Tf 80 700 Td <0001> Tj 120 0 Td <0002> Tj 100 0 Td <0003> Tj ET\n\
          BT /F1 12 Tf 80 686 Td <0010> Tj ET\n\
          BT /F1 12 Tf 80 640 Td <0012> Tj 120 0 Td <0011> Tj 100 0 Td <0003> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    assert_eq!(text(&run(&bytes)), "中公\t文\t。\n件\t文\t。");
}

#[test]
fn a_sidebar_beside_the_main_text_is_read_before_it() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    // A broker report's first page: a narrow left column (analyst, contacts) whose baselines
    // fall between those of the main text on the right.
    let bytes = build(
        doc,
        b"BT /F1 10 Tf 40 700 Td <0001> Tj 160 0 Td <0002000200020002000200020002> Tj ET\n\
          BT /F1 10 Tf 40 690 Td <0002> Tj ET\n\
          BT /F1 10 Tf 200 684 Td <0012001200120012001200120012> Tj ET\n\
          BT /F1 10 Tf 40 677 Td <0010> Tj ET\n\
          BT /F1 10 Tf 200 671 Td <0010001000100010001000100010> Tj ET\n\
          BT /F1 10 Tf 40 664 Td <0012> Tj ET\n\
          BT /F1 10 Tf 200 658 Td <0001000100010001000100010001> Tj ET\n\
          BT /F1 10 Tf 40 651 Td <0003> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    assert_eq!(
        text(&run(&bytes)).replace('\n', ""),
        "中文公件。文文文文文文文件件件件件件件公公公公公公公中中中中中中中"
    );
}

#[test]
fn a_ruled_row_with_empty_first_cells_is_not_a_wrapped_line_of_the_row_above() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    // A budget summary: the last row has nothing in its first column; a rule separates it
    // from the row above, so it is a row of its own.
    let bytes = build(
        doc,
        b"0.5 w 72 720 m 372 720 l S 72 690 m 372 690 l S 72 660 m 372 660 l S\n\
          BT /F1 12 Tf 80 700 Td <0001> Tj 120 0 Td <0002> Tj 100 0 Td <0003> Tj ET\n\
          BT /F1 12 Tf 200 670 Td <0010> Tj 100 0 Td <0012> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    assert_eq!(text(&run(&bytes)), "中\t文\t。\n公\t件");
}

#[test]
fn a_row_label_spanning_two_ruled_rows_is_read_whole() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    // An annual report's `（六）其他处理`: the label cell spans two rows, its two lines fall
    // above and below the second row's line; the rule between the rows stops at the label.
    let bytes = build(
        doc,
        b"0.5 w 72 720 m 372 720 l S 72 660 m 372 660 l S 150 690 m 372 690 l S\n\
          BT /F1 12 Tf 200 700 Td <0010> Tj ET\n\
          BT /F1 12 Tf 80 695 Td <0001> Tj ET\n\
          BT /F1 12 Tf 200 683 Td <0012> Tj ET\n\
          BT /F1 12 Tf 80 671 Td <0002> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    assert_eq!(text(&run(&bytes)), "中文\t公\n件");
}

#[test]
fn a_row_label_wrapped_below_its_row_in_a_ruled_cell_is_continued() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    // `（五）不` beside its first row and `予处理` below it, in a label cell spanning two
    // rows whose rules stop at the label column.
    let bytes = build(
        doc,
        b"0.5 w 72 720 m 372 720 l S 72 660 m 372 660 l S\n\
          150 710 m 372 710 l S 150 690 m 372 690 l S\n\
          BT /F1 12 Tf 80 700 Td <0001> Tj 120 0 Td <0010> Tj ET\n\
          BT /F1 12 Tf 80 686 Td <0002> Tj ET\n\
          BT /F1 12 Tf 200 670 Td <0012> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    assert_eq!(text(&run(&bytes)), "中文\t公\n件");
}

#[test]
fn a_cell_spanning_rows_of_a_ruled_grid_is_read_in_its_first_row() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    // A label cell spanning the three rows of a three-column grid (the rules between the rows
    // stop at its column), its text set in its middle: `中` between the first two rows, `文`
    // beside the second. As an HTML rowspan reads: in the first row, the others left empty.
    let bytes = build(
        doc,
        b"0.5 w 72 720 m 372 720 l S 72 630 m 372 630 l S\n\
          150 690 m 372 690 l S 150 660 m 372 660 l S\n\
          72 630 m 72 720 l S 150 630 m 150 720 l S 250 630 m 250 720 l S 372 630 m 372 720 l S\n\
          BT /F1 12 Tf 180 700 Td <0010> Tj 100 0 Td <0012> Tj ET\n\
          BT /F1 12 Tf 100 684 Td <0001> Tj ET\n\
          BT /F1 12 Tf 100 670 Td <0002> Tj 80 0 Td <0002> Tj 100 0 Td <0003> Tj ET\n\
          BT /F1 12 Tf 180 640 Td <0010> Tj 100 0 Td <0012> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    assert_eq!(text(&run(&bytes)), "中文\t公\t件\n\t文\t。\n\t公\t件");
}

#[test]
fn empty_cells_of_a_ruled_grid_keep_their_columns() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    // A budget table of three ruled columns (the rules drawn as thin filled boxes, as Excel
    // exports them): the second row's middle cell and the third row's first cell are blank.
    let bytes = build(
        doc,
        b"0 g 72 719.5 300 1 re f 72 689.5 300 1 re f 72 659.5 300 1 re f 72 629.5 300 1 re f\n\
          71.5 630 1 90 re f 149.5 630 1 90 re f 249.5 630 1 90 re f 371.5 630 1 90 re f\n\
          BT /F1 12 Tf 80 700 Td <0001> Tj 100 0 Td <0002> Tj 100 0 Td <0003> Tj ET\n\
          BT /F1 12 Tf 80 670 Td <0010> Tj 200 0 Td <0012> Tj ET\n\
          BT /F1 12 Tf 180 640 Td <0010> Tj 100 0 Td <0012> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    assert_eq!(text(&run(&bytes)), "中\t文\t。\n公\t\t件\n\t公\t件");
}

#[test]
fn white_cell_backgrounds_part_cells_but_add_no_empty_ones() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    // A spreadsheet's caption row (`编制单位：…` at the left, `单位：元` at the right) over
    // three white cell backgrounds: its two texts are two cells, with no blank one between.
    // Painted black, the same boxes are a grid whose middle cell is blank.
    let page = |colour: &str| {
        format!(
            "{colour} rg 72 690 78 30 re f 150 690 100 30 re f 250 690 122 30 re f\n\
             0 g BT /F1 12 Tf 80 700 Td <0010> Tj 200 0 Td <0012> Tj ET"
        )
    };
    let white = build(
        doc.clone(),
        page("1 1 1").as_bytes(),
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    assert_eq!(text(&run(&white)), "公\t件");
    let black = build(
        doc,
        page("0 0 0").as_bytes(),
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    assert_eq!(text(&run(&black)), "公\t\t件");
}

#[test]
fn a_white_page_background_or_text_band_makes_no_table() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    // Word's export paints the whole page white first: its edges are the page's, so every
    // line would fall in one ruled band, and two lines that do not overlap would be read as
    // the cells of one row.
    let background = build(
        doc.clone(),
        b"1 1 1 rg 0 0 612 792 re f\n\
          0 g BT /F1 12 Tf 80 700 Td <00010002> Tj ET\n\
          BT /F1 12 Tf 300 680 Td <00100012> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    assert_eq!(text(&run(&background)), "中文\n公件");
    // A white band behind a line of text, from margin to margin: a mark hanging past the
    // right margin is no cell of its own.
    let band = build(
        doc,
        b"1 1 1 rg 72 695 468 16 re f\n\
          0 g BT /F1 12 Tf 516 700 Td <00010002> Tj ET\n\
          BT /F1 12 Tf 540 700 Td <0003> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    assert_eq!(text(&run(&band)), "中文。");
}

#[test]
fn a_cell_wrapped_over_a_page_break_is_read_whole() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    // A hiring list: the last row of page 1 ends with `公`; its last cell goes on at the top of
    // page 2 (`件`, in a ruled band of its own, under that cell) before the next row.
    let grid = |top: f32, bottom: f32| {
        format!(
            "0.5 w 72 {top} m 372 {top} l S 72 {bottom} m 372 {bottom} l S \
             72 {bottom} m 72 {top} l S 150 {bottom} m 150 {top} l S \
             250 {bottom} m 250 {top} l S 372 {bottom} m 372 {top} l S\n"
        )
    };
    let first = format!(
        "{}BT /F1 12 Tf 80 660 Td <0001> Tj 100 0 Td <0002> Tj 80 0 Td <0010> Tj ET",
        grid(680.0, 650.0)
    );
    let second = |wrap: &str| {
        format!(
            "{}{}BT /F1 12 Tf {wrap} Tj ET\n\
             BT /F1 12 Tf 80 730 Td <0001> Tj 100 0 Td <0002> Tj 80 0 Td <0003> Tj ET",
            grid(780.0, 750.0),
            grid(750.0, 720.0)
        )
    };
    let resources = || dictionary! { "Font" => dictionary! { "F1" => f1 } };
    let wrapped = build_pages(
        doc.clone(),
        &[first.as_bytes(), second("260 760 Td <0012>").as_bytes()],
        resources(),
    );
    assert_eq!(text(&run(&wrapped)), "中\t文\t公件\n中\t文\t。");
    // Text under the first column is a row of its own, not a wrap.
    let row = build_pages(
        doc,
        &[first.as_bytes(), second("80 760 Td <0012>").as_bytes()],
        resources(),
    );
    assert_eq!(text(&run(&row)), "中\t文\t公\n件\n中\t文\t。");
}

#[test]
fn a_header_cell_alone_on_its_line_is_table_text_read_whole() {
    let mut doc = Document::with_version("1.5");
    let f1 = type0(&mut doc, "Identity-H".into(), "Identity", Some(TO_UNICODE));
    // A budget table's header: `公…件` alone in the second of four ruled columns, wrapped at
    // the column's border; a row of four cells below it.
    let bytes = build(
        doc,
        b"0.5 w 72 720 m 472 720 l S 72 670 m 472 670 l S 72 640 m 472 640 l S\n\
          72 640 m 72 720 l S 150 640 m 150 720 l S 250 640 m 250 720 l S\n\
          350 640 m 350 720 l S 472 640 m 472 720 l S\n\
          BT /F1 12 Tf 152 700 Td <00100010001000100010001000100010> Tj ET\n\
          BT /F1 12 Tf 152 686 Td <00120012> Tj ET\n\
          BT /F1 12 Tf 80 650 Td <0001> Tj 100 0 Td <0002> Tj 100 0 Td <0003> Tj 100 0 Td <0012> Tj ET",
        dictionary! { "Font" => dictionary! { "F1" => f1 } },
    );
    let d = run(&bytes);
    assert_eq!(text(&d), "公公公公公公公公件件\n中\t文\t。\t件");
    assert!(
        d.blocks
            .iter()
            .all(|b| b.kind == gongwen::document::BlockKind::TableRow)
    );
}

//! Every tree [`parse`] builds is compared with html5ever's, node for node.

use super::*;
use proptest::prelude::*;

/// `parse` must accept `html` and build html5ever's tree.
#[track_caller]
fn check(html: &str) {
    let fast = parse(html).unwrap_or_else(|| panic!("declined: {html:?}"));
    assert_same(html, &fast);
}

#[track_caller]
fn assert_same(html: &str, fast: &Html) {
    let slow = Html::parse_document(html);
    if let Some(d) = tree_difference(fast, &slow) {
        panic!(
            "{html:?}: {d}\nfast: {:?}\nslow: {:?}",
            fast.html(),
            slow.html()
        );
    }
}

#[test]
fn simple_page() {
    check(
        "<!DOCTYPE html><html><head><title>a &amp; b</title></head>\
         <body><p class=x id='y'>Hi</p></body></html>",
    );
}

#[test]
fn tree_difference_sees_text_attributes_and_quirks() {
    let a = Html::parse_document("<p class=a>x</p>");
    for other in [
        "<p class=b>x</p>",
        "<p class=a>y</p>",
        "<p>x</p>",
        "<div class=a>x</div>",
    ] {
        assert!(
            tree_difference(&a, &Html::parse_document(other)).is_some(),
            "{other}"
        );
    }
    let quirky =
        Html::parse_document("<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 3.2//EN\"><p class=a>x</p>");
    assert!(
        tree_difference(
            &Html::parse_document("<!DOCTYPE html><p class=a>x</p>"),
            &quirky
        )
        .is_some()
    );
    assert!(tree_difference(&a, &Html::parse_document("<p class=a>x</p>")).is_none());
}

#[test]
fn newlines_are_normalized_everywhere() {
    check("a\r\nb\rc\r\r\nd<p title='x\r\ny\rz' id=\"\r\"\r\nclass=a\r>e</p><!--\r\n-->\r");
    check("<textarea>\r\nx</textarea><pre>\r\n\r\ny</pre><title>\ra\r</title>");
    check("<!DOCTYPE html\r\nPUBLIC\r\n\"a\r\nb\"\r'c\r'>x");
}

#[test]
fn names_are_lowercased_and_duplicates_dropped() {
    check("<DIV ID=a Id=b CLASS='C' class=d><sPaN dAtA-X=1 data-x=2>x</SPAN></Div>");
    check(
        "<svg viewBox='0 0 1 1' VIEWBOX=2><foreignObject><p>x</p></foreignObject><linearGradient/></svg>",
    );
    check("<math definitionURL=x><mi xlink:href=y>z</mi></math>");
}

#[test]
fn nul_is_replaced_where_the_spec_says() {
    check(
        "a\0b<p\0x a\0=b\0 c='\0' d=\"\0\" e=\0>\0<title>\0</title><textarea>\0</textarea><style>\0</style>",
    );
    check("<script>\0</script><!--\0--><!-\0><?\0><!DOCTYPE \0\0 PUBLIC '\0' \"\0\">");
    check("<svg>\0<![CDATA[a\0b]]>\0</svg>");
    check("<plaintext>a\0b");
}

#[test]
fn self_closing_and_end_tag_attributes() {
    check("<br/><div/>x<img src=a / ><p a=b/>c</p a=1 b=2><span/ x>y</span / >");
    check("<svg><circle/><rect / ></svg><math><mi/></math>");
}

#[test]
fn odd_tag_openings() {
    check("a</>b<pre></>\nc</pre>d</ x>e</1>f<?xml version='1.0'?>g< h<1i<<j");
    check("x</");
    check("x<");
    check("x</a");
    check("<a b");
    check("<a b=");
    check("<a b='c");
    check("<a b=c");
    check("<a b=c/");
    check("<a/");
}

#[test]
fn comments_and_their_edge_cases() {
    for c in [
        "<!---->",
        "<!-->",
        "<!--->",
        "<!-- a -->",
        "<!--a--!>b",
        "<!--a--!-->",
        "<!--a--!x-->",
        "<!--a---->",
        "<!--a-- b-->",
        "<!--<!--x-->",
        "<!--<!-x-->",
        "<!--<!---->",
        "<!--a<<!--b-->",
        "<!--a",
        "<!--a-",
        "<!--a--",
        "<!--a--!",
        "<!--",
        "<!-",
        "<!",
        "<!-x>",
        "<!x",
        "<!--a-\0-->",
        "<!---\0-->",
        "<!--a--!\0-->",
        "<!--<!--",
        "<!--<!-",
        "<!--<!",
    ] {
        check(&format!("<p>1{c}2</p>{c}"));
    }
}

#[test]
fn doctypes_and_quirks() {
    for d in [
        "<!DOCTYPE html>",
        "<!doctype HTML>",
        "<!DOCTYPE>",
        "<!DOCTYPE >",
        "<!DOCTYPEhtml>",
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\">",
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\" \"http://www.w3.org/TR/html4/loose.dtd\">",
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">",
        "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">",
        "<!DOCTYPE html SYSTEM \"about:legacy-compat\">",
        "<!DOCTYPE html PUBLIC>",
        "<!DOCTYPE html PUBLIC'x'>",
        "<!DOCTYPE html PUBLIC \"x\"'y'>",
        "<!DOCTYPE html PUBLIC \"x>",
        "<!DOCTYPE html SYSTEM>",
        "<!DOCTYPE html SYSTEM 'x' junk>",
        "<!DOCTYPE html junk>",
        "<!DOCTYPE html PUBLIC x>",
        "<!DOCTYPE html pub",
        "<!DOCTYPE html",
        "<!DOCTYPE",
        "<!DOCTYPE html PUBLIC \"x\"",
        "<!DOCTYPE html PUBLIC \"x\" \"y",
        "<!DOCTYPE html SYSTEM \"y\"",
        "<!DOCTYPE \u{4e2d}X>",
        "<!DOCTYPE html><!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">",
    ] {
        check(&format!("{d}<p>x</p>"));
        check(d);
    }
}

#[test]
fn character_references_in_text() {
    check(
        "&amp;&lt;&gt;&quot;&nbsp;&copy;&notin;&notit;&noti;&not &amp &ampx &AMP; &Amp; &bogus; &; & &#; &#x; &#xg &#65;&#x41;&#X41 &#0;&#128;&#x81;&#x9f;&#xD800;&#x10FFFF;&#x110000;&#99999999999; &#11;&#x7f;&#xFDD0;&#xFFFE;&#13;&#10;",
    );
    check("&NotNestedGreaterGreater;&acE;&fjlig;&ThickSpace;&nbsp&nbspx&a&1&#");
    check("&amp");
    check("&#x41");
    check("&");
    check("&am");
    check("&#");
    check("&#x");
    check("<title>&amp;&#65;&notit;&#x80</title><textarea>&lt;&</textarea><style>&amp;</style>");
}

#[test]
fn character_references_in_attributes() {
    check(
        "<a href='?a=1&amp;b=2&copy=3&copy;&copyx&not=&notin&amp' title=&lt;&gt &#65 x=\"&#0;&#x80;&\">y</a>",
    );
    check("<a b=&amp c=&ampx d=&amp= e=&#x41x f=&#65= g='&'>z</a>");
}

#[test]
fn the_newline_after_pre_listing_and_textarea() {
    for open in ["<pre>", "<listing>", "<textarea>"] {
        for after in [
            "\nx",
            "\n\nx",
            "\r\nx",
            "&#10;x",
            "&#10x",
            "&#x0a",
            "&NewLine;x",
            "</>\nx",
            "\0\nx",
            "<!--c-->\nx",
            "x\ny",
            "",
        ] {
            check(&format!("{open}{after}"));
        }
    }
}

#[test]
fn raw_text_elements_end_at_their_own_end_tag() {
    check("<title>a<b>c</titlex></title >d</title><style>a</style x=1>b<xmp><p></xmp/>");
    check(
        "<iframe><b></iframe><noembed><b></noembed><noframes><b></noframes><noscript><b></noscript>",
    );
    check("<textarea></TEXTAREA\n>x<title></title");
    check("<style></sty");
    check("<title>&amp");
}

#[test]
fn script_data_and_its_escapes() {
    for s in [
        "a<b</script>",
        "<!--a</script>b-->",
        "<!--<script>a</script>b-->c</script>d",
        "<!--<script>a</script >b--></script>",
        "<!--<scripta</script>",
        "<!--<script/></script>x--></script>",
        "<!-- --></script>",
        "<!--->",
        "<!-- -<a- -</x -</script>",
        "<!--<script>--></script>",
        "<!--<script>-<</script>",
        "<!--<script></SCRIPT></script>",
        "<!",
        "<!-",
        "<!--",
        "<!--<scr",
        "<!--<script",
        "<!--<script>",
        "<!--<script></scr",
        "</scripty></script>",
        "</script",
        "</",
        "<",
        "<!--\0--\0-\0</script>",
    ] {
        check(&format!("<script>{s}</script>z"));
        check(&format!("<script>{s}"));
    }
}

#[test]
fn plaintext_takes_the_rest() {
    check("<p>a<plaintext>b</plaintext><p>&amp;\r\n");
}

#[test]
fn cdata_only_in_foreign_content() {
    check("<![CDATA[x]]>y<svg><![CDATA[a<b>]]]>c</svg><math><![CDATA[d");
    check("<svg><![CDATA[");
    check("<svg><![CDATA[a]");
    check("<svg><![CDATA[a]]");
    check("<svg><foreignObject><![CDATA[x]]></foreignObject></svg>");
    check("<svg><desc>t<![CDATA[x]]></desc></svg>");
    check(
        "<math><mi>t<![CDATA[x]]></mi><annotation-xml encoding=text/html><![CDATA[y]]></annotation-xml></math>",
    );
    check("<svg>text<![cdata[x]]></svg>");
}

#[test]
fn tables_and_foster_parenting() {
    check("<table>a<tr>b<td>c</td>d</tr>e &amp; f\n</table>");
    check("<table> <tr> \n<td>x</td> </tr>\n</table>");
    check("<table><colgroup> a<col></colgroup></table>");
    check("<select>a<option>b\0</select>");
}

#[test]
fn frameset_pages() {
    check("<frameset>a b\nc<frame></frameset> x\ny <noframes>z</noframes>");
    check("<html><frameset></frameset></html> a \n b");
}

#[test]
fn byte_order_marks() {
    check("\u{feff}<p>a</p>");
    check("\u{feff}\u{feff}<p>a</p>");
    check("<script>x</script>\u{feff}a");
    check("<meta charset=utf-8>\u{feff}a");
    check("<meta http-equiv=Content-Type content='text/html; charset=gbk'>\u{feff}a");
    check("<p>\u{feff}a</p><meta name=x>\u{feff}");
}

#[test]
fn text_around_head_and_body() {
    check(" \n <html> a <head> b <title>t</title> c </head> d <body> e </body> f </html> g ");
    check("<head></head>\n<body></body>\n\n");
}

#[test]
fn empty_and_whitespace_documents() {
    for t in ["", " ", "\n", "\r", "\r\n", "\0", "a", "&", "<", "<!"] {
        check(t);
    }
}

/// Pieces of pages, with the corners this tokenizer must get right.
fn piece() -> impl Strategy<Value = String> {
    let tags = prop::sample::select(vec![
        "div",
        "p",
        "a",
        "b",
        "i",
        "table",
        "tr",
        "td",
        "th",
        "tbody",
        "caption",
        "colgroup",
        "col",
        "select",
        "option",
        "pre",
        "listing",
        "textarea",
        "title",
        "style",
        "script",
        "xmp",
        "iframe",
        "noembed",
        "noframes",
        "noscript",
        "plaintext",
        "svg",
        "math",
        "foreignObject",
        "desc",
        "mi",
        "annotation-xml",
        "frameset",
        "frame",
        "body",
        "html",
        "head",
        "meta",
        "template",
        "form",
        "input",
        "br",
        "img",
        "font",
        "center",
        "ul",
        "li",
        "h1",
        "span",
        "em",
        "DIV",
        "Svg",
        "TiTle",
        "SCRIPT",
        "mglyph",
        "malignmark",
    ]);
    let attr_names = prop::sample::select(vec![
        "id",
        "class",
        "style",
        "href",
        "type",
        "charset",
        "a",
        "B",
        "xlink:href",
        "definitionURL",
        "encoding",
        "http-equiv",
        "content",
        "x\0",
        "=",
        "\"",
        "'",
    ]);
    let values = prop::sample::select(vec![
        "x",
        "",
        "a b",
        "&amp;",
        "&amp",
        "&ampx",
        "&amp=",
        "&notin",
        "&#x41;",
        "&#128",
        "\0",
        ">",
        "text/html",
        "hidden",
        "utf-8",
        "\r\n",
        "&",
        "中",
    ]);
    let attr = (attr_names, values, 0..4usize).prop_map(|(n, v, q)| match q {
        0 => format!(" {n}=\"{v}\""),
        1 => format!(" {n}='{v}'"),
        2 => format!(" {n}={v}"),
        _ => format!(" {n}"),
    });
    let tag = (
        tags.clone(),
        prop::collection::vec(attr, 0..3),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(name, attrs, end, closing)| {
            format!(
                "<{}{name}{}{}>",
                if end { "/" } else { "" },
                attrs.concat(),
                if closing { "/" } else { "" }
            )
        });
    let bits = prop::sample::select(vec![
        "a",
        " ",
        "  ",
        "\n",
        "\r\n",
        "\r",
        "\t",
        "\0",
        "&",
        "&amp;",
        "&amp",
        "&ampx",
        "&#",
        "&#x;",
        "&#10",
        "&#10;",
        "&#0;",
        "&#x80;",
        "&#xD800;",
        "&#1114112;",
        "&notit;",
        "&noti",
        "&nbsp;",
        "&nbsp",
        "中文",
        "\u{feff}",
        "<",
        ">",
        "</",
        "</>",
        "< ",
        "<?xml ?>",
        "<!-->",
        "<!--->",
        "<!-- c -->",
        "<!--a--!>",
        "<!--<!--x-->",
        "<!",
        "<!-",
        "<!--",
        "-->",
        "--",
        "-",
        "<![CDATA[x]]>",
        "<![CDATA[a\0b]]",
        "]]>",
        "<!DOCTYPE html>",
        "<!doctype html PUBLIC \"-//W3C//DTD HTML 4.01//EN\">",
        "<!DOCTYPE html SYSTEM 'about:legacy-compat'>",
        "<!DOCTYPE>",
        "<!DOCTYPE html PUBLIC>",
        "<script>",
        "</script>",
        "</script ",
        "</scripx>",
        "<!--<script>",
        "</title>",
        "</textarea>",
        "</style>",
        "</svg>",
        "</math>",
        "</table>",
        "</p>",
        "</pre>",
        "<table><tr><td>",
        "<svg><desc>",
        "<math><mi>",
    ])
    .prop_map(str::to_string);
    prop_oneof![3 => bits, 2 => tag]
}

fn page() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(piece(), 0..40),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(pieces, cut)| {
            let page = pieces.concat();
            // Truncated at any character boundary (the whole page included).
            let boundaries: Vec<usize> = page
                .char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(page.len()))
                .collect();
            let cut = if cut.index(4) == 0 {
                boundaries[cut.index(boundaries.len())]
            } else {
                page.len()
            };
            page[..cut].to_string()
        })
}

/// Script data with its escapes, the densest part of the state machine.
fn script_page() -> impl Strategy<Value = String> {
    let bits = prop::sample::select(vec![
        "<!--",
        "-->",
        "<!-",
        "--",
        "-",
        "<",
        "/",
        ">",
        "!",
        " ",
        "\n",
        "a",
        "\0",
        "<script>",
        "<script ",
        "<script/",
        "<SCRIPT>",
        "<scriptx>",
        "</script>",
        "</script ",
        "</script/",
        "</SCRIPT>",
        "</scriptx>",
        "</script",
        "</",
        "<scr",
        "</title>",
        "<!--<script>",
    ]);
    (
        prop::sample::select(vec![
            "<script>",
            "<p><script type=x>",
            "<svg><script>",
            "<title>",
            "<style>",
        ]),
        prop::collection::vec(bits, 0..24),
        prop::sample::select(vec![
            "",
            "</script>x",
            "</script>\u{feff}y",
            "</style>",
            "</title>",
        ]),
    )
        .prop_map(|(open, body, close)| format!("{open}{}{close}", body.concat()))
}

/// How many generated pages each property test checks: `TOKENIZE_CASES`, or enough to be
/// meaningful in a `cargo test` of a few seconds.
fn cases() -> u32 {
    std::env::var("TOKENIZE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// Whenever the fast path answers, its tree is html5ever's, for scripts too.
    #[test]
    fn generated_scripts_parse_as_html5ever_parses_them(html in script_page()) {
        prop_assert_eq!(compare_with_html5ever(&html), Ok(true), "{:?}", html);
    }

    /// Whenever the fast path answers, its tree is html5ever's.
    #[test]
    fn generated_pages_parse_as_html5ever_parses_them(html in page()) {
        if let Some(fast) = parse(&html) {
            let slow = Html::parse_document(&html);
            prop_assert!(tree_difference(&fast, &slow).is_none(), "{:?}: {:?}", html, tree_difference(&fast, &slow));
        }
    }

    /// Keeping some attributes builds html5ever's tree less the others, and declines where
    /// keeping all of them does.
    #[test]
    fn kept_attributes_are_html5evers_tree_less_the_others(html in page()) {
        let kept = parse_keeping(&html, Some(KEEP));
        prop_assert_eq!(kept.is_some(), parse(&html).is_some());
        if let Some(kept) = kept {
            let slow = keeping(Html::parse_document(&html), KEEP);
            prop_assert!(tree_difference(&kept, &slow).is_none(), "{:?}: {:?}", html, tree_difference(&kept, &slow));
        }
    }
}

/// The attributes the keeping tests keep: a few the generators write.
const KEEP: &[&str] = &["id", "class", "href"];

/// `html` without the attributes not named in `keep` or [`TREE_BUILDER_READS`], by their
/// names as written: foreign
/// content's `xlink:href` is `href` in the `xlink` namespace once parsed, and no `href`.
fn keeping(mut html: Html, keep: &[&str]) -> Html {
    let ids: Vec<_> = html.tree.nodes().map(|n| n.id()).collect();
    for id in ids {
        if let Some(mut n) = html.tree.get_mut(id)
            && let scraper::Node::Element(e) = n.value()
            && !is_formatting(&e.name.local)
        {
            e.attrs.retain(|(q, _)| {
                let written = match &q.prefix {
                    Some(p) => format!("{}:{}", &**p, &*q.local),
                    None => q.local.to_string(),
                };
                let written = written.to_ascii_lowercase();
                keep.iter()
                    .chain(&TREE_BUILDER_READS)
                    .any(|k| *k == written)
            });
        }
    }
    html
}

#[test]
fn only_the_kept_attributes_are_kept_in_any_case_and_the_first_of_each() {
    let html = "<div ID=a onclick=\"x('>')\" Class=b class=c data-x=1><a target=_blank HREF='/f'>附件</a>\
                <input type=hidden width=3></div>";
    let kept = parse_keeping(html, Some(KEEP)).expect("parsed");
    assert!(tree_difference(&kept, &keeping(Html::parse_document(html), KEEP)).is_none());
    let div = kept
        .tree
        .nodes()
        .find_map(|n| {
            n.value()
                .as_element()
                .filter(|e| e.name() == "div")
                .cloned()
        })
        .expect("a div");
    let attrs: Vec<(&str, &str)> = div.attrs.iter().map(|(q, v)| (&*q.local, &**v)).collect();
    assert_eq!(attrs, [("class", "b"), ("id", "a")]);
    // The attributes the tree builder reads itself: `type` of an `<input>` in a table, and
    // `color`, `face` and `size` of a `<font>` that ends foreign content.
    for html in [
        "<table><input type=hidden><tr><td>甲</td></tr></table>",
        "<svg><font color=red>甲</font></svg>乙",
        "<math><font FACE=x>甲</font></math>",
        "<svg><font size=3>甲</svg>",
        "<math><annotation-xml encoding=text/html><p>甲</p></annotation-xml></math>",
        // An encoding indicator: the tokenizer drops the U+FEFF after it.
        "<meta charset=\"x\">\u{feff}甲",
        "<meta http-equiv=Content-Type content=\"text/html; charset=gbk\">\u{feff}甲",
        // No more than three formatting elements alike: alike in all their attributes.
        "<b onclick=1><b onclick=2><b onclick=3><b onclick=4><p>甲",
        "<p><font width=1><font width=2><font width=3><font width=4>甲<p>乙",
    ] {
        let kept = parse_keeping(html, Some(KEEP)).expect("parsed");
        let slow = keeping(Html::parse_document(html), KEEP);
        assert!(
            tree_difference(&kept, &slow).is_none(),
            "{html}: {:?}",
            tree_difference(&kept, &slow)
        );
    }
}

#[path = "../../../tests/hostile/mod.rs"]
mod hostile;

/// Every HTML page of the shared corpora, the samples, the fuzz regressions and the hostile
/// corpus, decoded and flattened below the depth limit as extraction does: the same tree both
/// ways. Prints the counts and how many the fast path
/// declined.
#[test]
#[ignore = "needs ../shared/corpus; run with --ignored --nocapture"]
fn corpus_pages_parse_as_html5ever_parses_them() {
    let crate_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let roots = [
        crate_dir.join("../shared/corpus/gen/dev/input"),
        crate_dir.join("../shared/corpus/real"),
        crate_dir.join("../shared/corpus/suites"),
        crate_dir.join("samples"),
        crate_dir.join("tests/fuzz-regressions"),
    ];
    let mut pages: Vec<(String, Vec<u8>)> = Vec::new();
    for root in &roots {
        assert!(root.is_dir(), "{} is missing", root.display());
        for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().to_lowercase();
            if entry.file_type().is_file() && (name.ends_with(".html") || name.ends_with(".htm")) {
                pages.push((
                    entry.path().display().to_string(),
                    std::fs::read(entry.path()).unwrap(),
                ));
            }
        }
    }
    for item in hostile::items() {
        if item.name.ends_with(".html") && item.name != "huge.html" {
            pages.push((
                format!("hostile/{}", item.name),
                item.bytes(hostile::Size::Small),
            ));
        }
    }
    let (mut parsed, mut declined) = (0, 0);
    let mut failures = Vec::new();
    for (name, bytes) in &pages {
        if std::env::var_os("TOKENIZE_VERBOSE").is_some() {
            eprintln!("{name}");
        }
        let text = crate::decode::decode_markup(bytes).text;
        // Markup nested past the depth limit is flattened before any parser sees it, as
        // extraction does (html5ever takes minutes on the 100 000 levels of the hostile page).
        let max_depth = crate::config::Limits::default().max_html_depth;
        let text = crate::extract::html::flatten_deep_markup(&text, max_depth).unwrap_or(text);
        parsed += 1;
        match parse(&text) {
            None => {
                declined += 1;
                eprintln!("declined: {name}");
            }
            Some(fast) => {
                let slow = Html::parse_document(&text);
                if let Some(d) = tree_difference(&fast, &slow) {
                    failures.push(format!("{name}: {d}"));
                }
                let kept = parse_keeping(&text, Some(KEEP)).expect("parsed with all attributes");
                if let Some(d) = tree_difference(&kept, &keeping(slow, KEEP)) {
                    failures.push(format!("{name} (kept attributes): {d}"));
                }
            }
        }
    }
    eprintln!(
        "{} pages, {parsed} parsed both ways, {declined} declined, {} differ",
        pages.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
}

//! Markup the HTML extractor never reads, cut before the page is parsed.
//!
//! Scraped government pages carry a quarter of their bytes in inline scripts, style sheets and
//! comments (counters, menus, CMS markers). html5ever tokenizes every one of those characters,
//! and the extractor then skips the script and style elements and never looks at comments.
//! Three in five bytes of what remains sit in start tags, many of them in attributes the
//! extractor never asks for (`onclick`, `target`, `width`, `data-*`). [`prune`] removes the
//! contents of `<script>` and `<style>` elements, whole comments and the attributes outside
//! [`READ_ATTRIBUTES`] in one linear scan, leaving every tag in place, so the parser builds the
//! same tree of everything the extractor reads, up to whitespace: a run of text that a comment
//! split is one run again (`编辑：（<!--作者-->胡冠山`), whose whitespace the tree builder may
//! then place on the other side of a table.
//!
//! The scan follows the HTML tokenizer wherever the answer could differ: attribute values are
//! read with their quotes, so a `>` or `<!--` inside a value is no tag; the text of
//! `<title>`, `<textarea>` and the raw-text elements (`<xmp>`, `<iframe>`, `<noembed>`,
//! `<noframes>`, `<noscript>`) is copied whole, since a `<script>` there is text; a script
//! holding `<!--` (whose `</script>` the tokenizer may not honour) and anything after
//! `<plaintext>`, `<svg>` or `<math>` (foreign content parses differently) is left to the
//! parser as it is, from there to the end of the page.

/// The attributes the extractor reads (`id`, `class`, `hidden` and — when it hides the
/// element — `style` for chrome and hidden elements, `href` and `title` for attachments, `name` and `content` for meta tags),
/// those the tree builder reads (`type`, for `<input type=hidden>` in tables) and the charset
/// declarations.
pub const READ_ATTRIBUTES: [&str; 11] = [
    "id",
    "class",
    "style",
    "hidden",
    "href",
    "title",
    "name",
    "content",
    "type",
    "charset",
    "http-equiv",
];

/// `text` without the contents of its script and style elements, without its comments and
/// without the attributes the extractor does not read; `None` when there is nothing to cut.
pub fn prune(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    // Bytes before `kept` are settled: copied to `out`, or cut.
    let mut kept = 0;
    let mut replace = |from: usize, to: usize, with: &str| {
        let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
        o.push_str(&text[kept..from]);
        o.push_str(with);
        kept = to;
    };
    // The attributes of the tag at hand, and the tag rebuilt without the unread ones.
    let mut attributes: Vec<Attribute> = Vec::new();
    let mut kept_spans: Vec<(usize, usize)> = Vec::new();
    let mut rebuilt = String::new();
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        let lt = i + off;
        let rest = &bytes[lt + 1..];
        i = match rest {
            [b'!', b'-', b'-', ..] => match comment_end(bytes, lt + 4) {
                Some(end) => {
                    replace(lt, end, "");
                    end
                }
                // An abrupt or unclosed comment: the parser's to read.
                None => lt + 4,
            },
            [b'/', c, ..] if c.is_ascii_alphabetic() => {
                match scan_tag(bytes, lt + 2 + name_len(&rest[1..]), &mut attributes) {
                    Some(tag) => tag.end,
                    None => break,
                }
            }
            // A doctype or a bogus comment (`<![CDATA[…]]>`, `<?xml …?>`, `</ …>`): to its `>`.
            [b'!' | b'?' | b'/', ..] => match memchr::memchr(b'>', rest) {
                Some(gt) => lt + 1 + gt + 1,
                None => break,
            },
            [c, ..] if c.is_ascii_alphabetic() => {
                let name_end = lt + 1 + name_len(rest);
                let name = &bytes[lt + 1..name_end];
                let Some(tag) = scan_tag(bytes, name_end, &mut attributes) else {
                    break;
                };
                let is = |n: &str| name.eq_ignore_ascii_case(n.as_bytes());
                if STOP_AT.iter().any(|t| is(t)) {
                    break;
                }
                // Only the first of duplicate attributes counts (the tokenizer drops the
                // rest), and a style is read only for whether it hides the element.
                let mut styled = false;
                let mut read = |a: &Attribute| {
                    let n = &bytes[a.name.0..a.name.1];
                    if n.eq_ignore_ascii_case(b"style") {
                        let first = !styled;
                        styled = true;
                        return first && may_hide(&text[a.value.0..a.value.1]);
                    }
                    READ_ATTRIBUTES
                        .iter()
                        .any(|r| n.eq_ignore_ascii_case(r.as_bytes()))
                };
                kept_spans.clear();
                let mut all = true;
                for a in &attributes {
                    if read(a) {
                        kept_spans.push(a.span);
                    } else {
                        all = false;
                    }
                }
                if !all {
                    rebuilt.clear();
                    rebuilt.push_str(&text[lt..name_end]);
                    for &(from, to) in &kept_spans {
                        rebuilt.push(' ');
                        rebuilt.push_str(&text[from..to]);
                    }
                    rebuilt.push_str(if tag.self_closing { "/>" } else { ">" });
                    replace(lt, tag.end, &rebuilt);
                }
                if is("script") || is("style") {
                    let Some(close) = end_tag(bytes, tag.end, name) else {
                        break;
                    };
                    if is("script")
                        && memchr::memmem::find(&bytes[tag.end..close], b"<!--").is_some()
                    {
                        break;
                    }
                    if close > tag.end {
                        replace(tag.end, close, "");
                    }
                    close
                } else if TEXT_ONLY.iter().any(|t| is(t)) {
                    match end_tag(bytes, tag.end, name) {
                        Some(close) => close,
                        None => break,
                    }
                } else {
                    tag.end
                }
            }
            _ => lt + 1,
        };
    }
    let mut out = out?;
    out.push_str(&text[kept..]);
    Some(out)
}

/// Whether an inline style may hide its element: as the extractor reads it, or (holding a
/// character reference the tokenizer would decode) when that cannot be told here.
fn may_hide(style: &str) -> bool {
    style.contains('&') || super::html::style_hides(style)
}

/// Elements whose content the tokenizer reads as text up to their end tag (escapable and raw
/// text; `<noscript>` too, as html5ever parses with scripting on).
const TEXT_ONLY: [&str; 7] = [
    "title", "textarea", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// Elements after which the page is left as it is: plain text to the end, or foreign content.
const STOP_AT: [&str; 3] = ["plaintext", "svg", "math"];

/// The length of the tag name at the start of `rest`.
fn name_len(rest: &[u8]) -> usize {
    rest.iter()
        .take_while(|b| !matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>'))
        .count()
}

/// Where the comment whose text starts at `from` ends (just past its `-->` or `--!>`);
/// `None` for a comment the parser ends early (`<!-->`, `<!--->`) or one never closed.
fn comment_end(bytes: &[u8], from: usize) -> Option<usize> {
    let body = &bytes[from..];
    if body.starts_with(b">") || body.starts_with(b"->") {
        return None;
    }
    // The first `>` preceded by `--` or `--!`.
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'>', &body[i..]) {
        let gt = i + off;
        let before = &body[..gt];
        if before.ends_with(b"--") || before.ends_with(b"--!") {
            return Some(from + gt + 1);
        }
        i = gt + 1;
    }
    None
}

/// A tag as the tokenizer reads it.
struct Tag {
    /// Just past its `>`.
    end: usize,
    /// Whether it ends in `/>` (not a `/` that ends an unquoted value, as in `href=/a/>`).
    self_closing: bool,
}

/// One attribute: the byte ranges of its name, its value, and the whole of it as written.
struct Attribute {
    name: (usize, usize),
    /// The value without its quotes (empty when there is none).
    value: (usize, usize),
    span: (usize, usize),
}

/// Read the tag whose attributes begin at `i` as the tokenizer does (quoted values may hold
/// `>`), its attributes into `attributes`; `None` when the page ends first.
fn scan_tag(bytes: &[u8], mut i: usize, attributes: &mut Vec<Attribute>) -> Option<Tag> {
    let space = |b: u8| matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ');
    attributes.clear();
    loop {
        let mut slash = false;
        while i < bytes.len() && (space(bytes[i]) || bytes[i] == b'/') {
            slash = bytes[i] == b'/';
            i += 1;
        }
        if *bytes.get(i)? == b'>' {
            return Some(Tag {
                end: i + 1,
                self_closing: slash,
            });
        }
        // The attribute's name: its first character is taken whatever it is.
        let start = i;
        i += 1;
        while i < bytes.len()
            && !matches!(
                bytes[i],
                b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>' | b'='
            )
        {
            i += 1;
        }
        let name = (start, i);
        let mut end = i;
        let mut value = (i, i);
        while i < bytes.len() && space(bytes[i]) {
            i += 1;
        }
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && space(bytes[i]) {
                i += 1;
            }
            match bytes.get(i)? {
                q @ (b'"' | b'\'') => {
                    let close = i + 1 + memchr::memchr(*q, &bytes[i + 1..])?;
                    value = (i + 1, close);
                    i = close + 1;
                }
                // `name=>`: an empty value, and the tag ends.
                b'>' => {}
                _ => {
                    let from = i;
                    while i < bytes.len() && !space(bytes[i]) && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = (from, i);
                }
            }
            end = i;
        }
        attributes.push(Attribute {
            name,
            value,
            span: (start, end),
        });
    }
}

/// Where the end tag `</name` that closes raw or escapable text starting at `from` begins:
/// the first `</name` followed by a space, `/` or `>`, in any case. `None` when none follows.
fn end_tag(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        let at = i + off;
        let after = at + 2 + name.len();
        if bytes.get(at + 1) == Some(&b'/')
            && bytes.len() >= after
            && bytes[at + 2..after].eq_ignore_ascii_case(name)
            && matches!(
                bytes.get(after),
                Some(b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>')
            )
        {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::prune;

    #[test]
    fn script_and_style_text_and_comments_are_cut_their_tags_kept() {
        let page = "<head><style type=\"text/css\">p { color: red }</style>\
            <script>var a = '<p>不是正文</p>';</script></head>\
            <body><!-- 统计代码 --><p>正文<!--x-->一段</p><SCRIPT src=\"a.js\"></SCRIPT></body>";
        assert_eq!(
            prune(page).as_deref(),
            Some(
                "<head><style type=\"text/css\"></style><script></script></head>\
                 <body><p>正文一段</p><SCRIPT></SCRIPT></body>"
            )
        );
    }

    #[test]
    fn attributes_nobody_reads_are_cut_the_rest_kept_as_written() {
        assert_eq!(
            prune("<a target=_blank HREF='/f.pdf' onclick=\"go('>')\" title=附件>附件</a>")
                .as_deref(),
            Some("<a HREF='/f.pdf' title=附件>附件</a>")
        );
        assert_eq!(
            prune("<td width=\"30%\" class=label>索引号</td><br data-x=1 />").as_deref(),
            Some("<td class=label>索引号</td><br/>")
        );
        // A `/` that ends an unquoted value does not make the tag self-closing.
        assert_eq!(
            prune("<a rel=x href=/a/>甲</a>").as_deref(),
            Some("<a href=/a/>甲</a>")
        );
        assert_eq!(prune("<img alt=x / >").as_deref(), Some("<img>"));
    }

    #[test]
    fn a_style_is_kept_only_when_it_hides_and_only_the_first() {
        assert_eq!(
            prune("<span style=\"font-family:仿宋_GB2312;font-size:16pt\">正文</span>").as_deref(),
            Some("<span>正文</span>")
        );
        assert_eq!(prune("<div style=\"DISPLAY: none\">隐藏</div>"), None);
        // The tokenizer keeps the first of two styles, so the second never hides.
        assert_eq!(
            prune("<p style=\"color:red\" style=\"display:none\">甲</p>").as_deref(),
            Some("<p>甲</p>")
        );
        // A character reference is decoded by the tokenizer, not here: kept.
        assert_eq!(prune("<p style=\"display&#58;none\">乙</p>"), None);
    }

    #[test]
    fn a_page_with_nothing_to_cut_is_not_copied() {
        assert_eq!(prune("<p>正文</p><script></script>"), None);
        assert_eq!(prune("纯文本，没有标记"), None);
    }

    #[test]
    fn the_script_ends_at_the_first_end_tag_in_any_case() {
        assert_eq!(
            prune("<script>a</scriptx>b</Script >c").as_deref(),
            Some("<script></Script >c")
        );
    }

    #[test]
    fn a_quoted_attribute_value_may_hold_markup() {
        assert_eq!(
            prune("<a title='<script>' href=\"x>y<!--\">链接</a><!--c-->").as_deref(),
            Some("<a title='<script>' href=\"x>y<!--\">链接</a>")
        );
        // An unquoted value ends at the `>`.
        assert_eq!(
            prune("<a href=x><!--c-->甲</a>").as_deref(),
            Some("<a href=x>甲</a>")
        );
    }

    #[test]
    fn text_elements_hold_what_looks_like_markup_as_text() {
        for page in [
            "<title>a<!--b-->c</title>",
            "<textarea><script>x</script></textarea>",
            "<noscript><!-- n --></noscript>",
            "<xmp><style>s</style></xmp>",
        ] {
            assert_eq!(prune(page), None, "{page}");
        }
        assert_eq!(
            prune("<title><!--t--></title><!--c-->").as_deref(),
            Some("<title><!--t--></title>")
        );
    }

    #[test]
    fn comments_the_parser_ends_early_or_never_are_left_to_it() {
        for page in ["<!-->正文", "<!--->正文", "<p>正文<!-- 未闭合"] {
            assert_eq!(prune(page), None, "{page}");
        }
        assert_eq!(prune("a<!-- b --!>c").as_deref(), Some("ac"));
    }

    #[test]
    fn bogus_comments_and_doctypes_hide_what_they_hold() {
        // The tokenizer reads `<?x <script>` as one bogus comment ending at the first `>`.
        assert_eq!(prune("<!DOCTYPE html><?x <script>y</script>"), None);
        assert_eq!(prune("<![CDATA[<script>]]>z</script>"), None);
    }

    #[test]
    fn an_escaped_script_and_foreign_content_end_the_pruning() {
        let escaped = "<!--a--><script><!--<script>x</script>--></script><!--b-->";
        assert_eq!(
            prune(escaped).as_deref(),
            Some("<script><!--<script>x</script>--></script><!--b-->")
        );
        assert_eq!(
            prune("<!--a--><svg><style>s</style></svg><!--b-->").as_deref(),
            Some("<svg><style>s</style></svg><!--b-->")
        );
    }

    #[test]
    fn a_page_cut_off_inside_a_tag_or_script_keeps_its_tail() {
        assert_eq!(
            prune("<!--a--><p class=\"x").as_deref(),
            Some("<p class=\"x")
        );
        assert_eq!(
            prune("<!--a--><script>var x").as_deref(),
            Some("<script>var x")
        );
    }

    /// The tree as the extractor sees it: every element by name with the attributes it reads,
    /// and the text outside script and style, in document order. Whitespace counts as the
    /// extractor counts it, collapsed and trimmed at elements: without a comment that split a
    /// run of text, the run is one (`编辑：（<!--…-->胡冠山`), and in a table the tree builder
    /// may then place its whitespace on the other side of the table.
    fn visible(page: &str) -> Vec<String> {
        let html = scraper::Html::parse_document(page);
        let mut seen: Vec<String> = Vec::new();
        let mut text = String::new();
        let flush = |seen: &mut Vec<String>, text: &mut String| {
            let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if !collapsed.is_empty() {
                seen.push(format!("text {collapsed}"));
            }
            text.clear();
        };
        for node in html.tree.root().descendants() {
            match node.value() {
                scraper::Node::Element(e) => {
                    flush(&mut seen, &mut text);
                    let mut tag = format!("element {}", e.name());
                    for (q, v) in &e.attrs {
                        if &*q.local == "style" {
                            // A style is read only for whether it hides the element.
                            if super::super::html::style_hides(v) {
                                tag.push_str(" hidden-by-style");
                            }
                        } else if super::READ_ATTRIBUTES.contains(&&*q.local) {
                            tag.push_str(&format!(" {}={v:?}", &*q.local));
                        }
                    }
                    seen.push(tag);
                }
                scraper::Node::Text(t) => {
                    let raw = node
                        .parent()
                        .and_then(|p| p.value().as_element().map(|e| e.name()))
                        .is_some_and(|n| n == "script" || n == "style");
                    if !raw {
                        text.push_str(t);
                    }
                }
                _ => {}
            }
        }
        flush(&mut seen, &mut text);
        seen
    }

    const PIECES: [&str; 40] = [
        "<p>",
        "</p>",
        "正文",
        "<div class=\"a>b\">",
        "</div>",
        "<!-- c -->",
        "<!-->",
        "<!--",
        "-->",
        "<script>",
        "</script>",
        "<style>",
        "</style>",
        "<title>",
        "</title>",
        "<a href=x>",
        "</a>",
        "<!DOCTYPE html>",
        "<?x ",
        ">",
        "<textarea>",
        "</textarea>",
        "'",
        "\"",
        "<a onclick=\"f('>')\" href=/a/>",
        "<br data-x=1/>",
        "<td width=1 class=x id='y'>",
        "<table>",
        "<input type=hidden style=a>",
        "<img alt=\"<!--\" / >",
        " x=1",
        "=",
        "/",
        "<span title=t hidden onmouseover=x>",
        "<span style=\"font-size:16pt\">",
        "<div style='DISPLAY: none' style=x>",
        "<p style=\"a\" STYLE=\"display:none\">",
        "<p style=\"display&#58;none\">",
        "<p\rclass=x\rid=y>",
        "\r",
    ];

    proptest::proptest! {
        #[test]
        fn pruning_never_changes_what_the_extractor_reads(
            picks in proptest::collection::vec(0..PIECES.len(), 0..40)
        ) {
            let page: String = picks.iter().map(|&k| PIECES[k]).collect();
            if let Some(pruned) = prune(&page) {
                proptest::prop_assert_eq!(visible(&page), visible(&pruned), "{}", page);
            }
        }
    }
}

//! HTML disclosure pages → [`Document`].
//!
//! The bytes are decoded by [`crate::decode`] (BOM, a declaration the bytes agree with,
//! sniffing), parsed by html5ever (through `scraper`) exactly as a browser would, then read in
//! four parts:
//!
//! * **Content**: the element holding the article text is found by scoring, readability-style:
//!   every run of prose (text outside links, grouped by its nearest block element) credits the
//!   block's parent in full and its grandparent by half; class and id names that content
//!   containers of Chinese CMSs use (`TRS_Editor`, `zoom`, `UCAP-CONTENT`, …) add a bonus, and
//!   navigation, footer and related-link containers are never candidates. Its subtree is
//!   rendered into lines: block elements and `<br>` break lines, table rows become one line of
//!   tab-separated cells (a row with a single cell is layout and is rendered as paragraphs).
//! * **Metadata**: text outside the content is read as a sequence of segments in which
//!   `label：value` pairs are found, whether label and value share a text node, sit in adjacent
//!   cells or spans, or run together on one line (`文章来源:省审计厅发表时间:2020-12-28`);
//!   `<meta name=…>` tags of Chinese CMSs (`ArticleTitle`, `PubDate`, `ContentSource`,
//!   `Keywords`) add theirs. Labels are resolved by [`crate::metadata`].
//! * **Title**: `ArticleTitle`, else the heading element just before the content, else the
//!   panel's 名称/标题, else `<title>` without the site name.
//! * **Attachments**: links to office documents and archives, with their names.
//!
//! Traversal is iterative throughout, so nesting depth cannot overflow the stack.

use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};

use crate::config::Limits;
use crate::decode::decode_markup;
use crate::document::{Block, BlockKind, Document, EncodingInfo};
use crate::frame::squash;
use crate::metadata;
use crate::record::Attachment;
use crate::repair::text::is_han as is_cjk;

#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    #[error("page has no element content")]
    Empty,
}

impl HtmlError {
    pub fn kind(&self) -> &'static str {
        match self {
            HtmlError::Empty => "empty",
        }
    }
}

type NodeR<'a> = NodeRef<'a, Node>;

/// Elements whose content is never text a reader sees.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "select", "option", "button", "input", "textarea", "head", "map", "audio", "video",
];

/// Elements that start a new line.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "section",
    "article",
    "blockquote",
    "center",
    "pre",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "form",
    "fieldset",
    "figure",
    "figcaption",
    "address",
    "hr",
    "body",
    "html",
    "caption",
];

/// Class/id tokens of page chrome (names split on spaces, `-` and `_`): never content, never
/// the metadata panel.
const CHROME: &[&str] = &[
    "footer",
    "foot",
    "bottom",
    "copyright",
    "header",
    "nav",
    "navbar",
    "menu",
    "related",
    "xglj",
    "share",
    "bdsharebuttonbox",
    "tools",
    "qrcode",
    "ewm",
    "search",
    "login",
    "sidebar",
    "friendlink",
    "links",
    "editor",
    "zrbj",
    "fenxiang",
    "dayin",
    "banquan",
    "banquanmianze",
    "mianze",
];

/// Substrings of class/id names content containers use.
const CONTENT_HINTS: &[&str] = &[
    "trs_editor",
    "trs_ueditor",
    "zoom",
    "ucap-content",
    "article_content",
    "article-content",
    "articlecontent",
    "content-body",
    "content_body",
    "news-content",
    "news_content",
    "art-content",
    "detail-content",
    "detail_content",
    "pages_content",
    "fontcontent",
    "maintext",
    "main-txt",
    "zw",
    "custom_unionstyle",
    "view",
    "con_text",
    "txt",
];

/// Phrases of site footers and disclaimers; text holding one is not prose.
const FOOTER_MARKS: &[&str] = &[
    "版权所有",
    "ICP备",
    "主办单位",
    "承办单位",
    "网站标识码",
    "版权与免责声明",
    "公网安备",
    "技术支持",
];

/// Shortest run of CJK characters (one text node) counted as prose when chrome is weighed.
const MIN_PROSE_RUN: usize = 8;

/// Least prose a page needs before a chrome-named element holding half of it counts as the
/// article's wrapper.
const MIN_PAGE_PROSE: usize = 100;

/// Attachment file extensions.
const ATTACHMENT_EXTS: &[&str] = &[
    ".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".ofd", ".zip", ".rar", ".et", ".7z",
];

/// Labels of the line under a title that carries source and time, kept out of the body.
const INFO_LINE_LABELS: &[&str] = &[
    "文章来源",
    "信息来源",
    "来源",
    "发布时间",
    "发表时间",
    "发布日期",
    "更新时间",
    "日期",
    "时间",
    "作者",
    "浏览次数",
    "点击数",
    "访问量",
    "浏览量",
    "阅读量",
];

/// A document that starts with the page's charset and the decoder's warnings.
fn document_of(
    encoding: &str,
    source: crate::record::EncodingSource,
    warnings: Vec<String>,
) -> Document {
    Document {
        encoding: Some(EncodingInfo {
            name: encoding.to_string(),
            source,
        }),
        warnings,
        ..Document::default()
    }
}

/// Extract one HTML page.
///
/// # Errors
/// [`HtmlError::Empty`] when the page has no element content at all.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<Document, HtmlError> {
    if bytes.len() > limits.max_html_tree_bytes {
        return extract_stream(bytes, limits);
    }
    let decoded = decode_markup(bytes);
    let mut doc = document_of(decoded.encoding, decoded.source, decoded.warnings);
    // A page whose text is mojibake (UTF-8 once decoded as GBK or Latin-1 and saved again) is
    // read from its reversal; each body line's mojibake form is handed on so the repair engine
    // records the reversal.
    let mut text = decoded.text;
    // The tokenizer reads `\r\n` and a lone `\r` as `\n` (WHATWG newline normalization).
    // Doing it first keeps what is read before the tokenizer (the mojibake reversal's line
    // ends) the same for a page saved with Windows line ends.
    if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    if let Some(flat) = flatten_deep_markup(&text, limits.max_html_depth) {
        doc.warnings.push(format!(
            "html nested deeper than {} elements: markup below that depth flattened into its text",
            limits.max_html_depth
        ));
        text = flat;
    }
    let fixed = mojibake_sample(&text)
        .then(|| crate::repair::fix_mojibake(&text))
        .flatten();
    let html = parse_pruned(&text);
    let clean_html = fixed.as_ref().map(|(text, lossy)| {
        doc.warnings.push(if *lossy {
            "page text is mojibake (UTF-8 decoded as another charset); reversed, some characters lost".to_string()
        } else {
            "page text is mojibake (UTF-8 decoded as another charset); reversed".to_string()
        });
        parse_pruned(text)
    });
    // The trees hold their own copies of the text.
    drop(fixed);
    drop(text);
    let mut page = Page::new(clean_html.as_ref().unwrap_or(&html));
    let Some(body) = page.body() else {
        return Err(HtmlError::Empty);
    };
    let (mut root, outside) = page.content_root(body);
    // Little prose outside chrome: perhaps the article is in a wrapper named like chrome. (Only
    // then is the chrome's text weighed: on most pages it is the larger part of the page.)
    if outside < MIN_PAGE_PROSE {
        page.not_chrome = page.chrome_holding_the_article(body);
        if !page.not_chrome.is_empty() {
            root = page.content_root(body).0;
        }
    }
    let root = root
        .map(|r| page.widen_to_prose_siblings(r))
        .filter(|r| !page.only_links(*r));
    let mut blocks = match root {
        Some(r) => render(r, limits),
        None => Vec::new(),
    };
    if clean_html.is_some()
        && let Some(r) = root
    {
        doc.corrected = mojibake_lines(&html, r, &blocks, limits);
        if doc.corrected.is_empty() {
            doc.warnings
                .push("mojibake body lines could not be paired with their reversal".into());
        }
    }
    let metas = page.metas();
    let segments = page.segments(body, root.map(|r| r.id()));
    let (mut fields, panel_title) = panel_fields(&segments);
    // The title as printed: the pipeline cleans it, recording each change.
    let title = page.title(root, &metas, panel_title.as_deref());

    // A disclosure panel laid out as a table inside the content: a row of labels over a row of
    // values (`索取号 | 发布时间 | 发布机构 | 文件编号` / `076478684Q/2024-00112 | … `).
    let mut skip = 0;
    if let [labels, values, ..] = &blocks[..]
        && labels.kind == BlockKind::TableRow
        && values.kind == BlockKind::TableRow
    {
        let names: Vec<&str> = labels.text.split('\t').collect();
        let known = names
            .iter()
            .filter(|n| metadata::field_of(n).is_some())
            .count();
        if known >= 2 && known * 2 >= names.len() {
            for (label, value) in names.iter().zip(values.text.split('\t')) {
                fields.push((label.to_string(), value.to_string()));
            }
            skip = 2;
        }
    }
    // Among the first lines of the content, before any prose, the title may repeat and the
    // source/time line may stand; the links of an attachment list are not text either.
    doc.attachments = page.attachments(body);
    let names: Vec<String> = doc.attachments.iter().map(|a| squash(&a.name)).collect();
    let title_key = title
        .as_deref()
        .map(|t| squash(&crate::repair::clean_inline(t)));
    // The inline repairs change a line's length by a few characters (brackets added, `...`
    // made `……`): a line of more than twice the title's is never the title, and is not
    // repaired to find out.
    let title_bound = title_key
        .as_deref()
        .map_or(0, |t| 2 * t.chars().count() + 16);
    let may_be_title = |text: &str| {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .take(title_bound + 1)
            .count()
            <= title_bound
    };
    let mut keep = vec![true; blocks.len()];
    let mut in_head = true;
    for (i, b) in blocks.iter().enumerate() {
        // `squash(&b.text)` is only needed whole to compare with attachment names.
        let blank = b.text.chars().all(char::is_whitespace);
        in_head &= i < skip + 8;
        let repeats_title = || {
            may_be_title(&b.text)
                && title_key.as_deref()
                    == Some(squash(&crate::repair::clean_inline(&b.text)).as_str())
        };
        if i < skip || in_head && repeats_title() {
            keep[i] = false;
        } else if in_head && let Some(pairs) = info_line(&b.text) {
            fields.extend(pairs);
            keep[i] = false;
        } else if !blank
            && !names.is_empty()
            && let text = squash(&b.text)
            && names.iter().any(|n| {
                *n == text
                    || text.ends_with(n.as_str())
                        && text.chars().count() <= n.chars().count() + 4
                        && (text.starts_with("附件") || has_file_extension(n))
            })
        {
            keep[i] = false;
        } else if in_head
            && b.text
                .chars()
                .filter(|c| !c.is_whitespace())
                .nth(40)
                .is_some()
        {
            in_head = false;
        }
    }
    // A source credit closing the article (`来源：无锡交警`) is metadata, not text.
    if let Some(last) = (0..blocks.len())
        .rev()
        .find(|&i| keep[i] && !blocks[i].text.trim().is_empty())
        && let Some(name) = source_credit(&blocks[last].text)
    {
        keep[last] = false;
        fields.push(("来源".to_string(), name));
    }
    let mut renumber = vec![None; blocks.len()];
    let mut next = 0;
    for (i, k) in keep.iter().enumerate() {
        if *k {
            renumber[i] = Some(next);
            next += 1;
        }
    }
    let mut kept = keep.iter();
    blocks.retain(|_| kept.next().copied().unwrap_or(true));
    doc.corrected = std::mem::take(&mut doc.corrected)
        .into_iter()
        .filter_map(|(i, rule, text)| renumber.get(i).copied().flatten().map(|j| (j, rule, text)))
        .collect();

    // A 发布日期 printed with its time (`发布日期：2024-07-05 13:57`) is the publication time
    // when no 发布时间 is printed.
    if let Some((_, printed)) = fields.iter().find(|(label, value)| {
        metadata::field_of(label) == Some(metadata::Field::IssuedDate)
            && metadata::parse_datetime(value).is_some()
    }) {
        fields.push(("发布时间".to_string(), printed.clone()));
    }
    // The page's `<meta>` tags fill only what it prints nowhere: a CMS writes `PubDate` when it
    // generates the page, which may be years after the date printed under the title.
    for (name, label) in [
        ("pubdate", "发布时间"),
        ("contentsource", "来源"),
        ("keywords", "关键词"),
    ] {
        if let Some(v) = metas.get(name).filter(|v| !v.trim().is_empty())
            && (name != "keywords" || are_article_keywords(v, &metas, title.as_deref()))
        {
            fields.push((label.to_string(), v.clone()));
        }
    }
    doc.metadata.breadcrumb = page.breadcrumb(body);
    doc.fields = fields;
    doc.title = title;
    doc.blocks = blocks;
    Ok(doc)
}

/// Most keywords an article's `<meta name="Keywords">` holds: a longer list is the site's.
const MAX_META_KEYWORDS: usize = 12;

/// Endings of words for a network that end in 网 and are no site's name (`互联网`, `电网`,
/// `供水管网`, `路网`): a keyword like any other.
const NETWORK_WORDS: &[&str] = &[
    "联网", "电网", "管网", "路网", "域网", "特网", "带网", "干网", "信网", "讯网", "水网", "河网",
    "流网", "天网", "光网", "农网", "织网", "密网", "法网",
];

/// Whether a page's `<meta name="Keywords">` value names the article's keywords, not the
/// site's: many CMSs fill it with the portal's list (`广东省人民政府门户网站,政府,GOV,…`), the
/// site's name (its `SiteName` meta, a name ending in 网 or 网站), or the title again, whole or
/// split at its spaces.
fn are_article_keywords(value: &str, metas: &HashMap<String, String>, title: Option<&str>) -> bool {
    let items = metadata::split_keywords(value);
    if items.is_empty() || items.len() > MAX_META_KEYWORDS {
        return false;
    }
    // (A column's name is a keyword like any other: `道路运输,公路建设,规范性文件`.)
    let site = metas
        .get("sitename")
        .map(|v| v.trim())
        .filter(|v| !v.is_empty());
    let site_wide = |k: &String| {
        site == Some(k.as_str())
            || k.ends_with("网站")
            || k.ends_with("门户")
            || k.ends_with('网') && !NETWORK_WORDS.iter().any(|w| k.ends_with(w))
    };
    if items.iter().any(site_wide) {
        return false;
    }
    let squashed: String = items.concat();
    !title.is_some_and(|t| squash(t) == squashed || items.iter().any(|k| squash(k) == squash(t)))
}

/// Extensions of the files an attachment link names (`…通知.doc`).
const FILE_EXTENSIONS: &[&str] = &[
    ".doc", ".docx", ".pdf", ".xls", ".xlsx", ".wps", ".et", ".zip", ".rar", ".7z", ".txt", ".ofd",
    ".ceb", ".jpg", ".png",
];

/// Whether an attachment's name is a file name (`…通知.doc`): a line holding it after a list
/// number is a link of the page's file list. A name without one (`2.<a>作品报送要求</a>`) is an
/// item of the document's own list of attachments (附件说明), which stays in the body.
fn has_file_extension(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    FILE_EXTENSIONS.iter().any(|e| lower.ends_with(e))
}

/// Bytes of a huge page fed to charset sniffing: enough for any detector's verdict, and
/// sniffing stays linear in a bounded prefix.
const STREAM_SNIFF_BYTES: usize = 1024 * 1024;

/// Characters of decoded text handed to the tokenizer at a time.
const STREAM_CHUNK_BYTES: usize = 1024 * 1024;

/// Extract a page too large for a document tree: the tokenizer runs without the tree builder
/// and the text is rendered as it streams by (block elements and `<br>` break lines, table
/// rows become tab-separated lines), script, style and the other [`SKIPPED`] elements left out,
/// until `limits.max_text_chars` characters are kept. Memory stays bounded by the input, its
/// decoded text and the kept text: no tree, no copy of the page per stage. There is no content
/// scoring, metadata panel or attachment list on this path; a warning says so.
///
/// # Errors
/// [`HtmlError::Empty`] when no text at all was found.
pub fn extract_stream(bytes: &[u8], limits: &Limits) -> Result<Document, HtmlError> {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{BufferQueue, Tokenizer, TokenizerOpts};

    let decoded = crate::decode::decode_markup_sniffing(bytes, STREAM_SNIFF_BYTES);
    let mut doc = document_of(decoded.encoding, decoded.source, decoded.warnings);
    doc.warnings.push(format!(
        "html larger than {} bytes (--max-html-tree-bytes): read as a stream of text, \
         without content detection, metadata panel or attachments",
        limits.max_html_tree_bytes
    ));
    let sink = StreamSink {
        state: std::cell::RefCell::new(StreamState {
            limit: limits.max_text_chars,
            flow: Frame::flow(),
            ..StreamState::default()
        }),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let queue = BufferQueue::default();
    let text = decoded.text.as_str();
    let mut at = 0;
    while at < text.len() && !tokenizer.sink.state.borrow().full {
        let mut end = (at + STREAM_CHUNK_BYTES).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        queue.push_back(StrTendril::from_slice(&text[at..end]));
        let _ = tokenizer.feed(&queue);
        at = end;
    }
    if !tokenizer.sink.state.borrow().full {
        tokenizer.end();
    }
    drop(decoded.text);
    let mut state = tokenizer.sink.state.into_inner();
    state.close_row();
    state.flow.flush();
    if state.full {
        doc.warnings.push(format!(
            "body truncated to {} characters",
            limits.max_text_chars
        ));
    }
    if state.flow.blocks.is_empty() && !state.saw_element {
        return Err(HtmlError::Empty);
    }
    let mut title = String::new();
    collapse_into(&mut title, &state.title);
    let title = title.trim();
    doc.title = (title.chars().filter(|&c| is_cjk(c)).count() >= 2)
        .then(|| strip_site_name(title, ""))
        .flatten();
    doc.blocks = state.flow.blocks;
    Ok(doc)
}

/// The token sink of [`extract_stream`].
struct StreamSink {
    state: std::cell::RefCell<StreamState>,
}

#[derive(Default)]
struct StreamState {
    /// The running flow of lines.
    flow: Frame,
    /// The open table row's cells, if a row is open.
    row: Option<Vec<Vec<Block>>>,
    /// The open cell of that row.
    cell: Option<Frame>,
    /// Open [`SKIPPED`] elements (`head` aside), innermost last.
    skipped: Vec<String>,
    /// Inside `<head>`, which closes itself at the first element that belongs to the body.
    in_head: bool,
    in_title: bool,
    title: String,
    saw_element: bool,
    /// Characters kept so far, and the most kept.
    kept: usize,
    limit: usize,
    /// The limit was reached: the rest of the page is not read.
    full: bool,
}

impl Default for Frame {
    fn default() -> Frame {
        Frame::flow()
    }
}

impl StreamState {
    fn frame(&mut self) -> &mut Frame {
        match self.cell.as_mut() {
            Some(c) => c,
            None => &mut self.flow,
        }
    }

    fn close_cell(&mut self) {
        if let Some(mut cell) = self.cell.take() {
            cell.flush();
            self.row.get_or_insert_with(Vec::new).push(cell.blocks);
        }
    }

    fn close_row(&mut self) {
        self.close_cell();
        if let Some(cells) = self.row.take() {
            self.flow.flush();
            emit_row(&mut self.flow, cells);
        }
    }

    fn tag(
        &mut self,
        tag: &html5ever::tokenizer::Tag,
    ) -> html5ever::tokenizer::TokenSinkResult<()> {
        use html5ever::tokenizer::states::RawKind;
        use html5ever::tokenizer::{EndTag, StartTag, TokenSinkResult};
        self.saw_element = true;
        let name: &str = &tag.name;
        let void = matches!(name, "input" | "embed");
        match tag.kind {
            StartTag => {
                if name == "head" {
                    self.in_head = true;
                    return TokenSinkResult::Continue;
                }
                if name == "title" && self.skipped.is_empty() {
                    self.in_title = true;
                    return TokenSinkResult::RawData(RawKind::Rcdata);
                }
                if !matches!(
                    name,
                    "meta" | "link" | "base" | "style" | "script" | "noscript" | "template"
                ) {
                    self.in_head = false;
                }
                if SKIPPED.contains(&name) && !void && !tag.self_closing {
                    // An option left open closes at the next one, as in a browser.
                    if name == "option" && self.skipped.last().is_some_and(|t| t == "option") {
                        self.skipped.pop();
                    }
                    self.skipped.push(name.to_string());
                    return match name {
                        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                        "style" | "iframe" | "noscript" => {
                            TokenSinkResult::RawData(RawKind::Rawtext)
                        }
                        "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
                        _ => TokenSinkResult::Continue,
                    };
                }
                if !self.skipped.is_empty() {
                    return TokenSinkResult::Continue;
                }
                match name {
                    "br" => self.frame().flush(),
                    "tr" => {
                        self.close_row();
                        self.row = Some(Vec::new());
                    }
                    "td" | "th" => {
                        self.close_cell();
                        if self.row.is_some() {
                            self.cell = Some(Frame::flow());
                        }
                    }
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                        let f = self.frame();
                        f.flush();
                        f.heading = true;
                    }
                    "table" => self.close_row(),
                    _ if BLOCKS.contains(&name) => self.frame().flush(),
                    _ => {}
                }
            }
            EndTag => {
                if name == "title" {
                    self.in_title = false;
                    return TokenSinkResult::Continue;
                }
                if name == "head" {
                    self.in_head = false;
                    return TokenSinkResult::Continue;
                }
                if let Some(open) = self.skipped.iter().rposition(|t| t == name) {
                    // Elements left open inside it close with it.
                    self.skipped.truncate(open);
                    return TokenSinkResult::Continue;
                }
                if !self.skipped.is_empty() {
                    return TokenSinkResult::Continue;
                }
                match name {
                    "td" | "th" => self.close_cell(),
                    "tr" | "table" => self.close_row(),
                    _ if BLOCKS.contains(&name) => self.frame().flush(),
                    _ => {}
                }
            }
        }
        TokenSinkResult::Continue
    }

    fn text(&mut self, text: &str) {
        if self.in_title {
            if self.title.len() < 4096 {
                self.title.push_str(text);
            }
            return;
        }
        if !self.skipped.is_empty() || self.in_head || self.full {
            return;
        }
        let before = self.frame().line.len();
        collapse_into(&mut self.frame().line, text);
        let added = self.frame().line[before..].chars().count();
        self.kept += added;
        if self.kept > self.limit {
            self.full = true;
        }
    }
}

impl html5ever::tokenizer::TokenSink for StreamSink {
    type Handle = ();

    fn process_token(
        &self,
        token: html5ever::tokenizer::Token,
        _line_number: u64,
    ) -> html5ever::tokenizer::TokenSinkResult<()> {
        use html5ever::tokenizer::{Token, TokenSinkResult};
        let mut state = self.state.borrow_mut();
        if state.full {
            return TokenSinkResult::Continue;
        }
        match token {
            Token::TagToken(tag) => state.tag(&tag),
            Token::CharacterTokens(t) => {
                state.text(&t);
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

/// Elements that close themselves or are usually left open (`<p>`, `<li>`, table cells): they
/// do not count towards the nesting estimate.
const UNCOUNTED: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "option", "tr", "td", "th", "tbody", "thead", "tfoot",
    "colgroup",
];

/// Whether `name` (ASCII letters and digits) is one of [`UNCOUNTED`], in any case.
fn is_uncounted(name: &str) -> bool {
    let mut lower = [0u8; 8];
    if name.len() > lower.len() {
        return false;
    }
    lower[..name.len()].copy_from_slice(name.as_bytes());
    lower.make_ascii_lowercase();
    let lower = &lower[..name.len()];
    UNCOUNTED.iter().any(|u| u.as_bytes() == lower)
}

/// A page nested tens of thousands of elements deep would take the HTML parser quadratic
/// time (its tree builder scans the stack of open elements). Estimate the nesting from the tags
/// and, past `max_depth`, drop the tags (never the text) until the depth falls back. `None`
/// when the page is within the limit, which is every ordinary page.
pub(crate) fn flatten_deep_markup(text: &str, max_depth: usize) -> Option<String> {
    let bytes = text.as_bytes();
    // Every element opens with a `<`: a page with no more of them than the limit is within it.
    memchr::memchr_iter(b'<', bytes).nth(max_depth)?;
    let mut depth = 0usize;
    let mut deepest = 0usize;
    // (start, end) byte ranges of tags to drop.
    let mut drop: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        let start = i + off;
        let Some(len) = memchr::memchr(b'>', &bytes[start..]) else {
            break;
        };
        let end = start + len + 1;
        let tag = &text[start + 1..end - 1];
        i = end;
        let closing = tag.starts_with('/');
        let raw = tag.trim_start_matches('/');
        let name = &raw[..raw.bytes().take_while(u8::is_ascii_alphanumeric).count()];
        if name.is_empty() || is_uncounted(name) || tag.ends_with('/') {
            continue;
        }
        if closing {
            if depth > max_depth {
                drop.push((start, end));
            }
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            deepest = deepest.max(depth);
            if depth > max_depth {
                drop.push((start, end));
            }
        }
    }
    if deepest <= max_depth {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (s, e) in drop {
        out.push_str(&text[at..s]);
        at = e;
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// The attributes the extractor reads: `id`, `class`, `hidden` and `style` for chrome and
/// hidden elements, `href` and `title` for attachments, `name` and `content` for meta tags,
/// `rowspan` and `colspan` for the columns of a table's rows, `align` for centred text (see
/// [`sets_off`]; html5ever, where the fast path declines, keeps it too).
/// [`super::tokenize`] builds the tree without the others (but those the tree builder reads
/// itself): on scraped pages most attributes are `onclick`, `target`, `width`, `data-*` and
/// the like.
const READ_ATTRIBUTES: [&str; 11] = [
    "id", "class", "style", "hidden", "href", "title", "name", "content", "rowspan", "colspan",
    "align",
];

/// The page's tree, by [`super::tokenize`] where it can (the same tree, faster, with only
/// the [`READ_ATTRIBUTES`]) and by html5ever where it declines, without what the extractor
/// never reads (see [`drop_unread`]).
fn parse_pruned(text: &str) -> Html {
    let mut html = super::tokenize::parse_keeping(text, Some(&READ_ATTRIBUTES))
        .unwrap_or_else(|| Html::parse_document(text));
    drop_unread(&mut html);
    html
}

/// Cut from a parsed page what the extractor never reads: its comments, and the text of its
/// `<script>` and `<style>` elements (a script's strings are no prose and no metadata panel,
/// however Chinese). Text that a comment split is one text again (`编辑：（<!--作者-->胡冠山`),
/// as if the comment had never been written. The cut nodes are detached, not freed: the tree
/// is dropped whole with the page.
fn drop_unread(html: &mut Html) {
    let doomed: Vec<NodeId> = html
        .tree
        .root()
        .descendants()
        .filter(|n| match n.value() {
            Node::Comment(_) => true,
            Node::Text(_) => n
                .parent()
                .and_then(|p| p.value().as_element())
                .is_some_and(|e| {
                    matches!(
                        e.name.local,
                        html5ever::local_name!("script") | html5ever::local_name!("style")
                    )
                }),
            _ => false,
        })
        .map(|n| n.id())
        .collect();
    for id in doomed {
        let Some(node) = html.tree.get(id) else {
            continue;
        };
        let is_comment = node.value().is_comment();
        let text_id = |n: Option<NodeR<'_>>| n.filter(|n| n.value().is_text()).map(|n| n.id());
        let joined = (text_id(node.prev_sibling()), text_id(node.next_sibling()));
        if let Some(mut node) = html.tree.get_mut(id) {
            node.detach();
        }
        // Only a comment stands between two texts: the tree builder joins adjacent text.
        if let (true, (Some(before), Some(after))) = (is_comment, joined) {
            let Some(mut after) = html.tree.get_mut(after) else {
                continue;
            };
            let tail = match after.value() {
                Node::Text(t) => std::mem::take(&mut t.text),
                _ => continue,
            };
            after.detach();
            if let Some(mut before) = html.tree.get_mut(before)
                && let Node::Text(t) = before.value()
            {
                t.text.push_tendril(&tail);
            }
        }
    }
}

/// A cheap first look for mojibake: whether the first few KiB of non-ASCII text reverse. Only
/// a page whose sample does is reversed whole (its lost characters are chosen then, from the
/// whole page's evidence).
fn mojibake_sample(text: &str) -> bool {
    let Some(start) = text.find(|c: char| !c.is_ascii()) else {
        return false;
    };
    let mut end = (start + 4096).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    crate::repair::mojibake::is_mojibake(&text[start..end])
}

fn element_name<'a>(n: &NodeR<'a>) -> Option<&'a str> {
    n.value().as_element().map(|e| e.name())
}

/// The element's id and class names, lower-cased and each followed by a space. Every use
/// looks for tokens or space-free substrings, so the order of the classes does not matter.
fn class_id(n: &NodeR<'_>) -> String {
    let Some(e) = n.value().as_element() else {
        return String::new();
    };
    let mut s = String::new();
    for part in id_and_classes(e) {
        s.push_str(part);
        s.push(' ');
    }
    s.to_ascii_lowercase()
}

/// The element's id (whole) and its class names, read from the attributes as scraper's
/// `id()` and `classes()` read them, but without interning each class name (nor sorting and
/// deduplicating them, which no caller needs).
fn id_and_classes(e: &scraper::node::Element) -> impl Iterator<Item = &str> {
    let id = e
        .attrs
        .iter()
        .find(|(q, _)| &*q.local == "id")
        .map(|(_, v)| &**v);
    let classes = e
        .attrs
        .iter()
        .filter(|(q, _)| &*q.local == "class")
        .flat_map(|(_, v)| v.split_ascii_whitespace());
    id.into_iter().chain(classes)
}

fn is_hidden(n: &NodeR<'_>) -> bool {
    let Some(e) = n.value().as_element() else {
        return false;
    };
    if SKIPPED.contains(&e.name()) {
        return true;
    }
    let mut style = None;
    for (q, v) in &e.attrs {
        if q.prefix.is_some() || !q.ns.is_empty() {
            continue;
        }
        if q.local == html5ever::local_name!("hidden") {
            return true;
        }
        if q.local == html5ever::local_name!("style") && style.is_none() {
            style = Some(&**v);
        }
        if q.local == html5ever::local_name!("class")
            && v.split_ascii_whitespace().any(|c| MOBILE_ONLY.contains(&c))
        {
            return true;
        }
    }
    thread_local! {
        static STYLES: Memo<bool> = Memo::default();
    }
    style.is_some_and(|s| remember(&STYLES, s, style_hides))
}

/// Classes of the common CSS frameworks (Amaze UI, Bootstrap 3, Foundation) that show an
/// element on small screens only: a page that repeats its article for phones is read in its
/// desktop copy, the one a browser shows.
const MOBILE_ONLY: &[&str] = &[
    "am-show-sm-only",
    "visible-xs",
    "visible-xs-block",
    "visible-phone",
    "show-for-small-only",
];

/// Whether an inline style hides its element (`display: none`, `visibility: hidden`).
pub(super) fn style_hides(s: &str) -> bool {
    // Whitespace is ignored and ASCII case folded, as in `DISPLAY: none`; both declarations
    // hold an `n`.
    if !s.bytes().any(|b| matches!(b, b'n' | b'N')) {
        return false;
    }
    // Byte by byte: both declarations are ASCII, so a non-ASCII character that is not
    // whitespace only has to break a match (it stands as one 0xFF byte).
    let mut squeezed = Vec::with_capacity(s.len());
    for (i, b) in s.bytes().enumerate() {
        if b.is_ascii() {
            if !(b == b' ' || (0x09..=0x0D).contains(&b)) {
                squeezed.push(b.to_ascii_lowercase());
            }
        } else if s.is_char_boundary(i) && s[i..].chars().next().is_some_and(|c| !c.is_whitespace())
        {
            squeezed.push(0xFF);
        }
    }
    static HIDING: std::sync::LazyLock<[memchr::memmem::Finder<'static>; 3]> =
        std::sync::LazyLock::new(|| {
            [
                b"display:none".as_slice(),
                b"visibility:hidden",
                // Text for screen readers only (`font:0/0 Arial`).
                b"font:0/0",
            ]
            .map(memchr::memmem::Finder::new)
        });
    if HIDING.iter().any(|f| f.find(&squeezed).is_some()) {
        return true;
    }
    // A box of no height that hides its overflow (`width:0;height:0;overflow:hidden`).
    let zero_height = [b"height:0;".as_slice(), b"height:0px"]
        .iter()
        .any(|h| memchr::memmem::find(&squeezed, h).is_some())
        || squeezed.ends_with(b"height:0");
    zero_height && memchr::memmem::find(&squeezed, b"overflow:hidden").is_some()
}

/// Answers kept per attribute value, a bounded number per thread: pages repeat their class
/// names and inline styles (a menu's hundred `nav-item`s, a site's every page).
type Memo<V> = std::cell::RefCell<FxHashMap<Box<str>, V>>;

/// `answer(key)`, kept in `memo`.
fn remember<V: Copy>(
    memo: &'static std::thread::LocalKey<Memo<V>>,
    key: &str,
    answer: impl FnOnce(&str) -> V,
) -> V {
    const KEPT: usize = 4096;
    memo.with_borrow_mut(|seen| {
        if let Some(&v) = seen.get(key) {
            return v;
        }
        let v = answer(key);
        if seen.len() >= KEPT {
            seen.clear();
        }
        seen.insert(key.into(), v);
        v
    })
}

fn is_chrome(n: &NodeR<'_>) -> bool {
    let Some(e) = n.value().as_element() else {
        return false;
    };
    if matches!(e.name(), "nav" | "footer" | "header") {
        return true;
    }
    // The same test as on `class_id`, part by part: no content hint or chrome token spans the
    // space that joins the id and the classes there.
    let mut chrome = false;
    for part in id_and_classes(e) {
        let (hint, chrome_word) = classify_name(part);
        if hint {
            return false;
        }
        chrome |= chrome_word;
    }
    chrome
}

/// Whether an id or class name holds a content hint, and whether one of its words (split at
/// `-`, `_` and spaces) is a chrome word.
fn classify_name(name: &str) -> (bool, bool) {
    thread_local! {
        static NAMES: Memo<(bool, bool)> = Memo::default();
    }
    remember(&NAMES, name, |name| {
        // `share_author` holds the source and date line beside the share buttons.
        let words = || name.split([' ', '-', '_']);
        (
            is_content_hint(name),
            words().any(is_chrome_word) && !words().any(is_info_word),
        )
    })
}

/// Whether `token` is one of the [`CHROME`] words, in any ASCII case.
/// Words of a class or id that name an article's info line (source, author, date).
const INFO_WORDS: &[&str] = &["author", "source", "describe", "pubtime", "pubdate"];

fn is_info_word(token: &str) -> bool {
    INFO_WORDS.iter().any(|w| w.eq_ignore_ascii_case(token))
}

fn is_chrome_word(token: &str) -> bool {
    CHROME.iter().any(|c| c.eq_ignore_ascii_case(token))
}

fn is_content_hint(class_id: &str) -> bool {
    // One pass over the name for all the hints, in any ASCII case: this runs for every
    // element with a class or id, several times a page.
    static HINTS: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
        // A contiguous NFA: the names searched are a few bytes long, and a DFA's construction
        // (the default for so few patterns) would cost each worker process more than all the
        // searches of a page.
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .build(CONTENT_HINTS)
            .expect("the content hints are plain strings")
    });
    HINTS.is_match(class_id)
}

/// Whether `text` holds one of [`FOOTER_MARKS`].
fn has_footer_mark(text: &str) -> bool {
    static FINDERS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::LazyLock::new(|| {
            FOOTER_MARKS
                .iter()
                .map(memchr::memmem::Finder::new)
                .collect()
        });
    !text.is_ascii() && FINDERS.iter().any(|f| f.find(text.as_bytes()).is_some())
}

/// The value of attribute `name` (no namespace), as [`scraper::node::Element::attr`] finds it,
/// without interning `name` first.
fn attr<'a>(e: &'a scraper::node::Element, name: &str) -> Option<&'a str> {
    e.attrs
        .iter()
        .find(|(q, _)| q.prefix.is_none() && q.ns.is_empty() && &*q.local == name)
        .map(|(_, v)| &**v)
}

fn is_block(n: &NodeR<'_>) -> bool {
    // [`BLOCKS`] as atoms: comparing two is comparing two integers.
    static NAMES: std::sync::LazyLock<Box<[html5ever::LocalName]>> =
        std::sync::LazyLock::new(|| BLOCKS.iter().map(|&n| n.into()).collect());
    n.value()
        .as_element()
        .is_some_and(|e| NAMES.contains(&e.name.local))
}

/// Collapse HTML whitespace (ASCII spaces, tabs, newlines) to single spaces; no-break and
/// ideographic spaces are characters, left for the repair engine.
fn collapse_into(out: &mut String, text: &str) {
    out.reserve(text.len());
    let is_ws = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut rest = text;
    while !rest.is_empty() {
        // The whitespace bytes are ASCII, so every cut below is on a character boundary.
        let run = rest.bytes().position(is_ws).unwrap_or(rest.len());
        out.push_str(&rest[..run]);
        rest = &rest[run..];
        let gap = rest.bytes().take_while(|&b| is_ws(b)).count();
        if gap > 0 {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
            rest = &rest[gap..];
        }
    }
}

struct Page<'a> {
    html: &'a Html,
    /// Elements named like chrome that hold the article all the same (see
    /// [`Page::chrome_holding_the_article`]).
    not_chrome: FxHashSet<NodeId>,
}

impl<'a> Page<'a> {
    fn new(html: &'a Html) -> Page<'a> {
        Page {
            html,
            not_chrome: FxHashSet::default(),
        }
    }

    /// [`is_chrome`], less the chrome-named elements that hold the article.
    fn is_chrome(&self, n: &NodeR<'_>) -> bool {
        is_chrome(n) && !self.not_chrome.contains(&n.id())
    }

    /// The elements of `body` named like chrome (`<div class="menu_con">`) that hold at least
    /// half the page's prose: a wrapper whose name misleads, not a menu. Prose here is text
    /// outside links and hidden elements, in runs of [`MIN_PROSE_RUN`] CJK characters or more,
    /// footers' phrases left out; a page with less than [`MIN_PAGE_PROSE`] of it keeps all its
    /// chrome.
    fn chrome_holding_the_article(&self, body: NodeR<'a>) -> FxHashSet<NodeId> {
        let mut total = 0usize;
        // Chrome-named elements still open, with the prose seen before each opened.
        let mut open: Vec<(NodeId, usize)> = Vec::new();
        let mut held: Vec<(NodeId, usize)> = Vec::new();
        // For each open element, whether it is (inside) a link or a hidden element.
        let mut excluded: Vec<bool> = Vec::new();
        for edge in body.traverse() {
            match edge {
                Edge::Open(n) if n.value().is_element() => {
                    let x = excluded.last().copied().unwrap_or(false)
                        || element_name(&n) == Some("a")
                        || is_hidden(&n);
                    excluded.push(x);
                    if is_chrome(&n) {
                        open.push((n.id(), total));
                    }
                }
                Edge::Close(n) if n.value().is_element() => {
                    excluded.pop();
                    if open.last().is_some_and(|&(id, _)| id == n.id())
                        && let Some((id, before)) = open.pop()
                    {
                        held.push((id, total - before));
                    }
                }
                Edge::Open(n) => {
                    // (A CJK character takes three bytes: a shorter text holds no run.)
                    if let Some(t) = n.value().as_text()
                        && t.len() >= 3 * MIN_PROSE_RUN
                        && !excluded.last().copied().unwrap_or(false)
                    {
                        let cjk = t.chars().filter(|&c| is_cjk(c)).count();
                        if cjk >= MIN_PROSE_RUN && !has_footer_mark(t) {
                            total += cjk;
                        }
                    }
                }
                Edge::Close(_) => {}
            }
        }
        if total < MIN_PAGE_PROSE {
            return FxHashSet::default();
        }
        held.into_iter()
            .filter(|&(_, prose)| prose * 2 >= total)
            .map(|(id, _)| id)
            .collect()
    }

    fn body(&self) -> Option<NodeR<'a>> {
        let root = self.html.tree.root();
        root.descendants()
            .find(|n| element_name(n) == Some("body"))
            .or_else(|| root.first_child())
    }

    /// `<meta name=… content=…>` by lower-cased name.
    fn metas(&self) -> HashMap<String, String> {
        let mut out = HashMap::new();
        for n in self.html.tree.root().descendants() {
            if let Some(e) = n.value().as_element()
                && e.name() == "meta"
                && let (Some(name), Some(content)) = (attr(e, "name"), attr(e, "content"))
            {
                out.entry(name.to_ascii_lowercase())
                    .or_insert_with(|| content.to_string());
            }
        }
        out
    }

    /// The element that holds the article text, by readability-style scoring.
    ///
    /// Also returns the page's prose outside chrome (text outside links, hidden elements and
    /// chrome, in runs of [`MIN_PROSE_RUN`] CJK characters or more, footers' phrases left
    /// out): too little of it, and the article may sit in a wrapper named like chrome (see
    /// [`Page::chrome_holding_the_article`]).
    fn content_root(&self, body: NodeR<'a>) -> (Option<NodeR<'a>>, usize) {
        let mut outside = 0usize;
        let mut score: FxHashMap<NodeId, f64> = FxHashMap::default();
        let mut prose: FxHashMap<NodeId, usize> = FxHashMap::default();
        // CJK characters of prose per nearest block element, outside links and chrome.
        let mut stack: Vec<(NodeR<'a>, bool, bool)> = Vec::new(); // (element, excluded, block)
        // Elements inside page chrome (or chrome themselves): never candidates.
        let mut in_chrome: FxHashSet<NodeId> = FxHashSet::default();
        let mut chrome_depth = 0usize;
        for edge in body.traverse() {
            match edge {
                Edge::Open(n) if n.value().is_element() => {
                    let parent_excluded = stack.last().is_some_and(|&(_, x, _)| x);
                    let chrome = self.is_chrome(&n);
                    if chrome || chrome_depth > 0 {
                        chrome_depth += 1;
                        in_chrome.insert(n.id());
                    }
                    let excluded =
                        parent_excluded || chrome || is_hidden(&n) || element_name(&n) == Some("a");
                    stack.push((n, excluded, is_block(&n)));
                }
                Edge::Close(n) if n.value().is_element() => {
                    stack.pop();
                    chrome_depth = chrome_depth.saturating_sub(1);
                }
                Edge::Open(n) => {
                    if let Some(t) = n.value().as_text() {
                        if stack.last().is_some_and(|&(_, x, _)| x) {
                            continue;
                        }
                        // Site footers are never the article, however much text they hold.
                        if has_footer_mark(t) {
                            continue;
                        }
                        let cjk = t.chars().filter(|&c| is_cjk(c)).count();
                        if cjk == 0 {
                            continue;
                        }
                        if cjk >= MIN_PROSE_RUN {
                            outside += cjk;
                        }
                        if let Some((block, _, _)) = stack.iter().rev().find(|(_, _, b)| *b) {
                            *prose.entry(block.id()).or_default() += cjk;
                        }
                    }
                }
                Edge::Close(_) => {}
            }
        }
        let tree = &self.html.tree;
        for (&id, &cjk) in &prose {
            let Some(block) = tree.get(id) else { continue };
            // Short runs are labels and menu items, not prose.
            if cjk < 8 {
                continue;
            }
            let weight = cjk as f64;
            *score.entry(id).or_default() += weight * 0.25;
            let mut ancestors = block.ancestors().filter(|a| a.value().is_element());
            if let Some(p) = ancestors.next() {
                *score.entry(p.id()).or_default() += weight;
                if let Some(g) = ancestors.next() {
                    *score.entry(g.id()).or_default() += weight * 0.5;
                }
            }
        }
        let mut ranked: Vec<(f64, NodeR<'a>)> = Vec::new();
        for (&id, &s) in &score {
            let Some(n) = tree.get(id) else { continue };
            if matches!(element_name(&n), Some("body" | "html")) || in_chrome.contains(&id) {
                continue;
            }
            let bonus = if is_content_hint(&class_id(&n)) {
                1.3
            } else {
                1.0
            };
            ranked.push((s * bonus, n));
        }
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id().cmp(&b.1.id())));
        // A metadata panel can outscore a short article: skip candidates made of labels.
        let Some(root) = ranked
            .into_iter()
            .take(8)
            .map(|(_, n)| n)
            .find(|n| !is_panel(n))
        else {
            return (Some(body), outside);
        };
        // Prose in a table is spread over its cells, and the cell holding most of it wins: when
        // the article is a table of data (a penalty disclosure form exported from Word), the
        // article is the whole table.
        (Some(data_table_around(root).unwrap_or(root)), outside)
    }

    /// `root`, or the ancestor that holds it with prose beside it: a lead paragraph in a
    /// sibling `<section>` of the one with most of the article, the intro above an article that
    /// is a table (`根据《…》，现公告…如下：` over the `<table>`, the signature under it). An
    /// ancestor is taken while each of its other children holds either no visible text or
    /// prose ([`SiblingText::Prose`]) that is not a metadata panel. A title, a `日期：…` line, a
    /// share bar or a list of links beside the article stops the climb.
    fn widen_to_prose_siblings(&self, mut root: NodeR<'a>) -> NodeR<'a> {
        let root_is_table = element_name(&root) == Some("table");
        while let Some(parent) = root.parent().filter(|p| {
            p.value().is_element()
                && !matches!(element_name(p), Some("body" | "html"))
                && !self.is_chrome(p)
                && !is_hidden(p)
        }) {
            let mut after = false;
            // (The root may have climbed to its table from a row.)
            let among_tables = element_name(&root) == Some("table")
                && parent
                    .children()
                    .filter(|c| element_name(c) == Some("table"))
                    .nth(1)
                    .is_some();
            for child in parent.children() {
                if child.id() == root.id() {
                    after = true;
                    continue;
                }
                match sibling_text(
                    child,
                    Beside {
                        root_is_table,
                        after,
                        among_tables,
                    },
                ) {
                    SiblingText::Nothing => {}
                    SiblingText::Prose if !is_panel(&child) => {}
                    _ => return root,
                }
            }
            root = parent;
        }
        root
    }

    /// Text segments of the page outside the content root and chrome, in document order, each
    /// with the row it sits in (its nearest block ancestor other than a cell).
    /// Whether every character `n` shows is a link's: a column of adverts or a list of
    /// headlines, no article (what is left of a page whose article is a script's to load).
    /// Read up to the first text outside a link, which on an article page comes early.
    fn only_links(&self, n: NodeR<'a>) -> bool {
        let mut shown = false;
        for d in n.descendants() {
            let Some(t) = d.value().as_text() else {
                continue;
            };
            if t.trim().is_empty() {
                continue;
            }
            let in_link = d
                .ancestors()
                .take_while(|a| a.id() != n.id())
                .any(|a| element_name(&a) == Some("a"));
            if !in_link && !d.ancestors().any(|a| is_hidden(&a) || self.is_chrome(&a)) {
                return false;
            }
            shown = true;
        }
        shown
    }

    fn segments(&self, body: NodeR<'a>, root: Option<NodeId>) -> Vec<Segment> {
        let mut out = Vec::new();
        // Whether the walk has passed the content: a time after it is a comment's.
        let passed_root = std::cell::Cell::new(false);
        let skip = |n: &NodeR<'a>| {
            let is_root = Some(n.id()) == root;
            passed_root.set(passed_root.get() || is_root);
            is_root || is_hidden(n) || self.is_chrome(n)
        };
        visible_texts(body, skip, |n, t, in_link| {
            let mut s = String::new();
            collapse_into(&mut s, t);
            let s =
                s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{2002}');
            if !s.is_empty() {
                let row_node = n.ancestors().find(|a| {
                    is_block(a) && !matches!(element_name(a), Some("td" | "th" | "dd" | "dt"))
                });
                let row = row_node.map(|a| a.id());
                let group = row_node.and_then(|a| a.parent()).map(|p| p.id());
                let cell = n.ancestors().find(is_block).map(|a| a.id());
                // Only a date and time, in an element named for it (`<span id="pubtime">`).
                let timed = !passed_root.get()
                    && is_date_text(s)
                    && metadata::parse_datetime(s).is_some()
                    && n.parent().is_some_and(|p| {
                        let ci = class_id(&p);
                        TIME_NAMES.iter().any(|t| ci.contains(t))
                    });
                out.push(Segment {
                    text: s.to_string(),
                    row,
                    group,
                    cell,
                    in_link,
                    timed,
                });
            }
        });
        join_spaced_labels(out)
    }

    fn title(
        &self,
        root: Option<NodeR<'a>>,
        metas: &HashMap<String, String>,
        panel: Option<&str>,
    ) -> Option<String> {
        let clean = |s: &str| {
            let mut out = String::new();
            collapse_into(&mut out, s);
            let t = out.trim().to_string();
            (t.chars().filter(|&c| is_cjk(c)).count() >= 2).then_some(t)
        };
        if let Some(t) = metas.get("articletitle").and_then(|t| clean(t)) {
            return Some(t);
        }
        if let Some(t) = root.and_then(|r| self.heading_before(r)) {
            return Some(t);
        }
        if let Some(t) = panel.and_then(clean) {
            return Some(t);
        }
        let raw = self
            .html
            .tree
            .root()
            .descendants()
            .find(|n| element_name(n) == Some("title"))?;
        let text: String = raw
            .descendants()
            .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
            .collect();
        let text = clean(&text)?;
        let site = metas.get("sitename").cloned().unwrap_or_default();
        strip_site_name(&text, &site)
    }

    /// The nearest title-like element before the content root in document order.
    fn heading_before(&self, root: NodeR<'a>) -> Option<String> {
        let mut found: Option<String> = None;
        for n in self.html.tree.root().descendants() {
            if n.id() == root.id() {
                break;
            }
            let Some(name) = element_name(&n) else {
                continue;
            };
            let ci = class_id(&n);
            let titled = matches!(name, "h1" | "h2" | "h3")
                || ci.split(' ').any(|c| {
                    c.contains("title") || c.ends_with("tit") || c.contains("_tit") || c == "bt"
                });
            if !titled || n.ancestors().any(|a| self.is_chrome(&a)) || self.is_chrome(&n) {
                continue;
            }
            let text = collapsed_text(&n);
            let text = text.trim();
            let cjk = text.chars().filter(|&c| is_cjk(c)).count();
            if cjk >= 4 && !text.contains("相关") && !text.ends_with('：') {
                found = Some(text.to_string());
            }
        }
        found
    }

    fn breadcrumb(&self, body: NodeR<'a>) -> Vec<String> {
        let is_crumb_box = |n: &NodeR<'_>| {
            let ci = class_id(n);
            [
                "crumb", "position", "location", "weizhi", "dqwz", "mianbao", "path",
            ]
            .iter()
            .any(|h| ci.contains(h))
        };
        // A container named like a breadcrumb, or the block holding a `…位置：` label. A link
        // named so is a button (`<a class="weizhi">政策</a>`), not a trail.
        let in_link = |n: &NodeR<'_>| {
            std::iter::once(*n)
                .chain(n.ancestors())
                .any(|a| element_name(&a) == Some("a"))
        };
        let mut candidate = None;
        for n in body.descendants() {
            if n.value().is_element() {
                // A box holding a form is a search box, whatever its name says
                // (`<div class="Form-Crumbs-Article-QQ"><form …>`).
                if is_crumb_box(&n)
                    && !in_link(&n)
                    && !is_hidden(&n)
                    && collapsed_text(&n).chars().count() <= 200
                    && !n
                        .descendants()
                        .any(|d| matches!(element_name(&d), Some("form" | "input")))
                {
                    candidate = Some(n);
                    break;
                }
            } else if let Some(t) = n.value().as_text()
                && t.contains("位置")
                && (t.contains('：') || t.contains(':'))
                && let Some(block) = n.ancestors().find(|a| is_block(a))
                && collapsed_text(&block).chars().count() <= 200
            {
                candidate = Some(block);
                break;
            }
        }
        let Some(n) = candidate.or_else(|| self.unlabelled_trail(body, None)) else {
            return Vec::new();
        };
        let crumbs = crumbs_in(n);
        // A trail left with its home alone (`网站首页 > 详情页`) may stand for one printed in
        // full elsewhere on the page.
        if crumbs.len() < 2
            && let Some(other) = self.unlabelled_trail(body, Some(n.id()))
        {
            let more = crumbs_in(other);
            if more.len() > crumbs.len() {
                return more;
            }
        }
        crumbs
    }

    /// A trail with neither a label nor a name (`<div class="pos"><a>首页</a> &gt; <a>要闻动态
    /// </a>…`): the block around a link to the home page, followed by a separator and at least
    /// one more link, whose text is short. In a menu the home link is followed by the other
    /// links without separators.
    fn unlabelled_trail(&self, body: NodeR<'a>, except: Option<NodeId>) -> Option<NodeR<'a>> {
        body.descendants().find_map(|a| {
            if element_name(&a) != Some("a") || is_hidden(&a) {
                return None;
            }
            let home = collapsed_text(&a);
            if !HOME_CRUMBS.contains(&home.trim()) {
                return None;
            }
            let block = a.ancestors().find(|b| is_block(b))?;
            if except.is_some_and(|e| block.id() == e || block.ancestors().any(|b| b.id() == e)) {
                return None;
            }
            let mut text = String::new();
            let mut links = 0;
            for d in block.descendants() {
                if let Some(t) = d.value().as_text() {
                    collapse_into(&mut text, t);
                } else if element_name(&d) == Some("a") {
                    links += 1;
                }
                if text.chars().count() > MAX_UNLABELLED_TRAIL {
                    return None;
                }
            }
            let after = text.split_once(home.trim())?.1.trim_start();
            (links >= 2 && after.starts_with(TRAIL_SEPARATORS)).then_some(block)
        })
    }

    fn attachments(&self, body: NodeR<'a>) -> Vec<Attachment> {
        let mut out: Vec<Attachment> = Vec::new();
        for n in body.descendants() {
            let Some(e) = n.value().as_element() else {
                continue;
            };
            if e.name() != "a" {
                continue;
            }
            let Some(href) = attr(e, "href").map(str::trim) else {
                continue;
            };
            let path = href
                .split(['?', '#'])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            if !ATTACHMENT_EXTS.iter().any(|x| path.ends_with(x))
                || n.ancestors().any(|a| is_hidden(&a))
            {
                continue;
            }
            let mut name = collapsed_text(&n).trim().to_string();
            if name.is_empty() {
                name = attr(e, "title").map(str::trim).unwrap_or("").to_string();
            }
            if name.is_empty() {
                name = href.rsplit('/').next().unwrap_or(href).to_string();
            }
            if !out.iter().any(|a| a.href == href) {
                out.push(Attachment {
                    name,
                    href: href.to_string(),
                });
            }
        }
        out
    }
}

/// The mojibake form of each rendered body line: the same element of the page as it was
/// decoded (its markup is the same, so node ids match), rendered the same way. Empty when the
/// two renderings do not line up.
fn mojibake_lines(
    raw: &Html,
    clean_root: NodeR<'_>,
    clean: &[Block],
    limits: &Limits,
) -> Vec<(usize, &'static str, String)> {
    let Some(raw_root) = raw.tree.get(clean_root.id()) else {
        return Vec::new();
    };
    if element_name(&raw_root) != element_name(&clean_root) {
        return Vec::new();
    }
    let raw_blocks = render(raw_root, limits);
    if raw_blocks.len() != clean.len() {
        return Vec::new();
    }
    raw_blocks
        .into_iter()
        .zip(clean)
        .enumerate()
        .filter(|(_, (r, c))| r.text != c.text)
        .map(|(i, (r, _))| (i, "mojibake", r.text))
        .collect()
}

/// Whether an element holds a metadata panel: three or more distinct panel fields (索引号,
/// 分类, 发文机关, 文号, 成文日期, 有效性 …) labelled in it.
/// Visit each text node under `top` in document order, with whether it sits inside a link
/// (`<a>`); the subtree of an element `skip` accepts is left out (`skip` is asked of each
/// element outside the subtrees left out).
fn visible_texts<'a>(
    top: NodeR<'a>,
    mut skip: impl FnMut(&NodeR<'a>) -> bool,
    mut visit: impl FnMut(NodeR<'a>, &'a str, bool),
) {
    let mut skip_depth: Option<usize> = None;
    let mut depth = 0usize;
    // Open `<a>` elements around the current node.
    let mut links = 0usize;
    for edge in top.traverse() {
        match edge {
            Edge::Open(n) if n.value().is_element() => {
                depth += 1;
                links += usize::from(element_name(&n) == Some("a"));
                if skip_depth.is_none() && skip(&n) {
                    skip_depth = Some(depth);
                }
            }
            Edge::Close(n) if n.value().is_element() => {
                if skip_depth == Some(depth) {
                    skip_depth = None;
                }
                depth -= 1;
                links -= usize::from(element_name(&n) == Some("a"));
            }
            Edge::Open(n) if skip_depth.is_none() => {
                if let Some(t) = n.value().as_text() {
                    visit(n, t, links > 0);
                }
            }
            _ => {}
        }
    }
}

/// Fewest CJK characters of prose beside the content root for its parent to be the article.
const MIN_SIBLING_PROSE: usize = 10;

/// The longest section heading beside the article read as its own (`二、图书资料专业`), in
/// bytes: 30 CJK characters.
const MAX_SIBLING_HEADING_BYTES: usize = 90;

/// What a node beside the content root holds.
enum SiblingText {
    /// No visible text (whitespace, `<br>`, scripts, hidden elements), or a paragraph of
    /// furniture that is no link.
    Nothing,
    /// A sentence of at least [`MIN_SIBLING_PROSE`] CJK characters in one text (or, in a
    /// `<p>`, in one run of its texts outside links), a
    /// `<p>` without a label, or, after the article, a bare `<div>` that signs it (an issuing
    /// body, a date), with no heading; a short section heading (`二、图书资料专业`); beside an
    /// article that is a table, a table of data that is no panel of labels, and a line
    /// written straight into the parent beside a `<br>` when the parent holds other tables
    /// (no label, date or furniture). Less than a quarter of its text in links (a bare line
    /// holds no link), and no footer marks.
    Prose,
    /// Anything else: a title, labels, links.
    Other,
}

/// Whether `n` is a paragraph as the article's own are written: a `<p>`, or a `<div>` with
/// neither class nor id and no block inside (pages that write each paragraph as a `<div>`). A
/// named `<div>` is a component of the page (`<div class="date">`).
fn is_bare_paragraph(n: NodeR<'_>) -> bool {
    match n.value().as_element() {
        Some(e) if e.name() == "p" => true,
        Some(e) if e.name() == "div" => {
            e.attrs().all(|(name, _)| name != "class" && name != "id")
                && !n.descendants().skip(1).any(|d| is_block(&d))
        }
        _ => false,
    }
}

/// Where a node beside the content root stands, for [`sibling_text`].
#[derive(Clone, Copy)]
struct Beside {
    /// The root is a table of data: its sibling tables are the article's too.
    root_is_table: bool,
    /// The node comes after the root (a signature, a date), not before it (a title, a
    /// breadcrumb, a date line).
    after: bool,
    /// The root is (by now) a table and another table is its sibling: an article of tables,
    /// whose captions and notes may be bare lines between them.
    among_tables: bool,
}

/// Whether `text` reads as a line of the article's signature: the issuing body, or the date.
fn signs_the_article(text: &str) -> bool {
    use crate::repair::paragraph::{Class, classify};
    let line = crate::repair::Line {
        text: text.to_string(),
        kind: BlockKind::Paragraph,
    };
    matches!(classify(&line), Class::Signature | Class::Date)
}

fn sibling_text(n: NodeR<'_>, beside: Beside) -> SiblingText {
    let (mut cjk, mut linked, mut visible, mut sentence) = (0usize, 0usize, false, false);
    // The whole visible text while it is short: a section heading (`二、图书资料专业`) is the
    // article's, though no sentence.
    let mut text = String::new();
    // A heading beside the article is its title, not its prose.
    let mut heading = false;
    // A label (`日期：2021/09/06  来源：…`): metadata, not a paragraph of the article.
    let mut labelled = false;
    // The site's footer (`版权所有`, `主办单位`), in whatever element.
    let mut footer = false;
    let skip = |d: &NodeR<'_>| {
        let hidden = is_hidden(d) || matches!(element_name(d), Some("script" | "style"));
        heading |= !hidden && matches!(element_name(d), Some("h1" | "h2" | "h3" | "header"));
        hidden
    };
    // In a `<p>`, the run of text being read: the texts of one block outside links, as one (a
    // paragraph exported from Word writes a few characters a `<span>`), its block, its CJK
    // characters and whether it holds a full-width mark of a sentence. A component of the
    // page (`<div class="wxts"><span>温馨提示：</span><span>如需咨询，</span>…`) is read one
    // text at a time.
    let paragraph_runs = element_name(&n) == Some("p");
    let (mut run_block, mut run_cjk, mut run_marked) = (None, 0usize, false);
    visible_texts(n, skip, |node, t, in_link| {
        visible |= t.chars().any(|c| !c.is_whitespace());
        labelled |= t.contains(['：', ':']);
        footer |= has_footer_mark(t);
        let k = t.chars().filter(|&c| is_cjk(c)).count();
        cjk += k;
        if text.len() <= MAX_SIBLING_HEADING_BYTES {
            collapse_into(&mut text, t);
        }
        if in_link {
            linked += k;
            run_block = None;
        } else {
            // A sentence within one text (`近日，由北京市教委组织的…`), or within one run of a
            // paragraph (`实姓` `名。联系电话:` … `号。`).
            sentence |= k >= MIN_SIBLING_PROSE && t.contains(['，', '。', ',']);
            if paragraph_runs {
                let block = node.ancestors().find(is_block).map(|b| b.id());
                if block != run_block {
                    (run_block, run_cjk, run_marked) = (block, 0, false);
                }
                run_cjk += k;
                run_marked |= t.contains(['，', '。']);
                sentence |= run_cjk >= MIN_SIBLING_PROSE && run_marked;
            }
        }
    });
    let text = text.trim();
    let name = element_name(&n);
    let bare = is_bare_paragraph(n);
    // The article's own tables of data (a list of names under each of its headings), beside
    // an article that is a table: not links, labels or the site's footer.
    let table = beside.root_is_table
        && name == Some("table")
        && is_data_table(n)
        && !is_panel(&n)
        && !labels_its_rows(n);
    let section_heading = (bare || matches!(name, Some("p" | "h2" | "h3" | "h4" | "h5" | "h6")))
        && linked == 0
        && text.len() <= MAX_SIBLING_HEADING_BYTES
        && crate::structure::parse_marker(text).is_some_and(|m| m.len < text.len());
    // A paragraph: a sentence, a `<p>` without a label, or, after the article, a bare `<div>`
    // that signs it (`浙江省文化和旅游厅`, `2020年12月29日`).
    let unlabelled = match name {
        Some("p") => true,
        _ => bare && beside.after && signs_the_article(text),
    };
    // Beside an article of several tables, a line of text written straight into their
    // container between `<br>`s (a caption or a note between tables, a link): the article's,
    // unless it is a label line (`发布日期：…`), a date alone, or holds no word at all (`|`).
    // (Furniture there, `打印本页`, is left to the furniture rule, below.)
    let line_among_tables = beside.among_tables && in_line_flow(n);
    let flow_line = line_among_tables
        && text.chars().any(char::is_alphanumeric)
        && !is_date_text(text)
        && !split_pairs(text)
            .iter()
            .any(|(label, _)| metadata::is_label(label));
    let paragraph = (sentence || unlabelled && !labelled || flow_line) && !heading;
    // A line of furniture written as one of the article's paragraphs (`<p>浏览次数：</p>`) is
    // left to the furniture rule; a component of the page (`<div class="qrcode">`) is not.
    let furniture = (bare || line_among_tables)
        && text.len() <= MAX_SIBLING_HEADING_BYTES
        && linked == 0
        && crate::repair::furniture::is_furniture(text);
    if !visible || furniture {
        SiblingText::Nothing
    } else if (table || section_heading || paragraph) && (linked * 4 < cjk || flow_line) && !footer
    {
        SiblingText::Prose
    } else {
        SiblingText::Other
    }
}

/// Whether `n` is a text node with a `<br>` next to it, on either side (past whitespace): one
/// line of text written straight into its parent.
fn in_line_flow(n: NodeR<'_>) -> bool {
    let is_br = |s: Option<NodeR<'_>>| s.is_some_and(|s| element_name(&s) == Some("br"));
    let blank = |s: &NodeR<'_>| s.value().as_text().is_some_and(|t| t.trim().is_empty());
    n.value().is_text()
        && (is_br(n.prev_siblings().find(|s| !blank(s)))
            || is_br(n.next_siblings().find(|s| !blank(s))))
}

/// Whether most rows of `table` open with a label (`标题：`, `主办单位：…`): a panel of
/// fields, not a table of data.
fn labels_its_rows(table: NodeR<'_>) -> bool {
    let (mut rows, mut labelled) = (0usize, 0usize);
    for row in table
        .descendants()
        .filter(|d| element_name(d) == Some("tr"))
    {
        let Some(cell) = row
            .children()
            .find(|c| matches!(element_name(c), Some("td" | "th")))
        else {
            continue;
        };
        rows += 1;
        let label = cell
            .descendants()
            .filter_map(|d| d.value().as_text().map(|t| t.contains(['：', ':'])))
            .any(|c| c);
        labelled += usize::from(label);
    }
    rows > 0 && labelled * 2 >= rows
}

fn is_panel(n: &NodeR<'_>) -> bool {
    use metadata::Field;
    let mut seen: Vec<Field> = Vec::new();
    let mut text = String::new();
    for d in n.descendants() {
        if let Some(t) = d.value().as_text() {
            // A text without a colon holds no `label：value` pair. (Two searches by `memchr`:
            // a search for either of two chars decodes every character.)
            if !t.contains(':') && !t.contains('：') {
                continue;
            }
            text.clear();
            collapse_into(&mut text, t);
            for (label, _) in split_pairs(text.trim()) {
                if let Some(f) = metadata::field_of(&label)
                    && !matches!(
                        f,
                        Field::Title | Field::Source | Field::PublishedAt | Field::Keywords
                    )
                    && !seen.contains(&f)
                {
                    seen.push(f);
                }
            }
            if seen.len() >= 3 {
                return true;
            }
        }
    }
    false
}

/// The table of data `n` is part of, when `n` is a cell, row or row group: a table of at least
/// [`MIN_DATA_ROWS`] rows of two or more cells, with no table inside it. A layout table (a
/// column of page regions, one cell a row, or regions holding their own tables) is not one.
fn data_table_around<'a>(n: NodeR<'a>) -> Option<NodeR<'a>> {
    if !matches!(
        element_name(&n),
        Some("td" | "th" | "tr" | "tbody" | "thead" | "tfoot")
    ) {
        return None;
    }
    let table = n.ancestors().find(|a| element_name(a) == Some("table"))?;
    is_data_table(table).then_some(table)
}

/// Whether `table` is a table of data: at least [`MIN_DATA_ROWS`] rows of two or more cells,
/// no table inside it, neither chrome nor hidden.
fn is_data_table(table: NodeR<'_>) -> bool {
    let mut rows = 0;
    for d in table.descendants().skip(1) {
        match element_name(&d) {
            Some("table") => return false,
            Some("tr") => {
                let cells = d
                    .children()
                    .filter(|c| matches!(element_name(c), Some("td" | "th")))
                    .count();
                rows += usize::from(cells >= 2);
            }
            _ => {}
        }
    }
    rows >= MIN_DATA_ROWS && !is_chrome(&table) && !is_hidden(&table)
}

/// Fewest rows of two or more cells that make a table of data.
const MIN_DATA_ROWS: usize = 3;

/// The crumbs of trail `n`: its links and the text crumbs beside them, in order.
fn crumbs_in(n: NodeR<'_>) -> Vec<String> {
    let mut pieces = Vec::new();
    crumb_pieces(n, &mut pieces);
    let mut crumbs = Vec::new();
    let mut text = String::new();
    for piece in pieces {
        match piece {
            CrumbPiece::Link(link) => {
                push_text_crumbs(&mut crumbs, &mut text);
                let link = link.trim();
                if !link.is_empty() && !is_separator(link) && !PAGE_CRUMBS.contains(&link) {
                    crumbs.push(link.to_string());
                }
            }
            CrumbPiece::Text(t) => collapse_into(&mut text, t),
            CrumbPiece::Break => push_text_crumbs(&mut crumbs, &mut text),
        }
    }
    push_text_crumbs(&mut crumbs, &mut text);
    crumbs
}

/// The texts of a link to the home page that opens a trail.
const HOME_CRUMBS: &[&str] = &["首页", "网站首页", "主页", "返回首页"];

/// Separators between crumbs.
const TRAIL_SEPARATORS: &[char] = &['>', '＞', '»', '›', '→', '/'];

/// Longest text of a trail found without a label or a name.
const MAX_UNLABELLED_TRAIL: usize = 150;

/// The text of `n` and everything under it, whitespace collapsed.
fn collapsed_text(n: &NodeR<'_>) -> String {
    let mut s = String::new();
    for d in n.descendants() {
        if let Some(t) = d.value().as_text() {
            collapse_into(&mut s, t);
        }
    }
    s
}

/// What a breadcrumb box holds, in document order.
enum CrumbPiece<'a> {
    /// A link's whole text: one crumb.
    Link(String),
    /// Text outside links: crumbs between separators (`首页 > 通知公告`), or the current
    /// page after the last link (`<span>洪山要闻</span>`).
    Text(&'a str),
    /// The edge of a list item (`<li class="active">基层卫生</li>`): a crumb ends.
    Break,
}

/// The pieces of breadcrumb box `n`, skipping hidden elements and scripts.
fn crumb_pieces<'a>(n: NodeR<'a>, out: &mut Vec<CrumbPiece<'a>>) {
    for child in n.children() {
        if let Some(t) = child.value().as_text() {
            out.push(CrumbPiece::Text(t));
            continue;
        }
        if is_hidden(&child) {
            continue;
        }
        match element_name(&child) {
            Some("a") => out.push(CrumbPiece::Link(collapsed_text(&child))),
            Some("script" | "style" | "noscript" | "template") => {}
            Some("li") => {
                out.push(CrumbPiece::Break);
                crumb_pieces(child, out);
                out.push(CrumbPiece::Break);
            }
            _ => crumb_pieces(child, out),
        }
    }
}

/// Text crumbs that stand for "this page" and name no column (`首页 > 通知公告 > 正文`).
const PAGE_CRUMBS: &[&str] = &[
    "正文",
    "内容",
    "详情",
    "正文内容",
    "详细内容",
    "文章内容",
    "详情页",
    "内容页",
];

/// The longest text crumb: a longer run of text in a breadcrumb box is the article's title
/// or some other text, not a column's name.
const MAX_TEXT_CRUMB: usize = 30;

/// Move the crumbs of the text gathered outside links into `crumbs`: the parts between
/// separators, after a `…位置：` label, but not one that repeats the crumb before (a column's
/// name shown again under the trail) or stands for the page itself ([`PAGE_CRUMBS`]); `text`
/// is left empty.
fn push_text_crumbs(crumbs: &mut Vec<String>, text: &mut String) {
    for part in text.split(['>', '＞', '»', '›', '→']) {
        let part = part.rsplit(['：', ':']).next().unwrap_or(part).trim();
        if part.is_empty()
            || is_separator(part)
            || part.contains("位置")
            || !part.chars().any(char::is_alphabetic)
            || part.chars().count() > MAX_TEXT_CRUMB
            || PAGE_CRUMBS.contains(&part)
            || crumbs.last().is_some_and(|last| last == part)
        {
            continue;
        }
        crumbs.push(part.to_string());
    }
    text.clear();
}

fn is_separator(t: &str) -> bool {
    t.chars()
        .all(|c| matches!(c, '>' | '＞' | '»' | '›' | '→' | '/' | '|' | '-') || c.is_whitespace())
}

/// `<title>` text without the site name: the title is split on `_`, `|`, `-`, `—`; when some
/// part names the site (the `SiteName` meta, or a short name ending like one), the longest
/// other part is the title, else the whole text is.
fn strip_site_name(title: &str, site: &str) -> Option<String> {
    let parts: Vec<&str> = title
        .split(['_', '|', '—', '－', '-'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() <= 1 {
        return Some(title.trim().to_string());
    }
    let names_site = |p: &str| {
        (!site.is_empty() && (site.contains(p) || p.contains(site)))
            || (p.chars().count() <= 14
                && [
                    "政府",
                    "网",
                    "门户",
                    "厅",
                    "局",
                    "委",
                    "办",
                    "院",
                    "委员会",
                    "中心",
                    "网站",
                ]
                .iter()
                .any(|e| p.ends_with(e))
                && !p.contains("关于"))
    };
    if !parts.iter().any(|p| names_site(p)) {
        return Some(title.trim().to_string());
    }
    parts
        .iter()
        .filter(|p| !names_site(p))
        .max_by_key(|p| p.chars().count())
        .map(|p| p.to_string())
}

/// A run of text outside the content, and the row (block element) it sits in.
struct Segment {
    text: String,
    row: Option<NodeId>,
    /// The element holding the row: a panel's rows (`<dl>`s, `<tr>`s, `<p>`s) share it.
    group: Option<NodeId>,
    /// The nearest block holding the text (a table cell counts).
    cell: Option<NodeId>,
    /// Text inside a link (a headline in a list of related articles, `绵阳：扎实推进…`).
    in_link: bool,
    /// A date and time without a label, in an element named for the publication time.
    timed: bool,
}

/// The most characters of one piece of a label spaced out by empty elements.
const LABEL_PIECE_CHARS: usize = 3;

/// Segments of one cell that are the pieces of one label, spaced out by empty elements
/// (`索<span style="padding-right:0.5em"></span>引<span …></span>号：`), joined into one
/// segment: read piece by piece, `号：` would be a cut-short label and `索` a value. Pieces
/// are joined only when together, up to the colon, they make a known label.
fn join_spaced_labels(mut segments: Vec<Segment>) -> Vec<Segment> {
    let is_piece = |s: &Segment| {
        s.text.chars().count() <= LABEL_PIECE_CHARS
            && s.text.chars().all(|c| is_cjk(c) || c == '\u{3000}')
    };
    let mut i = 0;
    while i < segments.len() {
        let first = &segments[i];
        if first.cell.is_none() || !is_piece(first) || metadata::field_of(&first.text).is_some() {
            i += 1;
            continue;
        }
        let mut joined = first.text.clone();
        let mut end = None;
        for (j, next) in segments
            .iter()
            .enumerate()
            .skip(i + 1)
            .take(LABEL_PIECE_CHARS)
        {
            if next.cell != first.cell {
                break;
            }
            joined.push_str(&next.text);
            let label = joined.split([':', '：']).next().unwrap_or_default();
            if metadata::field_of(label).is_some() {
                end = Some(j);
                break;
            }
            if !is_piece(next) {
                break;
            }
        }
        if let Some(end) = end {
            segments[i].text = joined;
            segments.drain(i + 1..=end);
        }
        i += 1;
    }
    segments
}

/// Parts of the id or class of an element holding the publication time.
const TIME_NAMES: &[&str] = &["pubtime", "pubdate", "publishtime", "fbsj", "time", "date"];

/// The label/value pairs of one segment: `label：value` forms, or a bare full label (`索引号`
/// in a cell of its own).
fn segment_pairs(seg: &str) -> Vec<(String, String)> {
    let pairs = split_pairs(seg);
    if pairs.is_empty() && metadata::field_of(seg).is_some() {
        return vec![(seg.to_string(), String::new())];
    }
    pairs
}

/// Find label/value pairs in the page's text segments; also returns the panel's title value.
fn panel_fields(segments: &[Segment]) -> (Vec<(String, String)>, Option<String>) {
    // Label, value, whether the label is known, and the segments the pair spans.
    let mut pairs: Vec<(String, String, bool, std::ops::Range<usize>)> = Vec::new();
    let mut date_lines: Vec<(String, String)> = Vec::new();
    // Per row: its segments, and those that are a bare label.
    let mut rows: FxHashMap<Option<NodeId>, (usize, usize)> = FxHashMap::default();
    for o in segments {
        let row = rows.entry(o.row).or_default();
        row.0 += 1;
        row.1 += usize::from(metadata::field_of(&o.text).is_some());
    }
    let mut i = 0;
    while i < segments.len() {
        let seg = &segments[i];
        let from = i;
        i += 1;
        // A row of bare labels is a table header (labels over a row of values), not pairs;
        // a row of labels each followed by its value cell is pairs.
        let (in_row, bare_in_row) = rows.get(&seg.row).copied().unwrap_or_default();
        let found = if bare_in_row >= 2 && 2 * bare_in_row > in_row {
            split_pairs(&seg.text)
        } else {
            segment_pairs(&seg.text)
        };
        // A line that opens with a date without a label (`2022-05-07 00:00　来源：…`) is the
        // article's date line, not part of a panel: it stands after the panel's fields.
        // A date and time alone before the line's source, in an element of its own
        // (`<li>2024年12月07日 08时01分</li><li>来源:四川日报</li>`): the same date line.
        if found.is_empty()
            && date_lines.is_empty()
            && is_date_text(&seg.text)
            && metadata::parse_datetime(&seg.text).is_some()
            && segments.get(i).is_some_and(|next| {
                split_pairs(&next.text)
                    .first()
                    .is_some_and(|(l, _)| metadata::field_of(l) == Some(metadata::Field::Source))
            })
        {
            date_lines.push((LEAD_DATE_LABEL.to_string(), seg.text.clone()));
            continue;
        }
        let dated = found.first().is_some_and(|(label, _)| {
            label == LEAD_DATE_LABEL && !seg.text.contains(LEAD_DATE_LABEL)
        });
        for (label, value) in found {
            let known = metadata::is_label(&label);
            // A headline is no field, whatever precedes its colon.
            if seg.in_link && !known {
                continue;
            }
            let value = if value.is_empty() {
                // The value is the next segment of the same row, unless that is itself a label.
                match segments.get(i) {
                    Some(next)
                        if next.row == seg.row
                            && segment_pairs(&next.text).is_empty()
                            && !ends_with_colon(&next.text) =>
                    {
                        i += 1;
                        next.text.clone()
                    }
                    _ => String::new(),
                }
            } else {
                value
            };
            if dated {
                date_lines.push((label, value));
            } else {
                pairs.push((label, value, known, from..i));
            }
        }
    }
    // Unknown labels count only inside the panel: between known ones, and in the pairs that
    // run on from them without a break in the same group of rows (`区域：大兴区`, `开始时间：…`
    // in the `<dl>`s before a `来源：`), not in a footer's `地址：` after the article.
    let first = pairs.iter().position(|p| p.2);
    let last = pairs.iter().rposition(|p| p.2);
    let runs_on = |a: &std::ops::Range<usize>, b: &std::ops::Range<usize>| {
        b.start <= a.end
            && segments[a.start].group.is_some()
            && segments[a.start].group == segments[b.start].group
    };
    let mut out = Vec::new();
    let mut title = None;
    if let (Some(mut first), Some(mut last)) = (first, last) {
        while first > 0 && runs_on(&pairs[first - 1].3, &pairs[first].3) {
            first -= 1;
        }
        while last + 1 < pairs.len() && runs_on(&pairs[last].3, &pairs[last + 1].3) {
            last += 1;
        }
        for (label, value, ..) in pairs.drain(..).skip(first).take(last + 1 - first) {
            if matches!(metadata::field_of(&label), Some(metadata::Field::Title))
                && title.is_none()
                && !value.is_empty()
            {
                title = Some(value.clone());
            }
            out.push((label, value));
        }
    }
    // Date lines, then a publication time without a label, after every labelled field.
    out.extend(date_lines);
    if let Some(seg) = segments.iter().find(|s| s.timed) {
        out.push((LEAD_DATE_LABEL.to_string(), seg.text.clone()));
    }
    (out, title)
}

fn ends_with_colon(s: &str) -> bool {
    s.ends_with('：') || s.ends_with(':')
}

/// `seg` with the brackets around each `label：value` pair set in them (`【来源：四川日报】`,
/// `[字体：大 中 小]`) made spaces of the same length, so that the pair reads as one set off
/// by spaces. Brackets without a label and colon inside (`岚苏政【2017】106号`) stay.
fn unbracket_pairs(seg: &str) -> String {
    let mut out = seg.to_string();
    for (open, close) in [('【', '】'), ('[', ']')] {
        let mut from = 0;
        while let Some(at) = out[from..].find(open).map(|i| from + i) {
            let inner_start = at + open.len_utf8();
            let Some(end) = out[inner_start..].find(close).map(|i| inner_start + i) else {
                break;
            };
            let inner = out[inner_start..end].trim_start();
            let label_end = inner.find([':', '：']);
            let labelled = label_end.is_some_and(|e| {
                let label = inner[..e].trim_end();
                (1..=8).contains(&label.chars().count())
                    && label
                        .chars()
                        .all(|c| is_cjk(c) || c == ' ' || c == '\u{3000}')
            });
            if labelled {
                out.replace_range(end..end + close.len_utf8(), &" ".repeat(close.len_utf8()));
                out.replace_range(at..inner_start, &" ".repeat(open.len_utf8()));
            }
            from = end + close.len_utf8();
        }
    }
    out
}

/// Split one segment into `label：value` pairs. A segment may hold several run together
/// (`文章来源:省审计厅发表时间:2020-12-28 14:39`); labels are short runs of Han characters
/// (spaces inside allowed) before a colon.
fn split_pairs(seg: &str) -> Vec<(String, String)> {
    let unbracketed;
    let seg = if seg.contains(['【', '[']) {
        unbracketed = unbracket_pairs(seg);
        unbracketed.as_str()
    } else {
        seg
    };
    // (label start, colon byte index, an unknown label after a gap)
    let mut colons: Vec<(usize, usize, bool)> = Vec::new();
    for (i, c) in seg.char_indices() {
        if c != ':' && c != '：' {
            continue;
        }
        // Walk back over the label.
        let before = &seg[..i];
        let mut start = i;
        let mut han = 0;
        for (j, ch) in before.char_indices().rev() {
            // A label can hold a character lost to mojibake (`索�号`).
            if is_cjk(ch) || ch == '\u{FFFD}' {
                han += 1;
                start = j;
            } else if matches!(ch, ' ' | '\u{3000}' | '\u{2002}' | '\u{a0}') {
                // Spaces inside a label (`索 引 号`), or before its colon (`发布日期 : `).
                continue;
            } else {
                break;
            }
            if han > 8 {
                break;
            }
        }
        if han == 0 || han > 8 {
            // A full label after a gap, the value before it run up to it
            // (`来源：顺义区退役军人事务局 　　更新时间：`).
            if han > 8
                && let Some(gap) = before.rfind([' ', '\u{3000}', '\u{a0}'])
                && let after = &before[gap..].trim_start_matches([' ', '\u{3000}', '\u{a0}'])
                && metadata::field_of(after).is_some()
            {
                colons.push((i - after.len(), i, true));
            }
            continue;
        }
        let label = &seg[start..i];
        // A label run into a value before it: take the longest known label that ends here.
        let end = start
            + label
                .trim_end_matches([' ', '\u{3000}', '\u{2002}', '\u{a0}'])
                .len();
        let label_start = longest_known_suffix(&seg[start..end]).map_or(start, |k| end - k);
        if label_start != start
            && !metadata::is_label(&seg[label_start..end])
            && !metadata::is_other_label(&seg[label_start..end])
        {
            continue;
        }
        // Digits right before a colon (times: 14:39) are not labels.
        colons.push((label_start, i, false));
        // An unknown label set off from the value before it by a gap (`来源：春江镇  浏览次数：`)
        // still ends that value.
        if label_start == start
            // (A byte check first: most labels hold no space at all.)
            && label.bytes().any(|b| b == b' ' || b == 0xA0)
            && let Some(gap) = label.rfind("  ").or_else(|| label.rfind("\u{a0}\u{a0}"))
            && !metadata::is_label(label)
        {
            let after = label[gap..].trim_start_matches([' ', '\u{a0}']);
            let n = after.chars().count();
            if (2..=MAX_UNKNOWN_LABEL).contains(&n) && after.chars().all(is_cjk) {
                colons.pop();
                colons.push((i - after.len(), i, true));
            }
        }
    }
    let colons: Vec<(usize, usize)> = colons
        .into_iter()
        .enumerate()
        .filter(|&(k, (start, _, gapped))| {
            k == 0
                || gapped
                || start > 0 && {
                    let label = seg[start..].split([':', '：']).next().unwrap_or("");
                    metadata::is_label(label) || metadata::is_other_label(label)
                }
        })
        .map(|(_, (start, colon, _))| (start, colon))
        .collect();
    let mut out = Vec::new();
    for (k, &(start, colon)) in colons.iter().enumerate() {
        if k == 0 && start > 0 && !seg[..start].trim().is_empty() {
            // A date before the first label is the date of the line (`2022-05-07 00:00　来源：…`);
            // other text there: not a label/value segment.
            let lead = seg[..start].trim_matches([' ', '\u{3000}', '\u{a0}']);
            if !is_date_text(lead) {
                return Vec::new();
            }
            out.push((LEAD_DATE_LABEL.to_string(), lead.to_string()));
        }
        let value_start = colon + seg[colon..].chars().next().map_or(1, char::len_utf8);
        let value_end = colons.get(k + 1).map_or(seg.len(), |&(s, _)| s);
        let label = seg[start..colon].trim().to_string();
        let value = seg[value_start..value_end].trim();
        // The line's date printed without a label after the source's name (`来源：宣教中心
        // 2022-11-14 14:59:48    【字体：…`): the date of the line, as before the first label.
        let source = metadata::field_of(&label) == Some(metadata::Field::Source);
        match trailing_date(value).filter(|_| source) {
            Some((name, date)) => {
                out.push((label, name.to_string()));
                out.push((LEAD_DATE_LABEL.to_string(), date.to_string()));
            }
            None => out.push((label, value.to_string())),
        }
    }
    out
}

/// A value that is a name, then after a gap a date (perhaps with its time of day) and
/// nothing but page controls (`【字体：…`) after it: the name and the date.
fn trailing_date(value: &str) -> Option<(&str, &str)> {
    let is_gap = |c: char| c.is_whitespace() || matches!(c, '\u{3000}' | '\u{a0}');
    let gap = value.find(is_gap)?;
    let name = &value[..gap];
    let rest = value[gap..].trim_start_matches(is_gap);
    if name.is_empty() || is_date_text(name) {
        return None;
    }
    // The date, then its time when one follows.
    let token_end = |s: &str| s.find(is_gap).unwrap_or(s.len());
    let day_end = token_end(rest);
    if !is_date_text(&rest[..day_end]) {
        return None;
    }
    let after_day = rest[day_end..].trim_start_matches(is_gap);
    let time_len = token_end(after_day);
    let time = &after_day[..time_len];
    let is_time = time.contains([':', '：', '时'])
        && time
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '：' | '时' | '分'));
    let end = if is_time {
        rest.len() - after_day.len() + time_len
    } else {
        day_end
    };
    let tail = rest[end..].trim_start_matches(is_gap);
    (tail.is_empty() || tail.starts_with(['【', '[', '|', '｜'])).then_some((name, &rest[..end]))
}

/// The label given to a date printed without one.
const LEAD_DATE_LABEL: &str = "日期";

/// Whether `s` is a date, perhaps with its time, and nothing else (`2022-05-07 00:00`,
/// `2020年09月15日 09时32分`).
fn is_date_text(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_digit() || "-/.:：年月日时分 \u{3000}\u{a0}".contains(c))
        && metadata::parse_date(s).is_some()
}

/// Longest unknown label that ends the value before it (`浏览次数`).
const MAX_UNKNOWN_LABEL: usize = 6;

/// The byte length of the longest full label that `s` ends with.
fn longest_known_suffix(s: &str) -> Option<usize> {
    let squeezed_end = s.trim_end();
    metadata::LABELS
        .iter()
        .map(|(l, _)| l)
        .chain(metadata::OTHER_LABELS)
        .filter(|l| squeezed_end.ends_with(*l))
        .map(|l| l.len())
        .max()
        .filter(|&n| n < s.len())
}

/// What a source credit's label may say before its `来源` (`图文来源：`, `稿件来源：`).
const CREDITED_FOR: &[&str] = &["", "图文", "文字", "图片", "稿件", "信息", "文章", "内容"];

/// Longest name in a source credit, in characters (`区委网信办、区融媒体中心`).
const MAX_CREDITED_SOURCE: usize = 30;

/// The name in a source credit under an article (`来源：无锡交警`, `（来源：新华社）`,
/// `图文来源：区委网信办、区融媒体中心`): a label, a colon and one short name, nothing else.
fn source_credit(text: &str) -> Option<String> {
    let t = text
        .trim()
        .trim_start_matches(['（', '(', '[', '【'])
        .trim_end_matches(['）', ')', ']', '】']);
    let (label, name) = t.split_once(['：', ':'])?;
    let label: String = label.chars().filter(|c| !c.is_whitespace()).collect();
    let name = name.trim();
    let n = name.chars().count();
    (CREDITED_FOR
        .iter()
        .any(|f| label.strip_prefix(f) == Some("来源"))
        && (1..=MAX_CREDITED_SOURCE).contains(&n)
        && !name.contains(['。', '，', ',', '；', ';', '：', ':', '\t']))
    .then(|| name.to_string())
}

/// A `来源：… 发布时间：…` line at the top of the content, as label/value pairs.
fn info_line(text: &str) -> Option<Vec<(String, String)>> {
    let pairs = split_pairs(text.trim());
    if pairs.is_empty() {
        return None;
    }
    let all_info = pairs.iter().all(|(l, _)| {
        let l: String = l.chars().filter(|c| !c.is_whitespace()).collect();
        INFO_LINE_LABELS.contains(&l.as_str())
    });
    all_info.then_some(pairs)
}

/// An output frame while rendering: the flow of a block container, or a table row collecting
/// cells.
struct Frame {
    blocks: Vec<Block>,
    line: String,
    heading: bool,
    /// Whether the line holds text set off (bold or centred), and text that is not.
    set_off: bool,
    plain: bool,
    cells: Option<Vec<Vec<Block>>>,
    /// For a row, the rows and columns each of its cells spans.
    spans: Vec<(usize, usize)>,
}

/// Most rows or columns a cell is read to span (HTML caps `rowspan` at 65 534 and `colspan`
/// at 1 000; a table of data is far smaller).
const MAX_SPAN: usize = 1000;

/// The rows and columns an HTML table cell spans: its `rowspan` and `colspan`, 1 when absent,
/// invalid or 0 (`rowspan="0"`, to the end of the group, is read as 1).
fn cell_spans(n: &NodeR<'_>) -> (usize, usize) {
    let span = |name| {
        n.value()
            .as_element()
            .and_then(|e| attr(e, name))
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&v| v > 0)
            .map_or(1, |v| v.min(MAX_SPAN))
    };
    (span("rowspan"), span("colspan"))
}

/// The cells of a table's rows laid out on its grid: a cell that spans rows below it leaves an
/// empty cell in each of them, so that their cells stay under their own column headers.
#[derive(Default)]
struct RowSpans {
    /// For each column of the grid, how many more rows a cell above still covers.
    covered: Vec<usize>,
}

impl RowSpans {
    fn lay_out(&mut self, cells: Vec<Vec<Block>>, spans: &[(usize, usize)]) -> Vec<Vec<Block>> {
        let mut out = Vec::with_capacity(cells.len());
        let mut col = 0;
        let mut cells = cells.into_iter().enumerate();
        loop {
            while self.covered.get(col).is_some_and(|&n| n > 0) {
                self.covered[col] -= 1;
                out.push(Vec::new());
                col += 1;
            }
            let Some((i, cell)) = cells.next() else {
                break;
            };
            let (rows, cols) = spans.get(i).copied().unwrap_or((1, 1));
            let end = (col + cols).min(MAX_SPAN);
            if rows > 1 && col < end {
                if self.covered.len() < end {
                    self.covered.resize(end, 0);
                }
                for c in &mut self.covered[col..end] {
                    *c = rows - 1;
                }
            }
            out.push(cell);
            col = end.max(col + 1);
        }
        out
    }
}

impl Frame {
    fn flow() -> Frame {
        Frame {
            blocks: Vec::new(),
            line: String::new(),
            heading: false,
            set_off: false,
            plain: false,
            cells: None,
            spans: Vec::new(),
        }
    }

    /// Add a text node, `set_off` when a bold or centring element holds it.
    fn push_text(&mut self, text: &str, set_off: bool) {
        let before = self.line.len();
        collapse_into(&mut self.line, text);
        if self.line[before..].chars().any(|c| !is_layout_space(c)) {
            if set_off {
                self.set_off = true;
            } else {
                self.plain = true;
            }
        }
    }

    fn flush(&mut self) {
        let text = self
            .line
            .trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\r'));
        if text.chars().any(|c| !is_layout_space(c)) {
            // A line that goes on from an open end before it is no display line of its own.
            let goes_on = self.blocks.last().is_some_and(|b| ends_open(&b.text));
            let display = self.set_off && !self.plain && !goes_on && is_display_line(text);
            let kind = if self.heading || display {
                BlockKind::Heading { level: None }
            } else {
                BlockKind::Paragraph
            };
            self.blocks.push(Block {
                text: text.to_string(),
                kind,
            });
        }
        self.line.clear();
        self.heading = false;
        self.set_off = false;
        self.plain = false;
    }
}

fn is_layout_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}' || c == '\u{200b}'
}

/// Longest line set off whole (bold or centred) that reads as a display line (a subheading, a
/// caption), not a paragraph that happens to be bold.
const MAX_DISPLAY_LINE: usize = 40;

/// Whether a line set off whole is a display line: short, no sentence inside it ends, and it
/// does not end where a sentence goes on (`5月20日至31日，`, `愿大家都能`: a centred sentence
/// broken into lines).
fn is_display_line(text: &str) -> bool {
    let body = text.trim_end_matches(['。', '！', '？']);
    text.chars().count() <= MAX_DISPLAY_LINE
        && !body.contains(['。', '！', '？', '；'])
        && !ends_open(text)
}

/// Whether a line ends where a sentence goes on: on a comma, a colon, an opening bracket or a
/// word no sentence ends on.
fn ends_open(text: &str) -> bool {
    use crate::repair::paragraph::{NO_END, OPEN_END_PUNCT};
    text.trim_end()
        .chars()
        .next_back()
        .is_some_and(|c| OPEN_END_PUNCT.contains(c) || NO_END.contains(c) || "：；".contains(c))
}

/// Whether an element sets its text off from running text: bold (`<b>`, `<strong>`, a bold
/// `font-weight`) or centred (`<center>`, `align="center"`, `text-align: center`).
///
/// Centring counts on a paragraph or inline element only: a centred `<div>` or cell often lays
/// out a whole article whose paragraphs align themselves.
fn sets_off(e: &scraper::node::Element) -> bool {
    let name = e.name();
    if matches!(name, "b" | "strong" | "center") {
        return true;
    }
    let may_centre = matches!(
        name,
        "p" | "span" | "font" | "em" | "i" | "u" | "a" | "label"
    );
    if may_centre && attr(e, "align").is_some_and(|a| a.trim().eq_ignore_ascii_case("center")) {
        return true;
    }
    thread_local! {
        static STYLES: Memo<(bool, bool)> = Memo::default();
    }
    attr(e, "style").is_some_and(|s| {
        let (centred, bold) = remember(&STYLES, s, style_sets_off);
        may_centre && centred || bold
    })
}

/// Whether an inline style centres its text, and whether it makes it bold.
fn style_sets_off(s: &str) -> (bool, bool) {
    let s: String = s
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (
        s.contains("text-align:center"),
        s.contains("font-weight:bold")
            || s.contains("font-weight:700")
            || s.contains("font-weight:bolder"),
    )
}

/// Render the content subtree into lines.
fn render(root: NodeR<'_>, limits: &Limits) -> Vec<Block> {
    let mut frames: Vec<Frame> = vec![Frame::flow()];
    // The row spans of each open table, innermost last.
    let mut tables: Vec<RowSpans> = Vec::new();
    let mut skip_depth: Option<usize> = None;
    let mut depth = 0usize;
    let mut truncated = false;
    // Depths of the open elements that set their text off (see [`sets_off`]).
    let mut set_off: Vec<usize> = Vec::new();
    for edge in root.traverse() {
        match edge {
            Edge::Open(n) if n.value().is_element() => {
                depth += 1;
                if skip_depth.is_some() {
                    continue;
                }
                if n.value().as_element().is_some_and(sets_off) {
                    set_off.push(depth);
                }
                if is_hidden(&n)
                    || (depth > 1 && is_chrome(&n) && !n.children().any(|c| c.value().is_text()))
                {
                    skip_depth = Some(depth);
                    continue;
                }
                if depth > limits.max_html_depth {
                    truncated = true;
                    continue;
                }
                let name = element_name(&n).unwrap_or("");
                let top = frames.last_mut().expect("a frame");
                match name {
                    "br" => top.flush(),
                    "table" => {
                        top.flush();
                        tables.push(RowSpans::default());
                    }
                    "tr" => {
                        top.flush();
                        frames.push(Frame {
                            cells: Some(Vec::new()),
                            ..Frame::flow()
                        });
                    }
                    "td" | "th" => {
                        frames.push(Frame::flow());
                    }
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                        top.flush();
                        top.heading = true;
                    }
                    _ if is_block(&n) => top.flush(),
                    _ => {}
                }
            }
            Edge::Close(n) if n.value().is_element() => {
                let was = depth;
                depth -= 1;
                if set_off.last() == Some(&was) {
                    set_off.pop();
                }
                if let Some(s) = skip_depth {
                    if s == was {
                        skip_depth = None;
                    }
                    continue;
                }
                if was > limits.max_html_depth {
                    continue;
                }
                let name = element_name(&n).unwrap_or("");
                match name {
                    "td" | "th" if frames.len() > 1 && frames[frames.len() - 2].cells.is_some() => {
                        let mut cell = frames.pop().expect("cell frame");
                        cell.flush();
                        let row = frames.last_mut().expect("row frame");
                        row.cells.get_or_insert_with(Vec::new).push(cell.blocks);
                        row.spans.push(cell_spans(&n));
                    }
                    "tr" if frames.last().is_some_and(|f| f.cells.is_some())
                        && frames.len() > 1 =>
                    {
                        let mut row = frames.pop().expect("row frame");
                        row.flush();
                        let mut cells = row.cells.take().unwrap_or_default();
                        if let Some(table) = tables.last_mut() {
                            cells = table.lay_out(cells, &row.spans);
                        }
                        let parent = frames.last_mut().expect("a frame");
                        parent.flush();
                        // Blocks emitted directly in the row (stray text) come first.
                        parent.blocks.append(&mut row.blocks);
                        emit_row(parent, cells);
                    }
                    "table" => {
                        tables.pop();
                        frames.last_mut().expect("a frame").flush()
                    }
                    _ if is_block(&n) || matches!(name, "td" | "th") => {
                        frames.last_mut().expect("a frame").flush()
                    }
                    _ => {}
                }
            }
            Edge::Open(n) => {
                if skip_depth.is_some() {
                    continue;
                }
                if let Some(t) = n.value().as_text() {
                    let frame = frames.last_mut().expect("a frame");
                    frame.push_text(t, !set_off.is_empty());
                }
            }
            Edge::Close(_) => {}
        }
    }
    // Unbalanced frames (a cell outside a row) fold into the flow.
    while frames.len() > 1 {
        let mut f = frames.pop().expect("frame");
        f.flush();
        let parent = frames.last_mut().expect("frame");
        parent.flush();
        if let Some(cells) = f.cells.take() {
            parent.blocks.append(&mut f.blocks);
            emit_row(parent, cells);
        } else {
            parent.blocks.append(&mut f.blocks);
        }
    }
    let mut top = frames.pop().expect("frame");
    top.flush();
    if truncated {
        top.blocks.push(Block::paragraph(""));
        top.blocks.pop();
    }
    top.blocks
}

/// A row with two or more non-empty cells is a table row; a single cell is page layout and its
/// lines are paragraphs.
fn emit_row(parent: &mut Frame, cells: Vec<Vec<Block>>) {
    let non_empty = cells.iter().filter(|c| !c.is_empty()).count();
    if non_empty >= 2 {
        let texts: Vec<String> = cells
            .iter()
            .map(|c| {
                c.iter()
                    .map(|b| b.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        parent.blocks.push(Block::table_row(&texts));
    } else {
        for c in cells {
            parent.blocks.extend(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(html: &str) -> Document {
        extract(html.as_bytes(), &Limits::default()).unwrap()
    }

    /// The text of each block of `d`.
    fn texts(d: &Document) -> Vec<&str> {
        d.blocks.iter().map(|b| b.text.as_str()).collect()
    }

    #[test]
    fn a_share_box_that_holds_the_info_line_is_not_chrome() {
        assert!(classify_name("share").1);
        assert!(!classify_name("share_author").1);
        assert!(!classify_name("news-source").1);
    }

    #[test]
    fn a_date_alone_before_the_source_is_the_date_line() {
        let html = "<html><head><meta name=\"PubDate\" content=\"2024-12-10 08:23:48\"></head>\
            <body><h2>标题</h2><ul><li>2024年12月07日 08时01分</li><li>来源: 四川日报</li></ul>\
            <div class=\"content\"><p>正文第一段，内容较长，足够成为正文，也足够长。</p></div>\
            </body></html>";
        let d = ex(html);
        let first_date = d
            .fields
            .iter()
            .find(|(l, _)| metadata::field_of(l) == Some(metadata::Field::PublishedAt));
        assert_eq!(
            first_date.map(|(_, v)| v.as_str()),
            Some("2024年12月07日 08时01分"),
            "{:?}",
            d.fields
        );
    }

    #[test]
    fn a_source_credit_closing_the_article_is_its_source() {
        let article = "<p>全市推进各项工作，取得积极成效。这是一段正文，用来让内容区足够长。</p>\
            <p>另一段正文，也用来让内容区足够长，足够长，足够长，足够长。</p>";
        for (credit, name) in [
            ("来源：无锡交警", "无锡交警"),
            ("（来源：新华社）", "新华社"),
            (
                "图文来源：区委网信办、区融媒体中心",
                "区委网信办、区融媒体中心",
            ),
        ] {
            let d = ex(&format!(
                "<html><body><div class=\"content\">{article}<p>{credit}</p></div></body></html>"
            ));
            assert_eq!(texts(&d).len(), 2, "{credit}: {:?}", texts(&d));
            assert!(
                d.fields.contains(&("来源".to_string(), name.to_string())),
                "{credit}"
            );
        }
        // A sentence about a source is text.
        let d = ex(&format!(
            "<html><body><div class=\"content\">{article}<p>资金来源：区级财政预算安排，专款专用。</p></div></body></html>"
        ));
        assert_eq!(texts(&d).len(), 3, "{:?}", texts(&d));
    }

    #[test]
    fn the_desktop_copy_of_an_article_is_read() {
        let html = "<html><body>\
            <div class=\"am-hide-sm-only\"><div class=\"content\">\
            <p>桌面版正文第一段，内容较长，足够成为正文，也足够长。</p><p>桌面版第二段。</p></div></div>\
            <div class=\"am-show-sm-only am-print-hide\"><div class=\"content\">\
            <p>手机版正文第一段，内容较长，足够成为正文，也足够长，更长更长更长。</p>\
            <p>手机版第二段，手机版独有的文字很多很多很多很多很多。</p></div></div>\
            </body></html>";
        let d = ex(html);
        let t = texts(&d);
        assert!(t.iter().any(|l| l.starts_with("桌面版正文")), "{t:?}");
        assert!(!t.iter().any(|l| l.starts_with("手机版")), "{t:?}");
    }

    #[test]
    fn a_short_line_set_off_whole_is_a_display_line() {
        let html = "<html><body><div class=\"content\">\
            <p>全市推进各项工作，取得积极成效。这是一段正文，用来让内容区足够长。</p>\
            <p style=\"text-align: center\">科研人员正在进行载荷设备测试</p>\
            <p><strong>自主技术创新推动广州美妆出海</strong></p>\
            <p><b>请大家互相转告，</b></p><p><b>平安出行</b></p>\
            <p>正文<b>加粗</b>部分</p>\
            <p>另一段正文，也用来让内容区足够长，足够长，足够长，足够长。</p>\
            </div></body></html>";
        let d = ex(html);
        let heading = |t: &str| {
            d.blocks
                .iter()
                .find(|b| b.text == t)
                .map(|b| matches!(b.kind, BlockKind::Heading { .. }))
        };
        assert_eq!(heading("科研人员正在进行载荷设备测试"), Some(true));
        assert_eq!(heading("自主技术创新推动广州美妆出海"), Some(true));
        // A line that ends open, and the line after it, read on.
        assert_eq!(heading("请大家互相转告，"), Some(false));
        assert_eq!(heading("平安出行"), Some(false));
        assert_eq!(heading("正文加粗部分"), Some(false));
    }

    #[test]
    fn pairs_split_in_every_layout() {
        assert_eq!(
            split_pairs("文章来源:省审计厅发表时间:2020-12-28 14:39"),
            vec![
                ("文章来源".to_string(), "省审计厅".to_string()),
                ("发表时间".to_string(), "2020-12-28 14:39".to_string())
            ]
        );
        assert_eq!(split_pairs("号:"), vec![("号".to_string(), String::new())]);
        assert_eq!(
            split_pairs("索 引 号："),
            vec![("索 引 号".to_string(), String::new())]
        );
        assert!(split_pairs("截止时间为上午9:30").is_empty());
        // An unknown label after a gap ends the value before it.
        assert_eq!(
            split_pairs("来源：春江镇\u{a0}\u{a0}浏览次数："),
            vec![
                ("来源".to_string(), "春江镇".to_string()),
                ("浏览次数".to_string(), String::new())
            ]
        );
        // Without a gap it is part of the value.
        assert_eq!(
            split_pairs("标题：关于开展检查工作的通知"),
            vec![("标题".to_string(), "关于开展检查工作的通知".to_string())]
        );
        // A label of no field that ends in one (`时间` of `废止时间`) is a label whole.
        assert_eq!(
            split_pairs("有效性：有效\u{3000}废止时间：暂无"),
            vec![
                ("有效性".to_string(), "有效".to_string()),
                ("废止时间".to_string(), "暂无".to_string())
            ]
        );
        assert_eq!(
            split_pairs("生效时间："),
            vec![("生效时间".to_string(), String::new())]
        );
        // A date without a label after the name of the source is the line's date.
        assert_eq!(
            split_pairs(
                "来源：宣教中心\u{a0}\u{a0}\u{a0}\u{a0} 2022-11-14 14:59:48 \u{a0}【字体："
            ),
            vec![
                ("来源".to_string(), "宣教中心".to_string()),
                (
                    LEAD_DATE_LABEL.to_string(),
                    "2022-11-14 14:59:48".to_string()
                ),
            ]
        );
        // Digits that are no date stay in the value, as does a date followed by more text,
        // and a date in the value of a label other than the source.
        for line in [
            "来源：第3工作组 2022年度",
            "来源：新华社 2022-11-14 14:59:48 2023",
            "有效期：至 2027-12-31",
            "施行日期：自 2022年3月1日起施行",
        ] {
            let (label, value) = line.split_once('：').unwrap();
            assert_eq!(
                split_pairs(line),
                vec![(label.to_string(), value.to_string())],
                "{line}"
            );
        }
        // Pairs set in brackets; a bracket of a document number stays.
        assert_eq!(
            split_pairs("【来源： 综合自学习强国】 发布日期：2023-07-19 19:21:00"),
            vec![
                ("来源".to_string(), "综合自学习强国".to_string()),
                ("发布日期".to_string(), "2023-07-19 19:21:00".to_string())
            ]
        );
        assert_eq!(
            split_pairs("[字体：大 中 小]  文号：岚苏政【2017】106号"),
            vec![
                ("字体".to_string(), "大 中 小".to_string()),
                ("文号".to_string(), "岚苏政【2017】106号".to_string())
            ]
        );
    }

    #[test]
    fn a_headline_link_between_panel_fields_is_no_field() {
        let d = ex("<html><body><div class=\"info\">来源：绵阳市政务网</div>\
            <div class=\"article\"><p>为深入推进服务企业活动月，优化营商环境，市政府召开专题会议，研究部署有关工作，要求各部门认真落实。</p></div>\
            <table><tr><td><a href=\"/x.html\">绵阳：扎实推进森林草原防灭火专项整治工作</a></td></tr>\
            <tr><td>浙江：全力做好秋冬季防火</td></tr></table>\
            <div>关键词：服务企业活动月</div></body></html>");
        let labels: Vec<&str> = d.fields.iter().map(|(k, _)| k.as_str()).collect();
        assert!(!labels.contains(&"绵阳"), "{labels:?}");
        // Outside a link an unknown label between known ones still counts.
        assert!(labels.contains(&"浙江"), "{labels:?}");
        assert!(
            labels.contains(&"来源") && labels.contains(&"关键词"),
            "{labels:?}"
        );
    }

    #[test]
    fn a_panel_s_unknown_labels_run_on_from_a_known_one_in_its_group() {
        let d = ex("<html><body><div class=\"info\">\
            <dl><dt>区域：</dt><dd>大兴区</dd></dl>\
            <dl><dt>开始时间：</dt><dd>2024-05-08</dd></dl>\
            <dl><dt>地点：</dt><dd>北人亦创国际会展中心</dd></dl>\
            <dl><dt>来源：</dt><dd>北京市商务局</dd></dl></div>\
            <div class=\"article\"><p>本展会聚焦产业链合作价值，打造论坛、展览、发布会、榜单、奖项五大体系，发现全球医疗健康产业的创新。</p></div>\
            <div class=\"contact\"><p>地址：北京市通州区</p><p>电话：010-12345678</p></div></body></html>");
        let labels: Vec<&str> = d.fields.iter().map(|(k, _)| k.as_str()).collect();
        // The whole panel, `开始时间` whole (not cut down to `时间`), and not the contact lines
        // after the article, which are in a group of their own.
        assert_eq!(
            labels,
            ["区域", "开始时间", "地点", "来源"],
            "{:?}",
            d.fields
        );
    }

    #[test]
    fn a_page_showing_only_links_has_no_body() {
        let links = "<table><tr><td><div><a href=\"/a\">搜狐在线国庆免费大酬宾</a></div></td></tr>\
            <tr><td><p><a href=\"/b\"><font color=red>拨95933上网魔力宝贝免费玩</font></a></p></td></tr>\
            <tr><td><div><a href=\"/c\">95933网费天天最低6毛/小时</a></div></td></tr></table>";
        let d = ex(&format!("<html><body>{links}</body></html>"));
        assert!(d.blocks.is_empty(), "{:?}", d.blocks);
        // A line of text among the links is an article.
        let d = ex(&format!(
            "<html><body>{links}<p>国庆期间，搜狐在线推出免费上网活动。</p></body></html>"
        ));
        assert!(!d.blocks.is_empty());
    }

    #[test]
    fn site_name_is_stripped_from_title() {
        assert_eq!(
            strip_site_name("关于印发通知的通知_安徽省审计厅", "").as_deref(),
            Some("关于印发通知的通知")
        );
        assert_eq!(
            strip_site_name("安徽省审计厅-关于印发通知的通知", "安徽省审计厅").as_deref(),
            Some("关于印发通知的通知")
        );
        assert_eq!(
            strip_site_name("关于印发通知的通知 - 安徽省审计厅", "").as_deref(),
            Some("关于印发通知的通知")
        );
    }

    const PAGE: &str = r#"<html><head><meta charset="utf-8"><title>关于开展检查的通知_某某市审计局</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/a">政务公开</a></div>
<div class="crumb">您当前的位置：<a href="/">首页</a> &gt; <a href="/x">政府信息公开</a> &gt; <a href="/y">通知公告</a></div>
<table class="panel"><tr><th>号：</th><td>002985886/202012-00023</td><th>信息分类：</th><td>通知公告</td></tr>
<tr><th>发布机构：</th><td>某某市审计局</td><th>文号：</th><td>某审〔2020〕3号</td></tr></table>
<div class="article"><h1>关于开展检查的通知</h1>
<div class="info"><span>来源：某某市审计局</span><span>发布时间：2020-12-28 14:39</span></div>
<div class="TRS_Editor"><p>各区审计局：</p><p>　　为做好检查工作，现将有关事项通知如下。</p>
<p><strong>一、检查内容</strong></p><p>检查预算执行情况，重点关注资金使用。</p>
<table><tr><td>项目</td><td>金额</td></tr><tr><td>合计</td><td>100</td></tr></table>
<p><a href="/files/plan.docx">检查方案.docx</a></p></div></div>
<div class="footer">主办单位：某某市审计局 网站标识码：1234</div></body></html>"#;

    /// The breadcrumb of a page whose trail is `trail`.
    fn crumbs_of(trail: &str) -> Vec<String> {
        ex(&format!(
            "<html><body>{trail}<div class=\"article\"><p>为做好检查工作，现将有关事项通知如下。</p></div></body></html>"
        ))
        .metadata
        .breadcrumb
    }

    #[test]
    fn printed_dates_come_before_the_meta_and_a_colon_may_follow_a_space() {
        let d = ex(
            r#"<html><head><meta name="PubDate" content="2023-05-12 23:20"></head><body>
<h1>关于开展检查的通知</h1><div class="info"><span>发布时间：2009-09-30 10:53</span>
<span>发布日期 : 2009-09-29</span></div>
<div class="article"><p>为做好检查工作，现将有关事项通知如下，请认真贯彻执行。</p></div></body></html>"#,
        );
        let m = crate::metadata::build(&d.fields, d.metadata.clone(), &mut Vec::new());
        assert_eq!(m.published_at.as_deref(), Some("2009-09-30T10:53:00+08:00"));
        assert_eq!(m.issued_date.as_deref(), Some("2009-09-29"));
    }

    #[test]
    fn a_date_line_without_labels_gives_the_publication_time() {
        let meta = |page: &str| {
            let d = ex(page);
            crate::metadata::build(&d.fields, d.metadata.clone(), &mut Vec::new())
        };
        let article = "<div class=\"article\"><p>为做好检查工作，现将有关事项通知如下，请认真贯彻执行。</p></div>";
        // A date before the first label, and a label after a gap that ends a value.
        let m = meta(&format!(
            "<html><body><h1>通知</h1><div class=\"post_source\">2022-05-07 00:00　来源：河北省文化和旅游厅</div>{article}</body></html>"
        ));
        assert_eq!(m.published_at.as_deref(), Some("2022-05-07T00:00:00+08:00"));
        assert_eq!(m.source.as_deref(), Some("河北省文化和旅游厅"));
        assert_eq!(
            split_pairs("来源：顺义区退役军人事务局 　　更新时间：2024-08-14 10:46"),
            [
                ("来源".to_string(), "顺义区退役军人事务局".to_string()),
                ("更新时间".to_string(), "2024-08-14 10:46".to_string())
            ]
        );
        // A time alone in an element named for it, before the article; not a comment's after it.
        let m = meta(&format!(
            "<html><body><h1>通知</h1><span id=\"pubtime\">2020年02月18日 09:15</span>{article}<span class=\"tie-time\">2020-03-01 10:00</span></body></html>"
        ));
        assert_eq!(m.published_at.as_deref(), Some("2020-02-18T09:15:00+08:00"));
        let m = meta(&format!(
            "<html><body><h1>通知</h1>{article}<span class=\"tie-time\">2020-03-01 10:00</span></body></html>"
        ));
        assert_eq!(m.published_at, None);
    }

    #[test]
    fn a_panel_row_of_labels_and_values_is_pairs_even_after_an_empty_value() {
        let d = ex(
            r#"<html><body><table class="panel"><tr><td>索 引 号</td><td>002482330/2020-10091</td><td>公开分类</td><td></td></tr>
<tr><td>发布机构</td><td>省文化和旅游厅</td><td>成文日期</td><td>2020-12-29</td></tr></table>
<div class="article"><p>为做好检查工作，现将有关事项通知如下，请认真贯彻执行。</p></div></body></html>"#,
        );
        let m = crate::metadata::build(&d.fields, d.metadata.clone(), &mut Vec::new());
        assert_eq!(m.index_no.as_deref(), Some("002482330/2020-10091"));
        assert_eq!(m.publisher.as_deref(), Some("省文化和旅游厅"));
        assert_eq!(m.written_date.as_deref(), Some("2020-12-29"));
    }

    #[test]
    fn a_label_spaced_out_by_empty_elements_is_read_whole() {
        // Piece by piece, `期：` is a cut-short label of either date.
        let d = ex(
            r#"<html><body><table class="xxgk"><tr><th>成<span style="padding-right:0.5em"></span>文<span></span>日<span></span>期：</th><td>2024-05-01</td>
<th>发<span></span>布<span></span>日<span></span>期：</th><td>2024-05-06</td></tr>
<tr><th>发<span></span>布<span></span>机<span></span>构：</th><td>合肥市水务局</td><th>名<span></span>称</th><td>关于做好防汛工作的通知</td></tr></table>
<div class="article"><p>为做好防汛工作，现将有关事项通知如下，请认真贯彻执行，确保安全度汛。</p>
<p>各单位要高度重视防汛工作，切实落实防汛责任制，加强隐患排查，确保人民群众生命财产安全。</p></div></body></html>"#,
        );
        let m = crate::metadata::build(&d.fields, d.metadata.clone(), &mut Vec::new());
        assert_eq!(
            m.written_date.as_deref(),
            Some("2024-05-01"),
            "{:?}",
            d.fields
        );
        assert_eq!(m.issued_date.as_deref(), Some("2024-05-06"));
        assert_eq!(m.publisher.as_deref(), Some("合肥市水务局"));
        assert!(
            d.fields
                .contains(&("名称".to_string(), "关于做好防汛工作的通知".to_string())),
            "{:?}",
            d.fields
        );
    }

    #[test]
    fn site_wide_meta_keywords_are_not_the_articles() {
        let metas: HashMap<String, String> = [("sitename", "北京市发展和改革委员会")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let title = Some("共论出版传媒业高质量发展 第十届论坛在沪召开");
        let ok = |v: &str| are_article_keywords(v, &metas, title);
        assert!(ok("道路运输,公路建设,规范性文件"));
        assert!(!ok("北京市发展和改革委员会"));
        assert!(!ok("广东省人民政府门户网站,政府,GOV"));
        assert!(!ok("共论出版传媒业高质量发展 第十届论坛在沪召开"));
        assert!(!ok("a,b,c,d,e,f,g,h,i,j,k,l,m"));
        // A site's name ends in 网; a network is a keyword.
        assert!(!ok("人民网,时政"));
        assert!(ok("互联网,数字经济,统计调查"));
        assert!(ok("智能电网,供水管网"));
    }

    #[test]
    fn a_search_box_named_like_a_trail_is_no_trail() {
        assert_eq!(
            crumbs_of(
                r#"<div class="Form-Crumbs-Article"><form action="/s"><a href="/" class="logo"><span>搜狗</span></a><input name="q"></form></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/n">新闻</a></div>"#
            ),
            ["首页", "新闻"]
        );
    }

    #[test]
    fn text_crumbs_count_beside_links() {
        // The current column as a list item without a link.
        assert_eq!(
            crumbs_of(
                r#"<ol class="breadcrumb"><span>您现在所在的位置：</span><li><a href="/">首页</a></li>
<li class="active">政务公开</li><li class="active">基层卫生</li></ol>"#
            ),
            ["首页", "政务公开", "基层卫生"]
        );
        // After the last link, as text; a placeholder for the page itself is no crumb.
        assert_eq!(
            crumbs_of(
                r#"<div class="xl_tit">当前位置：<a href="../">首页</a> > <span>洪山要闻</span> > 正文</div>"#
            ),
            ["首页", "洪山要闻"]
        );
        // Neither labelled nor named: a home link, a separator, more links.
        assert_eq!(
            crumbs_of(
                r#"<div class="mnav"><a href="/">首页</a> &gt; <a href="/xw">新闻动态</a> &gt; <a href="/gx">工信动态</a></div>"#
            ),
            ["首页", "新闻动态", "工信动态"]
        );
        // A trail of the home and a placeholder stands for the full one further on.
        assert_eq!(
            crumbs_of(
                r#"<div class="position"><a href="/">网站首页</a> > <a href="javascript:void(0)">详情页</a></div>
<div class="rels"><a href="/">网站首页</a>&nbsp;&gt;&nbsp;<a href="/zh">综合要闻</a>&nbsp;&gt;&nbsp;<a href="/zj">镇街动态</a></div>"#
            ),
            ["网站首页", "综合要闻", "镇街动态"]
        );
        // A menu opens with its home link too, but without separators.
        assert!(
            crumbs_of(r#"<ul class="menu"><li><a href="/">首页</a></li><li><a href="/xw">新闻动态</a></li></ul>"#)
                .is_empty()
        );
        // A button named like a trail is passed over for the trail.
        assert_eq!(
            crumbs_of(
                r#"<a class="weizhi" href="/zc"><span>政</span><span>策</span></a>
<div class="location"><a href="/">首页</a> > <a href="/xzcf">行政处罚</a></div>"#
            ),
            ["首页", "行政处罚"]
        );
        // The column's name shown again under the trail, and a time beside it, are not crumbs.
        assert_eq!(
            crumbs_of(
                r#"<div class="position"><a href="/">首页</a>&gt;<a href="/gzdt">工作动态</a><b>工作动态</b></div>"#
            ),
            ["首页", "工作动态"]
        );
        assert_eq!(
            crumbs_of(
                r#"<div class="position"><a href="/">首页</a>&gt;<a href="/gzdt">工作动态</a><li>10:00</li></div>"#
            ),
            ["首页", "工作动态"]
        );
    }

    #[test]
    fn a_disclosure_page_end_to_end() {
        let d = ex(PAGE);
        assert_eq!(d.title.as_deref(), Some("关于开展检查的通知"));
        let texts = texts(&d);
        assert_eq!(texts[0], "各区审计局：");
        assert!(texts.contains(&"项目\t金额"), "{texts:?}");
        assert!(
            texts
                .iter()
                .all(|t| !t.contains("主办单位") && !t.contains("首页")),
            "{texts:?}"
        );
        assert_eq!(
            d.metadata.breadcrumb,
            vec!["首页", "政府信息公开", "通知公告"]
        );
        let labels: Vec<&str> = d.fields.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(
            labels,
            vec!["号", "信息分类", "发布机构", "文号", "来源", "发布时间"],
            "{:?}",
            d.fields
        );
        assert_eq!(
            d.attachments,
            vec![Attachment {
                name: "检查方案.docx".into(),
                href: "/files/plan.docx".into()
            }]
        );
    }

    #[test]
    fn prose_beside_the_fullest_block_belongs_to_the_article() {
        let p = |text: &str| format!("<p>{text}</p>");
        let para = "专家团分别听取了语文、数学、历史等学科的课堂教学，并在课后与授课教师进行了深入细致的评课交流，提出了宝贵的意见和建议。";
        let lead = "近日，由北京市教委组织的教育援助专家团队抵达玉树，正式启动对口支援行动。";
        // A lead paragraph in a section of its own, beside the section holding the rest.
        let page = format!(
            "<html><body><div class=\"nav\"><a href=\"/\">首页</a></div><div class=\"xl\">\
             <h1>北京教育专家团赴青海玉树开展教育援助行动</h1><p>日期：2024-07-22  来源：市教委</p>\
             <div><section><section>{}</section></section><section>{}</section>\
             <span style=\"width:0;height:0;overflow:hidden\">正文已结束</span></div></div></body></html>",
            p(lead),
            p(para).repeat(3),
        );
        let d = ex(&page);
        assert_eq!(texts(&d), [lead, para, para, para]);
        // The intro above an article that is a table, and the signature below it.
        let row = |a: &str, b: &str| format!("<tr><td>{a}</td><td>{b}</td></tr>");
        let page = format!(
            "<html><body><div class=\"TRS_Editor\">{}<p><br/></p><table>{}{}{}</table>{}{}</div>\
             <div class=\"share\">扫一扫在手机上查看当前页面</div></body></html>",
            p("根据《烟花爆竹经营许可实施办法》，现公告相关审批事项结果如下："),
            row("企业名称", "许可事项"),
            row("林泽旭烟花爆竹短期零售经营点", "烟花爆竹经营（零售）许可证"),
            row("卢忠城烟花爆竹短期零售经营点", "烟花爆竹经营（零售）许可证"),
            p("平潭综合实验区综合执法与应急管理局"),
            p("2024年12月10日"),
        );
        let d = ex(&page);
        let texts = texts(&d);
        assert_eq!(
            texts[0],
            "根据《烟花爆竹经营许可实施办法》，现公告相关审批事项结果如下："
        );
        assert_eq!(
            texts[texts.len() - 2..],
            ["平潭综合实验区综合执法与应急管理局", "2024年12月10日"]
        );
        assert!(!texts.iter().any(|t| t.contains("扫一扫")), "{texts:?}");
    }

    #[test]
    fn the_documents_list_of_attachments_stays_and_file_links_go() {
        let p = |text: &str| format!("<p>{text}</p>");
        let prose = "各地各高校要坚持贴近师生、贴近实际，组织开展富有时代气息、体现文化内涵的校园文化品牌活动，并及时宣传推广活动开展情况。";
        let page = format!(
            "<html><body><div class=\"content\">{}{}{}{}{}</div></body></html>",
            p(prose).repeat(3),
            p("附件：1.<a href=\"./a.docx\">知识竞答工作要求</a>"),
            p("2.<a href=\"./b.docx\">作品报送要求</a>"),
            p("<a href=\"./c.doc\">关于加强监管工作的通知.doc</a>"),
            p("1.<a href=\"./d.pdf\">活动成果征集表.pdf</a>"),
        );
        let d = ex(&page);
        let texts = texts(&d);
        assert_eq!(
            texts[3..],
            ["附件：1.知识竞答工作要求", "2.作品报送要求"],
            "{texts:?}"
        );
        assert_eq!(d.attachments.len(), 4);
    }

    #[test]
    fn a_cell_spanning_rows_leaves_an_empty_cell_in_each_row_it_covers() {
        let d = ex("<html><body><table>\
            <tr><th>序号</th><th>当事人</th><th colspan=\"1\">文号</th><th>内容</th><th>机关</th></tr>\
            <tr><td>1</td><td>某公司</td><td rowspan=\"3\">罚决字〔2024〕52号</td><td>罚款56万元</td><td rowspan=\"2\">某局</td></tr>\
            <tr><td>2</td><td>张三</td><td>警告</td></tr>\
            <tr><td>3</td><td>李四</td><td>罚款2万元</td><td>另一局</td></tr>\
            <tr><td colspan=\"2\">合计</td><td>共3项</td></tr>\
            </table></body></html>");
        assert_eq!(
            texts(&d),
            [
                "序号\t当事人\t文号\t内容\t机关",
                "1\t某公司\t罚决字〔2024〕52号\t罚款56万元\t某局",
                "2\t张三\t\t警告\t",
                "3\t李四\t\t罚款2万元\t另一局",
                "合计\t共3项",
            ]
        );
    }

    #[test]
    fn an_article_that_is_a_table_of_data_is_the_whole_table() {
        // Each cell holds little prose, the disclaimer below one block of it; without
        // promotion the fullest cell wins alone.
        let row = |label: &str, value: &str| {
            format!("<tr><td><p>{label}</p></td><td><p>{value}</p></td></tr>")
        };
        let page = format!(
            "<html><body><div class=\"Section0\"><table>{}{}{}{}</table></div>\
             <div class=\"banquanmianze\"><div>版权与免责声明</div>\
             <div>凡本站及其子站注明文章类型为原创的所有作品，其版权属于本网站及其子站所有，其他媒体转载使用时必须注明文章来源。</div></div>\
             </body></html>",
            row("行政处罚决定书文号", "金罚决字〔2024〕36号"),
            row("被处罚当事人", "复星联合健康保险股份有限公司及其责任人员"),
            row(
                "主要违法违规事实",
                "委托未取得合法资格的个人从事保险销售活动"
            ),
            row(
                "行政处罚决定",
                "对复星联合健康保险股份有限公司合计罚款一百五十八万元"
            ),
        );
        let d = ex(&page);
        let texts = texts(&d);
        assert_eq!(texts.len(), 4, "{texts:?}");
        assert_eq!(texts[0], "行政处罚决定书文号\t金罚决字〔2024〕36号");
        assert!(texts.iter().all(|t| !t.contains("版权")), "{texts:?}");
    }

    #[test]
    fn an_article_of_several_tables_under_headings_is_read_whole() {
        // A 公示 of names: a lead-in, a table under each heading, a signature, each line a
        // bare `<div>` (a heading an `<h3>`), furniture first. The longest table holds most
        // prose, but the article is all of it.
        let table = |rows: &[(&str, &str)]| {
            let rows: String = rows
                .iter()
                .map(|(name, unit)| {
                    format!("<tr><td>{name}</td><td>{unit}</td><td>副研究馆员</td></tr>")
                })
                .collect();
            format!("<table><tr><td>姓名</td><td>工作单位</td><td>拟任资格</td></tr>{rows}</table>")
        };
        let page = format!(
            "<html><body><div class=\"title\">评审结果公示</div><div class=\"info\">日期：2020-12-29</div>\
             <div class=\"content-body\"><p>浏览次数：</p><div>根据《职称评审管理实施办法》，近期召开了2020年度评审会议，现将评审结果予以公示。</div>\
             <div>一、文物博物专业</div>{}<h3>二、图书资料专业</h3>{}\
             <div>公示时间：2020年12月30日至2021年1月6日，如有异议，可来信来电反映。</div>\
             <div>浙江省文化和旅游厅</div><div>2020年12月29日</div></div>\
             <div class=\"footer\">主办单位：某某厅 网站标识码：123</div></body></html>",
            table(&[
                ("金伟明", "丽水市博物馆"),
                ("黄懿", "余姚市文物保护管理所"),
                ("唐颖华", "南湖革命纪念馆（红船精神研究院）"),
            ]),
            table(&[
                ("黄义侠", "浙江广播电视传媒集团有限公司"),
                ("潘思思", "浙江图书馆（浙江省古籍保护中心）"),
                ("聂飞", "浙江图书馆（浙江省古籍保护中心）"),
                ("赵晓华", "嘉兴市图书馆（嘉兴市古籍保护中心）"),
            ]),
        );
        let d = ex(&page);
        let texts = texts(&d);
        assert!(texts[0].starts_with("根据《职称评审"), "{texts:?}");
        for line in [
            "一、文物博物专业",
            "金伟明\t丽水市博物馆\t副研究馆员",
            "二、图书资料专业",
        ] {
            assert!(texts.contains(&line), "{line} in {texts:?}");
        }
        assert_eq!(texts.last(), Some(&"2020年12月29日"), "{texts:?}");
        assert!(
            texts
                .iter()
                .all(|t| !t.contains("评审结果公示") && !t.contains("主办单位")),
            "{texts:?}"
        );
    }

    #[test]
    fn lines_between_tables_written_straight_into_the_container_are_the_article() {
        // Tables with captions and notes between them as bare lines, each ended by a `<br>`,
        // all in one editor's `<div>`. The fullest table holds most prose, but the article is
        // every table and every line (its furniture left to the furniture rule); a label line
        // still stops the climb.
        let table = |rows: &[(&str, &str)]| {
            let rows: String = rows
                .iter()
                .map(|(a, b)| format!("<tr><td>{a}</td><td>{b}</td></tr>"))
                .collect();
            format!("<table border=\"1\"><tbody>{rows}</tbody></table><br>")
        };
        let first = table(&[
            (
                "化学方程式",
                "各反应物与各生成物之间用加号连接，读作和，在反应物与生成物之间用箭头连接。",
            ),
            ("实验式", "对化合物来说，它们的分子式是最简式的整数倍。"),
        ]);
        let fullest = table(&[
            (
                "结构简式",
                "团两部分。同时不应简化掉例如碳碳双键，碳碳三键等与有机物性质密切相关的结构，碳氧双键一般可忽略不写。",
            ),
            (
                "键线式",
                "只有杂原子、碳碳键和立体化学特征表现出来，所有的碳原子、氢原子和碳氢键都被省略不画。",
            ),
        ]);
        let page = |between: &str| {
            format!(
                "<html><body><div class=\"detail\"><h1>化学符号说明</h1>\
                 <div class=\"detail-content\"><div class=\"TRS_Editor\">{first}\n\
                 {between}<br>\n常见物质对比<br>\n水的lewis结构<br>\n{fullest}\n\
                 字号：大 中 小<br>\nhttps://github.com/IUPAC-InChI/InChI<br>\n【打印本页】 【关闭窗口】\n</div></div></div>\
                 <div class=\"footer\"><p>主办单位:某某局</p></div></body></html>"
            )
        };
        let d = ex(&page("又称路易斯点图像，是分子中原子"));
        let lines = texts(&d);
        for line in [
            "化学方程式\t各反应物与各生成物之间用加号连接，读作和，在反应物与生成物之间用箭头连接。",
            "常见物质对比",
            "水的lewis结构",
            "https://github.com/IUPAC-InChI/InChI",
        ] {
            assert!(lines.contains(&line), "{line} in {lines:?}");
        }
        assert!(lines.iter().all(|t| !t.contains("主办单位")), "{lines:?}");
        // A label line between the tables is the page's, not the article's.
        let d = ex(&page("发布日期：2020-12-29"));
        let lines = texts(&d);
        assert!(lines.iter().all(|t| !t.contains("化学方程式")), "{lines:?}");
        // Beside one table, bare lines are the page's (a title, the comments' stub).
        let single = format!(
            "<html><body><table><tr><td class=\"main\">化学符号说明<br>{fullest}\n\
             网友评论<br>暂无评论<br></td></tr></table></body></html>"
        );
        let d = ex(&single);
        let lines = texts(&d);
        assert!(lines[0].starts_with("结构简式"), "{lines:?}");
        assert!(
            lines
                .iter()
                .all(|t| !t.contains("说明") && !t.contains("评论")),
            "{lines:?}"
        );
    }

    #[test]
    fn a_word_paragraph_of_spans_beside_tables_is_prose() {
        // Exported from Word, a paragraph writes a few characters a `<span>`: its sentence is
        // in no one text, yet it is the article's (its labels, `联系电话:`, notwithstanding).
        let span = |t: &str| format!("<span style=\"font-family:仿宋_GB2312\">{t}</span>");
        let p = |spans: &[&str]| {
            let inner: String = spans.iter().map(|t| span(t)).collect();
            format!("<p class=\"MsoNormal\">{inner}</p>")
        };
        // The second table, the longest, holds most prose: the climb starts there.
        let table = |unit: &str, rows: usize| {
            let rows: String = (0..rows)
                .map(|i| format!("<tr><td>{i}</td><td>{unit}</td><td>副研究馆员</td></tr>"))
                .collect();
            format!("<table><tr><td>姓名</td><td>工作单位</td><td>拟任资格</td></tr>{rows}</table>")
        };
        let page = format!(
            "<html><body><div class=\"title\">评审结果公示</div><div class=\"Section1\">{}{}{}{}{}{}{}{}</div>\
             <div class=\"footer\">主办单位：某某厅</div></body></html>",
            p(&["根据《职称评审管理实施办法》，现将评审结果予以公示。"]),
            p(&["一、文物博物专业"]),
            table("丽水市博物馆", 3),
            p(&["二、图书资料专业"]),
            table("浙江图书馆（浙江省古籍保护中心）", 30),
            p(&["公示期内，如有异议，以个人名义反映情况的提倡署本人真"]),
            p(&[
                "实姓",
                "名。联系电话:",
                "0571",
                "—",
                "85215842",
                ";通讯地址:杭州市西湖区曙光路",
                "53",
                "号。"
            ]),
            p(&["浙江省文化和旅游厅"]),
        );
        let d = ex(&page);
        let texts = texts(&d);
        assert!(texts[0].starts_with("根据《职称评审"), "{texts:?}");
        assert!(texts.contains(&"二、图书资料专业"), "{texts:?}");
        assert!(
            texts.iter().any(|t| t.starts_with("实姓名。联系电话")),
            "{texts:?}"
        );
        assert_eq!(texts.last(), Some(&"浙江省文化和旅游厅"), "{texts:?}");
    }

    #[test]
    fn components_of_spans_beside_an_article_stay_out_of_it() {
        // Each `<span>` of a component is short; read as one run, they would make sentences.
        let article = "<div class=\"TRS_Editor\">\
            <p>各乡镇人民政府，县直有关单位：</p>\
            <p>为深入贯彻落实省、市关于农村人居环境整治的决策部署，进一步改善农村人居环境，决定开展整治工作。</p>\
            <p>一、工作目标</p><p>到2023年底，全县农村生活垃圾分类处理实现全覆盖。</p>\
            <p>某某县人民政府办公室</p><p>2023年4月1日</p></div>";
        for component in [
            "<div class=\"wxts\"><span>温馨提示：</span><span>如需咨询，</span><span>请拨打</span>\
             <span>12345</span><span>政务服务热线</span></div>",
            "<div class=\"xx2\"><span>来源：某某县农业农村局</span>&nbsp;<span>责任编辑：王小明</span>\
             &nbsp;<span>阅读：1,234</span></div>",
            "<div class=\"pinglun\"><div class=\"pl-item\"><span>浙江省杭州市网友</span>\
             <span>2023-04-06 10:22</span><span>好政策，点赞！</span></div></div>",
        ] {
            let page = format!(
                "<html><body><h1>关于开展农村人居环境整治工作的通知</h1>\
                 <div class=\"conbox\">{article}{component}</div></body></html>"
            );
            let d = ex(&page);
            let texts = texts(&d);
            assert_eq!(texts.last(), Some(&"2023年4月1日"), "{texts:?}");
        }
    }

    #[test]
    fn links_comments_and_page_lines_beside_an_article_stay_out_of_it() {
        let article = "<div class=\"TRS_Editor\">\
            <p>为切实做好2024年汛期安全防范工作，现将有关事项通知如下。</p>\
            <p>一、提高思想认识。各地区各部门要充分认识做好防汛工作的重要性，压紧压实责任。</p>\
            <p>某某市应急管理局</p><p>2024年5月1日</p></div>";
        let related = "<p>相关文章</p><table>\
            <tr><td><a href=\"/a1.html\">市应急管理局召开防汛工作部署会议</a></td><td>2024-04-28</td></tr>\
            <tr><td><a href=\"/a2.html\">我市开展防汛应急演练活动</a></td><td>2024-04-20</td></tr>\
            <tr><td><a href=\"/a3.html\">关于做好2023年防汛工作的通知</a></td><td>2023-05-02</td></tr></table>";
        let comments = "<div>网友评论</div><table>\
            <tr><td>网友张三</td><td>2024-05-02</td><td>通知很及时，希望各地认真落实，保障群众安全。</td></tr>\
            <tr><td>网友李四</td><td>2024-05-02</td><td>我们小区的排水沟堵了很久，希望尽快处理。</td></tr>\
            <tr><td>网友王五</td><td>2024-05-03</td><td>支持！</td></tr></table>";
        let page_lines = "<div>当前位置 首页 通知公告</div><div>关于做好2024年防汛工作的通知</div>\
            <div>发布日期 2024-05-01 阅读次数 123</div>";
        for page in [
            format!("<html><body><div class=\"wrap\">{article}{related}</div></body></html>"),
            format!("<html><body><div class=\"box\">{article}{comments}</div></body></html>"),
            format!("<html><body><div class=\"box\">{page_lines}{article}</div></body></html>"),
        ] {
            let d = ex(&page);
            let texts = texts(&d);
            assert!(texts[0].starts_with("为切实做好"), "{texts:?}");
            assert_eq!(texts.last(), Some(&"2024年5月1日"), "{texts:?}");
        }
    }

    #[test]
    fn a_wrapper_named_like_a_menu_that_holds_the_article_is_not_chrome() {
        let page = "<html><body><div class=\"menu\"><a href=\"/\">首页</a><a href=\"/x\">政务公开</a></div>\
            <div class=\"location\"><p>您当前的位置：首页 &gt; 新服务 &gt; 内容</p></div>\
            <div class=\"menu_con\"><table><tr><td class=\"NewsContent\">\
            <p>为丰富辖内中小学生的暑期生活，社区举办了一期关于学生暑期教育活动，约有三十余名学生参加。</p>\
            <p>活动中，社区关心下一代工作委员会会长宣读了有关文件精神，并对青少年的心理健康进行了疏导。</p>\
            <p>通过这次活动，家长希望社区经常开展此类活动，让孩子们懂得如何珍爱和保护自己。</p>\
            </td></tr></table></div></body></html>";
        let d = ex(page);
        let texts = texts(&d);
        assert_eq!(texts.len(), 3, "{texts:?}");
        assert!(texts[0].starts_with("为丰富"), "{texts:?}");
    }

    #[test]
    fn a_layout_table_is_not_promoted_to_the_article() {
        // One region a row: the article's cell stays the article, the footer row stays out.
        let page = "<html><body><table>\
            <tr><td>网站首页 机构概况 政务公开</td></tr>\
            <tr><td><p>为进一步加强政府信息公开工作，现将有关事项通知如下，请认真贯彻执行。</p>\
            <p>各单位要高度重视，明确责任分工，确保各项工作落到实处，按时报送工作情况。</p></td></tr>\
            <tr><td>联系我们 网站地图 主办单位：某某市人民政府办公室</td></tr>\
            </table></body></html>";
        let d = ex(page);
        let texts = texts(&d);
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert!(texts[0].starts_with("为进一步加强"), "{texts:?}");
    }

    #[test]
    fn markup_nested_past_the_limit_is_flattened_not_lost() {
        let mut html = String::from("<html><body>");
        for _ in 0..100_000 {
            html.push_str("<div>");
        }
        html.push_str("深层文本内容在这里出现");
        for _ in 0..100_000 {
            html.push_str("</div>");
        }
        html.push_str("</body></html>");
        let d = ex(&html);
        assert_eq!(d.blocks.len(), 1);
        assert_eq!(d.blocks[0].text, "深层文本内容在这里出现");
        assert!(d.warnings.iter().any(|w| w.contains("nested deeper")));
        assert!(flatten_deep_markup("<div><p>a<p>b</div>", 512).is_none());
        // Fewer `<` than the limit: within it, whatever they are.
        assert!(flatten_deep_markup("<div><div>a</div></div>", 2).is_none());
        assert!(flatten_deep_markup("<div><div><div>a</div></div></div>", 2).is_some());
        // Void and optional-end tags are not counted, in any case.
        assert!(flatten_deep_markup("<div><BR><ColGroup><Li>a</div>", 1).is_none());
    }

    #[test]
    fn comments_and_script_and_style_text_are_cut_and_split_text_joined() {
        let page = "<head><style type=\"text/css\">p { color: red }</style>\
            <script>var a = '<p>不是正文</p>';</script></head>\
            <body><!-- 统计代码 --><p>编辑：（<!--<$[信息作者]>begin-->胡冠山<!--end-->）</p>\
            <p>甲<!--1--><!--2-->乙<!--3--></p><noscript>请启用脚本</noscript>\
            <SCRIPT src=\"a.js\">document.write('版权所有');</SCRIPT></body>";
        for html in [parse_pruned(page), {
            let mut slow = Html::parse_document(page);
            drop_unread(&mut slow);
            slow
        }] {
            let root = html.tree.root();
            assert!(!root.descendants().any(|n| n.value().is_comment()));
            let texts: Vec<&str> = root
                .descendants()
                .filter_map(|n| n.value().as_text().map(|t| &**t))
                .collect();
            assert_eq!(texts, ["编辑：（胡冠山）", "甲乙", "请启用脚本"]);
            // The elements stay, empty.
            let scripts = root
                .descendants()
                .filter(|n| matches!(element_name(n), Some("script" | "style")))
                .inspect(|n| assert!(!n.has_children()))
                .count();
            assert_eq!(scripts, 3);
        }
        let d = ex(page);
        assert!(
            d.blocks.iter().any(|b| b.text == "编辑：（胡冠山）"),
            "{:?}",
            d.blocks
        );
    }

    #[test]
    fn uncounted_names_match_in_any_case_and_only_whole() {
        for name in UNCOUNTED {
            assert!(is_uncounted(name));
            assert!(is_uncounted(&name.to_ascii_uppercase()));
        }
        for name in ["div", "col2", "colgroups", "b", "", "tbodyx"] {
            assert!(!is_uncounted(name), "{name}");
        }
    }

    #[test]
    fn hidden_styles_are_read_through_case_and_any_whitespace() {
        let html = Html::parse_document(
            "<p style=\"DISPLAY :\u{3000}No ne\">甲</p><p style=\"font-family:仿宋; visibility: hidden\">乙</p>\
             <p style=\"display:仿none\">丙</p><p style=\"font-size:16pt\">丁</p><p hidden>戊</p>\
             <p style=\"width:0;height:0;overflow:hidden;display:block;font:0/0 Arial\">己</p>\
             <p style=\"height: 0px; overflow: hidden\">庚</p><p style=\"height:0.5em;overflow:hidden\">辛</p>\
             <p style=\"line-height:0;overflow:visible\">壬</p>",
        );
        let hidden: Vec<bool> = html
            .tree
            .root()
            .descendants()
            .filter(|n| element_name(n) == Some("p"))
            .map(|n| is_hidden(&n))
            .collect();
        assert_eq!(
            hidden,
            vec![true, true, false, false, true, true, true, false, false]
        );
    }

    #[test]
    fn a_streamed_page_reads_as_lines_without_script_or_style() {
        let page = "<html><head><title>关于开展检查的通知_某某市审计局</title>\
            <style>p { color: red }</style><body>\
            <script>var x = '<p>不是正文</p>';</script><select><option>甲<option>乙</select>\
            <p>第一段正文内容。</p><table><tr><td>项目</td><td>金额</td></tr>\
            <tr><td>合计</td><td>100</td></tr></table><p>第二段<br>第三行</p></body></html>";
        let d = extract_stream(page.as_bytes(), &Limits::default()).unwrap();
        let texts = texts(&d);
        assert_eq!(
            texts,
            vec![
                "第一段正文内容。",
                "项目\t金额",
                "合计\t100",
                "第二段",
                "第三行"
            ]
        );
        assert_eq!(d.title.as_deref(), Some("关于开展检查的通知"));
        assert!(d.warnings.iter().any(|w| w.contains("stream")));
        assert!(!d.warnings.iter().any(|w| w.contains("truncated")));
    }

    #[test]
    fn a_page_above_the_tree_limit_is_streamed() {
        let page = "<html><body><div class=nav>首页</div><p>关于开展检查的通知。</p></body></html>";
        let small = Limits {
            max_html_tree_bytes: 32,
            ..Limits::default()
        };
        let d = extract(page.as_bytes(), &small).unwrap();
        assert!(
            d.warnings
                .iter()
                .any(|w| w.contains("--max-html-tree-bytes")),
            "{:?}",
            d.warnings
        );
        let d = extract(page.as_bytes(), &Limits::default()).unwrap();
        assert!(
            !d.warnings
                .iter()
                .any(|w| w.contains("--max-html-tree-bytes"))
        );
    }

    #[test]
    fn a_streamed_page_stops_reading_at_the_text_limit() {
        let mut page = String::from("<html><body>");
        for i in 0..20_000 {
            page.push_str(&format!(
                "<p>第{i}段：为进一步加强预算管理，提高财政资金使用效益。</p>"
            ));
        }
        page.push_str("</body></html>");
        let limits = Limits {
            max_text_chars: 1_000,
            ..Limits::default()
        };
        let d = extract_stream(page.as_bytes(), &limits).unwrap();
        let kept: usize = d.blocks.iter().map(|b| b.text.chars().count()).sum();
        // Reading stops within the text node that crossed the limit.
        assert!((1_000..1_100).contains(&kept), "{kept}");
        assert!(d.blocks.len() < 40, "{}", d.blocks.len());
        assert!(d.warnings.iter().any(|w| w.contains("truncated")));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let mut html = String::from("<html><body>");
        for _ in 0..2_000 {
            html.push_str("<div>");
        }
        html.push_str("深层文本内容在这里出现");
        let d = ex(&html);
        assert!(d.blocks.len() <= 1);
    }
}

#[cfg(test)]
mod newline_tests {
    use super::*;

    /// A page of UTF-8 text read as GBK and saved again (characters lost where GBK could not
    /// map a pair), with its lines ended by `eol`.
    fn mojibake_page(eol: &str) -> Vec<u8> {
        let paragraphs = [
            "第一章 总则",
            "第一条 为了规范不动产登记资料查询，提高登记资料查询工作质量和效率，根据有关规定，结合重庆市实际，制定本办法。",
            "第二条 本办法适用于全市行政区域内不动产登记资料查询及其监督管理活动。法律、法规另有规定的，从其规定。",
            "第三条 本办法所称登记资料查询，是指市规划自然资源局及有关单位依照法定职责和程序开展的活动。",
            "第四条 不动产登记资料查询应当遵循依法依规、公开透明、权责一致、注重实效的原则。",
            "第五条 市规划自然资源局应当于每年1月底前制定年度登记资料查询工作计划，并向社会公开。",
        ];
        let mut page = format!(
            "<html>{eol}<head><meta charset=\"utf-8\"><title>办法</title></head>{eol}<body><div class=\"content\">{eol}"
        );
        for p in paragraphs {
            page.push_str(&format!("<p>{p}</p>{eol}"));
        }
        page.push_str(&format!("</div></body></html>{eol}"));
        let (garbled, _, _) = encoding_rs::GBK.decode(page.as_bytes());
        garbled.into_owned().into_bytes()
    }

    #[test]
    fn windows_line_ends_read_as_unix_ones() {
        let limits = Limits::default();
        let lf = extract(&mojibake_page("\n"), &limits).unwrap();
        let crlf = extract(&mojibake_page("\r\n"), &limits).unwrap();
        assert!(
            lf.warnings.iter().any(|w| w.contains("mojibake")),
            "{:?}",
            lf.warnings
        );
        assert_eq!(crlf.blocks, lf.blocks);
        assert_eq!(crlf.corrected, lf.corrected);
    }
}

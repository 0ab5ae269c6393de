//! Page furniture: controls and labels of the web page (print, font size, close, share,
//! related links, view counter…) that an extractor let into the content.
//!
//! A line is furniture only when it consists entirely of furniture tokens; the words inside
//! running text (`政策解读`, `打印机`) are never touched. Dropped lines are recorded with an
//! empty `after`.

use std::sync::LazyLock;

use regex_lite::Regex;

use super::text::is_zero_width;
use super::{Context, Lines, Rule};
use crate::document::BlockKind;

/// The furniture tokens, as regular-expression fragments. A line made of one or more of these
/// (with layout between them) is dropped. Whitespace is layout, never part of a token: lines
/// are matched without it. Counters are ASCII or fullwidth digits (Unicode `\d`, the digits of
/// every script, made every worker process compile a larger automaton).
pub const TOKENS: &[&str] = &[
    // print / close / font size controls, bracketed or not
    r"【?打印(?:本页|此页|页面)?】?",
    r"【?关闭(?:窗口|本页|此页|页面)?】?",
    r"【?(?:字号|字体)[:：]?[大中小]{0,3}】?",
    r"【大中小】",
    r"【?收藏(?:本页)?】?",
    r"【?返回顶部】?",
    r"【?我要纠错】?",
    r"【?纠错】?",
    // attachment / interpretation tabs
    r"解读",
    r"相关解读",
    r"文件下载[:：]?",
    r"附件下载[:：]?",
    // sharing
    r"扫一扫在手机(?:上)?(?:打开|查看|浏览)当前页(?:面)?",
    r"分享到[:：]?",
    r"微信|微博|新浪微博|腾讯微博|QQ空间|QQ好友|朋友圈|人人网|豆瓣",
    // pagination of a page split in parts
    r"【[0-9０-９]{1,3}】",
    r"【?(?:上一页|下一页|尾页|末页)】?",
    // related links header and view counter
    r"相关(?:链接|稿件|文章|附件|新闻|阅读)[:：]?",
    r"浏览次数[:：]?[0-9０-９]*次?",
    r"访问量[:：]?[0-9０-９]*",
];

/// Whole lines of furniture as pages write them most often: what a line of mojibake whose
/// lost characters fit one of these was (see `mojibake`), before the rule drops it.
pub const PHRASES: &[&str] = &[
    "扫一扫在手机打开当前页",
    "扫一扫在手机上打开当前页",
    "扫一扫在手机查看当前页",
    "打印本页",
    "关闭窗口",
    "【打印本页】",
    "【关闭窗口】",
    "【打印】【关闭】",
    "【打印】",
    "【关闭】",
    "返回顶部",
    "我要纠错",
    "相关链接",
    "相关解读",
    "文件下载",
    "附件下载",
    "分享到：",
];

/// The longest of the [`PHRASES`], in characters.
pub const MAX_PHRASE_CHARS: usize = 12;

/// Separators between the controls of a row (`打印|关闭`, `·【关闭页面】`).
const SEPARATORS: &str = "|｜·•";

/// Matches a furniture line once its whitespace is removed. Whitespace stays out of the
/// pattern because every Unicode `\s` in it made each worker process compile a larger
/// automaton.
static FURNITURE: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(&furniture_pattern()));

pub(crate) fn furniture_pattern() -> String {
    let alt = TOKENS.join("|");
    // Layout left between tokens once whitespace is gone: zero-width characters and the
    // separators of a row of links (`打印|关闭`, `·【打印页面】`).
    let gap = format!(r"[\u{{200B}}-\u{{200D}}\u{{2060}}\u{{FEFF}}{SEPARATORS}]*");
    format!(r"^{gap}(?:(?:{alt}){gap})+$")
}

/// Every character a furniture line can hold besides whitespace, sorted: whatever is written
/// in [`TOKENS`] (their literal characters, and their syntax too, which only makes the set
/// larger), the digits of their counter classes (`[0-9０-９]`), the zero-width layout
/// between tokens ([`is_zero_width`], the class `FURNITURE` allows between tokens) and the
/// [`SEPARATORS`].
static TOKEN_CHARS: LazyLock<Vec<char>> = LazyLock::new(|| {
    let mut chars: Vec<char> = TOKENS
        .iter()
        .flat_map(|t| t.chars())
        .chain('0'..='9')
        .chain('０'..='９')
        .chain(['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}'])
        .chain(SEPARATORS.chars())
        .collect();
    chars.sort_unstable();
    chars.dedup();
    debug_assert!(chars.iter().copied().filter(|c| is_zero_width(*c)).count() == 5);
    chars
});

/// Whether every character of `line` could be part of a furniture line. Sound as a pre-check
/// because `FURNITURE` matches a line only when every character left once whitespace is
/// removed is matched by a literal or a class of its pattern, and all of those are in
/// [`TOKEN_CHARS`]. Running text fails within its first few characters, and the regex is
/// then neither run nor, in a worker whose lines all fail, compiled.
fn only_token_chars(line: &str) -> bool {
    line.chars()
        .all(|c| c.is_whitespace() || TOKEN_CHARS.binary_search(&c).is_ok())
}

/// Whether the whole line is page furniture.
pub fn is_furniture(line: &str) -> bool {
    if line.trim().is_empty() || !only_token_chars(line) {
        return false;
    }
    // Spaced out (`微 博`, `打 印`) it is the same furniture the whitespace rule would make of
    // it, so the decision does not depend on which rule runs first.
    if line.contains(char::is_whitespace) {
        FURNITURE.is_match(
            &line
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>(),
        )
    } else {
        FURNITURE.is_match(line)
    }
}

/// A link back to the site (`返回腾讯网首页>>`, `【返回顶部】`, `返回列表`) or on to another page
/// (`点击进入“文艺星青年”>>`): furniture as a line of its own, and at the end of a paragraph
/// after its last sentence (an `<a>` inside the last `<p>`). Unlike [`TOKENS`] the link may
/// name the site, so it is matched on its own, not through the token line pattern.
static LINK_AWAY: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(
        r"(?:【?返回[^。！？，、；\s]{0,8}?(?:首页|主页|顶部|列表)】?(?:>>|>|»|》》)?|点击(?:进入|查看|访问)[^。！？]{1,20}(?:>>|»|》》))$",
    )
});

/// Where a link away ([`LINK_AWAY`]) ends `text`: the whole line, or the tail after a
/// sentence's end.
fn link_away(text: &str) -> Option<std::ops::Range<usize>> {
    if !text.contains("返回") && !text.contains("点击") {
        return None;
    }
    let m = LINK_AWAY.find(text)?;
    let whole = text[..m.start()].trim().is_empty();
    let after_sentence = text[..m.start()].ends_with(['。', '！', '？', '”']);
    (whole || after_sentence).then(|| m.start()..m.end())
}

/// The `furniture` rule.
pub struct Furniture;

impl Rule for Furniture {
    fn name(&self) -> &'static str {
        "furniture"
    }

    fn apply(&self, lines: &mut Lines, _cx: &mut Context) {
        let mut idx = 0;
        while idx < lines.len() {
            let line = lines.get(idx);
            if line.kind != BlockKind::TableRow
                && (is_furniture(&line.text) || is_breadcrumb(&line.text))
            {
                lines.remove(idx, self.name());
            } else if line.kind != BlockKind::TableRow
                && let Some(link) = link_away(&line.text)
            {
                if line.text[..link.start].trim().is_empty() {
                    lines.remove(idx, self.name());
                } else {
                    let end = line.text.len();
                    lines.replace(idx, link.start..end, "", self.name());
                    idx += 1;
                }
            } else {
                idx += 1;
            }
        }
        // At the end: an attachment label with nothing after it, the page's empty attachment
        // box (before a list of attachments it is the document's own line); the CMS's editor
        // credit.
        while !lines.is_empty() {
            let last = lines.len() - 1;
            let line = lines.get(last);
            if line.kind != BlockKind::TableRow
                && (is_empty_attachment_label(&line.text) || is_editor_line(&line.text))
            {
                lines.remove(last, self.name());
            } else {
                break;
            }
        }
    }
}

/// Labels a breadcrumb trail opens with (`您当前的位置：首页 > 政务公开 > …`).
const BREADCRUMB_LABELS: &[&str] = &[
    "您当前的位置",
    "您现在的位置",
    "您的位置",
    "您所在的位置",
    "当前位置",
    "当前的位置",
    "所在位置",
];

/// Signs between the steps of a breadcrumb trail.
const BREADCRUMB_STEPS: &[char] = &['>', '＞', '›', '»', '→'];

/// A breadcrumb trail that reached the content: one of [`BREADCRUMB_LABELS`], a colon, and
/// steps joined by one of [`BREADCRUMB_STEPS`] (or a single step, `当前位置：首页`).
fn is_breadcrumb(line: &str) -> bool {
    let line = line.trim();
    // Every label starts with one of these: one comparison for most lines.
    if !line.starts_with(['您', '当', '所']) {
        return false;
    }
    let Some(rest) = BREADCRUMB_LABELS
        .iter()
        .find_map(|l| line.strip_prefix(l))
        .and_then(|r| r.trim_start().strip_prefix([':', '：']))
    else {
        return false;
    };
    // Each step is a short name, never a sentence.
    rest.split(BREADCRUMB_STEPS).all(|step| {
        step.trim().chars().count() <= MAX_BREADCRUMB_STEP && !step.contains(['。', '，'])
    })
}

/// Longest step of a breadcrumb trail, in characters.
const MAX_BREADCRUMB_STEP: usize = 24;

/// Labels of a CMS's editor credit.
const EDITOR_LABELS: &[&str] = &["责任编辑", "责编", "编辑", "审核", "校对", "值班编辑"];

/// Longest editor credit after its label, in characters (`张家祺`, `汤诗瑶、丁涛`).
const MAX_EDITOR_NAMES: usize = 16;

/// The editor credit a CMS prints under an article (`责任编辑：张家祺`, `（责编：汤诗瑶、丁涛）`,
/// `[责任编辑：张三]`): a label, a colon and names, nothing else.
fn is_editor_line(line: &str) -> bool {
    let t = line
        .trim()
        .trim_start_matches(['（', '(', '[', '【'])
        .trim_end_matches(['）', ')', ']', '】']);
    let Some(names) = EDITOR_LABELS
        .iter()
        .find_map(|l| t.strip_prefix(l))
        .and_then(|r| r.trim_start().strip_prefix([':', '：']))
    else {
        return false;
    };
    let names = names.trim();
    let n = names.chars().count();
    (1..=MAX_EDITOR_NAMES).contains(&n)
        && names.chars().all(|c| {
            super::text::is_han(c) || matches!(c, '、' | ' ' | '\u{3000}' | '·' | '，' | ',')
        })
}

/// `附件：` alone (also `附件`). `相关附件：` and `附件下载：` are [`TOKENS`], furniture
/// wherever they stand.
fn is_empty_attachment_label(line: &str) -> bool {
    line.trim().trim_end_matches([':', '：']).trim_end() == "附件"
}

#[cfg(test)]
mod tests {

    #[test]
    fn every_mojibake_phrase_is_a_line_of_furniture() {
        for phrase in PHRASES {
            assert!(is_furniture(phrase), "{phrase}");
        }
        let longest = PHRASES.iter().map(|p| p.chars().count()).max();
        assert_eq!(longest, Some(MAX_PHRASE_CHARS));
    }
    #[test]
    fn regex_lite_reads_the_pattern_as_regex_does() {
        crate::pattern::oracle::assert_agrees(
            &furniture_pattern(),
            &[
                "打印",
                "关闭",
                "本页",
                "【",
                "】",
                "字号",
                "大",
                "中",
                "小",
                "微信",
                "|",
                "·",
                "\u{200B}",
                "解读",
                "相关链接",
                "浏览次数",
                "12",
                "次",
                "：",
                "上一页",
            ],
        );
    }

    use super::*;

    /// The rule before its pre-check: the regex alone.
    fn old_is_furniture(line: &str) -> bool {
        if line.trim().is_empty() {
            return false;
        }
        if line.contains(char::is_whitespace) {
            FURNITURE.is_match(
                &line
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>(),
            )
        } else {
            FURNITURE.is_match(line)
        }
    }

    proptest::proptest! {
        #[test]
        fn pre_check_never_refuses_a_furniture_line(
            parts in proptest::collection::vec(
                proptest::sample::select(&[
                    "【", "】", "打印", "本页", "关闭", "窗口", "字号", "：", ":", "大", "中", "小",
                    "浏览次数", "12", "１２", "次", "微信", "QQ空间", " ", "\u{3000}", "\u{200B}",
                    "\u{FEFF}", "解读", "政策", "分享到", "访问量", "关注", "|", "·", "页面",
                ][..]),
                0..8,
            )
        ) {
            let line = parts.concat();
            proptest::prop_assert_eq!(is_furniture(&line), old_is_furniture(&line));
        }
    }

    #[test]
    fn spaced_out_furniture_is_furniture() {
        assert!(is_furniture("微 博"));
        assert!(is_furniture("打 印　关 闭"));
        assert!(!is_furniture("微 博 关注"));
    }

    #[test]
    fn furniture_lines_from_the_issue_are_recognised() {
        for s in [
            "打印",
            "打印 字号：大 中 小",
            "打印 字号:",
            "字号：大 中 小",
            "【字体：大 中 小】",
            "【字体:大 中 小】【打印】【关闭】",
            "关闭窗口",
            "【打印本页】【关闭窗口】",
            "【打印本页】 【关闭窗口】",
            "解读",
            "文件下载",
            "扫一扫在手机打开当前页",
            "分享到：",
            "分享到：微信 微博 QQ空间",
            "微信 微博 QQ空间",
            "扫一扫在手机上查看当前页面",
            "附件下载：",
            "相关链接：",
            "相关链接:",
            "【我要纠错】",
            "浏览次数：",
            "浏览次数: 1234",
            "　　解读",
            "【 打印本页 】\u{200B} 【 关闭 】",
            "浏览次数 ： 12 次",
            "访问量：\u{3000}１２",
            // Real pages.
            "打印|关闭",
            "·【打印页面】",
            "·【关闭页面】",
            "相关稿件：",
            "相关文章：",
            "相关附件",
            "【1】【2】【3】【4】",
            "上一页 下一页",
        ] {
            assert!(is_furniture(s), "{s}");
        }
    }

    #[test]
    fn breadcrumb_trails_are_recognised_and_sentences_are_not() {
        assert!(is_breadcrumb("当前位置：首页 > 洪山要闻"));
        assert!(is_breadcrumb(
            "您当前的位置：首页 > 新服务 > 快速通道 > 学生 > 内容"
        ));
        assert!(is_breadcrumb("您现在的位置: 首页»政务公开"));
        assert!(!is_breadcrumb(
            "当前位置：我市在全省排名第三，较去年提升两位。"
        ));
        assert!(!is_breadcrumb("首页 > 政务公开"));
        // The first-character check holds for every label.
        assert!(
            BREADCRUMB_LABELS
                .iter()
                .all(|l| l.starts_with(['您', '当', '所']))
        );
    }

    fn lines_of(texts: &[&str]) -> Lines {
        Lines::new(
            texts
                .iter()
                .map(|t| super::super::Line {
                    text: t.to_string(),
                    kind: BlockKind::Paragraph,
                })
                .collect(),
        )
    }

    #[test]
    fn editor_credits_are_recognised() {
        for s in [
            "责任编辑：张家祺",
            "编辑：朱曦东",
            "（责编：汤诗瑶、丁涛）",
            "[责任编辑：张三]",
        ] {
            assert!(is_editor_line(s), "{s}");
        }
        for s in [
            "编辑：",
            "编辑部：负责稿件的审核和发布工作。",
            "审核：2024年3月",
        ] {
            assert!(!is_editor_line(s), "{s}");
        }
    }

    #[test]
    fn an_attachment_label_is_dropped_only_with_nothing_after_it() {
        let mut lines = lines_of(&["正文。", "附件：", "相关文章："]);
        Furniture.apply(&mut lines, &mut Context::default());
        let (out, repairs) = lines.finish();
        assert_eq!(out.len(), 1);
        assert_eq!(repairs.len(), 2);
        let mut lines = lines_of(&["正文。", "附件：", "1.实施方案"]);
        Furniture.apply(&mut lines, &mut Context::default());
        assert_eq!(lines.finish().0.len(), 3);
    }

    #[test]
    fn text_that_mentions_the_words_is_kept() {
        for s in [
            "政策解读",
            "解读如下：",
            "通过图文解读方式发布了《指导意见》政策解读。",
            "打印机采购项目",
            "关注微信公众号获取通知",
            "相关链接如下",
            "文件下载后请按要求填写。",
            "1",
            "2024",
            "",
        ] {
            assert!(!is_furniture(s), "{s}");
        }
    }

    /// Lines of paragraphs with these texts.
    fn paragraphs(texts: &[&str]) -> Lines {
        Lines::new(
            texts
                .iter()
                .map(|t| super::super::Line {
                    text: t.to_string(),
                    kind: BlockKind::Paragraph,
                })
                .collect(),
        )
    }

    #[test]
    fn rule_drops_the_line_and_records_it() {
        let mut lines = paragraphs(&["正文。", "【打印本页】 【关闭窗口】", "结尾。"]);
        Furniture.apply(&mut lines, &mut Context::default());
        let (out, repairs) = lines.finish();
        assert_eq!(out.len(), 2);
        assert_eq!(repairs[0].before, "【打印本页】 【关闭窗口】");
        assert_eq!(repairs[0].after, "");
        assert_eq!(repairs[0].offset, 4);
    }

    #[test]
    fn a_link_away_is_dropped_alone_or_after_the_last_sentence() {
        let mut lines = paragraphs(&[
            "点击进入“文艺星青年”>>",
            "整顿仍将持续。返回腾讯网首页>>",
            "请返回首页查看通知",
            "【返回顶部】",
            "完毕。",
        ]);
        Furniture.apply(&mut lines, &mut Context::default());
        let (out, repairs) = lines.finish();
        let texts: Vec<&str> = out.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["整顿仍将持续。", "请返回首页查看通知", "完毕。"]);
        assert_eq!(repairs.len(), 3);
        assert_eq!(repairs[1].before, "返回腾讯网首页>>");
    }
}

//! The frame of an official document at the top of its text: the red masthead (`XX文件`), the
//! title (often split over two or three centred lines), the 发文字号 line (often in full-width
//! parentheses). By the record contract they are not `body`; extractors that see the frame in
//! the flow of text (HTML pages that repeat it, PDFs) leave it to this stage.

use crate::document::{Block, BlockKind};

/// How many leading lines may belong to the frame.
const FRAME_LINES: usize = 8;

/// Remove the frame lines at the start of `blocks`. Returns the document number line found, as
/// printed, if any.
pub fn strip_head(blocks: &mut Vec<Block>, title: Option<&str>) -> Option<String> {
    let title = title.map(squash).unwrap_or_default();
    // The page's title may cite a number the document's own heading does not print
    // (`《行政处罚决定书》（岚执法应急专罚决〔2023〕14号）送达公告`).
    let short = without_cited_numbers(&title);
    let mut drop = 0;
    let mut doc_number = None;
    let mut i = 0;
    while i < blocks.len().min(FRAME_LINES) {
        if blocks[i].kind == BlockKind::TableRow {
            break;
        }
        let line = squash(&blocks[i].text);
        if line.is_empty() {
            i += 1;
            drop = i;
            continue;
        }
        if is_doc_number_line(&line) {
            doc_number.get_or_insert_with(|| line.trim_matches(['（', '）', '(', ')']).to_string());
            i += 1;
            drop = i;
            continue;
        }
        if is_masthead(&line) {
            i += 1;
            drop = i;
            continue;
        }
        // The title, whole or split over consecutive lines.
        let end = [&title, &short]
            .into_iter()
            .filter(|t| !t.is_empty() && t.starts_with(&line))
            .find_map(|t| title_lines(blocks, i, &line, t));
        if let Some(j) = end {
            i = j;
            drop = i;
            continue;
        }
        break;
    }
    blocks.drain(..drop);
    doc_number
}

/// Where the lines from `i` (the first of them squashed to `line`) that spell `title` end.
fn title_lines(blocks: &[Block], i: usize, line: &str, title: &str) -> Option<usize> {
    let mut joined = line.to_string();
    let mut j = i + 1;
    while joined.len() < title.len() && j < blocks.len().min(i + 4) {
        joined.push_str(&squash(&blocks[j].text));
        j += 1;
    }
    (joined == title).then_some(j)
}

/// `title` without the bracketed document numbers it cites: `（岚执法应急专罚决〔2023〕14号）`.
fn without_cited_numbers(title: &str) -> String {
    let mut out = title.to_string();
    for d in crate::repair::docnum::find(title)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        let before = title[..d.range.start].strip_suffix(['（', '(']);
        let after = title[d.range.end..].strip_prefix(['）', ')']);
        if let (Some(b), Some(_)) = (before, after) {
            let close = d.range.end
                + title[d.range.end..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8);
            out.replace_range(b.len()..close, "");
        }
    }
    if out.len() == title.len() {
        out.clear();
    }
    out
}

/// Text with all whitespace (ideographic and no-break spaces included) removed, for comparing
/// lines with a title.
pub(crate) fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    out.extend(s.chars().filter(|c| !c.is_whitespace()));
    out
}

/// `国办发〔2020〕17号`, `（皖审办〔2021〕12号）`, `某财预[2021]012号` alone on a line.
fn is_doc_number_line(line: &str) -> bool {
    let inner = line
        .trim_start_matches(['（', '('])
        .trim_end_matches(['）', ')']);
    let Some(body) = inner.strip_suffix('号') else {
        return false;
    };
    let chars: Vec<char> = body.chars().collect();
    if chars.len() > 30 || chars.len() < 6 {
        return false;
    }
    let digits = chars.iter().filter(|c| c.is_ascii_digit()).count();
    let issuer = chars
        .iter()
        .take_while(|c| !c.is_ascii_digit() && !"〔[【(（﹝".contains(**c))
        .count();
    let year_ok = chars.windows(4).any(|w| {
        w.iter().all(char::is_ascii_digit) && {
            let y: u32 = w.iter().collect::<String>().parse().unwrap_or(0);
            (1949..=2100).contains(&y)
        }
    });
    (1..=12).contains(&issuer)
        && digits >= 5
        && year_ok
        && !body.contains('，')
        && !body.contains('。')
}

/// A title that carries its document's number before it (`岚苏政【2017】106号 平潭县…的通知`,
/// `（某政〔2020〕3号）关于…`), as CMS listings print it: the title without the number, and
/// the number as printed. `None` when the title does not open with a number, or holds nothing
/// but one (`国办发〔2020〕17号`); a number inside the title (`关于转发国办发〔2020〕17号文件的
/// 通知`) is part of it, and so is one in parentheses at its end (see [`trailing_number`]).
pub fn split_title_number(title: &str) -> Option<(String, String)> {
    let title = title.trim();
    let number = crate::repair::docnum::find(title).find(|d| {
        d.range.start == 0
            || title[..d.range.start]
                .trim_end_matches(['（', '('])
                .is_empty()
    });
    if let Some(d) = number {
        let open = title[..d.range.start].len();
        let rest = &title[d.range.end..];
        let closed = rest.strip_prefix(['）', ')']);
        if (open > 0) == closed.is_some() {
            let rest = closed.unwrap_or(rest);
            let trimmed = rest.trim_start_matches(TITLE_NUMBER_SEPARATORS);
            // Cleaning may have taken the space after the number (`…106号平潭县…`): a long
            // enough rest that does not read on from the number (`…17号文件的解读`) is a title.
            let separated = trimmed.len() < rest.len() || open > 0;
            let runs_on = RUNS_ON_FROM_NUMBER.iter().any(|w| trimmed.starts_with(w));
            let long = trimmed.chars().count() >= MIN_BARE_TITLE;
            if (separated || trimmed.starts_with("关于") || long && !runs_on)
                && is_title_text(trimmed)
            {
                return Some((trimmed.to_string(), title[d.range.clone()].to_string()));
            }
        }
    }
    None
}

/// The document number in parentheses at the end of a title (`…的通知（闽政〔2020〕1号）`,
/// `…行政处罚信息公开表（浙金罚决字〔2024〕52号）`), as printed. It stays in the title, which
/// pages print with it and which may name another document by it (the decision a disclosure
/// table lists); it stands for the document's number only where nothing else gives one.
pub fn trailing_number(title: &str) -> Option<String> {
    let inner = title
        .trim()
        .strip_suffix(['）', ')'])?
        .trim_end_matches(char::is_whitespace);
    let d = crate::repair::docnum::find(inner).last()?;
    let head = inner[..d.range.start].strip_suffix(['（', '('])?;
    (d.range.end == inner.len() && is_title_text(head.trim_end()))
        .then(|| inner[d.range].to_string())
}

/// A validity status in brackets (`（已废止）`, `[失效]`), as sites mark a document they no
/// longer hold in force: alone on a line at either end of the text, or at the end of the
/// title. The status leaves the text and the title; returns it, if found, and the index of the
/// line removed from `blocks`, if one was.
pub fn take_status(
    blocks: &mut Vec<Block>,
    title: &mut Option<String>,
) -> (Option<String>, Option<usize>) {
    let mut status = None;
    if let Some(t) = title.as_mut() {
        let trimmed = t.trim_end();
        let cut = trimmed
            .char_indices()
            .rev()
            .find(|&(_, c)| OPENING.contains(c))
            .map(|(i, _)| i);
        if let Some(i) = cut.filter(|&i| i > 0)
            && let Some(s) = bracketed_status(&trimmed[i..])
        {
            status = Some(s.to_string());
            t.truncate(trimmed[..i].trim_end().len());
        }
    }
    // Page furniture the repair stage removes later may still stand around it.
    let near_end = |i: usize| i < STATUS_LINES || i + STATUS_LINES >= blocks.len();
    let found = (0..blocks.len()).rev().find(|&i| {
        near_end(i)
            && blocks[i].kind != BlockKind::TableRow
            && bracketed_status(blocks[i].text.trim()).is_some()
    });
    let Some(i) = found else {
        return (status, None);
    };
    let line = blocks.remove(i);
    if status.is_none() {
        status = bracketed_status(line.text.trim()).map(str::to_string);
    }
    (status, Some(i))
}

/// The imprint at the foot of an official document (版记, GB/T 9704 §7.4): the copy-to lines
/// (`抄送：…`, perhaps broken over several lines) and the line of the office that printed it
/// with the day (`XX办公室 2012年5月17日印发`). Like the masthead, it frames the document and
/// is not `body`. Removes it when the imprint line is among the last [`IMPRINT_TAIL`] lines;
/// returns the range of `blocks` it took and its lines.
pub fn strip_imprint(blocks: &mut Vec<Block>) -> Option<(std::ops::Range<usize>, Vec<String>)> {
    let from = blocks.len().saturating_sub(IMPRINT_TAIL);
    let end = (from..blocks.len())
        .rev()
        .find(|&i| crate::repair::paragraph::is_issued_line(&squash(&blocks[i].text)))?
        + 1;
    let imprint = end - 1;
    let start = (imprint.saturating_sub(IMPRINT_LINES)..imprint)
        .find(|&i| is_copy_to(&squash(&blocks[i].text)))
        .unwrap_or(imprint);
    let lines = blocks
        .drain(start..end)
        .map(|b| b.text.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    Some((start..end, lines))
}

/// Remove the last line of the text when it repeats the title: a caption under the article's
/// photo that names it again, as news pages write one. Returns the index it had.
pub fn strip_title_at_foot(blocks: &mut Vec<Block>, title: Option<&str>) -> Option<usize> {
    let title = title.map(squash).filter(|t| !t.is_empty())?;
    let last = blocks.last()?;
    (blocks.len() > 1 && last.kind != BlockKind::TableRow && squash(&last.text) == title).then(
        || {
            blocks.pop();
            blocks.len()
        },
    )
}

/// Lines at the end of the text among which the imprint line may stand.
const IMPRINT_TAIL: usize = 2;

/// Lines before the imprint line among which its copy-to line may stand.
const IMPRINT_LINES: usize = 8;

/// `抄送：…`, `抄报：…`, `主送：…` (spaces squashed).
fn is_copy_to(line: &str) -> bool {
    ["抄送", "抄报", "主送"].iter().any(|l| {
        line.strip_prefix(l)
            .is_some_and(|rest| rest.starts_with(['：', ':']))
    })
}

/// How many lines at either end of the text a status line may stand among.
const STATUS_LINES: usize = 4;

const OPENING: &str = "（(【[〔";

/// The status inside `（已废止）`: one of [`crate::metadata::VALIDITY_STATUSES`].
fn bracketed_status(s: &str) -> Option<&str> {
    let inner = s.strip_prefix(|c: char| OPENING.contains(c))?;
    let inner = inner.strip_suffix(|c: char| "）)】]〕".contains(c))?;
    crate::metadata::VALIDITY_STATUSES
        .contains(&inner.trim())
        .then(|| inner.trim())
}

/// How a title that cites a number reads on from it (`国办发〔2020〕17号文件精神解读`).
const RUNS_ON_FROM_NUMBER: &[&str] = &["文", "的", "精神", "解读", "和", "及", "、", "等"];

/// Fewest characters of a title printed right after its number with nothing between.
const MIN_BARE_TITLE: usize = 8;

/// What may stand between a title and the number printed before it.
const TITLE_NUMBER_SEPARATORS: &[char] =
    &[' ', '\u{3000}', '\u{a0}', '：', ':', '-', '—', '|', '｜'];

/// Enough of a title to stand without its number: four characters, some of them Han.
fn is_title_text(s: &str) -> bool {
    s.chars().count() >= 4 && s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// `XX人民政府文件`, `中共XX委员会文件`: a short all-CJK line ending in 文件.
fn is_masthead(line: &str) -> bool {
    line.ends_with("文件")
        && line.chars().count() <= 24
        && line.chars().count() >= 4
        && line.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        && !line.contains("关于")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(texts: &[&str]) -> Vec<Block> {
        texts.iter().map(|t| Block::paragraph(*t)).collect()
    }

    #[test]
    fn masthead_title_lines_and_number_go() {
        let mut b = blocks(&[
            "某某市人民政府文件",
            "某政发〔2020〕3号",
            "某某市人民政府关于",
            "开展检查的通知",
            "各区人民政府：",
            "正文。",
        ]);
        let dn = strip_head(&mut b, Some("某某市人民政府关于开展检查的通知"));
        assert_eq!(dn.as_deref(), Some("某政发〔2020〕3号"));
        assert_eq!(b[0].text, "各区人民政府：");
    }

    #[test]
    fn a_heading_without_the_number_its_page_title_cites_goes() {
        let mut b = blocks(&["《行政处罚决定书》送达公告", "某公司：", "正文。"]);
        strip_head(
            &mut b,
            Some("《行政处罚决定书》（岚执法应急专罚决〔2023〕14号）送达公告"),
        );
        assert_eq!(b[0].text, "某公司：");
    }

    #[test]
    fn a_caption_that_repeats_the_title_at_the_foot_goes() {
        let mut b = blocks(&["正文。", "南沙区统计局召开 培训会"]);
        strip_title_at_foot(&mut b, Some("南沙区统计局召开培训会"));
        assert_eq!(b.len(), 1);
        let mut b = blocks(&["南沙区统计局召开培训会"]);
        strip_title_at_foot(&mut b, Some("南沙区统计局召开培训会"));
        assert_eq!(b.len(), 1);
    }

    #[test]
    fn the_imprint_at_the_foot_goes() {
        let mut b = blocks(&[
            "正文。",
            "某某市人民政府",
            "2021年9月29日",
            "抄送：省委办公厅，省军区，",
            "省法院。",
            "某某市人民政府办公厅\t2021年9月30日印发",
        ]);
        let (range, lines) = strip_imprint(&mut b).unwrap();
        assert_eq!(range, 3..6);
        assert_eq!(lines[2], "某某市人民政府办公厅 2021年9月30日印发");
        assert_eq!(b.len(), 3);

        let mut b = blocks(&[
            "正文。",
            "平潭综合实验区管委会办公室\u{a0} 2012年3月1日印发",
        ]);
        assert_eq!(strip_imprint(&mut b).map(|r| r.0), Some(1..2));
        let mut b = blocks(&["会议于2012年3月1日印发了文件。", "正文。", "结尾。"]);
        assert_eq!(strip_imprint(&mut b), None);
    }

    #[test]
    fn a_validity_status_leaves_text_and_title() {
        let mut b = blocks(&["\u{a0} (已废止)"]);
        let mut title = Some("关于实施征地区片综合地价的通知（已废止）".to_string());
        assert_eq!(
            take_status(&mut b, &mut title),
            (Some("已废止".into()), Some(0))
        );
        assert!(b.is_empty());
        assert_eq!(title.as_deref(), Some("关于实施征地区片综合地价的通知"));

        let mut b = blocks(&["正文（有效）", "（一）工作要求", "（失效）"]);
        let mut title = Some("（有效）".to_string());
        assert_eq!(
            take_status(&mut b, &mut title),
            (Some("失效".into()), Some(2))
        );
        assert_eq!(b.len(), 2);
        assert_eq!(title.as_deref(), Some("（有效）"));
    }

    #[test]
    fn a_number_printed_with_the_title_is_split_off() {
        let split = |t: &str| split_title_number(t);
        assert_eq!(
            split("岚苏政【2017】106号 平潭县苏澳镇人民政府关于加强监管工作的通知"),
            Some((
                "平潭县苏澳镇人民政府关于加强监管工作的通知".into(),
                "岚苏政【2017】106号".into()
            ))
        );
        assert_eq!(
            split("岚苏政〔2017〕106号平潭县苏澳镇人民政府关于加强监管的通知").map(|s| s.0),
            Some("平潭县苏澳镇人民政府关于加强监管的通知".into())
        );
        assert_eq!(
            split("闽政〔2020〕1号关于加强监管工作的通知").map(|s| s.0),
            Some("关于加强监管工作的通知".into())
        );
        assert_eq!(
            split("某某市人民政府关于加强监管工作的通知（某政〔2020〕3号）"),
            None
        );
        assert_eq!(
            trailing_number("某某市人民政府关于加强监管工作的通知（某政〔2020〕3号）").as_deref(),
            Some("某政〔2020〕3号")
        );
        assert_eq!(trailing_number("（某政〔2020〕3号）"), None);
        assert_eq!(trailing_number("关于某政〔2020〕3号的解读"), None);
        assert_eq!(
            split("（某政〔2020〕3号）关于加强监管工作的通知").map(|s| s.1),
            Some("某政〔2020〕3号".into())
        );
        for kept in [
            "关于转发国办发〔2020〕17号文件的通知",
            "国办发〔2020〕17号",
            "国办发〔2020〕17号文件解读",
            "（国办发〔2020〕17号）",
            "某政〔2020〕3号 通知",
            "国办发〔2020〕17号文件精神的学习贯彻情况",
            "国办发〔2020〕17号和国办发〔2020〕18号解读",
        ] {
            assert_eq!(split(kept), None, "{kept}");
        }
    }

    #[test]
    fn number_in_parentheses_under_the_title() {
        let mut b = blocks(&["关于开展检查的通知", "（某政发〔2020〕3号）", "正文。"]);
        strip_head(&mut b, Some("关于开展检查的通知"));
        assert_eq!(b.len(), 1);
    }

    #[test]
    fn body_text_stays() {
        let mut b = blocks(&[
            "2020年以来，我厅认真落实国办发〔2020〕17号文件。",
            "关于开展检查的通知",
        ]);
        strip_head(&mut b, Some("关于开展检查的通知"));
        assert_eq!(b.len(), 2);
    }
}

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
        if !title.is_empty() && title.starts_with(&line) {
            let mut joined = line.clone();
            let mut j = i + 1;
            while joined.len() < title.len() && j < blocks.len().min(i + 4) {
                joined.push_str(&squash(&blocks[j].text));
                j += 1;
            }
            if joined == title {
                i = j;
                drop = i;
                continue;
            }
        }
        break;
    }
    blocks.drain(..drop);
    doc_number
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

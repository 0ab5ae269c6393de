//! Character classes shared by the rules: what counts as Chinese text, as CJK punctuation,
//! as a space, what opens a label. Pure functions, no allocation.

/// Whether `text` opens with a label of two to six Han characters and a colon (`售价：`).
pub fn opens_with_a_label(text: &str) -> bool {
    let label = text.chars().take_while(|&c| is_han(c)).count();
    (2..=6).contains(&label)
        && text
            .chars()
            .nth(label)
            .is_some_and(|c| c == '：' || c == ':')
}

/// Whether a gap in `line` between `before` and `after` parts two fields of a form set side
/// by side on a line that opens with a field label (`甲方：（盖章）\u{3000}\u{3000}乙方：（盖章）`,
/// `联系人： 联系电话：`): the gap is kept, not taken as stray spacing.
pub fn parts_form_fields(line: &str, before: &str, after: &str) -> bool {
    // A mark that parts clauses parts the fields itself (`电话：…； 传真：…`).
    !before.ends_with(['，', '；', '。', '！', '？', '、', ',', ';', '!', '?'])
        && (before.ends_with(['）', '：', ')', ':']) || before.contains(['：', ':']))
        && opens_with_a_field_label(after)
        && opens_with_a_field_label(line.trim_start_matches(|c| is_space(c) || is_zero_width(c)))
}

/// Whether `text` opens with the label of a form's field: two to six Han characters, set
/// close or letter-spaced (`地    址：`), with an optional qualifier in parentheses
/// (`法定代表人（授权代表）：`), and a colon.
pub fn opens_with_a_field_label(text: &str) -> bool {
    let (mut han, mut gaps, mut in_gap) = (0, 0, false);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if is_han(c) {
            han += 1;
            in_gap = false;
        } else if is_space(c) && han > 0 {
            gaps += usize::from(!in_gap);
            in_gap = true;
        } else {
            break;
        }
        rest = &rest[c.len_utf8()..];
    }
    // Close, or spaced letter by letter: `月   日   签约日期：` is no label.
    if !(2..=6).contains(&han) || gaps > 0 && gaps + 1 != han {
        return false;
    }
    if let Some(inner) = rest.strip_prefix(['（', '(']) {
        let Some(close) = inner.find(['）', ')']) else {
            return false;
        };
        let closing = if inner[close..].starts_with(')') {
            1
        } else {
            '）'.len_utf8()
        };
        if inner[..close].chars().count() > 8 {
            return false;
        }
        rest = &inner[close + closing..];
    }
    rest.starts_with(['：', ':'])
}

/// A Han ideograph (CJK Unified Ideographs, extensions A–F, compatibility ideographs) or `〇`.
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '\u{3007}')
}

/// Full-width and CJK punctuation: the CJK Symbols block (without the ideographic space),
/// full-width forms, curly quotes, `…` and `—`.
pub fn is_cjk_punct(c: char) -> bool {
    matches!(c,
        '\u{3001}'..='\u{303F}'
        | '\u{FF01}'..='\u{FF0F}'
        | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{2018}'..='\u{201F}'
        | '\u{2026}'
        | '\u{2014}')
}

/// Chinese text: a Han ideograph or CJK punctuation.
pub fn is_cjk(c: char) -> bool {
    is_han(c) || is_cjk_punct(c)
}

/// A space the whitespace rule treats as layout: ASCII space, no-break space, ideographic
/// space and the other Unicode spaces (tab excluded: it separates table cells).
pub fn is_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{A0}' | '\u{3000}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}'
    )
}

/// Zero-width characters that carry no text: ZWSP, ZWNJ, ZWJ, word joiner, BOM.
pub fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Punctuation that ends a sentence or clause for good.
pub fn is_terminal(c: char) -> bool {
    matches!(
        c,
        '。' | '！' | '？' | '；' | '：' | '…' | '.' | '!' | '?' | ';' | ':'
    )
}

/// The last character of `s`, if any.
pub fn last_char(s: &str) -> Option<char> {
    s.chars().next_back()
}

/// The first character of `s`, if any.
pub fn first_char(s: &str) -> Option<char> {
    s.chars().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_of_common_characters() {
        assert!(is_han('国') && is_han('〇') && !is_han('，'));
        assert!(is_cjk_punct('，') && is_cjk_punct('〔') && is_cjk_punct('“'));
        assert!(!is_cjk('a') && !is_cjk('1') && !is_cjk(','));
        assert!(is_space('\u{3000}') && is_space('\u{A0}') && !is_space('\t'));
        assert!(is_zero_width('\u{200B}') && !is_zero_width(' '));
    }
}

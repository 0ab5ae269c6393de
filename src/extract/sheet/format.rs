//! Number formats: a number as a cell's format code shows it (`#,##0.00` → `12,733.60`,
//! `0.00%` → `15.23%`, `"¥"#,##0;("¥"#,##0)` → `(¥1,200)`).
//!
//! Only plain number formats are rendered: digit placeholders (`0`, `#`, `?`), a decimal
//! point, grouping and scaling commas, percent signs, literal text (quoted, escaped with `\`,
//! or the characters Excel takes as they are), colours, currency and locale tags, and up to
//! three sections (positive; negative; zero). Anything else (dates, which the parser already
//! reads as dates, fractions, scientific notation, conditions, `[DBNum1]` Chinese numerals,
//! text sections, placeholders split by text) gives `None`, and the cell keeps its general
//! form.

/// `value` as format code `code` shows it; `None` when the code is not a plain number format
/// (see the module documentation).
pub(super) fn format_number(value: f64, code: &str) -> Option<String> {
    if !value.is_finite() || value.abs() >= 1e15 {
        return None;
    }
    let code = code.trim();
    if code.is_empty() || code.eq_ignore_ascii_case("general") || code == "@" {
        return None;
    }
    let sections = split_sections(code)?;
    let (section, value, sign) = match (sections.as_slice(), value) {
        ([_, negative, ..], v) if v < 0.0 => (negative, -v, ""),
        ([_, _, zero, ..], v) if v == 0.0 => (zero, v, ""),
        ([positive, ..], v) if v < 0.0 => (positive, -v, "-"),
        ([positive, ..], v) => (positive, v, ""),
        _ => return None,
    };
    let section = parse_section(section)?;
    // A section of text alone (`"-"` for zero): the text.
    if !section.digits {
        return Some(format!("{}{}", section.prefix, section.suffix));
    }
    let scaled = value * 100f64.powi(section.percents) / 1000f64.powi(section.scale);
    if !scaled.is_finite() || scaled >= 1e15 {
        return None;
    }
    // Rounded to the most decimals the section shows, then trimmed to the fewest it must.
    let most = section.required_decimals + section.optional_decimals;
    let mut digits = format!("{scaled:.most$}");
    if most > 0 {
        let keep = digits.len() - section.optional_decimals;
        while digits.len() > keep && digits.ends_with('0') {
            digits.pop();
        }
        if digits.ends_with('.') {
            digits.pop();
        }
    }
    let (int, frac) = digits.split_once('.').unwrap_or((&digits, ""));
    // A zero integer part shows only where the section asks for an integer digit (`0.00`,
    // not `#.00`, which shows `.50`).
    let int = if int == "0" && section.integer_zeros == 0 {
        ""
    } else {
        int
    };
    let mut int = format!("{int:0>width$}", width = section.integer_zeros);
    if section.grouping {
        int = group(&int);
    }
    // A value that rounds to zero shows no sign.
    let sign = if digits.trim_start_matches(['0', '.']).is_empty() {
        ""
    } else {
        sign
    };
    let mut out = String::new();
    out.push_str(sign);
    out.push_str(&section.prefix);
    out.push_str(&int);
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out.push_str(&section.suffix);
    Some(out)
}

/// The sections of a format code, split at the `;`s outside quotes, brackets and escapes;
/// `None` past four.
fn split_sections(code: &str) -> Option<Vec<&str>> {
    let mut sections = Vec::new();
    let (mut start, mut quoted, mut bracket, mut escaped) = (0, false, false, false);
    for (i, c) in code.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if !quoted => escaped = true,
            '"' if !bracket => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            ';' if !quoted && !bracket => {
                sections.push(&code[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    sections.push(&code[start..]);
    (sections.len() <= 4).then_some(sections)
}

/// One section of a plain number format, read.
#[derive(Debug, Default, PartialEq)]
struct Section {
    /// Whether the section has digit placeholders at all.
    digits: bool,
    /// Literal text before the first digit placeholder and after the last.
    prefix: String,
    suffix: String,
    /// `0`s before the decimal point: the fewest integer digits shown.
    integer_zeros: usize,
    /// A comma between the integer placeholders: thousands grouped.
    grouping: bool,
    /// `0`s after the decimal point, and `#`s and `?`s after them.
    required_decimals: usize,
    optional_decimals: usize,
    /// Commas right after the last placeholder: the value shown in thousands, per comma.
    scale: i32,
    /// `%` signs: the value shown times 100, per sign.
    percents: i32,
}

/// Read one section; `None` when it is not a plain number format.
fn parse_section(section: &str) -> Option<Section> {
    let mut out = Section::default();
    let mut chars = section.chars().peekable();
    // Where the reading is: before the placeholders, among them (integer or decimal part),
    // or after them.
    #[derive(PartialEq, Clone, Copy)]
    enum At {
        Before,
        Integer,
        Decimal,
        After,
    }
    let mut at = At::Before;
    // Literal text: before the placeholders, the prefix; after them (it ends them), the suffix.
    let literal = |out: &mut Section, at: &mut At, s: &str| {
        if *at == At::Before {
            out.prefix.push_str(s);
        } else {
            *at = At::After;
            out.suffix.push_str(s);
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '0' | '#' | '?' => {
                out.digits = true;
                match at {
                    At::Before | At::Integer => {
                        at = At::Integer;
                        out.integer_zeros += usize::from(c == '0');
                        // Scaling commas were grouping commas after all.
                        if out.scale > 0 {
                            out.grouping = true;
                            out.scale = 0;
                        }
                    }
                    At::Decimal if out.optional_decimals == 0 && c == '0' => {
                        out.required_decimals += 1;
                    }
                    At::Decimal => out.optional_decimals += 1,
                    At::After => return None,
                }
            }
            '.' if matches!(at, At::Before | At::Integer) => {
                // Scaling commas before the point group the integer part.
                if out.scale > 0 {
                    out.grouping = true;
                    out.scale = 0;
                }
                at = At::Decimal;
            }
            // Grouping between integer placeholders, scaling after the last placeholder.
            ',' if matches!(at, At::Integer | At::Decimal) => out.scale += 1,
            '%' => {
                out.percents += 1;
                literal(&mut out, &mut at, "%");
            }
            '"' => literal(&mut out, &mut at, &until(&mut chars, '"')),
            '\\' => literal(&mut out, &mut at, &chars.next()?.to_string()),
            // Alignment space the width of the next character, and a fill: nothing in text.
            '_' | '*' => {
                chars.next();
            }
            '[' => {
                let tag = until(&mut chars, ']');
                // A currency (`[$¥-804]`) shows its symbol; a locale (`[$-804]`) and a colour
                // nothing; anything else (a condition, `[DBNum1]`, elapsed time) is not plain.
                if let Some(currency) = tag.strip_prefix('$') {
                    let symbol = currency.split('-').next().unwrap_or("");
                    literal(&mut out, &mut at, symbol);
                } else if !is_colour(&tag) {
                    return None;
                }
            }
            'E' | 'e' | '/' | '@' => return None,
            c if c.is_ascii_alphabetic() => return None,
            c => literal(&mut out, &mut at, &c.to_string()),
        }
    }
    Some(out)
}

/// The characters up to `end` (taken, not kept) or the end of the code.
fn until(chars: &mut impl Iterator<Item = char>, end: char) -> String {
    chars.take_while(|&c| c != end).collect()
}

fn is_colour(tag: &str) -> bool {
    const COLOURS: &[&str] = &[
        "black", "blue", "cyan", "green", "magenta", "red", "white", "yellow",
    ];
    let tag = tag.to_ascii_lowercase();
    COLOURS.contains(&tag.as_str())
        || tag
            .strip_prefix("color")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Digits grouped by thousands: `1234567` → `1,234,567`.
fn group(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_number_formats_show_as_a_spreadsheet_shows_them() {
        let cases: &[(f64, &str, &str)] = &[
            (12_733.6, "#,##0.00", "12,733.60"),
            (1_234_567.0, "#,##0", "1,234,567"),
            (0.1523, "0.00%", "15.23%"),
            (0.5, "0%", "50%"),
            (3.333_333_333, "0.00", "3.33"),
            (2.5, "0.0#", "2.5"),
            (2.567, "0.0#", "2.57"),
            (0.5, "#.00", ".50"),
            (0.0, "0.00", "0.00"),
            (-1200.0, "#,##0;(#,##0)", "(1,200)"),
            (-1200.0, "#,##0.00", "-1,200.00"),
            (-0.001, "0.00", "0.00"),
            (0.0, "#,##0;-#,##0;\"-\"", "-"),
            (1200.0, "\"¥\"#,##0.00", "¥1,200.00"),
            (1200.0, "[$¥-804]#,##0.00", "¥1,200.00"),
            (1200.0, "#,##0.00\"元\"", "1,200.00元"),
            (1200.0, "[Red]#,##0", "1,200"),
            (1_234_567.0, "#,##0.0,", "1,234.6"),
            (1_234_567.0, "0,,", "1"),
            (7.0, "_(* #,##0_);_(* (#,##0);_(* \"-\"_);_(@_)", "7"),
            (5.0, "000", "005"),
        ];
        for &(value, code, shown) in cases {
            assert_eq!(
                format_number(value, code).as_deref(),
                Some(shown),
                "{value} in {code}"
            );
        }
    }

    #[test]
    fn other_formats_keep_the_general_form() {
        for code in [
            "General",
            "@",
            "0.00E+00",
            "# ?/?",
            "[>100]0;0.00",
            "[DBNum1][$-804]General",
            "000-0000",
            "yyyy-mm-dd",
            "",
        ] {
            assert_eq!(format_number(12.5, code), None, "{code}");
        }
        assert_eq!(format_number(1e16, "0"), None);
    }
}

//! `numbering.xml` and the list counters: what marker Word shows in front of a numbered
//! paragraph.
//!
//! A paragraph names a `w:num` (its `numId`) and a level; the `num` points at an `abstractNum`
//! holding nine level definitions (`start`, `numFmt`, `lvlText` with `%1`…`%9`, `lvlRestart`,
//! `suff`, `isLgl`), which the `num` may override (`lvlOverride` with `startOverride` or a whole
//! `lvl`). Counters belong to the abstract list, so two `num`s of one list continue each other,
//! except a `num` with overrides, which counts on its own from its override. Using a level
//! restarts the deeper levels (unless their `lvlRestart` says otherwise).

use std::collections::HashMap;

use quick_xml::events::Event;

use super::DocxError;
use super::xml;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NumFmt {
    Decimal,
    DecimalZero,
    DecimalFullWidth,
    DecimalEnclosedCircle,
    DecimalEnclosedParen,
    DecimalEnclosedFullstop,
    UpperLetter,
    LowerLetter,
    UpperRoman,
    LowerRoman,
    ChineseCounting,
    ChineseLegalSimplified,
    IdeographTraditional,
    IdeographZodiac,
    IdeographDigital,
    Bullet,
    None,
    /// `custom` or a format we do not know: shown as decimal.
    Other,
}

impl NumFmt {
    fn parse(v: &str) -> NumFmt {
        match v {
            "decimal" | "ordinal" | "cardinalText" | "ordinalText" => NumFmt::Decimal,
            "decimalZero" => NumFmt::DecimalZero,
            "decimalFullWidth" | "decimalFullWidth2" => NumFmt::DecimalFullWidth,
            "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => {
                NumFmt::DecimalEnclosedCircle
            }
            "decimalEnclosedParen" => NumFmt::DecimalEnclosedParen,
            "decimalEnclosedFullstop" => NumFmt::DecimalEnclosedFullstop,
            "upperLetter" => NumFmt::UpperLetter,
            "lowerLetter" => NumFmt::LowerLetter,
            "upperRoman" => NumFmt::UpperRoman,
            "lowerRoman" => NumFmt::LowerRoman,
            "chineseCounting"
            | "chineseCountingThousand"
            | "japaneseCounting"
            | "taiwaneseCounting"
            | "taiwaneseCountingThousand"
            | "japaneseKanji" => NumFmt::ChineseCounting,
            "chineseLegalSimplified" => NumFmt::ChineseLegalSimplified,
            "ideographTraditional" => NumFmt::IdeographTraditional,
            "ideographZodiac" => NumFmt::IdeographZodiac,
            "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => {
                NumFmt::IdeographDigital
            }
            "bullet" => NumFmt::Bullet,
            "none" => NumFmt::None,
            _ => NumFmt::Other,
        }
    }
}

impl NumFmt {
    /// The format of an MSONFC code, the number format of Word 97–2003 binary lists
    /// ([MS-OSHARED] 2.2.1.3, in the order of `ST_NumberFormat`).
    pub(super) fn from_msonfc(nfc: u8) -> NumFmt {
        const NAMES: [&str; 40] = [
            "decimal",
            "upperRoman",
            "lowerRoman",
            "upperLetter",
            "lowerLetter",
            "ordinal",
            "cardinalText",
            "ordinalText",
            "hex",
            "chicago",
            "ideographDigital",
            "japaneseCounting",
            "aiueo",
            "iroha",
            "decimalFullWidth",
            "decimalHalfWidth",
            "japaneseLegal",
            "japaneseDigitalTenThousand",
            "decimalEnclosedCircle",
            "decimalFullWidth2",
            "aiueoFullWidth",
            "irohaFullWidth",
            "decimalZero",
            "bullet",
            "ganada",
            "chosung",
            "decimalEnclosedFullstop",
            "decimalEnclosedParen",
            "decimalEnclosedCircleChinese",
            "ideographEnclosedCircle",
            "ideographTraditional",
            "ideographZodiac",
            "ideographZodiacTraditional",
            "taiwaneseCounting",
            "ideographLegalTraditional",
            "taiwaneseCountingThousand",
            "taiwaneseDigital",
            "chineseCounting",
            "chineseLegalSimplified",
            "chineseCountingThousand",
        ];
        match nfc {
            0xFF => NumFmt::None,
            _ => NAMES
                .get(usize::from(nfc))
                .map_or(NumFmt::Other, |name| NumFmt::parse(name)),
        }
    }
}

/// What follows the marker (`w:suff`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Suffix {
    Tab,
    Space,
    Nothing,
}

/// One list level of a Word 97–2003 binary document (`LVL`), in the terms of `numbering.xml`.
#[derive(Debug, Clone)]
pub(super) struct BinaryLevel {
    pub start: u32,
    pub fmt: NumFmt,
    /// The level text, with `%1`…`%9` where the binary format stores a level's number.
    pub text: String,
    /// As `lvlRestart`.
    pub restart: Option<u8>,
    pub legal: bool,
    pub suffix: Suffix,
}

#[derive(Debug, Clone)]
struct Level {
    start: u32,
    fmt: NumFmt,
    text: String,
    /// `lvlRestart`: restart after a use of this (1-based) level or any higher; 0 = never.
    restart: Option<u8>,
    suffix: Suffix,
    legal: bool,
    style: Option<String>,
}

impl Default for Level {
    fn default() -> Level {
        Level {
            start: 1,
            fmt: NumFmt::Decimal,
            text: String::new(),
            restart: None,
            suffix: Suffix::Tab,
            legal: false,
            style: None,
        }
    }
}

#[derive(Debug, Default)]
struct Abstract {
    levels: [Option<Level>; 9],
    /// `numStyleLink`: the levels live in the list a numbering style points at.
    style_link: Option<String>,
}

#[derive(Debug, Default)]
struct Num {
    abstract_id: u32,
    start_overrides: [Option<u32>; 9],
    level_overrides: [Option<Level>; 9],
}

impl Num {
    fn has_overrides(&self) -> bool {
        self.start_overrides.iter().any(Option::is_some)
            || self.level_overrides.iter().any(Option::is_some)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum CounterKey {
    Abstract(u32),
    Num(u32),
}

/// The list definitions and the running counters of one document.
#[derive(Debug, Default)]
pub(super) struct Numbering {
    abstracts: HashMap<u32, Abstract>,
    nums: HashMap<u32, Num>,
    counters: HashMap<CounterKey, [Option<u32>; 9]>,
}

/// A rendered marker and what Word puts after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Marker {
    pub text: String,
    pub suffix: Suffix,
}

impl Numbering {
    pub(super) fn parse(bytes: &[u8], max_depth: usize) -> Result<Numbering, DocxError> {
        const PART: &str = "numbering.xml";
        let bytes = xml::utf8(bytes);
        let mut reader = xml::reader(&bytes);
        let mut numbering = Numbering::default();
        let mut abstract_num: Option<(u32, Abstract)> = None;
        let mut num: Option<(u32, Num)> = None;
        let mut level: Option<(usize, Level)> = None;
        let mut override_level: Option<usize> = None;
        let mut depth = 0usize;
        loop {
            let event = reader.read_event().map_err(xml::xml_error(PART))?;
            let (e, is_start) = match &event {
                Event::Start(e) => (e, true),
                Event::Empty(e) => (e, false),
                Event::End(e) => {
                    depth = depth.saturating_sub(1);
                    match e.local_name().as_ref() {
                        "abstractNum" => {
                            if let Some((id, a)) = abstract_num.take() {
                                numbering.abstracts.insert(id, a);
                            }
                        }
                        "num" => {
                            if let Some((id, n)) = num.take() {
                                numbering.nums.insert(id, n);
                            }
                        }
                        "lvl" => {
                            if let Some((i, l)) = level.take() {
                                if let Some((_, n)) = num.as_mut() {
                                    n.level_overrides[i] = Some(l);
                                } else if let Some((_, a)) = abstract_num.as_mut() {
                                    a.levels[i] = Some(l);
                                }
                            }
                        }
                        "lvlOverride" => override_level = None,
                        _ => {}
                    }
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            if is_start {
                depth += 1;
                xml::check_depth(depth, max_depth, PART)?;
            }
            match e.local_name().as_ref() {
                "abstractNum" => {
                    abstract_num =
                        xml::attr_num(e, "abstractNumId").map(|id| (id, Abstract::default()));
                }
                "num" => num = xml::attr_num(e, "numId").map(|id| (id, Num::default())),
                "abstractNumId" => {
                    if let (Some((_, n)), Some(id)) = (num.as_mut(), xml::attr_num(e, "val")) {
                        n.abstract_id = id;
                    }
                }
                "lvlOverride" => {
                    override_level = xml::attr_num::<usize>(e, "ilvl").filter(|&i| i < 9)
                }
                "startOverride" => {
                    if let (Some((_, n)), Some(i)) = (num.as_mut(), override_level) {
                        n.start_overrides[i] = xml::attr_num(e, "val");
                    }
                }
                "numStyleLink" => {
                    if let Some((_, a)) = abstract_num.as_mut() {
                        a.style_link = xml::attr_str(e, "val");
                    }
                }
                "lvl" => {
                    let i = xml::attr_num::<usize>(e, "ilvl")
                        .or(override_level)
                        .unwrap_or(0);
                    if i < 9 {
                        level = Some((i, Level::default()));
                        if !is_start {
                            level = None;
                        }
                    }
                }
                name => {
                    let Some((_, l)) = level.as_mut() else {
                        continue;
                    };
                    match name {
                        "start" => l.start = xml::attr_num(e, "val").unwrap_or(1),
                        "numFmt" => {
                            let fmt =
                                xml::attr(e, "val").map_or(NumFmt::Decimal, |v| NumFmt::parse(&v));
                            // Word 2010 writes `custom` in mc:Choice and the classic format in
                            // mc:Fallback: keep the one we can render.
                            if fmt != NumFmt::Other || l.fmt == NumFmt::Decimal {
                                l.fmt = fmt;
                            }
                        }
                        "lvlText" => l.text = xml::attr_str(e, "val").unwrap_or_default(),
                        "lvlRestart" => l.restart = xml::attr_num(e, "val"),
                        "isLgl" => l.legal = xml::on_off(e),
                        "pStyle" => l.style = xml::attr_str(e, "val"),
                        "suff" => {
                            l.suffix = match xml::attr(e, "val").as_deref() {
                                Some("space") => Suffix::Space,
                                Some("nothing") => Suffix::Nothing,
                                _ => Suffix::Tab,
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        Ok(numbering)
    }

    /// Follow `numStyleLink`s: `style_num` maps a numbering style id to the `numId` it names.
    pub(super) fn link_styles(&mut self, style_num: impl Fn(&str) -> Option<u32>) {
        let links: Vec<(u32, u32)> = self
            .abstracts
            .iter()
            .filter_map(|(&id, a)| {
                let num = style_num(a.style_link.as_deref()?)?;
                Some((id, self.nums.get(&num)?.abstract_id))
            })
            .collect();
        for (id, target) in links {
            if id == target {
                continue;
            }
            if let Some(levels) = self.abstracts.get(&target).map(|a| a.levels.clone())
                && let Some(a) = self.abstracts.get_mut(&id)
            {
                a.levels = levels;
            }
        }
    }

    /// How many defined list levels use a numbering format shown as decimal for want of a
    /// better rendering (`custom` without a classic fallback, `koreanCounting`…).
    pub(super) fn unrendered_formats(&self) -> usize {
        let abstract_levels = self.abstracts.values().flat_map(|a| a.levels.iter());
        let override_levels = self.nums.values().flat_map(|n| n.level_overrides.iter());
        abstract_levels
            .chain(override_levels)
            .flatten()
            .filter(|l| l.fmt == NumFmt::Other)
            .count()
    }

    fn level(&self, num_id: u32, ilvl: usize) -> Option<&Level> {
        let num = self.nums.get(&num_id)?;
        num.level_overrides[ilvl]
            .as_ref()
            .or_else(|| self.abstracts.get(&num.abstract_id)?.levels[ilvl].as_ref())
    }

    /// The level of list `num_id` that names paragraph style `style` in its `w:pStyle`.
    pub(super) fn level_for_style(&self, num_id: u32, style: &str) -> Option<u8> {
        let num = self.nums.get(&num_id)?;
        let a = self.abstracts.get(&num.abstract_id)?;
        (0..9u8).find(|&i| {
            a.levels[i as usize]
                .as_ref()
                .is_some_and(|l| l.style.as_deref() == Some(style))
        })
    }

    /// The numbering of a Word 97–2003 binary document: each list (`LSTF`, by its `lsid`, with
    /// its levels) becomes an abstract definition, each list format override (`LFO`, by its
    /// 1-based index `ilfo`) a `num` of its list with the start values it overrides.
    pub(super) fn from_binary(
        lists: Vec<(u32, Vec<BinaryLevel>)>,
        overrides: Vec<(u32, [Option<u32>; 9])>,
    ) -> Numbering {
        let mut numbering = Numbering::default();
        for (lsid, levels) in lists {
            let mut abs = Abstract::default();
            for (slot, l) in abs.levels.iter_mut().zip(levels) {
                *slot = Some(Level {
                    start: l.start,
                    fmt: l.fmt,
                    text: l.text,
                    restart: l.restart,
                    suffix: l.suffix,
                    legal: l.legal,
                    style: None,
                });
            }
            numbering.abstracts.entry(lsid).or_insert(abs);
        }
        for (i, (lsid, start_overrides)) in overrides.into_iter().enumerate() {
            numbering.nums.insert(
                i as u32 + 1,
                Num {
                    abstract_id: lsid,
                    start_overrides,
                    level_overrides: Default::default(),
                },
            );
        }
        numbering
    }

    /// Count one paragraph of list `num_id` at level `ilvl` and return the marker Word shows,
    /// or `None` when the list or level is not defined (Word shows nothing then either).
    pub(super) fn next(&mut self, num_id: u32, ilvl: u8) -> Option<Marker> {
        let ilvl = usize::from(ilvl.min(8));
        let num = self.nums.get(&num_id)?;
        let key = if num.has_overrides() {
            CounterKey::Num(num_id)
        } else {
            CounterKey::Abstract(num.abstract_id)
        };
        let start_override = num.start_overrides;
        self.level(num_id, ilvl)?;
        let starts: [u32; 9] = std::array::from_fn(|i| {
            start_override[i].unwrap_or_else(|| self.level(num_id, i).map_or(1, |l| l.start))
        });
        let restarts: [Option<u8>; 9] =
            std::array::from_fn(|i| self.level(num_id, i).and_then(|l| l.restart));
        let counters = self.counters.entry(key).or_insert([None; 9]);
        counters[ilvl] = Some(match counters[ilvl] {
            Some(n) => n.saturating_add(1),
            None => starts[ilvl],
        });
        for deeper in ilvl + 1..9 {
            // Default: restart after any higher level; lvlRestart k: after levels 1..=k only.
            let k = restarts[deeper].map_or(deeper, usize::from);
            if ilvl < k {
                counters[deeper] = None;
            }
        }
        let values: [u32; 9] = std::array::from_fn(|i| counters[i].unwrap_or(starts[i]));
        let level = self.level(num_id, ilvl)?;
        let mut text = String::with_capacity(level.text.len() + 4);
        if level.fmt == NumFmt::Bullet {
            text.extend(level.text.chars().map(bullet_char));
        } else {
            let mut chars = level.text.chars().peekable();
            while let Some(c) = chars.next() {
                match (c, chars.peek().and_then(|d| d.to_digit(10))) {
                    ('%', Some(d @ 1..=9)) => {
                        chars.next();
                        let i = d as usize - 1;
                        let fmt = if level.legal {
                            NumFmt::Decimal
                        } else {
                            self.level(num_id, i).map_or(NumFmt::Decimal, |l| l.fmt)
                        };
                        format_number(values[i], fmt, &mut text);
                    }
                    _ => text.push(c),
                }
            }
        }
        Some(Marker {
            text,
            suffix: level.suffix,
        })
    }
}

/// Bullets in the Symbol and Wingdings private-use range shown as the Unicode bullet they draw.
fn bullet_char(c: char) -> char {
    match c as u32 {
        0xF0B7 | 0xF06C | 0xF09F => '•',
        0xF0A7 | 0xF06E | 0xF0A8 => '▪',
        0xF0D8 | 0xF0E8 => '➢',
        0xF0FC => '✓',
        0xF06F | 0xF071 => '□',
        0xF075 => '◆',
        0xE000..=0xF8FF => '•',
        _ => c,
    }
}

const CN_DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const CN_LEGAL: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];

/// Append `n` in format `fmt`, as Word renders it.
pub(super) fn format_number(n: u32, fmt: NumFmt, out: &mut String) {
    use std::fmt::Write;
    match fmt {
        NumFmt::Decimal | NumFmt::Other => {
            let _ = write!(out, "{n}");
        }
        NumFmt::DecimalZero => {
            let _ = write!(out, "{n:02}");
        }
        NumFmt::DecimalFullWidth => {
            out.extend(
                n.to_string()
                    .chars()
                    .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c)),
            );
        }
        NumFmt::DecimalEnclosedCircle => enclosed(n, 0x2460, 20, out),
        NumFmt::DecimalEnclosedParen => enclosed(n, 0x2474, 20, out),
        NumFmt::DecimalEnclosedFullstop => enclosed(n, 0x2488, 20, out),
        NumFmt::UpperLetter | NumFmt::LowerLetter => {
            if n == 0 {
                return;
            }
            let base = if fmt == NumFmt::UpperLetter {
                b'A'
            } else {
                b'a'
            };
            let c = (base + ((n - 1) % 26) as u8) as char;
            out.extend(std::iter::repeat_n(c, ((n - 1) / 26 + 1) as usize));
        }
        NumFmt::UpperRoman | NumFmt::LowerRoman => {
            let roman = roman(n);
            if fmt == NumFmt::LowerRoman {
                out.push_str(&roman.to_lowercase());
            } else {
                out.push_str(&roman);
            }
        }
        NumFmt::ChineseCounting => chinese(n, &CN_DIGITS, ['十', '百', '千', '万'], false, out),
        NumFmt::ChineseLegalSimplified => {
            chinese(n, &CN_LEGAL, ['拾', '佰', '仟', '万'], true, out)
        }
        NumFmt::IdeographTraditional => cycle(n, "甲乙丙丁戊己庚辛壬癸", out),
        NumFmt::IdeographZodiac => cycle(n, "子丑寅卯辰巳午未申酉戌亥", out),
        NumFmt::IdeographDigital => out.extend(n.to_string().chars().map(|c| match c {
            '0' => '〇',
            d => CN_DIGITS[d as usize - '0' as usize],
        })),
        NumFmt::Bullet | NumFmt::None => {}
    }
}

fn enclosed(n: u32, first: u32, count: u32, out: &mut String) {
    match (1..=count)
        .contains(&n)
        .then(|| char::from_u32(first + n - 1))
        .flatten()
    {
        Some(c) => out.push(c),
        None => format_number(n, NumFmt::Decimal, out),
    }
}

fn cycle(n: u32, symbols: &str, out: &mut String) {
    let symbols: Vec<char> = symbols.chars().collect();
    if n == 0 {
        return;
    }
    out.push(symbols[((n - 1) as usize) % symbols.len()]);
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// Chinese counting below 100 000: `十一`, `二十`, `一百零一`; the legal form writes the leading
/// one of the tens (`壹拾`).
fn chinese(n: u32, digits: &[char; 10], units: [char; 4], legal: bool, out: &mut String) {
    if n == 0 {
        out.push(digits[0]);
        return;
    }
    if n >= 100_000 {
        format_number(n, NumFmt::Decimal, out);
        return;
    }
    let parts = [n / 10_000, n / 1000 % 10, n / 100 % 10, n / 10 % 10, n % 10];
    let unit_of = [
        Some(units[3]),
        Some(units[2]),
        Some(units[1]),
        Some(units[0]),
        None,
    ];
    let mut started = false;
    let mut zero_pending = false;
    for (i, (&d, unit)) in parts.iter().zip(unit_of).enumerate() {
        if d == 0 {
            if started {
                zero_pending = true;
            }
            continue;
        }
        if zero_pending {
            out.push(digits[0]);
            zero_pending = false;
        }
        // 十一 rather than 一十一 when the number starts at the tens.
        let skip_one = !legal && !started && i == 3 && d == 1;
        if !skip_one {
            out.push(digits[d as usize]);
        }
        if let Some(u) = unit {
            out.push(u);
        }
        started = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(n: u32, f: NumFmt) -> String {
        let mut s = String::new();
        format_number(n, f, &mut s);
        s
    }

    #[test]
    fn chinese_counting_matches_word() {
        let cases = [
            (1, "一"),
            (10, "十"),
            (11, "十一"),
            (20, "二十"),
            (21, "二十一"),
            (100, "一百"),
            (101, "一百零一"),
            (110, "一百一十"),
            (1005, "一千零五"),
        ];
        for (n, want) in cases {
            assert_eq!(fmt(n, NumFmt::ChineseCounting), want, "{n}");
        }
        assert_eq!(fmt(10, NumFmt::ChineseLegalSimplified), "壹拾");
        assert_eq!(fmt(23, NumFmt::ChineseLegalSimplified), "贰拾叁");
    }

    #[test]
    fn other_formats_match_word() {
        assert_eq!(fmt(1, NumFmt::DecimalEnclosedParen), "⑴");
        assert_eq!(fmt(3, NumFmt::DecimalEnclosedCircle), "③");
        assert_eq!(fmt(21, NumFmt::DecimalEnclosedCircle), "21");
        assert_eq!(fmt(12, NumFmt::DecimalFullWidth), "１２");
        assert_eq!(fmt(10, NumFmt::IdeographDigital), "一〇");
        assert_eq!(fmt(2, NumFmt::IdeographTraditional), "乙");
        assert_eq!(fmt(28, NumFmt::UpperLetter), "BB");
        assert_eq!(fmt(14, NumFmt::LowerRoman), "xiv");
    }

    const LIST: &str = r#"<w:numbering xmlns:w="w">
      <w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="%1、"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%3."/><w:isLgl/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
    </w:numbering>"#;

    #[test]
    fn word_2010_custom_format_falls_back_to_the_classic_one() {
        let xml = r#"<w:numbering xmlns:w="w" xmlns:mc="mc">
          <w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>
            <mc:AlternateContent><mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="一, 二, 三, ..."/></mc:Choice>
            <mc:Fallback><w:numFmt w:val="chineseCounting"/></mc:Fallback></mc:AlternateContent>
            <w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>
          <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;
        let mut n = Numbering::parse(xml.as_bytes(), 64).unwrap();
        assert_eq!(n.next(1, 0).unwrap().text, "一、");
        assert_eq!(n.unrendered_formats(), 0);
        assert_eq!(n.next(9, 0), None);
    }

    #[test]
    fn counters_restart_deeper_levels_and_continue_across_nums() {
        let mut n = Numbering::parse(LIST.as_bytes(), 64).unwrap();
        let mut next = |num, lvl| n.next(num, lvl).unwrap().text;
        assert_eq!(next(1, 0), "一、");
        assert_eq!(next(1, 1), "（一）");
        assert_eq!(next(1, 1), "（二）");
        assert_eq!(next(1, 2), "1.1.");
        assert_eq!(next(2, 0), "二、");
        assert_eq!(next(1, 1), "（一）");
        assert_eq!(next(3, 0), "五、");
        assert_eq!(next(3, 0), "六、");
        assert_eq!(next(1, 0), "三、");
    }
}

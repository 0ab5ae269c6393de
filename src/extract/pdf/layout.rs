//! Layout analysis: positioned glyphs → lines → paragraphs.
//!
//! In: the [`PageText`] of each page. Out: [`Line`]s per page (text with spaces only between
//! Latin words and `\t` between table cells), then paragraphs built from the lines of all pages.
//! What always holds: no space is put between two CJK characters; a line is a set of glyphs on
//! one baseline (superscripts and subscripts within half an em join it), read left to right;
//! lines are read top to bottom; running headers, footers and page numbers are removed before
//! paragraphs are built; a wrapped line that reaches the right margin continues its paragraph,
//! including across a page break.

use super::content::{Glyph, PageText};
use crate::repair::text::{is_han, opens_with_a_label};
use crate::structure::parse_marker;

/// One text line of a page.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub(crate) text: String,
    pub(crate) x0: f32,
    pub(crate) x1: f32,
    /// Baseline, page space (y grows upwards).
    pub(crate) y: f32,
    /// Dominant font size.
    pub(crate) size: f32,
    /// Number of table cells (1 for running text).
    pub(crate) cells: usize,
    /// Horizontal extent of each cell.
    pub(crate) cell_x: Vec<(f32, f32)>,
    pub(crate) page: usize,
    /// For a single cell's text inside one column of a ruled table (a header cell among
    /// others), the column's borders: table text, not running text.
    pub(crate) in_cell: Option<(f32, f32)>,
    /// For a line of one of two columns of text ([`split_columns`]), the column it wraps in:
    /// its margins, not the page's.
    pub(crate) column: Option<Column>,
}

/// A run of lines of one column of text, on one page, that wrap at its edges.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Column {
    pub(crate) left: f32,
    pub(crate) right: f32,
    /// Which run of the page: lines of two runs never wrap into each other, whatever their
    /// edges.
    pub(crate) run: u32,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F |
        0x3190..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF |
        0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3134F)
}

/// A run of glyphs (indices) on one baseline, in reading order.
struct Run {
    glyphs: Vec<usize>,
    /// Glyphs (indices into `glyphs`) that follow an explicit space in the content stream.
    spaced: Vec<usize>,
    y: f32,
    size: f32,
    x0: f32,
    x1: f32,
}

/// Glyphs a new [`Run`] has room for before it grows.
const RUN_CAPACITY: usize = 32;

/// Group a page's glyphs into lines, top to bottom.
pub(crate) fn page_lines(page: &PageText, page_no: usize) -> Vec<Line> {
    let glyphs = &page.glyphs;
    // 1. Runs in content order: consecutive glyphs on one baseline that do not jump back.
    let mut runs: Vec<Run> = Vec::new();
    let mut space = false;
    for (i, g) in glyphs.iter().enumerate() {
        let text = page.glyph_text(g);
        if g.size <= 0.0 || !g.x.is_finite() || !g.y.is_finite() {
            continue;
        }
        if text.chars().all(char::is_whitespace) {
            space |= !text.is_empty();
            continue;
        }
        let spaced = std::mem::take(&mut space);
        if let Some(run) = runs.last_mut() {
            let tol = 0.5 * run.size.max(g.size);
            if (g.y - run.y).abs() <= tol
                && g.x >= run.x1 - run.size.max(g.size)
                && g.x <= run.x1 + 6.0 * run.size.max(g.size)
            {
                run.glyphs.push(i);
                if spaced {
                    run.spaced.push(i);
                }
                run.x1 = run.x1.max(g.x + g.w);
                if g.size > run.size {
                    // A larger glyph defines the baseline (superscripts are smaller).
                    run.size = g.size;
                    run.y = g.y;
                }
                continue;
            }
        }
        // A run is usually a good part of a line: started from one slot, its vector was
        // reallocated several times as it grew.
        let mut run_glyphs = Vec::with_capacity(RUN_CAPACITY);
        run_glyphs.push(i);
        runs.push(Run {
            glyphs: run_glyphs,
            spaced: Vec::new(),
            y: g.y,
            size: g.size,
            x0: g.x,
            x1: g.x + g.w,
        });
    }
    // 2. Merge runs on the same baseline that do not overlap (table cells drawn column by
    //    column, text split into several BT blocks).
    runs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<Vec<Run>> = Vec::new();
    for run in runs {
        if let Some(line) = lines.last_mut() {
            let size = line.iter().map(|r| r.size).fold(run.size, f32::max);
            let y = line[0].y;
            if (run.y - y).abs() <= 0.35 * size {
                line.push(run);
                continue;
            }
        }
        lines.push(vec![run]);
    }
    let mut near = Vec::new();
    lines
        .into_iter()
        .filter_map(|mut runs| {
            runs.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            build_line(page, glyphs, &runs, page_no, &mut near)
        })
        .collect()
}

/// Vertical rules on a page that [`build_line`] tests as they are, without first picking out
/// those that reach the line.
const FEW_RULES: usize = 8;

/// The line made of `runs` (sorted left to right); `near` is scratch space for the vertical
/// rules that reach it.
fn build_line(
    page: &PageText,
    glyphs: &[Glyph],
    runs: &[Run],
    page_no: usize,
    near: &mut Vec<[f32; 4]>,
) -> Option<Line> {
    let mut text = String::new();
    let mut cells = 1;
    let mut cell_x: Vec<(f32, f32)> = Vec::new();
    let mut cell_start = f32::NAN;
    let mut prev: Option<(&Glyph, char)> = None;
    let mut size_weight: Vec<(f32, usize)> = Vec::new();
    let mut order: Vec<usize> = runs.iter().flat_map(|r| r.glyphs.iter().copied()).collect();
    let overlapping = runs.windows(2).any(|w| w[1].x0 < w[0].x1 - 0.3 * w[0].size);
    if overlapping {
        // Runs on one baseline that interleave (quotes in another font drawn later, text
        // drawn twice for a fake bold): read the glyphs left to right.
        order.sort_by(|&a, &b| glyphs[a].x.total_cmp(&glyphs[b].x));
    }
    // The vertical rules that can reach this line's glyphs, found once per line rather than
    // among all of the page's rules between every two glyphs (a ruled table draws hundreds;
    // a few are cheaper to test than to filter). The filter is the test made between two
    // glyphs below with its bounds widened to the whole line, so it drops no rule that test
    // would accept.
    let vrules: &[[f32; 4]] = if page.vrules.len() <= FEW_RULES {
        &page.vrules
    } else {
        let (y_min, y_max, size_max) = order.iter().map(|&i| &glyphs[i]).fold(
            (f32::INFINITY, f32::NEG_INFINITY, 0.0f32),
            |(lo, hi, s), g| (lo.min(g.y), hi.max(g.y), s.max(g.size)),
        );
        near.clear();
        near.extend(
            page.vrules
                .iter()
                .filter(|r| r[1] <= y_max + 0.2 * size_max && r[3] >= y_min),
        );
        near
    };
    {
        for i in order {
            let g = &glyphs[i];
            let t = page.glyph_text(g);
            let Some(first) = t.chars().next() else {
                continue;
            };
            if let Some((p, _)) = prev
                && (g.x - p.x).abs() < 0.2 * g.size
                && page.glyph_text(p) == t
            {
                // The same glyph drawn again at (almost) the same place.
                continue;
            }
            if let Some((p, last)) = prev {
                let size = p.size.max(g.size);
                let gap = g.x - (p.x + p.w);
                let explicit =
                    gap > 0.1 * size && runs.iter().any(|r| r.spaced.binary_search(&i).is_ok());
                // A cell border between two glyphs separates cells, however narrow the gap.
                let border = gap > -0.1 * size
                    && vrules.iter().any(|r| {
                        r[0] > p.x + p.w - 0.2 * size
                            && r[0] < g.x + 0.2 * size
                            && r[1] <= g.y + 0.2 * size
                            && r[3] >= g.y
                    });
                if gap > 1.5 * size || border {
                    text.push('\t');
                    cells += 1;
                    cell_x.push((cell_start, p.x + p.w));
                    cell_start = g.x;
                } else if explicit
                    || (gap > 0.12 * size && !is_cjk(last) && !is_cjk(first))
                    || (gap > 0.25 * size && last.is_alphanumeric() && first.is_alphanumeric())
                {
                    text.push(' ');
                }
            }
            if cell_start.is_nan() {
                cell_start = g.x;
            }
            text.push_str(t);
            match size_weight
                .iter_mut()
                .find(|(s, _)| (s - g.size).abs() < 0.5)
            {
                Some(e) => e.1 += 1,
                None => size_weight.push((g.size, 1)),
            }
            prev = Some((g, t.chars().last().unwrap_or(first)));
        }
    }
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    if let Some((p, _)) = prev {
        cell_x.push((cell_start, p.x + p.w));
    }
    let size = size_weight
        .iter()
        .max_by_key(|e| e.1)
        .map(|e| e.0)
        .unwrap_or(0.0);
    let x0 = runs.iter().map(|r| r.x0).fold(f32::INFINITY, f32::min);
    let x1 = runs.iter().map(|r| r.x1).fold(f32::NEG_INFINITY, f32::max);
    let y = runs
        .iter()
        .max_by(|a, b| a.size.total_cmp(&b.size))
        .map(|r| r.y)
        .unwrap_or(0.0);
    Some(Line {
        text: trimmed.to_string(),
        x0,
        x1,
        y,
        size,
        cells,
        cell_x,
        page: page_no,
        in_cell: None,
        column: None,
    })
}

/// Split two-column text: a stretch of lines that all divide at one gutter or lie on one side
/// of it is read as the left column, then the right, when it is two columns of text and not a
/// table: at least four lines divide into two long text parts (not short cells or numbers),
/// or, for a sidebar beside the main text, lines on only the left and lines on only the right
/// follow each other directly at least four times (their baselines interleave, which a table's
/// rows never do) and no horizontal rule crosses the gutter there (a form's label column).
pub(crate) fn split_columns(lines: &mut Vec<Line>, media: [f32; 4], rules: &[[f32; 4]]) {
    let mid = (media[0] + media[2]) / 2.0;
    let width = (media[2] - media[0]).max(1.0);
    // The gutter of a line: the start of its cell nearest the page centre.
    let gutter = |l: &Line| -> Option<f32> {
        l.cell_x
            .iter()
            .skip(1)
            .map(|c| c.0)
            .filter(|x| (x - mid).abs() < 0.25 * width)
            .min_by(|a, b| (a - mid).abs().total_cmp(&(b - mid).abs()))
    };
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let all: Vec<Line> = std::mem::take(lines);
    // Runs of column text marked so far.
    let mut runs = 0u32;
    let mut i = 0;
    while i < all.len() {
        let Some(g) = gutter(&all[i]).filter(|_| all[i].cells >= 2) else {
            out.push(all[i].clone());
            i += 1;
            continue;
        };
        // Extend the stretch while lines split at the same gutter or sit on one side of it.
        let mut j = i;
        let (mut split, mut chars, mut digits, mut parts) = (0usize, 0usize, 0usize, 0usize);
        // Direct changes between a line only left of the gutter and one only right of it.
        let (mut side, mut flips) = (None::<bool>, 0usize);
        while j < all.len() {
            let l = &all[j];
            let tol = 3.0 * l.size.max(1.0);
            // (A line that ends just past the gutter is a short table row on the left.)
            let same = gutter(l).is_some_and(|x| (x - g).abs() < tol) && l.x1 > g + tol;
            let left = l.x1 < g + tol;
            let right = l.x0 > g - tol;
            let one_side = (l.cells == 1 || split >= 1) && (left || right);
            if !(same || one_side) {
                break;
            }
            if same {
                split += 1;
                side = None;
            } else {
                let here = right && !left;
                flips += usize::from(side.is_some_and(|s| s != here));
                side = Some(here);
            }
            for part in l.text.split('\t') {
                parts += 1;
                chars += part.chars().count();
                digits += part.chars().filter(|c| c.is_ascii_digit()).count();
            }
            j += 1;
        }
        let texty = parts > 0 && chars >= 8 * parts && digits * 4 < chars;
        let sidebar = split >= 1 && flips >= 4 && !rule_across(rules, g, &all[i..j]);
        if !(split >= 4 && texty || sidebar) {
            out.push(all[i].clone());
            i += 1;
            continue;
        }
        let mut right: Vec<Line> = Vec::new();
        // Split just left of the leftmost right-column start (indents move the others right).
        let at = all[i..j]
            .iter()
            .filter(|l| l.x1 > g + 3.0 * l.size.max(1.0))
            .filter_map(|l| gutter(l).filter(|x| (x - g).abs() < 3.0 * l.size.max(1.0)))
            .fold(g, f32::min);
        let mut left: Vec<Line> = Vec::new();
        for l in &all[i..j] {
            let (left_part, right_part) = split_line(l, at);
            left.extend(left_part);
            right.extend(right_part);
        }
        // Two columns of running text, or a sidebar beside it whose lines mostly fall between
        // the text's (not a form's labels on the baselines of their values): each side's
        // lines wrap at its own margins.
        if sidebar || split * 2 < j - i || wide_column(&left) && wide_column(&right) {
            for column in [&mut left, &mut right] {
                mark_column_runs(column, rules, at, &mut runs);
            }
        }
        out.extend(left);
        out.extend(right);
        i = j;
    }
    *lines = out;
}

/// Whether `lines` (one side of a stretch of two columns) span [`MIN_COLUMN_EMS`] or more of
/// their median size.
fn wide_column(lines: &[Line]) -> bool {
    let x0 = lines.iter().map(|l| l.x0).fold(f32::INFINITY, f32::min);
    let x1 = lines.iter().map(|l| l.x1).fold(f32::NEG_INFINITY, f32::max);
    let mut sizes: Vec<f32> = lines.iter().map(|l| l.size).collect();
    sizes.sort_by(f32::total_cmp);
    sizes
        .get(sizes.len() / 2)
        .is_some_and(|&size| x1 - x0 >= MIN_COLUMN_EMS * size.max(1.0))
}

/// The fewest lines of a run of column text that wrap at its edges.
const MIN_COLUMN_RUN: usize = 3;

/// Mark the runs of `column` (lines of one side, in reading order) between which no rule
/// crosses the gutter `at` (a form's rows are ruled across its labels and values) as
/// [`Column`]s, numbered on from `runs`: those of running text only, at least
/// [`MIN_COLUMN_RUN`] lines and half of them full to the edge most run to, as justified text
/// is (a list of short items of different lengths is not).
fn mark_column_runs(column: &mut [Line], rules: &[[f32; 4]], at: f32, runs: &mut u32) {
    let mut start = 0;
    for k in 1..=column.len() {
        if let Some([above, below]) = column.get(k - 1..=k).map(|p| [&p[0], &p[1]])
            && above.y > below.y
            && !rule_across_band(rules, at, above.size.max(1.0), (above.y, below.y))
        {
            continue;
        }
        let run = &mut column[start..k];
        start = k;
        let left = run.iter().map(|l| l.x0).fold(f32::INFINITY, f32::min);
        let right = run.iter().map(|l| l.x1).fold(f32::NEG_INFINITY, f32::max);
        // The edge most lines run to (a line may stick out past it by a Latin letter).
        let mut ends: Vec<f32> = run.iter().map(|l| l.x1).collect();
        ends.sort_by(f32::total_cmp);
        let edge = ends[ends.len() * 4 / 5];
        let full = run
            .iter()
            .filter(|l| l.x1 >= edge - l.size.max(1.0))
            .count();
        if run.len() < MIN_COLUMN_RUN || full * 2 < run.len() {
            continue;
        }
        *runs += 1;
        let column = Column {
            left,
            right,
            run: *runs,
        };
        for l in run.iter_mut() {
            l.column = Some(column);
        }
    }
}

/// Whether a horizontal rule, or two rules at one height, run across the gutter `g` beside
/// `lines` (a table's grid drawn whole or cell by cell).
fn rule_across(rules: &[[f32; 4]], g: f32, lines: &[Line]) -> bool {
    let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
        return false;
    };
    let size = first.size.max(1.0);
    rule_across_band(rules, g, size, (first.y + size, last.y - size))
}

/// Whether a horizontal rule, or two rules at one height, run across the gutter `g` between
/// the heights `band` (top, bottom), for text of `size`.
fn rule_across_band(rules: &[[f32; 4]], g: f32, size: f32, band: (f32, f32)) -> bool {
    let (top, bottom) = band;
    let beside = rules.iter().filter(|r| r[1] < top && r[1] > bottom);
    let mut left: Vec<f32> = Vec::new();
    let mut right: Vec<f32> = Vec::new();
    for r in beside {
        if r[0] < g - size && r[2] > g + size {
            return true;
        }
        if r[0] < g - size && r[2] > g - 2.0 * size {
            left.push(r[1]);
        } else if r[2] > g + size && r[0] < g + 2.0 * size {
            right.push(r[1]);
        }
    }
    right.sort_by(f32::total_cmp);
    left.iter().any(|&y| {
        let k = right.partition_point(|&x| x < y - 1.0);
        right.get(k).is_some_and(|&x| x <= y + 1.0)
    })
}

/// Divide a line at a gutter into the part left of it and the part right of it.
fn split_line(l: &Line, gutter: f32) -> (Option<Line>, Option<Line>) {
    let parts: Vec<&str> = l.text.split('\t').collect();
    if parts.len() != l.cell_x.len() {
        return if l.x0 >= gutter - l.size {
            (None, Some(l.clone()))
        } else {
            (Some(l.clone()), None)
        };
    }
    let mut sides: [Vec<(usize, (f32, f32))>; 2] = [Vec::new(), Vec::new()];
    for (k, &c) in l.cell_x.iter().enumerate() {
        sides[usize::from(c.0 >= gutter - 0.5 * l.size)].push((k, c));
    }
    let make = |side: &Vec<(usize, (f32, f32))>| -> Option<Line> {
        let (first, last) = (side.first()?, side.last()?);
        Some(Line {
            text: side
                .iter()
                .map(|(k, _)| parts[*k])
                .collect::<Vec<_>>()
                .join("\t"),
            x0: first.1.0,
            x1: last.1.1,
            y: l.y,
            size: l.size,
            cells: side.len(),
            cell_x: side.iter().map(|(_, c)| *c).collect(),
            page: l.page,
            in_cell: l.in_cell,
            column: None,
        })
    };
    (make(&sides[0]), make(&sides[1]))
}

/// Join the pieces of a cell that spans several ruled rows (a row label such as `（六）其他处理`
/// wrapped over two lines, the rows beside it read in between): single-cell lines that start
/// at one x, lie between the same two rules, follow each other at a line's pitch and have
/// only lines of other columns between them become one line, where the first piece was.
pub(crate) fn join_spanning_cells(lines: &mut Vec<Line>, rules: &[[f32; 4]]) {
    if rules.is_empty() {
        return;
    }
    // The ruled cell around a single-cell line: the nearest rules above and below it that
    // overlap it (in half points).
    let cell = |l: &Line| -> Option<(i32, i32)> {
        if l.cells != 1 {
            return None;
        }
        let over = || rules.iter().filter(|r| r[0] < l.x1 && r[2] > l.x0);
        let above = over()
            .filter(|r| r[1] > l.y + 0.2 * l.size)
            .map(|r| r[1])
            .fold(f32::INFINITY, f32::min);
        let below = over()
            .filter(|r| r[1] < l.y)
            .map(|r| r[1])
            .fold(f32::NEG_INFINITY, f32::max);
        (above.is_finite() && below.is_finite())
            .then(|| ((above * 2.0).round() as i32, (below * 2.0).round() as i32))
    };
    let keys: Vec<Option<(i32, i32)>> = lines.iter().map(cell).collect();
    let mut gone = vec![false; lines.len()];
    for i in 0..lines.len() {
        let Some(key) = keys[i].filter(|_| !gone[i]) else {
            continue;
        };
        let mut last = i;
        // Look a few lines ahead for the next piece; anything in between must be beside it.
        let mut k = i + 1;
        while k < lines.len() && k <= last + 8 {
            let (a, b) = (&lines[last], &lines[k]);
            if a.page != b.page || b.y < a.y - 2.5 * a.size.max(b.size) {
                break;
            }
            // (Lines of one cell with nothing between them are running text in a box, or the
            // next row's cell where rows are not ruled apart: left alone.)
            if keys[k] == Some(key) && (b.x0 - a.x0).abs() < 1.0 && k > last + 1 {
                let piece = lines[k].text.clone();
                let x1 = lines[k].x1;
                let first = &mut lines[i];
                first.text.push_str(&piece);
                first.x1 = first.x1.max(x1);
                first.cell_x = vec![(first.x0, first.x1)];
                gone[k] = true;
                last = k;
            } else if b.x0 < a.x1 && b.x1 > a.x0 {
                // Something else in this column: the cell ends here.
                break;
            }
            k += 1;
        }
    }
    let mut k = 0;
    lines.retain(|_| {
        k += 1;
        !gone[k - 1]
    });
}

/// Group the lines of ruled table rows: lines between the same two horizontal rules that fall
/// into two or more columns become one row whose cells are the columns' texts read top
/// to bottom (cells wrapped over several lines, and short cells centred between them).
pub(crate) fn group_ruled_rows(lines: &mut Vec<Line>, rules: &[[f32; 4]]) {
    if rules.is_empty() {
        return;
    }
    // The band of a line: the nearest rule above it that overlaps it horizontally (in half
    // points); `None` when there is none, or no such rule below it (not inside a ruled area).
    let band = |l: &Line| -> Option<i32> {
        let over = |r: &&[f32; 4]| r[0] < l.x1 && r[2] > l.x0;
        let above = rules
            .iter()
            .filter(over)
            .filter(|r| r[1] > l.y + 0.2 * l.size)
            .map(|r| r[1])
            .fold(f32::INFINITY, f32::min);
        let below = rules.iter().filter(over).any(|r| r[1] < l.y);
        (above.is_finite() && below).then_some((above * 2.0).round() as i32)
    };
    let all = std::mem::take(lines);
    let mut i = 0;
    while i < all.len() {
        let Some(b) = band(&all[i]) else {
            lines.push(all[i].clone());
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < all.len() && j - i < 12 && band(&all[j]) == Some(b) && all[j].page == all[i].page
        {
            j += 1;
        }
        for group in unruled_rows(&all[i..j]) {
            let row = (group.len() >= 2).then(|| merge_row(group));
            match row {
                // Several columns: a table row. One column: running text in a box, left alone.
                Some(row) if row.cells >= 2 => lines.push(row),
                _ => lines.extend(group.iter().cloned()),
            }
        }
        i = j;
    }
}

/// Split the lines of one ruled band into the rows it holds without rules between them: when
/// two or more lines of three or more cells each lie well apart (more than two and a half
/// lines), each is a row of its own, and every other line (a cell's text wrapped above or
/// below it) goes with the nearest of them. Otherwise the band is one row.
fn unruled_rows(group: &[Line]) -> Vec<&[Line]> {
    let anchors: Vec<usize> = (0..group.len()).filter(|&k| group[k].cells >= 3).collect();
    let apart = anchors.windows(2).all(|w| {
        let (a, b) = (&group[w[0]], &group[w[1]]);
        a.y - b.y > 2.5 * a.size.max(b.size)
    });
    if anchors.len() < 2 || !apart {
        return vec![group];
    }
    let mut rows = Vec::with_capacity(anchors.len());
    let mut start = 0;
    for w in anchors.windows(2) {
        let (upper, lower) = (group[w[0]].y, group[w[1]].y);
        // The first line after the upper anchor that is nearer the lower one.
        let end = (w[0] + 1..w[1])
            .find(|&k| upper - group[k].y > group[k].y - lower)
            .unwrap_or(w[1]);
        rows.push(&group[start..end]);
        start = end;
    }
    rows.push(&group[start..]);
    rows
}

/// Merge the lines of one table row into one line, column by column.
fn merge_row(group: &[Line]) -> Line {
    // (x0, x1, text) per column, built from every cell of every line, top to bottom.
    let mut columns: Vec<(f32, f32, String)> = Vec::new();
    for l in group {
        let parts: Vec<&str> = l.text.split('\t').collect();
        let cells: Vec<(f32, f32)> = if parts.len() == l.cell_x.len() {
            l.cell_x.clone()
        } else {
            vec![(l.x0, l.x1); parts.len().min(1)]
        };
        for (k, &(a, b)) in cells.iter().enumerate() {
            let part = if parts.len() == cells.len() {
                parts[k]
            } else {
                l.text.as_str()
            };
            match columns.iter_mut().find(|c| a < c.1 && b > c.0) {
                Some(c) => {
                    c.0 = c.0.min(a);
                    c.1 = c.1.max(b);
                    c.2.push_str(part);
                }
                None => columns.push((a, b, part.to_string())),
            }
        }
    }
    columns.sort_by(|a, b| a.0.total_cmp(&b.0));
    let first = &group[0];
    Line {
        text: columns
            .iter()
            .map(|c| c.2.as_str())
            .collect::<Vec<_>>()
            .join("\t"),
        x0: columns.first().map_or(first.x0, |c| c.0),
        x1: columns.last().map_or(first.x1, |c| c.1),
        y: first.y,
        size: first.size,
        cells: columns.len(),
        cell_x: columns.iter().map(|c| (c.0, c.1)).collect(),
        page: first.page,
        in_cell: None,
        column: None,
    }
}

/// Join lines that continue the cells of the table row above them (text wrapped inside a
/// cell) into that row, cell by cell; never across a horizontal rule between them (the next
/// row of a ruled table whose first cells are empty).
pub(crate) fn merge_wrapped_cells(lines: &mut Vec<Line>, rules: &[[f32; 4]]) {
    let mut by_y: Vec<&[f32; 4]> = rules.iter().collect();
    by_y.sort_by(|a, b| a[1].total_cmp(&b[1]));
    // Whether a rule lies between the baselines `low` < `high` (clear of both) beside `line`.
    let ruled_between = |line: &Line, low: f32, high: f32| -> bool {
        let margin = 0.2 * line.size;
        let start = by_y.partition_point(|r| r[1] <= low + margin);
        by_y[start..]
            .iter()
            .take_while(|r| r[1] < high - margin)
            .any(|r| r[0] < line.x1 && r[2] > line.x0)
    };
    // Whether rules beside `line` lie both above and below it (it is inside a ruled table).
    let ruled_around = |line: &Line| -> bool {
        let beside = |r: &&&[f32; 4]| r[0] < line.x1 && r[2] > line.x0;
        by_y.iter().filter(beside).any(|r| r[1] > line.y)
            && by_y.iter().filter(beside).any(|r| r[1] < line.y)
    };
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    // Index in `out` of the row being continued, and the baseline of its last line.
    let mut row: Option<(usize, f32)> = None;
    for line in lines.drain(..) {
        if let Some((r, last_y)) = row {
            let target = &out[r];
            let d = last_y - line.y;
            let close = d > 0.0 && d <= 3.0 * target.size.max(line.size);
            if let Some(slots) = close.then(|| continued_cells(target, &line)).flatten()
                && !ruled_between(&line, line.y, target.y)
                // A line in the first column only is the next row's label, unless a ruled
                // cell holds both (with no rule between them).
                && (slots[0] != 0 || ruled_around(&line))
                && continue_cells(&mut out[r], &line, &slots)
            {
                row = Some((r, line.y));
                continue;
            }
        }
        row = (line.cells > 1).then_some((out.len(), line.y));
        out.push(line);
    }
    *lines = out;
}

/// Put each cell of a ruled table row in its column, so that a row with empty cells keeps the
/// grid's column count: the vertical rules that cross a row's baseline divide it into slots,
/// each cell goes in the slot its middle falls in, and a slot with no cell is an empty cell
/// (`201\t\t\t一般公共服务支出\t…` for a row whose 款 and 项 are blank). Rules closer together
/// than an em are one border (a border drawn as a thin box, a cell's shading inside its
/// border); rules at the page's edges are its frame, not a table's. A row is left as it is
/// when a cell lies outside the rules or two cells fall in one slot. A single cell's line that
/// lies within one column of a grid of [`MIN_CELL_COLUMNS`] or more is marked
/// [`Line::in_cell`].
pub(crate) fn fill_ruled_cells(lines: &mut [Line], vrules: &[[f32; 4]], media: [f32; 4]) {
    let inner = |r: &&[f32; 4]| r[0] > media[0] + PAGE_EDGE && r[0] < media[2] - PAGE_EDGE;
    if !vrules.iter().any(|r| inner(&r)) {
        return;
    }
    let mut crossing: Vec<f32> = Vec::new();
    let mut borders: Vec<f32> = Vec::new();
    for line in lines.iter_mut() {
        if line.text.split('\t').count() != line.cell_x.len() {
            continue;
        }
        // The rules that cross the middle of the row's first line.
        let mid = line.y + 0.35 * line.size;
        crossing.clear();
        crossing.extend(
            vrules
                .iter()
                .filter(inner)
                .filter(|r| r[1] < mid && r[3] > mid)
                .map(|r| r[0]),
        );
        crossing.sort_by(f32::total_cmp);
        // One border per cluster of rules, each within an em of the one before.
        borders.clear();
        let mut last = f32::NEG_INFINITY;
        for &x in &crossing {
            if x - last > line.size {
                borders.push(x);
            }
            last = x;
        }
        if line.cells == 1 {
            // A single cell within one column of a grid is a cell's text.
            let k = borders.partition_point(|&x| x <= line.x0 + line.size);
            line.in_cell = (borders.len() > MIN_CELL_COLUMNS
                && k >= 1
                && k < borders.len()
                && line.x1 <= borders[k] + line.size)
                .then(|| (borders[k - 1], borders[k]));
            continue;
        }
        if borders.len() <= line.cells {
            continue;
        }
        let mut slots: Vec<Option<usize>> = vec![None; borders.len() - 1];
        let placed = line.cell_x.iter().enumerate().all(|(k, &(a, b))| {
            let centre = (a + b) / 2.0;
            let slot = borders.partition_point(|&x| x <= centre);
            // Inside the grid, alone in its slot.
            slot >= 1 && slot < borders.len() && slots[slot - 1].replace(k).is_none()
        });
        if !placed {
            continue;
        }
        let parts: Vec<&str> = line.text.split('\t').collect();
        let texts: Vec<&str> = slots.iter().map(|s| s.map_or("", |k| parts[k])).collect();
        line.cell_x = slots
            .iter()
            .enumerate()
            .map(|(j, s)| s.map_or((borders[j], borders[j + 1]), |k| line.cell_x[k]))
            .collect();
        line.text = texts.join("\t");
        line.cells = slots.len();
    }
}

/// Put the text of a cell that spans rows of a ruled table (`三、本年度办理结果` beside the
/// rows of (一)…(七), `（三）不予公开` beside its eight reasons) in the first row it spans.
/// Such a cell's text is set in the middle of its height, so its lines fall between the rows
/// ([`Line::in_cell`] lines) or beside one of them (a cell of that row). Each such line, with
/// the cells in its column of the rows between the two rules that cross that column above and
/// below it, is joined in line order into that column's cell of the first of those rows; the
/// other rows keep an empty cell there, as an HTML `rowspan` leaves. Rows are taken to share
/// a cell only where rules part them in other columns (a ruled table): with no rule between
/// two rows anywhere, the text around them is no one cell.
pub(crate) fn merge_row_spans(lines: &mut Vec<Line>, rules: &[[f32; 4]]) {
    let is_row = |l: &Line| l.cells > 1 && l.text.split('\t').count() == l.cell_x.len();
    // Each start is weighed against every line and rule of the page: a page of more lines or
    // rules than a table page holds is left as it is.
    if rules.is_empty()
        || lines.len() > MAX_SPAN_PAGE_LINES
        || rules.len() > MAX_SPAN_PAGE_RULES
        || !lines.iter().any(is_row)
    {
        return;
    }
    // Where a span may start: the text of a line inside one column, or of one row's cell, each
    // with the middle of its column. And every row, with the height of its middle.
    let mut seeds: Vec<(usize, Option<usize>, f32)> = Vec::new();
    let mut all_rows: Vec<(usize, f32)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some((a, b)) = line.in_cell.filter(|_| line.cells == 1) {
            seeds.push((i, None, (a + b) / 2.0));
        } else if is_row(line) {
            all_rows.push((i, middle(line)));
            for (slot, cell) in line.text.split('\t').enumerate() {
                if !cell.is_empty() {
                    let (x0, x1) = line.cell_x[slot];
                    seeds.push((i, Some(slot), (x0 + x1) / 2.0));
                }
            }
        }
    }
    // The slot of `row` at `x`.
    let slot_at = |row: &Line, x: f32| {
        row.cell_x
            .iter()
            .position(|&(x0, x1)| x0 - SAME_BORDER < x && x < x1 + SAME_BORDER)
    };
    let mut spans: Vec<Span> = Vec::new();
    for (i, seed_slot, x) in seeds {
        let line = &lines[i];
        // Glyphs a hair past a rule (a cell's last line overflowing its row) are in the cell
        // their middle is in.
        let y = middle(line);
        let across = rules.iter().filter(|r| r[0] < x && r[2] > x);
        let top = across
            .clone()
            .map(|r| r[1])
            .filter(|&r| r > y)
            .min_by(f32::total_cmp);
        let bottom = across
            .map(|r| r[1])
            .filter(|&r| r < y)
            .max_by(f32::total_cmp);
        let (Some(top), Some(bottom)) = (top, bottom) else {
            continue;
        };
        // The rows inside, top to bottom, each with its slot in the column.
        let rows: Vec<(usize, usize)> = all_rows
            .iter()
            .filter(|&&(_, m)| m > bottom && m < top)
            .filter_map(|&(k, _)| slot_at(&lines[k], x).map(|s| (k, s)))
            .collect();
        let Some(&(first, _)) = rows.first() else {
            continue;
        };
        // A row's cell starts a span only from a row below the first, and only where the rows
        // holding text in that column are a few consecutive ones, with an empty row among the
        // span's or in a span of two rows: the lines of one centred cell (`项目资金` ⏎
        // `（元）`, a header's `事业单位` ⏎ `经营收入`). Rows that each hold text there are rows
        // of their own (a long text cell whose lines are rows beside another column's).
        if let Some(slot) = seed_slot {
            if first == i || !rows.contains(&(i, slot)) {
                continue;
            }
            let holding: Vec<usize> = rows
                .iter()
                .enumerate()
                .filter(|(_, (k, s))| {
                    lines[*k]
                        .text
                        .split('\t')
                        .nth(*s)
                        .is_some_and(|c| !c.is_empty())
                })
                .map(|(n, _)| n)
                .collect();
            let one_block = holding.windows(2).all(|w| w[1] == w[0] + 1)
                && holding.len() <= MAX_SPAN_LINES
                && (holding.len() < rows.len() || rows.len() == 2);
            if !one_block {
                continue;
            }
        }
        let ruled_apart = rows.windows(2).all(|w| {
            let (upper, lower) = (lines[w[0].0].y, lines[w[1].0].y);
            rules.iter().any(|r| r[1] > lower && r[1] < upper)
        });
        if !ruled_apart {
            continue;
        }
        let fragment = seed_slot.is_none().then_some(i);
        match spans
            .iter_mut()
            .find(|s| s.top == top && s.bottom == bottom && s.rows == rows)
        {
            Some(span) => span.fragments.extend(fragment),
            None => spans.push(Span {
                top,
                bottom,
                rows,
                fragments: fragment.into_iter().collect(),
            }),
        }
    }
    let mut gone = vec![false; lines.len()];
    for span in &spans {
        // The pieces in reading order: the order of their lines (a row's y is that of one of
        // its lines, not always of this cell's first).
        let mut pieces: Vec<(usize, String)> = span
            .fragments
            .iter()
            .map(|&f| (f, lines[f].text.clone()))
            .collect();
        for &(i, slot) in &span.rows {
            let mut cells: Vec<String> = lines[i].text.split('\t').map(str::to_string).collect();
            let cell = std::mem::take(&mut cells[slot]);
            if !cell.is_empty() {
                pieces.push((i, cell));
            }
            lines[i].text = cells.join("\t");
        }
        pieces.sort_by_key(|p| p.0);
        let mut text = String::new();
        for (_, piece) in pieces {
            let spaced = text
                .chars()
                .next_back()
                .zip(piece.chars().next())
                .is_some_and(|(a, b)| a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric());
            if spaced {
                text.push(' ');
            }
            text.push_str(&piece);
        }
        let (first, slot) = span.rows[0];
        let mut cells: Vec<String> = lines[first].text.split('\t').map(str::to_string).collect();
        cells[slot] = text;
        lines[first].text = cells.join("\t");
        for &f in &span.fragments {
            gone[f] = true;
        }
    }
    let mut gone = gone.into_iter();
    lines.retain(|_| !gone.next().unwrap_or(false));
}

/// The height of a line's glyph middles (its baseline is below them).
fn middle(line: &Line) -> f32 {
    line.y + 0.35 * line.size
}

/// A cell spanning rows of a ruled table: the rules above and below it, the rows it spans with
/// its slot in each (top to bottom), and the lines of its own text between them.
struct Span {
    top: f32,
    bottom: f32,
    rows: Vec<(usize, usize)>,
    fragments: Vec<usize>,
}

/// Most lines of a page whose table cells spanning rows are looked for.
const MAX_SPAN_PAGE_LINES: usize = 1500;

/// Most rules of a page whose table cells spanning rows are looked for.
const MAX_SPAN_PAGE_RULES: usize = 4000;

/// Most rows the lines of one cell spanning rows are read from when a row holds each of them.
const MAX_SPAN_LINES: usize = 4;

/// How far (in points) a cell's text may stand past its column's border and still be in it.
const SAME_BORDER: f32 = 2.0;

/// Columns a ruled grid has at a single cell's line for the line to be read as a cell's text
/// ([`Line::in_cell`]); with fewer, the rules are more likely a page's boxes (a sidebar beside
/// the main text) than a table.
const MIN_CELL_COLUMNS: usize = 3;

/// Vertical rules this close (in points) to the page's left or right edge frame the page.
const PAGE_EDGE: f32 = 2.0;

/// The cells of `row` that the cells of `line` (fewer of them, below it) continue, one each,
/// left to right; `None` when a cell of `line` overlaps none or several of them, or `line`
/// ends in a colon (a label of its own).
fn continued_cells(row: &Line, line: &Line) -> Option<Vec<usize>> {
    if line.cells >= row.cells
        || line.text.ends_with(['：', ':'])
        || line.cell_x.len() != line.text.split('\t').count()
    {
        return None;
    }
    let slots: Vec<usize> =
        line.cell_x
            .iter()
            .map(|&(a, b)| {
                let mut hits =
                    row.cell_x.iter().enumerate().filter(|(_, (ca, cb))| {
                        a < cb + 0.5 * line.size && b > ca - 0.5 * line.size
                    });
                match (hits.next(), hits.next()) {
                    (Some((j, _)), None) => Some(j),
                    _ => None,
                }
            })
            .collect::<Option<_>>()?;
    (!slots.is_empty() && slots.windows(2).all(|w| w[0] < w[1])).then_some(slots)
}

/// Append the cells of `line` to the cells `slots` of `row`; false (nothing done) when the
/// row's text and cell extents disagree.
fn continue_cells(row: &mut Line, line: &Line, slots: &[usize]) -> bool {
    let mut cells: Vec<String> = row.text.split('\t').map(str::to_string).collect();
    if cells.len() != row.cell_x.len() {
        return false;
    }
    for (&j, part) in slots.iter().zip(line.text.split('\t')) {
        cells[j].push_str(part);
    }
    row.text = cells.join("\t");
    true
}

/// Join the text of a table row's cells that wrapped over a page break: the first line of a
/// page that lies in a ruled band at the top of the page, holds fewer cells than the last line
/// of the page before (a table row), each under one of that row's cells and none under its
/// first, and at most half as many cells, none of them a number, continues that row when the
/// line after it is a row of the same table (as many cells) or there is none.
pub(crate) fn join_cells_across_pages(pages: &mut [Vec<Line>], rules: &[Vec<[f32; 4]>]) {
    for p in 1..pages.len() {
        let (before, after) = pages.split_at_mut(p);
        let (Some(row), Some(first)) = (before[p - 1].last_mut(), after[0].first()) else {
            continue;
        };
        if row.cells < 2 {
            continue;
        }
        let Some(slots) = continued_cells(row, first) else {
            continue;
        };
        let over = |r: &&[f32; 4]| r[0] < first.x1 && r[2] > first.x0;
        let page_rules = &rules[p];
        let ruled_above = page_rules.iter().filter(over).any(|r| r[1] > first.y);
        let ruled_below = page_rules.iter().filter(over).any(|r| r[1] < first.y);
        let table_goes_on = after[0].get(1).is_none_or(|next| next.cells == row.cells);
        // A wrap holds the rest of a cell or two; a row of its own (a 合计 row) holds more, and
        // numbers, which do not wrap.
        let few = first.cells * 2 <= row.cells;
        let numeric = |t: &str| {
            t.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '%'))
        };
        let numbers = first.text.split('\t').any(numeric);
        if slots[0] == 0 || !ruled_above || !ruled_below || !table_goes_on || !few || numbers {
            continue;
        }
        let first = first.clone();
        if continue_cells(row, &first, &slots) {
            after[0].remove(0);
        }
    }
}

/// Rows at the head of a table that a page continuing it may repeat.
const HEADER_ROWS: usize = 6;

/// Whether `line` is a row of a table (several cells, or one cell of a ruled grid).
fn is_table_line(line: &Line) -> bool {
    line.cells > 1 || line.in_cell.is_some()
}

/// Drop the header rows a table repeats at the top of each page it continues on (Word's
/// "repeat as header row"): a page whose first rows are, text for text, rows among the first
/// [`HEADER_ROWS`] of the table the page before ended in. Only rows that read as a header are
/// taken: each holds a Han character and no cell that is a number, so a data row that happens
/// to repeat stays.
pub(crate) fn drop_repeated_table_headers(pages: &mut [Vec<Line>]) {
    // The first rows of the table that ends the page before, if one does.
    let mut open: Vec<String> = Vec::new();
    for lines in pages.iter_mut() {
        if !open.is_empty() {
            let lead = lines.iter().take_while(|l| is_table_line(l)).count();
            let repeated = repeated_rows(&open, &lines[..lead]);
            lines.drain(..repeated);
        }
        let tail = lines.iter().rev().take_while(|l| is_table_line(l)).count();
        if tail == 0 {
            open.clear();
        } else if tail < lines.len() || open.is_empty() {
            // A table starts on this page; a page of table rows only goes on with the one open.
            open = lines[lines.len() - tail..]
                .iter()
                .take(HEADER_ROWS)
                .map(|l| l.text.clone())
                .collect();
        }
    }
}

/// How many of `lead`'s first rows repeat a run of the header rows `head`, as header rows.
fn repeated_rows(head: &[String], lead: &[Line]) -> usize {
    let is_number = |cell: &str| {
        cell.chars().any(|c| c.is_ascii_digit())
            && cell
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '%'))
    };
    let header_like = |row: &str| row.chars().any(is_han) && !row.split('\t').any(is_number);
    (0..head.len())
        .map(|start| {
            head[start..]
                .iter()
                .zip(lead)
                .take_while(|(h, l)| **h == l.text && header_like(h))
                .count()
        })
        .max()
        .unwrap_or(0)
}

/// Whether a line is a page number: `— 1 —`, `-1-`, `第1页 共3页`, `1/3`, `- 2 -`, `1`.
pub(crate) fn is_page_number(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() || t.chars().count() > 16 {
        return false;
    }
    let core = t.trim_matches(|c: char| "-—–_－·•.".contains(c) || c == '\u{2014}');
    if !core.is_empty() && core.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    // 第1页 共3页 / 第1页/共3页 / 共3页 第1页 / Page 1 of 3 / 1/3
    let stripped: String = core
        .chars()
        .filter(|c| !c.is_ascii_digit() && !"/／,，".contains(*c))
        .collect();
    let has_digit = core.chars().any(|c| c.is_ascii_digit());
    has_digit
        && matches!(
            stripped.as_str(),
            "" | "第页共页" | "共页第页" | "第页" | "Pageof" | "页" | "Page"
        )
}

/// Remove running headers and footers: page numbers near the top or bottom edge, and lines in
/// the top or bottom band whose text (digits ignored) repeats on several pages.
pub(crate) fn remove_headers_footers(pages: &mut [Vec<Line>], media: &[[f32; 4]]) {
    let band = |page: usize, line: &Line| -> bool {
        let [_, y0, _, y1] = media.get(page).copied().unwrap_or([0.0, 0.0, 595.0, 842.0]);
        let h = (y1 - y0).max(1.0);
        line.y > y1 - 0.12 * h || line.y < y0 + 0.12 * h
    };
    let key = |t: &str| -> String {
        t.chars()
            .filter(|c| !c.is_ascii_digit() && !c.is_whitespace())
            .collect()
    };
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (p, lines) in pages.iter().enumerate() {
        let mut seen: Vec<String> = Vec::new();
        for l in lines.iter().filter(|l| band(p, l)) {
            let k = key(&l.text);
            if !k.is_empty() && !seen.contains(&k) {
                seen.push(k);
            }
        }
        for k in seen {
            *counts.entry(k).or_default() += 1;
        }
    }
    let n = pages.len();
    let repeated = |k: &str| n >= 3 && counts.get(k).is_some_and(|&c| c >= 3 && c * 2 >= n);
    for (p, lines) in pages.iter_mut().enumerate() {
        lines.retain(|l| {
            let edge = band(p, l);
            !(edge && (is_page_number(&l.text) || repeated(&key(&l.text))))
        });
    }
}

/// The dashes around a page number (`— 6 —`, `-6-`).
const DASHES: [char; 4] = ['-', '—', '–', '－'];

/// Widest share of the page's width, from either side, where a page number set sideways
/// stands.
const SIDE_BAND: f32 = 0.1;

/// Remove a page number set sideways at a side edge, as on the landscape pages of an
/// attachment's table: `—`, `6`, `—` one above the other, each read as a line of its own or as
/// the first cell of a table row beside it. Only a stack that reads `—N—` (dashes around the
/// digits) counts: a column of `1`, `2`, `3` is a table's 序号, not a page number. Runs after
/// the rows of a table are grouped and merged, with the page number's pieces still in them.
pub(crate) fn remove_side_page_number(lines: &mut Vec<Line>, media: [f32; 4]) {
    let w = (media[2] - media[0]).max(1.0);
    let side = |x0: f32, x1: f32| x1 < media[0] + SIDE_BAND * w || x0 > media[2] - SIDE_BAND * w;
    let piece = |t: &str| {
        let t = t.trim();
        !t.is_empty()
            && t.chars().count() <= 4
            && t.chars().all(|c| c.is_ascii_digit() || DASHES.contains(&c))
    };
    // (line, whole line or its first cell, left edge): the pieces of a stack, top to bottom.
    let mut pieces: Vec<(usize, bool, f32)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.cells == 1 && side(l.x0, l.x1) && piece(&l.text) {
            pieces.push((i, true, l.x0));
        } else if l.cells > 1
            && let (Some(&(x0, x1)), Some((first, _))) = (l.cell_x.first(), l.text.split_once('\t'))
            && side(x0, x1)
            && piece(first)
        {
            pieces.push((i, false, x0));
        }
    }
    let mut drop: Vec<(usize, bool)> = Vec::new();
    let mut used = vec![false; pieces.len()];
    for a in 0..pieces.len() {
        if used[a] {
            continue;
        }
        let stack: Vec<usize> = (a..pieces.len())
            .filter(|&b| !used[b] && (pieces[b].2 - pieces[a].2).abs() < 3.0)
            .collect();
        let text: String = stack
            .iter()
            .map(|&b| {
                let (i, whole, _) = pieces[b];
                let t = &lines[i].text;
                if whole {
                    t.trim()
                } else {
                    t.split('\t').next().unwrap_or("").trim()
                }
            })
            .collect();
        let dashed = text.starts_with(DASHES) && text.ends_with(DASHES);
        if dashed && text.chars().any(|c| c.is_ascii_digit()) && is_page_number(&text) {
            for &b in &stack {
                used[b] = true;
                drop.push((pieces[b].0, pieces[b].1));
            }
        }
    }
    if drop.is_empty() {
        return;
    }
    for &(i, whole) in &drop {
        if !whole {
            let l = &mut lines[i];
            if let Some((_, rest)) = l.text.split_once('\t') {
                l.text = rest.to_string();
            }
            l.cells -= 1;
            l.cell_x.remove(0);
            l.x0 = l.cell_x.first().map_or(l.x0, |c| c.0);
            // What is left of a row of two is one cell's text: still table text.
            if l.cells == 1 {
                l.in_cell = l.in_cell.or(l.cell_x.first().copied());
            }
        }
    }
    let mut gone = vec![false; lines.len()];
    for &(i, whole) in &drop {
        gone[i] = whole;
    }
    let mut gone = gone.into_iter();
    lines.retain(|_| !gone.next().unwrap_or(false));
}

/// Typical distance between consecutive baselines of body text.
pub(crate) fn line_pitch(pages: &[Vec<Line>], body_size: f32) -> f32 {
    pitch_of(pages, body_size, 1).unwrap_or(body_size * 1.5)
}

/// Fewest pairs of body lines on a page for a pitch of its own.
const MIN_PAGE_PITCH_PAIRS: usize = 4;

/// The typical distance between consecutive baselines of body text on each page: its own
/// when it has [`MIN_PAGE_PITCH_PAIRS`] pairs of body lines, else the document's. A
/// document can set a few pages (an appendix, a questionnaire) wider than the rest.
fn page_pitches(pages: &[Vec<Line>], body_size: f32, document: f32) -> Vec<f32> {
    pages
        .iter()
        .map(|page| {
            pitch_of(std::slice::from_ref(page), body_size, MIN_PAGE_PITCH_PAIRS)
                .unwrap_or(document)
        })
        .collect()
}

/// The typical baseline distance of the body lines of `pages` (a low quantile: the line pitch
/// of running text, not the gaps between paragraphs), given at least `min_pairs` pairs.
fn pitch_of(pages: &[Vec<Line>], body_size: f32, min_pairs: usize) -> Option<f32> {
    let mut diffs: Vec<f32> = Vec::new();
    for lines in pages {
        for w in lines.windows(2) {
            let d = w[0].y - w[1].y;
            if d > 0.0 && (w[0].size - body_size).abs() < 1.0 && (w[1].size - body_size).abs() < 1.0
            {
                diffs.push(d);
            }
        }
    }
    if diffs.len() < min_pairs.max(1) {
        return None;
    }
    Some(typical_pitch(&mut diffs, body_size))
}

/// The pitch of running text among baseline distances of lines of `size`: a low quantile (not
/// the gaps between paragraphs), between one and two and a half times the size. `diffs` is
/// not empty.
fn typical_pitch(diffs: &mut [f32], size: f32) -> f32 {
    diffs.sort_by(f32::total_cmp);
    diffs[diffs.len() * 3 / 10].clamp(size, 2.5 * size)
}

/// The typical baseline distance of consecutive lines of one size, for each size of the
/// document: the pitch of [`pitch_of`], read in one pass over all lines. Sorted by size in
/// half points, so that a page of many sizes costs a search a line, not a scan.
struct SizePitches(Vec<(i32, f32)>);

impl SizePitches {
    /// The pitch of lines of `size` (within half a point), if two such lines ever follow
    /// each other.
    fn get(&self, size: f32) -> Option<f32> {
        let key = (size * 2.0).round() as i32;
        [key, key - 1, key + 1]
            .into_iter()
            .filter(|&k| (k as f32 / 2.0 - size).abs() < 0.5)
            .find_map(|k| {
                let at = self.0.binary_search_by_key(&k, |&(k, _)| k).ok()?;
                Some(self.0[at].1)
            })
    }
}

fn pitches_by_size(pages: &[Vec<Line>]) -> SizePitches {
    // Sizes rounded to half a point.
    let mut diffs: rustc_hash::FxHashMap<i32, Vec<f32>> = Default::default();
    for lines in pages {
        for w in lines.windows(2) {
            let d = w[0].y - w[1].y;
            if d > 0.0
                && (w[0].size - w[1].size).abs() < 0.5
                && w[0].size.is_finite()
                && w[0].size > 0.0
            {
                diffs
                    .entry((w[0].size * 2.0).round() as i32)
                    .or_default()
                    .push(d);
            }
        }
    }
    let mut out: Vec<(i32, f32)> = diffs
        .into_iter()
        .map(|(key, mut d)| (key, typical_pitch(&mut d, key as f32 / 2.0)))
        .collect();
    out.sort_unstable_by_key(|&(key, _)| key);
    SizePitches(out)
}

/// The most common glyph size of the document, weighted by line length.
pub(crate) fn body_size(pages: &[Vec<Line>]) -> f32 {
    let mut sizes: Vec<(f32, usize)> = Vec::new();
    for l in pages.iter().flatten() {
        let n = l.text.chars().count();
        match sizes.iter_mut().find(|(s, _)| (s - l.size).abs() < 0.5) {
            Some(e) => e.1 += n,
            None => sizes.push((l.size, n)),
        }
    }
    sizes
        .iter()
        .max_by_key(|e| e.1)
        .map(|e| e.0)
        .unwrap_or(12.0)
}

fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Estimated width of the text before the first line-break opportunity: ideographs and other
/// wide characters one em, ASCII half an em.
fn first_unit_width(text: &str, size: f32) -> f32 {
    let mut width = 0.0;
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if c.is_whitespace() || (is_ideograph(c) && prev.is_some_and(is_ideograph)) {
            break;
        }
        width += if c.is_ascii() { 0.5 * size } else { size };
        prev = Some(c);
    }
    // A unit of a single ideograph (or one with its punctuation) always fits somewhere.
    if text.chars().take_while(|c| !c.is_ascii()).count() >= text.chars().count().min(2) {
        return 0.0;
    }
    width
}

/// Whether `text` opens with a bracketed or circled list marker and holds the next one of its
/// list inline (`（一）…的；（二）…`): items of a list run into one paragraph.
fn holds_its_next_item(text: &str) -> bool {
    use crate::structure::{Marker, MarkerKind};
    let Some(m) = parse_marker(text) else {
        return false;
    };
    if !matches!(
        m.kind,
        MarkerKind::HanParen | MarkerKind::ArabicParen | MarkerKind::Circled
    ) {
        return false;
    }
    let next = Marker {
        kind: m.kind,
        number: m.number + 1,
        len: 0,
        raw: String::new(),
    }
    .canonical();
    let rest = &text[m.len..];
    // Brackets not yet made full-width: the repair engine runs after layout.
    rest.contains(&next) || rest.contains(&next.replace('（', "(").replace('）', ")"))
}

/// Deepest indent, in ems, of a paragraph's first line that runs to the right margin: deeper,
/// a line that reaches the margin is set flush right (a signature, a date).
const MAX_FIRST_INDENT: f32 = 4.5;

/// A paragraph (or table row) built from lines.
#[derive(Debug, Clone)]
pub(crate) struct Paragraph {
    pub(crate) text: String,
    pub(crate) table_row: bool,
}

/// Join lines into paragraphs.
pub(crate) fn paragraphs(pages: &[Vec<Line>]) -> Vec<Paragraph> {
    let body = body_size(pages);
    let pitch = line_pitch(pages, body);
    let pitches = page_pitches(pages, body, pitch);
    let size_pitches = pitches_by_size(pages);
    // Margins of body text, per page (pages can differ in size or orientation).
    let margins: Vec<(f32, f32)> = pages
        .iter()
        .map(|lines| {
            let mut body_lines: Vec<&Line> = lines
                .iter()
                .filter(|l| (l.size - body).abs() < 1.0 && l.cells == 1)
                .collect();
            if body_lines.len() < 4 {
                // Few lines in the commonest size (a page of table): any running text.
                body_lines = lines.iter().filter(|l| l.cells == 1).collect();
            }
            if body_lines.len() < 4 {
                return (f32::INFINITY, f32::NEG_INFINITY);
            }
            let left = body_lines
                .iter()
                .map(|l| l.x0)
                .fold(f32::INFINITY, f32::min);
            let right = body_lines
                .iter()
                .map(|l| l.x1)
                .fold(f32::NEG_INFINITY, f32::max);
            (left, right)
        })
        .collect();
    let (mut doc_left, mut doc_right) = (f32::INFINITY, f32::NEG_INFINITY);
    for &(l, r) in &margins {
        doc_left = doc_left.min(l);
        doc_right = doc_right.max(r);
    }
    if !doc_left.is_finite() || !doc_right.is_finite() {
        // No page has enough running text: the extent of all lines.
        for l in pages.iter().flatten() {
            doc_left = doc_left.min(l.x0);
            doc_right = doc_right.max(l.x1);
        }
    }
    let mut out: Vec<Paragraph> = Vec::new();
    let mut prev: Option<&Line> = None;
    for line in pages.iter().flatten() {
        let (mut left, _) = margins[line.page];
        if !left.is_finite() {
            left = doc_left;
        }
        let table = is_table_line(line);
        let continues = prev.is_some_and(|p| {
            if let (Some(column), Some(p_column)) = (line.in_cell, p.in_cell) {
                return wraps_in_cell(p, line, column, p_column);
            }
            if table || is_table_line(p) {
                return false;
            }
            let size = p.size.max(line.size);
            let (p_left, p_right) = margins[p.page];
            let p_right = if p_right.is_finite() {
                p_right
            } else {
                doc_right
            };
            let p_left = if p_left.is_finite() { p_left } else { doc_left };
            // Two lines of one column of text wrap at the column's margins (a column wide
            // enough for running text: a narrow one is a form's labels or a list of numbers,
            // each line of its own).
            let (p_left, p_right, left, in_column) = match (p.column, line.column) {
                (Some(a), Some(b))
                    if a == b
                        && p.page == line.page
                        && a.right - a.left >= MIN_COLUMN_EMS * size =>
                {
                    (a.left, a.right, a.left, true)
                }
                _ => (p_left, p_right, left, false),
            };
            // In a column, a line opened by a label (`资料来源：…` under a chart's caption)
            // starts its own paragraph: a column is narrow enough for a short line to reach
            // its margin.
            if in_column && crate::repair::text::opens_with_a_label(&line.text) {
                return false;
            }
            // A centred or right-aligned line (signature, date) ends its paragraph; a first line
            // indented a few ems that runs to the margin is running text.
            let first_line =
                p.x0 <= p_left + MAX_FIRST_INDENT * size && p.x1 >= p_right - 1.5 * size;
            if p.x0 > p_left + 3.0 * size && !first_line {
                return false;
            }
            // Chinese line breaking keeps closing punctuation off a line start and opening
            // punctuation off a line end, so a wrapped line can stop up to ~2 em short.
            // A lead-in's colon before an inline list (`…处理：` ⏎ `（一）…；（二）…`) does
            // not end its paragraph: the list runs on after it.
            let ends_sentence = p.text.ends_with(['。', '！', '？', '：', '；'])
                && !(p.text.ends_with(['：', ':']) && holds_its_next_item(&line.text));
            // A word that cannot be broken moves to the next line whole: the line's text up to
            // its first break opportunity (between two ideographs, or at a space).
            let first_word = first_unit_width(&line.text, line.size);
            let reaches = p.x1 + first_word >= p_right - 0.5 * size
                || if ends_sentence {
                    p.x1 >= p_right - 1.0 * size
                } else {
                    p.x1 >= p_right - 3.2 * size
                };
            // A paragraph set indented as a whole (every line at the first line's indent)
            // wraps at its own left edge: a line there after one that ran to the margin
            // full to the margin without ending a sentence goes on, unless it opens a new
            // item of a list set the same way (`7.…预算表` ⏎ `8.…预算表`, `方式：…` ⏎
            // `售价：0元`).
            let block_wrap = !ends_sentence
                && p.x1 >= p_right - 1.0 * size
                && (line.x0 - p.x0).abs() < 0.25 * size
                && parse_marker(&line.text).is_none()
                && !opens_with_a_label(&line.text);
            // An item opened by a bullet glyph and set with a hanging indent wraps under its
            // text, an em and a bit in (`• 事件：…` ⏎ `  协议书》…`); two ems in is a new
            // paragraph's first-line indent.
            let hanging = !ends_sentence
                && p.text.starts_with(is_bullet_glyph)
                && line.x0 > p.x0 + 0.5 * size
                && line.x0 <= p.x0 + MAX_HANGING_EMS * size
                && !line.text.starts_with(is_bullet_glyph)
                && parse_marker(&line.text).is_none();
            let indented = line.x0 > left + 1.0 * size && !block_wrap && !hanging;
            // A sentence that ends at the margin, followed by a line that opens with a heading
            // marker (`（五）`, `2.`, `第三条`), ends its paragraph: running text does not put
            // a new item's marker right after a full stop.
            if p.text.ends_with(['。', '！', '？']) && parse_marker(&line.text).is_some() {
                return false;
            }
            // So does an item ending in `；` at the margin, followed by the next item of its
            // list (`1.…考核及评估；` ⏎ `2.由区人民调解协会…`).
            if p.text.ends_with(['；', ';'])
                && let Some(next) = parse_marker(&line.text)
                && out
                    .last()
                    .and_then(|para| parse_marker(&para.text))
                    .is_some_and(|m| m.kind == next.kind && m.number + 1 == next.number)
            {
                return false;
            }
            // A heading (`三、政府采购预算情况`: a marker, no sentence punctuation, a line that
            // stops well short of the margin) starts a paragraph even after a line that ran to
            // the margin without a full stop.
            let open_end = p.text.chars().next_back().is_some_and(|c| {
                crate::repair::paragraph::NO_END.contains(c)
                    || crate::repair::paragraph::OPEN_END_PUNCT.contains(c)
            });
            if !open_end
                && parse_marker(&line.text).is_some()
                && !line
                    .text
                    .contains(['，', '。', '；', '：', '！', '？', ',', ';', ':'])
                && line.x1 < p_right - 3.2 * size
            {
                return false;
            }
            // An entry of a table of contents, its dot leader run to the margin, is a line
            // of its own (`一、部门主要职能…………` ⏎ `二、部门机构设置…………`).
            if crate::structure::is_contents_entry(&p.text) {
                return false;
            }
            let same_size = (p.size - line.size).abs() < 0.15 * size;
            let close = if p.page == line.page {
                let d = p.y - line.y;
                // Text in another size than the body's (a notice set in 三号 before attachment
                // tables in 五号 that hold most of the characters) wraps at its own pitch.
                let own = size_pitches.get(line.size).unwrap_or(0.0);
                d > 0.0 && d <= pitch.max(pitches[line.page]).max(own).max(size * 1.1) * 1.25
            } else {
                true
            };
            reaches && !indented && same_size && close
        });
        if continues && let Some(last) = out.last_mut() {
            let needs_space = last
                .text
                .chars()
                .last()
                .zip(line.text.chars().next())
                .is_some_and(|(a, b)| {
                    // Words wrap at spaces; a number cut at the margin of CJK text does not.
                    !is_cjk(a)
                        && !is_cjk(b)
                        && a.is_alphanumeric()
                        && b.is_alphanumeric()
                        && !(a.is_ascii_digit() && b.is_ascii_digit())
                });
            if needs_space
                || wraps_an_issuer_list(&last.text, &line.text)
                || wraps_joint_issuers_of_a_title(&last.text, &line.text)
            {
                last.text.push(' ');
            }
            last.text.push_str(&line.text);
        } else {
            out.push(Paragraph {
                text: line.text.clone(),
                table_row: table,
            });
        }
        prev = Some(line);
    }
    out
}

/// The narrowest column of text, in ems, whose lines wrap at its own margins.
const MIN_COLUMN_EMS: f32 = 20.0;

/// The deepest hanging indent under a bullet, in ems.
const MAX_HANGING_EMS: f32 = 1.6;

/// A glyph that opens a bulleted item: a bullet or a symbol font's private-use character
/// (Wingdings' `U+F06C`). Not a box (`□`, `■`): a form's check boxes, or headings set off by
/// one.
fn is_bullet_glyph(c: char) -> bool {
    matches!(c, '•' | '●' | '◆' | '▪' | '►' | '▶' | '➢') || ('\u{E000}'..='\u{F8FF}').contains(&c)
}

/// Whether `line` continues the text of `p` in one ruled cell: both in the same column, `line`
/// right below, and `p` run to the column's right border (wrapped there, not ended).
fn wraps_in_cell(p: &Line, line: &Line, column: (f32, f32), p_column: (f32, f32)) -> bool {
    let size = p.size.max(line.size);
    let same_column = (column.0 - p_column.0).abs() < 1.0 && (column.1 - p_column.1).abs() < 1.0;
    let below = p.page == line.page && p.y > line.y && p.y - line.y <= 2.0 * size;
    same_column && below && p.x1 >= column.1 - 2.5 * size
}

/// Last characters of the name of an issuing body (`财政部`, `国家税务总局`, `中国残疾人联合会`).
const ISSUER_ENDINGS: &str = "部委局厅办院会署行府";

/// Whether a line wrap fell inside a list of issuers written with spaces between them
/// (`财政部` ⏎ `民政部 中国残疾人联合会…`): the line before ends with a body's name, and the
/// next starts with one that a space follows. The space at the wrap is then part of the list.
fn wraps_an_issuer_list(before: &str, next: &str) -> bool {
    let is_name = |s: &str| {
        let n = s.chars().count();
        (2..=MAX_ISSUER_NAME).contains(&n)
            && s.chars().all(is_han)
            && s.chars().last().is_some_and(|c| ISSUER_ENDINGS.contains(c))
    };
    let tail: String = {
        let mut t: Vec<char> = before.chars().rev().take_while(|&c| is_han(c)).collect();
        t.reverse();
        t.into_iter().collect()
    };
    let Some((head, _)) = next.split_once([' ', '\u{3000}']) else {
        return false;
    };
    // `财政部` ⏎ `办公厅 …` is one body, its general office.
    is_name(head)
        && !head.starts_with("办公")
        && tail
            .chars()
            .last()
            .is_some_and(|c| ISSUER_ENDINGS.contains(c))
        && tail.chars().count() >= 2
}

/// Longest name of an issuing body taken as one item of a list.
const MAX_ISSUER_NAME: usize = 12;

/// Whether a line wrap fell between the joint issuers that open a cited title, which GB/T
/// 9704 sets apart with a space (`《中共中央办公厅` ⏎ `国务院办公厅关于…》` is
/// `《中共中央办公厅 国务院办公厅关于…》`): the line before ends with the title's first issuer,
/// the next opens with a second one and its `关于`. One body's general office (`《财政部` ⏎
/// `办公厅关于…》`) takes no space.
fn wraps_joint_issuers_of_a_title(before: &str, next: &str) -> bool {
    let Some((_, first)) = before.rsplit_once('《') else {
        return false;
    };
    let Some((second, _)) = next.split_once("关于") else {
        return false;
    };
    let is_name = |s: &str| {
        let n = s.chars().count();
        (2..=MAX_ISSUER_NAME).contains(&n)
            && s.chars().all(is_han)
            && (s.ends_with("中央") || s.chars().last().is_some_and(|c| ISSUER_ENDINGS.contains(c)))
    };
    is_name(first) && is_name(second) && !second.starts_with("办公")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrap_inside_a_spaced_list_of_issuers_keeps_its_space() {
        assert!(wraps_an_issuer_list(
            "执行《财政部",
            "民政部 中国残疾人联合会关于促进"
        ));
        assert!(wraps_an_issuer_list("国家发展改革委", "财政部　关于"));
        // Prose, or a name without the list's space after it.
        assert!(!wraps_an_issuer_list("报送财政部", "民政部负责审核"));
        assert!(!wraps_an_issuer_list("报送财政部", "审核后 公布"));
        assert!(!wraps_an_issuer_list("2020", "民政部 公告"));
        assert!(!wraps_an_issuer_list("印发财政部", "办公厅 关于"));
    }

    #[test]
    fn a_wrap_between_the_joint_issuers_of_a_title_keeps_its_space() {
        assert!(wraps_joint_issuers_of_a_title(
            "应当按照《中共中央办公厅",
            "国务院办公厅关于进一步推行政务公开的意见》"
        ));
        assert!(wraps_joint_issuers_of_a_title(
            "根据《中共中央",
            "国务院关于全面实施预算绩效管理的意见》"
        ));
        // One body's office, a title that has begun, prose.
        assert!(!wraps_joint_issuers_of_a_title(
            "根据《财政部",
            "办公厅关于…》"
        ));
        assert!(!wraps_joint_issuers_of_a_title("根据《国务院", "关于…》"));
        assert!(!wraps_joint_issuers_of_a_title(
            "根据《国务院关于加强审计工作的决定》和财政部",
            "审计署关于…"
        ));
        assert!(!wraps_joint_issuers_of_a_title("报送财政部", "民政部关于…"));
    }

    /// A table row of `text`'s tab-separated cells on `page`.
    fn row(text: &str, page: usize) -> Line {
        let cells = text.split('\t').count();
        Line {
            cells,
            page,
            ..body_line(text, 400.0, 500.0)
        }
    }

    #[test]
    fn a_table_s_header_repeated_on_the_page_it_goes_on_is_dropped() {
        let mut pages = vec![
            vec![
                body_line("一、收支预算总表", 700.0, 300.0),
                row("编制部门：某街道办事处\t单位：元", 0),
                row("项目\t支出预算", 0),
                row("科目编码\t科目名称\t合计", 0),
                row("201\t一般公共服务支出\t2,932,700", 0),
            ],
            vec![
                row("项目\t支出预算", 1),
                row("科目编码\t科目名称\t合计", 1),
                row("204\t公共安全支出\t1,633,000", 1),
            ],
            // A data row of the table's head again, and a header that no table before it had.
            vec![
                row("201\t一般公共服务支出\t2,932,700", 2),
                row("205\t教育支出\t250,000", 2),
            ],
            vec![body_line("二、说明", 700.0, 300.0), row("序号\t事项", 3)],
            vec![row("序号\t事项", 4), row("1\t其他", 4)],
        ];
        drop_repeated_table_headers(&mut pages);
        let texts: Vec<Vec<&str>> = pages
            .iter()
            .map(|p| p.iter().map(|l| l.text.as_str()).collect())
            .collect();
        assert_eq!(texts[1], ["204\t公共安全支出\t1,633,000"]);
        assert_eq!(
            texts[2].len(),
            2,
            "a repeated data row stays: {:?}",
            texts[2]
        );
        assert_eq!(texts[4], ["1\t其他"]);
        assert_eq!(texts[0].len(), 5);
    }

    #[test]
    fn page_numbers_are_recognised() {
        for t in [
            "— 1 —",
            "-1-",
            "第1页 共3页",
            "- 12 -",
            "3",
            "第 2 页",
            "1/3",
        ] {
            assert!(is_page_number(t), "{t}");
        }
        for t in ["2021年3月5日", "一、总则", "1.工作要求"] {
            assert!(!is_page_number(t), "{t}");
        }
    }

    /// A line of 16 pt text on page 0 at baseline `y`, from the left margin (72) to `x1`.
    /// The paragraphs of one page of `lines`.
    fn texts(lines: Vec<Line>) -> Vec<String> {
        paragraphs(&[lines]).into_iter().map(|p| p.text).collect()
    }

    fn body_line(text: &str, y: f32, x1: f32) -> Line {
        Line {
            text: text.to_string(),
            x0: 72.0,
            x1,
            y,
            size: 16.0,
            cells: 1,
            cell_x: vec![(72.0, x1)],
            page: 0,
            in_cell: None,
            column: None,
        }
    }

    #[test]
    fn a_first_line_indented_three_ems_runs_on_and_a_heading_after_it_does_not() {
        let at = |text: &str, y: f32, x0: f32, x1: f32| Line {
            x0,
            cell_x: vec![(x0, x1)],
            ..body_line(text, y, x1)
        };
        // The right margin is 520; a first line indented 3 ems (48) stops 6 short of it, and
        // its number runs on to the next line. A line overrunning the margin is followed by a
        // heading of the outline, which stops well short of it.
        let lines = vec![
            at(
                "本部门政府采购预算830.00万元，其中政府采购服务预算",
                700.0,
                124.0,
                514.0,
            ),
            at("270.00万元。", 672.0, 72.0, 160.0),
            at(
                "这一段的首行缩进两个字，写到右边距为止的机关运行经费",
                644.0,
                104.0,
                520.0,
            ),
            at("预算为464.64万元", 616.0, 72.0, 530.0),
            at("三、政府采购预算情况", 588.0, 72.0, 240.0),
            at("依照本办法第十二条、第十三条和", 560.0, 104.0, 520.0),
            at("（一）项的规定", 532.0, 72.0, 200.0),
        ];
        assert_eq!(
            texts(lines),
            [
                "本部门政府采购预算830.00万元，其中政府采购服务预算270.00万元。",
                "这一段的首行缩进两个字，写到右边距为止的机关运行经费预算为464.64万元",
                "三、政府采购预算情况",
                "依照本办法第十二条、第十三条和（一）项的规定",
            ]
        );
        // A line set flush right that reaches the margin is still a line of its own.
        let lines = vec![
            at("审计局", 700.0, 400.0, 520.0),
            at("2024年5月6日", 672.0, 72.0, 200.0),
        ];
        assert_eq!(texts(lines), ["审计局", "2024年5月6日"]);
    }

    #[test]
    fn an_inline_list_after_a_lead_in_runs_on() {
        assert!(holds_its_next_item(
            "（一）以虚报、冒领等手段骗取资金的；（二）截留、挪用资"
        ));
        assert!(holds_its_next_item("(1)申请书;(2)实施方案"));
        assert!(!holds_its_next_item("（一）加强组织领导"));
        assert!(!holds_its_next_item("1.项目名称；2.项目地点"));
        // The lead-in stops 2.3 em short of the margin (520): a wrapped marker moved down.
        let pages = vec![vec![
            body_line(
                "责令改正，收回相关资金，并依照《国务院关于加强法治政府",
                700.0,
                515.0,
            ),
            body_line(
                "建设的意见》（国发〔2010〕33号）等有关规定处理：",
                680.0,
                483.0,
            ),
            body_line(
                "（一）以虚报、冒领等手段骗取资金的；（二）截留、挪用资",
                660.0,
                515.0,
            ),
            body_line("金的；（三）擅自改变资金用途的。", 640.0, 330.0),
        ]];
        let texts: Vec<String> = paragraphs(&pages).into_iter().map(|p| p.text).collect();
        assert_eq!(texts.len(), 1, "{texts:?}");
    }

    /// A line of size 10 at baseline `y` made of `cells` (text, left, right).
    fn laid(y: f32, cells: &[(&str, f32, f32)]) -> Line {
        Line {
            text: cells.iter().map(|c| c.0).collect::<Vec<_>>().join("\t"),
            x0: cells[0].1,
            x1: cells[cells.len() - 1].2,
            y,
            size: 10.0,
            cells: cells.len(),
            cell_x: cells.iter().map(|c| (c.1, c.2)).collect(),
            page: 0,
            in_cell: None,
            column: None,
        }
    }

    #[test]
    fn the_main_column_beside_a_sidebar_wraps_at_its_own_margins() {
        // A broker report's first page: the analyst's sidebar on the left, its baselines
        // between those of the main text, whose bulleted items wrap under their text.
        let page = |rule: bool| {
            let mut lines = vec![
                laid(
                    700.0,
                    &[
                        ("证券分析师", 40.0, 90.0),
                        (
                            "\u{F06C} 事件：公司拟与某县人民政府签署项目投资协议书，一期计划",
                            200.0,
                            560.0,
                        ),
                    ],
                ),
                laid(690.0, &[("张三", 40.0, 60.0)]),
                laid(
                    687.0,
                    &[(
                        "建设年产四千万千米金刚线产能，预计一期总投资额约",
                        212.7,
                        560.0,
                    )],
                ),
                laid(677.0, &[("邮箱：zs@example.cn", 40.0, 130.0)]),
                laid(
                    674.0,
                    &[(
                        "6.66亿元；后续项目尚未具体约定，存在较大不确定性。",
                        212.7,
                        460.0,
                    )],
                ),
                laid(664.0, &[("研究助理", 40.0, 80.0)]),
                laid(
                    661.0,
                    &[(
                        "\u{F06C} 顺应下游需求扩张，金刚线产能快速扩产，保证内供外销。光伏",
                        200.0,
                        560.0,
                    )],
                ),
                laid(651.0, &[("李四", 40.0, 60.0)]),
                laid(648.0, &[("金刚线需求提升源于两方面。", 212.7, 330.0)]),
            ];
            // A rule across the gutter between every two rows: a form, each row its own.
            let rules: Vec<[f32; 4]> = if rule {
                [695.0, 682.0, 669.0, 656.0]
                    .iter()
                    .map(|&y| [30.0, y, 570.0, y])
                    .collect()
            } else {
                Vec::new()
            };
            split_columns(&mut lines, [0.0, 0.0, 600.0, 800.0], &rules);
            paragraphs(&[lines])
                .into_iter()
                .map(|p| p.text)
                .collect::<Vec<_>>()
        };
        let texts = page(false);
        assert!(
            texts.contains(&"\u{F06C} 事件：公司拟与某县人民政府签署项目投资协议书，一期计划建设年产四千万千米金刚线产能，预计一期总投资额约6.66亿元；后续项目尚未具体约定，存在较大不确定性。".to_string()),
            "{texts:?}"
        );
        assert!(
            texts.contains(&"\u{F06C} 顺应下游需求扩张，金刚线产能快速扩产，保证内供外销。光伏金刚线需求提升源于两方面。".to_string()),
            "{texts:?}"
        );
        assert!(texts.contains(&"张三".to_string()), "{texts:?}");
        let texts = page(true);
        assert!(
            texts.contains(&"6.66亿元；后续项目尚未具体约定，存在较大不确定性。".to_string()),
            "{texts:?}"
        );
    }

    #[test]
    fn a_form_s_values_in_ruled_rows_beside_their_labels_stay_apart() {
        // A licence form: labels on the left, values on the right, a rule across both under
        // each row. A value run to the column's edge does not run on into the next row's.
        let row = |y: f32, label: &str, value: &str, x1: f32| {
            laid(y, &[(label, 40.0, 150.0), (value, 200.0, x1)])
        };
        let rows = vec![
            row(
                700.0,
                "申请人类型说明文字",
                "普通/残疾人/低保户/下岗失业人员/军烈属/特困户/其他人员类别",
                560.0,
            ),
            row(
                686.0,
                "许可范围及经营方式",
                "卷烟本店零售，雪茄烟本店零售，消费类烟丝本店零售。",
                470.0,
            ),
            row(
                672.0,
                "原许可证状态情况",
                "齐全或遗失或损毁（如有遗失、损毁写明正本或副本）",
                560.0,
            ),
            row(
                658.0,
                "申请延续期限说明",
                "某年某月某日至某年某月某日止，共计三年期限内有效",
                470.0,
            ),
        ];
        let ruled: Vec<[f32; 4]> = [693.0, 679.0, 665.0]
            .iter()
            .map(|&y| [30.0, y, 570.0, y])
            .collect();
        // Ruled, or not: the labels on the values' baselines make it a form all the same.
        for rules in [ruled, Vec::new()] {
            let mut lines = rows.clone();
            split_columns(&mut lines, [0.0, 0.0, 600.0, 800.0], &rules);
            let texts: Vec<String> = paragraphs(&[lines]).into_iter().map(|p| p.text).collect();
            assert!(
                texts.contains(&"卷烟本店零售，雪茄烟本店零售，消费类烟丝本店零售。".to_string()),
                "{texts:?}"
            );
            assert!(
                texts.contains(&"某年某月某日至某年某月某日止，共计三年期限内有效".to_string()),
                "{texts:?}"
            );
        }
        // Values of three full lines each, ruled apart: each row's value wraps in its row,
        // though the rows' edges are the same.
        let mut lines = Vec::new();
        let labels = [
            "经营场所地址说明",
            "经营者身份情况说明",
            "经营者联系方式说明",
            "申请许可范围说明",
        ];
        for (k, label) in labels.iter().enumerate() {
            let y = 700.0 - 42.0 * k as f32;
            let first = format!("第{k}行第一段文字写满整个单元格的宽度没有结束");
            lines.push(laid(y, &[(label, 40.0, 150.0), (&first, 200.0, 560.0)]));
            let second = format!("第{k}行第二段文字也写满整个单元格宽度没有结束");
            lines.push(laid(y - 14.0, &[(&second, 200.0, 560.0)]));
            let third = format!("第{k}行第三段文字也写满整个单元格宽度没有结束");
            lines.push(laid(y - 28.0, &[(&third, 200.0, 560.0)]));
        }
        let rules: Vec<[f32; 4]> = [665.0, 623.0, 581.0]
            .iter()
            .map(|&y| [30.0, y, 570.0, y])
            .collect();
        split_columns(&mut lines, [0.0, 0.0, 600.0, 800.0], &rules);
        let texts: Vec<String> = paragraphs(&[lines]).into_iter().map(|p| p.text).collect();
        assert!(
            texts.iter().any(|t| t.starts_with("第1行第一段")),
            "{texts:?}"
        );
        assert!(
            texts.iter().any(|t| t.starts_with("第0行第一段")
                && t.ends_with("第0行第三段文字也写满整个单元格宽度没有结束")),
            "{texts:?}"
        );
    }

    #[test]
    fn a_page_set_wider_than_the_rest_keeps_its_wrapped_lines_together() {
        // Page 0 is set at a pitch of 20, page 1 at 31: its wraps are no paragraph breaks.
        let page = |n: usize, pitch: f32, texts: &[(&str, f32)]| -> Vec<Line> {
            texts
                .iter()
                .enumerate()
                .map(|(i, &(t, x1))| Line {
                    page: n,
                    ..body_line(t, 700.0 - pitch * i as f32, x1)
                })
                .collect()
        };
        let full = 520.0;
        let pages = vec![
            page(
                0,
                20.0,
                &[
                    ("第一页的正文写到右边距为止，这一行还没有写完整句", full),
                    ("话，下一行接着写完。", 200.0),
                    ("第二段的正文也写到右边距为止，这一行也没有写完整", full),
                    ("句话，下一行接着写完。", 200.0),
                    ("第三段只有一行。", 150.0),
                ],
            ),
            page(
                1,
                31.0,
                &[
                    ("停业期限最长不得超过许可证的有效期，且最长不得超过", full),
                    ("1年。停业期满的，持证人应当及时提出恢复营业申请，", full),
                    ("逾期未提出的按规定处理。", 220.0),
                    ("另起一段的正文写到右边距为止，这一行也没有写完整", full),
                    ("句话。", 120.0),
                ],
            ),
        ];
        let texts: Vec<String> = paragraphs(&pages).into_iter().map(|p| p.text).collect();
        assert_eq!(texts.len(), 5, "{texts:?}");
        assert!(
            texts[3].starts_with("停业期限") && texts[3].ends_with("处理。"),
            "{texts:?}"
        );
    }

    #[test]
    fn text_in_a_size_other_than_the_body_s_wraps_at_its_own_pitch() {
        // A notice in 15.5 pt at a pitch of 30, then an attachment table in 13 pt at a pitch
        // of 16 holding most of the characters: the body size is the table's, and its pitch
        // is no measure of the notice's wraps.
        let full = 520.0;
        let mut lines: Vec<Line> = [
            (
                "各市、县（区）人民政府，平潭综合实验区管委会，省人民政府",
                full,
            ),
            ("各部门、各直属机构：", 300.0),
            ("为深入学习贯彻习近平总书记关于安全生产的重要论述和来", full),
            ("闽考察重要讲话精神，现将有关事项通知如下：", 400.0),
        ]
        .iter()
        .enumerate()
        .map(|(i, &(t, x1))| Line {
            size: 15.5,
            ..body_line(t, 700.0 - 30.0 * i as f32, x1)
        })
        .collect();
        lines.extend((0..20).map(|i| Line {
            size: 13.0,
            ..body_line(
                "表格里的一行字写得很长很长，比正文的行加起来还要多得多。",
                500.0 - 16.0 * i as f32,
                full,
            )
        }));
        let texts: Vec<String> = paragraphs(&[lines]).into_iter().map(|p| p.text).collect();
        assert_eq!(
            texts[0],
            "各市、县（区）人民政府，平潭综合实验区管委会，省人民政府各部门、各直属机构："
        );
        assert_eq!(
            texts[1],
            "为深入学习贯彻习近平总书记关于安全生产的重要论述和来闽考察重要讲话精神，现将有关事项通知如下："
        );
    }

    #[test]
    fn a_paragraph_indented_as_a_whole_wraps_at_its_indent_and_its_list_items_do_not() {
        let full = 520.0;
        // A page of lines (text, right edge), the first two at the margin, the rest at 104.
        let page = |rest: &[(&str, f32)]| -> Vec<Line> {
            let first = [
                ("这一段前面的正文从左边距写到右边距为止，没有写完的话", full),
                ("接着写完。", 200.0),
            ];
            first
                .iter()
                .chain(rest)
                .enumerate()
                .map(|(i, &(t, x1))| {
                    let x0 = if i < 2 { 72.0 } else { 104.0 };
                    Line {
                        x0,
                        cell_x: vec![(x0, x1)],
                        ..body_line(t, 700.0 - 24.0 * i as f32, x1)
                    }
                })
                .collect()
        };
        let paragraph = page(&[
            ("六、公示公开，欢迎监督。办证场所提供办证指南等材", full),
            (
                "料，行政许可决定在服务大厅和福州市烟草专卖局网站",
                full - 4.0,
            ),
            (
                "进行公开。设置举报箱（簿）和监督台，投诉监督电话",
                full - 10.0,
            ),
            ("0591-28209927，欢迎提出宝贵意见。", 300.0),
        ]);
        assert_eq!(texts(paragraph).len(), 2);
        let list = page(&[
            ("7.2026年预算单位国有资本经营预算支出功能分类预算表", full),
            ("8.2026年预算单位一般公共预算基本支出经济分类预算表", full),
            ("方式：供应商登录中国政府采购网免费下载招标文件下载", full),
            ("售价：0元", 180.0),
        ]);
        assert_eq!(texts(list).len(), 5);
    }

    #[test]
    fn a_page_number_set_sideways_is_removed_and_a_column_of_numbers_is_not() {
        let piece = |t: &str, x0: f32, y: f32| Line {
            x0,
            x1: x0 + 14.0,
            cell_x: vec![(x0, x0 + 14.0)],
            ..body_line(t, y, 0.0)
        };
        let row = Line {
            text: "—\t协会，公布工匠名录。".to_string(),
            x0: 33.0,
            x1: 425.0,
            y: 450.0,
            cells: 2,
            cell_x: vec![(33.0, 47.0), (110.0, 425.0)],
            ..body_line("", 0.0, 0.0)
        };
        let body = body_line("附件 1", 490.0, 120.0);
        let landscape = [0.0, 0.0, 842.0, 595.0];
        let mut lines = vec![
            piece("—", 34.0, 500.0),
            body.clone(),
            piece("6", 34.0, 478.0),
            row,
        ];
        remove_side_page_number(&mut lines, landscape);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["附件 1", "协会，公布工匠名录。"]);
        assert_eq!((lines[1].cells, lines[1].x0), (1, 110.0));
        assert_eq!(lines[1].in_cell, Some((110.0, 425.0)));
        // A 序号 column at the edge: 1, 2, 3 is no page number.
        lines = vec![
            piece("1", 34.0, 500.0),
            piece("2", 34.0, 480.0),
            piece("3", 34.0, 460.0),
            body,
        ];
        remove_side_page_number(&mut lines, landscape);
        assert_eq!(lines.len(), 4);
    }

    #[test]
    fn table_of_contents_entries_stay_apart() {
        use crate::structure::is_contents_entry;
        assert!(is_contents_entry("一、部门主要职能……………………"));
        assert!(is_contents_entry("3.2025年部门支出预算总表............ 12"));
        assert!(!is_contents_entry("详见附件……"));
        assert!(!is_contents_entry("1.2"));
        // Both lines reach the right margin (520); without the leader rule they would join.
        let pages = vec![vec![
            body_line("目录", 700.0, 104.0),
            body_line("一、部门主要职能……………………………………", 680.0, 520.0),
            body_line("二、部门机构设置……………………………………", 660.0, 520.0),
            body_line("三、名词解释……………………………………………", 640.0, 520.0),
            body_line("四、部门预算编制说明……………………………………", 620.0, 520.0),
        ]];
        let texts: Vec<String> = paragraphs(&pages).into_iter().map(|p| p.text).collect();
        assert_eq!(texts.len(), 5, "{texts:?}");
    }

    #[test]
    fn the_next_item_after_a_semicolon_at_the_margin_starts_a_paragraph() {
        let lines = vec![
            body_line(
                "1.签订服务合同，委托其提供专业服务，并进行考核及评估；",
                700.0,
                520.0,
            ),
            body_line(
                "2.由区人民调解协会配齐调解员，及时化解矛盾纠纷；",
                672.0,
                520.0,
            ),
            body_line(
                "3.（三）的规定适用于本项，由协会负责组织实施和监督；",
                644.0,
                520.0,
            ),
            body_line("4.其他。", 616.0, 200.0),
        ];
        assert_eq!(
            texts(lines),
            [
                "1.签订服务合同，委托其提供专业服务，并进行考核及评估；",
                "2.由区人民调解协会配齐调解员，及时化解矛盾纠纷；",
                "3.（三）的规定适用于本项，由协会负责组织实施和监督；",
                "4.其他。",
            ]
        );
        // A marker of another list after `；` is a wrapped reference, not the next item.
        let lines = vec![
            body_line(
                "1.签订服务合同，委托其提供专业服务，并进行考核及评估；",
                700.0,
                520.0,
            ),
            body_line("（三）项规定的情形除外。", 672.0, 300.0),
        ];
        assert_eq!(
            texts(lines),
            ["1.签订服务合同，委托其提供专业服务，并进行考核及评估；（三）项规定的情形除外。"]
        );
    }

    #[test]
    fn a_marker_after_a_full_stop_at_the_margin_starts_a_paragraph() {
        // Both middle lines reach the right margin (520): only the marker tells them apart.
        let lines = vec![
            body_line(
                "（四）明确了法律责任。对违反规定的情形规定了相应责任和",
                700.0,
                520.0,
            ),
            body_line(
                "处理办法，对有关单位和人员违反规定的情形规定了责任。",
                672.0,
                520.0,
            ),
            body_line(
                "（五）明确了施行日期。明确了解释机关和施行日期。",
                644.0,
                480.0,
            ),
            body_line(
                "这一行接着上一段落，并且一直写到右边距为止的文字内容。",
                616.0,
                520.0,
            ),
            body_line("第三条 本办法自发布之日起施行，有效期五年。", 588.0, 400.0),
        ];
        assert_eq!(
            texts(lines),
            [
                "（四）明确了法律责任。对违反规定的情形规定了相应责任和处理办法，对有关单位和人员违反规定的情形规定了责任。",
                "（五）明确了施行日期。明确了解释机关和施行日期。",
                "这一行接着上一段落，并且一直写到右边距为止的文字内容。",
                "第三条 本办法自发布之日起施行，有效期五年。",
            ]
        );
        // Without the full stop the marker-like start is a wrapped continuation.
        let lines = vec![
            body_line("依照本办法第十二条、第十三条和", 700.0, 520.0),
            body_line("（一）项的规定执行。", 672.0, 300.0),
            body_line("末行。", 644.0, 120.0),
        ];
        assert_eq!(
            texts(lines)[0],
            "依照本办法第十二条、第十三条和（一）项的规定执行。"
        );
    }
}

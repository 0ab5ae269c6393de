//! The content-stream interpreter: text and graphics state in, positioned glyphs out.
//!
//! In: a page's (or Form XObject's) content bytes and its resources. Out: [`Glyph`]s appended
//! to a [`PageText`], each with its origin and advance in page space, its font size and its
//! Unicode text (a slice of the page's text buffer, so there is no allocation per glyph).
//! What always holds: `q`/`Q` save and restore the whole graphics state including the font;
//! Form XObjects are run recursively with their own resources (depth-bounded, no cycles);
//! inline images are skipped; text covered by a marked-content `/ActualText` is replaced by
//! that text; operators with bad operands are ignored.

use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::font::{Font, FontCache, deref, number};
use super::lexer::Lexer;

/// A 2-D affine matrix `[a b c d e f]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Matrix([f32; 6]);

impl Matrix {
    pub(crate) const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// `self × other` (apply `self` first, then `other`).
    fn then(&self, o: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [oa, ob, oc, od, oe, of] = o.0;
        Matrix([
            a * oa + b * oc,
            a * ob + b * od,
            c * oa + d * oc,
            c * ob + d * od,
            e * oa + f * oc + oe,
            e * ob + f * od + of,
        ])
    }

    fn translate(tx: f32, ty: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, tx, ty])
    }

    fn from_operands(ops: &[Object]) -> Option<Matrix> {
        if ops.len() < 6 {
            return None;
        }
        let mut m = [0.0; 6];
        for (slot, o) in m.iter_mut().zip(ops) {
            *slot = number(o)?;
        }
        Some(Matrix(m))
    }
}

/// One shown glyph, in page space (PDF user space of the page: y grows upwards).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Glyph {
    pub(crate) x: f32,
    pub(crate) y: f32,
    /// Advance width (≥ 0).
    pub(crate) w: f32,
    /// Effective font size (height of an em).
    pub(crate) size: f32,
    /// Byte range of its text in [`PageText::text`].
    pub(crate) start: u32,
    pub(crate) end: u32,
}

/// The glyphs of one page.
#[derive(Debug, Default)]
pub(crate) struct PageText {
    pub(crate) text: String,
    pub(crate) glyphs: Vec<Glyph>,
    /// Page box `[x0, y0, x1, y1]`, in the upright frame of the page's main text direction
    /// once [`PageText::finish`] ran.
    pub(crate) media: [f32; 4],
    /// Glyph count per text direction (0°, 90°, 180°, 270°).
    pub(crate) dirs: [usize; 4],
    /// Stroked or filled straight segments `(x0, y0, x1, y1)` (table rules, cell borders);
    /// after [`PageText::finish`], only the horizontal ones, in the upright frame.
    pub(crate) rules: Vec<[f32; 4]>,
    /// The vertical segments `(x, y0, x, y1)` (cell borders), upright, after `finish`: the
    /// first [`PageText::visible_vrules`] drawn in a colour that shows, then those painted
    /// white (the edges of a spreadsheet's white cell backgrounds, which still part cells).
    pub(crate) vrules: Vec<[f32; 4]>,
    pub(crate) visible_vrules: usize,
    /// Segments painted white, before `finish` sorts them in with the others.
    pub(crate) hidden_rules: Vec<[f32; 4]>,
}

/// Most path segments kept per page.
const MAX_RULES: usize = 20_000;

/// A point in the upright frame of text running in direction `dir` (quarter turns).
fn upright(dir: usize, x: f32, y: f32) -> (f32, f32) {
    match dir {
        1 => (y, -x),
        2 => (-x, -y),
        3 => (-y, x),
        _ => (x, y),
    }
}

impl PageText {
    /// Turn the page box into the frame of the page's main text direction.
    pub(crate) fn finish(&mut self) {
        let dir = (0..4).max_by_key(|&d| self.dirs[d]).unwrap_or(0);
        let [x0, y0, x1, y1] = self.media;
        let (ax, ay) = upright(dir, x0, y0);
        let (bx, by) = upright(dir, x1, y1);
        self.media = [ax.min(bx), ay.min(by), ax.max(bx), ay.max(by)];
        let mut horizontal = Vec::new();
        let hidden = std::mem::take(&mut self.hidden_rules);
        for (k, &[x0, y0, x1, y1]) in self.rules.iter().chain(&hidden).enumerate() {
            if k == self.rules.len() {
                self.visible_vrules = self.vrules.len();
            }
            let (ax, ay) = upright(dir, x0, y0);
            let (bx, by) = upright(dir, x1, y1);
            if (ay - by).abs() < 1.0 && (ax - bx).abs() > 2.0 {
                horizontal.push([ax.min(bx), (ay + by) / 2.0, ax.max(bx), (ay + by) / 2.0]);
            } else if (ax - bx).abs() < 1.0 && (ay - by).abs() > 2.0 {
                self.vrules
                    .push([(ax + bx) / 2.0, ay.min(by), (ax + bx) / 2.0, ay.max(by)]);
            }
        }
        if hidden.is_empty() {
            self.visible_vrules = self.vrules.len();
        }
        self.rules = horizontal;
    }

    pub(crate) fn glyph_text(&self, g: &Glyph) -> &str {
        self.text
            .get(g.start as usize..g.end as usize)
            .unwrap_or("")
    }
}

#[derive(Clone)]
struct TextState {
    font: Option<Rc<Font>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    scale: f32,
    leading: f32,
    rise: f32,
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    text: TextState,
    /// Whether the stroking and the filling colour are white: paint that does not show on
    /// the page (a spreadsheet's white cell backgrounds), whose edges are no rules.
    stroke_white: bool,
    fill_white: bool,
}

/// Whether colour operands (gray, RGB or CMYK, by their count) give white; a colour given by
/// a pattern name or in another space is taken as showing.
fn is_white(ops: &[Object]) -> bool {
    let values: Option<Vec<f32>> = ops.iter().map(number).collect();
    match values.as_deref() {
        Some([gray]) => *gray >= WHITE,
        Some([r, g, b]) => [r, g, b].iter().all(|&&c| c >= WHITE),
        Some([c, m, y, k]) => [c, m, y, k].iter().all(|&&v| v <= 1.0 - WHITE),
        _ => false,
    }
}

/// A white box spanning at least this share of the page's width (or height) has the page's
/// margins for sides: see [`Interpreter::drop_margins`].
const MARGIN_BOX: f32 = 0.6;

/// A colour component at least this light (in 0–1) is white.
const WHITE: f32 = 0.99;

/// Limits and bookkeeping shared by all the streams of one document.
pub(crate) struct Budget {
    /// Bytes that content streams may still inflate to.
    pub(crate) inflate_left: u64,
    pub(crate) max_stream: usize,
    pub(crate) truncated: bool,
    /// Glyphs that may still be collected (bounds memory on hostile content streams).
    pub(crate) glyphs_left: usize,
    /// Set when glyphs were dropped because `glyphs_left` ran out.
    pub(crate) glyphs_cut: bool,
    /// Set when a page drew more than [`MAX_FORMS_PER_PAGE`] Form XObjects.
    pub(crate) forms_cut: bool,
}

impl Budget {
    /// Decode a content stream within the budget; `None` when it cannot be decoded.
    pub(crate) fn decode(&mut self, stream: &lopdf::Stream) -> Option<Vec<u8>> {
        let limit = (self.max_stream as u64).min(self.inflate_left) as usize;
        let data = if stream.filters().map(|f| f.is_empty()).unwrap_or(true) {
            let c = &stream.content;
            if c.len() > limit {
                self.truncated = true;
                return None;
            }
            c.clone()
        } else {
            match stream.decompressed_content_with_limit(limit) {
                Ok(d) => d,
                Err(_) => {
                    self.truncated = true;
                    return None;
                }
            }
        };
        self.inflate_left = self.inflate_left.saturating_sub(data.len() as u64);
        Some(data)
    }
}

struct Marked {
    /// `Some` for a marked-content sequence with `/ActualText`: the text, until emitted.
    actual: Option<Option<String>>,
}

/// Runs content streams of one page.
pub(crate) struct Interpreter<'a> {
    doc: &'a Document,
    fonts: &'a mut FontCache,
    budget: &'a mut Budget,
    out: &'a mut PageText,
    stack: Vec<GState>,
    gs: GState,
    tm: Matrix,
    tlm: Matrix,
    marked: Vec<Marked>,
    forms: Vec<ObjectId>,
    /// Form XObjects drawn on this page so far, nested ones included.
    forms_drawn: usize,
    /// Segments of the path being built, in page space.
    path: Vec<[f32; 4]>,
    /// Where each rectangle (`re`) of the path starts in [`Interpreter::path`]: its four
    /// sides follow.
    boxes: Vec<usize>,
    /// Current point and start of the current subpath, in user space.
    point: (f32, f32),
    pub(crate) unmapped_fonts: Vec<String>,
    /// Fonts read through their embedded cmap table.
    pub(crate) fallback_fonts: Vec<String>,
    /// Fonts already selected on this page, by resource dictionary (its address: the document
    /// does not change while a page is read) and name. A page switches between a few fonts
    /// at every `Tf`; two dictionary lookups, a reference and the font cache's hash cost more
    /// than a scan of this list.
    selected: Vec<Selected>,
}

/// A font selected by name from a resource dictionary.
struct Selected {
    resources: *const Dictionary,
    name: Vec<u8>,
    font: Option<Rc<Font>>,
}

const MAX_FORM_DEPTH: usize = 12;
/// Form XObjects one page may draw: forms that each draw the next many times would otherwise
/// make a few kilobytes run for hours (ten draws a level, twelve levels: 10^12 draws).
pub(crate) const MAX_FORMS_PER_PAGE: usize = 1000;
const MAX_STACK: usize = 256;
/// Fonts [`Interpreter::selected`] remembers; a page naming more is looked up the long way.
const MAX_SELECTED: usize = 64;

impl<'a> Interpreter<'a> {
    pub(crate) fn new(
        doc: &'a Document,
        fonts: &'a mut FontCache,
        budget: &'a mut Budget,
        out: &'a mut PageText,
    ) -> Self {
        Interpreter {
            doc,
            fonts,
            budget,
            out,
            stack: Vec::new(),
            gs: GState {
                ctm: Matrix::IDENTITY,
                text: TextState {
                    font: None,
                    size: 0.0,
                    char_spacing: 0.0,
                    word_spacing: 0.0,
                    scale: 1.0,
                    leading: 0.0,
                    rise: 0.0,
                },
                stroke_white: false,
                fill_white: false,
            },
            tm: Matrix::IDENTITY,
            tlm: Matrix::IDENTITY,
            marked: Vec::new(),
            forms: Vec::new(),
            forms_drawn: 0,
            path: Vec::new(),
            boxes: Vec::new(),
            point: (0.0, 0.0),
            unmapped_fonts: Vec::new(),
            fallback_fonts: Vec::new(),
            selected: Vec::new(),
        }
    }

    /// Run one content stream with the given resources.
    pub(crate) fn run(&mut self, content: &[u8], resources: Option<&Dictionary>) {
        let mut lexer = Lexer::new(content);
        let mut operands = Vec::new();
        while let Some(op) = lexer.next_op(&mut operands) {
            self.op(op, &operands, resources);
        }
    }

    fn op(&mut self, operator: &[u8], ops: &[Object], resources: Option<&Dictionary>) {
        let num = |i: usize| ops.get(i).and_then(number);
        match operator {
            b"q" if self.stack.len() < MAX_STACK => self.stack.push(self.gs.clone()),
            b"Q" => {
                if let Some(gs) = self.stack.pop() {
                    self.gs = gs;
                }
            }
            b"cm" => {
                if let Some(m) = Matrix::from_operands(ops) {
                    self.gs.ctm = m.then(&self.gs.ctm);
                }
            }
            b"BT" => {
                self.tm = Matrix::IDENTITY;
                self.tlm = Matrix::IDENTITY;
            }
            b"ET" => {}
            b"Tf" => {
                if let (Some(Object::Name(name)), Some(size)) = (ops.first(), num(1)) {
                    self.gs.text.size = size;
                    self.gs.text.font = self.font(resources, name);
                }
            }
            b"Tc" => self.gs.text.char_spacing = num(0).unwrap_or(0.0),
            b"Tw" => self.gs.text.word_spacing = num(0).unwrap_or(0.0),
            b"Tz" => self.gs.text.scale = num(0).unwrap_or(100.0) / 100.0,
            b"TL" => self.gs.text.leading = num(0).unwrap_or(0.0),
            b"Ts" => self.gs.text.rise = num(0).unwrap_or(0.0),
            b"Td" => {
                if let (Some(tx), Some(ty)) = (num(0), num(1)) {
                    self.next_line(tx, ty);
                }
            }
            b"TD" => {
                if let (Some(tx), Some(ty)) = (num(0), num(1)) {
                    self.gs.text.leading = -ty;
                    self.next_line(tx, ty);
                }
            }
            b"Tm" => {
                if let Some(m) = Matrix::from_operands(ops) {
                    self.tm = m;
                    self.tlm = m;
                }
            }
            b"T*" => self.next_line(0.0, -self.gs.text.leading),
            b"Tj" => {
                if let Some(Object::String(s, _)) = ops.first() {
                    self.show(s);
                }
            }
            b"'" => {
                self.next_line(0.0, -self.gs.text.leading);
                if let Some(Object::String(s, _)) = ops.first() {
                    self.show(s);
                }
            }
            b"\"" => {
                self.gs.text.word_spacing = num(0).unwrap_or(0.0);
                self.gs.text.char_spacing = num(1).unwrap_or(0.0);
                self.next_line(0.0, -self.gs.text.leading);
                if let Some(Object::String(s, _)) = ops.get(2) {
                    self.show(s);
                }
            }
            b"TJ" => {
                if let Some(Object::Array(items)) = ops.first() {
                    for item in items {
                        match item {
                            Object::String(s, _) => self.show(s),
                            other => {
                                if let Some(n) = number(other) {
                                    let t = &self.gs.text;
                                    let tx = -n / 1000.0 * t.size * t.scale;
                                    self.advance(tx);
                                }
                            }
                        }
                    }
                }
            }
            b"m" => {
                if let (Some(x), Some(y)) = (num(0), num(1)) {
                    self.point = (x, y);
                }
            }
            b"l" => {
                if let (Some(x), Some(y)) = (num(0), num(1)) {
                    let (x0, y0) = self.point;
                    self.segment(x0, y0, x, y);
                    self.point = (x, y);
                }
            }
            b"re" => {
                if let (Some(x), Some(y), Some(w), Some(h)) = (num(0), num(1), num(2), num(3)) {
                    if self.path.len() + 4 <= MAX_RULES {
                        self.boxes.push(self.path.len());
                    }
                    self.segment(x, y, x + w, y);
                    self.segment(x, y + h, x + w, y + h);
                    self.segment(x, y, x, y + h);
                    self.segment(x + w, y, x + w, y + h);
                }
            }
            b"g" | b"rg" | b"k" | b"sc" | b"scn" => self.gs.fill_white = is_white(ops),
            b"G" | b"RG" | b"K" | b"SC" | b"SCN" => self.gs.stroke_white = is_white(ops),
            // A new colour space starts at its initial colour (black, or none shown yet).
            b"cs" => self.gs.fill_white = false,
            b"CS" => self.gs.stroke_white = false,
            b"S" | b"s" | b"f" | b"F" | b"f*" | b"B" | b"B*" | b"b" | b"b*" => {
                let unseen = match operator {
                    b"S" | b"s" => self.gs.stroke_white,
                    b"f" | b"F" | b"f*" => self.gs.fill_white,
                    _ => self.gs.stroke_white && self.gs.fill_white,
                };
                if unseen {
                    self.drop_margins();
                }
                let room =
                    MAX_RULES.saturating_sub(self.out.rules.len() + self.out.hidden_rules.len());
                let n = self.path.len().min(room);
                let rules = if unseen {
                    &mut self.out.hidden_rules
                } else {
                    &mut self.out.rules
                };
                rules.extend(self.path.drain(..n).filter(|s| !s[0].is_nan()));
                self.path.clear();
                self.boxes.clear();
            }
            b"n" => {
                self.path.clear();
                self.boxes.clear();
            }
            b"Do" => {
                if let Some(Object::Name(name)) = ops.first() {
                    self.form(resources, name);
                }
            }
            b"BDC" | b"BMC" => {
                let actual = if operator == b"BDC" {
                    self.actual_text(resources, ops.get(1))
                } else {
                    None
                };
                if self.marked.len() < MAX_STACK {
                    self.marked.push(Marked {
                        actual: actual.map(Some),
                    });
                }
            }
            b"EMC" => {
                self.marked.pop();
            }
            _ => {}
        }
    }

    /// Blank out (with NaN) the sides of the white boxes in the path that span most of the
    /// page: a page's white background, or the white band behind a line of text, whose
    /// sides are the page's margins and part no cells. A white box the size of a cell (a
    /// spreadsheet's cell background) keeps its sides.
    fn drop_margins(&mut self) {
        let [x0, y0, x1, y1] = self.out.media;
        let (page_w, page_h) = ((x1 - x0).abs(), (y1 - y0).abs());
        for &at in &self.boxes {
            let Some(sides) = self.path.get_mut(at..at + 4) else {
                continue;
            };
            let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
            for s in sides.iter() {
                for (k, v) in [s[0], s[1], s[2], s[3]].into_iter().enumerate() {
                    lo[k % 2] = lo[k % 2].min(v);
                    hi[k % 2] = hi[k % 2].max(v);
                }
            }
            let wide = hi[0] - lo[0] >= MARGIN_BOX * page_w;
            let tall = hi[1] - lo[1] >= MARGIN_BOX * page_h;
            for side in sides.iter_mut() {
                let vertical = (side[0] - side[2]).abs() < 1.0;
                let horizontal = (side[1] - side[3]).abs() < 1.0;
                if (wide && (tall || vertical)) || (tall && horizontal) {
                    side[0] = f32::NAN;
                }
            }
        }
    }

    fn segment(&mut self, x0: f32, y0: f32, x1: f32, y1: f32) {
        if self.path.len() >= MAX_RULES {
            return;
        }
        let [a, b, c, d, e, f] = self.gs.ctm.0;
        let p = |x: f32, y: f32| (a * x + c * y + e, b * x + d * y + f);
        let ((px, py), (qx, qy)) = (p(x0, y0), p(x1, y1));
        self.path.push([px, py, qx, qy]);
    }

    fn next_line(&mut self, tx: f32, ty: f32) {
        self.tlm = Matrix::translate(tx, ty).then(&self.tlm);
        self.tm = self.tlm;
    }

    fn advance(&mut self, tx: f32) {
        if self.gs.text.font.as_ref().is_some_and(|f| f.vertical) {
            self.tm = Matrix::translate(0.0, -tx).then(&self.tm);
        } else {
            self.tm = Matrix::translate(tx, 0.0).then(&self.tm);
        }
    }

    fn font(&mut self, resources: Option<&Dictionary>, name: &[u8]) -> Option<Rc<Font>> {
        let resources = resources?;
        let key: *const Dictionary = resources;
        let font = match self
            .selected
            .iter()
            .find(|s| std::ptr::eq(s.resources, key) && s.name == name)
        {
            Some(s) => s.font.clone(),
            None => {
                let font = self.lookup_font(resources, name);
                if self.selected.len() < MAX_SELECTED {
                    self.selected.push(Selected {
                        resources: key,
                        name: name.to_vec(),
                        font: font.clone(),
                    });
                }
                font
            }
        }?;
        if font.unmapped && !self.unmapped_fonts.contains(&font.name) {
            self.unmapped_fonts.push(font.name.clone());
        }
        if font.uses_embedded_cmap() && !self.fallback_fonts.contains(&font.name) {
            self.fallback_fonts.push(font.name.clone());
        }
        Some(font)
    }

    /// The font a `/Font` resource names, parsed through the document's font cache.
    fn lookup_font(&mut self, resources: &Dictionary, name: &[u8]) -> Option<Rc<Font>> {
        let fonts = resources.get(b"Font").ok().map(|o| deref(self.doc, o))?;
        let entry = fonts.as_dict().ok()?.get(name).ok()?;
        self.fonts.get(self.doc, entry)
    }

    fn actual_text(
        &self,
        resources: Option<&Dictionary>,
        props: Option<&Object>,
    ) -> Option<String> {
        let dict = match props? {
            Object::Dictionary(d) => d,
            Object::Name(n) => {
                let p = resources?
                    .get(b"Properties")
                    .ok()
                    .map(|o| deref(self.doc, o))?;
                deref(self.doc, p.as_dict().ok()?.get(n).ok()?)
                    .as_dict()
                    .ok()?
            }
            _ => return None,
        };
        match deref(self.doc, dict.get(b"ActualText").ok()?) {
            Object::String(s, _) => Some(
                lopdf::decode_text_string(&Object::String(s.clone(), lopdf::StringFormat::Literal))
                    .ok()?,
            ),
            _ => None,
        }
    }

    fn show(&mut self, bytes: &[u8]) {
        let Some(font) = self.gs.text.font.clone() else {
            return;
        };
        if self.budget.glyphs_left < bytes.len() {
            self.budget.glyphs_cut = true;
            return;
        }
        self.budget.glyphs_left -= bytes.len();
        let t = self.gs.text.clone();
        let actual = self.marked.iter_mut().rev().find_map(|m| m.actual.as_mut());
        let mut actual_text = actual.map(|a| a.take());
        let mut pos = 0;
        while pos < bytes.len() {
            let start = self.out.text.len();
            let code = font.next_code(&bytes[pos..], &mut self.out.text);
            pos += code.len.max(1);
            if let Some(pending) = actual_text.as_mut() {
                // Inside /ActualText: the replacement text goes with the first glyph, the
                // glyphs' own text is dropped.
                self.out.text.truncate(start);
                if let Some(text) = pending.take() {
                    self.out.text.push_str(&text);
                }
            }
            let end = self.out.text.len();
            let trm = Matrix([t.size * t.scale, 0.0, 0.0, t.size, 0.0, t.rise])
                .then(&self.tm)
                .then(&self.gs.ctm);
            let [a, b, c, d, e, f] = trm.0;
            let size = (c * c + d * d).sqrt();
            // Rotated text is read in its own upright frame: 90° steps by the direction of the
            // text's x axis.
            let dir = if a.abs() >= b.abs() {
                if a >= 0.0 { 0 } else { 2 }
            } else if b > 0.0 {
                1
            } else {
                3
            };
            // Vertical writing (Identity-V, …-V CMaps): glyphs advance down the page, so a
            // column is read as a line, columns from right to left.
            let dir = if font.vertical { (dir + 3) % 4 } else { dir };
            // Text outside the page box is not shown.
            let [x0, y0, x1, y1] = self.out.media;
            let slack = size.max(1.0);
            let shown = e >= x0 - slack && e <= x1 + slack && f >= y0 - slack && f <= y1 + slack;
            let (e, f) = upright(dir, e, f);
            self.out.dirs[dir] += 1;
            let hscale = (a * a + b * b).sqrt();
            // Vertical glyphs advance by one em (the default vertical metrics).
            let w = if font.vertical {
                size
            } else {
                code.width * hscale
            };
            if !shown {
                self.out.text.truncate(start);
            } else if end > start || w > 0.0 {
                self.out.glyphs.push(Glyph {
                    x: e,
                    y: f,
                    w,
                    size,
                    start: start as u32,
                    end: end as u32,
                });
            }
            let mut tx = code.width * t.size + t.char_spacing;
            if code.is_space {
                tx += t.word_spacing;
            }
            self.advance(tx * t.scale);
        }
    }

    fn form(&mut self, resources: Option<&Dictionary>, name: &[u8]) {
        let Some(xobjects) = resources
            .and_then(|r| r.get(b"XObject").ok())
            .map(|o| deref(self.doc, o))
            .and_then(|o| o.as_dict().ok())
        else {
            return;
        };
        let Ok(Object::Reference(id)) = xobjects.get(name) else {
            return;
        };
        if self.forms.len() >= MAX_FORM_DEPTH || self.forms.contains(id) {
            return;
        }
        if self.forms_drawn >= MAX_FORMS_PER_PAGE {
            self.budget.forms_cut = true;
            return;
        }
        self.forms_drawn += 1;
        let Ok(Object::Stream(stream)) = self.doc.get_object(*id) else {
            return;
        };
        if !matches!(stream.dict.get(b"Subtype"), Ok(Object::Name(n)) if n == b"Form") {
            return;
        }
        let Some(data) = self.budget.decode(stream) else {
            return;
        };
        let own = stream
            .dict
            .get(b"Resources")
            .ok()
            .map(|o| deref(self.doc, o))
            .and_then(|o| o.as_dict().ok());
        let saved = (self.gs.clone(), self.tm, self.tlm, self.stack.len());
        if let Some(m) = stream
            .dict
            .get(b"Matrix")
            .ok()
            .and_then(|o| o.as_array().ok())
            .and_then(|a| Matrix::from_operands(a))
        {
            self.gs.ctm = m.then(&self.gs.ctm);
        }
        self.forms.push(*id);
        self.run(&data, own.or(resources));
        self.forms.pop();
        self.stack.truncate(saved.3);
        self.gs = saved.0;
        self.tm = saved.1;
        self.tlm = saved.2;
    }
}

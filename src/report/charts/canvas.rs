//! Shared drawing kit: fonts, palette, text hygiene and measuring, primitives, legend, title.
//!
//! Everything is drawn in whole pixels on plotters' root drawing area, so the charts control
//! their own layout instead of fighting plotters' chart builder over label space.

use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(super) const FONT_REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
pub(super) const FONT_BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Okabe–Ito: distinguishable under the common colour-vision deficiencies.
pub(super) const PALETTE: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x00, 0x00, 0x00),
];

/// Background, and the halo around markers.
pub(super) const PAPER: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
pub(super) const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub(super) const MUTED: RGBColor = RGBColor(0x66, 0x66, 0x66);
pub(super) const AXIS: RGBColor = RGBColor(0x44, 0x44, 0x44);
pub(super) const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
pub(super) const NO_DATA_FILL: RGBColor = RGBColor(0xF0, 0xF0, 0xF0);
pub(super) const NO_DATA_HATCH: RGBColor = RGBColor(0xC4, 0xC4, 0xC4);

pub(super) const MARGIN: i32 = 24;
pub(super) const TITLE_PX: f64 = 18.0;
pub(super) const LABEL_PX: f64 = 12.0;
pub(super) const TICK_PX: f64 = 11.0;
pub(super) const SMALL_PX: f64 = 10.0;
/// Axis, row and category labels longer than this are cut with an ellipsis.
pub(super) const LABEL_CHARS: usize = 24;
/// Legend entries have more room than axis labels ("Upper-middle income average" must fit).
pub(super) const LEGEND_CHARS: usize = 32;

/// Plotters writes `font-size = size / 1.24` into the SVG; this undoes it so sizes here are pixels.
const PLOTTERS_FONT_SCALE: f64 = 1.24;
/// ab_glyph scales by ascender − descender (hhea 1901 + 483 units for DejaVu Sans), while SVG
/// scales by the em (2048 units): turns plotters' width estimate at size `s` into the advance
/// width at font-size `s`.
const EM_PER_HEIGHT: f64 = 2384.0 / 2048.0;

static FONTS: Once = Once::new();

/// Plotters only measures text in fonts it has been given; registration is global, so do it once.
pub(super) fn ensure_fonts() {
    FONTS.call_once(|| {
        // A bad embedded font would show up in every test; measuring then falls back to estimates.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT_REGULAR);
        let _ = plotters::style::register_font("sans-serif", FontStyle::Bold, FONT_BOLD);
    });
}

/// Characters XML 1.0 cannot carry, and layout-breaking controls, become spaces; plotters'
/// SVG backend already escapes `<`, `>`, `&` and quotes, so the text must not be escaped twice.
pub(super) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bad = c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}');
        out.push(if bad { ' ' } else { c });
    }
    let trimmed = out.trim();
    if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_string()
    }
}

/// Cleans and cuts a label to at most `max_chars` characters, the last one being "…".
pub(super) fn label(text: &str, max_chars: usize) -> String {
    let text = clean(text);
    if text.chars().count() <= max_chars {
        return text;
    }
    let mut cut: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

fn font(px: f64, bold: bool) -> FontDesc<'static> {
    ensure_fonts();
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    FontDesc::new(FontFamily::SansSerif, px * PLOTTERS_FONT_SCALE, style)
}

/// Width in pixels of `text` drawn at font-size `px`.
pub(super) fn text_width(text: &str, px: f64, bold: bool) -> f64 {
    // Measured at a large size so plotters' integer rounding does not matter.
    const PROBE: f64 = 100.0;
    ensure_fonts();
    let probe = FontDesc::new(
        FontFamily::SansSerif,
        PROBE,
        if bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        },
    );
    match probe.box_size(text) {
        Ok((w, _)) => f64::from(w) * EM_PER_HEIGHT * px / PROBE,
        // Without the font, DejaVu Sans averages a little over half an em per character.
        Err(_) => text.chars().count() as f64 * px * 0.6,
    }
}

/// Cuts `text` with "…" until it is at most `max_w` pixels wide.
pub(super) fn fit(text: &str, px: f64, bold: bool, max_w: f64) -> String {
    if text_width(text, px, bold) <= max_w {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    // Binary search on the kept prefix: the width is monotone in it.
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>() + "…";
        if text_width(&candidate, px, bold) <= max_w {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let mut cut: String = chars[..lo].iter().collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// Relative luminance (WCAG 2) of an sRGB colour.
fn luminance(c: RGBColor) -> f64 {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// Black or white, whichever contrasts more with `bg`.
pub(super) fn ink_on(bg: RGBColor) -> RGBColor {
    let l = luminance(bg);
    let on_white = 1.05 / (l + 0.05);
    let on_black = (l + 0.05) / 0.05;
    if on_black >= on_white {
        RGBColor(0, 0, 0)
    } else {
        PAPER
    }
}

/// Horizontal anchor of a text, paired with its vertical anchor.
#[derive(Clone, Copy)]
pub(super) struct Anchor(pub HPos, pub VPos);

pub(super) const TOP_LEFT: Anchor = Anchor(HPos::Left, VPos::Top);
pub(super) const CENTER: Anchor = Anchor(HPos::Center, VPos::Center);

/// Point marker shapes, so series stay apart without colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Marker {
    Circle,
    Square,
    TriangleUp,
    Diamond,
    TriangleDown,
    Star,
    Hexagon,
    Plus,
}

const MARKERS: [Marker; 8] = [
    Marker::Circle,
    Marker::Square,
    Marker::TriangleUp,
    Marker::Diamond,
    Marker::TriangleDown,
    Marker::Star,
    Marker::Hexagon,
    Marker::Plus,
];

/// Colour of series `i`; past eight series the palette repeats but the marker does not line up.
pub(super) fn series_color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Marker of series `i`.
pub(super) fn series_marker(i: usize) -> Marker {
    // Offset by the palette cycle so series 0 and 8 share a colour but not a shape.
    MARKERS[(i + i / PALETTE.len()) % MARKERS.len()]
}

/// Drawing failed inside plotters; with a string target this only happens on a plotters bug.
#[derive(Debug)]
pub(super) struct DrawError;

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for DrawError {
    fn from(_: DrawingAreaErrorKind<E>) -> Self {
        DrawError
    }
}

pub(super) type Drawn = Result<(), DrawError>;

/// The root drawing area with pixel-coordinate helpers.
pub(super) struct Canvas<'a> {
    area: DrawingArea<SVGBackend<'a>, Shift>,
}

fn rgba(c: RGBColor, alpha: f64) -> RGBAColor {
    c.mix(alpha)
}

impl Canvas<'_> {
    pub(super) fn text(
        &self,
        s: &str,
        at: (i32, i32),
        px: f64,
        bold: bool,
        color: RGBColor,
        anchor: Anchor,
    ) -> Drawn {
        self.text_styled(s, at, px, bold, color, anchor, FontTransform::None)
    }

    /// Text reading bottom-to-top; the anchor is in the text's own (rotated) frame.
    pub(super) fn text_up(
        &self,
        s: &str,
        at: (i32, i32),
        px: f64,
        color: RGBColor,
        anchor: Anchor,
    ) -> Drawn {
        self.text_styled(s, at, px, false, color, anchor, FontTransform::Rotate270)
    }

    #[allow(clippy::too_many_arguments)]
    fn text_styled(
        &self,
        s: &str,
        at: (i32, i32),
        px: f64,
        bold: bool,
        color: RGBColor,
        anchor: Anchor,
        transform: FontTransform,
    ) -> Drawn {
        if s.is_empty() {
            return Ok(());
        }
        let style = TextStyle {
            font: font(px, bold).transform(transform),
            color: color.to_backend_color(),
            pos: Pos::new(anchor.0, anchor.1),
        };
        self.area.draw(&Text::new(s, at, style))?;
        Ok(())
    }

    pub(super) fn rect(
        &self,
        (x0, y0): (i32, i32),
        (x1, y1): (i32, i32),
        color: RGBAColor,
        filled: bool,
    ) -> Drawn {
        let style = ShapeStyle {
            color,
            filled,
            stroke_width: 1,
        };
        self.area
            .draw(&Rectangle::new([(x0, y0), (x1, y1)], style))?;
        Ok(())
    }

    pub(super) fn fill_rect(&self, a: (i32, i32), b: (i32, i32), color: RGBColor) -> Drawn {
        self.rect(a, b, rgba(color, 1.0), true)
    }

    pub(super) fn line(&self, points: &[(i32, i32)], color: RGBColor, width: u32) -> Drawn {
        if points.len() < 2 {
            return Ok(());
        }
        let style = ShapeStyle {
            color: rgba(color, 1.0),
            filled: false,
            stroke_width: width,
        };
        self.area.draw(&PathElement::new(points.to_vec(), style))?;
        Ok(())
    }

    pub(super) fn dashed(
        &self,
        points: &[(i32, i32)],
        color: RGBColor,
        width: u32,
        dash: (i32, i32),
    ) -> Drawn {
        if points.len() < 2 {
            return Ok(());
        }
        let style = ShapeStyle {
            color: rgba(color, 1.0),
            filled: false,
            stroke_width: width,
        };
        self.area.draw(&plotters::element::DashedPathElement::new(
            points.iter().copied(),
            dash.0,
            dash.1,
            style,
        ))?;
        Ok(())
    }

    pub(super) fn polygon(&self, points: &[(i32, i32)], color: RGBAColor) -> Drawn {
        if points.len() < 3 {
            return Ok(());
        }
        self.area
            .draw(&Polygon::new(points.to_vec(), color.filled()))?;
        Ok(())
    }

    /// A marker of `radius` pixels with a white halo, so it reads over lines and fills.
    pub(super) fn marker(
        &self,
        shape: Marker,
        at: (i32, i32),
        radius: i32,
        color: RGBColor,
    ) -> Drawn {
        self.marker_shape(shape, at, radius + 2, PAPER)?;
        self.marker_shape(shape, at, radius, color)
    }

    fn marker_shape(&self, shape: Marker, (x, y): (i32, i32), r: i32, color: RGBColor) -> Drawn {
        let fill = rgba(color, 1.0).filled();
        let regular = |n: usize, start_deg: f64, radius: f64| -> Vec<(i32, i32)> {
            (0..n)
                .map(|k| {
                    let a = (start_deg + 360.0 * k as f64 / n as f64).to_radians();
                    (
                        x + (radius * a.cos()).round() as i32,
                        y + (radius * a.sin()).round() as i32,
                    )
                })
                .collect()
        };
        let rf = f64::from(r);
        match shape {
            Marker::Circle => {
                self.area
                    .draw(&Circle::new((x, y), r.max(1) as u32, fill))?;
                return Ok(());
            }
            Marker::Square => {
                let h = (rf * 0.9).round() as i32;
                return self.rect((x - h, y - h), (x + h, y + h), rgba(color, 1.0), true);
            }
            Marker::TriangleUp => self.polygon(&regular(3, -90.0, rf * 1.2), fill.color)?,
            Marker::TriangleDown => self.polygon(&regular(3, 90.0, rf * 1.2), fill.color)?,
            Marker::Diamond => self.polygon(&regular(4, -90.0, rf * 1.2), fill.color)?,
            Marker::Hexagon => self.polygon(&regular(6, 0.0, rf * 1.05), fill.color)?,
            Marker::Star => {
                let outer = regular(5, -90.0, rf * 1.3);
                let inner = regular(5, -54.0, rf * 0.6);
                let star: Vec<_> = outer
                    .iter()
                    .zip(&inner)
                    .flat_map(|(o, i)| [*o, *i])
                    .collect();
                self.polygon(&star, fill.color)?;
            }
            Marker::Plus => {
                let t = (rf * 0.4).round().max(1.0) as i32;
                self.rect((x - r, y - t), (x + r, y + t), rgba(color, 1.0), true)?;
                self.rect((x - t, y - r), (x + t, y + r), rgba(color, 1.0), true)?;
            }
        }
        Ok(())
    }

    /// Light grey cell with diagonal hatching: "no data" that cannot be mistaken for a colour.
    pub(super) fn hatched(&self, (x0, y0): (i32, i32), (x1, y1): (i32, i32)) -> Drawn {
        self.fill_rect((x0, y0), (x1, y1), NO_DATA_FILL)?;
        let (w, h) = (x1 - x0, y1 - y0);
        const STEP: i32 = 6;
        // One zigzag polyline instead of a line per stroke: a heatmap with many gaps otherwise
        // costs resvg thousands of tiny paths. Strokes are x - x0 = k + t, y = y1 - t, clipped
        // to the cell; consecutive strokes join along the border, turning at its corners.
        let mut path: Vec<(i32, i32)> = Vec::with_capacity(2 * ((w + h) / STEP + 2) as usize);
        let mut k = -h + STEP / 2;
        let mut upward = true;
        while k < w {
            let (t0, t1) = ((-k).max(0), h.min(w - k));
            if t1 > t0 {
                let low = (x0 + k + t0, y1 - t0);
                let high = (x0 + k + t1, y1 - t1);
                let (from, to) = if upward { (low, high) } else { (high, low) };
                if let Some(&last) = path.last() {
                    // Going from the left edge to the bottom one, or the top to the right one.
                    if last.0 == x0 && from.1 == y1 && last.1 != y1 {
                        path.push((x0, y1));
                    } else if last.1 == y0 && from.0 == x1 && last.0 != x1 {
                        path.push((x1, y0));
                    }
                }
                path.push(from);
                path.push(to);
                upward = !upward;
            }
            k += STEP;
        }
        self.line(&path, NO_DATA_HATCH, 1)
    }
}

/// Draws on a fresh white `width` × `height` SVG and returns its text.
pub(super) fn render(width: u32, height: u32, draw: impl FnOnce(&Canvas) -> Drawn) -> String {
    ensure_fonts();
    // Roughly what a chart of this size writes; avoids regrowing the buffer many times.
    let mut buf = String::with_capacity(4096 + (width as usize * height as usize) / 40);
    let result = {
        let area = SVGBackend::with_string(&mut buf, (width, height)).into_drawing_area();
        let canvas = Canvas { area };
        let drawn = canvas
            .area
            .fill(&PAPER)
            .map_err(DrawError::from)
            .and_then(|()| draw(&canvas))
            .and_then(|()| canvas.area.present().map_err(DrawError::from));
        drop(canvas);
        drawn
    };
    match result {
        Ok(()) => buf,
        Err(DrawError) => message_svg("", "Chart could not be drawn"),
    }
}

/// A small chart that only says why there is nothing to show.
pub(super) fn message_svg(title: &str, message: &str) -> String {
    const W: u32 = 480;
    const H: u32 = 160;
    let title = fit(
        &clean(title),
        TITLE_PX,
        true,
        f64::from(W) - 2.0 * f64::from(MARGIN),
    );
    let mut buf = String::with_capacity(1024);
    {
        let area = SVGBackend::with_string(&mut buf, (W, H)).into_drawing_area();
        let canvas = Canvas { area };
        // Drawing into a String cannot fail; an error here would leave the SVG still well-formed.
        let _ = canvas.area.fill(&PAPER);
        let _ = canvas.text(&title, (MARGIN, MARGIN - 4), TITLE_PX, true, INK, TOP_LEFT);
        let _ = canvas.rect(
            (MARGIN, 56),
            (W as i32 - MARGIN, H as i32 - MARGIN),
            rgba(GRID, 1.0),
            false,
        );
        let _ = canvas.text(
            message,
            (W as i32 / 2, (56 + H as i32 - MARGIN) / 2),
            LABEL_PX + 2.0,
            false,
            MUTED,
            CENTER,
        );
        let _ = canvas.area.present();
    }
    buf
}

/// First free row below the title.
pub(super) const TITLE_BOTTOM: i32 = MARGIN - 4 + TITLE_PX as i32 + 14;

/// Draws the chart title at the top left, cut to the chart width.
pub(super) fn draw_title(canvas: &Canvas, title: &str, width: i32) -> Drawn {
    let title = fit(&clean(title), TITLE_PX, true, f64::from(width - 2 * MARGIN));
    canvas.text(&title, (MARGIN, MARGIN - 4), TITLE_PX, true, INK, TOP_LEFT)
}

/// How a legend entry shows its series.
#[derive(Clone, Copy)]
pub(super) enum Swatch {
    /// A filled square (bars).
    Block(RGBColor),
    /// A line segment with a marker in the middle (trend lines, dashed radar outlines).
    Line {
        color: RGBColor,
        marker: Marker,
        dash: Option<(i32, i32)>,
    },
    /// A translucent square with a solid border and a marker (the filled radar series).
    Area { color: RGBColor, marker: Marker },
    /// A stage colour with its number written in it.
    Stage { color: RGBColor, digit: u8 },
    /// The hatched "no data" cell.
    Hatch,
}

impl Swatch {
    fn width(self) -> i32 {
        match self {
            Swatch::Line { .. } => 30,
            Swatch::Stage { .. } | Swatch::Hatch => 22,
            Swatch::Block(_) | Swatch::Area { .. } => 14,
        }
    }
}

/// Legend entries laid out left to right, wrapping within a width.
pub(super) struct Legend {
    items: Vec<(Swatch, String, i32, i32)>,
    rows: i32,
}

const LEGEND_ROW: i32 = 24;
const LEGEND_GAP: i32 = 20;

impl Legend {
    /// Lays out `entries` from x = `MARGIN` within `max_width` pixels.
    pub(super) fn new(entries: Vec<(Swatch, String)>, max_width: i32) -> Self {
        let mut items = Vec::with_capacity(entries.len());
        let (mut x, mut row) = (0, 0);
        for (swatch, text) in entries {
            let text = label(&text, LEGEND_CHARS);
            let w = swatch.width() + 6 + text_width(&text, LABEL_PX, false).ceil() as i32;
            if x > 0 && x + w > max_width {
                x = 0;
                row += 1;
            }
            items.push((swatch, text, x, row));
            x += w + LEGEND_GAP;
        }
        let rows = if items.is_empty() { 0 } else { row + 1 };
        Legend { items, rows }
    }

    /// Vertical space the legend takes, including the gap below it.
    pub(super) fn height(&self) -> i32 {
        if self.rows == 0 {
            0
        } else {
            self.rows * LEGEND_ROW + 8
        }
    }

    /// Draws the legend with its first row centred on `top + LEGEND_ROW / 2`.
    pub(super) fn draw(&self, canvas: &Canvas, left: i32, top: i32) -> Drawn {
        for (swatch, text, x, row) in &self.items {
            let x = left + x;
            let cy = top + row * LEGEND_ROW + LEGEND_ROW / 2;
            let sw = swatch.width();
            match *swatch {
                Swatch::Block(c) => canvas.fill_rect((x, cy - 7), (x + 14, cy + 7), c)?,
                Swatch::Area { color, marker } => {
                    canvas.rect((x, cy - 7), (x + 14, cy + 7), rgba(color, 0.25), true)?;
                    canvas.rect((x, cy - 7), (x + 14, cy + 7), rgba(color, 1.0), false)?;
                    canvas.marker(marker, (x + 7, cy), 3, color)?;
                }
                Swatch::Line {
                    color,
                    marker,
                    dash,
                } => {
                    let seg = [(x, cy), (x + sw, cy)];
                    match dash {
                        Some(d) => canvas.dashed(&seg, color, 2, d)?,
                        None => canvas.line(&seg, color, 2)?,
                    }
                    canvas.marker(marker, (x + sw / 2, cy), 4, color)?;
                }
                Swatch::Stage { color, digit } => {
                    canvas.fill_rect((x, cy - 9), (x + sw, cy + 9), color)?;
                    let d = char::from(b'0' + digit % 10).to_string();
                    canvas.text(&d, (x + sw / 2, cy), TICK_PX, true, ink_on(color), CENTER)?;
                }
                Swatch::Hatch => {
                    canvas.hatched((x, cy - 9), (x + sw, cy + 9))?;
                    canvas.text("—", (x + sw / 2, cy), TICK_PX, false, MUTED, CENTER)?;
                }
            }
            let anchor = Anchor(HPos::Left, VPos::Center);
            canvas.text(text, (x + sw + 6, cy), LABEL_PX, false, INK, anchor)?;
        }
        Ok(())
    }
}

/// A 0..100 value as a finite number, or `None` for a gap.
pub(super) fn value(v: Option<&Option<f64>>) -> Option<f64> {
    match v {
        Some(Some(x)) if x.is_finite() => Some(x.clamp(0.0, 100.0)),
        _ => None,
    }
}

/// Category labels along an x axis: horizontal when they fit their slot, otherwise vertical.
pub(super) struct XLabels {
    texts: Vec<String>,
    vertical: bool,
    /// Height of the label band below the axis line.
    pub(super) height: i32,
}

impl XLabels {
    pub(super) fn new(categories: &[String], slot: f64) -> Self {
        let texts: Vec<String> = categories.iter().map(|c| label(c, LABEL_CHARS)).collect();
        let widest = texts
            .iter()
            .map(|t| text_width(t, TICK_PX, false))
            .fold(0.0, f64::max);
        let vertical = widest > slot - 6.0;
        let height = if vertical {
            widest.ceil() as i32 + 14
        } else {
            TICK_PX as i32 + 14
        };
        XLabels {
            texts,
            vertical,
            height,
        }
    }

    /// Draws label `i` centred on `x`, hanging below the axis at `axis_y`.
    pub(super) fn draw(&self, canvas: &Canvas, i: usize, x: i32, axis_y: i32) -> Drawn {
        let text = &self.texts[i];
        if self.vertical {
            canvas.text_up(
                text,
                (x, axis_y + 8),
                TICK_PX,
                INK,
                Anchor(HPos::Right, VPos::Center),
            )
        } else {
            canvas.text(
                text,
                (x, axis_y + 8),
                TICK_PX,
                false,
                INK,
                Anchor(HPos::Center, VPos::Top),
            )
        }
    }
}

/// Horizontal grid lines and labels for a 0..100 y axis between `top` and `bottom`.
pub(super) fn y_axis(canvas: &Canvas, left: i32, right: i32, top: i32, bottom: i32) -> Drawn {
    for v in (0..=100).step_by(20) {
        let y = y_of(f64::from(v), top, bottom);
        let color = if v == 0 { AXIS } else { GRID };
        canvas.line(&[(left, y), (right, y)], color, 1)?;
        let anchor = Anchor(HPos::Right, VPos::Center);
        canvas.text(&v.to_string(), (left - 8, y), TICK_PX, false, MUTED, anchor)?;
    }
    Ok(())
}

/// Pixel row of a 0..100 value on an axis from `bottom` (0) to `top` (100).
pub(super) fn y_of(v: f64, top: i32, bottom: i32) -> i32 {
    (f64::from(bottom) - v / 100.0 * f64::from(bottom - top)).round() as i32
}

/// Width of the y tick labels column ("100" plus a gap).
pub(super) fn y_label_width() -> i32 {
    text_width("100", TICK_PX, false).ceil() as i32 + 14
}

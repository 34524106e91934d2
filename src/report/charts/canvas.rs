//! Shared drawing kit: fonts, palette, primitives and the SVG they make.
//!
//! Everything is drawn in whole pixels on plotters' root drawing area, so the charts control
//! their own layout instead of fighting plotters' chart builder over label space.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::text::{ensure_fonts, font, line_height};

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
/// Secondary text: 5.7:1 on white, readable at 11 px.
pub(super) const MUTED: RGBColor = RGBColor(0x5F, 0x5F, 0x5F);
pub(super) const AXIS: RGBColor = RGBColor(0x44, 0x44, 0x44);
pub(super) const GRID: RGBColor = RGBColor(0xD4, 0xD4, 0xD4);
/// Shading of every other stage band: visible on screen and in print, never louder than data.
pub(super) const BAND: RGBColor = RGBColor(0xF3, 0xF3, 0xF3);
/// Reference lines (group averages) drawn behind a country's own line.
pub(super) const REFERENCE: RGBColor = RGBColor(0x80, 0x80, 0x80);
pub(super) const NO_DATA_FILL: RGBColor = RGBColor(0xF0, 0xF0, 0xF0);
pub(super) const NO_DATA_HATCH: RGBColor = RGBColor(0xC4, 0xC4, 0xC4);

pub(super) const MARGIN: i32 = 16;
pub(super) const TITLE_PX: f64 = 16.0;
pub(super) const LABEL_PX: f64 = 12.0;
pub(super) const TICK_PX: f64 = 11.0;

/// Widths the report shows charts at: a full column (the printed A4 column is ~703 px, so text
/// keeps its size in print), and half a page beside a country's profile.
pub(super) const FULL_WIDTH: i32 = 720;
/// See [`FULL_WIDTH`].
pub(super) const PROFILE_WIDTH: i32 = 560;

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

/// `#RRGGBB` as a colour; anything else is white, which reads on the marking's black box.
pub(super) fn hex_colour(text: &str) -> RGBColor {
    let hex = text.trim().trim_start_matches('#');
    let part = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|p| u8::from_str_radix(p, 16).ok())
    };
    match (hex.len(), part(0), part(2), part(4)) {
        (6, Some(r), Some(g), Some(b)) => RGBColor(r, g, b),
        _ => PAPER,
    }
}

/// Horizontal anchor of a text, paired with its vertical anchor.
#[derive(Clone, Copy)]
pub(super) struct Anchor(pub HPos, pub VPos);

pub(super) const CENTER: Anchor = Anchor(HPos::Center, VPos::Center);
/// Anchored on its left end, centred vertically.
pub(super) const LEFT_MIDDLE: Anchor = Anchor(HPos::Left, VPos::Center);
/// Anchored on its right end, centred vertically.
pub(super) const RIGHT_MIDDLE: Anchor = Anchor(HPos::Right, VPos::Center);

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

/// Dash patterns; each is written as one `stroke-dasharray` path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Dash {
    /// Short dashes: a reference line such as a group average.
    Short,
    /// Long dashes.
    Long,
}

impl Dash {
    /// Plotters' SVG backend has no dash attribute (its dashed element writes one polyline per
    /// dash), so a dashed path is drawn solid with an opacity no chart uses otherwise, and that
    /// attribute is rewritten into a dash array once the SVG is written.
    const ALL: [(Dash, f64, &'static str, &'static str); 2] = [
        (
            Dash::Short,
            0.999_001,
            "opacity=\"0.999001\"",
            "opacity=\"1\" stroke-dasharray=\"5 4\"",
        ),
        (
            Dash::Long,
            0.999_002,
            "opacity=\"0.999002\"",
            "opacity=\"1\" stroke-dasharray=\"10 5\"",
        ),
    ];

    fn sentinel(self) -> f64 {
        Dash::ALL
            .iter()
            .find(|(d, ..)| *d == self)
            .map_or(1.0, |(_, alpha, ..)| *alpha)
    }

    fn rewrite(svg: String) -> String {
        let mut svg = svg;
        for (_, _, from, to) in Dash::ALL {
            if svg.contains(from) {
                svg = svg.replace(from, to);
            }
        }
        svg
    }
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

pub(super) fn rgba(c: RGBColor, alpha: f64) -> RGBAColor {
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

    /// Lines of text, the first one's top at `top`, each aligned on `x` by `h`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn lines(
        &self,
        lines: &[String],
        (x, top): (i32, i32),
        px: f64,
        bold: bool,
        color: RGBColor,
        h: HPos,
    ) -> Drawn {
        let step = line_height(px);
        for (i, line) in lines.iter().enumerate() {
            let at = (x, top + i as i32 * step);
            self.text(line, at, px, bold, color, Anchor(h, VPos::Top))?;
        }
        Ok(())
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
        self.path(points, rgba(color, 1.0), width)
    }

    fn path(&self, points: &[(i32, i32)], color: RGBAColor, width: u32) -> Drawn {
        if points.len() < 2 {
            return Ok(());
        }
        let style = ShapeStyle {
            color,
            filled: false,
            stroke_width: width,
        };
        self.area.draw(&PathElement::new(points.to_vec(), style))?;
        Ok(())
    }

    /// A dashed line through `points`, written as a single path.
    pub(super) fn dashed(
        &self,
        points: &[(i32, i32)],
        color: RGBColor,
        width: u32,
        dash: Dash,
    ) -> Drawn {
        self.path(points, rgba(color, dash.sentinel()), width)
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
            Marker::Diamond => self.polygon(&regular(4, -90.0, rf * 1.3), fill.color)?,
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

/// Draws on a fresh white `width` × `height` SVG and returns its text, or `None` when plotters
/// failed.
pub(super) fn draw_svg(
    width: i32,
    height: i32,
    draw: impl FnOnce(&Canvas) -> Drawn,
) -> Option<String> {
    draw_plotters_svg(width, height, draw).map(|svg| compact(&svg))
}

/// `draw_svg` as plotters writes it, dashes set, not compacted.
fn draw_plotters_svg(
    width: i32,
    height: i32,
    draw: impl FnOnce(&Canvas) -> Drawn,
) -> Option<String> {
    ensure_fonts();
    let (width, height) = (width.max(1) as u32, height.max(1) as u32);
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
    result.ok().map(|()| Dash::rewrite(buf))
}

/// `#RRGGBB` as `#RGB` where each pair is one digit twice (`#FFFFFF` is `#FFF`), in the
/// `fill="…"` and `stroke="…"` attributes plotters writes.
fn short_colours(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find("=\"#") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let hex = tail.as_bytes();
        let six = hex.len() > 6 && hex[6] == b'"' && hex[..6].iter().all(u8::is_ascii_hexdigit);
        if six && hex[0] == hex[1] && hex[2] == hex[3] && hex[4] == hex[5] {
            out.extend([hex[0] as char, hex[2] as char, hex[4] as char]);
            rest = &tail[6..];
        } else {
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

/// Plotters writes every attribute on every element. Said once on the root (the font) or left
/// to SVG's defaults (full opacity, no stroke, text anchored at its start, no line breaks
/// between elements), a sixty-country heatmap is a third smaller and draws the same. Text never
/// holds a `"` or a line break here (plotters escapes the one, `clean` removes the other), so
/// these attribute patterns only ever match attributes.
pub(super) fn compact(svg: &str) -> String {
    let svg = svg
        .replace(" font-family=\"sans-serif\"", "")
        .replace(" opacity=\"1\"", "")
        .replace(" stroke=\"none\"", "")
        .replace(" text-anchor=\"start\"", "")
        .replace(" stroke-width=\"1\"", "")
        .replace(" \"/>", "\"/>")
        .replace(">\n", ">")
        .replace("\n</text>", "</text>");
    let svg = short_colours(&svg);
    svg.replacen(
        "xmlns=\"http://www.w3.org/2000/svg\"",
        "xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\"",
        1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compacting changes the text of a chart, never what it draws.
    #[test]
    fn a_compacted_chart_draws_the_same_pixels_in_less_text() {
        let draw = |canvas: &Canvas| -> Drawn {
            canvas.fill_rect((10, 10), (200, 60), PALETTE[0])?;
            canvas.text(
                "Start-up",
                (20, 20),
                12.0,
                false,
                INK,
                Anchor(HPos::Left, VPos::Top),
            )?;
            canvas.text(
                "100",
                (190, 50),
                11.0,
                true,
                PAPER,
                Anchor(HPos::Right, VPos::Center),
            )?;
            canvas.line(&[(10, 80), (200, 90)], MUTED, 1)
        };
        let raw = draw_plotters_svg(240, 120, draw).unwrap();
        let compacted = draw_svg(240, 120, draw).unwrap();
        assert!(
            compacted.len() * 5 < raw.len() * 4,
            "{} of {}",
            compacted.len(),
            raw.len()
        );
        let pixels = |svg: &str| super::super::png::pixmap_from_svg(svg, 480).unwrap();
        assert!(pixels(&raw).data() == pixels(&compacted).data());
        assert!(compacted.contains(">Start-up</text>"));
        assert!(compacted.contains("fill=\"#FFF\""), "{compacted}");
        assert!(compacted.contains("fill=\"#0072B2\""), "{compacted}");
    }
}

//! Legends: swatch and text entries laid out left to right, wrapping within the chart's width.

use plotters::prelude::RGBColor;
use plotters::style::text_anchor::HPos;

use super::canvas::{CENTER, Canvas, Dash, Drawn, INK, LABEL_PX, MUTED, Marker, TICK_PX, ink_on};
use super::text::{block_height, line_height, widest, wrap};

/// How a legend entry shows what it names.
#[derive(Clone, Copy)]
pub(super) enum Swatch {
    /// A filled bar end (bars).
    Block(RGBColor),
    /// A line segment, dashed or not, with a marker in the middle when the line has them.
    Line {
        color: RGBColor,
        marker: Option<Marker>,
        dash: Option<Dash>,
    },
    /// A marker alone (group averages on bars).
    Mark { shape: Marker, color: RGBColor },
    /// A stage colour with its number written in it.
    Stage { color: RGBColor, digit: u8 },
    /// The hatched "no data" cell.
    Hatch,
    /// No swatch: a note that explains the scale.
    Note,
}

impl Swatch {
    fn width(self) -> i32 {
        match self {
            Swatch::Line { .. } => 30,
            Swatch::Stage { .. } | Swatch::Hatch => 22,
            Swatch::Block(_) | Swatch::Mark { .. } => 16,
            Swatch::Note => 0,
        }
    }

    fn gap(self) -> i32 {
        match self {
            Swatch::Note => 0,
            _ => 6,
        }
    }
}

/// Legend entries laid out left to right, wrapping within a width.
pub(super) struct Legend {
    /// Swatch, text lines, x and y of the entry's top left corner.
    items: Vec<(Swatch, Vec<String>, i32, i32)>,
    height: i32,
}

const ENTRY_GAP: i32 = 20;
const ROW_GAP: i32 = 6;
/// The tallest swatch; an entry's row is at least this high.
const SWATCH_H: i32 = 18;

impl Legend {
    /// Lays out `entries` within `max_width` pixels; texts too long for a row wrap.
    pub(super) fn new(entries: Vec<(Swatch, String)>, max_width: i32) -> Self {
        let mut items = Vec::with_capacity(entries.len());
        let (mut x, mut y, mut row_h) = (0, 0, 0);
        for (swatch, text) in entries {
            let room = f64::from(max_width - swatch.width() - swatch.gap()).max(40.0);
            let lines = wrap(&text, LABEL_PX, false, room);
            let w = swatch.width() + swatch.gap() + widest(&lines, LABEL_PX, false).ceil() as i32;
            let h = block_height(lines.len(), LABEL_PX).max(SWATCH_H);
            if x > 0 && x + w > max_width {
                x = 0;
                y += row_h + ROW_GAP;
                row_h = 0;
            }
            items.push((swatch, lines, x, y));
            x += w + ENTRY_GAP;
            row_h = row_h.max(h);
        }
        let height = if items.is_empty() { 0 } else { y + row_h };
        Legend { items, height }
    }

    /// Vertical space the legend takes.
    pub(super) fn height(&self) -> i32 {
        self.height
    }

    /// Draws the legend with its top left corner at (`left`, `top`).
    pub(super) fn draw(&self, canvas: &Canvas, left: i32, top: i32) -> Drawn {
        for (swatch, lines, x, y) in &self.items {
            let x = left + x;
            let top = top + y;
            // The swatch sits beside the first line of its text.
            let cy = top + SWATCH_H / 2;
            let sw = swatch.width();
            match *swatch {
                Swatch::Block(c) => canvas.fill_rect((x, cy - 6), (x + sw, cy + 6), c)?,
                Swatch::Mark { shape, color } => {
                    canvas.marker(shape, (x + sw / 2, cy), 5, color)?
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
                    if let Some(marker) = marker {
                        canvas.marker(marker, (x + sw / 2, cy), 4, color)?;
                    }
                }
                Swatch::Stage { color, digit } => {
                    canvas.fill_rect((x, cy - 9), (x + sw, cy + 9), color)?;
                    let d = char::from(b'0' + digit % 10).to_string();
                    canvas.text(&d, (x + sw / 2, cy), TICK_PX, true, ink_on(color), CENTER)?;
                }
                Swatch::Hatch => {
                    canvas.hatched((x, cy - 9), (x + sw, cy + 9))?;
                }
                Swatch::Note => {}
            }
            let text_top = cy - line_height(LABEL_PX) / 2 + 1;
            let color = match swatch {
                Swatch::Note => MUTED,
                _ => INK,
            };
            canvas.lines(
                lines,
                (x + sw + swatch.gap(), text_top),
                LABEL_PX,
                false,
                color,
                HPos::Left,
            )?;
        }
        Ok(())
    }
}

//! Layout shared by the charts: the 0–100 scale with its stage bands, and rows of countries
//! grouped under region headings with labels wrapped to a column.

use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{
    AXIS, Anchor, BAND, Canvas, Drawn, GRID, INK, LABEL_PX, MARGIN, MUTED, TICK_PX,
};
use super::text::{block_height, clean, line_height, text_width, wrap};
use crate::numbers::NumberStyle;

/// The stage boundaries: scores from 0 to 25 are stage 1, 25 to 50 stage 2, and so on.
pub(super) const STAGE_TICKS: [f64; 5] = [0.0, 25.0, 50.0, 75.0, 100.0];

/// A 0..100 value as a finite number, or `None` for a gap.
pub(super) fn value(v: Option<&Option<f64>>) -> Option<f64> {
    match v {
        Some(Some(x)) if x.is_finite() => Some(x.clamp(0.0, 100.0)),
        _ => None,
    }
}

/// Pixel column of a 0..100 value on an axis from `x0` (0) to `x1` (100).
pub(super) fn x_at(v: f64, x0: i32, x1: i32) -> i32 {
    (f64::from(x0) + v / 100.0 * f64::from(x1 - x0)).round() as i32
}

/// Pixel row of a 0..100 value on an axis from `bottom` (0) to `top` (100).
pub(super) fn y_at(v: f64, top: i32, bottom: i32) -> i32 {
    (f64::from(bottom) - v / 100.0 * f64::from(bottom - top)).round() as i32
}

/// Stage bands across a horizontal scale from `x0` to `x1`: every other band shaded, grid lines
/// at the stage boundaries, the zero line darker.
pub(super) fn bands_across(canvas: &Canvas, x0: i32, x1: i32, top: i32, bottom: i32) -> Drawn {
    for (k, pair) in STAGE_TICKS.windows(2).enumerate() {
        if k % 2 == 1 {
            let (a, b) = (x_at(pair[0], x0, x1), x_at(pair[1], x0, x1));
            canvas.fill_rect((a, top), (b, bottom), BAND)?;
        }
    }
    for v in STAGE_TICKS {
        let x = x_at(v, x0, x1);
        let color = if v == 0.0 { AXIS } else { GRID };
        canvas.line(&[(x, top), (x, bottom)], color, 1)?;
    }
    Ok(())
}

/// Stage bands up a vertical scale from `bottom` (0) to `top` (100), like [`bands_across`].
pub(super) fn bands_up(canvas: &Canvas, left: i32, right: i32, top: i32, bottom: i32) -> Drawn {
    for (k, pair) in STAGE_TICKS.windows(2).enumerate() {
        if k % 2 == 1 {
            let (a, b) = (y_at(pair[1], top, bottom), y_at(pair[0], top, bottom));
            canvas.fill_rect((left, a), (right, b), BAND)?;
        }
    }
    for v in STAGE_TICKS {
        let y = y_at(v, top, bottom);
        let color = if v == 0.0 { AXIS } else { GRID };
        canvas.line(&[(left, y), (right, y)], color, 1)?;
    }
    Ok(())
}

/// Tick labels of a horizontal scale, hanging from `y` (or standing on it when `above`).
pub(super) fn ticks_across(
    canvas: &Canvas,
    numbers: NumberStyle,
    ticks: &[f64],
    (x0, x1): (i32, i32),
    y: i32,
    above: bool,
) -> Drawn {
    let v = if above { VPos::Bottom } else { VPos::Top };
    for &t in ticks {
        let x = x_at(t, x0, x1);
        // The end ticks lean inwards so a narrow panel's labels do not run into its neighbour.
        let h = if t == 0.0 && ticks.len() <= 3 {
            HPos::Left
        } else if t == 100.0 && ticks.len() <= 3 {
            HPos::Right
        } else {
            HPos::Center
        };
        canvas.text(
            &numbers.whole(t),
            (x, y),
            TICK_PX,
            false,
            MUTED,
            Anchor(h, v),
        )?;
    }
    Ok(())
}

/// Tick labels of a vertical scale, right-aligned at `right`.
pub(super) fn ticks_up(
    canvas: &Canvas,
    numbers: NumberStyle,
    right: i32,
    top: i32,
    bottom: i32,
) -> Drawn {
    for t in STAGE_TICKS {
        let y = y_at(t, top, bottom);
        let anchor = Anchor(HPos::Right, VPos::Center);
        canvas.text(&numbers.whole(t), (right, y), TICK_PX, false, MUTED, anchor)?;
    }
    Ok(())
}

/// Width of a vertical scale's tick labels ("100" and a gap).
pub(super) fn ticks_up_width() -> i32 {
    text_width("100", TICK_PX, false).ceil() as i32 + 8
}

/// The stage names over a horizontal scale: each of the first four centred over its band,
/// wrapped to the band's width.
pub(super) struct StageHeader {
    names: Vec<Vec<String>>,
    pub(super) height: i32,
}

impl StageHeader {
    pub(super) fn new(stage_names: &[String], x0: i32, x1: i32) -> Self {
        let band = f64::from(x1 - x0) / 4.0 - 6.0;
        let names: Vec<Vec<String>> = stage_names
            .iter()
            .take(4)
            .map(|n| wrap(n, TICK_PX, true, band.max(30.0)))
            .collect();
        let lines = names.iter().map(Vec::len).max().unwrap_or(0);
        StageHeader {
            height: block_height(lines, TICK_PX),
            names,
        }
    }

    /// Draws the names with their top at `top`.
    pub(super) fn draw(&self, canvas: &Canvas, x0: i32, x1: i32, top: i32) -> Drawn {
        for (k, lines) in self.names.iter().enumerate() {
            let mid = (STAGE_TICKS[k] + STAGE_TICKS[k + 1]) / 2.0;
            let x = x_at(mid, x0, x1);
            canvas.lines(lines, (x, top), TICK_PX, true, MUTED, HPos::Center)?;
        }
        Ok(())
    }
}

/// One drawn row of a grouped chart.
pub(super) enum Slot {
    /// A group's heading, across the chart.
    Heading { lines: Vec<String>, top: i32 },
    /// Row `row` of group `group`.
    Row {
        group: usize,
        row: usize,
        lines: Vec<String>,
        top: i32,
        height: i32,
    },
}

/// Rows grouped under headings, top to bottom, each as tall as its wrapped label needs.
pub(super) struct Rows {
    pub(super) slots: Vec<Slot>,
    pub(super) bottom: i32,
}

/// Space above a heading that follows rows.
const HEADING_GAP: i32 = 8;
/// Space between a heading and its first row.
const HEADING_BELOW: i32 = 2;

impl Rows {
    /// Lays out `groups` (heading, row labels) from `top`: labels wrap at `label_w`, headings at
    /// `heading_w`; a row is at least `min_h` high. An empty heading draws no heading row.
    pub(super) fn new(
        groups: &[(&str, Vec<&str>)],
        top: i32,
        label_w: i32,
        heading_w: i32,
        min_h: i32,
    ) -> Self {
        let mut slots = Vec::new();
        let mut y = top;
        for (g, (heading, labels)) in groups.iter().enumerate() {
            let lines = wrap(heading, LABEL_PX, true, f64::from(heading_w));
            if !lines.is_empty() {
                if g > 0 {
                    y += HEADING_GAP;
                }
                let h = block_height(lines.len(), LABEL_PX);
                slots.push(Slot::Heading { lines, top: y });
                y += h + HEADING_BELOW;
            }
            for (row, label) in labels.iter().enumerate() {
                let lines = wrap(label, LABEL_PX, false, f64::from(label_w));
                let height = (block_height(lines.len(), LABEL_PX) + 4).max(min_h);
                slots.push(Slot::Row {
                    group: g,
                    row,
                    lines,
                    top: y,
                    height,
                });
                y += height;
            }
        }
        Rows { slots, bottom: y }
    }

    /// The vertical extent of each run of rows between headings.
    pub(super) fn spans(&self) -> Vec<(i32, i32)> {
        let mut spans: Vec<(i32, i32)> = Vec::new();
        let mut open: Option<(i32, i32)> = None;
        for slot in &self.slots {
            match slot {
                Slot::Heading { .. } => spans.extend(open.take()),
                Slot::Row { top, height, .. } => {
                    let span = open.get_or_insert((*top, *top));
                    span.1 = top + height;
                }
            }
        }
        spans.extend(open);
        spans
    }

    /// Draws the headings from `MARGIN` and the row labels right-aligned at `label_right`.
    pub(super) fn draw_labels(&self, canvas: &Canvas, label_right: i32) -> Drawn {
        for slot in &self.slots {
            match slot {
                Slot::Heading { lines, top } => {
                    canvas.lines(lines, (MARGIN, *top), LABEL_PX, true, INK, HPos::Left)?;
                }
                Slot::Row {
                    lines, top, height, ..
                } => {
                    let block = block_height(lines.len(), LABEL_PX);
                    let y = top + (height - block) / 2 + 1;
                    canvas.lines(lines, (label_right, y), LABEL_PX, false, INK, HPos::Right)?;
                }
            }
        }
        Ok(())
    }
}

/// Width of a label column: the widest label on one line, but no more than `max_w`.
pub(super) fn label_column<'a>(labels: impl IntoIterator<Item = &'a str>, max_w: i32) -> i32 {
    let widest = labels
        .into_iter()
        .map(|l| text_width(&clean(l), LABEL_PX, false))
        .fold(0.0, f64::max)
        .ceil() as i32;
    widest.clamp(24, max_w)
}

/// Vertical centre of a block of `lines` lines of `px` text in a band from `top`, `height` high.
pub(super) fn centred_top(lines: usize, px: f64, top: i32, height: i32) -> i32 {
    top + (height - block_height(lines, px)) / 2 + 1
}

/// Distance between lines of tick text.
pub(super) fn tick_line() -> i32 {
    line_height(TICK_PX)
}

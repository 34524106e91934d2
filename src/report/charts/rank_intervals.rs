//! How sure each rank is: one row per country with the 5th–95th percentile interval of its rank
//! over the draws of `robustness` as a bar, its median rank and its actual rank as markers, on a
//! rank axis that runs from 1 (left) to the last rank.
//!
//! The same rows, labels and legend as the score bars, so that the chart reads like the
//! overview: a row per country, the bar the spread, the markers the points.

use plotters::prelude::RGBColor;

use super::Frame;
use super::canvas::{
    Canvas, Drawn, FULL_WIDTH, GRID, INK, LABEL_PX, MARGIN, MUTED, Marker, PALETTE, RIGHT_MIDDLE,
    TICK_PX,
};
use super::layout::{Rows, Slot, label_column, tick_line};
use super::legend::{Legend, Swatch};
use super::page::{Page, message_svg, render};
use super::text::text_width;

/// The interval's bar: the palette's second colour, lighter than the overview's bars so that the
/// markers read over it.
const INTERVAL: RGBColor = PALETTE[1];
/// The median's marker.
const MEDIAN: (Marker, RGBColor) = (Marker::Diamond, INK);
/// The actual rank's marker.
const ACTUAL: (Marker, RGBColor) = (Marker::Circle, PALETTE[0]);
/// Past this many rows the scale is repeated under the chart.
const TICKS_BELOW_FROM: usize = 15;

/// One country's rank across the draws.
#[derive(Debug, Clone, PartialEq)]
pub struct RankInterval {
    /// The country's name.
    pub label: String,
    /// Its rank by the scores as reported.
    pub actual: usize,
    /// Its median rank over the draws.
    pub median: Option<usize>,
    /// The 5th and 95th percentiles of its rank.
    pub interval: Option<(usize, usize)>,
}

/// The words of the legend: the interval, the median, the actual rank.
#[derive(Debug, Clone, PartialEq)]
pub struct RankLegend {
    /// What the bar is.
    pub interval: String,
    /// What the diamond is.
    pub median: String,
    /// What the circle is.
    pub actual: String,
}

/// Pixel column of rank `rank` on an axis from `x0` (rank 1) to `x1` (rank `last`).
fn x_of(rank: usize, last: usize, (x0, x1): (i32, i32)) -> i32 {
    if last <= 1 {
        return (x0 + x1) / 2;
    }
    let share = (rank.max(1) - 1) as f64 / (last - 1) as f64;
    (f64::from(x0) + share * f64::from(x1 - x0)).round() as i32
}

/// The ranks to mark on the axis: 1, the last, and every 5th (every 10th past 40) between,
/// leaving out one too close to the last to print apart.
fn rank_ticks(last: usize) -> Vec<usize> {
    let step = if last > 40 { 10 } else { 5 };
    let mut ticks = vec![1];
    ticks.extend((step..last).step_by(step).filter(|t| last - t > step / 2));
    if last > 1 {
        ticks.push(last);
    }
    ticks
}

/// The rank intervals of `rows`, in the order given, ranks 1 to `last`.
pub fn rank_intervals_svg(
    frame: &Frame,
    title: &str,
    rows: &[RankInterval],
    legend: &RankLegend,
) -> String {
    if rows.is_empty() {
        return message_svg(frame, title, FULL_WIDTH);
    }
    let last = rows
        .iter()
        .map(|r| r.interval.map_or(r.actual, |(_, high)| high.max(r.actual)))
        .max()
        .unwrap_or(1);
    let page = Page::new(frame, title, FULL_WIDTH);
    let width = page.width();
    let legend = Legend::new(
        vec![
            (Swatch::Block(INTERVAL), legend.interval.clone()),
            (
                Swatch::Mark {
                    shape: MEDIAN.0,
                    color: MEDIAN.1,
                },
                legend.median.clone(),
            ),
            (
                Swatch::Mark {
                    shape: ACTUAL.0,
                    color: ACTUAL.1,
                },
                legend.actual.clone(),
            ),
        ],
        width - 2 * MARGIN,
    );
    let label_w = label_column(rows.iter().map(|r| r.label.as_str()), 200);
    // The interval written at the right end of each row, as the score bars write their value.
    let value_w = rows
        .iter()
        .map(|r| text_width(&interval_text(r), LABEL_PX, false))
        .fold(0.0, f64::max)
        .ceil() as i32;
    let x0 = MARGIN + label_w + 12;
    let x1 = width - MARGIN - value_w - 14;
    let ticks_y = page.body_top() + legend.height() + 12 + tick_line();
    let plot_top = ticks_y + 4;
    let labels: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
    let layout = Rows::new(&[("", labels)], plot_top, label_w, width - 2 * MARGIN, 18);
    let ticks_below = rows.len() > TICKS_BELOW_FROM;
    let bottom = if ticks_below {
        layout.bottom + 4 + tick_line()
    } else {
        layout.bottom
    };
    let ticks = rank_ticks(last);

    render(&page, bottom, |canvas| -> Drawn {
        legend.draw(canvas, MARGIN, page.body_top())?;
        for &t in &ticks {
            let x = x_of(t, last, (x0, x1));
            canvas.line(&[(x, plot_top), (x, layout.bottom)], GRID, 1)?;
            tick(canvas, frame, t, x, ticks_y, true)?;
            if ticks_below {
                tick(canvas, frame, t, x, layout.bottom + 3, false)?;
            }
        }
        for slot in &layout.slots {
            let Slot::Row {
                row, top, height, ..
            } = slot
            else {
                continue;
            };
            draw_row(canvas, &rows[*row], last, (x0, x1), (*top, *height), width)?;
        }
        layout.draw_labels(canvas, x0 - 8)
    })
}

fn tick(canvas: &Canvas, frame: &Frame, rank: usize, x: i32, y: i32, above: bool) -> Drawn {
    use plotters::style::text_anchor::{HPos, VPos};
    let v = if above { VPos::Bottom } else { VPos::Top };
    let text = frame.numbers.number(rank as f64);
    canvas.text(
        &text,
        (x, y),
        TICK_PX,
        false,
        MUTED,
        super::canvas::Anchor(HPos::Center, v),
    )
}

/// `3–7`, or the single rank when the interval is one rank, or `—`.
fn interval_text(row: &RankInterval) -> String {
    match row.interval {
        Some((low, high)) if low == high => low.to_string(),
        Some((low, high)) => format!("{low}–{high}"),
        None => "—".to_owned(),
    }
}

/// The interval bar, the median and actual markers, and the interval written at the right.
fn draw_row(
    canvas: &Canvas,
    row: &RankInterval,
    last: usize,
    span: (i32, i32),
    (top, height): (i32, i32),
    width: i32,
) -> Drawn {
    let cy = top + height / 2;
    let bar_h = ((height - 6) / 2).clamp(5, 8);
    if let Some((low, high)) = row.interval {
        // A one-rank interval still shows as a short bar around its rank, so it is not read as
        // missing.
        let (a, b) = (x_of(low, last, span), x_of(high, last, span));
        canvas.fill_rect((a - 4, cy - bar_h), (b + 4, cy + bar_h), INTERVAL)?;
    }
    if let Some(median) = row.median {
        canvas.marker(MEDIAN.0, (x_of(median, last, span), cy), 6, MEDIAN.1)?;
    }
    canvas.marker(ACTUAL.0, (x_of(row.actual, last, span), cy), 4, ACTUAL.1)?;
    canvas.text(
        &interval_text(row),
        (width - MARGIN, cy),
        LABEL_PX,
        false,
        INK,
        RIGHT_MIDDLE,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_marks_the_first_the_last_and_round_ranks_between() {
        assert_eq!(rank_ticks(1), [1]);
        assert_eq!(rank_ticks(4), [1, 4]);
        assert_eq!(rank_ticks(16), [1, 5, 10, 16]);
        assert_eq!(rank_ticks(21), [1, 5, 10, 15, 21]);
        assert_eq!(rank_ticks(60), [1, 10, 20, 30, 40, 50, 60]);
        assert_eq!(x_of(1, 16, (100, 400)), 100);
        assert_eq!(x_of(16, 16, (100, 400)), 400);
        assert_eq!(x_of(1, 1, (100, 400)), 250);
    }
}

//! Trend small multiples: one small panel per country with its overall score over the rounds and
//! its group's average as a dashed reference, panels in a grid under their region's heading.
//!
//! Sixty lines in one chart are a tangle that eight colours cannot tell apart; sixty small panels
//! on a shared scale each answer "how did this country move, against its group?" at a glance.

use plotters::prelude::RGBColor;
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{
    Anchor, Dash, Drawn, FULL_WIDTH, INK, LABEL_PX, MARGIN, Marker, PALETTE, REFERENCE, TICK_PX,
};
use super::layout::{bands_up, tick_line, ticks_up, ticks_up_width, value, y_at};
use super::legend::{Legend, Swatch};
use super::page::{Page, message_svg, render};
use super::text::{block_height, text_width, wrap};
use super::{Frame, RowGroup};

const LINE: RGBColor = PALETTE[0];
const COLUMNS: i32 = 5;
const PANEL_GAP: i32 = 12;
const PLOT_H: i32 = 76;
/// Space below a row of panels.
const ROW_GAP: i32 = 14;

/// Where one panel goes.
struct Panel {
    group: usize,
    index: usize,
    x0: i32,
    x1: i32,
    title: Vec<String>,
    title_top: i32,
    top: i32,
    bottom: i32,
    /// Whether the panel starts a row and so carries the scale's numbers.
    first: bool,
}

/// Small multiples of overall scores over `rounds`: one panel per country (titled with its label),
/// its values as a line with points and its group's `average` as a dashed grey line, panels under
/// their group's heading; one shared 0..100 scale with the stage boundaries as grid lines.
pub fn trend_panels_svg(
    frame: &Frame,
    title: &str,
    rounds: &[String],
    groups: &[RowGroup<Vec<Option<f64>>>],
    legend_country: &str,
    legend_average: &str,
) -> String {
    if rounds.is_empty() || groups.iter().all(|g| g.rows.is_empty()) {
        return message_svg(frame, title, FULL_WIDTH);
    }
    let width = FULL_WIDTH;
    let page = Page::new(frame, title, width);
    let legend = Legend::new(
        vec![
            (
                Swatch::Line {
                    color: LINE,
                    marker: Some(Marker::Circle),
                    dash: None,
                },
                legend_country.to_owned(),
            ),
            (
                Swatch::Line {
                    color: REFERENCE,
                    marker: None,
                    dash: Some(Dash::Short),
                },
                legend_average.to_owned(),
            ),
        ],
        width - 2 * MARGIN,
    );
    let axis_w = ticks_up_width();
    let panel_w = (width - 2 * MARGIN - axis_w - (COLUMNS - 1) * PANEL_GAP) / COLUMNS;
    let n = rounds.len();
    let x_of = |x0: i32, i: usize| -> i32 {
        if n == 1 {
            x0 + panel_w / 2
        } else {
            x0 + 7 + (i as i32) * (panel_w - 14) / (n as i32 - 1)
        }
    };
    // Every round named when the names fit side by side, else the first and the last.
    let widths: f64 = rounds
        .iter()
        .map(|r| text_width(r, TICK_PX, false) + 6.0)
        .sum();
    let named: Vec<usize> = if widths <= f64::from(panel_w) || n <= 2 {
        (0..n).collect()
    } else {
        vec![0, n - 1]
    };

    let mut headings = Vec::new();
    let mut panels = Vec::new();
    let mut y = page.body_top() + legend.height() + 14;
    for (g, group) in groups.iter().enumerate() {
        if group.rows.is_empty() {
            continue;
        }
        let lines = wrap(&group.name, LABEL_PX, true, f64::from(width - 2 * MARGIN));
        if !lines.is_empty() {
            let h = block_height(lines.len(), LABEL_PX);
            headings.push((lines, y));
            y += h + 6;
        }
        for (start, chunk) in group.rows.chunks(COLUMNS as usize).enumerate() {
            let titles: Vec<Vec<String>> = chunk
                .iter()
                .map(|(label, _)| wrap(label, LABEL_PX, false, f64::from(panel_w)))
                .collect();
            let title_h = titles
                .iter()
                .map(|t| block_height(t.len(), LABEL_PX))
                .max()
                .unwrap_or(0);
            let top = y + title_h + 6;
            for (k, title) in titles.into_iter().enumerate() {
                let x0 = MARGIN + axis_w + k as i32 * (panel_w + PANEL_GAP);
                panels.push(Panel {
                    group: g,
                    index: start * COLUMNS as usize + k,
                    x0,
                    x1: x0 + panel_w,
                    title_top: top - 6 - block_height(title.len(), LABEL_PX),
                    title,
                    top,
                    bottom: top + PLOT_H,
                    first: k == 0,
                });
            }
            y = top + PLOT_H + 4 + tick_line() + ROW_GAP;
        }
        y += 4;
    }
    let bottom = y - ROW_GAP - 4;

    render(&page, bottom, |canvas| -> Drawn {
        legend.draw(canvas, MARGIN, page.body_top())?;
        for (lines, top) in &headings {
            canvas.lines(lines, (MARGIN, *top), LABEL_PX, true, INK, HPos::Left)?;
        }
        for p in &panels {
            let group = &groups[p.group];
            let values = &group.rows[p.index].1;
            canvas.lines(
                &p.title,
                (p.x0, p.title_top),
                LABEL_PX,
                false,
                INK,
                HPos::Left,
            )?;
            bands_up(canvas, p.x0, p.x1, p.top, p.bottom)?;
            if p.first {
                ticks_up(canvas, frame.numbers, p.x0 - 5, p.top, p.bottom)?;
            }
            for &i in &named {
                let h = match i {
                    0 if n > 1 => HPos::Left,
                    i if i == n - 1 && n > 1 => HPos::Right,
                    _ => HPos::Center,
                };
                let x = match h {
                    HPos::Left => p.x0,
                    HPos::Right => p.x1,
                    HPos::Center => x_of(p.x0, i),
                };
                let anchor = Anchor(h, VPos::Top);
                canvas.text(&rounds[i], (x, p.bottom + 4), TICK_PX, false, INK, anchor)?;
            }
            let at = |vals: &[Option<f64>], i: usize| {
                value(vals.get(i)).map(|v| (x_of(p.x0, i), y_at(v, p.top, p.bottom)))
            };
            let average: Vec<Option<(i32, i32)>> = (0..n).map(|i| at(&group.average, i)).collect();
            let own: Vec<Option<(i32, i32)>> = (0..n).map(|i| at(values, i)).collect();
            // A missing round breaks a line rather than bridging it, so no value is implied.
            for run in average.split(Option::is_none) {
                let run: Vec<(i32, i32)> = run.iter().flatten().copied().collect();
                canvas.dashed(&run, REFERENCE, 2, Dash::Short)?;
            }
            for run in own.split(Option::is_none) {
                let run: Vec<(i32, i32)> = run.iter().flatten().copied().collect();
                canvas.line(&run, LINE, 2)?;
            }
            for point in own.iter().flatten() {
                canvas.marker(Marker::Circle, *point, 3, LINE)?;
            }
        }
        Ok(())
    })
}

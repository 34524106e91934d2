//! Pillar scores as small multiples: one panel of horizontal bars per pillar side by side, one
//! row per country under its region's heading, the group's average as a marker in each panel.
//!
//! Rows rather than columns, so that 60 countries make a chart that grows down the page (about
//! 18 px a row) instead of a strip too wide to read; panels rather than grouped bars, so that each
//! pillar is compared on its own baseline.

use plotters::prelude::RGBColor;
use plotters::style::text_anchor::HPos;

use super::canvas::{
    Canvas, Drawn, FULL_WIDTH, INK, LABEL_PX, LEFT_MIDDLE, MARGIN, MUTED, Marker, PALETTE,
    RIGHT_MIDDLE, TICK_PX, ink_on,
};
use super::layout::{Rows, Slot, bands_across, label_column, tick_line, ticks_across, value, x_at};
use super::legend::{Legend, Swatch};
use super::page::{Page, message_svg, render};
use super::text::{block_height, text_width, wrap};
use super::{Frame, RowGroup};

const BAR: RGBColor = PALETTE[0];
const AVERAGE: (Marker, RGBColor) = (Marker::Diamond, INK);
const PANEL_GAP: i32 = 14;
/// Narrower panels could not hold a bar and its value; the chart widens instead.
const MIN_PANEL_W: i32 = 96;
/// The scale's ticks in a panel: its ends and middle; the stage boundaries are the grid lines.
const PANEL_TICKS: [f64; 3] = [0.0, 50.0, 100.0];
/// Past this many rows the scale is repeated under the chart.
const TICKS_BELOW_FROM: usize = 15;

/// Pillar scores of countries grouped by region: one panel per name in `panels`, one row per
/// country; each row's values and each group's `average` have one entry per panel. A country's
/// bar carries its whole-number score; the group's average is a diamond.
pub fn bars_svg(
    frame: &Frame,
    title: &str,
    panels: &[String],
    groups: &[RowGroup<Vec<Option<f64>>>],
    legend_country: &str,
    legend_average: &str,
) -> String {
    let groups: Vec<&RowGroup<Vec<Option<f64>>>> =
        groups.iter().filter(|g| !g.rows.is_empty()).collect();
    if panels.is_empty() || groups.is_empty() {
        return message_svg(frame, title, FULL_WIDTH);
    }
    let n = panels.len() as i32;
    let labels = groups
        .iter()
        .flat_map(|g| g.rows.iter().map(|r| r.0.as_str()));
    let label_w = label_column(labels, 150);
    let plots_left = MARGIN + label_w + 12;
    let needed = plots_left + n * MIN_PANEL_W + (n - 1) * PANEL_GAP + MARGIN;
    let width = FULL_WIDTH.max(needed);
    let panel_w = (width - MARGIN - plots_left - (n - 1) * PANEL_GAP) / n;
    let panel_x = |j: usize| {
        let x0 = plots_left + j as i32 * (panel_w + PANEL_GAP);
        (x0, x0 + panel_w)
    };

    let page = Page::new(frame, title, width);
    let any_gap = groups
        .iter()
        .flat_map(|g| &g.rows)
        .any(|(_, values)| (0..panels.len()).any(|j| value(values.get(j)).is_none()));
    let mut entries = vec![
        (Swatch::Block(BAR), legend_country.to_owned()),
        (
            Swatch::Mark {
                shape: AVERAGE.0,
                color: AVERAGE.1,
            },
            legend_average.to_owned(),
        ),
    ];
    if any_gap {
        entries.push((Swatch::Note, format!("— {}", frame.no_data)));
    }
    let legend = Legend::new(entries, width - 2 * MARGIN);
    let heads: Vec<Vec<String>> = panels
        .iter()
        .map(|p| wrap(p, LABEL_PX, true, f64::from(panel_w)))
        .collect();
    let head_h = heads
        .iter()
        .map(|h| block_height(h.len(), LABEL_PX))
        .max()
        .unwrap_or(0);
    let head_top = page.body_top() + legend.height() + 12;
    let ticks_y = head_top + head_h + 4 + tick_line();
    let plot_top = ticks_y + 4;
    let row_groups: Vec<(&str, Vec<&str>)> = groups
        .iter()
        .map(|g| {
            (
                g.name.as_str(),
                g.rows.iter().map(|r| r.0.as_str()).collect(),
            )
        })
        .collect();
    let rows = Rows::new(&row_groups, plot_top, label_w, width - 2 * MARGIN, 18);
    let count: usize = groups.iter().map(|g| g.rows.len()).sum();
    let ticks_below = count > TICKS_BELOW_FROM;
    let bottom = rows.bottom + if ticks_below { 4 + tick_line() } else { 0 };

    render(&page, bottom, |canvas| -> Drawn {
        legend.draw(canvas, MARGIN, page.body_top())?;
        for (j, head) in heads.iter().enumerate() {
            let (x0, x1) = panel_x(j);
            // Headings sit on a common line whatever their number of lines.
            let top = head_top + head_h - block_height(head.len(), LABEL_PX);
            canvas.lines(head, (x0, top), LABEL_PX, true, INK, HPos::Left)?;
            ticks_across(canvas, frame.numbers, &PANEL_TICKS, (x0, x1), ticks_y, true)?;
            if ticks_below {
                let y = rows.bottom + 3;
                ticks_across(canvas, frame.numbers, &PANEL_TICKS, (x0, x1), y, false)?;
            }
        }
        // Bands behind each group's rows, not behind the headings, so a heading reads clean.
        for (top, bottom) in rows.spans() {
            for j in 0..panels.len() {
                let (x0, x1) = panel_x(j);
                bands_across(canvas, x0, x1, top, bottom)?;
            }
        }
        for slot in &rows.slots {
            match slot {
                Slot::Heading { .. } => {}
                Slot::Row {
                    group,
                    row,
                    top,
                    height,
                    ..
                } => {
                    let g = groups[*group];
                    let values = &g.rows[*row].1;
                    for j in 0..panels.len() {
                        let (x0, x1) = panel_x(j);
                        let cell = Cell {
                            value: value(values.get(j)),
                            average: value(g.average.get(j)),
                        };
                        cell.draw(canvas, frame, (x0, x1), top + height / 2)?;
                    }
                }
            }
        }
        rows.draw_labels(canvas, plots_left - 8)
    })
}

/// One country's score in one panel, with its group's average.
struct Cell {
    value: Option<f64>,
    average: Option<f64>,
}

impl Cell {
    fn draw(&self, canvas: &Canvas, frame: &Frame, (x0, x1): (i32, i32), cy: i32) -> Drawn {
        let avg_x = self.average.map(|a| x_at(a, x0, x1));
        let Some(v) = self.value else {
            canvas.text("—", (x0 + 5, cy), TICK_PX, false, MUTED, LEFT_MIDDLE)?;
            return self.draw_average(canvas, avg_x, cy);
        };
        // A zero still shows as a sliver, so it is not read as missing data.
        let end = x_at(v, x0, x1).max(x0 + 2);
        canvas.fill_rect((x0, cy - 5), (end, cy + 5), BAR)?;
        self.draw_average(canvas, avg_x, cy)?;
        let text = frame.numbers.whole(v);
        let w = text_width(&text, TICK_PX, false).ceil() as i32;
        // After the bar's end; inside it when the marker or the panel's edge is in the way and
        // the bar is long enough; past the marker otherwise.
        let long = end - x0 >= w + 8;
        let mut at = end + 3;
        let blocked = avg_x.is_some_and(|ax| ax + 6 >= at && ax - 6 <= at + w);
        let inside = (long && (blocked || at + w > x1 + 2))
            && avg_x.is_none_or(|ax| ax + 6 < end - w - 4 || ax - 6 > end);
        if inside {
            return canvas.text(
                &text,
                (end - 3, cy),
                TICK_PX,
                false,
                ink_on(BAR),
                RIGHT_MIDDLE,
            );
        }
        if blocked && let Some(ax) = avg_x {
            at = ax + 8;
        }
        if at + w > x1 + 2 {
            // No room anywhere: the data table has the number.
            return Ok(());
        }
        canvas.text(&text, (at, cy), TICK_PX, false, INK, LEFT_MIDDLE)
    }

    fn draw_average(&self, canvas: &Canvas, avg_x: Option<i32>, cy: i32) -> Drawn {
        match avg_x {
            Some(x) => canvas.marker(AVERAGE.0, (x, cy), 4, AVERAGE.1),
            None => Ok(()),
        }
    }
}

//! Grouped vertical bars: one group per category, one bar per series, on a 0..100 axis.

use super::Series;
use super::canvas::{
    Anchor, Drawn, INK, Legend, MARGIN, MUTED, SMALL_PX, Swatch, TITLE_BOTTOM, XLabels, draw_title,
    message_svg, render, series_color, value, y_axis, y_label_width, y_of,
};
use plotters::style::text_anchor::{HPos, VPos};

/// Height of the plotting band; the chart grows sideways with categories, not downwards.
const PLOT_H: i32 = 320;

/// Grouped vertical bars on 0..100: categories on x (countries), one bar per series (pillars) in each category, legend.
pub fn bars_svg(title: &str, categories: &[String], series: &[Series]) -> String {
    if categories.is_empty() || series.is_empty() {
        return message_svg(title, "No data");
    }
    let n = categories.len();
    let m = series.len();
    // Wide enough that each bar keeps ~12 px however many series share a group.
    let min_slot = (12 * m as i32 + 12).max(60);
    let width = (min_slot * n as i32 + 200).max(800);
    let left = MARGIN + y_label_width();
    let right = width - MARGIN;
    let slot = f64::from(right - left) / n as f64;

    let legend = Legend::new(
        series
            .iter()
            .enumerate()
            .map(|(j, s)| (Swatch::Block(series_color(j)), s.label.clone()))
            .collect(),
        width - 2 * MARGIN,
    );
    let labels = XLabels::new(categories, slot);
    // Room above the 100 line for value labels.
    let plot_top = TITLE_BOTTOM + legend.height() + 16;
    let plot_bottom = plot_top + PLOT_H;
    let height = plot_bottom + labels.height + MARGIN;

    render(width as u32, height as u32, |canvas| -> Drawn {
        draw_title(canvas, title, width)?;
        legend.draw(canvas, MARGIN, TITLE_BOTTOM)?;
        y_axis(canvas, left, right, plot_top, plot_bottom)?;

        // Bars stop growing at 44 px: few categories get air between groups, not slabs.
        let bar = (slot * 0.78 / m as f64).min(44.0);
        let group = bar * m as f64;
        // A hairline between neighbouring bars keeps same-looking colours apart.
        let gap = if bar >= 6.0 { 1 } else { 0 };
        let show_values = bar >= 22.0;
        for (i, _) in categories.iter().enumerate() {
            let group_left = f64::from(left) + i as f64 * slot + (slot - group) / 2.0;
            for (j, s) in series.iter().enumerate() {
                let x0 = (group_left + j as f64 * bar).round() as i32;
                let x1 = (group_left + (j + 1) as f64 * bar).round() as i32 - gap;
                let Some(v) = value(s.values.get(i)) else {
                    // Where there is room, say so: an empty slot alone could be misread.
                    if show_values {
                        let at = ((x0 + x1) / 2, plot_bottom - 2);
                        canvas.text(
                            "n/a",
                            at,
                            SMALL_PX,
                            false,
                            MUTED,
                            Anchor(HPos::Center, VPos::Bottom),
                        )?;
                    }
                    continue;
                };
                // A zero still shows as a sliver, so it is not read as missing data.
                let y = y_of(v, plot_top, plot_bottom).min(plot_bottom - 2);
                canvas.fill_rect((x0, y), (x1.max(x0 + 1), plot_bottom), series_color(j))?;
                if show_values {
                    let anchor = Anchor(HPos::Center, VPos::Bottom);
                    let text = format!("{v:.0}");
                    canvas.text(&text, ((x0 + x1) / 2, y - 2), SMALL_PX, false, INK, anchor)?;
                }
            }
            let cx = (f64::from(left) + (i as f64 + 0.5) * slot).round() as i32;
            labels.draw(canvas, i, cx, plot_bottom)?;
        }
        Ok(())
    })
}

//! Lines over assessment rounds: one line with markers per series, gaps where a round has no data.

use super::Series;
use super::canvas::{
    Drawn, GRID, Legend, MARGIN, Swatch, TITLE_BOTTOM, XLabels, draw_title, message_svg, render,
    series_color, series_marker, value, y_axis, y_label_width, y_of,
};

const PLOT_H: i32 = 320;

/// Lines over rounds on 0..100 (x = rounds in order, as categories), one line with markers per series, legend; gaps for None.
pub fn trend_svg(title: &str, rounds: &[String], series: &[Series]) -> String {
    if rounds.is_empty() || series.is_empty() {
        return message_svg(title, "No data");
    }
    let n = rounds.len();
    let width = (100 * n as i32 + 200).max(800);
    let left = MARGIN + y_label_width();
    let right = width - MARGIN;
    let slot = f64::from(right - left) / n as f64;

    let legend = Legend::new(
        series
            .iter()
            .enumerate()
            .map(|(j, s)| {
                let swatch = Swatch::Line {
                    color: series_color(j),
                    marker: series_marker(j),
                    dash: None,
                };
                (swatch, s.label.clone())
            })
            .collect(),
        width - 2 * MARGIN,
    );
    let labels = XLabels::new(rounds, slot);
    // Markers at 100 reach above the top grid line.
    let plot_top = TITLE_BOTTOM + legend.height() + 8;
    let plot_bottom = plot_top + PLOT_H;
    let height = plot_bottom + labels.height + MARGIN;
    let x_of = |i: usize| (f64::from(left) + (i as f64 + 0.5) * slot).round() as i32;

    render(width as u32, height as u32, |canvas| -> Drawn {
        draw_title(canvas, title, width)?;
        legend.draw(canvas, MARGIN, TITLE_BOTTOM)?;
        for i in 0..n {
            canvas.line(&[(x_of(i), plot_top), (x_of(i), plot_bottom)], GRID, 1)?;
        }
        y_axis(canvas, left, right, plot_top, plot_bottom)?;
        for i in 0..n {
            labels.draw(canvas, i, x_of(i), plot_bottom)?;
        }

        let mut run = Vec::with_capacity(n);
        for (j, s) in series.iter().enumerate() {
            let color = series_color(j);
            let points: Vec<Option<(i32, i32)>> = (0..n)
                .map(|i| value(s.values.get(i)).map(|v| (x_of(i), y_of(v, plot_top, plot_bottom))))
                .collect();
            // A missing round breaks the line rather than bridging it, so no value is implied.
            for p in points.iter().chain(std::iter::once(&None)) {
                match p {
                    Some(p) => run.push(*p),
                    None => {
                        canvas.line(&run, color, 2)?;
                        run.clear();
                    }
                }
            }
            for p in points.iter().flatten() {
                canvas.marker(series_marker(j), *p, 5, color)?;
            }
        }
        Ok(())
    })
}

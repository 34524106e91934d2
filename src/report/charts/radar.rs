//! Radar (spider) chart on 0..100, drawn from plotters primitives since plotters has none.

use super::Series;
use super::canvas::{
    Anchor, Drawn, GRID, INK, LABEL_CHARS, LABEL_PX, Legend, MARGIN, MUTED, SMALL_PX, Swatch,
    TITLE_BOTTOM, draw_title, label, message_svg, render, series_color, series_marker, text_width,
    value,
};
use plotters::prelude::{Color, RGBColor};
use plotters::style::text_anchor::{HPos, VPos};

const RADIUS: f64 = 190.0;
/// Gap between the 100 ring and the axis labels.
const LABEL_GAP: f64 = 12.0;
const RING_100: RGBColor = RGBColor(0xB0, 0xB0, 0xB0);
/// Dash (on, off) of series 2, 3, …; series 1 is the filled one.
const DASHES: [(i32, i32); 5] = [(8, 5), (3, 4), (14, 4), (5, 3), (2, 7)];

/// Radar (spider) chart on 0..100: one axis per label (4 pillars, say), several series (a country, its group averages). Rings at 25/50/75/100 labelled.
pub fn radar_svg(title: &str, axes: &[String], series: &[Series]) -> String {
    if axes.is_empty() || series.is_empty() {
        return message_svg(title, "No data");
    }
    let n = axes.len();
    // Axis 0 points up, the others follow clockwise.
    let dirs: Vec<(f64, f64)> = (0..n)
        .map(|k| {
            let a = (-90.0 + 360.0 * k as f64 / n as f64).to_radians();
            (a.cos(), a.sin())
        })
        .collect();
    let texts: Vec<String> = axes.iter().map(|a| label(a, LABEL_CHARS)).collect();
    let anchors: Vec<Anchor> = dirs.iter().map(|&d| label_anchor(d)).collect();

    // How far labels reach from the centre decides the canvas, so long pillar names never clip.
    let line_h = LABEL_PX + 4.0;
    let (mut half_w, mut up, mut down) =
        (RADIUS + LABEL_GAP, RADIUS + LABEL_GAP, RADIUS + LABEL_GAP);
    for ((&(dx, dy), text), anchor) in dirs.iter().zip(&texts).zip(&anchors) {
        let r = RADIUS + LABEL_GAP;
        let w = text_width(text, LABEL_PX, false);
        let (x, y) = (r * dx, r * dy);
        let (x0, x1) = match anchor.0 {
            HPos::Left => (x, x + w),
            HPos::Right => (x - w, x),
            HPos::Center => (x - w / 2.0, x + w / 2.0),
        };
        let (y0, y1) = match anchor.1 {
            VPos::Bottom => (y - line_h, y),
            VPos::Top => (y, y + line_h),
            VPos::Center => (y - line_h / 2.0, y + line_h / 2.0),
        };
        half_w = half_w.max(-x0).max(x1);
        up = up.max(-y0);
        down = down.max(y1);
    }
    let width = ((2.0 * half_w).ceil() as i32 + 2 * MARGIN).max(640);

    let legend = Legend::new(
        series
            .iter()
            .enumerate()
            .map(|(j, s)| (swatch(j), s.label.clone()))
            .collect(),
        width - 2 * MARGIN,
    );
    let cx = width / 2;
    let cy = TITLE_BOTTOM + legend.height() + 8 + up.ceil() as i32;
    let height = cy + down.ceil() as i32 + MARGIN;
    let at = |k: usize, v: f64| -> (i32, i32) {
        let r = RADIUS * v / 100.0;
        (
            cx + (r * dirs[k].0).round() as i32,
            cy + (r * dirs[k].1).round() as i32,
        )
    };

    render(width as u32, height as u32, |canvas| -> Drawn {
        draw_title(canvas, title, width)?;
        legend.draw(canvas, MARGIN, TITLE_BOTTOM)?;

        for level in [25.0, 50.0, 75.0, 100.0] {
            let color = if level == 100.0 { RING_100 } else { GRID };
            if n >= 3 {
                let mut ring: Vec<_> = (0..n).map(|k| at(k, level)).collect();
                ring.push(ring[0]);
                canvas.line(&ring, color, 1)?;
            } else {
                // One or two axes make no polygon: fall back to circular rings.
                let r = (RADIUS * level / 100.0).round() as i32;
                let ring: Vec<_> = (0..=72)
                    .map(|s| {
                        let a = f64::from(s) * 5.0_f64.to_radians();
                        (
                            cx + (f64::from(r) * a.cos()).round() as i32,
                            cy + (f64::from(r) * a.sin()).round() as i32,
                        )
                    })
                    .collect();
                canvas.line(&ring, color, 1)?;
            }
        }
        for k in 0..n {
            canvas.line(&[(cx, cy), at(k, 100.0)], GRID, 1)?;
        }

        let points: Vec<Vec<Option<(i32, i32)>>> = series
            .iter()
            .map(|s| {
                (0..n)
                    .map(|k| value(s.values.get(k)).map(|v| at(k, v)))
                    .collect()
            })
            .collect();
        // The first series is filled underneath everything else so the others stay visible.
        if let Some(first) = points.first()
            && first.iter().all(Option::is_some)
        {
            let poly: Vec<_> = first.iter().flatten().copied().collect();
            canvas.polygon(&poly, series_color(0).mix(0.22))?;
        }
        for (j, pts) in points.iter().enumerate() {
            let color = series_color(j);
            for run in runs(pts) {
                match j {
                    0 => canvas.line(&run, color, 2)?,
                    _ => canvas.dashed(&run, color, 2, DASHES[(j - 1) % DASHES.len()])?,
                }
            }
        }
        for (j, pts) in points.iter().enumerate() {
            for p in pts.iter().flatten() {
                canvas.marker(series_marker(j), *p, 4, series_color(j))?;
            }
        }

        // Ring values sit beside the upward axis, drawn last so no outline hides them.
        for level in [25, 50, 75, 100] {
            let y = cy - (RADIUS * f64::from(level) / 100.0).round() as i32;
            let anchor = Anchor(HPos::Left, VPos::Bottom);
            canvas.text(
                &level.to_string(),
                (cx + 4, y - 1),
                SMALL_PX,
                false,
                MUTED,
                anchor,
            )?;
        }
        for (k, text) in texts.iter().enumerate() {
            let r = RADIUS + LABEL_GAP;
            let p = (
                cx + (r * dirs[k].0).round() as i32,
                cy + (r * dirs[k].1).round() as i32,
            );
            canvas.text(text, p, LABEL_PX, false, INK, anchors[k])?;
        }
        Ok(())
    })
}

fn swatch(j: usize) -> Swatch {
    let color = series_color(j);
    let marker = series_marker(j);
    match j {
        0 => Swatch::Area { color, marker },
        _ => Swatch::Line {
            color,
            marker,
            dash: Some(DASHES[(j - 1) % DASHES.len()]),
        },
    }
}

/// Where an axis label hangs from its point, so it grows away from the chart.
fn label_anchor((dx, dy): (f64, f64)) -> Anchor {
    let h = if dx > 0.2 {
        HPos::Left
    } else if dx < -0.2 {
        HPos::Right
    } else {
        HPos::Center
    };
    let v = if dy < -0.5 {
        VPos::Bottom
    } else if dy > 0.5 {
        VPos::Top
    } else {
        VPos::Center
    };
    Anchor(h, v)
}

/// The outline of a closed ring broken at missing values: a missing axis leaves a gap, not a
/// shortcut that would imply a value.
fn runs(points: &[Option<(i32, i32)>]) -> Vec<Vec<(i32, i32)>> {
    let n = points.len();
    if points.iter().all(Option::is_some) {
        let mut ring: Vec<_> = points.iter().flatten().copied().collect();
        if n > 1 {
            ring.push(ring[0]);
        }
        return vec![ring];
    }
    // Start right after a gap so no run wraps around the start.
    let start = points.iter().position(Option::is_none).unwrap_or(0);
    let mut out = Vec::new();
    let mut run = Vec::new();
    for k in 1..=n {
        match points[(start + k) % n] {
            Some(p) => run.push(p),
            None => {
                if run.len() >= 2 {
                    out.push(std::mem::take(&mut run));
                }
                run.clear();
            }
        }
    }
    if run.len() >= 2 {
        out.push(run);
    }
    out
}

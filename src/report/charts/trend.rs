//! Lines over assessment rounds, each named at its end instead of in a legend: the eye goes from
//! a line to its name without a round trip, and names are nudged apart where lines end close.

use plotters::style::text_anchor::HPos;

use super::canvas::{Drawn, INK, LABEL_PX, MARGIN, TICK_PX, series_color, series_marker};
use super::layout::{bands_up, centred_top, ticks_up, ticks_up_width, value, y_at};
use super::page::{Page, message_svg, render};
use super::text::{block_height, widest, wrap};
use super::{Frame, Series};

/// Space from a line's name to the marker before it.
const NAME_MARK: i32 = 14;

/// Lines over rounds on 0..100, `width` pixels wide (x = rounds in order), one line with markers
/// per series named at its last value, gaps for `None`; stage bands behind.
pub fn trend_svg(
    frame: &Frame,
    title: &str,
    width: u32,
    rounds: &[String],
    series: &[Series],
) -> String {
    let width = i32::try_from(width).unwrap_or(i32::MAX).clamp(320, 4000);
    if rounds.is_empty() || series.is_empty() {
        return message_svg(frame, title, width);
    }
    let page = Page::new(frame, title, width);
    let n = rounds.len();
    let name_w = (width / 4).min(170);
    let names: Vec<Vec<String>> = series
        .iter()
        .map(|s| wrap(&s.label, LABEL_PX, false, f64::from(name_w)))
        .collect();
    let names_w = names
        .iter()
        .map(|l| widest(l, LABEL_PX, false).ceil() as i32)
        .max()
        .unwrap_or(0)
        + NAME_MARK;
    let left = MARGIN + ticks_up_width();
    let right = width - MARGIN - names_w - 16;
    let slot = f64::from(right - left) / n as f64;
    let x_of = |i: usize| (f64::from(left) + (i as f64 + 0.5) * slot).round() as i32;
    let round_labels: Vec<Vec<String>> = rounds
        .iter()
        .map(|r| wrap(r, TICK_PX, false, (slot - 4.0).max(20.0)))
        .collect();
    let rounds_h = round_labels
        .iter()
        .map(|l| block_height(l.len(), TICK_PX))
        .max()
        .unwrap_or(0);
    // Markers at 100 reach above the top grid line.
    let top = page.body_top() + 8;
    let bottom = top + (width * 2 / 5).clamp(200, 280);
    let body_bottom = bottom + 6 + rounds_h;

    let points: Vec<Vec<Option<(i32, i32)>>> = series
        .iter()
        .map(|s| {
            (0..n)
                .map(|i| value(s.values.get(i)).map(|v| (x_of(i), y_at(v, top, bottom))))
                .collect()
        })
        .collect();
    let ends: Vec<Option<(i32, i32)>> = points
        .iter()
        .map(|p| p.iter().rev().flatten().next().copied())
        .collect();
    let heights: Vec<i32> = names
        .iter()
        .map(|l| block_height(l.len(), LABEL_PX))
        .collect();
    let placed = nudge(&ends, &heights, top - 6, body_bottom);

    render(&page, body_bottom, |canvas| -> Drawn {
        bands_up(canvas, left, right, top, bottom)?;
        ticks_up(canvas, frame.numbers, left - 6, top, bottom)?;
        for (i, lines) in round_labels.iter().enumerate() {
            canvas.lines(
                lines,
                (x_of(i), bottom + 6),
                TICK_PX,
                false,
                INK,
                HPos::Center,
            )?;
        }
        for (j, pts) in points.iter().enumerate() {
            let color = series_color(j);
            // A missing round breaks the line rather than bridging it, so no value is implied.
            for run in pts.split(Option::is_none) {
                let run: Vec<(i32, i32)> = run.iter().flatten().copied().collect();
                canvas.line(&run, color, 2)?;
            }
        }
        for (j, pts) in points.iter().enumerate() {
            for p in pts.iter().flatten() {
                canvas.marker(series_marker(j), *p, 4, series_color(j))?;
            }
        }
        let name_x = right + 16;
        for (j, lines) in names.iter().enumerate() {
            let (Some(end), Some(label_top)) = (ends[j], placed[j]) else {
                continue;
            };
            let cy = label_top + heights[j] / 2;
            let color = series_color(j);
            canvas.line(&[(end.0 + 6, end.1), (name_x - 4, cy)], color, 1)?;
            canvas.marker(series_marker(j), (name_x + 4, cy), 4, color)?;
            let text_top = centred_top(lines.len(), LABEL_PX, label_top, heights[j]);
            canvas.lines(
                lines,
                (name_x + NAME_MARK, text_top),
                LABEL_PX,
                false,
                INK,
                HPos::Left,
            )?;
        }
        Ok(())
    })
}

/// Tops of labels `heights` high, each as close as it can be to centring on its line's end, none
/// overlapping, all between `min_top` and `max_bottom` when they fit there. `None` for a series
/// without any value.
fn nudge(
    ends: &[Option<(i32, i32)>],
    heights: &[i32],
    min_top: i32,
    max_bottom: i32,
) -> Vec<Option<i32>> {
    const GAP: i32 = 2;
    let mut order: Vec<usize> = (0..ends.len()).filter(|&j| ends[j].is_some()).collect();
    let wanted = |j: usize| ends[j].map_or(0, |(_, y)| y - heights[j] / 2);
    order.sort_by_key(|&j| (wanted(j), j));
    let mut tops = vec![None; ends.len()];
    // Downwards: each label below the one above it.
    let mut floor = min_top;
    for &j in &order {
        let t = wanted(j).max(floor);
        tops[j] = Some(t);
        floor = t + heights[j] + GAP;
    }
    // Upwards: the stack pushed back above the bottom, but never above `min_top`.
    let mut ceiling = max_bottom;
    for &j in order.iter().rev() {
        if let Some(t) = tops[j] {
            let t = t.min(ceiling - heights[j]).max(min_top);
            tops[j] = Some(t);
            ceiling = t - GAP;
        }
    }
    tops
}

#[cfg(test)]
mod tests {
    use super::nudge;

    #[test]
    fn labels_ending_together_are_pushed_apart_and_stay_in_order() {
        let ends = [Some((0, 100)), Some((0, 102)), None, Some((0, 300))];
        let tops = nudge(&ends, &[15, 15, 15, 15], 0, 400);
        let (a, b, d) = (tops[0].unwrap(), tops[1].unwrap(), tops[3].unwrap());
        assert!(b >= a + 15, "{tops:?}");
        assert_eq!(tops[2], None);
        assert_eq!(d, 300 - 7);
    }

    #[test]
    fn labels_at_the_bottom_are_pushed_back_up() {
        let ends = [Some((0, 395)), Some((0, 398))];
        let tops = nudge(&ends, &[15, 15], 0, 400);
        assert!(tops.iter().flatten().all(|&t| t + 15 <= 400), "{tops:?}");
        assert!(tops[1].unwrap() >= tops[0].unwrap() + 15);
    }
}

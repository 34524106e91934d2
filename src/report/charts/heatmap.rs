//! Stage heatmap: one row per country under its region's heading, one column per indicator
//! under its pillar, each cell coloured by its stage with the stage's number written in it.

use plotters::prelude::RGBColor;
use plotters::style::text_anchor::{HPos, VPos};

use super::Frame;
use super::canvas::{
    Anchor, CENTER, Drawn, FULL_WIDTH, GRID, INK, LABEL_PX, MARGIN, TICK_PX, ink_on,
};
use super::layout::{Rows, Slot, label_column};
use super::legend::{Legend, Swatch};
use super::page::{Page, message_svg, render};
use super::text::{block_height, line_height, width_for_lines, wrap};

/// Viridis in five steps, light (stage 1) to dark (stage 5): ordered in lightness, so it reads
/// the same to colour-blind readers and in greyscale print.
const STAGE_COLORS: [RGBColor; 5] = [
    RGBColor(0xFD, 0xE7, 0x25),
    RGBColor(0x5D, 0xC8, 0x63),
    RGBColor(0x21, 0x90, 0x8D),
    RGBColor(0x3B, 0x52, 0x8B),
    RGBColor(0x44, 0x01, 0x54),
];
/// A cell holds its digit down to this width; more columns widen the chart instead.
const MIN_CELL_W: i32 = 22;
const MAX_CELL_W: i32 = 48;
const ROW_H: i32 = 18;
/// Extra space between the columns of two pillars.
const GROUP_GAP: i32 = 6;

/// Indicators under one heading (a pillar).
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnGroup {
    /// Heading over the columns, e.g. the pillar's short name.
    pub name: String,
    /// Column headers, e.g. the indicators' short names.
    pub columns: Vec<String>,
}

/// Countries under one heading (a region), each with one stage 1..5 per column.
#[derive(Debug, Clone, PartialEq)]
pub struct StageRows {
    /// Heading, e.g. "European Union"; empty for no heading.
    pub name: String,
    /// Each country's label and stages (`None` for no data), drawn in this order.
    pub rows: Vec<(String, Vec<Option<u8>>)>,
}

/// Heatmap: row groups (regions, each row a country and one stage 1..5 per column, `None` for no
/// data) × columns grouped under headings (pillars); each cell coloured by its stage with the
/// number written in it, a legend naming the five stages after `stage_names`.
pub fn heatmap_svg(
    frame: &Frame,
    title: &str,
    columns: &[ColumnGroup],
    groups: &[StageRows],
    stage_names: &[String],
) -> String {
    let spans: Vec<&ColumnGroup> = columns.iter().filter(|c| !c.columns.is_empty()).collect();
    let groups: Vec<_> = groups.iter().filter(|g| !g.rows.is_empty()).collect();
    if spans.is_empty() || groups.is_empty() {
        return message_svg(frame, title, FULL_WIDTH);
    }
    let n: i32 = spans.iter().map(|s| s.columns.len() as i32).sum();
    let gaps = (spans.len() as i32 - 1) * GROUP_GAP;
    let labels = groups
        .iter()
        .flat_map(|g| g.rows.iter().map(|r| r.0.as_str()));
    let label_w = label_column(labels, 150);
    let grid_left = MARGIN + label_w + 10;
    let cell_w = ((FULL_WIDTH - MARGIN - grid_left - gaps) / n).clamp(MIN_CELL_W, MAX_CELL_W);
    let width = FULL_WIDTH.max(grid_left + n * cell_w + gaps + MARGIN);
    // Left edge of each column, the pillars' gaps included.
    let mut col_x = Vec::with_capacity(n as usize);
    let mut span_x = Vec::with_capacity(spans.len());
    let mut x = grid_left;
    for span in &spans {
        let start = x;
        for _ in &span.columns {
            col_x.push(x);
            x += cell_w;
        }
        span_x.push((start, x));
        x += GROUP_GAP;
    }

    let page = Page::new(frame, title, width);
    let mut entries: Vec<(Swatch, String)> = STAGE_COLORS
        .iter()
        .enumerate()
        .map(|(k, &color)| {
            let name = stage_names.get(k).cloned().unwrap_or_default();
            let digit = k as u8 + 1;
            (Swatch::Stage { color, digit }, name)
        })
        .collect();
    entries.push((Swatch::Hatch, frame.no_data.clone()));
    let legend = Legend::new(entries, width - 2 * MARGIN);

    let span_heads: Vec<Vec<String>> = spans
        .iter()
        .zip(&span_x)
        .map(|(s, (a, b))| wrap(&s.name, LABEL_PX, true, f64::from(b - a - 4).max(20.0)))
        .collect();
    let span_h = span_heads
        .iter()
        .map(|h| block_height(h.len(), LABEL_PX))
        .max()
        .unwrap_or(0);
    // Column headers stand upright, as many lines side by side as the cell holds; their height
    // is the least that lets every header fit in that many lines.
    let all: Vec<String> = spans.iter().flat_map(|s| s.columns.clone()).collect();
    let per_cell = ((cell_w - 4) / line_height(TICK_PX)).max(1) as usize;
    let upright_w = width_for_lines(&all, TICK_PX, false, per_cell, 24.0);
    let heads: Vec<Vec<String>> = all
        .iter()
        .map(|c| wrap(c, TICK_PX, false, upright_w))
        .collect();
    let spans_top = page.body_top() + legend.height() + 12;
    let grid_top = spans_top + span_h + 8 + upright_w.ceil() as i32 + 6;
    let row_groups: Vec<(&str, Vec<&str>)> = groups
        .iter()
        .map(|g| {
            (
                g.name.as_str(),
                g.rows.iter().map(|r| r.0.as_str()).collect(),
            )
        })
        .collect();
    let rows = Rows::new(&row_groups, grid_top, label_w, width - 2 * MARGIN, ROW_H);

    render(&page, rows.bottom, |canvas| -> Drawn {
        legend.draw(canvas, MARGIN, page.body_top())?;
        for (head, &(a, b)) in span_heads.iter().zip(&span_x) {
            let top = spans_top + span_h - block_height(head.len(), LABEL_PX);
            canvas.lines(head, ((a + b) / 2, top), LABEL_PX, true, INK, HPos::Center)?;
            let rule = spans_top + span_h + 3;
            canvas.line(&[(a + 1, rule), (b - 1, rule)], GRID, 1)?;
        }
        let step = line_height(TICK_PX);
        for (lines, &x) in heads.iter().zip(&col_x) {
            let cx = x + cell_w / 2;
            let first = cx - (lines.len() as i32 - 1) * step / 2;
            for (i, line) in lines.iter().enumerate() {
                let at = (first + i as i32 * step, grid_top - 6);
                let anchor = Anchor(HPos::Left, VPos::Center);
                canvas.text_up(line, at, TICK_PX, INK, anchor)?;
            }
        }
        for slot in &rows.slots {
            let Slot::Row {
                group,
                row,
                top,
                height,
                ..
            } = slot
            else {
                continue;
            };
            let stages = &groups[*group].rows[*row].1;
            for (j, &x) in col_x.iter().enumerate() {
                // A white gutter of 2 px separates cells without grid lines.
                let (a, b) = ((x + 1, top + 1), (x + cell_w - 1, top + height - 1));
                match stages.get(j).copied().flatten() {
                    Some(stage @ 1..=5) => {
                        let color = STAGE_COLORS[usize::from(stage - 1)];
                        canvas.fill_rect(a, b, color)?;
                        let digit = char::from(b'0' + stage).to_string();
                        let centre = (x + cell_w / 2, top + height / 2);
                        canvas.text(&digit, centre, TICK_PX, false, ink_on(color), CENTER)?;
                    }
                    // Out-of-range stages are shown as missing rather than guessed at.
                    _ => canvas.hatched(a, b)?,
                }
            }
        }
        rows.draw_labels(canvas, grid_left - 8)
    })
}

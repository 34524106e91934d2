//! Scores as horizontal bars over the stage bands, with group averages as markers: the overview
//! of every country against its group, and one country's pillars against its groups.
//!
//! Bars on a common baseline are read more precisely than the spokes of a radar (lengths against
//! angles and areas), and the same encoding in the overview and in each profile means a reader
//! learns it once: the bar is the country, the marker its group, the bands its stage.

use plotters::prelude::RGBColor;

use super::canvas::{
    Canvas, Drawn, FULL_WIDTH, INK, LABEL_PX, LEFT_MIDDLE, MARGIN, MUTED, Marker, PALETTE,
    PROFILE_WIDTH, RIGHT_MIDDLE, TICK_PX, series_color, series_marker,
};
use super::layout::{
    Rows, STAGE_TICKS, Slot, StageHeader, bands_across, label_column, tick_line, ticks_across,
    value, x_at,
};
use super::legend::{Legend, Swatch};
use super::page::{Page, message_svg, render};
use super::text::text_width;
use super::{Frame, Series};

/// The country's bar.
const BAR: RGBColor = PALETTE[0];
/// Past this many rows the scale is repeated under the chart.
const TICKS_BELOW_FROM: usize = 15;

/// One bar with its markers.
struct ScoreRow<'a> {
    label: &'a str,
    value: Option<f64>,
    marks: Vec<Option<f64>>,
}

/// How the `k`-th kind of marker looks: the first is a black diamond, which reads over the bar
/// and the bands alike; further ones take the palette's colours and shapes.
fn mark_style(k: usize) -> (Marker, RGBColor) {
    match k {
        0 => (Marker::Diamond, INK),
        k => (series_marker(k + 1), series_color(k + 4)),
    }
}

/// A country in the overview: its score and the average of its group in the same round.
#[derive(Debug, Clone, PartialEq)]
pub struct OverviewRow {
    /// The country's name.
    pub label: String,
    /// Its overall score.
    pub score: Option<f64>,
    /// Its group's average overall score, in the round of `score`.
    pub average: Option<f64>,
}

/// Countries under one heading (a region) in the overview.
#[derive(Debug, Clone, PartialEq)]
pub struct OverviewGroup {
    /// Heading, e.g. "European Union"; empty for no heading.
    pub name: String,
    /// Its countries, drawn in this order.
    pub rows: Vec<OverviewRow>,
}

/// Every country's overall score (bar) against its group's average (diamond), one row per country
/// under its group's heading, in the order given, over the stage bands named by `stage_names`
/// (five names; the fifth, reached only at exactly 100, is named in the legend).
pub fn overview_svg(
    frame: &Frame,
    title: &str,
    groups: &[OverviewGroup],
    stage_names: &[String],
    legend_country: &str,
    legend_average: &str,
) -> String {
    if groups.iter().all(|g| g.rows.is_empty()) {
        return message_svg(frame, title, FULL_WIDTH);
    }
    let blocks: Vec<(&str, Vec<ScoreRow>)> = groups
        .iter()
        .filter(|g| !g.rows.is_empty())
        .map(|g| {
            let rows = g
                .rows
                .iter()
                .map(|r| ScoreRow {
                    label: &r.label,
                    value: value(Some(&r.score)),
                    marks: vec![value(Some(&r.average))],
                })
                .collect();
            (g.name.as_str(), rows)
        })
        .collect();
    let (shape, color) = mark_style(0);
    let legend = vec![
        (Swatch::Block(BAR), legend_country.to_owned()),
        (Swatch::Mark { shape, color }, legend_average.to_owned()),
    ];
    let page = Page::new(frame, title, FULL_WIDTH);
    score_bars(&page, &blocks, stage_names, legend, 200, 18)
}

/// One country's pillars (bars) against the averages of its groups (one marker each), over the
/// stage bands; `country.values` and each average's values have one entry per pillar.
pub fn profile_svg(
    frame: &Frame,
    title: &str,
    pillars: &[String],
    country: &Series,
    averages: &[Series],
    stage_names: &[String],
) -> String {
    if pillars.is_empty() {
        return message_svg(frame, title, PROFILE_WIDTH);
    }
    let rows: Vec<ScoreRow> = pillars
        .iter()
        .enumerate()
        .map(|(p, label)| ScoreRow {
            label,
            value: value(country.values.get(p)),
            marks: averages.iter().map(|a| value(a.values.get(p))).collect(),
        })
        .collect();
    let mut legend = vec![(Swatch::Block(BAR), country.label.clone())];
    legend.extend(averages.iter().enumerate().map(|(k, a)| {
        let (shape, color) = mark_style(k);
        (Swatch::Mark { shape, color }, a.label.clone())
    }));
    let page = Page::new(frame, title, PROFILE_WIDTH);
    score_bars(&page, &[("", rows)], stage_names, legend, 170, 30)
}

/// The shared drawing: legend, stage names and scale on top, then grouped rows of bars with their
/// markers and values, the scale again at the foot of a long chart.
fn score_bars(
    page: &Page,
    blocks: &[(&str, Vec<ScoreRow>)],
    stage_names: &[String],
    mut legend: Vec<(Swatch, String)>,
    max_label_w: i32,
    min_row_h: i32,
) -> String {
    let frame = page.frame();
    let numbers = frame.numbers;
    let width = page.width();
    if let Some(top_stage) = stage_names.get(4) {
        let note = format!("{top_stage} = {}", numbers.whole(100.0));
        legend.push((Swatch::Note, note));
    }
    let legend = Legend::new(legend, width - 2 * MARGIN);
    let labels = blocks
        .iter()
        .flat_map(|(_, rows)| rows.iter().map(|r| r.label));
    let label_w = label_column(labels, max_label_w);
    let value_w = [
        numbers.score(Some(100.0)),
        numbers.score(Some(88.8)),
        "—".into(),
    ]
    .iter()
    .map(|t| text_width(t, LABEL_PX, false))
    .fold(0.0, f64::max)
    .ceil() as i32;
    let x0 = MARGIN + label_w + 12;
    let x1 = width - MARGIN - value_w - 14;

    let header = StageHeader::new(stage_names, x0, x1);
    let header_top = page.body_top() + legend.height() + 12;
    let ticks_y = header_top + header.height + tick_line() + 2;
    let plot_top = ticks_y + 4;
    let groups: Vec<(&str, Vec<&str>)> = blocks
        .iter()
        .map(|(name, rows)| (*name, rows.iter().map(|r| r.label).collect()))
        .collect();
    let rows = Rows::new(&groups, plot_top, label_w, width - 2 * MARGIN, min_row_h);
    let count: usize = blocks.iter().map(|(_, rows)| rows.len()).sum();
    let ticks_below = count > TICKS_BELOW_FROM;
    let bottom = if ticks_below {
        rows.bottom + 4 + tick_line()
    } else {
        rows.bottom
    };

    render(page, bottom, |canvas| -> Drawn {
        legend.draw(canvas, MARGIN, page.body_top())?;
        header.draw(canvas, x0, x1, header_top)?;
        ticks_across(canvas, numbers, &STAGE_TICKS, (x0, x1), ticks_y, true)?;
        // Bands behind each group's rows, not behind the headings, so a heading reads clean.
        for (top, bottom) in rows.spans() {
            bands_across(canvas, x0, x1, top, bottom)?;
        }
        if ticks_below {
            ticks_across(
                canvas,
                numbers,
                &STAGE_TICKS,
                (x0, x1),
                rows.bottom + 3,
                false,
            )?;
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
            let item = &blocks[*group].1[*row];
            draw_row(canvas, frame, item, (x0, x1), (*top, *height), width)?;
        }
        rows.draw_labels(canvas, x0 - 8)
    })
}

/// The bar, markers and value of one row.
fn draw_row(
    canvas: &Canvas,
    frame: &Frame,
    item: &ScoreRow,
    (x0, x1): (i32, i32),
    (top, height): (i32, i32),
    width: i32,
) -> Drawn {
    let cy = top + height / 2;
    let bar_h = ((height - 6) / 2).clamp(5, 8);
    let value_at = (width - MARGIN, cy);
    match item.value {
        Some(v) => {
            // A zero still shows as a sliver, so it is not read as missing data.
            let end = x_at(v, x0, x1).max(x0 + 2);
            canvas.fill_rect((x0, cy - bar_h), (end, cy + bar_h), BAR)?;
            let text = frame.numbers.score(Some(v));
            canvas.text(&text, value_at, LABEL_PX, false, INK, RIGHT_MIDDLE)?;
        }
        None => {
            canvas.text(
                &frame.no_data,
                (x0 + 6, cy),
                TICK_PX,
                false,
                MUTED,
                LEFT_MIDDLE,
            )?;
            canvas.text("—", value_at, LABEL_PX, false, MUTED, RIGHT_MIDDLE)?;
        }
    }
    for (k, mark) in item.marks.iter().enumerate() {
        if let Some(m) = mark {
            let (shape, color) = mark_style(k);
            canvas.marker(shape, (x_at(*m, x0, x1), cy), 5, color)?;
        }
    }
    Ok(())
}

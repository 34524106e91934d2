//! Stage heatmap: one row per country, one column per indicator, each cell its stage 1..5.

use super::canvas::{
    Anchor, CENTER, Drawn, INK, LABEL_CHARS, LABEL_PX, Legend, MARGIN, MUTED, Swatch, TICK_PX,
    TITLE_BOTTOM, draw_title, ink_on, label, message_svg, render, text_width,
};
use plotters::prelude::RGBColor;
use plotters::style::text_anchor::{HPos, VPos};

/// Viridis in five steps, light (stage 1) to dark (stage 5): ordered in lightness, so it reads
/// the same to colour-blind readers and in greyscale print.
const STAGE_COLORS: [RGBColor; 5] = [
    RGBColor(0xFD, 0xE7, 0x25),
    RGBColor(0x5D, 0xC8, 0x63),
    RGBColor(0x21, 0x90, 0x8D),
    RGBColor(0x3B, 0x52, 0x8B),
    RGBColor(0x44, 0x01, 0x54),
];
const CELL_W: i32 = 44;
const CELL_H: i32 = 26;

/// Heatmap: rows (countries) × columns (indicator ids), each cell coloured by its stage 1..5 (None = blank/hatched grey, labelled "—"), the stage number written in the cell, a legend mapping the 5 colours to `stage_names` (5 names).
pub fn heatmap_svg(
    title: &str,
    rows: &[String],
    columns: &[String],
    stages: &[Vec<Option<u8>>],
    stage_names: &[String],
) -> String {
    if rows.is_empty() || columns.is_empty() {
        return message_svg(title, "No data");
    }
    let row_texts: Vec<String> = rows.iter().map(|r| label(r, LABEL_CHARS)).collect();
    let col_texts: Vec<String> = columns.iter().map(|c| label(c, LABEL_CHARS)).collect();
    let row_label_w = row_texts
        .iter()
        .map(|t| text_width(t, LABEL_PX, false))
        .fold(0.0, f64::max)
        .ceil() as i32;
    let widest_col = col_texts
        .iter()
        .map(|t| text_width(t, TICK_PX, false))
        .fold(0.0, f64::max)
        .ceil() as i32;
    // Short indicator ids sit flat above their column; longer ones stand upright.
    let upright = widest_col > CELL_W - 6;
    let header_h = if upright { widest_col + 12 } else { 22 };

    let grid_left = MARGIN + row_label_w + 10;
    let width = (grid_left + columns.len() as i32 * CELL_W + MARGIN).max(640);
    let mut entries: Vec<(Swatch, String)> = STAGE_COLORS
        .iter()
        .enumerate()
        .map(|(k, &color)| {
            let name = stage_names
                .get(k)
                .cloned()
                .unwrap_or_else(|| format!("Stage {}", k + 1));
            let digit = k as u8 + 1;
            (Swatch::Stage { color, digit }, name)
        })
        .collect();
    entries.push((Swatch::Hatch, "No data".to_string()));
    let legend = Legend::new(entries, width - 2 * MARGIN);
    let grid_top = TITLE_BOTTOM + legend.height() + 8 + header_h;
    let height = grid_top + rows.len() as i32 * CELL_H + MARGIN;

    render(width as u32, height as u32, |canvas| -> Drawn {
        draw_title(canvas, title, width)?;
        legend.draw(canvas, MARGIN, TITLE_BOTTOM)?;
        for (j, text) in col_texts.iter().enumerate() {
            let cx = grid_left + j as i32 * CELL_W + CELL_W / 2;
            if upright {
                let anchor = Anchor(HPos::Left, VPos::Center);
                canvas.text_up(text, (cx, grid_top - 6), TICK_PX, INK, anchor)?;
            } else {
                let anchor = Anchor(HPos::Center, VPos::Bottom);
                canvas.text(text, (cx, grid_top - 6), TICK_PX, false, INK, anchor)?;
            }
        }
        for (i, text) in row_texts.iter().enumerate() {
            let y = grid_top + i as i32 * CELL_H;
            let anchor = Anchor(HPos::Right, VPos::Center);
            canvas.text(
                text,
                (grid_left - 10, y + CELL_H / 2),
                LABEL_PX,
                false,
                INK,
                anchor,
            )?;
            let row = stages.get(i).map(Vec::as_slice).unwrap_or(&[]);
            for j in 0..columns.len() {
                let x = grid_left + j as i32 * CELL_W;
                // A white gutter of 2 px separates cells without grid lines.
                let (a, b) = ((x + 1, y + 1), (x + CELL_W - 1, y + CELL_H - 1));
                let centre = (x + CELL_W / 2, y + CELL_H / 2);
                match row.get(j).copied().flatten() {
                    Some(stage @ 1..=5) => {
                        let color = STAGE_COLORS[usize::from(stage - 1)];
                        canvas.fill_rect(a, b, color)?;
                        let digit = char::from(b'0' + stage).to_string();
                        canvas.text(&digit, centre, LABEL_PX, false, ink_on(color), CENTER)?;
                    }
                    // Out-of-range stages are shown as missing rather than guessed at.
                    _ => {
                        canvas.hatched(a, b)?;
                        canvas.text("—", centre, LABEL_PX, false, MUTED, CENTER)?;
                    }
                }
            }
        }
        Ok(())
    })
}

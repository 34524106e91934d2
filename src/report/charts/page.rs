//! What every chart carries around its data: the title, the TLP marking and the source line, so
//! an SVG or PNG taken out of the report still says how it may be shared and where it came from.

use plotters::style::text_anchor::HPos;

use super::Frame;
use super::canvas::{
    CENTER, Canvas, Drawn, GRID, INK, LABEL_PX, MARGIN, MUTED, TICK_PX, TITLE_PX, draw_svg,
    hex_colour, rgba,
};
use super::text::{block_height, clean, text_width, wrap};

/// Size of the marking's text; bold, as TLP 2.0 asks.
const TLP_PX: f64 = 12.0;
const TLP_PAD_X: i32 = 8;
const TLP_PAD_Y: i32 = 4;
/// Space between the title (or marking) and the chart's body.
const TITLE_GAP: i32 = 12;
/// Space between the chart's body and the source line.
const SOURCE_GAP: i32 = 14;

/// A chart's frame laid out for one width: wrapped title, marking box, wrapped source line.
pub(super) struct Page<'f> {
    frame: &'f Frame,
    width: i32,
    title: Vec<String>,
    tlp: String,
    tlp_w: i32,
    source: Vec<String>,
}

impl<'f> Page<'f> {
    pub(super) fn new(frame: &'f Frame, title: &str, width: i32) -> Self {
        let tlp = clean(&frame.tlp);
        let tlp_w = if tlp.is_empty() {
            0
        } else {
            text_width(&tlp, TLP_PX, true).ceil() as i32 + 2 * TLP_PAD_X
        };
        let title_w = f64::from(width - 2 * MARGIN - tlp_w - 16).max(80.0);
        Page {
            frame,
            width,
            title: wrap(title, TITLE_PX, true, title_w),
            tlp,
            tlp_w,
            source: wrap(&frame.source, TICK_PX, false, f64::from(width - 2 * MARGIN)),
        }
    }

    pub(super) fn width(&self) -> i32 {
        self.width
    }

    pub(super) fn frame(&self) -> &Frame {
        self.frame
    }

    fn tlp_h(&self) -> i32 {
        if self.tlp.is_empty() {
            0
        } else {
            TLP_PX as i32 + 2 * TLP_PAD_Y + 2
        }
    }

    /// First free row below the title and the marking.
    pub(super) fn body_top(&self) -> i32 {
        MARGIN + block_height(self.title.len(), TITLE_PX).max(self.tlp_h()) + TITLE_GAP
    }

    /// Height of the whole chart when its body ends at `body_bottom`.
    pub(super) fn height(&self, body_bottom: i32) -> i32 {
        body_bottom + SOURCE_GAP + block_height(self.source.len(), TICK_PX) + MARGIN - 4
    }

    fn draw(&self, canvas: &Canvas, height: i32) -> Drawn {
        canvas.lines(
            &self.title,
            (MARGIN, MARGIN),
            TITLE_PX,
            true,
            INK,
            HPos::Left,
        )?;
        if !self.tlp.is_empty() {
            let x1 = self.width - MARGIN;
            let x0 = x1 - self.tlp_w;
            let (y0, y1) = (MARGIN - 2, MARGIN - 2 + self.tlp_h());
            canvas.fill_rect((x0, y0), (x1, y1), plotters::style::RGBColor(0, 0, 0))?;
            let colour = hex_colour(&self.frame.tlp_colour);
            canvas.text(
                &self.tlp,
                ((x0 + x1) / 2, (y0 + y1) / 2),
                TLP_PX,
                true,
                colour,
                CENTER,
            )?;
        }
        let top = height - MARGIN + 4 - block_height(self.source.len(), TICK_PX);
        canvas.lines(
            &self.source,
            (MARGIN, top),
            TICK_PX,
            false,
            MUTED,
            HPos::Left,
        )
    }
}

/// Draws a chart: its frame, then its body, which ends at `body_bottom`.
pub(super) fn render(page: &Page, body_bottom: i32, draw: impl FnOnce(&Canvas) -> Drawn) -> String {
    let height = page.height(body_bottom);
    let drawn = draw_svg(page.width, height, |canvas| {
        page.draw(canvas, height)?;
        draw(canvas)
    });
    // Only a plotters bug fails a drawing into a string; the reader still gets the frame.
    drawn.unwrap_or_else(|| message(page, ""))
}

/// A chart that only says there is nothing to show.
pub(super) fn message_svg(frame: &Frame, title: &str, width: i32) -> String {
    let page = Page::new(frame, title, width);
    message(&page, &frame.no_data)
}

fn message(page: &Page, text: &str) -> String {
    const BOX_H: i32 = 96;
    let top = page.body_top();
    let bottom = top + BOX_H;
    let width = page.width;
    let lines = wrap(text, LABEL_PX + 2.0, false, f64::from(width - 4 * MARGIN));
    let height = page.height(bottom);
    let drawn = draw_svg(width, height, |canvas| {
        page.draw(canvas, height)?;
        canvas.rect(
            (MARGIN, top),
            (width - MARGIN, bottom),
            rgba(GRID, 1.0),
            false,
        )?;
        let block = block_height(lines.len(), LABEL_PX + 2.0);
        canvas.lines(
            &lines,
            (width / 2, (top + bottom - block) / 2),
            LABEL_PX + 2.0,
            false,
            MUTED,
            HPos::Center,
        )
    });
    // Drawing into a string only fails on a plotters bug; an empty document still parses.
    drawn.unwrap_or_else(|| {
        format!(
            "<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" \
             xmlns=\"http://www.w3.org/2000/svg\"/>\n"
        )
    })
}

//! Text hygiene, measuring and wrapping: labels are wrapped onto as many lines as they need and
//! never cut, so every word a reader gave the chart is in it.

use std::sync::Once;

use plotters::prelude::*;

use super::canvas::{FONT_BOLD, FONT_REGULAR};

/// Plotters writes `font-size = size / 1.24` into the SVG; this undoes it so sizes here are pixels.
const PLOTTERS_FONT_SCALE: f64 = 1.24;
/// ab_glyph scales by ascender − descender (hhea 1901 + 483 units for DejaVu Sans), while SVG
/// scales by the em (2048 units): turns plotters' width estimate at size `s` into the advance
/// width at font-size `s`.
const EM_PER_HEIGHT: f64 = 2384.0 / 2048.0;

static FONTS: Once = Once::new();

/// Plotters only measures text in fonts it has been given; registration is global, so do it once.
pub(super) fn ensure_fonts() {
    FONTS.call_once(|| {
        // A bad embedded font would show up in every test; measuring then falls back to estimates.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT_REGULAR);
        let _ = plotters::style::register_font("sans-serif", FontStyle::Bold, FONT_BOLD);
    });
}

/// The plotters font that draws at `px` pixels.
pub(super) fn font(px: f64, bold: bool) -> FontDesc<'static> {
    ensure_fonts();
    FontDesc::new(FontFamily::SansSerif, px * PLOTTERS_FONT_SCALE, style(bold))
}

fn style(bold: bool) -> FontStyle {
    if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    }
}

/// Characters XML 1.0 cannot carry, and layout-breaking controls, become spaces; plotters'
/// SVG backend already escapes `<`, `>`, `&` and quotes, so the text must not be escaped twice.
pub(super) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bad = c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}');
        out.push(if bad { ' ' } else { c });
    }
    let trimmed = out.trim();
    if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_string()
    }
}

/// Width in pixels of `text` drawn at font-size `px`.
pub(super) fn text_width(text: &str, px: f64, bold: bool) -> f64 {
    // Measured at a large size so plotters' integer rounding does not matter.
    const PROBE: f64 = 100.0;
    ensure_fonts();
    let probe = FontDesc::new(FontFamily::SansSerif, PROBE, style(bold));
    match probe.box_size(text) {
        Ok((w, _)) => f64::from(w) * EM_PER_HEIGHT * px / PROBE,
        // Without the font, DejaVu Sans averages a little over half an em per character.
        Err(_) => text.chars().count() as f64 * px * 0.6,
    }
}

/// Distance between the baselines of two lines of text at `px`.
pub(super) fn line_height(px: f64) -> i32 {
    (px * 1.25).round() as i32
}

/// Height of a block of `lines` lines at `px`, from the top of the first to the bottom of the last.
pub(super) fn block_height(lines: usize, px: f64) -> i32 {
    match lines {
        0 => 0,
        n => (n as i32 - 1) * line_height(px) + px.ceil() as i32 + 2,
    }
}

/// Width of the widest line.
pub(super) fn widest(lines: &[String], px: f64, bold: bool) -> f64 {
    lines
        .iter()
        .map(|l| text_width(l, px, bold))
        .fold(0.0, f64::max)
}

/// Cleans `text` and breaks it into lines at most `max_w` pixels wide: between words where it
/// can, inside a word only when the word alone is wider than the line. Empty text gives no line.
pub(super) fn wrap(text: &str, px: f64, bold: bool, max_w: f64) -> Vec<String> {
    let text = clean(text);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, px, bold) <= max_w {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if text_width(word, px, bold) <= max_w {
            line = word.to_string();
        } else {
            let mut pieces = break_word(word, px, bold, max_w);
            line = pieces.pop().unwrap_or_default();
            lines.extend(pieces);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A word wider than a line, in pieces that each fit (at least one character per piece).
fn break_word(word: &str, px: f64, bold: bool, max_w: f64) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        // Binary search on the piece's length: the width is monotone in it.
        let (mut lo, mut hi) = (start + 1, chars.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            let piece: String = chars[start..mid].iter().collect();
            if text_width(&piece, px, bold) <= max_w {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        pieces.push(chars[start..lo].iter().collect());
        start = lo;
    }
    pieces
}

/// Words wider than this may be broken when a width is chosen for them.
const LONGEST_WHOLE_WORD: f64 = 200.0;

/// The narrowest width, between `min_w` and the widest unwrapped text, at which every text wraps
/// onto at most `max_lines` lines without breaking a word (unless a word alone is wider than
/// `LONGEST_WHOLE_WORD`); the widest unwrapped text when none does.
pub(super) fn width_for_lines(
    texts: &[String],
    px: f64,
    bold: bool,
    max_lines: usize,
    min_w: f64,
) -> f64 {
    let cleaned: Vec<String> = texts.iter().map(|t| clean(t)).collect();
    let word = cleaned
        .iter()
        .flat_map(|t| t.split_whitespace())
        .map(|w| text_width(w, px, bold))
        .fold(0.0, f64::max)
        .min(LONGEST_WHOLE_WORD);
    let min_w = min_w.max(word);
    let full = cleaned
        .iter()
        .map(|t| text_width(t, px, bold))
        .fold(min_w, f64::max);
    let fits = |w: f64| {
        texts
            .iter()
            .all(|t| wrap(t, px, bold, w).len() <= max_lines)
    };
    // Bisection in whole pixels: the line count only falls as the width grows.
    let (mut lo, mut hi) = (min_w.ceil() as i64, full.ceil() as i64);
    if !fits(hi as f64) {
        return full;
    }
    while lo < hi {
        let mid = (lo + hi) / 2;
        if fits(mid as f64) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    hi as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_word_and_respects_the_width() {
        let text = "Bi-regional and multistakeholder cooperation for cyber resilience";
        let lines = wrap(text, 12.0, false, 120.0);
        assert!(lines.len() >= 3, "{lines:?}");
        assert_eq!(lines.join(" "), text);
        for line in &lines {
            assert!(text_width(line, 12.0, false) <= 120.0, "{line}");
        }
    }

    #[test]
    fn an_over_long_word_is_broken_into_pieces_that_fit() {
        let word = "x".repeat(200);
        let lines = wrap(&word, 12.0, false, 80.0);
        assert!(lines.len() > 5);
        assert_eq!(lines.concat(), word);
        assert!(lines.iter().all(|l| text_width(l, 12.0, false) <= 80.0));
    }

    #[test]
    fn control_characters_become_spaces_and_blank_text_no_line() {
        assert_eq!(wrap("a\u{0}b\u{7}c", 12.0, false, 500.0), vec!["a b c"]);
        assert!(wrap(" \t ", 12.0, false, 500.0).is_empty());
    }

    #[test]
    fn the_width_for_two_lines_is_the_narrowest_that_holds_them() {
        let texts = vec![
            "Partnerships and research".to_string(),
            "Education".to_string(),
        ];
        let w = width_for_lines(&texts, 11.0, false, 2, 20.0);
        assert!(texts.iter().all(|t| wrap(t, 11.0, false, w).len() <= 2));
        assert!(wrap(&texts[0], 11.0, false, w - 2.0).len() > 2);
    }

    #[test]
    fn no_word_is_broken_to_save_width() {
        let texts = vec!["Multistakeholder inclusion".to_string()];
        let w = width_for_lines(&texts, 11.0, false, 2, 20.0);
        assert_eq!(
            wrap(&texts[0], 11.0, false, w),
            vec!["Multistakeholder", "inclusion"]
        );
    }
}

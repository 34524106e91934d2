//! Rasterizing the chart SVGs with resvg, using the very font the layout was measured with.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};

use super::ChartError;
use super::canvas::{FONT_BOLD, FONT_REGULAR};

/// Pixels above which a chart is refused rather than allocated (256 Mpx = 1 GiB of RGBA).
const MAX_PIXELS: u64 = 1 << 28;

/// Only the embedded DejaVu Sans, so output never depends on the fonts of the machine.
pub(super) fn fonts() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_source(fontdb::Source::Binary(Arc::new(FONT_REGULAR)));
        db.load_font_source(fontdb::Source::Binary(Arc::new(FONT_BOLD)));
        db.set_sans_serif_family("DejaVu Sans");
        Arc::new(db)
    })
    .clone()
}

/// How many pixels a PNG has per pixel of the chart as a page shows it: twice, sharp on a
/// high-density screen and on a projected slide, at a quarter of the pixels of a fixed 1600 px
/// for the half-width charts of a profile.
pub const PNG_SCALE: f32 = 2.0;

/// Renders `svg` `width_px` wide (height by the SVG's aspect ratio) on a white background.
pub(super) fn pixmap_from_svg(svg: &str, width_px: u32) -> Result<Pixmap, ChartError> {
    pixmap_with(svg, |_| width_px)
}

/// Renders `svg` on a white background as wide as `width_of` its size in SVG pixels says.
fn pixmap_with(svg: &str, width_of: impl Fn(usvg::Size) -> u32) -> Result<Pixmap, ChartError> {
    let options = usvg::Options {
        font_family: "DejaVu Sans".to_string(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options)?;
    let size = tree.size();
    let width_px = width_of(size);
    let scale = width_px as f32 / size.width();
    let height_px = (size.height() * scale).round().max(0.0) as u32;
    let too_big = u64::from(width_px) * u64::from(height_px) > MAX_PIXELS;
    let mut pixmap = match (too_big, Pixmap::new(width_px, height_px)) {
        (false, Some(p)) => p,
        _ => {
            return Err(ChartError::Size {
                width: width_px,
                height: height_px,
            });
        }
    };
    // Charts paint their own white background, but a foreign SVG may not: PNGs stay opaque.
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

/// Rasterizes an SVG made by the chart functions with resvg and the embedded font, `width_px`
/// wide, and encodes it as a PNG.
pub fn png_from_svg(svg: &str, width_px: u32) -> Result<Vec<u8>, ChartError> {
    encode(&pixmap_from_svg(svg, width_px)?)
}

/// Rasterizes a chart at [`PNG_SCALE`] times the size it is drawn at, and encodes it as a PNG.
pub fn png_of_chart(svg: &str) -> Result<Vec<u8>, ChartError> {
    encode(&pixmap_with(svg, |size| {
        (size.width() * PNG_SCALE).round().max(1.0) as u32
    })?)
}

fn encode(pixmap: &Pixmap) -> Result<Vec<u8>, ChartError> {
    // Opaque on white, so the premultiplied pixels are plain RGBA.
    let mut bytes = Vec::new();
    let mut encoder = ::png::Encoder::new(&mut bytes, pixmap.width(), pixmap.height());
    encoder.set_color(::png::ColorType::Rgba);
    encoder.set_depth(::png::BitDepth::Eight);
    // fdeflate's fast mode: several times faster than zlib level 6, files a little larger.
    encoder.set_compression(::png::Compression::Fast);
    let mut writer = encoder.write_header().map_err(ChartError::Png)?;
    writer
        .write_image_data(pixmap.data())
        .map_err(ChartError::Png)?;
    writer.finish().map_err(ChartError::Png)?;
    Ok(bytes)
}

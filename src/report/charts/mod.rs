//! Charts of the comparison report: radar, grouped bars, stage heatmap and trend lines, drawn as
//! SVG text with plotters and rasterized to PNG with resvg.
//!
//! Every function takes plain data and returns a self-contained SVG string whose text is
//! `font-family="sans-serif"`; the same DejaVu Sans bytes are used by plotters to measure text and
//! by resvg to draw it, so the PNG matches the layout the SVG was planned for.

mod bars;
mod canvas;
mod heatmap;
mod png;
mod radar;
mod trend;

#[cfg(test)]
mod tests;

pub use bars::bars_svg;
pub use heatmap::heatmap_svg;
pub use png::png_from_svg;
pub use radar::radar_svg;
pub use trend::trend_svg;

/// One data series: a label and one value per category (None = no data, drawn as a gap).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend label of the series (a country, a group average, a pillar).
    pub label: String,
    /// One value per category, on 0..100; `None` (or a non-finite value) is drawn as a gap.
    pub values: Vec<Option<f64>>,
}

/// Why a PNG could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The SVG text could not be parsed.
    #[error("chart SVG could not be parsed: {0}")]
    Svg(#[from] resvg::usvg::Error),
    /// The requested width gives an empty or impossibly large image.
    #[error("cannot make a {width} x {height} px image")]
    Size {
        /// Requested width in pixels.
        width: u32,
        /// Height that the chart's aspect ratio gives at that width.
        height: u32,
    },
    /// The PNG encoder failed.
    #[error("cannot encode the PNG: {0}")]
    Png(::png::EncodingError),
}

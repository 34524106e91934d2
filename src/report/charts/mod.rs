//! Charts of the comparison report, drawn as SVG text with plotters and rasterized to PNG with
//! resvg: the overview of every country against its group, pillar bars, the stage heatmap, trend
//! panels and lines, and a country's pillars against its groups.
//!
//! Every chart is designed at the size a page shows it (720 px wide, 560 beside a profile) with
//! no text under 11 px, and carries its TLP marking and source line, so a file taken out of the
//! report still says how it may be shared. Every function takes plain data and returns a
//! self-contained SVG string whose text is `font-family="sans-serif"`; the same DejaVu Sans bytes
//! are used by plotters to measure text and by resvg to draw it, so the PNG matches the layout
//! the SVG was planned for.

mod bars;
mod canvas;
mod heatmap;
mod layout;
mod legend;
mod page;
mod panels;
mod png;
mod rank_intervals;
mod score_bars;
mod text;
mod trend;

#[cfg(test)]
mod tests;

pub use bars::bars_svg;
pub use heatmap::{ColumnGroup, StageRows, heatmap_svg};
pub use panels::trend_panels_svg;
pub use png::{PNG_SCALE, png_from_svg, png_of_chart};
pub use rank_intervals::{RankInterval, RankLegend, rank_intervals_svg};
pub use score_bars::{OverviewGroup, OverviewRow, overview_svg, profile_svg};
pub use trend::trend_svg;

use crate::numbers::NumberStyle;

/// What every chart of a report carries besides its data: the marking, the source, and the words
/// and numbers of the report's language.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// The TLP marking, e.g. `TLP:AMBER`, drawn top right as a black box.
    pub tlp: String,
    /// The marking's TLP 2.0 colour (`#FFC000`), its text colour on black.
    pub tlp_colour: String,
    /// The source line drawn bottom left, already in the report's language.
    pub source: String,
    /// What a chart with nothing to show says.
    pub no_data: String,
    /// How numbers are written.
    pub numbers: NumberStyle,
}

/// One data series: a label and one value per category (None = no data, drawn as a gap).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Label of the series (a country, a group average, a pillar).
    pub label: String,
    /// One value per category, on 0..100; `None` (or a non-finite value) is drawn as a gap.
    pub values: Vec<Option<f64>>,
}

/// Countries under one heading (a region), with the group's average beside them.
#[derive(Debug, Clone, PartialEq)]
pub struct RowGroup<T> {
    /// Heading, e.g. "European Union"; empty for no heading.
    pub name: String,
    /// The group's average, in the same shape as a row's values.
    pub average: T,
    /// Each country's label and values, drawn in this order.
    pub rows: Vec<(String, T)>,
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

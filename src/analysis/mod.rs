//! Analyses on top of the scores: what would lift a country a stage, how robust the ranks are,
//! and the scores seen through other frameworks' items.

pub mod agreement;
pub mod frameworks;
pub mod plan;
pub mod robustness;

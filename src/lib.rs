//! cybercap: national cybersecurity capacity self-assessment — questionnaires, scoring and reports.

pub mod analysis;
pub mod answer_words;
pub mod builtin;
pub mod diagnostic;
mod error;
pub mod export;
pub mod fsio;
#[doc(hidden)]
pub mod fuzzing;
pub mod i18n;
pub mod import;
pub mod inputs;
pub mod load;
pub mod model;
pub mod numbers;
pub mod parallel;
pub mod pipeline;
pub mod prefill;
pub mod random;
pub mod report;
pub mod samples;
pub mod scoring;
pub mod take;
pub mod template;
pub mod validate;
pub mod xlsform;
pub mod yaml_text;

pub use error::Error;

/// The tool and its version as every output names it: `cybercap 0.1.0`.
pub const GENERATOR: &str = concat!(env!("CARGO_PKG_NAME"), " ", env!("CARGO_PKG_VERSION"));

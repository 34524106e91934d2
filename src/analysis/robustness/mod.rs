//! How robust the ranks and stages are: the uncertainty and sensitivity analysis of the OECD/JRC
//! Handbook on Constructing Composite Indicators (2008, step 7). Each draw perturbs the weights
//! at every level, picks arithmetic or geometric aggregation and whether `unknown` scores 0 or is
//! left out, re-aggregates the question points `score` found, and ranks the countries again
//! within each round. The ranks and stages of the draws give intervals and probabilities; the
//! mean absolute rank shift from the actual ranking (the Handbook's R̄s) gives each assumption's
//! first-order and total sensitivity index (Saltelli et al. 2010, A/B matrices with one group of
//! inputs taken from B at a time).

mod draws;
mod prepared;
pub mod stats;

pub use prepared::Prepared;

use serde::Serialize;

use crate::Error;
use crate::model::{CountryCode, Round};
use crate::scoring::Stage;

/// How scores are aggregated from indicators to pillars and from pillars to the overall score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// The weighted arithmetic mean, as `score` computes.
    Arithmetic,
    /// The weighted geometric mean of score + 1, minus 1: a zero score stays defined and
    /// weighs in as the lowest, and equal scores keep their value.
    Geometric,
}

/// What an `unknown` answer counts for. Unanswered questions always score 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownTreatment {
    /// Scored 0, as `score` does.
    Zero,
    /// Left out of its indicator, as `na` is.
    Omit,
}

/// An assumption of the scoring that a draw varies: one group of inputs of the sensitivity
/// analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Assumption {
    /// The weight of each question within its indicator.
    QuestionWeights,
    /// The weight of each indicator within its pillar.
    IndicatorWeights,
    /// The weight of each pillar in the overall score.
    PillarWeights,
    /// Arithmetic or geometric aggregation.
    Aggregation,
    /// `unknown` scored 0 or left out.
    Unknown,
}

impl Assumption {
    /// Every assumption, in the order outputs list them.
    pub const ALL: [Assumption; 5] = [
        Assumption::QuestionWeights,
        Assumption::IndicatorWeights,
        Assumption::PillarWeights,
        Assumption::Aggregation,
        Assumption::Unknown,
    ];

    /// Its name in JSON and CSV.
    pub fn key(self) -> &'static str {
        match self {
            Assumption::QuestionWeights => "question_weights",
            Assumption::IndicatorWeights => "indicator_weights",
            Assumption::PillarWeights => "pillar_weights",
            Assumption::Aggregation => "aggregation",
            Assumption::Unknown => "unknown",
        }
    }

    /// The key of its label in `reports/i18n.yaml`.
    pub fn label_key(self) -> &'static str {
        match self {
            Assumption::QuestionWeights => "robustness_question_weights",
            Assumption::IndicatorWeights => "robustness_indicator_weights",
            Assumption::PillarWeights => "robustness_pillar_weights",
            Assumption::Aggregation => "robustness_aggregation",
            Assumption::Unknown => "robustness_unknown",
        }
    }
}

/// What a run varies, how many draws it makes and from which seed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    /// Draws of the uncertainty analysis (each also a row of the A and B matrices).
    pub draws: usize,
    /// Seed of the pseudo-random draws.
    pub seed: u64,
    /// Half-width of the weight factors, in percent: each weight is multiplied by U(1 − p, 1 + p).
    pub perturbation: f64,
    /// The aggregations a draw picks from, with equal chance.
    pub aggregation: Vec<Aggregation>,
    /// The treatments of `unknown` a draw picks from, with equal chance.
    pub unknown: Vec<UnknownTreatment>,
}

impl Settings {
    /// The default number of draws.
    pub const DRAWS: usize = 1_000;
    /// The most draws a run makes: ten thousand take about two seconds.
    pub const MAX_DRAWS: usize = 100_000;
    /// The default seed (the year of the Handbook), so that runs without `--seed` agree.
    pub const SEED: u64 = 2008;
    /// The default half-width of the weight factors, in percent.
    pub const PERTURBATION: f64 = 25.0;

    /// Checked settings: 1 to `MAX_DRAWS` draws, a perturbation from 0 up to (not including) 100
    /// percent, at least one aggregation and one treatment of `unknown`.
    pub fn new(
        draws: usize,
        seed: u64,
        perturbation: f64,
        aggregation: Vec<Aggregation>,
        unknown: Vec<UnknownTreatment>,
    ) -> Result<Settings, Error> {
        if !(1..=Self::MAX_DRAWS).contains(&draws) {
            return Err(Error::Usage(format!(
                "--draws {draws}: expected a number of draws from 1 to {}",
                Self::MAX_DRAWS
            )));
        }
        // A factor of 0 or below would turn a weight off or negative: no longer a weighting.
        if !(0.0..100.0).contains(&perturbation) {
            return Err(Error::Usage(format!(
                "--perturbation {perturbation}: expected a percentage from 0 up to, not including, 100"
            )));
        }
        if aggregation.is_empty() || unknown.is_empty() {
            return Err(Error::Usage(
                "expected at least one aggregation and one treatment of unknown".to_owned(),
            ));
        }
        Ok(Settings {
            draws,
            seed,
            perturbation,
            aggregation,
            unknown,
        })
    }

    /// Whether the draws vary `assumption`.
    pub fn varies(&self, assumption: Assumption) -> bool {
        match assumption {
            Assumption::QuestionWeights
            | Assumption::IndicatorWeights
            | Assumption::PillarWeights => self.perturbation > 0.0,
            Assumption::Aggregation => self.aggregation.len() > 1,
            Assumption::Unknown => self.unknown.len() > 1,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            draws: Self::DRAWS,
            seed: Self::SEED,
            perturbation: Self::PERTURBATION,
            aggregation: vec![Aggregation::Arithmetic, Aggregation::Geometric],
            unknown: vec![UnknownTreatment::Zero, UnknownTreatment::Omit],
        }
    }
}

/// The result of a run: per round, each country's ranks and stages across the draws, and how
/// much each assumption moves the ranks.
#[derive(Debug, Clone)]
pub struct Robustness {
    /// What was varied.
    pub settings: Settings,
    /// The rounds, in order.
    pub rounds: Vec<RoundRobustness>,
}

/// One round of a run.
#[derive(Debug, Clone)]
pub struct RoundRobustness {
    /// The round.
    pub round: Round,
    /// The mean over the draws of R̄s, the mean absolute shift of a country's rank from its actual
    /// rank.
    pub mean_rank_shift: f64,
    /// Each assumption's sensitivity indices, in the order of [`Assumption::ALL`].
    pub sensitivity: Vec<Sensitivity>,
    /// The countries with a score in the round, by actual rank.
    pub countries: Vec<CountryRobustness>,
}

impl RoundRobustness {
    /// The assumption with the largest first-order index, if any moves the ranks at all.
    pub fn most_influential(&self) -> Option<Assumption> {
        self.sensitivity
            .iter()
            .filter_map(|s| Some((s.assumption, s.first_order?)))
            .filter(|(_, index)| *index > 0.0)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(assumption, _)| assumption)
    }
}

/// The sensitivity of R̄s to one assumption.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sensitivity {
    /// The assumption.
    pub assumption: Assumption,
    /// Its first-order index S: the share of the variance of R̄s it explains alone; `None` when it
    /// is not varied or R̄s does not vary. An estimate: near 0 it may be slightly negative.
    pub first_order: Option<f64>,
    /// Its total-effect index ST: the share it explains with its interactions.
    pub total: Option<f64>,
}

/// One country in one round across the draws.
#[derive(Debug, Clone)]
pub struct CountryRobustness {
    /// The country.
    pub country: CountryCode,
    /// The questionnaire version it was scored on (position in the run's versions).
    pub version: usize,
    /// Its overall score as `score` gives it.
    pub score: f64,
    /// Its rank by that score.
    pub rank: usize,
    /// Its median rank over the draws (`None` if no draw gave it a score).
    pub median_rank: Option<usize>,
    /// The 5th percentile of its ranks over the draws (the best end of the interval).
    pub rank_low: Option<usize>,
    /// The 95th percentile.
    pub rank_high: Option<usize>,
    /// Its stage as `score` gives it.
    pub stage: Stage,
    /// The share of draws at each stage, stage 1 first; the shares add up to less than 1 when
    /// some draws leave it without a score.
    pub stage_probabilities: [f64; 5],
    /// Its pillars, in the order of its questionnaire.
    pub pillars: Vec<PillarRobustness>,
}

/// One pillar of one country in one round across the draws.
#[derive(Debug, Clone)]
pub struct PillarRobustness {
    /// Position in the questionnaire's pillars.
    pub pillar: usize,
    /// Its stage as `score` gives it.
    pub stage: Option<Stage>,
    /// The share of draws at each stage, stage 1 first.
    pub stage_probabilities: [f64; 5],
}

/// Runs the draws on the prepared country-rounds.
pub fn analyse(prepared: &Prepared<'_>, settings: &Settings) -> Robustness {
    draws::run(prepared, settings)
}

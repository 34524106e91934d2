//! The five stages of maturity: which stage a score is at, and how a stage is named and shown.

use std::fmt;

use serde::Serialize;

use crate::model::Questionnaire;

/// A stage of maturity, 1 to 5; the questionnaire names each (Start-up … Dynamic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Stage(u8);

impl Stage {
    /// Every stage, lowest first.
    pub const ALL: [Stage; 5] = [Stage(1), Stage(2), Stage(3), Stage(4), Stage(5)];

    /// The stage of a score (0–100): the highest whose threshold (0, 25, 50, 75, 100) the score
    /// fully reaches. The epsilon keeps 75.0 computed as 74.99999999999999 at stage 4.
    pub fn of(score: f64) -> Stage {
        let level = 1.0 + (score / 25.0 + 1e-9).floor();
        Stage(level.clamp(1.0, 5.0) as u8)
    }

    /// Stage `level` (1–5), if there is one.
    pub fn from_level(level: u8) -> Option<Stage> {
        (1..=5).contains(&level).then_some(Stage(level))
    }

    /// Its number, 1–5.
    pub fn level(self) -> u8 {
        self.0
    }

    /// The stage above, if any.
    pub fn next(self) -> Option<Stage> {
        Stage::from_level(self.0 + 1)
    }

    /// Its name in `lang`, as the questionnaire gives it.
    pub fn name<'q>(self, questionnaire: &'q Questionnaire, lang: &str) -> &'q str {
        questionnaire.stage_name(self.0, lang)
    }

    /// Its number and name: `3 Established`.
    pub fn label(self, questionnaire: &Questionnaire, lang: &str) -> String {
        format!("{} {}", self.0, self.name(questionnaire, lang))
    }

    /// The CSS class that colours it in reports: `stage-3`.
    pub fn class(self) -> String {
        format!("stage-{}", self.0)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_start_every_25_points_and_dynamic_only_at_100() {
        let level = |score| Stage::of(score).level();
        assert_eq!(level(0.0), 1);
        assert_eq!(level(24.999), 1);
        assert_eq!(level(25.0), 2);
        assert_eq!(level(49.99), 2);
        assert_eq!(level(50.0), 3);
        assert_eq!(level(75.0), 4);
        assert_eq!(level(74.999_999_999_999_99), 4);
        assert_eq!(level(99.9), 4);
        assert_eq!(level(100.0), 5);
        assert_eq!(Stage::ALL[4].next(), None);
        assert_eq!(Stage::ALL[0].next(), Some(Stage::ALL[1]));
        assert_eq!(Stage::from_level(0), None);
        assert_eq!(Stage::ALL[2].class(), "stage-3");
    }
}

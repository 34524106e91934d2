//! The report model, computed once from the scored groups: rounds, group averages, changes and
//! profiles. Every renderer reads it; none re-scores.

use crate::analysis::agreement::{Agreement, respondent_agreement};
use crate::model::diff::trace_back;
use crate::model::{CountryCode, Questionnaire, Round};
use crate::report::groups::Groups;
use crate::scoring::{ConflictPolicy, Disagreement, IndicatorScore, ScoreTree, Stage};
use crate::scoring::{ScoredCountryRound, SourceNames, Unscored, UnscoredReason};

/// Traffic Light Protocol 2.0 markings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tlp {
    /// TLP:CLEAR.
    Clear,
    /// TLP:GREEN.
    Green,
    /// TLP:AMBER.
    #[default]
    Amber,
    /// TLP:AMBER+STRICT.
    AmberStrict,
    /// TLP:RED.
    Red,
}

impl std::str::FromStr for Tlp {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Tlp::parse(text).ok_or_else(|| {
            format!(
                "`{}` is not a TLP marking; expected CLEAR, GREEN, AMBER, AMBER+STRICT or RED",
                text.escape_debug()
            )
        })
    }
}

impl Tlp {
    /// Reads `CLEAR`, `green`, `TLP:AMBER`, `amber+strict`…
    pub fn parse(text: &str) -> Option<Tlp> {
        let upper = text.trim().to_ascii_uppercase();
        match upper.strip_prefix("TLP:").unwrap_or(&upper) {
            "CLEAR" | "WHITE" => Some(Tlp::Clear),
            "GREEN" => Some(Tlp::Green),
            "AMBER" => Some(Tlp::Amber),
            "AMBER+STRICT" | "AMBER-STRICT" => Some(Tlp::AmberStrict),
            "RED" => Some(Tlp::Red),
            _ => None,
        }
    }

    /// The marking as printed: `TLP:AMBER+STRICT`.
    pub fn marking(self) -> &'static str {
        match self {
            Tlp::Clear => "TLP:CLEAR",
            Tlp::Green => "TLP:GREEN",
            Tlp::Amber => "TLP:AMBER",
            Tlp::AmberStrict => "TLP:AMBER+STRICT",
            Tlp::Red => "TLP:RED",
        }
    }

    /// The label key of what the marking allows.
    pub fn meaning_key(self) -> &'static str {
        match self {
            Tlp::Clear => "tlp_clear",
            Tlp::Green => "tlp_green",
            Tlp::Amber => "tlp_amber",
            Tlp::AmberStrict => "tlp_amber_strict",
            Tlp::Red => "tlp_red",
        }
    }

    /// The TLP 2.0 text colour (on black).
    pub fn colour(self) -> &'static str {
        match self {
            Tlp::Clear => "#FFFFFF",
            Tlp::Green => "#33FF00",
            Tlp::Amber | Tlp::AmberStrict => "#FFC000",
            Tlp::Red => "#FF2B2B",
        }
    }
}

/// How the report is made.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Language of labels and texts.
    pub lang: String,
    /// TLP marking.
    pub tlp: Tlp,
    /// When the report was made.
    pub generated: jiff::Timestamp,
    /// Whether respondents' personal names appear (organizations always do).
    pub respondent_names: bool,
    /// How disagreeing answers of one country and round were settled, for the method note.
    pub conflict_policy: ConflictPolicy,
}

/// Averages of a group's members that have a result in one round.
#[derive(Debug, Clone, PartialEq)]
pub struct Averages {
    /// Mean overall score of the members with one.
    pub overall: Option<f64>,
    /// Mean score per pillar.
    pub pillars: Vec<Option<f64>>,
    /// Mean score per indicator.
    pub indicators: Vec<Option<f64>>,
    /// Members with a result.
    pub members: usize,
}

/// A group present in the data, with its averages.
#[derive(Debug, Clone)]
pub struct GroupStats {
    /// Position in `Groups::groups`.
    pub group: usize,
    /// Members that have at least one result.
    pub members: Vec<CountryCode>,
    /// Averages per round (same order as `ReportData::rounds`), over the members of that round:
    /// averaging each member's latest round instead would mix years.
    pub by_round: Vec<Averages>,
}

/// What changed between a country's previous and latest rounds.
#[derive(Debug, Clone)]
pub struct Change {
    /// The earlier round.
    pub previous: Round,
    /// The later round.
    pub latest: Round,
    /// The overall score in the earlier and the later round; a difference is shown as
    /// `numbers::shown_difference` of the two, so that it adds up with the scores beside it.
    pub overall: (Option<f64>, Option<f64>),
    /// Each pillar's score in the earlier and the later round.
    pub pillars: Vec<(Option<f64>, Option<f64>)>,
    /// Indicators whose stage moved: (position, from, to).
    pub stage_moves: Vec<(usize, Stage, Stage)>,
}

impl Change {
    /// The overall stage in the earlier and the later round, when both have an overall score.
    pub fn overall_stages(&self) -> Option<(Stage, Stage)> {
        let (before, after) = self.overall;
        Some((Stage::of(before?), Stage::of(after?)))
    }
}

/// A country and round left without a score, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct UnscoredRound {
    /// The country.
    pub country: CountryCode,
    /// The round.
    pub round: Round,
    /// Why, and the files concerned.
    pub why: Unscored,
}

/// How far the respondents of a country and round agree, whether it was scored or not.
#[derive(Debug, Clone)]
pub struct RoundAgreement {
    /// The country.
    pub country: CountryCode,
    /// The round.
    pub round: Round,
    /// The position in `ReportData::versions` of the version it was answered on.
    pub version: usize,
    /// Why it has no score, when it has none (a disagreement left open, mostly).
    pub unscored: Option<UnscoredReason>,
    /// The agreement.
    pub agreement: Agreement,
    /// Its disagreements when it has no score, which no result keeps; empty when scored.
    pub open: Vec<Disagreement>,
}

/// Everything a report shows, computed once.
#[derive(Debug)]
pub struct ReportData<'a> {
    /// The latest version of the questionnaire: pillars and indicators are shown, compared and
    /// averaged by its positions.
    pub questionnaire: &'a Questionnaire,
    /// Every version the results were scored on, oldest first (`ScoredCountryRound::version`).
    pub versions: Vec<&'a Questionnaire>,
    /// By result: its tree in its own version's places, when that is not the latest version
    /// (`results` hold the tree aligned to the latest).
    own_trees: Vec<Option<ScoreTree>>,
    /// The groups.
    pub groups: &'a Groups,
    /// Every response, as numbered in results.
    pub sources: &'a dyn SourceNames,
    /// How the report is made.
    pub options: ReportOptions,
    /// Scored groups, sorted by country and round.
    pub results: Vec<ScoredCountryRound>,
    /// Countries and rounds left unscored, and why, sorted by country and round.
    pub unscored: Vec<UnscoredRound>,
    /// Rounds present, in natural order.
    pub rounds: Vec<Round>,
    /// Countries present, by code.
    pub countries: Vec<CountryCode>,
    /// Groups that have members in the data.
    pub group_stats: Vec<GroupStats>,
    /// The agreement of every country and round with two or more respondents, scored or not,
    /// sorted by country and round.
    pub agreements: Vec<RoundAgreement>,
}

impl<'a> ReportData<'a> {
    /// Computes the model from every group result (scored or not), scored on `versions` of one
    /// questionnaire (oldest first).
    ///
    /// A result scored on an earlier version has its pillars and indicators put in the places of
    /// the latest version's (matched by id, or by `replaces` through the versions between), so that
    /// rounds and countries compare position by position; what the latest version lacks is left
    /// out, what it added has no score. Its questions stay those of its own version.
    pub fn new(
        versions: &[&'a Questionnaire],
        groups: &'a Groups,
        sources: &'a dyn SourceNames,
        options: ReportOptions,
        all: Vec<ScoredCountryRound>,
    ) -> Self {
        let questionnaire = *versions.last().expect("a report has a questionnaire");
        let alignments: Vec<Alignment> = (0..versions.len())
            .map(|v| Alignment::new(versions, v))
            .collect();
        // Measured before the unscored rounds give up their answers: a round left unscored by
        // a disagreement is the one whose agreement matters most.
        let mut agreements: Vec<RoundAgreement> = all
            .iter()
            .filter_map(|r| {
                Some(RoundAgreement {
                    agreement: respondent_agreement(versions.get(r.version)?, r)?,
                    country: r.country.clone(),
                    round: r.round.clone(),
                    version: r.version,
                    unscored: r.unscored.as_ref().map(|u| u.reason),
                    open: if r.tree.is_none() {
                        r.merged.disagreements.clone()
                    } else {
                        Vec::new()
                    },
                })
            })
            .collect();
        agreements.sort_by(|a, b| (&a.country, &a.round).cmp(&(&b.country, &b.round)));
        let (mut results, mut unscored): (Vec<ScoredCountryRound>, Vec<ScoredCountryRound>) =
            all.into_iter().partition(|r| r.tree.is_some());
        unscored.sort_by(|a, b| (&a.country, &a.round).cmp(&(&b.country, &b.round)));
        results.sort_by(|a, b| (&a.country, &a.round).cmp(&(&b.country, &b.round)));
        let own_trees = results
            .iter_mut()
            .map(|result| {
                if result.version + 1 >= versions.len() {
                    return None;
                }
                let own = result.tree.take()?;
                result.tree = Some(alignments[result.version].align(questionnaire, own.clone()));
                Some(own)
            })
            .collect();
        let mut rounds: Vec<Round> = results.iter().map(|r| r.round.clone()).collect();
        rounds.sort();
        rounds.dedup();
        let mut countries: Vec<CountryCode> = results.iter().map(|r| r.country.clone()).collect();
        countries.dedup();
        let mut data = ReportData {
            questionnaire,
            versions: versions.to_vec(),
            own_trees,
            groups,
            sources,
            options,
            results,
            unscored: unscored
                .into_iter()
                .filter_map(|r| {
                    Some(UnscoredRound {
                        why: r.unscored?,
                        country: r.country,
                        round: r.round,
                    })
                })
                .collect(),
            rounds,
            countries,
            group_stats: Vec::new(),
            agreements,
        };
        data.group_stats = data.compute_group_stats();
        data
    }

    /// The version of the questionnaire a result was scored on: the one its questions and answers
    /// are read with.
    pub fn questionnaire_of(&self, result: &ScoredCountryRound) -> &'a Questionnaire {
        self.versions
            .get(result.version)
            .copied()
            .unwrap_or(self.questionnaire)
    }

    /// Result `index` scored as its own version lays it out: what `score` writes for it.
    pub fn own_tree(&self, index: usize) -> Option<&ScoreTree> {
        match self.own_trees.get(index) {
            Some(Some(own)) => Some(own),
            _ => self.results[index].tree.as_ref(),
        }
    }

    /// The results of one country, oldest round first.
    pub fn country_results(
        &self,
        country: &CountryCode,
    ) -> impl Iterator<Item = &ScoredCountryRound> {
        let start = self.results.partition_point(|r| &r.country < country);
        self.results[start..]
            .iter()
            .take_while(move |r| &r.country == country)
    }

    /// The result of one country in one round.
    pub fn result(&self, country: &CountryCode, round: &Round) -> Option<&ScoredCountryRound> {
        self.country_results(country).find(|r| &r.round == round)
    }

    /// The agreements of one country's rounds with several respondents, oldest round first.
    pub fn agreements_of(&self, country: &CountryCode) -> &[RoundAgreement] {
        let start = self.agreements.partition_point(|a| &a.country < country);
        let end = self.agreements.partition_point(|a| &a.country <= country);
        &self.agreements[start..end]
    }

    /// A country's latest scored result.
    pub fn latest(&self, country: &CountryCode) -> Option<&ScoredCountryRound> {
        self.country_results(country).last()
    }

    /// The stats of the groups a country belongs to.
    pub fn groups_of(&self, country: &CountryCode) -> Vec<&GroupStats> {
        self.group_stats
            .iter()
            .filter(|g| g.members.contains(country))
            .collect()
    }

    /// The group a country is shown under in charts: the first of its groups in the order of the
    /// groups (defaults, then the groups file), or `None` when it is in none. A country in the EU
    /// and the OECD is drawn once, under the EU.
    pub fn region_of(&self, country: &CountryCode) -> Option<&GroupStats> {
        self.group_stats
            .iter()
            .find(|g| g.members.contains(country))
    }

    /// A group's averages in one round, if any member has a result in it.
    pub fn group_average<'g>(&self, group: &'g GroupStats, round: &Round) -> Option<&'g Averages> {
        let at = self.rounds.iter().position(|r| r == round)?;
        group.by_round.get(at).filter(|a| a.members > 0)
    }

    /// The latest round present in the data.
    pub fn latest_round(&self) -> Option<&Round> {
        self.rounds.last()
    }

    fn compute_group_stats(&self) -> Vec<GroupStats> {
        let mut stats = Vec::new();
        for (index, group) in self.groups.groups.iter().enumerate() {
            let members: Vec<CountryCode> = group
                .members
                .iter()
                .filter(|c| self.countries.contains(c))
                .cloned()
                .collect();
            if members.is_empty() {
                continue;
            }
            let by_round = self
                .rounds
                .iter()
                .map(|round| {
                    let trees: Vec<&ScoreTree> = members
                        .iter()
                        .filter_map(|c| self.result(c, round))
                        .filter_map(|r| r.tree.as_ref())
                        .collect();
                    self.averages(&trees)
                })
                .collect();
            stats.push(GroupStats {
                group: index,
                members,
                by_round,
            });
        }
        stats
    }

    fn averages(&self, trees: &[&ScoreTree]) -> Averages {
        let q = self.questionnaire;
        let overall = mean(trees.iter().map(|t| t.overall.score));
        let pillars = (0..q.pillars.len())
            .map(|p| mean(trees.iter().map(|t| t.pillars[p].measure.score)))
            .collect();
        let indicators = (0..q.indicators.len())
            .map(|i| {
                mean(
                    trees
                        .iter()
                        .map(|t| indicator_of(t, i).and_then(|s| s.measure.score)),
                )
            })
            .collect();
        Averages {
            overall,
            pillars,
            indicators,
            members: trees.len(),
        }
    }

    /// What changed between a country's two latest rounds, if it has two.
    pub fn change(&self, country: &CountryCode) -> Option<Change> {
        let results: Vec<&ScoredCountryRound> = self.country_results(country).collect();
        let [.., previous, latest] = results.as_slice() else {
            return None;
        };
        let (before, after) = (previous.tree.as_ref()?, latest.tree.as_ref()?);
        let stage_moves = (0..self.questionnaire.indicators.len())
            .filter_map(|i| {
                let from = indicator_of(before, i)?.measure.stage?;
                let to = indicator_of(after, i)?.measure.stage?;
                (from != to).then_some((i, from, to))
            })
            .collect();
        Some(Change {
            previous: previous.round.clone(),
            latest: latest.round.clone(),
            overall: (before.overall.score, after.overall.score),
            pillars: before
                .pillars
                .iter()
                .zip(&after.pillars)
                .map(|(a, b)| (a.measure.score, b.measure.score))
                .collect(),
            stage_moves,
        })
    }

    /// A country's scored indicators in its latest round, best first.
    pub fn ranked_indicators(&self, country: &CountryCode) -> Vec<Ranked> {
        let Some(tree) = self.latest(country).and_then(|r| r.tree.as_ref()) else {
            return Vec::new();
        };
        let mut ranked: Vec<Ranked> = tree
            .pillars
            .iter()
            .flat_map(|p| &p.indicators)
            .filter_map(|i| {
                Some(Ranked {
                    indicator: i.indicator,
                    score: i.measure.score?,
                    stage: i.measure.stage?,
                })
            })
            .collect();
        // Stable: equal scores keep questionnaire order.
        ranked.sort_by(|a, b| b.score.total_cmp(&a.score));
        ranked
    }

    /// Strengths and gaps: the best and the weakest indicators, at most `n` each, never the same.
    pub fn strengths_and_gaps(
        &self,
        country: &CountryCode,
        n: usize,
    ) -> (Vec<Ranked>, Vec<Ranked>) {
        let ranked = self.ranked_indicators(country);
        let take = n.min(ranked.len() / 2);
        let strengths = ranked[..take].to_vec();
        let mut gaps: Vec<Ranked> = ranked[ranked.len() - take..].to_vec();
        gaps.reverse();
        (strengths, gaps)
    }
}

/// An indicator of one country with its score and stage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranked {
    /// Position in `Questionnaire::indicators`.
    pub indicator: usize,
    /// Its score.
    pub score: f64,
    /// Its stage.
    pub stage: Stage,
}

/// The score of indicator `position` in a tree.
pub fn indicator_of(tree: &ScoreTree, position: usize) -> Option<&IndicatorScore> {
    tree.pillars
        .iter()
        .flat_map(|p| &p.indicators)
        .find(|i| i.indicator == position)
}

/// Where the pillars and indicators of the latest version are in an earlier one.
#[derive(Debug, Clone, Default)]
pub struct Alignment {
    /// By pillar of the latest version: its position in this version.
    pub pillars: Vec<Option<usize>>,
    /// By indicator of the latest version: its position in this version.
    pub indicators: Vec<Option<usize>>,
}

impl Alignment {
    /// Where the items of the last of `versions` are in version `target`.
    pub fn new(versions: &[&Questionnaire], target: usize) -> Alignment {
        Alignment {
            pillars: trace_back(versions, target, |q| &q.pillars),
            indicators: trace_back(versions, target, |q| &q.indicators),
        }
    }

    /// A tree of this version with its pillars and indicators in the latest version's places.
    fn align(&self, latest: &Questionnaire, tree: ScoreTree) -> ScoreTree {
        let mut indicators: Vec<Option<IndicatorScore>> = Vec::new();
        let mut pillars: Vec<Option<crate::scoring::Measure>> = Vec::new();
        for pillar in tree.pillars {
            if pillars.len() <= pillar.pillar {
                pillars.resize(pillar.pillar + 1, None);
            }
            pillars[pillar.pillar] = Some(pillar.measure);
            for indicator in pillar.indicators {
                let at = indicator.indicator;
                if indicators.len() <= at {
                    indicators.resize_with(at + 1, || None);
                }
                indicators[at] = Some(indicator);
            }
        }
        let none = crate::scoring::Measure {
            score: None,
            stage: None,
            completeness: None,
        };
        let pillars = latest
            .pillars
            .iter()
            .enumerate()
            .map(|(p, def)| crate::scoring::PillarScore {
                pillar: p,
                measure: self.pillars[p]
                    .and_then(|own| pillars.get(own).copied().flatten())
                    .unwrap_or(none),
                indicators: def
                    .indicators
                    .clone()
                    .map(|i| {
                        let own = self.indicators[i]
                            .and_then(|own| indicators.get_mut(own).and_then(Option::take));
                        match own {
                            Some(score) => IndicatorScore {
                                indicator: i,
                                ..score
                            },
                            None => IndicatorScore {
                                indicator: i,
                                measure: none,
                                questions: Vec::new(),
                            },
                        }
                    })
                    .collect(),
            })
            .collect();
        ScoreTree {
            overall: tree.overall,
            pillars,
        }
    }
}

/// The mean of the values present.
fn mean(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let (sum, count) = values
        .flatten()
        .fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
    (count > 0).then(|| sum / count as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlp_markings_parse_in_any_case() {
        assert_eq!(Tlp::parse("amber+strict"), Some(Tlp::AmberStrict));
        assert_eq!(Tlp::parse("TLP:RED"), Some(Tlp::Red));
        assert_eq!(Tlp::parse("clear").map(Tlp::marking), Some("TLP:CLEAR"));
        assert_eq!(Tlp::parse("purple"), None);
        assert_eq!(Tlp::default(), Tlp::Amber);
    }

    #[test]
    fn means_skip_missing_values() {
        assert_eq!(mean([Some(10.0), None, Some(20.0)].into_iter()), Some(15.0));
        assert_eq!(mean([None, None].into_iter()), None);
    }
}

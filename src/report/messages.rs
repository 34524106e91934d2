//! The key messages of a report's first page, computed from the report model: how many countries
//! and where the median sits, who moved a stage, the largest movers, the widest gaps to the
//! group, and whose scores rest on the fewest answers. Data only; the view words them.

use crate::model::{CountryCode, Round};
use crate::numbers::shown_difference;
use crate::scoring::Stage;

use super::model::ReportData;

/// Completeness under which a country's scores are called out as resting on few answers.
pub const LOW_COMPLETENESS: f64 = 0.8;

/// One key message.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyMessage {
    /// How many countries were assessed in the latest round, and the median overall score.
    Overview {
        /// The latest round of the data.
        round: Round,
        /// Countries with an overall score in it.
        countries: usize,
        /// Their median overall score.
        median: f64,
    },
    /// Countries whose overall stage changed between their previous and latest rounds.
    StageMoves {
        /// Moved up: country, from, to.
        up: Vec<(CountryCode, Stage, Stage)>,
        /// Moved down: country, from, to.
        down: Vec<(CountryCode, Stage, Stage)>,
        /// Countries compared with an earlier round.
        compared: usize,
    },
    /// The largest rise and fall of the overall score since each country's previous round.
    Movers {
        /// The largest rise, if any score rose.
        rise: Option<Mover>,
        /// The largest fall, if any score fell.
        fall: Option<Mover>,
    },
    /// The countries furthest above and below their group's average in the same round.
    Gaps {
        /// Furthest above, if any is above.
        above: Option<Gap>,
        /// Furthest below, if any is below.
        below: Option<Gap>,
    },
    /// Countries whose latest scores rest on the fewest answers.
    Completeness {
        /// Lowest first: country, round, completeness; those under [`LOW_COMPLETENESS`], or the
        /// single lowest when none is.
        lowest: Vec<(CountryCode, Round, f64)>,
        /// Whether every one listed is under [`LOW_COMPLETENESS`].
        low: bool,
    },
}

/// A country's change of overall score between two rounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Mover {
    /// The country.
    pub country: CountryCode,
    /// Its previous round.
    pub from: Round,
    /// Its latest round.
    pub to: Round,
    /// The change, as the shown scores give it.
    pub delta: f64,
}

/// A country's distance to its group's average.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    /// The country.
    pub country: CountryCode,
    /// Position of the group in `Groups::groups`.
    pub group: usize,
    /// The round compared.
    pub round: Round,
    /// Country minus group average, as the shown scores give it.
    pub delta: f64,
}

/// The key messages of a report, most important first; at most five.
pub fn key_messages(data: &ReportData) -> Vec<KeyMessage> {
    let mut messages = Vec::new();
    if let Some(overview) = overview(data) {
        messages.push(overview);
    }
    messages.extend(stage_moves(data));
    messages.extend(movers(data));
    messages.extend(gaps(data));
    messages.extend(completeness(data));
    messages.truncate(5);
    messages
}

fn overall(result: &crate::scoring::ScoredCountryRound) -> Option<f64> {
    result.tree.as_ref()?.overall.score
}

fn overview(data: &ReportData) -> Option<KeyMessage> {
    let round = data.latest_round()?;
    let mut scores: Vec<f64> = data
        .countries
        .iter()
        .filter_map(|c| data.result(c, round))
        .filter_map(overall)
        .collect();
    if scores.is_empty() {
        return None;
    }
    scores.sort_by(f64::total_cmp);
    let n = scores.len();
    let median = if n % 2 == 1 {
        scores[n / 2]
    } else {
        (scores[n / 2 - 1] + scores[n / 2]) / 2.0
    };
    Some(KeyMessage::Overview {
        round: round.clone(),
        countries: n,
        median,
    })
}

/// Each country's previous and latest overall scores, where it has both.
fn pairs(data: &ReportData) -> Vec<(CountryCode, Round, Round, f64, f64)> {
    data.countries
        .iter()
        .filter_map(|country| {
            let results: Vec<_> = data.country_results(country).collect();
            let [.., previous, latest] = results.as_slice() else {
                return None;
            };
            Some((
                country.clone(),
                previous.round.clone(),
                latest.round.clone(),
                overall(previous)?,
                overall(latest)?,
            ))
        })
        .collect()
}

fn stage_moves(data: &ReportData) -> Option<KeyMessage> {
    let pairs = pairs(data);
    if pairs.is_empty() {
        return None;
    }
    let (mut up, mut down) = (Vec::new(), Vec::new());
    for (country, _, _, before, after) in &pairs {
        let (from, to) = (Stage::of(*before), Stage::of(*after));
        if to > from {
            up.push((country.clone(), from, to));
        } else if to < from {
            down.push((country.clone(), from, to));
        }
    }
    Some(KeyMessage::StageMoves {
        up,
        down,
        compared: pairs.len(),
    })
}

fn movers(data: &ReportData) -> Option<KeyMessage> {
    let moves: Vec<Mover> = pairs(data)
        .into_iter()
        .filter_map(|(country, from, to, before, after)| {
            Some(Mover {
                country,
                from,
                to,
                delta: shown_difference(Some(before), Some(after))?,
            })
        })
        .collect();
    // Ties keep the first country by code, so the message does not depend on input order.
    let rise = moves
        .iter()
        .filter(|m| m.delta > 0.0)
        .fold(None::<&Mover>, |best, m| match best {
            Some(b) if b.delta >= m.delta => Some(b),
            _ => Some(m),
        })
        .cloned();
    let fall = moves
        .iter()
        .filter(|m| m.delta < 0.0)
        .fold(None::<&Mover>, |best, m| match best {
            Some(b) if b.delta <= m.delta => Some(b),
            _ => Some(m),
        })
        .cloned();
    (rise.is_some() || fall.is_some()).then_some(KeyMessage::Movers { rise, fall })
}

fn gaps(data: &ReportData) -> Option<KeyMessage> {
    let gaps: Vec<Gap> = data
        .countries
        .iter()
        .filter_map(|country| {
            let latest = data.latest(country)?;
            let group = data.region_of(country)?;
            let average = data.group_average(group, &latest.round)?;
            // A group of one is the country itself: no gap to speak of.
            if average.members < 2 {
                return None;
            }
            Some(Gap {
                country: country.clone(),
                group: group.group,
                round: latest.round.clone(),
                delta: shown_difference(average.overall, overall(latest))?,
            })
        })
        .collect();
    if gaps.is_empty() {
        return None;
    }
    let above = gaps
        .iter()
        .filter(|g| g.delta > 0.0)
        .fold(None::<&Gap>, |best, g| match best {
            Some(b) if b.delta >= g.delta => Some(b),
            _ => Some(g),
        })
        .cloned();
    let below = gaps
        .iter()
        .filter(|g| g.delta < 0.0)
        .fold(None::<&Gap>, |best, g| match best {
            Some(b) if b.delta <= g.delta => Some(b),
            _ => Some(g),
        })
        .cloned();
    (above.is_some() || below.is_some()).then_some(KeyMessage::Gaps { above, below })
}

fn completeness(data: &ReportData) -> Option<KeyMessage> {
    let mut all: Vec<(CountryCode, Round, f64)> = data
        .countries
        .iter()
        .filter_map(|country| {
            let latest = data.latest(country)?;
            let completeness = latest.tree.as_ref()?.overall.completeness?;
            Some((country.clone(), latest.round.clone(), completeness))
        })
        .collect();
    all.sort_by(|a, b| a.2.total_cmp(&b.2).then_with(|| a.0.cmp(&b.0)));
    let low: Vec<_> = all
        .iter()
        .filter(|(_, _, c)| *c < LOW_COMPLETENESS)
        .cloned()
        .collect();
    if !low.is_empty() {
        return Some(KeyMessage::Completeness {
            lowest: low,
            low: true,
        });
    }
    let lowest = all.into_iter().next()?;
    // Every sheet complete: nothing to warn about.
    (lowest.2 < 1.0).then(|| KeyMessage::Completeness {
        lowest: vec![lowest],
        low: false,
    })
}

//! The key messages of a report's first page, computed from the report model: how many countries
//! and where the median sits, who moved a stage, the largest movers, the widest gaps to the
//! group, and whose scores rest on the fewest answers. Data only; the view words them.

use crate::model::{CountryCode, Round};
use crate::numbers::shown_difference;
use crate::scoring::Stage;

use super::model::{Change, ReportData};

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
    // Each country compared with its previous round, where both rounds have an overall score.
    let changes: Vec<(&CountryCode, Change)> = data
        .countries
        .iter()
        .filter_map(|c| Some((c, data.change(c)?)))
        .filter(|(_, change)| change.overall_stages().is_some())
        .collect();
    let mut messages = Vec::new();
    messages.extend(overview(data));
    messages.extend(stage_moves(&changes));
    messages.extend(movers(&changes));
    messages.extend(gaps(data));
    messages.extend(completeness(data));
    messages.truncate(5);
    messages
}

fn overall(result: &crate::scoring::ScoredCountryRound) -> Option<f64> {
    result.tree.as_ref()?.overall.score
}

/// The item with the largest positive `delta` and the one with the most negative; on a tie the
/// first in `items` (countries come by code), so a message does not depend on input order.
fn furthest<T: Clone>(items: &[T], delta: impl Fn(&T) -> f64) -> (Option<T>, Option<T>) {
    let (mut above, mut below): (Option<&T>, Option<&T>) = (None, None);
    for item in items {
        let d = delta(item);
        if d > 0.0 && above.is_none_or(|a| d > delta(a)) {
            above = Some(item);
        }
        if d < 0.0 && below.is_none_or(|b| d < delta(b)) {
            below = Some(item);
        }
    }
    (above.cloned(), below.cloned())
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

fn stage_moves(changes: &[(&CountryCode, Change)]) -> Option<KeyMessage> {
    if changes.is_empty() {
        return None;
    }
    let (mut up, mut down) = (Vec::new(), Vec::new());
    for (country, change) in changes {
        let Some((from, to)) = change.overall_stages() else {
            continue;
        };
        if to > from {
            up.push(((*country).clone(), from, to));
        } else if to < from {
            down.push(((*country).clone(), from, to));
        }
    }
    Some(KeyMessage::StageMoves {
        up,
        down,
        compared: changes.len(),
    })
}

fn movers(changes: &[(&CountryCode, Change)]) -> Option<KeyMessage> {
    let moves: Vec<Mover> = changes
        .iter()
        .filter_map(|(country, change)| {
            Some(Mover {
                country: (*country).clone(),
                from: change.previous.clone(),
                to: change.latest.clone(),
                delta: shown_difference(change.overall.0, change.overall.1)?,
            })
        })
        .collect();
    let (rise, fall) = furthest(&moves, |m| m.delta);
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
    let (above, below) = furthest(&gaps, |g| g.delta);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_furthest_either_way_and_on_a_tie_the_first() {
        let deltas = [2.0, -1.0, 5.0, 5.0, -3.0, -3.0, 0.0];
        let (above, below) = furthest(&deltas.iter().enumerate().collect::<Vec<_>>(), |d| *d.1);
        assert_eq!(above.map(|a| a.0), Some(2));
        assert_eq!(below.map(|b| b.0), Some(4));
        let (above, below) = furthest(&[0.0_f64], |d| *d);
        assert_eq!((above, below), (None, None));
    }
}

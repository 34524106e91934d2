//! What changed between two versions of a questionnaire, and where each pillar, indicator and
//! question of the newer one is in the older: the one rule by which rounds on different versions
//! are compared.

use serde::Serialize;

use super::{Indicator, Pillar, Question, QuestionKind, Questionnaire};

/// What a pillar, indicator or question is known by across versions.
pub trait Named {
    /// Its id in its version.
    fn id(&self) -> &str;
    /// The id it had in the version before, when it was renamed.
    fn replaces(&self) -> Option<&str>;
}

impl Named for Pillar {
    fn id(&self) -> &str {
        &self.id
    }
    fn replaces(&self) -> Option<&str> {
        None
    }
}

impl Named for Indicator {
    fn id(&self) -> &str {
        &self.id
    }
    fn replaces(&self) -> Option<&str> {
        self.replaces.as_deref()
    }
}

impl Named for Question {
    fn id(&self) -> &str {
        &self.id
    }
    fn replaces(&self) -> Option<&str> {
        self.replaces.as_deref()
    }
}

/// By item of the last of `versions`: its position in version `target`, following ids back one
/// version at a time (the same id, or the id the newer item `replaces`).
pub fn trace_back<T: Named>(
    versions: &[&Questionnaire],
    target: usize,
    items: impl Fn(&Questionnaire) -> &[T],
) -> Vec<Option<usize>> {
    let Some(last) = versions.len().checked_sub(1) else {
        return Vec::new();
    };
    let mut positions: Vec<Option<usize>> = (0..items(versions[last]).len()).map(Some).collect();
    for older in (target..last).rev() {
        let (newer, older) = (items(versions[older + 1]), items(versions[older]));
        for position in &mut positions {
            *position = position.and_then(|p| {
                let item = &newer[p];
                older.iter().position(|o| o.id() == item.id()).or_else(|| {
                    let old_id = item.replaces()?;
                    older.iter().position(|o| o.id() == old_id)
                })
            });
        }
    }
    positions
}

/// What a change touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// A pillar.
    Pillar,
    /// An indicator.
    Indicator,
    /// A question.
    Question,
}

/// The kind of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only in the newer version.
    Added,
    /// Only in the older version.
    Removed,
    /// The same item under a new id (`replaces`).
    Renamed,
    /// Its weight changed.
    Reweighted,
    /// It moved to another indicator or pillar.
    Moved,
    /// A question's type changed.
    TypeChanged,
    /// A question's options, their levels or points, or its number bands changed.
    OptionsChanged,
}

/// One change between two versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// What it is.
    pub kind: ChangeKind,
    /// What it touches.
    pub level: Level,
    /// Its id in the newer version (in the older one when removed).
    pub id: String,
    /// What it was, where it differs: the old id, weight, type, or options.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// What it became.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// Every change from version `old` to version `new`, pillars first, then indicators, then
/// questions, each in the newer version's order with removals last.
pub fn diff(old: &Questionnaire, new: &Questionnaire) -> Vec<Change> {
    let versions = [old, new];
    let mut changes = Vec::new();
    let pillars = trace_back(&versions, 0, |q| &q.pillars);
    let indicators = trace_back(&versions, 0, |q| &q.indicators);
    let questions = trace_back(&versions, 0, |q| &q.questions);
    compare(
        &mut changes,
        Level::Pillar,
        &old.pillars,
        &new.pillars,
        &pillars,
        |o, n| (o.weight, n.weight),
        |_, _| None,
    );
    compare(
        &mut changes,
        Level::Indicator,
        &old.indicators,
        &new.indicators,
        &indicators,
        |o, n| (o.weight, n.weight),
        |o, n| {
            let (from, to) = (&old.pillars[o.pillar].id, &new.pillars[n.pillar].id);
            (pillars[n.pillar] != Some(o.pillar)).then(|| (from.clone(), to.clone()))
        },
    );
    compare(
        &mut changes,
        Level::Question,
        &old.questions,
        &new.questions,
        &questions,
        |o, n| (o.weight, n.weight),
        |o, n| {
            let (from, to) = (
                &old.indicators[o.indicator].id,
                &new.indicators[n.indicator].id,
            );
            (indicators[n.indicator] != Some(o.indicator)).then(|| (from.clone(), to.clone()))
        },
    );
    for (n, o) in questions.iter().enumerate() {
        let Some(o) = *o else { continue };
        let (before, after) = (&old.questions[o], &new.questions[n]);
        let id = after.id.clone();
        if before.kind_name() != after.kind_name() {
            changes.push(Change {
                kind: ChangeKind::TypeChanged,
                level: Level::Question,
                id,
                from: Some(before.kind_name().to_string()),
                to: Some(after.kind_name().to_string()),
            });
        } else if let (Some(from), Some(to)) = (scale(&before.kind), scale(&after.kind))
            && from != to
        {
            changes.push(Change {
                kind: ChangeKind::OptionsChanged,
                level: Level::Question,
                id,
                from: Some(from),
                to: Some(to),
            });
        }
    }
    changes
}

/// The changes of one level: added, renamed, re-weighted and moved items in the newer order, then
/// the removed ones in the older order.
fn compare<T: Named>(
    changes: &mut Vec<Change>,
    level: Level,
    old: &[T],
    new: &[T],
    positions: &[Option<usize>],
    weights: impl Fn(&T, &T) -> (f64, f64),
    moved: impl Fn(&T, &T) -> Option<(String, String)>,
) {
    let change = |kind, id: &str, from: Option<String>, to: Option<String>| Change {
        kind,
        level,
        id: id.to_owned(),
        from,
        to,
    };
    for (n, o) in positions.iter().enumerate() {
        let item = &new[n];
        let Some(o) = *o else {
            changes.push(change(ChangeKind::Added, item.id(), None, None));
            continue;
        };
        let before = &old[o];
        if before.id() != item.id() {
            changes.push(change(
                ChangeKind::Renamed,
                item.id(),
                Some(before.id().to_owned()),
                Some(item.id().to_owned()),
            ));
        }
        let (from, to) = weights(before, item);
        if from != to {
            changes.push(change(
                ChangeKind::Reweighted,
                item.id(),
                Some(from.to_string()),
                Some(to.to_string()),
            ));
        }
        if let Some((from, to)) = moved(before, item) {
            changes.push(change(ChangeKind::Moved, item.id(), Some(from), Some(to)));
        }
    }
    for (o, item) in old.iter().enumerate() {
        if !positions.contains(&Some(o)) {
            changes.push(change(ChangeKind::Removed, item.id(), None, None));
        }
    }
}

/// What a question's answers are worth, written out to compare: option ids with their level or
/// points, or the number bands.
fn scale(kind: &QuestionKind) -> Option<String> {
    match kind {
        QuestionKind::Choice { options } => Some(
            options
                .iter()
                .map(|o| format!("{}={}", o.id, o.level))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        QuestionKind::Multi { options } => Some(
            options
                .iter()
                .map(|o| format!("{}={}", o.id, o.points))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        QuestionKind::Number { min, max, bands } => Some(
            std::iter::once(format!(
                "{}..{}",
                min.map_or_else(String::new, |m| m.to_string()),
                max.map_or_else(String::new, |m| m.to_string())
            ))
            .chain(bands.iter().map(|(min, level)| format!("≥{min}={level}")))
            .collect::<Vec<_>>()
            .join(" "),
        ),
        QuestionKind::YesNo | QuestionKind::Text => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Source, load_questionnaire};

    fn version(text: &str) -> Questionnaire {
        let source = Source::from_text(std::path::Path::new("q.yaml"), text);
        load_questionnaire(&source)
            .expect("a valid questionnaire")
            .0
    }

    fn builtin_text() -> String {
        include_str!("../../questionnaires/eu-lac-cyber-capacity.yaml").to_owned()
    }

    #[test]
    fn a_change_of_each_kind_is_found() {
        let old = version(&builtin_text());
        let new = version(
            &builtin_text()
                .replace("version: 1.0.0", "version: 1.1.0")
                .replace(
                    "        - id: wf_edu_educators\n",
                    "        - id: wf_edu_teachers\n          replaces: wf_edu_educators\n",
                )
                .replacen("          weight: 1\n", "          weight: 3\n", 1)
                .replace(
                    "    - id: ecosystem.strategy\n",
                    "    - id: ecosystem.national_strategy\n      replaces: ecosystem.strategy\n",
                ),
        );
        let changes = diff(&old, &new);
        let has = |kind, level, id: &str| {
            changes
                .iter()
                .any(|c| c.kind == kind && c.level == level && c.id == id)
        };
        assert!(has(ChangeKind::Renamed, Level::Question, "wf_edu_teachers"));
        let reweighted = changes
            .iter()
            .find(|c| c.kind == ChangeKind::Reweighted)
            .expect("a weight changed");
        assert_eq!(
            (reweighted.from.as_deref(), reweighted.to.as_deref()),
            (Some("1"), Some("3"))
        );
        assert!(has(
            ChangeKind::Renamed,
            Level::Indicator,
            "ecosystem.national_strategy"
        ));
        assert!(
            !changes
                .iter()
                .any(|c| c.kind == ChangeKind::Added || c.kind == ChangeKind::Removed)
        );
        assert!(diff(&old, &old).is_empty());
    }

    #[test]
    fn a_rename_is_followed_through_every_version_between() {
        let v1 = version(&builtin_text());
        let v2 = version(
            &builtin_text()
                .replace("version: 1.0.0", "version: 2")
                .replace(
                    "        - id: wf_edu_educators\n",
                    "        - id: wf_edu_teachers\n          replaces: wf_edu_educators\n",
                ),
        );
        let v3 = version(
            &builtin_text()
                .replace("version: 1.0.0", "version: 3")
                .replace(
                    "        - id: wf_edu_educators\n",
                    "        - id: wf_edu_staff\n          replaces: wf_edu_teachers\n",
                ),
        );
        let versions = [&v1, &v2, &v3];
        let positions = trace_back(&versions, 0, |q| &q.questions);
        let staff = v3
            .questions
            .iter()
            .position(|q| q.id == "wf_edu_staff")
            .unwrap();
        let educators = v1
            .questions
            .iter()
            .position(|q| q.id == "wf_edu_educators")
            .unwrap();
        assert_eq!(positions[staff], Some(educators));
        // A rename that skips a version does not match: `replaces` names the version before.
        let skipping = trace_back(&[&v1, &v3], 0, |q| &q.questions);
        assert_eq!(skipping[staff], None);
    }
}

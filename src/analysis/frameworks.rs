//! Scores through other frameworks' items: the questionnaire's `refs` regroup the same answers by
//! the items of the CMM, the ITU GCI, ENISA's NCAF or the NCSI, so a country can say "on NCAF
//! objective 7 our answers give 62".
//!
//! An item's score is the plain mean of the points of the questions that refer to it (equal
//! weights within an item: the questionnaire's weights balance its own indicators, not another
//! framework's items), each question's points and status taken as scoring left them.
//!
//! Refs written before they named their edition (`NCAF 7`, the form of version 1.0.0 of the
//! built-in questionnaire) are read as an edition only when that is unambiguous: the versions of
//! the same questionnaire that do name editions name one edition of that framework and no other,
//! and the item exists in it. Any other ref of the framework is left out and named in the result.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::Error;
use crate::model::refs::{is_item, known_editions, parse, parse_unversioned};
use crate::model::{LocalizedText, Questionnaire, natural_cmp};
use crate::scoring::{QuestionScore, ScoreTree, Stage, Status};

/// An edition of a framework, as a ref names it: `NCAF` and `2020` for `NCAF-2020`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edition {
    /// The framework's short name, e.g. `NCAF`.
    pub framework: &'static str,
    /// The edition, e.g. `2020`.
    pub edition: &'static str,
}

impl Edition {
    /// `FRAMEWORK-EDITION`, as refs write it.
    pub fn id(self) -> String {
        format!("{}-{}", self.framework, self.edition)
    }

    /// The edition's title in `lang`, when the embedded names have it.
    pub fn title(self, lang: &str) -> Option<&'static str> {
        names()
            .get(&self.id())
            .and_then(|n| n.name.as_ref())
            .map(|t| t.get(lang))
    }

    /// The name of `item` in `lang`, when the embedded names have it.
    pub fn item_name(self, item: &str, lang: &str) -> Option<&'static str> {
        names()
            .get(&self.id())?
            .items
            .iter()
            .find(|i| i.id == item)
            .map(|i| i.name.get(lang))
    }

    /// The group (CMM dimension, NCAF cluster, NCSI area) of `item`, when known.
    pub fn item_group(self, item: &str) -> Option<&'static str> {
        let names = names().get(&self.id())?;
        if let Some(listed) = names.items.iter().find(|i| i.id == item) {
            return listed.group.as_deref();
        }
        // Unlisted items (NCSI indicators) sit in the group their number starts with.
        let prefix = item.split_once('.')?.0;
        names
            .groups
            .get_key_value(prefix)
            .map(|(id, _)| id.as_str())
    }

    /// The name of group `group` in `lang`, when known.
    pub fn group_name(self, group: &str, lang: &str) -> Option<&'static str> {
        names()
            .get(&self.id())?
            .groups
            .get(group)
            .map(|t| t.get(lang))
    }
}

/// The frameworks this tool knows the editions of, in a stable order: CMM, GCI, NCAF, NCSI.
pub fn frameworks() -> Vec<&'static str> {
    let mut found: Vec<&'static str> = Vec::new();
    for (framework, _) in known_editions() {
        if !found.contains(&framework) {
            found.push(framework);
        }
    }
    found
}

/// The known editions of `framework`, oldest first.
fn editions_of(framework: &str) -> Vec<Edition> {
    known_editions()
        .filter(|(f, _)| *f == framework)
        .map(|(framework, edition)| Edition { framework, edition })
        .collect()
}

fn list(editions: &[Edition]) -> String {
    let ids: Vec<String> = editions.iter().map(|e| e.id()).collect();
    match ids.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// The editions of `framework` the versioned refs of `questionnaires` name, in known order.
fn named_editions(framework: &str, questionnaires: &[&Questionnaire]) -> Vec<Edition> {
    editions_of(framework)
        .into_iter()
        .filter(|edition| {
            questionnaires.iter().any(|q| {
                q.questions
                    .iter()
                    .flat_map(|question| &question.refs)
                    .any(|r| {
                        parse(r).is_some_and(|r| {
                            r.framework == edition.framework && r.edition == edition.edition
                        })
                    })
            })
        })
        .collect()
}

/// The edition `--by-framework` asks for: `FRAMEWORK-EDITION`, or `FRAMEWORK` alone when the
/// questionnaire's refs (`family`: every version of it the run knows) name one edition of it.
pub fn choose_edition(asked: &str, family: &[&Questionnaire]) -> Result<Edition, Error> {
    let (framework, edition) = match asked.split_once('-') {
        Some((framework, edition)) => (framework, Some(edition)),
        None => (asked, None),
    };
    let known = frameworks();
    let Some(&framework) = known
        .iter()
        .find(|f| f.eq_ignore_ascii_case(framework.trim()))
    else {
        return Err(Error::Usage(format!(
            "--by-framework {}: unknown framework; expected one of {} (optionally with its edition, e.g. NCAF-2020)",
            asked.escape_debug(),
            known.join(", ")
        )));
    };
    let editions = editions_of(framework);
    if let Some(edition) = edition {
        return editions
            .iter()
            .copied()
            .find(|e| e.edition == edition)
            .ok_or_else(|| {
                Error::Usage(format!(
                    "--by-framework {}: unknown edition of {framework}; expected {}",
                    asked.escape_debug(),
                    list(&editions)
                ))
            });
    }
    let named = named_editions(framework, family);
    let reference = family
        .last()
        .map(|q| q.id.clone())
        .unwrap_or_else(|| "the questionnaire".to_owned());
    match named.as_slice() {
        [one] => Ok(*one),
        [] => Err(Error::Usage(format!(
            "--by-framework {framework}: no ref of {reference} names an edition of {framework}, so none can be read as one of its items; expected refs such as `{}-{} …`",
            framework,
            editions.last().map_or("EDITION", |e| e.edition)
        ))),
        several => Err(Error::Usage(format!(
            "--by-framework {framework}: the refs of {reference} name {}; expected one of them, e.g. --by-framework {}",
            list(several),
            several[several.len() - 1].id()
        ))),
    }
}

/// One item of the edition and the questions of one questionnaire version that refer to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The item as the edition numbers it, e.g. `7` or `D3.2`.
    pub id: String,
    /// Positions in `Questionnaire::questions` of the questions that refer to it, in order.
    pub questions: Vec<usize>,
}

/// How one questionnaire version's questions map onto one edition's items.
#[derive(Debug, Clone, PartialEq)]
pub struct Crosswalk {
    /// The edition.
    pub edition: Edition,
    /// Every item of the edition when the embedded names list it whole, then any other item a
    /// question refers to, in the framework's order.
    pub items: Vec<Item>,
    /// How many refs were written without an edition and read as this one.
    pub read_without_edition: usize,
    /// Refs to this framework that cannot be read as an item of this edition, as written.
    pub left_out: Vec<String>,
}

impl Crosswalk {
    /// Maps `questionnaire` onto `edition`; `family` is every version of the questionnaire the
    /// run knows, which decides how refs without an edition read.
    pub fn new(questionnaire: &Questionnaire, edition: Edition, family: &[&Questionnaire]) -> Self {
        // Refs without an edition read as the one edition the questionnaire's versions name.
        let unversioned_as = match named_editions(edition.framework, family).as_slice() {
            [only] if *only == edition => Some(edition),
            _ => None,
        };
        let mut by_item: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut read_without_edition = 0;
        let mut left_out = Vec::new();
        for (q, question) in questionnaire.questions.iter().enumerate() {
            for reference in &question.refs {
                let item = if let Some(r) = parse(reference) {
                    if r.framework != edition.framework || r.edition != edition.edition {
                        continue;
                    }
                    Some(r.item)
                } else if let Some((framework, item)) = parse_unversioned(reference) {
                    if framework != edition.framework {
                        continue;
                    }
                    let read = unversioned_as.is_some()
                        && is_item(edition.framework, edition.edition, item) == Some(true);
                    if read {
                        read_without_edition += 1;
                    }
                    read.then_some(item)
                } else {
                    continue;
                };
                match item
                    .filter(|item| is_item(edition.framework, edition.edition, item) != Some(false))
                {
                    Some(item) => {
                        let questions = by_item.entry(item.to_owned()).or_default();
                        // A question that names the same item twice counts once.
                        if questions.last() != Some(&q) {
                            questions.push(q);
                        }
                    }
                    None => left_out.push(reference.clone()),
                }
            }
        }
        // A complete edition lists every item, those no question refers to included; of an
        // incomplete list nothing says which items are missing, so only the referred ones show.
        let listed = names()
            .get(&edition.id())
            .filter(|n| n.complete)
            .map(|n| n.items.as_slice())
            .unwrap_or_default();
        let mut items: Vec<Item> = listed
            .iter()
            .map(|listed| Item {
                id: listed.id.clone(),
                questions: by_item.remove(&listed.id).unwrap_or_default(),
            })
            .collect();
        let mut rest: Vec<Item> = by_item
            .into_iter()
            .map(|(id, questions)| Item { id, questions })
            .collect();
        rest.sort_by(|a, b| natural_cmp(&a.id, &b.id));
        items.extend(rest);
        Crosswalk {
            edition,
            items,
            read_without_edition,
            left_out,
        }
    }

    /// Whether any question refers to an item of the edition.
    pub fn maps_any(&self) -> bool {
        self.items.iter().any(|i| !i.questions.is_empty())
    }

    /// The score of every item from a score tree of the same questionnaire version.
    pub fn score(&self, tree: &ScoreTree) -> Vec<ItemScore> {
        let mut by_question: BTreeMap<usize, &QuestionScore> = BTreeMap::new();
        for question in tree
            .pillars
            .iter()
            .flat_map(|p| &p.indicators)
            .flat_map(|i| &i.questions)
        {
            by_question.insert(question.question, question);
        }
        self.items
            .iter()
            .map(|item| {
                let scored: Vec<&QuestionScore> = item
                    .questions
                    .iter()
                    .filter_map(|q| by_question.get(q).copied())
                    .collect();
                ItemScore::of(item.questions.len(), &scored)
            })
            .collect()
    }
}

/// An item's score and coverage in one country and round.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemScore {
    /// Mean points (0..=100) of its applicable questions; `None` when none applies.
    pub score: Option<f64>,
    /// The stage of that score.
    pub stage: Option<Stage>,
    /// How many questions refer to it.
    pub questions: usize,
    /// How many of them count: answered, don't know or unanswered (not `na`, not ruled out by a
    /// condition, not text or context).
    pub applicable: usize,
    /// How many of those were answered with something other than don't know.
    pub answered: usize,
}

impl ItemScore {
    /// The mean of the questions' points as scoring gave them: the points of an answer, 0 for
    /// don't know and unanswered; the others are left out.
    pub fn of(questions: usize, scored: &[&QuestionScore]) -> Self {
        let applicable: Vec<&&QuestionScore> =
            scored.iter().filter(|q| q.status.is_applicable()).collect();
        let sum: f64 = applicable.iter().map(|q| q.points.unwrap_or(0.0)).sum();
        let score = (!applicable.is_empty()).then(|| sum / applicable.len() as f64);
        ItemScore {
            score,
            stage: score.map(Stage::of),
            questions,
            applicable: applicable.len(),
            answered: applicable
                .iter()
                .filter(|q| q.status == Status::Answered)
                .count(),
        }
    }
}

/// The names of one edition's items, from `data/frameworks.yaml`.
#[derive(Debug, Deserialize)]
struct EditionNames {
    name: Option<LocalizedText>,
    /// Whether `items` is every item of the edition.
    #[serde(default)]
    complete: bool,
    #[serde(default)]
    groups: BTreeMap<String, LocalizedText>,
    #[serde(default)]
    items: Vec<ItemNames>,
}

#[derive(Debug, Deserialize)]
struct ItemNames {
    id: String,
    group: Option<String>,
    name: LocalizedText,
}

const NAMES: &str = include_str!("../../data/frameworks.yaml");

fn names() -> &'static BTreeMap<String, EditionNames> {
    static PARSED: OnceLock<BTreeMap<String, EditionNames>> = OnceLock::new();
    PARSED.get_or_init(|| {
        serde_saphyr::from_str(NAMES).expect("data/frameworks.yaml is checked by its tests")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin::questionnaires;
    use crate::model::AnswerValue;
    use crate::scoring::score;

    fn ncaf() -> Edition {
        Edition {
            framework: "NCAF",
            edition: "2020",
        }
    }

    #[test]
    fn the_names_cover_every_listed_item_in_four_languages_and_only_real_items() {
        let all = names();
        assert!(all.contains_key("CMM-2021") && all.contains_key("NCAF-2020"));
        for (id, edition) in all {
            let (framework, number) = id.split_once('-').unwrap();
            assert_eq!(
                is_item(framework, number, "x").map(|_| ()),
                Some(()),
                "{id} is not a known edition"
            );
            let mut texts: Vec<&LocalizedText> = edition.groups.values().collect();
            texts.extend(edition.name.as_ref());
            for item in &edition.items {
                assert_eq!(
                    is_item(framework, number, &item.id),
                    Some(true),
                    "{id} {}",
                    item.id
                );
                if let Some(group) = &item.group {
                    assert!(edition.groups.contains_key(group), "{id} {}", item.id);
                }
                texts.push(&item.name);
            }
            let languages: Vec<String> = ["en", "es", "pt", "fr"].map(String::from).to_vec();
            for text in texts {
                assert_eq!(text.missing_languages(&languages), Vec::<&str>::new());
                for (lang, words) in text.entries() {
                    assert!(!words.trim().is_empty(), "{id} {lang}");
                    if lang == "fr" {
                        assert!(!words.contains('\''), "{id}: {words}");
                    }
                }
            }
        }
        assert_eq!(all["NCAF-2020"].items.len(), 17);
        assert_eq!(all["CMM-2021"].items.len(), 23);
        assert_eq!(all["GCI-2024"].items.len(), 5);
        assert_eq!(
            ncaf().item_name("7", "en"),
            Some("Strengthen training and educational programmes")
        );
        let ncsi = Edition {
            framework: "NCSI",
            edition: "2",
        };
        assert_eq!(ncsi.item_group("3.2"), Some("3"));
        assert_eq!(
            ncsi.group_name("3", "es"),
            Some("Educación y desarrollo profesional")
        );
    }

    #[test]
    fn an_edition_is_chosen_by_name_or_by_the_refs_and_a_wrong_one_is_refused() {
        let builtin = questionnaires();
        let family: Vec<&Questionnaire> = builtin.iter().collect();
        assert_eq!(choose_edition("NCAF", &family).unwrap(), ncaf());
        assert_eq!(choose_edition("ncaf-2020", &family).unwrap(), ncaf());
        assert_eq!(
            choose_edition("NCAF-2026", &family).unwrap().edition,
            "2026"
        );
        let unknown = choose_edition("ISO", &family).unwrap_err().to_string();
        assert!(unknown.contains("CMM, GCI, NCAF, NCSI"), "{unknown}");
        let edition = choose_edition("NCAF-1999", &family)
            .unwrap_err()
            .to_string();
        assert!(edition.contains("NCAF-2020 or NCAF-2026"), "{edition}");
        // 1.0.0 alone names no edition: nothing says which NCAF `NCAF 7` means.
        let old: Vec<&Questionnaire> = builtin.iter().filter(|q| q.version == "1.0.0").collect();
        let none = choose_edition("NCAF", &old).unwrap_err().to_string();
        assert!(none.contains("names an edition"), "{none}");
    }

    #[test]
    fn refs_without_edition_read_as_the_one_edition_the_later_version_names() {
        let builtin = questionnaires();
        let family: Vec<&Questionnaire> = builtin.iter().collect();
        let old = builtin.iter().find(|q| q.version == "1.0.0").unwrap();
        let walk = Crosswalk::new(old, ncaf(), &family);
        let unversioned = old
            .questions
            .iter()
            .flat_map(|q| &q.refs)
            .filter(|r| r.starts_with("NCAF "))
            .count();
        assert!(unversioned > 10);
        assert_eq!(walk.read_without_edition, unversioned);
        assert_eq!(walk.left_out, Vec::<String>::new());
        assert_eq!(walk.items.len(), 17);
        // Read alone, with no version naming the edition, they are not guessed.
        let alone = Crosswalk::new(old, ncaf(), &[old]);
        assert_eq!(alone.read_without_edition, 0);
        assert_eq!(alone.left_out.len(), unversioned);
        assert!(!alone.maps_any());
    }

    #[test]
    fn an_item_scores_the_plain_mean_of_its_applicable_questions() {
        let builtin = questionnaires();
        let latest = builtin.last().unwrap();
        let family: Vec<&Questionnaire> = builtin.iter().collect();
        let walk = Crosswalk::new(latest, ncaf(), &family);
        let seven = walk.items.iter().position(|i| i.id == "7").unwrap();
        let questions = &walk.items[seven].questions;
        assert!(questions.len() >= 3, "{questions:?}");
        // The first question at its top level, the second don't know, the rest unanswered.
        let mut answers: Vec<Option<AnswerValue>> = vec![None; latest.questions.len()];
        let first = &latest.questions[questions[0]];
        answers[questions[0]] = Some(match &first.kind {
            crate::model::QuestionKind::Choice { options } => {
                let top = options.iter().position(|o| o.level == 5).unwrap();
                AnswerValue::Choice(top as u16)
            }
            crate::model::QuestionKind::YesNo => AnswerValue::YesNo(true),
            other => panic!("unexpected kind {other:?}"),
        });
        answers[questions[1]] = Some(AnswerValue::Unknown);
        let values: Vec<Option<&AnswerValue>> = answers.iter().map(Option::as_ref).collect();
        let tree = score(latest, &values);
        let item = walk.score(&tree)[seven];
        let applicable = questions
            .iter()
            .filter(|&&q| latest.questions[q].when.is_none() && latest.questions[q].is_scored())
            .count();
        assert_eq!(item.questions, questions.len());
        assert_eq!(item.applicable, applicable);
        assert_eq!(item.answered, 1);
        assert_eq!(item.score, Some(100.0 / applicable as f64));
        assert_eq!(item.stage, item.score.map(Stage::of));
        // An item no question refers to has no score.
        let empty = walk.items.iter().position(|i| i.questions.is_empty());
        if let Some(empty) = empty {
            assert_eq!(walk.score(&tree)[empty].score, None);
        }
    }

    /// An answer of `question`'s kind drawn from `raw`: none, don't know, not applicable, or a
    /// value it accepts.
    fn drawn(question: &crate::model::Question, raw: u16) -> Option<AnswerValue> {
        use crate::model::QuestionKind;
        match raw % 8 {
            0 => return None,
            1 => return Some(AnswerValue::Unknown),
            2 => return Some(AnswerValue::NotApplicable),
            _ => {}
        }
        let pick = usize::from(raw / 8);
        Some(match &question.kind {
            QuestionKind::Choice { options } => AnswerValue::Choice((pick % options.len()) as u16),
            QuestionKind::Multi { options } => {
                AnswerValue::Multi(pick as u64 & ((1u64 << options.len().min(63)) - 1))
            }
            QuestionKind::YesNo => AnswerValue::YesNo(pick % 2 == 0),
            QuestionKind::Number { min, max, .. } => {
                let (low, high) = (min.unwrap_or(0.0), max.unwrap_or(1000.0));
                AnswerValue::Number(low + (high - low) * (pick % 101) as f64 / 100.0)
            }
            QuestionKind::Text => AnswerValue::Text("t".to_owned()),
        })
    }

    /// The built-in versions, loaded once for every case.
    fn builtin() -> &'static [Questionnaire] {
        static LOADED: OnceLock<Vec<Questionnaire>> = OnceLock::new();
        LOADED.get_or_init(questionnaires)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Whatever the answers, each item is the plain mean of the points `answer_points` gives
        /// its applicable questions (0 for don't know and unanswered), lies between the lowest and
        /// highest of them, and its stage is that score's.
        #[test]
        fn an_item_is_the_mean_of_its_questions_points_whatever_the_answers(
            raw in proptest::collection::vec(proptest::prelude::any::<u16>(), 77..=77)
        ) {
            let latest = builtin().last().unwrap();
            let family: Vec<&Questionnaire> = builtin().iter().collect();
            let answers: Vec<Option<AnswerValue>> = latest
                .questions
                .iter()
                .zip(raw.iter().cycle())
                .map(|(q, &r)| drawn(q, r))
                .collect();
            let values: Vec<Option<&AnswerValue>> = answers.iter().map(Option::as_ref).collect();
            let tree = score(latest, &values);
            let applies = crate::scoring::applicability(latest, &values);
            for framework in ["CMM", "GCI", "NCAF", "NCSI"] {
                let edition = choose_edition(framework, &family).unwrap();
                let walk = Crosswalk::new(latest, edition, &family);
                for (item, scored) in walk.items.iter().zip(walk.score(&tree)) {
                    let points: Vec<f64> = item
                        .questions
                        .iter()
                        .filter(|&&q| {
                            latest.questions[q].is_scored()
                                && applies[q]
                                && values[q] != Some(&AnswerValue::NotApplicable)
                        })
                        .map(|&q| {
                            values[q]
                                .and_then(|v| crate::scoring::answer_points(&latest.questions[q], v))
                                .unwrap_or(0.0)
                        })
                        .collect();
                    proptest::prop_assert_eq!(scored.applicable, points.len());
                    proptest::prop_assert!(scored.answered <= scored.applicable);
                    proptest::prop_assert!(scored.applicable <= scored.questions);
                    match scored.score {
                        None => proptest::prop_assert!(points.is_empty()),
                        Some(mean) => {
                            let expected = points.iter().sum::<f64>() / points.len() as f64;
                            proptest::prop_assert!((mean - expected).abs() < 1e-9);
                            let low = points.iter().copied().fold(f64::INFINITY, f64::min);
                            let high = points.iter().copied().fold(0.0, f64::max);
                            proptest::prop_assert!(low - 1e-9 <= mean && mean <= high + 1e-9);
                            proptest::prop_assert_eq!(scored.stage, Some(Stage::of(mean)));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn items_sort_as_numbers() {
        let mut objectives = vec!["10", "2", "17", "1"];
        objectives.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(objectives, ["1", "2", "10", "17"]);
        let mut indicators = vec!["3.10", "11.1", "3.2"];
        indicators.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(indicators, ["3.2", "3.10", "11.1"]);
    }
}

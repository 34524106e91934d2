//! What scoring and merging promise for any questionnaire and answers, checked on random small
//! questionnaires with every scored kind of question, weights at every level and conditions.

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::sample::Index;

use super::*;
use crate::model::{
    Answer, AnswerOption, Condition, Indicator, LocalizedText, Pillar, Questionnaire,
    QuestionnaireHeader,
};

/// Float noise allowed between two ways of computing the same score (0..=100).
const EPSILON: f64 = 1e-9;

#[derive(Debug, Clone)]
struct Spec {
    pillars: Vec<PillarSpec>,
}

#[derive(Debug, Clone)]
struct PillarSpec {
    weight: f64,
    indicators: Vec<IndicatorSpec>,
}

#[derive(Debug, Clone)]
struct IndicatorSpec {
    weight: f64,
    questions: Vec<QuestionSpec>,
}

#[derive(Debug, Clone)]
struct QuestionSpec {
    kind: QuestionKind,
    weight: f64,
    when: Option<RawCondition>,
    answer: Seed,
    /// Added by a property on top of a questionnaire: never the target of another's condition,
    /// so adding it leaves every other condition as it was.
    extra: bool,
}

/// A condition before the questionnaire is laid out: `target` picks one of the earlier
/// questions a condition may name, `picks` the values it accepts.
#[derive(Debug, Clone)]
struct RawCondition {
    target: Index,
    picks: Vec<u16>,
}

/// An answer before its question's kind is known; `Value` becomes a valid answer of any kind.
#[derive(Debug, Clone, Copy)]
enum Seed {
    Unanswered,
    NotApplicable,
    Unknown,
    Value(u64),
}

fn option(i: usize, level: u8, points: f64) -> AnswerOption {
    AnswerOption {
        id: format!("o{i}"),
        label: LocalizedText::from("option"),
        level,
        points,
    }
}

fn kind() -> impl Strategy<Value = QuestionKind> {
    prop_oneof![
        prop::collection::vec(1u8..=5, 2..=5).prop_map(|levels| QuestionKind::Choice {
            options: levels
                .into_iter()
                .enumerate()
                .map(|(i, level)| option(i, level, 0.0))
                .collect(),
        }),
        // `load` refuses a multi question whose options are all worth 0.
        prop::collection::vec(0u8..=4, 1..=6).prop_map(|mut points| {
            if points.iter().all(|p| *p == 0) {
                points[0] = 1;
            }
            QuestionKind::Multi {
                options: points
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| option(i, 0, f64::from(p)))
                    .collect(),
            }
        }),
        Just(QuestionKind::YesNo),
        (0u8..10, prop::collection::vec((1u8..20, 1u8..=5), 1..=4)).prop_map(|(start, steps)| {
            let mut min = f64::from(start);
            let bands = steps
                .into_iter()
                .map(|(step, level)| {
                    min += f64::from(step);
                    (min, level)
                })
                .collect();
            QuestionKind::Number {
                min: None,
                max: None,
                bands,
            }
        }),
        Just(QuestionKind::Text),
    ]
}

fn weight() -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 9 => 0.1f64..10.0]
}

fn seed() -> impl Strategy<Value = Seed> {
    prop_oneof![
        1 => Just(Seed::Unanswered),
        1 => Just(Seed::NotApplicable),
        1 => Just(Seed::Unknown),
        5 => any::<u64>().prop_map(Seed::Value),
    ]
}

fn question() -> impl Strategy<Value = QuestionSpec> {
    let condition = (any::<Index>(), prop::collection::vec(0u16..6, 1..=2))
        .prop_map(|(target, picks)| RawCondition { target, picks });
    (
        kind(),
        weight(),
        prop::option::weighted(0.4, condition),
        seed(),
    )
        .prop_map(|(kind, weight, when, answer)| QuestionSpec {
            kind,
            weight,
            when,
            answer,
            extra: false,
        })
}

fn indicator() -> impl Strategy<Value = IndicatorSpec> {
    (weight(), prop::collection::vec(question(), 1..=4))
        .prop_map(|(weight, questions)| IndicatorSpec { weight, questions })
}

fn pillar() -> impl Strategy<Value = PillarSpec> {
    (weight(), prop::collection::vec(indicator(), 1..=3))
        .prop_map(|(weight, indicators)| PillarSpec { weight, indicators })
}

fn spec() -> impl Strategy<Value = Spec> {
    prop::collection::vec(pillar(), 1..=3).prop_map(|pillars| Spec { pillars })
}

/// A valid answer of `kind` made from `raw`.
fn value_of(kind: &QuestionKind, raw: u64) -> AnswerValue {
    match kind {
        QuestionKind::Choice { options } => {
            AnswerValue::Choice((raw % options.len() as u64) as u16)
        }
        QuestionKind::Multi { options } => AnswerValue::Multi(raw & ((1u64 << options.len()) - 1)),
        QuestionKind::YesNo => AnswerValue::YesNo(raw % 2 == 1),
        QuestionKind::Number { bands, .. } => {
            // Half steps from 0 to past the last band, so below, inside and on every band.
            let top = bands.last().map_or(0.0, |(min, _)| *min) as u64 + 10;
            AnswerValue::Number((raw % (2 * top)) as f64 / 2.0)
        }
        QuestionKind::Text => AnswerValue::Text(format!("text {raw}")),
    }
}

fn answer_of(kind: &QuestionKind, seed: Seed) -> Option<AnswerValue> {
    match seed {
        Seed::Unanswered => None,
        Seed::NotApplicable => Some(AnswerValue::NotApplicable),
        Seed::Unknown => Some(AnswerValue::Unknown),
        Seed::Value(raw) => Some(value_of(kind, raw)),
    }
}

fn can_be_named_by_condition(kind: &QuestionKind) -> bool {
    matches!(
        kind,
        QuestionKind::Choice { .. } | QuestionKind::Multi { .. } | QuestionKind::YesNo
    )
}

/// A questionnaire with its answers by question position, and the positions of extra questions.
struct Built {
    questionnaire: Questionnaire,
    answers: Vec<Option<AnswerValue>>,
    extras: Vec<usize>,
}

impl Built {
    fn values(&self) -> Vec<Option<&AnswerValue>> {
        self.answers.iter().map(Option::as_ref).collect()
    }

    fn score(&self) -> ScoreTree {
        score(&self.questionnaire, &self.values())
    }
}

/// A random small questionnaire with answers by question position, for the properties of
/// analyses built on the scores.
pub(crate) fn answered_questionnaire()
-> impl Strategy<Value = (Questionnaire, Vec<Option<AnswerValue>>)> {
    spec().prop_map(|spec| {
        let built = build(&spec);
        (built.questionnaire, built.answers)
    })
}

/// Lays the spec out as `load` would: questions and indicators in file order, ranges over them,
/// and conditions on earlier choice, multi or yes/no questions.
fn build(spec: &Spec) -> Built {
    let stages = (1..=5)
        .map(|level| LocalizedText::from(format!("stage {level}").as_str()))
        .collect();
    let header = QuestionnaireHeader {
        id: "properties".to_owned(),
        version: "1".to_owned(),
        title: LocalizedText::from("properties"),
        languages: vec!["en".to_owned()],
        stages,
        stage_descriptions: vec![None; 5],
    };
    let (mut pillars, mut indicators, mut questions) = (Vec::new(), Vec::new(), Vec::new());
    let mut answers = Vec::new();
    let mut extras = Vec::new();
    let mut targets: Vec<usize> = Vec::new();
    for (p, pillar) in spec.pillars.iter().enumerate() {
        let first_indicator = indicators.len();
        for indicator in &pillar.indicators {
            let first_question = questions.len();
            for question in &indicator.questions {
                let position = questions.len();
                let when = question
                    .when
                    .as_ref()
                    .filter(|_| !targets.is_empty())
                    .map(|raw| {
                        let target = targets[raw.target.index(targets.len())];
                        let any_of = raw
                            .picks
                            .iter()
                            .map(|&pick| match &questions[target] {
                                Question {
                                    kind: QuestionKind::YesNo,
                                    ..
                                } => ConditionValue::YesNo(pick % 2 == 1),
                                other => {
                                    ConditionValue::Option(pick % other.options().len() as u16)
                                }
                            })
                            .collect();
                        Condition {
                            question: target,
                            any_of,
                        }
                    });
                if question.extra {
                    extras.push(position);
                } else if can_be_named_by_condition(&question.kind) {
                    targets.push(position);
                }
                answers.push(answer_of(&question.kind, question.answer));
                questions.push(Question {
                    id: format!("q{position}"),
                    text: LocalizedText::from("question"),
                    help: None,
                    kind: question.kind.clone(),
                    weight: question.weight,
                    refs: Vec::new(),
                    replaces: None,
                    when,
                    indicator: indicators.len(),
                });
            }
            indicators.push(Indicator {
                id: format!("i{}", indicators.len()),
                title: LocalizedText::from("indicator"),
                short: None,
                replaces: None,
                weight: indicator.weight,
                pillar: p,
                questions: first_question..questions.len(),
                descriptors: Default::default(),
            });
        }
        pillars.push(Pillar {
            id: format!("p{p}"),
            title: LocalizedText::from("pillar"),
            short: None,
            weight: pillar.weight,
            indicators: first_indicator..indicators.len(),
        });
    }
    Built {
        questionnaire: Questionnaire::new(header, pillars, indicators, questions),
        answers,
        extras,
    }
}

/// Every measure of a tree, overall first, then each pillar followed by its indicators.
fn measures(tree: &ScoreTree) -> Vec<Measure> {
    let mut all = vec![tree.overall];
    for pillar in &tree.pillars {
        all.push(pillar.measure);
        all.extend(pillar.indicators.iter().map(|i| i.measure));
    }
    all
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= EPSILON,
        (None, None) => true,
        _ => false,
    }
}

fn not_lower(after: Option<f64>, before: Option<f64>) -> bool {
    match (after, before) {
        (Some(after), Some(before)) => after >= before - EPSILON,
        (None, None) => true,
        _ => false,
    }
}

/// The level of a number answer, as `answer_points` reads the bands.
fn band_level(bands: &[(f64, u8)], n: f64) -> u8 {
    bands
        .iter()
        .rev()
        .find(|(min, _)| n >= *min)
        .map_or(1, |(_, level)| *level)
}

/// The positions of the levels above `level`, or if none, of those equal to it.
fn at_least(levels: impl Iterator<Item = u8> + Clone, level: u8) -> Vec<usize> {
    let above: Vec<usize> = levels
        .clone()
        .enumerate()
        .filter(|(_, l)| *l > level)
        .map(|(i, _)| i)
        .collect();
    if !above.is_empty() {
        return above;
    }
    levels
        .enumerate()
        .filter(|(_, l)| *l == level)
        .map(|(i, _)| i)
        .collect()
}

/// An answer worth more than `current` where there is one, else as much, chosen with `raw`;
/// `None` for `na`, which is not a lower answer but no answer to score.
fn raised(kind: &QuestionKind, current: Option<&AnswerValue>, raw: u64) -> Option<AnswerValue> {
    let pick = |candidates: &[usize]| candidates[(raw % candidates.len() as u64) as usize];
    match (kind, current) {
        (_, None | Some(AnswerValue::Unknown)) => Some(value_of(kind, raw)),
        (QuestionKind::Choice { options }, Some(AnswerValue::Choice(i))) => {
            let level = options[usize::from(*i)].level;
            let higher = at_least(options.iter().map(|o| o.level), level);
            Some(AnswerValue::Choice(pick(&higher) as u16))
        }
        (QuestionKind::Multi { options }, Some(AnswerValue::Multi(bits))) => Some(
            AnswerValue::Multi(bits | (raw & ((1u64 << options.len()) - 1))),
        ),
        (QuestionKind::YesNo, Some(AnswerValue::YesNo(_))) => Some(AnswerValue::YesNo(true)),
        (QuestionKind::Number { bands, .. }, Some(AnswerValue::Number(n))) => {
            let level = band_level(bands, *n);
            let higher = at_least(bands.iter().map(|(_, level)| *level), level);
            Some(AnswerValue::Number(bands[pick(&higher)].0))
        }
        _ => None,
    }
}

/// Where a property adds questions that must not count.
#[derive(Debug, Clone)]
enum Addition {
    /// Into an existing indicator, before the question at `at`.
    Question {
        pillar: Index,
        indicator: Index,
        at: Index,
    },
    /// As a new indicator of an existing pillar, before the indicator at `at`.
    Indicator { pillar: Index, at: Index },
    /// As a new pillar, before the pillar at `at`.
    Pillar { at: Index },
}

fn addition() -> impl Strategy<Value = Addition> {
    prop_oneof![
        3 => (any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(pillar, indicator, at)| Addition::Question { pillar, indicator, at }),
        1 => (any::<Index>(), any::<Index>())
            .prop_map(|(pillar, at)| Addition::Indicator { pillar, at }),
        1 => any::<Index>().prop_map(|at| Addition::Pillar { at }),
    ]
}

/// `index` over `len + 1` places: before each element, or at the end.
fn place(index: &Index, len: usize) -> usize {
    index.index(len + 1)
}

/// Which level's weights a property multiplies.
#[derive(Debug, Clone)]
enum Level {
    QuestionsOf(Index),
    IndicatorsOf(Index),
    Pillars,
}

fn level() -> impl Strategy<Value = Level> {
    prop_oneof![
        any::<Index>().prop_map(Level::QuestionsOf),
        any::<Index>().prop_map(Level::IndicatorsOf),
        Just(Level::Pillars),
    ]
}

#[derive(Debug, Clone)]
struct Drawn {
    submitted: Option<u8>,
    answers: Vec<(Index, Seed)>,
}

/// Responses that often agree: few distinct values, so agreement, `unknown` yielding and
/// conflicts all happen; few distinct days, so ties happen too.
fn submissions() -> impl Strategy<Value = Vec<Drawn>> {
    let seed = prop_oneof![
        1 => Just(Seed::NotApplicable),
        1 => Just(Seed::Unknown),
        6 => (0u64..3).prop_map(Seed::Value),
    ];
    let drawn = (
        prop::option::weighted(0.8, 0u8..3),
        prop::collection::vec((any::<Index>(), seed), 0..=10),
    )
        .prop_map(|(submitted, answers)| Drawn { submitted, answers });
    prop::collection::vec(drawn, 1..=4)
}

fn to_submissions(questionnaire: &Questionnaire, drawn: &[Drawn]) -> Vec<Submission> {
    drawn
        .iter()
        .enumerate()
        .map(|(source, d)| Submission {
            source,
            submitted: d
                .submitted
                .map(|day| jiff::Timestamp::from_second(i64::from(day) * 86_400).unwrap()),
            answers: d
                .answers
                .iter()
                .filter_map(|(question, seed)| {
                    let q = question.index(questionnaire.questions.len());
                    let value = answer_of(&questionnaire.questions[q].kind, *seed)?;
                    let answer = Answer {
                        value,
                        note: None,
                        evidence: Vec::new(),
                    };
                    Some((q, answer))
                })
                .collect(),
        })
        .collect()
}

/// What a merge decided, in terms that do not depend on the order of the responses.
#[derive(Debug, PartialEq)]
struct Outcome {
    /// By question: every answer given (as a sorted multiset), and the value kept.
    answers: Vec<Option<(Vec<String>, String)>>,
    /// Question, settled or not, and the answers in conflict (sorted).
    disagreements: BTreeSet<(usize, bool, Vec<String>)>,
}

fn outcome(questionnaire: &Questionnaire, merged: &Merged) -> Outcome {
    let answers = merged
        .answers
        .iter()
        .enumerate()
        .map(|(q, m)| {
            m.as_ref().map(|m| {
                let mut given: Vec<String> = m
                    .given()
                    .iter()
                    .map(|(source, a)| format!("{source} {a:?}"))
                    .collect();
                given.sort();
                // Which of several texts is shown is settled below: compare it apart.
                let kept = if !matches!(questionnaire.questions[q].kind, QuestionKind::Text) {
                    format!("{:?}", m.answer().value)
                } else {
                    String::new()
                };
                (given, kept)
            })
        })
        .collect();
    let disagreements = merged
        .disagreements
        .iter()
        .map(|d| {
            let mut answers: Vec<String> = d
                .answers
                .iter()
                .map(|(source, value)| format!("{source} {value:?}"))
                .collect();
            answers.sort();
            (d.question, d.kept.is_some(), answers)
        })
        .collect();
    Outcome {
        answers,
        disagreements,
    }
}

/// The texts a merge may show for a text question: those of the latest responses giving one.
/// Several responses of the same time (or none) are not ordered by the time, so which of their
/// texts is shown follows the order the responses came in; every text stays in `given`.
fn latest_texts(merged: &MergedAnswer, drawn: &[Drawn]) -> BTreeSet<String> {
    let given = merged.given();
    // As for any question, `unknown` yields to a text.
    let known: Vec<&(usize, Answer)> = given
        .iter()
        .filter(|(_, a)| a.value != AnswerValue::Unknown)
        .collect();
    let candidates = if known.is_empty() {
        given.iter().collect()
    } else {
        known
    };
    let time = |source: usize| drawn[source].submitted;
    let latest = candidates.iter().map(|(s, _)| time(*s)).max().flatten();
    candidates
        .iter()
        .filter(|(s, _)| time(*s) == latest)
        .map(|(_, a)| format!("{:?}", a.value))
        .collect()
}

/// Checks that a tree lists every pillar, indicator and question once and in order, that each
/// question has the status its condition and answer give it, and that completeness at every
/// level is the share of the applicable questions below it that are answered.
fn check_tally(built: &Built, tree: &ScoreTree) -> Result<(), TestCaseError> {
    let q = &built.questionnaire;
    let applies = applicability(q, &built.values());
    let completeness = |(answered, applicable): (usize, usize)| {
        (applicable > 0).then(|| answered as f64 / applicable as f64)
    };
    let add = |a: &mut (usize, usize), b: (usize, usize)| {
        a.0 += b.0;
        a.1 += b.1;
    };
    let (mut next_indicator, mut next_question) = (0, 0);
    let mut overall = (0, 0);
    prop_assert_eq!(tree.pillars.len(), q.pillars.len());
    for (p, pillar) in tree.pillars.iter().enumerate() {
        prop_assert_eq!(pillar.pillar, p);
        let mut in_pillar = (0, 0);
        for indicator in &pillar.indicators {
            prop_assert_eq!(indicator.indicator, next_indicator);
            next_indicator += 1;
            let mut in_indicator = (0, 0);
            for question in &indicator.questions {
                let at = next_question;
                next_question += 1;
                prop_assert_eq!(question.question, at);
                prop_assert_eq!(question.weight, q.questions[at].weight);
                let status = match (q.questions[at].is_scored(), applies[at], &built.answers[at]) {
                    (false, _, _) => Status::NotScored,
                    (true, false, _) => Status::ConditionUnmet,
                    (true, true, None) => Status::Unanswered,
                    (true, true, Some(AnswerValue::NotApplicable)) => Status::NotApplicable,
                    (true, true, Some(AnswerValue::Unknown)) => Status::Unknown,
                    (true, true, Some(_)) => Status::Answered,
                };
                prop_assert_eq!(question.status, status);
                let counts = matches!(
                    status,
                    Status::Answered | Status::Unknown | Status::Unanswered
                );
                add(
                    &mut in_indicator,
                    (usize::from(status == Status::Answered), usize::from(counts)),
                );
            }
            prop_assert_eq!(indicator.measure.completeness, completeness(in_indicator));
            add(&mut in_pillar, in_indicator);
        }
        prop_assert_eq!(pillar.measure.completeness, completeness(in_pillar));
        add(&mut overall, in_pillar);
    }
    prop_assert_eq!(next_indicator, q.indicators.len());
    prop_assert_eq!(next_question, q.questions.len());
    prop_assert_eq!(tree.overall.completeness, completeness(overall));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_score_is_0_to_100_at_its_stage_and_adds_up_from_its_questions(spec in spec()) {
        let built = build(&spec);
        let tree = built.score();
        for measure in measures(&tree) {
            if let Some(score) = measure.score {
                prop_assert!((0.0..=100.0).contains(&score), "score {score}");
            }
            prop_assert_eq!(measure.stage, measure.score.map(Stage::of));
            if let Some(stage) = measure.stage {
                prop_assert!((1..=5).contains(&stage.level()));
            }
            if let Some(completeness) = measure.completeness {
                prop_assert!((0.0..=1.0).contains(&completeness));
            }
        }
        for indicator in tree.pillars.iter().flat_map(|p| &p.indicators) {
            let contributions: f64 =
                indicator.questions.iter().filter_map(|q| q.contribution).sum();
            if let Some(score) = indicator.measure.score {
                prop_assert!((contributions - score).abs() <= EPSILON);
            }
            let shares: Vec<f64> = indicator.questions.iter().filter_map(|q| q.share).collect();
            if indicator.measure.score.is_some_and(|s| s > 0.0) {
                prop_assert!((shares.iter().sum::<f64>() - 1.0).abs() <= EPSILON);
            } else {
                prop_assert!(shares.is_empty());
            }
            for question in &indicator.questions {
                prop_assert_eq!(question.points.is_some(), question.status.is_applicable());
                // No contribution where the indicator has no score: its weights add up to 0.
                let contributes = question.points.is_some() && indicator.measure.score.is_some();
                prop_assert_eq!(question.contribution.is_some(), contributes);
                if let Some(points) = question.points {
                    prop_assert!((0.0..=100.0).contains(&points));
                }
            }
        }
    }

    #[test]
    fn every_question_is_counted_once_where_it_belongs(spec in spec()) {
        let built = build(&spec);
        check_tally(&built, &built.score())?;
    }

    #[test]
    fn a_stage_is_the_highest_band_its_score_reaches(
        score in 0.0f64..=100.0,
        other in 0.0f64..=100.0,
    ) {
        let thresholds = [25.0, 50.0, 75.0, 100.0];
        // Within a hair of a threshold, the rounding allowance of `stage` decides.
        if thresholds.iter().all(|t| (score - t).abs() > 1e-6) {
            let reached = thresholds.iter().filter(|&&t| score >= t).count();
            prop_assert_eq!(usize::from(Stage::of(score).level()), 1 + reached);
        }
        if score <= other {
            prop_assert!(Stage::of(score) <= Stage::of(other));
        }
    }

    /// Raising an answer never lowers a score above it. Only when no condition changes: a
    /// `yes` may open a follow-up question left unanswered, which then counts 0 and rightly
    /// lowers the indicator, and a raise may close a question that scored.
    #[test]
    fn raising_an_answer_never_lowers_a_score_above_it(
        spec in spec(),
        which in any::<Index>(),
        raw in any::<u64>(),
    ) {
        let built = build(&spec);
        // Turning `na` into an answer adds a question to the scores: not a raise.
        let scored: Vec<usize> = (0..built.answers.len())
            .filter(|&q| built.questionnaire.questions[q].is_scored())
            .filter(|&q| built.answers[q] != Some(AnswerValue::NotApplicable))
            .collect();
        prop_assume!(!scored.is_empty());
        let q = scored[which.index(scored.len())];
        let question = &built.questionnaire.questions[q];
        let before_answer = built.answers[q].as_ref();
        let higher = raised(&question.kind, before_answer, raw).unwrap();
        let worth = |a: Option<&AnswerValue>| {
            a.and_then(|a| answer_points(question, a)).unwrap_or(0.0)
        };
        prop_assert!(worth(Some(&higher)) >= worth(before_answer));
        let mut after = build(&spec);
        after.answers[q] = Some(higher);
        prop_assume!(
            applicability(&built.questionnaire, &built.values())
                == applicability(&after.questionnaire, &after.values())
        );
        let (old, new) = (built.score(), after.score());
        let indicator = question.indicator;
        let pillar = built.questionnaire.indicators[indicator].pillar;
        let offset = indicator - built.questionnaire.pillars[pillar].indicators.start;
        let pick = |tree: &ScoreTree| {
            let p = &tree.pillars[pillar];
            [p.indicators[offset].measure, p.measure, tree.overall]
        };
        for (new, old) in pick(&new).into_iter().zip(pick(&old)) {
            prop_assert!(not_lower(new.score, old.score), "{:?} after {:?}", new, old);
            prop_assert!(not_lower(new.completeness, old.completeness));
        }
    }

    /// Questions answered `na`, whose condition is not met, or of text, count neither for nor
    /// against: not in the points, not in the weights, not in completeness; nor does an
    /// indicator or pillar made only of them.
    #[test]
    fn questions_left_out_change_no_score(
        spec in spec(),
        addition in addition(),
        added in prop::collection::vec(question(), 1..=3),
    ) {
        let before = build(&spec).score();
        let mut bigger = spec.clone();
        let added: Vec<QuestionSpec> = added
            .into_iter()
            .map(|q| QuestionSpec { extra: true, ..q })
            .collect();
        match &addition {
            Addition::Question { pillar, indicator, at } => {
                let p = &mut bigger.pillars[pillar.index(spec.pillars.len())];
                let i = indicator.index(p.indicators.len());
                let questions = &mut p.indicators[i].questions;
                let at = place(at, questions.len());
                questions.splice(at..at, added);
            }
            Addition::Indicator { pillar, at } => {
                let p = &mut bigger.pillars[pillar.index(spec.pillars.len())];
                let at = place(at, p.indicators.len());
                p.indicators.insert(at, IndicatorSpec { weight: 1.0, questions: added });
            }
            Addition::Pillar { at } => {
                let at = place(at, spec.pillars.len());
                let indicators = vec![IndicatorSpec { weight: 1.0, questions: added }];
                bigger.pillars.insert(at, PillarSpec { weight: 1.0, indicators });
            }
        }
        let mut built = build(&bigger);
        let applies = applicability(&built.questionnaire, &built.values());
        for &q in &built.extras {
            if applies[q] && built.questionnaire.questions[q].is_scored() {
                built.answers[q] = Some(AnswerValue::NotApplicable);
            }
        }
        let mut after = built.score();
        let nothing = Measure { score: None, stage: None, completeness: None };
        match &addition {
            Addition::Question { .. } => {}
            Addition::Indicator { .. } => {
                let indicator = built.questionnaire.questions[built.extras[0]].indicator;
                let p = built.questionnaire.indicators[indicator].pillar;
                let i = indicator - built.questionnaire.pillars[p].indicators.start;
                let removed = after.pillars[p].indicators.remove(i);
                prop_assert_eq!(removed.measure, nothing);
            }
            Addition::Pillar { at } => {
                let removed = after.pillars.remove(place(at, spec.pillars.len()));
                prop_assert_eq!(removed.measure, nothing);
            }
        }
        prop_assert_eq!(measures(&after), measures(&before));
    }

    /// Weights are relative: multiplying every weight of one level by the same factor changes
    /// no score, no share, and no completeness.
    #[test]
    fn scaling_the_weights_of_one_level_changes_no_score(
        spec in spec(),
        level in level(),
        factor in 0.01f64..100.0,
    ) {
        let built = build(&spec);
        let before = built.score();
        let mut scaled = build(&spec);
        let q = &mut scaled.questionnaire;
        match &level {
            Level::QuestionsOf(indicator) => {
                let indicator = &q.indicators[indicator.index(q.indicators.len())];
                let range = indicator.questions.clone();
                q.questions[range].iter_mut().for_each(|question| question.weight *= factor);
            }
            Level::IndicatorsOf(pillar) => {
                let range = q.pillars[pillar.index(q.pillars.len())].indicators.clone();
                q.indicators[range].iter_mut().for_each(|indicator| indicator.weight *= factor);
            }
            Level::Pillars => q.pillars.iter_mut().for_each(|pillar| pillar.weight *= factor),
        }
        let after = scaled.score();
        for (new, old) in measures(&after).into_iter().zip(measures(&before)) {
            prop_assert!(close(new.score, old.score), "{:?} then {:?}", old, new);
            prop_assert_eq!(new.stage, old.stage);
            prop_assert_eq!(new.completeness, old.completeness);
        }
        let questions = |tree: &ScoreTree| -> Vec<QuestionScore> {
            tree.pillars
                .iter()
                .flat_map(|p| &p.indicators)
                .flat_map(|i| i.questions.clone())
                .collect()
        };
        for (new, old) in questions(&after).into_iter().zip(questions(&before)) {
            prop_assert_eq!(new.status, old.status);
            prop_assert!(close(new.contribution, old.contribution));
            prop_assert!(close(new.share, old.share));
        }
    }

    /// The order in which responses are read does not matter: the same answers are kept, the
    /// same conflicts found and settled, and so the same scores given, under either policy.
    #[test]
    fn merging_in_any_order_keeps_the_same_answers(
        (spec, drawn, order) in (spec(), submissions()).prop_flat_map(|(spec, drawn)| {
            let order: Vec<usize> = (0..drawn.len()).collect();
            (Just(spec), Just(drawn), Just(order).prop_shuffle())
        }),
    ) {
        let questionnaire = build(&spec).questionnaire;
        let in_order = to_submissions(&questionnaire, &drawn);
        let shuffled: Vec<Submission> = order.iter().map(|&i| in_order[i].clone()).collect();
        for policy in [ConflictPolicy::Error, ConflictPolicy::Latest] {
            let first = merge(&questionnaire, in_order.clone(), policy);
            let second = merge(&questionnaire, shuffled.clone(), policy);
            prop_assert_eq!(outcome(&questionnaire, &first), outcome(&questionnaire, &second));
            for (q, (a, b)) in first.answers.iter().zip(&second.answers).enumerate() {
                let is_text = matches!(questionnaire.questions[q].kind, QuestionKind::Text);
                if let (Some(a), Some(b), true) = (a, b, is_text) {
                    let latest = latest_texts(a, &drawn);
                    let shown = [a, b].map(|m| format!("{:?}", m.answer().value));
                    let all_latest = shown.iter().all(|text| latest.contains(text));
                    prop_assert!(all_latest, "{:?} of {:?}", shown, latest);
                }
            }
            if first.unresolved().next().is_none() {
                let a = format!("{:?}", score(&questionnaire, &first.values()));
                let b = format!("{:?}", score(&questionnaire, &second.values()));
                prop_assert_eq!(a, b);
            }
        }
    }
}

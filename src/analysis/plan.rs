//! What would lift a score to the next stage: the smallest set of answer changes that takes the
//! overall score, a pillar or an indicator of one country and round to a stage.
//!
//! "Smallest" is lexicographic: fewest questions changed, then the smallest total jump in level
//! (points gained by the changed questions themselves, in quarters of 100), then the largest total
//! weight of the questions changed (the plan the questionnaire weighs most, which leaves the
//! widest margin). Only scored questions change, and only upward: an answer is never proposed
//! below what the question scores now, a multi answer only gains options (capacity is not given
//! up), `na` stays `na`, and context questions stay as they are. `unknown` and unanswered
//! questions score 0 now, so any answer above level 1 raises them.
//!
//! The search is exact. Questions are grouped into independent parts: one indicator, or several
//! when a condition links a question of one to a question of another. Every combination of
//! upward answers within a part is scored by the scoring rules themselves (`score_indicator`,
//! after `applicability`, so that opening or closing a follow-up counts), and its effect on the
//! target is linear in the indicators' scores: the target is a weighted mean of them whose
//! weights are fixed as long as the same indicators have a score. Parts are then combined by
//! dynamic programming over a frontier of (cost, gain) kept Pareto-optimal: since the costs
//! compare lexicographically and add up, a combination dominated within a part is dominated in
//! every plan. A part too large to enumerate (more than `ENUMERATION_LIMIT` combinations) is
//! enumerated up to the largest number of changes that fits, and the plan then says so: it is
//! the best among plans that change at most that many questions of that part.

use std::cell::OnceCell;
use std::cmp::Ordering;

use crate::model::{AnswerValue, ConditionValue, Question, QuestionKind, Questionnaire};
use crate::scoring::{
    ScoreTree, Stage, answer_points, applicability, level_points, score, score_indicator,
};

/// The most combinations of answers enumerated in one part of the questionnaire.
pub const ENUMERATION_LIMIT: usize = 200_000;

/// Gains closer than this are equal: scores are sums of a few dozen products.
const EPSILON: f64 = 1e-9;

/// The most indicators whose having a score or not the search tries both ways (2^this patterns);
/// beyond, only the pattern of now is searched, and the plan says it may not be the smallest.
const MOST_FLIPPABLE: usize = 8;

/// What a plan lifts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The overall score.
    Overall,
    /// A pillar, by position.
    Pillar(usize),
    /// An indicator, by position.
    Indicator(usize),
}

impl Target {
    /// Reads `overall`, a pillar id or an indicator id; the error lists what exists.
    pub fn parse(questionnaire: &Questionnaire, text: &str) -> Result<Target, String> {
        if text == "overall" {
            return Ok(Target::Overall);
        }
        if let Some(p) = questionnaire.pillars.iter().position(|p| p.id == text) {
            return Ok(Target::Pillar(p));
        }
        if let Some(i) = questionnaire.indicators.iter().position(|i| i.id == text) {
            return Ok(Target::Indicator(i));
        }
        let pillars: Vec<&str> = questionnaire
            .pillars
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        let indicators: Vec<&str> = questionnaire
            .indicators
            .iter()
            .map(|i| i.id.as_str())
            .collect();
        Err(format!(
            "unknown target `{}` in {}; expected `overall`, a pillar ({}) or an indicator ({})",
            text.escape_debug(),
            questionnaire.reference(),
            pillars.join(", "),
            indicators.join(", ")
        ))
    }

    /// `overall`, or the id of the pillar or indicator.
    pub fn id(self, questionnaire: &Questionnaire) -> &str {
        match self {
            Target::Overall => "overall",
            Target::Pillar(p) => &questionnaire.pillars[p].id,
            Target::Indicator(i) => &questionnaire.indicators[i].id,
        }
    }

    /// `overall`, `pillar` or `indicator`.
    pub fn level(self) -> &'static str {
        match self {
            Target::Overall => "overall",
            Target::Pillar(_) => "pillar",
            Target::Indicator(_) => "indicator",
        }
    }

    /// Its score in a score tree.
    pub fn score(self, tree: &ScoreTree) -> Option<f64> {
        match self {
            Target::Overall => tree.overall.score,
            Target::Pillar(p) => tree.pillars[p].measure.score,
            Target::Indicator(i) => tree
                .pillars
                .iter()
                .flat_map(|p| &p.indicators)
                .find(|s| s.indicator == i)
                .and_then(|s| s.measure.score),
        }
    }
}

/// One answer to change.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Position of the question.
    pub question: usize,
    /// The answer now; `None` when unanswered.
    pub from: Option<AnswerValue>,
    /// The answer proposed.
    pub to: AnswerValue,
    /// Points the target gains with this change, the changes listed before it being made.
    pub gain: f64,
    /// The jump in level of the question itself: the points it gains, in levels of 25.
    pub jump: f64,
}

/// How sure a plan is to be the smallest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exactness {
    /// No smaller plan exists.
    Optimal,
    /// The smallest among plans that change at most `changes` questions of each part listed,
    /// a part being named by its indicators (positions): those parts were too large to try
    /// every combination.
    Bounded(Vec<(Vec<usize>, usize)>),
}

/// The changes that lift a target to a stage.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// What is lifted.
    pub target: Target,
    /// Its score now.
    pub score: f64,
    /// The stage it is lifted to; at or below the stage of `score` when there is nothing to do.
    pub goal: Stage,
    /// Its score once the changes are made.
    pub reached: f64,
    /// The changes, in questionnaire order; empty when the target is already at `goal`.
    pub changes: Vec<Change>,
    /// The indicators the changes are in, with the stage each reaches.
    pub indicators: Vec<(usize, Stage)>,
    /// Whether the plan is known to be the smallest.
    pub exactness: Exactness,
}

impl Plan {
    /// Its stage now.
    pub fn stage(&self) -> Stage {
        Stage::of(self.score)
    }
}

/// Why there is no plan.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanError {
    /// The target has no score: nothing of it applies.
    NoScore,
    /// No change of the answers reaches the goal; `best` is the highest score found.
    Unreachable {
        /// The highest score the changes tried reach.
        best: f64,
    },
}

/// The smallest set of answer changes that lifts `target` to `goal` (default: the stage above its
/// current one), from the merged answers of one country and round (by question position).
pub fn plan(
    questionnaire: &Questionnaire,
    answers: &[Option<&AnswerValue>],
    target: Target,
    goal: Option<Stage>,
) -> Result<Plan, PlanError> {
    Planner::new(questionnaire, answers).plan(target, goal)
}

/// Plans for one country and round, several targets sharing the work: each part's combinations
/// are enumerated once, when a target first needs them.
pub struct Planner<'a> {
    context: Context<'a>,
    tree: ScoreTree,
    /// Every part, by its indicators, enumerated on first use.
    parts: Vec<(Vec<usize>, OnceCell<Part>)>,
}

impl<'a> Planner<'a> {
    /// A planner for the merged answers of one country and round (by question position).
    pub fn new(questionnaire: &'a Questionnaire, answers: &'a [Option<&'a AnswerValue>]) -> Self {
        let tree = score(questionnaire, answers);
        let everything = vec![true; questionnaire.indicators.len()];
        Planner {
            context: Context::new(questionnaire, answers, &tree),
            tree,
            parts: parts_of(questionnaire, &everything)
                .into_iter()
                .map(|indicators| (indicators, OnceCell::new()))
                .collect(),
        }
    }

    /// The smallest set of answer changes that lifts `target` to `goal` (default: the stage
    /// above its current one).
    pub fn plan(&self, target: Target, goal: Option<Stage>) -> Result<Plan, PlanError> {
        let questionnaire = self.context.questionnaire;
        let answers = self.context.answers;
        let current = target.score(&self.tree).ok_or(PlanError::NoScore)?;
        let stage = Stage::of(current);
        let goal = goal.or_else(|| stage.next()).unwrap_or(stage);
        let nothing_to_do = Plan {
            target,
            score: current,
            goal,
            reached: current,
            changes: Vec::new(),
            indicators: Vec::new(),
            exactness: Exactness::Optimal,
        };
        if Stage::of(current) >= goal {
            return Ok(nothing_to_do);
        }
        let context = &self.context;
        let relevant = relevant(questionnaire, target);
        let parts: Vec<&Part> = self
            .parts
            .iter()
            .filter(|(indicators, _)| indicators.iter().any(|&i| relevant[i]))
            .map(|(indicators, part)| part.get_or_init(|| context.enumerate(indicators.clone())))
            .collect();
        let threshold = level_points(goal.level());
        let exactness: Vec<(Vec<usize>, usize)> = parts
            .iter()
            .filter_map(|p| Some((p.indicators.clone(), p.bounded_to?)))
            .collect();
        // Which indicators have a score decides the weights of the means above them: each pattern
        // of indicators that some change gives or takes a score is searched on its own.
        let flippable: Vec<usize> = parts
            .iter()
            .flat_map(|p| p.flippable(&context.scores))
            .collect();
        let patterns = if flippable.len() <= MOST_FLIPPABLE {
            1usize << flippable.len()
        } else {
            1
        };
        let mut found: Vec<(Cost, Vec<(usize, usize)>)> = Vec::new();
        let mut highest = current;
        for pattern in 0..patterns {
            let mut exists: Vec<bool> = context.scores.iter().map(Option::is_some).collect();
            for (bit, &i) in flippable.iter().enumerate() {
                if pattern & (1 << bit) != 0 {
                    exists[i] = !exists[i];
                }
            }
            let Some(coefficients) = coefficients(questionnaire, &exists, target) else {
                continue;
            };
            let base: f64 = (0..exists.len())
                .filter(|&i| exists[i])
                .filter_map(|i| Some(coefficients[i] * context.scores[i]?))
                .sum();
            let need = threshold - base;
            // One frontier per part added; each candidate points back into the one before.
            let mut layers: Vec<Vec<Candidate>> = vec![vec![Candidate::default()]];
            for part in &parts {
                let options = part.options(&exists, &coefficients, &context.scores, need);
                let next = combine(&layers[layers.len() - 1], &options, need);
                layers.push(next);
            }
            let last = &layers[layers.len() - 1];
            // Gains below the need are not held back: the best of them is the most reached.
            let most = last
                .iter()
                .map(|c| c.gain)
                .fold(f64::NEG_INFINITY, f64::max);
            highest = highest.max(base + most);
            found.extend(
                last.iter()
                    .filter(|c| c.gain >= need - 1e-7)
                    .map(|c| (c.cost, choices_of(&layers, c))),
            );
        }
        found.sort_by(|a, b| a.0.compare(&b.0));
        let mut best = highest;
        for (_, choices) in found {
            let changes: Vec<(usize, AnswerValue)> = choices
                .iter()
                .flat_map(|&(part, option)| parts[part].changes(option))
                .collect();
            let (after, gains) = apply(questionnaire, answers, target, &changes);
            let reached = target.score(&after).unwrap_or(0.0);
            best = best.max(reached);
            // The linear effect is checked by scoring the changed answers for real.
            if Stage::of(reached) >= goal {
                let mut changes: Vec<Change> = changes
                    .into_iter()
                    .zip(gains)
                    .map(|((question, to), gain)| Change {
                        question,
                        from: answers[question].cloned(),
                        jump: jump(&questionnaire.questions[question], answers[question], &to),
                        to,
                        gain,
                    })
                    .collect();
                changes.sort_by_key(|c| c.question);
                let mut indicators: Vec<(usize, Stage)> = Vec::new();
                for change in &changes {
                    let i = questionnaire.questions[change.question].indicator;
                    let stage = Target::Indicator(i).score(&after).map(Stage::of);
                    if let (Some(stage), false) = (stage, indicators.iter().any(|(j, _)| *j == i)) {
                        indicators.push((i, stage));
                    }
                }
                let bounded = !exactness.is_empty() || patterns == 1 && !flippable.is_empty();
                return Ok(Plan {
                    changes,
                    indicators,
                    reached,
                    exactness: if bounded {
                        Exactness::Bounded(exactness)
                    } else {
                        Exactness::Optimal
                    },
                    ..nothing_to_do
                });
            }
        }
        Err(PlanError::Unreachable { best })
    }
}

/// The scores once `changes` are made, and what each change adds to the target, made one after
/// the other in questionnaire order (their sum is the whole gain).
fn apply(
    questionnaire: &Questionnaire,
    answers: &[Option<&AnswerValue>],
    target: Target,
    changes: &[(usize, AnswerValue)],
) -> (ScoreTree, Vec<f64>) {
    let mut order: Vec<usize> = (0..changes.len()).collect();
    order.sort_by_key(|&k| changes[k].0);
    let mut changed: Vec<Option<&AnswerValue>> = answers.to_vec();
    let mut previous = target.score(&score(questionnaire, &changed)).unwrap_or(0.0);
    let mut gains = vec![0.0; changes.len()];
    for k in order {
        let (question, to) = &changes[k];
        changed[*question] = Some(to);
        let now = target.score(&score(questionnaire, &changed)).unwrap_or(0.0);
        gains[k] = now - previous;
        previous = now;
    }
    (score(questionnaire, &changed), gains)
}

/// How much a point of each indicator's score moves the target, given which indicators have a
/// score (a pillar has one when any of its indicators of weight above 0 has); `None` when the
/// target would have no score.
fn coefficients(
    questionnaire: &Questionnaire,
    exists: &[bool],
    target: Target,
) -> Option<Vec<f64>> {
    let weight_in = |pillar: &crate::model::Pillar| -> f64 {
        pillar
            .indicators
            .clone()
            .filter(|&i| exists[i])
            .map(|i| questionnaire.indicators[i].weight)
            .sum()
    };
    let pillar_scored = |p: usize| {
        let pillar = &questionnaire.pillars[p];
        pillar
            .indicators
            .clone()
            .any(|i| exists[i] && questionnaire.indicators[i].weight > 0.0)
    };
    let pillar_total: f64 = (0..questionnaire.pillars.len())
        .filter(|&p| pillar_scored(p))
        .map(|p| questionnaire.pillars[p].weight)
        .sum();
    let scored = match target {
        Target::Overall => (0..questionnaire.pillars.len())
            .any(|p| pillar_scored(p) && questionnaire.pillars[p].weight > 0.0),
        Target::Pillar(p) => pillar_scored(p),
        Target::Indicator(i) => exists[i],
    };
    if !scored {
        return None;
    }
    let mut coefficients = vec![0.0; questionnaire.indicators.len()];
    for (p, pillar) in questionnaire.pillars.iter().enumerate() {
        let pillar_share = match target {
            Target::Overall if pillar_scored(p) => pillar.weight / pillar_total,
            Target::Pillar(t) if t == p => 1.0,
            _ => 0.0,
        };
        let in_pillar = weight_in(pillar);
        for i in pillar.indicators.clone() {
            coefficients[i] = match target {
                Target::Indicator(t) => f64::from(u8::from(t == i)),
                _ if exists[i] && in_pillar > 0.0 => {
                    pillar_share * questionnaire.indicators[i].weight / in_pillar
                }
                _ => 0.0,
            };
        }
    }
    Some(coefficients)
}

/// The indicators whose score can move the target.
fn relevant(questionnaire: &Questionnaire, target: Target) -> Vec<bool> {
    (0..questionnaire.indicators.len())
        .map(|i| match target {
            Target::Overall => true,
            Target::Pillar(p) => questionnaire.indicators[i].pillar == p,
            Target::Indicator(t) => t == i,
        })
        .collect()
}

/// The parts that can move the target, each as its indicators: indicators linked by conditions
/// are one part; a part none of whose indicators moves the target is left out.
fn parts_of(questionnaire: &Questionnaire, relevant: &[bool]) -> Vec<Vec<usize>> {
    fn find(root: &mut [usize], mut i: usize) -> usize {
        while root[i] != i {
            root[i] = root[root[i]];
            i = root[i];
        }
        i
    }
    let count = questionnaire.indicators.len();
    let mut root: Vec<usize> = (0..count).collect();
    for question in &questionnaire.questions {
        if let Some(condition) = &question.when {
            let a = find(&mut root, question.indicator);
            let b = find(
                &mut root,
                questionnaire.questions[condition.question].indicator,
            );
            root[a.max(b)] = a.min(b);
        }
    }
    let mut parts: Vec<Vec<usize>> = Vec::new();
    let mut part_of_root = vec![usize::MAX; count];
    for i in 0..count {
        let r = find(&mut root, i);
        if part_of_root[r] == usize::MAX {
            part_of_root[r] = parts.len();
            parts.push(Vec::new());
        }
        parts[part_of_root[r]].push(i);
    }
    parts.retain(|indicators| indicators.iter().any(|&i| relevant[i]));
    parts
}

/// What a set of changes costs, compared lexicographically.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Cost {
    /// Questions changed.
    changes: usize,
    /// Total jump in level.
    jump: f64,
    /// Total weight of the questions changed (more is better).
    weight: f64,
}

impl Cost {
    fn add(self, other: Cost) -> Cost {
        Cost {
            changes: self.changes + other.changes,
            jump: self.jump + other.jump,
            weight: self.weight + other.weight,
        }
    }

    fn compare(&self, other: &Cost) -> Ordering {
        let near = |a: f64, b: f64| (a - b).abs() <= EPSILON;
        self.changes.cmp(&other.changes).then_with(|| {
            if !near(self.jump, other.jump) {
                self.jump.total_cmp(&other.jump)
            } else if !near(self.weight, other.weight) {
                other.weight.total_cmp(&self.weight)
            } else {
                Ordering::Equal
            }
        })
    }
}

/// The jump in level of one change: the points the question itself gains, in levels of 25.
fn jump(question: &Question, from: Option<&AnswerValue>, to: &AnswerValue) -> f64 {
    let points = |value: Option<&AnswerValue>| {
        value
            .and_then(|v| answer_points(question, v))
            .unwrap_or(0.0)
    };
    (points(Some(to)) - points(from)) / 25.0
}

/// A combination of changes within one part: its cost, the changes (question number in the part,
/// answer number), and the score of each of the part's indicators after them.
#[derive(Debug, Clone)]
struct RawOption {
    cost: Cost,
    picked: Vec<(usize, usize)>,
    after: Vec<Option<f64>>,
}

/// Indicators linked by conditions, with every combination of upward answers worth trying.
struct Part {
    /// Positions of its indicators, ascending.
    indicators: Vec<usize>,
    /// Its questions that can change, and the answers each may take.
    questions: Vec<usize>,
    choices: Vec<Vec<AnswerValue>>,
    /// The combinations; the first changes nothing.
    raw: Vec<RawOption>,
    /// The most changes tried, when not every combination could be.
    bounded_to: Option<usize>,
}

impl Part {
    /// The changes of option `option`.
    fn changes(&self, option: usize) -> impl Iterator<Item = (usize, AnswerValue)> + '_ {
        self.raw[option]
            .picked
            .iter()
            .map(|&(k, c)| (self.questions[k], self.choices[k][c].clone()))
    }

    /// Its indicators that some combination gives a score or takes it away.
    fn flippable(&self, scores: &[Option<f64>]) -> Vec<usize> {
        self.indicators
            .iter()
            .enumerate()
            .filter(|&(n, &i)| {
                self.raw
                    .iter()
                    .any(|o| o.after[n].is_some() != scores[i].is_some())
            })
            .map(|(_, &i)| i)
            .collect()
    }

    /// The options that leave a score to exactly the indicators `exists` says, with their gain
    /// on the target (at most `need`), Pareto-pruned: (option, cost, gain).
    fn options(
        &self,
        exists: &[bool],
        coefficients: &[f64],
        scores: &[Option<f64>],
        need: f64,
    ) -> Vec<(usize, Cost, f64)> {
        let options = self
            .raw
            .iter()
            .enumerate()
            .filter(|(_, o)| {
                self.indicators
                    .iter()
                    .zip(&o.after)
                    .all(|(&i, after)| after.is_some() == exists[i])
            })
            .map(|(number, o)| {
                let gain: f64 = self
                    .indicators
                    .iter()
                    .zip(&o.after)
                    .filter_map(|(&i, after)| {
                        Some(coefficients[i] * (after.as_ref()? - scores[i].unwrap_or(0.0)))
                    })
                    .sum();
                (number, o.cost, gain.min(need))
            })
            .collect();
        pareto(options, |o| (o.1, o.2))
    }
}

/// A partial plan: its cost, its gain on the target (held at the gain needed at most, since more
/// does not make a plan better), the candidate of the layer before it extends and the option it
/// takes in its part.
#[derive(Debug, Clone, Copy, Default)]
struct Candidate {
    cost: Cost,
    gain: f64,
    previous: usize,
    option: usize,
}

/// The option taken in each part that changes something, as (part, option), following a
/// candidate of the last layer back to the first.
fn choices_of(layers: &[Vec<Candidate>], last: &Candidate) -> Vec<(usize, usize)> {
    let mut choices = Vec::new();
    let mut candidate = *last;
    for part in (0..layers.len() - 1).rev() {
        // An option that changes nothing adds no change to the count.
        if candidate.cost.changes != layers[part][candidate.previous].cost.changes {
            choices.push((part, candidate.option));
        }
        candidate = layers[part][candidate.previous];
    }
    choices.reverse();
    choices
}

/// Keeps the items no other beats on both cost and gain: sorted by cost, an item is kept only
/// when it gains more than every cheaper one.
fn pareto<T>(mut items: Vec<T>, key: impl Fn(&T) -> (Cost, f64)) -> Vec<T> {
    items.sort_by(|a, b| {
        let (a, b) = (key(a), key(b));
        a.0.compare(&b.0).then_with(|| b.1.total_cmp(&a.1))
    });
    let mut kept = Vec::new();
    let mut best = f64::NEG_INFINITY;
    for item in items {
        let gain = key(&item).1;
        if gain > best + EPSILON {
            best = gain;
            kept.push(item);
        }
    }
    kept
}

/// Adds a part's options, (option, cost, gain), to every partial plan.
fn combine(frontier: &[Candidate], options: &[(usize, Cost, f64)], need: f64) -> Vec<Candidate> {
    let mut next = Vec::with_capacity(frontier.len() * options.len());
    for (previous, candidate) in frontier.iter().enumerate() {
        for &(option, cost, gain) in options {
            next.push(Candidate {
                cost: candidate.cost.add(cost),
                gain: (candidate.gain + gain).min(need),
                previous,
                option,
            });
        }
    }
    pareto(next, |c| (c.cost, c.gain))
}

/// What every part's enumeration shares: the answers, the scores now, which questions open
/// conditions and on which of their options.
struct Context<'a> {
    questionnaire: &'a Questionnaire,
    answers: &'a [Option<&'a AnswerValue>],
    applies: Vec<bool>,
    /// Each indicator's score now.
    scores: Vec<Option<f64>>,
    /// For each question, the options (bits) that conditions look at; `u64::MAX` for a yes/no
    /// or choice question that a condition names; 0 when none does.
    watched: Vec<u64>,
}

impl<'a> Context<'a> {
    fn new(
        questionnaire: &'a Questionnaire,
        answers: &'a [Option<&'a AnswerValue>],
        tree: &ScoreTree,
    ) -> Context<'a> {
        let mut scores = vec![None; questionnaire.indicators.len()];
        for indicator in tree.pillars.iter().flat_map(|p| &p.indicators) {
            scores[indicator.indicator] = indicator.measure.score;
        }
        let mut watched = vec![0u64; questionnaire.questions.len()];
        for question in &questionnaire.questions {
            if let Some(condition) = &question.when {
                for value in &condition.any_of {
                    watched[condition.question] |= match value {
                        ConditionValue::Option(i) if *i < 64 => 1u64 << i,
                        _ => u64::MAX,
                    };
                }
            }
        }
        Context {
            questionnaire,
            answers,
            applies: applicability(questionnaire, answers),
            scores,
            watched,
        }
    }

    /// Every combination of upward answers in the part's questions, scored; those that only
    /// lower scores without giving or taking one are left out.
    fn enumerate(&self, indicators: Vec<usize>) -> Part {
        let questionnaire = self.questionnaire;
        let mut questions = Vec::new();
        let mut choices: Vec<Vec<AnswerValue>> = Vec::new();
        for &i in &indicators {
            for q in questionnaire.indicators[i].questions.clone() {
                let question = &questionnaire.questions[q];
                let found = alternatives(question, self.answers[q], self.watched[q]);
                if !found.is_empty() {
                    questions.push(q);
                    choices.push(found);
                }
            }
        }
        let budget = most_changes_within(&choices, ENUMERATION_LIMIT);
        let mut walk = Walk {
            context: self,
            indicators: &indicators,
            questions: &questions,
            choices: &choices,
            changed: self.answers.to_vec(),
            picked: Vec::new(),
            raw: Vec::new(),
        };
        walk.visit(0, budget);
        let raw = walk.raw;
        Part {
            bounded_to: (budget < questions.len()).then_some(budget),
            indicators,
            questions,
            choices,
            raw,
        }
    }
}

/// The most questions that may change at once for the combinations to stay within `limit`.
fn most_changes_within(choices: &[Vec<AnswerValue>], limit: usize) -> usize {
    // ways[j]: combinations changing exactly j questions.
    let mut ways = vec![1usize];
    for found in choices {
        let mut next = vec![0usize; ways.len() + 1];
        for (j, &w) in ways.iter().enumerate() {
            next[j] = next[j].saturating_add(w);
            next[j + 1] = next[j + 1].saturating_add(w.saturating_mul(found.len()));
        }
        ways = next;
    }
    let mut total = 0usize;
    for (j, &w) in ways.iter().enumerate() {
        total = total.saturating_add(w);
        if total > limit {
            return j.saturating_sub(1);
        }
    }
    choices.len()
}

/// The depth-first walk over one part's combinations.
struct Walk<'w, 'a> {
    context: &'w Context<'a>,
    indicators: &'w [usize],
    questions: &'w [usize],
    choices: &'w [Vec<AnswerValue>],
    changed: Vec<Option<&'w AnswerValue>>,
    picked: Vec<(usize, usize)>,
    raw: Vec<RawOption>,
}

impl<'w, 'a: 'w> Walk<'w, 'a> {
    fn visit(&mut self, k: usize, budget: usize) {
        if k == self.questions.len() {
            self.score();
            return;
        }
        self.visit(k + 1, budget);
        if budget == 0 {
            return;
        }
        let q = self.questions[k];
        for c in 0..self.choices[k].len() {
            self.changed[q] = Some(&self.choices[k][c]);
            self.picked.push((k, c));
            self.visit(k + 1, budget - 1);
            self.picked.pop();
        }
        self.changed[q] = self.context.answers[q];
    }

    fn score(&mut self) {
        let context = self.context;
        let questionnaire = context.questionnaire;
        let opens = self
            .picked
            .iter()
            .any(|&(k, _)| context.watched[self.questions[k]] != 0);
        let reapplied;
        let applies = if opens {
            reapplied = applicability(questionnaire, &self.changed);
            &reapplied
        } else {
            &context.applies
        };
        let after: Vec<Option<f64>> = self
            .indicators
            .iter()
            .map(|&i| {
                score_indicator(questionnaire, i, &self.changed, applies)
                    .measure
                    .score
            })
            .collect();
        // Means have weights of 0 and above: a combination that gives or takes no score and
        // raises none is beaten by changing nothing.
        let useful = self.picked.is_empty()
            || self.indicators.iter().zip(&after).any(|(&i, after)| {
                match (context.scores[i], after) {
                    (Some(before), Some(after)) => *after > before + EPSILON,
                    (None, None) => false,
                    _ => true,
                }
            });
        if !useful {
            return;
        }
        let mut cost = Cost::default();
        for &(k, c) in &self.picked {
            let q = self.questions[k];
            let question = &questionnaire.questions[q];
            cost = cost.add(Cost {
                changes: 1,
                jump: jump(question, context.answers[q], &self.choices[k][c]),
                weight: question.weight,
            });
        }
        self.raw.push(RawOption {
            cost,
            picked: self.picked.clone(),
            after,
        });
    }
}

/// The answers a question could be given that score more than its answer now: none for `na`, a
/// text or a context question. A multi question gets every selection that adds options, one per
/// resulting points and options watched by conditions (the fewest options added).
fn alternatives(question: &Question, now: Option<&AnswerValue>, watched: u64) -> Vec<AnswerValue> {
    if !question.is_scored() || matches!(now, Some(AnswerValue::NotApplicable)) {
        return Vec::new();
    }
    let points_now = now.and_then(|v| answer_points(question, v)).unwrap_or(0.0);
    let mut found: Vec<AnswerValue> = match &question.kind {
        QuestionKind::Choice { options } => (0..options.len())
            .filter_map(|i| u16::try_from(i).ok().map(AnswerValue::Choice))
            .collect(),
        QuestionKind::YesNo => vec![AnswerValue::YesNo(true)],
        QuestionKind::Number { min, max, bands } => bands
            .iter()
            .map(|(low, _)| min.map_or(*low, |m| low.max(m)))
            .filter(|v| max.is_none_or(|m| *v <= m))
            .map(AnswerValue::Number)
            .collect(),
        QuestionKind::Multi { options } => {
            let selected = match now {
                Some(AnswerValue::Multi(bits)) => *bits,
                _ => 0,
            };
            let free: Vec<usize> = (0..options.len().min(64))
                .filter(|i| selected & (1u64 << i) == 0)
                .collect();
            // 2^16 selections at most: beyond, each option alone and all of them.
            let subsets: Vec<u64> = if free.len() <= 16 {
                (1u64..(1u64 << free.len())).collect()
            } else {
                (0..free.len())
                    .map(|j| 1u64 << j)
                    .chain([(1u64 << free.len().min(63)) - 1])
                    .collect()
            };
            // (points, watched options) → (selection, options added).
            let mut by_effect: Vec<((u64, u64), u64, u32)> = Vec::new();
            for subset in subsets {
                let bits = free
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| subset & (1u64 << j) != 0)
                    .fold(selected, |bits, (_, &i)| bits | (1u64 << i));
                let points = answer_points(question, &AnswerValue::Multi(bits)).unwrap_or(0.0);
                let effect = (points.to_bits(), bits & watched);
                let added = subset.count_ones();
                match by_effect.iter_mut().find(|(e, _, _)| *e == effect) {
                    Some(entry) if added < entry.2 => *entry = (effect, bits, added),
                    Some(_) => {}
                    None => by_effect.push((effect, bits, added)),
                }
            }
            by_effect
                .into_iter()
                .map(|(_, bits, _)| AnswerValue::Multi(bits))
                .collect()
        }
        QuestionKind::Text => Vec::new(),
    };
    found.retain(|v| answer_points(question, v).is_some_and(|p| p > points_now + EPSILON));
    if let QuestionKind::Number { .. } = question.kind {
        // Bands come lowest first: keep the smallest number of each level.
        let mut seen: Vec<u64> = Vec::new();
        found.retain(|v| {
            let points = answer_points(question, v).unwrap_or(0.0).to_bits();
            let new = !seen.contains(&points);
            seen.push(points);
            new
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;

    use super::*;
    use crate::load::{Source, load_questionnaire};

    /// Two pillars; a follow-up in one indicator opened by a question of another; a multi whose
    /// option opens a question; a number with bands; weights that differ.
    const SMALL: &str = r#"
id: small
version: "1"
title: Small
stages:
  - {level: 1, name: Initial}
  - {level: 2, name: Developing}
  - {level: 3, name: Defined}
  - {level: 4, name: Managed}
  - {level: 5, name: Optimised}
pillars:
  - id: governance
    title: Governance
    indicators:
      - id: governance.strategy
        title: Strategy
        questions:
          - {id: strategy, text: "A strategy?", type: yesno, weight: 2}
          - id: owner
            text: "Who owns it?"
            type: choice
            options:
              - {id: nobody, label: Nobody, level: 1}
              - {id: ministry, label: A ministry, level: 3}
              - {id: agency, label: An agency, level: 5}
      - id: governance.funding
        title: Funding
        weight: 2
        questions:
          - id: budget
            text: "Is the strategy funded, and how much?"
            type: number
            when: {question: strategy, equals: yes}
            bands:
              - {min: 0, level: 1}
              - {min: 10, level: 3}
              - {min: 50, level: 5}
          - id: sectors
            text: "Sectors?"
            type: multi
            options:
              - {id: energy, label: Energy, points: 1}
              - {id: health, label: Health, points: 1}
              - {id: finance, label: Finance, points: 2}
  - id: people
    title: People
    indicators:
      - id: people.skills
        title: Skills
        questions:
          - id: regulator
            text: "Does a regulator oversee finance?"
            type: yesno
            when: {question: sectors, in: [finance]}
          - id: training
            text: "Training?"
            type: choice
            weight: 3
            options:
              - {id: none, label: None, level: 1}
              - {id: some, label: Some, level: 2}
              - {id: most, label: Most, level: 4}
              - {id: all, label: All, level: 5}
          - {id: headcount, text: "Staff (context)", type: number, weight: 0}
"#;

    fn small() -> Questionnaire {
        let source = Source::from_text(Path::new("small.yaml"), SMALL);
        load_questionnaire(&source).unwrap().0
    }

    /// Every answer a question can have, written independently of `alternatives`.
    fn every_answer(question: &Question) -> Vec<AnswerValue> {
        match &question.kind {
            QuestionKind::Choice { options } => {
                (0..options.len() as u16).map(AnswerValue::Choice).collect()
            }
            QuestionKind::Multi { options } => {
                (0..1u64 << options.len()).map(AnswerValue::Multi).collect()
            }
            QuestionKind::YesNo => vec![AnswerValue::YesNo(false), AnswerValue::YesNo(true)],
            QuestionKind::Number { bands, .. } => bands
                .iter()
                .map(|(min, _)| AnswerValue::Number(*min))
                .collect(),
            QuestionKind::Text => Vec::new(),
        }
    }

    fn points_of(question: &Question, value: Option<&AnswerValue>) -> f64 {
        value
            .and_then(|v| answer_points(question, v))
            .unwrap_or(0.0)
    }

    /// The cheapest (changes, jump, weight) over every combination of answers that raise their
    /// question's points, `na` and unscored questions kept, that takes the target to `goal`.
    fn brute_force(
        q: &Questionnaire,
        answers: &[Option<AnswerValue>],
        target: Target,
        goal: Stage,
    ) -> Option<Cost> {
        let options: Vec<Vec<Option<AnswerValue>>> = q
            .questions
            .iter()
            .zip(answers)
            .map(|(question, now)| {
                let mut found = vec![now.clone()];
                if question.is_scored() && now != &Some(AnswerValue::NotApplicable) {
                    let kept = |v: &AnswerValue| match (now, v) {
                        // A multi answer only gains options: capacity is not given up.
                        (Some(AnswerValue::Multi(was)), AnswerValue::Multi(bits)) => {
                            bits & was == *was
                        }
                        _ => true,
                    };
                    found.extend(
                        every_answer(question)
                            .into_iter()
                            .filter(|v| {
                                kept(v)
                                    && points_of(question, Some(v))
                                        > points_of(question, now.as_ref())
                            })
                            .map(Some),
                    );
                }
                found
            })
            .collect();
        let mut best: Option<Cost> = None;
        let mut pick = vec![0usize; options.len()];
        loop {
            let values: Vec<Option<&AnswerValue>> = pick
                .iter()
                .zip(&options)
                .map(|(&k, found)| found[k].as_ref())
                .collect();
            let reached = target.score(&score(q, &values));
            if reached.is_some_and(|s| Stage::of(s) >= goal) {
                let mut cost = Cost::default();
                for (i, &k) in pick.iter().enumerate() {
                    if k > 0 {
                        let question = &q.questions[i];
                        let to = options[i][k].as_ref().unwrap();
                        cost = cost.add(Cost {
                            changes: 1,
                            jump: jump(question, answers[i].as_ref(), to),
                            weight: question.weight,
                        });
                    }
                }
                if best.is_none_or(|b| cost.compare(&b) == Ordering::Less) {
                    best = Some(cost);
                }
            }
            // Next combination, like an odometer.
            let mut i = 0;
            loop {
                if i == pick.len() {
                    return best;
                }
                pick[i] += 1;
                if pick[i] < options[i].len() {
                    break;
                }
                pick[i] = 0;
                i += 1;
            }
        }
    }

    fn cost_of(q: &Questionnaire, plan: &Plan) -> Cost {
        plan.changes.iter().fold(Cost::default(), |cost, change| {
            let question = &q.questions[change.question];
            assert_eq!(
                change.jump,
                jump(question, change.from.as_ref(), &change.to)
            );
            cost.add(Cost {
                changes: 1,
                jump: change.jump,
                weight: question.weight,
            })
        })
    }

    fn by_id(q: &Questionnaire, given: &[(&str, AnswerValue)]) -> Vec<Option<AnswerValue>> {
        let mut answers = vec![None; q.questions.len()];
        for (id, value) in given {
            answers[q.question_position(id).unwrap()] = Some(value.clone());
        }
        answers
    }

    fn refs(answers: &[Option<AnswerValue>]) -> Vec<Option<&AnswerValue>> {
        answers.iter().map(Option::as_ref).collect()
    }

    #[test]
    fn a_follow_up_opened_by_a_change_is_answered_too() {
        let q = small();
        let answers = by_id(
            &q,
            &[
                ("strategy", AnswerValue::YesNo(false)),
                ("owner", AnswerValue::Choice(2)),
                ("sectors", AnswerValue::Multi(0b111)),
                ("regulator", AnswerValue::YesNo(true)),
                ("training", AnswerValue::Choice(3)),
            ],
        );
        // The strategy indicator is at 100 / 3 (no strategy, an agency); yes to the strategy
        // lifts it, and opens the budget of the funding indicator at 0.
        let target = Target::parse(&q, "governance.strategy").unwrap();
        let found = plan(&q, &refs(&answers), target, None).unwrap();
        assert_eq!(found.stage().level(), 2);
        assert_eq!(found.goal.level(), 3);
        assert_eq!(found.changes.len(), 1);
        assert_eq!(found.changes[0].to, AnswerValue::YesNo(true));
        assert_eq!(found.exactness, Exactness::Optimal);
        let overall = plan(&q, &refs(&answers), Target::Overall, Some(Stage::ALL[4])).unwrap();
        let ids: Vec<&str> = overall
            .changes
            .iter()
            .map(|c| q.questions[c.question].id.as_str())
            .collect();
        assert_eq!(ids, ["strategy", "budget"]);
        assert_eq!(overall.changes[1].to, AnswerValue::Number(50.0));
        assert_eq!(overall.reached, 100.0);
        let gains: f64 = overall.changes.iter().map(|c| c.gain).sum();
        assert!((overall.score + gains - overall.reached).abs() < 1e-9);
    }

    #[test]
    fn na_stays_na_and_context_is_never_changed() {
        let q = small();
        let answers = by_id(
            &q,
            &[
                ("strategy", AnswerValue::NotApplicable),
                ("owner", AnswerValue::Choice(0)),
                ("training", AnswerValue::Choice(0)),
            ],
        );
        let found = plan(&q, &refs(&answers), Target::Overall, Some(Stage::ALL[4])).unwrap();
        for change in &found.changes {
            let id = q.questions[change.question].id.as_str();
            assert!(!["strategy", "headcount"].contains(&id), "{id} changed");
        }
    }

    #[test]
    fn a_target_already_reached_needs_no_change_and_an_unknown_target_is_named() {
        let q = small();
        let answers = by_id(&q, &[("training", AnswerValue::Choice(3))]);
        let found = plan(
            &q,
            &refs(&answers),
            Target::Indicator(2),
            Some(Stage::ALL[2]),
        )
        .unwrap();
        assert!(found.changes.is_empty());
        let error = Target::parse(&q, "people.nothing").unwrap_err();
        assert!(error.contains("people.skills"), "{error}");
    }

    #[test]
    fn a_stage_no_answer_reaches_is_said_with_the_most_reached() {
        let text = SMALL.replace(
            "- {min: 50, level: 5}",
            "- {min: 50, level: 5}\n            max: 20",
        );
        let source = Source::from_text(Path::new("capped.yaml"), &text);
        let q = load_questionnaire(&source).unwrap().0;
        let answers = by_id(
            &q,
            &[
                ("strategy", AnswerValue::YesNo(true)),
                ("budget", AnswerValue::Number(0.0)),
                ("sectors", AnswerValue::NotApplicable),
            ],
        );
        // The budget cannot pass 20, so the funding indicator stops at its band of 10 (50).
        let funding = Target::parse(&q, "governance.funding").unwrap();
        let found = plan(&q, &refs(&answers), funding, Some(Stage::ALL[4]));
        assert_eq!(found, Err(PlanError::Unreachable { best: 50.0 }));
        let found = plan(&q, &refs(&answers), funding, Some(Stage::ALL[2])).unwrap();
        assert_eq!(found.changes[0].to, AnswerValue::Number(10.0));
    }

    #[test]
    fn the_parts_too_large_to_enumerate_are_bounded_by_the_changes_tried() {
        let choices: Vec<Vec<AnswerValue>> = (0..12)
            .map(|_| (0..4).map(AnswerValue::Choice).collect())
            .collect();
        // 5^12 combinations in all; with at most 4 changes: Σ C(12, j) 4^j for j ≤ 4.
        assert_eq!(most_changes_within(&choices, usize::MAX), 12);
        let within = most_changes_within(&choices, 200_000);
        assert_eq!(within, 4);
        assert_eq!(most_changes_within(&choices[..3], 200_000), 3);
    }

    fn answer_strategy(question: &Question) -> BoxedStrategy<Option<AnswerValue>> {
        let mut values = every_answer(question);
        values.push(AnswerValue::Unknown);
        values.push(AnswerValue::NotApplicable);
        let values: Vec<Option<AnswerValue>> = values.into_iter().map(Some).chain([None]).collect();
        proptest::sample::select(values).boxed()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn no_smaller_set_of_changes_reaches_the_stage(
            (answers, target, goal) in {
                let q = small();
                let strategies: Vec<_> = q.questions.iter().map(answer_strategy).collect();
                (strategies, 0..7usize, 2..=5u8)
            }
        ) {
            let q = small();
            let target = match target {
                0 => Target::Overall,
                1 | 2 => Target::Pillar(target - 1),
                i => Target::Indicator(i - 3),
            };
            let goal = Stage::from_level(goal).unwrap();
            let values = refs(&answers);
            let expected = brute_force(&q, &answers, target, goal);
            // A planner shared by targets, as the report uses it, plans as a fresh one does.
            let shared = Planner::new(&q, &values);
            let _ = shared.plan(Target::Overall, None);
            prop_assert_eq!(shared.plan(target, Some(goal)), plan(&q, &values, target, Some(goal)));
            match plan(&q, &values, target, Some(goal)) {
                Ok(found) => {
                    prop_assert_eq!(&found.exactness, &Exactness::Optimal);
                    let mut changed = answers.clone();
                    for change in &found.changes {
                        changed[change.question] = Some(change.to.clone());
                    }
                    let rescored = target.score(&score(&q, &refs(&changed))).unwrap();
                    prop_assert!(Stage::of(rescored) >= goal);
                    prop_assert!((rescored - found.reached).abs() < 1e-9);
                    let best = expected.expect("brute force finds the plan too");
                    prop_assert_eq!(cost_of(&q, &found).compare(&best), Ordering::Equal,
                        "plan {:?} against the best {:?}", cost_of(&q, &found), best);
                }
                Err(PlanError::NoScore) => {
                    prop_assert!(target.score(&score(&q, &values)).is_none());
                }
                Err(PlanError::Unreachable { .. }) => {
                    prop_assert_eq!(expected, None);
                }
            }
        }
    }
}

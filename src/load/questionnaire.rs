//! Semantic checks of a questionnaire document, each finding at the line:column of the value at fault.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use crate::diagnostic::At;
use crate::diagnostic::{Diagnostic, Findings, Position};
use crate::model::doc::{ConditionDoc, QuestionDoc, QuestionType, QuestionnaireDoc, ScalarText};
use crate::model::text::{LocalizedText, SUPPORTED_LANGUAGES, is_language_code};
use crate::model::{
    AnswerOption, Condition, ConditionValue, Indicator, Pillar, Question, QuestionKind,
    Questionnaire, QuestionnaireHeader,
};

/// Options of a `multi` question are kept as bits of a u64.
pub const MAX_MULTI_OPTIONS: usize = 64;

/// Words a respondent writes to mean "not applicable" and "don't know": no option may take them.
const RESERVED_ANSWERS: [&str; 2] = ["na", "unknown"];

/// Checks a parsed questionnaire; returns it with its warnings, or every finding if any is an error.
pub fn check_questionnaire(
    path: &Path,
    doc: &QuestionnaireDoc,
) -> Result<(Questionnaire, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut checker = Checker {
        findings: Findings::new(path),
        languages: Vec::new(),
        ids: HashMap::new(),
        question_ids: doc
            .pillars
            .iter()
            .flat_map(|p| &p.indicators)
            .flat_map(|i| &i.questions)
            .map(|q| q.id.value.clone())
            .collect(),
        all_ids: doc
            .pillars
            .iter()
            .flat_map(|p| {
                let indicators = p
                    .indicators
                    .iter()
                    .flat_map(|i| std::iter::once(&i.id).chain(i.questions.iter().map(|q| &q.id)));
                std::iter::once(&p.id).chain(indicators)
            })
            .map(|id| id.value.clone())
            .collect(),
    };
    let header = checker.header(doc);
    let mut pillars = Vec::new();
    let mut indicators = Vec::new();
    let mut questions: Vec<Question> = Vec::new();
    for pillar in &doc.pillars {
        checker.unique_id(&pillar.id, "pillar");
        checker.text(&pillar.title, "pillar title");
        checker.short_name(pillar.short.as_ref(), "pillar");
        let first_indicator = indicators.len();
        for indicator in &pillar.indicators {
            checker.unique_id(&indicator.id, "indicator");
            checker.text(&indicator.title, "indicator title");
            checker.short_name(indicator.short.as_ref(), "indicator");
            let first_question = questions.len();
            for question in &indicator.questions {
                let checked = checker.question(question, &questions, indicators.len());
                questions.push(checked);
            }
            let scored = questions[first_question..].iter().any(Question::is_scored);
            if !scored {
                checker.findings.warning(
                    Position::of(&indicator.id),
                    format!(
                        "indicator `{}` has no scored question; it will have no score",
                        indicator.id.value
                    ),
                );
            }
            let descriptors = checker.descriptors(&indicator.id, &indicator.descriptors);
            indicators.push(Indicator {
                id: indicator.id.value.clone(),
                title: indicator.title.value.clone(),
                short: indicator.short.as_ref().map(|s| s.value.clone()),
                replaces: checker.replaces(indicator.replaces.as_ref(), "indicator"),
                weight: checker.weight(indicator.weight.as_ref()),
                pillar: pillars.len(),
                questions: first_question..questions.len(),
                descriptors,
            });
        }
        pillars.push(Pillar {
            id: pillar.id.value.clone(),
            title: pillar.title.value.clone(),
            short: pillar.short.as_ref().map(|s| s.value.clone()),
            weight: checker.weight(pillar.weight.as_ref()),
            indicators: first_indicator..indicators.len(),
        });
    }
    if checker.findings.has_errors() {
        return Err(checker.findings.items);
    }
    let questionnaire = Questionnaire::new(header, pillars, indicators, questions);
    Ok((questionnaire, checker.findings.items))
}

/// The longest short name that fits two lines of a chart's label column.
const SHORT_NAME_CHARS: usize = 32;

struct Checker<'a> {
    findings: Findings<'a>,
    languages: Vec<String>,
    ids: HashMap<String, Position>,
    /// Every question id in the file, to tell a later question from an unknown one.
    question_ids: HashSet<String>,
    /// Every pillar, indicator and question id in the file.
    all_ids: HashSet<String>,
}

impl Checker<'_> {
    fn header(&mut self, doc: &QuestionnaireDoc) -> QuestionnaireHeader {
        let id = &doc.id.value;
        if !is_safe_id(id) {
            self.findings.error(
                Position::of(&doc.id),
                format!(
                    "questionnaire id `{id}` is not allowed; expected letters, digits, `.`, `_` \
                     or `-`, such as `eu-lac-cyber-capacity`"
                ),
            );
        }
        let version = &doc.version.value.0;
        if version.is_empty() || version.contains(['@', ' ', '/', '\\']) {
            self.findings.error(
                Position::of(&doc.version),
                format!("version `{version}` is not allowed; expected a version such as `1.0.0`"),
            );
        }
        for lang in &doc.languages {
            if !is_language_code(&lang.value) {
                self.findings.error(
                    Position::of(lang),
                    format!(
                        "`{}` is not a language code; expected a code such as {}",
                        lang.value,
                        SUPPORTED_LANGUAGES.join(", ")
                    ),
                );
            } else if self.languages.contains(&lang.value) {
                self.findings.warning(
                    Position::of(lang),
                    format!("language `{}` is listed twice", lang.value),
                );
            } else {
                self.languages.push(lang.value.clone());
            }
        }
        if self.languages.is_empty() {
            self.languages.push("en".to_owned());
        }
        self.text(&doc.title, "title");
        let mut stages = Vec::new();
        let mut stage_descriptions = Vec::new();
        for (expected, stage) in (1..).zip(&doc.stages.value) {
            if stage.level.value != expected {
                self.findings.error(
                    Position::of(&stage.level),
                    format!(
                        "stage level {} is out of order; expected level {expected} here \
                         (stages are listed from 1 to 5)",
                        stage.level.value
                    ),
                );
            }
            self.text(&stage.name, "stage name");
            stages.push(stage.name.value.clone());
            stage_descriptions.push(stage.description.clone());
        }
        if doc.stages.value.len() != 5 {
            self.findings.error(
                Position::of(&doc.stages),
                format!(
                    "{} stages are defined; expected exactly 5 (levels 1 to 5)",
                    doc.stages.value.len()
                ),
            );
        }
        QuestionnaireHeader {
            id: id.clone(),
            version: version.clone(),
            title: doc.title.value.clone(),
            languages: self.languages.clone(),
            stages,
            stage_descriptions,
        }
    }

    /// An earlier id must be a plain id and no longer in use: otherwise two things would claim
    /// the same past.
    fn replaces(&mut self, replaces: Option<&At<String>>, what: &str) -> Option<String> {
        let old = replaces?;
        if !is_safe_id(&old.value) {
            self.findings.error(
                Position::of(old),
                format!(
                    "{what} `replaces: {}` is not an id; expected letters, digits, `.`, `_` or `-`",
                    old.value.escape_debug()
                ),
            );
        } else if self.all_ids.contains(&old.value) {
            self.findings.error(
                Position::of(old),
                format!(
                    "{what} replaces `{}`, which is still an id in this questionnaire; expected the id it had in an earlier version",
                    old.value
                ),
            );
        }
        Some(old.value.clone())
    }

    fn refs(&mut self, refs: &[At<String>]) -> Vec<String> {
        for reference in refs {
            if let Some(problem) = crate::model::refs::problem(&reference.value) {
                self.findings.warning(Position::of(reference), problem);
            }
        }
        refs.iter().map(|r| r.value.clone()).collect()
    }

    fn unique_id(&mut self, id: &At<String>, what: &str) {
        let position = Position::of(id);
        if !is_safe_id(&id.value) {
            self.findings.error(
                position,
                format!(
                    "{what} id `{}` is not allowed; expected letters, digits, `.`, `_` or `-`",
                    id.value
                ),
            );
        }
        if let Some(first) = self.ids.get(&id.value) {
            self.findings.error(
                position,
                format!(
                    "duplicate id `{}`, first defined at line {}; expected ids unique in the file",
                    id.value, first.line
                ),
            );
        } else {
            self.ids.insert(id.value.clone(), position);
        }
    }

    fn text(&mut self, text: &At<LocalizedText>, what: &str) {
        let position = Position::of(text);
        if text.value.is_blank() {
            self.findings
                .error(position, format!("{what} is empty; expected a text"));
            return;
        }
        let missing = text.value.missing_languages(&self.languages);
        if !missing.is_empty() {
            self.findings.warning(
                position,
                format!(
                    "{what} has no {} translation; English is shown instead",
                    missing.join(", ")
                ),
            );
        }
    }

    /// A short name is checked like any text, and must stay short: charts give it two lines.
    fn short_name(&mut self, short: Option<&At<LocalizedText>>, what: &str) {
        let Some(short) = short else { return };
        self.text(short, &format!("{what} short name"));
        let long: Vec<String> = short
            .value
            .entries()
            .filter(|(_, text)| text.chars().count() > SHORT_NAME_CHARS)
            .map(|(lang, text)| {
                let count = text.chars().count();
                if lang.is_empty() {
                    format!("{count} characters")
                } else {
                    format!("{lang}: {count} characters")
                }
            })
            .collect();
        if !long.is_empty() {
            self.findings.warning(
                Position::of(short),
                format!(
                    "{what} short name is too long ({}); expected at most {SHORT_NAME_CHARS} \
                     characters, or charts wrap it on more than two lines",
                    long.join(", ")
                ),
            );
        }
    }

    fn weight(&mut self, weight: Option<&At<f64>>) -> f64 {
        match weight {
            None => 1.0,
            Some(w) if w.value.is_finite() && w.value >= 0.0 => w.value,
            Some(w) => {
                self.findings.error(
                    Position::of(w),
                    format!("weight {} is not allowed; expected a number ≥ 0", w.value),
                );
                1.0
            }
        }
    }

    fn question(&mut self, q: &QuestionDoc, earlier: &[Question], indicator: usize) -> Question {
        self.unique_id(&q.id, "question");
        self.text(&q.text, "question text");
        if let Some(help) = &q.help {
            self.text(help, "help text");
        }
        let kind = self.kind(q);
        let when = q.when.as_ref().and_then(|c| self.condition(c, earlier));
        Question {
            id: q.id.value.clone(),
            text: q.text.value.clone(),
            help: q.help.as_ref().map(|h| h.value.clone()),
            kind,
            weight: self.weight(q.weight.as_ref()),
            refs: self.refs(&q.refs),
            replaces: self.replaces(q.replaces.as_ref(), "question"),
            when,
            indicator,
        }
    }

    fn kind(&mut self, q: &QuestionDoc) -> QuestionKind {
        let kind = q.kind.value;
        let kind_position = Position::of(&q.kind);
        let takes_options = matches!(kind, QuestionType::Choice | QuestionType::Multi);
        if !takes_options && !q.options.is_empty() {
            self.findings.error(
                Position::of(&q.options[0].id),
                format!("a `{kind}` question takes no options; expected options only on choice and multi questions"),
            );
        }
        if kind != QuestionType::Number {
            if let Some(band) = q.bands.first() {
                self.findings.error(
                    Position::of(&band.min),
                    format!("a `{kind}` question takes no bands; expected bands only on number questions"),
                );
            }
            for bound in [&q.min, &q.max].into_iter().flatten() {
                self.findings.error(
                    Position::of(bound),
                    format!("a `{kind}` question takes no min/max; expected them only on number questions"),
                );
            }
        }
        match kind {
            QuestionType::Choice => QuestionKind::Choice {
                options: self.options(q, true, kind_position),
            },
            QuestionType::Multi => QuestionKind::Multi {
                options: self.options(q, false, kind_position),
            },
            QuestionType::Yesno => QuestionKind::YesNo,
            QuestionType::Text => QuestionKind::Text,
            QuestionType::Number => self.number(q, kind_position),
        }
    }

    fn options(&mut self, q: &QuestionDoc, is_choice: bool, at: Position) -> Vec<AnswerOption> {
        let minimum = if is_choice { 2 } else { 1 };
        if q.options.len() < minimum {
            self.findings.error(
                at,
                format!(
                    "question `{}` has {} option(s); expected at least {minimum}",
                    q.id.value,
                    q.options.len()
                ),
            );
        }
        if !is_choice && q.options.len() > MAX_MULTI_OPTIONS {
            self.findings.error(
                at,
                format!(
                    "question `{}` has {} options; expected at most {MAX_MULTI_OPTIONS} for a multi question",
                    q.id.value,
                    q.options.len()
                ),
            );
        }
        let mut seen: HashMap<&str, u64> = HashMap::new();
        let mut options = Vec::new();
        for option in &q.options {
            let id = &option.id.value.0;
            let position = Position::of(&option.id);
            if !is_safe_id(id) {
                self.findings.error(
                    position,
                    format!(
                        "option id `{id}` is not allowed; expected letters, digits, `.`, `_` or `-`"
                    ),
                );
            } else if !reads_back_as_itself(id) {
                self.findings.error(
                    position,
                    format!("option id `{id}` would be read as another value (a boolean, null or number) when written unquoted in a response; expected another id"),
                );
            } else if RESERVED_ANSWERS.contains(&id.as_str()) {
                self.findings.error(
                    position,
                    format!("option id `{id}` is reserved for answers meaning not applicable / don't know; expected another id"),
                );
            }
            if let Some(line) = seen.insert(id, position.line) {
                self.findings.error(
                    position,
                    format!("duplicate option id `{id}`, first at line {line}; expected option ids unique in their question"),
                );
            }
            self.text(&option.label, "option label");
            let mut level = 0;
            let mut points = 0.0;
            if is_choice {
                match &option.level {
                    None => self.findings.error(
                        position,
                        format!("option `{id}` has no level; expected `level: 1` to `level: 5` on every choice option"),
                    ),
                    Some(l) => match u8::try_from(l.value) {
                        Ok(v @ 1..=5) => level = v,
                        _ => self.findings.error(
                            Position::of(l),
                            format!("option level {} is out of range; expected 1 to 5", l.value),
                        ),
                    },
                }
                if let Some(p) = &option.points {
                    self.findings.warning(
                        Position::of(p),
                        "choice options score by level; `points` is ignored",
                    );
                }
            } else {
                points = option.points.as_ref().map_or(1.0, |p| {
                    if p.value.is_finite() && p.value >= 0.0 {
                        p.value
                    } else {
                        self.findings.error(
                            Position::of(p),
                            format!("points {} are not allowed; expected a number ≥ 0", p.value),
                        );
                        0.0
                    }
                });
                if let Some(l) = &option.level {
                    self.findings.warning(
                        Position::of(l),
                        "multi options score by points; `level` is ignored",
                    );
                }
            }
            options.push(AnswerOption {
                id: id.clone(),
                label: option.label.value.clone(),
                level,
                points,
            });
        }
        if !is_choice && !options.is_empty() && options.iter().all(|o| o.points == 0.0) {
            self.findings.error(
                at,
                format!("every option of `{}` is worth 0 points; expected at least one option with points", q.id.value),
            );
        }
        options
    }

    fn number(&mut self, q: &QuestionDoc, at: Position) -> QuestionKind {
        let min = q.min.as_ref().map(|m| m.value);
        let max = q.max.as_ref().map(|m| m.value);
        for bound in [&q.min, &q.max].into_iter().flatten() {
            if !bound.value.is_finite() {
                self.findings
                    .error(Position::of(bound), "expected a finite number");
            }
        }
        if let (Some(lo), Some(hi), Some(max_doc)) = (min, max, &q.max)
            && lo > hi
        {
            self.findings.error(
                Position::of(max_doc),
                format!("max {hi} is below min {lo}; expected min ≤ max"),
            );
        }
        // A question of weight 0 is context, recorded and never scored: it needs no bands.
        let context = q.weight.as_ref().is_some_and(|w| w.value == 0.0);
        if q.bands.is_empty() && !context {
            self.findings.error(
                at,
                format!(
                    "number question `{}` has no bands; expected `bands:` mapping minimum values to levels 1..5, or `weight: 0` for a number recorded as context",
                    q.id.value
                ),
            );
        }
        let mut bands = Vec::new();
        let mut previous: Option<f64> = None;
        for band in &q.bands {
            let level = match u8::try_from(band.level.value) {
                Ok(v @ 1..=5) => v,
                _ => {
                    self.findings.error(
                        Position::of(&band.level),
                        format!(
                            "band level {} is out of range; expected 1 to 5",
                            band.level.value
                        ),
                    );
                    continue;
                }
            };
            if !band.min.value.is_finite() {
                self.findings
                    .error(Position::of(&band.min), "expected a finite number");
                continue;
            }
            // Levels may fall as values grow: fewer days to patch is better.
            if let Some(prev_min) = previous
                && band.min.value <= prev_min
            {
                self.findings.error(
                        Position::of(&band.min),
                        format!(
                            "band minimum {} does not follow the previous one ({prev_min}); expected bands in ascending order of `min`",
                            band.min.value
                        ),
                    );
            }
            previous = Some(band.min.value);
            bands.push((band.min.value, level));
        }
        QuestionKind::Number { min, max, bands }
    }

    fn condition(&mut self, c: &ConditionDoc, earlier: &[Question]) -> Option<Condition> {
        let at = Position::of(&c.question);
        let name = &c.question.value;
        let Some(target) = earlier.iter().position(|q| &q.id == name) else {
            let message = if self.question_ids.contains(name) {
                format!(
                    "`when` names `{name}`, which is not an earlier question; expected a question that comes before this one"
                )
            } else {
                format!(
                    "`when` names an unknown question `{name}`; expected the id of an earlier question"
                )
            };
            self.findings.error(at, message);
            return None;
        };
        let wanted: Vec<&At<ScalarText>> = match (&c.equals, &c.any_of) {
            (Some(v), None) => vec![v],
            (None, Some(list)) if !list.value.is_empty() => list.value.iter().collect(),
            (None, Some(list)) => {
                self.findings.error(
                    Position::of(list),
                    "`in` is empty; expected at least one value",
                );
                return None;
            }
            _ => {
                self.findings
                    .error(at, "a condition needs exactly one of `equals` or `in`");
                return None;
            }
        };
        let question = &earlier[target];
        let mut any_of = Vec::new();
        for value in wanted {
            let text = value.value.0.as_str();
            let resolved = match &question.kind {
                QuestionKind::Choice { options } | QuestionKind::Multi { options } => options
                    .iter()
                    .position(|o| o.id == text)
                    .and_then(|i| u16::try_from(i).ok())
                    .map(ConditionValue::Option)
                    .ok_or_else(|| {
                        let ids: Vec<&str> = options.iter().map(|o| o.id.as_str()).collect();
                        format!("`{text}` is not an option of `{name}`; expected one of {}", ids.join(", "))
                    }),
                QuestionKind::YesNo => parse_yes_no(text)
                    .map(ConditionValue::YesNo)
                    .ok_or_else(|| format!("`{text}` is not an answer to yes/no question `{name}`; expected yes or no")),
                QuestionKind::Number { .. } | QuestionKind::Text => Err(format!(
                    "`when` depends on `{name}`, a {} question; expected a choice, multi or yesno question",
                    question.kind_name()
                )),
            };
            match resolved {
                Ok(v) => any_of.push(v),
                Err(message) => self.findings.error(Position::of(value), message),
            }
        }
        Some(Condition {
            question: target,
            any_of,
        })
    }

    fn descriptors(
        &mut self,
        indicator: &At<String>,
        descriptors: &BTreeMap<i64, At<LocalizedText>>,
    ) -> BTreeMap<u8, LocalizedText> {
        let mut checked = BTreeMap::new();
        for (level, text) in descriptors {
            match u8::try_from(*level) {
                Ok(l @ 1..=5) => {
                    self.text(text, "descriptor");
                    checked.insert(l, text.value.clone());
                }
                _ => self.findings.error(
                    Position::of(text),
                    format!("descriptor for level {level}; expected levels 1 to 5"),
                ),
            }
        }
        let missing: Vec<String> = (1..=5u8)
            .filter(|l| !checked.contains_key(l))
            .map(|l| l.to_string())
            .collect();
        if !missing.is_empty() {
            self.findings.warning(
                Position::of(indicator),
                format!(
                    "indicator `{}` has no descriptor for stage {}; reports cannot say what that stage takes",
                    indicator.value,
                    missing.join(", ")
                ),
            );
        }
        checked
    }
}

/// `yes`/`no`, also as YAML 1.1 booleans and `true`/`false`.
pub(crate) fn parse_yes_no(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "yes" | "true" => Some(true),
        "no" | "false" => Some(false),
        _ => None,
    }
}

/// Whether YAML reads the id, written unquoted as an answer, back as the same option: `yes`/`no`
/// do (as booleans), `on`, `null` or `012` do not.
fn reads_back_as_itself(id: &str) -> bool {
    let lower = id.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "on" | "off" | "y" | "n" | "null"
    ) {
        return false;
    }
    if lower.starts_with("0x")
        || lower.starts_with("0o")
        || lower.contains('_') && lower.replace('_', "").parse::<f64>().is_ok()
    {
        return false;
    }
    match id.parse::<f64>() {
        Ok(_) => id.bytes().all(|b| b.is_ascii_digit()) && (id == "0" || !id.starts_with('0')),
        Err(_) => true,
    }
}

/// Ids name things in files and file names: letters, digits, `.`, `_`, `-`, not starting with `.`/`-`.
pub(crate) fn is_safe_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        && !id.starts_with(['.', '-'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_ids_that_yaml_reads_otherwise_are_caught() {
        for ok in ["yes", "no", "none", "ad_hoc", "1", "10", "2fa", "level-3"] {
            assert!(reads_back_as_itself(ok), "{ok}");
        }
        for bad in [
            "on", "Off", "y", "TRUE", "null", "012", "1.0", "1e3", "0x1f", "1_000", "inf",
        ] {
            assert!(!reads_back_as_itself(bad), "{bad}");
        }
    }
}

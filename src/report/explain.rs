//! `explain`: the score tree of one country and round down to each answer and the file behind it.

use std::fmt::Write as _;

use serde::Serialize;

use super::agreement::{agreement_json, agreement_text};
use super::table::{Align, Table};
use crate::analysis::agreement::respondent_agreement;
use crate::model::{Question, QuestionKind, Questionnaire};
use crate::numbers::{format_number, percent_text, score_text};
use crate::scoring::{ScoreTree, Stage, Status};
use crate::scoring::{ScoredCountryRound, SourceNames};

/// Which part of the tree to show.
#[derive(Debug, Clone, Copy)]
pub struct ExplainScope<'a> {
    /// Only this indicator, when given.
    pub indicator: Option<&'a str>,
    /// Language of titles and stage names.
    pub lang: &'a str,
}

fn status_text(status: Status, question: &Question) -> &'static str {
    match status {
        Status::NotScored if !matches!(question.kind, QuestionKind::Text) => "context: not scored",
        Status::Answered => "",
        Status::Unknown => "don't know: counts as 0",
        Status::Unanswered => "unanswered: counts as 0",
        Status::NotApplicable => "not applicable: left out",
        Status::ConditionUnmet => "condition not met: left out",
        Status::NotScored => "text: not scored",
    }
}

/// The explanation as text for the terminal.
pub fn explain_text(
    questionnaire: &Questionnaire,
    result: &ScoredCountryRound,
    tree: &ScoreTree,
    sources: &dyn SourceNames,
    scope: ExplainScope,
) -> String {
    let lang = scope.lang;
    let stage = |s: Option<Stage>| {
        s.map(|s| format!("stage {}", s.label(questionnaire, lang)))
            .unwrap_or_else(|| "no stage".to_owned())
    };
    let mut out = heading(questionnaire, result, lang);
    let o = &tree.overall;
    let _ = writeln!(
        out,
        "Overall {} — {} — completeness {}",
        score_text(o.score),
        stage(o.stage),
        percent_text(o.completeness)
    );
    out.push_str(&responses_text(result, sources));
    let file_tag = |source: usize| file_tag(result, source);
    for pillar in &tree.pillars {
        let def = &questionnaire.pillars[pillar.pillar];
        let shown: Vec<_> = pillar
            .indicators
            .iter()
            .filter(|i| {
                scope
                    .indicator
                    .is_none_or(|id| questionnaire.indicators[i.indicator].id == id)
            })
            .collect();
        if shown.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n{} — {}: {}, {}, weight {}, completeness {}",
            def.id,
            def.title.get(lang),
            score_text(pillar.measure.score),
            stage(pillar.measure.stage),
            format_number(def.weight),
            percent_text(pillar.measure.completeness)
        );
        for indicator in shown {
            let idef = &questionnaire.indicators[indicator.indicator];
            let _ = writeln!(
                out,
                "\n  {} — {}: {}, {}, weight {}",
                idef.id,
                idef.title.get(lang),
                score_text(indicator.measure.score),
                stage(indicator.measure.stage),
                format_number(idef.weight)
            );
            let mut table = Table::new(&[
                ("question", Align::Left),
                ("answer", Align::Left),
                ("points", Align::Right),
                ("weight", Align::Right),
                ("adds", Align::Right),
                ("share", Align::Right),
                ("file", Align::Left),
                ("", Align::Left),
            ]);
            let mut notes = Vec::new();
            for q in &indicator.questions {
                let question = &questionnaire.questions[q.question];
                let merged = result.merged.answers[q.question].as_ref();
                let answer = merged
                    .map(|m| truncate(&m.answer().value.display(question), 28))
                    .unwrap_or_else(|| "—".to_owned());
                table.row(vec![
                    question.id.clone(),
                    answer,
                    score_text(q.points),
                    format_number(q.weight),
                    score_text(q.contribution),
                    percent_text(q.share),
                    merged.map(|m| file_tag(m.source())).unwrap_or_default(),
                    status_text(q.status, question).to_owned(),
                ]);
                for (source, given) in merged.map(|m| m.given()).unwrap_or_default() {
                    if let Some(note) = &given.note {
                        notes.push(format!(
                            "{} {} note: {}",
                            question.id,
                            file_tag(*source),
                            note
                        ));
                    }
                    for link in &given.evidence {
                        notes.push(format!(
                            "{} {} evidence: {}",
                            question.id,
                            file_tag(*source),
                            link
                        ));
                    }
                }
            }
            for line in table.render().lines() {
                let _ = writeln!(out, "    {line}");
            }
            for q in &indicator.questions {
                let question = &questionnaire.questions[q.question];
                if let Some(line) = crate::i18n::labels::frameworks_line(&question.refs, lang) {
                    notes.push(format!("{} — {line}", question.id));
                }
            }
            for note in notes {
                let clean: String = note
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
                let _ = writeln!(out, "    {clean}");
            }
        }
    }
    if let Some(agreement) = respondent_agreement(questionnaire, result) {
        out.push_str(&agreement_text(questionnaire, &agreement, lang));
    }
    out.push_str(&disagreements_text(questionnaire, result));
    out
}

/// The first line: country, round and the questionnaire's title and version.
pub(crate) fn heading(
    questionnaire: &Questionnaire,
    result: &ScoredCountryRound,
    lang: &str,
) -> String {
    format!(
        "{} {} — {} ({})\n",
        result.country,
        result.round,
        questionnaire.title.get(lang),
        questionnaire.reference()
    )
}

/// The responses merged, numbered `[1]`, `[2]`… as the rest of the explanation tags them.
pub(crate) fn responses_text(result: &ScoredCountryRound, sources: &dyn SourceNames) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\nResponses merged:");
    for (n, (&source, response)) in result.sources.iter().zip(&result.respondents).enumerate() {
        let who = [
            response.respondent.name.as_deref(),
            response.respondent.organization.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
        let when = response
            .submitted
            .map(|t| format!(", submitted {t}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  [{}] {}{}{}",
            n + 1,
            sources.name(source).display(),
            if who.is_empty() {
                String::new()
            } else {
                format!(" ({who})")
            },
            when
        );
    }
    out
}

/// The tag of a response in the explanation: `[2]` for the second merged.
pub(crate) fn file_tag(result: &ScoredCountryRound, source: usize) -> String {
    result
        .sources
        .iter()
        .position(|&s| s == source)
        .map(|n| format!("[{}]", n + 1))
        .unwrap_or_default()
}

/// The questions on which respondents gave different answers, and how each was settled.
pub(crate) fn disagreements_text(
    questionnaire: &Questionnaire,
    result: &ScoredCountryRound,
) -> String {
    let mut out = String::new();
    if !result.merged.disagreements.is_empty() {
        let file_tag = |source: usize| file_tag(result, source);
        let _ = writeln!(out, "\nDisagreements between respondents:");
        for d in &result.merged.disagreements {
            let question = &questionnaire.questions[d.question];
            let answers: Vec<String> = d
                .answers
                .iter()
                .map(|(s, v)| format!("{} {}", truncate(&v.display(question), 28), file_tag(*s)))
                .collect();
            let kept = d
                .kept
                .map(|k| format!("kept {} (latest submitted)", file_tag(k)))
                .unwrap_or_else(|| "unresolved".to_owned());
            let _ = writeln!(out, "  {}: {} — {kept}", question.id, answers.join(" vs "));
        }
    }
    out
}

/// `text` cut to `max` characters, with `…` where it was cut.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let short: String = text.chars().take(max - 1).collect();
        format!("{short}…")
    }
}

/// One question in the JSON explanation.
#[derive(Debug, Serialize)]
struct QuestionJson<'a> {
    id: &'a str,
    answer: Option<String>,
    status: Status,
    points: Option<f64>,
    weight: f64,
    contribution: Option<f64>,
    share: Option<f64>,
    file: Option<String>,
    respondent: Option<String>,
    notes: Vec<String>,
    evidence: Vec<String>,
    /// The items of other frameworks it refers to, as the questionnaire writes them.
    refs: &'a [String],
}

/// The explanation as JSON: the score tree with every question's answer, points and file.
pub fn explain_json(
    questionnaire: &Questionnaire,
    result: &ScoredCountryRound,
    tree: &ScoreTree,
    sources: &dyn SourceNames,
    scope: ExplainScope,
) -> serde_json::Value {
    let respondent_of = |source: usize| {
        result
            .sources
            .iter()
            .position(|&s| s == source)
            .and_then(|n| result.respondents[n].respondent.organization.clone())
    };
    let pillars: Vec<serde_json::Value> = tree
        .pillars
        .iter()
        .map(|p| {
            let indicators: Vec<serde_json::Value> = p
                .indicators
                .iter()
                .filter(|i| {
                    scope
                        .indicator
                        .is_none_or(|id| questionnaire.indicators[i.indicator].id == id)
                })
                .map(|i| {
                    let questions: Vec<QuestionJson> = i
                        .questions
                        .iter()
                        .map(|q| {
                            let question = &questionnaire.questions[q.question];
                            let merged = result.merged.answers[q.question].as_ref();
                            let given = merged.map(|m| m.given()).unwrap_or_default();
                            QuestionJson {
                                id: &question.id,
                                answer: merged.map(|m| m.answer().value.display(question)),
                                status: q.status,
                                points: q.points,
                                weight: q.weight,
                                contribution: q.contribution,
                                share: q.share,
                                file: merged
                                    .map(|m| sources.name(m.source()).display().to_string()),
                                respondent: merged.and_then(|m| respondent_of(m.source())),
                                notes: given.iter().filter_map(|(_, a)| a.note.clone()).collect(),
                                evidence: given
                                    .iter()
                                    .flat_map(|(_, a)| a.evidence.clone())
                                    .collect(),
                                refs: &question.refs,
                            }
                        })
                        .collect();
                    serde_json::json!({
                        "id": questionnaire.indicators[i.indicator].id,
                        "score": i.measure.score,
                        "stage": i.measure.stage,
                        "completeness": i.measure.completeness,
                        "weight": questionnaire.indicators[i.indicator].weight,
                        "questions": questions,
                    })
                })
                .collect();
            serde_json::json!({
                "id": questionnaire.pillars[p.pillar].id,
                "score": p.measure.score,
                "stage": p.measure.stage,
                "completeness": p.measure.completeness,
                "weight": questionnaire.pillars[p.pillar].weight,
                "indicators": indicators,
            })
        })
        .collect();
    serde_json::json!({
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        "generator": crate::GENERATOR,
        "country": result.country,
        "round": result.round,
        "completeness": tree.overall.completeness,
        "overall": {"score": tree.overall.score, "stage": tree.overall.stage},
        "files": result.sources.iter().map(|&s| sources.name(s).display().to_string()).collect::<Vec<_>>(),
        "pillars": pillars,
        "unscored": result.unscored.as_ref().map(|u| u.reason),
        "agreement": respondent_agreement(questionnaire, result)
            .map(|a| agreement_json(questionnaire, &a, sources)),
    })
}

//! The respondents' agreement as `explain` prints it, as JSON (`explain`, `score`, `scores.json`)
//! and as the report's profiles show it: views of one `analysis::agreement::Agreement`.

use std::fmt::Write as _;

use serde::Serialize;

use super::answers::answer_in;
use super::explain::{disagreements_text, heading, responses_text, truncate};
use crate::analysis::agreement::{Agreement, Alpha, RECONCILE_BELOW};
use crate::i18n::labels::{label, label_with};
use crate::model::Questionnaire;
use crate::numbers::NumberStyle;
use crate::scoring::{ScoredCountryRound, SourceNames, Submitter};

/// Alpha over some questions, as JSON shows it.
#[derive(Debug, Serialize)]
pub struct AlphaJson<'q> {
    /// The pillar's id; absent for the whole questionnaire.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'q str>,
    /// Krippendorff's alpha, unrounded; `null` when no question has two respondents' values.
    pub alpha: Option<f64>,
    /// Questions with values from two or more respondents.
    pub compared: usize,
    /// True when alpha is below the threshold: reconcile the answers in a meeting.
    pub reconcile: bool,
}

impl<'q> AlphaJson<'q> {
    fn new(id: Option<&'q str>, alpha: &Alpha) -> Self {
        AlphaJson {
            id,
            alpha: alpha.alpha,
            compared: alpha.compared,
            reconcile: alpha.flagged(),
        }
    }
}

/// A respondent's answer to a question of wide disagreement.
#[derive(Debug, Serialize)]
pub struct SpreadAnswerJson {
    /// The response file (or `file.csv:ROW`).
    pub file: String,
    /// The answer as written in a response file; `null` when the respondent gave none.
    pub answer: Option<String>,
    /// Its points (0–100) as compared; `null` when it is a missing value.
    pub points: Option<f64>,
}

/// A question of wide disagreement.
#[derive(Debug, Serialize)]
pub struct SpreadJson<'q> {
    /// Question id.
    pub question: &'q str,
    /// Id of its pillar.
    pub pillar: &'q str,
    /// Highest minus lowest points among the respondents (25 points are one level).
    pub spread: f64,
    /// Every respondent's answer, in the order of `respondents`.
    pub answers: Vec<SpreadAnswerJson>,
}

/// A respondent compared.
#[derive(Debug, Serialize)]
pub struct RespondentJson {
    /// The response file (or `file.csv:ROW`).
    pub file: String,
    /// The organization that answered, if the response names it.
    pub organization: Option<String>,
}

/// The agreement of one country and round's respondents, as JSON shows it.
#[derive(Debug, Serialize)]
pub struct AgreementJson<'q> {
    /// Always `krippendorff_alpha_ordinal`.
    pub method: &'static str,
    /// Alpha below this is flagged: 0.667.
    pub threshold: f64,
    /// The respondents compared, in input order.
    pub respondents: Vec<RespondentJson>,
    /// Alpha over every scored question.
    pub overall: AlphaJson<'q>,
    /// Alpha per pillar, in questionnaire order.
    pub pillars: Vec<AlphaJson<'q>>,
    /// The questions with the widest spread, widest first, at most five.
    pub widest: Vec<SpreadJson<'q>>,
}

/// The JSON view of `agreement`, measured on `questionnaire` (its country and round's version).
pub fn agreement_json<'q>(
    questionnaire: &'q Questionnaire,
    agreement: &Agreement,
    sources: &dyn SourceNames,
) -> AgreementJson<'q> {
    let name = |source: usize| sources.name(source).display().to_string();
    AgreementJson {
        method: "krippendorff_alpha_ordinal",
        threshold: RECONCILE_BELOW,
        respondents: agreement
            .sources
            .iter()
            .zip(&agreement.respondents)
            .map(|(&source, who)| RespondentJson {
                file: name(source),
                organization: who.respondent.organization.clone(),
            })
            .collect(),
        overall: AlphaJson::new(None, &agreement.overall),
        pillars: questionnaire
            .pillars
            .iter()
            .zip(&agreement.pillars)
            .map(|(pillar, alpha)| AlphaJson::new(Some(&pillar.id), alpha))
            .collect(),
        widest: agreement
            .widest
            .iter()
            .map(|spread| {
                let question = &questionnaire.questions[spread.question];
                let pillar = questionnaire.indicators[question.indicator].pillar;
                SpreadJson {
                    question: &question.id,
                    pillar: &questionnaire.pillars[pillar].id,
                    spread: spread.spread,
                    answers: agreement
                        .sources
                        .iter()
                        .zip(spread.answers.iter().zip(&spread.values))
                        .map(|(&source, (answer, points))| SpreadAnswerJson {
                            file: name(source),
                            answer: answer.as_ref().map(|a| a.display(question)),
                            points: *points,
                        })
                        .collect(),
                }
            })
            .collect(),
    }
}

/// One alpha as a line: `α = 0.412 (questions compared: 14) — ⚠ below 0.667: reconcile…`.
fn alpha_line(alpha: &Alpha, lang: &str) -> String {
    let style = NumberStyle::of(lang);
    if alpha.alpha.is_none() {
        return label("agreement_undefined", lang);
    }
    let compared = alpha.compared.to_string();
    let line = label_with(
        "agreement_alpha",
        lang,
        &[("alpha", &style.alpha(alpha.alpha)), ("n", &compared)],
    );
    match reconcile_note(alpha, lang) {
        Some(note) => format!("{line} — {note}"),
        None => line,
    }
}

/// The flag of an alpha below the threshold, in words (never a colour alone).
fn reconcile_note(alpha: &Alpha, lang: &str) -> Option<String> {
    alpha.flagged().then(|| {
        let threshold = NumberStyle::of(lang).alpha(Some(RECONCILE_BELOW));
        label_with("agreement_reconcile", lang, &[("threshold", &threshold)])
    })
}

/// The agreement as `explain` prints it in `lang`; respondents are tagged `[1]`, `[2]`… in the
/// order of the responses merged.
pub fn agreement_text(questionnaire: &Questionnaire, agreement: &Agreement, lang: &str) -> String {
    let style = NumberStyle::of(lang);
    let colon = label("colon", lang);
    let mut out = String::new();
    let threshold = style.alpha(Some(RECONCILE_BELOW));
    let _ = writeln!(out, "\n{}{colon}", label("agreement", lang));
    let _ = writeln!(
        out,
        "  {}",
        label_with("agreement_method", lang, &[("threshold", &threshold)])
    );
    let _ = writeln!(
        out,
        "  {}{colon} {}",
        label("overall", lang),
        alpha_line(&agreement.overall, lang)
    );
    let _ = writeln!(out, "  {}{colon}", label("agreement_pillars", lang));
    for (pillar, alpha) in questionnaire.pillars.iter().zip(&agreement.pillars) {
        let _ = writeln!(
            out,
            "    {} — {}{colon} {}",
            pillar.id,
            pillar.title.get(lang),
            alpha_line(alpha, lang)
        );
    }
    let _ = writeln!(out, "  {}{colon}", label("agreement_widest", lang));
    if agreement.widest.is_empty() {
        let _ = writeln!(out, "    {}", label("agreement_no_spread", lang));
    }
    for spread in &agreement.widest {
        let question = &questionnaire.questions[spread.question];
        let answers: Vec<String> = spread
            .answers
            .iter()
            .enumerate()
            .map(|(n, answer)| {
                let shown = answer.as_ref().map_or_else(
                    || label("agreement_no_answer", lang),
                    |a| truncate(&a.display(question), 28),
                );
                format!("{shown} [{}]", n + 1)
            })
            .collect();
        let points = style.score(Some(spread.spread));
        let _ = writeln!(
            out,
            "    {} ({}){colon} {}",
            question.id,
            label_with("agreement_spread", lang, &[("points", &points)]),
            answers.join(" · ")
        );
    }
    out
}

/// `explain` of a country and round left unscored because its respondents disagree: no score
/// tree, but who answered, how far they agree and where they differ.
pub fn explain_unscored_text(
    questionnaire: &Questionnaire,
    result: &ScoredCountryRound,
    agreement: &Agreement,
    sources: &dyn SourceNames,
    lang: &str,
) -> String {
    let mut out = heading(questionnaire, result, lang);
    if let Some(unscored) = &result.unscored {
        let reason = label(unscored.reason.label_key(), lang);
        let _ = writeln!(
            out,
            "{}",
            label_with("agreement_unscored", lang, &[("reason", &reason)])
        );
    }
    out.push_str(&responses_text(result, sources));
    out.push_str(&agreement_text(questionnaire, agreement, lang));
    out.push_str(&disagreements_text(questionnaire, result));
    out
}

/// One alpha in the report: its scope, value, the questions compared and the flag in words.
#[derive(Debug, Serialize)]
pub struct AlphaView {
    /// `Overall` or the pillar's title.
    pub scope: String,
    /// Alpha with three decimals in the report's style, or `—`.
    pub alpha: String,
    /// Questions compared.
    pub compared: usize,
    /// Below the threshold: the words of the flag; otherwise nothing, or why there is no alpha.
    pub note: String,
    /// True when below the threshold.
    pub reconcile: bool,
}

/// A respondent's answer in the report.
#[derive(Debug, Serialize)]
pub struct SpreadAnswerView {
    /// The answer in the report's language, or "no answer".
    pub answer: String,
    /// Who gave it.
    pub source: String,
}

/// A question of wide disagreement in the report.
#[derive(Debug, Serialize)]
pub struct SpreadView {
    /// Question id.
    pub id: String,
    /// Question text in the report's language.
    pub text: String,
    /// "spread of 50.0 points".
    pub spread: String,
    /// Every respondent's answer.
    pub answers: Vec<SpreadAnswerView>,
}

/// The agreement of one round of a country, as the report's profile shows it.
#[derive(Debug, Serialize)]
pub struct AgreementView {
    /// The round.
    pub round: String,
    /// "Not scored: why", when the round has no score.
    pub unscored: Option<String>,
    /// The whole questionnaire, then each pillar.
    pub alphas: Vec<AlphaView>,
    /// True when any alpha is below the threshold.
    pub reconcile: bool,
    /// The widest disagreements.
    pub widest: Vec<SpreadView>,
}

/// The report's view of `agreement` in `lang`: `who` names a respondent as the report does.
pub fn agreement_view(
    questionnaire: &Questionnaire,
    round: &str,
    unscored: Option<String>,
    agreement: &Agreement,
    lang: &str,
    who: impl Fn(usize, &Submitter) -> String,
) -> AgreementView {
    let style = NumberStyle::of(lang);
    let alpha_view = |scope: String, alpha: &Alpha| AlphaView {
        scope,
        alpha: style.alpha(alpha.alpha),
        compared: alpha.compared,
        note: match (alpha.alpha, reconcile_note(alpha, lang)) {
            (None, _) => label("agreement_undefined", lang),
            (Some(_), note) => note.unwrap_or_default(),
        },
        reconcile: alpha.flagged(),
    };
    let mut alphas = vec![alpha_view(label("overall", lang), &agreement.overall)];
    alphas.extend(
        questionnaire
            .pillars
            .iter()
            .zip(&agreement.pillars)
            .map(|(pillar, alpha)| alpha_view(pillar.title.get(lang).to_owned(), alpha)),
    );
    let names: Vec<String> = agreement
        .sources
        .iter()
        .zip(&agreement.respondents)
        .map(|(&source, submitter)| who(source, submitter))
        .collect();
    AgreementView {
        round: round.to_owned(),
        unscored,
        alphas,
        reconcile: agreement.any_flagged(),
        widest: agreement
            .widest
            .iter()
            .map(|spread| {
                let question = &questionnaire.questions[spread.question];
                SpreadView {
                    id: question.id.clone(),
                    text: question.text.get(lang).to_owned(),
                    spread: label_with(
                        "agreement_spread",
                        lang,
                        &[("points", &style.score(Some(spread.spread)))],
                    ),
                    answers: spread
                        .answers
                        .iter()
                        .zip(&names)
                        .map(|(given, source)| SpreadAnswerView {
                            answer: given.as_ref().map_or_else(
                                || label("agreement_no_answer", lang),
                                |a| answer_in(question, Some(a), lang),
                            ),
                            source: source.clone(),
                        })
                        .collect(),
                }
            })
            .collect(),
    }
}

/// `explain --format json` of a country and round left unscored because its respondents
/// disagree: the shape of the scored one, with no score, no pillars, and the agreement.
pub fn explain_unscored_json(
    questionnaire: &Questionnaire,
    result: &ScoredCountryRound,
    agreement: &Agreement,
    sources: &dyn SourceNames,
) -> serde_json::Value {
    serde_json::json!({
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        "generator": crate::GENERATOR,
        "country": result.country,
        "round": result.round,
        "completeness": null,
        "overall": {"score": null, "stage": null},
        "files": result.sources.iter().map(|&s| sources.name(s).display().to_string()).collect::<Vec<_>>(),
        "pillars": [],
        "unscored": result.unscored.as_ref().map(|u| u.reason),
        "agreement": agreement_json(questionnaire, agreement, sources),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::agreement::Spread;
    use crate::load::hygiene_fixture;
    use crate::model::AnswerValue;
    use crate::model::doc::RespondentDoc;

    #[derive(Debug)]
    struct Files;

    impl SourceNames for Files {
        fn name(&self, index: usize) -> std::path::PathBuf {
            format!("r{index}.yaml").into()
        }

        fn len(&self) -> usize {
            2
        }
    }

    /// Two respondents of the fixture: far apart on people, nothing compared on technology.
    fn agreement(q: &Questionnaire) -> Agreement {
        let inventory = q.question_position("t_inventory").unwrap();
        let who = |organization: &str| Submitter {
            respondent: RespondentDoc {
                name: None,
                organization: Some(organization.to_owned()),
            },
            submitted: None,
        };
        Agreement {
            sources: vec![3, 7],
            respondents: vec![who("CERT"), who("Ministry")],
            overall: Alpha {
                alpha: Some(0.5),
                compared: 4,
            },
            pillars: vec![
                Alpha {
                    alpha: Some(-0.25),
                    compared: 4,
                },
                Alpha {
                    alpha: None,
                    compared: 0,
                },
            ],
            widest: vec![Spread {
                question: inventory,
                spread: 100.0,
                answers: vec![Some(AnswerValue::YesNo(false)), None],
                values: vec![Some(0.0), None],
            }],
        }
    }

    #[test]
    fn the_text_flags_low_alpha_in_words_and_says_when_nothing_is_compared() {
        let q = hygiene_fixture();
        let text = agreement_text(&q, &agreement(&q), "en");
        assert!(
            text.contains(
                "Overall: α = 0.500 (questions compared: 4) — ⚠ below 0.667: reconcile in a meeting"
            ),
            "{text}"
        );
        assert!(text.contains("people — People: α = −0.250"), "{text}");
        assert!(
            text.contains("tech — Technology: nothing to compare"),
            "{text}"
        );
        assert!(
            text.contains("t_inventory (spread of 100.0 points): no [1] · no answer [2]"),
            "{text}"
        );
        let spanish = agreement_text(&q, &agreement(&q), "es");
        assert!(spanish.contains("α = 0,500"), "{spanish}");
        assert!(spanish.contains("dispersión de 100,0 puntos"), "{spanish}");
    }

    #[test]
    fn the_json_names_pillars_respondents_and_missing_answers() {
        let q = hygiene_fixture();
        let json = serde_json::to_value(agreement_json(&q, &agreement(&q), &Files)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "method": "krippendorff_alpha_ordinal",
                "threshold": 0.667,
                "respondents": [
                    {"file": "r3.yaml", "organization": "CERT"},
                    {"file": "r7.yaml", "organization": "Ministry"},
                ],
                "overall": {"alpha": 0.5, "compared": 4, "reconcile": true},
                "pillars": [
                    {"id": "people", "alpha": -0.25, "compared": 4, "reconcile": true},
                    {"id": "tech", "alpha": null, "compared": 0, "reconcile": false},
                ],
                "widest": [{
                    "question": "t_inventory",
                    "pillar": "tech",
                    "spread": 100.0,
                    "answers": [
                        {"file": "r3.yaml", "answer": "no", "points": 0.0},
                        {"file": "r7.yaml", "answer": null, "points": null},
                    ],
                }],
            })
        );
    }
}

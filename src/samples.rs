//! Synthetic sample submissions for `demo`: 16 fictional entities with user-assigned codes
//! (XA..XP, so no score is ever attributed to a real country) in four sample groups, over three
//! rounds, made deterministically from a hash of (entity, round, question) so that every run and
//! every machine gets the same files.
//!
//! Each entity has a base maturity and a yearly progress; each pillar and indicator shifts it a
//! little; each answer is drawn near that target level. A few answers are left out, answered
//! `unknown` or `na`, or carry a note and evidence. Some entity-rounds are answered by two
//! respondents who split the pillars between them, and one pair disagrees on one question.

use crate::model::doc::RespondentDoc;
use crate::model::{
    Answer, AnswerValue, CountryCode, QuestionKind, Questionnaire, Response, Round,
};
use crate::random::SplitMix64;
use crate::scoring::applicability;

/// The sample groups: (group name, entity codes).
pub const SAMPLE_GROUPS: [(&str, [&str; 4]); 4] = [
    ("EU (sample)", ["XA", "XB", "XC", "XD"]),
    ("Caribbean (sample)", ["XE", "XF", "XG", "XH"]),
    ("Central America (sample)", ["XI", "XJ", "XK", "XL"]),
    ("South America (sample)", ["XM", "XN", "XO", "XP"]),
];

/// The sample rounds.
pub const SAMPLE_ROUNDS: [&str; 3] = ["2023", "2024", "2025"];

/// Entity-rounds answered by two respondents.
const TWO_RESPONDENTS: [(&str, &str); 4] = [
    ("XB", "2025"),
    ("XF", "2024"),
    ("XK", "2025"),
    ("XN", "2023"),
];

/// The entity-round whose two respondents disagree on one question.
const DISAGREEING: (&str, &str) = ("XF", "2024");

/// The sample groups as a groups file: group name → entity codes.
pub fn groups_yaml() -> String {
    let mut out =
        String::from("# Sample groups of the demo: fictional entities named after real regions.\n");
    for (name, codes) in SAMPLE_GROUPS {
        out.push_str(&format!("\"{name}\": [{}]\n", codes.join(", ")));
    }
    out
}

/// A sample response with the file name it is written to.
#[derive(Debug, Clone)]
pub struct Sample<'q> {
    /// File name, e.g. `XA-2025-1.yaml`.
    pub file_name: String,
    /// The version it answers.
    pub questionnaire: &'q Questionnaire,
    /// The response.
    pub response: Response,
}

/// SplitMix64 over a string hash: small, fast, and stable across platforms and versions.
struct Rng(SplitMix64);

impl Rng {
    fn new(parts: &[&str]) -> Self {
        // FNV-1a, so the seed does not depend on std's randomized hasher.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for part in parts {
            for byte in part.bytes().chain([0xff]) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
        Rng(SplitMix64::new(hash))
    }

    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        self.0.unit()
    }

    /// Uniform in [lo, hi).
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        self.0.range(lo, hi)
    }
}

const TEXTS: [&str; 4] = [
    "Funding for the national programme depends on annual budget negotiations.",
    "Coordination between agencies improved after the last national exercise.",
    "Retaining qualified staff remains the main obstacle.",
    "A revision of the framework is planned for next year.",
];

/// Makes the sample responses, in a stable order: every round on `earlier` but the last, which is
/// answered on `latest`, so the samples show rounds across two versions of a questionnaire (give
/// the same questionnaire twice for one version).
pub fn generate<'q>(earlier: &'q Questionnaire, latest: &'q Questionnaire) -> Vec<Sample<'q>> {
    let mut samples = Vec::new();
    for (_, entities) in SAMPLE_GROUPS {
        for entity in entities {
            for (round_index, round) in SAMPLE_ROUNDS.iter().enumerate() {
                let questionnaire = if round_index + 1 == SAMPLE_ROUNDS.len() {
                    latest
                } else {
                    earlier
                };
                samples.extend(entity_round(questionnaire, entity, round, round_index));
            }
        }
    }
    samples
}

fn entity_round<'q>(
    questionnaire: &'q Questionnaire,
    entity: &str,
    round: &str,
    round_index: usize,
) -> Vec<Sample<'q>> {
    let mut entity_rng = Rng::new(&["entity", entity]);
    let base = entity_rng.range(1.4, 3.7);
    let progress = entity_rng.range(0.1, 0.45) * round_index as f64;
    let mut answers: Vec<Option<Answer>> = Vec::with_capacity(questionnaire.questions.len());
    for question in &questionnaire.questions {
        let indicator = &questionnaire.indicators[question.indicator];
        let pillar = &questionnaire.pillars[indicator.pillar].id;
        let pillar_shift = Rng::new(&["pillar", entity, pillar]).range(-0.7, 0.7);
        let indicator_shift = Rng::new(&["indicator", entity, &indicator.id]).range(-0.5, 0.5);
        let target = (base + progress + pillar_shift + indicator_shift).clamp(1.0, 5.0);
        let mut rng = Rng::new(&["answer", entity, round, &question.id]);
        answers.push(draw_answer(
            &question.kind,
            target,
            &mut rng,
            entity,
            &question.id,
        ));
    }
    // A respondent is not asked what does not apply to them.
    let values: Vec<Option<&AnswerValue>> = answers
        .iter()
        .map(|a| a.as_ref().map(|a| &a.value))
        .collect();
    let applies = applicability(questionnaire, &values);
    let answers: Vec<(usize, Answer)> = answers
        .into_iter()
        .enumerate()
        .filter(|(q, _)| applies[*q])
        .filter_map(|(q, a)| a.map(|a| (q, a)))
        .collect();
    let (Ok(country), Some(round_value)) = (CountryCode::parse(entity), Round::parse(round)) else {
        return Vec::new();
    };
    let submitted = |month: u8, day: u8| {
        format!("{round}-{month:02}-{day:02}T10:00:00Z")
            .parse::<jiff::Timestamp>()
            .ok()
    };
    let cert = RespondentDoc {
        name: Some(format!("Analyst {entity}-1")),
        organization: Some(format!("National CERT of {entity} (sample)")),
    };
    if !TWO_RESPONDENTS.contains(&(entity, round)) {
        return vec![Sample {
            questionnaire,
            file_name: format!("{entity}-{round}-1.yaml"),
            response: Response {
                country,
                round: round_value,
                respondent: cert,
                submitted: submitted(3, 14),
                answers,
            },
        }];
    }
    // Two respondents split the pillars; the questions of the first indicator overlap.
    let half = questionnaire.pillars.len() / 2;
    let pillar_of =
        |q: usize| questionnaire.indicators[questionnaire.questions[q].indicator].pillar;
    let shared = |q: usize| questionnaire.questions[q].indicator == 0;
    let first: Vec<(usize, Answer)> = answers
        .iter()
        .filter(|(q, _)| pillar_of(*q) >= half || shared(*q))
        .cloned()
        .collect();
    let mut second: Vec<(usize, Answer)> = answers
        .iter()
        .filter(|(q, _)| pillar_of(*q) < half)
        .cloned()
        .collect();
    if (entity, round) == DISAGREEING
        && let Some((q, answer)) = second.iter_mut().find(|(q, a)| {
            shared(*q) && matches!(a.value, AnswerValue::Choice(_) | AnswerValue::YesNo(_))
        })
    {
        answer.value = disagree(&questionnaire.questions[*q].kind, &answer.value);
        answer.note = Some("The ministry's view differs from the CERT's on this point.".to_owned());
    }
    vec![
        Sample {
            questionnaire,
            file_name: format!("{entity}-{round}-1.yaml"),
            response: Response {
                country: country.clone(),
                round: round_value.clone(),
                respondent: cert,
                submitted: submitted(3, 14),
                answers: first,
            },
        },
        Sample {
            questionnaire,
            file_name: format!("{entity}-{round}-2.yaml"),
            response: Response {
                country,
                round: round_value,
                respondent: RespondentDoc {
                    name: Some(format!("Officer {entity}-2")),
                    organization: Some(format!("Ministry of Digital Affairs of {entity} (sample)")),
                },
                submitted: submitted(4, 2),
                answers: second,
            },
        },
    ]
}

/// One synthetic response for any entity and round, as the samples are made; `round_index`
/// counts the rounds of progress before this one. `None` for an invalid code or round.
pub fn synthetic_response(
    questionnaire: &Questionnaire,
    entity: &str,
    round: &str,
    round_index: usize,
) -> Option<Response> {
    entity_round(questionnaire, entity, round, round_index)
        .into_iter()
        .next()
        .map(|s| s.response)
}

/// Another plausible answer than `value`.
fn disagree(kind: &QuestionKind, value: &AnswerValue) -> AnswerValue {
    match (kind, value) {
        (QuestionKind::Choice { options }, AnswerValue::Choice(i)) => {
            let other = if usize::from(*i) + 1 < options.len() {
                i + 1
            } else {
                i - 1
            };
            AnswerValue::Choice(other)
        }
        (_, AnswerValue::YesNo(b)) => AnswerValue::YesNo(!b),
        (_, other) => other.clone(),
    }
}

fn draw_answer(
    kind: &QuestionKind,
    target: f64,
    rng: &mut Rng,
    entity: &str,
    id: &str,
) -> Option<Answer> {
    let roll = rng.unit();
    if roll < 0.03 {
        return None;
    }
    let mut value = if roll < 0.05 {
        AnswerValue::Unknown
    } else if roll < 0.065 {
        AnswerValue::NotApplicable
    } else {
        let level = (target + rng.range(-0.8, 0.8)).round().clamp(1.0, 5.0) as u8;
        match kind {
            QuestionKind::Choice { options } => {
                let best = options
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, o)| (i16::from(o.level) - i16::from(level)).abs())
                    .map_or(0, |(i, _)| i);
                AnswerValue::Choice(best as u16)
            }
            QuestionKind::Multi { options } => {
                let chance = (target - 1.0) / 4.0;
                let mut bits = 0u64;
                for i in 0..options.len() {
                    if rng.unit() < chance + 0.1 {
                        bits |= 1 << i;
                    }
                }
                AnswerValue::Multi(bits)
            }
            QuestionKind::YesNo => AnswerValue::YesNo(rng.unit() < (target - 1.0) / 4.0 + 0.15),
            QuestionKind::Number { min, max, bands } => {
                let value = number_for_level(bands, level, *min, *max, rng);
                AnswerValue::Number(value)
            }
            QuestionKind::Text => {
                AnswerValue::Text(TEXTS[(rng.next() % TEXTS.len() as u64) as usize].to_owned())
            }
        }
    };
    if matches!(kind, QuestionKind::Text) && matches!(value, AnswerValue::Unknown) {
        value = AnswerValue::NotApplicable;
    }
    let mut answer = Answer {
        value,
        note: None,
        evidence: Vec::new(),
    };
    if rng.unit() < 0.06 && !matches!(kind, QuestionKind::Text) {
        answer.note = Some("Figure confirmed with the responsible agency.".to_owned());
        answer.evidence = vec![format!(
            "https://example.org/{}/{}",
            entity.to_ascii_lowercase(),
            id
        )];
    }
    Some(answer)
}

fn number_for_level(
    bands: &[(f64, u8)],
    level: u8,
    min: Option<f64>,
    max: Option<f64>,
    rng: &mut Rng,
) -> f64 {
    let lower = bands
        .iter()
        .filter(|(_, l)| *l <= level)
        .map(|(m, _)| *m)
        .next_back()
        .unwrap_or_else(|| min.unwrap_or(0.0));
    let upper = bands
        .iter()
        .find(|(m, _)| *m > lower)
        .map(|(m, _)| *m)
        .unwrap_or(lower * 1.5 + 10.0);
    let value = rng.range(lower, upper).floor();
    let value = min.map_or(value, |lo| value.max(lo));
    max.map_or(value, |hi| value.min(hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_questionnaire_gives_the_same_samples() {
        let versions = crate::builtin::questionnaires();
        let (earlier, latest) = (&versions[0], &versions[versions.len() - 1]);
        let written = |samples: Vec<Sample>| -> Vec<String> {
            samples
                .iter()
                .map(|s| crate::model::write::response_to_yaml(s.questionnaire, &s.response))
                .collect()
        };
        let a = written(generate(earlier, latest));
        assert_eq!(a, written(generate(earlier, latest)));
        assert_eq!(a.len(), 16 * 3 + TWO_RESPONDENTS.len());
        let last_round = SAMPLE_ROUNDS[SAMPLE_ROUNDS.len() - 1];
        for sample in generate(earlier, latest) {
            let expected = if sample.response.round.to_string() == last_round {
                latest
            } else {
                earlier
            };
            assert!(
                std::ptr::eq(sample.questionnaire, expected),
                "{}",
                sample.file_name
            );
        }
    }

    #[test]
    fn sample_codes_are_user_assigned() {
        for (_, entities) in SAMPLE_GROUPS {
            for e in entities {
                assert!(CountryCode::parse(e).unwrap().is_user_assigned());
            }
        }
    }
}

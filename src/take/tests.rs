//! The session and its flow, without a terminal: the hygiene questionnaire (every question type,
//! and `p_train_freq` asked only when `p_train` is yes) driven by scripts.

use std::collections::VecDeque;
use std::io::Cursor;
use std::path::Path;

use super::*;
use crate::load::{Source, check_response, load_questionnaire, parse_yaml};
use crate::model::doc::RespondentDoc;
use crate::model::doc::ResponseDoc;
use crate::model::{AnswerValue, CountryCode, Questionnaire, Round};
use crate::scoring::Status;

const HYGIENE: &str = include_str!("../../tests/fixtures/questionnaires/hygiene.yaml");

fn hygiene() -> Questionnaire {
    let source = Source::from_text(Path::new("hygiene.yaml"), HYGIENE);
    load_questionnaire(&source).unwrap().0
}

fn xa() -> CountryCode {
    CountryCode::parse("XA").unwrap()
}

fn r2025() -> Round {
    Round::parse("2025").unwrap()
}

/// The id of the question being asked, or "review".
fn at(session: &Session<'_>) -> String {
    match session.current() {
        Some(q) => session.questionnaire().questions[q].id.clone(),
        None => "review".to_owned(),
    }
}

fn answer(session: &mut Session<'_>, value: AnswerValue) {
    session.record(value, None).unwrap();
    session.advance();
}

fn doc(text: &str) -> ResponseDoc {
    parse_yaml(&Source::from_text(Path::new("XA-2025.yaml"), text)).unwrap()
}

fn resume<'q>(q: &'q Questionnaire, text: &str) -> Session<'q> {
    Session::resume(q, Path::new("XA-2025.yaml"), &doc(text), xa(), r2025()).unwrap()
}

/// The text must load as a valid response to `q`.
fn assert_valid(q: &Questionnaire, text: &str) {
    let d = doc(text);
    if let Err(found) = check_response(Path::new("saved.yaml"), &d, q) {
        panic!("{found:#?}\n{text}");
    }
}

#[test]
fn questions_come_in_order_and_a_condition_skips_its_question() {
    let q = hygiene();
    let mut s = Session::new(&q, xa(), r2025());
    assert_eq!(at(&s), "p_train");
    answer(&mut s, AnswerValue::YesNo(false));
    assert_eq!(at(&s), "p_channels", "p_train_freq applies only after yes");
    answer(&mut s, AnswerValue::Multi(0b101));
    assert_eq!(at(&s), "p_comment");
    answer(&mut s, AnswerValue::Text("fine".into()));
    answer(&mut s, AnswerValue::Number(12.0));
    answer(&mut s, AnswerValue::Unknown);
    assert_eq!(at(&s), "t_backup");
    answer(&mut s, AnswerValue::NotApplicable);
    assert_eq!(at(&s), "review");
    assert!(s.unanswered().is_empty());
    assert_valid(&q, &s.to_yaml());
}

#[test]
fn a_condition_that_comes_true_asks_its_question() {
    let q = hygiene();
    let mut s = Session::new(&q, xa(), r2025());
    answer(&mut s, AnswerValue::YesNo(true));
    assert_eq!(at(&s), "p_train_freq");
}

#[test]
fn a_condition_that_stops_holding_keeps_the_answer_and_asks_again_when_it_holds() {
    let q = hygiene();
    let mut s = Session::new(&q, xa(), r2025());
    answer(&mut s, AnswerValue::YesNo(true));
    answer(&mut s, AnswerValue::Choice(2)); // yearly
    assert_eq!(at(&s), "p_channels");
    assert!(s.back());
    assert_eq!(at(&s), "p_train_freq");
    assert!(s.back());
    assert_eq!(at(&s), "p_train");
    answer(&mut s, AnswerValue::YesNo(false));
    // The condition no longer holds: skipped, but its answer stays in the file.
    assert_eq!(at(&s), "p_channels");
    let yaml = s.to_yaml();
    assert!(yaml.contains("p_train_freq: yearly"), "{yaml}");
    assert_valid(&q, &yaml);
    let freq = q.question_position("p_train_freq").unwrap();
    let status = s.score().pillars[0].indicators[0].questions[1].status;
    assert_eq!(status, Status::ConditionUnmet);
    assert!(!s.unanswered().contains(&freq));
    // Going back from p_channels skips the question whose condition is unmet.
    assert!(s.back());
    assert_eq!(at(&s), "p_train");
    answer(&mut s, AnswerValue::YesNo(true));
    // It applies again: asked once more, with the kept answer as the default.
    assert_eq!(at(&s), "p_train_freq");
    let view = question_view(&s, freq, "en");
    assert_eq!(view.current, Some(AnswerValue::Choice(2)));
    answer(&mut s, AnswerValue::Choice(3));
    assert_eq!(at(&s), "p_channels");
}

#[test]
fn back_goes_to_the_question_before_and_then_on_to_the_first_unanswered() {
    let q = hygiene();
    let mut s = Session::new(&q, xa(), r2025());
    assert!(!s.back(), "nothing before the first question");
    assert_eq!(at(&s), "p_train");
    answer(&mut s, AnswerValue::YesNo(false));
    answer(&mut s, AnswerValue::Multi(1));
    assert_eq!(at(&s), "p_comment");
    assert!(s.back());
    assert!(s.back());
    assert_eq!(at(&s), "p_train");
    // Keeping the answer moves on to the first unanswered question after it.
    answer(&mut s, AnswerValue::YesNo(false));
    assert_eq!(at(&s), "p_comment");
}

#[test]
fn back_from_the_review_goes_to_the_last_question() {
    let q = hygiene();
    let mut s = resume(
        &q,
        "questionnaire: sme-hygiene@2.1\ncountry: XA\nround: 2025\nanswers:\n  p_train: no\n  p_channels: []\n  p_comment: x\n  t_patch_days: 3\n  t_inventory: yes\n  t_backup: local\n",
    );
    assert_eq!(at(&s), "review");
    assert!(s.back());
    assert_eq!(at(&s), "t_backup");
}

#[test]
fn resume_starts_at_the_first_unanswered_applicable_question() {
    let q = hygiene();
    let s = resume(
        &q,
        "questionnaire: sme-hygiene@2.1\ncountry: XA\nround: \"2025\"\nanswers:\n  p_train: yes\n  p_channels: [email]\n  t_patch_days: 4\n",
    );
    assert_eq!(at(&s), "p_train_freq");
    assert_eq!(s.answered(), 3);
    let s = resume(
        &q,
        "questionnaire: sme-hygiene@2.1\ncountry: XA\nround: 2025\nanswers:\n  p_train: no\n  p_channels: [email]\n",
    );
    assert_eq!(at(&s), "p_comment", "p_train_freq does not apply");
}

#[test]
fn the_saved_text_resumes_to_the_same_answers() {
    let q = hygiene();
    let mut s = Session::new(&q, xa(), r2025());
    s.record(
        AnswerValue::YesNo(true),
        Some(Annotation {
            note: Some("Yearly \"CTF\": all staff".into()),
            evidence: vec!["https://example.org/a b".into()],
        }),
    );
    s.advance();
    answer(&mut s, AnswerValue::Choice(1));
    answer(&mut s, AnswerValue::Multi(0));
    answer(
        &mut s,
        AnswerValue::Text("line one: \"quoted\" # not a comment".into()),
    );
    let yaml = s.to_yaml();
    assert_valid(&q, &yaml);
    let again = resume(&q, &yaml);
    assert_eq!(again.response().answers, s.response().answers);
    assert_eq!(at(&again), "t_patch_days");
}

#[test]
fn a_file_for_another_country_round_or_version_is_refused_at_its_line() {
    let q = hygiene();
    let cases = [
        (
            "questionnaire: sme-hygiene@2.0\ncountry: XA\nround: 2025\n",
            1,
            "version 2.0",
        ),
        (
            "questionnaire: other@2.1\ncountry: XA\nround: 2025\n",
            1,
            "`other@2.1`",
        ),
        (
            "questionnaire: sme-hygiene@2.1\ncountry: XB\nround: 2025\n",
            2,
            "country `XB`",
        ),
        (
            "questionnaire: sme-hygiene@2.1\ncountry: XA\nround: 2024\n",
            3,
            "round `2024`",
        ),
    ];
    for (text, line, words) in cases {
        let found = Session::resume(&q, Path::new("f.yaml"), &doc(text), xa(), r2025())
            .err()
            .unwrap_or_else(|| panic!("accepted: {text}"));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].position.line, line, "{text}");
        assert!(found[0].message.contains(words), "{}", found[0].message);
        assert!(
            found[0].message.contains("left unchanged"),
            "{}",
            found[0].message
        );
    }
}

#[test]
fn answers_the_questionnaire_does_not_allow_are_kept_shown_and_replaced_only_by_a_new_answer() {
    let q = hygiene();
    let text = "questionnaire: sme-hygiene@2.1\ncountry: XA\nround: 2025\nanswers:\n  p_train: yes\n  p_train_freq: weekly\n  t_patch_days:\n    value: 900\n    note: \"Legacy systems\"\n  zz_retired: [a, b]\n  \"odd key\": 1e300\n";
    let mut s = resume(&q, text);
    let kept: Vec<&str> = s.kept().iter().map(|k| k.key.as_str()).collect();
    assert_eq!(
        kept,
        ["p_train_freq", "t_patch_days", "zz_retired", "odd key"]
    );
    assert!(
        s.kept()[0].problem.contains("unknown option `weekly`"),
        "{}",
        s.kept()[0].problem
    );
    assert!(
        s.kept()[1].problem.contains("out of range"),
        "{}",
        s.kept()[1].problem
    );
    assert!(
        s.kept()[2].problem.contains("unknown question"),
        "{}",
        s.kept()[2].problem
    );
    // Written back verbatim, at their places.
    let yaml = s.to_yaml();
    assert_eq!(
        doc(&yaml).answers.clone_values(),
        doc(text).answers.clone_values(),
        "{yaml}"
    );
    // Shown on the start screen and at the question.
    let start = start_lines(&s, "XA-2025.yaml", "en").join("\n");
    assert!(
        start.contains("weekly") && start.contains("zz_retired"),
        "{start}"
    );
    assert_eq!(
        at(&s),
        "p_train_freq",
        "a question holding a kept answer is asked"
    );
    let view = question_view(&s, s.current().unwrap(), "en");
    assert!(
        view.header.iter().any(|l| l.contains("\"weekly\"")),
        "{:?}",
        view.header
    );
    answer(&mut s, AnswerValue::Choice(2));
    assert_eq!(at(&s), "p_channels");
    // The new answer replaces the kept one; the others stay.
    let yaml = s.to_yaml();
    assert!(
        yaml.contains("p_train_freq: yearly") && !yaml.contains("weekly"),
        "{yaml}"
    );
    assert!(
        yaml.contains("zz_retired: [a, b]") && yaml.contains("\"odd key\": 1e300"),
        "{yaml}"
    );
    // A note written with a refused answer becomes the note of the new answer.
    let days = q.question_position("t_patch_days").unwrap();
    while s.current() != Some(days) {
        answer(&mut s, AnswerValue::Unknown);
    }
    assert_eq!(
        question_view(&s, days, "en").note.as_deref(),
        Some("Legacy systems")
    );
    answer(&mut s, AnswerValue::Number(30.0));
    assert_eq!(
        s.answer(days).unwrap().note.as_deref(),
        Some("Legacy systems")
    );
    let review = review_lines(&s, "en").join("\n");
    assert!(review.contains("zz_retired"), "{review}");
}

/// `AnswersDoc` compared by value, ignoring positions (the written file lays them out anew).
trait CloneValues {
    fn clone_values(&self) -> Vec<(String, crate::model::doc::AnswerDoc)>;
}

impl CloneValues for crate::model::doc::AnswersDoc {
    fn clone_values(&self) -> Vec<(String, crate::model::doc::AnswerDoc)> {
        self.0
            .iter()
            .map(|(k, v)| (k.value.clone(), strip(&v.value)))
            .collect()
    }
}

fn strip(value: &crate::model::doc::AnswerDoc) -> crate::model::doc::AnswerDoc {
    use crate::diagnostic::At;
    use crate::diagnostic::Position;
    use crate::model::doc::{AnswerDoc, ScalarText};
    match value {
        AnswerDoc::List(items) => AnswerDoc::List(
            items
                .iter()
                .map(|i| At::new(ScalarText(i.value.0.clone()), Position::default()))
                .collect(),
        ),
        AnswerDoc::Detailed {
            value,
            note,
            evidence,
        } => AnswerDoc::Detailed {
            value: Box::new(At::new(strip(&value.value), Position::default())),
            note: note.clone(),
            evidence: evidence.clone(),
        },
        other => other.clone(),
    }
}

/// A frontend that plays a script and records what it was shown.
#[derive(Default)]
struct Script {
    replies: VecDeque<Result<Reply, ()>>,
    annotations: VecDeque<Option<Annotation>>,
    reviews: VecDeque<ReviewChoice>,
    respondents: VecDeque<Option<RespondentDoc>>,
    asked: Vec<String>,
    told: Vec<String>,
    reviewed: Vec<Vec<String>>,
    ended: Vec<String>,
}

impl Frontend for Script {
    fn start(&mut self, _: &[String]) -> Result<(), Stop> {
        Ok(())
    }

    fn identify(&mut self, _: &RespondentDoc) -> Result<Option<RespondentDoc>, Stop> {
        self.respondents.pop_front().ok_or(Stop::Quit)
    }

    fn ask(&mut self, view: &QuestionView) -> Result<Reply, Stop> {
        self.asked.push(view.id.clone());
        match self.replies.pop_front() {
            Some(Ok(reply)) => Ok(reply),
            Some(Err(())) | None => Err(Stop::Quit),
        }
    }

    fn annotate(&mut self, _: &QuestionView) -> Result<Option<Annotation>, Stop> {
        Ok(self.annotations.pop_front().flatten())
    }

    fn tell(&mut self, line: &str) -> Result<(), Stop> {
        self.told.push(line.to_owned());
        Ok(())
    }

    fn review(&mut self, lines: &[String]) -> Result<ReviewChoice, Stop> {
        self.reviewed.push(lines.to_vec());
        self.reviews.pop_front().ok_or(Stop::Quit)
    }

    fn end(&mut self, lines: &[String]) -> Result<(), Stop> {
        self.ended = lines.to_vec();
        Ok(())
    }
}

/// Keeps every saved version.
#[derive(Default)]
struct Memory(Vec<String>);

impl Store for Memory {
    fn save(&mut self, text: &str) -> Result<(), crate::Error> {
        self.0.push(text.to_owned());
        Ok(())
    }
}

fn sitting<'a>(now: &'a dyn Fn() -> jiff::Timestamp) -> Sitting<'a> {
    Sitting {
        lang: "en",
        file: "XA-2025.yaml",
        now,
        save_first: true,
        ask_respondent: false,
    }
}

fn reply(value: AnswerValue) -> Result<Reply, ()> {
    Ok(Reply::Answer(value, None))
}

#[test]
fn every_answer_is_saved_before_the_next_question_and_every_save_is_a_valid_response() {
    let q = hygiene();
    let mut s = Session::new(&q, xa(), r2025());
    let mut script = Script {
        replies: VecDeque::from([
            reply(AnswerValue::YesNo(true)),
            reply(AnswerValue::Choice(3)),
            Ok(Reply::Back),
            reply(AnswerValue::Choice(2)),
            reply(AnswerValue::Multi(0b011)),
            reply(AnswerValue::Text("ok".into())),
            reply(AnswerValue::Number(7.0)),
            reply(AnswerValue::YesNo(false)),
            reply(AnswerValue::Choice(0)),
        ]),
        annotations: VecDeque::from([
            Some(Annotation {
                note: Some("all staff".into()),
                evidence: vec!["https://example.org/plan".into()],
            }),
            None,
        ]),
        reviews: VecDeque::from([ReviewChoice::Finish]),
        ..Script::default()
    };
    let mut store = Memory::default();
    let now = || "2025-03-14T10:00:00Z".parse().unwrap();
    let ending = run(&mut s, &mut script, &mut store, &sitting(&now)).unwrap();
    assert_eq!(ending, Ending::Finished);
    assert_eq!(
        script.asked,
        [
            "p_train",
            "p_train_freq",
            "p_channels",
            "p_train_freq",
            "p_channels",
            "p_comment",
            "t_patch_days",
            "t_inventory",
            "t_backup"
        ]
    );
    // One save at the start, one per answer, one for the note, one on finishing.
    assert_eq!(store.0.len(), 1 + 8 + 1 + 1);
    for text in &store.0 {
        assert_valid(&q, text);
    }
    let last = store.0.last().unwrap();
    assert!(last.contains("submitted: 2025-03-14T10:00:00Z"), "{last}");
    assert!(last.contains("note: \"all staff\""), "{last}");
    assert!(last.contains("p_train_freq: yearly"), "{last}");
    assert!(
        script
            .told
            .iter()
            .any(|l| l.starts_with("Saved p_channels = [email, posters]"))
    );
    assert_eq!(script.reviewed.len(), 1);
    assert!(
        script.reviewed[0]
            .iter()
            .any(|l| l.starts_with("Completeness: 100.0%"))
    );
}

#[test]
fn quitting_keeps_what_was_confirmed_and_shows_the_review() {
    let q = hygiene();
    let mut s = Session::new(&q, xa(), r2025());
    let mut script = Script {
        replies: VecDeque::from([reply(AnswerValue::YesNo(false)), Err(())]),
        ..Script::default()
    };
    let mut store = Memory::default();
    let now = || jiff::Timestamp::UNIX_EPOCH;
    let ending = run(&mut s, &mut script, &mut store, &sitting(&now)).unwrap();
    assert_eq!(ending, Ending::Quit);
    let last = store.0.last().unwrap();
    assert!(
        last.contains("p_train: no") && !last.contains("submitted"),
        "{last}"
    );
    let ended = script.ended.join("\n");
    assert!(
        ended.contains("Not answered yet:") && ended.contains("(p_channels)"),
        "{ended}"
    );
    assert!(
        ended.contains("run the same command") || ended.contains("Run the same command"),
        "{ended}"
    );
}

#[test]
fn back_at_the_first_question_says_so() {
    let q = hygiene();
    let mut s = Session::new(&q, xa(), r2025());
    let mut script = Script {
        replies: VecDeque::from([Ok(Reply::Back)]),
        ..Script::default()
    };
    let now = || jiff::Timestamp::UNIX_EPOCH;
    run(&mut s, &mut script, &mut Memory::default(), &sitting(&now)).unwrap();
    assert!(
        script.told.iter().any(|l| l.contains("first question")),
        "{:?}",
        script.told
    );
    assert_eq!(script.asked, ["p_train", "p_train"]);
}

/// The line mode over a text: what it printed, and the saved versions.
fn plain_run(q: &Questionnaire, input: &[u8], lang: &str) -> (String, Vec<String>, Ending) {
    plain_sitting(q, input, lang, false)
}

/// `plain_run`, asking who is answering first when `ask_respondent`.
fn plain_sitting(
    q: &Questionnaire,
    input: &[u8],
    lang: &str,
    ask_respondent: bool,
) -> (String, Vec<String>, Ending) {
    let mut s = Session::new(q, xa(), r2025());
    let mut output = Vec::new();
    let mut store = Memory::default();
    let now = || "2025-03-14T10:00:00Z".parse().unwrap();
    let sitting = Sitting {
        lang,
        file: "XA-2025.yaml",
        now: &now,
        save_first: true,
        ask_respondent,
    };
    let ending = {
        let mut frontend = plain::PlainFrontend::new(Cursor::new(input), &mut output, lang);
        run(&mut s, &mut frontend, &mut store, &sitting).unwrap()
    };
    (String::from_utf8(output).unwrap(), store.0, ending)
}

#[test]
fn the_line_mode_reads_numbers_ids_words_notes_and_links() {
    let q = hygiene();
    let input = "oui\nnote: Yearly plan\nevidence: https://e.org/1 https://e.org/2\nyearly\n9\n1,3\n?\nunknown\n1 500\n-1\n12.5\nna\noffsite\n\n";
    let (out, saved, ending) = plain_run(&q, input.as_bytes(), "fr");
    assert_eq!(ending, Ending::Finished, "{out}");
    assert!(out.contains("Question 1 sur 7"), "{out}");
    assert!(out.contains("`9` n’est pas une des options"), "{out}");
    assert!(
        out.contains("Cette question n’a pas de texte d’aide."),
        "{out}"
    );
    assert!(out.contains("1500 est hors limites"), "{out}");
    assert!(out.contains("-1 est hors limites"), "{out}");
    let last = saved.last().unwrap();
    assert_valid(&q, last);
    for expected in [
        "p_train: yes",
        "note: \"Yearly plan\"",
        "evidence: [\"https://e.org/1\", \"https://e.org/2\"]",
        "p_channels: [email, drills]",
        "p_comment: unknown",
        "t_patch_days: 12.5",
        "t_inventory: na",
        "t_backup: offsite",
    ] {
        assert!(last.contains(expected), "{expected} in\n{last}");
    }
}

#[test]
fn the_line_mode_quits_at_the_end_of_the_input_and_survives_bad_bytes() {
    let q = hygiene();
    let mut input = b"\xff\xfe\n".to_vec();
    input.extend(std::iter::repeat_n(b'x', 200_000));
    input.extend(b"\n2\n");
    let (out, saved, ending) = plain_run(&q, &input, "en");
    assert_eq!(ending, Ending::Quit);
    assert!(
        out.contains("is neither yes nor no"),
        "{}",
        &out[..out.len().min(2000)]
    );
    assert!(out.len() < 10_000, "an overlong line is not echoed whole");
    let last = saved.last().unwrap();
    assert!(last.contains("p_train: no"), "{last}");
    assert!(
        out.trim_end()
            .ends_with("Run the same command to continue where you stopped.")
    );
}

#[test]
fn the_line_mode_keeps_an_answer_on_enter_and_asks_again_on_an_empty_line() {
    let q = hygiene();
    let (out, saved, _) = plain_run(&q, b"\n2\nback\n\nquit\n", "en");
    assert!(out.contains("Please type an answer"), "{out}");
    assert!(
        out.contains("Current answer: No. Press Enter to keep it."),
        "{out}"
    );
    // The answer kept on Enter is saved again, the same.
    assert_eq!(
        saved.iter().filter(|t| t.contains("p_train: no")).count(),
        2
    );
}

#[test]
fn a_first_sitting_asks_who_is_answering_and_saves_it_before_any_question() {
    let q = hygiene();
    let mut s = Session::new(&q, xa(), r2025());
    let mut script = Script {
        respondents: VecDeque::from([Some(RespondentDoc {
            name: Some(" Ana Díaz ".to_owned()),
            organization: Some("CSIRT".to_owned()),
        })]),
        ..Script::default()
    };
    let mut store = Memory::default();
    let now = || "2025-03-14T10:00:00Z".parse().unwrap();
    let sitting = Sitting {
        ask_respondent: true,
        ..sitting(&now)
    };
    assert_eq!(
        run(&mut s, &mut script, &mut store, &sitting).unwrap(),
        Ending::Quit
    );
    // Saved once before asking, once with who is answering; quitting at the first question
    // loses nothing.
    let last = store.0.last().unwrap();
    assert!(
        last.contains("respondent:\n  name: \"Ana Díaz\"\n  organization: \"CSIRT\""),
        "{last}"
    );
    assert_eq!(script.told, ["Saved who is answering: Ana Díaz (CSIRT)"]);
    assert_eq!(script.asked.len(), 1);
}

#[test]
fn the_line_mode_asks_name_and_organization_and_keeps_what_enter_leaves() {
    let q = hygiene();
    let (output, saved, ending) = plain_sitting(&q, b"Ana\n\nquit\n", "es", true);
    assert_eq!(ending, Ending::Quit);
    assert!(output.contains("¿Quién responde?"), "{output}");
    assert!(
        output.contains("Su nombre:") && output.contains("Su organización:"),
        "{output}"
    );
    let last = saved.last().unwrap();
    assert!(last.contains("name: \"Ana\""), "{last}");
    assert!(!last.contains("organization:"), "{last}");
    // `quit` at the name quits, as it does at a question.
    let (_, saved, ending) = plain_sitting(&q, b"quit\n", "en", true);
    assert_eq!(ending, Ending::Quit);
    assert!(!saved.last().unwrap().contains("name:"));
}

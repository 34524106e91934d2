//! The view of a report: the template context (every text in the report's language, numbers
//! formatted) and the charts, both made from the `ReportData` and nothing else.

use std::collections::BTreeMap;

use serde::Serialize;

use super::agreement::{AgreementView, agreement_view};
use super::answers::answer_in;
use super::charts::{
    self, ColumnGroup, Frame, OverviewGroup, OverviewRow, RowGroup, Series, StageRows,
};
use super::messages::{KeyMessage, key_messages};
use super::model::{GroupStats, Ranked, ReportData, indicator_of};
use super::plan::{changes_text, nothing_text, plan_error_text, target_name};
use crate::analysis::agreement::RECONCILE_BELOW;
use crate::analysis::plan::{Planner, Target};
use crate::fsio::safe_file_name;
use crate::i18n::labels::{counted, label, label_with, labels};
use crate::model::diff::{Change, ChangeKind, Level};
use crate::model::doc::RespondentDoc;
use crate::model::{AnswerValue, CountryCode, Question, Questionnaire, Round};
use crate::numbers::{NumberStyle, shown_difference, shown_score, shown_tenths};
use crate::scoring::Stage;
use crate::scoring::Status;
use crate::scoring::ranks::competition_ranks;
use crate::scoring::{ConflictPolicy, Disagreement, ScoreTree, ScoredCountryRound};

mod robustness;

/// A chart: its file name stem, title, SVG, and the data table that is its text alternative.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// File name without extension, safe for any file system.
    pub stem: String,
    /// Title.
    pub title: String,
    /// The SVG drawing.
    pub svg: String,
    /// Column headers of the data table.
    pub header: Vec<String>,
    /// Rows of the data table.
    pub rows: Vec<Vec<String>>,
}

impl Chart {
    fn view(&self) -> ChartView {
        ChartView {
            title: self.title.clone(),
            svg: self.svg.clone(),
            file: format!("charts/{}.svg", self.stem),
            header: self.header.clone(),
            rows: self.rows.clone(),
        }
    }
}

/// Width of a chart across the page's column, in pixels.
const FULL_WIDTH: u32 = 720;
/// The most changes of a country's overall plan spelled out in its profile: a longer plan (the
/// last stage asks for every answer at its top) is listed by question only, so that sixty
/// profiles stay readable and the page light.
const MOST_CHANGES_SPELLED_OUT: usize = 10;

/// Width of a chart beside a country's profile, in pixels.
const PROFILE_WIDTH: u32 = 560;

/// Countries under the heading charts draw them under, with their scores for ordering.
struct Region<'c, 's> {
    name: String,
    stats: Option<&'s GroupStats>,
    members: Vec<(&'c CountryCode, Option<f64>)>,
}

/// Which charts to draw: the report's own, or all of them (one per round too) for the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartScope {
    /// Only what the HTML and Markdown show.
    Shown,
    /// Also the pillar bars and the heatmap of every round, and each country's scores over the
    /// rounds as a chart (the page shows them as a table).
    Every,
}

/// The CSS class of a stage, or of no stage.
fn stage_class(stage: Option<Stage>) -> String {
    stage.map_or_else(|| "stage-none".to_owned(), Stage::class)
}

/// What the templates read: every text in the report's language, every number formatted.
#[derive(Debug, Serialize)]
pub struct Context {
    lang: String,
    /// The labels, by key.
    l: BTreeMap<String, String>,
    title: String,
    questionnaire: QuestionnaireView,
    generated: String,
    tlp: TlpView,
    generator: &'static str,
    inputs: String,
    unscored: Vec<String>,
    latest_round: Option<String>,
    pillars: Vec<PillarHead>,
    stages: Vec<StageView>,
    key: KeyView,
    method: MethodView,
    summary: SummaryView,
    groups: GroupsView,
    pillar_bars: Vec<ChartView>,
    heatmaps: Vec<ChartView>,
    rounds: RoundsView,
    profiles: Vec<Option<ProfileView>>,
    answers: Vec<AnswerIndicator>,
    robustness: Option<robustness::RobustnessView>,
}

/// A chart as a page shows it: inline SVG, its file, and its data table.
#[derive(Debug, Serialize)]
struct ChartView {
    title: String,
    svg: String,
    file: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

#[derive(Debug, Serialize)]
struct QuestionnaireView {
    id: String,
    version: String,
    title: String,
    reference: String,
}

#[derive(Debug, Serialize)]
struct TlpView {
    marking: &'static str,
    colour: &'static str,
    notice: String,
}

#[derive(Debug, Serialize)]
struct PillarHead {
    id: String,
    title: String,
    /// The short name, for narrow table columns (the title when there is none).
    short: String,
}

/// The first page's key messages and the chart of every country against its group.
#[derive(Debug, Serialize)]
struct KeyView {
    messages: Vec<String>,
    overview: Option<ChartView>,
}

/// How answers become scores, in words, for the first page.
#[derive(Debug, Serialize)]
struct MethodView {
    points: String,
    weights: String,
    bands: String,
    unknown: String,
    completeness: String,
    conflicts: String,
    groups: String,
    differences: String,
    stages: Vec<StageBandView>,
    /// Which version each round was answered on and what changed between them; empty when
    /// every round answered one version.
    versions: Vec<String>,
}

/// A stage with its band of scores and the questionnaire's description of it.
#[derive(Debug, Serialize)]
struct StageBandView {
    level: Stage,
    name: String,
    band: String,
    description: String,
    class: String,
}

#[derive(Debug, Serialize)]
struct StageView {
    level: Stage,
    name: String,
    class: String,
}

/// A score with its stage, shown.
#[derive(Debug, Serialize)]
struct MeasureView {
    score: String,
    stage: Option<Stage>,
    stage_name: String,
    class: String,
}

#[derive(Debug, Serialize)]
struct SummaryView {
    groups: Vec<SummaryGroup>,
    /// Columns of the table, for the group heading rows that span it.
    columns: usize,
}

/// The countries of one region, best overall score first.
#[derive(Debug, Serialize)]
struct SummaryGroup {
    name: String,
    rows: Vec<SummaryRow>,
}

#[derive(Debug, Serialize)]
struct SummaryRow {
    code: CountryCode,
    name: String,
    label: String,
    anchor: String,
    round: Round,
    /// Rank within the region by the overall score as shown; ties share a rank.
    rank: String,
    overall: MeasureView,
    /// The overall stage change since the country's previous round, e.g. `2 → 3`.
    stage_change: String,
    stage_direction: &'static str,
    completeness: String,
    pillars: Vec<MeasureView>,
}

#[derive(Debug, Serialize)]
struct GroupsView {
    rows: Vec<GroupRow>,
    against: Vec<AgainstRow>,
    any: bool,
}

#[derive(Debug, Serialize)]
struct GroupRow {
    name: String,
    round: Round,
    members: usize,
    overall: MeasureView,
    pillars: Vec<MeasureView>,
}

/// A country against the groups it belongs to.
#[derive(Debug, Serialize)]
struct AgainstRow {
    code: CountryCode,
    name: String,
    label: String,
    round: Round,
    overall: String,
    count: usize,
    groups: Vec<AgainstGroup>,
}

#[derive(Debug, Serialize)]
struct AgainstGroup {
    name: String,
    average: String,
    difference: String,
    direction: &'static str,
}

/// The rounds section: one round, with nothing to compare, or several.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum RoundsView {
    One { multiple: bool, message: String },
    Several(Box<SeveralRounds>),
}

#[derive(Debug, Serialize)]
struct SeveralRounds {
    multiple: bool,
    trend_groups: Option<ChartView>,
    trend_countries: ChartView,
    changes: Vec<ChangeRow>,
}

#[derive(Debug, Serialize)]
struct ChangeRow {
    code: CountryCode,
    name: String,
    label: String,
    previous: Round,
    previous_score: String,
    latest: Round,
    latest_score: String,
    overall: String,
    pillars: Vec<String>,
    moves: String,
}

/// One country's profile.
#[derive(Debug, Serialize)]
struct ProfileView {
    code: CountryCode,
    name: String,
    label: String,
    anchor: String,
    round: Round,
    overall: MeasureView,
    groups: Vec<String>,
    /// Who answered in the latest round.
    respondents: Vec<String>,
    /// Its pillars against its groups' averages.
    pillars_chart: ChartView,
    /// Its scores over the rounds, as a table: three rounds of five numbers read better so, and
    /// sixty such charts would double the page (the chart is among the files for slides).
    trend: Option<TableView>,
    strengths: Vec<RankedView>,
    gaps: Vec<GapView>,
    disagreements: Vec<DisagreementView>,
    indicators: Vec<IndicatorRow>,
    /// Said instead of the disagreements when each round had a single respondent.
    single_respondent: Option<String>,
    /// How far the respondents agree in each round with several, latest first.
    agreements: Vec<AgreementView>,
    /// What the agreement measures and where it calls for a meeting, when there is one.
    agreement_method: Option<String>,
    /// The shortest path to the next stage of the overall score and of each pillar.
    plans: Vec<PlanView>,
    /// The changes of the overall score's plan, spelled out.
    plan_changes: Vec<PlanChangeView>,
}

/// The shortest path of one score to its next stage.
#[derive(Debug, Serialize)]
struct PlanView {
    target: String,
    now: String,
    /// The stage it would reach; `None` when there is none above, or no plan.
    goal: Option<String>,
    /// How many changes reach what, or why there are none.
    outcome: String,
    questions: Vec<PlanQuestionView>,
}

/// A question a plan changes, linked to its answers.
#[derive(Debug, Serialize)]
struct PlanQuestionView {
    id: String,
    anchor: String,
}

/// One change of the overall score's plan.
#[derive(Debug, Serialize)]
struct PlanChangeView {
    id: String,
    text: String,
    to: String,
    gain: String,
}

/// A small table with a caption.
#[derive(Debug, Serialize)]
struct TableView {
    caption: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// An indicator among a country's strengths or gaps.
#[derive(Debug, Serialize)]
struct RankedView {
    id: String,
    title: String,
    score: String,
    stage: Stage,
    stage_name: String,
    class: String,
}

#[derive(Debug, Serialize)]
struct GapView {
    #[serde(flatten)]
    ranked: RankedView,
    next: NextStageView,
}

#[derive(Debug, Serialize)]
struct NextStageView {
    heading: String,
    descriptor: Option<String>,
}

#[derive(Debug, Serialize)]
struct DisagreementView {
    id: String,
    round: Round,
    text: String,
    answers: Vec<GivenView>,
    kept: String,
}

#[derive(Debug, Serialize)]
struct GivenView {
    answer: String,
    source: String,
}

/// An indicator in a country's profile, linked to the answers behind it.
#[derive(Debug, Serialize)]
struct IndicatorRow {
    title: String,
    /// The anchor of its answers in the appendix.
    anchor: String,
    score: String,
    stage: Option<Stage>,
    stage_name: String,
    class: String,
    completeness: String,
}

/// The answers behind one indicator, question by question, across countries: each question's
/// text and each answer once, with the countries that gave it, so that a report of sixty
/// countries does not repeat them sixty times.
#[derive(Debug, Serialize)]
struct AnswerIndicator {
    anchor: String,
    title: String,
    pillar: String,
    questions: Vec<AnswerQuestion>,
}

#[derive(Debug, Serialize)]
struct AnswerQuestion {
    id: String,
    text: String,
    weight: String,
    /// The items of other frameworks it refers to, as the questionnaire writes them.
    refs: String,
    answers: Vec<AnswerGroup>,
    /// Notes, evidence and, where a country had several respondents, whose answer was kept.
    details: Vec<AnswerDetail>,
}

/// One answer and the countries that gave it.
#[derive(Debug, Serialize)]
struct AnswerGroup {
    #[serde(skip)]
    value: Option<f64>,
    answer: String,
    status: String,
    points: String,
    countries: Vec<String>,
}

#[derive(Debug, Serialize)]
struct AnswerDetail {
    country: String,
    source: Option<String>,
    notes: Vec<NoteView>,
    evidence: Vec<LinkView>,
}

/// An indicator and the answers behind it, for one country.
#[derive(Debug)]
struct IndicatorView {
    /// Position in `Questionnaire::indicators`.
    position: usize,
    questions: Vec<QuestionView>,
}

#[derive(Debug)]
struct QuestionView {
    /// The points, unrounded, to order answers by.
    value: Option<f64>,
    id: String,
    text: String,
    answer: String,
    points: String,
    weight: String,
    refs: String,
    status: String,
    source: String,
    notes: Vec<NoteView>,
    evidence: Vec<LinkView>,
}

#[derive(Debug, Clone, Serialize)]
struct NoteView {
    text: String,
    /// Who wrote the note, when not the one whose answer is shown.
    source: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct LinkView {
    text: String,
    href: Option<String>,
    href_md: Option<String>,
}

/// The view: template context and charts.
pub struct View {
    /// What templates read.
    pub context: Context,
    /// Every chart drawn.
    pub charts: Vec<Chart>,
}

/// Builds the view of a report.
pub fn build(data: &ReportData, scope: ChartScope) -> View {
    let mut builder = Builder {
        data,
        lang: &data.options.lang,
        numbers: NumberStyle::of(&data.options.lang),
        charts: Vec::new(),
    };
    let context = builder.context(scope);
    View {
        context,
        charts: builder.charts,
    }
}

struct Builder<'d, 'a> {
    data: &'d ReportData<'a>,
    lang: &'d str,
    /// How numbers are written in the report's language.
    numbers: NumberStyle,
    charts: Vec<Chart>,
}

impl Builder<'_, '_> {
    fn name(&self, country: &CountryCode) -> String {
        self.data.groups.country_name(country, self.lang)
    }

    /// "Colombia (CO)", or just the code when nothing names it.
    fn label(&self, country: &CountryCode) -> String {
        let name = self.name(country);
        if name == country.as_str() {
            name
        } else {
            format!("{name} ({country})")
        }
    }

    fn stage_name(&self, stage: Option<Stage>) -> String {
        stage.map_or_else(String::new, |s| {
            s.name(self.data.questionnaire, self.lang).to_owned()
        })
    }

    fn measure(&self, score: Option<f64>) -> MeasureView {
        let stage = score.map(Stage::of);
        MeasureView {
            score: self.numbers.score(score),
            stage,
            stage_name: self.stage_name(stage),
            class: stage_class(stage),
        }
    }

    fn add_chart(&mut self, chart: Chart) -> ChartView {
        let context = chart.view();
        self.charts.push(chart);
        context
    }

    fn context(&mut self, scope: ChartScope) -> Context {
        let data = self.data;
        let q = data.questionnaire;
        let lang = self.lang;
        let rounds: Vec<&str> = data.rounds.iter().map(|r| r.as_str()).collect();
        let submissions: usize = data.results.iter().map(|r| r.sources.len()).sum();
        let tlp = data.options.tlp;
        let pillars: Vec<PillarHead> = q
            .pillars
            .iter()
            .map(|p| PillarHead {
                id: p.id.clone(),
                title: p.title.get(lang).to_owned(),
                short: p.short_title(lang).to_owned(),
            })
            .collect();
        let stages: Vec<StageView> = Stage::ALL
            .iter()
            .map(|&s| StageView {
                level: s,
                name: s.name(q, lang).to_owned(),
                class: s.class(),
            })
            .collect();
        let mut key = self.key_view();
        key.overview = Some(self.overview_chart());
        let method = self.method_view();
        let summary = self.summary();
        let groups = self.groups();
        let latest = data.latest_round().cloned();
        let mut pillar_bars = Vec::new();
        let mut heatmaps = Vec::new();
        for round in &data.rounds {
            let shown = Some(round) == latest.as_ref();
            if shown || scope == ChartScope::Every {
                let bars = self.bars_chart(round);
                let heat = self.heatmap_chart(round);
                let (bars, heat) = (self.add_chart(bars), self.add_chart(heat));
                if shown {
                    pillar_bars.push(bars);
                    heatmaps.push(heat);
                }
            }
        }
        let rounds_section = self.rounds_section();
        let robustness = self.robustness_section();
        let profiles: Vec<Option<ProfileView>> = data
            .countries
            .iter()
            .map(|c| self.profile(c, scope))
            .collect();
        let answers = self.answers();
        let unscored: Vec<String> = data
            .unscored
            .iter()
            .map(|u| {
                let reason = label(u.why.reason.label_key(), lang);
                format!("{} {} — {reason}", self.label(&u.country), u.round)
            })
            .collect();
        Context {
            lang: lang.to_owned(),
            l: labels(lang),
            title: label("report_title", lang),
            questionnaire: QuestionnaireView {
                id: q.id.clone(),
                version: q.version.clone(),
                title: q.title.get(lang).to_owned(),
                reference: q.reference(),
            },
            generated: data
                .options
                .generated
                .strftime("%Y-%m-%d %H:%M UTC")
                .to_string(),
            tlp: TlpView {
                marking: tlp.marking(),
                colour: tlp.colour(),
                notice: label_with(
                    "tlp_notice",
                    lang,
                    &[
                        ("tlp", tlp.marking()),
                        ("meaning", &label(tlp.meaning_key(), lang)),
                    ],
                ),
            },
            generator: crate::GENERATOR,
            inputs: label_with(
                "inputs_line",
                lang,
                &[
                    (
                        "files",
                        &counted("count_files", data.sources.len(), lang, &[]),
                    ),
                    (
                        "submissions",
                        &counted("count_submissions", submissions, lang, &[]),
                    ),
                    (
                        "countries",
                        &counted("count_countries", data.countries.len(), lang, &[]),
                    ),
                    ("rounds", &rounds.join(", ")),
                ],
            ),
            unscored,
            latest_round: latest.as_ref().map(|r| r.as_str().to_owned()),
            pillars,
            stages,
            key,
            method,
            summary,
            groups,
            pillar_bars,
            heatmaps,
            rounds: rounds_section,
            profiles,
            answers,
            robustness,
        }
    }

    fn key_view(&self) -> KeyView {
        let lang = self.lang;
        let n = self.numbers;
        let messages = key_messages(self.data)
            .into_iter()
            .map(|message| match message {
                KeyMessage::Overview {
                    round,
                    countries,
                    median,
                } => counted(
                    "msg_overview",
                    countries,
                    lang,
                    &[
                        ("countries", &countries.to_string()),
                        ("round", round.as_str()),
                        ("median", &n.score(Some(median))),
                        ("stage", &self.stage_name(Some(Stage::of(median)))),
                    ],
                ),
                KeyMessage::StageMoves { up, down, compared } => {
                    let moves = |list: &[(CountryCode, Stage, Stage)]| {
                        list.iter()
                            .map(|(c, from, to)| format!("{} ({from} → {to})", self.label(c)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    let mut sentences = Vec::new();
                    if !up.is_empty() {
                        sentences.push(label_with("msg_up", lang, &[("list", &moves(&up))]));
                    }
                    if !down.is_empty() {
                        sentences.push(label_with("msg_down", lang, &[("list", &moves(&down))]));
                    }
                    if sentences.is_empty() {
                        sentences.push(counted(
                            "msg_no_moves",
                            compared,
                            lang,
                            &[("compared", &compared.to_string())],
                        ));
                    }
                    sentences.join(" ")
                }
                KeyMessage::Movers { rise, fall } => {
                    let sentence = |key: &str, m: &super::messages::Mover| {
                        label_with(
                            key,
                            lang,
                            &[
                                ("country", &self.label(&m.country)),
                                ("delta", &n.delta(Some(m.delta))),
                                ("from", m.from.as_str()),
                                ("to", m.to.as_str()),
                            ],
                        )
                    };
                    let mut sentences = Vec::new();
                    sentences.extend(rise.as_ref().map(|m| sentence("msg_rise", m)));
                    sentences.extend(fall.as_ref().map(|m| sentence("msg_fall", m)));
                    sentences.join(" ")
                }
                KeyMessage::Gaps { above, below } => {
                    let sentence = |key: &str, g: &super::messages::Gap| {
                        label_with(
                            key,
                            lang,
                            &[
                                ("country", &self.label(&g.country)),
                                ("delta", &n.score(Some(g.delta.abs()))),
                                ("group", &self.group_name(g.group)),
                                ("round", g.round.as_str()),
                            ],
                        )
                    };
                    let mut sentences = Vec::new();
                    sentences.extend(above.as_ref().map(|g| sentence("msg_above", g)));
                    sentences.extend(below.as_ref().map(|g| sentence("msg_below", g)));
                    sentences.join(" ")
                }
                KeyMessage::Completeness { lowest, low } => {
                    let list = lowest
                        .iter()
                        .map(|(c, round, share)| {
                            format!(
                                "{} {round}{} {}",
                                self.label(c),
                                label("colon", lang),
                                n.percent(Some(*share))
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    let threshold = n.percent(Some(super::messages::LOW_COMPLETENESS));
                    let key = if low {
                        "msg_low_completeness"
                    } else {
                        "msg_lowest_completeness"
                    };
                    label_with(key, lang, &[("list", &list), ("threshold", &threshold)])
                }
            })
            .collect();
        KeyView {
            messages,
            overview: None,
        }
    }

    /// The paragraphs that say which version each round used, what changed from one version to
    /// the next, and which indicators therefore do not compare.
    fn versions_note(&self) -> Vec<String> {
        let data = self.data;
        let lang = self.lang;
        let used: Vec<usize> = (0..data.versions.len())
            .filter(|&v| data.results.iter().any(|r| r.version == v))
            .collect();
        if used.len() < 2 {
            return Vec::new();
        }
        let mut note = vec![label("versions_intro", lang)];
        for &v in &used {
            let mut rounds: Vec<&Round> = data
                .results
                .iter()
                .filter(|r| r.version == v)
                .map(|r| &r.round)
                .collect();
            rounds.sort();
            rounds.dedup();
            let rounds: Vec<String> = rounds.iter().map(|r| r.to_string()).collect();
            note.push(label_with(
                "version_rounds",
                lang,
                &[
                    ("version", &data.versions[v].version),
                    ("rounds", &rounds.join(", ")),
                ],
            ));
        }
        for pair in used.windows(2) {
            let (old, new) = (data.versions[pair[0]], data.versions[pair[1]]);
            let changes = crate::model::diff::diff(old, new);
            if changes.is_empty() {
                continue;
            }
            let name = |change: &Change| -> String {
                let in_version = if change.kind == ChangeKind::Removed {
                    old
                } else {
                    new
                };
                let title = match change.level {
                    Level::Pillar => in_version
                        .pillars
                        .iter()
                        .find(|p| p.id == change.id)
                        .map(|p| p.short_title(lang).to_owned()),
                    Level::Indicator => in_version
                        .indicators
                        .iter()
                        .find(|i| i.id == change.id)
                        .map(|i| i.short_title(lang).to_owned()),
                    Level::Question => None,
                };
                let level = label(
                    match change.level {
                        Level::Pillar => "level_pillar",
                        Level::Indicator => "level_indicator",
                        Level::Question => "level_question",
                    },
                    lang,
                );
                match (title, change.kind) {
                    (Some(title), _) => format!("{level} {}", quoted(&title, lang)),
                    (None, ChangeKind::Renamed) => format!(
                        "{level} {} → {}",
                        change.from.as_deref().unwrap_or_default(),
                        change.id
                    ),
                    (None, _) => format!("{level} {}", change.id),
                }
            };
            let mut parts = Vec::new();
            for (kind, key) in [
                (ChangeKind::Added, "change_added"),
                (ChangeKind::Removed, "change_removed"),
                (ChangeKind::Renamed, "change_renamed"),
                (ChangeKind::Moved, "change_moved"),
                (ChangeKind::Reweighted, "change_reweighted"),
                (ChangeKind::TypeChanged, "change_type_changed"),
                (ChangeKind::OptionsChanged, "change_options_changed"),
            ] {
                let items: Vec<String> = changes
                    .iter()
                    .filter(|c| c.kind == kind)
                    .map(&name)
                    .collect();
                if !items.is_empty() {
                    parts.push(format!(
                        "{}{} {}",
                        label(key, lang),
                        label("colon", lang).trim_end(),
                        items.join(", ")
                    ));
                }
            }
            note.push(label_with(
                "version_changes",
                lang,
                &[
                    ("from", &old.version),
                    ("to", &new.version),
                    ("changes", &parts.join(&label("semicolon", lang))),
                ],
            ));
            let mut affected: Vec<usize> = Vec::new();
            for change in &changes {
                let indicator = match (change.level, change.kind) {
                    (Level::Question, ChangeKind::Removed) => old
                        .questions
                        .iter()
                        .find(|q| q.id == change.id)
                        .and_then(|q| {
                            let id = &old.indicators[q.indicator].id;
                            new.indicators
                                .iter()
                                .position(|i| &i.id == id || i.replaces.as_ref() == Some(id))
                        }),
                    (Level::Question, ChangeKind::Renamed) => None,
                    (Level::Question, _) => new
                        .questions
                        .iter()
                        .find(|q| q.id == change.id)
                        .map(|q| q.indicator),
                    _ => None,
                };
                if let Some(i) = indicator
                    && !affected.contains(&i)
                {
                    affected.push(i);
                }
            }
            affected.sort_unstable();
            if !affected.is_empty() {
                let names: Vec<String> = affected
                    .iter()
                    .map(|&i| quoted(new.indicators[i].short_title(lang), lang))
                    .collect();
                note.push(label_with(
                    "version_not_comparable",
                    lang,
                    &[("indicators", &names.join(", "))],
                ));
            }
        }
        note
    }

    fn method_view(&self) -> MethodView {
        let lang = self.lang;
        let q = self.data.questionnaire;
        let n = self.numbers;
        let stages = Stage::ALL
            .iter()
            .map(|&stage| {
                let level = stage.level();
                let low = f64::from(level - 1) * 25.0;
                let band = if level == 5 {
                    n.number(100.0)
                } else {
                    format!("{}–{}", n.number(low), n.number(low + 24.9))
                };
                StageBandView {
                    level: stage,
                    name: stage.name(q, lang).to_owned(),
                    band,
                    description: q
                        .stage_description(level, lang)
                        .unwrap_or_default()
                        .to_owned(),
                    class: stage.class(),
                }
            })
            .collect();
        let conflicts = match self.data.options.conflict_policy {
            ConflictPolicy::Error => "method_conflicts_error",
            ConflictPolicy::Latest => "method_conflicts_latest",
        };
        MethodView {
            points: label("method_points", lang),
            weights: label("method_weights", lang),
            bands: label("method_bands", lang),
            unknown: label("method_unknown", lang),
            completeness: label("method_completeness", lang),
            conflicts: label(conflicts, lang),
            groups: label("method_groups", lang),
            differences: label("method_differences", lang),
            stages,
            versions: self.versions_note(),
        }
    }

    /// The overall stage change since a country's previous round: text and direction.
    fn stage_change(&self, country: &CountryCode) -> (String, &'static str) {
        match self.data.change(country).and_then(|c| c.overall_stages()) {
            Some((from, to)) if to > from => (format!("↑ {from} → {to}"), "up"),
            Some((from, to)) if to < from => (format!("↓ {from} → {to}"), "down"),
            Some((_, to)) => (format!("= {to}"), "none"),
            None => ("—".to_owned(), "none"),
        }
    }

    fn summary(&self) -> SummaryView {
        let data = self.data;
        // Ranked on the scores as shown, so that two countries shown alike share a rank.
        let scored: Vec<(&CountryCode, Option<f64>)> = data
            .countries
            .iter()
            .filter_map(|c| {
                let tree = data.latest(c)?.tree.as_ref()?;
                Some((c, tree.overall.score.map(shown_score)))
            })
            .collect();
        let groups = self
            .by_region(scored)
            .into_iter()
            .map(|region| {
                let keys: Vec<i64> = region
                    .members
                    .iter()
                    .map(|(_, score)| score.map_or(i64::MIN, shown_tenths))
                    .collect();
                let ranks = competition_ranks(&keys);
                let rows = region
                    .members
                    .iter()
                    .zip(ranks)
                    .filter_map(|(&(country, score), rank)| {
                        let result = data.latest(country)?;
                        let tree = result.tree.as_ref()?;
                        let (stage_change, stage_direction) = self.stage_change(country);
                        Some(SummaryRow {
                            code: country.clone(),
                            name: self.name(country),
                            label: self.label(country),
                            anchor: format!("country-{}", safe_file_name(country.as_str())),
                            round: result.round.clone(),
                            rank: score.map_or_else(String::new, |_| rank.to_string()),
                            overall: self.measure(tree.overall.score),
                            stage_change,
                            stage_direction,
                            completeness: self.numbers.percent(tree.overall.completeness),
                            pillars: tree
                                .pillars
                                .iter()
                                .map(|p| self.measure(p.measure.score))
                                .collect(),
                        })
                    })
                    .collect();
                SummaryGroup {
                    name: region.name,
                    rows,
                }
            })
            .collect();
        SummaryView {
            groups,
            columns: 7 + data.questionnaire.pillars.len(),
        }
    }

    fn group_name(&self, index: usize) -> String {
        self.data.groups.groups[index]
            .name
            .get(self.lang)
            .to_owned()
    }

    fn groups(&self) -> GroupsView {
        let data = self.data;
        let rows: Vec<GroupRow> = data
            .group_stats
            .iter()
            .flat_map(|g| {
                data.rounds.iter().rev().filter_map(move |round| {
                    let averages = data.group_average(g, round)?;
                    Some(GroupRow {
                        name: self.group_name(g.group),
                        round: round.clone(),
                        members: averages.members,
                        overall: self.measure(averages.overall),
                        pillars: averages.pillars.iter().map(|s| self.measure(*s)).collect(),
                    })
                })
            })
            .collect();
        let against: Vec<AgainstRow> = data
            .countries
            .iter()
            .filter_map(|country| {
                let latest = data.latest(country)?;
                let overall = latest.tree.as_ref()?.overall.score;
                let groups: Vec<AgainstGroup> = data
                    .groups_of(country)
                    .iter()
                    .filter_map(|g| {
                        let average = data.group_average(g, &latest.round)?.overall;
                        let delta = shown_difference(average, overall);
                        Some(AgainstGroup {
                            name: self.group_name(g.group),
                            average: self.numbers.score(average),
                            difference: self.numbers.delta(delta),
                            direction: delta.map_or("none", |d| {
                                if d >= 0.05 {
                                    "up"
                                } else if d <= -0.05 {
                                    "down"
                                } else {
                                    "none"
                                }
                            }),
                        })
                    })
                    .collect();
                Some(AgainstRow {
                    code: country.clone(),
                    name: self.name(country),
                    label: self.label(country),
                    round: latest.round.clone(),
                    overall: self.numbers.score(overall),
                    count: groups.len(),
                    groups,
                })
            })
            .filter(|row| row.count > 0)
            .collect();
        GroupsView {
            any: !rows.is_empty(),
            rows,
            against,
        }
    }

    /// What every chart carries: the marking, the source line, and the report's words and numbers.
    fn frame(&self) -> Frame {
        let data = self.data;
        let tlp = data.options.tlp;
        let date = data.options.generated.strftime("%Y-%m-%d").to_string();
        Frame {
            tlp: tlp.marking().to_owned(),
            tlp_colour: tlp.colour().to_owned(),
            source: label_with(
                "chart_source",
                self.lang,
                &[
                    ("questionnaire", &data.questionnaire.reference()),
                    ("date", &date),
                    ("version", env!("CARGO_PKG_VERSION")),
                ],
            ),
            no_data: label("no_data", self.lang),
            numbers: self.numbers,
        }
    }

    fn stage_names(&self) -> Vec<String> {
        Stage::ALL
            .iter()
            .map(|s| s.name(self.data.questionnaire, self.lang).to_owned())
            .collect()
    }

    /// Countries as charts group them: each under its region (`ReportData::region_of`), regions
    /// in the groups' order and countries in none last; within a region by `score`, best first
    /// (countries without one last), so every chart of a round lists countries alike.
    fn by_region<'c>(&self, countries: Vec<(&'c CountryCode, Option<f64>)>) -> Vec<Region<'c, '_>> {
        let mut regions: Vec<Region<'c, '_>> = Vec::new();
        for (country, score) in countries {
            let stats = self.data.region_of(country);
            let index = stats.map(|s| s.group);
            match regions
                .iter_mut()
                .find(|r| r.stats.map(|s| s.group) == index)
            {
                Some(region) => region.members.push((country, score)),
                None => regions.push(Region {
                    name: stats.map_or_else(
                        || label("other_countries", self.lang),
                        |s| self.group_name(s.group),
                    ),
                    stats,
                    members: vec![(country, score)],
                }),
            }
        }
        regions.sort_by_key(|r| r.stats.map_or(usize::MAX, |s| s.group));
        for region in &mut regions {
            region.members.sort_by(|(a, x), (b, y)| match (x, y) {
                (Some(x), Some(y)) => y.total_cmp(x).then_with(|| a.cmp(b)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => a.cmp(b),
            });
        }
        regions
    }

    /// A country's name, with the round of its latest result when that is not the latest round
    /// of the report, so a reader sees which countries are shown as they were.
    fn name_in_round(&self, country: &CountryCode) -> String {
        let name = self.name(country);
        match self.data.latest(country).map(|r| &r.round) {
            Some(round) if Some(round) != self.data.latest_round() => format!("{name} ({round})"),
            _ => name,
        }
    }

    /// Every country's latest overall score against its group's average in that same round: the
    /// executive page's chart.
    fn overview_chart(&mut self) -> ChartView {
        let data = self.data;
        let lang = self.lang;
        let numbers = self.numbers;
        let latest: Vec<&ScoredCountryRound> = data
            .countries
            .iter()
            .filter_map(|c| data.latest(c))
            .collect();
        let overall = |r: &ScoredCountryRound| r.tree.as_ref().and_then(|t| t.overall.score);
        let regions = self.by_region(latest.iter().map(|r| (&r.country, overall(r))).collect());
        let average_for = |region: &Region, country: &CountryCode| {
            let round = &data.latest(country)?.round;
            data.group_average(region.stats?, round)?.overall
        };
        let mut rows = Vec::new();
        let groups: Vec<OverviewGroup> = regions
            .iter()
            .map(|region| OverviewGroup {
                name: region.name.clone(),
                rows: region
                    .members
                    .iter()
                    .map(|&(country, score)| {
                        let average = average_for(region, country);
                        let round = data.latest(country).map(|r| r.round.to_string());
                        rows.push(vec![
                            self.label(country),
                            region.name.clone(),
                            round.unwrap_or_default(),
                            numbers.score(score),
                            numbers.score(average),
                        ]);
                        OverviewRow {
                            label: self.name_in_round(country),
                            score,
                            average,
                        }
                    })
                    .collect(),
            })
            .collect();
        let mut title = label("overview_title", lang);
        let mut latest_rounds: Vec<&Round> = latest.iter().map(|r| &r.round).collect();
        latest_rounds.dedup();
        if let [round] = latest_rounds.as_slice() {
            title = format!("{title} — {round}");
        }
        let chart = Chart {
            stem: "overview".to_owned(),
            svg: charts::overview_svg(
                &self.frame(),
                &title,
                &groups,
                &self.stage_names(),
                &label("chart_country_score", lang),
                &label("group_average", lang),
            ),
            title,
            header: vec![
                label("country", lang),
                label("group", lang),
                label("round", lang),
                label("overall", lang),
                label("group_average", lang),
            ],
            rows,
        };
        self.add_chart(chart)
    }

    fn bars_chart(&self, round: &crate::model::Round) -> Chart {
        let data = self.data;
        let q = data.questionnaire;
        let lang = self.lang;
        let numbers = self.numbers;
        let trees: Vec<(&CountryCode, &ScoreTree)> = data
            .countries
            .iter()
            .filter_map(|c| Some((c, data.result(c, round)?.tree.as_ref()?)))
            .collect();
        let tree_of = |country: &CountryCode| {
            trees
                .iter()
                .find(|(c, _)| *c == country)
                .map(|(_, tree)| *tree)
        };
        let regions = self.by_region(trees.iter().map(|(c, t)| (*c, t.overall.score)).collect());
        let pillar_scores = |tree: Option<&ScoreTree>| -> Vec<Option<f64>> {
            (0..q.pillars.len())
                .map(|p| tree.and_then(|t| t.pillars[p].measure.score))
                .collect()
        };
        let mut rows = Vec::new();
        let groups: Vec<RowGroup<Vec<Option<f64>>>> = regions
            .iter()
            .map(|region| RowGroup {
                name: region.name.clone(),
                average: region
                    .stats
                    .and_then(|s| data.group_average(s, round))
                    .map_or_else(|| vec![None; q.pillars.len()], |a| a.pillars.clone()),
                rows: region
                    .members
                    .iter()
                    .map(|&(country, _)| {
                        let scores = pillar_scores(tree_of(country));
                        let mut row = vec![self.label(country), region.name.clone()];
                        row.extend(scores.iter().map(|s| numbers.score(*s)));
                        rows.push(row);
                        (self.name(country), scores)
                    })
                    .collect(),
            })
            .collect();
        let title = format!("{} — {}", label("pillar_bars", lang), round);
        let panels: Vec<String> = q
            .pillars
            .iter()
            .map(|p| p.short_title(lang).to_owned())
            .collect();
        let mut header = vec![label("country", lang), label("group", lang)];
        header.extend(q.pillars.iter().map(|p| p.title.get(lang).to_owned()));
        Chart {
            stem: format!("pillars-{}", safe_file_name(round.as_str())),
            svg: charts::bars_svg(
                &self.frame(),
                &title,
                &panels,
                &groups,
                &label("chart_country_score", lang),
                &label("group_average", lang),
            ),
            title,
            header,
            rows,
        }
    }

    fn heatmap_chart(&self, round: &crate::model::Round) -> Chart {
        let data = self.data;
        let q = data.questionnaire;
        let lang = self.lang;
        // Indicators in the order of their pillars, as the columns are drawn.
        let order: Vec<usize> = q
            .pillars
            .iter()
            .flat_map(|p| p.indicators.clone())
            .collect();
        let columns: Vec<ColumnGroup> = q
            .pillars
            .iter()
            .map(|p| ColumnGroup {
                name: p.short_title(lang).to_owned(),
                columns: q.indicators[p.indicators.clone()]
                    .iter()
                    .map(|i| i.short_title(lang).to_owned())
                    .collect(),
            })
            .collect();
        let trees: Vec<(&CountryCode, &ScoreTree)> = data
            .countries
            .iter()
            .filter_map(|c| Some((c, data.result(c, round)?.tree.as_ref()?)))
            .collect();
        let regions = self.by_region(trees.iter().map(|(c, t)| (*c, t.overall.score)).collect());
        let stages_of = |country: &CountryCode| -> Vec<Option<u8>> {
            let tree = trees.iter().find(|(c, _)| *c == country).map(|(_, t)| *t);
            order
                .iter()
                .map(|&i| {
                    tree.and_then(|t| indicator_of(t, i))
                        .and_then(|s| s.measure.stage)
                        .map(Stage::level)
                })
                .collect()
        };
        let mut rows = Vec::new();
        let groups: Vec<StageRows> = regions
            .iter()
            .map(|region| StageRows {
                name: region.name.clone(),
                rows: region
                    .members
                    .iter()
                    .map(|&(country, _)| {
                        let levels = stages_of(country);
                        let mut row = vec![self.label(country), region.name.clone()];
                        row.extend(levels.iter().map(|l| {
                            l.and_then(Stage::from_level)
                                .map_or_else(|| "—".to_owned(), |s| s.label(q, lang))
                        }));
                        rows.push(row);
                        (self.name(country), levels)
                    })
                    .collect(),
            })
            .collect();
        let title = format!("{} — {}", label("heatmap", lang), round);
        let mut header = vec![label("country", lang), label("group", lang)];
        header.extend(order.iter().map(|&i| {
            let indicator = &q.indicators[i];
            indicator.title.get(lang).to_owned()
        }));
        Chart {
            stem: format!("heatmap-{}", safe_file_name(round.as_str())),
            svg: charts::heatmap_svg(
                &self.frame(),
                &title,
                &columns,
                &groups,
                &self.stage_names(),
            ),
            title,
            header,
            rows,
        }
    }

    fn rounds_section(&mut self) -> RoundsView {
        let data = self.data;
        let lang = self.lang;
        if data.rounds.len() < 2 {
            let only = data.rounds.first().map(|r| r.as_str()).unwrap_or("—");
            return RoundsView::One {
                multiple: false,
                message: label_with("nothing_to_compare", lang, &[("round", only)]),
            };
        }
        let rounds: Vec<String> = data.rounds.iter().map(|r| r.to_string()).collect();
        let group_series: Vec<Series> = data
            .group_stats
            .iter()
            .map(|g| Series {
                label: self.group_name(g.group),
                values: g.by_round.iter().map(|a| a.overall).collect(),
            })
            .collect();
        let trend_groups = if group_series.is_empty() {
            None
        } else {
            let title = label("trend_groups", lang);
            let names: Vec<String> = group_series.iter().map(|s| s.label.clone()).collect();
            let chart = self.trend_chart(
                "trend-groups",
                &title,
                FULL_WIDTH,
                &rounds,
                &group_series,
                &label("group", lang),
                &names,
            );
            Some(self.add_chart(chart))
        };
        let chart = self.trend_panels_chart();
        let trend_countries = self.add_chart(chart);
        let changes: Vec<ChangeRow> = data
            .countries
            .iter()
            .filter_map(|c| {
                let change = data.change(c)?;
                let moves: Vec<String> = change
                    .stage_moves
                    .iter()
                    .map(|(i, from, to)| {
                        let arrow = if to > from { "↑" } else { "↓" };
                        let name = data.questionnaire.indicators[*i].short_title(lang);
                        format!("{name} {arrow} {from} → {to}")
                    })
                    .collect();
                let (before, after) = change.overall;
                let n = self.numbers;
                Some(ChangeRow {
                    code: c.clone(),
                    name: self.name(c),
                    label: self.label(c),
                    previous: change.previous.clone(),
                    previous_score: n.score(before),
                    latest: change.latest.clone(),
                    latest_score: n.score(after),
                    overall: n.delta(shown_difference(before, after)),
                    pillars: change
                        .pillars
                        .iter()
                        .map(|&(a, b)| n.delta(shown_difference(a, b)))
                        .collect(),
                    moves: if moves.is_empty() {
                        label("no_stage_moves", lang)
                    } else {
                        moves.join(", ")
                    },
                })
            })
            .collect();
        RoundsView::Several(Box::new(SeveralRounds {
            multiple: true,
            trend_groups,
            trend_countries,
            changes,
        }))
    }

    /// Lines over the rounds; the data table names each line by `names` (full names where the
    /// chart shows short ones).
    #[allow(clippy::too_many_arguments)]
    fn trend_chart(
        &self,
        stem: &str,
        title: &str,
        width: u32,
        rounds: &[String],
        series: &[Series],
        what: &str,
        names: &[String],
    ) -> Chart {
        let numbers = self.numbers;
        let mut header = vec![what.to_owned()];
        header.extend(rounds.iter().cloned());
        let rows = series
            .iter()
            .zip(names)
            .map(|(s, name)| {
                let mut row = vec![name.clone()];
                row.extend(s.values.iter().map(|v| numbers.score(*v)));
                row
            })
            .collect();
        Chart {
            stem: safe_file_name(stem),
            svg: charts::trend_svg(&self.frame(), title, width, rounds, series),
            title: title.to_owned(),
            header,
            rows,
        }
    }

    /// Each country's overall score over the rounds in a small panel, its group's average behind.
    fn trend_panels_chart(&self) -> Chart {
        let data = self.data;
        let lang = self.lang;
        let numbers = self.numbers;
        let rounds: Vec<String> = data.rounds.iter().map(|r| r.to_string()).collect();
        let overall_by_round = |country: &CountryCode| -> Vec<Option<f64>> {
            data.rounds
                .iter()
                .map(|r| {
                    data.result(country, r)
                        .and_then(|x| x.tree.as_ref())
                        .and_then(|t| t.overall.score)
                })
                .collect()
        };
        let latest = |country: &CountryCode| {
            data.latest(country)
                .and_then(|r| r.tree.as_ref())
                .and_then(|t| t.overall.score)
        };
        let regions = self.by_region(data.countries.iter().map(|c| (c, latest(c))).collect());
        let mut rows = Vec::new();
        let groups: Vec<RowGroup<Vec<Option<f64>>>> = regions
            .iter()
            .map(|region| RowGroup {
                name: region.name.clone(),
                average: region.stats.map_or_else(
                    || vec![None; rounds.len()],
                    |s| s.by_round.iter().map(|a| a.overall).collect(),
                ),
                rows: region
                    .members
                    .iter()
                    .map(|&(country, _)| {
                        let values = overall_by_round(country);
                        let mut row = vec![self.label(country), region.name.clone()];
                        row.extend(values.iter().map(|v| numbers.score(*v)));
                        rows.push(row);
                        (self.name(country), values)
                    })
                    .collect(),
            })
            .collect();
        let title = label("trend_countries", lang);
        let mut header = vec![label("country", lang), label("group", lang)];
        header.extend(rounds.iter().cloned());
        Chart {
            stem: "trend-countries".to_owned(),
            svg: charts::trend_panels_svg(
                &self.frame(),
                &title,
                &rounds,
                &groups,
                &label("chart_country_score", lang),
                &label("group_average", lang),
            ),
            title,
            header,
            rows,
        }
    }

    /// A country's pillars in one round as bars, the averages of its groups in that round as
    /// markers.
    fn pillars_chart(&self, result: &ScoredCountryRound) -> Chart {
        let data = self.data;
        let q = data.questionnaire;
        let lang = self.lang;
        let numbers = self.numbers;
        let country = &result.country;
        let name = self.name(country);
        let own = Series {
            label: self.label(country),
            values: result
                .tree
                .as_ref()
                .map(|t| t.pillars.iter().map(|p| p.measure.score).collect())
                .unwrap_or_default(),
        };
        let averages: Vec<Series> = data
            .groups_of(country)
            .iter()
            .filter_map(|group| {
                let averages = data.group_average(group, &result.round)?;
                Some(Series {
                    label: self.group_name(group.group),
                    values: averages.pillars.clone(),
                })
            })
            .collect();
        let title = label_with(
            "profile_pillars_title",
            lang,
            &[("country", &name), ("round", result.round.as_str())],
        );
        let mut header = vec![label("pillar", lang), own.label.clone()];
        header.extend(averages.iter().map(|s| s.label.clone()));
        let rows = q
            .pillars
            .iter()
            .enumerate()
            .map(|(p, pillar)| {
                let mut row = vec![pillar.title.get(lang).to_owned()];
                row.extend(
                    std::iter::once(&own)
                        .chain(&averages)
                        .map(|s| numbers.score(s.values.get(p).copied().flatten())),
                );
                row
            })
            .collect();
        let pillars: Vec<String> = q
            .pillars
            .iter()
            .map(|p| p.short_title(lang).to_owned())
            .collect();
        Chart {
            stem: format!(
                "profile-{}-{}",
                safe_file_name(country.as_str()),
                safe_file_name(result.round.as_str())
            ),
            svg: charts::profile_svg(
                &self.frame(),
                &title,
                &pillars,
                &own,
                &averages,
                &self.stage_names(),
            ),
            title,
            header,
            rows,
        }
    }

    fn profile(&mut self, country: &CountryCode, scope: ChartScope) -> Option<ProfileView> {
        let data = self.data;
        let lang = self.lang;
        let q = data.questionnaire;
        let results: Vec<&ScoredCountryRound> = data.country_results(country).collect();
        let latest = results.last().copied()?;
        // The latest round only: the rounds before are in the country's trend below it.
        let chart = self.pillars_chart(latest);
        let pillars_chart = self.add_chart(chart);
        let trend = if results.len() >= 2 {
            let rounds: Vec<String> = results.iter().map(|r| r.round.to_string()).collect();
            let mut series = vec![Series {
                label: label("overall", lang),
                values: results
                    .iter()
                    .map(|r| r.tree.as_ref().and_then(|t| t.overall.score))
                    .collect(),
            }];
            series.extend(q.pillars.iter().enumerate().map(|(p, pillar)| {
                Series {
                    label: pillar.short_title(lang).to_owned(),
                    values: results
                        .iter()
                        .map(|r| r.tree.as_ref().and_then(|t| t.pillars[p].measure.score))
                        .collect(),
                }
            }));
            let title = label_with("trend_country", lang, &[("country", &self.name(country))]);
            let mut names = vec![label("overall", lang)];
            names.extend(q.pillars.iter().map(|p| p.title.get(lang).to_owned()));
            let chart = self.trend_chart(
                &format!("trend-{}", safe_file_name(country.as_str())),
                &title,
                PROFILE_WIDTH,
                &rounds,
                &series,
                "",
                &names,
            );
            let table = TableView {
                caption: chart.title.clone(),
                header: chart.header.clone(),
                rows: chart.rows.clone(),
            };
            if scope == ChartScope::Every {
                self.charts.push(chart);
            }
            Some(table)
        } else {
            None
        };
        let (strengths, gaps) = data.strengths_and_gaps(country, 3);
        let item = |ranked: Ranked| {
            let (i, score, level) = (ranked.indicator, ranked.score, ranked.stage);
            let indicator = &q.indicators[i];
            RankedView {
                id: indicator.id.clone(),
                title: indicator.title.get(lang).to_owned(),
                score: self.numbers.score(Some(score)),
                stage: level,
                stage_name: self.stage_name(Some(level)),
                class: level.class(),
            }
        };
        let gaps: Vec<GapView> = gaps
            .into_iter()
            .map(|gap| {
                let next = match gap.stage.next() {
                    None => NextStageView {
                        heading: label("top_stage", lang),
                        descriptor: None,
                    },
                    Some(next) => NextStageView {
                        heading: label_with(
                            "next_stage",
                            lang,
                            &[("stage", &next.to_string()), ("name", next.name(q, lang))],
                        ),
                        descriptor: q.indicators[gap.indicator]
                            .descriptors
                            .get(&next.level())
                            .map(|d| d.get(lang).to_owned()),
                    },
                };
                GapView {
                    ranked: item(gap),
                    next,
                }
            })
            .collect();
        let tree = latest.tree.as_ref();
        // Disagreements of every round, latest first: a settled one still matters in a meeting.
        let this = &*self;
        let mut disagreements: Vec<DisagreementView> = results
            .iter()
            .rev()
            .flat_map(|result| {
                let q = this.data.questionnaire_of(result);
                result.merged.disagreements.iter().map(move |d| {
                    this.disagreement_view(q, &result.round, d, |source| {
                        this.source_name(result, source)
                    })
                })
            })
            .collect();
        // A round left unscored by its respondents' disagreement has no result: its open
        // disagreements are listed all the same, in their round's place.
        for open in data.agreements_of(country) {
            let q = data.versions.get(open.version).copied().unwrap_or(q);
            for d in &open.open {
                disagreements.push(this.disagreement_view(q, &open.round, d, |source| {
                    let at = open.agreement.sources.iter().position(|&s| s == source);
                    let who = at.map(|n| &open.agreement.respondents[n].respondent);
                    this.respondent_name(source, who)
                }));
            }
        }
        // Stable: within a round, questionnaire order.
        disagreements.sort_by(|a, b| b.round.cmp(&a.round));
        let agreements: Vec<AgreementView> = data
            .agreements_of(country)
            .iter()
            .rev()
            .map(|a| {
                agreement_view(
                    data.versions.get(a.version).copied().unwrap_or(q),
                    a.round.as_str(),
                    a.unscored.map(|reason| {
                        let reason = label(reason.label_key(), lang);
                        label_with("agreement_unscored", lang, &[("reason", &reason)])
                    }),
                    &a.agreement,
                    lang,
                    |source, submitter| this.respondent_name(source, Some(&submitter.respondent)),
                )
            })
            .collect();
        let agreement_method = (!agreements.is_empty()).then(|| {
            let threshold = self.numbers.alpha(Some(RECONCILE_BELOW));
            label_with("agreement_method", lang, &[("threshold", &threshold)])
        });
        let indicators: Vec<IndicatorRow> = tree
            .map(|t| {
                t.pillars
                    .iter()
                    .flat_map(|p| &p.indicators)
                    .map(|i| {
                        let def = &q.indicators[i.indicator];
                        IndicatorRow {
                            title: def.title.get(lang).to_owned(),
                            anchor: answers_anchor(i.indicator),
                            score: self.numbers.score(i.measure.score),
                            stage: i.measure.stage,
                            stage_name: self.stage_name(i.measure.stage),
                            class: stage_class(i.measure.stage),
                            completeness: self.numbers.percent(i.measure.completeness),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let (plans, plan_changes) = self.plans(latest);
        Some(ProfileView {
            code: country.clone(),
            name: self.name(country),
            label: self.label(country),
            anchor: format!("country-{}", safe_file_name(country.as_str())),
            round: latest.round.clone(),
            overall: self.measure(tree.and_then(|t| t.overall.score)),
            groups: data
                .groups_of(country)
                .iter()
                .map(|g| self.group_name(g.group))
                .collect(),
            respondents: latest
                .sources
                .iter()
                .map(|&s| self.source_name(latest, s))
                .collect(),
            pillars_chart,
            trend,
            strengths: strengths.into_iter().map(item).collect(),
            gaps,
            single_respondent: (disagreements.is_empty()
                && agreements.is_empty()
                && results.iter().all(|r| r.sources.len() < 2))
            .then(|| label("single_respondent", lang)),
            agreements,
            agreement_method,
            disagreements,
            indicators,
            plans,
            plan_changes,
        })
    }

    /// A disagreement of `round` as a profile lists it; `name` names a response.
    fn disagreement_view(
        &self,
        q: &Questionnaire,
        round: &Round,
        d: &Disagreement,
        name: impl Fn(usize) -> String,
    ) -> DisagreementView {
        let lang = self.lang;
        let question = &q.questions[d.question];
        DisagreementView {
            id: question.id.clone(),
            round: round.clone(),
            text: question.text.get(lang).to_owned(),
            answers: d
                .answers
                .iter()
                .map(|(s, v)| GivenView {
                    answer: self.answer_text(question, v),
                    source: name(*s),
                })
                .collect(),
            kept: d.kept.map_or_else(
                || label("unresolved", lang),
                |k| label_with("kept", lang, &[("source", &name(k))]),
            ),
        }
    }

    /// The plans of the overall score and of each pillar, on the version the round answered;
    /// the overall plan's changes spelled out.
    fn plans(&self, result: &ScoredCountryRound) -> (Vec<PlanView>, Vec<PlanChangeView>) {
        let lang = self.lang;
        let q = self.data.questionnaire_of(result);
        if result.tree.is_none() {
            return (Vec::new(), Vec::new());
        }
        let answers = result.merged.values();
        let planner = Planner::new(q, &answers);
        let targets =
            std::iter::once(Target::Overall).chain((0..q.pillars.len()).map(Target::Pillar));
        let mut views = Vec::new();
        let mut spelled = Vec::new();
        for target in targets {
            let found = planner.plan(target, None);
            let (now, goal, outcome, questions) = match &found {
                Ok(found) => (
                    format!(
                        "{} · {}",
                        self.numbers.score(Some(found.score)),
                        found.stage().label(q, lang)
                    ),
                    (found.goal > found.stage()).then(|| found.goal.label(q, lang)),
                    if found.changes.is_empty() {
                        nothing_text(found, lang)
                    } else {
                        changes_text(found, lang)
                    },
                    found
                        .changes
                        .iter()
                        .map(|c| PlanQuestionView {
                            id: q.questions[c.question].id.clone(),
                            anchor: answers_anchor(q.questions[c.question].indicator),
                        })
                        .collect(),
                ),
                Err(error) => (
                    self.numbers.score(None),
                    None,
                    plan_error_text(q, target, None, error, lang),
                    Vec::new(),
                ),
            };
            if let (Target::Overall, Ok(found)) = (target, &found)
                && found.changes.len() <= MOST_CHANGES_SPELLED_OUT
            {
                spelled = found
                    .changes
                    .iter()
                    .map(|c| {
                        let question = &q.questions[c.question];
                        PlanChangeView {
                            id: question.id.clone(),
                            text: question.text.get(lang).to_owned(),
                            to: answer_in(question, Some(&c.to), lang),
                            gain: self.numbers.delta(Some(c.gain)),
                        }
                    })
                    .collect();
            }
            views.push(PlanView {
                target: target_name(q, target, lang),
                now,
                goal,
                outcome,
                questions,
            });
        }
        (views, spelled)
    }

    /// Who gave an answer: the organization (and the person's name when asked for) and the file.
    fn source_name(&self, result: &ScoredCountryRound, source: usize) -> String {
        let respondent = result
            .sources
            .iter()
            .position(|&s| s == source)
            .map(|n| &result.respondents[n].respondent);
        self.respondent_name(source, respondent)
    }

    /// Who gave response `source`, as `source_name` writes it.
    fn respondent_name(&self, source: usize, respondent: Option<&RespondentDoc>) -> String {
        let file = self
            .data
            .sources
            .name(source)
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let mut who = Vec::new();
        if let Some(r) = respondent {
            if self.data.options.respondent_names {
                who.extend(r.name.clone());
            }
            who.extend(r.organization.clone());
        }
        if who.is_empty() {
            file
        } else {
            format!("{} — {file}", who.join(", "))
        }
    }

    fn answer_text(&self, question: &Question, value: &AnswerValue) -> String {
        answer_in(question, Some(value), self.lang)
    }

    /// Every country's latest answers, pivoted to one entry per question.
    fn answers(&self) -> Vec<AnswerIndicator> {
        let data = self.data;
        let q = data.questionnaire;
        let lang = self.lang;
        // (country, its latest result, its answers by indicator position).
        let countries: Vec<(&CountryCode, &ScoredCountryRound, Vec<IndicatorView>)> = data
            .countries
            .iter()
            .filter_map(|c| {
                let latest = data.latest(c)?;
                let tree = latest.tree.as_ref()?;
                let views = tree
                    .pillars
                    .iter()
                    .flat_map(|p| &p.indicators)
                    .map(|i| self.drill_down(latest, i))
                    .collect();
                Some((c, latest, views))
            })
            .collect();
        q.indicators
            .iter()
            .enumerate()
            .filter_map(|(position, def)| {
                let per_country: Vec<(&CountryCode, &ScoredCountryRound, &IndicatorView)> =
                    countries
                        .iter()
                        .filter_map(|(c, r, views)| {
                            Some((*c, *r, views.iter().find(|v| v.position == position)?))
                        })
                        .collect();
                // Rounds on different versions may ask different questions: every question
                // asked, matched by id, in the order first met (countries on the latest version
                // are met first).
                let mut asked: Vec<&QuestionView> = Vec::new();
                let mut by_version: Vec<&(&CountryCode, &ScoredCountryRound, &IndicatorView)> =
                    per_country.iter().collect();
                by_version.sort_by_key(|(_, r, _)| std::cmp::Reverse(r.version));
                for (_, _, view) in by_version {
                    for question in &view.questions {
                        if !asked.iter().any(|a| a.id == question.id) {
                            asked.push(question);
                        }
                    }
                }
                if asked.is_empty() {
                    return None;
                }
                let questions = asked
                    .into_iter()
                    .map(|question| {
                        let mut answers: Vec<AnswerGroup> = Vec::new();
                        let mut details = Vec::new();
                        for (country, result, view) in &per_country {
                            let Some(given) = view.questions.iter().find(|g| g.id == question.id)
                            else {
                                continue;
                            };
                            let code = country.to_string();
                            match answers.iter_mut().find(|g| {
                                g.answer == given.answer
                                    && g.status == given.status
                                    && g.points == given.points
                            }) {
                                Some(group) => group.countries.push(code.clone()),
                                None => answers.push(AnswerGroup {
                                    value: given.value,
                                    answer: given.answer.clone(),
                                    status: given.status.clone(),
                                    points: given.points.clone(),
                                    countries: vec![code.clone()],
                                }),
                            }
                            let several = result.sources.len() > 1 && !given.source.is_empty();
                            if several || !given.notes.is_empty() || !given.evidence.is_empty() {
                                details.push(AnswerDetail {
                                    country: code,
                                    source: several.then(|| given.source.clone()),
                                    notes: given.notes.clone(),
                                    evidence: given.evidence.clone(),
                                });
                            }
                        }
                        // Most points first, then the larger group; what scores nothing last.
                        answers.sort_by(|a, b| {
                            let points = |g: &AnswerGroup| g.value.unwrap_or(-1.0);
                            points(b)
                                .total_cmp(&points(a))
                                .then_with(|| b.countries.len().cmp(&a.countries.len()))
                        });
                        AnswerQuestion {
                            id: question.id.clone(),
                            text: question.text.clone(),
                            weight: question.weight.clone(),
                            refs: question.refs.clone(),
                            answers,
                            details,
                        }
                    })
                    .collect();
                Some(AnswerIndicator {
                    anchor: answers_anchor(position),
                    title: def.title.get(lang).to_owned(),
                    pillar: q.pillars[def.pillar].title.get(lang).to_owned(),
                    questions,
                })
            })
            .collect()
    }

    fn drill_down(
        &self,
        result: &ScoredCountryRound,
        indicator: &crate::scoring::IndicatorScore,
    ) -> IndicatorView {
        let lang = self.lang;
        // Questions and answers are those of the version the round was answered on.
        let q = self.data.questionnaire_of(result);
        let questions: Vec<QuestionView> = indicator
            .questions
            .iter()
            .map(|qs| {
                let question = &q.questions[qs.question];
                let merged = result.merged.answers[qs.question].as_ref();
                // The answer already says "don't know" or "not applicable": the status says
                // only what that does to the score. A text answer is context, never scored,
                // which the method note says once for all.
                let status = match qs.status {
                    Status::Answered | Status::NotScored => String::new(),
                    Status::Unknown => label("counts_as_zero", lang),
                    Status::Unanswered => label("status_unanswered", lang),
                    Status::NotApplicable => label("left_out", lang),
                    Status::ConditionUnmet => label("status_condition", lang),
                };
                let given = merged.map(|m| m.given()).unwrap_or_default();
                let answered_by = merged.map(|m| m.source());
                let notes: Vec<NoteView> = given
                    .iter()
                    .filter_map(|(s, a)| {
                        a.note.as_ref().map(|n| NoteView {
                            text: n.clone(),
                            source: (Some(*s) != answered_by).then(|| self.source_name(result, *s)),
                        })
                    })
                    .collect();
                let evidence: Vec<LinkView> = given
                    .iter()
                    .flat_map(|(_, a)| &a.evidence)
                    .map(|link| {
                        let safe = link.starts_with("https://") || link.starts_with("http://");
                        LinkView {
                            text: link.clone(),
                            href: safe.then(|| link.clone()),
                            href_md: safe.then(|| markdown_url(link)),
                        }
                    })
                    .collect();
                QuestionView {
                    id: question.id.clone(),
                    text: question.text.get(lang).to_owned(),
                    answer: merged
                        .map(|m| self.answer_text(question, &m.answer().value))
                        .unwrap_or_default(),
                    points: self.numbers.score(qs.points),
                    value: qs.points,
                    weight: self.numbers.number(qs.weight),
                    refs: question.refs.join(" · "),
                    status,
                    source: merged
                        .map(|m| self.source_name(result, m.source()))
                        .unwrap_or_default(),
                    notes,
                    evidence,
                }
            })
            .collect();
        IndicatorView {
            position: indicator.indicator,
            questions,
        }
    }
}

/// The anchor of the answers behind indicator `position`: by number, since the ids are not
/// the reader's and are not safe in every anchor.
fn answers_anchor(position: usize) -> String {
    format!("answers-{}", position + 1)
}

/// A URL safe inside a Markdown link destination and table cell: every character but the
/// letters, digits and punctuation of a URL that Markdown gives no meaning there is
/// percent-encoded (`|` would end the cell, `*` and `_` start emphasis, brackets and parentheses
/// end the link).
fn markdown_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii_alphanumeric() || "-.~:/?#@!$&'+,;=%".contains(c) {
            out.push(c);
        } else if !c.is_control() {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

/// `text` between the quotation marks of `lang`.
fn quoted(text: &str, lang: &str) -> String {
    format!(
        "{}{text}{}",
        label("quote_open", lang),
        label("quote_close", lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin::questionnaires;
    use crate::model::Questionnaire;
    use crate::report::groups::Groups;
    use crate::report::model::{ReportOptions, Tlp};
    use crate::samples::synthetic_response;
    use crate::scoring::{ConflictPolicy, SourceNames, Submission, Submitter, merge, score};

    #[derive(Debug)]
    struct Files(usize);

    impl SourceNames for Files {
        fn name(&self, index: usize) -> std::path::PathBuf {
            format!("r{index}.yaml").into()
        }

        fn len(&self) -> usize {
            self.0
        }
    }

    /// Synthetic responses of `entries` (country, round, rounds of progress) scored as a run
    /// would score them.
    fn scored(q: &Questionnaire, entries: &[(&str, &str, usize)]) -> Vec<ScoredCountryRound> {
        entries
            .iter()
            .enumerate()
            .map(|(source, &(code, round, progress))| {
                let response = synthetic_response(q, code, round, progress).unwrap();
                let merged = merge(
                    q,
                    vec![Submission {
                        source,
                        submitted: response.submitted,
                        answers: response.answers,
                    }],
                    ConflictPolicy::Latest,
                );
                let tree = score(q, &merged.values());
                ScoredCountryRound {
                    country: response.country,
                    round: response.round,
                    version: 0,
                    sources: vec![source],
                    respondents: vec![Submitter {
                        respondent: response.respondent,
                        submitted: response.submitted,
                    }],
                    merged,
                    tree: Some(tree),
                    diagnostics: Vec::new(),
                    unscored: None,
                }
            })
            .collect()
    }

    fn options(lang: &str) -> ReportOptions {
        ReportOptions {
            lang: lang.to_owned(),
            tlp: Tlp::Red,
            generated: "2026-12-02T14:21:00Z".parse().unwrap(),
            respondent_names: false,
            conflict_policy: ConflictPolicy::Latest,
        }
    }

    /// The key messages speak of the data's own rounds and groups: a country in no group, or alone
    /// in its group in the round of its latest result, is never named for its gap to the group.
    #[test]
    fn key_messages_count_the_latest_round_and_name_only_real_gaps() {
        let messages = with_small_run("en", key_messages);
        assert!(
            matches!(&messages[0], KeyMessage::Overview { round, countries: 3, .. } if round.as_str() == "2025"),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| matches!(m, KeyMessage::StageMoves { compared: 2, .. })),
            "{messages:?}"
        );
        let rise = messages.iter().find_map(|m| match m {
            KeyMessage::Movers { rise, .. } => rise.clone(),
            _ => None,
        });
        assert!(rise.is_some_and(|r| r.delta > 0.0 && r.from.as_str() == "2023"));
        // ES is alone in the EU in 2025 and CL in LAC; JP is in no group; only FR, compared
        // with ES in 2023, has a group to differ from.
        for message in &messages {
            if let KeyMessage::Gaps { above, below } = message {
                for gap in above.iter().chain(below) {
                    assert_eq!(gap.country.as_str(), "FR", "{messages:?}");
                    assert_eq!(gap.round.as_str(), "2023");
                }
            }
        }
        assert!(messages.len() <= 5);
    }

    /// Spain (EU) and Chile (LAC, and South America) in 2023 and 2025, France (EU) only in
    /// 2023, Japan in no group, reported in `lang`.
    fn with_small_run<R>(lang: &str, look: impl FnOnce(&ReportData) -> R) -> R {
        let q = &questionnaires()[0];
        let groups = Groups::defaults();
        let entries = [
            ("CL", "2023", 0),
            ("CL", "2025", 2),
            ("ES", "2023", 0),
            ("ES", "2025", 2),
            ("FR", "2023", 0),
            ("JP", "2025", 1),
        ];
        let files = Files(entries.len());
        let data = ReportData::new(&[q], &groups, &files, options(lang), scored(q, &entries));
        look(&data)
    }

    /// The overview of `with_small_run`, drawn in `lang`, and any other chart drawn with it.
    fn overview_in(lang: &str) -> (Chart, Vec<Chart>) {
        with_small_run(lang, |data| {
            let mut builder = Builder {
                data,
                lang,
                numbers: NumberStyle::of(lang),
                charts: Vec::new(),
            };
            builder.overview_chart();
            let mut charts = builder.charts;
            let overview = charts.remove(0);
            (overview, charts)
        })
    }

    #[test]
    fn the_overview_shows_each_country_once_under_its_first_group_others_last() {
        let (chart, others) = overview_in("en");
        assert!(others.is_empty(), "only the overview is drawn");
        assert_eq!(chart.stem, "overview");
        let placed: Vec<(&str, &str)> = chart
            .rows
            .iter()
            .map(|r| (r[0].as_str(), r[1].as_str()))
            .collect();
        // Spain and France under the EU, the higher score first; Chile under Latin America and
        // the Caribbean and not again under South America; Japan last.
        let mut eu: Vec<(&str, &str)> = placed[..2].to_vec();
        eu.sort();
        assert_eq!(
            eu,
            [
                ("France (FR)", "European Union"),
                ("Spain (ES)", "European Union")
            ]
        );
        assert_eq!(
            placed[2..],
            [
                ("Chile (CL)", "Latin America and the Caribbean"),
                ("Japan (JP)", "Other countries")
            ]
        );
        let score = |row: &Vec<String>| row[3].parse::<f64>().unwrap();
        assert!(score(&chart.rows[0]) >= score(&chart.rows[1]));
        for heading in [
            "European Union",
            "Latin America and the Caribbean",
            "Other countries",
        ] {
            assert!(chart.svg.contains(heading), "{heading}");
        }
        assert!(!chart.svg.contains(">South America<"));
        assert!(chart.svg.contains("TLP:RED") && chart.svg.contains("#FF2B2B"));
        assert!(
            chart
                .svg
                .contains("Source: eu-lac-cyber-capacity@1.0.0 · 2026-12-02 · cybercap ")
        );
    }

    #[test]
    fn each_country_is_compared_with_its_group_in_the_round_of_its_latest_result() {
        let (chart, _) = overview_in("en");
        let row = |country: &str| {
            chart
                .rows
                .iter()
                .find(|r| r[0].starts_with(country))
                .unwrap()
                .clone()
        };
        let (spain, france) = (row("Spain"), row("France"));
        assert_eq!((spain[2].as_str(), france[2].as_str()), ("2025", "2023"));
        // The chart says France is shown as it was in 2023.
        assert!(chart.svg.contains(">France (2023)<") && chart.svg.contains(">Spain<"));
        // In 2025 Spain is the only EU member with a result; in 2023 France and Spain both are.
        assert_eq!(spain[4], spain[3], "Spain against itself in 2025");
        assert_ne!(france[4], france[3], "France against the 2023 average");
        // Japan has no group, so no average.
        assert_eq!(row("Japan")[4], "—");
        assert_eq!(
            chart.title,
            "Overall score of each country against its group's average"
        );
    }

    #[test]
    fn the_overview_speaks_the_reports_language() {
        let (chart, _) = overview_in("es");
        assert!(chart.svg.contains("Otros países") && chart.svg.contains("Unión Europea"));
        assert!(chart.svg.contains("Fuente: eu-lac-cyber-capacity@1.0.0"));
        assert!(chart.svg.contains("Promedio del grupo"));
        // Scores in the chart and its table with a decimal comma.
        let score = &chart.rows[0][3];
        assert!(score.contains(',') && !score.contains('.'), "{score}");
        assert!(chart.svg.contains(&format!(">{score}</text>")), "{score}");
    }

    #[test]
    fn links_in_markdown_cannot_end_their_cell_or_start_emphasis() {
        assert_eq!(
            markdown_url("https://x.org/a|b **c**_d (e) [f] é"),
            "https://x.org/a%7Cb%20%2A%2Ac%2A%2A%5Fd%20%28e%29%20%5Bf%5D%20%C3%A9"
        );
        assert_eq!(
            markdown_url("https://x.org/p?q=1&r=a-b.c~d#top"),
            "https://x.org/p?q=1&r=a-b.c~d#top"
        );
    }
}

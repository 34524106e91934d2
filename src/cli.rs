//! Command-line definitions: every flag documented once, here.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use cybercap::model::text::parse_language_code;
use cybercap::model::{CountryCode, Round};
use cybercap::report::model::Tlp;
use cybercap::report::render::Formats;

/// National cybersecurity capacity self-assessment: questionnaires, scores and comparisons.
#[derive(Debug, Parser)]
#[command(name = "cybercap", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score the built-in sample submissions and write them, with their scores, into a folder.
    Demo(DemoArgs),
    /// Check questionnaires and response files; every problem is reported as file:line:column.
    Validate(ValidateArgs),
    /// Write an answer sheet to fill offline (YAML with every question as a comment, the CSV import header, or an XLSX form), blank or starting from a country's answers in its previous round.
    Template(TemplateArgs),
    /// Turn CSV submissions into response files; bad rows go to a rejects file with the reason.
    Import(ImportArgs),
    /// Write response files as one CSV or XLSX table that `import` turns back into the same files.
    Export(ExportArgs),
    /// Fill in a questionnaire in the terminal, saved after every answer; run again to resume.
    Take(TakeArgs),
    /// Score response files per country and round.
    Score(ScoreArgs),
    /// Write the comparison report: HTML, Markdown, CSV, JSON and charts as SVG and PNG.
    Report(ReportArgs),
    /// Show how one country's score was computed, down to each answer and the file behind it.
    Explain(ExplainArgs),
    /// Show the fewest answer changes that would lift a country's score to its next stage.
    Plan(PlanArgs),
    /// Print the JSON Schema of a file format, for editors.
    Schema(SchemaArgs),
    /// Write a built-in questionnaire out to edit it, or list what changed between two versions.
    #[command(subcommand)]
    Questionnaire(QuestionnaireCommand),
    /// Print the completion script of a shell: subcommands, flags and their values on Tab.
    Completions(CompletionsArgs),
    /// How robust ranks and stages are to other weights, aggregation and treatment of "don't know": rank intervals, stage probabilities, sensitivity of each assumption.
    Robustness(RobustnessArgs),
}

/// What `questionnaire` does.
#[derive(Debug, clap::Subcommand)]
pub enum QuestionnaireCommand {
    /// Write a questionnaire (a built-in id, or a file) as YAML, to edit it into a new version.
    Show {
        /// A built-in id (eu-lac-cyber-capacity), `id@version`, or a file.
        #[arg(value_name = "QUESTIONNAIRE")]
        questionnaire: String,
        /// File to write (default: standard output); an existing file is never overwritten.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// List what changed from version OLD to version NEW: added, removed, renamed, moved,
    /// re-weighted, type or options changed.
    Diff {
        /// The older version: a built-in id, `id@version`, or a file.
        old: String,
        /// The newer version: a built-in id, `id@version`, or a file.
        new: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
}

/// Formats of `questionnaire diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// One change per line.
    Text,
    /// `{old, new, changes: [{kind, level, id, from, to}]}`.
    Json,
}

/// Arguments of `demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Folder to write into (created if missing).
    #[arg(long, default_value = "cybercap-demo")]
    pub out: PathBuf,
}

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Questionnaire or response files, or folders holding them; the kind is read from the content.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Questionnaire (a file, or a built-in id) to check responses against.
    #[arg(long, value_name = "Q")]
    pub questionnaire: Option<String>,
    /// Language the questionnaires checked must have (a usage error for any that lacks it).
    #[arg(long, value_name = "LANG", value_parser = parse_language_code)]
    pub lang: Option<String>,
}

/// Arguments of `take`.
#[derive(Debug, clap::Args)]
pub struct TakeArgs {
    /// Questionnaire to fill in: a file, or a built-in id such as eu-lac-cyber-capacity.
    pub questionnaire: String,
    /// Country or entity code: ISO 3166-1 (CO, COL) or user-assigned (XA).
    #[arg(long)]
    pub country: CountryCode,
    /// Round (default: the current year).
    #[arg(long)]
    pub round: Option<Round>,
    /// Language of the questions and the screens, one the questionnaire has (default: its first).
    #[arg(long, value_name = "LANG", value_parser = parse_language_code)]
    pub lang: Option<String>,
    /// Response file to write, and to resume when it exists (default: COUNTRY-ROUND.yaml here).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Ask line by line with numbered options, for screen readers and scripts (automatic when stdin is not a terminal).
    #[arg(long)]
    pub plain: bool,
    /// Who is answering: your name, written in the file (asked at a first sitting when not given;
    /// given on a later one, it replaces the name the file holds).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Your organization, written in the file (asked at a first sitting when not given).
    #[arg(long, value_name = "ORG")]
    pub organization: Option<String>,
}

/// Arguments shared by the commands that read responses.
#[derive(Debug, clap::Args)]
pub struct ResponseInputs {
    /// Response files, folders searched recursively for .yaml/.yml response files, or CSV/XLSX
    /// files of submissions (one per row; they need --questionnaire).
    #[arg(required = true, value_name = "RESPONSES")]
    pub responses: Vec<PathBuf>,
    /// Questionnaire (a file, or a built-in id) when responses do not answer a built-in one;
    /// give it once per version when rounds answer several versions of one questionnaire
    /// (CSV/XLSX rows answer the latest).
    #[arg(long, value_name = "Q")]
    pub questionnaire: Vec<String>,
    /// How to read CSV/XLSX inputs exported by a survey tool (see `schema map`).
    #[arg(long, value_name = "MAP")]
    pub map: Option<PathBuf>,
    /// What to do when respondents of one country and round give different answers.
    #[arg(long, value_enum, default_value_t = OnConflict::Error)]
    pub on_conflict: OnConflict,
    /// Language of stage names and titles, one the questionnaire has (default: its first).
    #[arg(long, value_name = "LANG", value_parser = parse_language_code)]
    pub lang: Option<String>,
}

/// Arguments of `score`.
#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    /// The responses to score.
    #[command(flatten)]
    pub inputs: ResponseInputs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ScoreFormatArg::Table)]
    pub format: ScoreFormatArg,
    /// Score by another framework's items instead (CMM, GCI, NCAF or NCSI, optionally with its
    /// edition, e.g. NCAF-2020): each item is the mean of the questions whose refs name it.
    #[arg(long, value_name = "FRAMEWORK")]
    pub by_framework: Option<String>,
}

/// The one country and round a command looks into.
#[derive(Debug, clap::Args)]
pub struct CountryRoundArgs {
    /// Country or entity code.
    #[arg(long)]
    pub country: CountryCode,
    /// Round (default: the latest round of that country).
    #[arg(long)]
    pub round: Option<Round>,
}

/// Arguments of `explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The responses to look into.
    #[command(flatten)]
    pub inputs: ResponseInputs,
    /// The country and round.
    #[command(flatten)]
    pub at: CountryRoundArgs,
    /// Show only this indicator.
    #[arg(long, value_name = "ID")]
    pub indicator: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
}

/// Arguments of `plan`.
#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// The responses to plan from.
    #[command(flatten)]
    pub inputs: ResponseInputs,
    /// The country and round.
    #[command(flatten)]
    pub at: CountryRoundArgs,
    /// What to lift: `overall`, a pillar id or an indicator id.
    #[arg(long, value_name = "TARGET", default_value = "overall")]
    pub target: String,
    /// The stage to reach, 1 to 5 (default: the stage above the current one).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=5))]
    pub stage: Option<u8>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
}

/// Arguments of `template`.
#[derive(Debug, clap::Args)]
pub struct TemplateArgs {
    /// Questionnaire: a file, or the id of a built-in one (eu-lac-cyber-capacity).
    pub questionnaire: String,
    /// Format of the sheet.
    #[arg(long, value_enum, default_value_t = TemplateFormat::Yaml)]
    pub format: TemplateFormat,
    /// Language of the questions, options and help, one the questionnaire has (default: its first).
    #[arg(long, value_name = "LANG", value_parser = parse_language_code)]
    pub lang: Option<String>,
    /// Round of the sheet (default: the current year; required with --from).
    #[arg(long)]
    pub round: Option<Round>,
    /// File to write (default: standard output); an existing file is never overwritten.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Response files or folders of earlier rounds: the sheet starts from the answers of
    /// --country in its latest round, which must come before --round, each marked to review.
    #[arg(long, num_args = 1.., value_name = "RESPONSES", requires_all = ["country", "round"])]
    pub from: Vec<PathBuf>,
    /// Country or entity whose earlier answers the sheet starts from (with --from).
    #[arg(long, requires = "from")]
    pub country: Option<CountryCode>,
    /// What to do when respondents of that earlier round gave different answers (with --from).
    #[arg(long, value_enum, default_value_t = OnConflict::Error, requires = "from")]
    pub on_conflict: OnConflict,
}

/// Arguments of `import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// CSV files in the layout of `template --format csv` (`,` or `;` separated, UTF-8), or XLSX files (the form of `template --format xlsx`, or a sheet in the CSV layout).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Questionnaire the rows answer: a file, or a built-in id.
    #[arg(long, value_name = "Q")]
    pub questionnaire: String,
    /// Folder for the response files (created if missing).
    #[arg(long, default_value = "responses")]
    pub out: PathBuf,
    /// File for the rejected rows (default: rejects.csv in the --out folder).
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Replace existing response files that differ from the imported rows.
    #[arg(long)]
    pub force: bool,
    /// Map (YAML) for exports of survey tools: renamed columns and values, group/question headers, split multi-select columns.
    #[arg(long, value_name = "MAP")]
    pub map: Option<PathBuf>,
}

/// Arguments of `export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Response files, or folders searched recursively for .yaml/.yml response files.
    #[arg(required = true, value_name = "RESPONSES")]
    pub responses: Vec<PathBuf>,
    /// Questionnaire (a file, or a built-in id) when responses do not answer a built-in one.
    #[arg(long, value_name = "Q")]
    pub questionnaire: Option<String>,
    /// Format of the table.
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// Language of the XLSX sheet that describes the columns (CSV cells hold ids, the same in every language).
    #[arg(long, value_name = "LANG", value_parser = parse_language_code)]
    pub lang: Option<String>,
    /// File to write (default: standard output, for CSV); an existing file is replaced only with --force.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace an existing --out file.
    #[arg(long)]
    pub force: bool,
}

/// Formats of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One row per response in the import layout.
    Csv,
    /// The same rows as the first sheet of a workbook, with a sheet describing the columns (needs --out).
    Xlsx,
}

/// Formats of `template`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TemplateFormat {
    /// A response file with every question as a comment; valid as it is.
    Yaml,
    /// The header row of the CSV import layout.
    Csv,
    /// A one-submission Excel form with drop-down lists of the allowed answers (needs --out).
    Xlsx,
    /// An XLSForm for KoboToolbox, ODK and Enketo, in every language of the questionnaire (needs --out).
    Xlsform,
}

/// Arguments of `report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The responses to compare.
    #[command(flatten)]
    pub inputs: ResponseInputs,
    /// Folder to write the report into (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Formats to write, comma-separated: html, md, csv (scores.csv and its datapackage.json),
    /// json, svg, png.
    #[arg(long, default_value = "html,md,csv,json,svg,png")]
    pub format: Formats,
    /// Groups file (YAML: group name → country codes) added to the default EU and LAC groups.
    #[arg(long, value_name = "FILE")]
    pub groups: Option<PathBuf>,
    /// Only these countries, comma-separated: country codes (CO, COL, XA) and groups by id or
    /// name (EU, LAC, those of --groups); `EU,CO` is the EU members in the responses and
    /// Colombia. Group averages are then over the members present in the report, not the whole
    /// group.
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub countries: Vec<String>,
    /// The report as of round R: later rounds are left out and earlier ones kept, so that the
    /// summary shows each country's latest round up to R, and trends and "what changed" stop
    /// at R.
    #[arg(long, value_name = "R")]
    pub round: Option<Round>,
    /// Traffic Light Protocol marking: CLEAR, GREEN, AMBER, AMBER+STRICT or RED.
    #[arg(long, default_value = "AMBER")]
    pub tlp: Tlp,
    /// Folder of templates (index.html.hbs, style.css.hbs, chart.html.hbs, report.md.hbs, chart.md.hbs) replacing the built-in ones.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Show respondents' personal names in the report (organizations are always shown).
    #[arg(long)]
    pub respondent_names: bool,
}

/// Arguments of `schema`.
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Which file format.
    #[arg(value_enum)]
    pub kind: SchemaKind,
}

/// Arguments of `completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell the script is for.
    #[arg(value_enum)]
    pub shell: CompletionShell,
}

/// Shells with a completion script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    /// Bash (bash-completion).
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
    /// PowerShell.
    Powershell,
}

/// Conflict handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnConflict {
    /// Report the conflict, naming both files, and leave that country and round unscored (exit 1).
    Error,
    /// Keep the answer of the latest `submitted` response; the disagreement is still listed.
    Latest,
}

/// Output formats of `score`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScoreFormatArg {
    /// An aligned table, scores rounded to one decimal.
    Table,
    /// A JSON document with unrounded scores.
    Json,
    /// Long CSV: country, round, level, id, score, stage, completeness.
    Csv,
}

/// Output formats of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Readable text.
    Text,
    /// JSON.
    Json,
}

/// File formats with a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// The questionnaire format.
    Questionnaire,
    /// The response format.
    Response,
    /// The import map format.
    Map,
}

/// Arguments of `robustness`.
#[derive(Debug, clap::Args)]
pub struct RobustnessArgs {
    /// The responses whose ranks are tested.
    #[command(flatten)]
    pub inputs: ResponseInputs,
    /// Number of draws (1 to 100000).
    #[arg(long, value_name = "N", default_value_t = cybercap::analysis::robustness::Settings::DRAWS)]
    pub draws: usize,
    /// Seed of the draws: the same seed gives the same output.
    #[arg(long, value_name = "S", default_value_t = cybercap::analysis::robustness::Settings::SEED)]
    pub seed: u64,
    /// Each weight (question, indicator, pillar) is multiplied by a factor drawn within ±PCT percent (0 up to 100).
    #[arg(long, value_name = "PCT", allow_negative_numbers = true, default_value_t = cybercap::analysis::robustness::Settings::PERTURBATION)]
    pub perturbation: f64,
    /// Aggregation of indicators into pillars and pillars into the overall score in each draw.
    #[arg(long, value_enum, default_value_t = AggregationArg::Both)]
    pub aggregation: AggregationArg,
    /// Whether "don't know" answers score 0 or are left out in each draw.
    #[arg(long, value_enum, default_value_t = UnknownArg::Both)]
    pub unknown: UnknownArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RobustnessFormat::Text)]
    pub format: RobustnessFormat,
}

/// Aggregations `robustness` draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AggregationArg {
    /// Weighted arithmetic means, as `score`.
    Arithmetic,
    /// Weighted geometric means of score + 1, minus 1.
    Geometric,
    /// Either, with equal chance.
    Both,
}

/// Treatments of "don't know" `robustness` draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UnknownArg {
    /// Scored 0, as `score`.
    Zero,
    /// Left out, as "not applicable".
    Omit,
    /// Either, with equal chance.
    Both,
}

/// Output formats of `robustness`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RobustnessFormat {
    /// Tables in the language of --lang.
    Text,
    /// A JSON document with unrounded figures.
    Json,
    /// Long CSV: round, country, level, id, measure, value.
    Csv,
}

//! Writing a report folder: `index.html`, `report.md`, `scores.csv` with its `datapackage.json`,
//! `scores.json` and `charts/*.svg|png`, each rendered from the same view, each file written
//! atomically.

use std::path::{Path, PathBuf};

use handlebars::Handlebars;
use serde_json::json;

use super::charts::png_of_chart;
use super::datapackage::{SCORES_PATH, datapackage};
use super::model::ReportData;
use super::view::{self, Chart, ChartScope};
use crate::Error;
use crate::diagnostic::{Diagnostic, Position};
use crate::fsio::{Pending, commit, write_atomic, write_pending};
use crate::parallel::parallel_map;
use crate::report::scores::{ResultJson, ScoreFormat, ScoreWriter, questionnaire_json};

/// (name, text) of the embedded templates; `--templates DIR` replaces them by name (`NAME.hbs`).
const TEMPLATES: &[(&str, &str)] = &[
    (
        "index.html",
        include_str!("../../reports/templates/index.html.hbs"),
    ),
    (
        "style.css",
        include_str!("../../reports/templates/style.css.hbs"),
    ),
    (
        "chart.html",
        include_str!("../../reports/templates/chart.html.hbs"),
    ),
    (
        "report.md",
        include_str!("../../reports/templates/report.md.hbs"),
    ),
    (
        "chart.md",
        include_str!("../../reports/templates/chart.md.hbs"),
    ),
];

/// The formats a report can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    /// `index.html`.
    pub html: bool,
    /// `report.md` (with its charts as SVG files).
    pub md: bool,
    /// `scores.csv`.
    pub csv: bool,
    /// `scores.json`.
    pub json: bool,
    /// `charts/*.svg`.
    pub svg: bool,
    /// `charts/*.png`.
    pub png: bool,
}

impl std::str::FromStr for Formats {
    type Err = String;

    fn from_str(list: &str) -> Result<Self, Self::Err> {
        Formats::parse(list)
    }
}

impl Formats {
    /// Every format.
    pub const ALL: Formats = Formats {
        html: true,
        md: true,
        csv: true,
        json: true,
        svg: true,
        png: true,
    };

    /// Reads a comma-separated list such as `html,md,png`.
    pub fn parse(list: &str) -> Result<Formats, String> {
        let mut formats = Formats {
            html: false,
            md: false,
            csv: false,
            json: false,
            svg: false,
            png: false,
        };
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name.to_ascii_lowercase().as_str() {
                "html" => formats.html = true,
                "md" | "markdown" => formats.md = true,
                "csv" => formats.csv = true,
                "json" => formats.json = true,
                "svg" => formats.svg = true,
                "png" => formats.png = true,
                other => {
                    return Err(format!(
                        "unknown format `{other}`; expected any of html, md, csv, json, svg, png"
                    ));
                }
            }
        }
        if formats
            == (Formats {
                html: false,
                md: false,
                csv: false,
                json: false,
                svg: false,
                png: false,
            })
        {
            return Err(
                "no format given; expected any of html, md, csv, json, svg, png".to_owned(),
            );
        }
        Ok(formats)
    }

    fn charts(self) -> bool {
        self.md || self.svg || self.png
    }
}

/// The two template registries: HTML escaping, and Markdown escaping.
pub struct Templates {
    html: Handlebars<'static>,
    md: Handlebars<'static>,
    /// Registered name → the file it came from, for error messages.
    sources: Vec<(&'static str, PathBuf)>,
}

impl Templates {
    /// The embedded templates, with any `NAME.hbs` from `overrides` replacing its namesake.
    pub fn new(overrides: Option<&Path>) -> Result<(Templates, Vec<Diagnostic>), Error> {
        let mut texts: Vec<(String, String, PathBuf)> = TEMPLATES
            .iter()
            .map(|(name, text)| {
                (
                    (*name).to_owned(),
                    (*text).to_owned(),
                    PathBuf::from(format!("reports/templates/{name}.hbs")),
                )
            })
            .collect();
        let mut warnings = Vec::new();
        if let Some(dir) = overrides {
            let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
                path: dir.to_owned(),
                source,
            })?;
            for entry in entries {
                let path = entry
                    .map_err(|source| Error::Read {
                        path: dir.to_owned(),
                        source,
                    })?
                    .path();
                let Some(name) = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .and_then(|n| n.strip_suffix(".hbs"))
                else {
                    continue;
                };
                match texts.iter_mut().find(|(n, _, _)| n == name) {
                    Some(slot) => {
                        let text =
                            std::fs::read_to_string(&path).map_err(|source| Error::Read {
                                path: path.clone(),
                                source,
                            })?;
                        *slot = (name.to_owned(), text, path.clone());
                    }
                    None => warnings.push(Diagnostic::warning(
                        &path,
                        Position::default(),
                        format!(
                            "no report template is named `{name}`; expected one of {}",
                            TEMPLATES
                                .iter()
                                .map(|(n, _)| format!("{n}.hbs"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )),
                }
            }
        }
        let mut html = Handlebars::new();
        let mut md = Handlebars::new();
        html.set_strict_mode(true);
        md.set_strict_mode(true);
        md.register_escape_fn(markdown_escape);
        html.register_helper("css-content", Box::new(css_content_helper));
        let mut errors = Vec::new();
        let mut sources = Vec::new();
        for (name, text, path) in &texts {
            let registered = match name.as_str() {
                "index.html" => "index",
                "style.css" => "style",
                "chart.html" => "chart",
                "report.md" => "report",
                _ => "chart.md",
            };
            sources.push((registered, path.clone()));
            let result = match name.as_str() {
                "index.html" => html.register_template_string("index", text),
                "style.css" => html.register_partial("style", text),
                "chart.html" => html.register_partial("chart", text),
                "report.md" => md.register_template_string("report", text),
                "chart.md" => md.register_partial("chart", text),
                _ => Ok(()),
            };
            if let Err(err) = result {
                let (line, column) = err.pos().unwrap_or((0, 0));
                errors.push(Diagnostic::error(
                    path,
                    Position::new(line as u64, column as u64),
                    format!(
                        "template error: {}; expected a handlebars template",
                        err.reason()
                    ),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok((Templates { html, md, sources }, warnings))
    }
}

/// Markdown escaping for every `{{value}}`: no raw HTML, no emphasis, links or table breaks.
pub fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '|' | '~' | '!' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

handlebars::handlebars_helper!(css_content_helper: |text: str| css_content(text));

/// A text as the value of a CSS `content` property, where `{page}` and `{pages}` become the page
/// counters of a printed page's margin boxes: `Page {page} of {pages}` gives
/// `"Page " counter(page) " of " counter(pages)`.
///
/// Labels and titles reach a `<style>` element, where neither HTML escaping applies nor a quote,
/// a backslash or `</style>` may appear raw: every ASCII character but letters, digits and spaces
/// is written as a CSS hex escape.
fn css_content(text: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let counter = ["{page}", "{pages}"]
            .into_iter()
            .find(|placeholder| rest.starts_with(placeholder));
        if let Some(placeholder) = counter {
            if !literal.is_empty() {
                parts.push(format!("\"{}\"", std::mem::take(&mut literal)));
            }
            parts.push(format!(
                "counter({})",
                &placeholder[1..placeholder.len() - 1]
            ));
            rest = &rest[placeholder.len()..];
            continue;
        }
        let c = rest.chars().next().unwrap_or_default();
        if c.is_ascii() && !c.is_ascii_alphanumeric() && c != ' ' {
            literal.push_str(&format!("\\{:x} ", u32::from(c)));
        } else {
            literal.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    if !literal.is_empty() || parts.is_empty() {
        parts.push(format!("\"{literal}\""));
    }
    parts.join(" ")
}

/// Renders and writes a report into `out`; returns the files written.
pub fn write_report(
    data: &ReportData,
    out: &Path,
    formats: Formats,
    templates: &Templates,
) -> Result<Vec<PathBuf>, Error> {
    let scope = if formats.charts() {
        ChartScope::Every
    } else {
        ChartScope::Shown
    };
    crate::fsio::prepare_out_folder(out)?;
    if formats.md || formats.svg || formats.png {
        crate::fsio::prepare_own_folder(&out.join("charts"))?;
    }
    let view = view::build(data, scope);
    let mut written = Vec::new();
    let render_failed = |what: &str, err: handlebars::RenderError| {
        let name = err.template_name.clone().unwrap_or_else(|| what.to_owned());
        let template = templates
            .sources
            .iter()
            .find(|(registered, _)| *registered == name)
            .map_or_else(|| PathBuf::from(&name), |(_, path)| path.clone());
        Error::Invalid(vec![Diagnostic::error(
            &template,
            Position::new(
                err.line_no.unwrap_or(0) as u64,
                err.column_no.unwrap_or(0) as u64,
            ),
            format!("cannot render the report: {}", err.reason()),
        )])
    };
    if formats.html {
        let html = templates
            .html
            .render("index", &view.context)
            .map_err(|e| render_failed("index", e))?;
        let path = out.join("index.html");
        write_atomic(&path, html.as_bytes())?;
        written.push(path);
    }
    if formats.md {
        let md = templates
            .md
            .render("report", &view.context)
            .map_err(|e| render_failed("report", e))?;
        let path = out.join("report.md");
        write_atomic(&path, md.as_bytes())?;
        written.push(path);
    }
    if formats.csv {
        let path = out.join(SCORES_PATH);
        let csv = scores_csv(data)?;
        write_atomic(&path, &csv)?;
        written.push(path);
        // After the CSV, so that a package never describes scores not yet in place.
        let path = out.join("datapackage.json");
        let mut json = serde_json::to_vec_pretty(&datapackage(data, csv.len()))
            .map_err(|e| internal(&path, e.into()))?;
        json.push(b'\n');
        write_atomic(&path, &json)?;
        written.push(path);
    }
    if formats.json {
        let path = out.join("scores.json");
        let json =
            serde_json::to_vec_pretty(&scores_json(data)).map_err(|e| internal(&path, e.into()))?;
        write_atomic(&path, &json)?;
        written.push(path);
    }
    // Chart files are many: written as one batch, made durable together.
    let mut pending = Vec::new();
    if formats.md || formats.svg {
        for chart in &view.charts {
            let path = out.join("charts").join(format!("{}.svg", chart.stem));
            pending.push(write_pending(&path, chart.svg.as_bytes())?);
        }
    }
    if formats.png {
        pending.extend(write_pngs(&view.charts, &out.join("charts"))?);
    }
    written.extend(commit(pending)?);
    Ok(written)
}

fn internal(path: &Path, source: std::io::Error) -> Error {
    Error::Write {
        path: path.to_owned(),
        source,
    }
}

/// Rasterizes every chart on every core, each into a file of the batch.
fn write_pngs(charts: &[Chart], dir: &Path) -> Result<Vec<Pending>, Error> {
    parallel_map(charts, |chart| {
        let path = dir.join(format!("{}.png", chart.stem));
        let png = png_of_chart(&chart.svg)
            .map_err(|e| internal(&path, std::io::Error::other(e.to_string())))?;
        write_pending(&path, &png)
    })
    .into_iter()
    .collect()
}

/// The long score CSV, every cell neutralized against spreadsheet formulas.
fn scores_csv(data: &ReportData) -> Result<Vec<u8>, Error> {
    let path = Path::new("scores.csv");
    let mut writer = ScoreWriter::new(
        ScoreFormat::Csv,
        &data.versions,
        &data.options.lang,
        Vec::new(),
    )
    .map_err(|e| internal(path, e))?;
    // Each round as scored on its own version, as `score` writes it.
    for (index, result) in data.results.iter().enumerate() {
        if let Some(tree) = data.own_tree(index) {
            writer
                .push(result, tree, data.sources)
                .map_err(|e| internal(path, e))?;
        }
    }
    writer.into_inner().map_err(|e| internal(path, e))
}

/// The `score --format json` document, plus the groups and rounds.
fn scores_json(data: &ReportData) -> serde_json::Value {
    let q = data.questionnaire;
    let results: Vec<ResultJson> = data
        .results
        .iter()
        .enumerate()
        .filter_map(|(index, r)| {
            data.own_tree(index)
                .map(|t| ResultJson::new(data.questionnaire_of(r), r, t, data.sources))
        })
        .collect();
    let groups: Vec<serde_json::Value> = data
        .group_stats
        .iter()
        .map(|g| {
            let group = &data.groups.groups[g.group];
            let rounds: serde_json::Map<String, serde_json::Value> = data
                .rounds
                .iter()
                .zip(&g.by_round)
                .map(|(round, averages)| {
                    let pillars: serde_json::Map<String, serde_json::Value> = q
                        .pillars
                        .iter()
                        .zip(&averages.pillars)
                        .map(|(p, s)| (p.id.clone(), json!(s)))
                        .collect();
                    (round.to_string(), json!({"members": averages.members, "overall": averages.overall, "pillars": pillars}))
                })
                .collect();
            json!({
                "id": group.id,
                "name": group.name.get(&data.options.lang),
                "members": g.members,
                "rounds": rounds,
            })
        })
        .collect();
    json!({
        "questionnaire": questionnaire_json(q),
        "generator": crate::GENERATOR,
        "generated": data.options.generated.to_string(),
        "tlp": data.options.tlp.marking(),
        "rounds": data.rounds,
        "results": results,
        "groups": groups,
        "unscored": data.unscored.iter().map(|u| json!({
            "country": u.country,
            "round": u.round,
            "reason": u.why.reason,
            "files": u.why.files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_text_is_inert() {
        assert_eq!(
            markdown_escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"
        );
        assert_eq!(
            markdown_escape("a|b *c* [x](y)"),
            "a\\|b \\*c\\* \\[x\\]\\(y\\)"
        );
        assert_eq!(markdown_escape("line\nbreak"), "line break");
    }

    #[test]
    fn labels_reach_css_quoted_with_page_counters() {
        assert_eq!(
            css_content("Page {page} of {pages}"),
            r#""Page " counter(page) " of " counter(pages)"#
        );
        assert_eq!(
            css_content("{page}/{pages}"),
            r#"counter(page) "\2f " counter(pages)"#
        );
        assert_eq!(css_content(""), r#""""#);
        assert_eq!(css_content("Página {n}"), r#""Página \7b n\7d ""#);
        // Nothing can close the string or the style element, whatever a title holds.
        let hostile = css_content(r#"a"b\c</style><script>x</script>"#);
        assert!(!hostile[1..hostile.len() - 1].contains(['"', '<', '>', '/']));
        assert_eq!(
            hostile,
            r#""a\22 b\5c c\3c \2f style\3e \3c script\3e x\3c \2f script\3e ""#
        );
    }

    #[test]
    fn formats_parse() {
        assert_eq!(
            Formats::parse("html,png").unwrap(),
            Formats {
                html: true,
                png: true,
                ..Formats::parse("csv")
                    .map(|_| Formats {
                        html: false,
                        md: false,
                        csv: false,
                        json: false,
                        svg: false,
                        png: false
                    })
                    .unwrap()
            }
        );
        assert!(Formats::parse("pdf").is_err());
        assert!(Formats::parse("").is_err());
    }

    #[test]
    fn the_embedded_templates_compile() {
        let (_, warnings) = Templates::new(None).unwrap();
        assert!(warnings.is_empty());
    }
}

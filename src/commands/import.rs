//! `cybercap import FILE... --questionnaire Q`: submissions in CSV or XLSX turned into response files.

use cybercap::Error;
use cybercap::import::map::MapDoc;
use cybercap::import::{ImportCounts, ImportOptions, ImportRun, Rejects, import_csv, import_xlsx};
use cybercap::inputs::Catalog;

use super::{Outcome, print_findings};
use crate::cli::ImportArgs;

/// Imports every file; prints a summary line; exit 1 when any row was rejected.
pub fn run(args: ImportArgs) -> Result<Outcome, Error> {
    let questionnaire = &Catalog::questionnaire(&args.questionnaire)?;
    // Drawn only when stderr is a terminal; scripts see the summary line alone.
    let progress =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    progress.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} rows imported ({per_sec})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    let ticker = progress.clone();
    let options = ImportOptions {
        out: args.out.clone(),
        force: args.force,
        on_row: Some(std::sync::Arc::new(move || ticker.inc(1))),
        map: args.map.as_deref().map(MapDoc::open).transpose()?,
    };
    cybercap::fsio::prepare_out_folder(&args.out)?;
    let rejects_path = args
        .rejects
        .clone()
        .unwrap_or_else(|| args.out.join("rejects.csv"));
    // Files half-written by an import that was stopped: nothing reads them, but they would stay.
    let rejects_dir = rejects_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut folders = vec![args.out.as_path()];
    if rejects_dir != args.out {
        folders.push(rejects_dir);
    }
    super::remove_stale_temp_files(&folders);
    let mut rejects = Rejects::new(&rejects_path)?;
    let mut run = ImportRun::new();
    let mut total = ImportCounts::default();
    let mut any_error = false;
    for file in &args.files {
        let is_xlsx = file
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        let imported = if is_xlsx {
            import_xlsx(file, questionnaire, &options, &mut rejects, &mut run)
        } else {
            import_csv(file, questionnaire, &options, &mut rejects, &mut run)
        };
        match imported {
            Ok((counts, warnings)) => {
                print_findings(&warnings);
                total.rows += counts.rows;
                total.written += counts.written;
                total.unchanged += counts.unchanged;
                total.rejected += counts.rejected;
            }
            // A file that cannot be imported at all (no `country` column) stops only itself.
            Err(Error::Invalid(found)) => any_error |= print_findings(&found),
            Err(other) => return Err(other),
        }
    }
    run.finish(&mut rejects, &mut total)?;
    progress.finish_and_clear();
    if args.out.is_dir() {
        cybercap::fsio::sync_folder(&args.out)?;
    }
    let rejected_to = rejects.finish()?;
    eprintln!(
        "{} rows: {} response files written, {} unchanged, {} rejected{} (into {})",
        total.rows,
        total.written,
        total.unchanged,
        total.rejected,
        rejected_to
            .map(|p| format!(" → {}", p.display()))
            .unwrap_or_default(),
        args.out.display()
    );
    Ok(Outcome::from_errors(any_error || total.rejected > 0))
}

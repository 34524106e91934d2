//! Time of `cybercap robustness` at the dialogue's scale: the 27 EU members and the 33 CELAC
//! states (60 countries), rounds 2023 to 2025, 1,000 draws with every assumption varied.
//!
//! Run with `cargo bench --bench robustness`. The library call (the draws on scores prepared
//! once) is timed nine times and the release binary end to end (reading, scoring, the draws
//! and the text output) five times; medians are reported.

use std::time::Instant;

mod common;

use cybercap::analysis::robustness::{Prepared, Settings, analyse};
use cybercap::inputs::{Catalog, expand_inputs, inventory};
use cybercap::pipeline::score_all;
use cybercap::scoring::ConflictPolicy;

const LIBRARY_RUNS: usize = 9;

/// CPU seconds (user and system, every thread) this process has used so far: on a machine
/// shared with other work, wall time grows with the load while CPU time stays near the work done.
fn cpu_seconds() -> f64 {
    // SAFETY: rusage is plain data that getrusage fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
const BINARY_RUNS: usize = 5;

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("dialogue");
    let countries = common::make_dialogue(&dir);

    let catalog = Catalog::new(&[]).unwrap();
    let files = expand_inputs(std::slice::from_ref(&dir)).unwrap();
    let inventory = inventory(&catalog, &files, None).unwrap();
    let started = Instant::now();
    let mut prepared = Prepared::new(&inventory.versions);
    score_all(
        &inventory,
        ConflictPolicy::Error,
        |result| result,
        |result| {
            prepared.push_scored(&result);
            Ok::<(), ()>(())
        },
    )
    .unwrap();
    let scoring = started.elapsed().as_secs_f64();
    assert_eq!(prepared.len(), countries * 3);

    let settings = Settings::default();
    let (times, cpu): (Vec<f64>, Vec<f64>) = (0..LIBRARY_RUNS)
        .map(|_| {
            let (started, cpu) = (Instant::now(), cpu_seconds());
            let result = analyse(&prepared, &settings);
            let seconds = (started.elapsed().as_secs_f64(), cpu_seconds() - cpu);
            assert_eq!(result.rounds.len(), 3);
            seconds
        })
        .unzip();
    println!(
        "{countries} countries × 3 rounds, {} draws (A, B and A_B for the 5 assumptions; an \
         A_B whose choice B makes as A did is not computed again): draws {:.1} ms wall, {:.1} ms \
         CPU over {} threads (medians of {LIBRARY_RUNS}); reading and scoring the files once \
         before: {:.1} ms",
        settings.draws,
        common::median(times) * 1e3,
        common::median(cpu) * 1e3,
        std::thread::available_parallelism().map_or(1, usize::from),
        scoring * 1e3
    );

    let dir_arg = dir.to_str().unwrap();
    let times: Vec<f64> = (0..BINARY_RUNS)
        .map(|_| {
            let (seconds, _, success) = common::measure(&["robustness", dir_arg]);
            assert!(success, "robustness failed");
            seconds
        })
        .collect();
    println!(
        "`cybercap robustness` end to end, same files, defaults: {:.3} s (median of {BINARY_RUNS})",
        common::median(times)
    );
}

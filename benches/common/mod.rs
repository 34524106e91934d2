//! What the benchmarks share: running the release binary and reading its peak memory, and the
//! dialogue's files.

use std::process::{Command, Stdio};
use std::time::Instant;

/// Runs `cybercap ARGS` and returns (seconds, peak resident set in KiB, exit success).
// wait4 reaps the child; `Child::wait` would not give its rusage.
#[allow(clippy::zombie_processes)]
pub fn measure(args: &[&str]) -> (f64, i64, bool) {
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_cybercap"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data that wait4 fills in; pid is our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    let success = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    (started.elapsed().as_secs_f64(), usage.ru_maxrss, success)
}

/// The middle value of some timings (the upper of the two middle ones for an even count).
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The dialogue's scale: every member of the default EU and LAC groups, rounds 2023 to 2025.
// Not every benchmark writes the dialogue's files.
#[allow(dead_code)]
pub fn make_dialogue(dir: &std::path::Path) -> usize {
    let questionnaire = &cybercap::builtin::latest().unwrap();
    let groups = cybercap::report::groups::Groups::defaults();
    let mut codes: Vec<String> = groups
        .groups
        .iter()
        .filter(|g| g.id == "EU" || g.id == "LAC")
        .flat_map(|g| g.members.iter().map(|c| c.to_string()))
        .collect();
    codes.dedup();
    std::fs::create_dir_all(dir).unwrap();
    for (n, code) in codes.iter().enumerate() {
        for round in 0..3 {
            let round_name = (2023 + round).to_string();
            // Countries start at different levels, so the report has spread, movers and gaps.
            let response = cybercap::samples::synthetic_response(
                questionnaire,
                code,
                &round_name,
                round + n % 7,
            )
            .unwrap();
            let path = dir.join(format!("{code}-{round_name}.yaml"));
            std::fs::write(
                path,
                cybercap::model::write::response_to_yaml(questionnaire, &response),
            )
            .unwrap();
        }
    }
    codes.len()
}

//! Killing `import` at any moment leaves only complete response files, and running it again
//! completes the work.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{hygiene, import, run};

#[test]
fn a_killed_import_leaves_complete_files_and_a_rerun_completes_it() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("many.csv");
    let mut text = String::from(
        "country,round,respondent_organization,p_train,p_channels,t_patch_days,t_backup\n",
    );
    let rows = 1500;
    for i in 0..rows {
        text.push_str(&format!(
            "XA,r{i},Org,yes,email;posters,{},offsite\n",
            i % 366
        ));
    }
    std::fs::write(&csv, text).unwrap();
    let out = dir.path().join("responses");
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(7, |d| d.as_nanos() as u64);
    let mut state = seed | 1;
    for attempt in 0..6 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let delay = Duration::from_millis(30 + state % 400);
        let mut child = Command::new(env!("CARGO_BIN_EXE_cybercap"))
            .args([
                "import",
                csv.to_str().unwrap(),
                "--questionnaire",
                &hygiene(),
                "--out",
                out.to_str().unwrap(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        // SIGKILL: no chance to clean up.
        let _ = child.kill();
        let _ = child.wait();
        // Killed before the first file was written: nothing to check yet.
        let any_file = std::fs::read_dir(&out).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        });
        if !any_file {
            continue;
        }
        let (code, _, stderr) = run(&[
            "validate",
            "--questionnaire",
            &hygiene(),
            out.to_str().unwrap(),
        ]);
        assert_eq!(
            code, 0,
            "attempt {attempt} (seed {seed}), after {delay:?}: {stderr}"
        );
    }
    let (code, stderr) = import(&[csv.to_str().unwrap()], &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    let files = std::fs::read_dir(&out)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "yaml")
        })
        .count();
    assert_eq!(files, rows);
}

#[test]
fn temporary_files_left_by_a_stopped_import_are_removed_by_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("one.csv");
    std::fs::write(
        &csv,
        "country,round,respondent_organization,p_train\nXA,2025,Org,yes\n",
    )
    .unwrap();
    let out = dir.path().join("responses");
    std::fs::create_dir(&out).unwrap();
    let write = |name: &str, age: Duration| {
        let path = out.join(name);
        std::fs::write(&path, "half a response").unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(SystemTime::now() - age).unwrap();
    };
    // Left by a killed run an hour ago; one being written right now by another; not ours.
    write(".cybercap-a1B2c3.tmp", Duration::from_secs(3600));
    write(".cybercap-d4E5f6.tmp", Duration::ZERO);
    write("notes.tmp", Duration::from_secs(3600));
    let (code, stderr) = import(&[csv.to_str().unwrap()], &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("removed 1 unfinished temporary file left in"),
        "{stderr}"
    );
    assert!(!out.join(".cybercap-a1B2c3.tmp").exists());
    assert!(out.join(".cybercap-d4E5f6.tmp").exists());
    assert!(out.join("notes.tmp").exists());
    assert!(out.join("XA-2025-Org.yaml").exists());
}

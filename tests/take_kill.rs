//! `take` killed with SIGKILL at random moments while a pipe feeds it answers slowly: after each
//! kill the file is a valid response holding every answer the program said it had saved, and the
//! next run resumes from it.
#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use cybercap::inputs::load_response;

/// SplitMix64: random enough for timings, and repeatable from the seed printed on failure.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Lines that answer some question types and not others: a wrong one is refused and the next
/// line is tried, so the answers mix options, yes/no, numbers, texts, `unknown` and `na`, with
/// a note now and then, a step back, and an empty line that keeps an answer or, at the review,
/// finishes.
const LINES: [&str; 12] = [
    "1",
    "yes",
    "2",
    "unknown",
    "3",
    "",
    "no",
    "na",
    "1 2",
    "12",
    "note: seen on site",
    "back",
];

/// "Saved q = v (…)" → (q, v).
fn confirmed(line: &str) -> Option<(String, String)> {
    let rest = line.split("Saved ").nth(1)?;
    let (id, rest) = rest.split_once(" = ")?;
    let (value, _) = rest.rsplit_once(" (")?;
    Some((id.to_owned(), value.to_owned()))
}

/// "Question 12 of 68 · …" → 11, the question's position in the questionnaire.
fn asked(line: &str) -> Option<usize> {
    let rest = line.strip_prefix("Question ")?;
    let (number, _) = rest.split_once(' ')?;
    number.parse::<usize>().ok()?.checked_sub(1)
}

/// What one run showed: the answers it confirmed, in order, the last question it asked, and
/// whether it was killed (rather than finished).
struct Run {
    confirmed: Vec<(String, String)>,
    last_asked: Option<usize>,
    killed: bool,
}

/// When a run's kill delay starts counting.
#[derive(Debug, Clone, Copy)]
enum KillClock {
    /// From the start of the process: kills during start-up too.
    FromSpawn,
    /// From its first question (or its end): however slow the machine is to start it, the
    /// kill comes while answers are being saved.
    FromFirstQuestion,
}

/// One run: feeds lines every few milliseconds and kills the program `kill_after` past `clock`.
fn run_and_kill(
    file: &Path,
    round: &str,
    clock: KillClock,
    kill_after: Duration,
    random: &mut Random,
) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cybercap"))
        .args([
            "take",
            "eu-lac-cyber-capacity",
            "--country",
            "XA",
            "--round",
            round,
            "--plain",
            "--name",
            "Tester",
            "--organization",
            "CERT",
            "--out",
        ])
        .arg(file)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let stdout = child.stdout.take().expect("stdout");
    let seen = Arc::new(Mutex::new((Vec::new(), None)));
    let started = Arc::new(AtomicBool::new(false));
    let reader = {
        let seen = Arc::clone(&seen);
        let started = Arc::clone(&started);
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let mut seen = seen.lock().unwrap();
                if let Some(answer) = confirmed(&line) {
                    seen.0.push(answer);
                } else if let Some(q) = asked(&line) {
                    seen.1 = Some(q);
                    started.store(true, Ordering::SeqCst);
                }
            }
            started.store(true, Ordering::SeqCst);
        })
    };
    let mut stdin = child.stdin.take().expect("stdin");
    let spawned = Instant::now();
    let mut kill_at = match clock {
        KillClock::FromSpawn => Some(spawned + kill_after),
        KillClock::FromFirstQuestion => None,
    };
    let mut next = random.below(LINES.len() as u64) as usize;
    loop {
        if kill_at.is_none() && started.load(Ordering::SeqCst) {
            kill_at = Some(Instant::now() + kill_after);
        }
        if kill_at.is_some_and(|at| Instant::now() >= at) {
            break;
        }
        // A write fails once the program has finished: then wait for the kill time anyway.
        let _ = writeln!(stdin, "{}", LINES[next % LINES.len()]);
        next += 1;
        thread::sleep(Duration::from_millis(5 + random.below(25)));
    }
    // It may have finished already; then there is nothing to kill.
    let killed = child.try_wait().expect("status").is_none();
    if killed {
        child.kill().expect("SIGKILL");
    }
    child.wait().expect("reaped");
    drop(stdin);
    reader.join().expect("reader");
    let (confirmed, last_asked) = seen.lock().unwrap().clone();
    Run {
        confirmed,
        last_asked,
        killed,
    }
}

#[test]
fn killed_at_random_moments_the_file_is_valid_and_holds_every_confirmed_answer() {
    let questionnaire = &cybercap::builtin::latest().unwrap();
    let seed = std::env::var("CYBERCAP_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(7, |d| d.as_nanos() as u64)
        });
    let mut random = Random(seed);
    let dir = tempfile::tempdir().unwrap();
    let mut round = 2000;
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    let (mut runs, mut kills, mut confirmed_total, mut empty_kills) = (0, 0, 0, 0);
    while kills < 24 {
        runs += 1;
        assert!(runs < 100, "seed {seed}: too few runs were killed");
        let file = dir.path().join(format!("XA-{round}.yaml"));
        // One run in six is killed at any moment from its start, the others while answers are
        // saved, counted from the first question: a busy machine that is slow to start the
        // program does not make every kill come before the first answer.
        let clock = if random.below(6) == 0 {
            KillClock::FromSpawn
        } else {
            KillClock::FromFirstQuestion
        };
        let kill_after = Duration::from_millis(random.below(700));
        let Run {
            confirmed,
            last_asked,
            killed,
        } = run_and_kill(&file, &round.to_string(), clock, kill_after, &mut random);
        kills += usize::from(killed);
        confirmed_total += confirmed.len();
        empty_kills += usize::from(killed && confirmed.is_empty());
        // A later answer to the same question replaces an earlier one (after `back`).
        expected.extend(confirmed);
        let context = format!(
            "seed {seed}, run {runs} (killed: {killed}) {kill_after:?} after {clock:?}, {}",
            file.display()
        );
        if !file.exists() {
            assert!(
                expected.is_empty(),
                "{context}: confirmed answers but no file"
            );
            continue;
        }
        let (response, _) = load_response(&file, questionnaire)
            .unwrap_or_else(|found| panic!("{context}: not a valid response: {found:#?}"));
        let saved: BTreeMap<String, String> = response
            .answers
            .iter()
            .map(|(q, a)| {
                let question = &questionnaire.questions[*q];
                (question.id.clone(), a.value.display(question))
            })
            .collect();
        // The program saves an answer, then says so: a kill between the two leaves one save
        // unconfirmed, and it can only be the answer to the question asked last (which may
        // replace what an earlier run confirmed, after a `back`). Every other confirmed answer
        // is in the file as confirmed.
        let unconfirmed = last_asked
            .filter(|_| killed)
            .map(|q| questionnaire.questions[q].id.as_str());
        for (id, value) in &expected {
            if Some(id.as_str()) == unconfirmed {
                assert!(
                    saved.contains_key(id),
                    "{context}: confirmed `{id}` = {value}, then lost"
                );
                continue;
            }
            assert_eq!(
                saved.get(id),
                Some(value),
                "{context}: confirmed `{id}` = {value}"
            );
        }
        // Answers saved but not yet confirmed on stdout when the kill came are kept too.
        expected = saved;
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with("XA-"))
            .filter(|n| !(n.starts_with(".XA-") && n.ends_with(".yaml.lock")))
            .collect();
        // A kill inside a save can leave its temporary file; the response never depends on it.
        // The lock of each sitting stays beside its file, released by the kill.
        for name in &leftovers {
            assert!(
                name.starts_with(".cybercap-") && name.ends_with(".tmp"),
                "{context}: {name}"
            );
        }
        if response.submitted.is_some() {
            round += 1;
            expected.clear();
        }
    }
    let _ = writeln!(
        std::io::stderr(),
        "{runs} runs, {kills} killed (seed {seed}): {confirmed_total} answers confirmed, {empty_kills} kills before any answer, {} rounds finished",
        round - 2000
    );
    assert!(
        confirmed_total > 20,
        "the runs were too short to test anything (seed {seed})"
    );
}

#[test]
fn ctrl_c_in_the_line_mode_exits_cleanly_with_every_confirmed_answer_saved() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("XA-2025.yaml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_cybercap"))
        .args([
            "take",
            &common::hygiene(),
            "--country",
            "XA",
            "--round",
            "2025",
            "--plain",
            "--name",
            "Tester",
            "--organization",
            "CERT",
            "--out",
        ])
        .arg(&file)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    writeln!(stdin, "yes\n3").unwrap();
    let mut saved = 0;
    let mut line = String::new();
    while saved < 2 {
        line.clear();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "the output ended early"
        );
        saved += usize::from(line.contains("Saved "));
    }
    // The program now waits for the third answer, as a user at the keyboard would.
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: sending a signal to our own child, whose pid is valid until it is reaped below.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let output = child.wait_with_output().expect("exits");
    drop(stdin);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("Interrupted. Everything confirmed is saved in")
            && err.contains("XA-2025.yaml"),
        "{err}"
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("  p_train: yes\n  p_train_freq: yearly\n"),
        "{text}"
    );
}

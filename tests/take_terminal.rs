//! `take` in a real terminal: tmux runs it in a pseudo-terminal, types keys with `send-keys` and
//! reads the screen with `capture-pane`, as a user would see it. Three answers, Ctrl-C, a
//! resumed sitting that goes back once, and the review.
//!
//! Without tmux the test says so and passes; `.ci/run` installs it and sets
//! `CYBERCAP_REQUIRE_TMUX=1`, which makes it mandatory.
#![cfg(unix)]

mod common;

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use common::{hygiene, run};

/// How long a screen may take to show what is awaited (a debug build on a busy machine).
const PATIENCE: Duration = Duration::from_secs(30);

/// One tmux server of our own (its own socket, no configuration file), killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    /// `None` after saying why the test is skipped.
    fn start() -> Option<Tmux> {
        let found = Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        if !found {
            if std::env::var("CYBERCAP_REQUIRE_TMUX").as_deref() == Ok("1") {
                panic!("tmux is required (CYBERCAP_REQUIRE_TMUX=1) but not found");
            }
            // Through the handle, not `eprintln!`: the test harness hides what the macro prints.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: the terminal test needs `tmux` (Debian package tmux)"
            );
            return None;
        }
        Some(Tmux {
            socket: format!("cybercap-test-{}", std::process::id()),
        })
    }

    fn tmux(&self, args: &[&str]) -> String {
        let output = Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .expect("tmux runs");
        assert!(
            output.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Runs `command` in a new 110×40 terminal named `name`; the terminal stays open after it.
    fn open(&self, name: &str, command: &str) -> Pane<'_> {
        let shell = format!("{command}; echo EXIT=$?; sleep 120");
        self.tmux(&[
            "new-session",
            "-d",
            "-x",
            "110",
            "-y",
            "40",
            "-s",
            name,
            &shell,
        ]);
        Pane {
            tmux: self,
            name: name.to_owned(),
            seen: HashMap::new(),
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

/// A terminal, and how many times each awaited text has been seen so far.
struct Pane<'t> {
    tmux: &'t Tmux,
    name: String,
    seen: HashMap<String, usize>,
}

impl Pane<'_> {
    /// Everything the terminal showed, scrolled-off lines included.
    fn screen(&self) -> String {
        self.tmux
            .tmux(&["capture-pane", "-p", "-S", "-", "-t", &self.name])
    }

    /// Waits until `text` is on the screen once more than before; returns the screen.
    fn next(&mut self, text: &str) -> String {
        let wanted = self.seen.get(text).copied().unwrap_or(0) + 1;
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.matches(text).count() >= wanted {
                self.seen.insert(text.to_owned(), wanted);
                return screen;
            }
            if start.elapsed() > PATIENCE {
                panic!("`{text}` (time {wanted}) did not show; the screen:\n{screen}");
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until `text` shows once more and its prompt is fully drawn; returns the screen.
    /// Asserting on the screen `next` returns can catch a list half drawn.
    fn settled(&mut self, text: &str) -> String {
        self.next(text);
        self.ready();
        self.screen()
    }

    /// Waits until a prompt is waiting for keys: its help line, `[…]`, is the last line. Keys
    /// sent earlier would reach the terminal before the prompt reads them raw.
    fn ready(&self) {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            let last = screen
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            if last.starts_with('[') && last.trim_end().ends_with(']') {
                return;
            }
            if start.elapsed() > PATIENCE {
                panic!("no prompt is waiting; the screen:\n{screen}");
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Presses keys (tmux names: Enter, Down, Space, Escape, C-c).
    fn keys(&self, keys: &[&str]) {
        self.ready();
        let mut args = vec!["send-keys", "-t", &self.name];
        args.extend(keys);
        self.tmux.tmux(&args);
    }

    /// Types text.
    fn type_text(&self, text: &str) {
        self.ready();
        self.tmux.tmux(&["send-keys", "-t", &self.name, "-l", text]);
    }

    /// Leaves the note and the evidence of the answer just given as they are.
    fn no_note(&mut self) {
        self.next("Note (optional):");
        self.keys(&["Enter"]);
        self.next("Evidence links");
        self.keys(&["Enter"]);
    }
}

fn command(file: &Path) -> String {
    format!(
        "NO_COLOR=1 '{}' take '{}' --country XA --round 2025 --name Tester --organization CERT --out '{}'",
        env!("CARGO_BIN_EXE_cybercap"),
        hygiene(),
        file.display()
    )
}

#[test]
fn three_answers_ctrl_c_resume_back_once_finish_and_review() {
    let Some(tmux) = Tmux::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("XA-2025.yaml");

    // First sitting: three answers, then Ctrl-C.
    let mut pane = tmux.open("first", &command(&file));
    let screen = pane.settled("Question 1 of 7 · People › Training");
    assert!(screen.contains("Questions: 7, answered: 0"), "{screen}");
    assert!(
        screen.contains("Don't know") && screen.contains("Save and quit"),
        "{screen}"
    );
    pane.keys(&["Enter"]); // Yes
    pane.next("Note (optional):");
    pane.type_text("Yearly plan");
    pane.keys(&["Enter"]);
    pane.next("Evidence links");
    pane.type_text("https://example.org/plan");
    pane.keys(&["Enter"]);
    pane.next("Question 2 of 7"); // asked because p_train is yes
    pane.keys(&["Down", "Down", "Enter"]); // Yearly
    pane.no_note();
    pane.next("Question 3 of 7");
    pane.keys(&["Space", "Down", "Down", "Space", "Enter"]); // Email, Phishing drills
    pane.no_note();
    pane.next("Question 4 of 7");
    pane.keys(&["C-c"]);
    let screen = pane.next("EXIT=0");
    assert!(
        screen.contains("Saved p_channels = [email, drills] (3 of 7 answered)."),
        "{screen}"
    );
    assert!(screen.contains("Not answered yet:"), "{screen}");
    assert!(
        screen.contains("Run the same command to continue where you stopped."),
        "{screen}"
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("  p_train:\n    value: yes\n    note: \"Yearly plan\"\n    evidence: [\"https://example.org/plan\"]\n  p_train_freq: yearly\n  p_channels: [email, drills]\n"),
        "{text}"
    );
    assert!(!text.contains("submitted"), "{text}");

    // Second sitting: resumes at question 4, goes back once, changes the answer, finishes.
    let mut pane = tmux.open("second", &command(&file));
    let screen = pane.settled("Question 4 of 7");
    assert!(screen.contains("Questions: 7, answered: 3"), "{screen}");
    assert!(
        !screen.contains("Question 1 of 7"),
        "resumed at the first unanswered: {screen}"
    );
    pane.keys(&["Escape"]);
    let screen = pane.settled("Question 3 of 7");
    // The saved answer is the default.
    assert!(
        screen.contains("[x] Email") && screen.contains("[ ] Posters"),
        "{screen}"
    );
    assert!(screen.contains("[x] Phishing drills"), "{screen}");
    pane.keys(&["Down", "Space", "Enter"]); // adds Posters
    pane.no_note();
    pane.next("Question 4 of 7");
    pane.type_text("Budget is tight");
    pane.keys(&["Enter"]);
    pane.no_note();
    pane.next("Question 5 of 7");
    pane.type_text("400");
    pane.keys(&["Enter"]);
    pane.next("400 is out of range; expected a number from 0 to 365.");
    pane.keys(&["BSpace", "BSpace", "BSpace"]);
    pane.type_text("30");
    pane.keys(&["Enter"]);
    pane.no_note();
    pane.next("Question 6 of 7");
    pane.type_text("?"); // the list filters down to "? Help"
    pane.keys(&["Enter"]);
    pane.next("There is no help text for this question.");
    pane.keys(&["Down", "Enter"]); // No
    pane.no_note();
    pane.next("Question 7 of 7");
    pane.keys(&["Down", "Down", "Enter"]); // Offsite and tested
    pane.no_note();
    let screen = pane.settled("Back to the last question");
    for line in [
        "Review",
        "Answered: 7 of 7 questions (don't know: 0).",
        "Every question that applies is answered.",
        "Completeness: 100.0%",
        "People: ",
        "Technology: ",
        "Overall: ",
    ] {
        assert!(screen.contains(line), "{line} not in the review:\n{screen}");
    }
    pane.keys(&["Enter"]); // Finish
    let screen = pane.next("EXIT=0");
    assert!(
        screen.contains("Finished. Your answers are saved in"),
        "{screen}"
    );

    let text = std::fs::read_to_string(&file).unwrap();
    for line in [
        "    note: \"Yearly plan\"\n",
        "  p_train_freq: yearly\n",
        "  p_channels: [email, posters, drills]\n",
        "  p_comment: \"Budget is tight\"\n",
        "  t_patch_days: 30\n",
        "  t_inventory: no\n",
        "  t_backup: offsite\n",
        "submitted: 20",
    ] {
        assert!(text.contains(line), "{line} not in\n{text}");
    }
    let (code, _, err) = run(&[
        "validate",
        "--questionnaire",
        &hygiene(),
        &file.display().to_string(),
    ]);
    assert_eq!(code, 0, "{err}");
}

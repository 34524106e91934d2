//! The command line itself: the version it reports, the same in its JSON outputs, and the
//! shells' completion scripts.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{fixture, hygiene, run};

/// The tool as every output names it.
fn generator() -> String {
    format!("cybercap {}", env!("CARGO_PKG_VERSION"))
}

#[test]
fn version_names_the_tool_as_the_json_outputs_do() {
    for flag in ["--version", "-V"] {
        let (code, stdout, stderr) = run(&[flag]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(stdout, format!("{}\n", generator()));
    }
    let responses = fixture("hygiene").display().to_string();
    let questionnaire = hygiene();
    let inputs = [responses.as_str(), "--questionnaire", &questionnaire];
    let (code, stdout, stderr) = run(&[&["score"][..], &inputs, &["--format", "json"]].concat());
    assert_eq!(code, 0, "{stderr}");
    let score: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(score["generator"], generator());
    let (code, stdout, stderr) = run(&[
        &["explain"][..],
        &inputs,
        &["--country", "XA", "--format", "json"],
    ]
    .concat());
    assert_eq!(code, 0, "{stderr}");
    let explain: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(explain["generator"], generator());
    assert_eq!(explain["country"], "XA");
    let (code, stdout, stderr) = run(&[
        &["plan"][..],
        &inputs,
        &["--country", "XA", "--format", "json"],
    ]
    .concat());
    assert_eq!(code, 0, "{stderr}");
    let plan: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(plan["generator"], generator());
}

/// `cybercap completions SHELL`: the script, after checking the run succeeded.
fn completions(shell: &str) -> String {
    let (code, stdout, stderr) = run(&["completions", shell]);
    assert_eq!(code, 0, "{shell}: {stderr}");
    assert!(stderr.is_empty(), "{shell}: {stderr}");
    stdout
}

#[test]
fn every_shell_gets_a_script_naming_the_tool_and_its_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = completions(shell);
        assert!(script.contains("cybercap"), "{shell}: {script}");
        for subcommand in ["report", "score", "validate", "completions", "robustness"] {
            assert!(script.contains(subcommand), "{shell}: no {subcommand}");
        }
    }
    let (code, _, stderr) = run(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("[possible values: bash, zsh, fish, powershell]"),
        "{stderr}"
    );
}

#[test]
fn bash_reads_its_script_and_completes_a_subcommand_from_it() {
    let script = completions("bash");
    let bash = Command::new("bash")
        .arg("-n")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut bash = match bash {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("bash is not installed: its completion script is not checked");
            return;
        }
        Err(e) => panic!("bash: {e}"),
    };
    bash.stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let checked = bash.wait_with_output().unwrap();
    assert!(
        checked.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&checked.stderr)
    );

    // What Tab after `cybercap re` offers, as bash-completion would ask the script.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cybercap.bash");
    std::fs::write(&file, &script).unwrap();
    let offered = Command::new("bash")
        .arg("-c")
        .arg(
            r#"source "$1" && COMP_WORDS=(cybercap re) COMP_CWORD=1 && _cybercap cybercap re cybercap && echo "${COMPREPLY[@]}""#,
        )
        .arg("bash")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&offered.stdout).trim(),
        "report",
        "{}",
        String::from_utf8_lossy(&offered.stderr)
    );
}

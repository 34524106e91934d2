//! `cybercap completions bash|zsh|fish|powershell`: the shell's completion script, made from the
//! command-line definitions so that it never lags behind them.

use clap::CommandFactory;
use clap_complete::Shell;
use cybercap::Error;

use super::Outcome;
use crate::cli::{Cli, CompletionShell, CompletionsArgs};

/// Prints the script to standard output.
pub fn run(args: CompletionsArgs) -> Result<Outcome, Error> {
    let shell = match args.shell {
        CompletionShell::Bash => Shell::Bash,
        CompletionShell::Zsh => Shell::Zsh,
        CompletionShell::Fish => Shell::Fish,
        CompletionShell::Powershell => Shell::PowerShell,
    };
    let mut command = Cli::command();
    let name = command.get_name().to_owned();
    // Made whole before it is written, so that a closed output is the one error print_out reports.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, name, &mut script);
    super::print_out(&script)?;
    Ok(Outcome::Success)
}

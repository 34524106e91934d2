//! The `cybercap` binary: parses the command line and maps the outcome to an exit code.

mod cli;
mod commands;
mod terminal;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli.command) {
        Ok(commands::Outcome::Success) => ExitCode::SUCCESS,
        Ok(commands::Outcome::Invalid) => ExitCode::from(1),
        // A reader that stops early (`| head`) is not an error of ours.
        Err(cybercap::Error::Output(source)) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(err) => {
            match err {
                cybercap::Error::Invalid(_) => eprintln!("{err}"),
                _ => eprintln!("error: {err}"),
            }
            ExitCode::from(err.exit_code())
        }
    }
}

//! `syllabus-ics completions SHELL` and `syllabus-ics man`: generated from the command-line
//! definitions in `cli`, so they never drift from the flags the binary takes.

use clap::CommandFactory;
use clap_complete::Shell;

use super::Outcome;
use crate::cli::Cli;

/// The completion script for `shell`.
pub fn completions(shell: Shell) -> Outcome {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "syllabus-ics", &mut script);
    Outcome {
        stdout: script,
        ..Outcome::default()
    }
}

/// The manual page, in roff: synopsis, options and the subcommands with what each does
/// (`syllabus-ics COMMAND --help` gives a subcommand's own flags).
pub fn man() -> Outcome {
    let mut page = Vec::new();
    // Writing into a Vec cannot fail.
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .expect("the manual page renders into memory");
    Outcome {
        stdout: page,
        ..Outcome::default()
    }
}

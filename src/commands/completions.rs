//! `syllabus-ics completions SHELL` and `syllabus-ics man`: generated from the command-line
//! definitions in `cli`, so they never drift from the flags the binary takes.

use clap_complete::Shell;

use super::Outcome;

/// The completion script for `shell`, for the command line `cli` defines.
pub fn completions(mut cli: clap::Command, shell: Shell) -> Outcome {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cli, "syllabus-ics", &mut script);
    Outcome {
        stdout: script,
        ..Outcome::default()
    }
}

/// The manual page, in roff: synopsis, options and the subcommands with what each does
/// (`syllabus-ics COMMAND --help` gives a subcommand's own flags), for the command line `cli`
/// defines.
pub fn man(cli: clap::Command) -> Outcome {
    let mut page = Vec::new();
    // Writing into a Vec cannot fail.
    clap_mangen::Man::new(cli)
        .render(&mut page)
        .expect("the manual page renders into memory");
    Outcome {
        stdout: page,
        ..Outcome::default()
    }
}

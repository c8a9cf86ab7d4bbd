//! The binary: reads argv, the environment, the terminal and the clock, and turns the
//! outcome into output and an exit code. All logic lives in the library.

/// mimalloc instead of the system allocator: a large schedule is millions of small
/// allocations made and freed on rayon's threads, where glibc keeps an arena per thread and
/// the peak at 100,000 sessions grows by about a sixth (bench/run measures it).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{CommandFactory, Parser};
use syllabus_ics::cli::{Cli, Command};
use syllabus_ics::commands::{self, Context, Outcome};
use syllabus_ics::error::Error;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stamp = match source_date_epoch() {
        Ok(stamp) => stamp,
        Err(error) => return finish(error.into()),
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = |terminal: bool| cli.color.wanted(terminal, no_color);
    // Commands that print diagnostics on stderr, and those whose report is their stdout.
    let command = cli.command.name();
    let to_stderr = Context {
        color: color(std::io::stderr().is_terminal()),
        stamp,
        command,
    };
    let to_stdout = Context {
        color: color(std::io::stdout().is_terminal()),
        stamp,
        command,
    };
    let outcome = match cli.command {
        Command::Build {
            schedule,
            output,
            session,
            previous,
            allow_empty,
        } => commands::build(
            &schedule,
            output.as_deref(),
            session.as_deref(),
            previous.as_deref(),
            allow_empty,
            &to_stderr,
        ),
        Command::Check {
            schedule,
            format,
            deny_warnings,
        } => commands::check(&schedule, format.into(), deny_warnings, &to_stdout),
        Command::Schema => commands::schema(),
        Command::Completions { shell } => commands::completions(Cli::command(), shell),
        Command::Man => commands::man(Cli::command()),
        Command::Diff {
            feed,
            schedule,
            format,
        } => commands::diff(&feed, &schedule, format.into(), &to_stderr),
        Command::Html {
            schedule,
            output,
            feed_url,
        } => commands::page(
            &schedule,
            output.as_deref(),
            feed_url.as_deref(),
            &to_stderr,
        ),
        Command::Publish {
            schedule,
            out,
            base_url,
            previous,
        } => commands::site(&schedule, &out, &base_url, previous.as_deref(), &to_stderr),
        Command::Import {
            table,
            output,
            force,
            year,
            id,
            name,
            timezone,
            zones,
        } => {
            let options = commands::import::Options {
                table,
                output,
                force,
                year,
                id,
                name,
                timezone,
                zones,
            };
            commands::import::run(&options, &to_stderr)
        }
        Command::CheckTimes {
            file,
            year,
            zones,
            format,
            deny_warnings,
        } => {
            let options = commands::check_times::Options {
                file,
                year,
                zones,
                format: format.into(),
                deny_warnings,
            };
            commands::check_times::run(&options, &to_stdout)
        }
    };
    finish(outcome)
}

/// SOURCE_DATE_EPOCH (reproducible-builds.org): seconds since 1970, used as DTSTAMP.
fn source_date_epoch() -> Result<Option<DateTime<Utc>>, Error> {
    let Some(value) = std::env::var_os("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let text = value.to_string_lossy();
    text.trim()
        .parse::<i64>()
        .ok()
        .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
        .map(Some)
        .ok_or_else(|| Error::SourceDateEpoch {
            value: text.into_owned(),
        })
}

fn finish(outcome: Outcome) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::iter::once(outcome.stdout.as_slice())
        .chain(outcome.feed.pieces())
        .try_for_each(|part| stdout.write_all(part))
        .and_then(|()| stdout.flush());
    eprint!("{}", outcome.stderr);
    ExitCode::from(outcome.code)
}

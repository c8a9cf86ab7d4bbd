//! The commands, one file each: read the schedule, check it, render, write. Each returns
//! what to print and the exit code; `main` owns the terminal, the clock and the environment
//! and passes them in. Rendering, reading files and writing them belong to other modules.

mod build;
mod check;
pub mod check_times;
mod completions;
mod diff;
mod html;
pub mod import;
mod publish;
mod schema;

pub use build::build;
pub use check::check;
pub use completions::{completions, man};
pub use diff::{DiffFormat, diff};
pub use html::page;
pub use publish::site;
pub use schema::schema;

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};

use crate::diagnostic::Tally;
use crate::error::Error;
use crate::event::Event;
use crate::ics::{self, previous};
use crate::schedule::Schedule;
use crate::source::SourceFile;
use crate::{ics::Feed, report};

/// Exit codes: the schedule is fine / has errors / the tool could not run.
pub const OK: u8 = 0;
pub const INVALID: u8 = 1;
pub const FAILED: u8 = 2;

/// What `main` knows that the library may not look up itself.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// Whether stderr/stdout is a terminal that wants colour.
    pub color: bool,
    /// `SOURCE_DATE_EPOCH`, when set: the DTSTAMP of every event.
    pub stamp: Option<DateTime<Utc>>,
    /// The command that was run (`build`, `check-times`), for help lines to name.
    pub command: &'static str,
}

/// What a command prints and how it exits.
#[derive(Debug, Default)]
pub struct Outcome {
    pub stdout: Vec<u8>,
    /// A feed for stdout, after `stdout`, in the pieces it was built in.
    pub feed: Feed,
    pub stderr: String,
    pub code: u8,
}

impl Outcome {
    /// Nothing on stdout: what to say on stderr, and the exit code.
    pub fn report(stderr: String, code: u8) -> Self {
        Outcome {
            stderr,
            code,
            ..Outcome::default()
        }
    }

    /// A command stopped by `error`, after saying `stderr` (diagnostics, warnings).
    pub fn stopped(mut stderr: String, error: &Error) -> Self {
        stderr.push_str(&report::fatal(error));
        Outcome::report(stderr, exit_code(error))
    }
}

impl Outcome {
    /// A command stopped by `error` in `format`: the human form on stderr, and for the
    /// machine formats the same failure on stdout as they would report a run, so a CI step
    /// always has a report to read. `input` is the file the command was asked to read.
    pub fn fatal(error: &Error, format: Format, input: &Path) -> Self {
        let mut outcome = Outcome::stopped(String::new(), error);
        let input = input.display().to_string();
        outcome.stdout = match format {
            Format::Human => Vec::new(),
            Format::Json => report::fatal_json(error, &input).into_bytes(),
            Format::Github => report::fatal_github(error, &input).into_bytes(),
        };
        outcome
    }
}

impl From<Error> for Outcome {
    fn from(error: Error) -> Self {
        Outcome::stopped(String::new(), &error)
    }
}

/// The exit code of a command stopped by `error`.
pub fn exit_code(error: &Error) -> u8 {
    if error.is_invalid_schedule() {
        INVALID
    } else {
        FAILED
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
    Github,
}

/// Reads an input file; the outcome that stops the command when it cannot be read.
pub fn read(path: &Path, context: &Context) -> Result<SourceFile, Outcome> {
    crate::source::read(path).map_err(|error| Outcome::from(error.in_command(context.command)))
}

/// `1 error`, `2 errors`.
pub(crate) fn plural(count: usize, noun: &str) -> String {
    report::plural(count, noun)
}

/// Reads and checks the schedule: its source, the schedule and the diagnostics so far, or
/// the outcome that stops the command (exit 1 for errors in the schedule).
fn checked(path: &Path, context: &Context) -> Result<(SourceFile, Schedule, String), Outcome> {
    let source = read(path, context)?;
    let checked = crate::check(&source);
    let tally = Tally::of(&checked.diagnostics);
    let stderr = report::human(&checked.diagnostics, &source, context.color);
    if let Some(schedule) = checked.schedule.filter(|_| tally.errors == 0) {
        return Ok((source, schedule, stderr));
    }
    let error = Error::Invalid {
        name: source.name.clone(),
        errors: tally.errors,
        unparsable: checked.unparsable,
    };
    Err(Outcome::stopped(stderr, &error))
}

/// Each event's SEQUENCE and stamps: all new without a previous feed, else revised against
/// it, its warnings added to `stderr`. `page` is where events link to, as in the feed.
#[expect(
    clippy::too_many_arguments,
    reason = "build and publish each pass the same eight things once"
)]
fn revisions(
    previous: Option<&previous::Previous>,
    schedule: &Schedule,
    events: &[Event],
    stamp: DateTime<Utc>,
    page: Option<&str>,
    source: &SourceFile,
    context: &Context,
    stderr: &mut String,
) -> Result<ics::Revisions, Error> {
    let Some(previous) = previous else {
        return Ok(ics::Revisions::first(stamp));
    };
    let revised = previous::revise(previous, schedule, events, stamp, page)?;
    if !revised.diagnostics.is_empty() && !stderr.is_empty() {
        stderr.push('\n');
    }
    stderr.push_str(&report::human(&revised.diagnostics, source, context.color));
    Ok(revised.revisions)
}

/// The DTSTAMP of every event: SOURCE_DATE_EPOCH when set, else January 1 of the
/// schedule's year, a function of the input alone, so the same schedule always gives the
/// same bytes.
fn stamp(context: &Context, schedule: &Schedule) -> DateTime<Utc> {
    context.stamp.unwrap_or_else(|| {
        NaiveDate::from_ymd_opt(schedule.calendar.year, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map_or(DateTime::UNIX_EPOCH, |t| t.and_utc())
    })
}

/// Writes `parts` to `target` atomically and says `done` on stderr; when writing fails the
/// previous file stays as it was, and the error says so.
fn deliver<'a>(
    target: &Path,
    parts: impl IntoIterator<Item = &'a [u8]>,
    done: &str,
    mut stderr: String,
) -> Outcome {
    match crate::output::write_atomic_parts(target, parts) {
        Ok(()) => {
            stderr.push_str(done);
            Outcome::report(stderr, OK)
        }
        Err(source) => Outcome::stopped(
            stderr,
            &Error::Write {
                path: target.to_owned(),
                source,
            },
        ),
    }
}

/// Refuses an output that is one of the inputs (`schedule`, then `previous`) by any path,
/// before anything is read or written: writing the feed over the schedule would lose it.
fn not_an_input(
    output: Option<&Path>,
    schedule: &Path,
    previous: Option<&Path>,
    instead: &'static str,
) -> Result<(), Error> {
    let Some(output) = file_target(output) else {
        return Ok(());
    };
    let inputs = std::iter::once((schedule, "schedule"))
        .chain(previous.map(|previous| (previous, "previous feed")));
    for (input, what) in inputs {
        if crate::output::is_same_file(output, input) {
            return Err(Error::OutputIsInput {
                output: output.to_owned(),
                input: input.to_owned(),
                what,
                instead,
            });
        }
    }
    Ok(())
}

/// `-` or no output path: stdout.
fn file_target(output: Option<&Path>) -> Option<&Path> {
    output.filter(|p| *p != Path::new("-"))
}

//! The commands: read the schedule, check it, render, write. Returns what to print and the
//! exit code; `main` owns the terminal, the clock and the environment and passes them in.

use std::fs;
use std::io::Read;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};

use crate::diagnostic::{Diagnostic, Tally};
use crate::source::SourceFile;
use crate::{Checked, event, ics, output, previous, report};

/// Exit codes: the schedule is fine / has errors / the tool could not run.
pub const OK: u8 = 0;
pub const INVALID: u8 = 1;
pub const FAILED: u8 = 2;

/// Largest schedule file read, in bytes: room for 100,000 sessions with readings.
pub const MAX_FILE: u64 = crate::limits::FILE_BYTES;

/// What `main` knows that the library may not look up itself.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// Whether stderr/stdout is a terminal that wants colour.
    pub color: bool,
    /// `SOURCE_DATE_EPOCH`, when set: the DTSTAMP of every event.
    pub stamp: Option<DateTime<Utc>>,
}

/// What a command prints and how it exits.
#[derive(Debug, Default)]
pub struct Outcome {
    pub stdout: Vec<u8>,
    /// A feed for stdout, after `stdout`, in the pieces it was built in.
    pub feed: ics::Feed,
    pub stderr: String,
    pub code: u8,
}

impl Outcome {
    fn failed(message: String) -> Self {
        Outcome::report(message, FAILED)
    }

    /// Nothing on stdout: what to say on stderr, and the exit code.
    pub fn report(stderr: String, code: u8) -> Self {
        Outcome {
            stderr,
            code,
            ..Outcome::default()
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
    Github,
}

/// Reads a schedule file. Errors here mean the tool cannot run at all (exit 2).
pub fn read(path: &Path) -> Result<SourceFile, Outcome> {
    let name = path.display().to_string();
    let fail = |code: &str, what: String, help: &str| {
        Outcome::failed(format!("error[{code}]: {what}\n  = help: {help}\n"))
    };
    let too_large = |size: String| {
        fail(
            "file-too-large",
            format!("`{name}` is {size}; the limit is {} MiB", MAX_FILE >> 20),
            "split the schedule into several files, e.g. one per term, each with its own feed",
        )
    };
    let metadata = fs::metadata(path).map_err(|e| {
        fail(
            "unreadable-file",
            format!("could not read `{name}`: {}", io_reason(&e)),
            "pass the schedule's path, e.g. `syllabus-ics check schedule.yaml`",
        )
    })?;
    if metadata.is_dir() {
        return Err(fail(
            "unreadable-file",
            format!("`{name}` is a directory"),
            "pass the schedule file inside it, e.g. `schedule.yaml`",
        ));
    }
    if metadata.len() > MAX_FILE {
        return Err(too_large(format!("{} MiB", metadata.len() >> 20)));
    }
    // Read at most one byte past the limit: a device or pipe (`/dev/zero`) reports no size.
    // Sized from the metadata, so a large file is read without growing the buffer.
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0) + 1);
    fs::File::open(path)
        .and_then(|file| file.take(MAX_FILE + 1).read_to_end(&mut bytes))
        .map_err(|e| {
            fail(
                "unreadable-file",
                format!("could not read `{name}`: {}", io_reason(&e)),
                "check the file's permissions",
            )
        })?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(too_large(format!("over {} MiB", MAX_FILE >> 20)));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            let before = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let place = SourceFile::new(name.clone(), before).position(valid);
            Err(fail(
                "invalid-utf8",
                format!(
                    "`{name}` is not UTF-8 text: invalid byte at {name}:{}:{}",
                    place.line, place.column
                ),
                "save the file as UTF-8 (most editors offer it under \"Save with encoding\")",
            ))
        }
    }
}

pub(crate) fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    }
}

/// `syllabus-ics check`: every diagnostic, in the requested format, and a summary.
pub fn check(path: &Path, format: Format, deny_warnings: bool, context: &Context) -> Outcome {
    let source = match read(path) {
        Ok(source) => source,
        Err(outcome) => return outcome,
    };
    let checked = crate::check(&source);
    let tally = Tally::of(&checked.diagnostics);
    let stdout = match format {
        Format::Human => {
            let mut text = report::human(&checked.diagnostics, &source, context.color);
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&report::summary(
                &source,
                checked.sessions,
                checked.undated,
                tally,
            ));
            text.push('\n');
            text
        }
        Format::Json => report::json(&checked.diagnostics, &source),
        Format::Github => {
            let mut text = report::github(&checked.diagnostics, &source);
            text.push_str(&report::summary(
                &source,
                checked.sessions,
                checked.undated,
                tally,
            ));
            text.push('\n');
            text
        }
    };
    Outcome {
        stdout: stdout.into_bytes(),
        stderr: String::new(),
        code: exit_code(&checked, tally, deny_warnings),
        ..Outcome::default()
    }
}

fn exit_code(checked: &Checked, tally: Tally, deny_warnings: bool) -> u8 {
    if checked.unparsable {
        FAILED
    } else if tally.errors > 0 || (deny_warnings && tally.warnings > 0) {
        INVALID
    } else {
        OK
    }
}

/// `syllabus-ics build`: checks, renders, verifies the text reads back, then writes the
/// feed atomically (or to stdout). Nothing is written when anything fails. With `previous`
/// (the feed subscribers have now), events keep or raise their SEQUENCE and stamps. A feed
/// without events is written only with `allow_empty`: subscribers' calendars would drop
/// every event they have.
pub fn build(
    path: &Path,
    output: Option<&Path>,
    session: Option<&str>,
    previous: Option<&Path>,
    allow_empty: bool,
    context: &Context,
) -> Outcome {
    let source = match read(path) {
        Ok(source) => source,
        Err(outcome) => return outcome,
    };
    let checked = crate::check(&source);
    let tally = Tally::of(&checked.diagnostics);
    let mut stderr = report::human(&checked.diagnostics, &source, context.color);
    let Some(schedule) = checked.schedule.as_ref().filter(|_| tally.errors == 0) else {
        stderr.push_str(&format!(
            "error: `{}` has {}; nothing was written\n",
            source.name,
            plural(tally.errors, "error")
        ));
        return Outcome::report(stderr, if checked.unparsable { FAILED } else { INVALID });
    };
    let mut events = event::events(schedule);
    if events.is_empty() && !allow_empty {
        stderr.push_str(&format!(
            "error: `{}` has no dated sessions, so the feed would have no events; nothing was written\n  = help: give a session a `time:`, or pass `--allow-empty` to publish a feed without events (subscribers' calendars then drop every event they have)\n",
            source.name
        ));
        return Outcome::report(stderr, INVALID);
    }
    let stamp = context
        .stamp
        .unwrap_or_else(|| default_stamp(schedule.calendar.year));
    // Revised against every event, before `--session` picks one, so a dropped session is
    // reported whichever is exported.
    let revisions = match revisions(
        previous,
        schedule,
        &events,
        stamp,
        &source,
        context,
        &mut stderr,
    ) {
        Ok(revisions) => revisions,
        Err(code) => {
            return Outcome::report(stderr, code);
        }
    };
    if let Some(id) = session {
        match pick(schedule, &events, id) {
            Ok(index) => events = vec![events.swap_remove(index)],
            Err(diagnostic) => {
                stderr.push_str(&report::human(&[*diagnostic], &source, context.color));
                return Outcome::report(stderr, INVALID);
            }
        }
    }
    let most = largest_feed(schedule, &events);
    if most > crate::limits::FEED_BYTES {
        stderr.push_str(&format!(
            "error: the feed of `{}` could take {} MiB; the limit is {} MiB; nothing was written\n  = help: split the schedule into several files, e.g. one per term, each with its own feed\n",
            source.name,
            most >> 20,
            crate::limits::FEED_BYTES >> 20
        ));
        return Outcome::report(stderr, INVALID);
    }
    // The schedule's text is not needed past this point; a large one would otherwise share
    // the memory peak with the feed.
    drop(source);
    // Each event is read back as soon as it is written, with the text built to write it.
    let text = match ics::render_verified(schedule, &events, &revisions) {
        Ok(text) => text,
        Err(problem) => {
            stderr.push_str(&format!(
                "error: the rendered feed did not read back correctly: {problem}; nothing was written\n  = help: this is a bug in syllabus-ics; please report it with the schedule that caused it\n"
            ));
            return Outcome::report(stderr, FAILED);
        }
    };
    let target = output.filter(|p| *p != Path::new("-"));
    let done = target.map(|target| {
        format!(
            "wrote {} ({}) to `{}`\n",
            plural(events.len(), "event"),
            schedule.calendar.name,
            target.display()
        )
    });
    drop(events);
    crate::parallel::release(checked);
    match (target, done) {
        (Some(target), Some(done)) => deliver_parts(target, text.pieces(), &done, stderr),
        _ => Outcome {
            feed: text,
            stderr,
            code: OK,
            ..Outcome::default()
        },
    }
}

/// Writes `bytes` to `target` atomically and says `done` on stderr; when writing fails the
/// previous file stays as it was, and the error says so.
pub(crate) fn deliver(target: &Path, bytes: &[u8], done: &str, stderr: String) -> Outcome {
    deliver_parts(target, std::iter::once(bytes), done, stderr)
}

/// `deliver` for contents held in parts.
fn deliver_parts<'a>(
    target: &Path,
    parts: impl IntoIterator<Item = &'a [u8]>,
    done: &str,
    mut stderr: String,
) -> Outcome {
    match output::write_atomic_parts(target, parts) {
        Ok(()) => {
            stderr.push_str(done);
            Outcome::report(stderr, OK)
        }
        Err(error) => {
            stderr.push_str(&format!(
                "error: could not write `{}`: {}; the previous file, if any, is unchanged\n  = help: check that the directory exists and is writable, and that the disk has space\n",
                target.display(),
                io_reason(&error)
            ));
            Outcome::report(stderr, FAILED)
        }
    }
}

/// The most bytes the feed of `events` can take, found before rendering it: every text
/// written as if each character needed escaping, plus folding and a margin for the fixed
/// properties. Bounds the memory `build` claims, whatever the schedule repeats per event.
fn largest_feed(schedule: &crate::schedule::Schedule, events: &[event::Event]) -> usize {
    let calendar = &schedule.calendar;
    let fixed = 64 * 1024
        + 4 * (calendar.name.len() + calendar.description.as_ref().map_or(0, String::len));
    let shares = crate::parallel::shares(events, 1024, |events| {
        let mut buffer = String::new();
        events.iter().fold(0usize, |total, event| {
            buffer.clear();
            event.push_description(&mut buffer);
            event.push_description_html(&mut buffer);
            let text = event.uid.len()
                + event.summary.len()
                + buffer.len()
                + 3 * event.location.map_or(0, str::len);
            // Escaping at most doubles a text; folding adds 3 octets per 74.
            total.saturating_add(1024 + text * 2 * 75 / 74 + 3)
        })
    });
    shares
        .into_iter()
        .fold(fixed, |total, share| total.saturating_add(share))
}

/// Each event's SEQUENCE and stamps: all new without a previous feed, else revised against
/// it, its warnings added to `stderr`. A previous feed that cannot be read is exit 2.
pub(crate) fn revisions(
    previous: Option<&Path>,
    schedule: &crate::schedule::Schedule,
    events: &[event::Event],
    stamp: DateTime<Utc>,
    source: &SourceFile,
    context: &Context,
    stderr: &mut String,
) -> Result<ics::Revisions, u8> {
    match previous.map(|p| revise(p, schedule, events, stamp)) {
        None => Ok(ics::Revisions::first(stamp)),
        Some(Ok(revised)) => {
            if !revised.diagnostics.is_empty() && !stderr.is_empty() {
                stderr.push('\n');
            }
            stderr.push_str(&report::human(&revised.diagnostics, source, context.color));
            Ok(revised.revisions)
        }
        Some(Err(error)) => {
            stderr.push_str(&format!(
                "error: {error}; nothing was written\n  = help: {}\n",
                error.help()
            ));
            Err(FAILED)
        }
    }
}

fn revise(
    path: &Path,
    schedule: &crate::schedule::Schedule,
    events: &[event::Event],
    stamp: DateTime<Utc>,
) -> Result<previous::Revised, previous::Error> {
    previous::revise(&previous::read(path)?, schedule, events, stamp)
}

/// The event of session `id`, or why there is none.
fn pick(
    schedule: &crate::schedule::Schedule,
    events: &[event::Event],
    id: &str,
) -> Result<usize, Box<Diagnostic>> {
    if let Some(index) = events.iter().position(|e| e.session.id == id) {
        return Ok(index);
    }
    if schedule.sessions.iter().any(|s| s.id == id) {
        return Err(Box::new(
            Diagnostic::error("undated-session", format!("session `{id}` has no date yet"))
                .session(id)
                .help("give it a `time:` before exporting it as an event"),
        ));
    }
    let closest = schedule
        .sessions
        .iter()
        .map(|s| (strsim::jaro_winkler(id, &s.id), s.id.as_str()))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(score, _)| *score > 0.7);
    let help = match closest {
        Some((_, name)) => format!("did you mean `{name}`?"),
        None => "`--session` takes the `id:` of a dated session in the schedule".to_owned(),
    };
    Err(Box::new(
        Diagnostic::error("unknown-session", format!("there is no session `{id}`")).help(help),
    ))
}

/// Without SOURCE_DATE_EPOCH, DTSTAMP is January 1 of the schedule's year: a function of
/// the input alone, so the same schedule always gives the same bytes.
pub(crate) fn default_stamp(year: i32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(year, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(DateTime::UNIX_EPOCH, |t| t.and_utc())
}

pub(crate) fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

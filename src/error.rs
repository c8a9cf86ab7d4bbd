//! Failures that stop a command: one enum, each variant with the context to explain it, a
//! stable code and the way out. `report::fatal` shows them; `main` turns them into exit codes.
//! Problems in a schedule are `Diagnostic`s, collected rather than fatal; they are not here.

use std::io;
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::limits::{FEED_BYTES, FILE_BYTES};

/// The help line of a failure that only a bug in syllabus-ics can cause.
const BUG: &str =
    "this is a bug in syllabus-ics; please report it with the schedule that caused it";

/// The help line of a previous feed that cannot be read at all.
const PREVIOUS_MISSING: &str = "pass the feed as it is published, e.g. fetched with `curl -fsSL URL -o previous.ics`; before the first publication there is none, so leave `--previous` out";

/// The help line of `diff`'s feed that is not there.
const COMPARED_MISSING: &str =
    "pass the feed subscribers have now, e.g. fetched with `curl -fsSL URL -o published.ics`";

/// The help line of a previous feed that is not one syllabus-ics wrote.
const PREVIOUS_FOREIGN: &str = "pass the feed syllabus-ics published, fetched again from its URL";

/// Why a command stopped.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    // Reading an input file.
    #[error("could not read `{}`: {}", .path.display(), io_reason(.source))]
    Missing {
        path: PathBuf,
        source: io::Error,
        /// The command that was run, for a help line the user can copy.
        command: Option<&'static str>,
    },
    #[error("`{}` is a directory", .path.display())]
    Directory {
        path: PathBuf,
        /// The command that was run, for a help line that names what it reads.
        command: Option<&'static str>,
    },
    #[error("`{}` is {} MiB; the limit is {} MiB", .path.display(), .size >> 20, FILE_BYTES >> 20)]
    TooLarge { path: PathBuf, size: u64 },
    #[error("`{}` is over {} MiB; the limit is {} MiB", .path.display(), FILE_BYTES >> 20, FILE_BYTES >> 20)]
    Endless { path: PathBuf },
    #[error("could not read `{}`: {}", .path.display(), io_reason(.source))]
    Unreadable { path: PathBuf, source: io::Error },
    #[error("`{}` is not UTF-8 text: invalid byte at {}:{line}:{column}", .path.display(), .path.display())]
    NotUtf8 {
        path: PathBuf,
        line: usize,
        column: usize,
    },

    // The environment and the command line.
    #[error("{problem}")]
    ZoneArgument { problem: String, help: String },
    #[error("year `{year}` is out of range")]
    YearOutOfRange { year: i32, first: i32, last: i32 },
    #[error("`{name}` names no year for its dates")]
    NoYear {
        name: String,
        /// Years whose calendars fit the weekdays written beside the dates, when several do.
        fits: Vec<i32>,
    },
    #[error("SOURCE_DATE_EPOCH is `{value}`, not a number of seconds since 1970")]
    SourceDateEpoch { value: String },
    #[error("`{flag}` is `{}`, not a web address: {problem}", shown(.value))]
    NotAnAddress {
        flag: &'static str,
        value: String,
        problem: String,
    },
    #[error("`--base-url` `{}` has a query or a fragment", shown(.value))]
    BaseWithQuery { value: String },

    // Checking the dual times of a page.
    #[error("some dual times in `{name}` were not checked")]
    Unjudged { name: String },

    // Importing a markdown table.
    #[error("`{name}` has no markdown table; nothing was written")]
    NoTable { name: String },
    #[error(
        "the table in `{name}` has no `{column}` column; its headers are {headers}; nothing was written"
    )]
    NoColumn {
        name: String,
        /// `Topic` or `Time`.
        column: &'static str,
        /// The headers it has, each quoted.
        headers: String,
    },
    #[error("the table has no dated rows, so it names no zone; nothing was written")]
    NoZone,
    #[error("`{}` is not an IANA time zone; nothing was written", shown(.name))]
    NotATimezone { name: String },
    #[error("`{}` is not a valid calendar id; nothing was written", shown(.id))]
    InvalidId {
        id: String,
        /// The id made valid, for the help.
        instead: String,
    },
    #[error("`{name}` uses zone labels that need `--zone`; nothing was written")]
    NeedsZones { name: String },
    #[error("the imported schedule {problem}; nothing was written")]
    ImportUnchecked { problem: String },
    #[error("`{}` already exists; nothing was written", .path.display())]
    OutputExists { path: PathBuf },

    // The schedule cannot become a feed.
    #[error("`{name}` has {errors} error{}; nothing was written", if *.errors == 1 { "" } else { "s" })]
    Invalid {
        name: String,
        errors: usize,
        /// The file is not YAML at all: the tool could not run (exit 2).
        unparsable: bool,
    },
    #[error(
        "`{name}` has no dated sessions, so the feed would have no events; nothing was written"
    )]
    NoEvents { name: String },
    #[error("the feed of `{name}` could take {} MiB; the limit is {} MiB; nothing was written", .bytes >> 20, FEED_BYTES >> 20)]
    FeedTooLarge { name: String, bytes: usize },
    #[error("{what} did not read back correctly: {problem}; nothing was written")]
    Unverified { what: String, problem: String },

    // The feed subscribers have now (`--previous`, or `diff`'s FEED).
    #[error("could not read {role} `{}`: {}{}", .path.display(), io_reason(.source), .role.stop())]
    PreviousUnreadable {
        path: PathBuf,
        source: io::Error,
        role: FeedRole,
    },
    #[error("{role} `{}` is a directory{}", .path.display(), .role.stop())]
    PreviousDirectory { path: PathBuf, role: FeedRole },
    #[error("{role} `{}` is {} MiB; the limit is {} MiB{}", .path.display(), .size >> 20, FILE_BYTES >> 20, .role.stop())]
    PreviousTooLarge {
        path: PathBuf,
        size: u64,
        role: FeedRole,
    },
    #[error("{role} `{}` is not UTF-8 text{}", .path.display(), .role.stop())]
    PreviousNotUtf8 { path: PathBuf, role: FeedRole },
    #[error("{role} `{}` is not an iCalendar feed: {problem}{}", .path.display(), .role.stop())]
    PreviousInvalid {
        path: PathBuf,
        problem: String,
        role: FeedRole,
    },

    // Writing the output.
    #[error("`-o {}` is the {what} `{}`; nothing was written", .output.display(), .input.display())]
    OutputIsInput {
        output: PathBuf,
        input: PathBuf,
        /// `schedule` or `previous feed`.
        what: &'static str,
        /// An output path that is not an input, for the help.
        instead: &'static str,
    },
    #[error("could not write `{}`: {}; the previous file, if any, is unchanged", .path.display(), io_reason(.source))]
    Write { path: PathBuf, source: io::Error },
    #[error("could not write the site to `{}`: {}; the previous site, if any, is unchanged", .path.display(), io_reason(.source))]
    WriteSite { path: PathBuf, source: io::Error },
    #[error("`{}` is not a directory that can be replaced", .path.display())]
    SiteUnnamed { path: PathBuf },
    #[error("could not read `{}`: {}", .path.display(), io_reason(.source))]
    SiteUnreadable { path: PathBuf, source: io::Error },
    #[error("`{}` is a symbolic link", .path.display())]
    SiteIsLink { path: PathBuf },
    #[error("`{}` is a file, not a directory", .path.display())]
    SiteIsFile { path: PathBuf },
    #[error("the schedule is inside `{}`, which publish replaces whole", .path.display())]
    ScheduleInSite { path: PathBuf },
    #[error("`{}` is not empty and was not written by `syllabus-ics publish`", .path.display())]
    SiteNotOurs { path: PathBuf },
}

/// What a feed that is read is for: the `--previous` of a build, or what `diff` compares
/// with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedRole {
    Previous,
    Compared,
}

impl std::fmt::Display for FeedRole {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(match self {
            FeedRole::Previous => "the previous feed",
            FeedRole::Compared => "the feed",
        })
    }
}

impl FeedRole {
    /// What the failure means for the output: a build writes nothing; `diff` writes nothing
    /// anyway.
    fn stop(self) -> &'static str {
        match self {
            FeedRole::Previous => "; nothing was written",
            FeedRole::Compared => "",
        }
    }
}

impl Error {
    /// Stable kebab-case code, as a `Diagnostic` has.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Missing { .. } | Error::Directory { .. } | Error::Unreadable { .. } => {
                "unreadable-file"
            }
            Error::TooLarge { .. } | Error::Endless { .. } => "file-too-large",
            Error::NotUtf8 { .. } => "invalid-utf8",
            Error::SourceDateEpoch { .. } => "invalid-source-date-epoch",
            Error::ZoneArgument { .. } => "invalid-zone-argument",
            Error::YearOutOfRange { .. } => "year-out-of-range",
            Error::NoYear { .. } => "missing-year",
            Error::NotAnAddress { .. } | Error::BaseWithQuery { .. } => "invalid-url",
            Error::Unjudged { .. } => "unknown-zone-label",
            Error::NoTable { .. } => "no-table",
            Error::NoColumn { .. } => "missing-column",
            Error::NoZone => "missing-zone",
            Error::NotATimezone { .. } => "invalid-zone-argument",
            Error::InvalidId { .. } => "invalid-id",
            Error::NeedsZones { .. } => "unknown-zone-label",
            Error::ImportUnchecked { .. } => "unverified-import",
            Error::OutputExists { .. } => "output-exists",
            Error::Invalid { .. } => "invalid-schedule",
            Error::NoEvents { .. } => "no-events",
            Error::FeedTooLarge { .. } => "feed-too-large",
            Error::Unverified { .. } => "unverified-feed",
            Error::PreviousUnreadable { .. } | Error::PreviousDirectory { .. } => {
                "unreadable-previous"
            }
            Error::PreviousTooLarge { .. }
            | Error::PreviousNotUtf8 { .. }
            | Error::PreviousInvalid { .. } => "invalid-previous",
            Error::Write { .. } | Error::WriteSite { .. } => "unwritable-output",
            Error::OutputIsInput { .. } => "output-is-input",
            Error::SiteUnnamed { .. }
            | Error::SiteUnreadable { .. }
            | Error::SiteIsLink { .. }
            | Error::SiteIsFile { .. }
            | Error::ScheduleInSite { .. }
            | Error::SiteNotOurs { .. } => "unreplaceable-site",
        }
    }

    /// Whether the human form names the code, as the checks of an input file's bytes
    /// always have; the others print a plain `error:` heading, which tests pin.
    pub(crate) fn shows_code(&self) -> bool {
        matches!(
            self,
            Error::Missing { .. }
                | Error::Directory { .. }
                | Error::TooLarge { .. }
                | Error::Endless { .. }
                | Error::Unreadable { .. }
                | Error::NotUtf8 { .. }
        )
    }

    /// The same error, its help naming `command` as the command that was run.
    pub fn in_command(self, command: &'static str) -> Self {
        match self {
            Error::Missing { path, source, .. } => Error::Missing {
                path,
                source,
                command: Some(command),
            },
            Error::Directory { path, .. } => Error::Directory {
                path,
                command: Some(command),
            },
            other => other,
        }
    }

    /// The way out, when there is one to give.
    pub fn help(&self) -> Option<String> {
        let help = match self {
            Error::ZoneArgument { help, .. } => return Some(help.clone()),
            Error::YearOutOfRange { first, last, .. } => {
                return Some(format!("use a year from {first} to {last}"));
            }
            Error::NoYear { fits, .. } if !fits.is_empty() => {
                let fits: Vec<String> = fits.iter().map(|y| format!("`{y}`")).collect();
                return Some(format!(
                    "pass the year of the first dual time with `--year`; its weekdays fit {}, ...",
                    fits.join(", ")
                ));
            }
            Error::NoYear { .. } => "pass the year of the first dual time, e.g. `--year 2024`",
            Error::Missing { command, .. } => {
                let (what, example) = read_by(*command);
                return Some(format!(
                    "pass the {what}'s path, e.g. `syllabus-ics {} {example}`",
                    command.unwrap_or("check")
                ));
            }
            Error::Directory { command, .. } => {
                let (what, example) = read_by(*command);
                return Some(format!("pass the {what} file inside it, e.g. `{example}`"));
            }
            Error::TooLarge { .. } | Error::Endless { .. } | Error::FeedTooLarge { .. } => {
                "split the schedule into several files, e.g. one per term, each with its own feed"
            }
            Error::Unreadable { .. } => "check the file's permissions",
            Error::NotUtf8 { .. } => {
                "save the file as UTF-8 (most editors offer it under \"Save with encoding\")"
            }
            Error::SourceDateEpoch { .. } => {
                "set it to e.g. `$(git log -1 --format=%ct)`, or unset it"
            }
            Error::NotAnAddress { .. } => {
                "pass the public http or https address, with spaces written as %20, e.g. `https://owner.github.io/meetup`"
            }
            Error::BaseWithQuery { .. } => {
                "pass the address the directory is served from, e.g. `https://owner.github.io/meetup`"
            }
            Error::Unjudged { .. } => "pass each unknown label's zone with `--zone LABEL=IANA`",
            Error::NoTable { .. } => {
                "import reads a table whose header row is followed by `| --- | --- |`, e.g. `| Time | Topic |`"
            }
            Error::NoColumn { column: "Time", .. } => {
                "name the column of published times `Time` (or `Time/Zoom`, `Date`)"
            }
            Error::NoColumn { .. } => {
                "name the columns as the README shows: Time, Topic, Prepare Reading, Additional Reading, Pre-Meetup Reflection, Presenter, Notes, Recording"
            }
            Error::NoZone => {
                "pass the zone labels the schedule will use, e.g. `--zone PST=America/Los_Angeles`"
            }
            Error::NotATimezone { .. } => "pass a name such as `--timezone America/Los_Angeles`",
            Error::InvalidId { instead, .. } => {
                return Some(format!(
                    "use lowercase letters, digits and `-`, e.g. `--id {instead}`"
                ));
            }
            Error::NeedsZones { .. } => return None,
            Error::ImportUnchecked { .. } => {
                "this is a bug in syllabus-ics, or a table it cannot yet read; please report it with the table"
            }
            Error::OutputExists { .. } => {
                "pass `--force` to replace it, or choose another file with `-o`"
            }
            Error::Invalid { .. } => return None,
            Error::NoEvents { .. } => {
                "give a session a `time:`, or pass `--allow-empty` to publish a feed without events (subscribers' calendars then drop every event they have)"
            }
            Error::Unverified { .. } => BUG,
            Error::PreviousUnreadable {
                role: FeedRole::Compared,
                ..
            }
            | Error::PreviousDirectory {
                role: FeedRole::Compared,
                ..
            } => COMPARED_MISSING,
            Error::PreviousUnreadable { .. } | Error::PreviousDirectory { .. } => PREVIOUS_MISSING,
            Error::PreviousTooLarge { .. }
            | Error::PreviousNotUtf8 { .. }
            | Error::PreviousInvalid { .. } => PREVIOUS_FOREIGN,
            Error::OutputIsInput { what, instead, .. } => {
                return Some(format!(
                    "write to a file of its own, e.g. `-o {instead}`; the {what} is read, never written"
                ));
            }
            Error::Write { .. } => {
                "check that the directory exists and is writable, and that the disk has space"
            }
            Error::WriteSite { .. } => {
                "check that the directory beside it is writable, and that the disk has space"
            }
            Error::SiteUnnamed { .. } => "pass a directory of its own, e.g. `--out public`",
            Error::SiteUnreadable { .. } => "check the directory's permissions",
            Error::SiteIsLink { .. } => {
                "publish replaces the directory itself; pass the directory the link points to"
            }
            Error::SiteIsFile { .. } => "pass a new directory, e.g. `--out public`",
            Error::ScheduleInSite { .. } => "keep the schedule outside the output directory",
            Error::SiteNotOurs { .. } => {
                "publish replaces the whole directory; pass a new or empty one, e.g. `--out public`"
            }
        };
        Some(help.to_owned())
    }

    /// Where in the file the failure is, when it has a place: line and column.
    pub fn place(&self) -> Option<(usize, usize)> {
        match self {
            Error::NotUtf8 { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }

    /// The file the failure is about, as the user named it; `None` for the command line and
    /// the environment.
    pub fn file(&self) -> Option<String> {
        match self {
            Error::Missing { path, .. }
            | Error::Directory { path, .. }
            | Error::TooLarge { path, .. }
            | Error::Endless { path }
            | Error::Unreadable { path, .. }
            | Error::NotUtf8 { path, .. }
            | Error::PreviousUnreadable { path, .. }
            | Error::PreviousDirectory { path, .. }
            | Error::PreviousTooLarge { path, .. }
            | Error::PreviousNotUtf8 { path, .. }
            | Error::PreviousInvalid { path, .. }
            | Error::Write { path, .. }
            | Error::WriteSite { path, .. }
            | Error::OutputExists { path } => Some(path.display().to_string()),
            Error::Invalid { name, .. }
            | Error::Unjudged { name }
            | Error::NoTable { name }
            | Error::NoColumn { name, .. }
            | Error::NeedsZones { name }
            | Error::NoEvents { name }
            | Error::FeedTooLarge { name, .. }
            | Error::NoYear { name, .. } => Some(name.clone()),
            _ => None,
        }
    }

    /// Whether the schedule is at fault (exit 1) rather than the tool unable to run (exit 2).
    pub fn is_invalid_schedule(&self) -> bool {
        matches!(
            self,
            Error::Invalid {
                unparsable: false,
                ..
            } | Error::NoEvents { .. }
                | Error::FeedTooLarge { .. }
        )
    }

    /// The same failure as a diagnostic without a place, for the machine-readable reports.
    pub fn diagnostic(&self) -> Diagnostic {
        let diagnostic = Diagnostic::error(self.code(), self.to_string());
        match self.help() {
            Some(help) => diagnostic.help(help),
            None => diagnostic,
        }
    }
}

/// What `command` reads, and an example of its name.
fn read_by(command: Option<&str>) -> (&'static str, &'static str) {
    match command {
        Some("import") => ("table", "schedule.md"),
        Some("check-times") => ("page", "schedule.html"),
        _ => ("schedule", "schedule.yaml"),
    }
}

/// A value from the command line as typed, its control characters escaped so that it
/// cannot move the terminal's cursor or colour the text.
fn shown(value: &str) -> String {
    value
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// An I/O error as a short phrase: `no such file`, `permission denied`, ...
pub(crate) fn io_reason(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    }
}

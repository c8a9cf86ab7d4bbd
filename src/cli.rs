//! Command-line arguments (clap) turned into plain options. Nothing else.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::commands::{DiffFormat, Format};

/// Turns a YAML syllabus into an iCalendar feed that Google Calendar, Outlook and Apple
/// Calendar can subscribe to.
#[derive(Debug, Parser)]
#[command(name = "syllabus-ics", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to colour diagnostics: `auto` colours a terminal unless NO_COLOR is set
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream, given whether it is a terminal and whether NO_COLOR is set.
    pub fn wanted(self, terminal: bool, no_color: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && !no_color,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the schedule and write the .ics feed (nothing is written if it has errors)
    Build {
        /// The schedule file
        #[arg(default_value = "schedule.yaml")]
        schedule: PathBuf,
        /// Where to write the feed; `-` or nothing means stdout. Written atomically.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Export only this session (by id), for a one-off "add to my calendar" file
        #[arg(long, value_name = "ID")]
        session: Option<String>,
        /// The feed subscribers have now: unchanged events keep their SEQUENCE and stamps,
        /// changed ones get new ones, and removed ones are reported
        #[arg(long, value_name = "FEED")]
        previous: Option<PathBuf>,
        /// Write the feed even when no session is dated (a feed without events makes
        /// subscribers' calendars drop every event they have)
        #[arg(long)]
        allow_empty: bool,
    },
    /// Check the schedule: dual times agree, fields are valid; exit 1 on errors
    Check {
        /// The schedule file
        #[arg(default_value = "schedule.yaml")]
        schedule: PathBuf,
        /// How to print the diagnostics
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
        /// Exit 1 on warnings too
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Print the JSON Schema of schedule.yaml (for editor completion and validation)
    Schema,
    /// Print a shell completion script, e.g. `syllabus-ics completions bash > ~/.local/share/bash-completion/completions/syllabus-ics`
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `syllabus-ics man > syllabus-ics.1`
    Man,
    /// Check the schedule and write its web page: the table, and ways to subscribe
    Html {
        /// The schedule file
        #[arg(default_value = "schedule.yaml")]
        schedule: PathBuf,
        /// Where to write the page; `-` or nothing means stdout. Written atomically.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The feed's public address, for the subscribe links
        #[arg(long, value_name = "URL")]
        feed_url: Option<String>,
    },
    /// Check the schedule and write the whole site: page, feed, one .ics per session
    Publish {
        /// The schedule file
        #[arg(default_value = "schedule.yaml")]
        schedule: PathBuf,
        /// The site directory; replaced whole (it must be new, empty, or an earlier site)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The public address DIR is served from, e.g. https://owner.github.io/meetup
        #[arg(long, value_name = "URL")]
        base_url: String,
        /// The feed subscribers have now, as for `build --previous`
        #[arg(long, value_name = "FEED")]
        previous: Option<PathBuf>,
    },
    /// Show what subscribers of a published feed will see change: events added, removed,
    /// moved, cancelled, restored, retitled; one line each (exit 0 with or without changes)
    Diff {
        /// The feed subscribers have now (e.g. the published schedule.ics)
        feed: PathBuf,
        /// The schedule file
        #[arg(default_value = "schedule.yaml")]
        schedule: PathBuf,
        /// How to print the changes
        #[arg(long, value_enum, default_value_t = DiffFormatArg::Human)]
        format: DiffFormatArg,
    },
    /// Import a markdown schedule table (e.g. a Hugo page) as schedule.yaml
    Import {
        /// The markdown file holding the table
        table: PathBuf,
        /// Where to write schedule.yaml; `-` or nothing means stdout. Written atomically.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace the output file if it exists
        #[arg(long)]
        force: bool,
        /// The year of the first session (default: a date in the file)
        #[arg(long)]
        year: Option<i32>,
        /// `calendar.id` (default: from the name)
        #[arg(long, value_name = "ID")]
        id: Option<String>,
        /// `calendar.name` (default: the page's title)
        #[arg(long)]
        name: Option<String>,
        /// `calendar.timezone`, an IANA zone (default: the zone of the first time)
        #[arg(long, value_name = "IANA")]
        timezone: Option<String>,
        /// A zone label and its IANA zone, e.g. `CST=America/Chicago`; repeatable
        #[arg(long = "zone", value_name = "LABEL=IANA")]
        zones: Vec<String>,
    },
    /// Check every dual time in a text, markdown or HTML page; exit 1 if any disagree
    CheckTimes {
        /// The page
        file: PathBuf,
        /// The year of the first dual time (default: a date in the file)
        #[arg(long)]
        year: Option<i32>,
        /// A zone label and its IANA zone, e.g. `CST=America/Chicago`; repeatable
        #[arg(long = "zone", value_name = "LABEL=IANA")]
        zones: Vec<String>,
        /// How to print the diagnostics
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
        /// Exit 1 on warnings too (a page in which no dual time was read, a day not named)
        #[arg(long)]
        deny_warnings: bool,
    },
}

impl Command {
    /// The name the command is run by, as clap spells it.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Build { .. } => "build",
            Command::Check { .. } => "check",
            Command::Schema => "schema",
            Command::Completions { .. } => "completions",
            Command::Man => "man",
            Command::Html { .. } => "html",
            Command::Publish { .. } => "publish",
            Command::Diff { .. } => "diff",
            Command::Import { .. } => "import",
            Command::CheckTimes { .. } => "check-times",
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FormatArg {
    /// rustc-style, for people
    Human,
    /// One JSON object, for tools
    Json,
    /// GitHub Actions annotations
    Github,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Github => Format::Github,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum DiffFormatArg {
    /// One line an event, for people
    Human,
    /// One JSON object, for tools
    Json,
    /// A table, for a pull request or a job summary
    Markdown,
}

impl From<DiffFormatArg> for DiffFormat {
    fn from(format: DiffFormatArg) -> Self {
        match format {
            DiffFormatArg::Human => DiffFormat::Human,
            DiffFormatArg::Json => DiffFormat::Json,
            DiffFormatArg::Markdown => DiffFormat::Markdown,
        }
    }
}

//! Command-line arguments (clap) turned into plain options. Nothing else.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::commands::Format;

/// Turns a YAML syllabus into an iCalendar feed that Google Calendar, Outlook and Apple
/// Calendar can subscribe to.
#[derive(Debug, Parser)]
#[command(name = "syllabus-ics", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
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

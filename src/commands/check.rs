//! `syllabus-ics check`: every diagnostic, in the requested format, and a summary.

use std::path::Path;

use super::{Context, FAILED, Format, INVALID, OK, Outcome};
use crate::diagnostic::Tally;
use crate::{Checked, report};

/// Checks the schedule at `path`; exit 1 for errors (or warnings, with `deny_warnings`).
pub fn check(path: &Path, format: Format, deny_warnings: bool, context: &Context) -> Outcome {
    let source = match crate::source::read(path).map_err(|e| e.in_command(context.command)) {
        Ok(source) => source,
        Err(error) => return Outcome::fatal(&error, format, path),
    };
    let checked = crate::check(&source);
    let tally = Tally::of(&checked.diagnostics);
    let summary = || report::summary(&source, checked.sessions, checked.undated, tally) + "\n";
    let stdout = match format {
        Format::Human => {
            let mut text = report::human(&checked.diagnostics, &source, context.color);
            if !text.is_empty() {
                text.push('\n');
            }
            text + &summary()
        }
        Format::Json => report::json(&checked.diagnostics, &source),
        Format::Github => report::github(&checked.diagnostics, &source) + &summary(),
    };
    Outcome {
        stdout: stdout.into_bytes(),
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

//! syllabus-ics: a YAML syllabus in, a subscribable iCalendar feed out.
//!
//! Data flows one way:
//! `source` text -> `load` (spanned `Document`) -> `check` (`Schedule` + diagnostics)
//! -> `event` -> `ics` text; diagnostics -> `report`.

pub(crate) mod check;
pub mod check_times;
pub mod cli;
pub mod commands;
pub mod diagnostic;
pub mod event;
pub(crate) mod html;
pub mod ics;
pub mod import;
pub(crate) mod label_map;
pub mod limits;
pub(crate) mod load;
pub(crate) mod output;
pub(crate) mod parallel;
pub mod previous;
pub mod publish;
pub(crate) mod published;
pub mod report;
pub(crate) mod scan;
pub mod schedule;
pub mod schema;
pub mod source;
pub(crate) mod zone;

pub use check::Checked;

use source::SourceFile;

/// Loads and checks a schedule: every diagnostic, and the schedule when it has no errors.
pub fn check(source: &SourceFile) -> Checked {
    let failure = match load::document(source) {
        Ok(document) => return check::schedule(document, source),
        Err(failure) => failure,
    };
    let (diagnostic, unparsable) = match failure {
        load::Failure::Unparsable(diagnostic) => (diagnostic, true),
        load::Failure::Invalid(diagnostic) => (diagnostic, false),
    };
    Checked {
        schedule: None,
        diagnostics: vec![*diagnostic],
        sessions: 0,
        undated: 0,
        unparsable,
    }
}

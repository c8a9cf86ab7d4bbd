//! syllabus-ics: a YAML syllabus in, a subscribable iCalendar feed out.
//!
//! Data flows one way:
//! ```text
//! source --load--> Document --check--> Schedule + diagnostics
//!   Schedule --schedule/zone--> Event (event) --+-- ics  --> feed
//!                                               +-- html --> page
//!   diagnostics, fatal errors --report--> terminal / json / github
//! ```
//! `commands` runs one command each over that pipeline; `output` is where bytes reach disk.

// The pipeline, in the order data flows through it.
pub(crate) mod check;
pub mod event;
pub(crate) mod html;
pub mod ics;
pub(crate) mod load;
pub(crate) mod markup;
pub mod schedule;
pub mod source;
pub(crate) mod zone;

// Problems, and how they are shown.
pub mod diagnostic;
pub mod error;
pub mod report;

// The commands, and what they share.
pub mod cli;
pub mod commands;
pub mod limits;
pub(crate) mod output;

// The published-time grammar and the tools around it.
pub mod import;
pub(crate) mod label_map;
pub(crate) mod published;
pub mod schema;

pub use check::Checked;

use source::SourceFile;

/// Loads and checks a schedule: every diagnostic, and the schedule when it has no errors.
/// Entries of the wrong shape are reported and set aside, and the rest is checked, so that
/// one run shows every problem.
pub fn check(source: &SourceFile) -> Checked {
    match load::document(source) {
        Ok(document) => check::schedule(document, source),
        Err(load::Failure::Unparsable(diagnostic)) => Checked::unread(vec![*diagnostic], true),
        Err(load::Failure::Invalid { problems, rest }) => {
            check::with_shape_problems(rest.map(|rest| *rest), problems, source)
        }
    }
}

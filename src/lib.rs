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

//! syllabus-ics: a YAML syllabus in, a subscribable iCalendar feed out.
//!
//! Data flows one way:
//! `source` text -> `load` (spanned `Document`) -> `check` (`Schedule` + diagnostics)
//! -> `event` -> `ics` text; diagnostics -> `report`.

pub mod diagnostic;
pub mod ics;
pub(crate) mod load;
pub(crate) mod published;
pub mod report;
pub mod source;
pub(crate) mod zone;

//! Turns a `Document` into a validated `Schedule`, collecting every problem on the way.
//! Knows nothing about output formats; never reads files or the clock.

mod calendar;
mod order;
mod session;
mod text;
mod time;

use crate::diagnostic::Diagnostic;
use crate::load::{self, Document, Spanned};
use crate::schedule::Schedule;
use crate::source::{SourceFile, Span};

/// The result of checking: the schedule when it has no errors, and every diagnostic.
#[derive(Debug)]
pub struct Checked {
    pub schedule: Option<Schedule>,
    pub diagnostics: Vec<Diagnostic>,
    /// Dated sessions, and undated (TBD) topics, as written.
    pub sessions: usize,
    pub undated: usize,
    /// The file is not YAML at all: nothing could be checked.
    pub unparsable: bool,
}

/// Problems found so far, and the file they point into.
pub(crate) struct Findings<'a> {
    pub(crate) source: &'a SourceFile,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl Findings<'_> {
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

pub(crate) fn schedule(document: &Document, source: &SourceFile) -> Checked {
    let mut findings = Findings {
        source,
        diagnostics: Vec::new(),
    };
    let calendar = match &document.calendar {
        Some(calendar) => calendar::calendar(calendar, &mut findings),
        None => {
            findings.push(
                Diagnostic::error("missing-field", "the schedule has no `calendar` section")
                    .at(Span::new(0, 0))
                    .help("start the file with `calendar:` and its `id`, `name`, `timezone`, `year` and `zones`; see the README"),
            );
            None
        }
    };
    let empty = Vec::new();
    let written = document.sessions.as_ref().map_or(&empty, |s| &s.value);
    if document.sessions.is_none() {
        findings.push(
            Diagnostic::error("missing-field", "the schedule has no `sessions` list")
                .at(Span::new(source.text.len(), source.text.len()))
                .help(
                    "add `sessions:` with one entry per session; an empty list is `sessions: []`",
                ),
        );
    }
    let sessions = match &calendar {
        Some(calendar) => session::sessions(written, calendar, &mut findings),
        // Without a calendar there are no zones or year to read times with.
        None => Vec::new(),
    };
    if let Some(calendar) = &calendar {
        order::check(&sessions, written, calendar, &mut findings);
    }
    let undated = written
        .iter()
        .filter(|s| session::is_undated(&s.value))
        .count();
    let count = written.len() - undated;
    let schedule = match calendar {
        Some(calendar) if !findings.has_errors() => Some(Schedule {
            calendar,
            sessions: sessions.into_iter().map(|(session, _)| session).collect(),
        }),
        _ => None,
    };
    let mut diagnostics = findings.diagnostics;
    // Stable order: by place in the file, then code; the order checks ran in is not a promise.
    diagnostics.sort_by_key(|d| (d.span.map_or(usize::MAX, |s| s.start), d.code));
    Checked {
        schedule,
        diagnostics,
        sessions: count,
        undated,
        unparsable: false,
    }
}

/// The span of a spanned value, for diagnostics.
pub(crate) fn at<T>(value: &Spanned<T>) -> Span {
    load::span(value)
}

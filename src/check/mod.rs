//! Turns a `Document` into a validated `Schedule`, collecting every problem on the way.
//! Knows nothing about output formats; never reads files or the clock.

mod calendar;
mod order;
mod session;
pub(crate) mod text;
pub(crate) mod time;

use crate::diagnostic::{Diagnostic, Tally};
use crate::limits;
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

impl Checked {
    /// The outcome for a file of which nothing could be checked.
    pub(crate) fn unread(diagnostics: Vec<Diagnostic>, unparsable: bool) -> Checked {
        Checked {
            schedule: None,
            diagnostics,
            sessions: 0,
            undated: 0,
            unparsable,
        }
    }
}

/// Problems found so far, and the file they point into.
pub(crate) struct Findings<'a> {
    pub(crate) source: &'a SourceFile,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Problems found after `limits::DIAGNOSTICS` were kept: counted, not kept, so that a
    /// file with millions of broken values cannot claim memory for millions of messages.
    pub(crate) unshown: Tally,
}

impl<'a> Findings<'a> {
    pub(crate) fn new(source: &'a SourceFile) -> Self {
        Findings {
            source,
            diagnostics: Vec::new(),
            unshown: Tally::default(),
        }
    }

    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        if self.diagnostics.len() < limits::DIAGNOSTICS {
            self.diagnostics.push(diagnostic);
        } else if diagnostic.is_error() {
            self.unshown.errors += 1;
        } else {
            self.unshown.warnings += 1;
        }
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.unshown.errors > 0 || self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The diagnostics kept, in file order, then one that counts those not kept.
    pub(crate) fn into_diagnostics(self) -> Vec<Diagnostic> {
        let mut diagnostics = self.diagnostics;
        // Stable order: by place in the file, then code; the order checks ran in is not a
        // promise.
        diagnostics.sort_by_key(|d| (d.span.map_or(usize::MAX, |s| s.start), d.code));
        let Tally { errors, warnings } = self.unshown;
        if errors + warnings > 0 {
            let counted = match (errors, warnings) {
                (0, w) => plural(w, "more warning"),
                (e, 0) => plural(e, "more error"),
                (e, w) => format!("{} and {}", plural(e, "more error"), plural(w, "warning")),
            };
            let message = format!(
                "{counted} not shown: only the first {} problems are listed",
                limits::DIAGNOSTICS
            );
            let diagnostic = if errors > 0 {
                Diagnostic::error("too-many-problems", message)
            } else {
                Diagnostic::warning("too-many-problems", message)
            };
            diagnostics
                .push(diagnostic.help(
                    "fix the problems listed (often one mistake repeated), then check again",
                ));
        }
        diagnostics
    }
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// Checks the document, consuming it: sessions are dropped as they are checked.
pub(crate) fn schedule(document: Document, source: &SourceFile) -> Checked {
    let mut findings = Findings::new(source);
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
    if document.sessions.is_none() {
        findings.push(
            Diagnostic::error("missing-field", "the schedule has no `sessions` list")
                .at(Span::new(source.text.len(), source.text.len()))
                .help(
                    "add `sessions:` with one entry per session; an empty list is `sessions: []`",
                ),
        );
    }
    let written = document.sessions.map_or_else(Vec::new, |s| s.value.0);
    let total = written.len();
    let checked = match &calendar {
        Some(calendar) => session::sessions(written, calendar, &mut findings),
        // Without a calendar there are no zones or year to read times with.
        None => session::Checked {
            undated: written
                .iter()
                .filter(|s| session::is_undated(&s.value))
                .count(),
            ..session::Checked::default()
        },
    };
    if let Some(calendar) = &calendar {
        order::check(&checked.kept, &checked.places, calendar, &mut findings);
    }
    let schedule = match calendar {
        Some(calendar) if !findings.has_errors() => Some(Schedule {
            calendar,
            sessions: checked
                .kept
                .into_iter()
                .map(|(session, _)| session)
                .collect(),
        }),
        _ => None,
    };
    let diagnostics = findings.into_diagnostics();
    Checked {
        schedule,
        diagnostics,
        sessions: total - checked.undated,
        undated: checked.undated,
        unparsable: false,
    }
}

/// Checks what could be read of a file with entries of the wrong shape (`problems`, already
/// set aside from `rest`): every session that could be read gets the full check, and all of
/// it is reported in file order. A session or section that had an entry set aside is not
/// told it misses a field: the entry set aside is most often that field, misspelled.
pub(crate) fn with_shape_problems(
    rest: Option<load::Rest>,
    mut problems: Vec<Diagnostic>,
    source: &SourceFile,
) -> Checked {
    let mut checked = match rest {
        Some(rest) => the_rest(rest, &mut problems, source),
        None => Checked::unread(Vec::new(), false),
    };
    checked.diagnostics.append(&mut problems);
    checked
        .diagnostics
        .sort_by_key(|d| d.span.map_or(usize::MAX, |span| span.start));
    checked.schedule = None;
    checked
}

/// The check of what could be read, without the missing fields of sessions that had an
/// entry set aside; each of `problems` is given the session it is in.
fn the_rest(rest: load::Rest, problems: &mut [Diagnostic], source: &SourceFile) -> Checked {
    let load::Rest {
        document,
        sessions: starts,
    } = rest;
    // 0 before the first session (in `calendar`), else the session's number from 1.
    let part = |d: &Diagnostic| {
        d.span
            .map(|span| starts.partition_point(|&s| s <= span.start))
    };
    let ids: Vec<Option<String>> = document
        .sessions
        .iter()
        .flat_map(|sessions| sessions.value.iter())
        .map(|session| session.value.id.as_ref().map(|id| id.value.clone()))
        .collect();
    for problem in problems.iter_mut().filter(|p| p.session.is_none()) {
        let id = part(problem)
            .and_then(|p| p.checked_sub(1))
            .and_then(|index| ids.get(index)?.clone());
        problem.session = id;
    }
    let faulty: Vec<usize> = problems.iter().filter_map(part).collect();
    let mut checked = schedule(document, source);
    checked
        .diagnostics
        .retain(|d| d.code != "missing-field" || part(d).is_none_or(|p| !faulty.contains(&p)));
    checked
}

/// The span of a spanned value, for diagnostics.
pub(crate) fn at<T>(value: &Spanned<T>) -> Span {
    load::span(value)
}

//! Checks each session: id, topic, time, items, status, overrides.

use std::collections::HashMap;

use chrono::{NaiveDate, TimeDelta};

use super::text::{self, in_session, line, paragraph};
use super::time::{self, Context};
use super::{Findings, at};
use crate::diagnostic::Diagnostic;
use crate::load::{self, Item as ItemDoc, SessionDoc, Spanned};
use crate::published;
use crate::schedule::{Calendar, Item, Session, When};
use crate::source::Span;

/// The longest a session may last.
const MAX_DURATION: TimeDelta = TimeDelta::hours(24);

/// Whether a session is a TBD topic (no `time`, or `time: TBD`).
pub(crate) fn is_undated(session: &SessionDoc) -> bool {
    match session.time.as_ref().map(|t| &t.value) {
        None => true,
        Some(load::TimeDoc::Text(text)) => published::is_undated(text),
        Some(load::TimeDoc::Halves(_)) => false,
    }
}

/// The sessions as checked: every one that passed its own checks with its index in the
/// file, and, for every session written, the place its diagnostics point at.
#[derive(Default)]
pub(crate) struct Checked {
    pub(crate) kept: Vec<(Session, usize)>,
    pub(crate) places: Vec<Span>,
    /// Sessions written without a date (TBD topics).
    pub(crate) undated: usize,
}

/// Checks each session in file order. Each one's document is dropped once it is checked,
/// so that a large file is never held twice, as written and as checked.
pub(crate) fn sessions(
    written: Vec<Spanned<SessionDoc>>,
    calendar: &Calendar,
    findings: &mut Findings,
) -> Checked {
    // The first use of each id, and its line.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut previous: Option<NaiveDate> = None;
    let mut checked = Checked {
        kept: Vec::with_capacity(written.len()),
        places: Vec::with_capacity(written.len()),
        undated: 0,
    };
    for (index, doc) in written.into_iter().enumerate() {
        checked
            .places
            .push(doc.value.time.as_ref().map_or_else(|| at(&doc), at));
        if is_undated(&doc.value) {
            checked.undated += 1;
        }
        if let Some(id) = &doc.value.id {
            let key = id.value.trim().to_owned();
            if let Some(&first_line) = seen.get(&key) {
                findings.push(
                    Diagnostic::error(
                        "duplicate-session",
                        format!("session id `{key}` is used twice"),
                    )
                    .at(at(id))
                    .label(format!("first used on line {first_line}"))
                    .session(key.clone())
                    .help("ids must be unique: they become the events' UIDs; rename one of them"),
                );
            } else {
                let line = findings.source.position(at(id).start).line;
                seen.insert(key, line);
            }
        }
        if let Some((session, date)) = session(&doc, calendar, previous, findings) {
            if let Some(date) = date {
                previous = Some(date);
            }
            checked.kept.push((session, index));
        }
    }
    checked
}

fn session(
    doc: &Spanned<SessionDoc>,
    calendar: &Calendar,
    previous: Option<NaiveDate>,
    findings: &mut Findings,
) -> Option<(Session, Option<NaiveDate>)> {
    let fields = &doc.value;
    let id = match &fields.id {
        Some(id) => text::id(id, findings),
        None => {
            findings.push(
                Diagnostic::error("missing-field", "this session has no `id`")
                    .at(at(doc))
                    .label("session without id")
                    .help("add `id: <slug>`: a short, stable name such as `week-3`; it becomes the event's UID"),
            );
            None
        }
    };
    let name = id.as_deref();
    let topic = match &fields.topic {
        Some(topic) => line(topic, "topic", name, findings),
        None => {
            findings.push(in_session(
                Diagnostic::error("missing-field", "this session has no `topic`")
                    .at(at(doc))
                    .label("session without topic")
                    .help("add `topic: ...`; it is the event's title"),
                name,
            ));
            None
        }
    };
    let presenter = fields
        .presenter
        .as_ref()
        .and_then(|p| line(p, "presenter", name, findings));
    let mut items_ok = true;
    let mut list = |docs: &[Spanned<ItemDoc>], field: &str, findings: &mut Findings| -> Vec<Item> {
        docs.iter()
            .filter_map(|d| {
                let item = item(d, field, name, findings);
                items_ok &= item.is_some();
                item
            })
            .collect()
    };
    let prepare = list(&fields.prepare, "prepare", findings);
    let additional = list(&fields.additional, "additional", findings);
    let notes = list(&fields.notes, "notes", findings);
    let links = list(&fields.links, "links", findings);
    let reflection = fields
        .reflection
        .as_ref()
        .map(|r| item(r, "reflection", name, findings));
    let recording = fields
        .recording
        .as_ref()
        .map(|r| item(r, "recording", name, findings));
    let cancelled = match &fields.status {
        None => Some(false),
        Some(status) => {
            match status.value.trim() {
                "scheduled" => Some(false),
                "cancelled" | "canceled" => Some(true),
                other => {
                    findings.push(in_session(
                    Diagnostic::error("invalid-value", format!("`status` cannot be `{other}`"))
                        .at(at(status))
                        .label("expected scheduled or cancelled")
                        .help("write `status: cancelled` to cancel a session, or leave `status` out"),
                    name,
                ));
                    None
                }
            }
        }
    };
    let duration = match &fields.duration {
        Some(d) => text::duration(d, "duration", MAX_DURATION, name, findings),
        None => Some(calendar.duration),
    };
    let location = match &fields.location {
        Some(place) if load::is_url(&place.value) => {
            text::url(place, "location", name, findings).map(Some)
        }
        Some(place) => line(place, "location", name, findings).map(Some),
        None => Some(None),
    };
    let mut date = None;
    let when = match &fields.time {
        Some(time) => match time::halves(time, name, findings) {
            Some(halves) => {
                let context = Context {
                    labels: &calendar.zones,
                    year: calendar.year,
                    previous,
                    session: name,
                };
                let instant = time::judge(&halves, &context, findings);
                date = instant.map(|i| i.date);
                match (instant, duration) {
                    (Some(instant), Some(duration)) => {
                        let start = instant.at.with_timezone(&calendar.timezone);
                        Some(Some(When {
                            start,
                            end: start + duration,
                        }))
                    }
                    _ => None,
                }
            }
            None if is_undated(fields) => Some(None),
            None => None,
        },
        None => Some(None),
    };
    Some((
        Session {
            id: id?,
            topic: topic?,
            presenter,
            prepare,
            additional,
            reflection: reflection.flatten(),
            notes,
            recording: recording.flatten(),
            links,
            cancelled: cancelled?,
            when: when?,
            location: location?,
        },
        date,
    ))
    .filter(|_| items_ok)
}

/// A reading, note or link. A bare string's place is the item's own place.
fn item(
    doc: &Spanned<ItemDoc>,
    field: &str,
    session: Option<&str>,
    findings: &mut Findings,
) -> Option<Item> {
    let place = |value: &Spanned<String>| load::placed(value, doc);
    let fields = &doc.value;
    if fields.title.is_none() && fields.url.is_none() {
        findings.push(in_session(
            Diagnostic::error(
                "missing-field",
                format!("an item of `{field}` has neither `title` nor `url`"),
            )
            .at(at(doc))
            .label("empty item")
            .help("give the item a `title`, a `url`, or both"),
            session,
        ));
        return None;
    }
    let mut ok = true;
    let title = fields.title.as_ref().and_then(|t| {
        let value = line(&place(t), "title", session, findings);
        ok &= value.is_some();
        value
    });
    let url = fields.url.as_ref().and_then(|u| {
        let value = text::url(&place(u), field, session, findings);
        ok &= value.is_some();
        value
    });
    let note = fields.note.as_ref().and_then(|n| {
        let value = paragraph(&place(n), "note", session, findings);
        ok &= value.is_some();
        value
    });
    ok.then_some(Item { title, url, note })
}

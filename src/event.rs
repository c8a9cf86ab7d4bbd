//! Calendar events derived from a `Schedule`: UID, summary, instants and the text a member
//! reads. Shared by every renderer; knows nothing about iCalendar syntax or HTML pages.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::schedule::{Calendar, CancelledAs, Item, Schedule, Session};

#[derive(Clone, Debug)]
pub struct Event<'a> {
    pub session: &'a Session,
    /// `<session id>@<calendar id>`: independent of time, topic and text, so editing a
    /// session updates the subscriber's event instead of duplicating it.
    pub uid: String,
    pub summary: String,
    pub start: DateTime<Tz>,
    pub end: DateTime<Tz>,
    /// How a cancelled session is shown; `None` when it takes place.
    pub cancelled: Option<CancelledAs>,
    /// The join link or place.
    pub location: Option<&'a str>,
    /// The time in every published zone: `Mon Apr 15, 5:00pm PDT / Tue Apr 16, 8:00am BJT`.
    pub times: String,
    pub sections: Vec<Section<'a>>,
}

/// A titled part of the description: `Prepare`, `Notes`, ...
#[derive(Clone, Debug)]
pub struct Section<'a> {
    pub heading: &'static str,
    pub items: Vec<&'a Item>,
}

/// One event per dated session, in file order.
pub fn events(schedule: &Schedule) -> Vec<Event<'_>> {
    schedule
        .sessions
        .iter()
        .filter_map(|session| event(schedule, session))
        .collect()
}

pub(crate) fn uid(schedule: &Schedule, session: &Session) -> String {
    format!("{}@{}", session.id, schedule.calendar.id)
}

fn event<'a>(schedule: &'a Schedule, session: &'a Session) -> Option<Event<'a>> {
    let when = session.when.as_ref()?;
    let calendar = &schedule.calendar;
    let cancelled = session.cancelled.then_some(calendar.cancelled);
    let summary = if session.cancelled && !starts_with_cancelled(&session.topic) {
        format!("Cancelled: {}", session.topic)
    } else {
        session.topic.clone()
    };
    let times = calendar
        .published_zones()
        .into_iter()
        .map(|zone| time_in_zone(calendar, &when.start, zone))
        .collect::<Vec<_>>()
        .join(" / ");
    let mut sections = Vec::new();
    let mut add = |heading, items: Vec<&'a Item>| {
        if !items.is_empty() {
            sections.push(Section { heading, items });
        }
    };
    add("Prepare", session.prepare.iter().collect());
    add("Additional reading", session.additional.iter().collect());
    add("Pre-meetup reflection", session.reflection.iter().collect());
    add("Notes", session.notes.iter().collect());
    add("Recording", session.recording.iter().collect());
    add("Links", session.links.iter().collect());
    Some(Event {
        session,
        uid: uid(schedule, session),
        summary,
        start: when.start,
        end: when.end,
        cancelled,
        location: session.location.as_deref().or(calendar.meeting.as_deref()),
        times,
        sections,
    })
}

/// `Mon Apr 15, 5:00pm PDT`: the start as it reads in `zone`, with the schedule's label.
pub fn time_in_zone(calendar: &Calendar, start: &DateTime<Tz>, zone: Tz) -> String {
    let local = start.with_timezone(&zone);
    format!(
        "{}, {} {}",
        local.format("%a %b %-d"),
        crate::published::clock_text(local.time(), true),
        calendar.label_at(&local)
    )
}

fn starts_with_cancelled(topic: &str) -> bool {
    let lower = topic.to_lowercase();
    lower.starts_with("cancelled") || lower.starts_with("canceled")
}

impl Event<'_> {
    pub fn start_utc(&self) -> DateTime<Utc> {
        self.start.with_timezone(&Utc)
    }

    /// The join link, when the location is one.
    pub fn join_url(&self) -> Option<&str> {
        self.location.filter(|l| crate::load::is_url(l))
    }

    /// The plain-text description: every URL on its own line, so Google and Apple make it
    /// clickable.
    pub fn description(&self) -> String {
        let mut text = String::with_capacity(1024);
        if self.cancelled.is_some() {
            text.push_str("This session is cancelled.\n\n");
        }
        text.push_str(&self.times);
        text.push('\n');
        if let Some(location) = self.location {
            let lead = if self.join_url().is_some() {
                "\nJoin:\n"
            } else {
                "\nWhere: "
            };
            text.extend([lead, location, "\n"]);
        }
        if let Some(presenter) = &self.session.presenter {
            text.extend(["\nPresenter: ", presenter, "\n"]);
        }
        for section in &self.sections {
            text.extend(["\n", section.heading, ":\n"]);
            for item in &section.items {
                text.push_str("- ");
                text.push_str(
                    item.title
                        .as_deref()
                        .unwrap_or(item.url.as_deref().unwrap_or("")),
                );
                if let Some(note) = &item.note {
                    text.extend([" (", note, ")"]);
                }
                text.push('\n');
                if let (Some(url), Some(_)) = (&item.url, &item.title) {
                    text.push_str(url);
                    text.push('\n');
                }
            }
        }
        text.truncate(text.trim_end().len());
        text
    }

    /// The same description as HTML with clickable links, for Outlook (X-ALT-DESC).
    pub fn description_html(&self) -> String {
        let mut html = String::with_capacity(2048);
        html.push_str("<html><body>");
        if self.cancelled.is_some() {
            html.push_str("<p><b>This session is cancelled.</b></p>");
        }
        html.extend(["<p>", &escape_html(&self.times), "</p>"]);
        if let Some(location) = self.location {
            match self.join_url() {
                Some(url) => html.extend(["<p>Join: ", &link(url, url), "</p>"]),
                None => html.extend(["<p>Where: ", &escape_html(location), "</p>"]),
            }
        }
        if let Some(presenter) = &self.session.presenter {
            html.extend(["<p>Presenter: ", &escape_html(presenter), "</p>"]);
        }
        for section in &self.sections {
            html.extend(["<p><b>", section.heading, "</b></p><ul>"]);
            for item in &section.items {
                let title = item.title.as_deref().or(item.url.as_deref()).unwrap_or("");
                html.push_str("<li>");
                match &item.url {
                    Some(url) => html.push_str(&link(url, title)),
                    None => html.push_str(&escape_html(title)),
                }
                if let Some(note) = &item.note {
                    html.extend([" (", &escape_html(note), ")"]);
                }
                html.push_str("</li>");
            }
            html.push_str("</ul>");
        }
        html.push_str("</body></html>");
        html
    }
}

fn link(url: &str, text: &str) -> String {
    format!("<a href=\"{}\">{}</a>", escape_html(url), escape_html(text))
}

/// Escapes text for HTML content and double-quoted attributes: the page's one escape
/// function, so the feed's HTML description and the page escape alike.
pub use crate::html::escape as escape_html;

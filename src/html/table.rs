//! The schedule table: one row per session, dated ones first in feed order, then the topics
//! without a date. Each row carries its instants (`data-start`, `data-end`) for the page's
//! script, which marks past sessions and builds the next-session card from the row's cells.

use chrono::Utc;

use super::{Addresses, escape_attribute, escape_text, instant, links, row_id, session_file};
use crate::event::{self, Event};
use crate::schedule::{Item, Schedule, Session};

/// A column of times in one published zone.
struct ZoneColumn {
    zone: chrono_tz::Tz,
    /// `PST/PDT`, or the zone's name when the schedule gives it no label.
    short: String,
}

fn zone_columns(schedule: &Schedule) -> Vec<ZoneColumn> {
    let calendar = &schedule.calendar;
    calendar
        .published_zones()
        .into_iter()
        .map(|zone| {
            let labels: Vec<&str> = calendar
                .zones
                .iter()
                .filter(|label| label.zone == zone)
                .map(|label| label.label.as_str())
                .collect();
            let short = if labels.is_empty() {
                zone.name().to_owned()
            } else {
                labels.join("/")
            };
            ZoneColumn { zone, short }
        })
        .collect()
}

pub(super) fn table(
    html: &mut String,
    schedule: &Schedule,
    events: &[Event],
    addresses: &Addresses,
) {
    let columns = zone_columns(schedule);
    let zones = columns
        .iter()
        .map(|c| escape_text(&c.short))
        .collect::<Vec<_>>()
        .join(", ");
    html.push_str("<section id=\"schedule\" aria-labelledby=\"schedule-title\">\n");
    html.push_str("<h2 id=\"schedule-title\">Schedule</h2>\n");
    html.push_str("<table role=\"table\">\n");
    html.push_str(&format!(
        "<caption>Every session of {}, with its time in {zones} and in your own time zone. \
         Cancelled sessions are struck through and marked \u{201c}Cancelled\u{201d}.</caption>\n",
        escape_text(&schedule.calendar.name)
    ));
    html.push_str("<thead role=\"rowgroup\"><tr role=\"row\">");
    for column in &columns {
        html.push_str(&format!(
            "<th scope=\"col\" role=\"columnheader\">{} <span class=\"zone-name\">{}</span></th>",
            escape_text(&column.short),
            escape_text(column.zone.name())
        ));
    }
    html.push_str(
        "<th scope=\"col\" role=\"columnheader\" id=\"reader-zone\">Your time</th>\
         <th scope=\"col\" role=\"columnheader\">Topic</th>\
         <th scope=\"col\" role=\"columnheader\">Presenter</th>\
         <th scope=\"col\" role=\"columnheader\">Readings</th>\
         <th scope=\"col\" role=\"columnheader\">Notes and recordings</th>\
         <th scope=\"col\" role=\"columnheader\" class=\"add\">Add to calendar</th></tr></thead>\n",
    );
    html.push_str("<tbody role=\"rowgroup\">\n");
    for event in events {
        dated_row(html, schedule, event, &columns, addresses);
    }
    html.push_str("</tbody>\n");
    let undated: Vec<&Session> = schedule.sessions.iter().filter(|s| !s.is_dated()).collect();
    if !undated.is_empty() {
        html.push_str(&format!(
            "<tbody role=\"rowgroup\" class=\"undated\">\n<tr role=\"row\" class=\"group\">\
             <th scope=\"rowgroup\" role=\"rowheader\" colspan=\"{}\">Not yet scheduled</th></tr>\n",
            columns.len() + 6
        ));
        for session in undated {
            undated_row(html, session, columns.len());
        }
        html.push_str("</tbody>\n");
    }
    html.push_str("</table>\n</section>\n");
}

fn dated_row(
    html: &mut String,
    schedule: &Schedule,
    event: &Event,
    columns: &[ZoneColumn],
    addresses: &Addresses,
) {
    let session = event.session;
    let cancelled = event.cancelled.is_some();
    let strike = |text: String| {
        if cancelled {
            format!("<s>{text}</s>")
        } else {
            text
        }
    };
    html.push_str(&format!(
        "<tr role=\"row\" id=\"{}\" data-start=\"{}\" data-end=\"{}\"{}>",
        escape_attribute(&row_id(&session.id)),
        instant(event.start_utc()),
        instant(event.end.with_timezone(&Utc)),
        if cancelled {
            " class=\"cancelled\""
        } else {
            ""
        }
    ));
    for column in columns {
        let time = event::time_in_zone(&schedule.calendar, &event.start, column.zone);
        html.push_str(&format!(
            "<td role=\"cell\" class=\"time\" data-label=\"{}\">{}</td>",
            escape_attribute(&column.short),
            strike(escape_text(&time))
        ));
    }
    let start = instant(event.start_utc());
    html.push_str(&format!(
        "<td role=\"cell\" class=\"time reader\" data-label=\"Your time\">{}</td>",
        strike(format!(
            "<time class=\"reader\" datetime=\"{start}\">{}</time>",
            event.start_utc().format("%Y-%m-%d %H:%M UTC")
        ))
    ));
    html.push_str("<th scope=\"row\" role=\"rowheader\">");
    let topic = escape_text(&session.topic);
    if !cancelled {
        html.push_str(&format!("<span class=\"topic\">{topic}</span>"));
    } else if event.summary == session.topic {
        // The topic already says it is cancelled ("Cancelled"); say it once.
        html.push_str(&format!(
            "<strong class=\"topic badge badge-cancelled\">{topic}</strong>"
        ));
    } else {
        html.push_str(&format!(
            "<s class=\"topic\">{topic}</s> <strong class=\"badge badge-cancelled\">Cancelled</strong>"
        ));
    }
    if let Some(location) = session.location.as_deref() {
        match event.join_url() {
            Some(url) => html.push_str(&format!(
                "<br><a class=\"join\" href=\"{}\">Join {topic}</a>",
                escape_attribute(url)
            )),
            None => html.push_str(&format!(
                "<br><span class=\"where\">Where: {}</span>",
                escape_text(location)
            )),
        }
    }
    html.push_str("</th>");
    details(html, session);
    html.push_str("<td role=\"cell\" class=\"add\" data-label=\"Add to calendar\">");
    if !cancelled {
        html.push_str(&format!(
            "<ul><li><a href=\"{}\">Add to calendar (.ics)<span class=\"vh\">: {topic}</span></a></li>\
             <li><a href=\"{}\">Add to Google Calendar<span class=\"vh\">: {topic}</span></a></li></ul>",
            escape_attribute(&session_file(&session.id)),
            escape_attribute(&links::google_event(event, addresses.page.as_deref())),
        ));
    }
    html.push_str("</td></tr>\n");
}

fn undated_row(html: &mut String, session: &Session, zones: usize) {
    html.push_str(&format!(
        "<tr role=\"row\" id=\"{}\" class=\"tbd\"><td role=\"cell\" colspan=\"{}\" data-label=\"When\">\
         Date to be announced</td><th scope=\"row\" role=\"rowheader\"><span class=\"topic\">{}</span></th>",
        escape_attribute(&row_id(&session.id)),
        zones + 1,
        escape_text(&session.topic)
    ));
    details(html, session);
    html.push_str("<td role=\"cell\" class=\"add\" data-label=\"Add to calendar\"></td></tr>\n");
}

/// Presenter, readings, and notes and recordings: the cells every row has.
fn details(html: &mut String, session: &Session) {
    html.push_str(&format!(
        "<td role=\"cell\" class=\"presenter\" data-label=\"Presenter\">{}</td>",
        session
            .presenter
            .as_deref()
            .map(escape_text)
            .unwrap_or_default()
    ));
    let reflection: Vec<&Item> = session.reflection.iter().collect();
    let recording: Vec<&Item> = session.recording.iter().collect();
    let readings = [
        Group::new(
            "Prepare",
            "prepare",
            "Reading for",
            session.prepare.iter().collect(),
        ),
        Group::new(
            "Additional reading",
            "additional",
            "Additional reading for",
            session.additional.iter().collect(),
        ),
        Group::new(
            "Pre-meetup reflection",
            "reflection",
            "Reflection for",
            reflection,
        ),
    ];
    let notes = [
        Group::new(
            "Notes",
            "notes",
            "Notes for",
            session.notes.iter().collect(),
        ),
        Group::new("Recording", "recording", "Recording of", recording),
        Group::new("Links", "links", "Link for", session.links.iter().collect()),
    ];
    for (label, class, groups) in [
        ("Readings", "readings", &readings),
        ("Notes and recordings", "notes", &notes),
    ] {
        html.push_str(&format!(
            "<td role=\"cell\" class=\"{class}\" data-label=\"{label}\">"
        ));
        for group in groups.iter().filter(|g| !g.items.is_empty()) {
            group.render(html, &session.topic);
        }
        html.push_str("</td>");
    }
}

/// Items under one heading, e.g. the readings to prepare.
struct Group<'a> {
    heading: &'static str,
    /// The group's class, by which the page's script finds what to prepare and the recording.
    class: &'static str,
    /// Link text for an item with no title, before the topic: "Recording of".
    untitled: &'static str,
    items: Vec<&'a Item>,
}

impl<'a> Group<'a> {
    fn new(
        heading: &'static str,
        class: &'static str,
        untitled: &'static str,
        items: Vec<&'a Item>,
    ) -> Self {
        Group {
            heading,
            class,
            untitled,
            items,
        }
    }

    fn render(&self, html: &mut String, topic: &str) {
        html.push_str(&format!(
            "<div class=\"group {}\"><p class=\"group-title\">{}</p><ul>",
            self.class, self.heading
        ));
        let several = self.items.len() > 1;
        for (index, item) in self.items.iter().enumerate() {
            // A bare URL says nothing about where it leads; name it by its session instead.
            let text = match &item.title {
                Some(title) => escape_text(title),
                None if several => {
                    escape_text(&format!("{} {topic} ({})", self.untitled, index + 1))
                }
                None => escape_text(&format!("{} {topic}", self.untitled)),
            };
            html.push_str("<li>");
            match &item.url {
                Some(url) => {
                    html.push_str(&format!("<a href=\"{}\">{text}</a>", escape_attribute(url)));
                }
                None => html.push_str(&text),
            }
            if let Some(note) = &item.note {
                html.push_str(&format!(
                    " <span class=\"note\">({})</span>",
                    escape_text(note)
                ));
            }
            html.push_str("</li>");
        }
        html.push_str("</ul></div>");
    }
}

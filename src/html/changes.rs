//! "What changed": the changes the latest publication made to subscribers' calendars, one
//! line an event, as `diff` finds them against the feed it replaced.

use chrono::{DateTime, Utc};

use super::{escape_attribute, escape_text, row_id};
use crate::event;
use crate::ics::changes::{Change, Kind};
use crate::schedule::Schedule;

/// At most this many lines; the rest are counted. A long list is a rewrite, not news.
const SHOWN: usize = 8;

pub(super) fn section(
    html: &mut String,
    schedule: &Schedule,
    changes: &[Change],
    on: DateTime<Utc>,
) {
    if changes.is_empty() {
        return;
    }
    html.push_str(&format!(
        "<section id=\"changes\" aria-labelledby=\"changes-title\">\n\
         <h2 id=\"changes-title\">What changed on {}</h2>\n<ul>",
        on.format("%b %-d, %Y")
    ));
    for change in changes.iter().take(SHOWN) {
        html.push_str("<li>");
        line(html, schedule, change);
        html.push_str("</li>");
    }
    html.push_str("</ul>\n");
    if changes.len() > SHOWN {
        html.push_str(&format!(
            "<p>And {} more changes.</p>\n",
            changes.len() - SHOWN
        ));
    }
    html.push_str("</section>\n");
}

/// `Moved: Topic, now Mon Apr 22, 5:00pm PDT / ... (was Mon Apr 15, ...)`.
fn line(html: &mut String, schedule: &Schedule, change: &Change) {
    let kinds: Vec<&str> = change.kinds.iter().map(|kind| kind.name()).collect();
    let mut what = kinds.join(", ");
    if let Some(first) = what.get(..1) {
        what = first.to_uppercase() + &what[1..];
    }
    let session = change
        .uid
        .rsplit_once('@')
        .map_or(change.uid.as_str(), |(id, _)| id);
    let title = escape_text(&change.title);
    html.push_str(&format!("<strong>{what}:</strong> "));
    if change.kinds.contains(&Kind::Removed) {
        html.push_str(&title);
    } else {
        html.push_str(&format!(
            "<a href=\"#{}\">{title}</a>",
            escape_attribute(&row_id(session))
        ));
    }
    if let Some(old) = &change.old_title {
        html.push_str(&format!(" (was \u{201c}{}\u{201d})", escape_text(old)));
    }
    let when = |at: DateTime<Utc>| escape_text(&event::published_times(&schedule.calendar, at));
    match (change.before, change.after) {
        (Some(before), Some(after)) if change.kinds.contains(&Kind::Moved) => {
            html.push_str(&format!(", now {} (was {})", when(after), when(before)));
        }
        (_, Some(at)) | (Some(at), None) => html.push_str(&format!(", {}", when(at))),
        (None, None) => {}
    }
}

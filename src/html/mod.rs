//! The schedule page: one self-contained HTML document built from derived events. Its CSS
//! and script are inline and allowed by their hashes in the page's Content-Security-Policy,
//! so it loads nothing from anywhere. Owns HTML escaping: one function for text, one for
//! attribute values.
//!
//! Never reads the clock and does no time arithmetic: times come formatted from `event`,
//! and which sessions are past and which is next is decided by the script in the reader's
//! browser, so the same schedule always gives the same page.

mod links;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::event::{self, Event};
use crate::schedule::{Item, Schedule, Session};

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// The feed's file name, beside the page.
pub(crate) const FEED_FILE: &str = "schedule.ics";

/// `sessions/<id>.ics`: a session's own calendar file, relative to the page.
pub(crate) fn session_file(id: &str) -> String {
    format!("sessions/{id}.ics")
}

/// Where the page's links point.
#[derive(Clone, Debug)]
pub(crate) struct Addresses {
    /// The feed's public http(s) URL; without it the page can offer no subscription.
    pub(crate) feed: Option<String>,
    /// The page's own public URL, which events added from Google's template link back to.
    pub(crate) page: Option<String>,
    /// The plain .ics download: the feed file beside the page, or the feed's address.
    pub(crate) download: String,
}

/// Escapes text for HTML content; a line break becomes `<br>`. Every string from the
/// schedule shown as text goes through here.
pub(crate) fn escape_text(text: &str) -> String {
    escape(text, "<br>")
}

/// Escapes text for a double-quoted attribute value: never markup, so a line break stays a
/// line break (`&#10;`). Every string from the schedule in an attribute goes through here.
pub(crate) fn escape_attribute(text: &str) -> String {
    escape(text, "&#10;")
}

fn escape(text: &str, newline: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    // Every character replaced is ASCII, so runs between them are copied whole.
    let mut run = 0;
    for (at, byte) in text.bytes().enumerate() {
        let replacement = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            b'\n' => newline,
            _ => continue,
        };
        out.push_str(&text[run..at]);
        out.push_str(replacement);
        run = at + 1;
    }
    out.push_str(&text[run..]);
    out
}

/// The whole page.
pub(crate) fn render(schedule: &Schedule, events: &[Event], addresses: &Addresses) -> String {
    let calendar = &schedule.calendar;
    let name = escape_text(&calendar.name);
    let name_attribute = escape_attribute(&calendar.name);
    let mut html = String::new();
    html.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html.push_str(&format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n",
        content_security_policy()
    ));
    html.push_str(&format!("<title>{name}</title>\n"));
    if let Some(description) = &calendar.description {
        html.push_str(&format!(
            "<meta name=\"description\" content=\"{}\">\n",
            escape_attribute(description)
        ));
    }
    html.push_str(&format!(
        "<link rel=\"alternate\" type=\"text/calendar\" title=\"{name_attribute}\" href=\"{}\">\n",
        escape_attribute(addresses.feed.as_deref().unwrap_or(&addresses.download))
    ));
    html.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));
    header(&mut html, schedule);
    html.push_str("<main>\n");
    table(&mut html, schedule, events, addresses);
    subscribe(&mut html, schedule, addresses);
    html.push_str("</main>\n");
    html.push_str(
        "<footer>\n<p>Times in the \u{201c}Your time\u{201d} column, and which session is next, \
         are worked out by your browser from each session\u{2019}s instant.</p>\n</footer>\n",
    );
    html.push_str(&format!("<script>{SCRIPT}</script>\n</body>\n</html>\n"));
    html
}

/// Only the page's own inline style and script may run; nothing may be fetched.
fn content_security_policy() -> String {
    format!(
        "default-src 'none'; style-src '{}'; script-src '{}'; base-uri 'none'; form-action 'none'",
        sha256(STYLE),
        sha256(SCRIPT)
    )
}

/// `sha256-<base64>`: a CSP source that allows exactly this inline text.
fn sha256(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// `s-<id>`: the row's fragment, so a session can be linked to.
fn row_id(id: &str) -> String {
    format!("s-{id}")
}

fn header(html: &mut String, schedule: &Schedule) {
    let calendar = &schedule.calendar;
    html.push_str(&format!(
        "<header>\n<h1>{}</h1>\n",
        escape_text(&calendar.name)
    ));
    if let Some(description) = &calendar.description {
        html.push_str(&format!("<p>{}</p>\n", escape_text(description)));
    }
    if let Some(meeting) = &calendar.meeting {
        if crate::load::is_url(meeting) {
            html.push_str(&format!(
                "<p>Sessions meet online: <a href=\"{}\">join the meeting of {}</a>.</p>\n",
                escape_attribute(meeting),
                escape_text(&calendar.name)
            ));
        } else {
            html.push_str(&format!(
                "<p>Sessions meet at {}.</p>\n",
                escape_text(meeting)
            ));
        }
    }
    html.push_str("<p id=\"next-session\" class=\"status\" role=\"status\" hidden></p>\n");
    html.push_str(
        "<nav aria-label=\"On this page\"><ul>\
         <li><a href=\"#schedule\">Schedule</a></li>\
         <li><a href=\"#subscribe\">Subscribe to the calendar</a></li></ul></nav>\n</header>\n",
    );
}

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

fn table(html: &mut String, schedule: &Schedule, events: &[Event], addresses: &Addresses) {
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
                "<br><a href=\"{}\">Join {topic}</a>",
                escape_attribute(url)
            )),
            None => html.push_str(&format!("<br>Where: {}", escape_text(location))),
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
        "<td role=\"cell\" data-label=\"Presenter\">{}</td>",
        session
            .presenter
            .as_deref()
            .map(escape_text)
            .unwrap_or_default()
    ));
    let reflection: Vec<&Item> = session.reflection.iter().collect();
    let recording: Vec<&Item> = session.recording.iter().collect();
    let readings = [
        Group::new("Prepare", "Reading for", session.prepare.iter().collect()),
        Group::new(
            "Additional reading",
            "Additional reading for",
            session.additional.iter().collect(),
        ),
        Group::new("Pre-meetup reflection", "Reflection for", reflection),
    ];
    let notes = [
        Group::new("Notes", "Notes for", session.notes.iter().collect()),
        Group::new("Recording", "Recording of", recording),
        Group::new("Links", "Link for", session.links.iter().collect()),
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
    /// Link text for an item with no title, before the topic: "Recording of".
    untitled: &'static str,
    items: Vec<&'a Item>,
}

impl<'a> Group<'a> {
    fn new(heading: &'static str, untitled: &'static str, items: Vec<&'a Item>) -> Self {
        Group {
            heading,
            untitled,
            items,
        }
    }

    fn render(&self, html: &mut String, topic: &str) {
        html.push_str(&format!(
            "<p class=\"group-title\">{}</p><ul>",
            self.heading
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
        html.push_str("</ul>");
    }
}

fn subscribe(html: &mut String, schedule: &Schedule, addresses: &Addresses) {
    let name = &schedule.calendar.name;
    html.push_str("<section id=\"subscribe\" aria-labelledby=\"subscribe-title\">\n");
    html.push_str("<h2 id=\"subscribe-title\">Subscribe to the calendar</h2>\n");
    let Some(feed) = addresses.feed.as_deref() else {
        html.push_str(&format!(
            "<p>Subscribing needs the calendar\u{2019}s public address, and this page was built \
             without one, so there are no subscribe links yet. Until then, \
             <a href=\"{}\">download the whole schedule (.ics)</a> to import it once; \
             imported events do not update when the schedule changes.</p>\n\
             <p class=\"organizer\">For organizers: build the page with \
             <code>--feed-url</code> set to the address the feed is served from, or use \
             <code>syllabus-ics publish --base-url</code>.</p>\n</section>\n",
            escape_attribute(&addresses.download)
        ));
        return;
    };
    let feed_attr = escape_attribute(feed);
    html.push_str(
        "<p>Subscribe once, and every change to the schedule \u{2014} a moved session, a \
         cancellation, a new reading \u{2014} reaches your calendar by itself.</p>\n",
    );
    html.push_str(&format!(
        "<div class=\"feed\"><label for=\"feed-url\">Calendar address</label>\
         <div class=\"copy\"><input id=\"feed-url\" type=\"url\" readonly value=\"{feed_attr}\">\
         <button type=\"button\" id=\"copy-feed\" hidden>Copy address</button></div>\
         <p id=\"copy-status\" role=\"status\"></p></div>\n"
    ));
    html.push_str(&format!(
        "<h3>Google Calendar</h3>\n\
         <p><a class=\"button\" href=\"{}\">Subscribe in Google Calendar</a></p>\n\
         <p>Or by hand, on calendar.google.com on a computer:</p>\n\
         <ol><li>Next to \u{201c}Other calendars\u{201d}, select <b>+</b>, then <b>From URL</b>.</li>\
         <li>Paste the calendar address above.</li><li>Select <b>Add calendar</b>.</li></ol>\n\
         <p class=\"refresh\">Google picks up changes every few hours, sometimes only after a day.</p>\n",
        escape_attribute(&links::google_subscribe(feed))
    ));
    html.push_str(&format!(
        "<h3>Apple Calendar, and Outlook on the desktop</h3>\n\
         <p><a class=\"button\" href=\"{}\">Subscribe in Apple Calendar or desktop Outlook</a></p>\n\
         <p>On a Mac you can also choose File \u{2192} New Calendar Subscription and paste the \
         address; on an iPhone, Settings \u{2192} Calendar \u{2192} Accounts \u{2192} Add Account \
         \u{2192} Other \u{2192} Add Subscribed Calendar.</p>\n\
         <p class=\"refresh\">Apple Calendar checks as often as the subscription is set to: \
         choose Auto-refresh every hour.</p>\n",
        escape_attribute(&links::webcal(feed))
    ));
    html.push_str(&format!(
        "<h3>Outlook on the web</h3>\n\
         <p><a class=\"button\" href=\"{}\">Subscribe in Outlook.com</a> \
         <a class=\"button\" href=\"{}\">Subscribe in Outlook for work or school (Microsoft 365)</a></p>\n\
         <p>Or by hand: Add calendar \u{2192} Subscribe from web \u{2192} paste the address.</p>\n\
         <p class=\"refresh\">Outlook picks up changes every few hours.</p>\n",
        escape_attribute(&links::outlook_subscribe("outlook.live.com", feed, name)),
        escape_attribute(&links::outlook_subscribe("outlook.office.com", feed, name)),
    ));
    html.push_str(&format!(
        "<h3>Just the file</h3>\n\
         <p><a href=\"{}\">Download the whole schedule (.ics)</a> to import it once. Imported \
         events do not update when the schedule changes; each session\u{2019}s own file is in \
         the table\u{2019}s \u{201c}Add to calendar\u{201d} column.</p>\n</section>\n",
        escape_attribute(&addresses.download)
    ));
}

/// `2024-04-16T00:00:00Z`: the instant as the script and `<time datetime>` read it.
fn instant(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn page_of(yaml: &str, addresses: &Addresses) -> String {
        let source = SourceFile::new("schedule.yaml".to_owned(), yaml.to_owned());
        let schedule = crate::check(&source).schedule.expect("a valid schedule");
        render(&schedule, &event::events(&schedule), addresses)
    }

    /// The page between `<main>` and `</main>`: what differs from schedule to schedule.
    fn main_of(page: &str) -> &str {
        let start = page.find("<main>").expect("a <main>");
        let end = page.find("</main>").expect("a </main>");
        &page[start..end + "</main>".len()]
    }

    #[test]
    fn a_tiny_schedule_gives_its_table_and_every_way_to_subscribe() {
        let page = page_of(
            include_str!("../../tests/fixtures/minimal.yaml"),
            &Addresses {
                feed: Some("https://owner.github.io/reading/schedule.ics".to_owned()),
                page: Some("https://owner.github.io/reading/".to_owned()),
                download: FEED_FILE.to_owned(),
            },
        );
        insta::assert_snapshot!(main_of(&page));
    }

    #[test]
    fn without_a_feed_address_the_page_says_what_is_missing() {
        let page = page_of(
            include_str!("../../tests/fixtures/minimal.yaml"),
            &Addresses {
                feed: None,
                page: None,
                download: FEED_FILE.to_owned(),
            },
        );
        let subscribe =
            &main_of(&page)[main_of(&page).find("<section id=\"subscribe\"").unwrap()..];
        insta::assert_snapshot!(subscribe);
    }

    #[test]
    fn escape_covers_markup_quotes_and_line_breaks() {
        assert_eq!(
            escape_text("<a href=\"x\" title='y'>Q&A</a>\nnext"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Q&amp;A&lt;/a&gt;<br>next"
        );
    }

    #[test]
    fn an_attribute_value_keeps_its_line_break_without_markup() {
        assert_eq!(
            escape_attribute("first line\n<second> \"line\""),
            "first line&#10;&lt;second&gt; &quot;line&quot;"
        );
    }

    #[test]
    fn a_description_over_two_lines_gives_a_meta_description_without_markup() {
        let yaml = include_str!("../../tests/fixtures/minimal.yaml").replace(
            "  year: 2024\n",
            "  year: 2024\n  description: |\n    first line\n    second line\n",
        );
        let addresses = Addresses {
            feed: None,
            page: None,
            download: FEED_FILE.to_owned(),
        };
        let page = page_of(&yaml, &addresses);
        assert!(
            page.contains("<meta name=\"description\" content=\"first line&#10;second line\">"),
            "{page}"
        );
        assert!(page.contains("<p>first line<br>second line</p>"), "{page}");
    }

    #[test]
    fn the_policy_allows_exactly_the_inline_style_and_script() {
        let policy = content_security_policy();
        assert!(policy.starts_with("default-src 'none'; style-src 'sha256-"));
        assert!(policy.contains(&format!("script-src '{}'", sha256(SCRIPT))));
        // The empty string's SHA-256, as every CSP implementation computes it.
        assert_eq!(
            sha256(""),
            "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
    }
}

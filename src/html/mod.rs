//! The schedule page: one self-contained HTML document built from derived events. Its CSS
//! and script are inline and allowed by their hashes in the page's Content-Security-Policy,
//! so it loads nothing from anywhere. Every string from the schedule goes through `markup`'s
//! escaping.
//!
//! Never reads the clock and does no time arithmetic: times come formatted from `event`,
//! and which sessions are past and which is next is decided by the script in the reader's
//! browser, so the same schedule always gives the same page.

mod changes;
mod links;
mod subscribe;
mod table;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::event::Event;
use crate::ics::changes::Change;
pub(crate) use crate::markup::{escape_attribute, escape_text};
use crate::schedule::Schedule;

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// The feed's file name, beside the page.
pub(crate) const FEED_FILE: &str = "schedule.ics";

/// The directory of the sessions' own calendar files, beside the page.
pub(crate) const SESSIONS_DIR: &str = "sessions";

/// `sessions/<id>.ics`: a session's own calendar file, relative to the page.
pub(crate) fn session_file(id: &str) -> String {
    format!("{SESSIONS_DIR}/{id}.ics")
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

/// What the page knows of its publication: when it was built, which is the instant link
/// previews call "now" (they run no script), and what that publication changed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Publication<'a> {
    /// SOURCE_DATE_EPOCH, or the schedule's own stamp: never the clock, so the same input
    /// gives the same page.
    pub(crate) on: DateTime<Utc>,
    /// The changes against the feed subscribers had before (`publish --previous`).
    pub(crate) changes: &'a [Change],
}

/// The whole page.
pub(crate) fn render(
    schedule: &Schedule,
    events: &[Event],
    addresses: &Addresses,
    publication: Publication,
) -> String {
    let calendar = &schedule.calendar;
    let name = escape_text(&calendar.name);
    let mut html = String::new();
    html.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html.push_str("<meta name=\"color-scheme\" content=\"light dark\">\n");
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
    preview(&mut html, schedule, events, addresses, publication.on);
    html.push_str(&format!(
        "<link rel=\"alternate\" type=\"text/calendar\" title=\"{}\" href=\"{}\">\n",
        escape_attribute(&calendar.name),
        escape_attribute(addresses.feed.as_deref().unwrap_or(&addresses.download))
    ));
    html.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));
    header(&mut html, schedule, addresses);
    html.push_str("<main>\n");
    changes::section(&mut html, schedule, publication.changes, publication.on);
    table::table(&mut html, schedule, events, addresses);
    subscribe::section(&mut html, schedule, addresses);
    html.push_str("</main>\n");
    html.push_str(
        "<footer>\n<p>Times in the \u{201c}Your time\u{201d} column, and which session is next, \
         are worked out by your browser from each session\u{2019}s instant.</p>\n</footer>\n",
    );
    html.push_str(&format!("<script>{SCRIPT}</script>\n</body>\n</html>\n"));
    html
}

/// Open Graph tags, for the preview a chat app shows of a pasted link: the group's name,
/// and the next session as of the publication, since a preview runs no script.
fn preview(
    html: &mut String,
    schedule: &Schedule,
    events: &[Event],
    addresses: &Addresses,
    on: DateTime<Utc>,
) {
    let calendar = &schedule.calendar;
    let next = events
        .iter()
        .filter(|event| event.cancelled.is_none() && event.end.with_timezone(&Utc) > on)
        .min_by_key(|event| event.start_utc());
    let mut description = calendar.description.clone().unwrap_or_default();
    if let Some(next) = next {
        if !description.is_empty() {
            description.push(' ');
        }
        description.push_str(&format!(
            "Next session: {}, {}.",
            next.session.topic, next.times
        ));
    }
    html.push_str("<meta property=\"og:type\" content=\"website\">\n");
    html.push_str(&format!(
        "<meta property=\"og:title\" content=\"{}\">\n",
        escape_attribute(&calendar.name)
    ));
    if !description.is_empty() {
        html.push_str(&format!(
            "<meta property=\"og:description\" content=\"{}\">\n",
            escape_attribute(&description)
        ));
    }
    if let Some(page) = &addresses.page {
        html.push_str(&format!(
            "<meta property=\"og:url\" content=\"{}\">\n",
            escape_attribute(page)
        ));
    }
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
pub(super) fn row_id(id: &str) -> String {
    format!("s-{id}")
}

/// The first screen: the title, the next session's card (filled in by the script, which
/// knows the time), the subscribe bar and where sessions meet.
fn header(html: &mut String, schedule: &Schedule, addresses: &Addresses) {
    let calendar = &schedule.calendar;
    html.push_str(&format!(
        "<header>\n<h1>{}</h1>\n",
        escape_text(&calendar.name)
    ));
    if let Some(description) = &calendar.description {
        html.push_str(&format!(
            "<p class=\"lede\">{}</p>\n",
            escape_text(description)
        ));
    }
    html.push_str(
        "<section id=\"next\" class=\"card\" aria-labelledby=\"next-title\" hidden>\
         <h2 id=\"next-title\">Next session</h2><div id=\"next-body\"></div></section>\n",
    );
    subscribe::bar(html, schedule, addresses);
    if let Some(meeting) = &calendar.meeting {
        if crate::load::is_url(meeting) {
            html.push_str(&format!(
                "<p class=\"meeting\">Sessions meet online: <a id=\"meeting\" href=\"{}\">join the \
                 meeting of {}</a>.</p>\n",
                escape_attribute(meeting),
                escape_text(&calendar.name)
            ));
        } else {
            html.push_str(&format!(
                "<p class=\"meeting\">Sessions meet at {}.</p>\n",
                escape_text(meeting)
            ));
        }
    }
    html.push_str(
        "<nav aria-label=\"On this page\"><ul>\
         <li><a href=\"#schedule\">Schedule</a></li>\
         <li><a href=\"#subscribe\">Every way to subscribe</a></li></ul></nav>\n</header>\n",
    );
}

/// `2024-04-16T00:00:00Z`: the instant as the script and `<time datetime>` read it.
pub(super) fn instant(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn page_of(yaml: &str, addresses: &Addresses) -> String {
        let source = SourceFile::new("schedule.yaml".to_owned(), yaml.to_owned());
        let schedule = crate::check(&source).schedule.expect("a valid schedule");
        let publication = Publication {
            on: DateTime::UNIX_EPOCH,
            changes: &[],
        };
        render(
            &schedule,
            &crate::event::events(&schedule),
            addresses,
            publication,
        )
    }

    /// The page's body without its script: what differs from schedule to schedule.
    fn main_of(page: &str) -> &str {
        let start = page.find("<body>").expect("a <body>");
        let end = page.find("<script>").expect("a <script>");
        &page[start..end]
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
        assert!(
            page.contains("<p class=\"lede\">first line<br>second line</p>"),
            "{page}"
        );
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

//! The addresses the page links to: subscribe links for each calendar client, and Google
//! Calendar's event template for one session. Builds URL text only; knows nothing of HTML.

use chrono::{DateTime, Utc};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::event::Event;

/// What a query value may keep unencoded: RFC 3986's unreserved characters.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A query value, percent-encoded.
pub(crate) fn encode(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// `webcal://host/path`: the feed URL that Apple Calendar and desktop Outlook open as a
/// subscription rather than a download.
pub(crate) fn webcal(feed: &str) -> String {
    let rest = ["https://", "http://"]
        .iter()
        .find_map(|scheme| {
            feed.get(..scheme.len())
                .filter(|head| head.eq_ignore_ascii_case(scheme))
                .map(|_| &feed[scheme.len()..])
        })
        .unwrap_or(feed);
    format!("webcal://{rest}")
}

/// Google Calendar's "add this calendar" link; Google takes the webcal form in `cid`.
pub(crate) fn google_subscribe(feed: &str) -> String {
    format!(
        "https://calendar.google.com/calendar/r?cid={}",
        encode(&webcal(feed))
    )
}

/// Outlook on the web subscribes from `addfromweb`: `outlook.live.com` for personal
/// accounts, `outlook.office.com` for work and school (Microsoft 365) accounts.
pub(crate) fn outlook_subscribe(host: &str, feed: &str, name: &str) -> String {
    format!(
        "https://{host}/calendar/0/addfromweb?url={}&name={}",
        encode(feed),
        encode(name)
    )
}

/// Google Calendar's event template: a new event with this session's title, instants,
/// details and place, for someone who wants one session rather than the whole feed.
pub(crate) fn google_event(event: &Event, page: Option<&str>) -> String {
    let mut details = event.times.clone();
    if let Some(url) = event.join_url() {
        details.push_str(&format!("\n\nJoin: {url}"));
    }
    if let Some(presenter) = &event.session.presenter {
        details.push_str(&format!("\n\nPresenter: {presenter}"));
    }
    if let Some(page) = page {
        details.push_str(&format!(
            "\n\nReadings, notes and recordings: {page}#{}",
            super::row_id(&event.session.id)
        ));
    }
    let mut url = format!(
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={}/{}&details={}",
        encode(&event.summary),
        compact(event.start_utc()),
        compact(event.end.with_timezone(&Utc)),
        encode(&details),
    );
    if let Some(location) = event.location {
        url.push_str(&format!("&location={}", encode(location)));
    }
    url
}

/// `20240416T000000Z`, the form Google's `dates` parameter takes.
fn compact(instant: DateTime<Utc>) -> String {
    instant.format("%Y%m%dT%H%M%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FEED: &str = "https://owner.github.io/meetup/schedule.ics";

    #[test]
    fn webcal_replaces_the_scheme_only() {
        assert_eq!(webcal(FEED), "webcal://owner.github.io/meetup/schedule.ics");
        assert_eq!(
            webcal("HTTP://example.org/a.ics?x=1"),
            "webcal://example.org/a.ics?x=1"
        );
    }

    #[test]
    fn google_gets_the_webcal_address_percent_encoded() {
        assert_eq!(
            google_subscribe(FEED),
            "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fowner.github.io%2Fmeetup%2Fschedule.ics"
        );
    }

    #[test]
    fn outlook_gets_the_https_address_and_the_name() {
        assert_eq!(
            outlook_subscribe("outlook.live.com", FEED, "Reading & Cloud Group"),
            "https://outlook.live.com/calendar/0/addfromweb?url=https%3A%2F%2Fowner.github.io%2Fmeetup%2Fschedule.ics&name=Reading%20%26%20Cloud%20Group"
        );
    }

    #[test]
    fn query_values_keep_only_unreserved_characters() {
        assert_eq!(
            encode("a b&c=d#é/?+~._-"),
            "a%20b%26c%3Dd%23%C3%A9%2F%3F%2B~._-"
        );
    }
}

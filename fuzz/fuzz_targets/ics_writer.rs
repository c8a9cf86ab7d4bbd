//! The iCalendar writer on any text: the feed reads back, unfolded and unescaped, as the text
//! that went in (less the control characters the writer drops).
#![no_main]

use chrono::{TimeDelta, TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use syllabus_ics::schedule::{Calendar, CancelledAs, Item, Schedule, Session, When, ZoneLabel};
use syllabus_ics::{event, ics};

fuzz_target!(|data: &[u8]| {
    // Fields separated by 0xFF (never part of UTF-8): name, topic, presenter, location,
    // title, url, note, description.
    let mut fields = data
        .split(|b| *b == 0xFF)
        .map(|f| String::from_utf8_lossy(f).into_owned());
    let mut next = || fields.next().unwrap_or_default();
    let (name, topic, presenter, location) = (next(), next(), next(), next());
    let (title, url, note, description) = (next(), next(), next(), next());
    let zone = chrono_tz::TZ_VARIANTS[data.len() % chrono_tz::TZ_VARIANTS.len()];
    let start = Utc
        .with_ymd_and_hms(2024, 3, 10, 9, 30, 0)
        .single()
        .expect("a time")
        .with_timezone(&zone);
    let schedule = Schedule {
        calendar: Calendar {
            id: "f".to_owned(),
            name,
            description: Some(description),
            url: None,
            timezone: zone,
            year: 2024,
            duration: TimeDelta::hours(1),
            meeting: None,
            zones: vec![ZoneLabel {
                label: "L".to_owned(),
                zone,
            }],
            cancelled: CancelledAs::Show,
            refresh: TimeDelta::hours(12),
        },
        sessions: vec![Session {
            id: "s".to_owned(),
            topic,
            presenter: Some(presenter),
            prepare: vec![Item {
                title: Some(title),
                url: Some(url),
                note: Some(note),
            }],
            additional: Vec::new(),
            reflection: None,
            notes: Vec::new(),
            recording: None,
            links: Vec::new(),
            cancelled: data.first().is_some_and(|b| b % 2 == 1),
            when: Some(When {
                start,
                end: start + TimeDelta::minutes(90),
            }),
            location: Some(location),
        }],
    };
    let events = event::events(&schedule);
    let feed = ics::render(&schedule, &events, chrono::DateTime::UNIX_EPOCH);
    assert_eq!(ics::verify::roundtrip(&feed, &events), Ok(()));
});

//! Calendar events derived from a `Schedule`: UID, summary, instants and the text a member
//! reads. Shared by every renderer; knows nothing about iCalendar syntax or HTML pages.

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::{Tz, TzOffset};
use rayon::prelude::*;

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
    pub items: &'a [Item],
}

/// Below this many sessions the events are derived on the calling thread: handing them to
/// other threads would cost more than it saves.
const PARALLEL_FROM: usize = 1024;

/// Sessions derived as one share, on one thread.
const SESSIONS_PER_SHARE: usize = 512;

/// One event per dated session, in file order. Large schedules are derived on every core,
/// in contiguous shares joined in order, so the result never depends on the number of cores.
pub fn events(schedule: &Schedule) -> Vec<Event<'_>> {
    let sessions = &schedule.sessions;
    let zones = schedule.calendar.published_zones();
    if sessions.len() < PARALLEL_FROM {
        return events_of(schedule, &zones, sessions);
    }
    let shares: Vec<Vec<Event>> = sessions
        .par_chunks(SESSIONS_PER_SHARE)
        .map(|share| events_of(schedule, &zones, share))
        .collect();
    let mut all = Vec::with_capacity(shares.iter().map(Vec::len).sum());
    for share in shares {
        all.extend(share);
    }
    all
}

/// The events of `sessions`, in order, their times shown in `zones`. Sized up front, since
/// growing a vector of large structs copies them again and again.
fn events_of<'a>(schedule: &'a Schedule, zones: &[Tz], sessions: &'a [Session]) -> Vec<Event<'a>> {
    let mut labels = Labels::default();
    let mut events = Vec::with_capacity(sessions.len());
    events.extend(
        sessions
            .iter()
            .filter_map(|session| event(schedule, zones, &mut labels, session)),
    );
    events
}

pub(crate) fn uid(schedule: &Schedule, session: &Session) -> String {
    let (id, calendar) = (&session.id, &schedule.calendar.id);
    let mut uid = String::with_capacity(id.len() + 1 + calendar.len());
    uid.extend([id.as_str(), "@", calendar]);
    uid
}

fn event<'a>(
    schedule: &'a Schedule,
    zones: &[Tz],
    labels: &mut Labels,
    session: &'a Session,
) -> Option<Event<'a>> {
    let when = session.when.as_ref()?;
    let calendar = &schedule.calendar;
    let cancelled = session.cancelled.then_some(calendar.cancelled);
    let summary = if session.cancelled && !starts_with_cancelled(&session.topic) {
        format!("Cancelled: {}", session.topic)
    } else {
        session.topic.clone()
    };
    let mut times = String::with_capacity(64);
    for (index, zone) in zones.iter().enumerate() {
        if index > 0 {
            times.push_str(" / ");
        }
        let local = when.start.with_timezone(zone);
        push_time(&mut times, &local, labels.of(calendar, &local));
    }
    Some(Event {
        session,
        uid: uid(schedule, session),
        summary,
        start: when.start,
        end: when.end,
        cancelled,
        // A cancelled session invites nobody to join: its meeting link goes, a room stays.
        location: session
            .location
            .as_deref()
            .or(calendar.meeting.as_deref())
            .filter(|l| cancelled.is_none() || !crate::load::is_url(l)),
        times,
        sections: sections(session),
    })
}

/// The parts of the description that have items, in the order a member reads them.
fn sections(session: &Session) -> Vec<Section<'_>> {
    let all = [
        ("Prepare", session.prepare.as_slice()),
        ("Additional reading", session.additional.as_slice()),
        ("Pre-meetup reflection", session.reflection.as_slice()),
        ("Notes", session.notes.as_slice()),
        ("Recording", session.recording.as_slice()),
        ("Links", session.links.as_slice()),
    ];
    let mut sections = Vec::with_capacity(all.iter().filter(|(_, i)| !i.is_empty()).count());
    sections.extend(
        all.into_iter()
            .filter(|(_, items)| !items.is_empty())
            .map(|(heading, items)| Section { heading, items }),
    );
    sections
}

/// `Mon Apr 15, 5:00pm PDT`: the start as it reads in `zone`, with the schedule's label.
pub fn time_in_zone(calendar: &Calendar, start: &DateTime<Tz>, zone: Tz) -> String {
    let local = start.with_timezone(&zone);
    let mut text = String::with_capacity(32);
    push_time(&mut text, &local, &calendar.label_at(&local));
    text
}

/// The instant in every published zone, as the feed's descriptions write it:
/// `Mon Apr 15, 5:00pm PDT / Tue Apr 16, 8:00am BJT`.
pub fn published_times(calendar: &Calendar, at: DateTime<Utc>) -> String {
    let start = at.with_timezone(&calendar.timezone);
    calendar
        .published_zones()
        .into_iter()
        .map(|zone| time_in_zone(calendar, &start, zone))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// Appends `Mon Apr 15, 5:00pm PDT` for `local` labelled `label`. The date is written by
/// hand: chrono's `format` parses its pattern on every call, which made it the largest
/// cost of deriving an event.
fn push_time(text: &mut String, local: &DateTime<Tz>, label: &str) {
    const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let weekday = WEEKDAYS[local.weekday().num_days_from_monday() as usize];
    let month = MONTHS[local.month0() as usize];
    let day = local.day();
    text.extend([weekday, " ", month, " "]);
    if day >= 10 {
        text.push(digit(day / 10));
    }
    text.push(digit(day % 10));
    text.extend([
        ", ",
        &crate::published::clock_text(local.time(), true),
        " ",
        label,
    ]);
}

/// The ASCII digit of `value`, which is below 10.
fn digit(value: u32) -> char {
    char::from_digit(value, 10).unwrap_or('0')
}

/// The label of each offset met so far. `Calendar::label_at` depends on the offset alone
/// (zone and abbreviation); asking it once per offset instead of once per event saves two
/// allocations per zone and event.
#[derive(Default)]
struct Labels(Vec<(TzOffset, String)>);

impl Labels {
    fn of(&mut self, calendar: &Calendar, local: &DateTime<Tz>) -> &str {
        let offset = *local.offset();
        let index = match self.0.iter().position(|(known, _)| *known == offset) {
            Some(index) => index,
            None => {
                self.0.push((offset, calendar.label_at(local)));
                self.0.len() - 1
            }
        };
        &self.0[index].1
    }
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
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    /// `count` sessions in winter (PST) and summer (PDT), published in Los Angeles and Beijing.
    fn schedule(count: usize) -> Schedule {
        let mut yaml = "calendar:\n  id: t\n  name: T\n  timezone: America/Los_Angeles\n  year: 2024\n  zones:\n    PST: America/Los_Angeles\n    PDT: America/Los_Angeles\n    BJT: Asia/Shanghai\nsessions:\n".to_owned();
        for number in 0..count {
            // Fourteen sessions a date, so 3,000 sessions stay within the years the zone data
            // covers (a date before the previous one is the next year's).
            let (date, label) = match (number / 14) % 3 {
                0 => ("JAN. 9", "PST"),
                1 => ("JUL. 31", "PDT"),
                _ => ("DEC. 24", "PST"),
            };
            let hour = 1 + number % 12;
            yaml.push_str(&format!(
                "  - id: s{number}\n    time: \"{date}: {hour}:05pm {label}\"\n    topic: T{number}\n"
            ));
        }
        let source = crate::source::SourceFile::new("schedule.yaml", yaml);
        crate::check(&source).schedule.expect("a valid schedule")
    }

    #[test]
    fn events_derived_on_threads_are_those_derived_on_one() {
        let schedule = schedule(3000);
        let zones = schedule.calendar.published_zones();
        let alone = events_of(&schedule, &zones, &schedule.sessions);
        assert_eq!(alone.len(), 3000);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .expect("a thread pool");
        let on_threads = pool.install(|| format!("{:?}", events(&schedule)));
        assert_eq!(on_threads, format!("{alone:?}"));
        for event in &alone {
            let each: Vec<String> = zones
                .iter()
                .map(|zone| time_in_zone(&schedule.calendar, &event.start, *zone))
                .collect();
            assert_eq!(event.times, each.join(" / "));
        }
    }

    #[test]
    fn times_read_as_chrono_formats_them() {
        let calendar = schedule(1).calendar;
        let first = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("a date");
        for day in 0..366 {
            let civil = (first + chrono::TimeDelta::days(day)).and_hms_opt(17, 0, 0);
            let start = civil
                .and_then(|c| {
                    chrono_tz::America::Los_Angeles
                        .from_local_datetime(&c)
                        .single()
                })
                .expect("5pm is unambiguous");
            for zone in calendar.published_zones() {
                let local = start.with_timezone(&zone);
                let expected = format!(
                    "{}, {} {}",
                    local.format("%a %b %-d"),
                    crate::published::clock_text(local.time(), true),
                    calendar.label_at(&local)
                );
                assert_eq!(time_in_zone(&calendar, &start, zone), expected);
            }
        }
    }
}

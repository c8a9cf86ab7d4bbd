//! Properties over generated input (proptest): the loader, the dual-time judge, the iCalendar
//! writer, the VTIMEZONE it emits and the markdown importer, each fed inputs no fixture
//! anticipates.
//!
//! Every property runs a small number of cases by default, so that `cargo test` stays quick;
//! `PROPTEST_CASES=20000 cargo test --release --test properties` runs a long session. A
//! failing case is shrunk to a minimal input, saved under `proptest-regressions/` (commit
//! it: it is replayed first on every later run) and belongs in a plain test as well.

use std::collections::BTreeSet;

use chrono::{
    DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta,
    TimeZone, Timelike, Utc, Weekday,
};
use chrono_tz::Tz;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::FileFailurePersistence;
use syllabus_ics::schedule::{Calendar, CancelledAs, Item, Schedule, Session, When, ZoneLabel};
use syllabus_ics::source::SourceFile;
use syllabus_ics::{event, ics, report};

/// `default` cases, unless `PROPTEST_CASES` asks for more (or fewer).
fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/properties.proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

const STAMP: i64 = 1_704_067_200;

fn stamp() -> DateTime<Utc> {
    DateTime::from_timestamp(STAMP, 0).expect("a valid stamp")
}

// --- text that stresses every layer

/// Characters chosen to break things: YAML and iCalendar syntax, line ends, control
/// characters, multi-byte and right-to-left text.
fn nasty_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::char::range('a', 'z'),
        2 => select(vec![' ', ' ', ':', ';', ',', '\\', '"', '\'', '-', '#', '&', '*', '!', '|', '>', '[', ']', '{', '}', '%', '@', '`', '?', '=', '<', '/']),
        1 => select(vec!['\n', '\r', '\t', '\0', '\u{7}', '\u{b}', '\u{1b}', '\u{7f}', '\u{85}']),
        1 => select(vec!['é', 'ß', '虚', '☁', '🎓', '👩', '\u{200d}', '\u{301}', '\u{202e}', '\u{feff}', '\u{ffff}', 'ا', 'ש']),
        1 => any::<char>(),
    ]
}

fn nasty_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(nasty_char(), 0..max).prop_map(|chars| chars.into_iter().collect())
}

/// YAML double-quoted form of any text: every character survives the trip.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}') => {
                out.push_str(&format!("\\U{:08x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// --- the loader and checker: any bytes in, diagnostics out, nothing else

const SEED: &str = "calendar:
  id: seed
  name: Seed schedule
  description: |
    A seminar.
  url: https://example.org/seed
  timezone: America/Los_Angeles
  year: 2024
  duration: 1h30m
  meeting: https://example.org/zoom
  zones:
    PST: America/Los_Angeles
    PDT: America/Los_Angeles
    BJT: Asia/Shanghai
  cancelled: show
  refresh: 6h
sessions:
  - id: week-1
    time: \"APR. 15: 5:00pm PDT, APR. 16: 8:00am BJT\"
    topic: Containers
    presenter: Ann
    prepare:
      - title: Paper
        url: https://example.org/paper
        note: chapters 2 to 5
    additional:
      - A title only
      - https://example.org/only-a-link
    reflection: { title: Form, url: https://example.org/form }
    notes: [https://example.org/notes]
    recording: https://example.org/video
    links:
      - title: Live
        url: https://example.org/live
    status: cancelled
    duration: 45m
    location: Room 101
  - id: week-2
    time:
      - { date: 2024-04-22, time: \"17:00\", zone: PDT }
      - { date: 2024-04-23, time: \"08:00\", zone: BJT }
    topic: Virtual machines
  - id: week-3
    time: TBD
    topic: To be announced
";

/// Pieces a person editing YAML might add by mistake, or an attacker on purpose.
fn snippet() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec![
            "\n",
            "  ",
            "\t",
            "- ",
            ": ",
            "&a ",
            "*a",
            "*b",
            "[",
            "]",
            "{",
            "}",
            "\"",
            "'",
            "|\n",
            ">-\n",
            "!!str ",
            "!!binary ",
            "!include ",
            "~",
            "null",
            "2024",
            "99999999999999999999",
            "TBD",
            "APR. 15: 5:00pm PDT",
            "MAR. 10: 2:30am PST",
            "NOV. 3: 1:30am PST",
            "24:00",
            "13:00pm",
            "\r\n",
            "\r",
            "\u{feff}",
            "é",
            "🎓",
            "---\n",
            "...\n",
            "? ",
            "<<: *a\n",
            "#",
            "%YAML 1.2\n",
            "\\",
            "\\u",
            "javascript:",
            "https://",
            "END:VEVENT",
        ])
        .prop_map(str::to_owned),
        nasty_text(12),
    ]
}

#[derive(Clone, Debug)]
enum Edit {
    Insert(usize, String),
    Delete(usize, usize),
    DuplicateLine(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (any::<usize>(), snippet()).prop_map(|(at, text)| Edit::Insert(at, text)),
        1 => (any::<usize>(), 1..20usize).prop_map(|(at, len)| Edit::Delete(at, len)),
        1 => any::<usize>().prop_map(Edit::DuplicateLine),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut text = text.to_owned();
    let boundary = |text: &str, at: usize| {
        let mut at = at % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    for edit in edits {
        match edit {
            Edit::Insert(at, snippet) => {
                let at = boundary(&text, *at);
                text.insert_str(at, snippet);
            }
            Edit::Delete(at, len) => {
                let start = boundary(&text, *at);
                let end = boundary(&text, (start + len).min(text.len()));
                text.replace_range(start..end.max(start), "");
            }
            Edit::DuplicateLine(at) => {
                let lines: Vec<&str> = text.split_inclusive('\n').collect();
                if !lines.is_empty() {
                    let line = lines[at % lines.len()].to_owned();
                    let start = boundary(&text, *at);
                    let start = text[..start].rfind('\n').map_or(0, |i| i + 1);
                    text.insert_str(start, &line);
                }
            }
        }
    }
    text
}

/// Checks a text the way `check` and `build` do, and everything a diagnostic promises: it
/// points inside the file, every report format renders it, and a schedule without errors
/// renders to a feed that reads back.
fn check_everything(text: &str) -> Result<(), TestCaseError> {
    let source = SourceFile::new("schedule.yaml", text);
    let checked = syllabus_ics::check(&source);
    for diagnostic in &checked.diagnostics {
        if let Some(span) = diagnostic.span {
            prop_assert!(span.start <= span.end, "{diagnostic:?}");
            prop_assert!(span.end <= source.text.len(), "{diagnostic:?}");
        }
        prop_assert!(!diagnostic.message.is_empty());
    }
    report::human(&checked.diagnostics, &source, false);
    report::human(&checked.diagnostics, &source, true);
    report::json(&checked.diagnostics, &source);
    report::github(&checked.diagnostics, &source);
    let errors = checked.diagnostics.iter().any(|d| d.is_error());
    if let Some(schedule) = checked.schedule.as_ref().filter(|_| !errors) {
        let events = event::events(schedule);
        let feed = ics::render(schedule, &events, stamp());
        prop_assert_eq!(ics::verify::roundtrip(&feed, &events), Ok(()));
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn any_text_is_checked_without_panicking(text in nasty_text(300)) {
        check_everything(&text)?;
    }

    #[test]
    fn any_edit_of_a_full_schedule_is_checked_without_panicking(
        edits in prop::collection::vec(edit(), 1..6)
    ) {
        check_everything(&apply(SEED, &edits))?;
    }
}

/// The places of the seed's session fields (`    key:` and `  - key:`), and their keys.
fn session_keys() -> Vec<(usize, &'static str)> {
    let mut keys = Vec::new();
    let mut offset = SEED.find("\nsessions:\n").expect("a sessions list") + 1;
    for line in SEED[offset..].split_inclusive('\n') {
        if let Some(rest) = line
            .strip_prefix("    ")
            .or_else(|| line.strip_prefix("  - "))
            && let Some((key, _)) = rest.split_once(':')
            && !key.starts_with(' ')
            && !key.starts_with('-')
        {
            keys.push((offset + 4, key));
        }
        offset += line.len();
    }
    keys
}

proptest! {
    #![proptest_config(cases(128))]

    /// Misspelled keys anywhere among the sessions are all reported, each at its place, and
    /// do not hide a stale Beijing half elsewhere.
    #[test]
    fn every_misspelled_key_is_reported_and_the_rest_is_still_checked(
        chosen in prop::collection::btree_set(0..session_keys().len(), 1..6),
        stale in any::<bool>(),
    ) {
        let keys = session_keys();
        let mut text = SEED.to_owned();
        // From the end, so that the places still to change stay put: `key` -> `keyy`.
        for &i in chosen.iter().rev() {
            let (at, key) = keys[i];
            text.insert(at + key.len(), 'y');
        }
        if stale {
            text = text.replace("APR. 16: 8:00am BJT", "APR. 16: 9:00am BJT");
        }
        let checked = syllabus_ics::check(&SourceFile::new("schedule.yaml", text.as_str()));
        let unknown: Vec<usize> = checked
            .diagnostics
            .iter()
            .filter(|d| d.code == "unknown-field")
            .filter_map(|d| d.span.map(|span| span.start))
            .collect();
        // Each key is one byte further on for every key misspelled before it.
        let expected: Vec<usize> = chosen
            .iter()
            .enumerate()
            .map(|(before, &i)| keys[i].0 + before)
            .collect();
        prop_assert_eq!(unknown, expected, "{:?}", checked.diagnostics);
        let first_time = keys.iter().position(|(_, key)| *key == "time").expect("a time");
        let mismatch = checked.diagnostics.iter().any(|d| d.code == "dual-time-mismatch");
        prop_assert_eq!(mismatch, stale && !chosen.contains(&first_time), "{:?}", checked.diagnostics);
        prop_assert!(
            checked.diagnostics.iter().all(|d| d.code != "missing-field"),
            "{:?}",
            checked.diagnostics
        );
    }
}

#[test]
fn the_seed_schedule_is_clean() {
    let source = SourceFile::new("schedule.yaml", SEED);
    let checked = syllabus_ics::check(&source);
    assert!(
        checked.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        checked.diagnostics
    );
    assert!(checked.schedule.is_some());
}

// --- source positions: columns count characters, on any text, long lines included

fn naive_position(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let mut line = 1;
    let mut line_start = 0;
    let bytes = before.as_bytes();
    for (i, byte) in bytes.iter().enumerate() {
        let ends = *byte == b'\n' || (*byte == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n'));
        if ends {
            line += 1;
            line_start = i + 1;
        }
    }
    (line, text[line_start..offset].chars().count() + 1)
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn positions_agree_with_counting_from_the_start(
        text in nasty_text(2000),
        offsets in prop::collection::vec(any::<usize>(), 1..20),
    ) {
        let file = SourceFile::new("s.yaml", text.as_str());
        for offset in offsets {
            let offset = offset % (file.text.len() + 1);
            let place = file.position(offset);
            prop_assert_eq!((place.line, place.column), naive_position(&file.text, offset));
            let back = file.offset(place);
            let mut floor = offset;
            while !file.text.is_char_boundary(floor) {
                floor -= 1;
            }
            // A position inside a CRLF maps back to the end of its line.
            prop_assert!(back == floor || (back < floor && file.text[back..floor].chars().all(|c| c == '\r')), "{} {} {}", offset, back, floor);
        }
    }
}

// --- the dual-time judge against chrono-tz

fn zone() -> impl Strategy<Value = Tz> {
    select(chrono_tz::TZ_VARIANTS.to_vec())
}

fn date_between(first: i32, last: i32) -> impl Strategy<Value = NaiveDate> {
    let from = NaiveDate::from_ymd_opt(first, 1, 1).expect("a date");
    let to = NaiveDate::from_ymd_opt(last, 12, 31).expect("a date");
    (0..=(to - from).num_days()).prop_map(move |days| from + TimeDelta::days(days))
}

/// The changes of offset `tz` makes in `year`, found by probing each day then bisecting.
fn changes_in(tz: Tz, year: i32) -> Vec<DateTime<Utc>> {
    let offset = |at: i64| {
        tz.offset_from_utc_datetime(
            &DateTime::from_timestamp(at, 0)
                .expect("in range")
                .naive_utc(),
        )
        .fix()
    };
    let start = NaiveDate::from_ymd_opt(year, 1, 1)
        .expect("a date")
        .and_time(NaiveTime::MIN)
        .and_utc()
        .timestamp();
    let mut found = Vec::new();
    let mut at = start;
    while at < start + 366 * 86_400 {
        let next = at + 86_400;
        if offset(at) != offset(next) {
            let (mut holds, mut fails) = (at, next);
            while fails - holds > 1 {
                let middle = (holds + fails) / 2;
                if offset(middle) == offset(at) {
                    holds = middle;
                } else {
                    fails = middle;
                }
            }
            found.push(DateTime::from_timestamp(fails, 0).expect("in range"));
        }
        at = next;
    }
    found
}

/// A civil time in `tz`: anywhere from 1970 to 2100, or close to a change of offset (where
/// gaps and folds are), at a whole minute.
fn civil_in(tz: Tz) -> impl Strategy<Value = NaiveDateTime> {
    let anywhere = (date_between(1970, 2098), 0..24u32, 0..60u32)
        .prop_map(|(date, h, m)| date.and_hms_opt(h, m, 0).expect("a valid time"));
    let near_a_change = (1970..=2098i32, any::<prop::sample::Index>(), -180..180i64)
        .prop_filter_map("a civil time", move |(year, index, minutes)| {
            let changes = changes_in(tz, year);
            // A zone that keeps its offset all year: midsummer noon will do.
            let change = if changes.is_empty() {
                NaiveDate::from_ymd_opt(year, 7, 1)?
                    .and_hms_opt(12, 0, 0)?
                    .and_utc()
            } else {
                changes[index.index(changes.len())]
            };
            let before = tz.offset_from_utc_datetime(&(change - TimeDelta::seconds(1)).naive_utc());
            let civil = change.naive_utc()
                + TimeDelta::seconds(before.fix().local_minus_utc().into())
                + TimeDelta::minutes(minutes);
            civil.with_second(0)
        });
    prop_oneof![anywhere, near_a_change]
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// `APR. 15: 5:07pm L0`, or the 24-hour form.
fn published(civil: NaiveDateTime, label: &str, twelve_hour: bool) -> String {
    let date = format!("{}. {}", MONTHS[civil.month0() as usize], civil.day());
    let time = if twelve_hour {
        let (pm, hour) = civil.hour12();
        format!(
            "{hour}:{:02}{}",
            civil.minute(),
            if pm { "pm" } else { "am" }
        )
    } else {
        format!("{:02}:{:02}", civil.hour(), civil.minute())
    };
    format!("{date}: {time} {label}")
}

fn one_session(tz: Tz, year: i32, time: &str, extra_zones: &str) -> String {
    format!(
        "calendar:\n  id: p\n  name: P\n  timezone: {tz}\n  year: {year}\n  zones:\n    L0: {tz}\n{extra_zones}sessions:\n  - id: s\n    time: {}\n    topic: t\n",
        quoted(time)
    )
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn a_published_time_means_the_instant_chrono_tz_gives_it(
        (tz, civil) in zone().prop_flat_map(|tz| (Just(tz), civil_in(tz))),
        twelve_hour in any::<bool>(),
    ) {
        let text = one_session(tz, civil.year(), &published(civil, "L0", twelve_hour), "");
        let source = SourceFile::new("schedule.yaml", text.as_str());
        let checked = syllabus_ics::check(&source);
        let codes: Vec<&str> = checked.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.code).collect();
        match tz.from_local_datetime(&civil) {
            LocalResult::Single(instant) => {
                prop_assert_eq!(codes, Vec::<&str>::new(), "{}", text);
                let schedule = checked.schedule.expect("a schedule without errors");
                let when = schedule.sessions[0].when.as_ref().expect("a dated session");
                prop_assert_eq!(when.start_utc(), instant.with_timezone(&Utc));
            }
            LocalResult::None => prop_assert_eq!(codes, vec!["nonexistent-local-time"], "{}", text),
            LocalResult::Ambiguous(..) => prop_assert_eq!(codes, vec!["ambiguous-local-time"], "{}", text),
        }
    }

    #[test]
    fn a_second_half_is_accepted_exactly_when_it_names_the_same_instant(
        (tz, other, civil) in (zone(), zone()).prop_flat_map(|(tz, other)| (Just(tz), Just(other), civil_in(tz))),
        shift in prop_oneof![3 => Just(0i64), 1 => -120..120i64],
    ) {
        let Some(instant) = tz.from_local_datetime(&civil).single() else {
            return Ok(());
        };
        let there = (instant + TimeDelta::minutes(shift)).with_timezone(&other).naive_local();
        // A published time has no seconds (offsets such as Monrovia's -0:44:30 give some).
        let Some(named) = other.from_local_datetime(&there).single().filter(|_| there.second() == 0) else {
            return Ok(());
        };
        let time = format!("{}, {}", published(civil, "L0", true), published(there, "L1", false));
        let text = one_session(tz, civil.year(), &time, &format!("    L1: {other}\n"));
        let checked = syllabus_ics::check(&SourceFile::new("schedule.yaml", text.as_str()));
        let codes: Vec<&str> = checked.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.code).collect();
        if named == instant {
            prop_assert_eq!(codes, Vec::<&str>::new(), "{}", text);
        } else {
            prop_assert_eq!(codes, vec!["dual-time-mismatch"], "{}", text);
        }
    }

    #[test]
    fn any_time_text_is_judged_without_panicking(
        pieces in prop::collection::vec(prop_oneof![
            select(vec!["JAN.", "Feb", "march", "SEPT", "Smarch", "APR. 15", "31", "0", "40", ":", " ", ", ", ",", "5pm", "5:00 PM", "12:00am", "24:00", "13:00pm", "0:05", "5:60", "L0", "L1", "l0", "TBD", "2024-02-29", "2023-02-29", "+05", "-"]).prop_map(str::to_owned),
            nasty_text(6),
        ], 0..12),
    ) {
        let time: String = pieces.concat();
        check_everything(&one_session(chrono_tz::Europe::Berlin, 2024, &time, "    L1: Asia/Kolkata\n"))?;
    }
}

// --- the writer: any text in, a feed that reads back exactly

/// What the writer keeps of a text (README: "control characters dropped").
fn kept(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

fn item() -> impl Strategy<Value = Item> {
    (
        prop::option::of(nasty_text(40)),
        prop::option::of(nasty_text(40)),
        prop::option::of(nasty_text(40)),
    )
        .prop_map(|(title, url, note)| Item { title, url, note })
}

fn written_schedule() -> impl Strategy<Value = Schedule> {
    let calendar = (
        nasty_text(120),
        prop::option::of(nasty_text(200)),
        zone(),
        any::<bool>(),
    );
    let session = (
        nasty_text(200),
        prop::option::of(nasty_text(60)),
        prop::collection::vec(item(), 0..3),
        prop::option::of(nasty_text(80)),
        any::<bool>(),
        0..10_000i64,
    );
    (calendar, prop::collection::vec(session, 1..4)).prop_map(
        |((name, description, tz, show), sessions)| {
            let start = Utc
                .with_ymd_and_hms(2024, 4, 15, 17, 0, 0)
                .single()
                .expect("a time");
            Schedule {
                calendar: Calendar {
                    id: "p".to_owned(),
                    name,
                    description,
                    url: None,
                    timezone: tz,
                    year: 2024,
                    duration: TimeDelta::hours(1),
                    meeting: None,
                    zones: vec![ZoneLabel {
                        label: "L0".to_owned(),
                        zone: tz,
                    }],
                    cancelled: if show {
                        CancelledAs::Show
                    } else {
                        CancelledAs::Hide
                    },
                    refresh: TimeDelta::hours(12),
                },
                sessions: sessions
                    .into_iter()
                    .enumerate()
                    .map(
                        |(n, (topic, presenter, prepare, location, cancelled, hours))| {
                            let at = (start + TimeDelta::hours(hours)).with_timezone(&tz);
                            Session {
                                id: format!("s{n}"),
                                topic,
                                presenter,
                                prepare,
                                additional: Vec::new(),
                                reflection: None,
                                notes: Vec::new(),
                                recording: None,
                                links: Vec::new(),
                                cancelled,
                                when: Some(When {
                                    start: at,
                                    end: at + TimeDelta::minutes(90),
                                }),
                                location,
                            }
                        },
                    )
                    .collect(),
            }
        },
    )
}

/// A component's name and its TEXT properties, unescaped.
type Component = (String, Vec<(String, String)>);

/// The TEXT properties of each component, read with RFC 5545's rules alone.
fn text_properties(feed: &str) -> Result<Vec<Component>, TestCaseError> {
    for line in feed.split_inclusive('\n') {
        prop_assert!(line.ends_with("\r\n"), "a line without CRLF: {:?}", line);
        prop_assert!(line.len() - 2 <= 75, "a line over 75 octets: {:?}", line);
    }
    let mut components = Vec::new();
    let mut open: Vec<Component> = Vec::new();
    for line in feed.replace("\r\n ", "").split_terminator("\r\n") {
        prop_assert!(!line.contains(['\r', '\n']));
        let (head, value) = line.split_once(':').expect("a content line");
        let name = head.split(';').next().unwrap_or(head);
        match name {
            "BEGIN" => open.push((value.to_owned(), Vec::new())),
            "END" => {
                let component = open.pop().expect("END without BEGIN");
                prop_assert_eq!(&component.0, value);
                components.push(component);
            }
            "SUMMARY" | "LOCATION" | "DESCRIPTION" | "X-ALT-DESC" | "NAME" | "X-WR-CALNAME"
            | "X-WR-CALDESC" | "UID" => {
                let mut text = String::new();
                let mut chars = value.chars();
                while let Some(c) = chars.next() {
                    if c != '\\' {
                        prop_assert!(c != ';' && c != ',', "unescaped `{}` in {:?}", c, value);
                        text.push(c);
                        continue;
                    }
                    match chars.next() {
                        Some('n') => text.push('\n'),
                        Some(c @ ('\\' | ';' | ',')) => text.push(c),
                        other => prop_assert!(false, "`\\{:?}` in {:?}", other, value),
                    }
                }
                open.last_mut()
                    .expect("inside a component")
                    .1
                    .push((name.to_owned(), text));
            }
            _ => {}
        }
    }
    prop_assert!(open.is_empty());
    Ok(components)
}

fn property<'a>(component: &'a Component, name: &str) -> Option<&'a str> {
    component
        .1
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn any_text_is_written_so_that_it_reads_back_exactly(schedule in written_schedule()) {
        let events = event::events(&schedule);
        let feed = ics::render(&schedule, &events, stamp());
        prop_assert_eq!(ics::verify::roundtrip(&feed, &events), Ok(()));
        let components = text_properties(&feed)?;
        let calendar = components.iter().find(|c| c.0 == "VCALENDAR").expect("a calendar");
        let name = kept(&schedule.calendar.name);
        prop_assert_eq!(property(calendar, "NAME"), Some(name.as_str()));
        prop_assert_eq!(property(calendar, "X-WR-CALNAME"), Some(name.as_str()));
        let description = schedule.calendar.description.as_deref().map(kept);
        prop_assert_eq!(property(calendar, "DESCRIPTION"), description.as_deref());
        let vevents: Vec<_> = components.iter().filter(|c| c.0 == "VEVENT").collect();
        prop_assert_eq!(vevents.len(), schedule.sessions.len());
        for (event, vevent) in events.iter().zip(vevents) {
            let summary = kept(&event.summary);
            prop_assert!(summary.ends_with(&kept(&event.session.topic)));
            prop_assert_eq!(property(vevent, "SUMMARY"), Some(summary.as_str()));
            let location = event.location.map(kept);
            prop_assert_eq!(property(vevent, "LOCATION"), location.as_deref());
            prop_assert_eq!(property(vevent, "UID"), Some(event.uid.as_str()));
            let description = kept(&ics::description::text(event));
            prop_assert_eq!(property(vevent, "DESCRIPTION"), Some(description.as_str()));
            let html = kept(&ics::description::html(event));
            prop_assert_eq!(property(vevent, "X-ALT-DESC"), Some(html.as_str()));
        }
    }
}

// --- the VTIMEZONE a client reads gives chrono-tz's instants

/// What a calendar client makes of a VTIMEZONE: each observance's onsets (DTSTART is
/// wall-clock time in TZOFFSETFROM; an RRULE repeats it yearly until UNTIL), as the instant
/// and the offset that follows it.
fn onsets(feed: &str, until: DateTime<Utc>) -> Vec<(DateTime<Utc>, i32)> {
    let unfolded = feed.replace("\r\n ", "");
    let lines: Vec<&str> = unfolded.split("\r\n").collect();
    let mut found = Vec::new();
    let mut fields: Vec<(&str, &str)> = Vec::new();
    for line in lines {
        match line {
            "BEGIN:STANDARD" | "BEGIN:DAYLIGHT" => fields.clear(),
            "END:STANDARD" | "END:DAYLIGHT" => expand(&fields, until, &mut found),
            _ => {
                if let Some(pair) = line.split_once(':') {
                    fields.push(pair);
                }
            }
        }
    }
    found.sort();
    found
}

fn utc_offset(text: &str) -> i32 {
    let sign = if text.starts_with('-') { -1 } else { 1 };
    let part = |range: std::ops::Range<usize>| -> i32 {
        text.get(range.start + 1..range.end + 1)
            .map_or(0, |p| p.parse().expect("digits"))
    };
    sign * (part(0..2) * 3600 + part(2..4) * 60 + part(4..6))
}

fn expand(fields: &[(&str, &str)], until: DateTime<Utc>, found: &mut Vec<(DateTime<Utc>, i32)>) {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| *value)
    };
    let start = NaiveDateTime::parse_from_str(field("DTSTART").expect("DTSTART"), "%Y%m%dT%H%M%S")
        .expect("a local DTSTART");
    let from = utc_offset(field("TZOFFSETFROM").expect("TZOFFSETFROM"));
    let to = utc_offset(field("TZOFFSETTO").expect("TZOFFSETTO"));
    let instant = |civil: NaiveDateTime| civil.and_utc() - TimeDelta::seconds(from.into());
    let Some(rule) = field("RRULE") else {
        found.push((instant(start), to));
        return;
    };
    let part = |key: &str| {
        rule.split(';')
            .find_map(|p| p.strip_prefix(key)?.strip_prefix('='))
    };
    assert_eq!(part("FREQ"), Some("YEARLY"), "{rule}");
    let month: u32 = part("BYMONTH").expect("BYMONTH").parse().expect("a month");
    let byday = part("BYDAY").expect("BYDAY");
    let (ordinal, day) = byday.split_at(byday.len() - 2);
    let ordinal: i32 = ordinal.parse().expect("an ordinal");
    let weekday = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ][["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
        .iter()
        .position(|d| *d == day)
        .expect("a day")];
    let last = part("UNTIL").map(|u| {
        NaiveDateTime::parse_from_str(u, "%Y%m%dT%H%M%SZ")
            .expect("UNTIL")
            .and_utc()
    });
    for year in start.year()..=until.year() + 1 {
        let days: Vec<NaiveDate> = (1..=31)
            .filter_map(|d| NaiveDate::from_ymd_opt(year, month, d))
            .filter(|d| d.weekday() == weekday)
            .collect();
        let date = if ordinal < 0 {
            days.last().copied()
        } else {
            days.get(ordinal as usize - 1).copied()
        };
        let Some(date) = date else { continue };
        let at = instant(date.and_time(start.time()));
        if at >= instant(start) && last.is_none_or(|last| at <= last) {
            found.push((at, to));
        }
    }
}

/// The instant a client gives `DTSTART;TZID=...:civil`: RFC 5545 §3.3.5 takes the first of
/// two in a fold.
fn client_instant(onsets: &[(DateTime<Utc>, i32)], civil: NaiveDateTime) -> Option<DateTime<Utc>> {
    let offsets: BTreeSet<i32> = onsets.iter().map(|(_, offset)| *offset).collect();
    offsets
        .into_iter()
        .map(|offset| civil.and_utc() - TimeDelta::seconds(offset.into()))
        .filter(|at| {
            let index = onsets.partition_point(|(onset, _)| onset <= at);
            index > 0 && civil.and_utc() - TimeDelta::seconds(onsets[index - 1].1.into()) == *at
        })
        .min()
}

fn dated_schedule() -> impl Strategy<Value = (Tz, Vec<NaiveDateTime>)> {
    zone()
        .prop_flat_map(|tz| {
            let first = civil_in(tz);
            (
                Just(tz),
                first,
                prop::collection::vec((0..400i64, 0..1440i64), 0..4),
            )
        })
        .prop_map(|(tz, first, steps)| {
            let mut times = vec![first];
            for (days, minutes) in steps {
                let last = *times.last().expect("one time");
                times.push(last + TimeDelta::days(days) + TimeDelta::minutes(minutes));
            }
            (tz, times)
        })
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn every_event_read_through_the_vtimezone_starts_and_ends_at_chrono_tz_instants(
        (tz, times) in dated_schedule(),
        minutes in 1..=24 * 60i64,
    ) {
        let mut text = format!(
            "calendar:\n  id: p\n  name: P\n  timezone: {tz}\n  year: {}\n  duration: {minutes}m\n  zones:\n    L0: {tz}\nsessions:\n",
            times[0].year()
        );
        for (n, civil) in times.iter().enumerate() {
            text.push_str(&format!(
                "  - id: s{n}\n    topic: t\n    time:\n      - {{ date: {}, time: \"{}\", zone: L0 }}\n",
                civil.date(),
                civil.format("%H:%M")
            ));
        }
        let checked = syllabus_ics::check(&SourceFile::new("schedule.yaml", text.as_str()));
        let gaps_or_folds = times.iter().filter(|civil| tz.from_local_datetime(civil).single().is_none()).count();
        let Some(schedule) = checked.schedule.as_ref().filter(|_| !checked.diagnostics.iter().any(|d| d.is_error())) else {
            prop_assert!(gaps_or_folds > 0 || times.iter().any(|t| t.year() >= 2099), "{:?}\n{}", checked.diagnostics, text);
            return Ok(());
        };
        prop_assert_eq!(gaps_or_folds, 0);
        let events = event::events(schedule);
        let feed = ics::render(schedule, &events, stamp());
        let last = events.iter().map(|e| e.end.with_timezone(&Utc)).max().expect("an event");
        let onsets = onsets(&feed, last);
        let unfolded = feed.replace("\r\n ", "");
        let mut in_event = false;
        let mut times_written = Vec::new();
        for line in unfolded.split("\r\n") {
            match line {
                "BEGIN:VEVENT" => in_event = true,
                "END:VEVENT" => in_event = false,
                _ if in_event && (line.starts_with("DTSTART") || line.starts_with("DTEND")) => {
                    times_written.push(line);
                }
                _ => {}
            }
        }
        let wanted = events
            .iter()
            .flat_map(|e| [e.start.with_timezone(&Utc), e.end.with_timezone(&Utc)]);
        prop_assert_eq!(times_written.len(), 2 * events.len());
        {
            for (line, want) in times_written.into_iter().zip(wanted) {
                let (head, value) = line.split_once(':').expect("a content line");
                let got = if let Some(utc) = value.strip_suffix('Z') {
                    NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S").expect("UTC").and_utc()
                } else {
                    prop_assert_eq!(head.split_once(";TZID=").map(|(_, zone)| zone), Some(tz.name()));
                    let civil = NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").expect("local");
                    client_instant(&onsets, civil).expect("an instant a client can place")
                };
                prop_assert_eq!(got, want, "{} in {}\n{}", line, tz, feed);
            }
        }
    }
}

// --- the markdown importer: any table in, YAML that loads back out

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (1..=12u32, 1..=28u32, 1..=12u32, any::<bool>(), 0..3u32).prop_map(|(month, day, hour, pm, style)| {
            let half = format!("{}. {day}: {hour}:00{} PST", MONTHS[month as usize - 1], if pm { "pm" } else { "am" });
            match style {
                0 => half,
                1 => format!("{half}, {}. {}: {hour}:00am BJT", MONTHS[month as usize - 1], day + 1),
                _ => format!("~~{half}~~ <br> [Zoom](https://zoom.us/j/{day})"),
            }
        }),
        1 => select(vec!["TBD", "", "N/A", "CANCELLED", "(holiday)", "<br>", "~~x~~", "\\|", "[a](b)", "[Slides](https://example.org/s)", "**bold**", "`code`", "APR. 31: 5pm PST", "13:00pm"]).prop_map(str::to_owned),
        2 => nasty_text(30).prop_map(|text| text.replace(['\n', '\r'], " ").replace('|', "\\|")),
    ]
}

fn table() -> impl Strategy<Value = String> {
    // Mostly tables the importer recognizes (a time and a topic column, in some order, among
    // others), sometimes not; rows mostly as wide as the header.
    let others = prop::sample::subsequence(
        vec![
            "Presenter",
            "Readings",
            "Recording",
            "Notes",
            "Zoom",
            "Other",
        ],
        0..4,
    );
    let columns = (others, any::<bool>(), any::<bool>()).prop_map(|(others, swap, drop_topic)| {
        let mut columns = if swap {
            vec!["Topic", "Time"]
        } else {
            vec!["Time", "Topic"]
        };
        if drop_topic {
            columns.retain(|c| *c != "Topic");
        }
        columns.extend(others);
        columns
    });
    (prop::option::of(nasty_text(20)), columns)
        .prop_flat_map(|(title, columns)| {
            let width = columns.len();
            let row = prop_oneof![
                4 => prop::collection::vec(cell(), width..=width),
                1 => prop::collection::vec(cell(), 1..8),
            ];
            (Just(title), Just(columns), prop::collection::vec(row, 0..8))
        })
        .prop_map(|(title, columns, rows)| {
            let mut text = String::new();
            if let Some(title) = title {
                text.push_str(&format!("# {}\n\n", title.replace(['\n', '\r'], " ")));
            }
            text.push_str(&format!("| {} |\n", columns.join(" | ")));
            text.push_str(&format!("|{}\n", " --- |".repeat(columns.len())));
            for row in rows {
                text.push_str(&format!("| {} |\n", row.join(" | ")));
            }
            text
        })
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn any_markdown_table_imports_to_yaml_that_loads_back(markdown in table()) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("schedule.md");
        std::fs::write(&path, &markdown).expect("the table is written");
        let options = syllabus_ics::commands::import::Options {
            table: path,
            year: Some(2024),
            ..Default::default()
        };
        let outcome = syllabus_ics::commands::import::run(&options, &syllabus_ics::commands::Context::default());
        prop_assert!(outcome.code <= 2, "{}", outcome.stderr);
        // A table holding control characters is refused whole (exit 2); any other table the
        // importer cannot read is an error of the importer.
        let controls = markdown.chars().any(|c| c.is_control() && c != '\n' && c != '\t');
        prop_assert!(controls || !outcome.stderr.contains("this is a bug"), "{}\n{}", markdown, outcome.stderr);
        if outcome.stdout.is_empty() {
            prop_assert_eq!(outcome.code, 2, "{}", outcome.stderr);
            return Ok(());
        }
        let yaml = String::from_utf8(outcome.stdout).expect("YAML is text");
        let checked = syllabus_ics::check(&SourceFile::new("schedule.yaml", yaml.as_str()));
        prop_assert!(!checked.unparsable, "{:?}\n{}", checked.diagnostics, yaml);
        let errors: Vec<&str> = checked.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.code).collect();
        if outcome.code == 0 {
            prop_assert_eq!(errors, Vec::<&str>::new(), "{}\n{}", markdown, yaml);
        } else {
            for shape in ["wrong-type", "unknown-field", "duplicate-key", "invalid-id", "duplicate-session", "invalid-text", "missing-field"] {
                prop_assert!(!errors.contains(&shape), "{}: {}\n{}", shape, markdown, yaml);
            }
        }
    }
}

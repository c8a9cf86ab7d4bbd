//! Interop: the generated feed as two independent iCalendar parsers read it.
//!
//! The feed built from `schedule.yaml` is parsed by Python `icalendar` and by Node `ical.js`;
//! each converts every event's local start to UTC through the feed's own VTIMEZONE
//! (`tests/interop/dump_*.{py,mjs}`). `tests/interop/check_feed.py` then checks both views
//! against the published schedule page: every one of the 21 sessions starts at the instant
//! its published Pacific time names (computed independently with zoneinfo), the three
//! cancelled sessions are STATUS:CANCELLED, and every reading URL is in the description.
//!
//! The parsers are installed by `scripts/test` (the test command). Without them this test
//! fails; it never skips.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// 2024-01-01T00:00:00Z: makes the build reproducible (DTSTAMP).
const SOURCE_DATE_EPOCH: &str = "1704067200";
const NOT_INSTALLED: &str =
    "the interop parsers are not installed: run `scripts/test` (it installs them)";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn interop() -> PathBuf {
    repo().join("tests").join("interop")
}

/// The venv's Python, which has `icalendar` and PyYAML.
fn python() -> PathBuf {
    interop().join(".venv").join("bin").join("python")
}

/// The published schedule page's dual times, dates and topics (a fixture of the tests).
fn page() -> PathBuf {
    repo()
        .join("tests")
        .join("fixtures")
        .join("published")
        .join("schedule-page.txt")
}

/// Panics unless `scripts/test` has installed both parsers.
fn require_parsers() {
    let ical_js = interop()
        .join("node_modules")
        .join("ical.js")
        .join("package.json");
    if !python().is_file() || !ical_js.is_file() {
        panic!("{NOT_INSTALLED}");
    }
}

/// Runs `command` from the repository root; panics with its output unless it succeeds.
fn run(what: &str, command: &mut Command) -> Output {
    let output = command
        .current_dir(repo())
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run {:?}: {e}", command.get_program()));
    if !output.status.success() {
        panic!(
            "{what} failed ({})\n--- command\n{command:?}\n--- stdout\n{}\n--- stderr\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
        );
    }
    output
}

/// Runs `command` and writes its stdout to `path`.
fn run_to_file(what: &str, command: &mut Command, path: &Path) {
    let output = run(what, command);
    std::fs::write(path, &output.stdout)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// Builds the feed of `schedule` (relative to the repository root) into `dir/feed.ics`.
fn build_feed(schedule: &Path, dir: &Path) -> PathBuf {
    let feed = dir.join("feed.ics");
    run(
        "syllabus-ics build",
        Command::new(env!("CARGO_BIN_EXE_syllabus-ics"))
            .arg("build")
            .arg(schedule)
            .arg("-o")
            .arg(&feed)
            .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH),
    );
    assert!(
        feed.is_file(),
        "syllabus-ics build did not write {}",
        feed.display()
    );
    feed
}

/// The JSON dumps of one feed, one per parser (see `tests/interop/dump_*`).
struct Dumps {
    ical_js: PathBuf,
    icalendar: PathBuf,
}

impl Dumps {
    fn paths(&self) -> [&Path; 2] {
        [&self.ical_js, &self.icalendar]
    }
}

/// Parses `feed` with `ical.js` and with `icalendar`; writes each dump beside the feed.
fn dump_with_both_parsers(feed: &Path) -> Dumps {
    require_parsers();
    let dir = feed.parent().expect("the feed is in a directory");
    let dumps = Dumps {
        ical_js: dir.join("ical.js.json"),
        icalendar: dir.join("icalendar.json"),
    };
    run_to_file(
        "ical.js (node tests/interop/dump_ical_js.mjs)",
        Command::new("node")
            .arg(interop().join("dump_ical_js.mjs"))
            .arg(feed),
        &dumps.ical_js,
    );
    run_to_file(
        "icalendar (tests/interop/dump_icalendar.py)",
        Command::new(python())
            .arg(interop().join("dump_icalendar.py"))
            .arg(feed),
        &dumps.icalendar,
    );
    dumps
}

/// Checks the parsers' dumps of `feed` against `schedule` and the published page; returns
/// the checker's summary (one line per parser).
fn check_against_page(feed: &Path, schedule: &Path, dumps: &Dumps) -> String {
    let page = page();
    assert!(
        page.is_file(),
        "the published schedule page is missing: {}",
        page.display()
    );
    let mut check = Command::new(python());
    check
        .arg(interop().join("check_feed.py"))
        .args([OsStr::new("--feed"), feed.as_os_str()])
        .args([OsStr::new("--schedule"), schedule.as_os_str()])
        .args([OsStr::new("--page"), page.as_os_str()]);
    for dump in dumps.paths() {
        check.args([OsStr::new("--dump"), dump.as_os_str()]);
    }
    let output = run("check_feed.py", &mut check);
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn both_parsers_see_every_session_at_its_published_instant() {
    require_parsers();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let schedule = Path::new("schedule.yaml");
    let feed = build_feed(schedule, dir.path());
    let dumps = dump_with_both_parsers(&feed);
    let summary = check_against_page(&feed, schedule, &dumps);
    println!("{summary}");
}

/// The events of one parser's dump, by UID.
fn events_by_uid(dump: &Path) -> std::collections::BTreeMap<String, serde_json::Value> {
    let text = std::fs::read_to_string(dump)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dump.display()));
    let dump: serde_json::Value = serde_json::from_str(&text).expect("a dump is JSON");
    dump["events"]
        .as_array()
        .expect("a dump lists events")
        .iter()
        .map(|event| {
            let uid = event["uid"].as_str().expect("every event has a UID");
            (uid.to_owned(), event.clone())
        })
        .collect()
}

#[test]
fn both_parsers_read_each_published_session_file_as_its_event_in_the_feed() {
    require_parsers();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let site = dir.path().join("site");
    run(
        "syllabus-ics publish",
        Command::new(env!("CARGO_BIN_EXE_syllabus-ics"))
            .args([
                "publish",
                "schedule.yaml",
                "--base-url",
                "https://owner.github.io/meetup",
            ])
            .arg("--out")
            .arg(&site)
            .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH),
    );
    // The feed itself is checked against the published page above; `publish` writes the
    // same bytes as `build`.
    let feed_dir = dir.path().join("feed");
    std::fs::create_dir(&feed_dir).expect("a directory for the feed's dumps");
    let feed = feed_dir.join("feed.ics");
    std::fs::copy(site.join("schedule.ics"), &feed).expect("the published feed");
    let feed_dumps = dump_with_both_parsers(&feed);
    let in_feed = feed_dumps.paths().map(events_by_uid);
    let mut sessions = 0;
    for entry in std::fs::read_dir(site.join("sessions")).expect("a sessions directory") {
        let path = entry.expect("a session file").path();
        let id = path
            .file_stem()
            .and_then(OsStr::to_str)
            .expect("`<id>.ics`");
        let own = dir.path().join(id);
        std::fs::create_dir(&own).expect("a directory for the session's dumps");
        let file = own.join("session.ics");
        std::fs::copy(&path, &file).expect("the session file");
        let dumps = dump_with_both_parsers(&file);
        let uid = format!("{id}@vcs-meetup-2024");
        for (dump, feed_events) in dumps.paths().into_iter().zip(&in_feed) {
            // One appointment, not a calendar: nothing that names or refreshes a calendar.
            let calendar = calendar_of(dump);
            for property in [
                "name",
                "x_wr_calname",
                "description",
                "url",
                "refresh_interval",
                "x_published_ttl",
                "x_wr_timezone",
            ] {
                assert!(
                    calendar[property].is_null(),
                    "{} has the calendar property {property}: {}",
                    path.display(),
                    calendar[property]
                );
            }
            let events = events_by_uid(dump);
            assert_eq!(
                events.keys().collect::<Vec<_>>(),
                [&uid],
                "{} holds one event, its own",
                path.display()
            );
            assert_eq!(
                events[&uid],
                feed_events[&uid],
                "{} reads differently from the feed's event",
                path.display()
            );
        }
        sessions += 1;
    }
    assert_eq!(sessions, 21, "one file per dated session");
    // Every event links to its row of the page; a cancelled one invites nobody to join,
    // the others keep the meeting as their location.
    for dump in feed_dumps.paths() {
        for (uid, event) in events_by_uid(dump) {
            let cancelled = event["status"].as_str() == Some("CANCELLED");
            let description = event["description"].as_str().unwrap_or_default();
            let id = uid.split('@').next().unwrap();
            assert_eq!(
                event["url"].as_str(),
                Some(format!("https://owner.github.io/meetup/#s-{id}").as_str()),
                "{uid}"
            );
            if cancelled {
                assert!(event["location"].is_null(), "{uid}: {}", event["location"]);
                assert!(!description.contains("zoom.us"), "{uid}: {description}");
            } else {
                assert!(
                    event["location"]
                        .as_str()
                        .is_some_and(|l| l.contains("zoom.us")),
                    "{uid}"
                );
            }
        }
    }
}

/// The calendar-level properties of one parser's dump.
fn calendar_of(dump: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dump)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dump.display()));
    let dump: serde_json::Value = serde_json::from_str(&text).expect("a dump is JSON");
    dump["calendar"].clone()
}

/// One session of the DST schedules below: its id, the wall-clock start in the schedule's
/// zone, which occurrence of a repeated hour it means (the label says so in the file), and
/// its length in minutes.
struct Edge {
    id: &'static str,
    start: &'static str,
    label: &'static str,
    later: bool,
    minutes: i64,
}

/// Writes a schedule in `zone` whose sessions are `edges`, each with a UTC half that the
/// tz database (chrono-tz) computes here, and returns it with every session's expected UTC
/// start and end.
fn dst_schedule(
    dir: &Path,
    zone: chrono_tz::Tz,
    labels: &[&str],
    edges: &[Edge],
) -> (PathBuf, Vec<(String, String, String)>) {
    use chrono::{NaiveDateTime, TimeZone};
    let mut yaml = format!(
        "calendar:\n  id: edges\n  name: Edges\n  timezone: {zone}\n  year: {}\n  zones:\n",
        &edges[0].start[..4]
    );
    for label in labels {
        yaml.push_str(&format!("    {label}: {zone}\n"));
    }
    yaml.push_str("    UTC: Etc/UTC\nsessions:\n");
    let mut expected = Vec::new();
    for edge in edges {
        let civil = NaiveDateTime::parse_from_str(edge.start, "%Y-%m-%d %H:%M").unwrap();
        let start = match zone.from_local_datetime(&civil) {
            chrono::LocalResult::Single(at) => at,
            chrono::LocalResult::Ambiguous(first, second) => {
                if edge.later {
                    second
                } else {
                    first
                }
            }
            chrono::LocalResult::None => panic!("{} is in a gap", edge.start),
        };
        let utc = start.with_timezone(&chrono::Utc);
        let end = utc + chrono::TimeDelta::minutes(edge.minutes);
        let half = |at: NaiveDateTime, label: &str| {
            format!(
                "{}: {} {label}",
                at.format("%b. %-d").to_string().to_uppercase(),
                at.format("%-I:%M%P")
            )
        };
        yaml.push_str(&format!(
            "  - id: {}\n    time: \"{}, {}\"\n    topic: {}\n    duration: {}m\n",
            edge.id,
            half(civil, edge.label),
            half(utc.naive_utc(), "UTC"),
            edge.id,
            edge.minutes
        ));
        expected.push((
            format!("{}@edges", edge.id),
            utc.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            end.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        ));
    }
    let path = dir.join("schedule.yaml");
    std::fs::write(&path, yaml).unwrap();
    (path, expected)
}

#[test]
fn both_parsers_place_sessions_in_and_next_to_folds_and_gaps_as_the_tz_database_does() {
    use chrono_tz::{America, Australia, Europe};
    require_parsers();
    let edge = |id, start, label, later, minutes| Edge {
        id,
        start,
        label,
        later,
        minutes,
    };
    let cases: Vec<(chrono_tz::Tz, Vec<&str>, Vec<Edge>)> = vec![
        (
            America::Los_Angeles,
            vec!["PDT", "PST"],
            vec![
                edge("before-the-gap", "2024-03-10 01:30", "PST", false, 30),
                edge("after-the-gap", "2024-03-10 03:00", "PDT", false, 60),
                edge(
                    "ends-as-the-hour-repeats",
                    "2024-11-03 00:00",
                    "PDT",
                    false,
                    60,
                ),
                edge("first-one-thirty", "2024-11-03 01:30", "PDT", false, 60),
                edge("second-one-thirty", "2024-11-03 01:30", "PST", true, 60),
                edge("after-the-fold", "2024-11-03 02:00", "PST", false, 60),
            ],
        ),
        (
            Europe::London,
            vec!["BST", "GMT"],
            vec![
                edge("next-to-the-gap", "2024-03-31 02:00", "BST", false, 60),
                edge("first-half-past-one", "2024-10-27 01:30", "BST", false, 60),
                edge("second-half-past-one", "2024-10-27 01:30", "GMT", true, 45),
            ],
        ),
        (
            Australia::Sydney,
            vec!["AEDT", "AEST"],
            vec![
                edge("first-half-past-two", "2024-04-07 02:30", "AEDT", false, 60),
                edge("second-half-past-two", "2024-04-07 02:30", "AEST", true, 60),
                edge("next-to-the-gap", "2024-10-06 03:00", "AEDT", false, 60),
            ],
        ),
        (
            // Half-hour daylight saving: 2:00 back to 1:30 in April, 2:00 on to 2:30 in October.
            Australia::Lord_Howe,
            vec!["LHT"],
            vec![
                edge("before-the-fold", "2024-04-07 01:00", "LHT", false, 30),
                edge("after-the-fold", "2024-04-07 02:00", "LHT", false, 60),
                edge("after-the-gap", "2024-10-06 02:30", "LHT", false, 60),
            ],
        ),
        (
            // The US rules changed in 2007: the 2006 observances end with UNTIL.
            America::Los_Angeles,
            vec!["PDT", "PST"],
            vec![
                edge("old-rule-spring", "2006-04-03 17:00", "PDT", false, 60),
                edge("old-rule-autumn", "2006-10-30 17:00", "PST", false, 60),
                edge("new-year", "2007-01-08 17:00", "PST", false, 60),
                edge("new-rule-spring", "2007-03-12 17:00", "PDT", false, 60),
                edge("new-rule-autumn", "2007-11-05 17:00", "PST", false, 60),
            ],
        ),
    ];
    for (index, (zone, labels, edges)) in cases.iter().enumerate() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let case = dir.path().join(index.to_string());
        std::fs::create_dir(&case).unwrap();
        let (schedule, expected) = dst_schedule(&case, *zone, labels, edges);
        let feed = build_feed(&schedule, &case);
        let dumps = dump_with_both_parsers(&feed);
        for dump in dumps.paths() {
            let events = events_by_uid(dump);
            assert_eq!(events.len(), expected.len(), "{zone}: {}", dump.display());
            for (uid, start, end) in &expected {
                let event = &events[uid];
                assert_eq!(
                    event["start_utc"].as_str(),
                    Some(start.as_str()),
                    "{zone} {uid} start in {}",
                    dump.display()
                );
                assert_eq!(
                    event["end_utc"].as_str(),
                    Some(end.as_str()),
                    "{zone} {uid} end in {}",
                    dump.display()
                );
            }
        }
    }
}

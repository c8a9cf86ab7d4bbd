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

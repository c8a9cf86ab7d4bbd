//! `build --previous FEED`: a rebuild against the feed subscribers have now. Each test builds
//! `tests/fixtures/previous/before.yaml`, then a variant of it (one session moved, described,
//! cancelled, removed) against that feed, and shows every line that changed, by event.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use syllabus_ics::event;
use syllabus_ics::ics::{self, previous};
use syllabus_ics::source::SourceFile;

/// 2024-01-01T00:00:00Z, the first publication.
const FIRST: &str = "1704067200";
/// 2024-04-01T19:33:20Z, a later commit.
const LATER: &str = "1712000000";
/// 2024-04-10T09:20:00Z, later still.
const LATEST: &str = "1712740800";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/previous")
        .join(name)
}

/// `build FIXTURE [--previous FEED] [EXTRA...]` stamped `epoch`.
fn build(schedule: &str, epoch: &str, previous: Option<&Path>, extra: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_syllabus-ics"));
    command
        .arg("build")
        .arg(fixture(schedule))
        .args(extra)
        .env("SOURCE_DATE_EPOCH", epoch)
        .env("NO_COLOR", "1");
    if let Some(feed) = previous {
        command.arg("--previous").arg(feed);
    }
    command.output().expect("the binary runs")
}

fn feed(output: &Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}\nstderr:\n{}",
        output.status.code(),
        stderr(output)
    );
    String::from_utf8(output.stdout.clone()).expect("the feed is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Writes `feed` where a workflow would have fetched it to.
fn published(dir: &tempfile::TempDir, name: &str, feed: &str) -> PathBuf {
    let path = dir.path().join(name);
    fs::write(&path, feed).unwrap();
    path
}

/// Content lines with folding undone, each with the UID of the event it is in
/// (`VCALENDAR` outside events).
fn lines(feed: &str) -> Vec<(String, String)> {
    let joined = feed.replace("\r\n ", "");
    let mut out = Vec::new();
    let mut block: Vec<String> = Vec::new();
    for line in joined.split_terminator("\r\n") {
        if line == "BEGIN:VEVENT" || !block.is_empty() {
            block.push(line.to_owned());
            if line == "END:VEVENT" {
                let uid = block
                    .iter()
                    .find_map(|l| l.strip_prefix("UID:"))
                    .unwrap_or("?")
                    .to_owned();
                out.extend(block.drain(..).map(|l| (uid.clone(), l)));
            }
        } else {
            out.push(("VCALENDAR".to_owned(), line.to_owned()));
        }
    }
    out
}

/// Every line that differs between two feeds, `uid: -old` or `uid: +new`, in order (a
/// longest-common-subsequence diff: a moved line shows as removed and added).
fn diff(old: &str, new: &str) -> Vec<String> {
    let (a, b) = (lines(old), lines(new));
    let mut common = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i][j] = if a[i] == b[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j == b.len() || (i < a.len() && common[i + 1][j] >= common[i][j + 1]) {
            out.push(format!("{}: -{}", a[i].0, a[i].1));
            i += 1;
        } else {
            out.push(format!("{}: +{}", b[j].0, b[j].1));
            j += 1;
        }
    }
    out
}

/// The diff without the two description lines, whose text follows from the rest.
fn without_descriptions(diff: Vec<String>) -> Vec<String> {
    diff.into_iter()
        .filter(|l| !l.contains(": -X-ALT-DESC") && !l.contains(": +X-ALT-DESC"))
        .filter(|l| !l.contains(": -DESCRIPTION:") && !l.contains(": +DESCRIPTION:"))
        .collect()
}

#[test]
fn rebuilding_an_unchanged_schedule_gives_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let first = feed(&build("before.yaml", FIRST, None, &[]));
    let previous = published(&dir, "previous.ics", &first);
    let again = build("before.yaml", LATER, Some(&previous), &[]);
    assert_eq!(feed(&again), first);
    assert_eq!(stderr(&again), "");
}

#[test]
fn moving_a_session_changes_only_its_time_sequence_and_stamps() {
    let dir = tempfile::tempdir().unwrap();
    let first = feed(&build("before.yaml", FIRST, None, &[]));
    let previous = published(&dir, "previous.ics", &first);
    let moved = build("moved.yaml", LATER, Some(&previous), &[]);
    assert_eq!(stderr(&moved), "");
    assert_eq!(
        diff(&first, &feed(&moved)),
        [
            "second@reading-group: -DTSTAMP:20240101T000000Z",
            "second@reading-group: -DTSTART;TZID=America/Los_Angeles:20240422T170000",
            "second@reading-group: -DTEND;TZID=America/Los_Angeles:20240422T180000",
            "second@reading-group: +DTSTAMP:20240401T193320Z",
            "second@reading-group: +LAST-MODIFIED:20240401T193320Z",
            "second@reading-group: +DTSTART;TZID=America/Los_Angeles:20240424T170000",
            "second@reading-group: +DTEND;TZID=America/Los_Angeles:20240424T180000",
            "second@reading-group: -SEQUENCE:0",
            "second@reading-group: +SEQUENCE:1",
            "second@reading-group: -DESCRIPTION:Mon Apr 22\\, 5:00pm PDT / Tue Apr 23\\, 8:00am BJT\\n\\nJoin:\\nhttps://example.org/join",
            "second@reading-group: -X-ALT-DESC;FMTTYPE=text/html:<html><body><p>Mon Apr 22\\, 5:00pm PDT / Tue Apr 23\\, 8:00am BJT</p><p>Join: <a href=\"https://example.org/join\">https://example.org/join</a></p></body></html>",
            "second@reading-group: +DESCRIPTION:Wed Apr 24\\, 5:00pm PDT / Thu Apr 25\\, 8:00am BJT\\n\\nJoin:\\nhttps://example.org/join",
            "second@reading-group: +X-ALT-DESC;FMTTYPE=text/html:<html><body><p>Wed Apr 24\\, 5:00pm PDT / Thu Apr 25\\, 8:00am BJT</p><p>Join: <a href=\"https://example.org/join\">https://example.org/join</a></p></body></html>",
        ]
    );
}

#[test]
fn a_changed_event_keeps_its_new_revision_until_it_changes_again() {
    let dir = tempfile::tempdir().unwrap();
    let first = feed(&build("before.yaml", FIRST, None, &[]));
    let moved = feed(&build(
        "moved.yaml",
        LATER,
        Some(&published(&dir, "first.ics", &first)),
        &[],
    ));
    let previous = published(&dir, "moved.ics", &moved);
    let unchanged = build("moved.yaml", LATEST, Some(&previous), &[]);
    assert_eq!(feed(&unchanged), moved);
    let moved_back = build("before.yaml", LATEST, Some(&previous), &[]);
    assert_eq!(
        without_descriptions(diff(&moved, &feed(&moved_back))),
        [
            "second@reading-group: -DTSTAMP:20240401T193320Z",
            "second@reading-group: -LAST-MODIFIED:20240401T193320Z",
            "second@reading-group: -DTSTART;TZID=America/Los_Angeles:20240424T170000",
            "second@reading-group: -DTEND;TZID=America/Los_Angeles:20240424T180000",
            "second@reading-group: +DTSTAMP:20240410T092000Z",
            "second@reading-group: +LAST-MODIFIED:20240410T092000Z",
            "second@reading-group: +DTSTART;TZID=America/Los_Angeles:20240422T170000",
            "second@reading-group: +DTEND;TZID=America/Los_Angeles:20240422T180000",
            "second@reading-group: -SEQUENCE:1",
            "second@reading-group: +SEQUENCE:2",
        ]
    );
}

#[test]
fn changing_only_a_description_restamps_the_event_but_keeps_its_sequence() {
    let dir = tempfile::tempdir().unwrap();
    let first = feed(&build("before.yaml", FIRST, None, &[]));
    let previous = published(&dir, "previous.ics", &first);
    let described = build("described.yaml", LATER, Some(&previous), &[]);
    assert_eq!(stderr(&described), "");
    assert_eq!(
        diff(&first, &feed(&described)),
        [
            "second@reading-group: -DTSTAMP:20240101T000000Z",
            "second@reading-group: +DTSTAMP:20240401T193320Z",
            "second@reading-group: +LAST-MODIFIED:20240401T193320Z",
            "second@reading-group: -DESCRIPTION:Mon Apr 22\\, 5:00pm PDT / Tue Apr 23\\, 8:00am BJT\\n\\nJoin:\\nhttps://example.org/join",
            "second@reading-group: -X-ALT-DESC;FMTTYPE=text/html:<html><body><p>Mon Apr 22\\, 5:00pm PDT / Tue Apr 23\\, 8:00am BJT</p><p>Join: <a href=\"https://example.org/join\">https://example.org/join</a></p></body></html>",
            "second@reading-group: +DESCRIPTION:Mon Apr 22\\, 5:00pm PDT / Tue Apr 23\\, 8:00am BJT\\n\\nJoin:\\nhttps://example.org/join\\n\\nPrepare:\\n- https://example.org/paper.pdf",
            "second@reading-group: +X-ALT-DESC;FMTTYPE=text/html:<html><body><p>Mon Apr 22\\, 5:00pm PDT / Tue Apr 23\\, 8:00am BJT</p><p>Join: <a href=\"https://example.org/join\">https://example.org/join</a></p><p><b>Prepare</b></p><ul><li><a href=\"https://example.org/paper.pdf\">https://example.org/paper.pdf</a></li></ul></body></html>",
        ]
    );
}

#[test]
fn cancelling_a_session_raises_its_sequence() {
    let dir = tempfile::tempdir().unwrap();
    let first = feed(&build("before.yaml", FIRST, None, &[]));
    let previous = published(&dir, "previous.ics", &first);
    let cancelled = build("cancelled.yaml", LATER, Some(&previous), &[]);
    assert_eq!(
        without_descriptions(diff(&first, &feed(&cancelled))),
        [
            "second@reading-group: -DTSTAMP:20240101T000000Z",
            "second@reading-group: +DTSTAMP:20240401T193320Z",
            "second@reading-group: +LAST-MODIFIED:20240401T193320Z",
            "second@reading-group: -SUMMARY:Second meeting",
            "second@reading-group: -STATUS:CONFIRMED",
            "second@reading-group: -TRANSP:OPAQUE",
            "second@reading-group: -SEQUENCE:0",
            // A cancelled event invites nobody to join.
            "second@reading-group: -LOCATION:https://example.org/join",
            "second@reading-group: -URL;VALUE=URI:https://example.org/join",
            "second@reading-group: -CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO:https://example.org/join",
            "second@reading-group: +SUMMARY:Cancelled: Second meeting",
            "second@reading-group: +STATUS:CANCELLED",
            "second@reading-group: +TRANSP:TRANSPARENT",
            "second@reading-group: +SEQUENCE:1",
        ]
    );
}

#[test]
fn removing_a_session_is_a_warning_that_names_its_uid() {
    let dir = tempfile::tempdir().unwrap();
    let first = feed(&build("before.yaml", FIRST, None, &[]));
    let previous = published(&dir, "previous.ics", &first);
    let dropped = build("dropped.yaml", LATER, Some(&previous), &[]);
    let schedule = fixture("dropped.yaml").display().to_string();
    assert_eq!(
        stderr(&dropped),
        format!(
            "warning[dropped-session]: `second@reading-group` is in the previous feed but no session has the id `second` now
--> {schedule}
 = help: keep the session and mark it `status: cancelled`: a deleted event vanishes from subscribed calendars without notice, and stays in calendars that imported it
"
        )
    );
    let removed: Vec<String> = diff(&first, &feed(&dropped))
        .into_iter()
        .filter(|l| !l.starts_with("second@reading-group: -"))
        .collect();
    assert_eq!(removed, Vec::<String>::new());
}

#[test]
fn a_session_that_loses_its_date_is_a_warning_that_names_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let first = feed(&build("before.yaml", FIRST, None, &[]));
    let previous = published(&dir, "previous.ics", &first);
    let undated = build("undated.yaml", LATER, Some(&previous), &[]);
    assert!(undated.status.success());
    let schedule = fixture("undated.yaml").display().to_string();
    assert_eq!(
        stderr(&undated),
        format!(
            "warning[dropped-session]: `second@reading-group` leaves the feed: session `second` has no date now
--> {schedule}
 = help: keep its `time:` and mark it `status: cancelled` until it has a new date; a vanished event leaves subscribed calendars without notice
 = note: session `second`
"
        )
    );
}

#[test]
fn a_stamp_no_later_than_the_previous_feeds_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let first = feed(&build("before.yaml", FIRST, None, &[]));
    let previous = published(&dir, "previous.ics", &first);
    let described = build("described.yaml", FIRST, Some(&previous), &[]);
    let schedule = fixture("described.yaml").display().to_string();
    assert_eq!(
        stderr(&described),
        format!(
            "warning[stale-stamp]: `second@reading-group` changed, but this build's stamp 2024-01-01 00:00:00 UTC is no later than the previous feed's
--> {schedule}
 = help: set `SOURCE_DATE_EPOCH` to the time of the change, e.g. `SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)`; clients that compare LAST-MODIFIED keep their old copy otherwise
"
        )
    );
}

#[test]
fn one_exported_session_carries_its_revision() {
    let dir = tempfile::tempdir().unwrap();
    let first = feed(&build("before.yaml", FIRST, None, &[]));
    let previous = published(&dir, "previous.ics", &first);
    let one = feed(&build(
        "moved.yaml",
        LATER,
        Some(&previous),
        &["--session", "second"],
    ));
    let revision: Vec<String> = lines(&one)
        .into_iter()
        .map(|(_, line)| line)
        .filter(|l| {
            ["SEQUENCE:", "DTSTAMP:", "LAST-MODIFIED:"]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .collect();
    assert_eq!(
        revision,
        [
            "DTSTAMP:20240401T193320Z",
            "LAST-MODIFIED:20240401T193320Z",
            "SEQUENCE:1"
        ]
    );
}

#[test]
fn a_missing_previous_feed_stops_the_build_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("previous.ics");
    let out = dir.path().join("feed.ics");
    let output = build(
        "before.yaml",
        LATER,
        Some(&missing),
        &["-o", out.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(!out.exists());
    assert_eq!(
        stderr(&output),
        format!(
            "error: could not read the previous feed `{}`: no such file; nothing was written
  = help: pass the feed as it is published, e.g. fetched with `curl -fsSL URL -o previous.ics`; before the first publication there is none, so leave `--previous` out
",
            missing.display()
        )
    );
}

#[test]
fn a_previous_feed_that_is_not_icalendar_stops_the_build() {
    let dir = tempfile::tempdir().unwrap();
    let page = published(
        &dir,
        "previous.ics",
        "<!DOCTYPE html>\n<title>Not Found</title>\n",
    );
    let output = build("before.yaml", LATER, Some(&page), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        stderr(&output),
        format!(
            "error: the previous feed `{}` is not an iCalendar feed: its first line is `<!DOCTYPE html>`, not `BEGIN:VCALENDAR`; nothing was written
  = help: pass the feed syllabus-ics published, fetched again from its URL
",
            page.display()
        )
    );
}

#[test]
fn a_revised_feed_reads_back_with_the_independent_parser() {
    let text = |name: &str| fs::read_to_string(fixture(name)).unwrap();
    let first_source = SourceFile::new("before.yaml", text("before.yaml"));
    let first_schedule = syllabus_ics::check(&first_source).schedule.unwrap();
    let first_events = event::events(&first_schedule);
    let first = ics::render(
        &first_schedule,
        &first_events,
        "2024-01-01T00:00:00Z".parse().unwrap(),
    );

    let source = SourceFile::new("moved.yaml", text("moved.yaml"));
    let schedule = syllabus_ics::check(&source).schedule.unwrap();
    let events = event::events(&schedule);
    let previous = previous::parse(Path::new("previous.ics"), &first).unwrap();
    let stamp = "2024-04-01T19:33:20Z".parse().unwrap();
    let revised = previous::revise(&previous, &schedule, &events, stamp, None).unwrap();
    assert!(revised.diagnostics.is_empty());
    assert_eq!(
        revised.revisions.of("second@reading-group"),
        ics::Revision {
            sequence: 1,
            stamp,
            last_modified: Some(stamp),
        }
    );
    let feed = ics::render_revised(&schedule, &events, &revised.revisions);
    assert_eq!(ics::verify::roundtrip(&feed, &events), Ok(()));
    // Read back as the next build will read it, the feed gives the same revisions.
    let again = previous::parse(Path::new("feed.ics"), &feed).unwrap();
    let next = previous::revise(&again, &schedule, &events, stamp, None).unwrap();
    assert_eq!(next.revisions, revised.revisions);
}

/// ical.js: `uid sequence last-modified dtstamp` per event.
const ICAL_JS: &str = r#"
import { readFileSync } from "node:fs";
import ICAL from "ical.js";
const root = new ICAL.Component(ICAL.parse(readFileSync(process.argv[1], "utf8")));
for (const event of root.getAllSubcomponents("vevent")) {
  const modified = event.getFirstPropertyValue("last-modified");
  console.log([
    event.getFirstPropertyValue("uid"),
    new ICAL.Event(event).sequence,
    modified ? modified.toJSDate().toISOString().replace(".000Z", "Z") : "-",
    event.getFirstPropertyValue("dtstamp").toJSDate().toISOString().replace(".000Z", "Z"),
  ].join(" "));
}
"#;

/// Python `icalendar`: the same, in the same form.
const ICALENDAR: &str = r#"
import sys, icalendar
calendar = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
utc = lambda t: t.dt.strftime("%Y-%m-%dT%H:%M:%SZ")
for event in calendar.walk("VEVENT"):
    modified = event.get("LAST-MODIFIED")
    print(event["UID"], int(event.get("SEQUENCE", 0)), utc(modified) if modified else "-", utc(event["DTSTAMP"]))
"#;

#[test]
fn both_interop_parsers_read_the_raised_sequence_and_last_modified() {
    let interop = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop");
    let python = interop.join(".venv/bin/python");
    assert!(
        python.is_file() && interop.join("node_modules/ical.js").is_dir(),
        "the interop parsers are not installed: run `scripts/test` (it installs them)"
    );
    let dir = tempfile::tempdir().unwrap();
    let first = feed(&build("before.yaml", FIRST, None, &[]));
    let previous = published(&dir, "previous.ics", &first);
    let moved = published(
        &dir,
        "moved.ics",
        &feed(&build("moved.yaml", LATER, Some(&previous), &[])),
    );
    let expected = "first@reading-group 0 - 2024-01-01T00:00:00Z
second@reading-group 1 2024-04-01T19:33:20Z 2024-04-01T19:33:20Z
third@reading-group 0 - 2024-01-01T00:00:00Z
";
    let ical_js = Command::new("node")
        .args(["--input-type=module", "-e", ICAL_JS])
        .arg(&moved)
        .current_dir(&interop)
        .output()
        .expect("node runs");
    assert_eq!(
        String::from_utf8_lossy(&ical_js.stdout),
        expected,
        "{ical_js:?}"
    );
    let icalendar = Command::new(&python)
        .args(["-c", ICALENDAR])
        .arg(&moved)
        .output()
        .expect("python runs");
    assert_eq!(
        String::from_utf8_lossy(&icalendar.stdout),
        expected,
        "{icalendar:?}"
    );
}

#[test]
fn a_changed_calendar_id_drops_every_event_and_says_which_id_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let first =
        feed(&build("before.yaml", FIRST, None, &[])).replace("@reading-group", "@old-group");
    let previous = published(&dir, "previous.ics", &first);
    let output = build("before.yaml", LATER, Some(&previous), &[]);
    let stderr = stderr(&output);
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert_eq!(
        warnings,
        [
            "warning[dropped-session]: `first@old-group` is in the previous feed but not in this one, whose `calendar.id` is `reading-group`",
            "warning[dropped-session]: `second@old-group` is in the previous feed but not in this one, whose `calendar.id` is `reading-group`",
            "warning[dropped-session]: `third@old-group` is in the previous feed but not in this one, whose `calendar.id` is `reading-group`",
        ]
    );
    assert!(stderr.contains(" = help: every UID ends in `calendar.id`: change it back to `old-group`, or every event is replaced by a new one\n"));
}

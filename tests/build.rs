//! `syllabus-ics build` end to end: the binary on the bundled schedule and on tiny fixtures.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// Runs the binary from the repository root with a fixed SOURCE_DATE_EPOCH.
fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_syllabus-ics"))
        .args(args)
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", "1704067200")
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("the feed is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Content lines with folding undone.
fn unfolded(feed: &str) -> Vec<String> {
    feed.replace("\r\n ", "")
        .split("\r\n")
        .map(str::to_owned)
        .collect()
}

fn count(feed: &str, line: &str) -> usize {
    unfolded(feed).iter().filter(|l| *l == line).count()
}

#[test]
fn the_bundled_schedule_builds_21_events_with_one_vtimezone() {
    let feed = stdout(&run(&["build", "schedule.yaml"]));
    assert_eq!(count(&feed, "BEGIN:VEVENT"), 21);
    assert_eq!(count(&feed, "BEGIN:VTIMEZONE"), 1);
    assert_eq!(count(&feed, "STATUS:CANCELLED"), 3);
    assert_eq!(count(&feed, "TZID:America/Los_Angeles"), 1);
    assert!(feed.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(feed.ends_with("END:VCALENDAR\r\n"));
    let lines = unfolded(&feed);
    for wanted in [
        "UID:containers@vcs-meetup-2024",
        "DTSTART;TZID=America/Los_Angeles:20240415T170000",
        "DTEND;TZID=America/Los_Angeles:20240415T180000",
        "DTSTAMP:20240101T000000Z",
        "METHOD:PUBLISH",
        "X-WR-TIMEZONE:America/Los_Angeles",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        "SUMMARY:Cancelled: Guest Talk: TBD",
    ] {
        assert!(lines.iter().any(|l| l == wanted), "missing `{wanted}`");
    }
}

#[test]
fn every_physical_line_ends_in_crlf_and_fits_75_octets() {
    let feed = stdout(&run(&["build", "schedule.yaml"]));
    assert!(!feed.replace("\r\n", "").contains('\n'), "a bare LF");
    for line in feed.split_terminator("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
}

#[test]
fn building_twice_gives_identical_bytes() {
    let first = run(&["build", "schedule.yaml"]);
    let second = run(&["build", "schedule.yaml"]);
    assert_eq!(stdout(&first), stdout(&second));
}

#[test]
fn source_date_epoch_sets_every_dtstamp() {
    let output = Command::new(env!("CARGO_BIN_EXE_syllabus-ics"))
        .args(["build", "schedule.yaml"])
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", "1717243200")
        .output()
        .unwrap();
    let feed = stdout(&output);
    assert_eq!(count(&feed, "DTSTAMP:20240601T120000Z"), 21);
}

#[test]
fn a_bad_source_date_epoch_is_refused() {
    let output = Command::new(env!("CARGO_BIN_EXE_syllabus-ics"))
        .args(["build", "schedule.yaml"])
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("SOURCE_DATE_EPOCH is `yesterday`"));
}

#[test]
fn the_description_lists_times_links_and_readings() {
    let feed = stdout(&run(&["build", "schedule.yaml", "--session", "containers"]));
    let description = unfolded(&feed)
        .into_iter()
        .skip_while(|l| l != "BEGIN:VEVENT")
        .find(|l| l.starts_with("DESCRIPTION:"))
        .unwrap();
    assert!(description.starts_with(
        "DESCRIPTION:Mon Apr 15\\, 5:00pm PDT / Tue Apr 16\\, 8:00am BJT\\n\\nJoin:\\nhttps://us06web.zoom.us/j/"
    ));
    for fragment in [
        "Presenter: Mossaka",
        "\\nPrepare:\\n- Understanding and Hardening Linux Containers (mainly Ch 2 to Ch 5",
        "\\nhttps://linuxcontainers.org/\\n",
        "\\nPre-meetup reflection:\\n- Paper Reflection\\nhttps://docs.google.com/",
        "\\nRecording:\\n- https://youtu.be/xI-FOc-kalk",
    ] {
        assert!(
            description.contains(fragment),
            "missing {fragment} in {description}"
        );
    }
}

#[test]
fn one_session_exports_as_its_own_calendar() {
    let feed = stdout(&run(&["build", "schedule.yaml", "--session", "kvm-qemu"]));
    assert_eq!(count(&feed, "BEGIN:VEVENT"), 1);
    assert_eq!(count(&feed, "BEGIN:VTIMEZONE"), 1);
    assert_eq!(count(&feed, "UID:kvm-qemu@vcs-meetup-2024"), 1);
}

/// The calendar-level properties that make Outlook open a file as a new calendar.
const CALENDAR_PROPERTIES: [&str; 8] = [
    "NAME:",
    "X-WR-CALNAME:",
    "DESCRIPTION:",
    "X-WR-CALDESC:",
    "URL",
    "X-WR-TIMEZONE:",
    "REFRESH-INTERVAL",
    "X-PUBLISHED-TTL:",
];

/// The content lines of the calendar outside its components (VTIMEZONE, VEVENT).
fn calendar_lines(feed: &str) -> Vec<String> {
    let mut depth = 0usize;
    let mut outside = Vec::new();
    for line in unfolded(feed) {
        if line.starts_with("BEGIN:") {
            depth += 1;
        } else if line.starts_with("END:") {
            depth -= 1;
        } else if depth == 1 {
            outside.push(line);
        }
    }
    outside
}

#[test]
fn one_exported_session_is_an_appointment_not_a_calendar() {
    let feed = stdout(&run(&["build", "schedule.yaml", "--session", "kvm-qemu"]));
    let outside = calendar_lines(&feed);
    assert_eq!(
        outside,
        [
            "VERSION:2.0",
            &format!(
                "PRODID:-//syllabus-ics//syllabus-ics {}//EN",
                env!("CARGO_PKG_VERSION")
            ),
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
        ]
    );
    let whole = calendar_lines(&stdout(&run(&["build", "schedule.yaml"])));
    for property in CALENDAR_PROPERTIES {
        let named = |lines: &[String]| lines.iter().any(|l| l.starts_with(property));
        // Every one of them is in the feed (the bundled calendar has no `url`).
        assert_eq!(named(&whole), property != "URL", "{property} in the feed");
        assert!(!named(&outside), "{property} in a single-session file");
    }
}

#[test]
fn the_default_refresh_is_one_hour() {
    let feed = stdout(&run(&["build", fixture("minimal.yaml").to_str().unwrap()]));
    let lines = unfolded(&feed);
    assert!(lines.contains(&"REFRESH-INTERVAL;VALUE=DURATION:PT1H".to_owned()));
    assert!(lines.contains(&"X-PUBLISHED-TTL:PT1H".to_owned()));
}

#[test]
fn a_cancelled_event_invites_nobody_to_join() {
    let zoom = "https://us06web.zoom.us/j/87491153577";
    for args in [
        vec!["build", "schedule.yaml"],
        vec!["build", "schedule.yaml", "--session", "guest-mar-19"],
        vec!["build", fixture("cancelled-shown.yaml").to_str().unwrap()],
    ] {
        let feed = stdout(&run(&args));
        let events: Vec<&str> = feed.split("BEGIN:VEVENT").skip(1).collect();
        assert!(!events.is_empty());
        for event in events {
            let event = event.replace("\r\n ", "");
            let cancelled = event.contains("SUMMARY:Cancelled");
            if cancelled {
                for gone in ["LOCATION:", "URL", "CONFERENCE", "Join:", zoom] {
                    assert!(
                        !event.contains(gone),
                        "{gone} in a cancelled event: {event}"
                    );
                }
            } else if event.contains(zoom) {
                assert!(event.contains("CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO:"));
            }
        }
    }
}

#[test]
fn with_the_page_known_each_event_links_to_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(root().join("schedule.yaml"))
        .unwrap()
        .replace(
            "  timezone: America/Los_Angeles\n",
            "  url: https://example.org/meetup/\n  timezone: America/Los_Angeles\n",
        );
    let schedule = dir.path().join("schedule.yaml");
    fs::write(&schedule, text).unwrap();
    let feed = stdout(&run(&["build", schedule.to_str().unwrap()]));
    let lines = unfolded(&feed);
    assert!(lines.contains(&"URL;VALUE=URI:https://example.org/meetup/#s-containers".to_owned()));
    // The meeting stays where a client looks for a way to join.
    let containers = feed
        .replace("\r\n ", "")
        .split("BEGIN:VEVENT")
        .find(|e| e.contains("UID:containers@"))
        .unwrap()
        .to_owned();
    assert!(containers.contains("LOCATION:https://us06web.zoom.us/j/87491153577"));
    assert!(
        containers.contains("CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO:https://us06web.zoom.us/")
    );
    assert_eq!(containers.matches("URL;VALUE=URI:").count(), 1);
}

#[test]
fn an_unknown_session_suggests_the_closest_id() {
    let output = run(&["build", "schedule.yaml", "--session", "kvm-qmeu"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("error[unknown-session]: there is no session `kvm-qmeu`"));
    assert!(stderr(&output).contains("did you mean `kvm-qemu`?"));
}

#[test]
fn cancelled_sessions_can_stay_visible_as_free_events() {
    let feed = stdout(&run(&[
        "build",
        fixture("cancelled-shown.yaml").to_str().unwrap(),
    ]));
    let lines = unfolded(&feed);
    assert!(lines.contains(&"SUMMARY:Cancelled: Holiday".to_owned()));
    assert!(lines.contains(&"TRANSP:TRANSPARENT".to_owned()));
    assert!(!lines.iter().any(|l| l.starts_with("STATUS:")));
}

#[test]
fn hostile_text_is_escaped_and_cannot_inject_components() {
    let feed = stdout(&run(&[
        "build",
        fixture("hostile-text.yaml").to_str().unwrap(),
    ]));
    assert_eq!(count(&feed, "BEGIN:VEVENT"), 1);
    assert_eq!(count(&feed, "END:VEVENT"), 1);
    let lines = unfolded(&feed);
    assert!(
        lines.contains(
            &"SUMMARY:Topic\\; with\\, separators \\\\ and emoji 🎉 and עברית".to_owned()
        )
    );
    assert!(lines.contains(&"NAME:Semi\\; colon\\, comma \\\\ backslash".to_owned()));
    assert!(
        !lines
            .iter()
            .any(|l| l == "SUMMARY:injected" || l == "END:VEVENT\\n")
    );
    let description = lines
        .iter()
        .find(|l| l.starts_with("DESCRIPTION:"))
        .unwrap();
    assert!(description.contains("(line one\\nEND:VEVENT\\nBEGIN:VEVENT\\nSUMMARY:injected)"));
    assert!(description.contains("https://example.org/a?b=1&c=2\\;d"));
}

#[test]
fn a_schedule_with_errors_writes_nothing_and_keeps_the_old_feed() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("feed.ics");
    fs::write(&target, "the last good feed").unwrap();
    let output = run(&[
        "build",
        fixture("broken.yaml").to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("error[dual-time-mismatch]"));
    assert!(stderr(&output).contains("has 1 error; nothing was written"));
    assert_eq!(fs::read_to_string(&target).unwrap(), "the last good feed");
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn the_feed_file_is_replaced_whole() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("feed.ics");
    fs::write(&target, "old").unwrap();
    let output = run(&["build", "schedule.yaml", "-o", target.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let written = fs::read_to_string(&target).unwrap();
    assert_eq!(written, stdout(&run(&["build", "schedule.yaml"])));
    assert!(stderr(&output).contains("wrote 21 events"));
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn a_missing_output_directory_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("no/such/dir/feed.ics");
    let output = run(&["build", "schedule.yaml", "-o", target.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("could not write"),
        "{}",
        stderr(&output)
    );
    assert!(!Path::new(&target).exists());
}

#[test]
fn a_missing_schedule_is_a_clear_error() {
    let output = run(&["build", "nope.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("could not read `nope.yaml`: no such file"));
}

#[test]
fn a_tiny_schedule_keeps_tbd_topics_out_of_the_feed() {
    let feed = stdout(&run(&["build", fixture("minimal.yaml").to_str().unwrap()]));
    assert_eq!(count(&feed, "BEGIN:VEVENT"), 2);
    assert!(!feed.contains("Some day"));
    assert_eq!(count(&feed, "SUMMARY:Cancelled: Second meeting"), 1);
}

#[test]
fn the_second_occurrence_of_a_repeated_hour_is_written_in_utc() {
    // RFC 5545 §3.3.5: a local time in a fold means its first occurrence, so 1:30am PST
    // on the night clocks go back must not be written as a TZID wall-clock time.
    let feed = stdout(&run(&["build", fixture("dst-fold.yaml").to_str().unwrap()]));
    let lines = unfolded(&feed);
    let event = |uid: &str| -> Vec<String> {
        lines
            .iter()
            .skip_while(|l| **l != format!("UID:{uid}"))
            .take_while(|l| *l != "END:VEVENT")
            .filter(|l| l.starts_with("DTSTART") || l.starts_with("DTEND"))
            .cloned()
            .collect()
    };
    assert_eq!(
        event("first-one-thirty@reading-group"),
        [
            "DTSTART;TZID=America/Los_Angeles:20241103T013000",
            "DTEND:20241103T093000Z"
        ]
    );
    assert_eq!(
        event("second-one-thirty@reading-group"),
        [
            "DTSTART:20241103T093000Z",
            "DTEND;TZID=America/Los_Angeles:20241103T023000"
        ]
    );
}

/// A copy of `minimal.yaml` in a directory of its own, and that directory.
fn schedule_in_temp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let schedule = dir.path().join("schedule.yaml");
    fs::copy(fixture("minimal.yaml"), &schedule).unwrap();
    (dir, schedule)
}

fn path(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// `args` stop with exit 2 and the `output-is-input` error, and the schedule is untouched.
fn refused_over_an_input(args: &[&str], schedule: &Path) {
    let before = fs::read(schedule).unwrap();
    let output = run(args);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).starts_with("error: `-o ")
            && stderr(&output).contains("nothing was written"),
        "{}",
        stderr(&output)
    );
    assert!(output.stdout.is_empty());
    assert_eq!(
        fs::read(schedule).unwrap(),
        before,
        "{args:?} changed the schedule"
    );
}

#[test]
fn the_feed_is_never_written_over_the_schedule_by_any_path() {
    let (dir, schedule) = schedule_in_temp();
    let dotted = dir.path().join(".").join("schedule.yaml");
    let climbed = dir
        .path()
        .join("..")
        .join(dir.path().file_name().unwrap())
        .join("schedule.yaml");
    let hard = dir.path().join("hard.yaml");
    fs::hard_link(&schedule, &hard).unwrap();
    let mut outputs = vec![schedule.clone(), dotted, climbed, hard];
    #[cfg(unix)]
    {
        let link = dir.path().join("link.ics");
        std::os::unix::fs::symlink(&schedule, &link).unwrap();
        outputs.push(link);
    }
    for output in &outputs {
        refused_over_an_input(&["build", path(&schedule), "-o", path(output)], &schedule);
        refused_over_an_input(&["html", path(&schedule), "-o", path(output)], &schedule);
    }
    let mut names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(
        names.len(),
        outputs.len() - 2,
        "no temporary file left: {names:?}"
    );
}

#[test]
fn the_feed_is_never_written_over_the_previous_feed() {
    let (dir, schedule) = schedule_in_temp();
    let feed = dir.path().join("feed.ics");
    fs::write(&feed, stdout(&run(&["build", path(&schedule)]))).unwrap();
    let before = fs::read(&feed).unwrap();
    let output = run(&[
        "build",
        path(&schedule),
        "--previous",
        path(&feed),
        "-o",
        path(&feed),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("is the previous feed"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fs::read(&feed).unwrap(), before);
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_replaces_the_file_it_names_and_stays_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, schedule) = schedule_in_temp();
    let real = dir.path().join("real.ics");
    let link = dir.path().join("feed.ics");
    std::os::unix::fs::symlink("real.ics", &link).unwrap();
    for _ in 0..2 {
        let output = run(&["build", path(&schedule), "-o", path(&link)]);
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            fs::read_to_string(&real).unwrap(),
            stdout(&run(&["build", path(&schedule)]))
        );
    }
    // A new file made by the test under the same umask: the feed has the mode any new file
    // gets (0644 under a 022 umask), not a temporary file's 0600.
    let probe = dir.path().join("probe");
    fs::write(&probe, "").unwrap();
    let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&real), mode(&probe));
}

#[cfg(unix)]
#[test]
fn a_device_or_a_fifo_is_written_through_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let (dir, schedule) = schedule_in_temp();
    let output = run(&["build", path(&schedule), "-o", "/dev/null"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );

    let fifo = dir.path().join("feed.fifo");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(fifo).unwrap())
    };
    let output = run(&["build", path(&schedule), "-o", path(&fifo)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let feed = reader.join().unwrap();
    assert_eq!(
        String::from_utf8(feed).unwrap(),
        stdout(&run(&["build", path(&schedule)]))
    );
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

/// What `build` allows for the feed of `name` before rendering it, less the fixed margin for
/// the calendar's own properties, and the events' part of the feed as rendered.
fn estimate_and_size(name: &Path) -> (usize, usize) {
    let source = syllabus_ics::source::read(name).unwrap();
    let checked = syllabus_ics::check(&source);
    let schedule = checked.schedule.expect("the fixture checks clean");
    let events = syllabus_ics::event::events(&schedule);
    let stamp = chrono::DateTime::UNIX_EPOCH;
    let feed = syllabus_ics::ics::render(&schedule, &events, stamp);
    let estimate = syllabus_ics::ics::largest_feed(&schedule, &events);
    assert!(
        estimate >= feed.len(),
        "{}: {estimate} < {}",
        name.display(),
        feed.len()
    );
    let calendar = syllabus_ics::ics::render(&schedule, &[], stamp);
    let margin = syllabus_ics::ics::largest_feed(&schedule, &[]);
    (estimate - margin, feed.len() - calendar.len())
}

#[test]
fn the_feed_size_estimate_bounds_the_feed_and_stays_near_it() {
    for name in [
        root().join("schedule.yaml"),
        fixture("hostile-text.yaml"),
        fixture("minimal.yaml"),
        fixture("cancelled-shown.yaml"),
    ] {
        let (estimate, size) = estimate_and_size(&name);
        // Every text is measured as it is escaped, so the estimate is an upper bound that
        // wastes little: a realistic event of 2,100 octets is allowed about 2,450.
        assert!(
            estimate <= size * 2 + 1024,
            "{}: {estimate} allowed for {size} octets of events",
            name.display()
        );
    }
}

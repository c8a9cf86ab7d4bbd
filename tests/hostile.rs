//! Hostile and broken input. Every case ends with a clear diagnostic and exit status 1 or 2
//! (or, for hostile *text*, a feed that reads back exactly), never a panic, a hang or a
//! runaway allocation, and `build -o` over an existing feed leaves that feed byte for byte
//! as it was unless the build succeeds.
//!
//! Fixtures are `tests/hostile/<case>.yaml`, each named for the one thing it shows. Inputs
//! too large to commit (a 50 MB value, 200,001 sessions, a file over the size limit, alias
//! amplification) are written at test time. Expected diagnostics are listed whole, as
//! `code@line:column`, in the order `check --format json` reports them.
//!
//! The output-safety cases (missing, read-only or full output directory) are at the end.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use syllabus_ics::limits;

/// The feed a previous, good build left behind; a failed build must leave it exactly so.
const OLD_FEED: &str =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//old//good feed//EN\r\nEND:VCALENDAR\r\n";

/// No hostile case may take longer than this (debug build, shared CI runner).
const PATIENCE: Duration = Duration::from_secs(120);

/// Address space a run may claim: a case that needs more has blown up memory.
#[cfg(target_os = "linux")]
const MEMORY_KIB: u64 = 3 * 1024 * 1024;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hostile")
        .join(name)
}

/// What a run of the binary left: exit status, stdout and stderr.
struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

/// Runs the binary with a time limit and, on Linux, a memory limit. A panic, a signal, a
/// timeout or an exit status other than 0, 1 or 2 fails the test on the spot.
fn run(args: &[&str], dir: &Path) -> Run {
    let binary = env!("CARGO_BIN_EXE_syllabus-ics");
    #[cfg(target_os = "linux")]
    let mut command = {
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!("ulimit -v {MEMORY_KIB} && exec \"$0\" \"$@\""))
            .arg(binary);
        command
    };
    #[cfg(not(target_os = "linux"))]
    let mut command = Command::new(binary);
    let mut child = command
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1704067200")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // Drain both pipes on threads so a large report cannot block the child.
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let stdout = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut bytes).map(|_| bytes)
    });
    let stderr = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut bytes).map(|_| bytes)
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for the binary") {
            break status;
        }
        if started.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!(
                "`syllabus-ics {}` hung: still running after {PATIENCE:?}",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let text = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).into_owned();
    let run = Run {
        status: status.code().unwrap_or(-1),
        stdout: text(stdout.join().expect("stdout reader").expect("stdout")),
        stderr: text(stderr.join().expect("stderr reader").expect("stderr")),
    };
    assert!(
        !run.stderr.contains("panicked") && matches!(run.status, 0..=2),
        "`syllabus-ics {}` crashed: {status}\n{}",
        args.join(" "),
        tail(&run.stderr)
    );
    run
}

/// The end of a long text, for failure messages.
fn tail(text: &str) -> &str {
    let mut start = text.len().saturating_sub(3000);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

/// The diagnostics `check --format json` reports, as `code@line:column`. A file that could
/// not be read at all is reported in the same JSON document, as one diagnostic.
fn diagnostics(schedule: &Path, dir: &Path, status: i32) -> Vec<String> {
    let path = schedule.to_str().expect("a UTF-8 path");
    let run = run(&["check", "--format", "json", path], dir);
    assert_eq!(
        run.status,
        status,
        "`check {path}` exit status\n{}{}",
        tail(&run.stdout),
        tail(&run.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("check prints JSON");
    report["diagnostics"]
        .as_array()
        .expect("a list of diagnostics")
        .iter()
        .map(|d| match (d["line"].as_u64(), d["column"].as_u64()) {
            (Some(line), Some(column)) => {
                format!("{}@{line}:{column}", d["code"].as_str().unwrap_or("?"))
            }
            _ => d["code"].as_str().unwrap_or("?").to_owned(),
        })
        .collect()
}

/// A directory holding the feed of an earlier good build, as `feed.ics`.
fn published() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    fs::write(dir.path().join("feed.ics"), OLD_FEED).expect("the old feed is written");
    dir
}

/// The names in a directory, sorted: a failed build leaves no temporary file behind.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("the directory reads")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// `schedule` is refused by `check` and `build` with exit `status` and exactly the
/// diagnostics `expected`, and `build -o` over a published feed leaves it untouched.
fn refused(schedule: &Path, status: i32, expected: &[&str]) {
    let dir = published();
    let found = diagnostics(schedule, dir.path(), status);
    assert_eq!(found, expected, "diagnostics of {}", schedule.display());

    let path = schedule.to_str().expect("a UTF-8 path");
    let github = run(&["check", "--format", "github", path], dir.path());
    assert_eq!(github.status, status, "github check of {path}");
    for code in expected {
        let code = code.split('@').next().unwrap_or(code);
        assert!(
            github
                .stdout
                .lines()
                .any(|line| line.starts_with("::error file=")
                    && line.contains(&format!("title={code}::"))),
            "no `::error` line for `{code}` in\n{}",
            tail(&github.stdout)
        );
    }

    let human = run(&["check", path], dir.path());
    assert_eq!(human.status, status, "human check of {path}");
    assert!(
        !human.stdout.contains('\u{1b}'),
        "raw escape codes in {}",
        tail(&human.stdout)
    );

    let build = run(&["build", path, "-o", "feed.ics"], dir.path());
    assert_eq!(
        build.status,
        status,
        "build of {path}\n{}",
        tail(&build.stderr)
    );
    assert!(build.stdout.is_empty());
    assert!(
        build.stderr.contains("nothing was written") || build.stderr.starts_with("error["),
        "build of {path} does not say that nothing was written:\n{}",
        tail(&build.stderr)
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("feed.ics")).expect("the old feed is still there"),
        OLD_FEED,
        "build of {path} touched the published feed"
    );
    assert_eq!(
        names(dir.path()),
        ["feed.ics"],
        "build of {path} left files behind"
    );

    let to_stdout = run(&["build", path], dir.path());
    assert_eq!(to_stdout.status, status);
    assert!(
        to_stdout.stdout.is_empty(),
        "build of {path} printed a feed"
    );
}

fn refused_fixture(name: &str, status: i32, expected: &[&str]) {
    refused(&fixture(name), status, expected);
}

/// One component of a feed read back: its name and its properties, unfolded and
/// unescaped (RFC 5545 §3.1 and §3.3.11).
#[derive(Debug)]
struct Component {
    name: String,
    properties: Vec<(String, String)>,
}

impl Component {
    fn get(&self, name: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Reads a feed with nothing but RFC 5545's rules: every physical line ends in CRLF and fits
/// 75 octets, folds are CRLF + one space, and TEXT escapes are `\\ \; \, \n`.
fn read_back(feed: &str) -> Vec<Component> {
    for line in feed.split_inclusive('\n') {
        assert!(line.ends_with("\r\n"), "a line without CRLF: {line:?}");
        assert!(line.len() - 2 <= 75, "a line over 75 octets: {line:?}");
    }
    let unfolded = feed.replace("\r\n ", "");
    let mut stack: Vec<Component> = Vec::new();
    let mut done = Vec::new();
    for line in unfolded.split_terminator("\r\n") {
        assert!(
            !line.contains(['\r', '\n']),
            "a bare line break in {line:?}"
        );
        // The name ends at the first `:` or `;` outside quotes; the value after the first
        // `:` outside quotes.
        let mut quoted = false;
        let colon = line
            .char_indices()
            .find(|&(_, c)| {
                quoted ^= c == '"';
                c == ':' && !quoted
            })
            .map(|(i, _)| i)
            .unwrap_or_else(|| panic!("a content line without `:`: {line:?}"));
        let (head, value) = (&line[..colon], &line[colon + 1..]);
        let name = head.split(';').next().unwrap_or(head).to_owned();
        match name.as_str() {
            "BEGIN" => stack.push(Component {
                name: value.to_owned(),
                properties: Vec::new(),
            }),
            "END" => {
                let component = stack.pop().expect("END without BEGIN");
                assert_eq!(component.name, value, "END does not match BEGIN");
                done.push(component);
            }
            _ => stack
                .last_mut()
                .expect("a property outside any component")
                .properties
                .push((name, unescape(value))),
        }
    }
    assert!(stack.is_empty(), "components left open");
    done
}

fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other @ ('\\' | ';' | ',')) => out.push(other),
            other => panic!("`\\{other:?}` is not a TEXT escape in {value:?}"),
        }
    }
    out
}

/// What an accepted case's feed must say.
enum Expect {
    /// The calendar's property is exactly this.
    Calendar(&'static str, &'static str),
    /// The only event's property is exactly this.
    Event(&'static str, &'static str),
    /// The only event's property contains this.
    EventHas(&'static str, &'static str),
}

/// `schedule` checks clean and builds: the feed replaces the old one, has one event per
/// dated session, and reads back as `expected` says.
fn accepted(name: &str, events: usize, expected: &[Expect]) -> Vec<Component> {
    let schedule = fixture(name);
    let dir = published();
    assert_eq!(
        diagnostics(&schedule, dir.path(), 0),
        Vec::<String>::new(),
        "{name}"
    );
    let path = schedule.to_str().expect("a UTF-8 path");
    let build = run(&["build", path, "-o", "feed.ics"], dir.path());
    assert_eq!(build.status, 0, "build of {name}\n{}", build.stderr);
    assert_eq!(names(dir.path()), ["feed.ics"]);
    let feed = fs::read_to_string(dir.path().join("feed.ics")).expect("the feed");
    let components = read_back(&feed);
    let vevents: Vec<&Component> = components.iter().filter(|c| c.name == "VEVENT").collect();
    assert_eq!(vevents.len(), events, "events in the feed of {name}");
    let calendar = components
        .iter()
        .find(|c| c.name == "VCALENDAR")
        .expect("a VCALENDAR");
    for expectation in expected {
        match *expectation {
            Expect::Calendar(property, want) => {
                assert_eq!(
                    calendar.get(property),
                    Some(want),
                    "{name}: calendar {property}"
                );
            }
            Expect::Event(property, want) => {
                assert_eq!(
                    vevents[0].get(property),
                    Some(want),
                    "{name}: event {property}"
                );
            }
            Expect::EventHas(property, want) => {
                let got = vevents[0].get(property).unwrap_or_default();
                assert!(
                    got.contains(want),
                    "{name}: event {property} lacks {want:?}:\n{got}"
                );
            }
        }
    }
    components
}

// --- YAML that is not YAML: exit 2, located where the parser stopped

#[test]
fn an_unclosed_quote_is_a_syntax_error_where_the_string_starts() {
    refused_fixture("unclosed-quote.yaml", 2, &["yaml-syntax@13:12"]);
}

#[test]
fn a_tab_used_for_indentation_is_a_syntax_error_at_the_tab() {
    refused_fixture("tab-indentation.yaml", 2, &["yaml-syntax@13:1"]);
}

#[test]
fn a_line_indented_too_deep_is_a_syntax_error() {
    refused_fixture("bad-indentation.yaml", 2, &["yaml-syntax@13:11"]);
}

#[test]
fn an_unclosed_flow_list_is_a_syntax_error() {
    refused_fixture("unclosed-flow-list.yaml", 2, &["yaml-syntax@11:11"]);
}

#[test]
fn two_yaml_documents_in_one_file_are_a_syntax_error_at_the_second() {
    refused_fixture("two-documents.yaml", 2, &["yaml-syntax@16:1"]);
}

#[test]
fn an_alias_to_an_undefined_anchor_is_a_syntax_error() {
    refused_fixture("unknown-alias.yaml", 2, &["yaml-syntax@15:16"]);
}

#[test]
fn a_key_longer_than_yaml_allows_is_a_syntax_error() {
    refused_fixture("long-key.yaml", 2, &["yaml-syntax@15:5"]);
}

#[test]
fn a_nul_character_is_a_syntax_error() {
    refused_fixture("nul-byte.yaml", 2, &["yaml-syntax@15:19"]);
}

#[test]
fn an_unpaired_surrogate_escape_is_a_syntax_error() {
    refused_fixture("unpaired-surrogate.yaml", 2, &["yaml-syntax@13:12"]);
}

// --- bytes that are not text

#[test]
fn invalid_utf8_is_refused_with_its_place() {
    let dir = published();
    let run = run(
        &[
            "check",
            fixture("invalid-utf8.yaml").to_str().expect("UTF-8"),
        ],
        dir.path(),
    );
    assert!(run.stderr.contains("invalid byte at"), "{}", run.stderr);
    assert!(
        run.stderr.contains("invalid-utf8.yaml:13:15"),
        "{}",
        run.stderr
    );
    refused_fixture("invalid-utf8.yaml", 2, &["invalid-utf8@13:15"]);
}

// --- YAML of the wrong shape: exit 1

#[test]
fn the_same_key_twice_is_a_duplicate_key() {
    refused_fixture("duplicate-key.yaml", 1, &["duplicate-key@15:5"]);
}

#[test]
fn a_year_written_as_a_list_is_the_wrong_type() {
    refused_fixture("wrong-type-year-list.yaml", 1, &["wrong-type@6:9"]);
}

#[test]
fn a_year_written_in_words_is_the_wrong_type() {
    refused_fixture("wrong-type-year-text.yaml", 1, &["wrong-type@6:9"]);
}

#[test]
fn a_year_with_a_fraction_is_the_wrong_type() {
    refused_fixture("wrong-type-year-fraction.yaml", 1, &["wrong-type@6:9"]);
}

#[test]
fn a_year_beyond_any_integer_is_the_wrong_type() {
    refused_fixture("wrong-type-year-huge.yaml", 1, &["wrong-type@6:9"]);
}

#[test]
fn sessions_written_as_a_map_are_the_wrong_type() {
    refused_fixture("wrong-type-sessions-map.yaml", 1, &["wrong-type@12:3"]);
}

#[test]
fn a_topic_written_as_a_list_is_the_wrong_type() {
    refused_fixture("wrong-type-topic-list.yaml", 1, &["wrong-type@14:12"]);
}

#[test]
fn a_null_session_is_the_wrong_type() {
    refused_fixture("wrong-type-null-session.yaml", 1, &["wrong-type@12:5"]);
}

#[test]
fn a_file_that_is_a_list_is_the_wrong_type() {
    refused_fixture("wrong-type-root-list.yaml", 1, &["wrong-type@2:1"]);
}

#[test]
fn a_file_that_is_one_string_is_the_wrong_type() {
    refused_fixture("wrong-type-root-scalar.yaml", 1, &["wrong-type@2:1"]);
}

#[test]
fn a_reading_written_as_nested_lists_is_the_wrong_type() {
    refused_fixture("wrong-type-nested-item.yaml", 1, &["wrong-type@16:9"]);
}

// --- nothing there

#[test]
fn an_empty_file_lacks_calendar_and_sessions() {
    refused_fixture("empty.yaml", 1, &["missing-field@1:1", "missing-field@1:1"]);
}

#[test]
fn a_file_of_only_comments_lacks_calendar_and_sessions() {
    refused_fixture(
        "only-comments.yaml",
        1,
        &["missing-field@1:1", "missing-field@3:1"],
    );
}

#[test]
fn a_file_of_only_blank_lines_lacks_calendar_and_sessions() {
    refused_fixture(
        "only-whitespace.yaml",
        1,
        &["missing-field@1:1", "missing-field@5:1"],
    );
}

// --- values that mean nothing

#[test]
fn an_unknown_primary_zone_is_refused() {
    refused_fixture("unknown-zone.yaml", 1, &["unknown-zone@5:13"]);
}

#[test]
fn a_label_missing_from_zones_is_refused() {
    refused_fixture("unknown-zone-label.yaml", 1, &["unknown-zone-label@13:28"]);
}

#[test]
fn a_zone_label_with_spaces_is_refused() {
    refused_fixture("invalid-zone-label.yaml", 1, &["invalid-zone-label@10:5"]);
}

#[test]
fn year_zero_is_refused() {
    refused_fixture("year-0.yaml", 1, &["invalid-year@5:9"]);
}

#[test]
fn year_9999_is_refused() {
    refused_fixture("year-9999.yaml", 1, &["invalid-year@5:9"]);
}

#[test]
fn a_negative_year_is_refused() {
    refused_fixture("year-negative.yaml", 1, &["invalid-year@5:9"]);
}

#[test]
fn twenty_four_hundred_is_not_a_time() {
    refused_fixture("time-24-00.yaml", 1, &["invalid-time@12:21"]);
}

#[test]
fn thirteen_pm_is_not_a_time() {
    refused_fixture("time-13-00pm.yaml", 1, &["invalid-time@12:21"]);
}

#[test]
fn zero_am_is_not_a_time() {
    refused_fixture("time-0am.yaml", 1, &["invalid-time@12:21"]);
}

#[test]
fn sixty_minutes_is_not_a_time() {
    refused_fixture("time-minute-60.yaml", 1, &["invalid-time@12:21"]);
}

#[test]
fn a_time_without_a_zone_label_is_refused() {
    refused_fixture("time-no-label.yaml", 1, &["invalid-time@12:12"]);
}

#[test]
fn february_30_is_an_impossible_date() {
    refused_fixture("time-feb-30.yaml", 1, &["impossible-date@12:12"]);
}

#[test]
fn february_29_outside_a_leap_year_is_an_impossible_date() {
    refused_fixture("time-feb-29-not-leap.yaml", 1, &["impossible-date@12:12"]);
}

#[test]
fn day_zero_is_an_impossible_date() {
    refused_fixture("time-day-0.yaml", 1, &["impossible-date@12:12"]);
}

#[test]
fn an_unknown_month_is_refused() {
    refused_fixture("time-unknown-month.yaml", 1, &["unknown-month@12:12"]);
}

#[test]
fn a_time_in_the_spring_forward_gap_does_not_exist() {
    refused_fixture("dst-gap.yaml", 1, &["nonexistent-local-time@13:12"]);
}

#[test]
fn a_time_in_the_fall_back_fold_without_a_telling_label_is_ambiguous() {
    refused_fixture("dst-fold.yaml", 1, &["ambiguous-local-time@12:12"]);
}

#[test]
fn halves_that_disagree_are_a_mismatch() {
    refused_fixture("dual-time-mismatch.yaml", 1, &["dual-time-mismatch@12:33"]);
}

#[test]
fn two_sessions_with_one_id_are_refused() {
    refused_fixture("duplicate-id.yaml", 1, &["duplicate-session@14:9"]);
}

#[test]
fn an_id_with_spaces_is_refused() {
    refused_fixture("invalid-id.yaml", 1, &["invalid-id@11:9"]);
}

#[test]
fn an_id_carrying_terminal_escapes_is_refused_and_shown_harmless() {
    refused_fixture("terminal-escape-in-id.yaml", 1, &["invalid-id@12:9"]);
    let dir = published();
    let path = fixture("terminal-escape-in-id.yaml");
    let path = path.to_str().expect("UTF-8");
    for format in ["human", "github", "json"] {
        let run = run(&["check", "--format", format, path], dir.path());
        assert!(!run.stdout.contains('\u{1b}'), "{format}: {}", run.stdout);
    }
}

#[test]
fn a_duration_beyond_any_integer_is_refused() {
    refused_fixture("duration-huge.yaml", 1, &["invalid-duration@14:15"]);
}

#[test]
fn a_zero_duration_is_refused() {
    refused_fixture("duration-zero.yaml", 1, &["invalid-duration@14:15"]);
}

#[test]
fn an_unknown_status_is_refused() {
    refused_fixture("status-unknown.yaml", 1, &["invalid-value@14:13"]);
}

#[test]
fn an_empty_topic_is_refused() {
    refused_fixture("empty-topic.yaml", 1, &["empty-topic@13:12"]);
}

// --- text that would break a feed

#[test]
fn a_line_break_in_the_calendar_name_is_refused() {
    refused_fixture("line-break-in-calendar-name.yaml", 1, &["invalid-text@4:9"]);
}

#[test]
fn a_line_break_in_every_one_line_field_of_a_session_is_refused_in_each() {
    refused_fixture(
        "line-break-in-every-session-line-field.yaml",
        1,
        &[
            "invalid-text@13:12",
            "invalid-text@14:16",
            "invalid-text@15:15",
            "invalid-text@17:16",
        ],
    );
}

#[test]
fn control_characters_in_calendar_text_are_refused() {
    refused_fixture(
        "control-characters-in-calendar.yaml",
        1,
        &["invalid-text@4:9", "invalid-text@5:16"],
    );
}

#[test]
fn control_characters_in_session_text_are_refused_in_each_field() {
    refused_fixture(
        "control-characters-in-session.yaml",
        1,
        &[
            "invalid-text@13:12",
            "invalid-text@14:16",
            "invalid-text@15:15",
            "invalid-text@18:15",
        ],
    );
}

#[test]
fn a_topic_over_the_text_limit_is_refused() {
    refused_fixture("text-too-long.yaml", 1, &["text-too-long@14:12"]);
}

#[test]
fn a_javascript_link_is_refused() {
    refused_fixture("url-javascript.yaml", 1, &["invalid-url@15:14"]);
}

#[test]
fn a_link_with_a_space_is_refused() {
    refused_fixture("url-with-space.yaml", 1, &["invalid-url@16:14"]);
}

#[test]
fn a_data_link_is_refused() {
    refused_fixture("url-data.yaml", 1, &["invalid-url@6:8"]);
}

#[test]
fn a_file_link_is_refused() {
    refused_fixture("url-file.yaml", 1, &["invalid-url@6:12"]);
}

#[test]
fn a_link_without_a_host_is_refused() {
    refused_fixture("url-no-host.yaml", 1, &["invalid-url@14:15"]);
}

#[test]
fn a_link_that_would_close_an_html_attribute_is_refused() {
    refused_fixture("url-html-quote.yaml", 1, &["invalid-url@17:14"]);
}

#[test]
fn more_zone_labels_than_the_limit_are_refused() {
    refused_fixture("too-many-zones.yaml", 1, &["too-many-zones@7:5"]);
}

// --- hostile text that is fine: accepted, and read back exactly

#[test]
fn separators_in_every_text_field_read_back_exactly() {
    accepted(
        "separators-in-every-text-field.yaml",
        1,
        &[
            Expect::Calendar("NAME", "Semi; colon, comma \\ backslash"),
            Expect::Calendar(
                "DESCRIPTION",
                "Line one; with, separators \\ and \\n as text\nLine two: END:VCALENDAR",
            ),
            Expect::Event("SUMMARY", "Containers; VMs, and \\ more"),
            Expect::Event("LOCATION", "Room 1; Building 2, Floor \\ 3"),
            Expect::EventHas("DESCRIPTION", "\nPresenter: O'Brien; Smith, Jr. \\ PhD\n"),
            Expect::EventHas(
                "DESCRIPTION",
                "\n- Paper; part 1, section \\ 2 (read; skim, then \\ reflect\nline two)\nhttps://example.org/a?x=1;y=2,3",
            ),
        ],
    );
}

#[test]
fn backslash_sequences_in_text_read_back_as_written() {
    accepted(
        "backslash-sequences-in-text.yaml",
        1,
        &[
            Expect::Event("SUMMARY", "C:\\new\\test \\n \\; \\, \\: \\\\ \\N"),
            Expect::Event("LOCATION", "Room \\n 1"),
            Expect::EventHas(
                "DESCRIPTION",
                "\n- Escapes: \\n\\;\\, (not a line break: \\n)",
            ),
        ],
    );
}

#[test]
fn emoji_and_right_to_left_text_read_back_exactly() {
    accepted(
        "emoji-and-right-to-left-text.yaml",
        1,
        &[
            Expect::Calendar("NAME", "Семинар 🎓 セミナー"),
            Expect::Calendar("DESCRIPTION", "مرحبا بكم في الندوة — ברוכים הבאים"),
            Expect::Event(
                "SUMMARY",
                "👩\u{200d}👩\u{200d}👧\u{200d}👦 Family of four, 🇺🇦 flag, e\u{301} combining, مقدمة في الحاويات",
            ),
            Expect::EventHas(
                "DESCRIPTION",
                "Presenter: محمد عبد الله \u{202e}right-to-left override\u{202c}\n",
            ),
            Expect::EventHas(
                "DESCRIPTION",
                "- 虚拟化 ☁️ Virtualisierung für alle – 虚拟化 ☁️ Virtualisierung für alle – 虚拟化 ☁️\n",
            ),
        ],
    );
}

#[test]
fn lines_that_would_end_the_event_stay_inside_their_text() {
    let components = accepted(
        "injection-in-multi-line-fields.yaml",
        1,
        &[
            Expect::Calendar(
                "DESCRIPTION",
                "Intro\nEND:VEVENT\nEND:VCALENDAR\nBEGIN:VCALENDAR",
            ),
            Expect::Event("SUMMARY", "END:VEVENT"),
            Expect::Event("UID", "week-1@hostile"),
            Expect::EventHas(
                "DESCRIPTION",
                "- Paper (skim\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil@example.org\nSUMMARY:pwned)",
            ),
        ],
    );
    assert_eq!(
        components.iter().filter(|c| c.name == "VCALENDAR").count(),
        1
    );
}

#[test]
fn markup_in_text_is_escaped_in_the_html_description() {
    accepted(
        "html-in-text.yaml",
        1,
        &[
            Expect::Event("SUMMARY", "<script>alert(1)</script>"),
            Expect::EventHas("X-ALT-DESC", "&lt;img src=x onerror=alert(1)&gt;</a>"),
            Expect::EventHas("X-ALT-DESC", "href=\"https://example.org/a?b=1&amp;c=2\""),
        ],
    );
}

#[test]
fn an_include_tag_is_text_and_reads_no_file() {
    accepted(
        "include-tag-is-text.yaml",
        1,
        &[Expect::Event("SUMMARY", "/etc/passwd")],
    );
}

#[test]
fn numbers_and_booleans_in_text_fields_are_kept_as_written() {
    accepted(
        "numbers-as-text.yaml",
        1,
        &[
            Expect::Calendar("NAME", "2024"),
            Expect::Event("SUMMARY", "4.50"),
            Expect::EventHas("DESCRIPTION", "\nPresenter: yes"),
        ],
    );
}

#[test]
fn a_byte_order_mark_is_accepted() {
    accepted("bom.yaml", 1, &[Expect::Event("SUMMARY", "Containers")]);
}

#[test]
fn crlf_line_ends_are_accepted() {
    accepted("crlf.yaml", 1, &[Expect::Event("SUMMARY", "Containers")]);
}

#[test]
fn lone_carriage_return_line_ends_are_accepted() {
    accepted(
        "lone-cr-line-ends.yaml",
        1,
        &[Expect::Event("SUMMARY", "Containers")],
    );
}

#[test]
fn a_bom_and_crlf_keep_the_place_of_an_error() {
    refused_fixture("bom-crlf-with-error.yaml", 1, &["invalid-time@12:21"]);
}

#[test]
fn a_lone_carriage_return_file_locates_an_error_on_its_line() {
    refused_fixture("lone-cr-with-error.yaml", 1, &["invalid-time@11:21"]);
}

#[test]
fn the_edges_of_a_gap_and_both_halves_of_a_fold_are_exact() {
    let components = accepted("dst-edges-resolved.yaml", 3, &[]);
    let starts: Vec<(&str, &str)> = components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|c| {
            let start = c
                .properties
                .iter()
                .find(|(key, _)| key == "DTSTART")
                .map(|(_, value)| value.as_str());
            (c.get("UID").unwrap_or_default(), start.unwrap_or_default())
        })
        .collect();
    assert_eq!(
        starts,
        [
            ("after-the-gap@hostile", "20240310T030000"),
            // Neither 1:30am is written as wall-clock time (clients disagree on which one a
            // TZID time in a fold means), so both are in UTC: 08:30 and 09:30 UTC.
            ("fold-first@hostile", "20241103T083000Z"),
            ("fold-second@hostile", "20241103T093000Z"),
        ]
    );
}

// --- inputs too large to commit, written at test time

/// A schedule file written for one test, in a directory that goes with it.
struct Generated {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn generated(name: &str, write: impl FnOnce(&mut dyn Write)) -> Generated {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join(name);
    let file = fs::File::create(&path).expect("the schedule is created");
    let mut out = std::io::BufWriter::new(file);
    write(&mut out);
    out.flush().expect("the schedule is written");
    Generated { _dir: dir, path }
}

const CALENDAR: &str = "calendar:
  id: hostile
  name: Hostile input
  timezone: America/Los_Angeles
  year: 2024
  zones:
    PDT: America/Los_Angeles
";

#[test]
fn a_fifty_megabyte_topic_is_too_long_not_fatal() {
    let file = generated("schedule.yaml", |out| {
        write!(
            out,
            "{CALENDAR}sessions:\n  - id: week-1\n    time: \"APR. 15: 5:00pm PDT\"\n    topic: "
        )
        .unwrap();
        let chunk = "lorem ipsum ".repeat(1000);
        for _ in 0..=50_000_000 / chunk.len() {
            out.write_all(chunk.as_bytes()).unwrap();
        }
        out.write_all(b"end\n").unwrap();
    });
    assert!(fs::metadata(&file.path).unwrap().len() >= 50_000_000);
    refused(&file.path, 1, &["text-too-long@11:12"]);
}

#[test]
fn a_file_over_the_size_limit_is_refused_unread() {
    // Sparse: the limit is checked before a byte is read.
    let file = generated("schedule.yaml", |_| {});
    fs::File::options()
        .write(true)
        .open(&file.path)
        .and_then(|f| f.set_len(limits::FILE_BYTES + 1))
        .expect("a sparse file");
    refused(&file.path, 2, &["file-too-large"]);
}

#[cfg(unix)]
#[test]
fn an_endless_device_is_refused_at_the_size_limit() {
    refused(Path::new("/dev/zero"), 2, &["file-too-large"]);
}

#[test]
fn a_directory_is_not_a_schedule() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    refused(dir.path(), 2, &["unreadable-file"]);
}

#[test]
fn a_missing_schedule_is_refused() {
    refused(
        Path::new("/nonexistent/schedule.yaml"),
        2,
        &["unreadable-file"],
    );
}

#[test]
fn flow_lists_nested_past_the_depth_limit_are_a_yaml_limit() {
    let file = generated("schedule.yaml", |out| {
        write!(out, "{CALENDAR}sessions: ").unwrap();
        out.write_all(&[b'['; 100_000]).unwrap();
        out.write_all(&[b']'; 100_000]).unwrap();
        out.write_all(b"\n").unwrap();
    });
    // `sessions: ` ends at column 11; the list opened at column 11 + DEPTH is one too deep.
    const { assert!(limits::DEPTH == 32) };
    refused(&file.path, 2, &["yaml-limit@8:43"]);
}

#[test]
fn deeply_nested_block_lists_are_a_yaml_limit_not_a_stack_overflow() {
    let file = generated("schedule.yaml", |out| {
        writeln!(out, "{CALENDAR}sessions:").unwrap();
        for depth in 1..5_000 {
            writeln!(out, "{}- ", "  ".repeat(depth)).unwrap();
        }
    });
    refused(&file.path, 2, &["yaml-limit@40:65"]);
}

#[test]
fn deeply_nested_maps_behind_an_unknown_key_are_a_yaml_limit() {
    let file = generated("schedule.yaml", |out| {
        write!(out, "{CALENDAR}sessions: []\nx: ").unwrap();
        for _ in 0..100_000 {
            out.write_all(b"{a: ").unwrap();
        }
        out.write_all(&[b'}'; 100_000]).unwrap();
        out.write_all(b"\n").unwrap();
    });
    refused(&file.path, 2, &["yaml-limit@9:128"]);
}

#[test]
fn a_billion_laughs_bomb_is_refused_before_it_expands() {
    let file = generated("schedule.yaml", |out| {
        writeln!(
            out,
            "lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"
        )
        .unwrap();
        for level in 1..=9 {
            let aliases = vec![format!("*lol{}", level - 1); 10].join(", ");
            writeln!(out, "lol{level}: &lol{level} [{aliases}]").unwrap();
        }
    });
    refused(&file.path, 2, &["yaml-limit@6:63"]);
}

#[test]
fn a_billion_laughs_bomb_in_a_reading_list_is_refused_before_it_expands() {
    let file = generated("schedule.yaml", |out| {
        writeln!(out, "{CALENDAR}sessions:").unwrap();
        writeln!(
            out,
            "  - id: s0\n    topic: t\n    additional: &l0 [a, a, a, a, a, a, a, a, a, a]"
        )
        .unwrap();
        for level in 1..=9 {
            let aliases = vec![format!("*l{}", level - 1); 10].join(", ");
            writeln!(
                out,
                "  - id: s{level}\n    topic: t\n    additional: &l{level} [{aliases}]"
            )
            .unwrap();
        }
    });
    refused(&file.path, 2, &["yaml-limit@26:57"]);
}

#[test]
fn text_multiplied_by_aliases_past_the_limit_is_a_yaml_limit() {
    // One MiB of text under an anchor, used 257 times: 257 MiB, past the 256 MiB of text a
    // file may hold, from a file of one MiB.
    let file = generated("schedule.yaml", |out| {
        write!(out, "{CALENDAR}sessions:\n  - id: week-1\n    time: \"APR. 15: 5:00pm PDT\"\n    topic: &big ").unwrap();
        out.write_all("x".repeat(1 << 20).as_bytes()).unwrap();
        let aliases = vec!["*big"; 257].join(", ");
        writeln!(out, "\n    additional: [{aliases}]").unwrap();
    });
    const { assert!(limits::YAML_TEXT_BYTES < 257 << 20) };
    refused(&file.path, 2, &["yaml-limit@12:1542"]);
}

#[test]
fn one_anchor_reused_in_every_session_is_not_an_alias_bomb() {
    // 1,000 sessions share one `&room`: aliases are limited by what they expand to, not by
    // how many there are per anchor.
    let file =
        generated("schedule.yaml", |out| {
            write!(
                out,
                "{CALENDAR}  meeting: &room https://example.org/room\nsessions:\n"
            )
            .unwrap();
            for n in 0..1_000 {
                let (month, day, hour) = (n / 112 + 4, n / 4 % 28 + 1, n % 4 * 2 + 9);
                writeln!(
                out,
                "  - {{id: s{n}, time: \"{}. {day}: {hour}:00 PDT\", topic: t, location: *room}}",
                ["APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"][month - 4]
            )
            .unwrap();
            }
        });
    let dir = published();
    let path = file.path.to_str().expect("UTF-8");
    let found = diagnostics(&file.path, dir.path(), 0);
    assert!(
        found.iter().all(|d| d.starts_with("zone-label")),
        "{found:?}"
    );
    let build = run(&["build", path, "-o", "feed.ics"], dir.path());
    assert_eq!(build.status, 0, "{}", tail(&build.stderr));
}

#[test]
fn zone_names_of_ten_thousand_characters_are_refused_without_a_slow_suggestion() {
    // Found by fuzzing: a "did you mean" for each unknown zone compared it with all 600
    // zone names, in time its length squared.
    let file = generated("schedule.yaml", |out| {
        let long = "America/Los_Angeles".repeat(500);
        write!(
            out,
            "calendar:\n  id: c\n  name: C\n  timezone: {long}\n  year: 2024\n  zones:\n"
        )
        .unwrap();
        for n in 0..limits::ZONE_LABELS {
            writeln!(out, "    L{n}: {long}").unwrap();
        }
        writeln!(out, "sessions: []").unwrap();
    });
    // The zone on line 4, column 13; the zone of label `L{n}` on line 7 + n, after `    L{n}: `.
    let expected: Vec<String> = std::iter::once("unknown-zone@4:13".to_owned())
        .chain(
            (0..limits::ZONE_LABELS)
                .map(|n| format!("unknown-zone@{}:{}", 7 + n, 7 + format!("L{n}").len())),
        )
        .collect();
    // How long this takes is measured by the fuzz target, not asserted here; `refused`
    // still fails a run that hangs.
    refused(
        &file.path,
        1,
        &expected.iter().map(String::as_str).collect::<Vec<_>>(),
    );
}

#[test]
fn more_sessions_than_the_limit_are_refused_while_reading() {
    let file = generated("schedule.yaml", |out| {
        write!(out, "{CALENDAR}sessions: [").unwrap();
        for _ in 0..limits::SESSIONS {
            out.write_all(b"{}, ").unwrap();
        }
        out.write_all(b"{}]\n").unwrap();
    });
    refused(&file.path, 1, &["too-many-sessions@8:11"]);
}

#[test]
fn thousands_of_errors_on_one_long_line_are_listed_up_to_the_limit_quickly() {
    // 20,000 bad ids on one line of 600 kB: each diagnostic must cost no more than its own
    // place, not the length of the line.
    let file = generated("schedule.yaml", |out| {
        write!(out, "{CALENDAR}sessions: [").unwrap();
        for n in 0..20_000 {
            write!(out, "{{id: 'Week {n}', topic: t}}, ").unwrap();
        }
        out.write_all(b"]\n").unwrap();
    });
    let dir = published();
    let found = diagnostics(&file.path, dir.path(), 1);
    assert_eq!(found.len(), limits::DIAGNOSTICS + 1);
    assert_eq!(found[0], "invalid-id@8:17");
    assert_eq!(found[limits::DIAGNOSTICS], "too-many-problems");
    let human = run(&["check", file.path.to_str().expect("UTF-8")], dir.path());
    assert!(
        human.stdout.contains("10000 more errors not shown"),
        "{}",
        tail(&human.stdout)
    );
    refused(
        &file.path,
        1,
        &found.iter().map(String::as_str).collect::<Vec<_>>(),
    );
}

#[test]
fn a_feed_that_would_exceed_the_size_limit_is_refused_before_it_is_rendered() {
    // 9,000 events, each repeating a 10,000-character link six times and its time in 40
    // zones: about 560 MB of feed, over 512 MiB, from a file of a few hundred kB.
    let file = generated("schedule.yaml", |out| {
        let link = format!("https://example.org/{}", "a".repeat(9_900));
        write!(out, "calendar:\n  id: hostile\n  name: Hostile input\n  timezone: America/Los_Angeles\n  year: 2024\n  meeting: {link}\n  zones:\n    PDT: America/Los_Angeles\n").unwrap();
        for (n, zone) in [
            "Europe/Berlin",
            "Asia/Tokyo",
            "Australia/Sydney",
            "America/New_York",
        ]
        .iter()
        .cycle()
        .take(40)
        .enumerate()
        {
            writeln!(out, "    Z{n}: {zone}").unwrap();
        }
        out.write_all(b"sessions:\n").unwrap();
        for n in 0..9_000 {
            let (month, day) = (n / 28 % 12 + 1, n % 28 + 1);
            let month = [
                "JAN.", "FEB.", "MAR.", "APR.", "MAY.", "JUN.", "JUL.", "AUG.", "SEP.", "OCT.",
                "NOV.", "DEC.",
            ][month - 1];
            writeln!(
                out,
                "  - {{id: s{n}, time: \"{month} {day}: {}:00 PDT\", topic: t}}",
                n % 8 + 9
            )
            .unwrap();
        }
    });
    let dir = published();
    let path = file.path.to_str().expect("UTF-8");
    let check = run(&["check", "--format", "json", path], dir.path());
    assert_ne!(check.status, 2, "{}", check.stdout);
    let build = run(&["build", path, "-o", "feed.ics"], dir.path());
    assert_eq!(build.status, 1, "{}", tail(&build.stderr));
    assert!(
        build
            .stderr
            .contains("the limit is 512 MiB; nothing was written"),
        "{}",
        tail(&build.stderr)
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("feed.ics")).unwrap(),
        OLD_FEED
    );
    assert_eq!(names(dir.path()), ["feed.ics"]);
}

// --- where the feed goes: a failed write never costs the published feed

/// A schedule that builds: one dated session.
const GOOD: &str = "calendar:
  id: hostile
  name: Hostile input
  timezone: America/Los_Angeles
  year: 2024
  zones:
    PDT: America/Los_Angeles
sessions:
  - id: week-1
    time: \"APR. 15: 5:00pm PDT\"
    topic: Containers
";

/// A directory holding `schedule.yaml` (`GOOD`).
fn with_good_schedule() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    fs::write(dir.path().join("schedule.yaml"), GOOD).expect("the schedule is written");
    dir
}

fn assert_write_failed(run: &Run, target: &str) {
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("error: could not write `{target}`")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("the previous file, if any, is unchanged"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_output_directory_is_a_clear_error_and_creates_nothing() {
    let dir = with_good_schedule();
    let run = run(&["build", "-o", "missing/feed.ics"], dir.path());
    assert_write_failed(&run, "missing/feed.ics");
    assert!(run.stderr.contains("no such file"), "{}", run.stderr);
    assert_eq!(names(dir.path()), ["schedule.yaml"]);
}

#[cfg(target_os = "linux")]
#[test]
fn a_location_nobody_may_write_is_a_clear_error() {
    // sysfs refuses new files even to root.
    let dir = with_good_schedule();
    let run = run(&["build", "-o", "/sys/syllabus-ics-feed.ics"], dir.path());
    assert_write_failed(&run, "/sys/syllabus-ics-feed.ics");
    assert!(!Path::new("/sys/syllabus-ics-feed.ics").exists());
}

#[test]
fn an_output_path_that_is_a_directory_is_a_clear_error_and_stays_a_directory() {
    let dir = with_good_schedule();
    fs::create_dir(dir.path().join("feed.ics")).expect("a directory named like the feed");
    let run = run(&["build", "-o", "feed.ics"], dir.path());
    assert_write_failed(&run, "feed.ics");
    assert!(dir.path().join("feed.ics").is_dir());
    assert_eq!(names(dir.path()), ["feed.ics", "schedule.yaml"]);
}

/// A small tmpfs, mounted for one test and unmounted when it ends. Only root can mount; the
/// callers say what they do instead when this is `None`.
#[cfg(target_os = "linux")]
struct Tmpfs {
    dir: tempfile::TempDir,
}

#[cfg(target_os = "linux")]
impl Tmpfs {
    fn mount(bytes: usize) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().expect("a mount point");
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .ok()?;
        status.success().then(|| Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount_read_only(&self) {
        let status = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(self.path())
            .status()
            .expect("mount runs");
        assert!(status.success(), "remounting the tmpfs read-only");
    }
}

#[cfg(target_os = "linux")]
impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg(self.dir.path())
            .stderr(Stdio::null())
            .status();
    }
}

#[cfg(target_os = "linux")]
fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

#[cfg(target_os = "linux")]
#[test]
fn a_read_only_directory_keeps_the_published_feed() {
    let schedule = with_good_schedule();
    let schedule = schedule.path().join("schedule.yaml");
    let schedule = schedule.to_str().expect("UTF-8");
    // Root writes through permission bits, so as root the directory is a tmpfs mounted
    // read-only; otherwise a directory without write permission.
    let (tmpfs, plain);
    let dir: &Path = if let Some(mounted) = Tmpfs::mount(1 << 20) {
        fs::write(mounted.path().join("feed.ics"), OLD_FEED).expect("the old feed");
        mounted.remount_read_only();
        tmpfs = mounted;
        tmpfs.path()
    } else {
        assert!(
            !running_as_root(),
            "running as root without permission to mount: no read-only directory to test with"
        );
        plain = published();
        let mut permissions = fs::metadata(plain.path()).unwrap().permissions();
        permissions.set_readonly(true);
        fs::set_permissions(plain.path(), permissions).expect("a read-only directory");
        plain.path()
    };
    let run = run(&["build", schedule, "-o", "feed.ics"], dir);
    assert_write_failed(&run, "feed.ics");
    assert_eq!(fs::read_to_string(dir.join("feed.ics")).unwrap(), OLD_FEED);
    assert_eq!(names(dir), ["feed.ics"]);
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_keeps_the_published_feed() {
    let dir = with_good_schedule();
    let schedule = dir.path().join("schedule.yaml");
    let schedule = schedule.to_str().expect("UTF-8");
    if let Some(disk) = Tmpfs::mount(64 * 1024) {
        // A 64 KiB disk holding the old feed and a file that fills the rest.
        fs::write(disk.path().join("feed.ics"), OLD_FEED).expect("the old feed");
        let mut filler = fs::File::create(disk.path().join("filler")).expect("a filler");
        while filler.write_all(&[0; 4096]).is_ok() {}
        drop(filler);
        let run = run(&["build", schedule, "-o", "feed.ics"], disk.path());
        assert_write_failed(&run, "feed.ics");
        assert!(
            run.stderr.contains("No space left on device"),
            "{}",
            run.stderr
        );
        assert_eq!(
            fs::read_to_string(disk.path().join("feed.ics")).unwrap(),
            OLD_FEED
        );
        assert_eq!(names(disk.path()), ["feed.ics", "filler"]);
    } else {
        // Without a tmpfs, a file size limit makes the write fail the same way part-way.
        let out = published();
        let run = Command::new("sh")
            .arg("-c")
            .arg("trap '' XFSZ; ulimit -f 1 && exec \"$0\" \"$@\"")
            .arg(env!("CARGO_BIN_EXE_syllabus-ics"))
            .args(["build", schedule, "-o", "feed.ics"])
            .current_dir(out.path())
            .output()
            .expect("the binary runs");
        let run = Run {
            status: run.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&run.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&run.stderr).into_owned(),
        };
        assert_write_failed(&run, "feed.ics");
        assert_eq!(
            fs::read_to_string(out.path().join("feed.ics")).unwrap(),
            OLD_FEED
        );
        assert_eq!(names(out.path()), ["feed.ics"]);
    }
}

// --- a feed without events is written only on purpose

#[test]
fn a_schedule_without_dated_sessions_is_not_built_over_the_feed() {
    for sessions in [
        "sessions: []\n",
        "sessions:\n  - id: week-1\n    topic: To be announced\n    time: TBD\n",
    ] {
        let dir = published();
        let schedule = GOOD.split("sessions:").next().unwrap().to_owned() + sessions;
        fs::write(dir.path().join("schedule.yaml"), schedule).unwrap();
        assert_eq!(run(&["check"], dir.path()).status, 0);
        let refused = run(&["build", "-o", "feed.ics"], dir.path());
        assert_eq!(refused.status, 1, "{}", refused.stderr);
        assert_eq!(
            refused.stderr,
            "error: `schedule.yaml` has no dated sessions, so the feed would have no events; nothing was written\n  = help: give a session a `time:`, or pass `--allow-empty` to publish a feed without events (subscribers' calendars then drop every event they have)\n"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("feed.ics")).unwrap(),
            OLD_FEED
        );
        assert_eq!(run(&["build"], dir.path()).stdout, "", "nor printed");

        let allowed = run(&["build", "-o", "feed.ics", "--allow-empty"], dir.path());
        assert_eq!(allowed.status, 0, "{}", allowed.stderr);
        let feed = fs::read_to_string(dir.path().join("feed.ics")).unwrap();
        let components = read_back(&feed);
        assert!(components.iter().all(|c| c.name != "VEVENT"));
        assert!(components.iter().any(|c| c.name == "VCALENDAR"));
    }
}
